//! The names kustomizations give the objects of the files they include with
//! `namePrefix` and `nameSuffix`. kustomize renames every resource's
//! `metadata.name` (a SealedSecret's too, not its `spec.template`), and an
//! overlay's affixes wrap its bases': `overlay-base-NAME-base-overlay`
//! (docs/kubernetes.md §4). Every kustomization may be built on its own, so
//! each one that renames starts a chain of its own.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::index::{file_key, DefinitionKind, KustomizationDef, SecretDef};

/// How deep includes are followed, as for namespaces.
const MAX_INCLUDE_DEPTH: usize = 32;
/// The most distinct affixes kept for one folder or file: a tree of
/// overlays that would give more (each level renaming differently along
/// each branch) is not followed further, so the work stays bounded.
const MAX_AFFIXES: usize = 16;

/// What the kustomizations around a file put before and after a name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Affix {
    pub prefix: String,
    pub suffix: String,
}

impl Affix {
    pub fn apply(&self, name: &str) -> String {
        format!("{}{name}{}", self.prefix, self.suffix)
    }

    /// This affix inside `outer`'s: the outer prefix first, its suffix last.
    fn within(&self, outer: &Affix) -> Affix {
        Affix {
            prefix: format!("{}{}", outer.prefix, self.prefix),
            suffix: format!("{}{}", self.suffix, outer.suffix),
        }
    }

    /// Whether `name` may be one this affix gave.
    fn wears(&self, name: &str) -> bool {
        !self.is_empty()
            && name.len() > self.prefix.len() + self.suffix.len()
            && name.starts_with(&self.prefix)
            && name.ends_with(&self.suffix)
    }

    fn is_empty(&self) -> bool {
        self.prefix.is_empty() && self.suffix.is_empty()
    }
}

/// File key -> the affixes kustomizations that rename give its objects.
#[derive(Debug, Clone, Default)]
pub struct Renames {
    by_file: HashMap<PathBuf, Vec<Affix>>,
    /// File key -> the kustomizations (their folder keys) that rename it
    /// when built, with the affix each gives: a folder walked with an
    /// affix already is not walked again for another, so this may miss a
    /// build, never name one that does not include the file.
    builds: HashMap<PathBuf, Vec<(PathBuf, Affix)>>,
    /// Whether a kustomization has `configurations:`, which may rename
    /// references to a SealedSecret too: then no build's are known.
    configured: bool,
}

impl Renames {
    /// The names an object called `name` in the file whose key is `key`
    /// ([`file_key`]) gets from the kustomizations that rename it, other
    /// than `name` itself.
    pub fn names_of(&self, key: &Path, name: &str) -> BTreeSet<String> {
        self.by_file
            .get(key)
            .into_iter()
            .flatten()
            .map(|a| a.apply(name))
            .filter(|n| n != name)
            .collect()
    }
}

impl Renames {
    /// A kustomization (its folder key) whose build includes both the files
    /// whose keys are `a` and `b` and renames the object called `name` of
    /// `b`, with the name it gives it.
    /// Whether the files whose keys are `a` and `b` are in one build of a
    /// kustomization that renames.
    pub fn share_a_build(&self, a: &Path, b: &Path) -> bool {
        let (Some(a), Some(b)) = (self.builds.get(a), self.builds.get(b)) else {
            return false;
        };
        a.iter().any(|(root, _)| b.iter().any(|(r, _)| r == root))
    }

    /// None when `name` may itself be a renamed name (it wears an affix `b`
    /// gets): the definitions renamed are defined under it too.
    pub fn renamed_with(&self, a: &Path, b: &Path, name: &str) -> Option<(PathBuf, String)> {
        if self.configured {
            return None;
        }
        let a_builds = self.builds.get(a)?;
        let b_builds = self.builds.get(b)?;
        if b_builds.iter().any(|(_, affix)| affix.wears(name)) {
            return None;
        }
        b_builds.iter().find_map(|(root, affix)| {
            let renamed = affix.apply(name);
            (renamed != name && a_builds.iter().any(|(r, _)| r == root))
                .then(|| (root.clone(), renamed))
        })
    }
}

/// The Secrets and SealedSecrets of `secrets` again under each name a
/// kustomization renames them to: a pod may name one so (kustomize leaves
/// such a reference as written, and a SealedSecret's Secret is created
/// under its renamed name), as it may name it as written (kustomize renames
/// references to a Secret with it). Generators get a hash suffix too, and
/// an ExternalSecret's Secret may be named by its target: neither is
/// renamed here.
pub fn renamed_definitions(renames: &Renames, secrets: &[SecretDef]) -> Vec<SecretDef> {
    if renames.by_file.is_empty() {
        return Vec::new();
    }
    secrets
        .iter()
        .filter(|d| {
            matches!(
                d.kind,
                DefinitionKind::Secret | DefinitionKind::SealedSecret
            )
        })
        .flat_map(|d| {
            renames
                .names_of(&file_key(&d.file), &d.name)
                .into_iter()
                .map(|name| SecretDef { name, ..d.clone() })
        })
        .collect()
}

