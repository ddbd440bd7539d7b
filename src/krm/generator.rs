//! The generator shared by the legacy exec plugin and the KRM function: a
//! `PullSecret` config becomes a [`create::Request`], so it prints exactly
//! the bytes `regcred create` prints for the equivalent flags.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::config::{ConfigError, PasswordFrom, PullSecret, Source, NEEDS_HASH};
use super::config_terms::{relative_paths, ConfigTerms};
use super::node::{self, Node};
use crate::create::{self, ConfigSource, Credentials, Format, Request};
use crate::generate::Dialect;
use crate::load_restrictor::{confine, Lift, LoadError, LoadRestrictor};

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Create(String),
    #[error("the generated Secret does not read back: {0}")]
    Reparse(#[from] node::NodeError),
}

/// The request `config` makes, with relative paths starting at `base`,
/// the kustomization directory. It names where the password is, never the
/// password.
pub fn request<'a>(config: &PullSecret, base: &'a Path) -> Request<'a> {
    let mut credentials = Credentials::default();
    let mut configs = Vec::new();
    match &config.source {
        Source::ConfigFiles(files) => {
            configs = files.iter().cloned().map(ConfigSource::File).collect();
        }
        Source::Credentials {
            server,
            username,
            password,
            email,
        } => {
            credentials = Credentials {
                server: server.as_ref().map(|s| s.as_bytes().to_vec()),
                username: Some(username.as_bytes().to_vec()),
                email: email.as_ref().map(|e| e.as_bytes().to_vec()),
                password: Some(match password {
                    PasswordFrom::Env(var) => create::PasswordFrom::Env(var.into()),
                    PasswordFrom::File(path) => create::PasswordFrom::File(path.clone()),
                }),
            }
        }
    }
    let mut annotations = config.annotations.clone();
    if config.hash_suffix && !annotations.iter().any(|(k, _)| k == NEEDS_HASH) {
        annotations.push((NEEDS_HASH.to_string(), "true".to_string()));
    }
    Request {
        name: config.name.clone(),
        namespace: config.namespace.clone(),
        labels: config.labels.clone(),
        annotations,
        kind: config.secret_type,
        credentials,
        configs,
        registries: config.registries.clone(),
        resolve_helpers: config.resolve_helpers,
        prefer_later: config.prefer_later,
        for_paths: config.for_paths.clone(),
        append_hash: false,
        seal: config.seal.clone(),
        format: Format::Yaml,
        dialect: Dialect::Current,
        root: base,
        terms: &ConfigTerms,
    }
}

/// The `regcred create` output (YAML) for `config`, with relative paths
/// taken from `base`, the kustomization directory. Warnings are pushed to
/// `warnings`, also when an error follows.
pub fn secret_yaml(
    config: &PullSecret,
    base: &Path,
    warnings: &mut Vec<String>,
) -> Result<Zeroizing<Vec<u8>>, GenerateError> {
    confine_paths(config, base)?;
    let mut raised = Vec::new();
    let rendered = create::render(&request(config, base), &mut raised);
    warnings.extend(raised.iter().map(|w| relative_paths(w, base)));
    rendered.map_err(|e| GenerateError::Create(relative_paths(&e.0, base)))
}

/// The generated Secret as a tree, for a ResourceList.
pub fn secret_node(
    config: &PullSecret,
    base: &Path,
    warnings: &mut Vec<String>,
) -> Result<Node, GenerateError> {
    let yaml = secret_yaml(config, base, warnings)?;
    let text = std::str::from_utf8(&yaml)
        .map_err(|_| GenerateError::Create("internal: the Secret is not UTF-8".into()))?;
    Ok(node::parse(text)?)
}

