//! The kubelet's registry matching (`pkg/credentialprovider/keyring.go`):
//! which `auths` keys of a pod's pull secrets it tries for an image, in its
//! order, and why each other key misses.
//!
//! 1. A key gets `https://` unless it starts with `http://` or `https://`,
//!    and is parsed with Go's `url.Parse`; a key that fails is skipped
//!    silently (here: [`Miss::KeyUnparsable`]).
//! 2. The index key is `Host + Path`, a path starting `/v1/` or `/v2/` losing
//!    those 3 bytes first, and a path of "" or "/" dropped.
//! 3. Index keys are de-duplicated and sorted in reverse byte order (which
//!    puts `quay.io/coreos` before `quay.io`); each is parsed again with
//!    `https://` in front, as is the image's normalized name.
//! 4. A key matches when the ports are equal, the hosts have as many
//!    `.`-labels, the key's path is a byte prefix of the image's, and each
//!    label matches with `filepath.Match` (checked in that order).
//! 5. Without any match, an image on Docker Hub uses the keys whose index key
//!    is exactly `index.docker.io`.
//!
//! Everything is case-sensitive and byte-based, like Go.

use std::collections::HashMap;
use std::ops::Range;

use crate::gocompat::filepath_match::{self, BadPattern};
use crate::gocompat::url::{self, UrlError};

/// The index key that the Docker Hub fallback looks for.
pub const DOCKER_HUB_INDEX_KEY: &str = "index.docker.io";
/// The key kubectl writes for Docker Hub; the one to suggest for it.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// Why the kubelet does not use a key for an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Miss {
    /// Go's `url.Parse` rejects the key: the kubelet ignores it entirely.
    #[error("the kubelet cannot parse this key ({0}) and ignores it")]
    KeyUnparsable(UrlError),
    /// The key parses, but the `host + path` built from it does not parse
    /// again (a `%`-escape in the path decodes to a bad one): it never matches.
    #[error(
        "the key's host and path ({index_key}) do not parse again ({error}), so it never matches"
    )]
    IndexKeyUnparsable { index_key: String, error: UrlError },
    /// The image's name does not parse as a URL host and path.
    #[error("the image name does not parse as a URL ({0})")]
    ImageUnparsable(UrlError),
    #[error("port {key_port:?} differs from the image's port {image_port:?}")]
    PortDiffers {
        key_port: String,
        image_port: String,
    },
    #[error(
        "the key's host has {key_labels} dot-separated labels, the image's has {image_labels}"
    )]
    LabelCountDiffers {
        key_labels: usize,
        image_labels: usize,
    },
    #[error("path {key_path:?} is not a prefix of the image's path {image_path:?}")]
    PathNotPrefix {
        key_path: String,
        image_path: String,
    },
    /// Label `label` (0-based) does not match as a `filepath.Match` glob.
    #[error("host label {} {pattern:?} does not match {image_label:?}", label + 1)]
    LabelMismatch {
        label: usize,
        pattern: String,
        image_label: String,
    },
    /// Label `label` is a malformed glob (`[` unclosed...): never matches.
    #[error("host label {} {pattern:?} is a malformed glob ({BadPattern})", label + 1)]
    BadGlob { label: usize, pattern: String },
}

/// The kubelet's verdict on one key for one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyVerdict {
    /// The key as written in `auths`.
    pub key: String,
    /// `host + path` as the kubelet indexes it; `None` when it skips the key.
    pub index_key: Option<String>,
    /// `Ok` when the key matches the image by rule 4.
    pub outcome: Result<(), Miss>,
}

/// The kubelet's lookup of one image in a set of keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// Positions (in the given key list) of the keys the kubelet tries, in
    /// its order. Keys sharing an index key keep their given order.
    pub tried: Vec<usize>,
    /// `tried` comes from the Docker Hub fallback, not from matching.
    pub via_docker_hub_fallback: bool,
    /// One verdict per given key, in the given order: rule 4 only, so a key
    /// used through the Docker Hub fallback still shows its miss.
    pub verdicts: Vec<KeyVerdict>,
    /// A key that would match the image.
    pub suggested_key: String,
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Step 1: `https://` in front unless the key starts with `http://` or
/// `https://` (case-sensitive: `HTTPS://reg.io` gets a second scheme).
fn with_scheme(key: &str) -> String {
    if key.starts_with("https://") || key.starts_with("http://") {
        key.to_string()
    } else {
        format!("https://{key}")
    }
}

