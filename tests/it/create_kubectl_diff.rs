//! Differential test: `regcred create` against the real kubectl, byte for
//! byte, on a matrix of hundreds of inputs, in both dialects (kubectl 1.32
//! with `creationTimestamp: null`, kubectl 1.37 without) and both formats.

use crate::common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use common::*;

/// One input, expressed for both programs.
struct Case {
    label: String,
    kubectl: Vec<OsString>,
    regcred: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    env: Vec<(String, OsString)>,
}

/// Valid DNS-1123 names that go-yaml must quote, and some it must not.
const NAMES: &[&str] = &[
    "regcred",
    "123",
    "1e3",
    "0x1f",
    "y",
    "n",
    "yes",
    "no",
    "on",
    "off",
    "true",
    "false",
    "null",
    "2024-01-01",
    "2024-1-1",
    "2024-02-30",
    "2023-02-29",
    "2024-02-29",
    "0755",
    "0o17",
    "0b101",
    "09",
    "1e-3",
    "1.5",
    "1.5e3",
    "nan",
    "a.b",
    "12345678901234567890",
    "99999999999999999999",
    "0xffffffffffffffffff",
    "1e400",
    "1-2",
    "1.2.3",
    "inf",
    "x",
    "pull-secret.example",
];
const NAMESPACES: &[&str] = &[
    "default", "123", "y", "true", "null", "0x1f", "1e3", "off", "team-a",
];

/// Bytes for every escaping class of Go's JSON encoder, and more.
const CLASSES: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"\x01",
    b"\x07",
    b"\x08",
    b"\x0b",
    b"\x0c",
    b"\n",
    b"\r",
    b"\t",
    b"\x1b",
    b"\x1f",
    b"<",
    b">",
    b"&",
    "\u{2028}".as_bytes(),
    "\u{2029}".as_bytes(),
    b"\x7f",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"\xed\xa0\x80",
    b"\xf0\x9f\x98",
    b"\x80",
    "é".as_bytes(),
    "日本".as_bytes(),
    "😀".as_bytes(),
    "\u{85}".as_bytes(),
    "\u{a0}".as_bytes(),
    "\u{feff}".as_bytes(),
    b" ",
    b"'",
    b"#",
    b"$(id)",
    b"%s",
    b"{}",
    b"/",
    b"=",
    b"+",
];

const SERVERS: &[&str] = &[
    "registry.example.com",
    "https://index.docker.io/v1/",
    "reg.io:5000",
    "https://reg.io:5000/v2/team/",
    "http://localhost:5000",
    "réseau.example",
    "[::1]:5000",
    // `<`, `>`, `&` and `"`, escaped by Go's JSON; not a `<placeholder>`,
    // which regcred refuses as lint does.
    "reg.io/path>with<&\"quotes\"",
    "quay.io/org/repo",
    "123.example",
];

/// A tiny deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn some_bytes(&mut self, max: usize, no_colon: bool) -> Vec<u8> {
        let len = 1 + self.below(max);
        self.bytes(len, no_colon)
    }
    fn bytes(&mut self, len: usize, no_colon: bool) -> Vec<u8> {
        let mut out = Vec::new();
        while out.len() < len {
            if self.below(3) == 0 {
                out.extend_from_slice(CLASSES[self.below(CLASSES.len())]);
            } else {
                let c = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@!"
                    [self.below(68)];
                if !(no_colon && c == b':') {
                    out.push(c);
                }
            }
        }
        out
    }
}

struct Creds<'a> {
    name: &'a str,
    namespace: Option<&'a str>,
    server: Option<&'a [u8]>,
    username: &'a [u8],
    password: &'a [u8],
    email: Option<&'a [u8]>,
    append_hash: bool,
}

