//! How a path found from an input (its `.regcred.yaml`, its root, a file
//! of its context) is shown: spelled as the input is, so that a message
//! names what is linted, never where the repository sits
//! (docs/architecture.md, "Workspaces").

use std::path::{Component, Path, PathBuf};

use crate::lint::index::file_key;

/// `found` (absolute and normal, found from the input `named`) spelled as
/// `named` is: absolute when `named` is, else relative to the current
/// folder, as the files a walk finds below a relative input are shown.
pub fn as_named(found: &Path, named: &Path) -> PathBuf {
    if named.is_absolute() {
        return found.to_path_buf();
    }
    relative_to(found, &file_key(Path::new("."))).unwrap_or_else(|| found.to_path_buf())
}

/// `other` (absolute and normal) spelled as `file` is shown (`shown`):
/// absolute when `shown` is, else the way from `file` to `other` added to
/// `shown`'s folder, so a message about one object names a file of its
/// build the same from any current folder.
pub fn beside(other: &Path, file: &Path, shown: &Path) -> PathBuf {
    let from = file.parent().unwrap_or(file);
    let (true, Some(way)) = (shown.is_relative(), relative_to(other, from)) else {
        return other.to_path_buf();
    };
    let mut out: Vec<Component> = shown
        .parent()
        .map_or(Vec::new(), |p| p.components().collect());
    for step in way.components() {
        match (step, out.last()) {
            (Component::ParentDir, Some(Component::Normal(_))) => {
                out.pop();
            }
            (Component::CurDir, _) => {}
            _ => out.push(step),
        }
    }
    match out.is_empty() {
        true => PathBuf::from("."),
        false => out.into_iter().collect(),
    }
}

/// `path` from `base` (both absolute and normal): `..` for each component
/// of `base` below their common part, then the rest of `path`; `.` for
/// `base` itself; `None` when they share no root (two Windows drives).
fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let (mut path, mut base) = (path.components().peekable(), base.components().peekable());
    let mut shared = 0;
    while let (Some(p), Some(b)) = (path.peek(), base.peek()) {
        if p != b {
            break;
        }
        path.next();
        base.next();
        shared += 1;
    }
    if shared == 0 {
        return None;
    }
    let mut out: PathBuf = base.map(|_| Component::ParentDir).collect();
    out.extend(path);
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_paths_are_spelled_as_the_input_is() {
        let here = file_key(Path::new("."));
        let config = here.join("k8s/.regcred.yaml");
        assert_eq!(
            as_named(&config, Path::new("k8s")),
            Path::new("k8s/.regcred.yaml")
        );
        assert_eq!(as_named(&config, Path::new("/k8s")), config);
        if let Some(parent) = here.parent() {
            assert_eq!(
                as_named(&parent.join(".regcred.yaml"), Path::new(".")),
                Path::new("../.regcred.yaml")
            );
        }
        assert_eq!(as_named(&here, Path::new("a.yaml")), Path::new("."));
    }

    #[test]
    fn a_file_of_the_same_build_is_spelled_as_its_neighbour_is() {
        let b = |o: &str, f: &str, s: &str| beside(Path::new(o), Path::new(f), Path::new(s));
        assert_eq!(
            b("/r/prod", "/r/base/s.yaml", "base/s.yaml"),
            Path::new("prod")
        );
        assert_eq!(
            b("/r/prod", "/r/base/s.yaml", "r/base/s.yaml"),
            Path::new("r/prod")
        );
        assert_eq!(b("/r/base", "/r/base/s.yaml", "s.yaml"), Path::new("."));
        assert_eq!(b("/r", "/r/base/s.yaml", "s.yaml"), Path::new(".."));
        assert_eq!(
            b("/r/prod", "/r/base/s.yaml", "../base/s.yaml"),
            Path::new("../prod")
        );
        assert_eq!(
            b("/r/prod", "/r/base/s.yaml", "/r/base/s.yaml"),
            Path::new("/r/prod")
        );
    }

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        let r = |p: &str, b: &str| relative_to(Path::new(p), Path::new(b));
        assert_eq!(r("/a/b/c", "/a/x/y"), Some(PathBuf::from("../../b/c")));
        assert_eq!(r("/a", "/a/b"), Some(PathBuf::from("..")));
        assert_eq!(r("/a/b", "/a"), Some(PathBuf::from("b")));
        assert_eq!(r("/", "/"), Some(PathBuf::from(".")));
        assert_eq!(r("/a", "b"), None);
    }
}