/// Steps 1 and 2: the kubelet's index key for an `auths` key, as bytes (Go
/// strings may hold non-UTF-8 bytes after unescaping).
pub fn index_key(key: &str) -> Result<Vec<u8>, UrlError> {
    let parsed = parse_key(key)?;
    let mut path: &[u8] = &parsed.path;
    if path.starts_with(b"/v2/") || path.starts_with(b"/v1/") {
        path = &path[3..];
    }
    let mut index = parsed.host;
    if !path.is_empty() && path != b"/" {
        index.extend_from_slice(path);
    }
    Ok(index)
}

/// The registry (`host[:port]`, as the kubelet parses it) that an `auths`
/// key gives credentials for; `None` for a key the kubelet skips. For
/// inferring private registries from the pull secrets among the inputs.
pub fn key_registry(key: &str) -> Option<String> {
    parse_key(key).ok().map(|u| lossy(&u.host))
}

/// Hosts people write for Docker Hub. Of these the kubelet matches a
/// Docker Hub image only to `docker.io` and, through its fallback,
/// `index.docker.io` (docs/kubernetes.md §2).
const DOCKER_HUB_HOSTS: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
    "hub.docker.com",
    "docker.com",
    "www.docker.com",
];

/// Whether an `auths` key was meant for the image `repository` (a
/// normalized name: `docker.io/library/nginx`): the same host whatever the
/// port, case or scheme, or another name of Docker Hub; and, when the key
/// has a path, the same first path segment whatever the case (a key for
/// `quay.io/team` is not meant for `quay.io/other/app`). Whether the
/// kubelet matches it is [`Keyring::lookup`]'s answer; this tells a near
/// miss from a key for something else.
pub fn names_registry(key: &str, repository: &str) -> bool {
    NearKeys::new(&[key]).first_naming(repository).is_some()
}

/// A host without its port, in lower case.
fn host_name(host: &[u8]) -> String {
    let (name, _) = url::split_host_port(host).unwrap_or((host, b""));
    lossy(name).to_ascii_lowercase()
}

/// The first segment of a path, in lower case.
fn first_segment(path: &str) -> String {
    path.split('/').next().unwrap_or("").to_ascii_lowercase()
}

/// `auths` keys parsed once for [`names_registry`]'s question, asked for
/// many images: each key's host and the first segment of its path, so an
/// image's answer is a few map lookups (a pod of thousands of images and
/// keys costs no work per image and key).
#[derive(Debug, Default)]
pub struct NearKeys {
    /// Host: the first position of a key without a path on it.
    any_path: HashMap<String, usize>,
    /// (host, first path segment): the first position of a key for them.
    with_path: HashMap<(String, String), usize>,
}

impl NearKeys {
    pub fn new<S: AsRef<str>>(keys: &[S]) -> NearKeys {
        let mut near = NearKeys::default();
        for (position, key) in keys.iter().enumerate() {
            let Ok(url) = parse_key(key.as_ref()) else {
                continue;
            };
            let path = lossy(&url.path);
            let path = path.trim_start_matches('/');
            let path = path
                .strip_prefix("v1/")
                .or_else(|| path.strip_prefix("v2/"))
                .unwrap_or(path);
            let host = host_name(&url.host);
            // Positions ascend: the first one stays.
            match path.is_empty() {
                true => near.any_path.entry(host).or_insert(position),
                false => near
                    .with_path
                    .entry((host, first_segment(path)))
                    .or_insert(position),
            };
        }
        near
    }

    /// The position of the first key meant for `repository`'s registry
    /// ([`names_registry`]).
    pub fn first_naming(&self, repository: &str) -> Option<usize> {
        let (domain, image_path) = repository.split_once('/').unwrap_or((repository, ""));
        let image_host = host_name(domain.as_bytes());
        let image_first = first_segment(image_path);
        // Any name of Docker Hub is meant for a Docker Hub image.
        let hosts: Vec<String> = match DOCKER_HUB_HOSTS.contains(&image_host.as_str()) {
            true => DOCKER_HUB_HOSTS.iter().map(|h| h.to_string()).collect(),
            false => vec![image_host],
        };
        hosts
            .into_iter()
            .flat_map(|host| {
                let any = self.any_path.get(&host).copied();
                let with = self.with_path.get(&(host, image_first.clone())).copied();
                [any, with]
            })
            .flatten()
            .min()
    }
}

