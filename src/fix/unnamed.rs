//! A temporary file without a name (Linux `O_TMPFILE`): while it is being
//! written and synced it has no directory entry, so a process killed at
//! that point leaves nothing behind. Given a name only just before the
//! rename that replaces the original. Elsewhere (or on file systems
//! without `O_TMPFILE`) the caller falls back to a named temporary file.

use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// An unnamed file in `dir`, or `None` when the system cannot make one.
pub fn create_in(dir: &Path) -> io::Result<Option<File>> {
    #[cfg(target_os = "linux")]
    {
        let c_dir = CString::new(dir.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"))?;
        // SAFETY: a valid C string and flags; the result is checked.
        let fd = unsafe {
            libc::open(
                c_dir.as_ptr(),
                libc::O_TMPFILE | libc::O_WRONLY | libc::O_CLOEXEC,
                0o600 as libc::c_uint,
            )
        };
        if fd < 0 {
            let e = io::Error::last_os_error();
            return match e.raw_os_error() {
                // Kernel or file system without O_TMPFILE.
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL | libc::ENOENT) => Ok(None),
                _ => Err(e),
            };
        }
        // SAFETY: `fd` is a fresh descriptor we own.
        Ok(Some(unsafe { File::from_raw_fd(fd) }))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        Ok(None)
    }
}

/// Gives the unnamed `file` the name `dir/PREFIX<pid>-<n>.tmp` (through
/// `/proc/self/fd`, which needs no privilege) and returns it.
pub fn link_in(file: &File, dir: &Path, prefix: &str) -> io::Result<PathBuf> {
    let source = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"))?;
    let mut last = io::Error::new(io::ErrorKind::AlreadyExists, "no free temporary name");
    for attempt in 0..16u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = dir.join(format!(
            "{prefix}{}-{nanos:x}{attempt}.tmp",
            std::process::id()
        ));
        let target = CString::new(name.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"))?;
        // SAFETY: valid C strings; the result is checked.
        let rc = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                source.as_ptr(),
                libc::AT_FDCWD,
                target.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if rc == 0 {
            return Ok(name);
        }
        last = io::Error::last_os_error();
        if last.kind() != io::ErrorKind::AlreadyExists {
            break;
        }
    }
    Err(last)
}
