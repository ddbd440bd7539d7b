//! The kubelet's reading of a pull-secret payload (docs/kubernetes.md §2).
//!
//! The kubelet runs `json.Unmarshal` into `DockerConfigJSON{Auths
//! map[string]DockerConfigEntry; HttpHeaders map[string]string}` for
//! `.dockerconfigjson`, or into the bare map for `.dockercfg`. Each entry's
//! own `UnmarshalJSON` reads `username`, `password`, `email` and `auth`, and
//! decodes `auth`. Any error makes the kubelet give up on the whole keyring.
//!
//! Go's decoder keeps going after a type mismatch (it remembers the first one
//! and returns it at the end) but stops at once when an entry's
//! `UnmarshalJSON` fails. [`KubeletReading`] records every problem in document
//! order with whether it stops Go, so lint rules see them all and
//! [`KubeletReading::go_error`] still names the one Go returns.

use std::fmt;
use std::ops::Range;

use crate::gocompat::base64::{decode_auth_field, CorruptInput};
use crate::gocompat::json_value::{Document, Kind, Member, MemberId, NodeId};

/// Which payload shape to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `.dockerconfigjson`: `{"auths": {REGISTRY: ENTRY}}`.
    DockerConfigJson,
    /// `.dockercfg`: `{REGISTRY: ENTRY}`.
    DockerCfg,
}

/// An entry field the kubelet read: the member that set it last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field(MemberId);

impl Field {
    pub fn key_span(self, doc: &Document) -> Range<usize> {
        doc.member(self.0).key_span()
    }

    pub fn value(self, doc: &Document) -> NodeId {
        doc.member(self.0).value
    }

    pub fn value_span(self, doc: &Document) -> Range<usize> {
        doc.span(self.value(doc))
    }

    /// The text of an entry field, "" when absent (Go's zero value; the
    /// kubelet keeps only string fields).
    pub fn text_of<'d>(field: &Option<Field>, doc: &'d Document) -> &'d str {
        field.and_then(|f| doc.as_str(f.value(doc))).unwrap_or("")
    }
}

/// User and password as the kubelet will send them. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: Vec<u8>,
    pub password: Vec<u8>,
    /// Taken from `auth` (which wins over the username/password fields).
    pub from_auth: bool,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Credentials {{ username: <{} bytes>, password: <{} bytes>, from_auth: {} }}",
            self.username.len(),
            self.password.len(),
            self.from_auth
        )
    }
}

/// One `REGISTRY: ENTRY` member, as the kubelet decoded it. Compact (a
/// config may hold a million, docs/limits.md): what it says is read from
/// the document when asked.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistryEntry {
    member: MemberId,
    /// False when a later duplicate key or a later `"auths": null` replaced it.
    pub effective: bool,
    /// Whether the kubelet decoded the entry (so it has credentials).
    decoded: bool,
    pub username: Option<Field>,
    pub password: Option<Field>,
    pub email: Option<Field>,
    pub auth: Option<Field>,
}

/// Whether an entry's `auth` agrees with its `username` / `password` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthAgreement {
    /// No `auth` with text: the kubelet sends the fields.
    NoAuth,
    /// `auth` does not decode to `user:password` (a problem says why).
    Undecodable,
    /// `auth` decodes to what the fields hold; a field that is absent or ""
    /// is not a contradiction.
    Agrees,
    /// `auth` wins, and decodes to another username, password or both.
    Differs { username: bool, password: bool },
}

