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

/// How long a helper may take to answer and exit: long enough to type a
/// passphrase into a prompt it shows, bounded so that a helper that never
/// exits (or leaves a process holding its output open) is not waited on
/// forever. `REGCRED_HELPER_TIMEOUT` (seconds) changes it.
fn deadline() -> std::time::Duration {
    const DEFAULT_SECONDS: u64 = 120;
    let seconds = std::env::var("REGCRED_HELPER_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(DEFAULT_SECONDS);
    std::time::Duration::from_secs(seconds)
}

/// Why a helper's answer could not be had.
#[derive(Debug, thiserror::Error)]
enum OutputError {
    #[error("cannot read its answer: {0}")]
    Read(#[from] ReadError),
    #[error(
        "it did not answer and exit within {0} seconds (REGCRED_HELPER_TIMEOUT); it was stopped"
    )]
    Timeout(u64),
    #[error("it exited, but a process it started still holds its output open, so its answer never ends; that process was not waited for (a helper must not leave one behind)")]
    Lingering,
}

/// How long the output of a helper that has exited may stay open: what it
/// wrote is in the pipe already, only a process it left behind can hold it.
const AFTER_EXIT: std::time::Duration = std::time::Duration::from_secs(1);

/// The child's answer and error output, each read under
/// [`Limit::HELPER_OUTPUT`] on a thread of its own, within [`deadline`]:
/// a helper that prints without end is killed when its answer passes the
/// limit (its error output past the limit is read and dropped, so it
/// cannot block on a full pipe), one that takes longer than the deadline
/// is killed too. Once it has exited, its output is waited for
/// [`AFTER_EXIT`] at most. A reader still blocked then (a process the
/// helper left behind holds the pipe) is left to end with this process:
/// nothing here waits on it. Only the helper is killed, not what it
/// started: it runs in regcred's process group, so that a helper that
/// prompts on the terminal can read it (docs/limits.md).
fn bounded_output(child: &mut Child) -> Result<BoundedOutput, OutputError> {
    use std::sync::mpsc::TryRecvError;
    let limit = deadline();
    let started = std::time::Instant::now();
    let stderr = child.stderr.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let read = bounded_read::read_stream(&mut pipe, Limit::HELPER_OUTPUT, 0);
            if read.is_err() {
                let _ = std::io::copy(&mut pipe, &mut std::io::sink());
            }
            read.unwrap_or_default()
        })
    });
    let (sender, answer) = std::sync::mpsc::channel();
    if let Some(pipe) = child.stdout.take() {
        std::thread::spawn(move || {
            let _ = sender.send(bounded_read::read_secret_stream(
                pipe,
                Limit::HELPER_OUTPUT,
                0,
            ));
        });
    } else {
        let _ = sender.send(Ok(Zeroizing::new(Vec::new())));
    }
    let stop = |child: &mut Child, error: OutputError| {
        let _ = child.kill();
        let _ = child.wait();
        error
    };
    let (mut stdout, mut status, mut exited) = (None, None, None);
    let (stdout, status) = loop {
        if stdout.is_none() {
            match answer.try_recv() {
                // An answer past the limit: the helper is stopped.
                Ok(Err(e)) => return Err(stop(child, OutputError::Read(e))),
                Ok(Ok(read)) => stdout = Some(read),
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    stdout = Some(Zeroizing::new(Vec::new()));
                }
            }
        }
        if status.is_none() {
            match child.try_wait() {
                Ok(Some(done)) => {
                    status = Some(done);
                    exited = Some(started.elapsed());
                }
                Ok(None) => {}
                Err(e) => return Err(stop(child, OutputError::Read(e.into()))),
            }
        }
        if let (Some(stdout), Some(status)) = (&mut stdout, status) {
            break (std::mem::take(stdout), status);
        }
        let elapsed = started.elapsed();
        if exited.is_some_and(|at| elapsed >= limit.min(at + AFTER_EXIT)) {
            return Err(OutputError::Lingering);
        }
        if elapsed >= limit {
            return Err(stop(child, OutputError::Timeout(limit.as_secs())));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    // Its error output ends with it, unless something it left holds the
    // pipe: then it is waited for [`AFTER_EXIT`] at most.
    let grace = limit.min(exited.unwrap_or_default() + AFTER_EXIT);
    let stderr = match stderr {
        Some(thread) => {
            while !thread.is_finished() && started.elapsed() < grace {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            match thread.is_finished() {
                true => thread.join().unwrap_or_default(),
                false => Vec::new(),
            }
        }
        None => Vec::new(),
    };
    Ok(BoundedOutput {
        status,
        stdout,
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
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => missing(),
            _ => HelperError::Failed {
                helper: helper.to_string(),
                server: server.to_string(),
                message: format!("cannot run it: {e}"),
            },
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading closes the pipe: its exit
        // status and output then say what went wrong.
        let _ = stdin.write_all(server.as_bytes());
    }
    let output = bounded_output(&mut child).map_err(|e| HelperError::Failed {
        helper: helper.to_string(),
        server: server.to_string(),
        message: e.to_string(),
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
