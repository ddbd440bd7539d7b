//! Which `.regcred.yaml` configures a file: the nearest one from the
//! file's folder upwards, stopping at the workspace's root (as ruff finds
//! the closest configuration of each file). [`ConfigTree`] answers it for
//! every file a walk finds, one lookup per folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::roots::absolute;
use crate::lint::config::{Config, FILE_NAME};
use crate::lint::context_cache::owned_or_root_meta;
use crate::lint::walk::{FileLinters, WalkError};
use crate::lint::{Linter, Selection};
use crate::report::escape::controls;
use crate::shown_path::as_named;

/// What the command line sets on every linter (`--load-restrictor`,
/// `--force-exclude`).
pub type Tune = Box<dyn Fn(&mut Linter) + Send + Sync>;

/// Folders whose `.regcred.yaml` files are used whoever owns them: the
/// repository and the linted folders. Any other (found above the inputs,
/// outside a repository) is used only if the user running regcred or root
/// owns it, else passed over with a warning (docs/limits.md, "Configuration
/// files of other users"), as git passes over a repository of another user.
#[derive(Debug, Clone, Default)]
pub struct Trusted(Vec<PathBuf>);

impl Trusted {
    /// `folders` absolute.
    pub fn new(folders: impl IntoIterator<Item = PathBuf>) -> Trusted {
        Trusted(folders.into_iter().collect())
    }

    /// Whether the configuration `candidate` (`meta` its own, not followed)
    /// may be used; warns once when not, naming it as `named` (the input,
    /// or a path walked from it) is spelled.
    fn allows(&self, candidate: &Path, meta: &std::fs::Metadata, named: &Path) -> bool {
        if self.0.iter().any(|f| candidate.starts_with(f)) || owned_or_root_meta(meta) {
            return true;
        }
        warn_once(candidate, &as_named(candidate, named));
        false
    }
}

/// One `warning:` line on stderr per configuration passed over, naming it
/// as `shown`: the same tree linted from anywhere gives the same line.
fn warn_once(candidate: &Path, shown: &Path) {
    static WARNED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let mut warned = match WARNED.lock() {
        Ok(warned) => warned,
        Err(poisoned) => poisoned.into_inner(),
    };
    if warned.iter().any(|w| w == candidate) {
        return;
    }
    warned.push(candidate.to_path_buf());
    eprintln!(
        "warning: {}: not used: owned by another user, and outside the linted folders and any git repository",
        controls(&shown.display().to_string())
    );
}

/// Whether `dir` holds a `.regcred.yaml` that may be used: whatever it is
/// but a folder (a FIFO or a link to a device is then refused by the
/// reader, not passed over). `named`: what the lookup started from, as
/// the user spelled it (a warning names the file as it is spelled).
fn holds_config(dir: &Path, trusted: &Trusted, named: &Path) -> Option<PathBuf> {
    let candidate = dir.join(FILE_NAME);
    std::fs::symlink_metadata(&candidate)
        .is_ok_and(|m| !m.is_dir() && trusted.allows(&candidate, &m, named))
        .then_some(candidate)
}

/// The nearest `.regcred.yaml` from `dir` upwards, `dir` included, not
/// above `stop` when given; `named` is the input it is looked up for.
pub fn nearest_config(
    dir: &Path,
    stop: Option<&Path>,
    trusted: &Trusted,
    named: &Path,
) -> Option<PathBuf> {
    for d in dir.ancestors() {
        if let Some(candidate) = holds_config(d, trusted, named) {
            return Some(candidate);
        }
        if Some(d) == stop {
            break;
        }
    }
    None
}

/// A configuration file read and checked: its linter, and its `skip`
/// globs as they apply to files below it.
#[derive(Debug)]
struct Loaded {
    linter: Arc<Linter>,
    skip: Option<Gitignore>,
}

/// What a folder's lookup found: a position in [`State::found`].
type Found = u32;

