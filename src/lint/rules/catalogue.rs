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

/// One rule's full text, as `regcred explain RULE` prints it.
pub fn full_text(rule: &dyn Rule) -> String {
    format!(
        "{} ({} by default)\n\n{}\n",
        rule.id(),
        rule.default_level().as_str(),
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
         `REGCRED_BLESS=1 cargo test --test docs`; do not edit. -->\n\n",
    );
    out.push_str(&table(""));
    for rule in RULES {
        out.push_str(&format!(
            "\n## {}\n\nDefault level: **{}**. Suppress with `# regcred:ignore {}`.\n\n{}\n",
            rule.id(),
            rule.default_level().as_str(),
            rule.id(),
            explanation(rule.id()).unwrap_or("")
        ));
    }
    out
}
