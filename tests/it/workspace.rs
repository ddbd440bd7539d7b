//! The workspace of each input is found from the input's own place, never
//! from the folder regcred runs in (docs/architecture.md, "Workspaces"):
//! the same tree gives the same findings at the same levels from anywhere.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// A pod pulling from a registry on no list: `missing-image-pull-secrets`
/// at the level `registries.unknown` says (info by default).
const UNLISTED_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: reg.unlisted.example/a:1\n";
const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{\"auths\":{\"reg.example.com\":{\"auth\":\"dTpw\"}}}'\n";
/// Names the Secret above, whose key the kubelet does not match to the
/// image (another port): `image-pull-secret-no-match` when the Secret is
/// indexed, `image-pull-secret-not-found` when it is not.
const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      imagePullSecrets:\n      - name: regcred\n      containers:\n      - name: web\n        image: reg.example.com:5000/web:1.0\n";

/// (canonical path, line, column, rule, level) of each finding.
type Found = BTreeSet<(PathBuf, u64, u64, String, String)>;

/// `regcred lint --format json ARGS` run in `cwd`: the findings with their
/// paths made canonical (they are shown as given), the report, the exit code.
fn lint(cwd: &Path, args: &[&str]) -> (Found, Value, i32) {
    let (report, code) = common::lint_json(cwd, args);
    let found = common::findings(&report)
        .iter()
        .map(|f| {
            let shown = cwd.join(f["path"].as_str().unwrap_or(""));
            (
                shown.canonicalize().unwrap_or(shown),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["level"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (found, report, code)
}

/// (file name relative to `root`, rule, level) of each finding.
fn levels(found: &Found, root: &Path) -> BTreeSet<(String, String, String)> {
    let root = root.canonicalize().unwrap();
    found
        .iter()
        .map(|(path, _, _, rule, level)| {
            let rel = path.strip_prefix(&root).unwrap_or(path);
            (rel.display().to_string(), rule.clone(), level.clone())
        })
        .collect()
}

fn set(items: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// A repository whose `.regcred.yaml` makes unlisted registries errors,
/// with a `sub/.regcred.yaml` making them warnings there.
fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    fs::create_dir(repo.path().join(".git")).unwrap();
    common::write(
        repo.path(),
        ".regcred.yaml",
        "registries:\n  unknown: error\nrules:\n  image-pull-secret-no-match: warning\n",
    );
    common::write(repo.path(), "k8s/pod.yaml", UNLISTED_POD);
    common::write(repo.path(), "k8s/app/deploy.yaml", DEPLOY);
    // A Secret with no namespace serves the pods of its folder and below.
    common::write(repo.path(), "k8s/secret.yaml", SECRET);
    common::write(
        repo.path(),
        "sub/.regcred.yaml",
        "registries:\n  unknown: warning\n",
    );
    common::write(repo.path(), "sub/pod.yaml", UNLISTED_POD);
    repo
}

fn expected_levels() -> BTreeSet<(String, String, String)> {
    set(&[
        ("k8s/pod.yaml", "missing-image-pull-secrets", "error"),
        ("sub/pod.yaml", "missing-image-pull-secrets", "warning"),
        (
            "k8s/app/deploy.yaml",
            "image-pull-secret-no-match",
            "warning",
        ),
    ])
}

#[test]
fn the_same_tree_gives_the_same_findings_from_anywhere() {
    let repo = repository();
    let root = repo.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let absolute = root.to_str().unwrap();
    let (from_root, _, code) = lint(root, &["."]);
    assert_eq!(code, 1);
    assert_eq!(levels(&from_root, root), expected_levels());
    for (cwd, arg) in [
        (root.join("k8s"), ".."),
        (root.join("sub"), ".."),
        (PathBuf::from("/"), absolute),
        (elsewhere.path().to_path_buf(), absolute),
        (root.to_path_buf(), absolute),
    ] {
        let (found, _, code) = lint(&cwd, &[arg]);
        assert_eq!(found, from_root, "from {} with {arg}", cwd.display());
        assert_eq!(code, 1);
    }
    // Files named one by one (as pre-commit does): resolved against their
    // repository and configured by their nearest .regcred.yaml, from
    // wherever they are named.
    let files = ["k8s/pod.yaml", "k8s/app/deploy.yaml", "sub/pod.yaml"];
    let (by_name, _, _) = lint(root, &files);
    assert_eq!(by_name, from_root);
    let absolute_files: Vec<String> = files.iter().map(|f| format!("{absolute}/{f}")).collect();
    let absolute_files: Vec<&str> = absolute_files.iter().map(String::as_str).collect();
    for cwd in [Path::new("/"), elsewhere.path(), &root.join("sub")] {
        let (found, _, _) = lint(cwd, &absolute_files);
        assert_eq!(found, from_root, "from {}", cwd.display());
    }
}

#[test]
fn a_nested_config_governs_its_folder_when_the_root_is_linted() {
    let repo = repository();
    common::write(
        repo.path(),
        "sub/.regcred.yaml",
        "registries:\n  unknown: warning\nskip:\n  - generated/\n",
    );
    common::write(repo.path(), "sub/generated/pod.yaml", UNLISTED_POD);
    // Skipped by sub/.regcred.yaml: not reported from the root either.
    let (found, _, _) = lint(repo.path(), &["."]);
    assert_eq!(levels(&found, repo.path()), expected_levels());
    let (found, _, _) = lint(repo.path(), &["sub/pod.yaml", "k8s/pod.yaml"]);
    assert_eq!(
        levels(&found, repo.path()),
        set(&[
            ("k8s/pod.yaml", "missing-image-pull-secrets", "error"),
            ("sub/pod.yaml", "missing-image-pull-secrets", "warning"),
        ])
    );
    // --config governs every file.
    let config = repo.path().join(".regcred.yaml");
    let (found, _, _) = lint(repo.path(), &["--config", config.to_str().unwrap(), "."]);
    assert!(levels(&found, repo.path()).contains(&(
        "sub/pod.yaml".to_string(),
        "missing-image-pull-secrets".to_string(),
        "error".to_string()
    )));
}

#[test]
fn a_file_outside_any_workspace_is_not_resolved_against_the_current_folder() {
    // The current folder holds the Secret the file names, but it is no
    // workspace of the file: the Secret is not found.
    let here = tempfile::tempdir().unwrap();
    common::write(here.path(), "secret.yaml", SECRET);
    let there = tempfile::tempdir().unwrap();
    common::write(there.path(), "deploy.yaml", DEPLOY);
    let file = there.path().join("deploy.yaml");
    let (found, _, _) = lint(here.path(), &[file.to_str().unwrap()]);
    assert_eq!(
        levels(&found, there.path()),
        set(&[("deploy.yaml", "image-pull-secret-not-found", "warning")])
    );
    // A .regcred.yaml makes its folder the workspace: the Secret beside it
    // is found, from anywhere.
    common::write(
        there.path(),
        ".regcred.yaml",
        "rules:\n  image-pull-secret-no-match: warning\n",
    );
    common::write(there.path(), "secret.yaml", SECRET);
    for cwd in [here.path(), Path::new("/")] {
        let (found, _, _) = lint(cwd, &[file.to_str().unwrap()]);
        assert_eq!(
            levels(&found, there.path()),
            set(&[("deploy.yaml", "image-pull-secret-no-match", "warning")]),
            "from {}",
            cwd.display()
        );
    }
}

/// `regcred lint --format json - ARGS` reading `stdin`, run in `cwd`:
/// (rule, level) of each finding and the exit code.
fn lint_stdin(cwd: &Path, args: &[&str], stdin: &str) -> (Vec<(String, String)>, i32) {
    let out = common::regcred_cmd()
        .current_dir(cwd)
        .args(["lint", "--format", "json", "-"])
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let field = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (field("rule"), field("level"))
        })
        .collect();
    (found, out.status.code().unwrap_or(-1))
}

#[test]
fn stdin_is_configured_by_config_only_never_by_the_current_folder() {
    // The repository's .regcred.yaml makes unlisted registries errors; run
    // inside it, stdin still gets the defaults (an info), as from elsewhere.
    let repo = repository();
    let elsewhere = tempfile::tempdir().unwrap();
    let info = vec![("missing-image-pull-secrets".to_string(), "info".to_string())];
    for cwd in [repo.path(), &repo.path().join("k8s"), elsewhere.path()] {
        let (found, code) = lint_stdin(cwd, &[], UNLISTED_POD);
        assert_eq!((found, code), (info.clone(), 0), "from {}", cwd.display());
    }
    // --config is the way to give stdin a configuration, from anywhere.
    let config = repo.path().join(".regcred.yaml");
    for cwd in [repo.path(), elsewhere.path()] {
        let (found, code) = lint_stdin(cwd, &["--config", config.to_str().unwrap()], UNLISTED_POD);
        assert_eq!(
            (found, code),
            (
                vec![(
                    "missing-image-pull-secrets".to_string(),
                    "error".to_string()
                )],
                1
            ),
            "from {}",
            cwd.display()
        );
    }
}

#[test]
fn inputs_from_two_repositories_are_each_linted_with_their_own() {
    let strict = repository();
    let plain = tempfile::tempdir().unwrap();
    fs::create_dir(plain.path().join(".git")).unwrap();
    common::write(plain.path(), "pod.yaml", UNLISTED_POD);
    let elsewhere = tempfile::tempdir().unwrap();
    let a = strict.path().join("k8s/pod.yaml");
    let b = plain.path().join("pod.yaml");
    let (found, _, code) = lint(
        elsewhere.path(),
        &[a.to_str().unwrap(), b.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    let mut levels: Vec<&str> = found.iter().map(|f| f.4.as_str()).collect();
    levels.sort();
    assert_eq!(levels, ["error", "info"]);
    let strict_found = found
        .iter()
        .find(|f| f.0 == a.canonicalize().unwrap())
        .unwrap();
    assert_eq!(strict_found.4, "error");
    // --fix does not mix workspaces.
    let out = common::regcred_cmd()
        .current_dir(elsewhere.path())
        .args(["lint", "--fix", "--diff"])
        .args([&a, &b])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 workspaces"));
}

#[test]
fn an_explicit_context_or_config_that_does_not_exist_is_an_error() {
    let repo = repository();
    for args in [
        ["--context", "no-such-folder", "k8s/pod.yaml"],
        ["--config", "no-such.yaml", "k8s/pod.yaml"],
    ] {
        let out = common::regcred_cmd()
            .current_dir(repo.path())
            .arg("lint")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(args[1]), "{stderr}");
    }
}

#[test]
fn an_invalid_nested_config_is_an_error_for_its_files_only() {
    let repo = repository();
    common::write(
        repo.path(),
        "sub/.regcred.yaml",
        "rules:\n  no-such-rule: error\n",
    );
    let (found, report, code) = lint(repo.path(), &["."]);
    assert_eq!(code, 2);
    assert_eq!(
        levels(&found, repo.path()),
        set(&[
            ("k8s/pod.yaml", "missing-image-pull-secrets", "error"),
            (
                "k8s/app/deploy.yaml",
                "image-pull-secret-no-match",
                "warning"
            ),
        ])
    );
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("sub/.regcred.yaml"));
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("no-such-rule"));
}

/// A SealedSecret named alone (as pre-commit names a changed file) is
/// checked against the kustomizations of its work tree: the context is read
/// for it as for a pod, and an overlay that moves or renames it is
/// reported; the overlay named alone shows nothing.
#[test]
fn a_sealed_secret_named_alone_is_checked_against_the_work_trees_kustomizations() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    let fixtures = common::manifest_dir().join("fixtures/rules/sealed-secret-scope-moved/bad");
    common::copy_tree(&fixtures.join("overlays.workspace"), dir.path());
    let rules = |report: &Value| -> Vec<(String, u64)> {
        common::findings(report)
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or("").to_string(),
                    f["line"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    };
    let (report, code) = common::lint_json(dir.path(), &["base/sealed.yaml", "--no-cache"]);
    assert_eq!(
        rules(&report),
        [("sealed-secret-scope-moved".to_string(), 5)],
        "{report}"
    );
    assert_eq!(code, 1);
    // The finding belongs to the SealedSecret's file, where the fix is (as
    // a pod's image-pull-secret-not-found is on the pod, not on the Secret
    // whose rename broke it): a commit that stages only the overlay does
    // not show it; the repository linted whole (CI) does.
    let (report, code) = common::lint_json(
        dir.path(),
        &["overlays/prod/kustomization.yaml", "--no-cache"],
    );
    assert_eq!((rules(&report), code), (Vec::new(), 0), "{report}");
    let (report, code) = common::lint_json(dir.path(), &[".", "--no-cache"]);
    assert_eq!(
        (rules(&report), code),
        (vec![("sealed-secret-scope-moved".to_string(), 5)], 1),
        "{report}"
    );
    // Without the overlay that moves it, nothing.
    fs::remove_dir_all(dir.path().join("overlays/prod")).unwrap();
    let (report, code) = common::lint_json(dir.path(), &["base/sealed.yaml", "--no-cache"]);
    assert_eq!((rules(&report), code), (Vec::new(), 0), "{report}");
    // An overlay that renames the strict seal breaks it too, told the same way.
    fs::create_dir_all(dir.path().join("overlays/blue")).unwrap();
    fs::write(
        dir.path().join("overlays/blue/kustomization.yaml"),
        "namePrefix: blue-\nresources: [../../base]\n",
    )
    .unwrap();
    let (report, code) = common::lint_json(dir.path(), &["base/sealed.yaml", "--no-cache"]);
    assert_eq!(
        (rules(&report), code),
        (vec![("sealed-secret-scope-moved".to_string(), 5)], 1),
        "{report}"
    );
    let message = common::findings(&report)[0]["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(message.contains("renamed \"blue-regcred\""), "{message}");
    // With the cache the same (the kustomization's affixes are cached).
    for _ in 0..2 {
        let (cached, _) = common::lint_json(dir.path(), &["base/sealed.yaml"]);
        assert_eq!(rules(&cached), rules(&report), "{cached}");
    }
}

/// A repository whose messages name other files: its own `.regcred.yaml`
/// (`root_config`), an invalid `sub/.regcred.yaml`, a pod in `app/` whose
/// pull secrets are defined elsewhere in the work tree (a context file), and
/// a kustomization generating a Secret from a file outside its folder.
fn naming_repository(root_config: &str) -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    fs::create_dir(repo.path().join(".git")).unwrap();
    common::write(repo.path(), ".regcred.yaml", root_config);
    common::write(repo.path(), "sub/.regcred.yaml", "rulez: {}\n");
    common::write(repo.path(), "sub/pod.yaml", UNLISTED_POD);
    common::write(
        repo.path(),
        "app/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  imagePullSecrets: [{name: other}, {name: opaque}]\n  containers: [{name: c, image: reg.example.com/x:1}]\n",
    );
    common::write(
        repo.path(),
        "secrets/pull.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: other, namespace: b}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: eyJhdXRocyI6e319\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: opaque, namespace: a}\ntype: Opaque\ndata:\n  x: eA==\n",
    );
    common::write(repo.path(), "outside.json", "{\"auths\":{}}\n");
    common::write(
        repo.path(),
        "gen/kustomization.yaml",
        "secretGenerator:\n- name: pull\n  type: kubernetes.io/dockerconfigjson\n  files: [.dockerconfigjson=../outside.json]\nresources: [pod.yaml]\n",
    );
    common::write(
        repo.path(),
        "gen/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: g}\nspec:\n  imagePullSecrets: [{name: pull}]\n  containers: [{name: c, image: reg.example.com/x:1}]\n",
    );
    repo
}

