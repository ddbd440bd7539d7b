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
