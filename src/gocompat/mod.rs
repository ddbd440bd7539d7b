//! Byte-exact copies of the Go standard library behaviours that the API
//! server, the kubelet and kubectl apply to pull secrets.

pub mod base64;
pub mod filepath_match;
pub mod json;
pub mod json_fold;
pub mod json_tree;
pub mod json_value;
pub mod url;
pub mod yaml_quote;
pub mod yaml_resolve;

/// The UTF-8 byte order mark, as bytes. go-yaml skips it at the start of a
/// stream, so kubectl reads the manifest after it; Go's `encoding/json`
/// rejects it, so the API server and the kubelet refuse a Docker config
/// that starts with it. The one definition: every reader here uses it.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` after a leading UTF-8 byte order mark, if any.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)
}
