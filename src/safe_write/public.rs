//! A file anyone may read, replaced whole (`kustomize install-plugin`'s
//! wrapper, `man --dir`'s pages): written to a temporary file in the
//! target's folder, given its mode, synced and renamed into place. The
//! rename replaces whatever entry is at the target (an older file, a
//! symbolic link, a FIFO), so nothing is ever written through a link to a
//! file elsewhere nor waits on a FIFO.

use std::io::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Writes `bytes` to `target` with `mode`, atomically; its folder is
/// created if missing.
pub fn write(target: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".regcred-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}