fn credentials_case(i: usize, c: &Creds<'_>, dir: &Path) -> Case {
    let mut kubectl = vec![
        os("create"),
        os("secret"),
        os("docker-registry"),
        os(c.name),
    ];
    let mut regcred = vec![os("create"), os(c.name)];
    let mut both = Vec::new();
    if let Some(ns) = c.namespace {
        both.push(os(format!("--namespace={ns}")));
    }
    if let Some(s) = c.server {
        both.push(os_bytes(&[b"--docker-server=", s].concat()));
    }
    both.push(os_bytes(&[b"--docker-username=", c.username].concat()));
    if let Some(e) = c.email {
        both.push(os_bytes(&[b"--docker-email=", e].concat()));
    }
    if c.append_hash {
        both.push(os("--append-hash"));
    }
    kubectl.extend(both.iter().cloned());
    regcred.extend(both);
    kubectl.push(os_bytes(&[b"--docker-password=", c.password].concat()));

    // Every password source, in turn; stdin and files lose one trailing
    // newline, so passwords ending in one go through the environment.
    let ends_in_newline = c.password.ends_with(b"\n") || c.password.ends_with(b"\r");
    let mut stdin = None;
    let mut env = Vec::new();
    match (i % 4, ends_in_newline) {
        (0, false) => {
            regcred.push(os("--docker-password-stdin"));
            stdin = Some([c.password, b"\n"].concat());
        }
        (2, false) => {
            let path = dir.join(format!("password-{i}"));
            std::fs::write(&path, [c.password, b"\n"].concat()).unwrap();
            regcred.push(os("--docker-password-file"));
            regcred.push(path.into_os_string());
        }
        (3, _) => regcred.push(os_bytes(&[b"--docker-password=", c.password].concat())),
        _ => {
            regcred.push(os("--docker-password-env=REGCRED_TEST_PASSWORD"));
            env.push(("REGCRED_TEST_PASSWORD".to_string(), os_bytes(c.password)));
        }
    }
    Case {
        label: format!("credentials case {i} (name {:?})", c.name),
        kubectl,
        regcred,
        stdin,
        env,
    }
}

fn config_case(i: usize, name: &str, namespace: Option<&str>, path: &Path, hash: bool) -> Case {
    let mut kubectl = if i % 2 == 0 {
        vec![os("create"), os("secret"), os("docker-registry"), os(name)]
    } else {
        vec![
            os("create"),
            os("secret"),
            os("generic"),
            os(name),
            os("--type=kubernetes.io/dockerconfigjson"),
        ]
    };
    let mut from_file = OsString::from("--from-file=.dockerconfigjson=");
    from_file.push(path);
    kubectl.push(from_file);
    let mut regcred = vec![os("create"), os(name), os("--from-config"), os(path)];
    for args in [&mut kubectl, &mut regcred] {
        if let Some(ns) = namespace {
            args.push(os("-n"));
            args.push(os(ns));
        }
        if hash {
            args.push(os("--append-hash"));
        }
    }
    Case {
        label: format!("config case {i} ({})", path.display()),
        kubectl,
        regcred,
        stdin: None,
        env: Vec::new(),
    }
}

/// A config file holding generated credentials, as `docker login` writes it.
fn generated_config(rng: &mut Rng, dir: &Path, i: usize) -> PathBuf {
    let registries = 1 + rng.below(3);
    let mut auths = serde_json::Map::new();
    for r in 0..registries {
        let user = String::from_utf8_lossy(&rng.some_bytes(12, true)).into_owned();
        let pass = String::from_utf8_lossy(&rng.some_bytes(40, false)).into_owned();
        let auth = regcred::gocompat::base64::encode(format!("{user}:{pass}").as_bytes());
        let mut entry = serde_json::Map::new();
        match rng.below(3) {
            0 => {
                entry.insert("auth".into(), auth.into());
            }
            1 => {
                entry.insert("username".into(), user.into());
                entry.insert("password".into(), pass.into());
            }
            _ => {
                entry.insert("auth".into(), auth.into());
                entry.insert("email".into(), format!("u{r}@example.com").into());
            }
        }
        auths.insert(SERVERS[rng.below(SERVERS.len())].to_string(), entry.into());
    }
    let value = serde_json::json!({ "auths": auths });
    let mut text = if rng.below(2) == 0 {
        serde_json::to_string(&value).unwrap()
    } else {
        serde_json::to_string_pretty(&value).unwrap()
    };
    if rng.below(2) == 0 {
        text.push('\n');
    }
    let path = dir.join(format!("generated-{i}.json"));
    std::fs::write(&path, text).unwrap();
    path
}

