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
//! in any way (its digest does not match) is ignored as a whole; writing
//! it is atomic (a temporary file renamed into place), so two runs at once
//! each leave a whole file. Failing to write it is not an error: the next
//! run reads the files.
//!
//! The file: a header (the format, the key, a digest of the rest), then a
//! table of the entries (path, stamp, length of its part) sorted by path,
//! then the parts one after the other. A run looks paths up in the table,
//! which is small and contiguous, and decodes only the parts it uses.

pub mod codec;
mod place;
pub mod stamp;
mod stamper;
mod wire;

use std::collections::HashSet;
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

use sha2::{Digest, Sha256};
pub use stamp::Stamp;
pub use stamper::Stamper;

use crate::bounded_read::{self, Follow, Limit};
use crate::lint::index::IndexPart;
use crate::lint::kustomize::GeneratedPayload;
use wire::{Reader, Writer};

/// The first bytes of a cache file.
const MAGIC: &[u8] = b"regcred context cache\n";
/// The last bytes: a file cut short is missing them.
const END: &[u8] = b"\nend of regcred context cache\n";
/// How many bytes of the SHA-256 of the table and parts the file keeps.
const DIGEST: usize = 16;
/// The largest cache file read (a 500 MB repository's is about 15 MB).
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
    /// The cache file as read, and its entries, sorted by path (ranges into
    /// `old`: no copy of each path and part).
    old: Vec<u8>,
    entries: Vec<Entry>,
    /// How many entries this run found still valid.
    kept: AtomicUsize,
    /// Files read this run (path, stamp, encoded part).
    fresh: Mutex<Vec<(String, Stamp, Vec<u8>)>>,
}

#[derive(Debug)]
struct Entry {
    path: Range<usize>,
    stamp: Stamp,
    part: Range<usize>,
    /// Still valid: written back.
    kept: AtomicBool,
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
            entries: Vec::new(),
            kept: AtomicUsize::new(0),
            fresh: Mutex::new(Vec::new()),
        };
        if let Some(bytes) = read_own(&cache.file, &header(&cache.key)) {
            if let Some(entries) = read_entries(&bytes, &cache.key) {
                cache.entries = entries;
                cache.old = bytes;
            }
        }
        Some(cache)
    }

    /// The cache's view of one file of the context (`relative` to it,
    /// `shown` as the walk names it), from its stamp taken before its
    /// bytes are read; `None` when it cannot be cached (a path that is not
    /// UTF-8). `near`: where the calling thread's previous probe found its
    /// entry (a thread mostly takes a folder's files one after the other,
    /// so the next entry is usually beside it; any value is correct).
    pub fn probe<'a>(
        &'a self,
        relative: &'a Path,
        shown: &'a str,
        stamp: Stamp,
        near: &mut usize,
    ) -> Option<Probe<'a>> {
        let relative = relative.to_str()?;
        let at = self.find(relative, *near);
        if let Some(at) = at {
            *near = at;
        }
        Some(Probe {
            cache: self,
            relative,
            shown,
            stamp,
            at,
        })
    }

    /// The position of the entry of `relative`: first beside `near`, else
    /// by binary search.
    fn find(&self, relative: &str, near: usize) -> Option<usize> {
        let path_of = |e: &Entry| self.old.get(e.path.clone()).unwrap_or_default();
        let wanted = relative.as_bytes();
        let beside = [near.wrapping_sub(1), near.wrapping_add(1), near];
        if let Some(&at) = beside
            .iter()
            .find(|&&at| self.entries.get(at).is_some_and(|e| path_of(e) == wanted))
        {
            return Some(at);
        }
        self.entries
            .binary_search_by(|e| path_of(e).cmp(wanted))
            .ok()
    }

    /// The encoded part of the entry at `at`, if cached with the same
    /// stamp; it is then kept for the next run.
    fn get(&self, at: Option<usize>, stamp: &Stamp) -> Option<&[u8]> {
        let entry = self.entries.get(at?)?;
        if entry.stamp != *stamp {
            return None;
        }
        let bytes = self.old.get(entry.part.clone())?;
        if !entry.kept.swap(true, Ordering::Relaxed) {
            self.kept.fetch_add(1, Ordering::Relaxed);
        }
        Some(bytes)
    }

    fn put(&self, relative: &str, stamp: Stamp, part: Vec<u8>) {
        if stamp.is_racy(self.started) {
            return;
        }
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.push((relative.to_string(), stamp, part));
        }
    }

    /// Writes the cache back when this run changed it; errors are ignored.
    pub fn save(self) {
        let Ok(fresh) = self.fresh.into_inner() else {
            return;
        };
        if fresh.is_empty() && self.kept.into_inner() == self.entries.len() {
            return;
        }
        let fresh_paths: HashSet<&str> = fresh.iter().map(|(p, _, _)| p.as_str()).collect();
        let mut all: Vec<(&[u8], &Stamp, &[u8])> = Vec::new();
        for e in &self.entries {
            let (Some(path), Some(part)) =
                (self.old.get(e.path.clone()), self.old.get(e.part.clone()))
            else {
                return;
            };
            let still = e.kept.load(Ordering::Relaxed);
            if still && !std::str::from_utf8(path).is_ok_and(|p| fresh_paths.contains(p)) {
                all.push((path, &e.stamp, part));
            }
        }
        for (path, stamp, part) in &fresh {
            all.push((path.as_bytes(), stamp, part));
        }
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all.dedup_by(|a, b| a.0 == b.0);
        let mut body = Writer::default();
        body.number(all.len() as u64);
        for (path, stamp, part) in &all {
            body.raw(path);
            stamp.write(&mut body);
            body.number(part.len() as u64);
        }
        for (_, _, part) in &all {
            body.bytes.extend_from_slice(part);
        }
        let mut w = Writer {
            bytes: header(&self.key),
        };
        w.bytes.extend_from_slice(&digest(&body.bytes));
        w.bytes.extend_from_slice(&body.bytes);
        w.bytes.extend_from_slice(END);
        let _ = write_atomically(&self.file, &w.bytes);
    }
}

