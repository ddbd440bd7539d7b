//! Finds the files to lint and lints them in parallel: the `ignore` crate's
//! walker (`.gitignore` honoured as [`super::gitignore`] reads it, hidden
//! folders such as `.docker/` read, `.git/` skipped), each file read,
//! linted and dropped on its thread.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use super::context_cache::{ContextCache, Probe, Stamp, Stamper};
use super::deferred::PendingPod;
use super::engine::{FileResult, Linter, Selection};
use super::gitignore::GitIgnores;
use super::index::{file_key, WorkspaceIndex};
use super::input::{classify, InputKind};
use super::kustomize::GeneratedPayload;
use super::outcome::{InputError, Outcome, Reported};
use super::pull_secret_summary::PullSecretSummary;
use super::walk_skip::WalkSkip;
use crate::bounded_read::{self, Follow, Limit, ReadError};
use crate::load_restrictor::{self, Lift, LoadError, LoadRestrictor};
use crate::shown_path::as_named;

/// The name stdin gets in reports.
pub const STDIN_NAME: &str = "<stdin>";

#[derive(Debug, Clone, thiserror::Error)]
pub enum WalkError {
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{path}: {message}")]
    Limit { path: String, message: String },
    #[error("invalid skip pattern {pattern:?} in the config: {message}")]
    Skip { pattern: String, message: String },
    /// A `.regcred.yaml` found by the walk that cannot be used: the files
    /// it configures are not linted. Each line of `message` names it.
    #[error("{message}")]
    Config { path: String, message: String },
}

/// The linter of each file a walk finds (its nearest `.regcred.yaml`).
pub trait FileLinters: Sync {
    /// The linter for `file` (as walked) and its number (pods are checked
    /// by the linter of their file); `None` when its configuration skips it.
    fn linter_for(&self, file: &Path) -> Result<Option<(usize, Arc<Linter>)>, WalkError>;

    /// The walk is over: what only speeds up its lookups may be freed
    /// (later lookups give the same answers, found again).
    fn walked(&self) {}
}

/// One linter for every file.
struct OneLinter(Arc<Linter>);

impl FileLinters for OneLinter {
    fn linter_for(&self, _: &Path) -> Result<Option<(usize, Arc<Linter>)>, WalkError> {
        Ok(Some((0, self.0.clone())))
    }
}

impl WalkError {
    /// The error as reports carry it.
    pub fn input_error(&self) -> InputError {
        match self {
            WalkError::Io { path, message }
            | WalkError::Limit { path, message }
            | WalkError::Config { path, message } => InputError {
                path: (!path.is_empty()).then(|| path.clone()),
                message: message.clone(),
            },
            WalkError::Skip { .. } => InputError {
                path: None,
                message: self.to_string(),
            },
        }
    }
}

struct Collected {
    outcome: Outcome,
    errors: Vec<WalkError>,
    generated: Vec<GeneratedPayload>,
    seen_configs: BTreeSet<PathBuf>,
    index: WorkspaceIndex,
    /// Pending pods by the number of their file's linter.
    pods: BTreeMap<usize, (Arc<Linter>, Vec<PendingPod>)>,
    /// Files read for the report (canonical paths), for the context walk.
    seen_files: BTreeSet<PathBuf>,
    pull_secrets: Vec<PullSecretSummary>,
    /// `sealed-secret-scope-moved` findings waiting for the index.
    pending_seals: Vec<Reported>,
}

/// Lints every path (`-` is stdin) with `threads` threads (0: one per core).
/// I/O errors do not stop the run; they come back with the outcome.
pub fn lint_paths(linter: &Linter, paths: &[PathBuf], threads: usize) -> (Outcome, Vec<WalkError>) {
    lint_paths_in_context(linter, paths, None, threads)
}

/// [`lint_paths`], with the files of `context` (a folder around them, such
/// as the repository) indexed too, so that references from the given files
/// resolve; only the given paths are reported on.
pub fn lint_paths_in_context(
    linter: &Linter,
    paths: &[PathBuf],
    context: Option<&Path>,
    threads: usize,
) -> (Outcome, Vec<WalkError>) {
    let (outcome, errors, _) = lint_paths_with_index(linter, paths, context, threads);
    (outcome, errors)
}

