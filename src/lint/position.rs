//! Byte offsets to 1-based lines and columns (columns in Unicode characters).

/// Line starts of a text, found once per file that has findings.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(bytes: &[u8]) -> Self {
        super::work::count(bytes.len());
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(0)
    }

    /// The byte range of a 0-based line, without its line break.
    pub fn line_range(&self, bytes: &[u8], line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line).min(bytes.len());
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(bytes.len(), |next| next.saturating_sub(1))
            .max(start)
            .min(bytes.len());
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// 1-based (line, column), the column counted in characters.
    pub fn position(&self, bytes: &[u8], offset: usize) -> (usize, usize) {
        let offset = offset.min(bytes.len());
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = count_chars(bytes.get(start..offset).unwrap_or(&[]));
        (line + 1, column + 1)
    }
}

/// A text's [`LineIndex`], built on the first lookup: most files need none,
/// and a file with many lookups must not count lines from its start each
/// time.
pub struct LazyLineIndex<'a> {
    bytes: &'a [u8],
    index: std::cell::OnceCell<LineIndex>,
}

impl<'a> LazyLineIndex<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        LazyLineIndex {
            bytes,
            index: std::cell::OnceCell::new(),
        }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.index
            .get_or_init(|| LineIndex::new(self.bytes))
            .line_of(offset)
    }
}

/// Characters in possibly invalid UTF-8 (an invalid byte counts as one).
pub fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_char_columns() {
        let text = "ab\né€x\n\nz".as_bytes();
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        let x = text.iter().position(|&b| b == b'x').unwrap();
        assert_eq!(idx.position(text, x), (2, 3));
        assert_eq!(idx.position(text, text.len() - 1), (4, 1));
        assert_eq!(idx.position(text, text.len()), (4, 2));
    }
}
