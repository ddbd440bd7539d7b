//! The rule texts as a person reads them: `regcred explain` and the
//! generated docs/rules.md both come from here.

use super::{explanation, Rule, RULES};

/// The first sentence of a rule's "What it checks" paragraph.
pub fn summary(rule: &dyn Rule) -> String {
    let text = explanation(rule.id()).unwrap_or("");
    let what = text
        .split("**What it checks.**")
        .nth(1)
        .unwrap_or(text)
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match what.find(". ") {
        Some(end) => what[..=end].to_string(),
        None => what,
    }
}

/// What docs/rules.md and `regcred explain` say of a fixable rule.
const FIXABLE: &str = "`regcred lint --fix` fixes it";

/// One rule's full text, as `regcred explain RULE` prints it.
pub fn full_text(rule: &dyn Rule) -> String {
    format!(
        "{} ({} by default{})\n\n{}\n",
        rule.id(),
        rule.default_level().as_str(),
        match rule.fixable() {
            true => format!("; {FIXABLE}"),
            false => String::new(),
        },
        explanation(rule.id()).unwrap_or("(no explanation)")
    )
}

/// The list `regcred explain` prints.
pub fn list() -> String {
    let width = RULES.iter().map(|r| r.id().len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in RULES {
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            rule.id(),
            rule.default_level().as_str(),
            summary(*rule)
        ));
    }
    out
}

/// The rules as a Markdown table, each id linking to `{link_base}#id`
/// (docs/rules.md links within itself, the README into docs/rules.md).
pub fn table(link_base: &str) -> String {
    let mut out = String::from("| rule | level | what it checks |\n|---|---|---|\n");
    for rule in RULES {
        out.push_str(&format!(
            "| [`{id}`]({link_base}#{id}) | {} | {} |\n",
            rule.default_level().as_str(),
            summary(*rule).replace('|', "\\|"),
            id = rule.id()
        ));
    }
    out
}

/// docs/rules.md.
pub fn markdown() -> String {
    let mut out = String::from(
        "# regcred rules\n\n<!-- Generated from the rule files' doc comments by \
         `REGCRED_BLESS=1 cargo test --test it docs::`; do not edit. -->\n\n",
    );
    out.push_str(&table(""));
    for rule in RULES {
        out.push_str(&format!(
            "\n## {}\n\nDefault level: **{}**.{} Suppress with `# regcred:ignore {}`.\n\n{}\n",
            rule.id(),
            rule.default_level().as_str(),
            match rule.fixable() {
                true => format!(" Fixable: {FIXABLE}."),
                false => String::new(),
            },
            rule.id(),
            explanation(rule.id()).unwrap_or("")
        ));
    }
    out.push_str(TEST_EXPECTATIONS);
    out
}

/// The section of docs/rules.md on files regcred takes for test data.
const TEST_EXPECTATIONS: &str = "
## Test-expectation files

Some manifests in a repository are never applied: they are what a test
expects to find, or what a policy engine evaluates offline. Content rules
apply to them (a broken Secret there is still broken), but they neither
define nor need anything: the rules that read other objects
(`image-pull-secret-not-found`, `image-pull-secret-not-pull-secret`,
`image-pull-secret-no-match`, `missing-image-pull-secrets`) are silent on
their pods, and their Secrets, ServiceAccounts and credentials satisfy no
reference from a deployable file.

They are recognised by the test definitions that name them:

- a chainsaw `Test` (`chainsaw.kyverno.io`): the `file` of the `assert` and
  `error` operations of its steps (`try`, `catch`, `finally`, `cleanup`);
- a kyverno CLI `Test` (`cli.kyverno.io`): its `resources`, which the CLI
  evaluates and never applies, and the `patchedResource(s)` of its results;

and by path, below the repository root (the git work tree; a repository
checked out under a folder named `testdata` is linted as usual; outside
git, the path as given):

- every file under a folder named `.chainsaw-test` or `testdata` (Go's
  golden outputs);
- kuttl's step files `NN-assert*.yaml` and `NN-errors*.yaml`.

Configure it in `.regcred.yaml`:

```yaml
test-expectations:
  detect: false                 # lint every file as deployable
  folders: [testdata, golden]   # folder names holding test data (replaces the default)
```
";
