//! `create --output-file`: credentials written mode 0600 whatever the umask,
//! atomically (a reader or a crash sees the old file or the complete new
//! one), and no temporary file left behind, even when the process is killed.
//!
//! On Linux the content goes into an unnamed file (`O_TMPFILE`) in the
//! target's folder, written and synced before it gets a name with
//! `linkat`: killed before that point, the kernel frees it and nothing
//! was ever visible. Without `--force` the link *is* the final step (it
//! fails if the target exists, so nothing is clobbered). With `--force`
//! the file is linked under a temporary name and renamed over the target;
//! only a kill in the microseconds between those two calls can leave a
//! `.regcred-*.tmp` file (documented in docs/limits.md). Where `O_TMPFILE`
//! or `/proc` is missing, a named temporary file (`.regcred-XXXXXX`) is
//! written and renamed instead: removed on every error, but left by a kill.

use std::fs::{File, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

/// Test-only: sleep this many milliseconds after the content is written and
/// synced, before it gets its name, announcing it on stderr, so tests can
/// kill the process at the worst moment. Harmless in production (it only
/// waits), hence compiled in always.
pub const PAUSE_VAR: &str = "REGCRED_TEST_PAUSE_BEFORE_RENAME";

/// The line printed on stderr when pausing.
pub const PAUSE_MESSAGE: &str = "test hook: paused before rename";

fn pause() {
    let Some(ms) = std::env::var(PAUSE_VAR)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    eprintln!("{PAUSE_MESSAGE}");
    std::thread::sleep(Duration::from_millis(ms));
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot create a file in {dir}: {source}")]
    Create { dir: String, source: io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: io::Error },
    #[error("--output-file {path} already exists; pass --force to replace it")]
    Exists { path: String },
    #[error(
        "--output-file {path} is {kind}, not a regular file; --force replaces only regular files"
    )]
    NotRegular { path: String, kind: &'static str },
}

/// Writes `bytes` to `path`, mode 0600, atomically; replaces an existing
/// regular file only when `force`, never anything else (a device, a FIFO,
/// a folder or a symbolic link: renaming over `/dev/null` or `/dev/stdout`
/// would replace the device node or the link itself).
pub fn write_private(path: &Path, bytes: &[u8], force: bool) -> Result<(), WriteError> {
    if let Some(kind) = crate::bounded_read::not_regular(path) {
        return Err(WriteError::NotRegular {
            path: path.display().to_string(),
            kind,
        });
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    #[cfg(target_os = "linux")]
    if let Some(result) = unnamed::write(dir, path, bytes, force) {
        return result;
    }
    write_named(dir, path, bytes, force)
}

fn write_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Write {
        path: path.display().to_string(),
        source,
    }
}

/// The content, mode exactly 0600 (the mode given at creation is filtered
/// by the umask only towards fewer rights; set it again to be exact).
fn fill(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.set_permissions(Permissions::from_mode(0o600))?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn write_named(dir: &Path, path: &Path, bytes: &[u8], force: bool) -> Result<(), WriteError> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".regcred-")
        .permissions(Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|source| WriteError::Create {
            dir: dir.display().to_string(),
            source,
        })?;
    fill(tmp.as_file_mut(), bytes).map_err(write_error(path))?;
    pause();
    let persisted = if force {
        tmp.persist(path).map(|_| ())
    } else {
        tmp.persist_noclobber(path).map(|_| ())
    };
    persisted.map_err(|e| match e.error.kind() {
        io::ErrorKind::AlreadyExists => WriteError::Exists {
            path: path.display().to_string(),
        },
        _ => write_error(path)(e.error),
    })
}

#[cfg(target_os = "linux")]
mod unnamed {
    use std::ffi::CString;
    use std::fs::File;
    use std::os::fd::{AsRawFd, FromRawFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    use super::{fill, pause, write_error, WriteError};

    fn c_path(path: &Path) -> Option<CString> {
        CString::new(path.as_os_str().as_bytes()).ok()
    }

    /// `None` when unnamed files are not available here (then the caller
    /// falls back to a named temporary file).
    pub fn write(
        dir: &Path,
        path: &Path,
        bytes: &[u8],
        force: bool,
    ) -> Option<Result<(), WriteError>> {
        let c_dir = c_path(dir)?;
        let c_target = c_path(path)?;
        // SAFETY: open(2) with a valid C string; the fd is owned below.
        let fd = unsafe {
            libc::open(
                c_dir.as_ptr(),
                libc::O_TMPFILE | libc::O_WRONLY | libc::O_CLOEXEC,
                0o600 as libc::c_uint,
            )
        };
        if fd < 0 {
            let error = std::io::Error::last_os_error();
            return match error.raw_os_error() {
                // No O_TMPFILE on this file system or kernel.
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL) => None,
                _ => Some(Err(WriteError::Create {
                    dir: dir.display().to_string(),
                    source: error,
                })),
            };
        }
        // SAFETY: `fd` is a fresh descriptor nothing else owns.
        let mut file = unsafe { File::from_raw_fd(fd) };
        if let Err(e) = fill(&mut file, bytes) {
            return Some(Err(write_error(path)(e)));
        }
        let proc_path = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd())).ok()?;
        if !Path::new("/proc/self/fd").is_dir() {
            return None;
        }
        pause();
        let link = |to: &CString| {
            // SAFETY: linkat(2) with valid C strings.
            let rc = unsafe {
                libc::linkat(
                    libc::AT_FDCWD,
                    proc_path.as_ptr(),
                    libc::AT_FDCWD,
                    to.as_ptr(),
                    libc::AT_SYMLINK_FOLLOW,
                )
            };
            if rc == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        };
        if !force {
            return Some(link(&c_target).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => WriteError::Exists {
                    path: path.display().to_string(),
                },
                _ => write_error(path)(e),
            }));
        }
        let tmp_name = dir.join(format!(
            ".regcred-{}-{:x}.tmp",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        ));
        let c_tmp = c_path(&tmp_name)?;
        if let Err(e) = link(&c_tmp) {
            return Some(Err(write_error(path)(e)));
        }
        let renamed = std::fs::rename(&tmp_name, path);
        if renamed.is_err() {
            let _ = std::fs::remove_file(&tmp_name);
        }
        Some(renamed.map_err(write_error(path)))
    }
}