/// `regcred ARGS` in `cwd`: its exit code, standard output and error.
fn run_in(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = common::regcred_cmd()
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        common::stdout(&out),
        common::stderr(&out),
    )
}

/// What a run prints depends on what is linted, not on where the
/// repository sits: the same repository in two folders of different depths
/// gives byte-identical output, from its root and from the folder above
/// it, also when a message names its configuration (a typo in it, with its
/// did-you-mean), a nested configuration, a file of the context or a file
/// outside a kustomization. No message holds the folder it sits in.
#[test]
fn messages_name_files_as_the_inputs_do_not_where_the_repository_sits() {
    struct Case {
        config: &'static str,
        /// Run from the repository's root, then from the folder above.
        args: &'static [&'static str],
        above: &'static [&'static str],
        /// In the output from the root (from above: under `repo/`).
        shown: &'static [&'static str],
    }
    let cases = [
        // The root's configuration fails the run.
        Case {
            config: "rulez: {}\nregistries: {unknown: error}\n",
            args: &["lint"],
            above: &["lint", "repo"],
            shown: &[".regcred.yaml:1:1: unknown key \"rulez\" at the top level (did you mean \"rules\"?)"],
        },
        Case {
            config: "rulez: {}\n",
            args: &["inspect", "app/pod.yaml"],
            above: &["inspect", "repo/app/pod.yaml"],
            shown: &[".regcred.yaml:1:1: unknown key"],
        },
        Case {
            config: "",
            args: &["lint"],
            above: &["lint", "repo"],
            shown: &[
                "sub/.regcred.yaml:1:1: unknown key",
                "(secrets/pull.yaml:1)",
                "(secrets/pull.yaml:8)",
                "file 'outside.json' is not in or below 'gen'",
            ],
        },
        Case {
            config: "",
            args: &["lint", "--format", "json", "app", "sub"],
            above: &["lint", "--format", "json", "repo/app", "repo/sub"],
            // Only the context holds the Secrets.
            shown: &["sub/.regcred.yaml", "(secrets/pull.yaml:1)", "(secrets/pull.yaml:8)"],
        },
    ];
    for case in cases {
        let one = naming_repository(case.config);
        let two = tempfile::tempdir().unwrap();
        let deeper = two.path().join("deeper/still");
        common::copy_tree(one.path(), &deeper.join("repo"));
        let parent = tempfile::tempdir().unwrap();
        common::copy_tree(one.path(), &parent.path().join("repo"));
        let from_root = run_in(one.path(), case.args);
        assert_eq!(
            from_root,
            run_in(&deeper.join("repo"), case.args),
            "{:?}",
            case.args
        );
        let from_above = run_in(parent.path(), case.above);
        assert_eq!(from_above, run_in(&deeper, case.above), "{:?}", case.above);
        for ((code, out, err), prefix) in [(&from_root, ""), (&from_above, "repo/")] {
            let all = format!("{out}{err}");
            assert_eq!(*code, Some(2), "{:?}: {all}", case.args);
            for dir in [one.path(), two.path(), parent.path()] {
                let dir = dir.to_string_lossy();
                assert!(
                    !all.contains(dir.as_ref()),
                    "{:?} names {dir}: {all}",
                    case.args
                );
            }
            for text in case.shown {
                let text = match text.strip_prefix('(') {
                    Some(rest) => format!("({prefix}{rest}"),
                    None => text
                        .replacen("file '", &format!("file '{prefix}"), 1)
                        .replacen("below '", &format!("below '{prefix}"), 1),
                };
                let text = match text.starts_with('(') || text.starts_with("file") {
                    true => text,
                    false => format!("{prefix}{text}"),
                };
                assert!(
                    all.contains(&text),
                    "{:?}: {text:?} not in {all}",
                    case.args
                );
            }
        }
    }
}

