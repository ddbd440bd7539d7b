//! The workspace index: what cross-file rules need to know about every
//! input, collected while each file is linted and kept after its text is
//! gone. Secret definitions (Secrets, SealedSecrets, ExternalSecrets,
//! kustomize secretGenerators), ServiceAccounts with their
//! `imagePullSecrets`, kustomizations' `namespace:`, and the `auths` keys of
//! every pull secret and Docker config.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::index_places::{Place, Places};
use super::kustomize::lexically_normal;
use super::kustomize_names::{renamed_definitions, renames, Renames};
use super::near_names::NearNames;
use super::path_table::{PathId, PathTable};
use crate::image::keyring::{key_registry, Keyring};
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

/// A kustomization's namespace, renaming and what it includes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KustomizationDef {
    pub dir: PathBuf,
    pub namespace: Option<String>,
    /// `namePrefix` and `nameSuffix` (null and empty mean none).
    pub name_prefix: Option<String>,
    pub name_suffix: Option<String>,
    /// `resources`, `bases` and `components`, as paths from the walk's root.
    pub includes: Vec<PathBuf>,
    /// Whether it has `configurations:` (transformer configurations, which
    /// may make kustomize rename references to any kind, docs/kustomize.md).
    pub configurations: bool,
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
    /// The file it comes from ([`file_key`]) and whether it is test data
    /// by its path, or not to be taken for test data at all.
    pub file: Option<(PathBuf, FileRole)>,
    /// Files that the test definitions in it name as expectations
    /// (lexically normal, not yet keys).
    pub expectations: Vec<PathBuf>,
}

/// What a file is, as far as its own path and configuration tell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FileRole {
    /// Deployable, unless a test definition names it.
    #[default]
    Deployable,
    /// Test data by its path (docs/rules.md, "Test-expectation files").
    TestData,
    /// Its configuration turns the recognition off: always deployable.
    Undetected,
}

/// Where a referenced Secret was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// Definitions in the pod's namespace.
    Found(Vec<&'a SecretDef>),
    /// Only in other namespaces.
    OtherNamespaces(Vec<&'a SecretDef>),
    /// Only where a namespace is unsaid, in a folder that does not hold the
    /// pod's file: maybe the one, maybe another app's.
    Unrelated(Vec<&'a SecretDef>),
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
    /// Files that are test expectations (by path or named by a test
    /// definition, unless their configuration says otherwise): they define
    /// nothing. Complete after `finish`.
    test_files: HashSet<PathBuf>,
    /// Files whose configuration turns the recognition off.
    undetected: HashSet<PathBuf>,
    /// Credential keys by file, until `finish` leaves out test files'.
    pending_credentials: Vec<(Option<PathBuf>, Vec<String>)>,
    /// File -> namespaces kustomizations put it in (filled by `finish`).
    file_namespaces: KustomizedNamespaces,
    /// File -> the names kustomizations rename its objects to (filled by
    /// `finish`).
    file_renames: Renames,
    /// The Secrets and ServiceAccounts (same order) by name, namespace and
    /// folder, filled by `finish`.
    secret_places: Places,
    account_places: Places,
    /// `credential_keys` prepared for matching images, filled by `finish`:
    /// as written, and cut to their registries (`host[:port]`).
    credential_keyring: Keyring,
    registry_keyring: Keyring,
    /// The defined names near each missing one, found on demand.
    near_names: NearNames,
}

/// A file's key in the index: absolute and lexically normal, so that paths
/// walked from different roots (the given files, `--context`) meet.
pub fn file_key(path: &Path) -> PathBuf {
    if is_file_key(path) {
        return path.to_path_buf();
    }
    // A plainly spelled relative path (what a context shown relative to
    // the current folder gives every file) is the current folder joined:
    // no `getcwd` and no component-by-component rebuild per path (a
    // pre-commit run keys thousands).
    if let Some(joined) = current_folder()
        .filter(|_| path.is_relative())
        .map(|cwd| cwd.join(path))
        .filter(|joined| is_file_key(joined))
    {
        return joined;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    lexically_normal(&absolute)
}

/// The current folder, asked once: regcred never changes it.
fn current_folder() -> Option<&'static Path> {
    static CURRENT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CURRENT
        .get_or_init(|| std::env::current_dir().ok().filter(|d| is_file_key(d)))
        .as_deref()
}

/// Whether `path` is spelled as [`file_key`] spells it already (absolute,
/// no `.` or `..`, no doubled or trailing `/`): most paths the index holds
/// are, and the check costs no allocation.
fn is_file_key(path: &Path) -> bool {
    use std::path::Component;
    let bytes = path.as_os_str().as_encoded_bytes();
    cfg!(unix)
        && bytes.first() == Some(&b'/')
        && (bytes.len() == 1 || bytes.last() != Some(&b'/'))
        && !bytes.windows(2).any(|w| w == b"//")
        // `components` passes over a `.` inside a path without a word.
        && !bytes.windows(3).any(|w| w == b"/./")
        && !bytes.ends_with(b"/.")
        && path
            .components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_)))
}

