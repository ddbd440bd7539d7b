//! A panic hook that never prints the panic's message: a message built from
//! input (`expect("... {value}")`, an assertion on bytes) could carry a
//! password or decoded Secret bytes, and no secret may ever reach a
//! terminal or a log. The location and, with `RUST_BACKTRACE`, the backtrace (function
//! names only) are enough to report the bug.

use std::backtrace::{Backtrace, BacktraceStatus};
use std::panic::PanicHookInfo;

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

/// Panics with the value of `REGCRED_TEST_PANIC` as the message, so that
/// tests/it/canary.rs can check the hook. Debug builds only: a release binary
/// has neither the code nor the variable's name; `cargo test` runs the debug
/// binaries, so the test still runs there and in CI.
#[cfg(debug_assertions)]
pub fn test_hook() {
    if let Some(message) = std::env::var_os("REGCRED_TEST_PANIC") {
        panic!("{}", message.to_string_lossy());
    }
}

#[cfg(not(debug_assertions))]
pub fn test_hook() {}
