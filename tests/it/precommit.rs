//! The pre-commit hook (`.pre-commit-hooks.yaml`) used by real pre-commit,
//! the way a user adds it: a `repo:` + `rev:` entry in a throwaway Git
//! repository, `pre-commit install`, then `git commit`s that must be refused
//! or pass.
//!
//! `language: rust` makes pre-commit `cargo install` the hook repository,
//! a release build. To keep that bearable (measured on 2 shared cores: about
//! 2 minutes from nothing, well under a minute after a source change, a few
//! seconds when nothing changed):
//! - the hook repository is a snapshot of this checkout's sources committed
//!   with fixed author and dates under `target/precommit/hook-repo`, so the
//!   same sources give the same commit, and pre-commit's store
//!   (`PRE_COMMIT_HOME=target/precommit/home`) reuses the built hook;
//! - `CARGO_TARGET_DIR=target/precommit/cargo-target` keeps the compiled
//!   dependencies between installs, and `CARGO_PROFILE_RELEASE_*` turns the
//!   release profile's LTO and optimisation off for this test only: what is
//!   tested is the hook's wiring, not the optimiser.
//!
//! Skips (with a message) without pre-commit, git or cargo, except in CI.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BAD_PULL_SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\n\
type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \
'{\"auths\":{\"reg.example.com\":{\"auth\":\"czNjcmV0\"}}}'\n";

const GOOD_PULL_SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\n\
type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \
'{\"auths\":{\"reg.example.com\":{\"auth\":\"Y2k6czNjcmV0\"}}}'\n";

/// A Docker config whose auth decodes to text without ':'.
const BAD_DOCKER_CONFIG: &str = "{\"auths\":{\"reg.example.com\":{\"auth\":\"czNjcmV0\"}}}\n";

fn work_dir() -> PathBuf {
    common::target_dir().join("precommit")
}

/// A command with a Git that ignores the machine's configuration and has
/// an identity, and the build settings described at the top.
fn command(program: &Path, dir: &Path, git_config: &Path) -> Command {
    let work = work_dir();
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", git_config)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "regcred test")
        .env("GIT_AUTHOR_EMAIL", "test@regcred.invalid")
        .env("GIT_COMMITTER_NAME", "regcred test")
        .env("GIT_COMMITTER_EMAIL", "test@regcred.invalid")
        .env("PRE_COMMIT_HOME", work.join("home"))
        .env("CARGO_TARGET_DIR", work.join("cargo-target"))
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "0")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env_remove("NO_COLOR")
        .env_remove("PRE_COMMIT_ALLOW_NO_CONFIG")
        .env_remove("SKIP");
    cmd
}

fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what} failed:\n{}",
        common::text(&out)
    );
    out
}

/// Commits this checkout's files into a fresh repo
/// with a fixed identity and date: the same sources, the same commit id.
fn hook_repo(git: &Path, git_config: &Path) -> (PathBuf, String) {
    let repo = work_dir().join("hook-repo");
    if repo.exists() {
        fs::remove_dir_all(&repo).expect("remove old hook repo");
    }
    fs::create_dir_all(&repo).expect("mkdir");
    // Everything but build output and Git's own files (sources include
    // files outside src/, such as schemas/).
    for entry in fs::read_dir(common::manifest_dir()).expect("read checkout") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        if entry.file_type().expect("type").is_dir() {
            common::copy_tree(&entry.path(), &repo.join(&name));
        } else {
            fs::copy(entry.path(), repo.join(&name)).expect("copy");
        }
    }
    let git_in = |args: &[&str]| {
        let mut cmd = command(git, &repo, git_config);
        cmd.args(args)
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z");
        ok(cmd.output().expect("spawn"), &format!("git {args:?}"))
    };
    git_in(&["init", "-q", "-b", "main"]);
    git_in(&["add", "-A"]);
    git_in(&[
        "commit",
        "-q",
        "-m",
        "regcred sources for the pre-commit test",
    ]);
    let rev = String::from_utf8_lossy(&git_in(&["rev-parse", "HEAD"]).stdout)
        .trim()
        .to_string();
    (repo, rev)
}

/// The throwaway repository a user would have, with the hook installed.
struct UserRepo {
    dir: tempfile::TempDir,
    git: PathBuf,
    git_config: PathBuf,
}

impl UserRepo {
    fn git(&self, args: &[&str]) -> Output {
        command(&self.git, self.dir.path(), &self.git_config)
            .args(args)
            .output()
            .expect("spawn")
    }

    fn write(&self, rel: &str, content: &str) {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, content).expect("write");
    }

    fn head(&self) -> String {
        String::from_utf8_lossy(&self.git(&["rev-parse", "HEAD"]).stdout)
            .trim()
            .to_string()
    }

    /// `git add` then `git commit`: whether it passed, and what it printed.
    fn commit(&self, files: &[&str], message: &str) -> (bool, String) {
        let mut add = vec!["add", "--"];
        add.extend_from_slice(files);
        ok(self.git(&add), "git add");
        let before = self.head();
        let out = self.git(&["commit", "-m", message]);
        let committed = self.head() != before;
        assert_eq!(committed, out.status.success(), "{}", common::text(&out));
        (committed, common::text(&out))
    }

    /// Unstages and deletes files a refused commit left behind.
    fn discard(&self, files: &[&str]) {
        let mut reset = vec!["reset", "-q", "--"];
        reset.extend_from_slice(files);
        ok(self.git(&reset), "git reset");
        for f in files {
            let _ = fs::remove_file(self.dir.path().join(f));
        }
    }
}