fn matrix(dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let creds = |i: usize, c: Creds<'_>| credentials_case(i, &c, dir);
    let mut n = 0;
    let push = |cases: &mut Vec<Case>, c: Case| {
        cases.push(c);
    };

    // Fixed cases: defaults, namespace, email, hash, every server shape.
    push(
        &mut cases,
        creds(
            n,
            Creds {
                name: "regcred",
                namespace: None,
                server: None,
                username: b"alice",
                password: b"s3cret",
                email: None,
                append_hash: false,
            },
        ),
    );
    n += 1;
    push(
        &mut cases,
        creds(
            n,
            Creds {
                name: "regcred",
                namespace: Some("team-a"),
                server: Some(b"registry.example.com"),
                username: b"alice",
                password: b"s3cret",
                email: Some(b"alice@example.com"),
                append_hash: true,
            },
        ),
    );
    n += 1;
    for s in SERVERS {
        push(
            &mut cases,
            creds(
                n,
                Creds {
                    name: "srv",
                    namespace: None,
                    server: Some(s.as_bytes()),
                    username: b"u",
                    password: b"p",
                    email: None,
                    append_hash: n % 2 == 0,
                },
            ),
        );
        n += 1;
    }
    // Names and namespaces go-yaml must quote (and some it must not).
    for (k, name) in NAMES.iter().enumerate() {
        let ns = NAMESPACES.get(k % (NAMESPACES.len() + 2)).copied();
        push(
            &mut cases,
            creds(
                n,
                Creds {
                    name,
                    namespace: ns,
                    server: Some(b"r.io"),
                    username: b"u",
                    password: b"p",
                    email: None,
                    append_hash: k % 3 == 0,
                },
            ),
        );
        n += 1;
    }
    // Every escaping class alone, in each field.
    for class in CLASSES {
        let user: Vec<u8> = [b"u".as_slice(), class, b"x"].concat();
        let pass: Vec<u8> = [b"p".as_slice(), class].concat();
        let email: Vec<u8> = [class.to_vec(), b"@e".to_vec()].concat();
        push(
            &mut cases,
            creds(
                n,
                Creds {
                    name: "esc",
                    namespace: None,
                    server: Some(b"r.io"),
                    username: &user,
                    password: &pass,
                    email: Some(&email),
                    append_hash: n % 2 == 1,
                },
            ),
        );
        n += 1;
    }
    // Generated credentials, including 4 KiB passwords.
    for k in 0..90 {
        let name = NAMES[rng.below(NAMES.len())];
        let user = rng.some_bytes(20, true);
        let len = if k % 10 == 0 { 4096 } else { 1 + rng.below(64) };
        let pass = rng.bytes(len, false);
        let pass = &pass[..len.min(pass.len())];
        let email = rng.some_bytes(16, false);
        let server = SERVERS[rng.below(SERVERS.len())];
        let with_email = rng.below(2) == 0;
        let ns = if rng.below(3) == 0 {
            Some(NAMESPACES[rng.below(NAMESPACES.len())])
        } else {
            None
        };
        push(
            &mut cases,
            creds(
                n,
                Creds {
                    name,
                    namespace: ns,
                    server: if rng.below(4) == 0 {
                        None
                    } else {
                        Some(server.as_bytes())
                    },
                    username: &user,
                    password: pass,
                    email: with_email.then_some(email.as_slice()),
                    append_hash: rng.below(3) == 0,
                },
            ),
        );
        n += 1;
    }

    // Config files: bundled fixtures, and generated ones.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/create");
    for (k, f) in [
        "single-no-newline.json",
        "single-newline.json",
        "pretty-two-registries.json",
        "several-registries.json",
        "crlf-uppercase.json",
        "escapes.json",
        "conflicting.json",
    ]
    .iter()
    .enumerate()
    {
        for (j, name) in ["regcred", "123", "yes"].iter().enumerate() {
            let ns = (j == 1).then_some("null");
            push(
                &mut cases,
                config_case(n, name, ns, &fixtures.join(f), (k + j) % 2 == 0),
            );
            n += 1;
        }
    }
    // Invalid UTF-8 inside a config's strings: Go reads it as U+FFFD, the
    // bytes go in verbatim.
    for (k, bytes) in [
        &b"{\"auths\":{\"r.io\":{\"username\":\"u\xff\",\"password\":\"p\xc3\xe2\x80\"}}}"[..],
        b"{\"auths\":{\"r\xe9.io\":{\"auth\":\"dTpw\",\"email\":\"\xed\xa0\x80\"}}}\n",
    ]
    .iter()
    .enumerate()
    {
        let path = dir.join(format!("invalid-utf8-{k}.json"));
        std::fs::write(&path, bytes).unwrap();
        push(&mut cases, config_case(n, "bytes", None, &path, k == 0));
        n += 1;
    }
    for k in 0..40 {
        let path = generated_config(&mut rng, dir, k);
        let name = NAMES[rng.below(NAMES.len())];
        push(&mut cases, config_case(n, name, None, &path, k % 3 == 0));
        n += 1;
    }
    cases
}

