//! Which `.gitignore` rules hide what a walk finds (docs/limits.md, "Other
//! hostile input"): those of the walked folders and of the folders between
//! a walked folder and its repository's root (the nearest folder upwards
//! with a `.git` entry), that root's `.git/info/exclude` last; never a
//! `.gitignore` above the repository (one beside it, in a shared folder or
//! a home folder, is not the repository's), and none above a walked folder
//! outside any repository. A folder holding `.git` (a nested repository)
//! starts afresh, as git does.
//!
//! Each file is read by the one reader (`crate::bounded_read`), not by the
//! `ignore` crate, which would wait forever on a FIFO and read a link to
//! `/dev/zero` without end: a `.gitignore` that is a link, a FIFO, a device
//! or a folder is passed over (git does not follow a link there either),
//! one over [`LIMIT`] or unreadable is an error naming it, and its rules
//! are not applied.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::index::file_key;
use super::walk::WalkError;
use crate::bounded_read::{self, Follow, Limit, ReadError};
use crate::repository::repository_root;

/// The largest `.gitignore` (or `.git/info/exclude`) read.
pub const LIMIT: Limit = Limit {
    max: 4 << 20,
    name: "the limit for a .gitignore file",
};

/// One folder's rules, matched against paths spelled as its folder is:
/// as walked, or absolute for a folder above a walked root.
#[derive(Debug)]
struct Rules {
    matcher: Gitignore,
    absolute: bool,
}

/// The rules that apply in a folder, the nearest first.
type Chain = Arc<Vec<Arc<Rules>>>;

/// The `.gitignore` rules of one walk, read once per folder.
#[derive(Debug, Default)]
pub struct GitIgnores {
    /// Folder as walked: its chain.
    chains: Mutex<HashMap<PathBuf, Chain>>,
    errors: Mutex<Vec<WalkError>>,
}

impl GitIgnores {
    /// Whether the walk passes over `entry` (a path named on the command
    /// line never is).
    pub fn ignored(&self, entry: &ignore::DirEntry) -> bool {
        let depth = entry.depth();
        let path = entry.path();
        let Some(parent) = path.parent().filter(|_| depth > 0) else {
            return false;
        };
        let chain = self.chain(parent, depth - 1);
        if chain.is_empty() {
            return false;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        let mut absolute = None;
        for rules in chain.iter() {
            let matched = match rules.absolute {
                true => {
                    let absolute = absolute.get_or_insert_with(|| file_key(path));
                    rules.matcher.matched(absolute.as_path(), is_dir)
                }
                false => rules.matcher.matched(path, is_dir),
            };
            if matched.is_ignore() {
                return true;
            }
            if matched.is_whitelist() {
                return false;
            }
        }
        false
    }

    /// The files that could not be read (each once).
    pub fn take_errors(&self) -> Vec<WalkError> {
        match self.errors.lock() {
            Ok(mut errors) => std::mem::take(&mut *errors),
            Err(_) => Vec::new(),
        }
    }

    /// The rules that apply in `dir` (as walked, `depth` below its walk's
    /// root).
    fn chain(&self, dir: &Path, depth: usize) -> Chain {
        if let Some(chain) = self.chains.lock().ok().and_then(|c| c.get(dir).cloned()) {
            return chain;
        }
        let repository = is_repository(dir);
        let outer = match (repository, depth, dir.parent()) {
            (true, _, _) => Chain::default(),
            (false, 0, _) => self.above(dir),
            (false, _, Some(parent)) => self.chain(parent, depth - 1),
            (false, _, None) => Chain::default(),
        };
        let mut own: Vec<Arc<Rules>> = self.read(dir, ".gitignore", false).into_iter().collect();
        if repository {
            own.extend(self.read(dir, ".git/info/exclude", false));
        }
        let chain = match own.is_empty() {
            true => outer,
            false => {
                own.extend(outer.iter().cloned());
                Arc::new(own)
            }
        };
        if let Ok(mut chains) = self.chains.lock() {
            chains.insert(dir.to_path_buf(), chain.clone());
        }
        chain
    }

    /// The rules of the folders above the walked root `dir`, up to its
    /// repository's root; none outside a repository.
    fn above(&self, dir: &Path) -> Chain {
        let dir = file_key(dir);
        let Some(root) = dir.parent().and_then(repository_root) else {
            return Chain::default();
        };
        let mut chain = Vec::new();
        for folder in dir.ancestors().skip(1) {
            chain.extend(self.read(folder, ".gitignore", true));
            if folder == root {
                chain.extend(self.read(folder, ".git/info/exclude", true));
                break;
            }
        }
        Arc::new(chain)
    }

    /// The rules of `dir/name`, if it is a regular file that can be read.
    fn read(&self, dir: &Path, name: &str, absolute: bool) -> Option<Arc<Rules>> {
        let path = dir.join(name);
        let bytes = match bounded_read::read_file(&path, LIMIT, Follow::No) {
            Ok(bytes) => bytes,
            Err(ReadError::Link | ReadError::NotRegular { .. }) => return None,
            // None there, or `.git` is a file (a worktree's).
            Err(ReadError::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                return None
            }
            Err(error) => {
                if let Ok(mut errors) = self.errors.lock() {
                    errors.push(WalkError::Io {
                        path: path.display().to_string(),
                        message: format!("{error}; its rules are not applied"),
                    });
                }
                return None;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut builder = GitignoreBuilder::new(dir);
        for line in text.lines() {
            // A pattern git cannot read either matches nothing.
            let _ = builder.add_line(Some(path.clone()), line);
        }
        let matcher = builder.build().ok()?;
        (!matcher.is_empty()).then(|| Arc::new(Rules { matcher, absolute }))
    }
}

/// Whether `dir` is the root of a repository (a `.git` folder or file).
fn is_repository(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(".git")).is_ok()
}