struct Keyed<'a> {
    def: &'a KustomizationDef,
    includes: Vec<PathBuf>,
}

/// Follows every kustomization that renames down to the files it includes.
pub fn renames(kustomizations: &[KustomizationDef]) -> Renames {
    let keyed: Vec<(PathBuf, Keyed)> = kustomizations
        .iter()
        .map(|k| {
            let includes = k.includes.iter().map(|i| file_key(i)).collect();
            (file_key(&k.dir), Keyed { def: k, includes })
        })
        .collect();
    let by_dir: HashMap<&Path, &Keyed> = keyed.iter().map(|(d, k)| (d.as_path(), k)).collect();
    let mut walk = Walk {
        by_dir,
        seen: HashMap::new(),
        chain: Vec::new(),
        out: Renames::default(),
    };
    for (dir, k) in &keyed {
        let own = own_affix(k.def);
        if !own.is_empty() {
            walk.follow(dir, k, own);
        }
    }
    let mut out = walk.out;
    out.configured = kustomizations.iter().any(|k| k.configurations);
    for affixes in out.by_file.values_mut() {
        affixes.sort();
    }
    out
}

fn own_affix(k: &KustomizationDef) -> Affix {
    Affix {
        prefix: k.name_prefix.clone().unwrap_or_default(),
        suffix: k.name_suffix.clone().unwrap_or_default(),
    }
}

struct Walk<'a> {
    by_dir: HashMap<&'a Path, &'a Keyed<'a>>,
    /// The affixes each folder was walked with.
    seen: HashMap<PathBuf, HashSet<Affix>>,
    /// The folders of the chain being walked: kustomize refuses a cycle.
    chain: Vec<PathBuf>,
    out: Renames,
}