impl RegistryEntry {
    /// The key, unquoted (not secret).
    pub fn registry<'d>(&self, doc: &'d Document) -> &'d str {
        doc.key(doc.member(self.member))
    }

    pub fn key_span(&self, doc: &Document) -> Range<usize> {
        doc.member(self.member).key_span()
    }

    /// The entry's value.
    pub fn value(&self, doc: &Document) -> NodeId {
        doc.member(self.member).value
    }

    pub fn value_span(&self, doc: &Document) -> Range<usize> {
        doc.span(self.value(doc))
    }

    /// Key spans of `identitytoken` / `registrytoken`, which the kubelet ignores.
    pub fn ignored_tokens(&self, doc: &Document) -> Vec<Range<usize>> {
        doc.members(self.value(doc))
            .iter()
            .filter(|m| {
                let key = doc.key(m);
                go_field_matches("identitytoken", key) || go_field_matches("registrytoken", key)
            })
            .map(Member::key_span)
            .collect()
    }

    /// The user and password the kubelet sends; None when decoding the
    /// entry failed.
    pub fn credentials(&self, doc: &Document) -> Option<Credentials> {
        if !self.decoded {
            return None;
        }
        credentials(self, doc).ok()
    }

    /// How `auth` compares with the fields (the kubelet uses `auth` when set).
    pub fn auth_agreement(&self, doc: &Document) -> AuthAgreement {
        if Field::text_of(&self.auth, doc).is_empty() {
            return AuthAgreement::NoAuth;
        }
        let Some(credentials) = self.credentials(doc).filter(|c| c.from_auth) else {
            return AuthAgreement::Undecodable;
        };
        let differs = |field: &Option<Field>, decoded: &[u8]| {
            let text = Field::text_of(field, doc);
            !text.is_empty() && text.as_bytes() != decoded
        };
        let username = differs(&self.username, &credentials.username);
        let password = differs(&self.password, &credentials.password);
        if username || password {
            AuthAgreement::Differs { username, password }
        } else {
            AuthAgreement::Agrees
        }
    }
}

/// Where a type mismatch sits, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldPath {
    /// The whole payload.
    Root,
    /// The value of `auths`.
    Auths,
    /// The value of `HttpHeaders`.
    HttpHeaders,
    /// One header value.
    HttpHeader { name: String },
    /// A registry's entry.
    Entry { registry: String },
    /// A field of a registry's entry (`username`, `password`, `email`, `auth`).
    EntryField {
        registry: String,
        field: &'static str,
    },
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Root => write!(f, "the payload"),
            FieldPath::Auths => write!(f, "auths"),
            FieldPath::HttpHeaders => write!(f, "HttpHeaders"),
            FieldPath::HttpHeader { name } => write!(f, "HttpHeaders.{name:?}"),
            FieldPath::Entry { registry } => write!(f, "the entry for {registry:?}"),
            FieldPath::EntryField { registry, field } => {
                write!(f, "{field} of {registry:?}")
            }
        }
    }
}

/// Something that makes the kubelet's `json.Unmarshal` fail.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Go's `UnmarshalTypeError`: a value of the wrong JSON kind.
    WrongType {
        path: FieldPath,
        found: Kind,
        /// What Go wanted there, with an article ("an object", "a string").
        expected: &'static str,
        span: Range<usize>,
        /// Inside an entry (its `UnmarshalJSON` fails, Go stops at once);
        /// otherwise Go remembers it and goes on.
        stops_go: bool,
    },
    /// `auth` is not base64 as the kubelet decodes it.
    AuthNotBase64 {
        entry: usize,
        error: CorruptInput,
        /// Decoded with `StdEncoding` (value ended in `=`) or `RawStdEncoding`.
        padded: bool,
        /// The offending byte in the payload when the source spells the
        /// string verbatim, else the whole `auth` value.
        span: Range<usize>,
    },
    /// `auth` decodes, but has no `:` to split at.
    AuthNoColon {
        entry: usize,
        decoded_len: usize,
        decoded_is_text: bool,
        span: Range<usize>,
    },
}

impl Problem {
    /// Whether Go's decoder stops at this problem (an entry's `UnmarshalJSON`
    /// failed) rather than remembering it and going on.
    pub fn stops_go(&self) -> bool {
        match self {
            Problem::WrongType { stops_go, .. } => *stops_go,
            Problem::AuthNotBase64 { .. } | Problem::AuthNoColon { .. } => true,
        }
    }
}

