//! The parts of Go's `net/url.Parse` (Go 1.19) and `net.SplitHostPort` that
//! the kubelet's credential keyring relies on.
//!
//! The kubelet prefixes every `auths` key with `https://` and parses it with
//! `url.Parse`; a key that fails is skipped without a word. It then rebuilds a
//! key from `Host + Path` and parses that again when matching. Both steps must
//! be copied exactly: a URL crate would lower-case the host, clean the path
//! and accept or reject different inputs.
//!
//! Go strings are byte strings: `%FF` in a host unescapes to a byte that is
//! not UTF-8, so the parsed parts are `Vec<u8>`.

use std::fmt;

/// Why Go's `url.Parse` rejects an input, in Go's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// A byte below 0x20 or 0x7f anywhere in the input.
    ControlCharacter,
    /// The input starts with `:`.
    MissingScheme,
    /// A relative URL whose first segment holds a `:`.
    ColonInFirstSegment,
    /// `%` not followed by two hex digits, or a `%`-escape Go forbids in a
    /// host (ASCII bytes may not be escaped there, `%25` aside).
    InvalidEscape(Vec<u8>),
    /// A byte not allowed in a host name (space, `/`-less oddities, `%` alone...).
    InvalidHostCharacter(u8),
    /// `[` opens an IPv6 literal that is never closed.
    MissingBracket,
    /// What follows the host's last `:` (or the `]`) is not `:` and digits.
    InvalidPort(Vec<u8>),
    /// The user information before `@` holds a byte Go does not allow there.
    InvalidUserinfo,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::ControlCharacter => f.write_str("net/url: invalid control character in URL"),
            UrlError::MissingScheme => f.write_str("missing protocol scheme"),
            UrlError::ColonInFirstSegment => {
                f.write_str("first path segment in URL cannot contain colon")
            }
            UrlError::InvalidEscape(s) => write!(f, "invalid URL escape {}", go_quote(s)),
            UrlError::InvalidHostCharacter(b) => {
                write!(f, "invalid character {} in host name", go_quote(&[*b]))
            }
            UrlError::MissingBracket => f.write_str("missing ']' in host"),
            UrlError::InvalidPort(p) => write!(f, "invalid port {} after host", go_quote(p)),
            UrlError::InvalidUserinfo => f.write_str("net/url: invalid userinfo"),
        }
    }
}

impl std::error::Error for UrlError {}

