//! The workspace index: what cross-file rules need to know about every
//! input, collected while each file is linted and kept after its text is
//! gone. Secret definitions (Secrets, SealedSecrets, ExternalSecrets,
//! kustomize secretGenerators), ServiceAccounts with their
//! `imagePullSecrets`, kustomizations' `namespace:`, and the `auths` keys of
//! every pull secret and Docker config.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::kustomize::lexically_normal;
use crate::manifest::secret::{DOCKERCFG_TYPE, DOCKERCONFIGJSON_TYPE};

/// What defines a Secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefinitionKind {
    Secret,
    SealedSecret,
    ExternalSecret,
    Generator,
}

impl DefinitionKind {
    pub fn describe(self) -> &'static str {
        match self {
            DefinitionKind::Secret => "Secret",
            DefinitionKind::SealedSecret => "SealedSecret",
            DefinitionKind::ExternalSecret => "ExternalSecret",
            DefinitionKind::Generator => "kustomize secretGenerator",
        }
    }
}

/// One definition of a Secret among the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretDef {
    pub name: String,
    /// `metadata.namespace` (or the generator's own `namespace:`).
    pub namespace: Option<String>,
    /// The file it is in (a generator: its kustomization).
    pub file: PathBuf,
    pub kind: DefinitionKind,
    /// The Secret type it will have; `None` when unknown (templated).
    pub type_name: Option<String>,
    /// The `auths` keys the kubelet reads from it; `None` when they cannot
    /// be known here (encrypted, external, or a payload that the kubelet
    /// rejects or that is not in the inputs).
    pub keys: Option<Vec<String>>,
    /// A generator's payload file, whose keys are filled in once read.
    pub payload_file: Option<PathBuf>,
    /// Where it is, for messages: `path:line`.
    pub place: String,
}

impl SecretDef {
    pub fn is_pull_secret_type(&self) -> Option<bool> {
        self.type_name
            .as_deref()
            .map(|t| t == DOCKERCONFIGJSON_TYPE || t == DOCKERCFG_TYPE)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccountDef {
    pub name: String,
    pub namespace: Option<String>,
    pub file: PathBuf,
    /// Names in its `imagePullSecrets` (empty names dropped).
    pub pull_secrets: Vec<String>,
}

/// A kustomization's namespace and what it includes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KustomizationDef {
    pub dir: PathBuf,
    pub namespace: Option<String>,
    /// `resources`, `bases` and `components`, as paths from the walk's root.
    pub includes: Vec<PathBuf>,
}

/// What one file adds to the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexPart {
    pub secrets: Vec<SecretDef>,
    pub service_accounts: Vec<ServiceAccountDef>,
    pub kustomizations: Vec<KustomizationDef>,
    /// `auths` keys of a Docker config file (path, keys), for generators.
    pub docker_configs: Vec<(PathBuf, Vec<String>)>,
    /// `auths` keys of every pull secret and Docker config read: the
    /// registries the inputs hold credentials for.
    pub credential_keys: Vec<String>,
}

/// Where a referenced Secret was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// Definitions in the pod's namespace.
    Found(Vec<&'a SecretDef>),
    /// Only in other namespaces.
    OtherNamespaces(Vec<&'a SecretDef>),
    NotFound,
}

/// The index of every input.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceIndex {
    secrets: Vec<SecretDef>,
    service_accounts: Vec<ServiceAccountDef>,
    kustomizations: Vec<KustomizationDef>,
    docker_configs: BTreeMap<PathBuf, Vec<String>>,
    credential_keys: BTreeSet<String>,
    /// File -> namespaces kustomizations put it in (filled by `finish`).
    file_namespaces: BTreeMap<PathBuf, BTreeSet<String>>,
}

/// A file's key in the index: absolute and lexically normal, so that paths
/// walked from different roots (the given files, `--context`) meet.
pub fn file_key(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    lexically_normal(&absolute)
}

/// How deep kustomizations may include one another before we stop following.
const MAX_INCLUDE_DEPTH: usize = 32;

impl WorkspaceIndex {
    pub fn add(&mut self, part: IndexPart) {
        self.secrets.extend(part.secrets);
        self.service_accounts.extend(part.service_accounts);
        self.kustomizations.extend(part.kustomizations);
        for (path, keys) in part.docker_configs {
            self.docker_configs.insert(file_key(&path), keys);
        }
        self.credential_keys.extend(part.credential_keys);
    }

    /// Resolves what needs every file: generator payload keys and the
    /// namespaces kustomizations give to the files they include.
    pub fn finish(&mut self) {
        for def in &mut self.secrets {
            if let (None, Some(file)) = (&def.keys, &def.payload_file) {
                def.keys = self.docker_configs.get(&file_key(file)).cloned();
            }
        }
        let by_dir: BTreeMap<PathBuf, &KustomizationDef> = self
            .kustomizations
            .iter()
            .map(|k| (file_key(&k.dir), k))
            .collect();
        let mut out: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
        for k in &self.kustomizations {
            let Some(ns) = &k.namespace else { continue };
            let mut files = BTreeSet::new();
            reach(k, &by_dir, &mut files, 0);
            for f in files {
                out.entry(f).or_default().insert(ns.clone());
            }
        }
        self.file_namespaces = out;
    }

