//! A file's identity as the file system tells it without reading it: device,
//! inode, size, permissions, modification and change times (nanoseconds).
//! Any write, replacement or rename into place changes one of them; the
//! change time cannot be set back by `touch`. A file changed within
//! [`RACY`] of the run is not cached at all, so that an edit made in the
//! same clock tick as our read is never hidden behind an equal stamp (git's
//! "racy clean" problem).

use std::fs::Metadata;
use std::time::{Duration, SystemTime};

use super::wire::{Reader, Writer};

/// How recent a change may be and its file still be cached.
pub const RACY: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mode: u32,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    /// The stamp of `metadata`; `None` where the platform gives no inode
    /// and change time (such files are not cached).
    #[cfg(unix)]
    pub fn of(metadata: &Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        Some(Stamp {
            dev: metadata.dev(),
            ino: metadata.ino(),
            size: metadata.size(),
            mode: metadata.mode(),
            mtime: (metadata.mtime(), metadata.mtime_nsec()),
            ctime: (metadata.ctime(), metadata.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &Metadata) -> Option<Stamp> {
        None
    }

    /// The stamp of what `fstatat` filled in: the same as [`Stamp::of`]
    /// the same file's metadata.
    #[cfg(target_os = "linux")]
    pub fn of_stat(stat: &libc::stat) -> Stamp {
        Stamp {
            dev: stat.st_dev,
            ino: stat.st_ino,
            size: stat.st_size as u64,
            mode: stat.st_mode,
            mtime: (stat.st_mtime, stat.st_mtime_nsec),
            ctime: (stat.st_ctime, stat.st_ctime_nsec),
        }
    }

    /// Whether the file changed too close to `started` (or after it) for
    /// its stamp to prove its content.
    pub fn is_racy(&self, started: SystemTime) -> bool {
        let Ok(since) = started.duration_since(SystemTime::UNIX_EPOCH) else {
            return true;
        };
        let Some(limit) = since.checked_sub(RACY) else {
            return true;
        };
        let limit = (limit.as_secs() as i64, i64::from(limit.subsec_nanos()));
        self.mtime >= limit || self.ctime >= limit
    }

    pub fn write(&self, w: &mut Writer) {
        w.number(self.dev);
        w.number(self.ino);
        w.number(self.size);
        w.number(u64::from(self.mode));
        for (s, ns) in [self.mtime, self.ctime] {
            w.signed(s);
            w.signed(ns);
        }
    }

    pub fn read(r: &mut Reader<'_>) -> Option<Stamp> {
        Some(Stamp {
            dev: r.number()?,
            ino: r.number()?,
            size: r.number()?,
            mode: u32::try_from(r.number()?).ok()?,
            mtime: (r.signed()?, r.signed()?),
            ctime: (r.signed()?, r.signed()?),
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_reads_back_and_fresh_files_are_racy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "a: 1\n").unwrap();
        let stamp = Stamp::of(&std::fs::metadata(&path).unwrap()).unwrap();
        let mut w = Writer::default();
        stamp.write(&mut w);
        assert_eq!(Stamp::read(&mut Reader::new(&w.bytes)), Some(stamp));
        assert!(stamp.is_racy(SystemTime::now()));
        assert!(!stamp.is_racy(SystemTime::now() + RACY * 2));
    }
}
