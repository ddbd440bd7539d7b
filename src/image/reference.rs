//! The Docker image reference grammar (distribution/reference), with one
//! reason per way a reference can be invalid.
//!
//! ```text
//! reference        := name [ ":" tag ] [ "@" digest ]
//! name             := [domain "/"] path-component ["/" path-component]*
//! domain           := host [":" port]      host: domain-name | "[" IPv6 "]"
//! domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
//! path-component   := [a-z0-9]+ (separator [a-z0-9]+)*   separator: . _ __ -+
//! tag              := [\w][\w.-]{0,127}
//! digest           := algorithm ":" hex    (sha256: 64, sha384: 96, sha512: 128 lower-case hex)
//! ```
//!
//! Parsing follows `ParseNormalizedNamed`, which the kubelet uses: Docker Hub
//! defaults are applied first, the repository must be lower case, the whole
//! name (`docker.io/library/...` included) is at most 255 bytes.

use super::normalize::split_docker_domain;
use crate::placeholder::placeholder;

/// The longest name distribution/reference accepts (`NameTotalLengthMax`).
pub const NAME_TOTAL_LENGTH_MAX: usize = 255;
const TAG_LENGTH_MAX: usize = 128;

/// A valid reference, normalized as Docker does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The registry, `docker.io` for Docker Hub. Empty in one odd case Docker
    /// allows: a first component with `.` that is no valid host but a valid
    /// path component (`a_b.io/x`).
    pub domain: String,
    /// The repository path (`library/nginx`).
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// The normalized name without tag or digest: what the kubelet looks up
    /// credentials for (`docker.io/library/nginx`).
    pub fn name(&self) -> String {
        if self.domain.is_empty() {
            self.path.clone()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }
}

/// What an image string turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedImage {
    Reference(ImageRef),
    /// A template still to be rendered (`{{ .Values.image }}`, `${IMAGE}`):
    /// rules skip it.
    Template,
    Invalid(InvalidReference),
}

