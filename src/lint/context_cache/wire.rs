//! The cache file's byte encoding: LEB128 numbers and length-prefixed
//! strings, written into a buffer and read back with every length checked
//! against what is left, so that a truncated or corrupt file reads as
//! `None`, never as a panic or a huge allocation.

use std::path::{Path, PathBuf};

/// Appends to a buffer.
#[derive(Debug, Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn number(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.bytes.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        self.bytes.push(n as u8);
    }

    pub fn signed(&mut self, n: i64) {
        // Zigzag: small magnitudes of either sign stay short.
        self.number(((n << 1) ^ (n >> 63)) as u64);
    }

    pub fn byte(&mut self, b: u8) {
        self.bytes.push(b);
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.number(bytes.len() as u64);
        self.bytes.extend_from_slice(bytes);
    }

    pub fn text(&mut self, text: &str) {
        self.raw(text.as_bytes());
    }

    pub fn optional_text(&mut self, text: Option<&str>) {
        match text {
            Some(text) => {
                self.byte(1);
                self.text(text);
            }
            None => self.byte(0),
        }
    }

    pub fn texts(&mut self, texts: &[String]) {
        self.number(texts.len() as u64);
        for t in texts {
            self.text(t);
        }
    }

    /// A path as UTF-8; `None` (nothing written worth keeping) when it is
    /// not: such a file is simply not cached.
    pub fn path(&mut self, path: &Path) -> Option<()> {
        self.text(path.to_str()?);
        Some(())
    }
}

/// Reads from a buffer; every method is `None` past the end or on a value
/// that cannot be what was written.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn number(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    pub fn signed(&mut self) -> Option<i64> {
        let n = self.number()?;
        Some((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    pub fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(b)
    }

    /// A count of items each at least one byte long: never more than the
    /// bytes left, so a corrupt count cannot ask for a huge allocation.
    pub fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.number()?).ok()?;
        (n <= self.bytes.len()).then_some(n)
    }

    pub fn raw(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.number()?).ok()?;
        if n > self.bytes.len() {
            return None;
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(taken)
    }

    pub fn text(&mut self) -> Option<String> {
        std::str::from_utf8(self.raw()?).ok().map(str::to_string)
    }

    pub fn optional_text(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.text().map(Some),
            _ => None,
        }
    }

    pub fn texts(&mut self) -> Option<Vec<String>> {
        let n = self.count()?;
        let mut texts = Vec::with_capacity(n);
        for _ in 0..n {
            texts.push(self.text()?);
        }
        Some(texts)
    }

    pub fn path(&mut self) -> Option<PathBuf> {
        self.text().map(PathBuf::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_texts_and_paths_read_back() {
        let mut w = Writer::default();
        for n in [0, 1, 127, 128, 300, u64::MAX] {
            w.number(n);
        }
        for n in [0, -1, 1, i64::MIN, i64::MAX] {
            w.signed(n);
        }
        w.text("café");
        w.optional_text(None);
        w.optional_text(Some("x"));
        w.texts(&["a".into(), String::new()]);
        w.path(Path::new("/a/b.yaml")).unwrap();
        let mut r = Reader::new(&w.bytes);
        for n in [0, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.number(), Some(n));
        }
        for n in [0, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(r.signed(), Some(n));
        }
        assert_eq!(r.text().as_deref(), Some("café"));
        assert_eq!(r.optional_text(), Some(None));
        assert_eq!(r.optional_text(), Some(Some("x".into())));
        assert_eq!(r.texts(), Some(vec!["a".into(), String::new()]));
        assert_eq!(r.path(), Some(PathBuf::from("/a/b.yaml")));
        assert!(r.is_empty());
    }

    #[test]
    fn truncated_or_corrupt_input_is_none() {
        let mut w = Writer::default();
        w.text("hello");
        for cut in 0..w.bytes.len() {
            assert_eq!(Reader::new(&w.bytes[..cut]).text(), None, "cut at {cut}");
        }
        // A count larger than what is left, an overlong number, bad UTF-8.
        assert_eq!(Reader::new(&[0xff, 0xff, 0xff, 0x0f]).count(), None);
        assert_eq!(Reader::new(&[0xff; 11]).number(), None);
        assert_eq!(Reader::new(&[2, 0xc3, 0x28]).text(), None);
        assert_eq!(Reader::new(&[7]).optional_text(), None);
    }
}
