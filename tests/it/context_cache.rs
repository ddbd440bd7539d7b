//! The context cache (docs/architecture.md, "The context cache"): whatever
//! changes between two runs, a run with the cache reports exactly what a
//! `--no-cache` run reports. Each test first lets the files age past the
//! cache's racy window, so that the first run really caches them (checked
//! on the cache file), then changes something and compares.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Names a pull Secret whose key does not match its image's registry
/// (another port): `image-pull-secret-no-match` while the Secret is
/// indexed, `image-pull-secret-not-found` once it is not.
const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      imagePullSecrets:\n      - name: teampull\n      containers:\n      - name: web\n        image: reg.example.com:5000/web:1.0\n";
const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: teampull\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{\"auths\":{\"reg.example.com\":{\"auth\":\"dTpw\"}}}'\n";
const OTHER: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n";
/// The file every run names, as pre-commit would.
const NAMED: &str = "apps/web/deploy.yaml";

const NO_MATCH: &str = "image-pull-secret-no-match";
const NOT_FOUND: &str = "image-pull-secret-not-found";

/// (path, line, rule) of each finding.
type Found = BTreeSet<(String, u64, String)>;

/// A git work tree (a `.git` folder is all discovery needs) with the
/// deployment, its Secret in another folder, and an unrelated file; old
/// enough to be cached.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    common::write(dir.path(), NAMED, DEPLOY);
    common::write(dir.path(), "apps/secret.yaml", SECRET);
    common::write(dir.path(), "platform/settings.yaml", OTHER);
    age();
    dir
}

/// Waits out the racy window (src/lint/context_cache/stamp.rs): files
/// changed less than two seconds before a run are read, never cached.
fn age() {
    std::thread::sleep(Duration::from_millis(2200));
}

fn run(dir: &Path, extra: &[&str]) -> (Found, i32) {
    let mut args = vec![NAMED];
    args.extend_from_slice(extra);
    let (report, code) = common::lint_json(dir, &args);
    assert!(
        code == 0 || code == 1,
        "exit {code}: {report} (a cache problem must never be an error)"
    );
    (found(&report), code)
}

fn found(report: &serde_json::Value) -> Found {
    common::findings(report)
        .iter()
        .map(|f| {
            (
                common::field(f, "path"),
                f["line"].as_u64().unwrap_or(0),
                common::field(f, "rule"),
            )
        })
        .collect()
}

/// A run with the cache, checked against a run without it; the rules found.
fn check(dir: &Path) -> BTreeSet<String> {
    let cached = run(dir, &[]);
    let uncached = run(dir, &["--no-cache"]);
    assert_eq!(cached, uncached, "the cache changed the findings");
    cached.0.into_iter().map(|(_, _, rule)| rule).collect()
}

/// The cache files of the repository at `dir`.
fn cache_files(dir: &Path) -> Vec<PathBuf> {
    common::sorted_entries(&dir.join(".git/regcred"))
}

