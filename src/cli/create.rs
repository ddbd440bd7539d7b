//! `regcred create NAME`: a pull Secret, byte for byte as
//! `kubectl create secret docker-registry NAME --dry-run=client -o yaml|json`
//! prints it, from credentials or Docker config files, validated first.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use zeroize::Zeroizing;

use crate::bounded_read::{self, Follow, Limit};
use crate::dockercfg::payload::{self, PayloadKind};
use crate::dockercfg::select::{self, Selection};
use crate::dockercfg::{ConfigFile, Credential};
use crate::generate::{self, names, Dialect, Secret};
use crate::image::keyring::{self, Keyring};
use crate::image::{classify_registry, parse_image, ParsedImage, RegistryClass, RegistryLists};
use crate::lint::config::Config;
use crate::lint::rules::pull_secret_invalid_registry;
use crate::lint::rules::secret_name_invalid::subdomain_problem;
use crate::lint::walk::workload_pods;
use crate::placeholder::placeholder;
use crate::safe_write::private;
use crate::seal::{self, Scope, SealedSecret, SealingKey};
use crate::workspace::config_of;

/// A command-line value that must never be shown (not even by `Debug`).
#[derive(Clone)]
pub struct SecretArg(Zeroizing<Vec<u8>>);

impl fmt::Debug for SecretArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Takes the argument's raw bytes: Go strings are bytes, so kubectl accepts
/// passwords that are not UTF-8.
#[derive(Clone)]
struct SecretParser;

impl clap::builder::TypedValueParser for SecretParser {
    type Value = SecretArg;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<SecretArg, clap::Error> {
        Ok(SecretArg(Zeroizing::new(value.as_bytes().to_vec())))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TypeArg {
    /// kubernetes.io/dockerconfigjson, key .dockerconfigjson: {"auths":{...}}
    Dockerconfigjson,
    /// kubernetes.io/dockercfg, key .dockercfg: the legacy bare {REGISTRY: ENTRY}
    Dockercfg,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("password").multiple(false).args([
    "docker_password_stdin", "docker_password_file", "docker_password_env", "docker_password",
])))]
pub struct CreateArgs {
    /// Name of the Secret (a DNS-1123 subdomain)
    pub name: String,

    /// Registry server, the key of the auths entry [default: https://index.docker.io/v1/]
    #[arg(long, value_name = "SERVER", help_heading = "From credentials")]
    pub docker_server: Option<OsString>,
    /// Registry username
    #[arg(long, value_name = "USER", help_heading = "From credentials")]
    pub docker_username: Option<OsString>,
    /// Email stored in the entry (left out when not given)
    #[arg(long, value_name = "EMAIL", help_heading = "From credentials")]
    pub docker_email: Option<OsString>,
    /// Read the password from stdin (one trailing newline removed)
    #[arg(long, help_heading = "From credentials")]
    pub docker_password_stdin: bool,
    /// Read the password from a file (one trailing newline removed)
    #[arg(long, value_name = "FILE", help_heading = "From credentials")]
    pub docker_password_file: Option<PathBuf>,
    /// Read the password from an environment variable
    #[arg(long, value_name = "VAR", help_heading = "From credentials")]
    pub docker_password_env: Option<OsString>,
    /// The password itself (warns: it lands in shell history and the process list)
    #[arg(long, value_name = "PASSWORD", value_parser = SecretParser, help_heading = "From credentials")]
    pub docker_password: Option<SecretArg>,