/// Why an image is not a valid reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidReference {
    #[error("the image is empty")]
    Empty,
    #[error("the image is a placeholder ({text}), not a reference")]
    Placeholder { text: String },
    #[error("the image has leading or trailing whitespace (the API server rejects it)")]
    SurroundingWhitespace,
    #[error("the image contains whitespace at byte {offset}")]
    Whitespace { offset: usize },
    #[error("repository name {repository:?} must be lowercase")]
    Uppercase { repository: String },
    #[error("a 64-digit hexadecimal string is an image ID, not a repository name")]
    HexIdentifier,
    #[error("registry {domain:?} is not a valid host[:port]")]
    InvalidDomain { domain: String },
    #[error("path component {component:?} is not valid: {why}")]
    InvalidPathComponent {
        component: String,
        why: &'static str,
    },
    #[error("tag {tag:?} is not valid: {why}")]
    InvalidTag { tag: String, why: &'static str },
    #[error("digest {digest:?} is not valid: {why}")]
    InvalidDigest { digest: String, why: &'static str },
    #[error("the repository name is {length} bytes long, more than {max}", max = NAME_TOTAL_LENGTH_MAX)]
    NameTooLong { length: usize },
}

/// Reports templates that a renderer will replace: Helm / Go templates and
/// shell or envsubst variables (`${IMAGE}`, `$IMAGE`).
pub fn is_template(image: &str) -> bool {
    crate::placeholder::is_template(image)
}

/// A word of the repository written in capitals (`PROJECT_ID`,
/// `CONTAINER_IMAGE`), left for a person to replace: a repository in mixed
/// case (`MyApp`) is a typo instead.
fn capitalised_word(repository: &str) -> Option<&str> {
    repository.split('/').find(|word| {
        word.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            && word.bytes().filter(u8::is_ascii_uppercase).count() >= 2
    })
}

/// Parses an image reference as the kubelet (`ParseNormalizedNamed`) does.
pub fn parse_image(image: &str) -> ParsedImage {
    if is_template(image) {
        return ParsedImage::Template;
    }
    match parse_reference(image) {
        Ok(r) => ParsedImage::Reference(r),
        Err(e) => ParsedImage::Invalid(e),
    }
}

fn parse_reference(image: &str) -> Result<ImageRef, InvalidReference> {
    if image.is_empty() {
        return Err(InvalidReference::Empty);
    }
    // A placeholder is named as such, when the grammar rejects the image
    // (`app:TODO` is a valid tag).
    parse_grammar(image).map_err(|error| {
        let word = match &error {
            InvalidReference::Uppercase { repository } => capitalised_word(repository),
            _ => None,
        };
        match placeholder(image).or(word) {
            Some(text) => InvalidReference::Placeholder {
                text: text.to_string(),
            },
            None => error,
        }
    })
}

fn parse_grammar(image: &str) -> Result<ImageRef, InvalidReference> {
    if image.trim() != image {
        return Err(InvalidReference::SurroundingWhitespace);
    }
    if let Some(offset) = image.find(char::is_whitespace) {
        return Err(InvalidReference::Whitespace { offset });
    }
    if image.len() == 64
        && image
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(InvalidReference::HexIdentifier);
    }
    let (domain, remainder) = split_docker_domain(image);
    let remote_name = remainder.split(':').next().unwrap_or_default();
    if remote_name.to_lowercase() != remote_name {
        return Err(InvalidReference::Uppercase {
            repository: remote_name.to_string(),
        });
    }

    let (name_and_tag, digest) = match remainder.split_once('@') {
        Some((left, digest)) => (left, Some(digest)),
        None => (remainder.as_str(), None),
    };
    let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match name_and_tag[last_slash..].find(':') {
        Some(i) => (
            &name_and_tag[..last_slash + i],
            Some(&name_and_tag[last_slash + i + 1..]),
        ),
        None => (name_and_tag, None),
    };

    let last = path.split('/').count() - 1;
    for (i, component) in path.split('/').enumerate() {
        if component.is_empty() {
            let why = match (i, tag) {
                (0, Some("")) if image.starts_with('/') => {
                    "it is empty: the image starts with '/' and its tag after ':' is empty too \
                     (unset variables?)"
                }
                (0, _) if image.starts_with('/') => {
                    "it is empty: the image starts with '/' (what goes before it is missing)"
                }
                (i, _) if i == last => "it is empty: the image ends with '/'",
                _ => "it is empty: a doubled '/'",
            };
            return Err(InvalidReference::InvalidPathComponent {
                component: String::new(),
                why,
            });
        }
        check_path_component(component)?;
    }
    let (domain, path) = if valid_domain(&domain) {
        (domain, path.to_string())
    } else if check_path_component(&domain).is_ok() {
        // The grammar then reads the whole name as a path without registry.
        (String::new(), format!("{domain}/{path}"))
    } else {
        return Err(InvalidReference::InvalidDomain { domain });
    };
    let name_length = domain.len() + usize::from(!domain.is_empty()) + path.len();
    if name_length > NAME_TOTAL_LENGTH_MAX {
        return Err(InvalidReference::NameTooLong {
            length: name_length,
        });
    }
    if let Some(tag) = tag {
        check_tag(tag)?;
    }
    if let Some(digest) = digest {
        check_digest(digest)?;
    }
    Ok(ImageRef {
        domain,
        path,
        tag: tag.map(str::to_string),
        digest: digest.map(str::to_string),
    })
}

fn is_domain_component(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        }
        _ => false,
    }
}

/// `host[:port]` with host a dotted name or a bracketed IPv6 address.
fn valid_domain(domain: &str) -> bool {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after {
            "" => return true,
            _ => match after.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None => return false,
            },
        }
    } else {
        match domain.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(domain), None),
        }
    };
    let host_ok = host.is_none_or(|h| h.split('.').all(is_domain_component));
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

fn check_path_component(component: &str) -> Result<(), InvalidReference> {
    let fail = |why| {
        Err(InvalidReference::InvalidPathComponent {
            component: component.to_string(),
            why,
        })
    };
    let b = component.as_bytes();
    if b.is_empty() {
        return fail("it is empty (a doubled or trailing '/')");
    }
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if let Some(&c) = b
        .iter()
        .find(|&&c| !alnum(c) && !matches!(c, b'.' | b'_' | b'-'))
    {
        return fail(if c.is_ascii_uppercase() {
            "upper-case letters are not allowed"
        } else {
            "only a-z, 0-9 and the separators '.', '_', '__', '-' are allowed"
        });
    }
    if !b.first().copied().is_some_and(alnum) || !b.last().copied().is_some_and(alnum) {
        return fail("it must start and end with a letter or digit");
    }
    // Separators between alphanumeric runs: '.', '_', '__' or any run of '-'.
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &component[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|c| c == b'-');
        if !ok {
            return fail("separators must be '.', '_', '__' or dashes, one at a time");
        }
    }
    Ok(())
}

fn check_tag(tag: &str) -> Result<(), InvalidReference> {
    let fail = |why| {
        Err(InvalidReference::InvalidTag {
            tag: tag.to_string(),
            why,
        })
    };
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    match tag.as_bytes().split_first() {
        None => fail("it is empty"),
        Some(_) if tag.len() > TAG_LENGTH_MAX => fail("it is longer than 128 characters"),
        Some((first, _)) if !word(*first) => fail("it must start with a letter, digit or '_'"),
        Some((_, rest)) if !rest.iter().all(|&c| word(c) || c == b'.' || c == b'-') => {
            fail("only letters, digits, '_', '.' and '-' are allowed")
        }
        Some(_) => Ok(()),
    }
}