/// Step 1: the URL the kubelet parses for an `auths` key; an error means
/// the kubelet skips the key without a word.
pub fn parse_key(key: &str) -> Result<url::Url, UrlError> {
    url::parse(with_scheme(key).as_bytes())
}

/// A URL split as Go's `SplitURL` does, once: host labels, port and path.
/// Without a parsable port the whole host is split and the port is empty.
/// One buffer (host, port, path one after the other): a keyring of a
/// million keys holds a million of these (docs/limits.md).
#[derive(Debug, Clone, PartialEq, Eq)]
struct SplitUrl {
    bytes: Box<[u8]>,
    host_end: usize,
    port_end: usize,
}

impl SplitUrl {
    fn new(url: url::Url) -> SplitUrl {
        let (host, port) = url::split_host_port(&url.host).unwrap_or((&url.host, b""));
        let bytes = [host, port, &url.path].concat().into_boxed_slice();
        SplitUrl {
            bytes,
            host_end: host.len(),
            port_end: host.len() + port.len(),
        }
    }

    /// The host without its port: the labels joined by `.`.
    fn host(&self) -> &[u8] {
        self.bytes.get(..self.host_end).unwrap_or_default()
    }

    fn port(&self) -> &[u8] {
        self.bytes
            .get(self.host_end..self.port_end)
            .unwrap_or_default()
    }

    fn path(&self) -> &[u8] {
        self.bytes.get(self.port_end..).unwrap_or_default()
    }

    /// The host's `.`-separated labels (split when needed, not stored: a
    /// keyring of a million keys would hold millions of tiny buffers).
    fn labels(&self) -> impl Iterator<Item = &[u8]> {
        self.host().split(|&b| b == b'.')
    }

    /// No host label is a glob: `filepath.Match` then matches a label to
    /// itself only, so the key matches exactly the images on its host.
    fn host_is_literal(&self) -> bool {
        !self
            .host()
            .iter()
            .any(|b| matches!(b, b'*' | b'?' | b'[' | b'\\'))
    }

    /// Go's `ParseSchemelessURL`, split.
    fn parse_schemeless(s: &[u8]) -> Result<SplitUrl, UrlError> {
        let mut with_scheme = b"https://".to_vec();
        with_scheme.extend_from_slice(s);
        url::parse(&with_scheme).map(SplitUrl::new)
    }
}

/// Go's `URLsMatch`, with the reason of a miss.
fn urls_match(key: &SplitUrl, image: &SplitUrl) -> Result<(), Miss> {
    if key.port() != image.port() {
        return Err(Miss::PortDiffers {
            key_port: lossy(key.port()),
            image_port: lossy(image.port()),
        });
    }
    let (key_labels, image_labels) = (key.labels().count(), image.labels().count());
    if key_labels != image_labels {
        return Err(Miss::LabelCountDiffers {
            key_labels,
            image_labels,
        });
    }
    if !image.path().starts_with(key.path()) {
        return Err(Miss::PathNotPrefix {
            key_path: lossy(key.path()),
            image_path: lossy(image.path()),
        });
    }
    for (label, (pattern, target)) in key.labels().zip(image.labels()).enumerate() {
        match filepath_match::matches(pattern, target) {
            Ok(true) => {}
            Ok(false) => {
                return Err(Miss::LabelMismatch {
                    label,
                    pattern: lossy(pattern),
                    image_label: lossy(target),
                })
            }
            Err(BadPattern) => {
                return Err(Miss::BadGlob {
                    label,
                    pattern: lossy(pattern),
                })
            }
        }
    }
    Ok(())
}

/// Go's `URLsMatchStr(indexKey, repository)` with both sides parsed already
/// (the key's parse fails first, as in Go).
fn index_key_matches(
    key: &Result<SplitUrl, UrlError>,
    index_key: &[u8],
    image: &Result<SplitUrl, UrlError>,
) -> Result<(), Miss> {
    let key = key.as_ref().map_err(|error| Miss::IndexKeyUnparsable {
        index_key: lossy(index_key),
        error: error.clone(),
    })?;
    let image = image
        .as_ref()
        .map_err(|e| Miss::ImageUnparsable(e.clone()))?;
    urls_match(key, image)
}