/// Go's `strconv.Quote` for ASCII (short escapes, `\xNN` for other control
/// bytes); non-ASCII text is kept and invalid bytes become `\xNN`.
fn go_quote(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\u{07}' => out.push_str("\\a"),
                '\u{08}' => out.push_str("\\b"),
                '\u{0c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{0b}' => out.push_str("\\v"),
                c if (c as u32) < 0x20 || c == '\u{7f}' => {
                    out.push_str(&format!("\\x{:02x}", c as u32))
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

/// The fields of Go's `url.URL` the kubelet reads, plus enough to test parity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Url {
    /// Lower-cased, as Go does.
    pub scheme: Vec<u8>,
    /// Set for `scheme:rest` without `/` after the colon.
    pub opaque: Vec<u8>,
    /// `host[:port]`, unescaped, case kept.
    pub host: Vec<u8>,
    /// Unescaped path (`%2F` becomes `/`).
    pub path: Vec<u8>,
    pub raw_query: Vec<u8>,
    pub fragment: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    Fragment,
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// Go's `shouldEscape` for the modes parsing uses.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

/// Go's `unescape`: validates every `%` first, then decodes.
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, UrlError> {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'%' {
            let (Some(&h1), Some(&h2)) = (s.get(i + 1), s.get(i + 2)) else {
                return Err(UrlError::InvalidEscape(
                    s[i..].iter().take(3).copied().collect(),
                ));
            };
            if !is_hex(h1) || !is_hex(h2) {
                return Err(UrlError::InvalidEscape(s[i..i + 3].to_vec()));
            }
            let escape = &s[i..i + 3];
            // RFC 3986: a host may %-encode only non-ASCII bytes; RFC 6874
            // adds %25 for IPv6 zones.
            if mode == Mode::Host && unhex(h1) < 8 && escape != b"%25" {
                return Err(UrlError::InvalidEscape(escape.to_vec()));
            }
            if mode == Mode::Zone {
                let v = (unhex(h1) << 4) | unhex(h2);
                if escape != b"%25" && v != b' ' && should_escape(v, Mode::Host) {
                    return Err(UrlError::InvalidEscape(escape.to_vec()));
                }
            }
            i += 3;
        } else {
            if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                return Err(UrlError::InvalidHostCharacter(c));
            }
            i += 1;
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match (s[i], s.get(i + 1), s.get(i + 2)) {
            (b'%', Some(&h1), Some(&h2)) => {
                out.push((unhex(h1) << 4) | unhex(h2));
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn contains_ctl_byte(s: &[u8]) -> bool {
    s.iter().any(|&b| b < b' ' || b == 0x7f)
}

/// Go's `getScheme`: `[a-zA-Z][a-zA-Z0-9+.-]*:` or nothing.
fn split_scheme(raw: &[u8]) -> Result<(&[u8], &[u8]), UrlError> {
    for (i, &c) in raw.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok((&[], raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err(UrlError::MissingScheme);
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok((&[], raw)),
        }
    }
    Ok((&[], raw))
}

fn find(s: &[u8], b: u8) -> Option<usize> {
    s.iter().position(|&c| c == b)
}

fn rfind(s: &[u8], b: u8) -> Option<usize> {
    s.iter().rposition(|&c| c == b)
}

fn find_slice(s: &[u8], needle: &[u8]) -> Option<usize> {
    s.windows(needle.len()).position(|w| w == needle)
}

/// Go's `url.Parse`.
pub fn parse(raw: &[u8]) -> Result<Url, UrlError> {
    let (before_fragment, fragment) = match find(raw, b'#') {
        Some(i) => (&raw[..i], Some(&raw[i + 1..])),
        None => (raw, None),
    };
    let mut url = parse_without_fragment(before_fragment)?;
    if let Some(fragment) = fragment {
        url.fragment = unescape(fragment, Mode::Fragment)?;
    }
    Ok(url)
}

fn parse_without_fragment(raw: &[u8]) -> Result<Url, UrlError> {
    if contains_ctl_byte(raw) {
        return Err(UrlError::ControlCharacter);
    }
    let mut url = Url::default();
    if raw == b"*" {
        url.path = b"*".to_vec();
        return Ok(url);
    }
    let (scheme, mut rest) = split_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();

    let question_marks = rest.iter().filter(|&&b| b == b'?').count();
    if rest.last() == Some(&b'?') && question_marks == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some(i) = find(rest, b'?') {
        url.raw_query = rest[i + 1..].to_vec();
        rest = &rest[..i];
    }

    if !rest.starts_with(b"/") {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_vec();
            return Ok(url);
        }
        let segment = find(rest, b'/').map_or(rest, |i| &rest[..i]);
        if segment.contains(&b':') {
            return Err(UrlError::ColonInFirstSegment);
        }
    }

    if (!url.scheme.is_empty() || !rest.starts_with(b"///")) && rest.starts_with(b"//") {
        let authority_and_path = &rest[2..];
        let (authority, path) = match find(authority_and_path, b'/') {
            Some(i) => (&authority_and_path[..i], &authority_and_path[i..]),
            None => (authority_and_path, &b""[..]),
        };
        url.host = parse_authority(authority)?;
        rest = path;
    }
    url.path = unescape(rest, Mode::Path)?;
    Ok(url)
}

/// Go's `parseAuthority`; the user information is validated and dropped.
fn parse_authority(authority: &[u8]) -> Result<Vec<u8>, UrlError> {
    let at = rfind(authority, b'@');
    let host = parse_host(at.map_or(authority, |i| &authority[i + 1..]))?;
    if let Some(i) = at {
        let userinfo = &authority[..i];
        if !valid_userinfo(userinfo) {
            return Err(UrlError::InvalidUserinfo);
        }
        match find(userinfo, b':') {
            None => {
                unescape(userinfo, Mode::UserPassword)?;
            }
            Some(colon) => {
                unescape(&userinfo[..colon], Mode::UserPassword)?;
                unescape(&userinfo[colon + 1..], Mode::UserPassword)?;
            }
        }
    }
    Ok(host)
}

/// Go's `validUserinfo`, which walks runes: any non-ASCII byte fails.
fn valid_userinfo(s: &[u8]) -> bool {
    s.iter().all(|&c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b':'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'%'
                    | b'@'
            )
    })
}

/// Go's `parseHost`: `host[:port]` with an optional `[IPv6%25zone]` literal.
fn parse_host(host: &[u8]) -> Result<Vec<u8>, UrlError> {
    if host.starts_with(b"[") {
        let Some(close) = rfind(host, b']') else {
            return Err(UrlError::MissingBracket);
        };
        let colon_port = &host[close + 1..];
        if !valid_optional_port(colon_port) {
            return Err(UrlError::InvalidPort(colon_port.to_vec()));
        }
        if let Some(zone) = find_slice(&host[..close], b"%25") {
            let mut out = unescape(&host[..zone], Mode::Host)?;
            out.extend(unescape(&host[zone..close], Mode::Zone)?);
            out.extend(unescape(&host[close..], Mode::Host)?);
            return Ok(out);
        }
    } else if let Some(i) = rfind(host, b':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(UrlError::InvalidPort(colon_port.to_vec()));
        }
    }
    unescape(host, Mode::Host)
}

/// Empty, or `:` followed by digits only (`:` alone is fine).
fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

/// Why Go's `net.SplitHostPort` fails; the kubelet then keeps the whole
/// host and an empty port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitHostPortError {
    MissingPort,
    TooManyColons,
    MissingBracket,
    UnexpectedOpenBracket,
    UnexpectedCloseBracket,
}

