//! The one reader for every input regcred takes: files to lint, stdin,
//! `.regcred.yaml` and `--config`, password files and stdin, Docker
//! configs (`--from-config`, `configFiles`, kustomize generator files), the
//! plugin's config, `regcred-fn`'s ResourceList and a credential helper's
//! answer (docs/limits.md lists each limit).
//!
//! - A file is opened for what it is: non-blocking (a FIFO is refused, not
//!   waited on), then checked on the opened descriptor (`fstat`), so a path
//!   swapped after a check cannot slip a device or a FIFO in. Only regular
//!   files are read; with [`Follow::No`] a symbolic link is refused too.
//! - At most the limit plus one byte is read (to know it was passed), so
//!   memory stays bounded even for `/dev/zero` behind a pipe or a file that
//!   grows while it is read. The error names the limit and where to change
//!   it, if anywhere.
//! - Secrets are read into [`Zeroizing`] buffers that never leave an old
//!   copy behind when they grow.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use zeroize::{Zeroize, Zeroizing};

/// How many bytes an input may have, and what the limit is called in an
/// error (where to change it, or why it is what it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u64,
    pub name: &'static str,
}

impl Limit {
    /// A password (file or stdin): a Secret holds at most 1 MiB.
    pub const PASSWORD: Limit = Limit {
        max: 1 << 20,
        name: "a Secret holds at most 1 MiB",
    };
    /// A Docker config read by `create` or the generators.
    pub const DOCKER_CONFIG: Limit = Limit {
        max: 16 << 20,
        name: "the limit for a Docker config file",
    };
    /// `.regcred.yaml`, `lint --config`, the exec plugin's config.
    pub const CONFIG: Limit = Limit {
        max: 1 << 20,
        name: "the limit for a configuration file",
    };
    /// `regcred-fn`'s ResourceList on stdin.
    pub const RESOURCE_LIST: Limit = Limit {
        max: 64 << 20,
        name: "the limit for a ResourceList",
    };
    /// A credential helper's answer (and its error output).
    pub const HELPER_OUTPUT: Limit = Limit {
        max: 1 << 20,
        name: "the limit for a credential helper's answer",
    };
}

/// Whether the last component of a path may be a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    Yes,
    /// Refused with [`ReadError::Link`] (`O_NOFOLLOW`): for a path already
    /// resolved, or one a walk saw as a file.
    No,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("{kind}, not a regular file")]
    NotRegular { kind: &'static str },
    #[error("a symbolic link, not followed here")]
    Link,
    #[error("larger than {max} bytes ({name})")]
    TooLarge { max: u64, name: &'static str },
}

impl ReadError {
    pub fn too_large(&self) -> bool {
        matches!(self, ReadError::TooLarge { .. })
    }
}

/// What a file type is, in words.
fn kind_name(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else if meta.file_type().is_symlink() {
        "a symbolic link"
    } else {
        "not a file"
    }
}

/// What is at `path` when it is not a regular file (`lstat`, no read):
/// `None` for a regular file or a link to one, and when nothing is there.
pub fn not_regular(path: &Path) -> Option<&'static str> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if meta.is_file() {
        return None;
    }
    Some(kind_name(&meta))
}

/// Opens `path` for reading if it is a regular file, checked on the opened
/// descriptor.
pub fn open_regular(path: &Path, follow: Follow) -> Result<File, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
        if follow == Follow::No {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    let file = options.open(path).map_err(|e| {
        // O_NOFOLLOW on a link fails with ELOOP.
        #[cfg(unix)]
        if follow == Follow::No
            && e.raw_os_error() == Some(libc::ELOOP)
            && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        {
            return ReadError::Link;
        }
        ReadError::Io(e)
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_name(&meta),
        });
    }
    Ok(file)
}

/// Reads a regular file of at most `limit` bytes.
pub fn read_file(path: &Path, limit: Limit, follow: Follow) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path, follow)?;
    let size = file.metadata().map_or(0, |m| m.len());
    // Refused before reading a byte when the size is known.
    if size > limit.max {
        return Err(too_large(limit));
    }
    read_stream(file, limit, size)
}