/// The kubelet's `isDefaultRegistryMatch`: whether a repository name pulls
/// from Docker Hub (first component `docker.io`, `index.docker.io`, or
/// without `.` and `:`; a name without `/` too).
pub fn is_docker_hub_repository(repository: &str) -> bool {
    match repository.split_once('/') {
        _ if repository.is_empty() || repository.starts_with('/') => false,
        None => true,
        Some((first, _)) => {
            first == "docker.io" || first == "index.docker.io" || !first.contains(['.', ':'])
        }
    }
}

/// A key that matches `repository` by the kubelet's rules: kubectl's Docker
/// Hub key for Docker Hub, else the repository's registry (`host[:port]`).
///
/// One registry cannot be named: an IPv6 literal without a port (`[::1]`).
/// `SplitHostPort` fails on it, so its single "label" is `[::1]`, which
/// `filepath.Match` reads as a character class; only a glob such as `*`
/// matches it.
pub fn suggested_key(repository: &str) -> String {
    match repository.split_once('/') {
        Some((first, _)) if first.starts_with('[') && first.ends_with(']') => "*".to_string(),
        Some((first, _)) if first != "docker.io" && first != "index.docker.io" => first.to_string(),
        _ => DOCKER_HUB_KEY.to_string(),
    }
}

/// The kubelet's `Lookup` of a normalized repository name (such as
/// [`super::reference::ImageRef::name`] returns: `docker.io/library/nginx`)
/// in `keys`, the `auths` keys of a pod's pull secrets in pod order.
pub fn lookup<S: AsRef<str>>(repository: &str, keys: &[S]) -> Lookup {
    Keyring::new(keys).lookup(repository)
}

/// One distinct index key, parsed once for every image looked up.
#[derive(Debug, Clone)]
struct IndexEntry {
    index_key: Box<[u8]>,
    parsed: Result<SplitUrl, UrlError>,
    /// Where the positions of the keys with this index key (ascending)
    /// are in [`Keyring::positions`].
    positions: Range<usize>,
}

/// A list of `auths` keys prepared for many lookups: each key is parsed
/// once, not once per image (a workspace has thousands of pods).
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    keys: Vec<String>,
    /// The keys the kubelet skips (position, why).
    skipped: Vec<(usize, UrlError)>,
    /// The distinct index keys in the kubelet's order (reverse byte order).
    entries: Vec<IndexEntry>,
    /// Key positions, a run for each entry.
    positions: Vec<usize>,
    /// The entry of each key position (`u32::MAX`: skipped).
    entry_of: Vec<u32>,
    /// Entries whose host is literal, sorted by host (then entry): an
    /// image looks up its own (the port is checked with the rest). The
    /// others (globs) are tried one by one. Unparsable ones never match.
    literal: Vec<usize>,
    globs: Vec<usize>,
}

impl Keyring {
    pub fn new<S: AsRef<str>>(keys: &[S]) -> Keyring {
        Keyring::from_keys(keys.iter().map(|k| k.as_ref().to_string()).collect())
    }