/// The one cache file, which holds `text` (a name the index keeps).
fn cache_holding(dir: &Path, text: &str) -> PathBuf {
    let files = cache_files(dir);
    assert_eq!(files.len(), 1, "one cache file: {files:?}");
    let bytes = fs::read(&files[0]).unwrap();
    assert!(
        find(&bytes, text.as_bytes()).is_some(),
        "the cache holds {text:?}"
    );
    files[0].clone()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn replace_once(bytes: &mut [u8], from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let at = find(bytes, from.as_bytes()).expect("the text to replace");
    bytes[at..at + to.len()].copy_from_slice(to.as_bytes());
}

/// Recomputes the digest of a cache file edited by hand (its layout:
/// src/lint/context_cache/mod.rs): the magic line, the format and the
/// key's length (one byte each here), the key, 16 bytes of the SHA-256 of
/// what follows up to the last line.
fn reseal(bytes: &mut [u8]) {
    use sha2::Digest as _;
    const MAGIC: &[u8] = b"regcred context cache\n";
    const END: &[u8] = b"\nend of regcred context cache\n";
    assert!(bytes.starts_with(MAGIC) && bytes.ends_with(END));
    // The key is longer than 127 bytes: its length takes two.
    assert!(bytes[MAGIC.len() + 1] >= 0x80 && bytes[MAGIC.len() + 2] < 0x80);
    let key_len =
        usize::from(bytes[MAGIC.len() + 1] & 0x7f) | usize::from(bytes[MAGIC.len() + 2]) << 7;
    let at = MAGIC.len() + 3 + key_len;
    let end = bytes.len() - END.len();
    let digest = sha2::Sha256::digest(&bytes[at + 16..end]);
    bytes[at..at + 16].copy_from_slice(&digest[..16]);
}

/// A first run caches the context; `change` then alters the tree and the
/// next run must see it.
fn after(change: impl FnOnce(&Path)) -> (tempfile::TempDir, BTreeSet<String>) {
    let dir = repository();
    assert_eq!(check(dir.path()), BTreeSet::from([NO_MATCH.to_string()]));
    cache_holding(dir.path(), "teampull");
    change(dir.path());
    let rules = check(dir.path());
    (dir, rules)
}

#[test]
fn the_cache_lives_in_the_git_folder_and_nothing_is_written_to_the_work_tree() {
    let dir = repository();
    let before: Vec<PathBuf> = walk(dir.path());
    check(dir.path());
    assert_eq!(walk(dir.path()), before);
    let file = cache_holding(dir.path(), "teampull");
    // Names and registry keys only: never the payload.
    let bytes = fs::read(file).unwrap();
    assert!(
        find(&bytes, b"dTpw").is_none(),
        "no Secret data in the cache"
    );
}

/// Every file below `dir`, `.git` left out.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            match path.is_dir() {
                true => stack.push(path),
                false => out.push(path),
            }
        }
    }
    out.sort();
    out
}

#[test]
fn an_edit_of_the_same_size_is_seen() {
    // `teampull` becomes `teampulx`: same size, so only the stamp's times
    // and inode tell.
    let (_dir, rules) = after(|dir| {
        common::write(
            dir,
            "apps/secret.yaml",
            &SECRET.replace("teampull", "teampulx"),
        )
    });
    assert!(rules.contains(NOT_FOUND), "{rules:?}");
}

#[test]
fn an_edit_that_fixes_the_key_is_seen() {
    let (_dir, rules) = after(|dir| {
        common::write(
            dir,
            "apps/secret.yaml",
            &SECRET.replace("reg.example.com", "reg.example.com:5000"),
        )
    });
    assert!(rules.is_empty(), "{rules:?}");
}

#[test]
fn a_rename_is_seen() {
    let (dir, rules) = after(|dir| {
        fs::rename(
            dir.join("apps/secret.yaml"),
            dir.join("apps/secret.yaml.old"),
        )
        .unwrap()
    });
    assert!(rules.contains(NOT_FOUND), "{rules:?}");
    // Renamed back, the Secret is defined again.
    fs::rename(
        dir.path().join("apps/secret.yaml.old"),
        dir.path().join("apps/moved.yaml"),
    )
    .unwrap();
    assert_eq!(check(dir.path()), BTreeSet::from([NO_MATCH.to_string()]));
}

#[test]
fn a_deletion_is_seen() {
    let (_dir, rules) = after(|dir| fs::remove_file(dir.join("apps/secret.yaml")).unwrap());
    assert!(rules.contains(NOT_FOUND), "{rules:?}");
}

#[test]
fn a_new_file_is_seen() {
    // A Secret of the same name beside the deployment, with the right key:
    // the nearest definition is the one deployed with it.
    let (_dir, rules) = after(|dir| {
        let fixed = SECRET.replace("reg.example.com", "reg.example.com:5000");
        common::write(dir, "apps/web/secret.yaml", &fixed)
    });
    assert!(rules.is_empty(), "{rules:?}");
}