#[test]
#[ignore = "needs pre-commit, git and cargo"]
fn commits_with_bad_pull_secrets_are_refused_and_clean_ones_pass() {
    // .ci/run installs pre-commit in the CI tools venv (REGCRED_CI_TOOLS).
    let Some(pre_commit) = common::ci_tool(
        "bin/pre-commit",
        "pre-commit",
        "the pre-commit hook end to end",
    ) else {
        return;
    };
    let Some(git) = common::require("git", "the pre-commit hook end to end") else {
        return;
    };
    if common::require("cargo", "pre-commit's cargo install of the hook").is_none() {
        return;
    }
    let work = work_dir();
    fs::create_dir_all(&work).expect("mkdir target/precommit");
    let git_config = work.join("gitconfig");
    fs::write(&git_config, "[init]\n\tdefaultBranch = main\n").expect("write gitconfig");
    let (hook_repo, rev) = hook_repo(&git, &git_config);

    let user = UserRepo {
        dir: tempfile::tempdir().expect("tempdir"),
        git: git.clone(),
        git_config: git_config.clone(),
    };
    // With `--context` (single files resolved against the git work tree),
    // warnings refuse the commit too, so that a pull Secret that does not
    // resolve (image-pull-secret-not-found, a warning) shows below.
    let args = "\n    args: [--fail-on, warning]";
    user.write(
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n- repo: {}\n  rev: {rev}\n  hooks:\n  - id: regcred-lint{args}\n",
            hook_repo.display()
        ),
    );
    ok(user.git(&["init", "-q"]), "git init");
    ok(
        command(&pre_commit, user.dir.path(), &git_config)
            .arg("install")
            .output()
            .expect("spawn"),
        "pre-commit install",
    );
    // The first commit builds the hook (cargo install) unless cached.
    let started = std::time::Instant::now();
    let (committed, output) = user.commit(&[".pre-commit-config.yaml"], "pre-commit config");
    eprintln!(
        "first commit (hook install if not cached): {:.0?}",
        started.elapsed()
    );
    assert!(committed, "{output}");

    // A bad pull secret: refused, with the finding shown.
    user.write("deploy/pull.yaml", BAD_PULL_SECRET);
    let (committed, output) = user.commit(&["deploy/pull.yaml"], "bad pull secret");
    assert!(!committed, "{output}");
    assert!(output.contains("regcred lint"), "{output}");
    assert!(
        output.contains("error[pull-secret-auth-no-colon]"),
        "{output}"
    );
    assert!(output.contains("deploy/pull.yaml:7:"), "{output}");
    assert!(
        !output.contains("czNjcmV0"),
        "the auth value is masked:\n{output}"
    );

    // The same file fixed: the commit passes.
    user.write("deploy/pull.yaml", GOOD_PULL_SECRET);
    let (committed, output) = user.commit(&["deploy/pull.yaml"], "good pull secret");
    assert!(committed, "{output}");
    assert!(output.contains("Passed"), "{output}");

    // Docker config files are selected by name although pre-commit gives
    // them no type: a .dockerconfigjson file and .docker/config.json.
    for file in ["ci/registry.dockerconfigjson", "home/.docker/config.json"] {
        user.write(file, BAD_DOCKER_CONFIG);
        let (committed, output) = user.commit(&[file], "docker config");
        assert!(!committed, "{file}:\n{output}");
        assert!(output.contains("pull-secret-auth-no-colon"), "{output}");
        assert!(output.contains(file), "{output}");
        user.discard(&[file]);
    }

    // Files the hook does not select are not passed to regcred.
    user.write("notes.txt", BAD_PULL_SECRET);
    let (committed, output) = user.commit(&["notes.txt"], "not a manifest");
    assert!(committed, "{output}");

    // A Deployment whose pull Secret is in a file outside the commit.
    let deployment = |secret: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    \
             matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    \
             spec:\n      imagePullSecrets:\n      - name: {secret}\n      containers:\n      \
             - name: web\n        image: reg.example.com/web:1\n"
        )
    };
    // deploy/pull.yaml (Secret "pull") was committed above; only the
    // Deployment is in this commit, so only it is passed to regcred.
    user.write("deploy/web.yaml", &deployment("pull"));
    let (committed, output) = user.commit(&["deploy/web.yaml"], "web uses the committed secret");
    assert!(committed, "{output}");
    user.write("deploy/web.yaml", &deployment("no-such-secret"));
    let (committed, output) = user.commit(&["deploy/web.yaml"], "web names a missing secret");
    assert!(!committed, "{output}");
    assert!(output.contains("image-pull-secret-not-found"), "{output}");
    assert!(output.contains("no-such-secret"), "{output}");
}