    /// [`Keyring::new`], keeping the given keys rather than a copy.
    pub fn from_keys(keys: Vec<String>) -> Keyring {
        let mut skipped = Vec::new();
        let mut indexed: Vec<(Box<[u8]>, usize)> = Vec::new();
        for (position, key) in keys.iter().enumerate() {
            match index_key(key) {
                Ok(index_key) => indexed.push((index_key.into_boxed_slice(), position)),
                Err(error) => skipped.push((position, error)),
            }
        }
        // The kubelet's order: index keys in reverse byte order, each
        // with its positions ascending.
        indexed.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        // At most one entry per key: reserved at once, not grown by doubling.
        let mut entries: Vec<IndexEntry> = Vec::with_capacity(indexed.len());
        let mut positions = Vec::with_capacity(indexed.len());
        for (index_key, position) in indexed {
            match entries.last_mut() {
                Some(entry) if entry.index_key == index_key => entry.positions.end += 1,
                _ => entries.push(IndexEntry {
                    parsed: SplitUrl::parse_schemeless(&index_key),
                    index_key,
                    positions: positions.len()..positions.len() + 1,
                }),
            }
            positions.push(position);
        }
        entries.shrink_to_fit();
        let mut entry_of = vec![u32::MAX; keys.len()];
        for (i, entry) in entries.iter().enumerate() {
            for &position in positions.get(entry.positions.clone()).unwrap_or_default() {
                if let Some(slot) = entry_of.get_mut(position) {
                    *slot = u32::try_from(i).unwrap_or(u32::MAX);
                }
            }
        }
        let mut literal = Vec::new();
        let mut globs = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            match &entry.parsed {
                Ok(key) if key.host_is_literal() => literal.push(i),
                Ok(_) => globs.push(i),
                Err(_) => {}
            }
        }
        let host = |i: &usize| match entries.get(*i).map(|e| &e.parsed) {
            Some(Ok(key)) => key.host(),
            _ => &[],
        };
        literal.sort_by(|a, b| host(a).cmp(host(b)).then(a.cmp(b)));
        Keyring {
            keys,
            skipped,
            entries,
            positions,
            entry_of,
            literal,
            globs,
        }
    }

    /// The positions of the keys with `entry`'s index key, ascending.
    fn positions_of(&self, entry: &IndexEntry) -> &[usize] {
        self.positions
            .get(entry.positions.clone())
            .unwrap_or_default()
    }

    /// The entries whose literal host is `host`.
    fn literal_on(&self, host: &[u8]) -> &[usize] {
        let host_of = |i: &usize| match self.entries.get(*i).map(|e| &e.parsed) {
            Some(Ok(key)) => key.host(),
            _ => &[],
        };
        let start = self.literal.partition_point(|i| host_of(i) < host);
        let len = self
            .literal
            .get(start..)
            .unwrap_or(&[])
            .partition_point(|i| host_of(i) == host);
        self.literal.get(start..start + len).unwrap_or(&[])
    }

    /// The keys, as given.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Positions of the keys the kubelet tries for `repository`, in its
    /// order, and whether they come from the Docker Hub fallback.
    fn tried(&self, image: &Result<SplitUrl, UrlError>, repository: &str) -> (Vec<usize>, bool) {
        let mut tried = Vec::new();
        if let Ok(image) = image {
            let same_host = self.literal_on(image.host()).iter();
            let mut matched: Vec<usize> = same_host
                .chain(&self.globs)
                .copied()
                .filter(|&i| {
                    self.entries.get(i).is_some_and(
                        |e| matches!(&e.parsed, Ok(key) if urls_match(key, image).is_ok()),
                    )
                })
                .collect();
            // In the kubelet's order, the entries' own.
            matched.sort_unstable();
            for entry in matched.iter().filter_map(|&i| self.entries.get(i)) {
                tried.extend_from_slice(self.positions_of(entry));
            }
        }
        if tried.is_empty() && is_docker_hub_repository(repository) {
            if let Some(hub) = self
                .entries
                .iter()
                .find(|e| &*e.index_key == DOCKER_HUB_INDEX_KEY.as_bytes())
            {
                let positions = self.positions_of(hub);
                return (positions.to_vec(), !positions.is_empty());
            }
        }
        (tried, false)
    }

    /// The position of the first key the kubelet tries for `repository`.
    pub fn first_tried(&self, repository: &str) -> Option<usize> {
        let image = SplitUrl::parse_schemeless(repository.as_bytes());
        self.tried(&image, repository).0.first().copied()
    }

    /// The kubelet's `Lookup` of `repository`, with a verdict per key.
    pub fn lookup(&self, repository: &str) -> Lookup {
        self.lookup_first(repository, usize::MAX)
    }

    /// [`Keyring::lookup`] with the verdicts of the first `shown` keys
    /// only (a message spells out a few): a pod of thousands of images and
    /// keys costs no verdict per image and key.
    pub fn lookup_first(&self, repository: &str, shown: usize) -> Lookup {
        let image = SplitUrl::parse_schemeless(repository.as_bytes());
        let (tried, via_docker_hub_fallback) = self.tried(&image, repository);
        let shown = self.keys.len().min(shown);
        let mut verdicts = Vec::with_capacity(shown);
        for (position, key) in self.keys.iter().enumerate().take(shown) {
            let entry = self
                .entry_of
                .get(position)
                .and_then(|&i| self.entries.get(usize::try_from(i).ok()?));
            let (index_key, outcome) = match entry {
                Some(entry) => (
                    Some(lossy(&entry.index_key)),
                    index_key_matches(&entry.parsed, &entry.index_key, &image),
                ),
                None => {
                    let skipped = self.skipped.binary_search_by_key(&position, |(p, _)| *p);
                    match skipped.ok().and_then(|i| self.skipped.get(i)) {
                        Some((_, error)) => (None, Err(Miss::KeyUnparsable(error.clone()))),
                        // Every position is either skipped or in one entry.
                        None => continue,
                    }
                }
            };
            verdicts.push(KeyVerdict {
                key: key.clone(),
                index_key,
                outcome,
            });
        }
        Lookup {
            tried,
            via_docker_hub_fallback,
            verdicts,
            suggested_key: suggested_key(repository),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn near_misses_name_the_image_registry() {
        for (key, repository) in [
            ("hub.docker.com", "docker.io/alice/web"),
            ("https://registry-1.docker.io/v2/", "docker.io/alice/web"),
            ("registry.hub.docker.com", "docker.io/library/nginx"),
            ("ghcr.io:443", "ghcr.io/team/app"),
            ("https://GHCR.io/team", "ghcr.io/team/app"),
            ("ghcr.io/Team/app", "ghcr.io/team/app"),
            ("reg.example.com", "reg.example.com:5000/app"),
        ] {
            assert!(names_registry(key, repository), "{key} {repository}");
        }
        for (key, repository) in [
            ("quay.io", "ghcr.io/team/app"),
            ("quay.io/team", "quay.io/other/app"),
            ("*.gcr.io", "gcr.io/p/app"),
            ("reg.io:abc", "reg.io/app"),
            ("docker.io.evil.example", "docker.io/library/nginx"),
        ] {
            assert!(!names_registry(key, repository), "{key} {repository}");
        }
    }

    use super::*;

    /// The first verdicts alone are the full lookup's first verdicts, with
    /// keys the kubelet skips and keys sharing an index key among them.
    #[test]
    fn the_first_verdicts_are_the_lookups() {
        let keys = [
            "reg.io",
            "https://reg.io/v2/",
            "reg.io:bad",
            "*.reg.io",
            "reg.io/team",
            "HTTPS://x",
            "reg.io",
            "docker.io",
        ];
        let keyring = Keyring::new(&keys);
        for repository in [
            "reg.io/team/app",
            "a.reg.io/x",
            "docker.io/library/nginx",
            "x/y",
        ] {
            let full = keyring.lookup(repository);
            assert_eq!(full.verdicts.len(), keys.len());
            for shown in 0..=keys.len() + 1 {
                let first = keyring.lookup_first(repository, shown);
                assert_eq!(first.tried, full.tried, "{repository}");
                assert_eq!(first.via_docker_hub_fallback, full.via_docker_hub_fallback);
                assert_eq!(first.suggested_key, full.suggested_key);
                let n = shown.min(keys.len());
                assert_eq!(first.verdicts, full.verdicts[..n], "{repository} {shown}");
            }
        }
    }

    /// The first key naming an image's registry, by its position, whatever
    /// name of Docker Hub or path it has.
    #[test]
    fn near_keys_give_the_first_key_for_the_registry() {
        let keys = [
            "quay.io/other",
            "hub.docker.com",
            "Quay.IO:443/Team",
            "https://index.docker.io/v1/",
            "quay.io",
            "reg.io:bad port",
        ];
        let near = NearKeys::new(&keys);
        assert_eq!(near.first_naming("quay.io/team/app"), Some(2));
        assert_eq!(near.first_naming("quay.io/other/app"), Some(0));
        assert_eq!(near.first_naming("quay.io/third/app"), Some(4));
        assert_eq!(near.first_naming("docker.io/library/nginx"), Some(1));
        assert_eq!(near.first_naming("ghcr.io/team/app"), None);
    }

    fn index(key: &str) -> String {
        lossy(&index_key(key).unwrap_or_else(|e| panic!("{key}: {e}")))
    }

    fn tried(repository: &str, keys: &[&str]) -> Vec<String> {
        lookup(repository, keys)
            .tried
            .iter()
            .map(|&i| keys[i].to_string())
            .collect()
    }

    fn miss(repository: &str, key: &str) -> Miss {
        match lookup(repository, &[key]).verdicts.remove(0).outcome {
            Err(m) => m,
            Ok(()) => panic!("{key} should miss {repository}"),
        }
    }

    #[test]
    fn index_keys_from_the_documentation() {
        assert_eq!(index("https://index.docker.io/v1/"), "index.docker.io");
        assert_eq!(index("https://reg.io/v2/team"), "reg.io/team");
        assert_eq!(index("reg.io/v2"), "reg.io/v2");
        assert_eq!(index("reg.io/"), "reg.io");
        assert_eq!(index("http://reg.io:5000/v1/"), "reg.io:5000");
        assert_eq!(index("REG.io/Team"), "REG.io/Team");
        assert_eq!(index("https://user:pw@reg.io/x?q#f"), "reg.io/x");
    }

    #[test]
    fn unparsable_keys_are_reported() {
        assert_eq!(
            miss("reg.io/app", "reg.io:abc"),
            Miss::KeyUnparsable(UrlError::InvalidPort(b":abc".to_vec()))
        );
        assert!(matches!(
            miss("reg.io/app", "reg io"),
            Miss::KeyUnparsable(_)
        ));
        assert!(matches!(
            miss("reg.io/app", "reg.io/%zz"),
            Miss::KeyUnparsable(_)
        ));
        let l = lookup("reg.io/app", &["reg.io:abc"]);
        assert_eq!(l.verdicts[0].index_key, None);
        assert!(l.tried.is_empty());
    }

    #[test]
    fn an_index_key_that_does_not_parse_again_never_matches() {
        // The first parse unescapes `/%25zz` to `/%zz`; the kubelet parses
        // `reg.io/%zz` again when matching, and that fails.
        assert_eq!(
            miss("reg.io/app", "reg.io/%25zz"),
            Miss::IndexKeyUnparsable {
                index_key: "reg.io/%zz".into(),
                error: UrlError::InvalidEscape(b"%zz".to_vec())
            }
        );
        // `%3F` decodes to `?`, which the second parse reads as a query.
        assert_eq!(index("reg.io/team%3Fx"), "reg.io/team?x");
        assert_eq!(
            tried("reg.io/team/app", &["reg.io/team%3Fx"]),
            ["reg.io/team%3Fx"]
        );
    }

    #[test]
    fn an_image_name_that_is_no_url_never_matches() {
        assert!(matches!(miss("reg io/app", "*"), Miss::ImageUnparsable(_)));
    }

    #[test]
    fn rule_4_examples() {
        assert_eq!(tried("eu.gcr.io/p/app", &["*.gcr.io"]), ["*.gcr.io"]);
        assert_eq!(
            miss("gcr.io/p/app", "*.gcr.io"),
            Miss::LabelCountDiffers {
                key_labels: 3,
                image_labels: 2
            }
        );
        assert_eq!(
            tried("quay.io/coreos/etcd", &["quay.io/core"]),
            ["quay.io/core"]
        );
        assert_eq!(
            miss("quay.io/coreos/etcd", "quay.io/other"),
            Miss::PathNotPrefix {
                key_path: "/other".into(),
                image_path: "/coreos/etcd".into()
            }
        );
        assert_eq!(
            miss("reg.io:5000/app", "reg.io"),
            Miss::PortDiffers {
                key_port: String::new(),
                image_port: "5000".into()
            }
        );
        assert_eq!(
            miss("reg.io/app", "reg.io:443"),
            Miss::PortDiffers {
                key_port: "443".into(),
                image_port: String::new()
            }
        );
        assert_eq!(
            miss("reg.io/app", "REG.io"),
            Miss::LabelMismatch {
                label: 0,
                pattern: "REG".into(),
                image_label: "reg".into()
            }
        );
        assert_eq!(
            miss("reg.io/app", "a[.io"),
            Miss::BadGlob {
                label: 0,
                pattern: "a[".into()
            }
        );
        assert_eq!(
            tried("reg.io/app", &["r[a-z]g.io", "*.*"]),
            ["r[a-z]g.io", "*.*"]
        );
        // Go's URL parser sees `?` as the start of a query, and a host
        // starting with `[` as an IPv6 literal: such globs never work.
        assert_eq!(index("r?g.io"), "r");
        assert_eq!(
            miss("reg.io/app", "r?g.io"),
            Miss::LabelCountDiffers {
                key_labels: 1,
                image_labels: 2
            }
        );
        assert!(matches!(
            miss("reg.io/app", "[a-z]eg.io"),
            Miss::KeyUnparsable(_)
        ));
    }

    #[test]
    fn v2_prefix_is_stripped_but_a_bare_v2_path_is_kept() {
        assert_eq!(
            tried("reg.io/team/app", &["https://reg.io/v2/team"]).len(),
            1
        );
        assert!(matches!(
            miss("reg.io/team/app", "reg.io/v2"),
            Miss::PathNotPrefix { .. }
        ));
    }

    #[test]
    fn all_matches_in_reverse_sorted_order() {
        let keys = ["quay.io", "quay.io/coreos", "other.io", "https://quay.io/"];
        assert_eq!(
            tried("quay.io/coreos/etcd", &keys),
            ["quay.io/coreos", "quay.io", "https://quay.io/"]
        );
    }

    #[test]
    fn order_is_reverse_byte_order_not_length() {
        // Not "longest first", as is often said: the kubelet sorts the
        // index keys in reverse byte order, so a shorter key can come first.
        assert_eq!(
            tried("reg.io/team/app", &["*.io/team", "reg.io"]),
            ["reg.io", "*.io/team"]
        );
    }

    #[test]
    fn registry_of_a_key() {
        assert_eq!(
            key_registry("https://index.docker.io/v1/").as_deref(),
            Some("index.docker.io")
        );
        assert_eq!(
            key_registry("reg.io:5000/team").as_deref(),
            Some("reg.io:5000")
        );
        assert_eq!(key_registry("reg.io:abc"), None);
    }

    #[test]
    fn docker_hub_fallback() {
        let keys = ["https://index.docker.io/v1/"];
        let l = lookup("docker.io/library/nginx", &keys);
        assert_eq!(l.tried, [0]);
        assert!(l.via_docker_hub_fallback);
        // By rule 4 alone the key misses: 3 labels against 2.
        assert_eq!(
            l.verdicts[0].outcome,
            Err(Miss::LabelCountDiffers {
                key_labels: 3,
                image_labels: 2
            })
        );
        // No fallback when another key matches, nor off Docker Hub.
        assert_eq!(
            tried(
                "docker.io/library/nginx",
                &["https://index.docker.io/v1/", "docker.io"]
            ),
            ["docker.io"]
        );
        assert!(tried("quay.io/x", &keys).is_empty());
        // `index.docker.io/v1` (no trailing slash) keeps its path: no fallback.
        assert!(tried("docker.io/library/nginx", &["index.docker.io/v1"]).is_empty());
        assert!(is_docker_hub_repository("localhost/x"));
        assert!(!is_docker_hub_repository("localhost:5000/x"));
        assert!(is_docker_hub_repository("index.docker.io/x"));
    }

    #[test]
    fn localhost_and_ip_addresses() {
        assert_eq!(tried("localhost:5000/app", &["localhost:5000"]).len(), 1);
        assert!(matches!(
            miss("localhost:5000/app", "localhost"),
            Miss::PortDiffers { .. }
        ));
        assert_eq!(tried("10.0.0.1:5000/app", &["10.0.0.*:5000"]).len(), 1);
        assert_eq!(tried("[::1]:5000/app", &["[::1]:5000"]).len(), 1);
        // Without a port the bracketed host is one label that `filepath.Match`
        // reads as a character class: the key naming it cannot match.
        assert_eq!(
            miss("[::1]/app", "[::1]"),
            Miss::LabelMismatch {
                label: 0,
                pattern: "[::1]".into(),
                image_label: "[::1]".into()
            }
        );
    }

    #[test]
    fn suggestions_match() {
        for repository in [
            "docker.io/library/nginx",
            "reg.io/team/app",
            "localhost:5000/app",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app",
            "[::1]:5000/app",
            "[::1]/app",
        ] {
            let suggestion = suggested_key(repository);
            assert!(
                !lookup(repository, &[&suggestion]).tried.is_empty(),
                "{repository}"
            );
        }
    }

    #[test]
    fn reasons_read_well() {
        assert_eq!(
            miss("eu.gcr.io/p/app", "*.gcr.com").to_string(),
            "host label 3 \"com\" does not match \"io\""
        );
    }
}
