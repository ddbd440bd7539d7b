//! Which pull Secret `--fix` names in a pod's `imagePullSecrets`: the one
//! given (`--fix-secret`), else the pull secret among the inputs whose
//! registries match the pod's images by the kubelet's own lookup, else the
//! configured default (`fix.secret-name`). A Secret whose name the API
//! server rejects (`<your-secret-name>`, `Corp_Pull`: `secret-name-invalid`)
//! is never named: it cannot exist.

use super::plan::SecretChooser;
use crate::generate::names::check_name;
use crate::image::keyring::lookup;
use crate::image::normalize_image;

/// A pull Secret among the inputs: its name, namespace (when written) and
/// the `auths` keys of its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub name: String,
    pub namespace: Option<String>,
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Chooser {
    /// `--fix-secret`: wins over everything.
    pub explicit: Option<String>,
    pub candidates: Vec<Candidate>,
    /// `fix.secret-name` in the config: when no candidate matches.
    pub default: Option<String>,
}

/// How many of `images` the kubelet would find credentials for in `keys`.
fn images_matched(images: &[&str], keys: &[String]) -> usize {
    images
        .iter()
        .filter_map(|i| normalize_image(i))
        .filter(|repository| !lookup(repository, keys).tried.is_empty())
        .count()
}

/// A Secret applies to a pod when their namespaces agree; one without a
/// namespace gets the pod's when applied (kubectl -n, kustomize).
fn same_namespace(candidate: Option<&str>, pod: Option<&str>) -> bool {
    match (candidate, pod) {
        (Some(c), Some(p)) => c == p,
        _ => true,
    }
}

impl Chooser {
    /// The pull Secret for a pod, `default` when no candidate matches.
    fn choose_or(
        &self,
        namespace: Option<&str>,
        images: &[&str],
        default: Option<&str>,
    ) -> Option<String> {
        if let Some(name) = &self.explicit {
            return Some(name.clone());
        }
        // The candidate covering the most images; ties go to the first name
        // in order, so the choice does not depend on the walk's order.
        let best = self
            .candidates
            .iter()
            .filter(|c| same_namespace(c.namespace.as_deref(), namespace))
            .filter(|c| check_name(&c.name).is_ok())
            .map(|c| (images_matched(images, &c.keys), c))
            .filter(|(n, _)| *n > 0)
            .max_by(|(n, a), (m, b)| n.cmp(m).then_with(|| b.name.cmp(&a.name)));
        best.map(|(_, c)| c.name.clone())
            .or_else(|| default.map(str::to_string))
    }

    /// This chooser with the default of one file's configuration (its
    /// `fix.secret-name`) instead of its own.
    pub fn for_file<'a>(&'a self, default: Option<&'a str>) -> FileChooser<'a> {
        FileChooser {
            chooser: self,
            default,
        }
    }
}

impl SecretChooser for Chooser {
    fn choose(&self, namespace: Option<&str>, images: &[&str]) -> Option<String> {
        self.choose_or(namespace, images, self.default.as_deref())
    }
}

/// A [`Chooser`] for the pods of one file: the default is its
/// configuration's.
pub struct FileChooser<'a> {
    chooser: &'a Chooser,
    default: Option<&'a str>,
}

impl SecretChooser for FileChooser<'_> {
    fn choose(&self, namespace: Option<&str>, images: &[&str]) -> Option<String> {
        self.chooser.choose_or(namespace, images, self.default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(name: &str, namespace: Option<&str>, keys: &[&str]) -> Candidate {
        Candidate {
            name: name.into(),
            namespace: namespace.map(str::to_string),
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn the_matching_secret_is_named() {
        let chooser = Chooser {
            explicit: None,
            candidates: vec![
                candidate("other", None, &["quay.io"]),
                candidate("corp", Some("shop"), &["https://reg.corp.example/v1/"]),
                candidate("corp-elsewhere", Some("ops"), &["reg.corp.example"]),
            ],
            default: Some("fallback".into()),
        };
        let pick = |ns, images: &[&str]| chooser.choose(ns, images);
        assert_eq!(
            pick(Some("shop"), &["reg.corp.example/app:1"]).as_deref(),
            Some("corp")
        );
        assert_eq!(
            pick(Some("ops"), &["reg.corp.example/app:1"]).as_deref(),
            Some("corp-elsewhere")
        );
        // No match by the kubelet's rules (port differs): the default.
        assert_eq!(
            pick(Some("shop"), &["reg.corp.example:5000/app"]).as_deref(),
            Some("fallback")
        );
        let explicit = Chooser {
            explicit: Some("given".into()),
            ..chooser.clone()
        };
        assert_eq!(
            explicit
                .choose(Some("shop"), &["reg.corp.example/app"])
                .as_deref(),
            Some("given")
        );
    }

    #[test]
    fn most_images_win_then_the_first_name() {
        let chooser = Chooser {
            candidates: vec![
                candidate("b", None, &["a.example", "b.example"]),
                candidate("a", None, &["a.example"]),
                candidate("c", None, &["b.example", "a.example"]),
            ],
            ..Chooser::default()
        };
        assert_eq!(
            chooser
                .choose(None, &["a.example/x", "b.example/y"])
                .as_deref(),
            Some("b")
        );
        assert_eq!(chooser.choose(None, &["a.example/x"]).as_deref(), Some("a"));
        assert_eq!(chooser.choose(None, &["nginx"]), None);
    }

    #[test]
    fn a_secret_whose_name_cannot_exist_is_never_named() {
        let chooser = Chooser {
            candidates: vec![
                // First by name, and covering more images.
                candidate("<your-secret-name>", None, &["a.example", "b.example"]),
                candidate("Corp_Pull", None, &["a.example", "b.example"]),
                candidate("corp-pull", None, &["a.example"]),
            ],
            ..Chooser::default()
        };
        let images = ["a.example/x", "b.example/y"];
        assert_eq!(chooser.choose(None, &images).as_deref(), Some("corp-pull"));
        assert_eq!(chooser.choose(None, &["b.example/y"]), None);
    }
}
