//! One registry's credentials: the server (the key of the auths entry, as
//! the kubelet parses it), the username and where the password comes from.

use std::os::unix::ffi::OsStrExt;

use zeroize::Zeroizing;

use super::{CreateError, Field, PasswordFrom, Request, Terms};
use crate::bounded_read::{self, Follow, Limit};
use crate::dockercfg::payload;
use crate::dockercfg::Credential;
use crate::image::keyring;
use crate::lint::rules::pull_secret_invalid_registry;

/// Docker Hub's key, kubectl's default server.
const DOCKER_HUB: &[u8] = b"https://index.docker.io/v1/";

/// The payload holding the request's one set of credentials.
pub fn payload(
    request: &Request<'_>,
    warnings: &mut Vec<String>,
) -> Result<Zeroizing<Vec<u8>>, CreateError> {
    let terms = request.terms;
    let name = |f| terms.name(f);
    if !request.registries.is_empty() || request.resolve_helpers || request.prefer_later {
        return Err(CreateError(format!(
            "{}, {} and {} apply to {} only",
            name(Field::Registries),
            name(Field::ResolveHelpers),
            name(Field::PreferLater),
            name(Field::ConfigFiles)
        )));
    }
    let given = &request.credentials;
    let server = given.server.clone().unwrap_or_else(|| DOCKER_HUB.to_vec());
    check_server(&server, terms)?;
    let username = given.username.clone().unwrap_or_default();
    if username.is_empty() {
        return Err(CreateError(format!(
            "no credentials: {}",
            terms.how_to_give_credentials()
        )));
    }
    if username.contains(&b':') {
        return Err(CreateError(format!(
            "{} contains ':'; the kubelet splits auth at the first ':', so it would use the wrong username",
            name(Field::Username)
        )));
    }
    let password = read_password(request, warnings)?;
    if password.is_empty() {
        return Err(CreateError("the password is empty".into()));
    }
    let credential = Credential {
        username: Zeroizing::new(username),
        password,
        email: given.email.clone().unwrap_or_default(),
    };
    Ok(payload::build(request.kind, &[(server, credential)]))
}

/// The kubelet silently ignores an `auths` key that Go's `net/url` cannot
/// parse: refuse exactly those (the kubelet's own parse of the key), and a
/// key without a host, which parses but can match no image.
fn check_server(server: &[u8], terms: &dyn Terms) -> Result<(), CreateError> {
    let field = terms.name(Field::Server);
    let Ok(text) = std::str::from_utf8(server) else {
        return Err(CreateError(format!("{field} is not valid UTF-8")));
    };
    match keyring::parse_key(text) {
        Err(error) => Err(CreateError(format!(
            "{field} {text:?} cannot be parsed as a URL the way the kubelet parses registry keys ({error}); the kubelet would ignore these credentials"
        ))),
        Ok(url) if url.host.is_empty() => {
            Err(CreateError(format!("{field} {text:?} has no host")))
        }
        Ok(_) => check_registry_key(field, text),
    }
}

/// Refuses a registry key that `regcred lint` rejects (a placeholder, a
/// name without '.' or ':' that no image can name), in the rule's words.
pub fn check_registry_key(what: &str, key: &str) -> Result<(), CreateError> {
    match pull_secret_invalid_registry::problem(key) {
        Some((message, note)) => Err(CreateError(format!(
            "{what}: {message} [pull-secret-invalid-registry]: {note}"
        ))),
        None => Ok(()),
    }
}

/// One trailing newline (`\n` or `\r\n`) removed, as a file or a pipe
/// usually ends.
fn strip_newline(mut bytes: Zeroizing<Vec<u8>>) -> Zeroizing<Vec<u8>> {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    bytes
}

fn read_password(
    request: &Request<'_>,
    warnings: &mut Vec<String>,
) -> Result<Zeroizing<Vec<u8>>, CreateError> {
    let name = |f| request.terms.name(f);
    match &request.credentials.password {
        Some(PasswordFrom::Stdin) => {
            let bytes =
                bounded_read::read_secret_stream(std::io::stdin().lock(), Limit::PASSWORD, 0)
                    .map_err(|e| {
                        CreateError(format!("cannot read the password from stdin: {e}"))
                    })?;
            Ok(strip_newline(bytes))
        }
        Some(PasswordFrom::File(path)) => {
            let path = request.resolve(path);
            let bytes = bounded_read::read_secret_file(&path, Limit::PASSWORD, Follow::Yes)
                .map_err(|e| {
                    CreateError(format!(
                        "cannot read {} {}: {e}",
                        name(Field::PasswordFile),
                        path.display()
                    ))
                })?;
            Ok(strip_newline(bytes))
        }
        Some(PasswordFrom::Env(var)) => match std::env::var_os(var) {
            Some(value) => Ok(Zeroizing::new(value.as_bytes().to_vec())),
            None => Err(CreateError(format!(
                "{}: environment variable {} is not set",
                name(Field::PasswordEnv),
                var.to_string_lossy()
            ))),
        },
        Some(PasswordFrom::Value(password)) => {
            warnings.push(format!(
                "{} puts the password in your shell history and the process list; prefer {}, {} or {}",
                name(Field::PasswordValue),
                name(Field::PasswordStdin),
                name(Field::PasswordFile),
                name(Field::PasswordEnv)
            ));
            Ok(password.clone())
        }
        None => Err(CreateError(format!(
            "no password: give one of {}, {}, {}",
            name(Field::PasswordStdin),
            name(Field::PasswordFile),
            name(Field::PasswordEnv)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Flags;

    impl Terms for Flags {
        fn name(&self, _field: Field) -> &'static str {
            "--docker-server"
        }
        fn how_to_give_credentials(&self) -> &'static str {
            ""
        }
    }

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
            assert!(check_server(bad.as_bytes(), &Flags).is_err(), "{bad:?}");
        }
        // Go's net/url accepts a non-ASCII %-escape in a host, and so does the kubelet.
        for good in [
            "reg.io:5000",
            "https://index.docker.io/v1/",
            "http://[::1]:5000/team",
            "reg%C3%A9.io",
        ] {
            assert!(check_server(good.as_bytes(), &Flags).is_ok(), "{good:?}");
        }
        let err = check_server(b"http://", &Flags).unwrap_err().to_string();
        assert_eq!(err, "--docker-server \"http://\" has no host");
    }
}