#[test]
fn a_branch_switch_is_seen() {
    // As `git checkout` does: files replaced by other versions, some of the
    // same size, one gone, one new.
    let (_dir, rules) = after(|dir| {
        fs::remove_file(dir.join("apps/secret.yaml")).unwrap();
        common::write(
            dir,
            "apps/secret.yaml",
            &SECRET.replace("teampull", "otherpul"),
        );
        fs::remove_file(dir.join("platform/settings.yaml")).unwrap();
        common::write(dir, "platform/other.yaml", OTHER);
    });
    assert!(rules.contains(NOT_FOUND), "{rules:?}");
}

#[test]
#[ignore = "needs git"]
fn a_git_checkout_is_seen() {
    let dir = repository();
    fs::remove_dir(dir.path().join(".git")).unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "one"]);
    git(&["checkout", "-q", "-b", "other"]);
    common::write(
        dir.path(),
        "apps/secret.yaml",
        &SECRET.replace("teampull", "teampulx"),
    );
    git(&["commit", "-q", "-am", "two"]);
    git(&["checkout", "-q", "main"]);
    age();
    assert_eq!(check(dir.path()), BTreeSet::from([NO_MATCH.to_string()]));
    cache_holding(dir.path(), "teampull");
    git(&["checkout", "-q", "other"]);
    assert!(check(dir.path()).contains(NOT_FOUND));
    git(&["checkout", "-q", "main"]);
    assert_eq!(check(dir.path()), BTreeSet::from([NO_MATCH.to_string()]));
}

#[test]
fn a_configuration_change_is_seen() {
    // The context walk skips what the configuration skips.
    let (_dir, rules) =
        after(|dir| common::write(dir, ".regcred.yaml", "skip:\n  - apps/secret.yaml\n"));
    assert!(rules.contains(NOT_FOUND), "{rules:?}");
}

#[test]
fn an_entry_whose_key_holds_is_believed_and_one_of_another_version_is_not() {
    let dir = repository();
    check(dir.path());
    let file = cache_holding(dir.path(), "teampull");
    // Forge the entry: the cache now says the Secret is `teampulx`. Its
    // digest no longer matches: the whole file is ignored.
    let mut forged = fs::read(&file).unwrap();
    replace_once(&mut forged, "teampull", "teampulx");
    fs::write(&file, &forged).unwrap();
    assert_eq!(check(dir.path()), BTreeSet::from([NO_MATCH.to_string()]));
    // With the digest made right, a run trusts it (the stamp holds): proof
    // the cache is read at all.
    reseal(&mut forged);
    fs::write(&file, &forged).unwrap();
    let (trusting, _) = run(dir.path(), &[]);
    assert!(
        trusting.iter().any(|(_, _, rule)| rule == NOT_FOUND),
        "{trusting:?}"
    );
    // The same forged entry under another regcred version is ignored.
    let version = format!("regcred {} (", env!("CARGO_PKG_VERSION"));
    let other = version.replace(|c: char| c.is_ascii_digit(), "9");
    assert_ne!(version, other);
    replace_once(&mut forged, &version, &other);
    fs::write(&file, &forged).unwrap();
    assert_eq!(check(dir.path()), BTreeSet::from([NO_MATCH.to_string()]));
}

#[test]
fn a_corrupt_cache_file_is_ignored() {
    let dir = repository();
    check(dir.path());
    let file = cache_holding(dir.path(), "teampull");
    let good = fs::read(&file).unwrap();
    let mut corruptions: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"not a cache".to_vec(),
        vec![0xff; 4096],
        good[..good.len() / 2].to_vec(),
        good[..good.len() - 1].to_vec(),
    ];
    for at in [good.len() / 3, good.len() / 2, good.len() * 2 / 3] {
        let mut flipped = good.clone();
        flipped[at] ^= 0xff;
        corruptions.push(flipped);
    }
    for bytes in corruptions {
        fs::write(&file, &bytes).unwrap();
        assert_eq!(
            check(dir.path()),
            BTreeSet::from([NO_MATCH.to_string()]),
            "with a cache of {} bytes",
            bytes.len()
        );
    }
}

