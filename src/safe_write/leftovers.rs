//! Temporary files a killed `--fix` left behind.
//!
//! The new content has no name while it is written ([`super::unnamed`]), but
//! it needs one for the rename that replaces the original: a process killed
//! in the microseconds between that link and the rename leaves
//! `.regcred-fix-<PID>-*.tmp`, holding the whole fixed file (Secret data
//! included). So do the named fallback's files after any kill. Before
//! writing into a folder, `--fix` removes the files of that shape whose
//! process is gone: a run that resumes an interrupted one cleans up after
//! it. The original beside such a file was never replaced, so the resumed
//! run fixes it again.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The start of the temporary names `--fix` gives its files
/// ([`super::replace`]): `.regcred-fix-<PID>-*.tmp`.
pub const TEMP_PREFIX: &str = ".regcred-fix-";

/// Folders already cleaned by this process.
static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// The process id in a temporary file name `.regcred-fix-<PID>-*.tmp`.
pub fn owner_pid(name: &str) -> Option<i32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(".tmp")?;
    let (pid, tail) = rest.split_once('-')?;
    if tail.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok().filter(|&p| p > 0)
}

/// Whether process `pid` is gone (not merely someone else's).
fn is_gone(pid: i32) -> bool {
    // SAFETY: kill with signal 0 sends nothing; it only checks the pid.
    let rc = unsafe { libc::kill(pid, 0) };
    rc != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

/// Removes the temporary files in `dir` left by `--fix` processes that no
/// longer run, once per folder and process. Returns how many it removed.
pub fn remove_stale(dir: &Path) -> usize {
    {
        let Ok(mut cleaned) = CLEANED.lock() else {
            return 0;
        };
        if !cleaned
            .get_or_insert_with(HashSet::new)
            .insert(dir.to_path_buf())
        {
            return 0;
        }
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let ours = i32::try_from(std::process::id()).unwrap_or(0);
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner_pid) else {
            continue;
        };
        // Only regular files (never what a link points at).
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if pid != ours && regular && is_gone(pid) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_their_process() {
        assert_eq!(owner_pid(".regcred-fix-123-1a2b0.tmp"), Some(123));
        assert_eq!(owner_pid(".regcred-fix-123-.tmp"), None);
        assert_eq!(owner_pid(".regcred-fix-x1-ab.tmp"), None);
        assert_eq!(owner_pid(".regcred-fix-123-ab.yaml"), None);
        assert_eq!(owner_pid("regcred-fix-123-ab.tmp"), None);
    }

    #[test]
    fn only_files_of_gone_processes_go() {
        let dir = tempfile::tempdir().unwrap();
        // A child that has exited and been reaped: its pid is gone.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".regcred-fix-{gone}-0.tmp"));
        let live = dir
            .path()
            .join(format!(".regcred-fix-{}-0.tmp", std::process::id()));
        let other = dir.path().join("keep.tmp");
        for p in [&stale, &live, &other] {
            std::fs::write(p, "x").unwrap();
        }
        if is_gone(i32::try_from(gone).unwrap()) {
            assert_eq!(remove_stale(dir.path()), 1);
            assert!(!stale.exists());
        }
        assert!(live.exists() && other.exists());
        // Once per folder.
        std::fs::write(&stale, "x").unwrap();
        assert_eq!(remove_stale(dir.path()), 0);
    }
}
