//! Stamps of the files a walk meets, each asked of its folder: `fstatat`
//! on a handle to the folder, not `lstat` of the whole path, which the
//! kernel resolves component by component for every file (the most costly
//! step of a warm run, docs/architecture.md "The context cache"). One
//! folder handle per walking thread: a thread mostly takes a folder's
//! files one after the other.
//!
//! The stamp is the link's own (`AT_SYMLINK_NOFOLLOW`), as `lstat` gives
//! it. A folder renamed or replaced between its opening and a file's stamp
//! is the same race as a file edited during the run: what the stamp
//! describes is a file as it was, whose cached part is right for it, and
//! the next run sees the change.

use std::path::{Path, PathBuf};

use super::Stamp;

/// One thread's folder handle.
#[derive(Debug, Default)]
pub struct Stamper {
    #[cfg(target_os = "linux")]
    folder: Option<(PathBuf, std::fs::File)>,
    /// The file's name, NUL-ended, in a buffer kept from file to file.
    #[cfg(target_os = "linux")]
    name: Vec<u8>,
}

impl Stamper {
    /// The stamp of the file at `path` (not following a link); `None` when
    /// it cannot be asked this way (the caller then asks the path itself).
    #[cfg(target_os = "linux")]
    pub fn stamp(&mut self, path: &Path) -> Option<Stamp> {
        use std::ffi::CStr;
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::OpenOptionsExt;
        use std::os::unix::io::AsRawFd;

        self.name.clear();
        self.name.extend_from_slice(path.file_name()?.as_bytes());
        self.name.push(0);
        let name = CStr::from_bytes_with_nul(&self.name).ok()?;
        let parent = match path.parent()? {
            p if p.as_os_str().is_empty() => Path::new("."),
            p => p,
        };
        if self.folder.as_ref().is_none_or(|(p, _)| p != parent) {
            self.folder = None;
            let handle = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_PATH | libc::O_DIRECTORY)
                .open(parent)
                .ok()?;
            self.folder = Some((parent.to_path_buf(), handle));
        }
        let (_, folder) = self.folder.as_ref()?;
        let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: the folder's descriptor is open, `name` is a NUL-ended
        // C string, and `stat` is a buffer of the type fstatat fills.
        let rc = unsafe {
            libc::fstatat(
                folder.as_raw_fd(),
                name.as_ptr(),
                stat.as_mut_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            )
        };
        if rc != 0 {
            return None;
        }
        // SAFETY: fstatat returned 0, so it filled the whole buffer.
        let stat = unsafe { stat.assume_init() };
        Some(Stamp::of_stat(&stat))
    }

    #[cfg(not(target_os = "linux"))]
    pub fn stamp(&mut self, _: &Path) -> Option<Stamp> {
        None
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_asked_of_the_folder_is_the_paths_own() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("sub/b.yaml");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(&a, "a: 1\n").unwrap();
        std::fs::write(&b, "b: 22\n").unwrap();
        let link = dir.path().join("sub/link.yaml");
        std::os::unix::fs::symlink(&a, &link).unwrap();
        let mut stamper = Stamper::default();
        for path in [&a, &b, &link, &a] {
            let own = Stamp::of(&std::fs::symlink_metadata(path).unwrap());
            assert_eq!(stamper.stamp(path), own, "{path:?}");
        }
        assert_eq!(stamper.stamp(&dir.path().join("missing.yaml")), None);
        // A file replaced under the same name has another stamp.
        let before = stamper.stamp(&b);
        let fresh = dir.path().join("sub/b.new");
        std::fs::write(&fresh, "b: 23\n").unwrap();
        std::fs::rename(&fresh, &b).unwrap();
        assert_ne!(stamper.stamp(&b), before);
    }
}