/// [`lint_paths_in_context`], also returning the index of the inputs
/// (`--fix` names the pull secrets it finds there).
pub fn lint_paths_with_index(
    linter: &Linter,
    paths: &[PathBuf],
    context: Option<&Path>,
    threads: usize,
) -> (Outcome, Vec<WalkError>, WorkspaceIndex) {
    let one = OneLinter(Arc::new(linter.clone()));
    lint_paths_configured(linter, &one, paths, context, threads)
}

/// [`lint_paths_with_index`], each walked file linted by the linter
/// `configs` gives it (`linter` reads stdin, the context and what
/// kustomizations generate).
pub fn lint_paths_configured(
    linter: &Linter,
    configs: &dyn FileLinters,
    paths: &[PathBuf],
    context: Option<&Path>,
    threads: usize,
) -> (Outcome, Vec<WalkError>, WorkspaceIndex) {
    lint_paths_cached(linter, configs, paths, context, threads, false)
}

/// [`lint_paths_configured`]; with `cache`, what the context's files add
/// to the index is kept between runs (`super::context_cache`).
pub fn lint_paths_cached(
    linter: &Linter,
    configs: &dyn FileLinters,
    paths: &[PathBuf],
    context: Option<&Path>,
    threads: usize,
    cache: bool,
) -> (Outcome, Vec<WalkError>, WorkspaceIndex) {
    let context = context.map(|dir| (dir, cache));
    let Some(mut c) = walk_inputs(linter, configs, paths, context, threads) else {
        return (Outcome::default(), Vec::new(), WorkspaceIndex::default());
    };
    for (_, (file_linter, pods)) in std::mem::take(&mut c.pods) {
        let pod_findings = file_linter.check_pods_parallel(&c.index, pods, threads);
        c.outcome.findings.extend(pod_findings);
    }
    let moved = seals_moved(&mut c);
    c.outcome.findings.extend(moved);
    c.errors.sort_by_key(|e| e.to_string());
    c.errors.dedup_by_key(|e| e.to_string());
    c.outcome.errors = c.errors.iter().map(WalkError::input_error).collect();
    c.outcome.finish();
    (c.outcome, c.errors, c.index)
}

/// The pod specs of every workload under `paths`, with the places of their
/// images (for `regcred create --for`). No rule runs.
pub fn workload_pods(paths: &[PathBuf], threads: usize) -> (Vec<PendingPod>, Vec<WalkError>) {
    let linter =
        Linter::new(super::config::Config::default(), quiet_selection()).unwrap_or_default();
    let one = OneLinter(Arc::new(linter.clone()));
    match walk_inputs(&linter, &one, paths, None, threads) {
        Some(mut c) => {
            c.errors.sort_by_key(|e| e.to_string());
            let pods = std::mem::take(&mut c.pods)
                .into_values()
                .flat_map(|(_, p)| p);
            (pods.collect(), c.errors)
        }
        None => (Vec::new(), Vec::new()),
    }
}

/// What `regcred inspect` reads: the lint outcome (pod checks included),
/// the index, the pods and every pull secret summarized.
#[derive(Debug, Default)]
pub struct Inspected {
    pub outcome: Outcome,
    pub errors: Vec<WalkError>,
    pub index: WorkspaceIndex,
    pub pods: Vec<PendingPod>,
    pub pull_secrets: Vec<PullSecretSummary>,
}

/// Lints `paths` as `lint` does (no context), keeping the pods and the pull
/// secrets read; `linter` should be [`Linter::collecting_pull_secrets`].
pub fn inspect_paths(linter: &Linter, paths: &[PathBuf], threads: usize) -> Inspected {
    let one = OneLinter(Arc::new(linter.clone()));
    let Some(mut c) = walk_inputs(linter, &one, paths, None, threads) else {
        return Inspected::default();
    };
    let pods: Vec<PendingPod> = std::mem::take(&mut c.pods)
        .into_values()
        .flat_map(|(_, pods)| pods)
        .collect();
    let pod_findings = linter.check_pods_parallel(&c.index, pods.clone(), threads);
    c.outcome.findings.extend(pod_findings);
    let moved = seals_moved(&mut c);
    c.outcome.findings.extend(moved);
    c.errors.sort_by_key(|e| e.to_string());
    c.outcome.errors = c.errors.iter().map(WalkError::input_error).collect();
    c.outcome.finish();
    Inspected {
        outcome: c.outcome,
        errors: c.errors,
        index: c.index,
        pods,
        pull_secrets: c.pull_secrets,
    }
}

