//! image-pull-secret-not-found
//!
//! **What it checks.** A name in a pod's `imagePullSecrets` that no Secret
//! among the inputs defines in the pod's namespace. A SealedSecret, an
//! ExternalSecret (its target name) and a kustomize `secretGenerator` count
//! as definitions. A name still to be rendered (`{{ ... }}`, `${VAR}`,
//! `$VAR` for `envsubst`) is left alone. The namespace is the object's `metadata.namespace`, or
//! the `namespace:` of the kustomizations that include its file; when
//! either side says none, any namespace matches. A Secret or SealedSecret
//! that a kustomization's `namePrefix`/`nameSuffix` renames is defined
//! under its renamed name too (kustomize leaves a reference written that
//! way alone, and creates a SealedSecret's Secret under it). A name that
//! only a SealedSecret defines, which a kustomization building both the
//! pod and the SealedSecret renames, is reported too: kustomize renames
//! references to a Secret, not to a SealedSecret, so the Secret is created
//! under the new name and the pod keeps naming the old one (left alone when
//! a Secret or generator of that name could be the one meant, or when a
//! kustomization has `configurations:`, which may rename those references
//! too). When regcred is given
//! single files, the rest of the repository (`--context`) is searched too.
//! When a Secret of a close name is defined there ("corp-pull" for
//! "corp-pul"), the finding asks whether that one was meant.
//!
//! A warning; an error when an image of the pod is from a registry known to
//! be private (the pull then fails), or when the name cannot be a Secret's
//! at all (capitals, `_`: no such Secret can ever exist). Such a name is
//! matched to the Secret it would be in lower case with `-` for `_`
//! ("CORP_PULL" for "corp-pull"); the help then says what a Secret's name
//! may hold, not to create one that cannot exist.
//!
//! Silent on test-expectation files, which need nothing (docs/rules.md,
//! "Test-expectation files").
//!
//! **Why.** Pull secrets are namespaced: a pod can only use one in its own
//! namespace. The kubelet skips a missing one with a warning event and
//! pulls without its credentials, so a private image then fails with
//! `ErrImagePull`. A Secret created by hand outside the repository is fine:
//! suppress the finding for it.
//!
//! **Bad**
//!
//! ```yaml
//! kind: Secret
//! metadata: {name: regcred, namespace: default}
//! ---
//! kind: Deployment
//! metadata: {name: app, namespace: shop}
//! spec:
//!   template:
//!     spec:
//!       imagePullSecrets: [{name: regcred}]
//! ```
//!
//! **Good**
//!
//! ```yaml
//! kind: Secret
//! metadata: {name: regcred, namespace: shop}
//! ```

use std::path::Path;

use super::secret_name_invalid::{subdomain_problem, valid_spelling};
use super::Rule;
use crate::image::{parse_image, ParsedImage, RegistryClass};
use crate::lint::index::{DefinitionKind, Resolution, SecretDef};
use crate::lint::workload::{PodView, SecretRefUse, WorkloadContext};
use crate::lint::{Finding, Level, Location};

pub struct ImagePullSecretNotFound;

/// A name still to be rendered (Helm, envsubst).
pub(crate) use crate::placeholder::is_template;

/// At most this many definitions are named in one message: a monorepo may
/// define the same name in hundreds of namespaces.
const SHOWN_PLACES: usize = 3;

pub(crate) fn describe_places(defs: &[&SecretDef]) -> String {
    let mut shown: Vec<String> = defs
        .iter()
        .take(SHOWN_PLACES)
        .map(|d| match &d.namespace {
            Some(ns) => format!("{} in namespace {ns:?} ({})", d.kind.describe(), d.place),
            None => format!("{} ({})", d.kind.describe(), d.place),
        })
        .collect();
    if defs.len() > SHOWN_PLACES {
        shown.push(format!("and {} more", defs.len() - SHOWN_PLACES));
    }
    shown.join(", ")
}

impl Rule for ImagePullSecretNotFound {
    fn id(&self) -> &'static str {
        "image-pull-secret-not-found"
    }

    fn cross_object(&self) -> bool {
        true
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn check_pod(&self, pod: &PodView, context: &WorkloadContext<'_>, out: &mut Vec<Finding>) {
        for item in &pod.pull_secrets {
            let Some(name) = item.name.as_deref().filter(|n| !n.is_empty()) else {
                continue;
            };
            if is_template(name) {
                continue;
            }
            let mut finding = match context.index.resolve_secret(name, &pod.namespaces, &pod.file)
            {
                Resolution::Found(defs) => {
                    if let Some(finding) = self.renamed_seal(pod, item, name, &defs, context) {
                        out.push(finding);
                    }
                    continue;
                }
                Resolution::Unrelated(_) => continue,
                Resolution::NotFound => self.finding(
                    format!("pull secret {name:?} is defined nowhere among the inputs"),
                    Location::File(item.span.clone()),
                ),
                Resolution::OtherNamespaces(defs) => self.finding(
                    format!(
                        "pull secret {name:?} is not defined in {} of this pod, only in another: {}",
                        pod.describe_namespace(),
                        describe_places(&defs)
                    ),
                    Location::File(item.span.clone()),
                ),
            };
            let unusable = subdomain_problem(name);
            // A name no Secret can have may be one that exists, spelled
            // as Secrets cannot be ("Corp_Pull" for "corp-pull").
            let respelled = unusable.as_ref().and_then(|_| valid_spelling(name));
            let closest = respelled
                .as_deref()
                .filter(|n| {
                    matches!(
                        context.index.resolve_secret(n, &pod.namespaces, &pod.file),
                        Resolution::Found(_)
                    )
                })
                .or_else(|| {
                    context
                        .index
                        .closest_secret_name(name, &pod.namespaces, &pod.file)
                });
            if let Some(closest) = closest {
                finding
                    .message
                    .push_str(&format!("; did you mean {closest:?}?"));
            }
            let private = private_registry(pod, context);
            let note = match (&unusable, &private) {
                (Some(problem), _) => format!(
                    "no Secret can have this name ({problem}): the kubelet skips it and pulls \
                     without its credentials"
                ),
                (None, Some(host)) => format!(
                    "the kubelet skips a missing pull secret and pulls without its credentials: \
                     the images from {host}, a private registry, fail with ErrImagePull"
                ),
                (None, None) => {
                    "the kubelet skips a missing pull secret and pulls without its credentials"
                        .to_string()
                }
            };
            if unusable.is_some() || private.is_some() {
                finding.level = Level::Error;
            }
            let help = match (closest, &unusable, &respelled) {
                (Some(closest), _, _) => format!("name the Secret that exists: `name: {closest}`"),
                // `regcred create` (and the API server) would refuse it.
                (None, Some(_), Some(respelled)) => format!(
                    "write the pull Secret's real name: lower-case letters, digits, '-' and \
                     '.', such as `name: {respelled}`"
                ),
                (None, Some(_), None) => "write the pull Secret's real name: lower-case \
                                          letters, digits, '-' and '.'"
                    .to_string(),
                (None, None, _) => format!(
                    "create it in the pod's namespace (`regcred create {name} -n NAMESPACE ...`), \
                     or suppress this finding if it is created outside these files"
                ),
            };
            out.push(finding.with_note(note).with_help(help));
        }
    }
}

