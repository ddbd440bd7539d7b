//! `regcred lint --format json`, the report the tests read findings from.

use std::path::Path;

use serde_json::Value;

use super::regcred_cmd;

/// `regcred lint --format json ARGS` run in `dir`: the report (`Null` when
/// standard output is not JSON) and the exit code (-1 for a signal).
pub fn lint_json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = regcred_cmd()
        .current_dir(dir)
        .args(["lint", "--format", "json"])
        .args(args)
        .output()
        .expect("run regcred");
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (report, out.status.code().unwrap_or(-1))
}

/// The report's findings (none when it has no `findings` array).
pub fn findings(report: &Value) -> &[Value] {
    report["findings"].as_array().map_or(&[], Vec::as_slice)
}

/// A finding's text field, "" when absent.
pub fn field(finding: &Value, key: &str) -> String {
    finding[key].as_str().unwrap_or("").to_string()
}
