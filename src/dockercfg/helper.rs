//! Docker credential helpers: `docker-credential-NAME get` with the server
//! URL on stdin, `{"ServerURL","Username","Secret"}` on stdout; on failure
//! the message on stdout and a non-zero exit (KUBERNETES.md §5).

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;
use zeroize::Zeroizing;

use super::Credential;

/// The message every helper prints when it holds nothing for a server.
const NOT_FOUND: &str = "credentials not found in native keychain";

#[derive(Debug, thiserror::Error)]
pub enum HelperError {
    #[error("credential helper docker-credential-{helper} (for {server:?}) is not installed or not on PATH; install it, or log in with `docker login` without a credential store")]
    Missing { helper: String, server: String },
    #[error("credential helper docker-credential-{helper} has no credentials for {server:?}; run `docker login {server}` first")]
    NotFound { helper: String, server: String },
    #[error("credential helper docker-credential-{helper} failed for {server:?}: {message}")]
    Failed {
        helper: String,
        server: String,
        message: String,
    },
    #[error("credential helper docker-credential-{helper} gave an identity token for {server:?}; the kubelet cannot use identity tokens, use a username and password or access token")]
    IdentityToken { helper: String, server: String },
    #[error("credential helper docker-credential-{helper} answered for {server:?} with something other than its JSON credentials")]
    Malformed { helper: String, server: String },
}

/// A helper's message, cut to one short line: it is shown to the user.
fn short_message(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text.trim().lines().next().unwrap_or("").trim();
    let mut shown: String = line.chars().take(200).collect();
    if shown.is_empty() {
        shown = "no message".to_string();
    }
    shown
}

/// Runs `docker-credential-{helper} get` for `server`.
pub fn get(helper: &str, server: &str) -> Result<Credential, HelperError> {
    let missing = || HelperError::Missing {
        helper: helper.to_string(),
        server: server.to_string(),
    };
    let mut child = Command::new(format!("docker-credential-{helper}"))
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| missing())?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading closes the pipe: its exit
        // status and output then say what went wrong.
        let _ = stdin.write_all(server.as_bytes());
    }
    let output = child.wait_with_output().map_err(|_| missing())?;
    let stdout = Zeroizing::new(output.stdout);
    if !output.status.success() {
        let message = short_message(&stdout);
        if message == NOT_FOUND {
            return Err(HelperError::NotFound {
                helper: helper.to_string(),
                server: server.to_string(),
            });
        }
        let message = if message == "no message" {
            short_message(&output.stderr)
        } else {
            message
        };
        return Err(HelperError::Failed {
            helper: helper.to_string(),
            server: server.to_string(),
            message,
        });
    }
    let malformed = || HelperError::Malformed {
        helper: helper.to_string(),
        server: server.to_string(),
    };
    let mut answer: Value = serde_json::from_slice(&stdout).map_err(|_| malformed())?;
    let mut take = |name: &str| -> Result<Zeroizing<String>, HelperError> {
        match answer.get_mut(name) {
            Some(Value::String(s)) => Ok(Zeroizing::new(std::mem::take(s))),
            None | Some(Value::Null) => Ok(Zeroizing::new(String::new())),
            Some(_) => Err(malformed()),
        }
    };
    let username = take("Username")?;
    let secret = take("Secret")?;
    if username.as_str() == "<token>" {
        return Err(HelperError::IdentityToken {
            helper: helper.to_string(),
            server: server.to_string(),
        });
    }
    if username.is_empty() || secret.is_empty() {
        return Err(HelperError::NotFound {
            helper: helper.to_string(),
            server: server.to_string(),
        });
    }
    Ok(Credential::new(
        username.as_bytes().to_vec(),
        secret.as_bytes().to_vec(),
        Vec::new(),
    ))
}
