//! A panic hook that never prints the panic's message: a message built from
//! input (`expect("... {value}")`, an assertion on bytes) could carry a
//! password or decoded Secret bytes, and no secret may ever reach a
//! terminal or a log. The location and, with `RUST_BACKTRACE`, the backtrace (function
//! names only) are enough to report the bug.

use std::backtrace::{Backtrace, BacktraceStatus};
use std::panic::PanicHookInfo;

/// Environment variable that makes a debug build panic with its value as
/// the message, so tests can check the hook. Ignored by release builds.
pub const TEST_PANIC_VAR: &str = "REGCRED_TEST_PANIC";

pub fn install() {
    std::panic::set_hook(Box::new(report));
}

fn report(info: &PanicHookInfo<'_>) {
    let at = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    eprintln!(
        "error: internal error{at}: regcred panicked; this is a bug, please report it (the panic message is not shown, it could hold secret data)"
    );
    let backtrace = Backtrace::capture();
    if backtrace.status() == BacktraceStatus::Captured {
        eprintln!("{backtrace}");
    }
}

/// Panics with the value of [`TEST_PANIC_VAR`] in debug builds.
pub fn test_hook() {
    if cfg!(debug_assertions) {
        if let Some(message) = std::env::var_os(TEST_PANIC_VAR) {
            panic!("{}", message.to_string_lossy());
        }
    }
}
