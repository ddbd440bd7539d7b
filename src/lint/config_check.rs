//! Every problem of a `.regcred.yaml` at once, each at its place and, where
//! there is a fixed set of choices, with them listed: the schema's
//! (`schemas/config.schema.json`) errors, and rule ids that name no rule.

use std::collections::HashMap;

use serde_json::Value;

/// A problem: the byte offset it is at, and what is wrong.
pub type Problem = (usize, String);

/// The schema's errors for `value` and the unknown rule ids, in file order.
/// `offsets` maps JSON pointers (and `POINTER#key` for a key) to offsets.
pub fn problems(
    validator: &jsonschema::Validator,
    schema: &Value,
    value: &Value,
    offsets: &HashMap<String, usize>,
) -> Vec<Problem> {
    let mut found: Vec<Problem> = Vec::new();
    for error in validator.iter_errors(value) {
        let pointer = error.instance_path().as_str().to_string();
        if let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } =
            error.kind()
        {
            let allowed = allowed_keys(schema, error.schema_path().as_str());
            for key in unexpected {
                let at = offsets
                    .get(&format!("{pointer}/{}#key", escape(key)))
                    .copied()
                    .unwrap_or_else(|| nearest_offset(offsets, &pointer));
                let place = if pointer.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in {}", dotted(&pointer))
                };
                let hint = super::typo::closest(key, allowed.iter().map(String::as_str))
                    .map_or(String::new(), |k| format!(" (did you mean {k:?}?)"));
                found.push((
                    at,
                    format!(
                        "unknown key {key:?} {place}{hint}; valid keys: {}",
                        allowed.join(", ")
                    ),
                ));
            }
            continue;
        }
        // A rule id that is not one: said once, below, with a suggestion.
        if pointer.starts_with("/rules/")
            && error
                .schema_path()
                .as_str()
                .ends_with("propertyNames/pattern")
        {
            continue;
        }
        let at = nearest_offset(offsets, &pointer);
        let place = if pointer.is_empty() {
            String::new()
        } else {
            format!("{}: ", dotted(&pointer))
        };
        let message = match error.kind() {
            // Every choice, not jsonschema's "or 2 other candidates".
            jsonschema::error::ValidationErrorKind::Enum { options } => format!(
                "{} is not one of: {}",
                error.instance(),
                options
                    .as_array()
                    .map(|o| o
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            ),
            _ => error.to_string(),
        };
        found.push((at, format!("{place}{message}")));
    }
    if let Some(rules) = value.get("rules").and_then(Value::as_object) {
        for id in rules.keys() {
            if super::rules::by_id(id).is_none() {
                let pointer = format!("/rules/{}", escape(id));
                let at = offsets
                    .get(&format!("{pointer}#key"))
                    .copied()
                    .unwrap_or_else(|| nearest_offset(offsets, "/rules"));
                found.push((
                    at,
                    format!(
                        "rules: unknown rule {id:?}{}; `regcred explain` lists the rules",
                        super::rules::did_you_mean(id)
                    ),
                ));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The keys the schema allows where `additionalProperties` (at
/// `schema_path`, ending `/additionalProperties`) refused one.
fn allowed_keys(schema: &Value, schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    schema
        .pointer(&format!("{parent}/properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// `/registries/private/0` as `registries.private[0]`.
fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        if part.parse::<usize>().is_ok() {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part);
        }
    }
    out
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The offset of the node at `pointer`, or of its nearest ancestor.
pub fn nearest_offset(offsets: &HashMap<String, usize>, pointer: &str) -> usize {
    let mut p = pointer;
    loop {
        if let Some(&o) = offsets.get(p) {
            return o;
        }
        match p.rfind('/') {
            Some(i) => p = &p[..i],
            None => return 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::typo::closest;

    #[test]
    fn near_keys_are_suggested_far_ones_not() {
        let allowed = ["rules", "registries", "skip", "fix"];
        assert_eq!(closest("rulez", allowed), Some("rules"));
        assert_eq!(closest("regsitries", allowed), Some("registries"));
        assert_eq!(closest("fail-on", allowed), None);
        assert_eq!(closest("x", allowed), None);
    }
}