/// Folders by a hash of their path, not the path: a walk meets one entry
/// per folder (a repository of 220,000 files has 100,000 folders), and
/// each kept its path twice (as walked and absolute) with a
/// `Result<usize, WalkError>` (docs/limits.md, "Memory"). The hashers'
/// keys are random per run, so no folder name can be chosen to collide, and
/// the key is 128 bits (two hashers): a chance collision, which would give
/// a folder another folder's configuration, is out of reach (about n²/2¹²⁹
/// for n folders).
#[derive(Debug, Default)]
struct State {
    hashers: [std::hash::RandomState; 2],
    /// Folder as walked, then absolute: what its lookup found.
    by_walked: HashMap<u128, Found>,
    by_folder: HashMap<u128, Found>,
    /// The distinct outcomes of lookups: a configuration's number, or why
    /// the nearest one cannot be used.
    found: Vec<Result<usize, WalkError>>,
    /// Number 0 is the base.
    loaded: Vec<Loaded>,
}

impl State {
    fn key(&self, path: &Path) -> u128 {
        let [low, high] = self
            .hashers
            .each_ref()
            .map(|h| std::hash::BuildHasher::hash_one(h, path));
        u128::from(high) << 64 | u128::from(low)
    }

    /// The position of `outcome` in `found`, added when new (configurations
    /// are few, so are errors).
    fn found_at(&mut self, outcome: Result<usize, WalkError>) -> Found {
        let same = |f: &Result<usize, WalkError>| match (f, &outcome) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => a.to_string() == b.to_string(),
            _ => false,
        };
        let at = match self.found.iter().position(same) {
            Some(at) => at,
            None => {
                self.found.push(outcome);
                self.found.len() - 1
            }
        };
        Found::try_from(at).unwrap_or(Found::MAX)
    }

    fn outcome(&self, found: Found) -> Result<usize, WalkError> {
        let at = usize::try_from(found).unwrap_or(usize::MAX);
        self.found.get(at).cloned().unwrap_or(Ok(0))
    }
}

/// The configuration of each file of one workspace.
pub struct ConfigTree {
    /// No configuration above it is looked at.
    root: Option<PathBuf>,
    selection: Selection,
    tune: Tune,
    /// `--config`: every file has the base.
    explicit: bool,
    trusted: Trusted,
    state: Mutex<State>,
}

impl ConfigTree {
    /// `base` configures the files no other `.regcred.yaml` configures:
    /// the one at `root` (or, `explicit`, `--config`, for every file);
    /// `None`, the defaults. `shown` is how its errors name it; `trusted`
    /// the folders whose configurations anyone may own.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        root: Option<PathBuf>,
        base: Option<&Path>,
        shown: Option<&Path>,
        explicit: bool,
        trusted: Trusted,
        selection: Selection,
        tune: Tune,
    ) -> Result<ConfigTree, String> {
        let named = base.map(|base| (base, shown.unwrap_or(base)));
        let loaded = load(named, &selection, &tune)?;
        let mut state = State::default();
        if let (Some(root), Some(base)) = (&root, base) {
            if !explicit && base.parent() == Some(root.as_path()) {
                let (key, found) = (state.key(root), state.found_at(Ok(0)));
                state.by_folder.insert(key, found);
            }
        }
        state.loaded.push(loaded);
        Ok(ConfigTree {
            root,
            selection,
            tune,
            explicit,
            trusted,
            state: Mutex::new(state),
        })
    }

    /// The linter of the files no other configuration claims.
    pub fn base(&self) -> Arc<Linter> {
        match self.state.lock() {
            Ok(state) => state.loaded[0].linter.clone(),
            Err(poisoned) => poisoned.into_inner().loaded[0].linter.clone(),
        }
    }

    /// The configuration number of the folder `walked` (a walked path's
    /// parent), cached.
    fn number(&self, state: &mut State, walked: &Path) -> Result<usize, WalkError> {
        let key = state.key(walked);
        if let Some(&found) = state.by_walked.get(&key) {
            return state.outcome(found);
        }
        let folder = absolute(walked);
        let found = self.number_of_folder(state, &folder, walked);
        state.by_walked.insert(key, found);
        state.outcome(found)
    }

    /// `walked` is `folder` as walked: errors name a configuration as the
    /// walk would.
    fn number_of_folder(&self, state: &mut State, folder: &Path, walked: &Path) -> Found {
        let mut visited = Vec::new();
        let mut found = None;
        for d in folder.ancestors() {
            let key = state.key(d);
            if let Some(&known) = state.by_folder.get(&key) {
                found = Some(known);
                break;
            }
            visited.push(key);
            if let Some(candidate) = holds_config(d, &self.trusted, walked) {
                let shown = as_named(&candidate, walked);
                let outcome = match load(Some((&candidate, &shown)), &self.selection, &self.tune) {
                    Ok(loaded) => {
                        state.loaded.push(loaded);
                        Ok(state.loaded.len() - 1)
                    }
                    Err(message) => Err(WalkError::Config {
                        path: shown.display().to_string(),
                        message,
                    }),
                };
                found = Some(state.found_at(outcome));
                break;
            }
            if Some(d) == self.root.as_deref() {
                break;
            }
        }
        let found = match found {
            Some(found) => found,
            None => state.found_at(Ok(0)),
        };
        for key in visited {
            state.by_folder.insert(key, found);
        }
        found
    }
}