/// A key whose byte order is `Path`'s order (component by component), so
/// that a sort compares bytes instead of parsing paths at each comparison:
/// each component as a tag in `Component`'s order, then its bytes and a 0
/// (a component that is a prefix of another sorts first, as in `Path`).
fn path_order(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for component in path.components() {
        let (tag, text) = match component {
            Component::Prefix(p) => (1, p.as_os_str()),
            Component::RootDir => (2, std::ffi::OsStr::new("")),
            Component::CurDir => (3, std::ffi::OsStr::new("")),
            Component::ParentDir => (4, std::ffi::OsStr::new("")),
            Component::Normal(text) => (5, text),
        };
        key.push(tag);
        key.extend_from_slice(text.as_encoded_bytes());
        key.push(0);
    }
    key
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
        let file = part.file.map(|(file, role)| {
            match role {
                FileRole::TestData => {
                    self.test_files.insert(file.clone());
                }
                FileRole::Undetected => {
                    self.undetected.insert(file.clone());
                }
                FileRole::Deployable => {}
            }
            file
        });
        self.test_files
            .extend(part.expectations.iter().map(|p| file_key(p)));
        if !part.credential_keys.is_empty() {
            self.pending_credentials.push((file, part.credential_keys));
        }
    }

    /// Resolves what needs every file: generator payload keys and the
    /// namespaces kustomizations give to the files they include.
    pub fn finish(&mut self) {
        // Files are added in whatever order the walk's threads finish them:
        // sort (stably, so one file's objects keep their order) to make
        // every lookup, and so every finding, the same from run to run.
        self.test_files.retain(|f| !self.undetected.contains(f));
        let test_files = &self.test_files;
        let deployable =
            |file: &Path| test_files.is_empty() || !test_files.contains(&file_key(file));
        self.secrets.retain(|d| deployable(&d.file));
        self.service_accounts.retain(|sa| deployable(&sa.file));
        // Deduplicated before they are sorted: a large repository repeats a
        // few dozen registries in thousands of pull secrets.
        let mut distinct: HashSet<String> = std::mem::take(&mut self.credential_keys)
            .into_iter()
            .collect();
        for (file, part) in std::mem::take(&mut self.pending_credentials) {
            if file.is_none_or(|f| !test_files.contains(&f)) {
                distinct.extend(part);
            }
        }
        let mut keys: Vec<String> = distinct.into_iter().collect();
        keys.sort_unstable();
        self.secrets.sort_by_cached_key(|d| path_order(&d.file));
        self.service_accounts
            .sort_by_cached_key(|sa| path_order(&sa.file));
        // Kustomizations are needed only here: freed once their namespaces
        // and renamings are known, before the places are built.
        let mut kustomizations = std::mem::take(&mut self.kustomizations);
        kustomizations.sort_by(|a, b| a.dir.cmp(&b.dir));
        // Docker configs' keys are needed only here: freed before the
        // keyrings are built (a config may hold a million).
        let docker_configs = std::mem::take(&mut self.docker_configs);
        for def in &mut self.secrets {
            if let (None, Some(file)) = (&def.keys, &def.payload_file) {
                def.keys = docker_configs.get(&file_key(file)).cloned();
            }
        }
        drop(docker_configs);
        self.file_namespaces = kustomized_namespaces(&kustomizations);
        self.file_renames = renames(&kustomizations);
        drop(kustomizations);
        let renamed = renamed_definitions(&self.file_renames, &self.secrets);
        if !renamed.is_empty() {
            self.secrets.extend(renamed);
            self.secrets.sort_by_cached_key(|d| path_order(&d.file));
        }
        // Kept until the run ends: without the room they grew into.
        self.secrets.shrink_to_fit();
        self.service_accounts.shrink_to_fit();
        // Thousands of definitions land in the same few sets of namespaces.
        let mut sets: HashSet<Arc<BTreeSet<String>>> = HashSet::new();
        let mut share = |set: BTreeSet<String>| match sets.get(&set) {
            Some(shared) => Arc::clone(shared),
            None => {
                let shared = Arc::new(set);
                sets.insert(Arc::clone(&shared));
                shared
            }
        };
        let secret_places: Vec<Place> = self
            .secrets
            .iter()
            .map(|d| {
                let file = file_key(&d.file);
                let namespaces = match (d.kind, &d.namespace) {
                    // A generator's namespace is its own or its kustomization's.
                    (DefinitionKind::Generator, Some(n)) => BTreeSet::from([n.clone()]),
                    (DefinitionKind::Generator, None) => self.namespaces_at(&file, None),
                    _ => self.namespaces_at(&file, d.namespace.as_deref()),
                };
                let namespaces = share(namespaces);
                Place { file, namespaces }
            })
            .collect();
        self.secret_places = Places::new(
            self.secrets
                .iter()
                .map(|d| d.name.as_str())
                .zip(secret_places),
        );
        let account_places: Vec<Place> = self
            .service_accounts
            .iter()
            .map(|sa| {
                let file = file_key(&sa.file);
                let namespaces = share(self.namespaces_at(&file, sa.namespace.as_deref()));
                Place { file, namespaces }
            })
            .collect();
        self.account_places = Places::new(
            self.service_accounts
                .iter()
                .map(|sa| sa.name.as_str())
                .zip(account_places),
        );
        // The keys move into their keyring (no second copy of a million).
        let registries: Vec<String> = keys
            .iter()
            .map(|k| key_registry(k).unwrap_or_default())
            .collect();
        self.credential_keyring = Keyring::from_keys(keys);
        self.registry_keyring = Keyring::from_keys(registries);
        // Names found near a missing one before are found again.
        self.near_names = NearNames::default();
    }

    /// The namespaces an object of the file whose key ([`file_key`]) is
    /// `key` ends up in: those of the kustomizations that include it, else
    /// its own `metadata.namespace`. Empty: not said (it goes wherever it is
    /// applied).
    pub fn namespaces_at(&self, key: &Path, declared: Option<&str>) -> BTreeSet<String> {
        if let Some(set) = self.file_namespaces.of(key) {
            return set;
        }
        declared
            .map(|n| BTreeSet::from([n.to_string()]))
            .unwrap_or_default()
    }

    /// The names kustomizations' `namePrefix`/`nameSuffix` give an object
    /// called `name` in the file whose key ([`file_key`]) is `key`, other
    /// than `name`: empty when none renames it.
    pub fn names_at(&self, key: &Path, name: &str) -> BTreeSet<String> {
        self.file_renames.names_of(key, name)
    }

    /// A kustomization (its folder) whose build includes both the files
    /// `a` and `b` and renames the object called `name` of `b`, with the
    /// name it gives it ([`Renames::renamed_with`]).
    pub fn renamed_with(&self, a: &Path, b: &Path, name: &str) -> Option<(PathBuf, String)> {
        self.file_renames
            .renamed_with(&file_key(a), &file_key(b), name)
    }

    /// Whether the files `a` and `b` are in one build of a kustomization
    /// that renames.
    pub fn share_a_build(&self, a: &Path, b: &Path) -> bool {
        self.file_renames.share_a_build(&file_key(a), &file_key(b))
    }

    /// The definitions of Secret `name` as seen from `namespaces` (a pod's,
    /// in the file whose key from [`file_key`] is `from`). An unsaid
    /// namespace on either side matches any; of several definitions, those
    /// nearest to `from` in the tree win (the same file, else the same
    /// folder...): in a repository of many apps, the Secret next to a
    /// workload is the one deployed with it.
    pub fn resolve_secret(
        &self,
        name: &str,
        namespaces: &BTreeSet<String>,
        from: &Path,
    ) -> Resolution<'_> {
        let defs = |positions: &[usize]| -> Vec<&SecretDef> {
            positions
                .iter()
                .filter_map(|&i| self.secrets.get(i))
                .collect()
        };
        let here = self.secret_places.nearest_here(name, namespaces, from);
        if !here.is_empty() {
            return Resolution::Found(defs(&here));
        }
        // Nothing here: the others are only wanted for the message.
        let sorted = self.secret_places.sort(name, namespaces, from);
        if !sorted.unrelated.is_empty() {
            Resolution::Unrelated(defs(&sorted.unrelated))
        } else if !sorted.elsewhere.is_empty() {
            Resolution::OtherNamespaces(defs(&sorted.elsewhere))
        } else {
            Resolution::NotFound
        }
    }

    /// Whether the file whose key is `file` is a test expectation: its pods
    /// need nothing (complete after `finish`).
    pub fn is_test_file(&self, file: &Path) -> bool {
        self.test_files.contains(file)
    }

    /// The Secret defined where a pod in `namespaces` (in the file whose key
    /// is `from`) finds it, whose name is closest to `name` by edit distance
    /// and close enough to be a typo of it ("corp-pul" for "corp-pull").
    /// The names near `name` are measured once per run ([`NearNames`]).
    pub fn closest_secret_name(
        &self,
        name: &str,
        namespaces: &BTreeSet<String>,
        from: &Path,
    ) -> Option<&str> {
        let near = self.near_names.near(name, self.secret_places.names());
        let closest = near
            .iter()
            .find(|candidate| self.secret_places.any_here(candidate, namespaces, from))?;
        self.secret_places.name(closest)
    }

    /// The ServiceAccount `name` as seen from `namespaces` (a pod's, in the
    /// file whose key is `from`), if among the inputs; the nearest to `from`
    /// when several.
    pub fn service_account(
        &self,
        name: &str,
        namespaces: &BTreeSet<String>,
        from: &Path,
    ) -> Option<&ServiceAccountDef> {
        self.account_places
            .nearest_here(name, namespaces, from)
            .iter()
            .find_map(|&i| self.service_accounts.get(i))
    }

    /// A key of the pull secrets and Docker configs read that the kubelet
    /// would match to `repository`; with `whole_registry`, each key cut to
    /// its registry first (the key itself is returned).
    pub fn credential_key_for(&self, repository: &str, whole_registry: bool) -> Option<&str> {
        let keyring = match whole_registry {
            true => &self.registry_keyring,
            false => &self.credential_keyring,
        };
        let position = keyring.first_tried(repository)?;
        self.credential_keyring
            .keys()
            .get(position)
            .map(String::as_str)
    }

    pub fn secrets(&self) -> &[SecretDef] {
        &self.secrets
    }
}