/// The kubelet's view of a payload that is syntactically valid JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct KubeletReading {
    pub shape: Shape,
    /// Every entry, in document order (duplicates included, see `effective`).
    pub registries: Vec<RegistryEntry>,
    /// Every problem, in document order.
    pub problems: Vec<Problem>,
    /// `.dockerconfigjson`: the last root member whose key Go matches to `auths`.
    pub auths: Option<Member>,
    /// Key spans of `credsStore` / `credHelpers` at the top level.
    pub credential_helpers: Vec<Range<usize>>,
}

impl KubeletReading {
    /// The error Go's `json.Unmarshal` returns: the first problem that stops
    /// it, else the first one it remembered.
    pub fn go_error(&self) -> Option<&Problem> {
        self.problems
            .iter()
            .find(|p| p.stops_go())
            .or_else(|| self.problems.first())
    }

    /// The kubelet accepts the payload (it may still hold no registry).
    pub fn accepted(&self) -> bool {
        self.problems.is_empty()
    }

    /// The entries in the kubelet's final map.
    pub fn effective(&self) -> impl Iterator<Item = &RegistryEntry> {
        self.registries.iter().filter(|e| e.effective)
    }
}

/// Go `encoding/json`'s match of a JSON key to a struct field name: ASCII
/// case-insensitive, plus U+017F (ſ) for `s` and U+212A (K) for `k`
/// (`equalFoldRight` in encoding/json/fold.go).
pub fn go_field_matches(name: &str, key: &str) -> bool {
    let mut key_chars = key.chars();
    for nb in name.bytes() {
        let ok = match key_chars.next() {
            None => return false,
            Some('\u{17f}') => nb.eq_ignore_ascii_case(&b's'),
            Some('\u{212a}') => nb.eq_ignore_ascii_case(&b'k'),
            Some(c) => {
                u8::try_from(c).is_ok_and(|kb| kb.is_ascii() && kb.eq_ignore_ascii_case(&nb))
            }
        };
        if !ok {
            return false;
        }
    }
    key_chars.next().is_none()
}

/// Reads a parsed payload as the kubelet does.
pub fn read(doc: &Document, shape: Shape) -> KubeletReading {
    let mut reading = KubeletReading {
        shape,
        registries: Vec::new(),
        problems: Vec::new(),
        auths: None,
        credential_helpers: Vec::new(),
    };
    let root = doc.root();
    match doc.kind(root) {
        Kind::Null => {}
        Kind::Object => match shape {
            Shape::DockerCfg => read_registries(doc, root, &mut reading),
            Shape::DockerConfigJson => read_docker_config_json(doc, root, &mut reading),
        },
        found => reading.problems.push(Problem::WrongType {
            path: FieldPath::Root,
            found,
            expected: Kind::Object.described(),
            span: doc.span(root),
            stops_go: false,
        }),
    }
    if let Kind::Object = doc.kind(root) {
        for member in doc.members(root) {
            let key = doc.key(member);
            if go_field_matches("credsStore", key) || go_field_matches("credHelpers", key) {
                reading.credential_helpers.push(member.key_span());
            }
        }
    }
    reading
}

fn read_docker_config_json(doc: &Document, root: NodeId, reading: &mut KubeletReading) {
    for member in doc.members(root) {
        if go_field_matches("auths", doc.key(member)) {
            reading.auths = Some(*member);
            match doc.kind(member.value) {
                // Go sets the map to nil: what came before is gone.
                Kind::Null => {
                    for entry in &mut reading.registries {
                        entry.effective = false;
                    }
                }
                // Go decodes into the existing map: entries accumulate.
                Kind::Object => read_registries(doc, member.value, reading),
                found => reading.problems.push(Problem::WrongType {
                    path: FieldPath::Auths,
                    found,
                    expected: Kind::Object.described(),
                    span: doc.span(member.value),
                    stops_go: false,
                }),
            }
        } else if go_field_matches("HttpHeaders", doc.key(member)) {
            read_http_headers(doc, member.value, reading);
        }
    }
}