/// An anchored `skip:` pattern (`/vendor/`) skips the same files whether
/// the repository is named `.`, `..`, by its name from the folder above or
/// by its absolute path: the walk's paths are spelled as the input is, and
/// so is the root the patterns are relative to.
#[test]
fn an_anchored_skip_pattern_skips_from_anywhere() {
    let repo = tempfile::tempdir().unwrap();
    fs::create_dir(repo.path().join(".git")).unwrap();
    common::write(
        repo.path(),
        ".regcred.yaml",
        "skip: [/vendor/]\nregistries:\n  unknown: error\n",
    );
    common::write(repo.path(), "k8s/pod.yaml", UNLISTED_POD);
    common::write(repo.path(), "vendor/pod.yaml", UNLISTED_POD);
    // Not anchored at the root: not skipped.
    common::write(repo.path(), "k8s/vendor/pod.yaml", UNLISTED_POD);
    let expected = set(&[
        ("k8s/pod.yaml", "missing-image-pull-secrets", "error"),
        ("k8s/vendor/pod.yaml", "missing-image-pull-secrets", "error"),
    ]);
    let name = repo
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let absolute = repo.path().to_str().unwrap().to_string();
    let above = repo.path().parent().unwrap();
    for (cwd, arg) in [
        (repo.path(), "."),
        (&repo.path().join("k8s"), ".."),
        (above, name.as_str()),
        (&repo.path().join("k8s"), absolute.as_str()),
    ] {
        let (found, _, code) = lint(cwd, &[arg]);
        assert_eq!(levels(&found, repo.path()), expected, "{arg} from {cwd:?}");
        assert_eq!(code, 1, "{arg} from {cwd:?}");
    }
}

