//! Replacing a file without ever losing it (`lint --fix`): the new bytes go
//! to a temporary file in the same folder, are synced, get the original's
//! permissions and owner, and are renamed over the original only if the
//! original is still exactly what was read. A crash at any point leaves the
//! old file or the complete new one. The temporary file has no name while
//! it is written ([`super::unnamed`]); it is named
//! `.regcred-fix-<PID>-*.tmp` only for the rename, so a SIGKILL leaves it
//! only in the microseconds between that link and the rename. Where that is
//! not available a named `.regcred-fix-<PID>-*.tmp` file is used, removed on
//! every error, left by a SIGKILL. Either kind is removed by the next
//! `--fix` that writes into its folder ([`super::leftovers`]). The test
//! hooks that prove this are in [`super::hooks`] (debug builds only).

use std::fs::{File, Metadata};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::leftovers::{self, TEMP_PREFIX};
use super::{hooks, unnamed};
use crate::bounded_read::{self, Follow, Limit, ReadError};

/// A file as it was read: where it really is (links resolved), its bytes
/// and the metadata that must not change before it is replaced.
#[derive(Debug)]
pub struct Snapshot {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    meta: Metadata,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{0}: the file changed on disk since it was read; not fixed (run again)")]
    Changed(String),
    #[error("{path}: has {links} hard links, replacing it would split them; not fixed")]
    HardLinks { path: String, links: u64 },
    #[error("{0}: not a regular file; not fixed")]
    NotRegular(String),
    #[error("{0}: cannot give the fixed file the original owner; not fixed")]
    Owner(String),
}

/// The bytes of `file`, at most `size` of them.
fn read_at_most(file: &File, size: u64) -> Result<Vec<u8>, ReadError> {
    let limit = Limit {
        max: size,
        name: "its size when it was opened",
    };
    bounded_read::read_stream(file, limit, size)
}

