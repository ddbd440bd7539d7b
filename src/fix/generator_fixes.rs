//! The same two Secret fixes on a kustomization's `secretGenerator` item:
//! `type:` added or set (`pull-secret-wrong-type`), and a near-miss key
//! renamed in its `files:` / `literals:` item (`pull-secret-missing-key`),
//! only the key's bytes replaced so the path or value stays as written.

use super::edit::Edit;
use super::plan::{FilePlan, Planned, Skipped, Source, MISSING_KEY, WRONG_TYPE};
use super::secret_fixes::names_dockercfg;
use super::yaml_edit::{append_entry, set_value, NewValue};
use crate::lint::kustomize::{generators, GeneratorEntry, GeneratorView};
use crate::lint::Reported;
use crate::manifest::secret::{
    DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::{Node, Style};

type Found<'f> = (&'f Reported, usize);

/// Plans the fixes of findings inside secretGenerator items; returns the
/// findings that are in none.
pub fn plan<'f>(
    source: &Source<'_>,
    findings: &[Found<'f>],
    plan: &mut FilePlan,
) -> Vec<Found<'f>> {
    let generators = generators(source.docs);
    let mut outside = Vec::new();
    let mut by_generator: Vec<(usize, Vec<Found<'f>>)> = Vec::new();
    for &(finding, offset) in findings {
        match generators
            .iter()
            .position(|g| g.node.span.contains(&offset))
        {
            Some(i) => match by_generator.iter_mut().find(|(g, _)| *g == i) {
                Some((_, list)) => list.push((finding, offset)),
                None => by_generator.push((i, vec![(finding, offset)])),
            },
            None => outside.push((finding, offset)),
        }
    }
    for (i, group) in by_generator {
        let Some(generator) = generators.get(i) else {
            continue;
        };
        let root = source
            .docs
            .iter()
            .filter_map(|d| d.root.as_ref())
            .find(|r| r.span.contains(&generator.node.span.start))
            .unwrap_or(generator.node);
        let (types, keys): (Vec<_>, Vec<_>) = group.iter().partition(|(f, _)| f.rule == WRONG_TYPE);
        if !types.is_empty() {
            plan_type(source.text, generator, root, &types, plan);
        }
        for found in keys {
            plan_rename(source.text, generator, &found, plan);
        }
    }
    outside
}

fn skip(finding: &Reported, reason: &str) -> Skipped {
    Skipped {
        rule: finding.rule,
        at: finding.start,
        reason: reason.to_string(),
    }
}

fn entry_at<'g, 'a>(
    generator: &'g GeneratorView<'a>,
    offset: usize,
) -> Option<&'g GeneratorEntry<'a>> {
    generator
        .entries
        .iter()
        .find(|e| e.item.span.start == offset)
}

fn plan_type(
    text: &str,
    generator: &GeneratorView<'_>,
    root: &Node,
    group: &[Found<'_>],
    plan: &mut FilePlan,
) {
    let mut wanted = Vec::new();
    for (finding, offset) in group {
        let ty = match entry_at(generator, *offset).map(|e| e.key.as_str()) {
            Some(DOCKERCONFIGJSON_KEY) => DOCKERCONFIGJSON_TYPE,
            Some(DOCKERCFG_KEY) => DOCKERCFG_TYPE,
            _ => {
                plan.skipped.push(skip(
                    finding,
                    "the finding does not point at a pull-secret key",
                ));
                return;
            }
        };
        if !wanted.contains(&ty) {
            wanted.push(ty);
        }
    }
    let [ty] = wanted.as_slice() else {
        for (finding, _) in group {
            plan.skipped.push(skip(
                finding,
                "the generator stores both .dockerconfigjson and .dockercfg: which type is meant is a guess",
            ));
        }
        return;
    };
    let edit = match generator.node.entry("type") {
        Some(entry) => set_value(text, entry, ty),
        None => append_entry(
            text,
            generator.node,
            root,
            "type",
            &NewValue::Scalar(ty.to_string()),
        ),
    };
    match edit {
        Ok(edit) => {
            for (i, (finding, _)) in group.iter().enumerate() {
                plan.planned.push(Planned {
                    rule: WRONG_TYPE,
                    object: None,
                    at: finding.start,
                    edits: if i == 0 {
                        vec![edit.clone()]
                    } else {
                        Vec::new()
                    },
                    summary: format!("set `type: {ty}` on the secretGenerator"),
                });
            }
        }
        Err(e) => group
            .iter()
            .for_each(|(finding, _)| plan.skipped.push(skip(finding, &e.to_string()))),
    }
}

/// Renames the key of a `files:` / `literals:` item: `config.json` becomes
/// `.dockerconfigjson=config.json`, `dockerconfigjson=x` becomes
/// `.dockerconfigjson=x`. Only the key's bytes change.
fn plan_rename(text: &str, generator: &GeneratorView<'_>, found: &Found<'_>, plan: &mut FilePlan) {
    let (finding, offset) = found;
    let required = match generator.type_name() {
        DOCKERCONFIGJSON_TYPE => DOCKERCONFIGJSON_KEY,
        DOCKERCFG_TYPE => DOCKERCFG_KEY,
        _ => {
            plan.skipped.push(skip(
                finding,
                "the generator's type is not a pull-secret type",
            ));
            return;
        }
    };
    let Some(entry) = entry_at(generator, *offset) else {
        plan.skipped.push(skip(
            finding,
            "there is no near-miss key to rename: add `files: [.dockerconfigjson=PATH]`",
        ));
        return;
    };
    if names_dockercfg(&entry.key) != names_dockercfg(required) {
        plan.skipped.push(skip(
            finding,
            &format!(
                "\"{}\" names the other Docker config format than {required}: renaming would not fix its content",
                entry.key
            ),
        ));
        return;
    }
    let Some(item) = entry.item.as_scalar() else {
        return;
    };
    // The item's text starts right after an opening quote, if any; escapes
    // would make bytes and characters differ, so only simple items.
    let content = entry.item.span.start + usize::from(item.style != Style::Plain);
    let written = text.get(content..).unwrap_or("");
    let simple = matches!(
        item.style,
        Style::Plain | Style::SingleQuoted | Style::DoubleQuoted
    ) && written.starts_with(item.value.as_str());
    if !simple {
        plan.skipped.push(skip(
            finding,
            "the item is written with escapes: rename the key by hand",
        ));
        return;
    }
    let edit = match item.value.split_once('=') {
        Some((key, _)) => Edit::replace(content..content + key.len(), required),
        None => Edit::insert(content, format!("{required}=")),
    };
    plan.planned.push(Planned {
        rule: MISSING_KEY,
        object: None,
        at: finding.start,
        edits: vec![edit],
        summary: format!(
            "store \"{}\" as \"{required}\" in the secretGenerator",
            entry.key
        ),
    });
}
