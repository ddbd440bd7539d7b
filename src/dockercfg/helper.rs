//! Docker credential helpers: `docker-credential-NAME get` with the server
//! URL on stdin, `{"ServerURL","Username","Secret"}` on stdout; on failure
//! the message on stdout and a non-zero exit (docs/kubernetes.md §5).

use std::io::Write;
use std::process::{Child, Command, ExitStatus, Stdio};

use zeroize::Zeroizing;

use super::kubelet::go_field_matches;
use super::Credential;
use crate::bounded_read::{self, Limit, ReadError};
use crate::gocompat::json_value::{self, Kind};

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

fn looks_like_json(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{' || b == b'[' || b == b'"')
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

struct BoundedOutput {
    status: ExitStatus,
    stdout: Zeroizing<Vec<u8>>,
    stderr: Vec<u8>,
}

/// The child's answer and error output, each read under
/// [`Limit::HELPER_OUTPUT`]: a helper that prints without end is killed
/// when its answer passes the limit (its error output past the limit is
/// read and dropped, so it cannot block on a full pipe).
fn bounded_output(child: &mut Child) -> Result<BoundedOutput, ReadError> {
    let stderr = child.stderr.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let read = bounded_read::read_stream(&mut pipe, Limit::HELPER_OUTPUT, 0);
            if read.is_err() {
                let _ = std::io::copy(&mut pipe, &mut std::io::sink());
            }
            read.unwrap_or_default()
        })
    });
    let stdout = match child.stdout.take() {
        Some(pipe) => bounded_read::read_secret_stream(pipe, Limit::HELPER_OUTPUT, 0),
        None => Ok(Zeroizing::new(Vec::new())),
    };
    if stdout.is_err() {
        let _ = child.kill();
    }
    let status = child.wait();
    let stderr = stderr
        .and_then(|thread| thread.join().ok())
        .unwrap_or_default();
    Ok(BoundedOutput {
        status: status?,
        stdout: stdout?,
        stderr,
    })
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
    let output = bounded_output(&mut child).map_err(|e| HelperError::Failed {
        helper: helper.to_string(),
        server: server.to_string(),
        message: format!("cannot read its answer: {e}"),
    })?;
    let stdout = output.stdout;
    if !output.status.success() {
        let message = short_message(&stdout);
        if message == NOT_FOUND {
            return Err(HelperError::NotFound {
                helper: helper.to_string(),
                server: server.to_string(),
            });
        }
        let message = if looks_like_json(&stdout) {
            // A helper that failed after printing its answer: the JSON may
            // hold the credentials.
            "it printed JSON but exited with an error (output not shown: it may hold credentials)"
                .to_string()
        } else if message == "no message" {
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
    // Docker decodes the answer with Go's encoding/json into
    // `{ServerURL, Username, Secret}`: the same reader and field matching
    // as config.json.
    let answer = json_value::parse(&stdout).map_err(|_| malformed())?;
    let root = answer.root();
    if !matches!(answer.kind(root), Kind::Object | Kind::Null) {
        return Err(malformed());
    }
    let take = |name: &str| -> Result<Zeroizing<String>, HelperError> {
        let mut text = Zeroizing::new(String::new());
        for member in answer.members(root) {
            if !go_field_matches(name, answer.key(member)) {
                continue;
            }
            match answer.kind(member.value) {
                // Go leaves a field alone on null.
                Kind::Null => {}
                Kind::String => {
                    *text = answer.as_str(member.value).unwrap_or("").to_string();
                }
                _ => return Err(malformed()),
            }
        }
        Ok(text)
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
