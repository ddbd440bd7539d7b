//! Paths numbered once (docs/architecture.md, "The layers"): every path the
//! index keeps is a number, stored as its folder's number and the bytes it
//! adds to that folder's (`/b.yaml` after `/r/a`), so that a folder's bytes
//! are kept once for all it holds and "the folders above a file" is a walk
//! of numbers. A large repository's index named each of hundreds of
//! thousands of files by its own `PathBuf` (and a `HashMap` key beside it),
//! several times its bytes.

use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

use hashbrown::HashTable;

/// A path's number in its [`PathTable`]; stable once given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PathId(u32);

impl PathId {
    /// Its position in lists kept beside the table, one entry per path.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// No parent: a root, `""`, or what `Path::parent` gives nothing for.
const NO_PARENT: u32 = u32::MAX;

/// Paths, each numbered once, in the order they are first given.
#[derive(Debug, Clone, Default)]
pub struct PathTable {
    /// What each path adds to its parent's bytes, one after the other.
    tails: Vec<u8>,
    /// Where each path's tail ends in `tails` (it starts where the
    /// previous one ends).
    ends: Vec<u32>,
    /// Each path's parent folder (`Path::parent`), numbered before it.
    parents: Vec<u32>,
    /// The numbers, found by (parent, tail).
    lookup: HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl PathTable {
    /// How many paths (files and folders) are numbered.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every number given, in order.
    pub fn ids(&self) -> impl Iterator<Item = PathId> {
        (0..self.ends.len()).map(|i| PathId(u32::try_from(i).unwrap_or(u32::MAX)))
    }

    /// The number of `path`, given now if it has none, with its folders
    /// numbered too.
    pub fn intern(&mut self, path: &Path) -> PathId {
        let (parent, tail) = match path.parent() {
            Some(folder) => (self.intern(folder).0, tail_after(path, folder)),
            None => (NO_PARENT, path.as_os_str().as_encoded_bytes()),
        };
        let hash = self.hasher.hash_one((parent, tail));
        if let Some(&id) = self.lookup.find(hash, |&id| self.is(id, parent, tail)) {
            return PathId(id);
        }
        let id = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.tails.extend_from_slice(tail);
        self.ends
            .push(u32::try_from(self.tails.len()).unwrap_or(u32::MAX));
        self.parents.push(parent);
        let Self {
            tails,
            ends,
            parents,
            lookup,
            hasher,
        } = self;
        lookup.insert_unique(hash, id, |&other| {
            let parent = parents.get(other as usize).copied().unwrap_or(NO_PARENT);
            hasher.hash_one((parent, tail_of(tails, ends, other)))
        });
        PathId(id)
    }

    /// The number of `path`, if it has one.
    pub fn id(&self, path: &Path) -> Option<PathId> {
        let (parent, tail) = match path.parent() {
            Some(folder) => (self.id(folder)?.0, tail_after(path, folder)),
            None => (NO_PARENT, path.as_os_str().as_encoded_bytes()),
        };
        let hash = self.hasher.hash_one((parent, tail));
        self.lookup
            .find(hash, |&id| self.is(id, parent, tail))
            .map(|&id| PathId(id))
    }

    /// The numbers of `path` and of the folders above it that have one,
    /// nearest first: `path.ancestors()`, numbered (those without a number
    /// are the nearest ones: a folder is numbered before what it holds).
    /// A path spelled as file keys are is cut at its `/`s, without parsing
    /// its components: each pod's lookups in the index start here.
    pub fn ids_of_ancestors(&self, path: &Path) -> Vec<PathId> {
        let bytes = path.as_os_str().as_encoded_bytes();
        if !plainly_spelled(bytes) {
            return self.ids_of_ancestors_parsed(path);
        }
        let mut ids = Vec::with_capacity(16);
        let (mut parent, mut start) = (NO_PARENT, 0);
        // Where each ancestor ends: the root `/`, each later `/`, the end.
        let ends = std::iter::once(1)
            .chain(memchr::memchr_iter(b'/', bytes).skip(1))
            .chain(std::iter::once(bytes.len()));
        for end in ends {
            let Some(tail) = bytes.get(start..end).filter(|t| !t.is_empty()) else {
                continue;
            };
            let hash = self.hasher.hash_one((parent, tail));
            match self.lookup.find(hash, |&id| self.is(id, parent, tail)) {
                Some(&id) => {
                    ids.push(PathId(id));
                    (parent, start) = (id, end);
                }
                None => break,
            }
        }
        ids.reverse();
        ids
    }

    /// [`PathTable::ids_of_ancestors`] for any spelling, through
    /// `Path::ancestors`.
    fn ids_of_ancestors_parsed(&self, path: &Path) -> Vec<PathId> {
        let mut ids = Vec::new();
        let mut parent = NO_PARENT;
        let chain: Vec<&Path> = path.ancestors().collect();
        for (i, ancestor) in chain.iter().enumerate().rev() {
            let tail = match chain.get(i + 1) {
                Some(folder) => tail_after(ancestor, folder),
                None => ancestor.as_os_str().as_encoded_bytes(),
            };
            let hash = self.hasher.hash_one((parent, tail));
            match self.lookup.find(hash, |&id| self.is(id, parent, tail)) {
                Some(&id) => {
                    ids.push(PathId(id));
                    parent = id;
                }
                None => break,
            }
        }
        ids.reverse();
        ids
    }

    /// The path numbered `id` (empty for a number this table did not give).
    pub fn path(&self, id: PathId) -> PathBuf {
        let chain: Vec<PathId> = self.ancestors(id).collect();
        let mut bytes = Vec::new();
        for id in chain.iter().rev() {
            bytes.extend_from_slice(tail_of(&self.tails, &self.ends, id.0));
        }
        path_of(bytes)
    }

    /// The folder holding `id` (`Path::parent`), numbered with it.
    pub fn parent(&self, id: PathId) -> Option<PathId> {
        self.parents
            .get(id.index())
            .filter(|&&p| p != NO_PARENT)
            .map(|&p| PathId(p))
    }

    /// `id` and the folders above it, nearest first (`Path::ancestors`).
    pub fn ancestors(&self, id: PathId) -> impl Iterator<Item = PathId> + '_ {
        let known = id.index() < self.len();
        std::iter::successors(known.then_some(id), |&id| self.parent(id))
    }

