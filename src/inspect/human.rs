//! `inspect`'s default format: one block per pull secret, image and pod,
//! plain text for a terminal or a support ticket. Lengths, never values.

use std::fmt::Write as _;

use super::image::ImageReport;
use super::pod::{PodReport, PullSecretsFrom};
use super::{describe_secret, Inspection, Problem};
use crate::lint::pull_secret_summary::{
    AuthState, PayloadState, PullSecretSummary, RegistrySummary,
};
use crate::lint::rules::sealed_secret_scope_moved;
use crate::report::escape::controls;
use crate::shown_text::bounded;

pub fn render(inspection: &Inspection) -> String {
    let mut out = String::new();
    if inspection.secrets.is_empty() {
        out.push_str("no pull secret found in the input\n");
    }
    for secret in &inspection.secrets {
        render_secret(&mut out, secret);
        out.push('\n');
    }
    for image in &inspection.images {
        let _ = writeln!(out, "image {:?}", image.image);
        render_image(&mut out, image, &inspection.secrets, &[], false, "  ");
        out.push('\n');
    }
    for pod in &inspection.pods {
        render_pod(&mut out, pod, &inspection.secrets);
        out.push('\n');
    }
    for file in &inspection.pod_files_without_workloads {
        let _ = writeln!(out, "{file}: no workload (no pod spec in any object)\n");
    }
    for u in &inspection.unparsed {
        let p = &u.problem;
        let _ = writeln!(
            out,
            "{}:{}: not read: {} (a pull secret there is not shown)\n",
            controls(&u.path),
            p.line,
            controls(&p.message)
        );
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    safe_lines(&out)
}

/// The report as a terminal may show it: every line bounded
/// ([`crate::shown_text`]) and control characters escaped, so that text
/// from the input (a name, a type, an image) cannot move the cursor, clear
/// the screen or hide a line (docs/limits.md).
fn safe_lines(report: &str) -> String {
    let mut out = String::with_capacity(report.len());
    for line in report.split_inclusive('\n') {
        let (line, end) = match line.strip_suffix('\n') {
            Some(line) => (line, "\n"),
            None => (line, ""),
        };
        out.push_str(&bounded(&controls(line)));
        out.push_str(end);
    }
    out
}

fn render_secret(out: &mut String, s: &PullSecretSummary) {
    let _ = writeln!(out, "{}", describe_secret(s));
    if let Some(t) = &s.type_name {
        let _ = writeln!(out, "  type: {}", controls(t));
    }
    let key = s.key.unwrap_or("");
    let place = match s.source {
        Some("file") | None => String::new(),
        Some(field) => format!(" in {field}"),
    };
    match &s.payload {
        PayloadState::Read { bytes } => {
            let _ = writeln!(out, "  payload: {key}{place}, {} of JSON", size(*bytes));
        }
        PayloadState::Missing => {
            let _ = writeln!(out, "  payload: no {key} key");
        }
        PayloadState::Unreadable { why } | PayloadState::NotJson { why } => {
            let _ = writeln!(out, "  payload: {key}{place} cannot be read: {why}");
        }
    }
    if let Some(scope) = s.seal_scope {
        let _ = writeln!(out, "  seal scope: {scope}");
    }
    if let Some(why) = &s.unseal_problem {
        let _ = writeln!(
            out,
            "  cannot be unsealed ({}): {why}",
            sealed_secret_scope_moved::ID
        );
    }
    let unreadable = matches!(s.payload, PayloadState::Unreadable { .. });
    if !s.kubelet_uses() && !unreadable {
        let _ = writeln!(
            out,
            "  the kubelet does not use this Secret for pulls (see the problems below)"
        );
    }
    if matches!(s.payload, PayloadState::Read { .. }) && s.registries.is_empty() {
        let _ = writeln!(out, "  no registry key");
    }
    for r in &s.registries {
        render_registry(out, r);
    }
    match (&s.unseal_problem, s.problems.is_empty()) {
        // The rule's finding is the line above.
        (Some(_), true) => {
            let _ = writeln!(out, "  lint: no other problem");
        }
        _ => render_problems(out, &s.problems, "  "),
    }
}

fn render_registry(out: &mut String, r: &RegistrySummary) {
    let _ = writeln!(out, "  registry key {:?}", r.key);
    if !r.effective {
        let _ = writeln!(
            out,
            "    replaced by a later entry with the same key: the kubelet never sees this one"
        );
    }
    match (&r.index_key, &r.skipped) {
        (Some(k), _) => {
            let _ = writeln!(out, "    kubelet index key: {k}");
        }
        (None, Some(why)) => {
            let _ = writeln!(out, "    kubelet index key: none, {why}");
        }
        (None, None) => {}
    }
    let user = match &r.user {
        Some(u) if u.is_empty() => "none (empty)".to_string(),
        Some(u) => format!("{u:?}"),
        None => "none the kubelet can decode".to_string(),
    };
    let _ = writeln!(out, "    user: {user}");
    if let Some(field) = r
        .username_field
        .as_ref()
        .filter(|f| r.user.as_ref() != Some(*f))
    {
        let _ = writeln!(
            out,
            "    username field: {field:?} (not what the kubelet sends)"
        );
    }
    let length = |n: Option<usize>| n.map_or("absent".to_string(), size);
    let _ = writeln!(out, "    password: {}", length(r.password_length));
    let no_fields = r.username_field.is_none() && r.password_length.is_none();
    let agreement = match r.auth {
        AuthState::Absent => "",
        AuthState::Agrees if no_fields => ", no username or password field beside it",
        AuthState::Undecodable => ", does not decode to user:password",
        AuthState::Agrees => ", agrees with username and password",
        AuthState::UsernameDiffers => ", decodes to another username than the field (auth wins)",
        AuthState::PasswordDiffers => ", decodes to another password than the field (auth wins)",
        AuthState::BothDiffer => {
            ", decodes to another username and password than the fields (auth wins)"
        }
    };
    let _ = writeln!(out, "    auth: {}{agreement}", length(r.auth_length));
    if let Some(n) = r.sent_password_length.filter(|_| r.auth_length.is_some()) {
        let _ = writeln!(out, "    password sent (from auth): {}", size(n));
    }
    for (name, n) in [
        ("identitytoken", r.identitytoken_length),
        ("registrytoken", r.registrytoken_length),
    ] {
        if let Some(n) = n {
            let _ = writeln!(out, "    {name}: {} (the kubelet ignores it)", size(n));
        }
    }
    if let Some(email) = &r.email {
        let _ = writeln!(out, "    email: {email:?}");
    }
}

/// "1 byte", "12 bytes".
fn size(n: usize) -> String {
    match n {
        1 => "1 byte".to_string(),
        n => format!("{n} bytes"),
    }
}

fn render_problems(out: &mut String, problems: &[Problem], indent: &str) {
    if problems.is_empty() {
        let _ = writeln!(out, "{indent}lint: no problem");
        return;
    }
    let _ = writeln!(out, "{indent}lint:");
    for p in problems {
        let _ = writeln!(
            out,
            "{indent}  {}[{}] line {}: {}",
            p.level,
            p.rule,
            p.line,
            controls(&p.message)
        );
    }
}

/// `unknown`: pull secrets whose keys the kubelet may have but `inspect`
/// cannot read; `names_some`: the pod names pull secrets (none of which
/// may give a key).
fn render_image(
    out: &mut String,
    image: &ImageReport,
    secrets: &[PullSecretSummary],
    unknown: &[&str],
    names_some: bool,
    indent: &str,
) {
    if let Some(why) = &image.invalid {
        let _ = writeln!(out, "{indent}not a valid reference: {why}");
        return;
    }
    if let (Some(reference), Some(repository)) = (&image.reference, &image.repository) {
        let _ = writeln!(out, "{indent}reference: {reference}");
        let _ = writeln!(out, "{indent}credentials looked up for: {repository}");
    }
    let of = |i: usize| secrets.get(i).map_or_else(String::new, describe_secret);
    let tried: Vec<_> = image.keys.iter().filter(|k| k.tried.is_some()).collect();
    if !tried.is_empty() {
        // Below.
    } else if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "{indent}no key read here matches; {} may hold one (its keys cannot be read here)",
            unknown.join(", ")
        );
    } else if image.keys.is_empty() && names_some {
        let _ = writeln!(
            out,
            "{indent}none of the pod's pull secrets gives the kubelet a key: the pull goes out anonymous and a private image fails"
        );
    } else if image.keys.is_empty() {
        let _ = writeln!(
            out,
            "{indent}no pull secret key to try: the kubelet pulls anonymously (fine for a public image)"
        );
    } else {
        let _ = writeln!(
            out,
            "{indent}no key matches: the pull goes out anonymous and a private image fails"
        );
    }
    if !tried.is_empty() {
        let via = match image.docker_hub_fallback {
            true => {
                " (none matches: the Docker Hub fallback uses the keys indexed as index.docker.io)"
            }
            false => "",
        };
        let _ = writeln!(out, "{indent}the kubelet tries, in order{via}:");
        for k in tried {
            let _ = writeln!(
                out,
                "{indent}  {}. {:?} of {}",
                k.tried.unwrap_or(0),
                k.key,
                of(k.secret)
            );
        }
    }
    let missed: Vec<_> = image.keys.iter().filter(|k| k.tried.is_none()).collect();
    if !missed.is_empty() {
        let _ = writeln!(out, "{indent}keys that miss:");
        for k in missed {
            let _ = writeln!(
                out,
                "{indent}  {:?} of {}: {}",
                k.key,
                of(k.secret),
                k.miss.as_deref().unwrap_or("")
            );
        }
    }
    if !image.unused_matches.is_empty() {
        let _ = writeln!(out, "{indent}keys that match but the kubelet does not get:");
        for m in &image.unused_matches {
            let _ = writeln!(out, "{indent}  {:?} of {}: {}", m.key, of(m.secret), m.why);
        }
    }
    if let Some(key) = image
        .suggested_key
        .as_ref()
        .filter(|_| !image.keys.is_empty())
    {
        let _ = writeln!(
            out,
            "{indent}help: a key {key:?} would match (`regcred create NAME --docker-server {key}`)"
        );
    }
}

