//! What stdin is, for a command that reads it when given no PATH: only a
//! redirected file is read unasked. A pipe is read only when `-` asks for
//! it, because an open pipe that never closes (a CI runner's or an
//! editor's stdin) would make the command wait forever.

use std::io::IsTerminal as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdinKind {
    /// A terminal: the user is typing, nothing was redirected.
    Terminal,
    /// A regular file (`< FILE`): it has an end, reading cannot hang.
    File,
    /// A pipe or a socket: its end comes when the writer closes it, maybe never.
    Pipe,
    /// Anything else (`/dev/null` and other devices, a closed stdin).
    Other,
}

/// The kind of this process's stdin (`fstat` of descriptor 0).
pub fn stdin_kind() -> StdinKind {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return StdinKind::Terminal;
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd as _;
        use std::os::unix::fs::FileTypeExt as _;
        let Ok(fd) = stdin.as_fd().try_clone_to_owned() else {
            return StdinKind::Other;
        };
        let Ok(meta) = std::fs::File::from(fd).metadata() else {
            return StdinKind::Other;
        };
        let t = meta.file_type();
        if t.is_file() {
            StdinKind::File
        } else if t.is_fifo() || t.is_socket() {
            StdinKind::Pipe
        } else {
            StdinKind::Other
        }
    }
    // Elsewhere the kind is not asked: stdin is read as before.
    #[cfg(not(unix))]
    StdinKind::File
}
