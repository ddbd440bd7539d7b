//! Where an input is: its absolute, lexically normal spelling (the one the
//! index keys files by) and the folder discovery starts from. The
//! repository around it is [`crate::repository`]'s.

use std::path::{Path, PathBuf};

use crate::lint::index::file_key;

/// `path` absolute and lexically normal, spelled as the index spells files
/// (symbolic links are not resolved), so that a context root found from it
/// and the inputs meet in the index.
pub fn absolute(path: &Path) -> PathBuf {
    // The parent of a bare file name is the empty path: the current folder.
    match path.as_os_str().is_empty() {
        true => file_key(Path::new(".")),
        false => file_key(path),
    }
}

/// The folder discovery starts from: a folder input itself, a file's folder.
pub fn start_folder(input: &Path) -> PathBuf {
    let path = absolute(input);
    if path.is_dir() {
        return path;
    }
    match path.parent() {
        Some(parent) => parent.to_path_buf(),
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_folders_are_absolute_and_normal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("k8s")).unwrap();
        std::fs::write(dir.path().join("k8s/a.yaml"), "").unwrap();
        let file = dir.path().join("k8s/../k8s/./a.yaml");
        assert_eq!(start_folder(&file), dir.path().join("k8s"));
        assert_eq!(
            start_folder(&dir.path().join("k8s")),
            dir.path().join("k8s")
        );
        // The empty path (a bare file name's parent) is the current folder.
        assert_eq!(absolute(Path::new("")), absolute(Path::new(".")));
        assert!(absolute(Path::new("")).is_absolute());
        // A missing input starts from its folder too.
        assert_eq!(start_folder(&dir.path().join("gone.yaml")), dir.path());
    }
}
