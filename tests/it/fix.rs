//! `regcred lint --fix` end to end, on copies of `fixtures/fix/`: the fixed
//! files (insta snapshots, one per fix style), a second `--fix` that changes
//! nothing, `lint` afterwards, permissions, `--diff`, the refusal to replace
//! a file changed on disk and atomicity when the writer dies (both through
//! the hidden `REGCRED_TEST_FIX_HOOK`, see src/safe_write/hooks.rs).

use crate::common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fix");
const SECRET_BASE64: &str = "eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6InJvYm90IiwicGFzc3dvcmQiOiJzM2NyZXQiLCJhdXRoIjoiY205aWIzUTZjek5qY21WMCJ9fX0=";

fn regcred(dir: &Path) -> Command {
    let mut cmd = common::regcred_cmd();
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    regcred(dir).arg("lint").args(args).output().unwrap()
}

fn files_in(sub: &str) -> Vec<PathBuf> {
    common::sorted_entries(&Path::new(FIXTURES).join(sub))
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(temp_files(&path));
        } else if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(".regcred-fix-"))
        {
            out.push(path);
        }
    }
    out
}

/// Line breaks made visible, so a CRLF file's snapshot shows them.
fn visible(bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    text.replace('\u{feff}', "<BOM>").replace('\r', "␍")
}

fn rules(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let out = run(dir, &[&["--format", "json"], args].concat());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every fix style, each on its own copy: the fixed file is snapshotted and
/// keeps what must be kept; a second `--fix` changes nothing.
#[test]
fn fixed_files() {
    for sub in ["wrong-type", "missing-key"] {
        for fixture in files_in(sub) {
            let name = fixture.file_name().unwrap().to_string_lossy().to_string();
            let dir = tempfile::tempdir().unwrap();
            let original = fs::read(&fixture).unwrap();
            fs::write(dir.path().join(&name), &original).unwrap();
            let out = run(dir.path(), &["--fix", &name]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("fixed: "), "{name}: {stderr}");
            let fixed = fs::read(dir.path().join(&name)).unwrap();
            assert_ne!(fixed, original, "{name}");
            if original.windows(2).any(|w| w == b"\r\n") {
                let lf = fixed.iter().filter(|&&b| b == b'\n').count();
                let crlf = fixed.windows(2).filter(|w| w == b"\r\n").count();
                assert_eq!(lf, crlf, "{name}: a bare LF in a CRLF file");
            }
            if original.starts_with(b"\xEF\xBB\xBF") {
                assert!(fixed.starts_with(b"\xEF\xBB\xBF"), "{name}: BOM lost");
            }
            if name.ends_with(".json") {
                serde_json::from_slice::<Value>(&fixed)
                    .unwrap_or_else(|e| panic!("{name}: not JSON any more: {e}"));
            }
            // The value bytes are untouched.
            let text = String::from_utf8_lossy(&original);
            if text.contains(SECRET_BASE64) {
                assert!(
                    String::from_utf8_lossy(&fixed).contains(SECRET_BASE64),
                    "{name}"
                );
            }
            insta::assert_snapshot!(format!("{sub}__{name}"), visible(&fixed));
            let found = rules(dir.path(), &[&name]);
            assert!(
                !found
                    .iter()
                    .any(|(_, r)| r == "pull-secret-wrong-type" || r == "pull-secret-missing-key"),
                "{name}: {found:?}"
            );
            let again = run(dir.path(), &["--fix", &name]);
            assert!(
                !String::from_utf8_lossy(&again.stderr).contains("fixed: "),
                "{name}"
            );
            assert_eq!(fs::read(dir.path().join(&name)).unwrap(), fixed, "{name}");
            assert!(temp_files(dir.path()).is_empty(), "{name}");
        }
    }
}

/// `--fix` on the whole fixture tree, then `lint`: none of the fixed
/// findings remain; files it cannot fix are left byte for byte.
#[test]
fn fix_tree_then_lint() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new(FIXTURES), dir.path());
    let before = rules(dir.path(), &["."]);
    assert!(before.iter().any(|(_, r)| r == "pull-secret-wrong-type"));
    let mtimes: std::collections::HashMap<PathBuf, std::time::SystemTime> = files_in("unfixable")
        .iter()
        .map(|f| {
            let copy = dir.path().join("unfixable").join(f.file_name().unwrap());
            let mtime = fs::metadata(&copy).unwrap().modified().unwrap();
            (copy, mtime)
        })
        .collect();
    let out = run(dir.path(), &["--fix", "."]);
    // The unfixable fixtures keep errors: exit 1, not 2.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not fixed: unfixable/both-keys.yaml:6"),
        "{stderr}"
    );
    let after = rules(dir.path(), &["."]);
    for (path, rule) in &after {
        if rule == "pull-secret-wrong-type" || rule == "pull-secret-missing-key" {
            assert!(path.starts_with("unfixable/"), "{path}: {rule} left");
        }
    }
    for fixture in files_in("unfixable") {
        let name = fixture.file_name().unwrap();
        let copy = dir.path().join("unfixable").join(name);
        assert_eq!(fs::read(&fixture).unwrap(), fs::read(&copy).unwrap());
        // Not even rewritten with the same bytes.
        let (then, now) = (
            &mtimes[&copy],
            fs::metadata(&copy).unwrap().modified().unwrap(),
        );
        assert_eq!(then, &now, "{}", copy.display());
    }
    assert!(temp_files(dir.path()).is_empty());
    // And once more: nothing changes.
    let snapshot: Vec<(PathBuf, Vec<u8>)> = ["wrong-type", "missing-key"]
        .iter()
        .flat_map(|s| fs::read_dir(dir.path().join(s)).unwrap())
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    run(dir.path(), &["--fix", "."]);
    for (path, bytes) in snapshot {
        assert_eq!(fs::read(&path).unwrap(), bytes, "{}", path.display());
    }
}

