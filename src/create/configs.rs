//! Credentials from Docker config files: read, merged, filtered to the
//! registries asked for (by name or by the workloads under `--for` paths)
//! and checked as `regcred lint` would check the Secret.

use std::path::Path;

use zeroize::Zeroizing;

use super::credentials::check_registry_key;
use super::{for_workloads, ConfigSource, CreateError, Field, Request, Terms};
use crate::bounded_read::{self, Limit};
use crate::dockercfg::config::ConfigError;
use crate::dockercfg::payload::{self, PayloadKind};
use crate::dockercfg::select::{self, SelectError, Selection};
use crate::dockercfg::ConfigFile;

/// The payload holding the config files' credentials that the request keeps.
pub fn payload(
    request: &Request<'_>,
    warnings: &mut Vec<String>,
) -> Result<Zeroizing<Vec<u8>>, CreateError> {
    let terms = request.terms;
    let name = |f| terms.name(f);
    let given = &request.credentials;
    if given.server.is_some()
        || given.username.is_some()
        || given.email.is_some()
        || given.password.is_some()
    {
        return Err(CreateError(format!(
            "{} cannot be combined with {}, {}, {} or a password option",
            name(Field::ConfigFiles),
            name(Field::Server),
            name(Field::Username),
            name(Field::Email)
        )));
    }
    let files = read_files(request)?;
    let mut registries = request.registries.clone();
    if !request.for_paths.is_empty() {
        registries.extend(for_workloads::servers(request, &files, warnings)?);
    }
    let selection = select::select(
        &files,
        &select::Request {
            registries: &registries,
            resolve_helpers: request.resolve_helpers,
            later_wins: request.prefer_later,
            // The legacy shape is always a rewrite.
            force_rewrite: request.kind == PayloadKind::DockerCfg,
        },
    )
    .map_err(|e| select_error(e, terms))?;
    let servers = selection.servers();
    for server in &servers {
        check_registry_key(&format!("the config's registry {server:?}"), server)?;
    }
    if registries.is_empty() && servers.len() > 1 {
        let shown: Vec<String> = servers.iter().map(|s| format!("{s:?}")).collect();
        warnings.push(format!(
            "the Secret will carry credentials for {} registries ({}); add {} HOST for each registry your pods pull from to keep only those",
            servers.len(),
            shown.join(", "),
            name(Field::Registries)
        ));
    }
    Ok(match selection {
        Selection::Verbatim { bytes, .. } => bytes,
        Selection::Entries(entries) => payload::build(request.kind, &entries),
    })
}

fn read_files(request: &Request<'_>) -> Result<Vec<ConfigFile>, CreateError> {
    let mut files = Vec::with_capacity(request.configs.len());
    let mut stdin_read = false;
    for source in &request.configs {
        let file = match source {
            ConfigSource::Stdin => {
                if std::mem::replace(&mut stdin_read, true) {
                    return Err(CreateError(format!(
                        "{} - is given twice: stdin can be read once",
                        request.terms.name(Field::ConfigFiles)
                    )));
                }
                let bytes = bounded_read::read_secret_stream(
                    std::io::stdin().lock(),
                    Limit::DOCKER_CONFIG,
                    0,
                )
                .map_err(|e| {
                    CreateError(format!("cannot read the Docker config from stdin: {e}"))
                })?;
                ConfigFile::parse(Path::new("<stdin>"), bytes)
            }
            ConfigSource::File(path) => ConfigFile::read(&request.resolve(path)),
        };
        files.push(file.map_err(|e| config_error(e, request.terms))?);
    }
    Ok(files)
}

/// A config file's error, with what to do in the caller's terms.
fn config_error(error: ConfigError, terms: &dyn Terms) -> CreateError {
    match error {
        ConfigError::AuthUndecodable { .. } => CreateError(format!(
            "{error}; log in again or use {}/{}",
            terms.name(Field::Username),
            terms.name(Field::PasswordStdin)
        )),
        ConfigError::Read { path, source } => CreateError(format!(
            "cannot read {} {path}: {source}",
            terms.name(Field::ConfigFiles)
        )),
        other => CreateError::of(other),
    }
}

/// The selection's error, with what to do in the caller's terms.
fn select_error(error: SelectError, terms: &dyn Terms) -> CreateError {
    let name = |f| terms.name(f);
    let advice = match &error {
        SelectError::Nothing { .. } => format!(
            "run `docker login` or pass {}, {} and {}",
            name(Field::Server),
            name(Field::Username),
            name(Field::PasswordStdin)
        ),
        SelectError::NeedsHelper { .. } => format!(
            "add {} to ask the helper, leave them out with {}, or log in with `docker login` without a credential store",
            name(Field::ResolveHelpers),
            name(Field::Registries)
        ),
        SelectError::Conflict { .. } => format!(
            "keep one file, pick with {}, or pass {} so the later file wins",
            name(Field::Registries),
            name(Field::PreferLater)
        ),
        _ => return CreateError::of(error),
    };
    CreateError(format!("{error}; {advice}"))
}
