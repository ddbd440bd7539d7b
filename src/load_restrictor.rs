//! Files a kustomization (or a `PullSecret` generator config) names are
//! confined to its root, as kustomize's load restrictor confines them
//! (docs/kustomize.md): the path, with every symbolic link resolved, must be
//! in or below the root, itself resolved. `..`, absolute paths such as
//! `/proc/self/environ` and links leaving the root are refused with
//! kustomize's own words, so a repository cannot make regcred read (and
//! report on) files from anywhere. `LoadRestrictionsNone` lifts it, as
//! `kustomize build --load-restrictor LoadRestrictionsNone` does.

use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The environment variable that lifts the restriction where there is no
/// flag: the exec plugin and `regcred-fn`, which kustomize runs.
pub const ENV_VAR: &str = "REGCRED_LOAD_RESTRICTOR";

/// kustomize's `--load-restrictor` values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LoadRestrictor {
    /// Files in or below the root only (kustomize's default).
    #[default]
    RootOnly,
    /// Any file.
    None,
}

impl FromStr for LoadRestrictor {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "LoadRestrictionsRootOnly" => Ok(LoadRestrictor::RootOnly),
            "LoadRestrictionsNone" => Ok(LoadRestrictor::None),
            _ => Err(format!(
                "{s:?} is not a load restrictor: LoadRestrictionsRootOnly (the default) or LoadRestrictionsNone"
            )),
        }
    }
}

impl LoadRestrictor {
    /// The restriction [`ENV_VAR`] asks for (the default when unset).
    pub fn from_env() -> Result<LoadRestrictor, String> {
        match std::env::var(ENV_VAR) {
            Ok(value) => value.parse().map_err(|e| format!("{ENV_VAR}: {e}")),
            Err(_) => Ok(LoadRestrictor::RootOnly),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// kustomize's message, and how to lift the restriction. The paths are
    /// spelled as given (kustomize prints them absolute), so the message
    /// names what is linted, not where it sits.
    #[error("security; file '{}' is not in or below '{}' (kustomize's load restrictor refuses it; {how} reads it anyway)", .path.display(), .root.display())]
    Outside {
        path: PathBuf,
        root: PathBuf,
        how: &'static str,
    },
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// How a user lifts the restriction, for [`LoadError::Outside`].
#[derive(Debug, Clone, Copy)]
pub enum Lift {
    Flag,
    Env,
}

impl Lift {
    fn how(self) -> &'static str {
        match self {
            Lift::Flag => "--load-restrictor LoadRestrictionsNone",
            Lift::Env => "REGCRED_LOAD_RESTRICTOR=LoadRestrictionsNone",
        }
    }
}

/// `path` (relative paths start at the current directory) if `root` may
/// load it: the resolved path, to be opened without following a link.
/// With [`LoadRestrictor::None`], `path` itself.
pub fn confine(
    root: &Path,
    path: &Path,
    restrictor: LoadRestrictor,
    lift: Lift,
) -> Result<PathBuf, LoadError> {
    if restrictor == LoadRestrictor::None {
        return Ok(path.to_path_buf());
    }
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| LoadError::Io { path: p, source }
    };
    let real_root = root.canonicalize().map_err(io(root))?;
    // Without a leading `./`, as reports show paths.
    let shown = |p: &Path| match p.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => p.to_path_buf(),
    };
    let outside = || LoadError::Outside {
        path: shown(path),
        root: shown(root),
        how: lift.how(),
    };
    match path.canonicalize() {
        Ok(real) if real.starts_with(&real_root) => Ok(real),
        Ok(_) => Err(outside()),
        // Unresolvable (missing, a dangling link, `/dev/stdin` on a pipe):
        // outside if its spelling already leaves the root.
        Err(source) => {
            let absolute = std::path::absolute(path).map_err(io(path))?;
            let inside = resolved_ancestor(&absolute).is_some_and(|p| p.starts_with(&real_root));
            if inside {
                Err(LoadError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            } else {
                Err(outside())
            }
        }
    }
}

/// The nearest existing folder above `absolute`, resolved, when the rest of
/// the spelling goes only down from it (no `..`): where a path that does not
/// exist (`docker/missing.json` without a `docker` folder) would be.
fn resolved_ancestor(absolute: &Path) -> Option<PathBuf> {
    let mut dir = absolute.parent();
    while let Some(d) = dir {
        if let Ok(real) = d.canonicalize() {
            let rest = absolute.strip_prefix(d).ok()?;
            let down = rest
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            return down.then_some(real);
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_or_below_the_root_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("k");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/in.json"), "{}").unwrap();
        std::fs::write(dir.path().join("out.json"), "{}").unwrap();
        std::os::unix::fs::symlink("../out.json", root.join("link.json")).unwrap();
        std::os::unix::fs::symlink("sub/in.json", root.join("inner.json")).unwrap();
        let ok = |p: &str| confine(&root, &root.join(p), LoadRestrictor::RootOnly, Lift::Flag);
        assert!(ok("sub/in.json").is_ok());
        assert!(ok("sub/../sub/in.json").is_ok());
        assert!(ok("inner.json").is_ok());
        for outside in ["../out.json", "link.json", "/etc/hostname"] {
            let e = ok(outside).unwrap_err();
            assert!(
                e.to_string().starts_with("security; file '")
                    && e.to_string().contains("is not in or below"),
                "{outside}: {e}"
            );
        }
        // Named as given: a relative spelling stays relative.
        let rel = confine(
            Path::new(""),
            Path::new("../x.json"),
            LoadRestrictor::RootOnly,
            Lift::Flag,
        );
        assert!(
            rel.as_ref().is_err_and(|e| e
                .to_string()
                .starts_with("security; file '../x.json' is not in or below '.' (")),
            "{rel:?}"
        );
        assert!(matches!(ok("missing.json"), Err(LoadError::Io { .. })));
        // Missing, in a folder that is missing too: still inside the root.
        assert!(matches!(
            ok("docker/missing.json"),
            Err(LoadError::Io { .. })
        ));
        assert!(matches!(
            ok("docker/../../missing.json"),
            Err(LoadError::Outside { .. })
        ));
        assert!(matches!(
            ok("../missing.json"),
            Err(LoadError::Outside { .. })
        ));
        assert!(matches!(ok("/dev/stdin"), Err(LoadError::Outside { .. })));
        assert_eq!(
            confine(
                &root,
                Path::new("/etc/hostname"),
                LoadRestrictor::None,
                Lift::Flag
            )
            .unwrap(),
            Path::new("/etc/hostname")
        );
        assert_eq!(
            "LoadRestrictionsNone".parse::<LoadRestrictor>(),
            Ok(LoadRestrictor::None)
        );
        assert!("none".parse::<LoadRestrictor>().is_err());
    }
}
