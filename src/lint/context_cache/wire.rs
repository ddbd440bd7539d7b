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

    /// `text` as the length of the prefix it shares with `own` (the path
    /// of the file the entry is about) and the rest: a file's paths and
    /// `path:line` places mostly repeat its own path, so an entry holds it
    /// once, not once per definition.
    pub fn shared(&mut self, own: &str, text: &str) {
        let mut n = own
            .bytes()
            .zip(text.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !text.is_char_boundary(n) {
            n -= 1;
        }
        self.number(n as u64);
        self.text(text.get(n..).unwrap_or_default());
    }

    /// [`Writer::shared`] for a path; `None` (nothing written worth
    /// keeping) when it is not UTF-8: such a file is simply not cached.
    pub fn shared_path(&mut self, own: &str, path: &Path) -> Option<()> {
        self.shared(own, path.to_str()?);
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

    /// What is left to read.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(taken)
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
        self.take(n)
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

    /// What [`Writer::shared`] wrote with the same `own`.
    pub fn shared(&mut self, own: &str) -> Option<String> {
        let n = usize::try_from(self.number()?).ok()?;
        let prefix = own.get(..n)?;
        let rest = std::str::from_utf8(self.raw()?).ok()?;
        let mut text = String::with_capacity(prefix.len() + rest.len());
        text.push_str(prefix);
        text.push_str(rest);
        Some(text)
    }

    pub fn shared_path(&mut self, own: &str) -> Option<PathBuf> {
        self.shared(own).map(PathBuf::from)
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
        w.shared_path("/a/c.yaml", Path::new("/a/b.yaml")).unwrap();
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
        assert_eq!(r.shared_path("/a/c.yaml"), Some(PathBuf::from("/a/b.yaml")));
        assert!(r.is_empty());
    }

    #[test]
    fn shared_texts_read_back_with_the_same_own_path_only() {
        let own = "/r/café/a.yaml";
        let texts = [
            "/r/café/a.yaml",
            "/r/café/a.yaml:12",
            "/r/cafë/b",
            "",
            "x",
            "/r/caf",
        ];
        let mut w = Writer::default();
        for t in texts {
            w.shared(own, t);
        }
        // The place repeats the path: two bytes for it, not eighteen.
        let mut place = Writer::default();
        place.shared(own, "/r/café/a.yaml:12");
        assert_eq!(place.bytes.len(), 5);
        let mut r = Reader::new(&w.bytes);
        for t in texts {
            assert_eq!(r.shared(own).as_deref(), Some(t));
        }
        assert!(r.is_empty());
        // A prefix longer than the own path, or cutting a character, is refused.
        assert_eq!(Reader::new(&[40, 0]).shared(own), None);
        assert_eq!(Reader::new(&[7, 0]).shared(own), None);
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
