//! A finding's identity across runs, for the CI formats that track findings
//! over time (SARIF `partialFingerprints`, GitLab Code Quality `fingerprint`).
//!
//! A CI server matches findings of two runs by this value: equal means "the
//! same problem, still there", so it must survive edits that do not touch the
//! problem, chiefly lines added or removed above it. It therefore hashes what
//! names the problem, never where it sits:
//!
//! - the rule id;
//! - the path (a renamed file is a new finding, as for every linter);
//! - the object's identity (apiVersion, kind, namespace, name), but not its
//!   document index, which moves when a document is inserted above;
//! - the message, which names the key, registry or byte offset inside a value
//!   (offsets inside a value do not move with the lines around it) and never
//!   a line or column;
//! - the occurrence: the n-th finding with all of the above equal, in report
//!   order (path, line, column), so two identical findings in one object still
//!   get distinct fingerprints, and keep them when lines above both move.
//!
//! Messages never hold secret bytes, so neither does the hash input.

use sha2::{Digest, Sha256};
use std::collections::HashMap;

use crate::lint::outcome::InputError;
use crate::lint::Reported;

/// Bumped if the hash input changes, so old and new values never collide.
const VERSION: &[u8] = b"regcred-fingerprint/v1";

/// One fingerprint per finding, in the same order: 64 hex digits.
pub fn fingerprints(findings: &[Reported]) -> Vec<String> {
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let key = identity(f);
            let occurrence = seen.entry(key.clone()).or_insert(0);
            *occurrence += 1;
            let mut hash = Sha256::new();
            hash.update(&key);
            hash.update(occurrence.to_string().as_bytes());
            hex(&hash.finalize())
        })
        .collect()
}

/// The hashed fields, each ended by a NUL so that no two field lists give the
/// same bytes.
fn identity(f: &Reported) -> Vec<u8> {
    let object = f.object.as_ref();
    let fields: [&str; 7] = [
        f.rule,
        &f.path,
        object.and_then(|o| o.api_version.as_deref()).unwrap_or(""),
        object.map_or("", |o| o.kind.as_str()),
        object.and_then(|o| o.namespace.as_deref()).unwrap_or(""),
        object.and_then(|o| o.name.as_deref()).unwrap_or(""),
        &f.message,
    ];
    let mut bytes = VERSION.to_vec();
    bytes.push(0);
    for field in fields {
        bytes.extend_from_slice(field.as_bytes());
        bytes.push(0);
    }
    bytes
}

/// An input not read, identified by its path and message (errors are
/// sorted and unique, so no occurrence count is needed).
pub fn error_fingerprint(e: &InputError) -> String {
    let mut hash = Sha256::new();
    hash.update(VERSION);
    hash.update(b"\0input-not-read\0");
    hash.update(e.path.as_deref().unwrap_or("").as_bytes());
    hash.update(b"\0");
    hash.update(e.message.as_bytes());
    hex(&hash.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::outcome::Position;
    use crate::lint::Level;
    use crate::manifest::ObjectId;

    fn finding(line: usize, message: &str, name: &str) -> Reported {
        Reported {
            rule: "secret-data-not-base64",
            level: Level::Error,
            message: message.into(),
            note: None,
            help: None,
            inner: None,
            fix: None,
            path: "deploy/secret.yaml".into(),
            start: Position { line, column: 3 },
            end: Position { line, column: 9 },
            object: Some(ObjectId {
                api_version: Some("v1".into()),
                kind: "Secret".into(),
                name: Some(name.into()),
                namespace: None,
                document: line / 10,
            }),
            excerpt: None,
        }
    }

    #[test]
    fn survive_lines_moving_and_documents_inserted_above() {
        let before = [
            finding(5, "byte 1 is '.'", "a"),
            finding(7, "byte 2 is '.'", "a"),
        ];
        let after = [
            finding(25, "byte 1 is '.'", "a"),
            finding(37, "byte 2 is '.'", "a"),
        ];
        assert_eq!(fingerprints(&before), fingerprints(&after));
    }

    #[test]
    fn unique_per_finding_even_when_identical_but_for_position() {
        let same = [
            finding(5, "byte 1 is '.'", "a"),
            finding(7, "byte 1 is '.'", "a"),
            finding(9, "byte 1 is '.'", "b"),
            finding(11, "byte 2 is '.'", "b"),
        ];
        let prints = fingerprints(&same);
        let unique: std::collections::BTreeSet<_> = prints.iter().collect();
        assert_eq!(unique.len(), prints.len());
        assert!(prints.iter().all(|p| p.len() == 64));
    }

    #[test]
    fn change_when_what_names_the_problem_changes() {
        let a = fingerprints(&[finding(5, "byte 1 is '.'", "a")]);
        let mut renamed = finding(5, "byte 1 is '.'", "a");
        renamed.path = "other.yaml".into();
        let mut other_rule = finding(5, "byte 1 is '.'", "a");
        other_rule.rule = "secret-data-plaintext";
        assert_ne!(a, fingerprints(&[finding(5, "byte 1 is '.'", "b")]));
        assert_ne!(a, fingerprints(&[finding(5, "byte 3 is '.'", "a")]));
        assert_ne!(a, fingerprints(&[renamed]));
        assert_ne!(a, fingerprints(&[other_rule]));
    }
}
