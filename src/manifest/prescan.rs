//! Decides from a document's bytes, without parsing it, whether it can
//! matter to any rule: most documents in a repository (Services,
//! ConfigMaps, CRDs, Helm values) never can, and the YAML parser is the
//! linter's main cost (~35 MB/s per core, against GB/s for these scans).
//!
//! The answer must be conservative: `false` only when no parse of the
//! document could yield a finding or feed the cross-file index. A document
//! matters when it may be
//! - a Secret, SealedSecret, ExternalSecret (any kind naming `Secret`),
//!   a ServiceAccount or a kustomization;
//! - a pod-bearing workload: Pod, PodTemplate, Deployment, StatefulSet,
//!   DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, or any
//!   object with a `spec` holding `containers`;
//! - a `List` (its items are objects).
//!
//! The kind is read by a strict line scan of the top-level block mapping
//! (see [`top_level`]); whatever that scan cannot vouch for (flow style,
//! JSON, quoted, tagged, anchored, aliased or complex keys, directives,
//! escapes, a kind continued on the next line) is a document that matters.

/// Kinds whose objects the hooks read. A kind containing `Secret` (Secret,
/// SealedSecret, ExternalSecret, ClusterExternalSecret...) or ending in
/// `List` matters too.
const KINDS_THAT_MATTER: &[&[u8]] = &[
    b"ServiceAccount",
    b"Kustomization",
    b"Component",
    b"Pod",
    b"PodTemplate",
    b"Deployment",
    b"StatefulSet",
    b"DaemonSet",
    b"ReplicaSet",
    b"ReplicationController",
    b"Job",
    b"CronJob",
    // chainsaw and kyverno CLI tests name test-expectation files.
    b"Test",
];

/// Kinds of [`KINDS_THAT_MATTER`] that define something the index holds
/// (besides the Secret-like kinds and lists).
const DEFINING_KINDS: &[&[u8]] = &[b"ServiceAccount", b"Kustomization", b"Component", b"Test"];

/// Whether `doc` holds an escape that can spell a letter in a
/// double-quoted scalar: `\x`, `\u`, `\U` (`"ki\u006ed"`), or an escaped
/// line break, which joins `"ki\` and `nd"` into `kind`. The others (`\"`,
/// `\n`, `\t`, `\\`...) stand for a quote, a control or a non-ASCII
/// character, never a letter of a key or kind.
fn letter_escapes(doc: &[u8]) -> bool {
    memchr::memchr_iter(b'\\', doc).any(|at| {
        matches!(
            doc.get(at + 1),
            Some(b'x' | b'u' | b'U' | b'\n' | b'\r') | None
        )
    })
}

/// The document (a YAML document's text, its `---` line included or not)
/// may yield a finding or define something a finding refers to.
pub fn may_matter(doc: &[u8]) -> bool {
    let find = |needle: &[u8]| memchr::memmem::find(doc, needle).is_some();
    // An escape may spell any key or kind (`"ki\u006ed"`): nothing below
    // can be vouched for.
    let escapes = letter_escapes(doc);
    // An object needs a `kind` key, which can only be written literally.
    if !escapes && !find(b"kind") {
        return false;
    }
    let Some(top) = top_level(doc) else {
        return true;
    };
    let Some(kind) = top.kind else {
        // No top-level `kind`: no object (an indented or flow root failed
        // the scan above and matters).
        return false;
    };
    if KINDS_THAT_MATTER.contains(&kind)
        || memchr::memmem::find(kind, b"Secret").is_some()
        || kind.ends_with(b"List")
    {
        return true;
    }
    // Any other kind carries a pod spec only under a top-level `spec`
    // (`spec.template.spec`, `spec.jobTemplate.spec.template.spec`) and
    // only with `containers` written somewhere (or escaped).
    top.has_spec && (escapes || find(b"ontainers"))
}

/// What the strict scan learns of a document's top-level block mapping.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TopLevel<'a> {
    /// The `kind` value, when there is exactly one `kind` key.
    pub kind: Option<&'a [u8]>,
    /// A top-level `spec` key exists.
    pub has_spec: bool,
}

