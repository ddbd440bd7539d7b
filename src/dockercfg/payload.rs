//! The payloads kubectl writes: `{"auths":{SERVER:ENTRY}}` for
//! `.dockerconfigjson`, a bare `{SERVER:ENTRY}` for the legacy `.dockercfg`.
//!
//! kubectl marshals a Go `map[string]DockerConfigEntry` whose fields are all
//! `omitempty`, in the order username, password, email, auth; map keys come
//! out sorted bytewise.

use zeroize::Zeroizing;

use super::Credential;
use crate::gocompat::{base64, json};

/// Which payload shape, and the Secret `data` key and `type` that go with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    DockerConfigJson,
    DockerCfg,
}

impl PayloadKind {
    pub fn data_key(self) -> &'static str {
        match self {
            PayloadKind::DockerConfigJson => ".dockerconfigjson",
            PayloadKind::DockerCfg => ".dockercfg",
        }
    }

    pub fn secret_type(self) -> &'static str {
        match self {
            PayloadKind::DockerConfigJson => "kubernetes.io/dockerconfigjson",
            PayloadKind::DockerCfg => "kubernetes.io/dockercfg",
        }
    }
}

fn entry(out: &mut Vec<u8>, c: &Credential) {
    let mut o = json::CompactObject::new();
    if !c.username.is_empty() {
        o.string(b"username", &c.username);
    }
    if !c.password.is_empty() {
        o.string(b"password", &c.password);
    }
    if !c.email.is_empty() {
        o.string(b"email", &c.email);
    }
    // `auth` encodes the raw bytes, even where the JSON strings above had
    // to replace invalid UTF-8 with U+FFFD.
    let auth = Zeroizing::new(base64::encode(&c.auth_text()));
    o.string(b"auth", auth.as_bytes());
    let bytes = Zeroizing::new(o.finish());
    out.extend_from_slice(&bytes);
}

/// Compact payload for `entries`, sorted by server as Go sorts map keys.
/// Servers must be distinct.
pub fn build(kind: PayloadKind, entries: &[(Vec<u8>, Credential)]) -> Zeroizing<Vec<u8>> {
    let mut sorted: Vec<&(Vec<u8>, Credential)> = entries.iter().collect();
    // Go marshals map keys after converting them to strings; invalid UTF-8
    // in a key is replaced on output but sorted by the raw bytes.
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut map = Zeroizing::new(Vec::new());
    map.push(b'{');
    for (i, (server, cred)) in sorted.iter().enumerate() {
        if i > 0 {
            map.push(b',');
        }
        json::write_string(&mut map, server);
        map.push(b':');
        entry(&mut map, cred);
    }
    map.push(b'}');
    match kind {
        PayloadKind::DockerCfg => map,
        PayloadKind::DockerConfigJson => {
            let mut out = Zeroizing::new(Vec::with_capacity(map.len() + 10));
            out.extend_from_slice(b"{\"auths\":");
            out.extend_from_slice(&map);
            out.push(b'}');
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_shape() {
        let c = Credential::new(b"alice".to_vec(), b"s3cret".to_vec(), vec![]);
        let p = build(
            PayloadKind::DockerConfigJson,
            &[(b"registry.example.com".to_vec(), c.clone())],
        );
        assert_eq!(
            &*p,
            br#"{"auths":{"registry.example.com":{"username":"alice","password":"s3cret","auth":"YWxpY2U6czNjcmV0"}}}"#
        );
        let c = Credential::new(b"u".to_vec(), b"p".to_vec(), b"e@x".to_vec());
        let p = build(
            PayloadKind::DockerCfg,
            &[(b"b".to_vec(), c.clone()), (b"a".to_vec(), c)],
        );
        assert_eq!(
            &*p,
            br#"{"a":{"username":"u","password":"p","email":"e@x","auth":"dTpw"},"b":{"username":"u","password":"p","email":"e@x","auth":"dTpw"}}"#
        );
    }
}
