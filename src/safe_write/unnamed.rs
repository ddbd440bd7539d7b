//! A file without a name (Linux `O_TMPFILE`): while it is written and
//! synced it has no directory entry, so a process killed at that point
//! leaves nothing behind. It gets a name with `linkat` through
//! `/proc/self/fd` (which needs no privilege), either the final one or a
//! temporary one just before a rename. Elsewhere, on file systems without
//! `O_TMPFILE` or without `/proc`, [`create_in`] says so and the caller
//! writes a named temporary file instead.

use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

fn c_path(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"))
}

/// An unnamed file in `dir`, mode 0600 before the umask, or `None` when
/// this system cannot make one or could not name it later. A folder that
/// does not exist is an error.
pub fn create_in(dir: &Path) -> io::Result<Option<File>> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::FromRawFd;
        if !Path::new("/proc/self/fd").is_dir() {
            return Ok(None);
        }
        let c_dir = c_path(dir)?;
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
                // A file system or kernel without O_TMPFILE (an old kernel
                // answers ENOENT for a folder that exists).
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL) => Ok(None),
                Some(libc::ENOENT) if dir.is_dir() => Ok(None),
                _ => Err(e),
            };
        }
        // SAFETY: `fd` is a fresh descriptor nothing else owns.
        Ok(Some(unsafe { File::from_raw_fd(fd) }))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        Ok(None)
    }
}

/// Gives the unnamed `file` the name `target`; fails with `AlreadyExists`
/// if something has that name (nothing is ever clobbered).
pub fn link_as(file: &File, target: &Path) -> io::Result<()> {
    let source = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"))?;
    let target = c_path(target)?;
    // SAFETY: linkat(2) with valid C strings; the result is checked.
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
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Gives the unnamed `file` a free temporary name `dir/PREFIX<pid>-<n>.tmp`
/// (the shape [`super::leftovers`] recognizes) and returns it.
pub fn link_in(file: &File, dir: &Path, prefix: &str) -> io::Result<PathBuf> {
    let mut last = io::Error::new(io::ErrorKind::AlreadyExists, "no free temporary name");
    for attempt in 0..16u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = dir.join(format!(
            "{prefix}{}-{nanos:x}{attempt}.tmp",
            std::process::id()
        ));
        match link_as(file, &name) {
            Ok(()) => return Ok(name),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}
