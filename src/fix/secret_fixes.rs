//! Fixes on pull Secrets: the type a `.dockerconfigjson` / `.dockercfg` key
//! needs (`pull-secret-wrong-type`), and the near-miss key renamed to the one
//! the type needs (`pull-secret-missing-key`), its value bytes untouched.

use super::plan::{FilePlan, Planned, Skipped, Source, MISSING_KEY, WRONG_TYPE};
use super::yaml_edit::{append_entry, replace_scalar, set_value, NewValue};
use crate::lint::Reported;
use crate::manifest::gitops_secret::{GitOpsKind, GitOpsSecretView};
use crate::manifest::secret::{
    DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::{Object, SecretView};

type Found<'f, 'a> = (&'f Reported, &'f Object<'a>, usize);

pub fn plan(source: &Source<'_>, findings: &[Found<'_, '_>], plan: &mut FilePlan) {
    // One object at a time: its findings may decide together.
    let mut objects: Vec<&Object<'_>> = Vec::new();
    for (_, object, _) in findings {
        if !objects.iter().any(|o| o.node.span == object.node.span) {
            objects.push(object);
        }
    }
    for object in objects {
        let group: Vec<&Found<'_, '_>> = findings
            .iter()
            .filter(|(_, o, _)| o.node.span == object.node.span)
            .collect();
        plan_object(source, object, &group, plan);
    }
}

fn skip_all(group: &[&Found<'_, '_>], reason: &str, plan: &mut FilePlan) {
    for (finding, _, _) in group {
        plan.skipped.push(Skipped {
            rule: finding.rule,
            at: finding.start,
            reason: reason.to_string(),
        });
    }
}

fn plan_object(
    source: &Source<'_>,
    object: &Object<'_>,
    group: &[&Found<'_, '_>],
    plan: &mut FilePlan,
) {
    if object.encrypted {
        skip_all(
            group,
            "the file is SOPS-encrypted: an edit would break its MAC (fix the source, then encrypt again)",
            plan,
        );
        return;
    }
    if let Some(gitops) = GitOpsSecretView::new(object) {
        let reason = match gitops.kind {
            GitOpsKind::SealedSecret => "it is in a SealedSecret: seal the Secret again with the right type and key (`regcred create ... --seal-cert`)",
            GitOpsKind::ExternalSecret => "it is in an ExternalSecret: set the type or key in its spec.target.template or spec.data by hand",
        };
        skip_all(group, reason, plan);
        return;
    }
    let Some(secret) = SecretView::new(object, source.text) else {
        skip_all(group, "it is not in a core Secret", plan);
        return;
    };
    let (wrong_type, missing_key): (Vec<_>, Vec<_>) =
        group.iter().partition(|(f, _, _)| f.rule == WRONG_TYPE);
    if !wrong_type.is_empty() {
        plan_type(source, object, &secret, &wrong_type, plan);
    }
    for found in missing_key {
        plan_rename(&secret, found, plan);
    }
}

/// Sets `type` from the pull-secret key(s) the findings point at.
fn plan_type(
    source: &Source<'_>,
    object: &Object<'_>,
    secret: &SecretView<'_>,
    group: &[&Found<'_, '_>],
    plan: &mut FilePlan,
) {
    let mut wanted = Vec::new();
    for (_, _, offset) in group {
        let key = secret
            .values()
            .find(|v| v.key.span.start == *offset)
            .map(|v| v.key_text());
        let ty = match key {
            Some(DOCKERCONFIGJSON_KEY) => DOCKERCONFIGJSON_TYPE,
            Some(DOCKERCFG_KEY) => DOCKERCFG_TYPE,
            _ => {
                skip_all(
                    group,
                    "the finding does not point at a pull-secret key",
                    plan,
                );
                return;
            }
        };
        if !wanted.contains(&ty) {
            wanted.push(ty);
        }
    }
    let [ty] = wanted.as_slice() else {
        skip_all(
            group,
            "the Secret holds both .dockerconfigjson and .dockercfg: which type is meant is a guess",
            plan,
        );
        return;
    };
    let root = source
        .docs
        .get(object.id.document)
        .and_then(|d| d.root.as_ref())
        .unwrap_or(object.node);
    let edit = match object.node.entry("type") {
        Some(entry) => set_value(source.text, entry, ty),
        None => append_entry(
            source.text,
            object.node,
            root,
            "type",
            &NewValue::Scalar(ty.to_string()),
        ),
    };
    let edit = match edit {
        Ok(edit) => edit,
        Err(e) => {
            skip_all(group, &e.to_string(), plan);
            return;
        }
    };
    for (i, (finding, _, _)) in group.iter().enumerate() {
        plan.planned.push(Planned {
            rule: WRONG_TYPE,
            object: finding.object.clone(),
            at: finding.start,
            // One edit fixes every finding of the object.
            edits: if i == 0 {
                vec![edit.clone()]
            } else {
                Vec::new()
            },
            summary: format!("set `type: {ty}`"),
        });
    }
}

/// Which Docker config format a key's name says it holds: the old
/// `.dockercfg` or `config.json`'s `.dockerconfigjson`.
pub fn names_dockercfg(key: &str) -> bool {
    key.to_ascii_lowercase().contains("cfg")
}

/// Renames the near-miss key the finding points at.
fn plan_rename(secret: &SecretView<'_>, found: &Found<'_, '_>, plan: &mut FilePlan) {
    let (finding, _, offset) = found;
    let skip = |reason: &str| Skipped {
        rule: MISSING_KEY,
        at: finding.start,
        reason: reason.to_string(),
    };
    let required = match secret.type_name() {
        DOCKERCONFIGJSON_TYPE => DOCKERCONFIGJSON_KEY,
        DOCKERCFG_TYPE => DOCKERCFG_KEY,
        _ => {
            plan.skipped
                .push(skip("the Secret's type is not a pull-secret type"));
            return;
        }
    };
    let Some(value) = secret.values().find(|v| v.key.span.start == *offset) else {
        plan.skipped.push(skip(
            "there is no near-miss key to rename: add the key (`regcred create` writes the whole Secret)",
        ));
        return;
    };
    // `.dockercfg` holds a different JSON shape than `.dockerconfigjson`:
    // renaming across formats would make the payload wrong.
    if names_dockercfg(value.key_text()) != names_dockercfg(required) {
        plan.skipped.push(skip(&format!(
            "\"{}\" names the other Docker config format than {required}: renaming would not fix its content",
            value.key_text()
        )));
        return;
    }
    match replace_scalar(value.key, required) {
        Ok(edit) => plan.planned.push(Planned {
            rule: MISSING_KEY,
            object: finding.object.clone(),
            at: finding.start,
            edits: vec![edit],
            summary: format!("rename \"{}\" to \"{required}\"", value.key_text()),
        }),
        Err(e) => plan.skipped.push(skip(&e.to_string())),
    }
}
