//! A new file of credentials (`create --output-file`): mode 0600 whatever
//! the umask, atomically (a reader or a crash sees the old file or the
//! complete new one), and no temporary file left behind, even when the
//! process is killed.
//!
//! On Linux the content goes into an unnamed file ([`super::unnamed`]) in
//! the target's folder, written and synced before it gets a name: killed
//! before that point, the kernel frees it and nothing was ever visible.
//! Without `replace` the link *is* the final step (it fails if the target
//! exists, so nothing is clobbered). With `replace` the file is linked under
//! a temporary name and renamed over the target; only a kill in the
//! microseconds between those two calls can leave a `.regcred-*.tmp` file
//! (documented in docs/limits.md). Where `O_TMPFILE` or `/proc` is missing,
//! a named temporary file (`.regcred-XXXXXX`) is written and renamed
//! instead: removed on every error, but left by a kill.

use std::fs::{File, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::{hooks, unnamed};

/// The prefix of the temporary names.
const TEMP_PREFIX: &str = ".regcred-";

/// What went wrong. `Exists` and `NotRegular` name only the path: the
/// caller says which of its options would change the answer.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot create a file in {dir}: {source}")]
    Create { dir: String, source: io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: io::Error },
    #[error("{path} already exists")]
    Exists { path: String },
    #[error("{path} is {kind}, not a regular file")]
    NotRegular { path: String, kind: &'static str },
}

/// Writes `bytes` to `path`, mode 0600, atomically; replaces an existing
/// regular file only when `replace`, never anything else (a device, a FIFO,
/// a folder or a symbolic link: renaming over `/dev/null` or `/dev/stdout`
/// would replace the device node or the link itself).
pub fn write(path: &Path, bytes: &[u8], replace: bool) -> Result<(), WriteError> {
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
    let created = unnamed::create_in(dir).map_err(|source| WriteError::Create {
        dir: dir.display().to_string(),
        source,
    })?;
    match created {
        Some(file) => write_unnamed(file, dir, path, bytes, replace),
        None => write_named(dir, path, bytes, replace),
    }
}

fn write_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Write {
        path: path.display().to_string(),
        source,
    }
}

fn exists_or_write_error(path: &Path, e: io::Error) -> WriteError {
    match e.kind() {
        io::ErrorKind::AlreadyExists => WriteError::Exists {
            path: path.display().to_string(),
        },
        _ => write_error(path)(e),
    }
}

/// The content, mode exactly 0600 (the mode given at creation is filtered
/// by the umask only towards fewer rights; set it again to be exact).
fn fill(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.set_permissions(Permissions::from_mode(0o600))?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn write_unnamed(
    mut file: File,
    dir: &Path,
    path: &Path,
    bytes: &[u8],
    replace: bool,
) -> Result<(), WriteError> {
    fill(&mut file, bytes).map_err(write_error(path))?;
    hooks::pause_before_rename();
    if !replace {
        return unnamed::link_as(&file, path).map_err(|e| exists_or_write_error(path, e));
    }
    let tmp_name = unnamed::link_in(&file, dir, TEMP_PREFIX).map_err(write_error(path))?;
    let renamed = std::fs::rename(&tmp_name, path);
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp_name);
    }
    renamed.map_err(write_error(path))
}

fn write_named(dir: &Path, path: &Path, bytes: &[u8], replace: bool) -> Result<(), WriteError> {
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .permissions(Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|source| WriteError::Create {
            dir: dir.display().to_string(),
            source,
        })?;
    fill(tmp.as_file_mut(), bytes).map_err(write_error(path))?;
    hooks::pause_before_rename();
    let persisted = if replace {
        tmp.persist(path).map(|_| ())
    } else {
        tmp.persist_noclobber(path).map(|_| ())
    };
    persisted.map_err(|e| exists_or_write_error(path, e.error))
}
