//! Definitions of one kind (Secrets, ServiceAccounts) grouped so that a
//! pod finds the ones of a name that share its namespace, or sit in a folder
//! above its file, without looking at every definition of that name: a
//! monorepo defines `regcred` in hundreds of namespaces.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::index::shared_components;
use super::path_table::{PathId, PathTable};

/// Where a definition sits: its file's key (`file_key`) and the namespaces
/// it lands in (empty: not said), a set shared by the definitions that
/// land in the same ones.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub file: PathBuf,
    pub namespaces: Arc<BTreeSet<String>>,
}

/// The definitions of one name, by position in the index's list.
#[derive(Debug, Clone, Default)]
struct Named {
    all: Vec<usize>,
    /// With a namespace said, and by each namespace (each list sorted by
    /// its files' path components, so that a folder's subtree is a range).
    said: Vec<usize>,
    by_namespace: HashMap<String, Vec<usize>>,
    /// Without one.
    unsaid: Vec<usize>,
    /// By the folder of their file (numbered in [`Places::dirs`]): all of
    /// them, and the unsaid ones.
    all_by_dir: HashMap<PathId, Vec<usize>>,
    unsaid_by_dir: HashMap<PathId, Vec<usize>>,
}

/// How the definitions of a name stand to a pod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sorted {
    /// In the pod's namespace, or namespace unsaid on one side and in a
    /// folder holding the pod's file. Ascending positions.
    pub here: Vec<usize>,
    /// Namespace unsaid on one side, in a folder unrelated to the pod's
    /// (only filled when `here` is empty).
    pub unrelated: Vec<usize>,
    /// Both namespaces said and different (only filled when `here` is empty).
    pub elsewhere: Vec<usize>,
}

/// What [`Places::nearest_here`] looked at: definitions whose path it
/// compared with the pod's or returned, and probes of its binary searches.
#[derive(Debug, Clone, Copy, Default)]
struct Examined {
    candidates: usize,
    probes: usize,
}

/// Definitions grouped by name, namespace and folder.
#[derive(Debug, Clone, Default)]
pub struct Places {
    places: Vec<Place>,
    by_name: HashMap<String, Named>,
    /// The folders of the definitions' files, numbered once for every name.
    dirs: PathTable,
}

/// `map[key].push(position)`, the key allocated only when it is new.
fn push_at<Q>(map: &mut HashMap<Q::Owned, Vec<usize>>, key: &Q, position: usize)
where
    Q: ?Sized + Hash + Eq + ToOwned,
    Q::Owned: Hash + Eq + Borrow<Q>,
{
    match map.get_mut(key) {
        Some(positions) => positions.push(position),
        None => {
            map.insert(key.to_owned(), vec![position]);
        }
    }
}