/// Reads the top-level keys of a document whose root is a block mapping
/// written at column 0, the way Kubernetes manifests are. In such a
/// document every top-level key starts a line at column 0; lines at column
/// 0 that are not keys (inside a multi-line scalar) can only add keys,
/// which makes the answer more conservative (two `kind` lines: `None`).
///
/// `None` when the document is anything else or uses a construct the scan
/// does not follow: a line at column 0 that is not a comment, a plain key,
/// a `-` item of the previous key's sequence or a bare `---`/`...` marker;
/// a `kind` that is not a single-line plain or simply quoted word.
pub fn top_level(doc: &[u8]) -> Option<TopLevel<'_>> {
    let mut top = TopLevel::default();
    let mut kinds = 0;
    // The previous key had no value on its line: `-` items may follow.
    let mut open_value = false;
    // The line after `kind: X` must not continue its value.
    let mut after_kind = false;
    // A key at column 0 has been seen: indented lines are its value's.
    let mut keyed = false;
    // Only lines at column 0 are read; memchr jumps between line starts.
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', doc).map(|i| i + 1));
    for start in starts {
        let Some(&c) = doc.get(start) else {
            continue;
        };
        match c {
            b'\n' => continue,
            b' ' if keyed && !after_kind => continue,
            b' ' => {
                // An indented root, or a `kind` value continued.
                if line_at(doc, start).iter().all(|&b| b == b' ') {
                    continue;
                }
                return None;
            }
            b'#' => {
                after_kind = false;
                continue;
            }
            _ => {}
        }
        after_kind = false;
        let line = line_at(doc, start);
        if line.is_empty() {
            continue;
        }
        if start == 0 && is_marker(line) {
            if !bare_marker(line) {
                return None;
            }
            continue;
        }
        if c == b'-' && matches!(line.get(1), None | Some(b' ')) {
            if !open_value {
                return None;
            }
            continue;
        }
        let (key, rest) = plain_key(line)?;
        keyed = true;
        open_value = value_is_empty(rest);
        match key {
            b"kind" => {
                kinds += 1;
                top.kind = Some(single_word(rest)?);
                after_kind = true;
            }
            b"spec" => top.has_spec = true,
            _ => {}
        }
    }
    // Two `kind` keys: one may sit inside a multi-line scalar.
    (kinds <= 1).then_some(top)
}

/// The line starting at `start`, without its line break.
fn line_at(doc: &[u8], start: usize) -> &[u8] {
    let rest = doc.get(start..).unwrap_or(&[]);
    let line = rest
        .get(..memchr::memchr(b'\n', rest).unwrap_or(rest.len()))
        .unwrap_or(rest);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A line (or the rest of the text) starting with a document marker:
/// `---` or `...` followed by a blank or the end of the line.
fn is_marker(line: &[u8]) -> bool {
    (line.starts_with(b"---") || line.starts_with(b"..."))
        && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// `---` or `...` alone, or followed by a comment: no content on the line.
fn bare_marker(line: &[u8]) -> bool {
    let rest = line.get(3..).unwrap_or(&[]);
    match rest.first() {
        None => true,
        Some(b' ' | b'\t') => value_is_empty(rest),
        _ => false,
    }
}

/// A plain key at column 0 and what follows its `:`.
fn plain_key(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = line
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-')))
        .unwrap_or(line.len());
    let key = line.get(..end)?;
    if key.is_empty() || !key.first()?.is_ascii_alphanumeric() {
        return None;
    }
    let rest = line.get(end..)?;
    let spaces = rest.iter().take_while(|&&b| b == b' ').count();
    let rest = rest.get(spaces..)?;
    let rest = rest.strip_prefix(b":")?;
    match rest.first() {
        None | Some(b' ' | b'\t') => Some((key, rest)),
        _ => None,
    }
}

/// Only blanks, maybe a comment, after the `:`.
fn value_is_empty(rest: &[u8]) -> bool {
    let rest = trim_start(rest);
    rest.is_empty() || rest.first() == Some(&b'#')
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let n = bytes
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    bytes.get(n..).unwrap_or(&[])
}

/// The value after `kind:` when it is one word, plain or quoted without
/// escapes, maybe followed by a comment.
fn single_word(rest: &[u8]) -> Option<&[u8]> {
    let rest = trim_start(rest);
    let (word, after) = match rest.first()? {
        q @ (b'"' | b'\'') => {
            let inner = rest.get(1..)?;
            let close = memchr::memchr(*q, inner)?;
            (inner.get(..close)?, inner.get(close + 1..)?)
        }
        _ => {
            let end = rest
                .iter()
                .position(|&b| b == b' ' || b == b'\t')
                .unwrap_or(rest.len());
            (rest.get(..end)?, rest.get(end..)?)
        }
    };
    if word.is_empty()
        || !word
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return None;
    }
    value_is_empty(after).then_some(word)
}

/// Where the document starting at `start` ends: the next line that starts
/// a document (`---`) or ends one (`...`), or the end of `text`. Such a
/// line cannot be inside a scalar (YAML forbids it), so this is where the
/// parser ends the document too.
pub fn document_end(text: &[u8], start: usize) -> usize {
    let rest = text.get(start..).unwrap_or(&[]);
    // This document's own `---` is not its end.
    let from = usize::from(rest.starts_with(b"---")) * 3;
    memchr::memchr_iter(b'\n', rest.get(from..).unwrap_or(&[]))
        .map(|i| from + i + 1)
        .find(|&line| rest.get(line..).is_some_and(is_marker))
        .map_or(text.len(), |end| start + end)
}

/// Every document of a stream, as split by [`document_end`].
pub fn documents(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = document_end(text, start).max(start + 1);
        let doc = text.get(start..end)?;
        start = end;
        Some(doc)
    })
}