/// The items at `positions` whose file shares the most leading path
/// components with `from` (both keys from `file_key`), comparing each:
/// what [`Places::nearest_here`] computes without looking at every one,
/// kept as its test oracle.
#[cfg(test)]
fn nearest<'a, T>(items: &'a [T], places: &Places, positions: &[usize], from: &Path) -> Vec<&'a T> {
    let shared = |position: usize| {
        let file = places.file(position);
        file.components()
            .zip(from.components())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let shared: Vec<usize> = positions.iter().map(|&i| shared(i)).collect();
    let best = shared.iter().copied().max().unwrap_or(0);
    positions
        .iter()
        .zip(&shared)
        .filter(|&(_, &s)| s == best)
        .filter_map(|(&i, _)| items.get(i))
        .collect()
}

/// A kustomization with its folder and includes as numbered file keys,
/// computed once: overlays share bases, which are walked once per overlay.
struct KeyedKustomization {
    dir: PathId,
    includes: Vec<PathId>,
}

/// File key -> the namespaces the kustomizations that include it give it:
/// each file numbered once in `paths`, and its namespaces one shared list
/// of numbers into `names` (a 500 MB repository has hundreds of thousands
/// of such files, most of them in the same one or two namespaces).
#[derive(Debug, Clone, Default)]
struct KustomizedNamespaces {
    paths: PathTable,
    /// By path number: its list in `lists`, or [`NO_LIST`].
    list_of: Vec<u32>,
    lists: Vec<Vec<u32>>,
    names: Vec<String>,
    /// The folders of kustomizations: their own files are not numbered,
    /// but have the namespaces of their folder.
    kustomization_dirs: HashSet<PathId>,
}

