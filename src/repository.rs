//! The git work tree around a folder: where `lint` finds a workspace's
//! root (docs/architecture.md, "Workspaces") and below which it reads the
//! test-expectation conventions (docs/rules.md, "Test-expectation files").

use std::path::Path;

/// The git work tree holding `dir`: the nearest folder upwards (`dir`
/// included) with a `.git` entry (a folder, or a file in worktrees and
/// submodules).
pub fn repository_root(dir: &Path) -> Option<&Path> {
    dir.ancestors().find(|d| d.join(".git").exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_git_entry_upwards_is_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("a/b")).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("a/sub")).unwrap();
        // A submodule's `.git` is a file.
        std::fs::write(repo.join("a/sub/.git"), "gitdir: ../../.git/modules/sub\n").unwrap();
        assert_eq!(repository_root(&repo.join("a/b")), Some(repo.as_path()));
        assert_eq!(repository_root(&repo), Some(repo.as_path()));
        assert_eq!(
            repository_root(&repo.join("a/sub")),
            Some(repo.join("a/sub").as_path())
        );
        assert_eq!(repository_root(dir.path()), None);
    }
}
