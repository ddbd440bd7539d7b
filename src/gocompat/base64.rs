//! Go's `encoding/base64` decoders, with Go's error offsets.
//!
//! The API server decodes Secret `data` with `StdEncoding`; the kubelet decodes
//! an `auth` field with `StdEncoding` when it ends in `=` and with
//! `RawStdEncoding` otherwise. Both differ from the `base64` crate: Go skips
//! `\r` and `\n` anywhere (even inside the padding), accepts non-zero trailing
//! bits, and reports `illegal base64 data at input byte N` with N counting raw
//! input bytes.

use std::fmt;

/// Which of Go's two standard-alphabet encodings to imitate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Padding {
    /// `base64.StdEncoding`: `=` padding required.
    Required,
    /// `base64.RawStdEncoding`: no padding; `=` is an illegal byte.
    None,
}

/// Go's `base64.CorruptInputError`: the offset of the offending raw byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorruptInput {
    pub offset: usize,
}

impl fmt::Display for CorruptInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "illegal base64 data at input byte {}", self.offset)
    }
}

impl std::error::Error for CorruptInput {}

const INVALID: u8 = 0xff;

const DECODE_MAP: [u8; 256] = {
    let mut map = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < alphabet.len() {
        map[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    map
};

fn is_newline(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Decodes `src` exactly as Go's `Encoding.DecodeString` does.
pub fn decode(src: &[u8], padding: Padding) -> Result<Vec<u8>, CorruptInput> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3 + 3);
    let mut si = 0;
    loop {
        while let Some(bytes) = whole_quantum(src, si) {
            out.extend_from_slice(&bytes);
            si += 4;
        }
        match decode_quantum(src, si, padding)? {
            Quantum::End => return Ok(out),
            Quantum::Bytes { next, bytes, len } => {
                out.extend_from_slice(&bytes[..len]);
                match next {
                    Some(n) => si = n,
                    None => return Ok(out),
                }
            }
        }
    }
}

/// Validates `src` as Go would, without keeping the decoded bytes.
pub fn validate(src: &[u8], padding: Padding) -> Result<usize, CorruptInput> {
    let mut decoded_len = 0;
    let mut si = 0;
    loop {
        while whole_quantum(src, si).is_some() {
            decoded_len += 3;
            si += 4;
        }
        match decode_quantum(src, si, padding)? {
            Quantum::End => return Ok(decoded_len),
            Quantum::Bytes { next, len, .. } => {
                decoded_len += len;
                match next {
                    Some(n) => si = n,
                    None => return Ok(decoded_len),
                }
            }
        }
    }
}

/// The three bytes of the four alphabet bytes at `si`, the common case,
/// decoded without [`decode_quantum`]'s loop (which gives the same bytes
/// and goes on at `si + 4`); `None` for anything else (fewer bytes left, a
/// line break, padding, an illegal byte), which that loop decides.
fn whole_quantum(src: &[u8], si: usize) -> Option<[u8; 3]> {
    let quad = src.get(si..si.checked_add(4)?)?;
    let [a, b, c, d] = [0, 1, 2, 3].map(|i| DECODE_MAP[usize::from(quad[i])]);
    // Alphabet values are below 64; INVALID has the high bits set.
    if (a | b | c | d) & 0xc0 != 0 {
        return None;
    }
    let val = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
    Some([(val >> 16) as u8, (val >> 8) as u8, val as u8])
}

enum Quantum {
    End,
    /// `next` is `None` once padding ended the input.
    Bytes {
        next: Option<usize>,
        bytes: [u8; 3],
        len: usize,
    },
}

// A transcription of Go's `decodeQuantum` (src/encoding/base64/base64.go),
// including where it places the error offset in each case.
fn decode_quantum(src: &[u8], mut si: usize, padding: Padding) -> Result<Quantum, CorruptInput> {
    let mut dbuf = [0u8; 4];
    let mut dlen = 4;
    let mut j = 0usize;
    let mut padded = false;
    while j < 4 {
        if si == src.len() {
            if j == 0 {
                return Ok(Quantum::End);
            }
            if j == 1 || padding == Padding::Required {
                return Err(CorruptInput { offset: si - j });
            }
            dlen = j;
            break;
        }
        let byte = src[si];
        si += 1;
        let value = DECODE_MAP[byte as usize];
        if value != INVALID {
            dbuf[j] = value;
            j += 1;
            continue;
        }
        if is_newline(byte) {
            continue;
        }
        if byte != b'=' || padding == Padding::None {
            return Err(CorruptInput { offset: si - 1 });
        }
        // Padding reached.
        match j {
            0 | 1 => return Err(CorruptInput { offset: si - 1 }),
            2 => {
                // "==" is expected; newlines may sit between the two.
                while si < src.len() && is_newline(src[si]) {
                    si += 1;
                }
                if si == src.len() {
                    return Err(CorruptInput { offset: src.len() });
                }
                if src[si] != b'=' {
                    return Err(CorruptInput { offset: si - 1 });
                }
                si += 1;
            }
            _ => {}
        }
        while si < src.len() && is_newline(src[si]) {
            si += 1;
        }
        if si < src.len() {
            return Err(CorruptInput { offset: si });
        }
        dlen = j;
        padded = true;
        break;
    }
    let val = (u32::from(dbuf[0]) << 18)
        | (u32::from(dbuf[1]) << 12)
        | (u32::from(dbuf[2]) << 6)
        | u32::from(dbuf[3]);
    let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
    let len = dlen - 1;
    let next = if padded || dlen < 4 { None } else { Some(si) };
    Ok(Quantum::Bytes { next, bytes, len })
}

/// The kubelet's choice of decoder for an `auth` field: padded when the value,
/// trimmed of spaces, ends in `=`, unpadded otherwise.
pub fn decode_auth_field(field: &str) -> Result<Vec<u8>, CorruptInput> {
    let padding = if field.trim().ends_with('=') {
        Padding::Required
    } else {
        Padding::None
    };
    decode(field.as_bytes(), padding)
}

/// Go's `base64.StdEncoding.EncodeToString`.
pub fn encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn std(s: &str) -> Result<Vec<u8>, usize> {
        decode(s.as_bytes(), Padding::Required).map_err(|e| e.offset)
    }

    fn raw(s: &str) -> Result<Vec<u8>, usize> {
        decode(s.as_bytes(), Padding::None).map_err(|e| e.offset)
    }

    #[test]
    fn newlines_are_skipped_even_inside_padding() {
        assert_eq!(std("YQ=\n="), Ok(b"a".to_vec()));
        assert_eq!(std("Y\r\nQ==\n"), Ok(b"a".to_vec()));
    }

    #[test]
    fn padding_is_required_by_std() {
        assert_eq!(std("YQ"), Err(0));
        assert_eq!(std("YWJj"), Ok(b"abc".to_vec()));
        assert_eq!(std("YWJjZA"), Err(4));
        assert_eq!(std("YQ="), Err(3));
    }

    #[test]
    fn non_zero_trailing_bits_are_accepted() {
        assert_eq!(std("YR=="), Ok(b"a".to_vec()));
    }

    #[test]
    fn illegal_bytes_are_located() {
        assert_eq!(std("YWJj ZA=="), Err(4));
        assert_eq!(std("YW\tJ"), Err(2));
        assert_eq!(std("YQ==YQ=="), Err(4));
        assert_eq!(std("=QQQ"), Err(0));
        assert_eq!(std("Y==="), Err(1));
        assert_eq!(std("YQ=x"), Err(2));
        assert_eq!(std("a-b_"), Err(1));
    }

    #[test]
    fn raw_rejects_padding_and_allows_partial_quanta() {
        assert_eq!(raw("YQ"), Ok(b"a".to_vec()));
        assert_eq!(raw("YQ=="), Err(2));
        assert_eq!(raw("Y"), Err(0));
        assert_eq!(raw("YWJjZA"), Ok(b"abcd".to_vec()));
    }

    #[test]
    fn empty_input_decodes_to_nothing() {
        assert_eq!(std(""), Ok(vec![]));
        assert_eq!(std("\n"), Ok(vec![]));
    }

    #[test]
    fn auth_field_picks_the_decoder_like_the_kubelet() {
        assert_eq!(decode_auth_field("dTpw").unwrap(), b"u:p");
        assert_eq!(decode_auth_field("dQ==").unwrap(), b"u");
        assert_eq!(decode_auth_field("dQ").unwrap(), b"u");
    }

    /// `decode` by Go's quantum loop alone, without the whole-quantum
    /// shortcut.
    fn by_quanta(src: &[u8], padding: Padding) -> Result<Vec<u8>, CorruptInput> {
        let mut out = Vec::new();
        let mut si = 0;
        loop {
            match decode_quantum(src, si, padding)? {
                Quantum::End => return Ok(out),
                Quantum::Bytes { next, bytes, len } => {
                    out.extend_from_slice(&bytes[..len]);
                    match next {
                        Some(n) => si = n,
                        None => return Ok(out),
                    }
                }
            }
        }
    }

    #[test]
    fn whole_quanta_decode_as_the_quantum_loop_does() {
        // Every input of up to 5 bytes over these, alone and after whole
        // quanta (with a line break among them), both paddings: values,
        // error offsets and decoded lengths all agree.
        let symbols = b"Qm+/=\n\r!";
        let mut tails: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last = tails.clone();
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|t| symbols.iter().map(move |&b| [t.as_slice(), &[b]].concat()))
                .collect();
            tails.extend(last.iter().cloned());
        }
        assert_eq!(tails.len(), (0..=5).map(|n| 8usize.pow(n)).sum::<usize>());
        for prefix in [&b""[..], b"QUJD", b"QUJDQUJD", b"QU\nJDQUJD"] {
            for tail in &tails {
                let input = [prefix, tail.as_slice()].concat();
                for padding in [Padding::Required, Padding::None] {
                    let expected = by_quanta(&input, padding);
                    assert_eq!(decode(&input, padding), expected, "{input:?}");
                    let len = expected.map(|v| v.len());
                    assert_eq!(validate(&input, padding), len, "{input:?}");
                }
            }
        }
    }

    #[test]
    fn encode_round_trips() {
        assert_eq!(encode(b"u:p"), "dTpw");
        assert_eq!(validate(b"dTpw", Padding::Required), Ok(3));
    }
}