impl Places {
    /// `items`: each definition's name and place, in the index's order.
    pub fn new<'a>(items: impl Iterator<Item = (&'a str, Place)>) -> Places {
        let mut places = Vec::new();
        let mut by_name: HashMap<String, Named> = HashMap::new();
        let mut dirs = PathTable::default();
        for (position, (name, place)) in items.enumerate() {
            // Keys are allocated only when new: a large repository defines
            // thousands of Secrets under a few dozen names and folders.
            if !by_name.contains_key(name) {
                by_name.insert(name.to_string(), Named::default());
            }
            if let Some(named) = by_name.get_mut(name) {
                let dir = dirs.intern(place.file.parent().unwrap_or(Path::new("")));
                named.all.push(position);
                named.all_by_dir.entry(dir).or_default().push(position);
                if place.namespaces.is_empty() {
                    named.unsaid.push(position);
                    named.unsaid_by_dir.entry(dir).or_default().push(position);
                } else {
                    named.said.push(position);
                    for ns in place.namespaces.iter() {
                        push_at(&mut named.by_namespace, ns.as_str(), position);
                    }
                }
            }
            places.push(place);
        }
        let file = |i: usize| places.get(i).map_or(Path::new(""), |p| p.file.as_path());
        for named in by_name.values_mut() {
            for list in named.by_namespace.values_mut() {
                // Stable: ties keep ascending positions.
                list.sort_by(|&a, &b| file(a).components().cmp(file(b).components()));
            }
        }
        Places {
            places,
            by_name,
            dirs,
        }
    }

    /// The numbers of the folders holding `from` (and of `from` itself,
    /// and of `""`, which `Path::starts_with` finds in every path) that
    /// hold a definition's file.
    fn folders_of(&self, from: &Path) -> Vec<PathId> {
        let mut folders = self.dirs.ids_of_ancestors(from);
        if let Some(empty) = self.dirs.id(Path::new("")) {
            if !folders.contains(&empty) {
                folders.push(empty);
            }
        }
        folders
    }

    pub fn get(&self, position: usize) -> Option<&Place> {
        self.places.get(position)
    }

    /// Every name defined, each once, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// The definitions of `name` in the pod's namespace or folder: the
    /// `here` of [`Places::sort`], without the others.
    pub fn here(&self, name: &str, namespaces: &BTreeSet<String>, from: &Path) -> Vec<usize> {
        let Some(named) = self.by_name.get(name) else {
            return Vec::new();
        };
        let folders = self.folders_of(from);
        let above = |by_dir: &HashMap<PathId, Vec<usize>>| -> Vec<usize> {
            folders
                .iter()
                .filter_map(|dir| by_dir.get(dir))
                .flatten()
                .copied()
                .collect()
        };
        let mut here = if namespaces.is_empty() {
            above(&named.all_by_dir)
        } else {
            let mut here = above(&named.unsaid_by_dir);
            for ns in namespaces {
                here.extend(named.by_namespace.get(ns).into_iter().flatten());
            }
            here
        };
        here.sort_unstable();
        here.dedup();
        here
    }

    /// Whether `name` has a definition in the pod's namespace or folder
    /// (a [`Places::here`] that is not empty), looking at each of the pod's
    /// folders and namespaces once, never at the definitions: a typo's
    /// suggestion asks it of each near name, and a name may be defined in
    /// hundreds of places of one namespace.
    pub fn any_here(&self, name: &str, namespaces: &BTreeSet<String>, from: &Path) -> bool {
        self.any_here_counted(name, namespaces, from, &mut Examined::default())
    }

    fn any_here_counted(
        &self,
        name: &str,
        namespaces: &BTreeSet<String>,
        from: &Path,
        examined: &mut Examined,
    ) -> bool {
        let Some(named) = self.by_name.get(name) else {
            return false;
        };
        let by_dir = match namespaces.is_empty() {
            true => &named.all_by_dir,
            false => &named.unsaid_by_dir,
        };
        let mut probe = |found: bool| {
            examined.probes += 1;
            found
        };
        namespaces
            .iter()
            .any(|ns| probe(named.by_namespace.get(ns).is_some_and(|l| !l.is_empty())))
            || self
                .folders_of(from)
                .iter()
                .any(|dir| probe(by_dir.get(dir).is_some_and(|l| !l.is_empty())))
    }

    /// Of the definitions of `name` in the pod's namespace or folder (the
    /// `here` of [`Places::sort`]), those whose file shares the most leading
    /// path components with `from`, in ascending positions: in a repository
    /// of many apps, the Secret next to a workload is the one deployed with
    /// it.
    pub fn nearest_here(
        &self,
        name: &str,
        namespaces: &BTreeSet<String>,
        from: &Path,
    ) -> Vec<usize> {
        self.nearest_counted(name, namespaces, from, &mut Examined::default())
    }

    /// [`Places::nearest_here`], counting the definitions it looks at. The
    /// ones in a folder holding the pod's file are few and found by folder;
    /// those in its namespace may sit anywhere, so each namespace's list is
    /// searched for the deepest folder of `from` whose subtree holds one,
    /// instead of comparing every definition's path with the pod's.
    fn nearest_counted(
        &self,
        name: &str,
        namespaces: &BTreeSet<String>,
        from: &Path,
        examined: &mut Examined,
    ) -> Vec<usize> {
        let Some(named) = self.by_name.get(name) else {
            return Vec::new();
        };
        let by_dir = match namespaces.is_empty() {
            true => &named.all_by_dir,
            false => &named.unsaid_by_dir,
        };
        let mut folder: Vec<(usize, usize)> = self
            .folders_of(from)
            .iter()
            .filter_map(|dir| by_dir.get(dir))
            .flatten()
            .map(|&i| {
                examined.candidates += 1;
                (i, self.shared_with(i, from))
            })
            .collect();
        folder.sort_unstable();
        folder.dedup();
        let mut best = folder.iter().map(|&(_, shared)| shared).max();
        let ours: Vec<Component> = from.components().collect();
        // (list, range of it, how many components its files share with `from`)
        let mut found: Vec<(&[usize], Range<usize>, usize)> = Vec::new();
        for ns in namespaces {
            let Some(list) = named.by_namespace.get(ns) else {
                continue;
            };
            // Deeper than the best so far, or tied with it.
            let floor = best.unwrap_or(0);
            for depth in (floor..=ours.len()).rev() {
                let prefix = ours.get(..depth).unwrap_or_default();
                let range = self.subtree(list, prefix, examined);
                if !range.is_empty() {
                    best = Some(depth);
                    found.push((list.as_slice(), range, depth));
                    break;
                }
            }
        }
        let Some(best) = best else {
            return Vec::new();
        };
        let mut here: Vec<usize> = folder
            .iter()
            .filter(|&&(_, shared)| shared == best)
            .map(|&(i, _)| i)
            .collect();
        for (list, range, depth) in found {
            if depth == best {
                let positions = list.get(range).unwrap_or_default();
                examined.candidates += positions.len();
                here.extend_from_slice(positions);
            }
        }
        here.sort_unstable();
        here.dedup();
        here
    }

    /// How many leading path components the file of definition `position`
    /// shares with `from`.
    fn shared_with(&self, position: usize, from: &Path) -> usize {
        self.get(position)
            .map_or(0, |place| shared_components(&place.file, from))
    }

    /// The range of `list` (sorted by path components) whose files' first
    /// components are `prefix`: the subtree of the folder `prefix` spells.
    fn subtree(
        &self,
        list: &[usize],
        prefix: &[Component],
        examined: &mut Examined,
    ) -> Range<usize> {
        let mut order = |&position: &usize| -> Ordering {
            examined.probes += 1;
            let file = self
                .get(position)
                .map_or(Path::new(""), |p| p.file.as_path());
            let mut components = file.components();
            for want in prefix {
                match components.next().map(|c| c.cmp(want)) {
                    None => return Ordering::Less,
                    Some(Ordering::Equal) => {}
                    Some(other) => return other,
                }
            }
            Ordering::Equal
        };
        let start = list.partition_point(|p| order(p) == Ordering::Less);
        let rest = list.get(start..).unwrap_or_default();
        start..start + rest.partition_point(|p| order(p) == Ordering::Equal)
    }

    /// The definitions of `name` as seen from a pod in `namespaces` (empty:
    /// unsaid) whose file has the key `from`. An unsaid namespace on either
    /// side matches any, as long as the definition's folder holds the pod's
    /// file.
    pub fn sort(&self, name: &str, namespaces: &BTreeSet<String>, from: &Path) -> Sorted {
        let here = self.here(name, namespaces, from);
        let Some(named) = self.by_name.get(name) else {
            return Sorted::default();
        };
        if !here.is_empty() {
            return Sorted {
                here,
                ..Sorted::default()
            };
        }
        match namespaces.is_empty() {
            true => Sorted {
                unrelated: named.all.clone(),
                ..Sorted::default()
            },
            false => Sorted {
                here,
                unrelated: named.unsaid.clone(),
                elsewhere: named.said.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(file: &str, namespaces: &[&str]) -> Place {
        Place {
            file: file.into(),
            namespaces: Arc::new(namespaces.iter().map(|s| s.to_string()).collect()),
        }
    }

    /// The rule written out plainly, one definition at a time.
    fn sort_plainly(
        items: &[(&str, Place)],
        name: &str,
        ours: &BTreeSet<String>,
        from: &Path,
    ) -> Sorted {
        let mut sorted = Sorted::default();
        for (position, (n, p)) in items.iter().enumerate() {
            if *n != name {
                continue;
            }
            let verdict = if !ours.is_empty() && !p.namespaces.is_empty() {
                ours.intersection(&p.namespaces).next().map(|_| true)
            } else {
                Some(from.starts_with(p.file.parent().unwrap_or(Path::new(""))))
            };
            match verdict {
                Some(true) => sorted.here.push(position),
                Some(false) => sorted.unrelated.push(position),
                None => sorted.elsewhere.push(position),
            }
        }
        if !sorted.here.is_empty() {
            sorted.unrelated.clear();
            sorted.elsewhere.clear();
        }
        sorted
    }

    #[test]
    fn grouped_lookups_agree_with_the_plain_rule() {
        let items = vec![
            ("pull", place("/r/a/s.yaml", &["shop"])),
            ("pull", place("/r/a/b/s.yaml", &[])),
            ("pull", place("/r/c/s.yaml", &["shop", "ads"])),
            ("pull", place("/r/d/s.yaml", &[])),
            ("pull", place("/r/s.yaml", &["ops"])),
            ("other", place("/r/a/s.yaml", &["shop"])),
            ("pull", place("x.yaml", &[])),
        ];
        let places = Places::new(items.iter().map(|(n, p)| (*n, p.clone())));
        let namespaces: [&[&str]; 5] = [&[], &["shop"], &["ads", "ops"], &["none"], &["ops"]];
        let files = [
            "/r/a/b/pod.yaml",
            "/r/a/pod.yaml",
            "/r/e/pod.yaml",
            "/r/pod.yaml",
            "/q/pod.yaml",
            "pod.yaml",
        ];
        for name in ["pull", "other", "missing"] {
            for ns in namespaces {
                let ours: BTreeSet<String> = ns.iter().map(|s| s.to_string()).collect();
                for file in files {
                    let from = Path::new(file);
                    let sorted = places.sort(name, &ours, from);
                    assert_eq!(
                        sorted,
                        sort_plainly(&items, name, &ours, from),
                        "{name} {ns:?} {file}"
                    );
                    assert_eq!(
                        places.any_here(name, &ours, from),
                        !sorted.here.is_empty(),
                        "{name} {ns:?} {file}"
                    );
                }
            }
        }
    }

    /// A monorepo of `apps` apps, each with a Deployment and its Secret
    /// `regcred` in its own folder, all in one namespace (or none said):
    /// what choosing one app's Secret looks at.
    fn examined_in_monorepo(apps: usize, namespaces: &[&str]) -> (Vec<usize>, Examined) {
        let items: Vec<(&str, Place)> = (0..apps)
            .map(|i| {
                (
                    "regcred",
                    place(&format!("/r/apps/app{i:05}/secret.yaml"), namespaces),
                )
            })
            .collect();
        let places = Places::new(items.into_iter());
        let ours: BTreeSet<String> = namespaces.iter().map(|s| s.to_string()).collect();
        let from = format!("/r/apps/app{:05}/deployment.yaml", apps / 3);
        let mut examined = Examined::default();
        let found = places.nearest_counted("regcred", &ours, Path::new(&from), &mut examined);
        (found, examined)
    }

    #[test]
    fn whether_a_name_is_here_does_not_look_at_its_definitions() {
        for namespaces in [&["apps"][..], &[]] {
            let ours: BTreeSet<String> = namespaces.iter().map(|s| s.to_string()).collect();
            let mut probes = Vec::new();
            for apps in [500, 2000] {
                let items: Vec<(&str, Place)> = (0..apps)
                    .map(|i| {
                        let file = format!("/r/apps/app{i:05}/secret.yaml");
                        ("regcred", place(&file, namespaces))
                    })
                    .collect();
                let places = Places::new(items.into_iter());
                for from in ["/r/apps/app00007/deployment.yaml", "/elsewhere/pod.yaml"] {
                    let from = Path::new(from);
                    let mut examined = Examined::default();
                    let any = places.any_here_counted("regcred", &ours, from, &mut examined);
                    assert_eq!(any, !places.here("regcred", &ours, from).is_empty());
                    assert_eq!(examined.candidates, 0);
                    probes.push(examined.probes);
                }
                assert!(!places.any_here("regcrd", &ours, Path::new("/r/a.yaml")));
            }
            // The same probes for 4x the definitions: one per namespace or
            // folder of the pod, at most.
            assert_eq!(probes[..2], probes[2..], "{namespaces:?}");
            assert!(probes.iter().all(|&p| p <= 6), "{probes:?}");
        }
    }

    #[test]
    fn choosing_among_many_apps_does_not_look_at_each() {
        for namespaces in [&["apps"][..], &[]] {
            let (found, small) = examined_in_monorepo(500, namespaces);
            assert_eq!(found, vec![500 / 3], "{namespaces:?}");
            let (found, large) = examined_in_monorepo(2000, namespaces);
            assert_eq!(found, vec![2000 / 3], "{namespaces:?}");
            // The app's own Secret, whatever the number of apps.
            assert_eq!(small.candidates, 1, "{namespaces:?}");
            assert_eq!(large.candidates, 1, "{namespaces:?}");
            // Binary searches over 4x the Secrets: two more probes each
            // (two searches per folder tried, at most 4 folders deep).
            assert!(
                large.probes <= small.probes + 2 * 2 * 4,
                "{small:?} {large:?}"
            );
        }
    }
}
