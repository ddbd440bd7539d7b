//! Where a context's cache file lives: in the git folder of the repository
//! holding the context (`.git/regcred/`, or a worktree's or submodule's own
//! git folder, which its `.git` file names), else in the user's cache
//! folder (`$XDG_CACHE_HOME/regcred/`, by default `~/.cache/regcred/`).
//! Never in the work tree.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::bounded_read::{self, Follow, Limit};
use crate::repository::repository_root;

/// The folder caches go in, below a git folder or the user's cache folder.
const FOLDER: &str = "regcred";

/// The cache file of the context `dir` (absolute, resolved); `None` when
/// there is nowhere to keep one.
pub fn cache_file(dir: &Path) -> Option<PathBuf> {
    let folder = repository_root(dir)
        .and_then(git_folder)
        .or_else(user_cache_folder)?
        .join(FOLDER);
    let digest = Sha256::digest(dir.as_os_str().as_encoded_bytes());
    let name: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    Some(folder.join(format!("context-{name}")))
}

/// The git folder of the work tree `root`: `.git` itself, or the folder a
/// `.git` file names (`gitdir: PATH`, relative to `root` when not absolute).
fn git_folder(root: &Path) -> Option<PathBuf> {
    let dot_git = root.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let limit = Limit {
        max: 4096,
        name: "the size of a .git file",
    };
    let bytes = bounded_read::read_file(&dot_git, limit, Follow::Yes).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let named = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    let folder = root.join(named);
    folder.is_dir().then_some(folder)
}

/// `$XDG_CACHE_HOME`, else `$HOME/.cache` (absolute paths only, as the XDG
/// specification asks).
fn user_cache_folder() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    std::env::var_os("XDG_CACHE_HOME")
        .and_then(absolute)
        .or_else(|| {
            std::env::var_os("HOME")
                .and_then(absolute)
                .map(|h| h.join(".cache"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_git_folder_of_a_repository_or_a_worktree() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("deploy")).unwrap();
        let file = cache_file(&repo.join("deploy")).unwrap();
        assert_eq!(file.parent(), Some(repo.join(".git/regcred").as_path()));
        assert_ne!(cache_file(&repo).unwrap(), file, "one file per context");
        // A worktree: `.git` is a file naming its git folder.
        let tree = dir.path().join("tree");
        std::fs::create_dir_all(repo.join(".git/worktrees/tree")).unwrap();
        std::fs::create_dir_all(&tree).unwrap();
        std::fs::write(tree.join(".git"), "gitdir: ../repo/.git/worktrees/tree\n").unwrap();
        let file = cache_file(&tree).unwrap();
        assert_eq!(
            file.parent(),
            Some(tree.join("../repo/.git/worktrees/tree/regcred").as_path())
        );
    }
}
