//! The `skip:` patterns of the configuration a walk starts with, as the
//! walk applies them: gitignore-style, relative to the configuration's
//! folder. They match the walk's paths with that folder taken off their
//! start, so the folder must be spelled as the paths are: relative to the
//! current folder below a relative input, absolute below an absolute one
//! (as `shown_path::as_named` spells it). Both spellings are kept, so a run
//! that names relative and absolute inputs together skips in each what it
//! skips when that input is named alone (docs/architecture.md,
//! "Workspaces").

use std::path::Path;

use ignore::overrides::{Override, OverrideBuilder};

use super::index::file_key;
use super::walk::WalkError;
use crate::shown_path::as_named;

pub struct WalkSkip {
    /// The folder spelled relative to the current folder.
    relative: Override,
    /// The folder spelled absolute.
    absolute: Override,
}

impl WalkSkip {
    /// The patterns of the configuration in `folder`; `None` without any.
    pub fn new(folder: &Path, patterns: &[String]) -> Result<Option<WalkSkip>, WalkError> {
        if patterns.is_empty() {
            return Ok(None);
        }
        // A configuration named by a bare file name is in the current folder.
        let folder = match folder.as_os_str().is_empty() {
            true => Path::new("."),
            false => folder,
        };
        let absolute = file_key(folder);
        let relative = as_named(&absolute, Path::new("."));
        Ok(Some(WalkSkip {
            relative: globs(&relative, patterns)?,
            absolute: globs(&absolute, patterns)?,
        }))
    }

    /// Whether the walk leaves out `path` (as walked: below an input,
    /// spelled as the input is).
    pub fn skips(&self, path: &Path, is_dir: bool) -> bool {
        let globs = match path.is_absolute() {
            true => &self.absolute,
            false => &self.relative,
        };
        globs.matched(path, is_dir).is_ignore()
    }
}

/// `patterns` below `folder`, as overrides that leave out what they match.
fn globs(folder: &Path, patterns: &[String]) -> Result<Override, WalkError> {
    let mut overrides = OverrideBuilder::new(folder);
    for pattern in patterns {
        overrides
            .add(&format!("!{pattern}"))
            .map_err(|e| WalkError::Skip {
                pattern: pattern.clone(),
                message: e.to_string(),
            })?;
    }
    overrides.build().map_err(|e| WalkError::Skip {
        pattern: String::new(),
        message: e.to_string(),
    })
}