#[test]
fn permissions_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("opaque.yaml");
    fs::copy(Path::new(FIXTURES).join("wrong-type/opaque.yaml"), &file).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    let out = run(dir.path(), &["--fix", "opaque.yaml"]);
    // Everything fixed, nothing remains: exit 0 (it was 1 before).
    assert_eq!(out.status.code(), Some(0));
    assert!(fs::read_to_string(&file)
        .unwrap()
        .contains("type: kubernetes.io/dockerconfigjson"));
    let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o640);
}

#[test]
fn diff_shows_the_fix_masked_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new(FIXTURES), dir.path());
    let out = run(dir.path(), &["--fix", "--diff", "wrong-type/opaque.yaml"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("diff_opaque", stdout);
    assert!(!stdout.contains(SECRET_BASE64));
    assert!(!stdout.contains("eyJ"));
    // Fixed, nothing else would remain: exit 0; the file is as it was.
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        fs::read(dir.path().join("wrong-type/opaque.yaml")).unwrap(),
        fs::read(Path::new(FIXTURES).join("wrong-type/opaque.yaml")).unwrap()
    );
    // Not fixable: no diff, and the remaining error decides the exit code.
    let out = run(dir.path(), &["--fix", "--diff", "unfixable/no-key.yaml"]);
    assert!(out.stdout.is_empty());
    assert_eq!(out.status.code(), Some(1));
    // The whole tree: no credential in any form, in stdout or stderr.
    let out = run(dir.path(), &["--fix", "--diff", "."]);
    // --diff alone implies --fix: the same diff, the same exit code.
    let implied = run(dir.path(), &["--diff", "."]);
    assert_eq!(implied.stdout, out.stdout);
    assert_eq!(implied.status.code(), out.status.code());
    let all = [out.stdout, out.stderr].concat();
    let all = String::from_utf8_lossy(&all);
    assert!(all.contains("+++ b/"), "{all}");
    for secret in ["s3cret", "cm9ib3Q6czNjcmV0", "eyJ", "robot"] {
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
    }
}

