//! Definitions of one kind (Secrets, ServiceAccounts) grouped so that a
//! pod finds the ones of a name that share its namespace, or sit in a folder
//! above its file, without looking at every definition of that name: a
//! monorepo defines `regcred` in hundreds of namespaces. Their files are
//! numbers of one [`PathTable`], laid out depth first, so that "the
//! definitions under this folder" is a range of integers and choosing the
//! nearest one compares no path (docs/architecture.md, "The layers").

use std::borrow::Borrow;
use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// With a namespace said, and by each namespace (each list in the
    /// depth-first order of its files, so that a folder's subtree is a
    /// range).
    said: Vec<usize>,
    by_namespace: HashMap<String, Vec<usize>>,
    /// Without one.
    unsaid: Vec<usize>,
    /// By the folder of their file (numbered in [`Places::paths`]): all of
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

/// What [`Places::nearest_here`] looked at: definitions it weighed or
/// returned, and probes of its binary searches.
#[derive(Debug, Clone, Copy, Default)]
struct Examined {
    candidates: usize,
    probes: usize,
}

/// Definitions grouped by name, namespace and folder.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// Each definition's file, numbered in `paths`.
    files: Vec<PathId>,
    by_name: HashMap<String, Named>,
    /// The definitions' files and their folders, numbered once for every
    /// name.
    paths: PathTable,
    /// By path number: where its subtree starts and ends in a depth-first
    /// walk of `paths` (its own place, and one past its last descendant's).
    subtrees: Vec<(u32, u32)>,
    /// The number of `""`, the folder of relative paths, if it has one.
    empty: Option<PathId>,
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