fn read_http_headers(doc: &Document, value: NodeId, reading: &mut KubeletReading) {
    match doc.kind(value) {
        Kind::Null => {}
        Kind::Object => {
            for header in doc.members(value) {
                match doc.kind(header.value) {
                    Kind::String | Kind::Null => {}
                    found => reading.problems.push(Problem::WrongType {
                        path: FieldPath::HttpHeader {
                            name: doc.key(header).to_string(),
                        },
                        found,
                        expected: Kind::String.described(),
                        span: doc.span(header.value),
                        stops_go: false,
                    }),
                }
            }
        }
        found => reading.problems.push(Problem::WrongType {
            path: FieldPath::HttpHeaders,
            found,
            expected: Kind::Object.described(),
            span: doc.span(value),
            stops_go: false,
        }),
    }
}

fn read_registries(doc: &Document, map: NodeId, reading: &mut KubeletReading) {
    reading.registries.reserve_exact(doc.members(map).len());
    for member in doc.member_ids(map) {
        let index = reading.registries.len();
        let entry = read_entry(doc, member, index, &mut reading.problems);
        reading.registries.push(entry);
    }
    keep_last_of_each_key(doc, &mut reading.registries);
}

/// A later duplicate key replaces an earlier entry in Go's map, also one
/// of an earlier `auths`. By sorting, not hashing: a million registries
/// must cost a small multiple of their text (docs/limits.md).
fn keep_last_of_each_key(doc: &Document, entries: &mut [RegistryEntry]) {
    let mut order: Vec<usize> = (0..entries.len())
        .filter(|&i| entries.get(i).is_some_and(|e| e.effective))
        .collect();
    let key = |i: usize| entries.get(i).map_or("", |e| e.registry(doc));
    order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)).then(a.cmp(&b)));
    let replaced: Vec<usize> = order
        .windows(2)
        .filter_map(|pair| match pair {
            [a, b] if key(*a) == key(*b) => Some(*a),
            _ => None,
        })
        .collect();
    for i in replaced {
        if let Some(entry) = entries.get_mut(i) {
            entry.effective = false;
        }
    }
}

const ENTRY_FIELDS: [&str; 4] = ["username", "password", "email", "auth"];

// The kubelet's `DockerConfigEntry.UnmarshalJSON`.
fn read_entry(
    doc: &Document,
    member_id: MemberId,
    index: usize,
    problems: &mut Vec<Problem>,
) -> RegistryEntry {
    let member = doc.member(member_id);
    let mut entry = RegistryEntry {
        member: member_id,
        effective: true,
        decoded: false,
        username: None,
        password: None,
        email: None,
        auth: None,
    };
    let mut failed = false;
    match doc.kind(member.value) {
        Kind::Null => {}
        Kind::Object => {
            for field_id in doc.member_ids(member.value) {
                let field_member = doc.member(field_id);
                let Some(name) = ENTRY_FIELDS
                    .iter()
                    .find(|name| go_field_matches(name, doc.key(field_member)))
                else {
                    continue;
                };
                match doc.kind(field_member.value) {
                    // Go leaves a field alone on null.
                    Kind::Null => {}
                    Kind::String => {
                        let field = Some(Field(field_id));
                        match *name {
                            "username" => entry.username = field,
                            "password" => entry.password = field,
                            "email" => entry.email = field,
                            _ => entry.auth = field,
                        }
                    }
                    found => {
                        failed = true;
                        problems.push(Problem::WrongType {
                            path: FieldPath::EntryField {
                                registry: doc.key(member).to_string(),
                                field: name,
                            },
                            found,
                            expected: Kind::String.described(),
                            span: doc.span(field_member.value),
                            stops_go: true,
                        });
                    }
                }
            }
        }
        found => {
            failed = true;
            problems.push(Problem::WrongType {
                path: FieldPath::Entry {
                    registry: doc.key(member).to_string(),
                },
                found,
                expected: Kind::Object.described(),
                span: doc.span(member.value),
                stops_go: true,
            });
        }
    }
    match credentials(&entry, doc) {
        Ok(_) => entry.decoded = !failed,
        Err(problem) => problems.push(problem.located(index)),
    }
    entry
}

