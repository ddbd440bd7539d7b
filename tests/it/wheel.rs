//! The Python wheel (pyproject.toml, maturin `bindings = "bin"`): built,
//! installed into a fresh venv, run; then the `language: python` pre-commit
//! hook layout of packaging/pre-commit, run by real pre-commit, installing
//! the wheel from a local directory instead of PyPI.
//!
//! The wheel is built as a release builds it (naming its repository, for
//! SARIF's helpUri), with the release profile turned down (no LTO, no
//! optimisation) in tests/it/precommit.rs's target directory, so the two tests
//! share compiled dependencies: what is tested is the packaging, not the
//! optimiser. pre-commit installs the hook repository with pip, offline
//! (`PIP_NO_INDEX`): the regcred wheel and setuptools (the hook repository's
//! build backend; .ci/run downloads it into `$REGCRED_CI_TOOLS/wheelhouse`)
//! come from local directories.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ok(cmd: &mut Command, what: &str) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}",
        common::text(&out)
    );
    out
}

/// The hooks of packaging/pre-commit are the repository's own hooks with
/// `language: python`, and its pyproject.toml pins this version of regcred.
#[test]
fn python_hooks_are_the_rust_hooks_pinned_to_this_version() {
    let root = common::manifest_dir();
    let hooks_of = |path: &Path| {
        let text = fs::read_to_string(path).unwrap();
        let from = text.find("\n- id:").expect("a hook") + 1;
        text[from..].to_string()
    };
    let rust = hooks_of(&root.join(".pre-commit-hooks.yaml"));
    let python = hooks_of(&root.join("packaging/pre-commit/.pre-commit-hooks.yaml"));
    assert!(rust.contains("language: rust"));
    assert_eq!(python, rust.replace("language: rust", "language: python"));

    let version = env!("CARGO_PKG_VERSION");
    let pyproject = fs::read_to_string(root.join("packaging/pre-commit/pyproject.toml")).unwrap();
    assert!(
        pyproject.contains(&format!("dependencies = [\"regcred=={version}\"]")),
        "packaging/pre-commit/pyproject.toml pins regcred {version}"
    );
    assert!(pyproject.contains(&format!("version = \"{version}\"")));
}

/// Builds the wheel into an empty `target/wheel/dist`; returns its path.
fn build_wheel(maturin: &Path) -> PathBuf {
    let dist = common::target_dir().join("wheel/dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).expect("clear target/wheel/dist");
    }
    ok(
        Command::new(maturin)
            .args(["build", "--release", "--quiet", "--out"])
            .arg(&dist)
            .current_dir(common::manifest_dir())
            .env(
                "CARGO_TARGET_DIR",
                common::target_dir().join("precommit/cargo-target"),
            )
            .env("CARGO_PROFILE_RELEASE_LTO", "off")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "0")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
            // As the release workflow names its repository (SARIF helpUri).
            .env("REGCRED_REPOSITORY", REPOSITORY),
        "maturin build",
    );
    let wheels: Vec<PathBuf> = fs::read_dir(&dist)
        .expect("read dist")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "one wheel: {wheels:?}");
    wheels.into_iter().next().expect("a wheel")
}

/// The repository the wheel is built for, as a release names its own.
const REPOSITORY: &str = "https://git.example/o/regcred";

const RESOURCE_LIST: &str = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n\
functionConfig:\n  apiVersion: regcred.dev/v1\n  kind: PullSecret\n  metadata: {name: pull}\n  \
spec:\n    server: reg.example.com\n    username: ci\n    passwordFrom: env:REGCRED_WHEEL_PW\n";

/// A fresh venv, `pip install` of the wheel (nothing else, offline): both
/// binaries are on the venv's PATH and work.
fn installs_into_a_fresh_venv(wheel: &Path, scratch: &Path) {
    let venv = scratch.join("venv");
    ok(
        Command::new("python3").arg("-m").arg("venv").arg(&venv),
        "python3 -m venv",
    );
    ok(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--no-index"])
            .arg(wheel),
        "pip install the wheel",
    );
    let bin = venv.join("bin");
    let out = ok(
        Command::new(bin.join("regcred")).arg("--version"),
        "regcred --version",
    );
    assert!(
        common::text(&out).contains(env!("CARGO_PKG_VERSION")),
        "{}",
        common::text(&out)
    );

    let out = Command::new(bin.join("regcred"))
        .args(["lint", "fixtures/demo"])
        .current_dir(common::manifest_dir())
        .env("NO_COLOR", "1")
        .output()
        .expect("regcred lint");
    assert_eq!(out.status.code(), Some(1), "{}", common::text(&out));
    assert!(
        common::text(&out).contains("7 errors"),
        "{}",
        common::text(&out)
    );

    // A build that names its repository links each SARIF rule to its
    // heading in docs/rules.md at this version's tag.
    let out = Command::new(bin.join("regcred"))
        .args(["lint", "--format", "sarif", "fixtures/demo"])
        .current_dir(common::manifest_dir())
        .output()
        .expect("regcred lint --format sarif");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let doc = fs::read_to_string(common::manifest_dir().join("docs/rules.md")).expect("rules.md");
    assert!(rules.len() > 20);
    for rule in rules {
        let id = rule["id"].as_str().expect("id");
        assert_eq!(
            rule["helpUri"].as_str(),
            Some(
                format!(
                    "{REPOSITORY}/blob/v{}/docs/rules.md#{id}",
                    env!("CARGO_PKG_VERSION")
                )
                .as_str()
            ),
        );
        assert!(doc.contains(&format!("\n## {id}\n")), "docs/rules.md: {id}");
    }

    let out = common::run(
        &bin.join("regcred-fn"),
        &[],
        Some(RESOURCE_LIST.as_bytes()),
        &[("REGCRED_WHEEL_PW".into(), "s3cret".into())],
    );
    assert!(out.status.success(), "regcred-fn: {}", common::text(&out));
    let listed = common::text(&out);
    assert!(listed.contains("kind: Secret"), "{listed}");
    assert!(listed.contains("name: pull"), "{listed}");
}