    /// The namespaces an object of `file` ends up in: those of the
    /// kustomizations that include it, else its own `metadata.namespace`.
    /// Empty: not said (it goes wherever it is applied).
    pub fn namespaces_of(&self, file: &Path, declared: Option<&str>) -> BTreeSet<String> {
        if let Some(set) = self.file_namespaces.get(&file_key(file)) {
            return set.clone();
        }
        declared
            .map(|n| BTreeSet::from([n.to_string()]))
            .unwrap_or_default()
    }

    fn def_namespaces(&self, def_file: &Path, declared: Option<&str>) -> BTreeSet<String> {
        self.namespaces_of(def_file, declared)
    }

    /// The definitions of Secret `name` as seen from `namespaces` (a pod's).
    /// An unsaid namespace on either side matches any.
    pub fn resolve_secret(&self, name: &str, namespaces: &BTreeSet<String>) -> Resolution<'_> {
        let named: Vec<&SecretDef> = self.secrets.iter().filter(|d| d.name == name).collect();
        if named.is_empty() {
            return Resolution::NotFound;
        }
        let (here, elsewhere): (Vec<&SecretDef>, Vec<&SecretDef>) =
            named.into_iter().partition(|d| {
                let theirs = if d.kind == DefinitionKind::Generator {
                    // A generator's namespace is its own or its kustomization's.
                    match &d.namespace {
                        Some(n) => BTreeSet::from([n.clone()]),
                        None => self.def_namespaces(&d.file, None),
                    }
                } else {
                    self.def_namespaces(&d.file, d.namespace.as_deref())
                };
                namespaces_meet(namespaces, &theirs)
            });
        if !here.is_empty() {
            Resolution::Found(here)
        } else {
            Resolution::OtherNamespaces(elsewhere)
        }
    }

    /// The ServiceAccount `name` as seen from `namespaces`, if among the inputs.
    pub fn service_account(
        &self,
        name: &str,
        namespaces: &BTreeSet<String>,
    ) -> Option<&ServiceAccountDef> {
        self.service_accounts.iter().find(|sa| {
            sa.name == name
                && namespaces_meet(
                    namespaces,
                    &self.def_namespaces(&sa.file, sa.namespace.as_deref()),
                )
        })
    }

    /// Every `auths` key of every pull secret and Docker config read.
    pub fn credential_keys(&self) -> impl Iterator<Item = &str> {
        self.credential_keys.iter().map(String::as_str)
    }

    pub fn secrets(&self) -> &[SecretDef] {
        &self.secrets
    }
}

fn namespaces_meet(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    a.is_empty() || b.is_empty() || a.intersection(b).next().is_some()
}

/// Every file a kustomization includes, following included kustomizations.
fn reach(
    k: &KustomizationDef,
    by_dir: &BTreeMap<PathBuf, &KustomizationDef>,
    files: &mut BTreeSet<PathBuf>,
    depth: usize,
) {
    if depth > MAX_INCLUDE_DEPTH {
        return;
    }
    // Its own generators live in its own file.
    for name in ["kustomization.yaml", "kustomization.yml", "Kustomization"] {
        files.insert(file_key(&k.dir.join(name)));
    }
    for include in &k.includes {
        let include = file_key(include);
        match by_dir.get(&include) {
            Some(inner) => reach(inner, by_dir, files, depth + 1),
            None => {
                files.insert(include);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(name: &str, ns: Option<&str>, file: &str) -> SecretDef {
        SecretDef {
            name: name.into(),
            namespace: ns.map(str::to_string),
            file: file.into(),
            kind: DefinitionKind::Secret,
            type_name: Some(DOCKERCONFIGJSON_TYPE.into()),
            keys: Some(vec!["reg.io".into()]),
            payload_file: None,
            place: format!("{file}:1"),
        }
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn namespaces_decide_resolution() {
        let mut index = WorkspaceIndex::default();
        index.add(IndexPart {
            secrets: vec![
                secret("pull", Some("a"), "x.yaml"),
                secret("loose", None, "y.yaml"),
            ],
            ..IndexPart::default()
        });
        index.finish();
        assert!(matches!(
            index.resolve_secret("pull", &set(&["a"])),
            Resolution::Found(_)
        ));
        assert!(matches!(
            index.resolve_secret("pull", &set(&["b"])),
            Resolution::OtherNamespaces(_)
        ));
        assert!(matches!(
            index.resolve_secret("pull", &set(&[])),
            Resolution::Found(_)
        ));
        assert!(matches!(
            index.resolve_secret("loose", &set(&["b"])),
            Resolution::Found(_)
        ));
        assert_eq!(
            index.resolve_secret("nope", &set(&[])),
            Resolution::NotFound
        );
    }

    #[test]
    fn kustomization_namespace_overrides_and_follows_includes() {
        let mut index = WorkspaceIndex::default();
        index.add(IndexPart {
            secrets: vec![secret("pull", Some("wrong"), "base/secret.yaml")],
            kustomizations: vec![
                KustomizationDef {
                    dir: "base".into(),
                    namespace: None,
                    includes: vec!["base/secret.yaml".into()],
                },
                KustomizationDef {
                    dir: "overlays/prod".into(),
                    namespace: Some("prod".into()),
                    includes: vec!["overlays/prod/../../base".into()],
                },
            ],
            ..IndexPart::default()
        });
        index.finish();
        assert_eq!(
            index.namespaces_of(Path::new("./base/secret.yaml"), Some("x")),
            set(&["prod"])
        );
        assert!(matches!(
            index.resolve_secret("pull", &set(&["prod"])),
            Resolution::Found(_)
        ));
        assert_eq!(
            index.namespaces_of(Path::new("other.yaml"), Some("x")),
            set(&["x"])
        );
    }
}
