//! The sealing certificate: the PEM `kubeseal --fetch-cert` prints. Read as
//! kubeseal's `ParseKey` reads it: the first `CERTIFICATE` block, its key
//! must be RSA, and it must not have expired (its start date is not checked,
//! as kubeseal does not check it).

use std::path::Path;
use std::time::SystemTime;

use rsa::pkcs1::der::Decode;
use rsa::{BigUint, RsaPublicKey};
use x509_cert::der::DecodePem;
use x509_cert::Certificate;

use super::SealError;
use crate::bounded_read::{read_file, Follow, Limit};

/// A PEM certificate is a few kilobytes; anything far larger is not one.
const CERTIFICATE_LIMIT: Limit = Limit {
    max: 1 << 20,
    name: "a sealing certificate is a few kilobytes; give the PEM `kubeseal --fetch-cert` prints",
};
/// The rsa crate's default ceiling is 4096 bits, the controller's default
/// key size; the controller can be configured for larger keys.
const MAX_KEY_BITS: usize = 16384;

const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
const END: &[u8] = b"-----END CERTIFICATE-----";

/// The controller's public key, checked.
#[derive(Debug, Clone)]
pub struct SealingKey {
    pub key: RsaPublicKey,
}

impl SealingKey {
    /// Reads and checks the certificate at `path` against the clock. Read
    /// as every input is ([`crate::bounded_read`]): a regular file only (a
    /// FIFO with no writer is refused, not waited on), at most 1 MiB.
    pub fn read(path: &Path) -> Result<SealingKey, SealError> {
        let shown = path.display().to_string();
        let bytes =
            read_file(path, CERTIFICATE_LIMIT, Follow::Yes).map_err(|source| SealError::Read {
                path: shown.clone(),
                source,
            })?;
        SealingKey::from_pem(&bytes, &shown, SystemTime::now())
    }

    /// Checks the PEM `bytes` (named `shown` in errors) at time `now`.
    pub fn from_pem(bytes: &[u8], shown: &str, now: SystemTime) -> Result<SealingKey, SealError> {
        let block = first_certificate_block(bytes).ok_or_else(|| SealError::NoCertificate {
            path: shown.to_string(),
        })?;
        let parse_error = |reason: String| SealError::Parse {
            path: shown.to_string(),
            reason,
        };
        let cert = Certificate::from_pem(block).map_err(|e| parse_error(e.to_string()))?;
        let tbs = &cert.tbs_certificate;
        let spki = &tbs.subject_public_key_info;
        if spki.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
            return Err(SealError::NotRsa {
                path: shown.to_string(),
                algorithm: algorithm_name(&spki.algorithm.oid.to_string()),
            });
        }
        let not_after = tbs.validity.not_after;
        if now > not_after.to_system_time() {
            return Err(SealError::Expired {
                path: shown.to_string(),
                expired: not_after.to_date_time().to_string(),
            });
        }
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| parse_error("the public key is not a whole number of bytes".into()))?;
        let pkcs1 = rsa::pkcs1::RsaPublicKey::from_der(bits)
            .map_err(|e| parse_error(format!("the RSA public key: {e}")))?;
        let key = RsaPublicKey::new_with_max_size(
            BigUint::from_bytes_be(pkcs1.modulus.as_bytes()),
            BigUint::from_bytes_be(pkcs1.public_exponent.as_bytes()),
            MAX_KEY_BITS,
        )
        .map_err(|e| parse_error(format!("the RSA public key: {e}")))?;
        Ok(SealingKey { key })
    }
}

/// The first `-----BEGIN CERTIFICATE-----` ... `-----END CERTIFICATE-----`
/// block; other PEM blocks (a key, a chain's text) are skipped, as Go's
/// `cert.ParseCertsPEM` skips them.
fn first_certificate_block(bytes: &[u8]) -> Option<&[u8]> {
    let start = memchr::memmem::find(bytes, BEGIN)?;
    let rest = bytes.get(start..)?;
    let end = memchr::memmem::find(rest, END)? + END.len();
    rest.get(..end)
}

fn algorithm_name(oid: &str) -> String {
    let name = match oid {
        "1.2.840.10045.2.1" => "ECDSA",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS (a signing-only key)",
        _ => return format!("the algorithm {oid}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_certificate_is_an_error_naming_the_file() {
        let err = SealingKey::from_pem(b"hello", "cert.pem", SystemTime::now()).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("cert.pem holds no PEM certificate"));
        let err = SealingKey::from_pem(
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "c.pem",
            SystemTime::now(),
        )
        .unwrap_err();
        assert!(matches!(err, SealError::Parse { .. }), "{err}");
    }

    #[test]
    fn expiry_is_checked_against_the_clock() {
        let pem = include_bytes!("../../fixtures/seal/controller.pem");
        let key = SealingKey::from_pem(pem, "c.pem", SystemTime::now()).expect("valid");
        assert_eq!(rsa::traits::PublicKeyParts::size(&key.key), 512);
        // The fixture is valid for 100 years from 2026.
        let later = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(5_000_000_000);
        let err = SealingKey::from_pem(pem, "c.pem", later).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.pem: the certificate expired on 2126-"),
            "{err}"
        );
        // Only the first certificate counts; other PEM blocks before it are
        // skipped.
        let mut with_key =
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".to_vec();
        with_key.extend_from_slice(pem);
        assert!(SealingKey::from_pem(&with_key, "c.pem", SystemTime::now()).is_ok());
    }
}
