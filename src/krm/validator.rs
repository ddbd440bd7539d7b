//! The validator: functionConfig `regcred.dev/v1` `LintConfig` lints the
//! ResourceList's items with the lint engine. Its `spec` holds the options
//! of `.regcred.yaml` (`rules`, `registries`, ...) plus `failOn`, `select`
//! and `ignore`, as on the command line.
//!
//! What to print differs by tool (docs/kubernetes.md §4): kustomize fails the
//! build when a validator echoes its items, kpt deletes every resource a
//! function does not echo. Items that kustomize sent carry its
//! `kustomize.config.k8s.io/id` annotation; for those the function prints no
//! items, for anything else it echoes them unchanged.

use std::collections::BTreeSet;
use std::path::Path;

use super::node::{self, Node};
use super::resource_list::{self, FnResult, ResourceList, Severity};
use crate::lint::config::Config;
use crate::lint::input::InputKind;
use crate::lint::outcome::Summary;
use crate::lint::{Level, Linter, Outcome, Reported, Selection};

pub const KIND: &str = "LintConfig";
/// kustomize marks every resource of a build with this annotation.
const KUSTOMIZE_ID: &str = "kustomize.config.k8s.io/id";
/// The path the findings of the items are reported under.
const SOURCE: &str = "ResourceList";

/// `spec` keys that are not `.regcred.yaml` keys.
const OWN_KEYS: &[&str] = &["failOn", "select", "ignore"];

/// The validator's verdict.
#[derive(Debug)]
pub struct Validation {
    /// The ResourceList to print.
    pub output: String,
    /// The human report (for stderr) when the build must fail.
    pub report: Option<String>,
}

fn level(text: &str) -> Option<Level> {
    match text {
        "error" => Some(Level::Error),
        "warning" => Some(Level::Warning),
        "info" => Some(Level::Info),
        _ => None,
    }
}

fn strings(node: Option<&Node>, field: &str) -> Result<Vec<String>, String> {
    match node {
        None => Ok(Vec::new()),
        Some(n) if n.is_null() => Ok(Vec::new()),
        Some(n) => n
            .items()
            .ok_or_else(|| format!("LintConfig spec.{field} must be a list of rule ids"))?
            .iter()
            .map(|i| {
                i.as_str()
                    .map(String::from)
                    .ok_or_else(|| format!("LintConfig spec.{field} must be a list of rule ids"))
            })
            .collect(),
    }
}

/// The linter and the fail level a LintConfig asks for.
fn configure(function_config: &Node) -> Result<(Linter, Level), String> {
    let empty = Node::Mapping(Vec::new());
    let spec = match function_config.get("spec") {
        Some(s) if !s.is_null() => s,
        _ => &empty,
    };
    let entries = spec.entries().ok_or("LintConfig spec must be a mapping")?;
    let fail_on = match spec.get("failOn") {
        None => Level::Error,
        Some(n) => n
            .as_str()
            .and_then(level)
            .ok_or("LintConfig spec.failOn must be error, warning or info")?,
    };
    let select = strings(spec.get("select"), "select")?;
    let ignore = strings(spec.get("ignore"), "ignore")?;
    // The rest is `.regcred.yaml`, checked by its own schema.
    let rest: Vec<(String, Node)> = entries
        .iter()
        .filter(|(k, _)| !OWN_KEYS.contains(&k.as_str()))
        .cloned()
        .collect();
    let config = if rest.is_empty() {
        Config::default()
    } else {
        let text = node::to_yaml(&Node::Mapping(rest));
        Config::parse(&text, Path::new("LintConfig spec")).map_err(|e| e.to_string())?
    };
    let selection = Selection {
        select: (!select.is_empty()).then(|| select.into_iter().collect::<BTreeSet<_>>()),
        ignore: ignore.into_iter().collect(),
    };
    let linter = Linter::new(config, selection).map_err(|e| e.to_string())?;
    Ok((linter, fail_on))
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Info,
    }
}

/// A KRM result for a finding: the resource it is about, and the file the
/// tool said that resource came from.
fn result(finding: &Reported, items: &[Node]) -> FnResult {
    let item = finding.object.as_ref().and_then(|o| items.get(o.document));
    let resource = finding.object.as_ref().map(|o| {
        (
            o.api_version.clone().unwrap_or_default(),
            o.kind.clone(),
            o.name.clone().unwrap_or_default(),
            o.namespace.clone(),
        )
    });
    let file = item.and_then(|i| {
        let path = resource_list::annotation(i, "config.kubernetes.io/path")
            .or_else(|| resource_list::annotation(i, "internal.config.kubernetes.io/path"))?;
        let index = resource_list::annotation(i, "config.kubernetes.io/index")
            .or_else(|| resource_list::annotation(i, "internal.config.kubernetes.io/index"));
        Some((path.to_string(), index.map(String::from)))
    });
    let mut message = format!("{} [{}]", finding.message, finding.rule);
    if let Some(help) = &finding.help {
        message.push_str("; help: ");
        message.push_str(help);
    }
    FnResult {
        message,
        severity: severity(finding.level),
        resource,
        file,
        tags: vec![("rule".to_string(), finding.rule.to_string())],
    }
}

/// Lints the items of `list`, configured by its LintConfig.
pub fn validate(list: &ResourceList) -> Result<Validation, String> {
    let (linter, fail_on) = configure(&list.function_config)?;
    // One YAML stream, one document per item, so document indexes are item
    // indexes and rules see every object together.
    let mut stream = String::new();
    for item in &list.items {
        stream.push_str("---\n");
        stream.push_str(&node::to_yaml(item));
    }
    let file = linter.lint_source(SOURCE, None, stream.as_bytes(), InputKind::Manifest);
    let mut outcome = Outcome {
        findings: file.findings,
        checked: [SOURCE].into_iter().collect(),
        summary: Summary {
            files: 1,
            objects: file.objects,
            ..Summary::default()
        },
        ..Outcome::default()
    };
    outcome.finish();
    let results: Vec<FnResult> = outcome
        .findings
        .iter()
        .map(|f| result(f, &list.items))
        .collect();
    let from_kustomize = list
        .items
        .iter()
        .any(|i| resource_list::annotation(i, KUSTOMIZE_ID).is_some());
    let failed = outcome.worst().is_some_and(|worst| worst >= fail_on);
    let items: &[Node] = if from_kustomize || failed {
        &[]
    } else {
        &list.items
    };
    Ok(Validation {
        output: resource_list::render(items, &results),
        report: failed.then(|| crate::report::human::render(&outcome, false)),
    })
}
