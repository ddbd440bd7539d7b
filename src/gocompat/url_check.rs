//! Whether Go's `net/url.Parse` accepts an `http(s)://` URL: the kubelet's
//! test of a registry key, which it silently skips when the parse fails.
//!
//! Only acceptance is copied (Go 1.19's `parse`, `parseAuthority`,
//! `parseHost`, `unescape`), not the parsed result.

use std::fmt;

/// Why Go's `url.Parse` fails. Describes, never quotes, the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// `net/url: invalid control character in URL`.
    ControlCharacter,
    /// `invalid port ":abc" after host`: a port that is not all digits.
    InvalidPort,
    /// `missing ']' in host`.
    MissingBracket,
    /// `invalid character "x" in host name`.
    InvalidHostCharacter { byte: u8 },
    /// `invalid URL escape "%zz"`.
    InvalidEscape,
    /// `net/url: invalid userinfo`.
    InvalidUserinfo,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::ControlCharacter => write!(f, "it contains a control character"),
            UrlError::InvalidPort => write!(f, "the part after the last ':' is not a port number"),
            UrlError::MissingBracket => write!(f, "it opens an IPv6 '[' without a closing ']'"),
            UrlError::InvalidHostCharacter { byte } => match byte {
                b' ' => write!(f, "the host name contains a space"),
                0x21..=0x7e => write!(f, "the host name contains '{}'", char::from(*byte)),
                _ => write!(f, "the host name contains byte 0x{byte:02x}"),
            },
            UrlError::InvalidEscape => write!(f, "it contains a malformed '%' escape"),
            UrlError::InvalidUserinfo => {
                write!(f, "the part before '@' has characters a URL does not allow")
            }
        }
    }
}

impl std::error::Error for UrlError {}

/// The kubelet's parse of an `auths` key: `https://` is prefixed unless the
/// key starts with `http://` or `https://` (case-sensitive), then `url.Parse`.
pub fn check_registry_key(key: &str) -> Result<(), UrlError> {
    if key.starts_with("https://") || key.starts_with("http://") {
        check_url(key)
    } else {
        check_url(&format!("https://{key}"))
    }
}

/// Go's `url.Parse` acceptance for a string starting with `http://` or
/// `https://` (the scheme is then always valid and an authority follows).
pub fn check_url(raw: &str) -> Result<(), UrlError> {
    let (url, fragment) = raw.split_once('#').unwrap_or((raw, ""));
    if url.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(UrlError::ControlCharacter);
    }
    let rest = url.split_once(':').map_or("", |(_, rest)| rest);
    // Go cuts the query off first; Parse does not validate it.
    let rest = rest.split_once('?').map_or(rest, |(before, _)| before);
    if let Some(after) = rest.strip_prefix("//") {
        let (authority, path) = match after.find('/') {
            Some(i) => after.split_at(i),
            None => (after, ""),
        };
        check_authority(authority)?;
        unescape(path, Mode::Other)?;
    } else {
        unescape(rest, Mode::Other)?;
    }
    if !fragment.is_empty() {
        unescape(fragment, Mode::Other)?;
    }
    Ok(())
}

fn check_authority(authority: &str) -> Result<(), UrlError> {
    match authority.rfind('@') {
        None => check_host(authority),
        Some(i) => {
            check_host(authority.get(i + 1..).unwrap_or(""))?;
            let userinfo = authority.get(..i).unwrap_or("");
            if !userinfo.chars().all(is_userinfo_char) {
                return Err(UrlError::InvalidUserinfo);
            }
            // Go unescapes user and password separately; both need valid escapes.
            for part in userinfo.splitn(2, ':') {
                unescape(part, Mode::Other)?;
            }
            Ok(())
        }
    }
}

fn is_userinfo_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c)
}

fn check_host(host: &str) -> Result<(), UrlError> {
    if host.starts_with('[') {
        let Some(close) = host.rfind(']') else {
            return Err(UrlError::MissingBracket);
        };
        if !valid_optional_port(host.get(close + 1..).unwrap_or("")) {
            return Err(UrlError::InvalidPort);
        }
        if let Some(zone) = host.get(..close).and_then(|h| h.find("%25")) {
            unescape(host.get(..zone).unwrap_or(""), Mode::Host)?;
            unescape(host.get(zone..close).unwrap_or(""), Mode::Zone)?;
            return unescape(host.get(close..).unwrap_or(""), Mode::Host);
        }
    } else if let Some(colon) = host.rfind(':') {
        if !valid_optional_port(host.get(colon..).unwrap_or("")) {
            return Err(UrlError::InvalidPort);
        }
    }
    unescape(host, Mode::Host)
}

fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Host,
    Zone,
    /// Path, fragment, user, password: only the escapes are checked.
    Other,
}

// Go's `unescape`, acceptance only.
fn unescape(s: &str, mode: Mode) -> Result<(), UrlError> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let (Some(&h), Some(&l)) = (bytes.get(i + 1), bytes.get(i + 2)) else {
                return Err(UrlError::InvalidEscape);
            };
            let (Some(hv), Some(lv)) = (unhex(h), unhex(l)) else {
                return Err(UrlError::InvalidEscape);
            };
            let is_25 = h == b'2' && l == b'5';
            // RFC 6874: in a host only non-ASCII bytes may be escaped, and %25.
            if mode == Mode::Host && hv < 8 && !is_25 {
                return Err(UrlError::InvalidEscape);
            }
            if mode == Mode::Zone {
                let v = hv << 4 | lv;
                if !is_25 && v != b' ' && host_byte_needs_escape(v) {
                    return Err(UrlError::InvalidEscape);
                }
            }
            i += 3;
        } else {
            if matches!(mode, Mode::Host | Mode::Zone) && b < 0x80 && host_byte_needs_escape(b) {
                return Err(UrlError::InvalidHostCharacter { byte: b });
            }
            i += 1;
        }
    }
    Ok(())
}

fn unhex(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

// Go's `shouldEscape(c, encodeHost)`.
fn host_byte_needs_escape(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || b"!$&'()*+,;=:[]<>\"-_.~".contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_keys_as_the_kubelet_parses_them() {
        assert_eq!(check_registry_key("reg.io"), Ok(()));
        assert_eq!(check_registry_key("reg.io:5000/v2/team"), Ok(()));
        assert_eq!(check_registry_key("https://index.docker.io/v1/"), Ok(()));
        assert_eq!(check_registry_key("reg.io:abc"), Err(UrlError::InvalidPort));
        assert_eq!(
            check_registry_key("<your-registry-server>"),
            Ok(()),
            "Go allows < and > in hosts"
        );
        assert_eq!(
            check_registry_key("${REGISTRY}"),
            Err(UrlError::InvalidHostCharacter { byte: b'{' })
        );
        assert_eq!(
            check_registry_key("reg io"),
            Err(UrlError::InvalidHostCharacter { byte: b' ' })
        );
        assert_eq!(
            check_registry_key("reg.io/%zz"),
            Err(UrlError::InvalidEscape)
        );
        assert_eq!(check_registry_key("[::1"), Err(UrlError::MissingBracket));
        assert_eq!(check_registry_key("[::1]:5000"), Ok(()));
        assert_eq!(check_registry_key("a\tb"), Err(UrlError::ControlCharacter));
        assert_eq!(
            check_registry_key("u{@reg.io"),
            Err(UrlError::InvalidUserinfo)
        );
    }
}
