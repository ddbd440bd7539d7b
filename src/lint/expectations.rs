//! Test-expectation files (docs/rules.md, "Test-expectation files"):
//! manifests a repository never applies, because they are what a test
//! expects to find or feeds to a policy engine offline. Content rules still
//! apply to them; they neither define nor need anything, so cross-object
//! rules are silent there and their Secrets satisfy no reference.
//!
//! Recognised by the test definitions that name them, where there is one:
//!
//! - a chainsaw `Test` (`chainsaw.kyverno.io`): the `file` of its steps'
//!   `assert` and `error` operations;
//! - a kyverno CLI `Test` (`cli.kyverno.io`): its `resources` (evaluated by
//!   the CLI, never applied) and its results' `patchedResource(s)`;
//!
//! and by path otherwise, below the repository root (a repository checked
//! out under a folder named `testdata` is still linted): any file under a
//! folder named `.chainsaw-test` or `testdata` (Go's golden outputs), or
//! another folder named in the config, and kuttl's `NN-assert*.yaml` and
//! `NN-errors*.yaml` step files.

use std::path::{Component, Path, PathBuf};

use super::kustomize::lexically_normal;
use crate::manifest::{Node, Object};
use crate::repository::repository_root;

/// Folders whose files are test data, wherever they are below the root.
pub const DEFAULT_FOLDERS: &[&str] = &[".chainsaw-test", "testdata"];

/// How test-expectation files are recognised (`test-expectations:` in the
/// config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectationSettings {
    /// `detect: false`: every file is linted as a deployable one.
    pub detect: bool,
    /// Folder names whose files are test data.
    pub folders: Vec<String>,
}

impl Default for ExpectationSettings {
    fn default() -> Self {
        ExpectationSettings {
            detect: true,
            folders: DEFAULT_FOLDERS.iter().map(|f| f.to_string()).collect(),
        }
    }
}

/// The files a test definition object names as expectations, joined to
/// `dir` (the folder of the definition's file) and made lexically normal.
pub fn named_by_test(object: &Object<'_>, dir: &Path) -> Vec<PathBuf> {
    if object.id.kind != "Test" {
        return Vec::new();
    }
    let group = object
        .id
        .api_version
        .as_deref()
        .and_then(|v| v.split('/').next())
        .unwrap_or("");
    let node = object.node;
    let mut names: Vec<&str> = Vec::new();
    match group {
        "chainsaw.kyverno.io" => {
            let steps = node.path(&["spec", "steps"]).map(Node::items);
            for step in steps.unwrap_or_default() {
                for block in ["try", "catch", "finally", "cleanup"] {
                    let operations = step.get(block).map(Node::items).unwrap_or_default();
                    for operation in operations {
                        for what in ["assert", "error"] {
                            if let Some(file) = operation.path(&[what, "file"]).and_then(Node::text)
                            {
                                names.push(file);
                            }
                        }
                    }
                }
            }
        }
        "cli.kyverno.io" => {
            let resources = node.get("resources").map(Node::items).unwrap_or_default();
            names.extend(resources.iter().filter_map(Node::text));
            let results = node.get("results").map(Node::items).unwrap_or_default();
            for result in results {
                for key in ["patchedResource", "patchedResources"] {
                    if let Some(file) = result.get(key).and_then(Node::text) {
                        names.push(file);
                    }
                }
            }
        }
        _ => {}
    }
    names
        .into_iter()
        .filter(|n| !n.is_empty() && !n.contains(['*', '?', '[']) && !n.contains("://"))
        .map(|n| lexically_normal(&dir.join(n)))
        .collect()
}

/// Whether `relative` (a file's path below its repository root, or as
/// given when there is no root) is test data by its path alone.
pub fn by_path(relative: &Path, settings: &ExpectationSettings) -> bool {
    if !settings.detect {
        return false;
    }
    let mut folders = relative.parent().into_iter().flat_map(Path::components);
    let in_test_folder = folders.any(|c| match c {
        Component::Normal(name) => settings.folders.iter().any(|f| name == f.as_str()),
        _ => false,
    });
    in_test_folder
        || relative
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_kuttl_step)
}

/// Whether the file whose key is `file` (absolute, normal) and that
/// reports show as `shown` is test data by its path. The root is looked for
/// only when some name of the whole path matches (the path below the root
/// is a part of it).
pub fn file_by_path(file: &Path, shown: &Path, settings: &ExpectationSettings) -> bool {
    by_path(file, settings) && by_path(relative_to_root(file, shown), settings)
}