#[test]
fn a_file_changed_on_disk_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("opaque.yaml");
    fs::copy(Path::new(FIXTURES).join("wrong-type/opaque.yaml"), &file).unwrap();
    let out = regcred(dir.path())
        .env("REGCRED_TEST_FIX_HOOK", "modify")
        .args(["lint", "--fix", "opaque.yaml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("changed on disk since it was read"),
        "{stderr}"
    );
    let now = fs::read_to_string(&file).unwrap();
    assert!(now.ends_with("# edited meanwhile\n"), "{now}");
    assert!(
        now.contains("type: Opaque"),
        "the other edit must win: {now}"
    );
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn a_writer_killed_before_the_rename_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("opaque.yaml");
    fs::copy(Path::new(FIXTURES).join("wrong-type/opaque.yaml"), &file).unwrap();
    let original = fs::read(&file).unwrap();
    let out = regcred(dir.path())
        .env("REGCRED_TEST_FIX_HOOK", "kill")
        .args(["lint", "--fix", "opaque.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), None, "killed by a signal");
    assert_eq!(fs::read(&file).unwrap(), original);
    // Where the temporary file has no name while written (Linux
    // O_TMPFILE), nothing is left; else the complete named temporary file
    // is, beside the untouched original.
    let probe = tempfile::tempdir().unwrap();
    let unnamed = regcred::safe_write::unnamed::create_in(probe.path())
        .unwrap()
        .is_some();
    let temps = temp_files(dir.path());
    if unnamed {
        assert_eq!(temps, Vec::<PathBuf>::new());
    } else {
        assert_eq!(temps.len(), 1);
        let fixed = fs::read_to_string(&temps[0]).unwrap();
        assert!(fixed.contains("type: kubernetes.io/dockerconfigjson"));
    }
}

#[test]
fn refusals_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let out = regcred(dir.path())
        .args(["lint", "--fix", "-"])
        .write_stdin("kind: Secret\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot fix stdin"));
    let out = run(dir.path(), &["--fix", "--fix-secret", "Not_A_Name", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fix-secret"));
}

/// The rules that say they are fixable are the ones whose findings carry
/// fixes, over every rule's bad fixtures; and every fix is edits or says
/// why there is none.
#[test]
fn fixes_come_from_the_rules_that_say_they_fix() {
    use regcred::lint::finding::Fix;
    use regcred::lint::input::classify;
    use regcred::lint::Linter;
    use std::collections::BTreeSet;

    let linter = Linter::default().proposing_fixes();
    let rules = Path::new(FIXTURES).parent().unwrap().join("rules");
    let mut carried = BTreeSet::new();
    let mut folders: Vec<PathBuf> = fs::read_dir(&rules)
        .unwrap()
        .map(|rule| rule.unwrap().path().join("bad"))
        .collect();
    while let Some(folder) = folders.pop() {
        for file in fs::read_dir(&folder).into_iter().flatten() {
            let path = file.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let Some(kind) = classify(&path, true) else {
                continue;
            };
            let bytes = fs::read(&path).unwrap();
            let shown = path.display().to_string();
            let result = linter.lint_source(&shown, path.parent(), &bytes, kind);
            for finding in result.findings {
                let Some(fix) = finding.fix.as_deref() else {
                    continue;
                };
                carried.insert(finding.rule);
                if let Fix::Edits { edits, summary } = fix {
                    assert!(!edits.is_empty() && !summary.is_empty(), "{shown}");
                    assert!(edits.iter().all(|e| e.range.end <= bytes.len()), "{shown}");
                }
            }
        }
    }
    let fixable: BTreeSet<&str> = regcred::lint::rules::all()
        .iter()
        .filter(|r| r.fixable())
        .map(|r| r.id())
        .collect();
    assert_eq!(carried, fixable);
}

/// `imagePullSecrets` insertion into every pod spec of `fixtures/fix/pods/`
/// (block 2 and 4 spaces, indented and kubectl-style sequences, flow,
/// JSON, CRLF, multi-document, an empty list), through the generic API the
/// `missing-image-pull-secrets` fix uses.
#[test]
fn pull_secrets_are_inserted_in_every_style() {
    use regcred::manifest::edit::apply;
    use regcred::manifest::workload::{add_pull_secret, pod_spec};
    use regcred::manifest::{objects, parse_stream};

    for fixture in files_in("pods") {
        let name = fixture.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&fixture).unwrap();
        let docs = parse_stream(&text).unwrap();
        let mut edits = Vec::new();
        let mut pods = 0;
        for object in objects(&docs) {
            let root = docs[object.id.document].root.as_ref().unwrap();
            if let Some(spec) = pod_spec(&object, &text).map(|v| v.spec) {
                edits.push(add_pull_secret(&text, spec, root, "regcred").unwrap());
                pods += 1;
            }
        }
        assert!(pods > 0, "{name}");
        let fixed = apply(&text, &edits).unwrap();
        let new_docs = parse_stream(&fixed).unwrap_or_else(|e| panic!("{name}: {e:?}\n{fixed}"));
        assert_eq!(new_docs.len(), docs.len());
        let edits = regcred::manifest::edit::sorted(edits, &text).unwrap();
        assert_eq!(
            regcred::fix::preserved::first_lost(&docs, &new_docs, &edits),
            None,
            "{name}"
        );
        let mut named = 0;
        for object in objects(&new_docs) {
            if let Some(spec) = pod_spec(&object, &fixed).map(|v| v.spec) {
                let list = spec.get("imagePullSecrets").unwrap();
                let names: Vec<_> = list
                    .items()
                    .iter()
                    .map(|i| i.get("name").and_then(|n| n.as_str()).unwrap())
                    .collect();
                assert_eq!(names, ["regcred"], "{name}");
                named += 1;
            }
        }
        assert_eq!(named, pods, "{name}");
        if text.contains("\r\n") {
            assert_eq!(fixed.matches('\n').count(), fixed.matches("\r\n").count());
        }
        if name.ends_with(".json") {
            serde_json::from_str::<Value>(&fixed).unwrap();
        }
        insta::assert_snapshot!(format!("pods__{name}"), visible(fixed.as_bytes()));
    }
}

/// secretGenerator items: `type:` added or set, near-miss keys renamed in
/// `files:` and `literals:` without touching paths or values; kustomize
/// itself then generates pull Secrets of the right type and key.
#[test]
#[ignore = "needs kubectl 1.32 (/opt/kubectl-legacy, else /usr/bin/kubectl)"]
fn kustomize_generators_are_fixed() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&Path::new(FIXTURES).join("kustomize"), dir.path());
    let out = run(dir.path(), &["--fix", "--diff", "."]);
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(!diff.contains("auths"), "literal values are masked: {diff}");
    run(dir.path(), &["--fix", "."]);
    let fixed = fs::read(dir.path().join("kustomization.yaml")).unwrap();
    insta::assert_snapshot!("kustomize__kustomization.yaml", visible(&fixed));
    let found = rules(dir.path(), &["."]);
    assert!(
        !found
            .iter()
            .any(|(_, r)| r == "pull-secret-wrong-type" || r == "pull-secret-missing-key"),
        "{found:?}"
    );
    run(dir.path(), &["--fix", "."]);
    assert_eq!(
        fs::read(dir.path().join("kustomization.yaml")).unwrap(),
        fixed
    );

    let Some(kubectl) = common::require(common::KUBECTL_LEGACY, "kubectl kustomize on the fix")
    else {
        return;
    };
    let kubectl = std::process::Command::new(kubectl)
        .args(["kustomize", "."])
        .current_dir(dir.path())
        .output()
        .expect("run kubectl");
    assert!(
        kubectl.status.success(),
        "{}",
        String::from_utf8_lossy(&kubectl.stderr)
    );
    let generated = String::from_utf8(kubectl.stdout).unwrap();
    let docs = regcred::manifest::parse_stream(&generated).unwrap();
    let mut seen = Vec::new();
    for doc in &docs {
        let root = doc.root.as_ref().unwrap();
        let name = root
            .path(&["metadata", "name"])
            .and_then(|n| n.text())
            .unwrap();
        let ty = root.get("type").and_then(|n| n.text()).unwrap();
        let keys: Vec<&str> = root
            .get("data")
            .unwrap()
            .entries()
            .iter()
            .filter_map(|e| e.key.text())
            .collect();
        let want = if ty == "kubernetes.io/dockercfg" {
            ".dockercfg"
        } else {
            ".dockerconfigjson"
        };
        assert!(ty.starts_with("kubernetes.io/docker"), "{name}: {ty}");
        assert_eq!(keys, [want], "{name}");
        seen.push(name.split('-').next().unwrap().to_string());
    }
    seen.sort();
    assert_eq!(seen, ["legacy", "literal", "pull", "renamed"]);
}