/// The SealedSecrets a kustomization moves out of their scope, once the
/// index is finished.
fn seals_moved(c: &mut Collected) -> Vec<Reported> {
    let candidates = std::mem::take(&mut c.pending_seals);
    super::rules::sealed_secret_scope_moved::moved(&c.index, candidates)
}

/// How to read a file named on the command line (or stdin): a Docker
/// config is recognized by its content too, whatever its name
/// (`~/.docker/config.json` piped, copied or saved as `desktop.json`).
fn explicit_kind(kind: InputKind, bytes: &[u8]) -> InputKind {
    match kind {
        InputKind::Manifest => {
            super::input::sniff_docker_config(bytes).map_or(kind, InputKind::DockerConfig)
        }
        _ => kind,
    }
}

/// A selection of no rule: the walk only collects.
fn quiet_selection() -> Selection {
    Selection {
        select: Some(BTreeSet::new()),
        ignore: BTreeSet::new(),
    }
}

/// Reads every input: per-file findings, the index (finished) and the
/// pending pods.
fn walk_inputs(
    linter: &Linter,
    configs: &dyn FileLinters,
    paths: &[PathBuf],
    context: Option<(&Path, bool)>,
    threads: usize,
) -> Option<Collected> {
    let collected = Mutex::new(Collected {
        outcome: Outcome::default(),
        errors: Vec::new(),
        generated: Vec::new(),
        seen_configs: BTreeSet::new(),
        index: WorkspaceIndex::default(),
        pods: BTreeMap::new(),
        seen_files: BTreeSet::new(),
        pull_secrets: Vec::new(),
        pending_seals: Vec::new(),
    });
    let add = |shown: &str,
               path: Option<&Path>,
               file_linter: (usize, &Arc<Linter>),
               mut result: FileResult| {
        if let Ok(mut c) = collected.lock() {
            if let Some(message) = &result.over_limit {
                c.errors.push(WalkError::Limit {
                    path: shown.to_string(),
                    message: message.clone(),
                });
            }
            c.outcome.summary.files += 1;
            c.outcome.checked.push(shown);
            c.outcome.summary.objects += result.objects;
            c.outcome.summary.skipped_templates += usize::from(result.skipped_template);
            c.outcome.findings.extend(result.findings);
            c.generated.extend(result.generated);
            c.index.add(std::mem::take(&mut result.index));
            if !result.pods.is_empty() {
                let (number, file_linter) = file_linter;
                c.pods
                    .entry(number)
                    .or_insert_with(|| (file_linter.clone(), Vec::new()))
                    .1
                    .extend(result.pods);
            }
            c.pull_secrets.extend(result.pull_secrets);
            c.pending_seals.extend(result.pending_seals);
            if let Some(p) = path {
                c.seen_configs.insert(super::kustomize::lexically_normal(p));
            }
        }
    };
    let seen = |path: &Path| {
        // Resolved before the lock is taken: it costs syscalls.
        let Ok(canonical) = path.canonicalize() else {
            return;
        };
        if let Ok(mut c) = collected.lock() {
            c.seen_files.insert(canonical);
        }
    };
    let fail = |error: WalkError| {
        if let Ok(mut c) = collected.lock() {
            c.errors.push(error);
        }
    };
    let (stdin, files): (Vec<&PathBuf>, Vec<&PathBuf>) =
        paths.iter().partition(|p| p.as_os_str() == "-");
    // A missing input is reported; the others are still linted.
    let (files, missing): (Vec<&PathBuf>, Vec<&PathBuf>) =
        files.into_iter().partition(|p| p.exists());
    for p in missing {
        fail(WalkError::Io {
            path: display(p),
            message: why_missing(p),
        });
    }
    // `--force-exclude`: `skip:` applies to named files too (pre-commit
    // names every file it checks).
    let files = match linter.force_exclude {
        true => match skipped_names(linter, &files) {
            Ok(skipped) => files.into_iter().filter(|p| !skipped.contains(p)).collect(),
            Err(error) => {
                fail(error);
                Vec::new()
            }
        },
        false => files,
    };
    let base = Arc::new(linter.clone());
    if !stdin.is_empty() {
        match read_stdin(linter) {
            Ok(bytes) => {
                let kind = explicit_kind(InputKind::Manifest, &bytes);
                add(
                    STDIN_NAME,
                    None,
                    (0, &base),
                    linter.collect_source(STDIN_NAME, None, &bytes, kind),
                )
            }
            Err(error) => fail(read_error(error, STDIN_NAME)),
        }
    }
    if let Some((first, rest)) = files.split_first() {
        match walker(linter, first, rest, threads) {
            Ok((builder, ignores)) => {
                builder.build_parallel().run(|| {
                    Box::new(|entry| {
                        let entry = match entry {
                            Ok(entry) => entry,
                            Err(e) => {
                                fail(walk_error(e));
                                return WalkState::Continue;
                            }
                        };
                        // Regular files only: FIFOs, sockets and devices met
                        // by the walk are passed over; named on the command
                        // line, the reader refuses them with what they are.
                        let named = entry.depth() == 0 && !entry.path().is_dir();
                        if !named && !entry.file_type().is_some_and(|t| t.is_file()) {
                            return WalkState::Continue;
                        }
                        let path = entry.path();
                        let Some(kind) = classify(path, entry.depth() == 0) else {
                            return WalkState::Continue;
                        };
                        let (number, file_linter) = match configs.linter_for(path) {
                            Ok(Some(found)) => found,
                            Ok(None) => return WalkState::Continue,
                            Err(error) => {
                                fail(error);
                                return WalkState::Continue;
                            }
                        };
                        if context.is_some() {
                            seen(path);
                        }
                        let follow = if entry.depth() == 0 {
                            Follow::Yes
                        } else {
                            Follow::No
                        };
                        match read_file(path, &file_linter, follow) {
                            Ok(bytes) => {
                                let shown = display(path);
                                let kind = match entry.depth() {
                                    0 => explicit_kind(kind, &bytes),
                                    _ => kind,
                                };
                                let result =
                                    file_linter.collect_source(&shown, path.parent(), &bytes, kind);
                                let config =
                                    matches!(kind, InputKind::DockerConfig(_)).then_some(path);
                                add(&shown, config, (number, &file_linter), result);
                            }
                            Err(error) => fail(read_error(error, &display(path))),
                        }
                        WalkState::Continue
                    })
                });
                for error in ignores.take_errors() {
                    fail(error);
                }
            }
            Err(e) => fail(e),
        }
    }
    configs.walked();
    let mut c = collected.into_inner().ok()?;
    // The context's index is only asked by pods (their pull secrets and
    // ServiceAccounts) and by SealedSecrets that a kustomization may move:
    // named files without either need no context at all.
    let asks = !c.pods.is_empty() || !c.pending_seals.is_empty();
    if let Some((context, cache)) = context.filter(|_| asks) {
        // Its files are shown as the inputs are spelled (`crate::shown_path`).
        let shown = match paths.iter().find(|p| p.as_os_str() != "-") {
            Some(named) => as_named(&file_key(context), named),
            None => context.to_path_buf(),
        };
        index_context(linter, (context, &shown), &mut c, threads, cache);
    }
    // Docker configs named by kustomizations, not already linted as such.
    let generated = std::mem::take(&mut c.generated);
    let mut done = c.seen_configs.clone();
    for g in generated {
        if !done.insert(g.path.clone()) {
            continue;
        }
        let bytes = match read_generated(linter, &g) {
            Ok(bytes) => bytes,
            Err(None) => continue,
            Err(Some(error)) => {
                c.errors.push(error);
                continue;
            }
        };
        let name = display(&g.path);
        let result = linter.collect_source(&name, None, &bytes, InputKind::DockerConfig(g.format));
        c.outcome.summary.files += 1;
        c.outcome.checked.push(&name);
        c.outcome.findings.extend(result.findings);
        c.index.add(result.index);
        c.pull_secrets.extend(result.pull_secrets);
    }
    // What the walk collected is kept to the end of the run: without the
    // room its lists grew into.
    c.outcome.findings.shrink_to_fit();
    c.outcome.checked.shrink_to_fit();
    for (_, pods) in c.pods.values_mut() {
        pods.shrink_to_fit();
    }
    // The walk's threads freed the files' trees; give that memory back
    // before the index is built on this thread's own heap.
    crate::lint::memory::release_freed();
    c.index.finish();
    Some(c)
}