/// Relative and absolute inputs in one run: an anchored `skip:` pattern
/// skips in each what it skips when the input is named alone (the root the
/// patterns are relative to is spelled as each input's paths are, not as
/// the first input's), and `--force-exclude` skips a named file however it
/// is spelled (`k8s/../vendor/pod.yaml` is below `vendor/`).
#[test]
fn an_anchored_skip_pattern_skips_with_mixed_inputs() {
    let repo = tempfile::tempdir().unwrap();
    fs::create_dir(repo.path().join(".git")).unwrap();
    common::write(
        repo.path(),
        ".regcred.yaml",
        "skip: [/vendor/]\nregistries:\n  unknown: error\n",
    );
    common::write(repo.path(), "k8s/pod.yaml", UNLISTED_POD);
    common::write(repo.path(), "vendor/pod.yaml", UNLISTED_POD);
    common::write(repo.path(), "k8s/vendor/pod.yaml", UNLISTED_POD);
    let expected = set(&[
        ("k8s/pod.yaml", "missing-image-pull-secrets", "error"),
        ("k8s/vendor/pod.yaml", "missing-image-pull-secrets", "error"),
    ]);
    let absolute = repo.path().to_str().unwrap().to_string();
    let k8s = format!("{absolute}/k8s");
    for args in [
        [".", absolute.as_str()],
        [absolute.as_str(), "."],
        ["k8s", absolute.as_str()],
        [k8s.as_str(), "."],
    ] {
        for arg in args {
            let (found, _, _) = lint(repo.path(), &[arg]);
            assert_eq!(levels(&found, repo.path()), expected, "{arg} alone");
        }
        let (found, _, code) = lint(repo.path(), &args);
        assert_eq!(levels(&found, repo.path()), expected, "{args:?}");
        assert_eq!(code, 1, "{args:?}");
    }
    let vendored = format!("{absolute}/vendor/pod.yaml");
    let (found, report, code) = lint(
        repo.path(),
        &[
            "--force-exclude",
            "vendor/pod.yaml",
            &vendored,
            "k8s/../vendor/pod.yaml",
            "k8s/pod.yaml",
        ],
    );
    assert_eq!(
        levels(&found, repo.path()),
        set(&[("k8s/pod.yaml", "missing-image-pull-secrets", "error")]),
        "{report}"
    );
    assert_eq!(code, 1);
}

