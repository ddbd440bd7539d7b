//! Where a context's cache file lives: in the git folder of the repository
//! holding the context (`.git/regcred/`, or a worktree's or submodule's own
//! git folder, which its `.git` file names), else in the user's cache
//! folder (`$XDG_CACHE_HOME/regcred/`, by default `~/.cache/regcred/`).
//! Never in the work tree.
//!
//! Only in folders of the user running regcred: a git folder of another
//! user (a repository someone else owns, linted as root, say) is passed
//! over for the user's cache folder, and a `regcred` folder that is a
//! symbolic link or someone else's is not used at all, so that neither a
//! cache another user wrote is believed nor a link sends the cache file
//! elsewhere. A `.git` file must name a git folder (one holding `HEAD`).

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
        .filter(|f| owned(f))
        .or_else(user_cache_folder)?
        .join(FOLDER);
    if !usable(&folder) {
        return None;
    }
    let digest = Sha256::digest(dir.as_os_str().as_encoded_bytes());
    let name: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    Some(folder.join(format!("context-{name}")))
}

/// Whether the entry at `path` (not followed if a link) belongs to the
/// user running regcred.
pub fn owned(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| owned_meta(&m))
}

/// Whether `meta` is of something the user running regcred owns.
pub fn owned_meta(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions.
        meta.uid() == unsafe { libc::geteuid() }
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// Whether `meta` is of something the user running regcred or root owns
/// (what a `.regcred.yaml` outside the linted tree must be, as git asks of
/// a repository it is to trust).
pub fn owned_or_root_meta(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.uid() == 0 || owned_meta(meta)
    }
    #[cfg(not(unix))]
    {
        owned_meta(meta)
    }
}

/// Whether the cache folder can hold the cache: not there yet, or a folder
/// (not a link to one) of the user's own.
fn usable(folder: &Path) -> bool {
    match std::fs::symlink_metadata(folder) {
        Ok(meta) => meta.is_dir() && owned_meta(&meta),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// The git folder of the work tree `root`: `.git` itself, or the folder a
/// `.git` file names (`gitdir: PATH`, relative to `root` when not absolute)
/// if it is a git folder.
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
    (folder.is_dir() && folder.join("HEAD").is_file()).then_some(folder)
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
        std::fs::write(
            repo.join(".git/worktrees/tree/HEAD"),
            "ref: refs/heads/tree\n",
        )
        .unwrap();
        std::fs::create_dir_all(&tree).unwrap();
        std::fs::write(tree.join(".git"), "gitdir: ../repo/.git/worktrees/tree\n").unwrap();
        let file = cache_file(&tree).unwrap();
        assert_eq!(
            file.parent(),
            Some(tree.join("../repo/.git/worktrees/tree/regcred").as_path())
        );
        // A `.git` file naming a folder that is no git folder: not used.
        let other = dir.path().join("other");
        std::fs::create_dir_all(dir.path().join("plain")).unwrap();
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join(".git"), "gitdir: ../plain\n").unwrap();
        assert_eq!(git_folder(&other), None);
        // A `regcred` folder that is a link: no cache there.
        let linked = dir.path().join("linked");
        std::fs::create_dir_all(linked.join(".git")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("plain"), linked.join(".git/regcred")).unwrap();
        assert_eq!(cache_file(&linked), None);
    }
}