impl Walk<'_> {
    fn follow(&mut self, dir: &Path, k: &Keyed, affix: Affix) {
        let here = self.seen.entry(dir.to_path_buf()).or_default();
        let stop = self.chain.len() > MAX_INCLUDE_DEPTH
            || self.chain.iter().any(|d| d == dir)
            || here.len() >= MAX_AFFIXES
            || !here.insert(affix.clone());
        if stop {
            // Too deep, a cycle, too many ways, or walked with this affix
            // already (a base shared by several overlays).
            return;
        }
        self.chain.push(dir.to_path_buf());
        for include in &k.includes {
            match self.by_dir.get(include.as_path()).copied() {
                Some(inner) => {
                    let inner_affix = own_affix(inner.def).within(&affix);
                    self.follow(include, inner, inner_affix);
                }
                None => {
                    let affixes = self.out.by_file.entry(include.clone()).or_default();
                    if affixes.len() < MAX_AFFIXES && !affixes.contains(&affix) {
                        affixes.push(affix.clone());
                    }
                    if let Some(root) = self.chain.first() {
                        let builds = self.out.builds.entry(include.clone()).or_default();
                        let build = (root.clone(), affix.clone());
                        if builds.len() < MAX_AFFIXES && !builds.contains(&build) {
                            builds.push(build);
                        }
                    }
                }
            }
        }
        self.chain.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(dir: &str, prefix: &str, suffix: &str, includes: &[&str]) -> KustomizationDef {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        KustomizationDef {
            dir: PathBuf::from(dir),
            namespace: None,
            name_prefix: some(prefix),
            name_suffix: some(suffix),
            includes: includes.iter().map(PathBuf::from).collect(),
            configurations: false,
        }
    }

    fn names(r: &Renames, file: &str, name: &str) -> Vec<String> {
        r.names_of(&file_key(Path::new(file)), name)
            .into_iter()
            .collect()
    }

    #[test]
    fn overlays_wrap_their_bases_affixes() {
        let r = renames(&[
            k("/r/base", "base-", "-b", &["/r/base/sealed.yaml"]),
            k("/r/prod", "prod-", "-p", &["/r/base"]),
            k("/r/plain", "", "", &["/r/base"]),
        ]);
        assert_eq!(
            names(&r, "/r/base/sealed.yaml", "regcred"),
            ["base-regcred-b", "prod-base-regcred-b-p"]
        );
    }

    #[test]
    fn nothing_renamed_without_affixes_and_cycles_end() {
        let r = renames(&[
            k("/r/a", "", "", &["/r/a/x.yaml", "/r/b"]),
            k("/r/b", "", "", &["/r/a"]),
        ]);
        assert!(names(&r, "/r/a/x.yaml", "regcred").is_empty());
        let r = renames(&[
            k("/r/a", "a-", "", &["/r/a/x.yaml", "/r/b"]),
            k("/r/b", "b-", "", &["/r/a"]),
        ]);
        // a includes b includes a: each chain stops where it comes back.
        assert_eq!(names(&r, "/r/a/x.yaml", "n"), ["a-n", "b-a-n"]);
    }

    #[test]
    fn secrets_and_sealed_secrets_are_defined_again_as_renamed() {
        let def = |name: &str, kind| SecretDef {
            name: name.into(),
            namespace: Some("apps".into()),
            file: "/r/base/s.yaml".into(),
            kind,
            type_name: None,
            keys: None,
            payload_file: None,
            place: "/r/base/s.yaml:1".into(),
        };
        let secrets = [
            def("plain", DefinitionKind::Secret),
            def("sealed", DefinitionKind::SealedSecret),
            def("generated", DefinitionKind::Generator),
            def("external", DefinitionKind::ExternalSecret),
        ];
        let none = renames(&[k("/r/base", "", "", &["/r/base/s.yaml"])]);
        assert!(renamed_definitions(&none, &secrets).is_empty());
        let r = renames(&[k("/r/base", "blue-", "", &["/r/base/s.yaml"])]);
        let renamed = renamed_definitions(&r, &secrets);
        let names: Vec<(&str, DefinitionKind)> =
            renamed.iter().map(|d| (d.name.as_str(), d.kind)).collect();
        assert_eq!(
            names,
            [
                ("blue-plain", DefinitionKind::Secret),
                ("blue-sealed", DefinitionKind::SealedSecret)
            ]
        );
        assert_eq!(renamed[1].namespace.as_deref(), Some("apps"));
    }

    #[test]
    fn renamed_with_needs_both_files_in_one_build_that_renames() {
        let key = |p: &str| file_key(Path::new(p));
        let r = renames(&[
            k(
                "/r/base",
                "",
                "",
                &["/r/base/sealed.yaml", "/r/base/pod.yaml"],
            ),
            k("/r/prod", "prod-", "", &["/r/base"]),
            k("/r/other", "o-", "", &["/r/other/pod.yaml"]),
        ]);
        let (sealed, pod) = (key("/r/base/sealed.yaml"), key("/r/base/pod.yaml"));
        assert_eq!(
            r.renamed_with(&pod, &sealed, "regcred"),
            Some((key("/r/prod"), "prod-regcred".to_string()))
        );
        // Another build's pod, a name that may be a renamed one: nothing.
        assert_eq!(
            r.renamed_with(&key("/r/other/pod.yaml"), &sealed, "regcred"),
            None
        );
        assert_eq!(r.renamed_with(&pod, &sealed, "prod-regcred"), None);
        assert_eq!(
            r.renamed_with(&key("/r/base/x.yaml"), &sealed, "regcred"),
            None
        );
        assert!(r.share_a_build(&pod, &sealed));
        assert!(!r.share_a_build(&key("/r/other/pod.yaml"), &sealed));
        // `configurations:` anywhere may rename the references too.
        let mut configured = k("/r/other", "", "", &[]);
        configured.configurations = true;
        let r = renames(&[
            k(
                "/r/base",
                "",
                "",
                &["/r/base/sealed.yaml", "/r/base/pod.yaml"],
            ),
            k("/r/prod", "prod-", "", &["/r/base"]),
            configured,
        ]);
        assert_eq!(r.renamed_with(&pod, &sealed, "regcred"), None);
    }

    #[test]
    fn branching_renames_are_bounded() {
        // 20 levels, each including the next twice through two overlays
        // that rename differently: 2^20 ways, at most MAX_AFFIXES kept.
        let mut ks = Vec::new();
        for level in 0..20 {
            let next = format!("/r/l{}", level + 1);
            ks.push(k(
                &format!("/r/l{level}"),
                "",
                "",
                &[&format!("/r/l{level}x"), &format!("/r/l{level}y")],
            ));
            ks.push(k(&format!("/r/l{level}x"), "x", "", &[&next]));
            ks.push(k(&format!("/r/l{level}y"), "y", "", &[&next]));
        }
        ks.push(k("/r/l20", "", "", &["/r/l20/s.yaml"]));
        let r = renames(&ks);
        let shown = names(&r, "/r/l20/s.yaml", "n");
        assert!(!shown.is_empty());
        assert!(shown.len() <= MAX_AFFIXES, "{}", shown.len());
    }
}