impl ImagePullSecretNotFound {
    /// A reference to a SealedSecret that the kustomization building the pod
    /// renames: kustomize renames references to a Secret, not to a
    /// SealedSecret (docs/kustomize.md), so the pod keeps naming the old
    /// name and the controller creates the Secret under the new one. Only
    /// when every definition found is such a SealedSecret in the same
    /// build: a Secret of that name there would have its references
    /// renamed with it.
    fn renamed_seal(
        &self,
        pod: &PodView,
        item: &SecretRefUse,
        name: &str,
        defs: &[&SecretDef],
        context: &WorkloadContext<'_>,
    ) -> Option<Finding> {
        let mut renamed = None;
        for def in defs {
            // A Secret of that name found has its references renamed with it.
            if def.kind != DefinitionKind::SealedSecret || def.name != name {
                return None;
            }
            renamed = Some((def, context.index.renamed_with(&pod.file, &def.file, name)?));
        }
        let (seal, (kustomization, new_name)) = renamed?;
        // A Secret of that name in a build of the pod's would have the
        // reference renamed with it: not certain then.
        let secrets = context.index.secrets();
        // A generator's file is its kustomization, in no build's files:
        // one of that name anywhere is enough to leave it alone.
        if secrets.iter().any(|d| {
            d.name == name
                && match d.kind {
                    DefinitionKind::SealedSecret => false,
                    DefinitionKind::Generator => true,
                    _ => context.index.share_a_build(&pod.file, &d.file),
                }
        }) {
            return None;
        }
        let private = private_registry(pod, context);
        let level = match private {
            Some(_) => Level::Error,
            None => Level::Warning,
        };
        let mut finding = self
            .finding(
                format!(
                    "pull secret {name:?} is a SealedSecret that the kustomization in {} renames to {new_name:?}: the Secret is created as {new_name:?}, and kustomize does not rename references to a SealedSecret",
                    // Spelled as the SealedSecret's place is, whatever the current folder.
                    crate::shown_path::beside(
                        &kustomization,
                        &crate::lint::index::file_key(&seal.file),
                        Path::new(seal.place.rsplit_once(':').map_or(seal.place.as_str(), |(file, _)| file)),
                    )
                    .display()
                ),
                Location::File(item.span.clone()),
            )
            .with_note("the kubelet skips a missing pull secret and pulls without its credentials")
            .with_help(format!(
                "name the Secret as the build creates it (`name: {new_name}`), or keep the SealedSecret out of the kustomization that renames it"
            ));
        finding.level = level;
        Some(finding)
    }
}

/// The first registry known to be private among the pod's images.
fn private_registry(pod: &PodView, context: &WorkloadContext<'_>) -> Option<String> {
    pod.images.iter().find_map(|image| {
        let ParsedImage::Reference(reference) = parse_image(&image.image) else {
            return None;
        };
        (context.registry_of(&reference).class == RegistryClass::Private)
            .then(|| reference.domain.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::index::DefinitionKind;

    fn def(namespace: &str) -> SecretDef {
        SecretDef {
            name: "regcred".into(),
            namespace: Some(namespace.into()),
            file: "s.yaml".into(),
            kind: DefinitionKind::Secret,
            type_name: None,
            keys: None,
            payload_file: None,
            place: format!("{namespace}/s.yaml:1"),
        }
    }

    #[test]
    fn many_places_are_cut_to_a_few() {
        let defs: Vec<SecretDef> = (0..500).map(|i| def(&format!("ns{i}"))).collect();
        let refs: Vec<&SecretDef> = defs.iter().collect();
        assert_eq!(
            describe_places(&refs),
            "Secret in namespace \"ns0\" (ns0/s.yaml:1), Secret in namespace \"ns1\" \
             (ns1/s.yaml:1), Secret in namespace \"ns2\" (ns2/s.yaml:1), and 497 more"
        );
        assert_eq!(
            describe_places(&refs[..1]),
            "Secret in namespace \"ns0\" (ns0/s.yaml:1)"
        );
    }
}