    /// Whether number `id` is the path `tail` after `parent`.
    fn is(&self, id: u32, parent: u32, tail: &[u8]) -> bool {
        self.parents.get(id as usize) == Some(&parent)
            && tail_of(&self.tails, &self.ends, id) == tail
    }
}

/// What `path` adds to `folder`'s bytes (`Path::parent` is a prefix of the
/// path's own bytes).
fn tail_after<'a>(path: &'a Path, folder: &Path) -> &'a [u8] {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.get(folder.as_os_str().len()..).unwrap_or_default()
}

/// An absolute path whose `Path::parent`s are its bytes cut at each `/`
/// (no `//`, no `.` word, no trailing `/`), as file keys are spelled.
fn plainly_spelled(path: &[u8]) -> bool {
    // After each `/`: a word that is not `.`, or nothing for the root.
    let word_after = |slash: usize| match path.get(slash + 1..) {
        Some([b'/', ..]) => false,
        Some([] | [b'.'] | [b'.', b'/', ..]) => slash == 0 && path.len() == 1,
        _ => true,
    };
    cfg!(unix) && path.first() == Some(&b'/') && memchr::memchr_iter(b'/', path).all(word_after)
}

/// The tail of path number `id`.
fn tail_of<'a>(tails: &'a [u8], ends: &[u32], id: u32) -> &'a [u8] {
    let i = id as usize;
    let end = ends.get(i).map_or(0, |&e| e as usize);
    let start = match i.checked_sub(1) {
        Some(before) => ends.get(before).map_or(0, |&e| e as usize),
        None => 0,
    };
    tails.get(start..end).unwrap_or_default()
}

