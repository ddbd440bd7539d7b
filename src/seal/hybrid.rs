//! sealed-secrets' `HybridEncrypt` (docs/kubernetes.md §6): a fresh random
//! 32-byte AES-256-GCM key seals the value under a zero nonce (the key is
//! used once), RSA-OAEP with SHA-256 and the scope's label wraps the key,
//! and the output is the wrapped key's length (2 bytes, big-endian), the
//! wrapped key, then the GCM ciphertext with its tag.
//!
//! Only the public key is used: no private-key operation happens here
//! (docs/seal.md says why that matters for the choice of crates).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use rsa::rand_core::{CryptoRng, RngCore};
use rsa::{Oaep, RsaPublicKey};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::SealError;

const SESSION_KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;

/// Seals `plaintext` for `key` under `label`, with randomness from `rng`.
pub fn encrypt<R: RngCore + CryptoRng>(
    rng: &mut R,
    key: &RsaPublicKey,
    plaintext: &[u8],
    label: &str,
) -> Result<Vec<u8>, SealError> {
    let mut session_key = Zeroizing::new([0u8; SESSION_KEY_BYTES]);
    rng.try_fill_bytes(session_key.as_mut())
        .map_err(|e| SealError::Encrypt(format!("no random bytes: {e}")))?;
    // Go's EncryptOAEP hashes an empty label exactly as no label.
    let padding = if label.is_empty() {
        Oaep::new::<Sha256>()
    } else {
        Oaep::new_with_label::<Sha256, _>(label)
    };
    let wrapped = key
        .encrypt(rng, padding, session_key.as_ref())
        .map_err(|e| SealError::Encrypt(e.to_string()))?;
    let length = u16::try_from(wrapped.len())
        .map_err(|_| SealError::Encrypt("the RSA key is too large".into()))?;
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(session_key.as_ref()));
    let sealed = cipher
        .encrypt(Nonce::from_slice(&[0u8; NONCE_BYTES]), plaintext)
        .map_err(|_| SealError::Encrypt("AES-GCM refused the value".into()))?;
    let mut out = Vec::with_capacity(2 + wrapped.len() + sealed.len());
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&wrapped);
    out.extend_from_slice(&sealed);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::Aead;
    use rsa::rand_core::OsRng;
    use rsa::RsaPrivateKey;

    /// The inverse, as the controller's `HybridDecrypt` does it: only for
    /// checking the layout here (the independent judge is kubesealpy, in
    /// tests/it/seal.rs).
    fn decrypt(private: &RsaPrivateKey, sealed: &[u8], label: &str) -> Option<Vec<u8>> {
        let (len, rest) = sealed.split_at_checked(2)?;
        let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
        let (wrapped, body) = rest.split_at_checked(len)?;
        let padding = if label.is_empty() {
            Oaep::new::<Sha256>()
        } else {
            Oaep::new_with_label::<Sha256, _>(label)
        };
        let session = private.decrypt(padding, wrapped).ok()?;
        let cipher = Aes256Gcm::new_from_slice(&session).ok()?;
        cipher.decrypt(Nonce::from_slice(&[0u8; 12]), body).ok()
    }

    #[test]
    fn layout_round_trips_and_the_label_binds() {
        let private = RsaPrivateKey::new(&mut OsRng, 1024).expect("test key");
        let public = private.to_public_key();
        let sealed = encrypt(&mut OsRng, &public, b"{\"auths\":{}}", "apps/regcred").unwrap();
        assert_eq!(
            &sealed[..2],
            &[0, 128],
            "1024-bit key: 128-byte wrapped key"
        );
        assert_eq!(sealed.len(), 2 + 128 + 12 + 16, "ciphertext + 16-byte tag");
        assert_eq!(
            decrypt(&private, &sealed, "apps/regcred").as_deref(),
            Some(&b"{\"auths\":{}}"[..])
        );
        assert_eq!(decrypt(&private, &sealed, "apps/other"), None);
        assert_eq!(decrypt(&private, &sealed, ""), None);
        let wide = encrypt(&mut OsRng, &public, b"x", "").unwrap();
        assert_eq!(decrypt(&private, &wide, "").as_deref(), Some(&b"x"[..]));
        // A fresh session key every time.
        let again = encrypt(&mut OsRng, &public, b"{\"auths\":{}}", "apps/regcred").unwrap();
        assert_ne!(sealed, again);
    }
}