/// Why `auth` gives no credentials, before it is tied to its entry.
enum AuthProblem {
    NotBase64 {
        error: CorruptInput,
        padded: bool,
        span: Range<usize>,
    },
    NoColon {
        decoded_len: usize,
        decoded_is_text: bool,
        span: Range<usize>,
    },
}

impl AuthProblem {
    fn located(self, entry: usize) -> Problem {
        match self {
            AuthProblem::NotBase64 {
                error,
                padded,
                span,
            } => Problem::AuthNotBase64 {
                entry,
                error,
                padded,
                span,
            },
            AuthProblem::NoColon {
                decoded_len,
                decoded_is_text,
                span,
            } => Problem::AuthNoColon {
                entry,
                decoded_len,
                decoded_is_text,
                span,
            },
        }
    }
}

/// The credentials an entry's fields give: `auth` when it has text
/// (the kubelet's `decodeDockerConfigFieldAuth`), else the fields.
fn credentials(entry: &RegistryEntry, doc: &Document) -> Result<Credentials, AuthProblem> {
    let text = |field: &Option<Field>| Field::text_of(field, doc);
    let auth = text(&entry.auth);
    let Some(field) = entry.auth.filter(|_| !auth.is_empty()) else {
        return Ok(Credentials {
            username: text(&entry.username).as_bytes().to_vec(),
            password: text(&entry.password).as_bytes().to_vec(),
            from_auth: false,
        });
    };
    let value_span = field.value_span(doc);
    match decode_auth_field(auth) {
        Err(error) => {
            let span = doc
                .source_offset_in_string(field.value(doc), error.offset)
                .filter(|_| error.offset < auth.len())
                .map_or(value_span, |at| at..at + 1);
            Err(AuthProblem::NotBase64 {
                error,
                padded: auth.trim().ends_with('='),
                span,
            })
        }
        Ok(decoded) => match decoded.iter().position(|&b| b == b':') {
            Some(colon) => Ok(Credentials {
                username: decoded.get(..colon).unwrap_or_default().to_vec(),
                password: decoded.get(colon + 1..).unwrap_or_default().to_vec(),
                from_auth: true,
            }),
            None => Err(AuthProblem::NoColon {
                decoded_len: decoded.len(),
                decoded_is_text: std::str::from_utf8(&decoded)
                    .is_ok_and(|t| !t.chars().any(|c| c.is_control())),
                span: value_span,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gocompat::json_value::parse;

    fn read_str(s: &str, shape: Shape) -> (Document, KubeletReading) {
        let doc = parse(s.as_bytes()).unwrap();
        let reading = read(&doc, shape);
        (doc, reading)
    }

    fn creds(
        doc: &Document,
        reading: &KubeletReading,
        registry: &str,
    ) -> Option<(Vec<u8>, Vec<u8>)> {
        reading
            .effective()
            .find(|e| e.registry(doc) == registry)
            .and_then(|e| e.credentials(doc))
            .map(|c| (c.username, c.password))
    }

    #[test]
    fn field_names_fold_like_go() {
        assert!(go_field_matches("auths", "AUTHS"));
        assert!(go_field_matches("auths", "auth\u{17f}"));
        assert!(go_field_matches("username", "UserName"));
        assert!(!go_field_matches("auth", "auths"));
        assert!(!go_field_matches("auth", "\u{e1}uth"));
        assert!(!go_field_matches("email", "emai1"));
    }

    #[test]
    fn auth_wins_and_splits_at_the_first_colon() {
        // dTpwOnE= is "u:p:q"
        let (doc, r) = read_str(
            r#"{"AUTHS":{"reg.io":{"Username":"x","password":"y","auth":"dTpwOnE="}}}"#,
            Shape::DockerConfigJson,
        );
        assert!(r.accepted());
        assert_eq!(
            creds(&doc, &r, "reg.io"),
            Some((b"u".to_vec(), b"p:q".to_vec()))
        );
    }

    #[test]
    fn fields_are_used_without_auth() {
        let (doc, r) = read_str(
            r#"{"reg.io":{"username":"x","password":"y","auth":""}}"#,
            Shape::DockerCfg,
        );
        assert_eq!(
            creds(&doc, &r, "reg.io"),
            Some((b"x".to_vec(), b"y".to_vec()))
        );
    }

    #[test]
    fn auth_errors_stop_go_and_are_located() {
        let input = r#"{"auths":{"a":{"auth":"dT pw"}}}"#;
        let (_, r) = read_str(input, Shape::DockerConfigJson);
        match r.go_error() {
            Some(Problem::AuthNotBase64 {
                error,
                padded,
                span,
                ..
            }) => {
                assert_eq!(error.offset, 2);
                assert!(!padded);
                assert_eq!(&input[span.clone()], " ");
            }
            other => panic!("{other:?}"),
        }
        let (_, r) = read_str(
            r#"{"auths":{"a":{"auth":"dXNlcg=="}}}"#,
            Shape::DockerConfigJson,
        );
        assert!(matches!(
            r.go_error(),
            Some(Problem::AuthNoColon {
                decoded_len: 4,
                decoded_is_text: true,
                ..
            })
        ));
    }

    #[test]
    fn entry_type_errors_stop_go_before_remembered_ones() {
        let (_, r) = read_str(
            r#"{"auths":5,"HttpHeaders":{"a":1},"AUTHS":{"r":{"username":true}}}"#,
            Shape::DockerConfigJson,
        );
        assert_eq!(r.problems.len(), 3);
        assert!(matches!(
            r.go_error(),
            Some(Problem::WrongType {
                found: Kind::Bool,
                stops_go: true,
                ..
            })
        ));
    }

    #[test]
    fn null_auths_clears_and_duplicates_replace() {
        let (doc, r) = read_str(
            r#"{"auths":{"a":{}},"auths":null,"auths":{"b":{"auth":"dTpw"},"b":{"username":"v","password":"w"}}}"#,
            Shape::DockerConfigJson,
        );
        assert!(r.accepted());
        let names: Vec<_> = r.effective().map(|e| e.registry(&doc)).collect();
        assert_eq!(names, ["b"]);
        assert_eq!(creds(&doc, &r, "b"), Some((b"v".to_vec(), b"w".to_vec())));
    }

    #[test]
    fn null_entry_and_null_fields_are_empty() {
        let (doc, r) = read_str(
            r#"{"a":null,"b":{"auth":"dTpw","auth":null}}"#,
            Shape::DockerCfg,
        );
        assert!(r.accepted());
        assert_eq!(creds(&doc, &r, "a"), Some((vec![], vec![])));
        assert_eq!(creds(&doc, &r, "b"), Some((b"u".to_vec(), b"p".to_vec())));
    }

    #[test]
    fn credentials_never_show_in_debug() {
        let (_, r) = read_str(r#"{"a":{"auth":"aHVudGVyOmh1bnRlcjI="}}"#, Shape::DockerCfg);
        let debug = format!("{r:?}");
        assert!(!debug.contains("hunter"));
        assert!(!debug.contains("aHVudGVy"));
    }
}