#[test]
fn an_unusable_cache_folder_is_no_error() {
    let dir = repository();
    // Where the folder should be, a file: nothing can be read or written.
    fs::write(dir.path().join(".git/regcred"), "in the way").unwrap();
    assert_eq!(check(dir.path()), BTreeSet::from([NO_MATCH.to_string()]));
    fs::remove_file(dir.path().join(".git/regcred")).unwrap();
    // Where the cache file should be, a folder.
    check(dir.path());
    let file = cache_holding(dir.path(), "teampull");
    fs::remove_file(&file).unwrap();
    fs::create_dir(&file).unwrap();
    assert_eq!(check(dir.path()), BTreeSet::from([NO_MATCH.to_string()]));
}

#[test]
fn two_runs_at_once_each_see_the_truth_and_leave_one_whole_cache() {
    let dir = repository();
    let spawned: Vec<_> = (0..4)
        .map(|_| {
            Command::new(common::regcred())
                .current_dir(dir.path())
                .args(["lint", "--format", "json", NAMED])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let (expected, _) = run(dir.path(), &["--no-cache"]);
    for child in spawned {
        let out = child.wait_with_output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(found(&report), expected);
    }
    cache_holding(dir.path(), "teampull");
    assert_eq!(check(dir.path()), BTreeSet::from([NO_MATCH.to_string()]));
}

#[test]
fn outside_a_repository_the_cache_is_in_the_user_cache_folder() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    common::write(&tree, NAMED, DEPLOY);
    common::write(&tree, "apps/secret.yaml", SECRET);
    age();
    let user_cache = dir.path().join("xdg");
    let lint = |extra: &[&str]| {
        let out = common::regcred_cmd()
            .current_dir(&tree)
            .env("XDG_CACHE_HOME", &user_cache)
            .args(["lint", "--format", "json", "--context", ".", NAMED])
            .args(extra)
            .output()
            .unwrap();
        out.stdout
    };
    assert_eq!(lint(&[]), lint(&["--no-cache"]));
    let files: Vec<_> = fs::read_dir(user_cache.join("regcred")).unwrap().collect();
    assert_eq!(files.len(), 1);
    assert!(walk(&tree)
        .iter()
        .all(|p| !p.starts_with(tree.join(".cache"))));
}

#[test]
fn no_cache_leaves_no_cache() {
    let dir = repository();
    run(dir.path(), &["--no-cache"]);
    assert!(cache_files(dir.path()).is_empty());
    let out = common::regcred_cmd()
        .current_dir(dir.path())
        .env("REGCRED_NO_CACHE", "1")
        .args(["lint", "--format", "json", NAMED])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the finding is reported");
    assert!(cache_files(dir.path()).is_empty(), "REGCRED_NO_CACHE=1");
    // `0` and `false` turn it back on.
    for off in ["0", "false"] {
        let out = common::regcred_cmd()
            .current_dir(dir.path())
            .env("REGCRED_NO_CACHE", off)
            .args(["lint", "--format", "json", NAMED])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "REGCRED_NO_CACHE={off}");
    }
    cache_holding(dir.path(), "teampull");
}

#[test]
fn named_files_without_a_pod_leave_the_context_unread() {
    // Only pods ask the context's index anything: a run naming a Secret
    // alone reads no context (so caches none) and reports the same.
    let dir = repository();
    let named = ["apps/secret.yaml"];
    let (cached, code) = common::lint_json(dir.path(), &named);
    let (uncached, uncached_code) = common::lint_json(dir.path(), &[named[0], "--no-cache"]);
    assert_eq!((found(&cached), code), (found(&uncached), uncached_code));
    assert!(cache_files(dir.path()).is_empty(), "the context was read");
    // Naming a pod, it is read and cached.
    common::write(dir.path(), "apps/web/pod.yaml", DEPLOY);
    let (with_pod, _) = common::lint_json(dir.path(), &["apps/web/pod.yaml"]);
    assert!(
        found(&with_pod).iter().any(|(_, _, rule)| rule == NO_MATCH),
        "{with_pod}"
    );
    cache_holding(dir.path(), "teampull");
}