/// kuttl's assert and errors step files: `00-assert.yaml`,
/// `01-errors.yaml`, `02-assert-pods.yaml`.
fn is_kuttl_step(name: &str) -> bool {
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return false;
    };
    let Some((number, rest)) = stem.split_once('-') else {
        return false;
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    ["assert", "errors"].iter().any(|kind| {
        rest.strip_prefix(kind)
            .is_some_and(|tail| tail.is_empty() || tail.starts_with('-'))
    })
}

/// `file` (absolute, normal) below the git work tree holding it, the
/// folder whose paths the conventions are read below; `shown` (the path as
/// the user gave it) when it is in no repository.
pub fn relative_to_root<'a>(file: &'a Path, shown: &'a Path) -> &'a Path {
    file.parent()
        .and_then(repository_root)
        .and_then(|root| file.strip_prefix(root).ok())
        .unwrap_or(shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{objects, parse_stream};

    #[test]
    fn conventions_by_path() {
        let s = ExpectationSettings::default();
        for yes in [
            "policies/x/.chainsaw-test/pod.yaml",
            "pkg/render/testdata/golden/out.yaml",
            "tests/e2e/basic/00-assert.yaml",
            "tests/e2e/basic/01-errors.yaml",
            "tests/e2e/basic/02-assert-pods.yml",
        ] {
            assert!(by_path(Path::new(yes), &s), "{yes}");
        }
        for no in [
            "deploy/app.yaml",
            "testdata.yaml",
            "tests/e2e/basic/00-install.yaml",
            "tests/e2e/basic/assert.yaml",
            "tests/e2e/basic/00-asserts.yaml",
            "x/-assert.yaml",
        ] {
            assert!(!by_path(Path::new(no), &s), "{no}");
        }
        let off = ExpectationSettings {
            detect: false,
            ..ExpectationSettings::default()
        };
        assert!(!by_path(Path::new("a/testdata/b.yaml"), &off));
        let custom = ExpectationSettings {
            detect: true,
            folders: vec!["golden".into()],
        };
        assert!(by_path(Path::new("a/golden/b.yaml"), &custom));
        assert!(!by_path(Path::new("a/testdata/b.yaml"), &custom));
    }

    #[test]
    fn a_repository_under_a_testdata_folder_is_not_test_data() {
        let base = tempfile::tempdir().unwrap();
        let repo = base.path().join("testdata").join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("deploy")).unwrap();
        let file = repo.join("deploy/app.yaml");
        let relative = relative_to_root(&file, &file);
        assert_eq!(relative, Path::new("deploy/app.yaml"));
        assert!(!by_path(relative, &ExpectationSettings::default()));
        let golden = repo.join("pkg/testdata/out.yaml");
        assert!(by_path(
            relative_to_root(&golden, &golden),
            &ExpectationSettings::default()
        ));
    }

    fn named(yaml: &str) -> Vec<PathBuf> {
        let docs = parse_stream(yaml).unwrap();
        objects(&docs)
            .iter()
            .flat_map(|o| named_by_test(o, Path::new("/r/t")))
            .collect()
    }

    #[test]
    fn test_definitions_name_their_expectations() {
        let chainsaw = "apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: t}\nspec:\n  steps:\n  - try:\n    - apply: {file: in.yaml}\n    - assert: {file: out.yaml}\n    - error: {file: ../gone.yaml}\n    catch:\n    - assert: {file: '*.yaml'}\n";
        assert_eq!(
            named(chainsaw),
            vec![
                PathBuf::from("/r/t/out.yaml"),
                PathBuf::from("/r/gone.yaml")
            ]
        );
        let kyverno = "apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: t}\npolicies: [../p.yaml]\nresources: [resource.yaml]\nresults:\n- patchedResources: patched1.yaml\n- patchedResource: patched2.yaml\n";
        assert_eq!(
            named(kyverno),
            vec![
                PathBuf::from("/r/t/resource.yaml"),
                PathBuf::from("/r/t/patched1.yaml"),
                PathBuf::from("/r/t/patched2.yaml")
            ]
        );
        assert!(named("apiVersion: example.com/v1\nkind: Test\nresources: [a.yaml]\n").is_empty());
    }
}