    /// Docker config.json to take credentials from (repeatable: merged; `-`: stdin)
    #[arg(
        long = "from-config",
        value_name = "FILE",
        help_heading = "From Docker config files"
    )]
    pub from_config: Vec<PathBuf>,
    /// kubectl's spelling of --from-config: `.dockerconfigjson=FILE`
    #[arg(
        long = "from-file",
        value_name = ".dockerconfigjson=FILE",
        help_heading = "From Docker config files"
    )]
    pub from_file: Vec<String>,
    /// Keep only this registry's credentials (repeatable)
    #[arg(long, value_name = "HOST", help_heading = "From Docker config files")]
    pub registry: Vec<String>,
    /// Ask credsStore/credHelpers (docker-credential-NAME get) for entries kept in a helper
    #[arg(long, help_heading = "From Docker config files")]
    pub resolve_helpers: bool,
    /// When merging, a registry in two files takes the later file's credentials
    #[arg(long, help_heading = "From Docker config files")]
    pub prefer_later: bool,
    /// Keep only the registries the workloads under PATH pull from, by the
    /// kubelet's matching (repeatable); fails when an image has no credentials
    #[arg(
        long = "for",
        value_name = "PATH",
        requires = "from_config",
        help_heading = "From Docker config files"
    )]
    pub for_paths: Vec<PathBuf>,

    /// Namespace of the Secret
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value = "yaml")]
    pub output: Format,
    /// Write to this file (mode 0600, atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Replace --output-file if it exists (only a regular file: never a
    /// device, a FIFO or a symbolic link)
    #[arg(long, requires = "output_file")]
    pub force: bool,
    /// Append a hash of the content to the name, as kubectl --append-hash
    #[arg(long)]
    pub append_hash: bool,
    /// Secret type
    #[arg(long = "type", value_enum, default_value = "dockerconfigjson")]
    pub secret_type: TypeArg,
    /// Add a label KEY=VALUE (repeatable)
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// Add an annotation KEY=VALUE (repeatable)
    #[arg(long = "annotation", value_name = "KEY=VALUE")]
    pub annotations: Vec<String>,
    /// Which kubectl's output to reproduce: current (1.34+) or legacy (1.33 and older: creationTimestamp: null)
    #[arg(long, value_enum, default_value = "current")]
    pub kubectl_dialect: Dialect,

    /// Print a SealedSecret instead, sealed with this certificate (the PEM
    /// `kubeseal --fetch-cert` prints), as `kubeseal --cert FILE` would
    #[arg(long, value_name = "FILE", help_heading = "Sealing")]
    pub seal_cert: Option<PathBuf>,
    /// Where the controller may unseal it: strict (this name and namespace),
    /// namespace-wide (any name in the namespace) or cluster-wide
    #[arg(
        long,
        value_enum,
        default_value = "strict",
        requires = "seal_cert",
        help_heading = "Sealing"
    )]
    pub seal_scope: Scope,
}

/// What went wrong, as one line for the user. Never holds a secret.
struct Failure(String);

impl<E: fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn failure(msg: impl Into<String>) -> Failure {
    Failure(msg.into())
}

pub fn run(args: CreateArgs) -> ExitCode {
    match create(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => super::fail(message),
    }
}

/// The bytes `regcred create` prints for `args`, validated, nothing written.
/// The kustomize generator (`crate::krm`) calls it so that both emit the
/// same Secret.
pub fn render(args: &CreateArgs) -> Result<Zeroizing<Vec<u8>>, String> {
    rendered(args).map_err(|Failure(message)| message)
}

fn create(args: &CreateArgs) -> Result<(), Failure> {
    let rendered = rendered(args)?;
    match &args.output_file {
        Some(path) => private::write(path, &rendered, args.force).map_err(output_file_error),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&rendered)
                .and_then(|()| out.flush())
                .map_err(|e| failure(format!("cannot write to stdout: {e}")))
        }
    }
}

fn rendered(args: &CreateArgs) -> Result<Zeroizing<Vec<u8>>, Failure> {
    // The words `regcred lint` would use on the Secret this makes.
    if let Some(problem) = subdomain_problem(&args.name) {
        if placeholder(&args.name).is_some() {
            return Err(failure(format!(
                "{:?} is not a valid Secret name: {problem} [secret-name-invalid]",
                args.name
            )));
        }
    }
    names::check_name(&args.name).map_err(Failure)?;
    if let Some(ns) = &args.namespace {
        names::check_namespace(ns).map_err(Failure)?;
    }
    let labels = key_values("label", &args.labels)?;
    for (k, v) in &labels {
        names::check_label_value(k, v).map_err(Failure)?;
    }
    let annotations = key_values("annotation", &args.annotations)?;
    names::check_annotations_size(&annotations).map_err(Failure)?;
    if let Some(path) = &args.output_file {
        refuse_existing(path, args.force)?;
    }
    // Before any credential is read: a bad certificate fails first.
    let sealing_key = match &args.seal_cert {
        Some(path) => Some(SealingKey::read(path)?),
        None => None,
    };
    let kind = match args.secret_type {
        TypeArg::Dockerconfigjson => PayloadKind::DockerConfigJson,
        TypeArg::Dockercfg => PayloadKind::DockerCfg,
    };

    let config_paths = config_paths(args)?;
    let payload = if config_paths.is_empty() {
        from_credentials(args, kind)?
    } else {
        from_configs(args, &config_paths, kind)?
    };

    let mut secret = Secret {
        name: args.name.clone(),
        namespace: args.namespace.clone(),
        labels,
        annotations,
        kind,
        payload,
    };
    if args.append_hash {
        secret.append_hash();
    }
    if let Some(key) = &sealing_key {
        let sealed = SealedSecret::seal(&mut rsa::rand_core::OsRng, &secret, key, args.seal_scope)?;
        return Ok(Zeroizing::new(match args.output {
            Format::Yaml => seal::yaml::render(&sealed, args.kubectl_dialect).into_bytes(),
            Format::Json => seal::json::render(&sealed, args.kubectl_dialect),
        }));
    }
    Ok(Zeroizing::new(match args.output {
        Format::Yaml => generate::yaml::render(&secret, args.kubectl_dialect).into_bytes(),
        Format::Json => generate::json::render(&secret, args.kubectl_dialect),
    }))
}

