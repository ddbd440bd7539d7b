//! Running regcred as an unprivileged user, so that a file without read
//! permission is unreadable even when the tests run as root (as CI does).

use std::path::Path;

use super::require;

/// Whether the tests run as root, who reads every file and may make device nodes.
pub fn is_root() -> bool {
    // SAFETY: geteuid(2) has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// `program` as a command of an unprivileged user: as root through
/// `setpriv --reuid=65534 --regid=65534 --clear-groups` (nobody), else as
/// is. `None` (after the common skip) when root has no setpriv. The caller
/// makes what nobody must reach readable (a temporary folder is 0700).
pub fn unprivileged(program: &Path) -> Option<assert_cmd::Command> {
    if !is_root() {
        return Some(assert_cmd::Command::new(program));
    }
    let setpriv = require(
        "setpriv",
        "dropping root to test unreadable files (util-linux)",
    )?;
    let mut cmd = assert_cmd::Command::new(setpriv);
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(program);
    Some(cmd)
}