/// Go's `net.SplitHostPort`: the port is what follows the last `:`; brackets
/// are removed from an IPv6 host.
pub fn split_host_port(hostport: &[u8]) -> Result<(&[u8], &[u8]), SplitHostPortError> {
    let Some(last_colon) = rfind(hostport, b':') else {
        return Err(SplitHostPortError::MissingPort);
    };
    let (host, open_from, close_from) = if hostport.first() == Some(&b'[') {
        let Some(end) = find(hostport, b']') else {
            return Err(SplitHostPortError::MissingBracket);
        };
        if end + 1 == hostport.len() {
            return Err(SplitHostPortError::MissingPort);
        }
        if end + 1 != last_colon {
            return Err(if hostport.get(end + 1) == Some(&b':') {
                SplitHostPortError::TooManyColons
            } else {
                SplitHostPortError::MissingPort
            });
        }
        (&hostport[1..end], 1, end + 1)
    } else {
        let host = &hostport[..last_colon];
        if host.contains(&b':') {
            return Err(SplitHostPortError::TooManyColons);
        }
        (host, 0, 0)
    };
    if hostport[open_from..].contains(&b'[') {
        return Err(SplitHostPortError::UnexpectedOpenBracket);
    }
    if hostport[close_from..].contains(&b']') {
        return Err(SplitHostPortError::UnexpectedCloseBracket);
    }
    Ok((host, &hostport[last_colon + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host_path(s: &str) -> (String, String) {
        match parse(s.as_bytes()) {
            Ok(u) => (
                String::from_utf8_lossy(&u.host).into_owned(),
                String::from_utf8_lossy(&u.path).into_owned(),
            ),
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    #[test]
    fn keeps_case_and_does_not_clean_paths() {
        assert_eq!(
            host_path("https://REG.io/A/../b//c"),
            ("REG.io".into(), "/A/../b//c".into())
        );
    }

    #[test]
    fn splits_query_fragment_and_userinfo() {
        assert_eq!(
            host_path("https://u:p@reg.io:5000/v2/x?q=1#f"),
            ("reg.io:5000".into(), "/v2/x".into())
        );
        assert_eq!(
            host_path("https://reg.io/a%2Fb"),
            ("reg.io".into(), "/a/b".into())
        );
        assert_eq!(host_path("https://reg.io:"), ("reg.io:".into(), "".into()));
        assert_eq!(
            host_path("https://[::1]:5000/x"),
            ("[::1]:5000".into(), "/x".into())
        );
        assert_eq!(
            host_path("https://[fe80::1%25en0]/"),
            ("[fe80::1%en0]".into(), "/".into())
        );
    }

    #[test]
    fn rejects_what_go_rejects() {
        let cases: &[(&str, UrlError)] = &[
            (
                "https://reg.io:abc",
                UrlError::InvalidPort(b":abc".to_vec()),
            ),
            ("https://reg io", UrlError::InvalidHostCharacter(b' ')),
            (
                "https://reg.io/%zz",
                UrlError::InvalidEscape(b"%zz".to_vec()),
            ),
            ("https://reg.io/%4", UrlError::InvalidEscape(b"%4".to_vec())),
            ("https://reg%2eio", UrlError::InvalidEscape(b"%2e".to_vec())),
            ("https://reg.io\n", UrlError::ControlCharacter),
            ("https://[::1", UrlError::MissingBracket),
            ("https://[::1]x", UrlError::InvalidPort(b"x".to_vec())),
            ("https://a b@reg.io", UrlError::InvalidUserinfo),
            (":x", UrlError::MissingScheme),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input.as_bytes()).as_ref(), Err(want), "{input}");
        }
        // `a:b/c` has a scheme, so it is opaque, not an error.
        assert!(parse(b"a:b/c").is_ok());
        assert_eq!(parse(b"1a:b"), Err(UrlError::ColonInFirstSegment));
        assert_eq!(
            parse(b"https://reg.io/x#%zz"),
            Err(UrlError::InvalidEscape(b"%zz".to_vec()))
        );
    }

    #[test]
    fn non_ascii_escapes_are_allowed_in_hosts() {
        assert_eq!(
            parse(b"https://r%C3%A9g.io").map(|u| u.host),
            Ok("rég.io".as_bytes().to_vec())
        );
        assert_eq!(
            parse(b"https://r%FFg").map(|u| u.host),
            Ok(b"r\xffg".to_vec())
        );
    }

    #[test]
    fn error_messages_read_like_go() {
        assert_eq!(
            UrlError::InvalidPort(b":abc".to_vec()).to_string(),
            "invalid port \":abc\" after host"
        );
        assert_eq!(
            UrlError::InvalidHostCharacter(b' ').to_string(),
            "invalid character \" \" in host name"
        );
    }

    #[test]
    fn split_host_port_like_go() {
        assert_eq!(
            split_host_port(b"reg.io:5000"),
            Ok((&b"reg.io"[..], &b"5000"[..]))
        );
        assert_eq!(split_host_port(b"reg.io:"), Ok((&b"reg.io"[..], &b""[..])));
        assert_eq!(split_host_port(b"[::1]:80"), Ok((&b"::1"[..], &b"80"[..])));
        assert_eq!(
            split_host_port(b"reg.io"),
            Err(SplitHostPortError::MissingPort)
        );
        assert_eq!(
            split_host_port(b"[::1]"),
            Err(SplitHostPortError::MissingPort)
        );
        assert_eq!(
            split_host_port(b"::1"),
            Err(SplitHostPortError::TooManyColons)
        );
        assert_eq!(
            split_host_port(b"[::1]:80]:"),
            Err(SplitHostPortError::TooManyColons)
        );
        assert_eq!(
            split_host_port(b"[::1"),
            Err(SplitHostPortError::MissingBracket)
        );
        assert_eq!(
            split_host_port(b"a[b:1"),
            Err(SplitHostPortError::UnexpectedOpenBracket)
        );
        assert_eq!(
            split_host_port(b"ab]:1"),
            Err(SplitHostPortError::UnexpectedCloseBracket)
        );
    }
}
