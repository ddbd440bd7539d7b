//! The texts `--help` ends with and the man pages' extra sections: examples,
//! exit status, environment, files. One source, so that help and man pages
//! say the same.

/// Exit statuses, as `run` returns them (README and docs/ci.md say the same).
pub const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "nothing at or above --fail-on (default: error) was found"),
    ("1", "findings at or above --fail-on remain (never with --exit-zero or --fail-on never)"),
    (
        "2",
        "usage, I/O or configuration error, or an input that could not be read (the report says it is incomplete)",
    ),
];

/// Environment variables regcred reads.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("NO_COLOR", "set: no colours in the human report (also off when stdout is not a terminal)"),
    ("CLICOLOR_FORCE", "set: colours even when stdout is not a terminal"),
    (
        "KUSTOMIZE_PLUGIN_HOME, XDG_CONFIG_HOME, HOME",
        "where `kustomize install-plugin` installs the plugin, in kustomize's order",
    ),
    (
        "KUSTOMIZE_PLUGIN_CONFIG_ROOT",
        "set by kustomize for the plugin: the kustomization folder, where relative paths of a PullSecret start",
    ),
    (
        "REGCRED_NO_CACHE",
        "set (not `0` or `false`): as `lint --no-cache`, the context cache is neither read nor written",
    ),
    (
        "REGCRED_HELPER_TIMEOUT",
        "seconds a credential helper (`create --resolve-helpers`) may take to answer and exit before it is stopped (default 120)",
    ),
    (
        "XDG_CACHE_HOME, HOME",
        "where `lint` keeps a context's cache when the context is in no git repository: $XDG_CACHE_HOME/regcred, else ~/.cache/regcred",
    ),
    (
        "the variable a password comes from",
        "`create --docker-password-env VAR`, `passwordFrom: env:VAR` in a PullSecret",
    ),
];

/// Files regcred reads on its own.
pub const FILES: &[(&str, &str)] = &[
    (
        ".regcred.yaml",
        "lint configuration, in the current folder or the nearest one above (or --config FILE); schemas/config.schema.json",
    ),
    (
        ".gitignore, .git/info/exclude",
        "files `lint` does not walk into: the repository's only, never a .gitignore above it",
    ),
    (
        "$XDG_CONFIG_HOME/kustomize/plugin/regcred.dev/v1/pullsecret/PullSecret",
        "the plugin `kustomize install-plugin` writes",
    ),
    (
        ".git/regcred/context-*, ~/.cache/regcred/context-*",
        "the context cache `lint` reads and writes (names, namespaces, types and registry keys, never Secret data); delete it at will",
    ),
];

/// Examples of the whole CLI (`regcred --help`, regcred(1)).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("regcred lint .", "lint every manifest under the current folder"),
    ("regcred lint --format sarif . > regcred.sarif", "a report for GitHub code scanning"),
    ("regcred lint --diff deploy/", "show what --fix would change, change nothing"),
    ("regcred lint --statistics --exit-zero .", "count the findings per rule, never fail"),
    (
        "printf '%s' \"$PW\" | regcred create regcred --docker-server registry.example.com --docker-username alice --docker-password-stdin",
        "a pull Secret, as kubectl prints it",
    ),
    ("regcred explain pull-secret-auth-no-colon", "what a rule checks, and why"),
];

/// Examples of `regcred lint` (`regcred lint --help`, regcred-lint(1)).
pub const LINT_EXAMPLES: &[(&str, &str)] = &[
    ("regcred lint .", "every manifest under the current folder"),
    (
        "regcred lint deploy/secret.yaml",
        "one file; Secrets it names are looked up in the git work tree",
    ),
    (
        "kustomize build overlays/prod | regcred lint -",
        "a rendered stream on stdin",
    ),
    (
        "regcred lint --select pull-secret-auth-no-colon,secret-data-not-base64 .",
        "only these rules",
    ),
    (
        "regcred lint --fail-on warning --output-format github .",
        "annotations; warnings fail too",
    ),
    (
        "regcred lint --fix --fix-secret regcred k8s/",
        "fix in place, naming this pull Secret",
    ),
    (
        "regcred lint --quiet --exit-zero .",
        "findings only, no summary, exit 0",
    ),
];

/// `--help`'s closing text: the examples and the exit status.
pub fn after_help(examples: &[(&str, &str)]) -> String {
    let mut out = String::from("Examples:\n");
    for (command, what) in examples {
        out.push_str(&format!("  {command}\n      {what}\n"));
    }
    out.push_str("\nExit status:\n");
    for (code, meaning) in EXIT_STATUS {
        out.push_str(&format!("  {code}  {meaning}\n"));
    }
    out
}

/// A man page section (`.SH`) of tagged paragraphs, in roff.
pub fn man_section(title: &str, items: &[(&str, &str)]) -> String {
    let mut out = format!(".SH \"{title}\"\n");
    for (tag, text) in items {
        out.push_str(&format!(".TP\n{}\n{}\n", roff(tag), roff(text)));
    }
    out
}

/// Text for roff: backslashes doubled, `-` as `\-`, and a leading `.` or
/// `'` protected.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