fn git(dir: &Path, home: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "regcred test")
        .env("GIT_AUTHOR_EMAIL", "test@regcred.invalid")
        .env("GIT_COMMITTER_NAME", "regcred test")
        .env("GIT_COMMITTER_EMAIL", "test@regcred.invalid");
    cmd.output().expect("git")
}

/// packaging/pre-commit as a hook repository, pinned by `rev:` in a user's
/// repository: pre-commit installs the wheel (no compiler involved) and
/// refuses a commit with a broken pull secret.
fn runs_as_a_python_pre_commit_hook(
    pre_commit: &Path,
    dist: &Path,
    wheelhouse: &Path,
    scratch: &Path,
) {
    let home = scratch.join("home");
    fs::create_dir_all(&home).expect("mkdir home");
    fs::write(home.join(".gitconfig"), "[init]\n\tdefaultBranch = main\n").expect("gitconfig");

    let hooks = scratch.join("regcred-pre-commit");
    fs::create_dir_all(&hooks).expect("mkdir hook repo");
    for name in [".pre-commit-hooks.yaml", "pyproject.toml"] {
        fs::copy(
            common::manifest_dir()
                .join("packaging/pre-commit")
                .join(name),
            hooks.join(name),
        )
        .expect("copy hook file");
    }
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &["commit", "-qm", "hooks"],
    ] {
        let out = git(&hooks, &home, args);
        assert!(out.status.success(), "git {args:?}: {}", common::text(&out));
    }
    let rev = String::from_utf8_lossy(&git(&hooks, &home, &["rev-parse", "HEAD"]).stdout)
        .trim()
        .to_string();

    let user = scratch.join("user");
    fs::create_dir_all(user.join("deploy")).expect("mkdir user repo");
    fs::write(
        user.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n- repo: {}\n  rev: {rev}\n  hooks:\n  - id: regcred-lint\n",
            hooks.display()
        ),
    )
    .expect("write config");
    fs::write(
        user.join("deploy/pull.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\ntype: kubernetes.io/dockerconfigjson\n\
         stringData:\n  .dockerconfigjson: '{\"auths\":{\"reg.example.com\":{\"auth\":\"czNjcmV0\"}}}'\n",
    )
    .expect("write secret");
    let out = git(&user, &home, &["init", "-q"]);
    assert!(out.status.success(), "{}", common::text(&out));
    let out = git(&user, &home, &["add", "-A"]);
    assert!(out.status.success(), "{}", common::text(&out));

    let find_links = format!("{} {}", dist.display(), wheelhouse.display());
    let out = Command::new(pre_commit)
        .args(["run", "--all-files", "--color", "never"])
        .current_dir(&user)
        .env("HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("PRE_COMMIT_HOME", scratch.join("pre-commit-home"))
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", &find_links)
        .env_remove("SKIP")
        .output()
        .expect("pre-commit run");
    let shown = common::text(&out);
    assert_eq!(out.status.code(), Some(1), "pre-commit refuses:\n{shown}");
    assert!(
        shown.contains("error[pull-secret-auth-no-colon]"),
        "{shown}"
    );
    assert!(shown.contains("deploy/pull.yaml:7:"), "{shown}");
    assert!(!shown.contains("czNjcmV0"), "the auth is masked:\n{shown}");

    // The hook ran the wheel's binary from pre-commit's own environment.
    let envs = scratch.join("pre-commit-home");
    let any_env = fs::read_dir(&envs)
        .expect("pre-commit home")
        .flat_map(|e| fs::read_dir(e.expect("entry").path()).into_iter().flatten())
        .map(|e| e.expect("entry").path())
        .any(|p| p.join("bin/regcred").is_file());
    assert!(any_env, "regcred installed in a pre-commit python env");
}

#[test]
#[ignore = "needs maturin, python3 and pre-commit"]
fn wheel_installs_regcred_and_regcred_fn_and_serves_pre_commit() {
    let why = "the wheel end to end";
    let Some(maturin) = common::ci_tool("bin/maturin", "maturin", why) else {
        return;
    };
    let Some(pre_commit) = common::ci_tool("bin/pre-commit", "pre-commit", why) else {
        return;
    };
    if common::require("python3", why).is_none() || common::require("git", why).is_none() {
        return;
    }
    let wheelhouse = common::ci_tools().join("wheelhouse");
    let has_setuptools = fs::read_dir(&wheelhouse).is_ok_and(|d| {
        d.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("setuptools-"))
    });
    if !has_setuptools {
        common::missing(
            &format!("a setuptools wheel in {}", wheelhouse.display()),
            why,
        );
        return;
    }

    let wheel = build_wheel(&maturin);
    let name = wheel
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    assert!(
        name.starts_with(&format!("regcred-{}-py3-none-", env!("CARGO_PKG_VERSION"))),
        "{name}"
    );
    let scratch = tempfile::tempdir().expect("tempdir");
    installs_into_a_fresh_venv(&wheel, scratch.path());
    let dist = wheel.parent().expect("dist");
    runs_as_a_python_pre_commit_hook(&pre_commit, dist, &wheelhouse, scratch.path());
}