/// Suppressed findings and rules not selected are not fixed: the file is
/// not touched.
#[test]
fn suppressed_and_unselected_findings_are_left() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(Path::new(FIXTURES).join("wrong-type/opaque.yaml")).unwrap();
    let suppressed = text.replace(
        "type: Opaque  # wrong",
        "type: Opaque  # regcred:ignore pull-secret-wrong-type",
    );
    let suppressed = suppressed.replace(
        "  .dockerconfigjson: ",
        "  # regcred:ignore pull-secret-wrong-type\n  .dockerconfigjson: ",
    );
    fs::write(dir.path().join("suppressed.yaml"), &suppressed).unwrap();
    fs::write(dir.path().join("plain.yaml"), &text).unwrap();
    let out = run(
        dir.path(),
        &["--fix", "--select", "secret-data-plaintext", "."],
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("fixed"));
    assert_eq!(
        fs::read_to_string(dir.path().join("plain.yaml")).unwrap(),
        text
    );
    run(dir.path(), &["--fix", "."]);
    assert_eq!(
        fs::read_to_string(dir.path().join("suppressed.yaml")).unwrap(),
        suppressed
    );
    assert_ne!(
        fs::read_to_string(dir.path().join("plain.yaml")).unwrap(),
        text
    );
}

/// `missing-image-pull-secrets` through the CLI: the pull secret among the
/// inputs whose keys match the images is named (no flag, no config name),
/// in each pod fixture's own style; `lint` afterwards finds no pod without
/// one; a second `--fix` changes nothing.
#[test]
fn pods_get_the_matching_pull_secret() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&Path::new(FIXTURES).join("pods"), dir.path());
    fs::write(
        dir.path().join("pull-secret.yaml"),
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: example-pull\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {SECRET_BASE64}\n"
        ),
    )
    .unwrap();
    let before = rules(dir.path(), &["."]);
    assert!(
        before
            .iter()
            .any(|(_, r)| r == "missing-image-pull-secrets"),
        "{before:?}"
    );
    let out = run(dir.path(), &["--fix", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixed: "), "{stderr}");
    let after = rules(dir.path(), &["."]);
    assert!(
        !after.iter().any(|(_, r)| r == "missing-image-pull-secrets"),
        "{after:?}\n{stderr}"
    );
    for fixture in files_in("pods") {
        let name = fixture.file_name().unwrap();
        let fixed = fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(
            fixed.contains("example-pull"),
            "{}: {fixed}",
            name.to_string_lossy()
        );
        if name.to_string_lossy().ends_with(".json") {
            serde_json::from_str::<Value>(&fixed).unwrap();
        }
    }
    let snapshot: Vec<Vec<u8>> = files_in("pods")
        .iter()
        .map(|f| fs::read(dir.path().join(f.file_name().unwrap())).unwrap())
        .collect();
    run(dir.path(), &["--fix", "."]);
    for (f, bytes) in files_in("pods").iter().zip(snapshot) {
        assert_eq!(
            fs::read(dir.path().join(f.file_name().unwrap())).unwrap(),
            bytes
        );
    }
}

/// A registry not known to be private gives an info finding: `--fix`
/// leaves those pods alone unless told the registry is private.
#[test]
fn unknown_registries_are_not_fixed_unless_configured() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&Path::new(FIXTURES).join("pods"), dir.path());
    let before: Vec<Vec<u8>> = files_in("pods")
        .iter()
        .map(|f| fs::read(dir.path().join(f.file_name().unwrap())).unwrap())
        .collect();
    let out = run(dir.path(), &["--fix", "--fix-secret", "regcred", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not known to be private"), "{stderr}");
    for (f, bytes) in files_in("pods").iter().zip(&before) {
        assert_eq!(
            &fs::read(dir.path().join(f.file_name().unwrap())).unwrap(),
            bytes
        );
    }
    fs::write(
        dir.path().join(".regcred.yaml"),
        "registries:\n  private: [registry.example.com]\nfix:\n  secret-name: from-config\n",
    )
    .unwrap();
    let out = run(dir.path(), &["--fix", "--diff", "."]);
    let diff = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        diff.matches("+++ b/").count(),
        files_in("pods").len(),
        "{diff}"
    );
    assert!(diff.contains("from-config"), "{diff}");
    // --fix-secret wins over the config.
    run(dir.path(), &["--fix", "--fix-secret", "given", "."]);
    let fixed = fs::read_to_string(dir.path().join("pod-flow.yaml")).unwrap();
    assert!(
        fixed.contains("imagePullSecrets: [{name: given}]"),
        "{fixed}"
    );
}

