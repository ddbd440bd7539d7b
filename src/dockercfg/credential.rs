//! One registry's username and password, held in zeroizing buffers.

use std::fmt;

use zeroize::Zeroizing;

/// Credentials for one registry. The password (and, to be safe, the
/// username) are wiped from memory on drop; `Debug` never shows them.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub username: Zeroizing<Vec<u8>>,
    pub password: Zeroizing<Vec<u8>>,
    pub email: Vec<u8>,
}

impl Credential {
    pub fn new(username: Vec<u8>, password: Vec<u8>, email: Vec<u8>) -> Self {
        Credential {
            username: Zeroizing::new(username),
            password: Zeroizing::new(password),
            email,
        }
    }

    /// `username:password`, the text the `auth` field encodes.
    pub fn auth_text(&self) -> Zeroizing<Vec<u8>> {
        let mut text = Zeroizing::new(Vec::with_capacity(
            self.username.len() + 1 + self.password.len(),
        ));
        text.extend_from_slice(&self.username);
        text.push(b':');
        text.extend_from_slice(&self.password);
        text
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("username", &format_args!("<{} bytes>", self.username.len()))
            .field("password", &format_args!("<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let c = Credential::new(b"alice".to_vec(), b"s3cret".to_vec(), vec![]);
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("alice") && !shown.contains("s3cret"),
            "{shown}"
        );
        assert_eq!(&*c.auth_text(), b"alice:s3cret");
    }
}