fn key_values(what: &str, items: &[String]) -> Result<Vec<(String, String)>, Failure> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in items {
        let Some((k, v)) = item.split_once('=') else {
            return Err(failure(format!("--{what} {item:?} must be KEY=VALUE")));
        };
        names::check_key(what, k).map_err(Failure)?;
        if out.iter().any(|(seen, _)| seen == k) {
            return Err(failure(format!("--{what} {k:?} is given twice")));
        }
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}

// ---------------------------------------------------------------- credentials

fn from_credentials(args: &CreateArgs, kind: PayloadKind) -> Result<Zeroizing<Vec<u8>>, Failure> {
    if !args.registry.is_empty() || args.resolve_helpers || args.prefer_later {
        return Err(failure(
            "--registry, --resolve-helpers and --prefer-later apply to --from-config only",
        ));
    }
    let server = match &args.docker_server {
        Some(s) => s.as_bytes().to_vec(),
        None => b"https://index.docker.io/v1/".to_vec(),
    };
    check_server(&server)?;
    let username = args
        .docker_username
        .as_ref()
        .map(|u| u.as_bytes().to_vec())
        .unwrap_or_default();
    if username.is_empty() {
        return Err(failure(
            "no credentials: give --from-config FILE, or --docker-username with --docker-password-stdin (or -file, -env)",
        ));
    }
    if username.contains(&b':') {
        return Err(failure(
            "--docker-username contains ':'; the kubelet splits auth at the first ':', so it would use the wrong username",
        ));
    }
    let password = read_password(args)?;
    if password.is_empty() {
        return Err(failure("the password is empty"));
    }
    let email = args
        .docker_email
        .as_ref()
        .map(|e| e.as_bytes().to_vec())
        .unwrap_or_default();
    let credential = Credential {
        username: Zeroizing::new(username),
        password,
        email,
    };
    Ok(payload::build(kind, &[(server, credential)]))
}

/// The kubelet silently ignores an `auths` key that Go's `net/url` cannot
/// parse: refuse exactly those (the kubelet's own parse of the key), and a
/// key without a host, which parses but can match no image.
fn check_server(server: &[u8]) -> Result<(), Failure> {
    let Ok(text) = std::str::from_utf8(server) else {
        return Err(failure("--docker-server is not valid UTF-8"));
    };
    match keyring::parse_key(text) {
        Err(error) => Err(failure(format!(
            "--docker-server {text:?} cannot be parsed as a URL the way the kubelet parses registry keys ({error}); the kubelet would ignore these credentials"
        ))),
        Ok(url) if url.host.is_empty() => {
            Err(failure(format!("--docker-server {text:?} has no host")))
        }
        Ok(_) => check_registry_key("--docker-server", text),
    }
}

/// Refuses a registry key that `regcred lint` rejects (a placeholder, a
/// name without '.' or ':' that no image can name), in the rule's words.
fn check_registry_key(what: &str, key: &str) -> Result<(), Failure> {
    match pull_secret_invalid_registry::problem(key) {
        Some((message, note)) => Err(failure(format!(
            "{what}: {message} [pull-secret-invalid-registry]: {note}"
        ))),
        None => Ok(()),
    }
}

/// `--from-config` files, then `--from-file=.dockerconfigjson=FILE` ones
/// (kubectl's spelling for a generic Secret).
fn config_paths(args: &CreateArgs) -> Result<Vec<PathBuf>, Failure> {
    let mut paths = args.from_config.clone();
    for item in &args.from_file {
        match item.split_once('=') {
            Some((".dockerconfigjson", path)) if !path.is_empty() => {
                paths.push(PathBuf::from(path))
            }
            _ => {
                return Err(failure(format!(
                "--from-file {item:?}: only `.dockerconfigjson=FILE` is understood (the same as \
                     --from-config FILE)"
            )))
            }
        }
    }
    Ok(paths)
}

