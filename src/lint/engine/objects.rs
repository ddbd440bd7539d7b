//! The engine's third step: the objects of a parsed manifest, each given to
//! the rules that read it (a Secret and its pull-secret payload, a
//! SealedSecret or ExternalSecret, a kustomization's secretGenerator items)
//! and to the index; pod specs are kept for the pod rules, which wait for
//! the whole workspace.

use std::ops::Range;
use std::path::Path;

use super::place::{Placed, Site};
use super::read::Source;
use super::{FileResult, Linter};
use crate::lint::expectations;
use crate::lint::finding::{Finding, Fix, Location, NamePullSecret};
use crate::lint::index_parts::{index_kustomization, index_object, index_secret, kubelet_keys};
use crate::lint::input::InputKind;
use crate::lint::kustomize::{generated_payloads, generators};
use crate::lint::position::{LazyLineIndex, LineIndex};
use crate::lint::view::{FileView, PayloadFormat, PayloadOrigin, PullSecretView};
use crate::lint::workload::PodView;
use crate::manifest::gitops_secret::GitOpsSecretView;
use crate::manifest::secret::{
    Field, DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::workload::{add_some_pull_secret, images, pod_spec};
use crate::manifest::{objects, Document, Node, Object, SecretView};

/// Why no fix is made in a SOPS-encrypted Secret: any edit breaks the
/// file's MAC.
const SOPS_SECRET: &str =
    "the file is SOPS-encrypted: an edit would break its MAC (fix the source, then encrypt again)";

/// What the objects of one file give, before placing.
pub(super) struct Found {
    /// The findings of the per-file rules.
    pub placed: Vec<Placed>,
    /// Pod specs, for the pod rules once the index is whole.
    pub pods: Vec<(PodView, Site)>,
    /// Objects counted, index part, generated payloads, pull secrets read.
    pub result: FileResult,
}

impl Linter {
    /// Runs the per-file rules on the file and on each of its objects.
    pub(super) fn objects(
        &self,
        path: &str,
        dir: Option<&Path>,
        source: &Source<'_>,
        docs: &[Document],
        kind: InputKind,
    ) -> Found {
        let text = source.text;
        let mut found = Found {
            placed: self.file_findings(&FileView {
                source: text,
                syntax_error: None,
            }),
            pods: Vec::new(),
            result: FileResult::default(),
        };
        let objects = objects(docs);
        let result = &mut found.result;
        result.objects = objects.len() + docs.iter().filter(|d| d.skipped_object).count();
        // Lines of the text, for definitions' places (as bytes: a BOM holds
        // no line break).
        let lines = LazyLineIndex::new(text.as_bytes());
        for object in &objects {
            index_object(object, path, &lines, &mut result.index);
            let folder = Path::new(path).parent().unwrap_or(Path::new(""));
            result
                .index
                .expectations
                .extend(expectations::named_by_test(object, folder));
            if let Some(spec) = pod_spec(object, text).filter(|_| !self.index_only) {
                let mut view = PodView::new(&spec, Path::new(path));
                if self.propose_fixes {
                    let root = docs.get(object.id.document).and_then(|d| d.root.as_ref());
                    view.add_pull_secret =
                        Some(Box::new(add_pull_secret(text, object, spec.spec, root)));
                }
                found.pods.push((view, site_of(object)));
            }
            if let Some(gitops) = GitOpsSecretView::new(object) {
                if self.collect_pull_secrets {
                    let line = lines.line_of(object.node.span.start) + 1;
                    result
                        .pull_secrets
                        .extend(crate::lint::pull_secret_summary::of_gitops_secret(
                            &gitops, path, line,
                        ));
                }
                let mut raw = Vec::new();
                for rule in self.rules() {
                    rule.check_gitops_secret(&gitops, &mut raw);
                }
                if object.encrypted {
                    for fix in raw.iter_mut().filter_map(|f| f.fix.as_mut()) {
                        **fix = Fix::Unavailable(SOPS_SECRET.to_string());
                    }
                }
                let site = site_of(object);
                found.placed.extend(
                    raw.into_iter()
                        .map(|finding| Placed::at(finding, None, site.clone())),
                );
                continue;
            }
            let Some(secret) = SecretView::new(object, text) else {
                continue;
            };
            if self.collect_pull_secrets {
                let line = lines.line_of(object.node.span.start) + 1;
                result
                    .pull_secrets
                    .extend(crate::lint::pull_secret_summary::of_secret(
                        &secret, path, line,
                    ));
            }
            let mut raw = Vec::new();
            for rule in self.rules() {
                rule.check_secret(&secret, &mut raw);
            }
            let mut in_secret: Vec<(Finding, Option<String>)> =
                raw.into_iter().map(|f| (f, None)).collect();
            let keys = self.check_secret_payload(&secret, &mut in_secret);
            index_secret(&secret, path, &lines, keys, &mut result.index);
            if object.encrypted {
                for (finding, _) in &mut in_secret {
                    if let Some(fix) = &mut finding.fix {
                        **fix = Fix::Unavailable(SOPS_SECRET.to_string());
                    }
                }
            }
            let site = site_of(object);
            found.placed.extend(
                in_secret
                    .into_iter()
                    .map(|(finding, inner)| Placed::at(finding, inner, site.clone())),
            );
        }
        if kind == InputKind::Kustomization {
            if let Some(dir) = dir {
                result.generated = generated_payloads(docs, dir);
                index_kustomization(docs, text, dir, path, &mut result.index);
            }
            for generator in generators(docs, text) {
                let mut raw = Vec::new();
                for rule in self.rules() {
                    rule.check_secret_generator(&generator, &mut raw);
                }
                found.placed.extend(raw.into_iter().map(Placed::new));
            }
        }
        found
    }

    /// The findings of the rules that read a whole file.
    pub(super) fn file_findings(&self, view: &FileView<'_>) -> Vec<Placed> {
        let mut raw = Vec::new();
        for rule in self.rules() {
            rule.check_file(view, &mut raw);
        }
        raw.into_iter().map(Placed::new).collect()
    }

    /// Runs the payload rules on a pull Secret's `.dockerconfigjson` /
    /// `.dockercfg` and maps their payload ranges back to the file (a
    /// finding's location becomes its file range).
    /// Returns whether the kubelet accepts the payload, and its `auths` keys.
    fn check_secret_payload(
        &self,
        secret: &SecretView<'_>,
        out: &mut Vec<(Finding, Option<String>)>,
    ) -> Option<(bool, Vec<String>)> {
        let (key, format) = match secret.type_name() {
            DOCKERCONFIGJSON_TYPE => (DOCKERCONFIGJSON_KEY, PayloadFormat::DockerConfigJson),
            DOCKERCFG_TYPE => (DOCKERCFG_KEY, PayloadFormat::DockerCfg),
            _ => return None,
        };
        let value = secret.effective(key)?;
        let payload = value.bytes()?;
        let origin = match value.field {
            Field::Data => PayloadOrigin::SecretData,
            Field::StringData => PayloadOrigin::SecretStringData,
        };
        let view = PullSecretView::new(payload, format, origin);
        let keys = kubelet_keys(&view);
        let mut raw = Vec::new();
        crate::lint::rules::behind_shape::check_payload(
            &self.rules().collect::<Vec<_>>(),
            &view,
            &mut raw,
        );
        if raw.is_empty() {
            return keys;
        }
        let payload_lines = LineIndex::new(payload);
        for mut finding in raw {
            let inner = match &finding.location {
                Location::File(_) => None,
                Location::Payload(r) => {
                    let (range, inner) = map_payload(
                        secret,
                        value.value,
                        value.field,
                        key,
                        payload,
                        &payload_lines,
                        r,
                    );
                    finding.location = Location::File(range);
                    inner
                }
            };
            out.push((finding, inner));
        }
        keys
    }
}

/// The fix that adds `imagePullSecrets` to the pod spec `spec` of
/// `object`, naming the pull Secret `--fix` chooses.
fn add_pull_secret(text: &str, object: &Object<'_>, spec: &Node, root: Option<&Node>) -> Fix {
    if object.encrypted {
        return Fix::Unavailable(
            "the file is SOPS-encrypted: an edit would break its MAC".to_string(),
        );
    }
    match add_some_pull_secret(text, spec, root.unwrap_or(object.node)) {
        Ok(edit) => Fix::NamePullSecret(NamePullSecret {
            edit,
            summary: "add imagePullSecrets: [{name: {name}}]".to_string(),
            namespace: object.id.namespace.clone(),
            images: images(spec).into_iter().map(str::to_string).collect(),
            only_with_others: None,
        }),
        Err(e) => Fix::Unavailable(e.to_string()),
    }
}

/// The site of a finding about `object`.
fn site_of(object: &Object<'_>) -> Site {
    Site {
        object: Some(object.id.clone()),
        annotation_ignores: object.ignored_rules(),
    }
}

/// A payload range as a file range: exact for a simple `stringData` value,
/// else the whole value plus where inside the payload it is.
pub(super) fn map_payload(
    secret: &SecretView<'_>,
    value: &Node,
    field: Field,
    key: &str,
    payload: &[u8],
    payload_lines: &LineIndex,
    range: &Range<usize>,
) -> (Range<usize>, Option<String>) {
    if field == Field::StringData {
        let start = secret.value_offset(value, range.start);
        let end = secret.value_offset(value, range.end.max(range.start + 1) - 1);
        if let (Some(s), Some(e)) = (start, end) {
            return (s..e + 1, None);
        }
    }
    let (line, column) = payload_lines.position(payload, range.start);
    let what = match field {
        Field::Data => "decoded",
        Field::StringData => "stringData",
    };
    (
        value.span.clone(),
        Some(format!("in the {what} {key}, line {line} column {column}")),
    )
}