/// One file of the context, as the cache sees it.
#[derive(Debug)]
pub struct Probe<'a> {
    cache: &'a ContextCache,
    relative: &'a str,
    shown: &'a str,
    stamp: Stamp,
    /// Its entry's position, if the cache has one for its path.
    at: Option<usize>,
}

impl Probe<'_> {
    /// What the file adds to the index, as cached for its stamp.
    pub fn part(&self) -> Option<(IndexPart, Vec<GeneratedPayload>)> {
        codec::decode(self.cache.get(self.at, &self.stamp)?, self.shown)
    }

    /// Keeps the entry of a file this run does not index (one named on the
    /// command line, read for the report) if its stamp still holds.
    pub fn keep(self) {
        let _ = self.cache.get(self.at, &self.stamp);
    }

    /// Records what the file adds to the index, read after the probe; a
    /// file changed too recently ([`stamp::RACY`]) is not recorded.
    pub fn record(self, part: &IndexPart, generated: &[GeneratedPayload]) {
        if let Some(bytes) = codec::encode(part, generated, self.shown) {
            self.cache.put(self.relative, self.stamp, bytes);
        }
    }
}

/// The first bytes of the SHA-256 of a cache file's table and parts.
fn digest(body: &[u8]) -> [u8; DIGEST] {
    let mut kept = [0; DIGEST];
    kept.copy_from_slice(&Sha256::digest(body)[..DIGEST]);
    kept
}

/// How a cache file written under `key` begins.
fn header(key: &str) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes.extend_from_slice(MAGIC);
    w.number(u64::from(codec::FORMAT));
    w.text(key);
    w.bytes
}

/// The cache file at `path` if it is a regular file of the user's own
/// (not a link) that begins with `header`: another user's cache is not
/// believed, and a file of another key or of no cache at all costs the
/// reading of its first bytes, not of the whole file (a sparse file of a
/// gigabyte, say).
fn read_own(path: &Path, header: &[u8]) -> Option<Vec<u8>> {
    use std::io::{Read as _, Seek as _};
    let mut file = bounded_read::open_regular(path, Follow::No).ok()?;
    let meta = file.metadata().ok()?;
    if !place::owned_meta(&meta) || meta.len() > LIMIT.max {
        return None;
    }
    let mut begins = vec![0; header.len()];
    file.read_exact(&mut begins).ok()?;
    if begins != header {
        return None;
    }
    file.rewind().ok()?;
    bounded_read::read_stream(file, LIMIT, meta.len()).ok()
}

/// The entries of a cache file written under `key`, in path order; `None`
/// for any other file (one whose paths are out of order or whose digest
/// does not match included).
fn read_entries(bytes: &[u8], key: &str) -> Option<Vec<Entry>> {
    let inner = bytes.strip_prefix(MAGIC)?.strip_suffix(END)?;
    let mut r = Reader::new(inner);
    if r.number()? != u64::from(codec::FORMAT) || r.text()? != key {
        return None;
    }
    let kept = r.take(DIGEST)?;
    let body = r.rest();
    if digest(body).as_slice() != kept {
        return None;
    }
    // Where a slice handed out by the reader starts in the whole file.
    let start = |slice: &[u8]| slice.as_ptr() as usize - bytes.as_ptr() as usize;
    let mut r = Reader::new(body);
    let count = r.count()?;
    let mut entries: Vec<Entry> = Vec::with_capacity(count);
    let mut previous: Option<&[u8]> = None;
    let mut lengths = Vec::with_capacity(count);
    for _ in 0..count {
        // Not checked for UTF-8 (a tenth of reading the file): such a path
        // matches no file probed, so its entry is never used nor kept.
        let path = r.raw()?;
        if previous.is_some_and(|p| p >= path) {
            return None;
        }
        previous = Some(path);
        let stamp = Stamp::read(&mut r)?;
        lengths.push(usize::try_from(r.number()?).ok()?);
        entries.push(Entry {
            path: start(path)..start(path) + path.len(),
            stamp,
            part: 0..0,
            kept: AtomicBool::new(false),
        });
    }
    // The parts follow the table, in its order, and fill the rest exactly.
    let mut at = start(r.rest());
    for (entry, length) in entries.iter_mut().zip(lengths) {
        let end = at.checked_add(length)?;
        entry.part = at..end;
        at = end;
    }
    (at == start(inner) + inner.len()).then_some(entries)
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