fn strip_newline(mut bytes: Zeroizing<Vec<u8>>) -> Zeroizing<Vec<u8>> {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    bytes
}

fn read_password(args: &CreateArgs) -> Result<Zeroizing<Vec<u8>>, Failure> {
    if args.docker_password_stdin {
        let bytes = bounded_read::read_secret_stream(std::io::stdin().lock(), Limit::PASSWORD, 0)
            .map_err(|e| failure(format!("cannot read the password from stdin: {e}")))?;
        return Ok(strip_newline(bytes));
    }
    if let Some(path) = &args.docker_password_file {
        let bytes =
            bounded_read::read_secret_file(path, Limit::PASSWORD, Follow::Yes).map_err(|e| {
                failure(format!(
                    "cannot read --docker-password-file {}: {e}",
                    path.display()
                ))
            })?;
        return Ok(strip_newline(bytes));
    }
    if let Some(var) = &args.docker_password_env {
        let Some(value) = std::env::var_os(var) else {
            return Err(failure(format!(
                "--docker-password-env: environment variable {} is not set",
                var.to_string_lossy()
            )));
        };
        return Ok(Zeroizing::new(value.as_bytes().to_vec()));
    }
    if let Some(SecretArg(p)) = &args.docker_password {
        eprintln!(
            "warning: --docker-password puts the password in your shell history and the process list; prefer --docker-password-stdin, --docker-password-file or --docker-password-env"
        );
        return Ok(p.clone());
    }
    Err(failure(
        "no password: give one of --docker-password-stdin, --docker-password-file, --docker-password-env",
    ))
}

// ---------------------------------------------------------------- config files

fn from_configs(
    args: &CreateArgs,
    paths: &[PathBuf],
    kind: PayloadKind,
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    if args.docker_username.is_some()
        || args.docker_server.is_some()
        || args.docker_email.is_some()
        || args.docker_password.is_some()
        || args.docker_password_stdin
        || args.docker_password_file.is_some()
        || args.docker_password_env.is_some()
    {
        return Err(failure(
            "--from-config cannot be combined with --docker-server, --docker-username, --docker-email or a password option",
        ));
    }
    let mut files = Vec::with_capacity(paths.len());
    let mut stdin_read = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if std::mem::replace(&mut stdin_read, true) {
                return Err(failure(
                    "--from-config - is given twice: stdin can be read once",
                ));
            }
            if args.docker_password_stdin {
                return Err(failure(
                    "--from-config - and --docker-password-stdin both read stdin",
                ));
            }
            let bytes =
                bounded_read::read_secret_stream(std::io::stdin().lock(), Limit::DOCKER_CONFIG, 0)
                    .map_err(|e| {
                        failure(format!("cannot read the Docker config from stdin: {e}"))
                    })?;
            files.push(ConfigFile::parse(Path::new("<stdin>"), bytes)?);
        } else {
            files.push(ConfigFile::read(path)?);
        }
    }
    let mut registries = args.registry.clone();
    if !args.for_paths.is_empty() {
        registries.extend(servers_for_workloads(&files, &args.for_paths)?);
    }
    let request = select::Request {
        registries: &registries,
        resolve_helpers: args.resolve_helpers,
        later_wins: args.prefer_later,
        // The legacy shape is always a rewrite.
        force_rewrite: kind == PayloadKind::DockerCfg,
    };
    let selection = select::select(&files, &request)?;
    let servers = selection.servers();
    for server in &servers {
        check_registry_key(&format!("the config's registry {server:?}"), server)?;
    }
    if registries.is_empty() && servers.len() > 1 {
        let shown: Vec<String> = servers.iter().map(|s| format!("{s:?}")).collect();
        eprintln!(
            "warning: the Secret will carry credentials for {} registries ({}); add --registry HOST for each registry your pods pull from to keep only those",
            servers.len(),
            shown.join(", ")
        );
    }
    Ok(match selection {
        Selection::Verbatim { bytes, .. } => bytes,
        Selection::Entries(entries) => payload::build(kind, &entries),
    })
}