/// Bytes that were a whole path's `as_encoded_bytes`, as that path.
#[cfg(unix)]
fn path_of(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_of(bytes: Vec<u8>) -> PathBuf {
    // SAFETY: `bytes` are the `as_encoded_bytes` of one `OsStr` given to
    // `intern`, rebuilt whole from its parts, cut where `Path::parent` cut.
    PathBuf::from(unsafe { std::ffi::OsStr::from_encoded_bytes_unchecked(&bytes) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn numbers_are_stable_and_given_once() {
        let mut table = PathTable::default();
        let a = table.intern(Path::new("/r/a/s.yaml"));
        let b = table.intern(Path::new("/r/b/s.yaml"));
        assert_ne!(a, b);
        assert_eq!(table.intern(Path::new("/r/a/s.yaml")), a);
        assert_eq!(table.id(Path::new("/r/b/s.yaml")), Some(b));
        assert_eq!(table.id(Path::new("/r/c")), None);
        // Files and their folders: /, /r, /r/a, /r/a/s.yaml, /r/b, /r/b/s.yaml.
        assert_eq!(table.len(), 6);
        let before = table.len();
        for _ in 0..3 {
            table.intern(Path::new("/r/a"));
        }
        assert_eq!(table.len(), before, "a folder is numbered once");
        assert_eq!(table.path(a), Path::new("/r/a/s.yaml"));
        assert_eq!(table.path(b), Path::new("/r/b/s.yaml"));
    }

    #[test]
    fn folders_above_are_the_paths_ancestors() {
        let mut table = PathTable::default();
        let paths = [
            "/r/a/b/pod.yaml",
            "a/b/c",
            "a",
            "",
            "/",
            "../x/y",
            "./a/b",
            "/a//b",
            "a/b/",
            "a/..",
            "/a/./b",
            "//a",
        ];
        for path in paths {
            let id = table.intern(Path::new(path));
            let walked: Vec<PathBuf> = table.ancestors(id).map(|id| table.path(id)).collect();
            let expected: Vec<PathBuf> =
                Path::new(path).ancestors().map(Path::to_path_buf).collect();
            assert_eq!(walked, expected, "{path:?}");
            for folder in Path::new(path).ancestors() {
                assert!(table.id(folder).is_some(), "{folder:?} of {path:?}");
            }
            assert_eq!(table.path(id).as_os_str(), Path::new(path).as_os_str());
            let numbered: Vec<PathId> = table.ancestors(id).collect();
            assert_eq!(
                table.ids_of_ancestors(Path::new(path)),
                numbered,
                "{path:?}"
            );
        }
    }

    #[test]
    fn folders_above_an_unnumbered_file_are_found() {
        let mut table = PathTable::default();
        let folder = table.intern(Path::new("/r/a"));
        let found = table.ids_of_ancestors(Path::new("/r/a/b/pod.yaml"));
        let paths: Vec<PathBuf> = found.iter().map(|&id| table.path(id)).collect();
        assert_eq!(paths, ["/r/a", "/r", "/"].map(PathBuf::from));
        assert_eq!(found.first(), Some(&folder));
        assert!(table.ids_of_ancestors(Path::new("q/pod.yaml")).is_empty());
        assert_eq!(table.id(Path::new("/r/a/b")), None);
    }

    /// Cutting a file key at its `/`s finds what walking its parsed
    /// ancestors finds, numbered or not, and any other spelling is parsed.
    #[test]
    fn folders_above_a_key_are_found_by_its_slashes() {
        let mut table = PathTable::default();
        for path in [
            "/r/a/b/pod.yaml",
            "/r/a/s.yaml",
            "/r/ab",
            "/",
            "/r/a/../c",
            "rel/x",
        ] {
            table.intern(Path::new(path));
        }
        let paths = [
            "/r/a/b/pod.yaml",
            "/r/a/b/other.yaml",
            "/r/a/b",
            "/r/a/bc/x",
            "/r/ab",
            "/r/ab/c",
            "/r/a/../c",
            "/r/a/../c/d",
            "/r/.a/x",
            "/",
            "/q",
            "/r/a/./b",
            "/r/a/b/",
            "/r//a",
            "/r/a/.",
            "rel/x",
            "rel/x/y",
            "",
        ];
        for path in paths {
            let bytes = Path::new(path).as_os_str().as_encoded_bytes();
            let plain = !matches!(
                path,
                "/r/a/./b" | "/r/a/b/" | "/r//a" | "/r/a/." | "rel/x" | "rel/x/y" | ""
            );
            assert_eq!(plainly_spelled(bytes), plain, "{path:?}");
            assert_eq!(
                table.ids_of_ancestors(Path::new(path)),
                table.ids_of_ancestors_parsed(Path::new(path)),
                "{path:?}"
            );
        }
        let found = table.ids_of_ancestors(Path::new("/r/a/b/other.yaml"));
        let paths: Vec<PathBuf> = found.iter().map(|&id| table.path(id)).collect();
        assert_eq!(paths, ["/r/a/b", "/r/a", "/r", "/"].map(PathBuf::from));
    }

    #[test]
    fn paths_are_kept_byte_for_byte() {
        let mut table = PathTable::default();
        let mut paths: Vec<PathBuf> = ["/r/caf\u{e9}/s.yaml", "/r/\u{1F600}/x", "/r/a b/c"]
            .iter()
            .map(PathBuf::from)
            .collect();
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            // Not UTF-8: Latin-1 'é'.
            paths.push(PathBuf::from(std::ffi::OsStr::from_bytes(
                b"/r/caf\xe9/s.yaml",
            )));
        }
        let ids: Vec<PathId> = paths.iter().map(|p| table.intern(p)).collect();
        for (path, id) in paths.iter().zip(&ids) {
            assert_eq!(table.path(*id).as_os_str(), path.as_os_str());
            assert_eq!(table.id(path), Some(*id));
        }
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
    }

    #[test]
    fn an_unknown_number_is_an_empty_path() {
        let table = PathTable::default();
        assert_eq!(table.path(PathId(7)), PathBuf::new());
        assert_eq!(table.parent(PathId(7)), None);
    }
}