/// [`read_file`] for a file that holds secrets.
pub fn read_secret_file(
    path: &Path,
    limit: Limit,
    follow: Follow,
) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    let file = open_regular(path, follow)?;
    let size = file.metadata().map_or(0, |m| m.len());
    if size > limit.max {
        return Err(too_large(limit));
    }
    read_secret_stream(file, limit, size)
}

/// Reads `reader` to its end, at most `limit` bytes. `size_hint` (the
/// file's size, or 0) sizes the buffer so that a regular file is read
/// without regrowth.
pub fn read_stream(reader: impl Read, limit: Limit, size_hint: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(initial_capacity(limit, size_hint));
    reader
        .take(limit.max.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit.max {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// [`read_stream`] for secrets: every buffer that held a byte is zeroed
/// before it is freed, including the ones outgrown while reading.
pub fn read_secret_stream(
    mut reader: impl Read,
    limit: Limit,
    size_hint: u64,
) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(initial_capacity(limit, size_hint)));
    let mut chunk = Zeroizing::new([0u8; 8192]);
    loop {
        let n = match reader.read(&mut chunk[..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if (bytes.len() + n) as u64 > limit.max {
            return Err(too_large(limit));
        }
        if bytes.len() + n > bytes.capacity() {
            let mut grown = Vec::with_capacity((bytes.len() + n).max(bytes.capacity() * 2));
            grown.extend_from_slice(&bytes);
            bytes.zeroize();
            *bytes = grown;
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
    Ok(bytes)
}

/// The capacity to start with: the expected size and one byte for the end
/// of file read, capped (a sparse file may claim any size).
fn initial_capacity(limit: Limit, size_hint: u64) -> usize {
    const MAX_PREALLOCATION: u64 = 16 << 20;
    usize::try_from(size_hint.min(limit.max).min(MAX_PREALLOCATION) + 1).unwrap_or(0)
}

fn too_large(limit: Limit) -> ReadError {
    ReadError::TooLarge {
        max: limit.max,
        name: limit.name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: Limit = Limit {
        max: 4,
        name: "test",
    };

    #[test]
    fn stream_at_and_over_the_limit() {
        assert_eq!(read_stream(&b"abcd"[..], TINY, 0).unwrap(), b"abcd");
        let e = read_stream(&b"abcde"[..], TINY, 0).unwrap_err();
        assert_eq!(e.to_string(), "larger than 4 bytes (test)");
        assert_eq!(
            read_secret_stream(&b"abcd"[..], TINY, 0)
                .unwrap()
                .as_slice(),
            b"abcd"
        );
        assert!(read_secret_stream(&b"abcde"[..], TINY, 0)
            .unwrap_err()
            .too_large());
    }

    #[test]
    fn secret_stream_grows_past_its_first_buffer() {
        let data: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
        let limit = Limit {
            max: 1 << 20,
            name: "test",
        };
        let read = read_secret_stream(&data[..], limit, 0).unwrap();
        assert_eq!(read.as_slice(), &data[..]);
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_links_are_refused() {
        let e = read_file(Path::new("/dev/zero"), TINY, Follow::Yes).unwrap_err();
        assert_eq!(e.to_string(), "a character device, not a regular file");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo(3) with a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // No writer: a blocking open would wait forever.
        let e = read_file(&fifo, TINY, Follow::Yes).unwrap_err();
        assert_eq!(e.to_string(), "a FIFO, not a regular file");
        let file = dir.path().join("a");
        std::fs::write(&file, b"ok").unwrap();
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert_eq!(read_file(&link, TINY, Follow::Yes).unwrap(), b"ok");
        assert!(matches!(
            read_file(&link, TINY, Follow::No),
            Err(ReadError::Link)
        ));
        assert!(matches!(
            read_file(dir.path(), TINY, Follow::Yes),
            Err(ReadError::NotRegular {
                kind: "a directory"
            })
        ));
        std::fs::write(&file, b"12345").unwrap();
        assert!(read_file(&file, TINY, Follow::No).unwrap_err().too_large());
    }
}