/// Whether a document names a kind at its top level (a line starting
/// `kind:`, or JSON's `"kind"`): most likely one Kubernetes object. Counts
/// the objects of documents not parsed.
pub fn names_a_kind(doc: &[u8]) -> bool {
    doc.starts_with(b"kind:")
        || memchr::memmem::find(doc, b"\nkind:").is_some()
        || memchr::memmem::find(doc, b"\"kind\"").is_some()
}

/// Some document of the stream may matter: the file must be parsed.
pub fn any_may_matter(text: &[u8]) -> bool {
    documents(text).any(may_matter)
}

/// The document may define something the cross-file index holds: a
/// Secret-like object, a ServiceAccount, a kustomization, or a `List` of
/// objects. Pods are left out: context files (`--context`) are only
/// indexed. As conservative as [`may_matter`].
pub fn may_define(doc: &[u8]) -> bool {
    let escapes = letter_escapes(doc);
    if !escapes && memchr::memmem::find(doc, b"kind").is_none() {
        return false;
    }
    let Some(top) = top_level(doc) else {
        return true;
    };
    top.kind.is_some_and(|kind| {
        DEFINING_KINDS.contains(&kind)
            || memchr::memmem::find(kind, b"Secret").is_some()
            || kind.ends_with(b"List")
    })
}