/// The limit every linted file and stdin is read under.
fn file_limit(linter: &Linter) -> Limit {
    Limit {
        max: linter.config.limits.max_file_bytes,
        name: "limits.max-file-bytes in .regcred.yaml",
    }
}

/// A read error as a report line: over a limit, or an I/O error.
fn read_error(error: ReadError, path: &str) -> WalkError {
    let path = path.to_string();
    match error {
        ReadError::TooLarge { .. } => WalkError::Limit {
            path,
            message: format!("{error}; not linted"),
        },
        _ => WalkError::Io {
            path,
            message: error.to_string(),
        },
    }
}

fn read_stdin(linter: &Linter) -> Result<Vec<u8>, ReadError> {
    bounded_read::read_stream(std::io::stdin().lock(), file_limit(linter), 0)
}

/// Reads a regular file under the size limit; `follow`: whether a link
/// named here is followed (one named on the command line is; one the walk
/// saw as a file must still be one).
fn read_file(path: &Path, linter: &Linter, follow: Follow) -> Result<Vec<u8>, ReadError> {
    bounded_read::read_file(path, file_limit(linter), follow)
}

/// An error of the walk, with the path it is about in its place (not
/// `: ./path` inside the message).
fn walk_error(error: ignore::Error) -> WalkError {
    match error {
        ignore::Error::WithPath { path, err } => match walk_error(*err) {
            WalkError::Io { message, .. } => WalkError::Io {
                path: display(&path),
                message,
            },
            other => other,
        },
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(*err)
        }
        ignore::Error::Loop { child, .. } => WalkError::Io {
            path: display(&child),
            message: "a symbolic link loop".into(),
        },
        ignore::Error::Io(e) => WalkError::Io {
            path: String::new(),
            message: e.to_string(),
        },
        other => WalkError::Io {
            path: String::new(),
            message: other.to_string(),
        },
    }
}