/// One fix enabling another: the Secret given its pull-secret type makes
/// its registry known private, so the pod pulling from it needs it; one
/// `--fix` run does both (in rounds), and a second run changes nothing.
#[test]
fn a_fix_that_enables_another_is_done_in_the_same_run() {
    let dir = tempfile::tempdir().unwrap();
    let secret = fs::read_to_string(Path::new(FIXTURES).join("wrong-type/opaque.yaml")).unwrap();
    fs::write(
        dir.path().join("secret.yaml"),
        secret.replace("  namespace: apps\n", ""),
    )
    .unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: registry.example.com/a:1\n";
    fs::write(dir.path().join("pod.yaml"), pod).unwrap();
    let out = run(dir.path(), &["--fix", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("fixed: secret.yaml"), "{stderr}");
    assert!(stderr.contains("fixed: pod.yaml"), "{stderr}");
    let fixed = fs::read_to_string(dir.path().join("pod.yaml")).unwrap();
    assert!(
        fixed.ends_with("  imagePullSecrets:\n  - name: app-pull\n"),
        "{fixed}"
    );
    let again = run(dir.path(), &["--fix", "."]);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("fixed:"));
    assert_eq!(
        fs::read_to_string(dir.path().join("pod.yaml")).unwrap(),
        fixed
    );
}