/// The kustomization that renames a SealedSecret is named as the SealedSecret's
/// file is: the same absolute path from any current folder, and spelled as
/// the input is when the input is relative.
#[test]
fn a_renaming_kustomization_is_named_as_the_input_is_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    common::copy_tree(
        &common::manifest_dir()
            .join("fixtures/rules/image-pull-secret-not-found/bad/renamed-sealed-secret.workspace"),
        &repo,
    );
    let named = |cwd: &Path, arg: &str| {
        let out = common::regcred_cmd()
            .current_dir(cwd)
            .args(["lint", "--format", "json", arg])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let messages: Vec<String> = common::findings(&report)
            .iter()
            .map(|f| common::field(f, "message"))
            .filter(|m| m.contains("renames to"))
            .collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        messages[0].clone()
    };
    let absolute = repo.to_str().unwrap();
    let from_root = named(Path::new("/"), absolute);
    assert!(
        from_root.contains(&format!("kustomization in {absolute} renames")),
        "{from_root}"
    );
    assert_eq!(named(&repo, absolute), from_root);
    assert_eq!(named(dir.path(), absolute), from_root);
    assert!(named(dir.path(), "repo").contains("kustomization in repo renames"));
    assert!(named(&repo, ".").contains("kustomization in . renames"));
}