/// The files the config names must be in or below `base`, as kustomize
/// confines a kustomization's own files (`crate::load_restrictor`):
/// `configFiles`, `passwordFrom: file:` and `for`. A missing file is left
/// to `create`'s own error.
fn confine_paths(config: &PullSecret, base: &Path) -> Result<(), GenerateError> {
    let restrictor = LoadRestrictor::from_env().map_err(GenerateError::Create)?;
    let mut paths: Vec<&Path> = config.for_paths.iter().map(PathBuf::as_path).collect();
    match &config.source {
        Source::ConfigFiles(files) => paths.extend(files.iter().map(PathBuf::as_path)),
        Source::Credentials {
            password: PasswordFrom::File(file),
            ..
        } => paths.push(file),
        Source::Credentials { .. } => {}
    }
    for path in paths {
        match confine(base, &base.join(path), restrictor, Lift::Env) {
            Ok(_) | Err(LoadError::Io { .. }) => {}
            // Named as the config writes it, relative to the kustomization
            // (`.`), as every other message of the generator.
            Err(LoadError::Outside { how, .. }) => {
                let outside = LoadError::Outside {
                    path: path.to_path_buf(),
                    root: PathBuf::from("."),
                    how,
                };
                return Err(GenerateError::Create(outside.to_string()));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::create::Seal;
    use crate::krm::node::parse;
    use crate::seal::Scope;

    fn config(spec: &str) -> PullSecret {
        let doc = format!(
            "apiVersion: regcred.dev/v1\nkind: PullSecret\nmetadata:\n  name: regcred\nspec:\n{spec}"
        );
        PullSecret::from_node(&parse(&doc).unwrap()).unwrap()
    }

    #[test]
    fn credentials_become_a_request() {
        let c = config(
            "  server: r.example.com\n  username: alice\n  passwordFrom: env:PW\n  labels: {app: web}\n",
        );
        let r = request(&c, Path::new("/k"));
        assert_eq!(r.name, "regcred");
        assert_eq!(r.credentials.server.as_deref(), Some(&b"r.example.com"[..]));
        assert_eq!(r.credentials.username.as_deref(), Some(&b"alice"[..]));
        assert!(matches!(&r.credentials.password, Some(create::PasswordFrom::Env(v)) if v == "PW"));
        assert_eq!(r.labels, [("app".to_string(), "web".to_string())]);
        assert_eq!(
            r.annotations,
            [(NEEDS_HASH.to_string(), "true".to_string())]
        );
        assert!(r.configs.is_empty() && r.seal.is_none() && !r.append_hash);
        assert_eq!(r.root, Path::new("/k"));
    }

    #[test]
    fn config_files_and_seal_become_a_request() {
        let c =
            config("  configFiles: [a.json, /abs/b.json]\n  hashSuffix: false\n  for: [k8s/]\n");
        let r = request(&c, Path::new("/k"));
        assert_eq!(
            r.configs,
            [
                ConfigSource::File("a.json".into()),
                ConfigSource::File("/abs/b.json".into())
            ]
        );
        assert_eq!(r.for_paths, [PathBuf::from("k8s/")]);
        assert!(r.annotations.is_empty() && r.credentials.password.is_none());
        let c = config(
            "  username: u\n  passwordFrom: file:pw.txt\n  seal:\n    certificate: certs/ss.pem\n    scope: namespace-wide\n",
        );
        let r = request(&c, Path::new("/k"));
        assert_eq!(
            r.seal,
            Some(Seal {
                certificate: "certs/ss.pem".into(),
                scope: Scope::NamespaceWide
            })
        );
        assert!(r.annotations.is_empty(), "no hash suffix when sealing");
        assert!(
            matches!(&r.credentials.password, Some(create::PasswordFrom::File(p)) if p == Path::new("pw.txt"))
        );
    }

    #[test]
    fn errors_speak_the_configs_words() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("store.json"), r#"{"credsStore": "x"}"#).unwrap();
        for (spec, expected) in [
            (
                "  username: u\n  passwordFrom: env:PW\n  registries: [quay.io]\n",
                "spec.registries, spec.resolveHelpers and spec.preferLater apply to spec.configFiles only",
            ),
            (
                "  username: \"\"\n  passwordFrom: env:PW\n",
                "no credentials: give spec.configFiles, or spec.username with spec.passwordFrom (and spec.server unless it is Docker Hub)",
            ),
            (
                "  configFiles: [store.json]\n",
                "store.json: no credentials at all (no \"auths\" entries); run `docker login` or pass spec.server, spec.username and spec.passwordFrom",
            ),
        ] {
            let err = secret_yaml(&config(spec), dir.path(), &mut Vec::new())
                .unwrap_err()
                .to_string();
            assert_eq!(err, expected, "{spec}");
        }
    }
}
