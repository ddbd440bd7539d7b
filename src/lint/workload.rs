//! What the workload rules read: a pod spec reduced to what they check
//! (kept after its file's text is gone), and the context around it: the
//! workspace index and the configured registry lists.

use std::collections::BTreeSet;
use std::ops::Range;

use super::finding::Fix;
use std::path::{Path, PathBuf};

use super::index::{file_key, ServiceAccountDef, WorkspaceIndex};
use super::setting::{Registries, Setting};
use crate::image::keyring::is_docker_hub_repository;
use crate::image::registry::ClassReason;
use crate::image::{classify_image, ImageRef, RegistryClass, RegistryLists};
use crate::manifest::workload::{ContainerList, PodSpecView};
use crate::manifest::ObjectId;

/// One container image of a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageUse {
    pub list: ContainerList,
    pub container: Option<String>,
    pub image: String,
    /// The image value in the file.
    pub span: Range<usize>,
}

impl ImageUse {
    /// "container \"app\"" / "init container \"setup\"", for messages.
    pub fn describe_container(&self) -> String {
        let what = match self.list {
            ContainerList::Containers => "container",
            ContainerList::InitContainers => "init container",
            ContainerList::EphemeralContainers => "ephemeral container",
        };
        match &self.container {
            Some(name) => format!("{what} {name:?}"),
            None => what.to_string(),
        }
    }
}

/// One `imagePullSecrets` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRefUse {
    /// `None`: no `name`; `Some("")`: an empty one.
    pub name: Option<String>,
    pub span: Range<usize>,
}

/// A pod spec as the workload rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodView {
    pub object: ObjectId,
    /// The file's key in the index ([`file_key`]), for the namespaces
    /// kustomizations give it and the definitions nearest to it.
    pub file: PathBuf,
    pub spec_span: Range<usize>,
    /// The `spec:` key that holds the pod spec.
    pub spec_key_span: Range<usize>,
    pub images: Vec<ImageUse>,
    pub pull_secrets: Vec<SecretRefUse>,
    pub service_account: Option<String>,
    /// The namespaces it ends up in (empty: not said); set once every file
    /// is read.
    pub namespaces: BTreeSet<String>,
    /// How `--fix` adds `imagePullSecrets` to it, made while its file is
    /// read, for a linter that proposes fixes ([`Linter::proposing_fixes`]);
    /// boxed: a large repository holds many pods, most never fixed.
    ///
    /// [`Linter::proposing_fixes`]: super::Linter::proposing_fixes
    pub add_pull_secret: Option<Box<Fix>>,
}

impl PodView {
    pub fn new(spec: &PodSpecView<'_>, file: &Path) -> PodView {
        PodView {
            object: spec.object.id.clone(),
            file: file_key(file),
            spec_span: spec.spec.span.clone(),
            spec_key_span: spec.spec_entry.key.span.clone(),
            images: spec
                .images
                .iter()
                .map(|i| ImageUse {
                    list: i.list,
                    container: i.container.map(str::to_string),
                    image: i.node.text().unwrap_or("").to_string(),
                    span: i.node.span.clone(),
                })
                .collect(),
            pull_secrets: spec
                .pull_secrets
                .iter()
                .map(|r| SecretRefUse {
                    name: r.name.map(str::to_string),
                    span: r.item.span.clone(),
                })
                .collect(),
            service_account: spec.service_account.map(str::to_string),
            namespaces: BTreeSet::new(),
            add_pull_secret: None,
        }
    }

    /// Every span a workload finding may point at.
    pub fn spans(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.images
            .iter()
            .map(|i| i.span.clone())
            .chain(self.pull_secrets.iter().map(|r| r.span.clone()))
            .chain(std::iter::once(self.spec_key_span.clone()))
    }

