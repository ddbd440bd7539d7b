//! Suppression comments: `# regcred:ignore RULE[,RULE]` on the finding's
//! line or the line above, or alone at the top of a document for all of it.
//! A comment naming no rule suppresses every rule.

use super::position::LineIndex;

const MARKER: &[u8] = b"regcred:ignore";

/// One `regcred:ignore` comment.
#[derive(Debug, Clone)]
pub struct IgnoreComment {
    /// 0-based line.
    pub line: usize,
    /// Byte offset of the line start.
    pub offset: usize,
    /// The comment is the only thing on its line.
    pub own_line: bool,
    /// Empty: every rule.
    pub rules: Vec<String>,
}

impl IgnoreComment {
    pub fn covers(&self, rule: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| r == rule)
    }
}

/// Every ignore comment of a file (a quick memchr search first: most files
/// have none).
pub fn ignore_comments(bytes: &[u8], lines: &LineIndex) -> Vec<IgnoreComment> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(bytes, MARKER) {
        let line = lines.line_of(at);
        let range = lines.line_range(bytes, line);
        let Some(text) = bytes.get(range.clone()) else {
            continue;
        };
        let Some(hash) = memchr::memrchr(b'#', &text[..at - range.start]) else {
            continue;
        };
        let own_line = text[..hash].iter().all(u8::is_ascii_whitespace);
        let after = &text[at - range.start + MARKER.len()..];
        let list = String::from_utf8_lossy(after);
        let rules = list
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(str::trim)
            .take_while(|r| !r.starts_with('#'))
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        out.push(IgnoreComment {
            line,
            offset: range.start,
            own_line,
            rules,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rule_lists() {
        let text = b"a: 1 # regcred:ignore x-y, z\n# regcred:ignore\nb: 2\n";
        let idx = LineIndex::new(text);
        let c = ignore_comments(text, &idx);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].rules, vec!["x-y", "z"]);
        assert!(!c[0].own_line);
        assert!(c[1].own_line && c[1].covers("anything"));
        assert_eq!(c[1].line, 1);
    }
}