/// Why a named path cannot be found: a symbolic link loop, a dangling link
/// and a folder on the path that cannot be searched are not "no such
/// file".
fn why_missing(path: &Path) -> String {
    match std::fs::metadata(path) {
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => "a symbolic link loop".into(),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => e.to_string(),
        Err(_) if std::fs::symlink_metadata(path).is_ok() => {
            "a symbolic link to a file that does not exist".into()
        }
        _ => "no such file or directory".into(),
    }
}

/// Which of the named `files` the config's `skip:` patterns exclude, as
/// the walk excludes what it finds (gitignore-style, relative to the
/// config's folder; a file in a skipped folder is skipped).
fn skipped_names<'a>(
    linter: &Linter,
    files: &[&'a PathBuf],
) -> Result<Vec<&'a PathBuf>, WalkError> {
    let skip = &linter.config.skip;
    if skip.is_empty() {
        return Ok(Vec::new());
    }
    // Lexically normal: `app/../vendor/a.yaml` is below `vendor/`.
    let absolute = file_key;
    let root = linter.config.root().filter(|r| !r.as_os_str().is_empty());
    let root = absolute(root.unwrap_or(Path::new(".")));
    let mut builder = ignore::gitignore::GitignoreBuilder::new(&root);
    for pattern in skip {
        builder
            .add_line(None, pattern)
            .map_err(|e| WalkError::Skip {
                pattern: pattern.clone(),
                message: e.to_string(),
            })?;
    }
    let globs = builder.build().map_err(|e| WalkError::Skip {
        pattern: String::new(),
        message: e.to_string(),
    })?;
    Ok(files
        .iter()
        .copied()
        .filter(|p| {
            // Patterns only reach below the config's folder.
            let Ok(relative) = absolute(p).strip_prefix(&root).map(Path::to_path_buf) else {
                return false;
            };
            !relative.as_os_str().is_empty()
                && globs
                    .matched_path_or_any_parents(&relative, p.is_dir())
                    .is_ignore()
        })
        .collect())
}