/// For each number of `paths`, its subtree's span in a depth-first walk
/// of the tree that [`PathTable::parent`] draws: a folder's span holds the
/// spans of everything below it.
fn subtree_spans(paths: &PathTable) -> Vec<(u32, u32)> {
    let count = paths.len();
    let id = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    // Children of each number, one after the other (`first[p]..first[p + 1]`).
    let mut first = vec![0u32; count + 1];
    let mut roots = Vec::new();
    let parents: Vec<Option<PathId>> = paths.ids().map(|i| paths.parent(i)).collect();
    for (i, parent) in parents.iter().enumerate() {
        match parent {
            Some(p) => {
                if let Some(n) = first.get_mut(p.index() + 1) {
                    *n += 1;
                }
            }
            None => roots.push(id(i)),
        }
    }
    for i in 0..count {
        let before = first.get(i).copied().unwrap_or(0);
        if let Some(n) = first.get_mut(i + 1) {
            *n += before;
        }
    }
    let mut children = vec![0u32; count];
    let mut filled = first.clone();
    for (i, parent) in parents.iter().enumerate() {
        if let Some(slot) = parent.and_then(|p| filled.get_mut(p.index())) {
            if let Some(c) = children.get_mut(*slot as usize) {
                *c = id(i);
            }
            *slot += 1;
        }
    }
    let mut spans = vec![(0u32, 0u32); count];
    let mut clock = 0u32;
    // (number, whether its children were pushed)
    let mut stack: Vec<(u32, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
    while let Some((node, done)) = stack.pop() {
        let n = node as usize;
        if done {
            if let Some(span) = spans.get_mut(n) {
                span.1 = clock;
            }
            continue;
        }
        if let Some(span) = spans.get_mut(n) {
            span.0 = clock;
        }
        clock += 1;
        stack.push((node, true));
        let (start, end) = (
            first.get(n).copied().unwrap_or(0) as usize,
            first.get(n + 1).copied().unwrap_or(0) as usize,
        );
        for &child in children.get(start..end).unwrap_or_default().iter().rev() {
            stack.push((child, false));
        }
    }
    spans
}

impl Places {
    /// `items`: each definition's name and place, in the index's order.
    pub fn new<'a>(items: impl Iterator<Item = (&'a str, Place)>) -> Places {
        let mut files = Vec::new();
        let mut by_name: HashMap<String, Named> = HashMap::new();
        let mut paths = PathTable::default();
        for (position, (name, place)) in items.enumerate() {
            // Keys are allocated only when new: a large repository defines
            // thousands of Secrets under a few dozen names and folders.
            if !by_name.contains_key(name) {
                by_name.insert(name.to_string(), Named::default());
            }
            let file = paths.intern(&place.file);
            if let Some(named) = by_name.get_mut(name) {
                let dir = match place.file.parent() {
                    Some(_) => paths.parent(file),
                    None => None,
                }
                .unwrap_or_else(|| paths.intern(Path::new("")));
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
            files.push(file);
        }
        let subtrees = subtree_spans(&paths);
        let enter = |i: usize| {
            files
                .get(i)
                .and_then(|f| subtrees.get(f.index()))
                .map_or(0, |span| span.0)
        };
        for named in by_name.values_mut() {
            for list in named.by_namespace.values_mut() {
                // Stable: ties (one file) keep ascending positions.
                list.sort_by_key(|&i| enter(i));
            }
        }
        let empty = paths.id(Path::new(""));
        Places {
            files,
            by_name,
            paths,
            subtrees,
            empty,
        }
    }

    /// The numbers of the folders holding `from` (and of `from` itself,
    /// and of `""`, which `Path::starts_with` finds in every path) that
    /// hold a definition's file.
    fn folders_of(&self, from: &Path) -> Vec<PathId> {
        let mut folders = self.paths.ids_of_ancestors(from);
        if let Some(empty) = self.empty {
            if !folders.contains(&empty) {
                folders.push(empty);
            }
        }
        folders
    }

    /// The file of definition `position` (empty if there is none).
    #[cfg(test)]
    pub fn file(&self, position: usize) -> PathBuf {
        self.files
            .get(position)
            .map(|&f| self.paths.path(f))
            .unwrap_or_default()
    }

    /// Every name defined, each once, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// `name`, as kept here, if it is defined.
    pub fn name(&self, name: &str) -> Option<&str> {
        self.by_name.get_key_value(name).map(|(k, _)| k.as_str())
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
    /// it. `from` and the definitions' files are keys (`file_key`: absolute,
    /// lexically normal), whose folders are their leading components.
    pub fn nearest_here(
        &self,
        name: &str,
        namespaces: &BTreeSet<String>,
        from: &Path,
    ) -> Vec<usize> {
        self.nearest_counted(name, namespaces, from, &mut Examined::default())
    }

    /// [`Places::nearest_here`], counting the definitions it looks at.
    ///
    /// The numbered paths above `from`, nearest first, are the levels a
    /// definition may share with it: the first that holds a definition's
    /// file is what they share (past the last level: nothing). The ones in
    /// a folder holding the pod's file are few and found by folder; those
    /// in its namespace may sit anywhere, so each namespace's list is
    /// searched, by numbers, for the nearest level whose subtree holds one.
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
        let empty = self.empty;
        let mut levels = self.paths.ids_of_ancestors(from);
        // `""` holds relative paths, which share nothing with `from`: the
        // level past the last.
        if levels.last().is_some_and(|&last| Some(last) == empty) {
            levels.pop();
        }
        let nothing = levels.len();
        // (position, level) of the definitions in a folder holding `from`.
        let mut folder: Vec<(usize, usize)> = Vec::new();
        let dirs = levels.iter().enumerate().map(|(level, &dir)| (level, dir));
        for (level, dir) in dirs.chain(empty.map(|e| (nothing, e))) {
            for &position in by_dir.get(&dir).into_iter().flatten() {
                examined.candidates += 1;
                // Its file may be a nearer level itself (`from`).
                let file = self.files.get(position).copied();
                let own = levels.get(..level).unwrap_or_default();
                let level = own.iter().position(|&l| Some(l) == file).unwrap_or(level);
                folder.push((position, level));
            }
        }
        let mut best = folder.iter().map(|&(_, level)| level).min();
        // (list, range of it, level)
        let mut found: Vec<(&[usize], Range<usize>, usize)> = Vec::new();
        for ns in namespaces {
            let Some(list) = named.by_namespace.get(ns) else {
                continue;
            };
            // Nearer than the best so far, or tied with it.
            let ceiling = best.unwrap_or(nothing).min(nothing);
            let reached = (0..=ceiling).find_map(|level| {
                let range = match levels.get(level) {
                    Some(&dir) => self.subtree(list, dir, examined),
                    None => 0..list.len(),
                };
                (!range.is_empty()).then_some((range, level))
            });
            if let Some((range, level)) = reached {
                best = Some(level);
                found.push((list.as_slice(), range, level));
            }
        }
        let Some(best) = best else {
            return Vec::new();
        };
        let mut here: Vec<usize> = folder
            .iter()
            .filter(|&&(_, level)| level == best)
            .map(|&(i, _)| i)
            .collect();
        for (list, range, level) in found {
            if level == best {
                let positions = list.get(range).unwrap_or_default();
                examined.candidates += positions.len();
                here.extend_from_slice(positions);
            }
        }
        here.sort_unstable();
        here.dedup();
        here
    }

    /// The range of `list` (in the depth-first order of its files) whose
    /// files are `dir` or below it.
    fn subtree(&self, list: &[usize], dir: PathId, examined: &mut Examined) -> Range<usize> {
        let Some(&(start, end)) = self.subtrees.get(dir.index()) else {
            return 0..0;
        };
        let mut enter = |&position: &usize| -> u32 {
            examined.probes += 1;
            self.files
                .get(position)
                .and_then(|f| self.subtrees.get(f.index()))
                .map_or(0, |span| span.0)
        };
        let first = list.partition_point(|p| enter(p) < start);
        let rest = list.get(first..).unwrap_or_default();
        first..first + rest.partition_point(|p| enter(p) < end)
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

    /// The choices the pod checks rely on, each written out: the same file
    /// before the same folder before a folder above, ties kept, a namespace
    /// said on both sides reaching anywhere in the tree, one unsaid
    /// reaching only a folder above the pod's file.
    #[test]
    fn the_nearest_choices_written_out() {
        let items = vec![
            ("pull", place("/r/apps/shop/pod.yaml", &[])), // 0: the pod's own file
            ("pull", place("/r/apps/shop/secret.yaml", &[])), // 1: its folder
            ("pull", place("/r/apps/shop/secret2.yaml", &[])), // 2: its folder (tie)
            ("pull", place("/r/apps/secret.yaml", &[])),   // 3: a folder above
            ("pull", place("/r/apps/shop/deep/s.yaml", &[])), // 4: below the pod's folder
            ("pull", place("/r/other/s.yaml", &["shop"])), // 5: its namespace, elsewhere
            ("pull", place("/r/apps/shop/ns/s.yaml", &["shop"])), // 6: its namespace, nearer
            ("pull", place("/r/apps/ns.yaml", &["ads", "shop"])), // 7: two namespaces
            ("pull", place("/q/s.yaml", &["ads"])),        // 8: another namespace
            ("pull", place("/r/apps/shop.yaml", &["ads"])), // 9: a file named as the folder
        ];
        let places = Places::new(items.into_iter());
        let set = |ns: &[&str]| -> BTreeSet<String> { ns.iter().map(|s| s.to_string()).collect() };
        let cases: [(&[&str], &str, &[usize]); 13] = [
            (&[], "/r/apps/shop/pod.yaml", &[0]),
            // A file in the pod's folder ties with the others there.
            (&[], "/r/apps/shop/other.yaml", &[0, 1, 2]),
            (&[], "/r/apps/shop/deep/x/pod.yaml", &[4]),
            // Unsaid: any namespace, in a folder above.
            (&[], "/r/apps/web/pod.yaml", &[3, 7, 9]),
            (&[], "/r/pod.yaml", &[]),
            // Said: the unsaid in folders above, and its namespace's.
            (&["shop"], "/r/apps/shop/other.yaml", &[0, 1, 2, 6]),
            (&["shop"], "/r/apps/shop/ns/x.yaml", &[6]),
            (&["shop"], "/r/apps/web/pod.yaml", &[3, 6, 7]),
            (&["shop"], "/r/other/pod.yaml", &[5]),
            (&["shop"], "/q/pod.yaml", &[5, 6, 7]),
            (&["ads"], "/r/apps/shop.yaml", &[9]),
            // `shop.yaml` shares `/r/apps` with `shopx/`, not more.
            (&["ads"], "/r/apps/shopx/pod.yaml", &[3, 7, 9]),
            (&["ads", "shop"], "/q/pod.yaml", &[8]),
        ];
        for (namespaces, from, expected) in cases {
            let found = places.nearest_here("pull", &set(namespaces), Path::new(from));
            assert_eq!(found, expected, "{namespaces:?} {from}");
        }
        assert!(places
            .nearest_here("none", &set(&[]), Path::new("/r/p"))
            .is_empty());
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