fn kubectls() -> Vec<(PathBuf, &'static str)> {
    let mut found = Vec::new();
    if let Some(p) = require(KUBECTL_LEGACY, "the differential test against kubectl 1.32") {
        found.push((p, "legacy"));
    }
    if let Some(p) = require(
        KUBECTL_CURRENT,
        "the differential test against kubectl 1.37",
    ) {
        found.push((p, "current"));
    }
    found
}

#[test]
#[ignore = "needs kubectl 1.32 and a current kubectl"]
fn regcred_create_matches_kubectl_byte_for_byte() {
    let kubectls = kubectls();
    if kubectls.is_empty() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cases = matrix(dir.path());
    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let compared = AtomicUsize::new(0);
    let regcred = regcred();
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = cases.get(i) else { break };
                for (kubectl, dialect) in &kubectls {
                    for format in ["yaml", "json"] {
                        let mut kargs = case.kubectl.clone();
                        kargs.extend([os("--dry-run=client"), os("-o"), os(format)]);
                        let want = run(kubectl, &kargs, None, &[]);
                        let mut rargs = case.regcred.clone();
                        rargs.extend([os("-o"), os(format), os("--kubectl-dialect"), os(dialect)]);
                        let got = run(&regcred, &rargs, case.stdin.as_deref(), &case.env);
                        compared.fetch_add(1, Ordering::SeqCst);
                        if !want.status.success() {
                            failures.lock().unwrap().push(format!(
                                "{}: {} -o {format} failed: {}",
                                case.label,
                                kubectl.display(),
                                String::from_utf8_lossy(&want.stderr)
                            ));
                        } else if !got.status.success() || got.stdout != want.stdout {
                            failures.lock().unwrap().push(format!(
                                "{}: -o {format} vs {} ({dialect}): exit {:?}, stderr {:?}\n{}",
                                case.label,
                                kubectl.display(),
                                got.status.code(),
                                String::from_utf8_lossy(&got.stderr),
                                first_difference(&want.stdout, &got.stdout)
                            ));
                        }
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    eprintln!(
        "compared {} outputs over {} cases: {} differences",
        compared.load(Ordering::SeqCst),
        cases.len(),
        failures.len()
    );
    assert!(
        cases.len() >= 200,
        "the matrix shrank to {} cases",
        cases.len()
    );
    if let Some(first) = failures.first() {
        panic!("{} differences; first:\n{first}", failures.len());
    }
}
