//! Work-arounds for saphyr 0.3.4 gaps: files go-yaml (Kubernetes) reads
//! and saphyr rejects. Each repair only inserts spaces where they change no
//! value, and keeps the insertions so spans map back to the original bytes.
//!
//! 1. A flow collection whose closing `]` or `}` sits at or left of the
//!    enclosing block's indentation (istio, kustomize files):
//!
//!    ```yaml
//!    spec:
//!      args: [
//!        "a"
//!      ]
//!    ```
//!
//!    We indent such closers to the previous line's indentation.
//! 2. A multi-line quoted scalar whose continuation lines are not indented
//!    past its key (go-yaml's own emitter writes these; seen in argo-cd test
//!    data). Leading spaces of continuation lines are folded away, so we
//!    indent them.

pub struct Repaired {
    pub text: String,
    /// (byte offset in the original, spaces inserted there), in order.
    insertions: Vec<(usize, usize)>,
}

impl Repaired {
    /// Maps a byte offset in `text` back to the original.
    pub fn original_offset(&self, fixed: usize) -> usize {
        let mut shift = 0;
        for &(at, count) in &self.insertions {
            let fixed_at = at + shift;
            if fixed < fixed_at {
                break;
            }
            if fixed < fixed_at + count {
                return at;
            }
            shift += count;
        }
        fixed.saturating_sub(shift)
    }
}

/// `None` when no line starts with a closer that could be dedented.
pub fn indent_flow_closers(text: &str) -> Option<Repaired> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut insertions = Vec::new();
    let mut previous_indent = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if (rest.starts_with(']') || rest.starts_with('}')) && indent < previous_indent {
            let count = previous_indent - indent;
            out.push_str(&line[..indent]);
            out.extend(std::iter::repeat_n(' ', count));
            out.push_str(rest);
            insertions.push((offset + indent, count));
        } else {
            out.push_str(line);
        }
        if !rest.trim().is_empty() && !rest.starts_with('#') {
            previous_indent = indent;
        }
        offset += line.len();
    }
    if insertions.is_empty() {
        None
    } else {
        Some(Repaired {
            text: out,
            insertions,
        })
    }
}

/// Indents the continuation lines of the quoted scalar starting at byte
/// `quote` (where saphyr reports "invalid indentation in quoted scalar") one
/// column past the indentation of the line it starts on.
pub fn indent_quoted_continuations(text: &str, quote: usize) -> Option<Repaired> {
    let bytes = text.as_bytes();
    let open = *bytes.get(quote)?;
    if open != b'"' && open != b'\'' {
        return None;
    }
    let line_start = bytes
        .get(..quote)?
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // The key's column: sequence dashes count as indentation.
    let mut base = 0;
    while let Some(&b) = bytes.get(line_start + base) {
        match b {
            b' ' => base += 1,
            b'-' if bytes.get(line_start + base + 1) == Some(&b' ') => base += 2,
            _ => break,
        }
    }
    let mut insertions = Vec::new();
    let mut i = quote + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if open == b'"' => i += 2,
            b'\'' if open == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b'\n' => {
                let indent = bytes
                    .get(i + 1..)?
                    .iter()
                    .take_while(|&&c| c == b' ')
                    .count();
                let next = bytes.get(i + 1 + indent).copied();
                if indent <= base && !matches!(next, Some(b'\n') | None) {
                    insertions.push((i + 1, base + 1 - indent));
                }
                i += 1;
            }
            _ if b == open => break,
            _ => i += 1,
        }
    }
    if insertions.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + insertions.len() * 8);
    let mut last = 0;
    for &(at, count) in &insertions {
        out.push_str(text.get(last..at)?);
        out.extend(std::iter::repeat_n(' ', count));
        last = at;
    }
    out.push_str(text.get(last..)?);
    Some(Repaired {
        text: out,
        insertions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back() {
        let text = "a: [\n    b\n]\nc: d\n";
        let fixed = indent_flow_closers(text).unwrap();
        assert!(indent_quoted_continuations(text, 0).is_none());
        assert_eq!(fixed.text, "a: [\n    b\n    ]\nc: d\n");
        let c_fixed = fixed.text.find("c:").unwrap();
        assert_eq!(fixed.original_offset(c_fixed), text.find("c:").unwrap());
        let closer = fixed.text.find(']').unwrap();
        assert_eq!(fixed.original_offset(closer), text.find(']').unwrap());
    }
}

#[cfg(test)]
mod quoted_tests {
    use super::*;

    #[test]
    fn continuation_lines_are_indented_past_the_key() {
        let text = "- m: \"a\n  b \\\" c\n  d\"\n  n: x\n";
        let at = text.find('"').unwrap();
        let fixed = indent_quoted_continuations(text, at).unwrap();
        assert_eq!(fixed.text, "- m: \"a\n   b \\\" c\n   d\"\n  n: x\n");
        let n = fixed.text.find("n:").unwrap();
        assert_eq!(fixed.original_offset(n), text.find("n:").unwrap());
    }
}