/// Pods pulling from a private registry, and their pull Secret written as
/// Opaque, in a file the run fixes first: only once it is fixed is it a
/// pull secret the pods can be given, instead of `fix.secret-name`.
fn resumable_tree(dir: &Path) {
    let payload = r#"{"auths":{"reg.corp.example":{"auth":"dTpw"}}}"#;
    fs::write(
        dir.join(".regcred.yaml"),
        "fix:\n  secret-name: app-pull\nregistries:\n  private: [reg.corp.example]\n",
    )
    .unwrap();
    fs::write(
        dir.join("a-secret.yaml"),
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: shop\ntype: Opaque\ndata:\n  .dockerconfigjson: {}\n",
            regcred::gocompat::base64::encode(payload.as_bytes())
        ),
    )
    .unwrap();
    for i in 1..=4 {
        fs::write(
            dir.join(format!("pod-{i}.yaml")),
            format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\n  namespace: shop\nspec:\n  containers:\n  - name: a\n    image: reg.corp.example/app:{i}\n"),
        )
        .unwrap();
    }
}

fn contents(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_fix_killed_and_resumed_ends_as_an_uninterrupted_one() {
    let whole = tempfile::tempdir().unwrap();
    resumable_tree(whole.path());
    let out = run(whole.path(), &["--fix", "."]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let expected = contents(whole.path());
    // The Secret the run makes a pull secret is the one named.
    for (name, text) in expected.iter().filter(|(n, _)| n.starts_with("pod-")) {
        assert!(
            text.contains("imagePullSecrets:\n  - name: regcred\n"),
            "{name}:\n{text}"
        );
    }
    // Killed after each number of files written, then again after one more.
    for first in 0..=4 {
        let dir = tempfile::tempdir().unwrap();
        resumable_tree(dir.path());
        for hook in [format!("kill-after:{first}"), "kill-after:1".to_string()] {
            let out = regcred(dir.path())
                .env("REGCRED_TEST_FIX_HOOK", &hook)
                .args(["lint", "--fix", "."])
                .output()
                .unwrap();
            assert!(out.status.code() != Some(2), "{hook}: {out:?}");
        }
        let out = run(dir.path(), &["--fix", "."]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert_eq!(contents(dir.path()), expected, "killed after {first} files");
    }
}

#[test]
fn a_kill_between_link_and_rename_is_cleaned_up_by_the_next_run() {
    let probe = tempfile::tempdir().unwrap();
    if regcred::safe_write::unnamed::create_in(probe.path())
        .unwrap()
        .is_none()
    {
        eprintln!("SKIP: no O_TMPFILE here (the named fallback is cleaned up the same way)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("opaque.yaml");
    fs::copy(Path::new(FIXTURES).join("wrong-type/opaque.yaml"), &file).unwrap();
    let original = fs::read(&file).unwrap();
    let out = regcred(dir.path())
        .env("REGCRED_TEST_FIX_HOOK", "kill-after-link")
        .args(["lint", "--fix", "opaque.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), None, "killed by a signal");
    // The window: the complete new file under its temporary name.
    assert_eq!(fs::read(&file).unwrap(), original);
    let temps = temp_files(dir.path());
    assert_eq!(temps.len(), 1, "{temps:?}");
    assert!(fs::read_to_string(&temps[0])
        .unwrap()
        .contains("type: kubernetes.io/dockerconfigjson"));
    // The next run removes it, and fixes the file.
    let out = run(dir.path(), &["--fix", "opaque.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(temp_files(dir.path()), Vec::<PathBuf>::new());
    assert!(fs::read_to_string(&file)
        .unwrap()
        .contains("type: kubernetes.io/dockerconfigjson"));
}

/// A file under a nested `.regcred.yaml` is fixed as that configuration
/// linted it: its private registries and `fix.secret-name` decide the pod's
/// fix, and a rule it turns off proposes no fix, though the base (here the
/// defaults) would.
#[test]
fn a_nested_config_decides_the_fixes_of_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("apps");
    fs::create_dir(&apps).unwrap();
    fs::write(
        apps.join(".regcred.yaml"),
        "rules:\n  pull-secret-wrong-type: off\nregistries:\n  private: [registry.example.com]\nfix:\n  secret-name: from-nested\n",
    )
    .unwrap();
    let secret = fs::read_to_string(Path::new(FIXTURES).join("wrong-type/opaque.yaml")).unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: apps\nspec:\n  containers:\n  - name: a\n    image: registry.example.com/a:1\n";
    fs::write(apps.join("app.yaml"), format!("{secret}---\n{pod}")).unwrap();
    let before = rules(dir.path(), &["."]);
    assert!(
        before
            .iter()
            .any(|(_, r)| r == "missing-image-pull-secrets"),
        "{before:?}"
    );
    assert!(
        !before.iter().any(|(_, r)| r == "pull-secret-wrong-type"),
        "{before:?}"
    );
    let out = run(dir.path(), &["--fix", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let fixed = fs::read_to_string(apps.join("app.yaml")).unwrap();
    assert!(
        fixed.ends_with("  imagePullSecrets:\n  - name: from-nested\n"),
        "{fixed}\n{stderr}"
    );
    assert!(fixed.contains("type: Opaque  # wrong"), "{fixed}");
    assert!(!stderr.contains("pull-secret-wrong-type"), "{stderr}");
    // From a subfolder, the same configuration applies.
    fs::write(apps.join("app.yaml"), format!("{secret}---\n{pod}")).unwrap();
    let out = run(&apps, &["--fix", "--diff", "app.yaml"]);
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("+  - name: from-nested"), "{diff}");
    assert!(!diff.contains("-type: Opaque"), "{diff}");
}
