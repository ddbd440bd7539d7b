//! Content-hash name suffixes: kubectl's `--append-hash` and kustomize's
//! generator hash. Both take the SHA-256 of Go's `json.Marshal` of a map
//! `{"data":{KEY:VALUE},"kind":"Secret","name":NAME,"type":TYPE}` (map keys
//! sorted) and keep ten hex digits, with some letters swapped so that the
//! suffix is never all digits or a rude word.

use sha2::{Digest, Sha256};

use crate::gocompat::json::{self, CompactObject};

/// `encodeHash` in k8s.io/kubectl/pkg/util/hash.
fn encode_hash(digest: &[u8]) -> String {
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    hex.chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            other => other,
        })
        .collect()
}

fn hash_of(name: &str, secret_type: &str, data: &[(&str, &str)]) -> String {
    let mut sorted = data.to_vec();
    sorted.sort();
    let mut data_obj = CompactObject::new();
    for (k, v) in sorted {
        data_obj.string(k.as_bytes(), v.as_bytes());
    }
    let mut o = CompactObject::new();
    o.raw(b"data", &data_obj.finish())
        .raw(b"kind", &json::string(b"Secret"))
        .string(b"name", name.as_bytes())
        .string(b"type", secret_type.as_bytes());
    encode_hash(&Sha256::digest(o.finish()))
}

/// kubectl's suffix: the real name and the base64 of the value.
pub fn kubectl_secret_hash(name: &str, secret_type: &str, key: &str, base64_value: &str) -> String {
    hash_of(name, secret_type, &[(key, base64_value)])
}

/// kustomize's suffix: the name hashed as "" and the values as stored.
pub fn kustomize_secret_hash(secret_type: &str, data: &[(&str, &str)]) -> String {
    hash_of("", secret_type, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_vector() {
        // registry.example.com / alice / s3cret, no email (docs/kubernetes.md §3).
        let payload = br#"{"auths":{"registry.example.com":{"username":"alice","password":"s3cret","auth":"YWxpY2U6czNjcmV0"}}}"#;
        let b64 = crate::gocompat::base64::encode(payload);
        assert_eq!(
            kubectl_secret_hash(
                "regcred",
                "kubernetes.io/dockerconfigjson",
                ".dockerconfigjson",
                &b64
            ),
            "548g9m2btc"
        );
    }

    #[test]
    fn kustomize_vector() {
        assert_eq!(
            kustomize_secret_hash("Opaque", &[("a", "Yg==")]),
            "k695gkmbtk"
        );
    }
}