fn check_digest(digest: &str) -> Result<(), InvalidReference> {
    let fail = |why| {
        Err(InvalidReference::InvalidDigest {
            digest: digest.to_string(),
            why,
        })
    };
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return fail("it must be ALGORITHM:HEX, like sha256:<64 hex digits>");
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.split(['-', '_', '+', '.']).all(|part| {
            let b = part.as_bytes();
            b.first().is_some_and(u8::is_ascii_alphabetic)
                && b.iter().all(u8::is_ascii_alphanumeric)
        });
    if !algorithm_ok || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return fail("it must be ALGORITHM:HEX with at least 32 hex digits");
    }
    let size = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return fail("unsupported algorithm (sha256, sha384 or sha512)"),
    };
    if hex.len() != size {
        return fail("wrong length for its algorithm");
    }
    if hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return fail("hex digits must be lower case");
    }
    Ok(())
}

/// The repository the kubelet looks credentials up for (`repoToPull`):
/// normalized, tag and digest dropped. `None` for an invalid reference.
pub fn normalize_image(image: &str) -> Option<String> {
    match parse_image(image) {
        ParsedImage::Reference(r) => Some(r.name()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        let cases = [
            ("nginx", "docker.io/library/nginx"),
            ("nginx:1.27", "docker.io/library/nginx"),
            ("team/app", "docker.io/team/app"),
            ("index.docker.io/x", "docker.io/library/x"),
            ("docker.io/x", "docker.io/library/x"),
            ("docker.io/team/x", "docker.io/team/x"),
            ("localhost/x", "localhost/x"),
            ("localhost:5000/x:tag", "localhost:5000/x"),
            ("reg.io/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "reg.io/team/app"),
            ("quay.io/coreos/etcd:v3", "quay.io/coreos/etcd"),
            ("reg:5000/app", "reg:5000/app"),
            ("Reg/app", "Reg/app"),
            ("127.0.0.1:5000/app", "127.0.0.1:5000/app"),
            ("[::1]:5000/app", "[::1]:5000/app"),
        ];
        for (image, want) in cases {
            assert_eq!(normalize_image(image).as_deref(), Some(want), "{image}");
        }
    }

    const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn invalid(image: &str) -> InvalidReference {
        match parse_image(image) {
            ParsedImage::Invalid(e) => e,
            other => panic!("{image:?} should be invalid, got {other:?}"),
        }
    }

    #[test]
    fn valid_references() {
        let cases = [
            "nginx",
            "nginx:1.27-alpine",
            "registry.k8s.io/pause:3.9",
            "reg.io:5000/a/b/c",
            "localhost:5000/x",
            "[::1]:5000/x",
            "a__b/c-d/e--f/g.h",
            "nginx:Latest_1",
        ];
        for image in cases {
            assert!(
                matches!(parse_image(image), ParsedImage::Reference(_)),
                "{image}"
            );
        }
        let with_digest = format!("reg.io/app:v1@{SHA}");
        match parse_image(&with_digest) {
            ParsedImage::Reference(r) => {
                assert_eq!(r.name(), "reg.io/app");
                assert_eq!(r.tag.as_deref(), Some("v1"));
                assert_eq!(r.digest.as_deref(), Some(SHA));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn templates_are_recognised() {
        for image in [
            "{{ .Values.image }}",
            "{{ .Values.repo }}:{{ .Chart.AppVersion }}",
            "${IMAGE}",
            "$IMAGE_URL",
            "us-central1-docker.pkg.dev/$PROJECT_ID/repo/app:v1",
            "reg.io/app:$TAG",
        ] {
            assert_eq!(parse_image(image), ParsedImage::Template, "{image}");
        }
        // A `$` not starting a variable name is only an invalid character.
        assert!(matches!(
            parse_image("reg.io/app$"),
            ParsedImage::Invalid(_)
        ));
        assert!(matches!(
            parse_image("reg.io/$1app"),
            ParsedImage::Invalid(_)
        ));
    }

    #[test]
    fn capitalised_words_of_a_repository_are_placeholders() {
        for (image, word) in [
            (
                "us-central1-docker.pkg.dev/PROJECT_ID/models/t5:1",
                "PROJECT_ID",
            ),
            ("CONTAINER_IMAGE", "CONTAINER_IMAGE"),
            ("gcr.io/PROJECT/app", "PROJECT"),
        ] {
            assert_eq!(
                invalid(image),
                InvalidReference::Placeholder { text: word.into() },
                "{image}"
            );
        }
        // A name in mixed case is a typo, not a placeholder.
        assert!(matches!(
            invalid("reg.io/MyApp"),
            InvalidReference::Uppercase { .. }
        ));
    }

    #[test]
    fn every_reason() {
        assert_eq!(invalid(""), InvalidReference::Empty);
        assert_eq!(
            invalid("<your-private-image>"),
            InvalidReference::Placeholder {
                text: "<your-private-image>".into()
            }
        );
        assert_eq!(
            invalid("reg.io/<name>:v1"),
            InvalidReference::Placeholder {
                text: "<name>".into()
            }
        );
        assert_eq!(invalid(" nginx"), InvalidReference::SurroundingWhitespace);
        assert_eq!(invalid("nginx "), InvalidReference::SurroundingWhitespace);
        assert_eq!(
            invalid("ng inx"),
            InvalidReference::Whitespace { offset: 2 }
        );
        assert_eq!(
            invalid("reg.io/Team/App"),
            InvalidReference::Uppercase {
                repository: "Team/App".into()
            }
        );
        assert_eq!(
            invalid("Nginx"),
            InvalidReference::Uppercase {
                repository: "library/Nginx".into()
            }
        );
        assert_eq!(invalid(&"a".repeat(64)), InvalidReference::HexIdentifier);
        assert!(matches!(
            invalid("reg-.io/x"),
            InvalidReference::InvalidDomain { .. }
        ));
        assert!(matches!(
            invalid("reg.io:/x"),
            InvalidReference::InvalidDomain { .. }
        ));
        assert!(matches!(
            invalid("[::g]/x"),
            InvalidReference::InvalidDomain { .. }
        ));
        assert!(matches!(
            invalid("reg.io//x"),
            InvalidReference::InvalidPathComponent { .. }
        ));
        assert!(matches!(
            invalid("reg.io/x/"),
            InvalidReference::InvalidPathComponent { .. }
        ));
        assert!(matches!(
            invalid("a._b"),
            InvalidReference::InvalidPathComponent { .. }
        ));
        assert!(matches!(
            invalid("a___b"),
            InvalidReference::InvalidPathComponent { .. }
        ));
        assert!(matches!(
            invalid("-a"),
            InvalidReference::InvalidPathComponent { .. }
        ));
        assert!(matches!(
            invalid("a!b"),
            InvalidReference::InvalidPathComponent { .. }
        ));
        assert!(matches!(
            invalid("nginx:"),
            InvalidReference::InvalidTag { .. }
        ));
        assert!(matches!(
            invalid("nginx:.x"),
            InvalidReference::InvalidTag { .. }
        ));
        assert!(matches!(
            invalid("nginx:a:b"),
            InvalidReference::InvalidTag { .. }
        ));
        assert!(matches!(
            invalid(&format!("nginx:{}", "a".repeat(129))),
            InvalidReference::InvalidTag { .. }
        ));
        assert!(parse_reference(&format!("nginx:{}", "a".repeat(128))).is_ok());
        assert!(matches!(
            invalid("nginx@sha256:abc"),
            InvalidReference::InvalidDigest { .. }
        ));
        assert!(matches!(
            invalid("nginx@md5:0123456789abcdef0123456789abcdef"),
            InvalidReference::InvalidDigest {
                why: "unsupported algorithm (sha256, sha384 or sha512)",
                ..
            }
        ));
        assert!(matches!(
            invalid(&format!(
                "nginx@{}",
                SHA.to_uppercase().replace("SHA", "sha")
            )),
            InvalidReference::InvalidDigest {
                why: "hex digits must be lower case",
                ..
            }
        ));
        assert!(matches!(
            invalid(&format!("nginx@{SHA}0")),
            InvalidReference::InvalidDigest {
                why: "wrong length for its algorithm",
                ..
            }
        ));
        assert!(matches!(
            invalid(&format!("reg.io/{}", "a".repeat(250))),
            InvalidReference::NameTooLong { length: 257 }
        ));
        // docker.io/library/ counts towards the limit.
        assert!(matches!(
            invalid(&"a".repeat(240)),
            InvalidReference::NameTooLong { length: 258 }
        ));
    }

    #[test]
    fn odd_registry_taken_for_a_path() {
        match parse_image("a_b.io/x") {
            ParsedImage::Reference(r) => {
                assert_eq!(r.domain, "");
                assert_eq!(r.name(), "a_b.io/x");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn messages_name_the_problem() {
        assert_eq!(
            invalid("reg.io/Team/App").to_string(),
            "repository name \"Team/App\" must be lowercase"
        );
    }
}