/// A file a kustomization's secretGenerator names, read only if
/// kustomize would read it (its load restrictor). `Err(None)`: missing or
/// unreadable, kustomize's error to report, not ours.
fn read_generated(linter: &Linter, g: &GeneratedPayload) -> Result<Vec<u8>, Option<WalkError>> {
    let shown = display(&g.path);
    let (path, follow) =
        match load_restrictor::confine(&g.root, &g.path, linter.load_restrictor, Lift::Flag) {
            // Resolved: a link swapped in since is not followed.
            Ok(real) if linter.load_restrictor == LoadRestrictor::RootOnly => (real, Follow::No),
            Ok(path) => (path, Follow::Yes),
            Err(LoadError::Io { .. }) => return Err(None),
            Err(error) => {
                return Err(Some(WalkError::Io {
                    path: shown,
                    message: error.to_string(),
                }))
            }
        };
    match read_file(&path, linter, follow) {
        Ok(bytes) => Ok(bytes),
        Err(ReadError::Io(_)) => Err(None),
        Err(error) => Err(Some(read_error(error, &shown))),
    }
}

/// The walk of `first` and `rest`, with the `.gitignore` rules it applies
/// (read by [`GitIgnores`], not by the `ignore` crate: its errors are the
/// walk's).
fn walker(
    linter: &Linter,
    first: &Path,
    rest: &[&PathBuf],
    threads: usize,
) -> Result<(WalkBuilder, Arc<GitIgnores>), WalkError> {
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    let ignores = Arc::new(GitIgnores::default());
    let filter = ignores.clone();
    let root = linter.config.root().unwrap_or(Path::new("."));
    let skip = WalkSkip::new(root, &linter.config.skip)?;
    builder
        .hidden(false)
        .ignore(false)
        .git_ignore(false)
        .git_exclude(false)
        .git_global(false)
        .parents(false)
        // `index_context` relies on it: paths below a root hold no link.
        .follow_links(false)
        .threads(threads)
        .filter_entry(move |e| {
            e.file_name() != ".git"
                && !skip.as_ref().is_some_and(|skip| {
                    skip.skips(e.path(), e.file_type().is_some_and(|t| t.is_dir()))
                })
                && !filter.ignored(e)
        });
    Ok((builder, ignores))
}