/// The config keys the kubelet would use for the images of the workloads
/// under `paths` (every matching key of each image, as the kubelet tries them
/// all). An image from a registry that is not public and has no matching key
/// is an error naming the image and its file; public images without
/// credentials need none.
fn servers_for_workloads(files: &[ConfigFile], paths: &[PathBuf]) -> Result<Vec<String>, Failure> {
    let (pods, errors) = workload_pods(paths, 0);
    if let Some(e) = errors.first() {
        return Err(failure(e.to_string()));
    }
    let mut servers: Vec<String> = Vec::new();
    for file in files {
        let keys = file
            .auths
            .iter()
            .map(|a| a.server.clone())
            .chain(file.cred_helpers.iter().map(|(h, _)| h.clone()));
        for key in keys {
            if !servers.contains(&key) {
                servers.push(key);
            }
        }
    }
    let config_names = files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    // The public registries of the workloads' .regcred.yaml need no
    // credentials either (each path's nearest one).
    let mut lists = RegistryLists::default();
    let mut read = Vec::new();
    for path in paths.iter().filter_map(|p| config_of(p)) {
        if read.contains(&path) {
            continue;
        }
        let config = Config::load(&path)?;
        lists.private.extend(config.registries.private);
        lists.public.extend(config.registries.public);
        read.push(path);
    }
    let mut wanted: Vec<String> = Vec::new();
    let mut images = 0;
    let servers_keyring = Keyring::new(&servers);
    for pod in &pods {
        for image in &pod.view.images {
            let place = pod
                .anchor(&image.span)
                .map(|a| format!("{}:{}", pod.path, a.start.line))
                .unwrap_or_else(|| pod.view.file.display().to_string());
            let reference = match parse_image(&image.image) {
                ParsedImage::Reference(r) => r,
                ParsedImage::Template => {
                    eprintln!(
                        "warning: {place}: image {:?} is a template, skipped",
                        image.image
                    );
                    continue;
                }
                ParsedImage::Invalid(why) => {
                    return Err(failure(format!(
                        "{place}: image {:?} is not a valid reference: {why}",
                        image.image
                    )))
                }
            };
            images += 1;
            let found = servers_keyring.lookup(&reference.name());
            if found.tried.is_empty() {
                let (class, _) = classify_registry(&reference.domain, &lists);
                if class == RegistryClass::Public {
                    continue;
                }
                return Err(failure(format!(
                    "{place}: image {:?} pulls from {:?}, and {config_names} holds no credentials the kubelet would use for it (it has: {}); run `docker login {}` or check the image",
                    image.image,
                    reference.domain,
                    servers.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", "),
                    found.suggested_key
                )));
            }
            for &i in &found.tried {
                if let Some(server) = servers.get(i) {
                    if !wanted.contains(server) {
                        wanted.push(server.clone());
                    }
                }
            }
        }
    }
    if images == 0 {
        return Err(failure(format!(
            "no workload images under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if wanted.is_empty() {
        return Err(failure(
            "the workloads pull only public images: they need no pull secret",
        ));
    }
    Ok(wanted)
}

// ---------------------------------------------------------------- output file

fn refuse_existing(path: &Path, force: bool) -> Result<(), Failure> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(failure(format!(
            "--output-file {} is a directory",
            path.display()
        ))),
        Ok(meta) if !meta.is_file() => Err(output_file_error(private::WriteError::NotRegular {
            path: path.display().to_string(),
            kind: crate::bounded_read::not_regular(path).unwrap_or("not a file"),
        })),
        Ok(_) if !force => Err(failure(format!(
            "--output-file {} already exists; pass --force to replace it",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// The writer's error, with the options that would change the answer.
fn output_file_error(error: private::WriteError) -> Failure {
    match error {
        private::WriteError::Exists { path } => failure(format!(
            "--output-file {path} already exists; pass --force to replace it"
        )),
        private::WriteError::NotRegular { path, kind } => failure(format!(
            "--output-file {path} is {kind}, not a regular file; --force replaces only regular files"
        )),
        other => Failure::from(other),
    }
}

#[cfg(test)]
mod tests {
    use super::check_server;

    #[test]
    fn servers_are_refused_as_the_kubelet_refuses_keys() {
        for bad in [
            "reg.io:abc",
            "reg io",
            "reg.io\\x",
            "reg%41.io",
            "[::1",
            "https:///path",
        ] {
            assert!(check_server(bad.as_bytes()).is_err(), "{bad:?}");
        }
        // Go's net/url accepts a non-ASCII %-escape in a host, and so does the kubelet.
        for good in [
            "reg.io:5000",
            "https://index.docker.io/v1/",
            "http://[::1]:5000/team",
            "reg%C3%A9.io",
        ] {
            assert!(check_server(good.as_bytes()).is_ok(), "{good:?}");
        }
    }
}
