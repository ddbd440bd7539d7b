//! What a YAML stream that does not parse says before its error: the
//! collections and scalars saphyr reported, in order, and where that known
//! part ends. Nothing after it is known: the scanner may hold a scalar it
//! read but never reported (`a: b: c` fails at the second `:` with `b`
//! unreported), so a caller hiding secrets must hide all of it.

use std::ops::Range;

use saphyr_parser::{Event, Parser};

use super::yaml::{scalar_span, style_of, ByteIndex};

/// One reported event, with byte spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// A new document starts: nothing is open any more.
    Document,
    Mapping,
    Sequence,
    /// The innermost open collection ends.
    End,
    Scalar {
        span: Range<usize>,
        text: String,
    },
    Alias {
        span: Range<usize>,
    },
}

/// The known part of a stream.
#[derive(Debug, Default)]
pub struct Prefix {
    pub events: Vec<Read>,
    /// The end of the last scalar, alias or flow closer reported: every
    /// byte from here on is of unknown structure.
    pub known_end: usize,
}

/// Reads `text` until its first syntax error (or its end).
pub fn read_until_error(text: &str) -> Prefix {
    let mut index = ByteIndex::new(text);
    let mut prefix = Prefix::default();
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            break;
        };
        let range = index.span(&span);
        let read = match event {
            Event::DocumentStart(_) => Read::Document,
            Event::MappingStart(..) => Read::Mapping,
            Event::SequenceStart(..) => Read::Sequence,
            Event::MappingEnd | Event::SequenceEnd => {
                // A flow closer is known text; a block end event sits at
                // the next token, which is not read yet.
                if matches!(text.as_bytes().get(range.start), Some(b']' | b'}'))
                    && !range.is_empty()
                {
                    prefix.known_end = prefix.known_end.max(range.start + 1);
                }
                Read::End
            }
            Event::Scalar(value, style, ..) => {
                let span = scalar_span(text, range, style_of(style));
                prefix.known_end = prefix.known_end.max(span.end);
                Read::Scalar {
                    span,
                    text: value.into_owned(),
                }
            }
            Event::Alias(_) => {
                prefix.known_end = prefix.known_end.max(range.end);
                Read::Alias { span: range }
            }
            Event::DocumentEnd | Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
        };
        prefix.events.push(read);
    }
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalars(p: &Prefix) -> Vec<String> {
        p.events
            .iter()
            .filter_map(|e| match e {
                Read::Scalar { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn stops_at_the_error() {
        let text = "k: v\npassword: hunter2: x\n";
        let p = read_until_error(text);
        assert_eq!(scalars(&p)[..3], ["k", "v", "password"]);
        assert!(p.known_end <= text.find(": x").unwrap());
    }

    #[test]
    fn flow_documents_are_read_up_to_the_error() {
        let text = r#"{"data":{"pw":"Q0FOQVJZ"},"stringData":{"p":"CANARY"} "x"}"#;
        let p = read_until_error(text);
        assert_eq!(
            scalars(&p),
            ["data", "pw", "Q0FOQVJZ", "stringData", "p", "CANARY"]
        );
        assert_eq!(p.known_end, text.find(" \"x\"").unwrap());
    }
}
