//! The persistent context index (docs/architecture.md, "The context
//! cache"): what each file of a context adds to the index, kept between
//! runs so that a run naming a few files (pre-commit, an editor) does not
//! read the whole repository again.
//!
//! An entry is used only when everything it was made from is unchanged:
//! the file's [`Stamp`] (inode, size, modification and change times), and,
//! for the whole file, the run's key (regcred's version and executable,
//! the configuration and flags the context is indexed with, the context's
//! path). A cache that is missing, unreadable, of another key or corrupt
//! in any way is ignored as a whole; writing it is atomic (a temporary
//! file renamed into place), so two runs at once each leave a whole file.
//! Failing to write it is not an error: the next run reads the files.

pub mod codec;
mod place;
pub mod stamp;
mod wire;

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

pub use stamp::Stamp;

use crate::bounded_read::{self, Follow, Limit};
use crate::lint::index::IndexPart;
use crate::lint::kustomize::GeneratedPayload;
use wire::{Reader, Writer};

/// The first bytes of a cache file.
const MAGIC: &[u8] = b"regcred context cache\n";
/// The last bytes: a file cut short is missing them.
const END: &[u8] = b"\nend of regcred context cache\n";
/// The largest cache file read (a 500 MB repository's is about 50 MB).
const LIMIT: Limit = Limit {
    max: 1 << 30,
    name: "the limit for a context cache file",
};

/// One run's view of a context's cache: the entries read, and those to
/// write back.
#[derive(Debug)]
pub struct ContextCache {
    file: PathBuf,
    key: String,
    started: SystemTime,
    /// The cache file as read, and its entries (relative path -> stamp and
    /// the range of the encoded part in `old`).
    old: Vec<u8>,
    entries: HashMap<String, (Stamp, Range<usize>)>,
    /// What this run learns: entries still valid (by path) and new ones.
    kept: Mutex<Vec<String>>,
    fresh: Mutex<Vec<(String, Stamp, Vec<u8>)>>,
}

impl ContextCache {
    /// The cache of the context `dir` under `key`, read if there is one;
    /// `None` when there is nowhere to keep a cache.
    pub fn open(dir: &Path, key: String) -> Option<ContextCache> {
        let started = SystemTime::now();
        let resolved = dir.canonicalize().ok()?;
        let file = place::cache_file(&resolved)?;
        let key = format!("{key}\ncontext {}", resolved.display());
        let mut cache = ContextCache {
            file,
            key,
            started,
            old: Vec::new(),
            entries: HashMap::new(),
            kept: Mutex::new(Vec::new()),
            fresh: Mutex::new(Vec::new()),
        };
        if let Ok(bytes) = bounded_read::read_file(&cache.file, LIMIT, Follow::No) {
            if let Some(entries) = read_entries(&bytes, &cache.key) {
                cache.entries = entries;
                cache.old = bytes;
            }
        }
        Some(cache)
    }

    /// The cache's view of one file of the context (`relative` to it),
    /// from the metadata read before its bytes; `None` when it cannot be
    /// cached (a path that is not UTF-8, a platform without inodes).
    pub fn probe(&self, relative: &Path, metadata: &Metadata) -> Option<Probe<'_>> {
        Some(Probe {
            cache: self,
            relative: relative.to_str()?.to_string(),
            stamp: Stamp::of(metadata)?,
        })
    }

    /// The encoded part of the file at `relative`, if cached with the same
    /// stamp; it is then kept for the next run.
    fn get(&self, relative: &str, stamp: &Stamp) -> Option<&[u8]> {
        let (cached, range) = self.entries.get(relative)?;
        if cached != stamp {
            return None;
        }
        let bytes = self.old.get(range.clone())?;
        if let Ok(mut kept) = self.kept.lock() {
            kept.push(relative.to_string());
        }
        Some(bytes)
    }

    fn put(&self, relative: String, stamp: Stamp, part: Vec<u8>) {
        if stamp.is_racy(self.started) {
            return;
        }
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.push((relative, stamp, part));
        }
    }

    /// Writes the cache back when this run changed it; errors are ignored.
    pub fn save(self) {
        let (Ok(mut kept), Ok(fresh)) = (self.kept.into_inner(), self.fresh.into_inner()) else {
            return;
        };
        kept.sort_unstable();
        kept.dedup();
        if fresh.is_empty() && kept.len() == self.entries.len() {
            return;
        }
        let mut w = Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        w.number(u64::from(codec::FORMAT));
        w.text(&self.key);
        let fresh_paths: std::collections::HashSet<&str> =
            fresh.iter().map(|(p, _, _)| p.as_str()).collect();
        let kept: Vec<(&String, &(Stamp, Range<usize>))> = kept
            .iter()
            .filter(|p| !fresh_paths.contains(p.as_str()))
            .filter_map(|p| self.entries.get_key_value(p))
            .collect();
        w.number((kept.len() + fresh.len()) as u64);
        for (path, (stamp, range)) in kept {
            let Some(part) = self.old.get(range.clone()) else {
                return;
            };
            entry(&mut w, path, stamp, part);
        }
        for (path, stamp, part) in &fresh {
            entry(&mut w, path, stamp, part);
        }
        w.bytes.extend_from_slice(END);
        let _ = write_atomically(&self.file, &w.bytes);
    }
}

/// One file of the context, as the cache sees it.
#[derive(Debug)]
pub struct Probe<'c> {
    cache: &'c ContextCache,
    relative: String,
    stamp: Stamp,
}

impl Probe<'_> {
    /// What the file adds to the index, as cached for its stamp.
    pub fn part(&self) -> Option<(IndexPart, Vec<GeneratedPayload>)> {
        codec::decode(self.cache.get(&self.relative, &self.stamp)?)
    }

    /// Keeps the entry of a file this run does not index (one named on the
    /// command line, read for the report) if its stamp still holds.
    pub fn keep(self) {
        let _ = self.cache.get(&self.relative, &self.stamp);
    }

    /// Records what the file adds to the index, read after the probe; a
    /// file changed too recently ([`stamp::RACY`]) is not recorded.
    pub fn record(self, part: &IndexPart, generated: &[GeneratedPayload]) {
        if let Some(bytes) = codec::encode(part, generated) {
            self.cache.put(self.relative, self.stamp, bytes);
        }
    }
}

fn entry(w: &mut Writer, path: &str, stamp: &Stamp, part: &[u8]) {
    w.text(path);
    stamp.write(w);
    w.raw(part);
}

/// The entries of a cache file written under `key`; `None` for any other
/// file.
fn read_entries(bytes: &[u8], key: &str) -> Option<HashMap<String, (Stamp, Range<usize>)>> {
    let body = bytes.strip_prefix(MAGIC)?.strip_suffix(END)?;
    let mut r = Reader::new(body);
    if r.number()? != u64::from(codec::FORMAT) || r.text()? != key {
        return None;
    }
    let count = r.count()?;
    let mut entries = HashMap::with_capacity(count);
    for _ in 0..count {
        let path = r.text()?;
        let stamp = Stamp::read(&mut r)?;
        let part = r.raw()?;
        // The part's place in the whole file, to hand out without a copy.
        let start = part.as_ptr() as usize - bytes.as_ptr() as usize;
        entries.insert(path, (stamp, start..start + part.len()));
    }
    r.is_empty().then_some(entries)
}

/// Writes `bytes` to a temporary file beside `file` and renames it into
/// place: a reader sees the old file or the new one, never a part.
fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.persist(file).map_err(|e| e.error)?;
    Ok(())
}