fn render_pod(out: &mut String, pod: &PodReport, secrets: &[PullSecretSummary]) {
    let name = pod.name.as_deref().unwrap_or("<unnamed>");
    let _ = writeln!(out, "{} {name:?} ({})", pod.kind, controls(&pod.path));
    if !pod.namespaces.is_empty() {
        let _ = writeln!(out, "  namespace: {}", controls(&pod.namespaces.join(", ")));
    }
    let sa = &pod.service_account;
    let from = match pod.pull_secrets_from {
        PullSecretsFrom::Pod => "its own imagePullSecrets".to_string(),
        PullSecretsFrom::ServiceAccount => format!("those of ServiceAccount {sa:?}"),
        PullSecretsFrom::Nowhere => {
            format!("none: no imagePullSecrets, and ServiceAccount {sa:?} has none")
        }
        PullSecretsFrom::UnknownServiceAccount => format!(
            "none of its own; ServiceAccount {sa:?} is not among the inputs (it may have some)"
        ),
    };
    let _ = writeln!(out, "  pull secrets: {from}");
    for u in &pod.pull_secrets {
        let found: Vec<String> = u
            .secrets
            .iter()
            .filter_map(|&i| secrets.get(i))
            .map(|s| match s.unseal_problem {
                Some(_) => format!(
                    "{} (cannot be unsealed there: see above)",
                    describe_secret(s)
                ),
                None => describe_secret(s),
            })
            .collect();
        let what = match u.resolution {
            "found" if !found.is_empty() => found.join(", "),
            "found" => format!("defined as {}", u.elsewhere.join(", ")),
            "other_namespaces" => format!(
                "only in other namespaces: {} (the kubelet looks in the pod's)",
                u.elsewhere.join(", ")
            ),
            "unrelated" => format!(
                "only where no namespace is said, in another folder: {}",
                u.elsewhere.join(", ")
            ),
            _ => "not among the inputs".to_string(),
        };
        let _ = writeln!(out, "    {:?}: {what}", u.name);
    }
    let unknown: Vec<String> = pod
        .pull_secrets
        .iter()
        .filter(|u| !u.keys_known)
        .map(|u| format!("{:?}", u.name))
        .collect();
    let unknown: Vec<&str> = unknown.iter().map(String::as_str).collect();
    for c in &pod.containers {
        let _ = writeln!(
            out,
            "  {} (line {}): {}",
            c.container,
            c.line,
            controls(&c.image.image)
        );
        let names_some = !pod.pull_secrets.is_empty();
        render_image(out, &c.image, secrets, &unknown, names_some, "    ");
    }
    render_problems(out, &pod.problems, "  ");
}
