//! `missing-image-pull-secrets`: adds `imagePullSecrets: [{name: S}]` to the
//! pod spec, in the file's own style (block or flow, JSON quoting, sequence
//! indentation). The name comes from a [`SecretChooser`].

use super::edit::Edit;
use super::layout::is_flow;
use super::locate::{pod_spec_at, pod_specs};
use super::plan::{FilePlan, Planned, SecretChooser, Skipped, Source, MISSING_PULL_SECRETS};
use super::scalar::double_quoted;
use super::yaml_edit::{append_entry, NewValue, YamlEditError};
use crate::lint::{Level, Reported};
use crate::manifest::{Node, Object, Style};

type Found<'f, 'a> = (&'f Reported, &'f Object<'a>, usize);

/// The images a pod spec pulls: containers, init and ephemeral containers.
pub fn images(spec: &Node) -> Vec<&str> {
    ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|k| spec.get(k))
        .flat_map(|list| list.items())
        .filter_map(|c| c.get("image").and_then(Node::text))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PodEditError {
    #[error(transparent)]
    Layout(#[from] YamlEditError),
    #[error("the pod spec already has imagePullSecrets")]
    AlreadyThere,
}

/// The edit that makes `spec` name `secret` in `imagePullSecrets`.
pub fn add_pull_secret(
    text: &str,
    spec: &Node,
    root: &Node,
    secret: &str,
) -> Result<Edit, PodEditError> {
    let value = NewValue::MappingList(vec![vec![("name".to_string(), secret.to_string())]]);
    match spec.entry("imagePullSecrets") {
        None => Ok(append_entry(text, spec, root, "imagePullSecrets", &value)?),
        // `imagePullSecrets: []`: the list is filled in place.
        Some(entry) if entry.value.items().is_empty() && is_flow(text, &entry.value) => {
            let json = entry
                .key
                .as_scalar()
                .is_some_and(|s| s.style == Style::DoubleQuoted);
            let name = if json {
                format!("[{{\"name\": {}}}]", double_quoted(secret))
            } else {
                format!(
                    "[{{name: {}}}]",
                    super::scalar::render(secret, Style::Plain)
                )
            };
            Ok(Edit::replace(entry.value.span.clone(), name))
        }
        Some(_) => Err(PodEditError::AlreadyThere),
    }
}

pub fn plan(
    source: &Source<'_>,
    findings: &[Found<'_, '_>],
    chooser: &dyn SecretChooser,
    plan: &mut FilePlan,
) {
    let mut done: Vec<std::ops::Range<usize>> = Vec::new();
    // Errors and warnings first: an info finding (a registry not known to
    // be private) is fixed only along with them, in the same pod.
    let mut ordered: Vec<&Found<'_, '_>> = findings.iter().collect();
    ordered.sort_by_key(|(f, _, _)| std::cmp::Reverse(f.level));
    for (finding, object, offset) in ordered {
        let skip = |reason: String| Skipped {
            rule: MISSING_PULL_SECRETS,
            at: finding.start,
            reason,
        };
        // The finding points into the pod spec (an image) or, failing
        // that, at an object with a single pod spec.
        let spec = pod_spec_at(object.node, *offset).or_else(|| match pod_specs(object.node)[..] {
            [only] => Some(only),
            _ => None,
        });
        let Some(spec) = spec else {
            plan.skipped.push(skip(
                "no pod spec (a mapping with containers) holds it".into(),
            ));
            continue;
        };
        let planned = |edits| Planned {
            rule: MISSING_PULL_SECRETS,
            object: finding.object.clone(),
            at: finding.start,
            edits,
            summary: String::new(),
        };
        if done.contains(&spec.span) {
            // Another image of the same pod: fixed by the same edit.
            let summary = plan
                .planned
                .iter()
                .rev()
                .find(|p| p.rule == MISSING_PULL_SECRETS)
                .map(|p| p.summary.clone())
                .unwrap_or_default();
            plan.planned.push(Planned {
                summary,
                ..planned(Vec::new())
            });
            continue;
        }
        if finding.level == Level::Info {
            plan.skipped.push(skip(
                "the registry is not known to be private (info): list it under registries.private in .regcred.yaml for --fix to add imagePullSecrets".into(),
            ));
            continue;
        }
        if object.encrypted {
            plan.skipped.push(skip(
                "the file is SOPS-encrypted: an edit would break its MAC".into(),
            ));
            continue;
        }
        let images = images(spec);
        let Some(secret) = chooser.choose(object.id.namespace.as_deref(), &images) else {
            plan.skipped.push(skip(
                "no pull secret among the inputs matches its images: name one with --fix-secret NAME or `fix: {secret-name: NAME}` in .regcred.yaml".into(),
            ));
            continue;
        };
        let root = source
            .docs
            .get(object.id.document)
            .and_then(|d| d.root.as_ref())
            .unwrap_or(object.node);
        match add_pull_secret(source.text, spec, root, &secret) {
            Ok(edit) => {
                done.push(spec.span.clone());
                plan.planned.push(Planned {
                    summary: format!("add imagePullSecrets: [{{name: {secret}}}]"),
                    ..planned(vec![edit])
                });
            }
            Err(e) => plan.skipped.push(skip(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::edit::apply;
    use crate::fix::locate::pod_specs;
    use crate::manifest::parse_stream;

    fn fixed(text: &str) -> String {
        let docs = parse_stream(text).unwrap();
        let root = docs[0].root.as_ref().unwrap();
        let spec = pod_specs(root)[0];
        let edit = add_pull_secret(text, spec, root, "regcred").unwrap();
        let out = apply(text, &[edit]).unwrap();
        let docs = parse_stream(&out).unwrap();
        let spec = pod_specs(docs[0].root.as_ref().unwrap())[0];
        let names: Vec<_> = spec
            .get("imagePullSecrets")
            .unwrap()
            .items()
            .iter()
            .map(|i| i.get("name").unwrap().text().unwrap().to_string())
            .collect();
        assert_eq!(names, ["regcred"], "{out}");
        out
    }

    #[test]
    fn empty_lists_are_filled_in_place() {
        assert_eq!(
            fixed("spec:\n  containers: [{image: x}]\n  imagePullSecrets: []\n"),
            "spec:\n  containers: [{image: x}]\n  imagePullSecrets: [{name: regcred}]\n"
        );
        let json = fixed("{\"spec\": {\"containers\": [], \"imagePullSecrets\": []}}");
        serde_json::from_str::<serde_json::Value>(&json).unwrap();
    }

    #[test]
    fn images_of_every_container_list() {
        let text = "containers: [{image: a}]\ninitContainers: [{image: b}]\nephemeralContainers: [{image: c}, {name: no-image}]\n";
        let docs = parse_stream(text).unwrap();
        assert_eq!(images(docs[0].root.as_ref().unwrap()), ["a", "b", "c"]);
    }
}