/// The names kustomize reads a kustomization from.
const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// A path no namespaced kustomization includes.
const NO_LIST: u32 = u32::MAX;

impl KustomizedNamespaces {
    fn of(&self, key: &Path) -> Option<BTreeSet<String>> {
        // No kustomization gives a namespace: nothing to look up (a lookup
        // parses every folder above `key`).
        if self.lists.is_empty() {
            return None;
        }
        let own = self.list(key);
        // A kustomization's own file has its folder's namespaces.
        let folder = key
            .file_name()
            .filter(|name| KUSTOMIZATION_FILES.iter().any(|k| name == k))
            .and_then(|_| key.parent())
            .and_then(|dir| self.paths.id(dir))
            .filter(|dir| self.kustomization_dirs.contains(dir))
            .and_then(|dir| self.list_at(dir));
        if own.is_none() && folder.is_none() {
            return None;
        }
        Some(
            own.into_iter()
                .chain(folder)
                .flatten()
                .filter_map(|&n| self.names.get(n as usize))
                .cloned()
                .collect(),
        )
    }

    fn list(&self, key: &Path) -> Option<&Vec<u32>> {
        self.list_at(self.paths.id(key)?)
    }

    fn list_at(&self, id: PathId) -> Option<&Vec<u32>> {
        let list = self.list_of.get(id.index()).filter(|&&l| l != NO_LIST)?;
        self.lists.get(*list as usize)
    }
}