impl FileLinters for ConfigTree {
    /// The lookups by walked folder are freed (a number per folder of the
    /// repository, kept to the end of the run); those by absolute folder
    /// stay: they keep each configuration loaded once.
    fn walked(&self) {
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        state.by_walked = HashMap::new();
    }

    fn linter_for(&self, file: &Path) -> Result<Option<(usize, Arc<Linter>)>, WalkError> {
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        if self.explicit {
            return Ok(Some((0, state.loaded[0].linter.clone())));
        }
        let folder = file.parent().unwrap_or(Path::new(""));
        let number = self.number(&mut state, folder)?;
        let loaded = &state.loaded[number];
        // The base's `skip` already pruned the walk.
        if number != 0 {
            if let Some(skip) = &loaded.skip {
                if skip
                    .matched_path_or_any_parents(absolute(file), false)
                    .is_ignore()
                {
                    return Ok(None);
                }
            }
        }
        Ok(Some((number, loaded.linter.clone())))
    }
}

/// Reads and checks a configuration, (path, as errors name it) (`None`:
/// the defaults). Each line of an error names the file.
fn load(
    path: Option<(&Path, &Path)>,
    selection: &Selection,
    tune: &Tune,
) -> Result<Loaded, String> {
    let (config, shown) = match path {
        Some((path, shown)) => (
            Config::load(path).map_err(|e| e.shown_as(shown).to_string())?,
            format!("{}: ", shown.display()),
        ),
        None => (Config::default(), String::new()),
    };
    let skip = match (config.root(), config.skip.is_empty()) {
        (Some(root), false) => {
            let mut builder = GitignoreBuilder::new(absolute(root));
            for pattern in &config.skip {
                builder
                    .add_line(None, pattern)
                    .map_err(|e| format!("{shown}invalid skip pattern {pattern:?}: {e}"))?;
            }
            Some(builder.build().map_err(|e| format!("{shown}{e}"))?)
        }
        _ => None,
    };
    let mut linter = Linter::new(config, selection.clone()).map_err(|e| format!("{shown}{e}"))?;
    tune(&mut linter);
    Ok(Loaded {
        linter: Arc::new(linter),
        skip,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After the walk frees its lookups by walked folder, each file gets
    /// the same configuration number, and no configuration is loaded twice.
    #[test]
    fn lookups_after_the_walk_give_the_same_numbers() {
        let root = tempfile::tempdir().unwrap();
        let inner = root.path().join("team/app");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(inner.join(FILE_NAME), "rules: {}\n").unwrap();
        let tree = ConfigTree::new(
            Some(root.path().to_path_buf()),
            None,
            None,
            false,
            Trusted::new([root.path().to_path_buf()]),
            Selection::default(),
            Box::new(|_: &mut Linter| {}),
        )
        .unwrap();
        let files = [
            inner.join("deploy.yaml"),
            inner.join("sub/pod.yaml"),
            root.path().join("team/other.yaml"),
        ];
        let number = |file: &Path| tree.linter_for(file).unwrap().map(|(n, _)| n);
        let before: Vec<_> = files.iter().map(|f| number(f)).collect();
        assert_eq!(before, [Some(1), Some(1), Some(0)]);
        tree.walked();
        let after: Vec<_> = files.iter().map(|f| number(f)).collect();
        assert_eq!(after, before);
        let loaded = tree.state.lock().map(|s| s.loaded.len()).unwrap();
        assert_eq!(loaded, 2);
    }
}