/// Some document of the stream may define something: the file must be
/// parsed to be indexed.
pub fn any_may_define(text: &[u8]) -> bool {
    documents(text).any(may_define)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matters(s: &str) -> bool {
        may_matter(s.as_bytes())
    }

    #[test]
    fn only_definitions_are_kept_for_the_index() {
        let defines = |s: &str| may_define(s.as_bytes());
        for kept in [
            "kind: Secret\n",
            "kind: SealedSecret\n",
            "kind: ServiceAccount\n",
            "kind: Kustomization\n",
            "kind: List\nitems: []\n",
            "{\"kind\": \"Deployment\"}",
            "kind: \"Serv\\u0069ceAccount\"\n",
        ] {
            assert!(defines(kept), "{kept}");
            assert!(matters(kept), "{kept}");
        }
        for dropped in [
            "kind: Deployment\nspec:\n  template:\n    spec:\n      containers: []\n",
            "kind: Pod\n",
            "kind: ConfigMap\n",
            "replicas: 3\n",
        ] {
            assert!(!defines(dropped), "{dropped}");
        }
    }

    #[test]
    fn inert_kinds_are_skipped() {
        assert!(!matters(
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: |\n    imagePullSecrets Secret containers\n"
        ));
        assert!(!matters(
            "apiVersion: v1\nkind: Service\nspec:\n  ports: []\n"
        ));
        assert!(!matters("replicas: 3\nimage: nginx\n"));
        assert!(!matters("# kind: Secret only in a comment\n"));
        assert!(!matters(
            "---\n# c\nkind: 'Namespace'  # c\nmetadata: {name: x}\n"
        ));
    }

    #[test]
    fn escapes_that_cannot_spell_a_letter_are_no_reason_to_parse() {
        // A dashboard JSON with quoted PromQL (kubernetes-engine-samples).
        assert!(!matters(
            "{\"query\": \"sum(rate(x{job=\\\"a\\\"}[5m]))\\n\", \"tab\": \"\\t\\\\\"}\n"
        ));
        for letter in [
            "{\"ki\\u006ed\": \"Secret\"}\n",
            "\"ki\\x6ed\": Secret\n",
            "\"ki\\U0000006ed\": Secret\n",
            "\"ki\\\n  nd\": Secret\n",
            "\"ki\\\r\n  nd\": Secret\n",
        ] {
            assert!(matters(letter), "{letter:?}");
            assert!(may_define(letter.as_bytes()), "{letter:?}");
        }
        // A backslash that ends the text: nothing known follows it.
        assert!(letter_escapes(b"\"x\\"));
        assert!(!letter_escapes(b"\"x\\\\ \\\" \\n\""));
    }

    #[test]
    fn objects_the_rules_read_matter() {
        for kind in [
            "Secret",
            "SealedSecret",
            "ExternalSecret",
            "ServiceAccount",
            "Deployment",
            "CronJob",
            "Pod",
            "List",
            "DeploymentList",
        ] {
            assert!(matters(&format!("kind: {kind}\n")), "{kind}");
            assert!(matters(&format!("kind: \"{kind}\"\r\n")), "{kind}");
        }
        // A custom resource shaped like a workload.
        assert!(matters(
            "kind: Rollout\nspec:\n  template:\n    spec:\n      containers: []\n"
        ));
        assert!(!matters("kind: Rollout\nspec:\n  replicas: 1\n"));
    }

    #[test]
    fn what_the_scan_cannot_vouch_for_matters() {
        let unsure = [
            "{kind: ConfigMap}\n",
            "{\"kind\": \"ConfigMap\"}\n",
            "\"kind\": ConfigMap\n",
            "kind: ConfigMap\nkind: Secret\n",
            "kind:\n  ConfigMap\n",
            "kind: Config\n  Map\n",
            "kind: !!str ConfigMap\n",
            "kind: *k\n",
            "kind: &k ConfigMap\n",
            "<<: *base\nkind: ConfigMap\n",
            "? kind\n: ConfigMap\n",
            "  kind: ConfigMap\n",
            "# c\n  kind: Secret\n",
            "\n\n    kind: Secret\n",
            "--- !!map\nkind: ConfigMap\n",
            "%YAML 1.2\n---\nkind: ConfigMap\n",
            "kind: \"Con\\x66igMap\"\n",
            "\u{feff}kind: ConfigMap\n",
            "- kind: ConfigMap\n",
            "\tkind: ConfigMap\n",
        ];
        for doc in unsure {
            assert!(matters(doc), "{doc:?}");
        }
        // A comment or a blank line then col 0 ends the plain value.
        assert!(!matters("kind: ConfigMap\n\n# c\ndata: {}\n"));
        // Sequences of a key with an empty value, at column 0.
        assert!(!matters("kind: ConfigMap\nitems:\n- a\n- b\nx: 1\n"));
    }

    #[test]
    fn documents_split_at_marker_lines() {
        let text = b"a: 1\n---\nkind: Secret\n...\n--- # c\nb: 2\n---x: 3\n";
        let docs: Vec<&[u8]> = documents(text).collect();
        assert_eq!(
            docs,
            vec![
                &b"a: 1\n"[..],
                b"---\nkind: Secret\n",
                b"...\n",
                b"--- # c\nb: 2\n---x: 3\n"
            ]
        );
        assert!(any_may_matter(text));
        assert!(!any_may_matter(b"kind: Service\n---\nkind: ConfigMap\n"));
    }
}
