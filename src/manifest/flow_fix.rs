//! A work-around for a saphyr 0.3.4 gap: it rejects a flow collection whose
//! closing `]` or `}` sits at or left of the enclosing block's indentation
//!
//! ```yaml
//! spec:
//!   args: [
//!     "a"
//!   ]
//! ```
//!
//! which go-yaml (Kubernetes) accepts; istio and kustomize files do this. We
//! indent such closers to the previous line's indentation and parse again,
//! keeping the insertions so spans map back to the original bytes.

pub struct FlowFixed {
    pub text: String,
    /// (byte offset in the original, spaces inserted there), in order.
    insertions: Vec<(usize, usize)>,
}

impl FlowFixed {
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
pub fn indent_flow_closers(text: &str) -> Option<FlowFixed> {
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
        Some(FlowFixed {
            text: out,
            insertions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back() {
        let text = "a: [\n    b\n]\nc: d\n";
        let fixed = indent_flow_closers(text).unwrap();
        assert_eq!(fixed.text, "a: [\n    b\n    ]\nc: d\n");
        let c_fixed = fixed.text.find("c:").unwrap();
        assert_eq!(fixed.original_offset(c_fixed), text.find("c:").unwrap());
        let closer = fixed.text.find(']').unwrap();
        assert_eq!(fixed.original_offset(closer), text.find(']').unwrap());
    }
}