    /// "namespace \"prod\"" or "its namespace", for messages.
    pub fn describe_namespace(&self) -> String {
        match self.namespaces.len() {
            0 => "its namespace".to_string(),
            1 => format!(
                "namespace {:?}",
                self.namespaces.iter().next().map_or("", String::as_str)
            ),
            _ => format!(
                "namespaces {}",
                self.namespaces
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The pull secrets the kubelet gets for a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodPullSecrets<'a> {
    /// The pod's own `imagePullSecrets` (non-empty names).
    Own(Vec<&'a str>),
    /// None of its own: its ServiceAccount's, copied in at admission.
    FromServiceAccount(&'a ServiceAccountDef),
    /// None of its own; the ServiceAccount is among the inputs without any.
    None { service_account: &'a str },
    /// None of its own; the ServiceAccount is not among the inputs, so it
    /// may bring some.
    UnknownServiceAccount { service_account: &'a str },
}

/// A registry's class and why, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryVerdict {
    pub class: RegistryClass,
    /// Why, as a clause naming the registry: "reg.corp.test is configured
    /// as private (reg.corp.*)".
    pub why: String,
    /// Private by construction on a cloud whose nodes may pull on their own.
    pub cloud_note: Option<&'static str>,
}

/// What the workload rules see besides the pod.
#[derive(Debug, Clone, Copy)]
pub struct WorkloadContext<'a> {
    pub index: &'a WorkspaceIndex,
    pub registries: &'a Registries,
}

impl<'a> WorkloadContext<'a> {
    /// The level `missing-image-pull-secrets` uses for unknown registries.
    pub fn unknown_setting(&self) -> Setting {
        self.registries
            .unknown
            .unwrap_or(Setting::Level(super::Level::Info))
    }

    /// The pull secrets the kubelet gets for `pod` (ServiceAccount admission:
    /// the ServiceAccount's only when the pod has none; `default` when it
    /// names none).
    pub fn pull_secrets_of(&self, pod: &'a PodView) -> PodPullSecrets<'a> {
        let own: Vec<&str> = pod
            .pull_secrets
            .iter()
            .filter_map(|r| r.name.as_deref())
            .filter(|n| !n.is_empty())
            .collect();
        if !pod.pull_secrets.is_empty() {
            return PodPullSecrets::Own(own);
        }
        let name = pod.service_account.as_deref().unwrap_or("default");
        match self.index.service_account(name, &pod.namespaces, &pod.file) {
            Some(sa) if !sa.pull_secrets.is_empty() => PodPullSecrets::FromServiceAccount(sa),
            Some(_) => PodPullSecrets::None {
                service_account: name,
            },
            None => PodPullSecrets::UnknownServiceAccount {
                service_account: name,
            },
        }
    }

    /// Who can pull from the image's registry. Precedence: configured
    /// private, configured public, credentials among the inputs, the default
    /// public list, private by construction.
    pub fn registry_of(&self, image: &ImageRef) -> RegistryVerdict {
        let lists = RegistryLists {
            private: self.registries.private.clone(),
            public: self.registries.public.clone(),
        };
        let host = image.domain.as_str();
        let (class, reason) = classify_image(host, &image.path, &lists);
        let note = cloud_note(host);
        let verdict = |class, why: String| RegistryVerdict {
            class,
            why,
            cloud_note: note,
        };
        match &reason {
            ClassReason::ConfiguredPrivate(p) => {
                return verdict(class, format!("{host} is configured as private ({p})"))
            }
            ClassReason::ConfiguredPublic(p) => {
                return verdict(class, format!("{host} is configured as public ({p})"))
            }
            _ => {}
        }
        // On a public registry only credentials for the image's own path
        // (quay.io/team) make it private; elsewhere, any for the registry.
        let whole_registry = !matches!(reason, ClassReason::DefaultPublic(_));
        if let Some(key) = self.credential_key_for(image, whole_registry) {
            return verdict(
                RegistryClass::Private,
                format!(
                    "a pull secret among the inputs holds credentials for {host} (key {key:?})"
                ),
            );
        }
        match reason {
            // A public repository on an unlisted host (`*-docker.pkg.dev/google-samples`).
            ClassReason::DefaultPublic(p) if p.contains('/') => verdict(
                class,
                format!("{} is on the default public list ({p})", image.name()),
            ),
            ClassReason::DefaultPublic(p) => {
                verdict(class, format!("{host} is on the default public list ({p})"))
            }
            ClassReason::PrivateByConstruction(p) => verdict(
                class,
                format!("{host} is a cloud account's private registry ({p})"),
            ),
            _ => verdict(
                class,
                format!("{host} is on no list of private or public registries"),
            ),
        }
    }

    /// A key of the inputs' pull secrets that the kubelet would match to the
    /// image; with `whole_registry`, the key's path left out (credentials
    /// for `reg.io/team` make `reg.io` a private registry, also for
    /// `reg.io/other`). Docker Hub is left out: a Docker Hub login is mostly
    /// there against rate limits, not for private images.
    fn credential_key_for(&self, image: &ImageRef, whole_registry: bool) -> Option<String> {
        let name = image.name();
        if is_docker_hub_repository(&name) {
            return None;
        }
        self.index
            .credential_key_for(&name, whole_registry)
            .map(str::to_string)
    }
}

/// A cloud's own registry, whose nodes may pull without imagePullSecrets
/// through the kubelet's credential provider.
fn cloud_note(host: &str) -> Option<&'static str> {
    let host = host.to_ascii_lowercase();
    if host.contains(".dkr.ecr") && host.contains(".amazonaws.com") {
        Some("on EKS the nodes' IAM role may give the kubelet ECR credentials without imagePullSecrets")
    } else if host.contains(".azurecr.") {
        Some(
            "on AKS with the registry attached the kubelet pulls from ACR without imagePullSecrets",
        )
    } else if host.ends_with("-docker.pkg.dev") || host == "gcr.io" || host.ends_with(".gcr.io") {
        Some("on GKE the nodes' service account may give the kubelet credentials for Google's registries")
    } else {
        None
    }
}
