//! Manifests that are not plain UTF-8 with LF or CRLF line ends, read the
//! way kubectl and kustomize read them (docs/kubernetes.md, "Encodings"):
//!
//! - **UTF-16 with a byte order mark** (what Windows PowerShell 5's `>`
//!   writes): kubectl decodes it (its file reader honours a UTF-16 BOM) and
//!   so does kustomize, so it is decoded and linted as the text it holds.
//! - **UTF-32 with a byte order mark**: kubectl and kustomize read the
//!   mark's first two bytes as UTF-16 and then meet NUL characters, and
//!   fail with `yaml: control characters are not allowed`. Reported as a
//!   `yaml-syntax-error`, never silently passed over.
//! - **CR-only line ends** (classic Mac): YAML counts a lone CR as a line
//!   break, and so do go-yaml and kustomize. Each lone CR is read as LF (the
//!   same length, so every offset stays), which also gives the right line
//!   numbers in files that mix CR and LF.

use std::borrow::Cow;

/// What the bytes of a manifest are.
#[derive(Debug, PartialEq, Eq)]
pub enum Text<'a> {
    /// UTF-8 (or not text at all: the parser says where), lone CRs as LF.
    Plain(Cow<'a, [u8]>),
    /// Decoded from UTF-16 to UTF-8, lone CRs as LF.
    FromUtf16(Vec<u8>),
    /// Not decoded: why kubectl refuses it.
    Refused(&'static str),
    /// A UTF-16 BOM, then not UTF-16: the byte where it goes wrong.
    BadUtf16(usize),
}

pub const UTF32_MESSAGE: &str = "the file is UTF-32 (it starts with a UTF-32 byte order mark); kubectl and kustomize read it as UTF-16, meet NUL characters and fail with \"yaml: control characters are not allowed\": save it as UTF-8";

/// The text to lint for `bytes`.
pub fn read(bytes: &[u8]) -> Text<'_> {
    // UTF-32 LE's mark begins with UTF-16 LE's: test it first.
    if bytes.starts_with(b"\xFF\xFE\x00\x00") || bytes.starts_with(b"\x00\x00\xFE\xFF") {
        return Text::Refused(UTF32_MESSAGE);
    }
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, false)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, true)),
        _ => None,
    };
    if let Some((rest, big_endian)) = utf16 {
        return match decode_utf16(rest, big_endian) {
            Ok(mut text) => {
                lone_cr_as_lf(&mut text);
                Text::FromUtf16(text)
            }
            Err(at) => Text::BadUtf16(at + 2),
        };
    }
    Text::Plain(with_lone_cr_as_lf(bytes))
}

/// UTF-16 code units to UTF-8; `Err(byte offset)` at an odd length or an
/// unpaired surrogate.
fn decode_utf16(bytes: &[u8], big_endian: bool) -> Result<Vec<u8>, usize> {
    let units = bytes.chunks_exact(2).map(|pair| match big_endian {
        false => u16::from_le_bytes([pair[0], pair[1]]),
        true => u16::from_be_bytes([pair[0], pair[1]]),
    });
    let mut out = Vec::with_capacity(bytes.len() / 2 + bytes.len() / 8);
    let mut offset = 0;
    for c in char::decode_utf16(units) {
        let c = c.map_err(|_| offset)?;
        offset += c.len_utf16() * 2;
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    if offset < bytes.len() {
        // A last odd byte.
        return Err(offset);
    }
    Ok(out)
}

fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

fn lone_cr_as_lf(bytes: &mut [u8]) {
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
}

/// `bytes` with every CR that is not followed by LF read as LF; borrowed
/// when there is none (most files: one memchr scan).
pub fn with_lone_cr_as_lf(bytes: &[u8]) -> Cow<'_, [u8]> {
    if !has_lone_cr(bytes) {
        return Cow::Borrowed(bytes);
    }
    let mut owned = bytes.to_vec();
    lone_cr_as_lf(&mut owned);
    Cow::Owned(owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            out.extend(match big_endian {
                true => unit.to_be_bytes(),
                false => unit.to_le_bytes(),
            });
        }
        out
    }

    #[test]
    fn utf16_with_a_mark_is_decoded() {
        let text = "kind: Secret\r\nmetadata: {name: é𝄞}\r";
        for be in [false, true] {
            assert_eq!(
                read(&utf16(text, be)),
                Text::FromUtf16("kind: Secret\r\nmetadata: {name: é𝄞}\n".into())
            );
        }
        // An unpaired surrogate, an odd last byte.
        assert_eq!(read(b"\xFF\xFEa\x00\x00\xD8b\x00"), Text::BadUtf16(4));
        assert_eq!(read(b"\xFF\xFEa\x00b"), Text::BadUtf16(4));
    }

    #[test]
    fn utf32_is_refused() {
        assert_eq!(
            read(b"\xFF\xFE\x00\x00k\x00\x00\x00"),
            Text::Refused(UTF32_MESSAGE)
        );
        assert_eq!(
            read(b"\x00\x00\xFE\xFF\x00\x00\x00k"),
            Text::Refused(UTF32_MESSAGE)
        );
    }

    #[test]
    fn lone_crs_become_lfs_crlf_stays() {
        assert_eq!(
            read(b"a: 1\rb: 2\r\nc: 3\r"),
            Text::Plain(Cow::Owned(b"a: 1\nb: 2\r\nc: 3\n".to_vec()))
        );
        assert!(matches!(read(b"a: 1\r\n"), Text::Plain(Cow::Borrowed(_))));
    }
}