fn kustomized_namespaces(kustomizations: &[KustomizationDef]) -> KustomizedNamespaces {
    let mut out = KustomizedNamespaces::default();
    let paths = &mut out.paths;
    let keyed: Vec<KeyedKustomization> = kustomizations
        .iter()
        .map(|k| KeyedKustomization {
            dir: paths.intern(&file_key(&k.dir)),
            includes: k
                .includes
                .iter()
                .map(|i| paths.intern(&file_key(i)))
                .collect(),
        })
        .collect();
    let by_dir: HashMap<PathId, &KeyedKustomization> = keyed.iter().map(|k| (k.dir, k)).collect();
    out.kustomization_dirs = by_dir.keys().copied().collect();
    // By path number, while the kustomizations are walked.
    let mut numbers_of: HashMap<PathId, Vec<u32>> = HashMap::new();
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    for (k, keys) in kustomizations.iter().zip(&keyed) {
        let Some(ns) = &k.namespace else { continue };
        let number = *numbers.entry(ns.as_str()).or_insert_with(|| {
            out.names.push(ns.clone());
            u32::try_from(out.names.len() - 1).unwrap_or(u32::MAX)
        });
        let mut files = HashSet::new();
        reach(keys, &by_dir, &mut files, 0);
        for f in files {
            let set = numbers_of.entry(f).or_default();
            if !set.contains(&number) {
                set.push(number);
            }
        }
    }
    // One list per distinct set of namespaces, shared by its files.
    out.list_of = vec![NO_LIST; out.paths.len()];
    let mut shared: HashMap<Vec<u32>, u32> = HashMap::new();
    for (file, list) in numbers_of {
        let number = *shared.entry(list).or_insert_with_key(|list| {
            out.lists.push(list.clone());
            u32::try_from(out.lists.len() - 1).unwrap_or(NO_LIST)
        });
        if let Some(slot) = out.list_of.get_mut(file.index()) {
            *slot = number;
        }
    }
    out
}