/// Indexes the files of `context` that the report walk did not read: their
/// findings are dropped, their index parts kept (with `cache`, taken from
/// and saved to the context cache). Payload files their kustomizations
/// generate are indexed too. Messages name them below `shown`, the
/// context spelled as the inputs are.
fn index_context(
    linter: &Linter,
    (context, shown): (&Path, &Path),
    c: &mut Collected,
    threads: usize,
    cache: bool,
) {
    // No rule runs on context files: only their index parts are kept.
    let mut quiet = Linter::new(linter.config.clone(), quiet_selection())
        .unwrap_or_default()
        .for_index_only();
    quiet.load_restrictor = linter.load_restrictor;
    let linter = &quiet;
    let cache = match cache {
        true => ContextCache::open(context, cache_key(linter, context, shown)),
        false => None,
    };
    let parts = Mutex::new((Vec::new(), Vec::new()));
    let seen = &c.seen_files;
    // The walk follows no symbolic link below the context's root, so a
    // file's canonical path is the root's with the same relative path: no
    // syscall (nor path built) per file to tell whether it was read
    // already, only its path below the root looked up.
    let canonical_root = context.canonicalize().ok();
    let seen_below: HashSet<&Path> = match &canonical_root {
        Some(root) => seen
            .iter()
            .filter_map(|p| p.strip_prefix(root).ok())
            .collect(),
        None => HashSet::new(),
    };
    let plain = shown.as_os_str().is_empty() || shown == Path::new(".");
    let show_relative = |relative: &Path| match plain {
        true => display(relative),
        false => display(&shown.join(relative)),
    };
    let show = |path: &Path| match path.strip_prefix(context) {
        Ok(relative) => show_relative(relative),
        Err(_) => display(path),
    };
    // Its `.gitignore` errors are not reported: context files are only indexed.
    let Ok((builder, _)) = walker(linter, context, &[], threads) else {
        return;
    };
    builder.build_parallel().run(|| {
        let mut stamper = Stamper::default();
        let mut near = 0;
        let (cache, parts, canonical_root) = (&cache, &parts, &canonical_root);
        let (seen_below, show_relative) = (&seen_below, &show_relative);
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let path = entry.path();
            let Some(kind) = classify(path, false) else {
                return WalkState::Continue;
            };
            let relative = path.strip_prefix(context);
            let was_seen = match (&canonical_root, &relative) {
                (Some(_), Ok(relative)) => seen_below.contains(relative),
                _ => path.canonicalize().is_ok_and(|p| seen.contains(&p)),
            };
            let named = match &relative {
                Ok(relative) => show_relative(relative),
                Err(_) => display(path),
            };
            // Read before the file's bytes: an edit after it is seen next run.
            let probe = match (&cache, &relative) {
                (Some(cache), Ok(relative)) => stamper
                    .stamp(path)
                    .or_else(|| entry.metadata().ok().as_ref().and_then(Stamp::of))
                    .and_then(|stamp| cache.probe(relative, &named, stamp, &mut near)),
                _ => None,
            };
            if was_seen {
                if let Some(probe) = probe {
                    probe.keep();
                }
                return WalkState::Continue;
            }
            if let Some((part, generated)) = probe.as_ref().and_then(Probe::part) {
                if let Ok(mut p) = parts.lock() {
                    p.0.push(part);
                    p.1.extend(generated);
                }
                return WalkState::Continue;
            }
            // Context files are only indexed: one over the limits is passed over.
            if let Ok(bytes) = read_file(path, linter, Follow::No) {
                let result = linter.collect_source(&named, path.parent(), &bytes, kind);
                if let Some(probe) = probe {
                    probe.record(&result.index, &result.generated);
                }
                if let Ok(mut p) = parts.lock() {
                    p.0.push(result.index);
                    p.1.extend(result.generated);
                }
            }
            WalkState::Continue
        })
    });
    if let Some(cache) = cache {
        cache.save();
    }
    let Ok((indexes, generated)) = parts.into_inner() else {
        return;
    };
    for part in indexes {
        c.index.add(part);
    }
    for g in generated {
        if let Ok(bytes) = read_generated(linter, &g) {
            let result = linter.collect_source(
                &show(&g.path),
                None,
                &bytes,
                InputKind::DockerConfig(g.format),
            );
            c.index.add(result.index);
        }
    }
}

/// What a context's cached index parts depend on besides each file: this
/// build of regcred, the (index-only) linter with its configuration, the
/// folder the context names, and how its files are `shown` (the parts
/// hold their paths so). A relative context is keyed by the folder it
/// names, so `--context .` from two folders never shares an entry; the
/// findings never depend on where regcred runs.
fn cache_key(linter: &Linter, context: &Path, shown: &Path) -> String {
    let executable = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .and_then(|m| Stamp::of(&m));
    let folder = std::path::absolute(context).ok();
    format!(
        "regcred {} ({})\nexecutable {executable:?}\nlinter {linter:?}\ncontext {folder:?}\nshown {shown:?}",
        env!("CARGO_PKG_VERSION"),
        env!("REGCRED_GIT_COMMIT"),
    )
}

/// Paths as reports show them: relative as walked, without a leading `./`.
fn display(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path);
    shown.display().to_string()
}
