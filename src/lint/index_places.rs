//! Definitions of one kind (Secrets, ServiceAccounts) grouped so that a
//! pod finds the ones of a name that share its namespace, or sit in a folder
//! above its file, without looking at every definition of that name: a
//! monorepo defines `regcred` in hundreds of namespaces.

use std::borrow::Borrow;
use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;
use std::path::{Path, PathBuf};

/// Where a definition sits: its file's key (`file_key`) and the namespaces
/// it lands in (empty: not said).
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub file: PathBuf,
    pub namespaces: BTreeSet<String>,
}

/// The definitions of one name, by position in the index's list.
#[derive(Debug, Clone, Default)]
struct Named {
    all: Vec<usize>,
    /// With a namespace said, and by each namespace.
    said: Vec<usize>,
    by_namespace: HashMap<String, Vec<usize>>,
    /// Without one.
    unsaid: Vec<usize>,
    /// By the folder of their file: all of them, and the unsaid ones.
    all_by_dir: HashMap<PathBuf, Vec<usize>>,
    unsaid_by_dir: HashMap<PathBuf, Vec<usize>>,
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

/// Definitions grouped by name, namespace and folder.
#[derive(Debug, Clone, Default)]
pub struct Places {
    places: Vec<Place>,
    by_name: HashMap<String, Named>,
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
        for (position, (name, place)) in items.enumerate() {
            // Keys are allocated only when new: a large repository defines
            // thousands of Secrets under a few dozen names and folders.
            if !by_name.contains_key(name) {
                by_name.insert(name.to_string(), Named::default());
            }
            if let Some(named) = by_name.get_mut(name) {
                let dir = place.file.parent().unwrap_or(Path::new(""));
                named.all.push(position);
                push_at(&mut named.all_by_dir, dir, position);
                if place.namespaces.is_empty() {
                    named.unsaid.push(position);
                    push_at(&mut named.unsaid_by_dir, dir, position);
                } else {
                    named.said.push(position);
                    for ns in &place.namespaces {
                        push_at(&mut named.by_namespace, ns.as_str(), position);
                    }
                }
            }
            places.push(place);
        }
        Places { places, by_name }
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
        let above = |by_dir: &HashMap<PathBuf, Vec<usize>>| -> Vec<usize> {
            // `Path::starts_with("")` holds for every path.
            from.ancestors()
                .chain(std::iter::once(Path::new("")))
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
            namespaces: namespaces.iter().map(|s| s.to_string()).collect(),
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
                    assert_eq!(
                        places.sort(name, &ours, from),
                        sort_plainly(&items, name, &ours, from),
                        "{name} {ns:?} {file}"
                    );
                }
            }
        }
    }
}