/// Every file a kustomization includes, following included kustomizations.
fn reach(
    k: &KeyedKustomization,
    by_dir: &HashMap<PathId, &KeyedKustomization>,
    files: &mut HashSet<PathId>,
    depth: usize,
) {
    if depth > MAX_INCLUDE_DEPTH || !files.insert(k.dir) {
        // Too deep, or this kustomization's folder was already walked (a
        // base shared by several overlays, or a cycle).
        return;
    }
    // Its own generators live in its own file, which has the namespaces
    // of its folder (`KustomizedNamespaces::of`).
    for include in &k.includes {
        match by_dir.get(include) {
            Some(inner) => reach(inner, by_dir, files, depth + 1),
            None => {
                files.insert(*include);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::index_places::Place;

    /// Random trees: the choice by subtree ranges is the choice made by
    /// comparing every candidate's path with the pod's, for paths spelled
    /// in any way and made keys, as the index makes them (a definition's
    /// file may also be the folder of a pod's, or the pod's own file).
    #[test]
    fn nearest_here_agrees_with_comparing_every_path() {
        use proptest::prelude::*;
        let word =
            || prop::sample::select(vec!["a", "b", "ab", "s.yaml", "pod.yaml", ".", "", ".."]);
        let path = || {
            (
                prop::sample::select(vec!["", "/", "./", "//"]),
                prop::collection::vec(word(), 0..5),
            )
                .prop_map(|(root, words)| format!("{root}{}", words.join("/")))
        };
        let namespaces = || {
            prop::collection::btree_set(
                prop::sample::select(vec!["x".to_string(), "y".to_string(), "z".to_string()]),
                0..3,
            )
        };
        let tree = prop::collection::vec(
            (
                prop::sample::select(vec!["pull", "other"]),
                path(),
                namespaces(),
            ),
            0..24,
        );
        let pods = prop::collection::vec((path(), namespaces()), 1..8);
        let mut runner = proptest::test_runner::TestRunner::new_with_rng(
            ProptestConfig::with_cases(2000),
            proptest::test_runner::TestRng::deterministic_rng(
                proptest::test_runner::RngAlgorithm::ChaCha,
            ),
        );
        let result = runner.run(&(tree, pods), |(tree, pods)| {
            let places = Places::new(tree.iter().map(|(name, file, namespaces)| {
                let place = Place {
                    file: file_key(Path::new(file)),
                    namespaces: namespaces.clone().into(),
                };
                (*name, place)
            }));
            let positions: Vec<usize> = (0..tree.len()).collect();
            for (file, namespaces) in &pods {
                let key = file_key(Path::new(file));
                let from = key.as_path();
                for name in ["pull", "other", "missing"] {
                    let here = places.here(name, namespaces, from);
                    let old: Vec<usize> = nearest(&positions, &places, &here, from)
                        .into_iter()
                        .copied()
                        .collect();
                    let new = places.nearest_here(name, namespaces, from);
                    prop_assert_eq!(new, old, "{} {:?} {}", name, namespaces, file);
                }
            }
            Ok(())
        });
        assert!(result.is_ok(), "{result:?}");
    }

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

    fn at(path: &str) -> PathBuf {
        file_key(Path::new(path))
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
            index.resolve_secret("pull", &set(&["a"]), &at("p.yaml")),
            Resolution::Found(_)
        ));
        assert!(matches!(
            index.resolve_secret("pull", &set(&["b"]), &at("p.yaml")),
            Resolution::OtherNamespaces(_)
        ));
        assert!(matches!(
            index.resolve_secret("pull", &set(&[]), &at("p.yaml")),
            Resolution::Found(_)
        ));
        assert!(matches!(
            index.resolve_secret("loose", &set(&["b"]), &at("p.yaml")),
            Resolution::Found(_)
        ));
        assert_eq!(
            index.resolve_secret("nope", &set(&[]), &at("p.yaml")),
            Resolution::NotFound
        );
    }

    /// Many pods naming one missing Secret: the distances to the defined
    /// names are measured for the first, and each pod still gets the near
    /// name that it can use.
    #[test]
    fn did_you_mean_measures_each_missing_name_once() {
        let mut secrets = vec![
            secret("corp-pull", Some("a"), "/r/a/s.yaml"),
            secret("corp-pulx", Some("b"), "/r/b/s.yaml"),
            secret("corp-pulz", None, "/r/c/s.yaml"),
        ];
        for i in 0..50 {
            secrets.push(secret(&format!("tls-{i}"), Some("a"), "/r/a/tls.yaml"));
        }
        let mut index = WorkspaceIndex::default();
        index.add(IndexPart {
            secrets,
            ..IndexPart::default()
        });
        index.finish();
        let pods = [
            ("a", "/r/a/pod.yaml", Some("corp-pull")),
            ("b", "/r/b/pod.yaml", Some("corp-pulx")),
            ("c", "/r/c/pod.yaml", Some("corp-pulz")),
            ("c", "/r/d/pod.yaml", None),
        ];
        for round in 0..25 {
            for (ns, file, expected) in pods {
                let closest = index.closest_secret_name("corp-pul", &set(&[ns]), &at(file));
                assert_eq!(closest, expected, "{ns} {file}");
            }
            // 53 names defined: each measured once, by the first pod.
            assert_eq!(index.near_names.measured(), 53, "round {round}");
        }
        assert_eq!(
            index.closest_secret_name("tls-7x", &set(&["a"]), &at("/r/p")),
            Some("tls-7")
        );
        assert_eq!(index.near_names.measured(), 2 * 53);
    }

    #[test]
    fn the_nearest_definition_wins() {
        let sa = |file: &str, secrets: &[&str]| ServiceAccountDef {
            name: "default".into(),
            namespace: None,
            file: file.into(),
            pull_secrets: secrets.iter().map(|s| s.to_string()).collect(),
        };
        let mut index = WorkspaceIndex::default();
        index.add(IndexPart {
            secrets: vec![
                secret("pull", None, "a/s.yaml"),
                secret("pull", None, "a/b/s.yaml"),
                secret("pull", None, "c/s.yaml"),
            ],
            service_accounts: vec![sa("b/sa.yaml", &["x"]), sa("b/c/sa.yaml", &["y"])],
            ..IndexPart::default()
        });
        index.finish();
        let found = index.service_account("default", &set(&[]), &at("b/c/pod.yaml"));
        assert_eq!(
            found.map(|s| s.pull_secrets.clone()),
            Some(vec!["y".to_string()])
        );
        let found = index.service_account("default", &set(&[]), &at("d/pod.yaml"));
        assert_eq!(
            found, None,
            "another folder's ServiceAccount is not this pod's"
        );
        let Resolution::Found(defs) = index.resolve_secret("pull", &set(&[]), &at("a/b/d.yaml"))
        else {
            panic!("not found")
        };
        assert_eq!(defs.len(), 1);
        assert_eq!(defs[0].file, PathBuf::from("a/b/s.yaml"));
        assert!(matches!(
            index.resolve_secret("pull", &set(&[]), &at("d/e.yaml")),
            Resolution::Unrelated(_)
        ));
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
                    name_prefix: None,
                    name_suffix: None,
                    includes: vec!["base/secret.yaml".into()],
                    configurations: false,
                },
                KustomizationDef {
                    dir: "overlays/prod".into(),
                    namespace: Some("prod".into()),
                    name_prefix: None,
                    name_suffix: None,
                    includes: vec!["overlays/prod/../../base".into()],
                    configurations: false,
                },
            ],
            ..IndexPart::default()
        });
        index.finish();
        assert_eq!(
            index.namespaces_at(&at("./base/secret.yaml"), Some("x")),
            set(&["prod"])
        );
        assert!(matches!(
            index.resolve_secret("pull", &set(&["prod"]), &at("p.yaml")),
            Resolution::Found(_)
        ));
        assert_eq!(
            index.namespaces_at(&at("other.yaml"), Some("x")),
            set(&["x"])
        );
        // A kustomization's own file (its generators) is in its namespaces,
        // under any of the names kustomize reads.
        for own in ["kustomization.yaml", "kustomization.yml", "Kustomization"] {
            for dir in ["base", "overlays/prod"] {
                let file = at(&format!("{dir}/{own}"));
                assert_eq!(index.namespaces_at(&file, None), set(&["prod"]), "{file:?}");
            }
        }
        for other in [
            "base/kustomization.json",
            "base/x/kustomization.yaml",
            "kustomization.yaml",
        ] {
            assert_eq!(index.namespaces_at(&at(other), None), set(&[]), "{other}");
        }
    }

    /// Namespaces given by kustomizations decide what is here; of those,
    /// the nearest in the tree wins: an overlay's own Secret over its
    /// base's, the base's for a pod of the base.
    #[test]
    fn kustomized_scopes_choose_the_nearest() {
        let k = |dir: &str, namespace: Option<&str>, includes: &[&str]| KustomizationDef {
            dir: dir.into(),
            namespace: namespace.map(str::to_string),
            name_prefix: None,
            name_suffix: None,
            includes: includes.iter().map(PathBuf::from).collect(),
            configurations: false,
        };
        let mut index = WorkspaceIndex::default();
        index.add(IndexPart {
            secrets: vec![
                secret("pull", None, "base/secret.yaml"),
                secret("pull", None, "overlays/prod/secret.yaml"),
            ],
            kustomizations: vec![
                k("base", None, &["base/secret.yaml", "base/deploy.yaml"]),
                k(
                    "overlays/prod",
                    Some("prod"),
                    &["base", "overlays/prod/secret.yaml"],
                ),
                k("overlays/staging", Some("staging"), &["base"]),
            ],
            ..IndexPart::default()
        });
        index.finish();
        let found = |ns: &[&str], file: &str| -> Vec<PathBuf> {
            match index.resolve_secret("pull", &set(ns), &at(file)) {
                Resolution::Found(defs) => defs.iter().map(|d| d.file.clone()).collect(),
                other => panic!("{ns:?} {file}: {other:?}"),
            }
        };
        let base = vec![PathBuf::from("base/secret.yaml")];
        let prod = vec![PathBuf::from("overlays/prod/secret.yaml")];
        assert_eq!(found(&["prod", "staging"], "base/deploy.yaml"), base);
        assert_eq!(found(&["prod"], "overlays/prod/deploy.yaml"), prod);
        assert_eq!(
            found(&["prod"], "elsewhere/deploy.yaml"),
            [&base[..], &prod[..]].concat()
        );
        assert_eq!(found(&["staging"], "overlays/staging/deploy.yaml"), base);
        assert!(matches!(
            index.resolve_secret("pull", &set(&["dev"]), &at("overlays/dev/d.yaml")),
            Resolution::OtherNamespaces(_)
        ));
    }

    #[test]
    fn path_order_is_the_order_of_paths() {
        let paths: Vec<PathBuf> = [
            "/a",
            "/a/b",
            "/a.b",
            "/a-b/c",
            "/a/b/c",
            "/ab",
            "/a/b.yaml",
            "/a/b/",
            "/",
            "a",
            "a/b",
            "./a",
            "../a",
            "a/./b",
            "/a//b",
            "/a/bb",
            "/a/b c",
            "/a/\u{e9}",
            "/a/z",
            "b",
            "",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        for x in &paths {
            for y in &paths {
                assert_eq!(
                    path_order(x).cmp(&path_order(y)),
                    x.cmp(y),
                    "{x:?} vs {y:?}"
                );
            }
        }
    }

    #[test]
    fn a_path_already_a_key_is_kept_as_it_is() {
        for path in [
            "/a/b.yaml",
            "/",
            "/a/./b",
            "/a/../b",
            "/a//b",
            "/a/b/",
            "a/b",
            "./a",
            "//a",
        ] {
            let path = Path::new(path);
            if is_file_key(path) {
                assert_eq!(file_key(path).as_os_str(), path.as_os_str(), "{path:?}");
            }
        }
        // Relative paths: the current folder joined, as `std::path::absolute`
        // and `lexically_normal` make it.
        for path in [
            "a/b.yaml", "a", "a/./b", "a/../b", "./a", "a//b", "a/b/", "..", "",
        ] {
            let path = Path::new(path);
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            let slow = lexically_normal(&absolute);
            assert_eq!(file_key(path), slow, "{path:?}");
        }
        assert!(is_file_key(Path::new("/a/b.yaml")));
        assert!(!is_file_key(Path::new("/a/./b")));
        assert!(!is_file_key(Path::new("/a/.")));
        assert!(!is_file_key(Path::new("/a/../b")));
        assert!(!is_file_key(Path::new("/a/b/")));
        assert!(!is_file_key(Path::new("a/b")));
    }

    #[test]
    fn lookups_do_not_depend_on_the_order_files_were_added() {
        let sa = |file: &str| ServiceAccountDef {
            name: "default".into(),
            namespace: Some("shop".into()),
            file: file.into(),
            pull_secrets: vec![file.into()],
        };
        let parts = [
            IndexPart {
                service_accounts: vec![sa("/r/a/sa.yaml")],
                secrets: vec![secret("pull", Some("shop"), "/r/a/s.yaml")],
                ..IndexPart::default()
            },
            IndexPart {
                service_accounts: vec![sa("/r/b/sa.yaml")],
                secrets: vec![secret("pull", Some("shop"), "/r/b/s.yaml")],
                ..IndexPart::default()
            },
        ];
        let build = |order: &[usize]| {
            let mut index = WorkspaceIndex::default();
            for &i in order {
                index.add(parts[i].clone());
            }
            index.finish();
            index
        };
        let (forward, backward) = (build(&[0, 1]), build(&[1, 0]));
        let ns = BTreeSet::from(["shop".to_string()]);
        let from = &at("/r/c/pod.yaml");
        assert_eq!(
            forward.service_account("default", &ns, from),
            backward.service_account("default", &ns, from)
        );
        assert_eq!(
            forward.resolve_secret("pull", &ns, from),
            backward.resolve_secret("pull", &ns, from)
        );
    }
}
