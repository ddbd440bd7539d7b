//! The files the bench binaries read below a folder: `.yaml`, `.yml` and
//! `.json`, found depth first without following symbolic links, so a link
//! loop cannot hang a run.

use std::fs;
use std::path::{Path, PathBuf};

/// Calls `each` with every manifest file below `root` (or `root` itself).
pub fn for_each(root: &Path, mut each: impl FnMut(&Path)) -> std::io::Result<()> {
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = fs::symlink_metadata(&path)?;
        if meta.is_dir() {
            for entry in fs::read_dir(&path)? {
                stack.push(entry?.path());
            }
        } else if meta.is_file() && is_manifest(&path) {
            each(&path);
        }
    }
    Ok(())
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}
