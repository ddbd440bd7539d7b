//! `regcred create`'s error messages in the words of the `PullSecret`
//! config that produced the flags: the user of a generator wrote
//! `passwordFrom: env:REG_PASSWORD` in pullsecret.yaml, never
//! `--docker-password-env`, and relative paths, never the absolute ones
//! the generator hands to `create`.

use std::path::Path;

/// Each `create` flag the generator sets (`PullSecret::create_args`) and
/// the config field it comes from.
const FLAG_FIELDS: &[(&str, &str)] = &[
    ("from-config", "spec.configFiles"),
    ("docker-server", "spec.server"),
    ("docker-username", "spec.username"),
    ("docker-password-env", "spec.passwordFrom"),
    ("docker-password-file", "spec.passwordFrom"),
    ("docker-email", "spec.email"),
    ("registry", "spec.registries"),
    ("for", "spec.for"),
    ("namespace", "metadata.namespace"),
    ("type", "spec.type"),
    ("label", "spec.labels"),
    ("annotation", "spec.annotations"),
    ("resolve-helpers", "spec.resolveHelpers"),
    ("prefer-later", "spec.preferLater"),
    ("seal-cert", "spec.seal.certificate"),
    ("seal-scope", "spec.seal.scope"),
];

/// `message` with every `--flag` the generator set replaced by its config
/// field, and `base` (the kustomization directory) taken off the paths.
pub fn in_config_terms(message: &str, base: &Path) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("--") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
            .unwrap_or(after.len());
        let name = &after[..len];
        match FLAG_FIELDS.iter().find(|(flag, _)| *flag == name) {
            Some((_, field)) => {
                out.push_str(field);
                // `--flag=VALUE` becomes `field VALUE`.
                let tail = &after[len..];
                rest = tail.strip_prefix('=').map_or(tail, |t| {
                    out.push(' ');
                    t
                });
            }
            None => {
                out.push_str("--");
                out.push_str(name);
                rest = &after[len..];
            }
        }
    }
    out.push_str(rest);
    let base = base.display().to_string();
    if base.is_empty() || base == "." {
        return out;
    }
    out.replace(&format!("{}/", base.trim_end_matches('/')), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_become_fields() {
        let base = Path::new("/work/app");
        assert_eq!(
            in_config_terms(
                "--docker-password-env: environment variable REG_PASSWORD is not set",
                base
            ),
            "spec.passwordFrom: environment variable REG_PASSWORD is not set"
        );
        assert_eq!(
            in_config_terms(
                "cannot read --docker-password-file /work/app/secrets/pw.txt: No such file or directory (os error 2)",
                base
            ),
            "cannot read spec.passwordFrom secrets/pw.txt: No such file or directory (os error 2)"
        );
        assert_eq!(
            in_config_terms("--docker-server \"http://\" has no host", base),
            "spec.server \"http://\" has no host"
        );
        assert_eq!(
            in_config_terms("invalid value 'x' for '--type=x'", base),
            "invalid value 'x' for 'spec.type x'"
        );
        assert_eq!(
            in_config_terms("cannot read /work/app/docker/config.json: denied", base),
            "cannot read docker/config.json: denied"
        );
    }

    #[test]
    fn other_flags_and_prefixes_stay() {
        let base = Path::new("/work/app");
        // `--force` is not `--for`; `--output-file` is not the generator's.
        assert_eq!(
            in_config_terms("pass --force or --output-file -- x", base),
            "pass --force or --output-file -- x"
        );
        assert_eq!(in_config_terms("/work/apple/x", base), "/work/apple/x");
        assert_eq!(in_config_terms("no flags", Path::new("")), "no flags");
    }
}