fn io(path: &Path, e: impl std::fmt::Display) -> WriteError {
    WriteError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

impl Snapshot {
    /// Reads `path` (following links to the real file) with the one reader
    /// (`crate::bounded_read`): a regular file only, never waited on (a FIFO
    /// swapped in since it was linted), and no more than the size it has
    /// when opened (one growing meanwhile has changed).
    pub fn read(path: &Path) -> Result<Snapshot, WriteError> {
        let real = std::fs::canonicalize(path).map_err(|e| io(path, e))?;
        let file = bounded_read::open_regular(&real, Follow::No).map_err(|e| match e {
            ReadError::NotRegular { .. } | ReadError::Link => {
                WriteError::NotRegular(path.display().to_string())
            }
            other => io(path, other),
        })?;
        let meta = file.metadata().map_err(|e| io(path, e))?;
        let bytes = read_at_most(&file, meta.len()).map_err(|e| match e.too_large() {
            true => WriteError::Changed(path.display().to_string()),
            false => io(path, e),
        })?;
        Ok(Snapshot {
            path: real,
            bytes,
            meta,
        })
    }

    /// Whether the file on disk is still the one read: same inode, size,
    /// modification time and bytes.
    fn unchanged(&self) -> Result<bool, WriteError> {
        let Ok(file) = bounded_read::open_regular(&self.path, Follow::No) else {
            return Ok(false);
        };
        let now = file.metadata().map_err(|e| io(&self.path, e))?;
        let same_meta = now.ino() == self.meta.ino()
            && now.dev() == self.meta.dev()
            && now.len() == self.meta.len()
            && now.mtime() == self.meta.mtime()
            && now.mtime_nsec() == self.meta.mtime_nsec();
        if !same_meta {
            return Ok(false);
        }
        match read_at_most(&file, self.meta.len()) {
            Ok(bytes) => Ok(bytes == self.bytes),
            Err(e) if e.too_large() => Ok(false),
            Err(e) => Err(io(&self.path, e)),
        }
    }

    /// Replaces the file with `new`, atomically, if it has not changed.
    pub fn replace(&self, new: &[u8]) -> Result<(), WriteError> {
        self.replace_with(new, true)
    }

    /// [`Snapshot::replace`]; `unnamed: false` skips the `O_TMPFILE` path
    /// (for tests of the fallback).
    fn replace_with(&self, new: &[u8], unnamed: bool) -> Result<(), WriteError> {
        let path = &self.path;
        let shown = || path.display().to_string();
        if self.meta.nlink() > 1 {
            return Err(WriteError::HardLinks {
                path: shown(),
                links: self.meta.nlink(),
            });
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        leftovers::remove_stale(dir);
        if unnamed {
            if let Some(file) = unnamed::create_in(dir).map_err(|e| io(path, e))? {
                if self.replace_from_unnamed(file, dir, new)? {
                    return Ok(());
                }
            }
        }
        // Removed on drop: on every early return below.
        let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
        let mut temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| io(path, e))?;
        temp.write_all(new).map_err(|e| io(path, e))?;
        self.prepare(temp.as_file())?;
        hooks::before_replace(path, REPLACED.load(Ordering::SeqCst));
        if !self.unchanged()? {
            return Err(WriteError::Changed(shown()));
        }
        temp.persist(path).map_err(|e| io(path, e.error))?;
        sync_dir(dir);
        REPLACED.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// The same with a file that has no name until it is complete; `false`
    /// when it cannot be given one (no `/proc`): the caller falls back.
    fn replace_from_unnamed(
        &self,
        mut file: File,
        dir: &Path,
        new: &[u8],
    ) -> Result<bool, WriteError> {
        let path = &self.path;
        file.write_all(new).map_err(|e| io(path, e))?;
        self.prepare(&file)?;
        hooks::before_replace(path, REPLACED.load(Ordering::SeqCst));
        if !self.unchanged()? {
            return Err(WriteError::Changed(path.display().to_string()));
        }
        let named = match unnamed::link_in(&file, dir, TEMP_PREFIX) {
            Ok(named) => named,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(io(path, e)),
        };
        hooks::after_link();
        if let Err(e) = std::fs::rename(&named, path) {
            let _ = std::fs::remove_file(&named);
            return Err(io(path, e));
        }
        sync_dir(dir);
        REPLACED.fetch_add(1, Ordering::SeqCst);
        Ok(true)
    }

    /// The original's owner and permissions, then the bytes on disk.
    fn prepare(&self, file: &File) -> Result<(), WriteError> {
        let path = &self.path;
        keep_owner(file, &self.meta).map_err(|()| WriteError::Owner(path.display().to_string()))?;
        let mode = self.meta.permissions().mode() & 0o7777;
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| io(path, e))?;
        file.sync_all().map_err(|e| io(path, e))
    }
}

/// The rename itself is durable once the folder is synced.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Gives `file` the original's owner and group when they differ from ours.
fn keep_owner(file: &File, original: &Metadata) -> Result<(), ()> {
    let ours = file.metadata().map_err(|_| ())?;
    if ours.uid() == original.uid() && ours.gid() == original.gid() {
        return Ok(());
    }
    use std::os::fd::AsRawFd;
    // SAFETY: fchown on a descriptor we own; no memory is passed.
    let rc = unsafe { libc::fchown(file.as_raw_fd(), original.uid(), original.gid()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(())
    }
}

/// Files this process replaced (for the `kill-after:N` test hook).
static REPLACED: AtomicUsize = AtomicUsize::new(0);

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect()
    }

    #[test]
    fn a_fifo_or_a_device_is_not_read_for_a_fix() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.yaml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo(3) with a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // No writer: a blocking open would wait forever.
        assert!(matches!(
            Snapshot::read(&fifo),
            Err(WriteError::NotRegular(_))
        ));
        assert!(matches!(
            Snapshot::read(Path::new("/dev/zero")),
            Err(WriteError::NotRegular(_))
        ));
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, b"a: 1\n").unwrap();
        let snapshot = Snapshot::read(&file).unwrap();
        assert_eq!(snapshot.bytes, b"a: 1\n");
        assert!(snapshot.unchanged().unwrap());
        std::fs::write(&file, b"a: 1\nb: 2\n").unwrap();
        assert!(!snapshot.unchanged().unwrap());
    }

    #[test]
    fn replaces_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "a: 1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let snap = Snapshot::read(&path).unwrap();
        snap.replace(b"a: 2\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a: 2\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn refuses_a_file_changed_since_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "a: 1\n").unwrap();
        let snap = Snapshot::read(&path).unwrap();
        // Same length, so only the bytes (or mtime) tell.
        std::fs::write(&path, "a: 3\n").unwrap();
        assert!(matches!(
            snap.replace(b"a: 2\n"),
            Err(WriteError::Changed(_))
        ));
        assert_eq!(std::fs::read(&path).unwrap(), b"a: 3\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn links_lead_to_the_real_file_and_hard_links_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        std::fs::write(&real, "a: 1\n").unwrap();
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        Snapshot::read(&link).unwrap().replace(b"a: 2\n").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"a: 2\n");
        let hard = dir.path().join("hard.yaml");
        std::fs::hard_link(&real, &hard).unwrap();
        let err = Snapshot::read(&hard)
            .unwrap()
            .replace(b"a: 3\n")
            .unwrap_err();
        assert!(matches!(err, WriteError::HardLinks { links: 2, .. }));
        assert_eq!(std::fs::read(&real).unwrap(), b"a: 2\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn owner_and_group_are_kept() {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("SKIP: giving a file another owner needs root");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "a: 1\n").unwrap();
        std::os::unix::fs::chown(&path, Some(4321), Some(8765)).unwrap();
        Snapshot::read(&path).unwrap().replace(b"a: 2\n").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (4321, 8765));
        assert_eq!(std::fs::read(&path).unwrap(), b"a: 2\n");
    }
}