/// No `imagePullSecrets`, pulling from the registry the Secret in another
/// folder holds credentials for: `--fix` names that Secret.
const BARE: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: reg.example.com/web:1.0\n";

#[test]
fn fix_with_the_cache_fixes_and_reports_as_without_it() {
    // `--fix` lints again after each round of fixes, with the cache too.
    let fixed = |extra: &[&str]| {
        let dir = repository();
        common::write(dir.path(), NAMED, BARE);
        run(dir.path(), extra);
        let out = common::regcred_cmd()
            .current_dir(dir.path())
            .args(["lint", "--format", "json", "--fix", NAMED])
            .args(extra)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let file = fs::read_to_string(dir.path().join(NAMED)).unwrap();
        let caches = cache_files(dir.path()).len();
        ((file, found(&report), out.status.code()), caches)
    };
    let (cached, caches) = fixed(&[]);
    let (uncached, no_caches) = fixed(&["--no-cache"]);
    assert!(cached.0.contains("name: teampull"), "{}", cached.0);
    assert_eq!(cached, uncached);
    assert_eq!((caches, no_caches), (1, 0));
}

/// Hostile caches (docs/architecture.md, "The context cache"): a `regcred`
/// folder that is a link, or a `.git` file naming a folder that is no git
/// folder, gets no cache written through it; a cache another user owns is
/// not believed (rewritten by this run, not kept).
#[test]
fn caches_elsewhere_or_of_another_user_are_not_used() {
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = repository();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(".git/regcred")).unwrap();
    check(dir.path());
    assert!(common::sorted_entries(elsewhere.path()).is_empty());
    fs::remove_file(dir.path().join(".git/regcred")).unwrap();

    let worktree = repository();
    fs::remove_dir(worktree.path().join(".git")).unwrap();
    let named = format!("gitdir: {}\n", elsewhere.path().display());
    fs::write(worktree.path().join(".git"), named).unwrap();
    check(worktree.path());
    assert!(common::sorted_entries(elsewhere.path()).is_empty());

    if common::is_root() {
        use std::os::unix::fs::MetadataExt;
        check(dir.path());
        let file = cache_holding(dir.path(), "teampull");
        std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
        check(dir.path());
        assert_eq!(fs::metadata(&file).unwrap().uid(), 0, "not believed");
    }
}

/// A cache file of a gigabyte that is no cache of this run's key costs
/// its first bytes, not a gigabyte of memory (peak resident memory, as
/// GNU time reports it for its one child; nothing is timed).
#[test]
#[ignore = "needs GNU time (/usr/bin/time)"]
fn a_huge_cache_file_is_not_read_whole() {
    let Some(time) = common::require("/usr/bin/time", "peak memory of one child") else {
        return;
    };
    let dir = repository();
    check(dir.path());
    let file = cache_holding(dir.path(), "teampull");
    fs::remove_file(&file).unwrap();
    fs::File::create(&file)
        .unwrap()
        .set_len((1 << 30) - 1)
        .unwrap();
    let report = tempfile::NamedTempFile::new().unwrap();
    let status = Command::new(time)
        .args(["-f", "%M", "-o"])
        .arg(report.path())
        .arg(common::regcred())
        .args(["lint", NAMED])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let text = fs::read_to_string(report.path()).unwrap();
    let peak_kib: u64 = text
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .parse()
        .unwrap();
    assert!(peak_kib < 256 << 10, "peak {peak_kib} KiB");
    assert!(fs::metadata(&file).unwrap().len() < 1 << 20, "rewritten");
}
