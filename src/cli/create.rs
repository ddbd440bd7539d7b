//! `regcred create NAME`: the flags of [`crate::create`]'s request. The
//! Secret is made there; this file reads the flags, prints the warnings and
//! writes the result to stdout or `--output-file`.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use zeroize::Zeroizing;

use crate::create::{
    self, ConfigSource, CreateError, Credentials, Field, Format, PasswordFrom, Request, Seal, Terms,
};
use crate::dockercfg::payload::PayloadKind;
use crate::generate::Dialect;
use crate::safe_write::private;
use crate::seal::Scope;

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
pub enum TypeArg {
    /// kubernetes.io/dockerconfigjson, key .dockerconfigjson: {"auths":{...}}
    Dockerconfigjson,
    /// kubernetes.io/dockercfg, key .dockercfg: the legacy bare {REGISTRY: ENTRY}
    Dockercfg,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("config_files").multiple(true).args(["from_config", "from_file"])))]
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
        requires = "config_files",
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

/// The request's fields as the flags that fill them in: config files as
/// the user gave them (`--from-file`, kubectl's spelling, when only it).
struct Flags {
    config_files: &'static str,
}

impl Flags {
    fn of(args: &CreateArgs) -> &'static Flags {
        static FROM_CONFIG: Flags = Flags {
            config_files: "--from-config",
        };
        static FROM_FILE: Flags = Flags {
            config_files: "--from-file",
        };
        match args.from_config.is_empty() && !args.from_file.is_empty() {
            true => &FROM_FILE,
            false => &FROM_CONFIG,
        }
    }
}

impl Terms for Flags {
    fn name(&self, field: Field) -> &'static str {
        match field {
            Field::ConfigFiles => self.config_files,
            Field::Server => "--docker-server",
            Field::Username => "--docker-username",
            Field::Email => "--docker-email",
            Field::PasswordStdin => "--docker-password-stdin",
            Field::PasswordFile => "--docker-password-file",
            Field::PasswordEnv => "--docker-password-env",
            Field::PasswordValue => "--docker-password",
            Field::Registries => "--registry",
            Field::ResolveHelpers => "--resolve-helpers",
            Field::PreferLater => "--prefer-later",
            Field::Labels => "--label",
            Field::Annotations => "--annotation",
        }
    }

    fn how_to_give_credentials(&self) -> &'static str {
        "give --from-config FILE, or --docker-username with --docker-password-stdin (or -file, -env)"
    }
}

pub fn run(args: CreateArgs) -> ExitCode {
    match create(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CreateError(message)) => super::fail(message),
    }
}

fn create(args: &CreateArgs) -> Result<(), CreateError> {
    let request = request(args)?;
    create::check(&request)?;
    if let Some(path) = &args.output_file {
        refuse_existing(path, args.force)?;
    }
    let mut warnings = Vec::new();
    let rendered = create::render(&request, &mut warnings);
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let rendered = rendered?;
    match &args.output_file {
        Some(path) => private::write(path, &rendered, args.force).map_err(output_file_error),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&rendered)
                .and_then(|()| out.flush())
                .map_err(|e| CreateError(format!("cannot write to stdout: {e}")))
        }
    }
}

fn request(args: &CreateArgs) -> Result<Request<'static>, CreateError> {
    let bytes = |s: &Option<OsString>| s.as_ref().map(|s| s.as_bytes().to_vec());
    let password = if args.docker_password_stdin {
        Some(PasswordFrom::Stdin)
    } else if let Some(path) = &args.docker_password_file {
        Some(PasswordFrom::File(path.clone()))
    } else if let Some(var) = &args.docker_password_env {
        Some(PasswordFrom::Env(var.clone()))
    } else {
        args.docker_password
            .as_ref()
            .map(|SecretArg(p)| PasswordFrom::Value(p.clone()))
    };
    Ok(Request {
        name: args.name.clone(),
        namespace: args.namespace.clone(),
        labels: key_values("label", &args.labels)?,
        annotations: key_values("annotation", &args.annotations)?,
        kind: match args.secret_type {
            TypeArg::Dockerconfigjson => PayloadKind::DockerConfigJson,
            TypeArg::Dockercfg => PayloadKind::DockerCfg,
        },
        credentials: Credentials {
            server: bytes(&args.docker_server),
            username: bytes(&args.docker_username),
            email: bytes(&args.docker_email),
            password,
        },
        configs: configs(args)?,
        registries: args.registry.clone(),
        resolve_helpers: args.resolve_helpers,
        prefer_later: args.prefer_later,
        for_paths: args.for_paths.clone(),
        append_hash: args.append_hash,
        seal: args.seal_cert.as_ref().map(|certificate| Seal {
            certificate: certificate.clone(),
            scope: args.seal_scope,
        }),
        format: args.output,
        dialect: args.kubectl_dialect,
        root: Path::new(""),
        terms: Flags::of(args),
    })
}

/// `KEY=VALUE` items (checked by [`create::check`]).
fn key_values(what: &str, items: &[String]) -> Result<Vec<(String, String)>, CreateError> {
    items
        .iter()
        .map(|item| match item.split_once('=') {
            Some((k, v)) => Ok((k.to_string(), v.to_string())),
            None => Err(CreateError(format!("--{what} {item:?} must be KEY=VALUE"))),
        })
        .collect()
}

/// `--from-config` files (`-`: stdin), then `--from-file=.dockerconfigjson=FILE`
/// ones (kubectl's spelling for a generic Secret).
fn configs(args: &CreateArgs) -> Result<Vec<ConfigSource>, CreateError> {
    let mut configs: Vec<ConfigSource> = args
        .from_config
        .iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                ConfigSource::Stdin
            } else {
                ConfigSource::File(path.clone())
            }
        })
        .collect();
    for item in &args.from_file {
        match item.split_once('=') {
            Some((".dockerconfigjson", path)) if !path.is_empty() => {
                configs.push(ConfigSource::File(PathBuf::from(path)))
            }
            _ => {
                return Err(CreateError(format!(
                "--from-file {item:?}: only `.dockerconfigjson=FILE` is understood (the same as \
                     --from-config FILE)"
            )))
            }
        }
    }
    Ok(configs)
}

fn refuse_existing(path: &Path, force: bool) -> Result<(), CreateError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(CreateError(format!(
            "--output-file {} is a directory",
            path.display()
        ))),
        Ok(meta) if !meta.is_file() => Err(output_file_error(private::WriteError::NotRegular {
            path: path.display().to_string(),
            kind: crate::bounded_read::not_regular(path).unwrap_or("not a file"),
        })),
        Ok(_) if !force => Err(CreateError(format!(
            "--output-file {} already exists; pass --force to replace it",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// The writer's error, with the options that would change the answer.
fn output_file_error(error: private::WriteError) -> CreateError {
    match error {
        private::WriteError::Exists { path } => CreateError(format!(
            "--output-file {path} already exists; pass --force to replace it"
        )),
        private::WriteError::NotRegular { path, kind } => CreateError(format!(
            "--output-file {path} is {kind}, not a regular file; --force replaces only regular files"
        )),
        other => CreateError(other.to_string()),
    }
}
