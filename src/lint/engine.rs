//! Lints one source (a file's bytes) in four named steps, each in its own
//! file: [`read`] (bytes, encoding, BOM, limits), [`parse`] (the parse mode
//! chosen once), [`objects`] (the rules and the index, per object) and
//! [`place`] (levels, suppressions, positions and masked excerpts, the same
//! for every finding, a pod's included). Nothing of the source outlives
//! this call but the findings, the index part and the pending pods.

mod objects;
mod parse;
mod place;
pub mod read;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::config::Config;
use super::deferred::PendingPod;
use super::expectations;
use super::finding::{Level, Location};
use super::index::IndexPart;
use super::index::WorkspaceIndex;
use super::index::{file_key, FileRole};
use super::index_parts::kubelet_keys;
use super::input::InputKind;
use super::kustomize::GeneratedPayload;
use super::mask;
use super::outcome::Reported;
use super::rules::{sealed_secret_scope_moved, Rule, RULES};
use super::setting::Setting;
use super::view::{FileView, PayloadFormat, PayloadOrigin, PullSecretView};
use super::workload::WorkloadContext;
use crate::lint::pull_secret_summary::PullSecretSummary;
use crate::load_restrictor::LoadRestrictor;
use crate::manifest::SyntaxError;
use place::Placed;

/// Which rules run and at which level.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these rules (`--select`), if given.
    pub select: Option<BTreeSet<String>>,
    /// Not these (`--ignore`).
    pub ignore: BTreeSet<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown rule {0:?}{suggestion}; `regcred explain` lists the rules", suggestion = super::rules::did_you_mean(.0))]
pub struct UnknownRule(pub String);

/// The engine, configured once, shared by every thread.
#[derive(Debug, Clone, Default)]
pub struct Linter {
    pub config: Config,
    /// Which files kustomizations may name (kustomize's load restrictor);
    /// set from the command line only, never from the linted repository.
    pub load_restrictor: LoadRestrictor,
    /// Files named on the command line are skipped by `skip:` too
    /// (`--force-exclude`, for pre-commit).
    pub force_exclude: bool,
    selection: Selection,
    /// Parse every file and build every document, with no pre-scan: the
    /// reference the pre-scan is tested against.
    full_parse: bool,
    /// Only build the index: documents that define nothing (pods included)
    /// are not parsed, and pods are not collected. For context files.
    index_only: bool,
    /// Also summarize every pull secret read (`regcred inspect`).
    collect_pull_secrets: bool,
    /// Also make the fixes that cost work for every object that could need
    /// them, not only for findings: a pod's `imagePullSecrets` edit.
    propose_fixes: bool,
}

/// What linting one source gives.
#[derive(Debug, Default)]
pub struct FileResult {
    pub findings: Vec<Reported>,
    pub objects: usize,
    pub skipped_template: bool,
    /// Payload files a kustomization's secretGenerator stores.
    pub generated: Vec<GeneratedPayload>,
    /// What the file adds to the workspace index.
    pub index: IndexPart,
    /// Pod specs whose checks wait for the whole index.
    pub pods: Vec<PendingPod>,
    /// The file was not linted: it is over this limit (`limits:` in the
    /// config), described.
    pub over_limit: Option<String>,
    /// The pull secrets read, summarized (only for [`Linter::collecting_pull_secrets`]).
    pub pull_secrets: Vec<PullSecretSummary>,
    /// Findings of `sealed-secret-scope-moved`, placed, that hold only once
    /// the kustomizations' namespaces are known ([`sealed_secret_scope_moved::moved`]).
    pub pending_seals: Vec<Reported>,
}

impl Linter {
    /// Checks every rule id named by the selection or the config.
    pub fn new(config: Config, selection: Selection) -> Result<Linter, UnknownRule> {
        let named = selection
            .select
            .iter()
            .flatten()
            .chain(selection.ignore.iter())
            .chain(config.rules.keys());
        for id in named {
            if super::rules::by_id(id).is_none() {
                return Err(UnknownRule(id.clone()));
            }
        }
        Ok(Linter {
            config,
            load_restrictor: LoadRestrictor::default(),
            force_exclude: false,
            selection,
            full_parse: false,
            index_only: false,
            collect_pull_secrets: false,
            propose_fixes: false,
        })
    }

    /// The same linter without the pre-scan: every manifest is parsed and
    /// every document built. Same findings, except `yaml-syntax-error` in
    /// files where no document can matter (the pre-scan skips those).
    pub fn with_full_parse(mut self) -> Linter {
        self.full_parse = true;
        self
    }

    /// The same linter for files that only feed the index (`--context`):
    /// the same index parts, read from fewer documents.
    pub fn for_index_only(mut self) -> Linter {
        self.index_only = true;
        self
    }

    /// The same linter, also summarizing every pull secret it reads (what
    /// `regcred inspect` shows): [`FileResult::pull_secrets`].
    pub fn collecting_pull_secrets(mut self) -> Linter {
        self.collect_pull_secrets = true;
        self
    }

    /// The same linter, giving every finding its rule can fix a fix
    /// (`--fix`): pods carry the edit that adds `imagePullSecrets`.
    /// Findings of other rules carry their fixes from any linter.
    pub fn proposing_fixes(mut self) -> Linter {
        self.propose_fixes = true;
        self
    }

    /// The level a rule's findings get, `None` when it is off.
    pub fn level_of(&self, rule: &str, default: Level) -> Option<Level> {
        if let Some(select) = &self.selection.select {
            if !select.contains(rule) {
                return None;
            }
        }
        if self.selection.ignore.contains(rule) {
            return None;
        }
        match self.config.rules.get(rule) {
            Some(Setting::Off) => None,
            Some(Setting::Level(level)) => Some(*level),
            None => Some(default),
        }
    }

    fn rules(&self) -> impl Iterator<Item = &'static dyn Rule> + '_ {
        RULES
            .iter()
            .copied()
            .filter(|r| self.level_of(r.id(), r.default_level()).is_some())
    }

    /// Lints one source on its own: the workload checks run against an
    /// index of this source alone. `path` is shown in reports; `dir` is the
    /// folder relative paths (kustomize) start from.
    pub fn lint_source(
        &self,
        path: &str,
        dir: Option<&Path>,
        bytes: &[u8],
        kind: InputKind,
    ) -> FileResult {
        let mut result = self.collect_source(path, dir, bytes, kind);
        let mut index = WorkspaceIndex::default();
        index.add(std::mem::take(&mut result.index));
        index.finish();
        let pods = std::mem::take(&mut result.pods);
        result.findings.extend(self.check_pods(&index, pods));
        let seals = std::mem::take(&mut result.pending_seals);
        result
            .findings
            .extend(sealed_secret_scope_moved::moved(&index, seals));
        result
    }

    /// Lints one source as part of a workspace: the per-file rules run, the
    /// index part and the pending pods come back for [`Linter::check_pods`].
    pub fn collect_source(
        &self,
        path: &str,
        dir: Option<&Path>,
        bytes: &[u8],
        kind: InputKind,
    ) -> FileResult {
        let mut result = match kind {
            InputKind::DockerConfig(format) => self.lint_docker_config(path, bytes, format),
            InputKind::Manifest | InputKind::Kustomization => {
                self.lint_manifest(path, dir, bytes, kind)
            }
        };
        result.index.file = Some(self.file_role(path));
        result
    }

    /// The file's key in the index and what its path and configuration
    /// make it (docs/rules.md, "Test-expectation files").
    fn file_role(&self, path: &str) -> (PathBuf, FileRole) {
        let key = file_key(Path::new(path));
        let settings = &self.config.expectations;
        let role = if !settings.detect {
            FileRole::Undetected
        } else if expectations::file_by_path(&key, Path::new(path), settings) {
            FileRole::TestData
        } else {
            FileRole::Deployable
        };
        (key, role)
    }

    /// [`Linter::check_pods`] on `threads` threads (0: one per core), the
    /// pods cut into one run of neighbours per thread; findings keep the
    /// pods' order.
    pub fn check_pods_parallel(
        &self,
        index: &WorkspaceIndex,
        mut pods: Vec<PendingPod>,
        threads: usize,
    ) -> Vec<Reported> {
        let threads = match threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        };
        // Below this, starting threads costs more than it saves.
        const MIN_PODS_PER_THREAD: usize = 256;
        let threads = threads.min(pods.len() / MIN_PODS_PER_THREAD).max(1);
        if threads == 1 {
            return self.check_pods(index, pods);
        }
        let per_thread = pods.len().div_ceil(threads);
        let mut runs = Vec::new();
        while pods.len() > per_thread {
            let rest = pods.split_off(per_thread);
            runs.push(std::mem::replace(&mut pods, rest));
        }
        runs.push(pods);
        std::thread::scope(|scope| {
            let handles: Vec<_> = runs
                .into_iter()
                .map(|run| scope.spawn(move || self.check_pods(index, run)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    }

    /// Runs the workload rules on pods once the index is complete.
    pub fn check_pods(&self, index: &WorkspaceIndex, pods: Vec<PendingPod>) -> Vec<Reported> {
        let context = WorkloadContext {
            index,
            registries: &self.config.registries,
        };
        let mut out = Vec::new();
        for mut pod in pods {
            pod.view.namespaces =
                index.namespaces_at(&pod.view.file, pod.view.object.namespace.as_deref());
            // A test expectation's pod needs nothing.
            let test_file = index.is_test_file(&pod.view.file);
            let mut raw = Vec::new();
            for rule in self.rules().filter(|r| !(test_file && r.cross_object())) {
                rule.check_pod(&pod.view, &context, &mut raw);
            }
            for finding in raw {
                let Some(level) = place::level(self, &finding, &pod.annotation_ignores) else {
                    continue;
                };
                let range = match &finding.location {
                    Location::File(r) | Location::Payload(r) => r.clone(),
                };
                let Some(anchor) = pod.anchor(&range) else {
                    continue;
                };
                let object = Some(pod.view.object.clone());
                out.extend(place::report(
                    anchor,
                    finding,
                    level,
                    (&pod.path, pod.shift),
                    object,
                    None,
                ));
            }
        }
        out
    }

    fn lint_docker_config(&self, path: &str, bytes: &[u8], format: PayloadFormat) -> FileResult {
        let view = PullSecretView::new(bytes, format, PayloadOrigin::File);
        let mut raw = Vec::new();
        super::rules::behind_shape::check_payload(
            &self.rules().collect::<Vec<_>>(),
            &view,
            &mut raw,
        );
        let placed = raw.into_iter().map(Placed::new).collect();
        let keys = kubelet_keys(&view);
        let mut index = IndexPart::default();
        if let Some((_, keys)) = &keys {
            index.credential_keys = keys.clone();
        }
        if let Some((true, keys)) = keys {
            index
                .docker_configs
                .push((super::kustomize::lexically_normal(Path::new(path)), keys));
        }
        let pull_secrets = match self.collect_pull_secrets {
            true => vec![crate::lint::pull_secret_summary::of_docker_config(
                &view, path,
            )],
            false => Vec::new(),
        };
        FileResult {
            findings: place::place(self, path, bytes, 0, placed, &[], || {
                mask::json_masks(bytes, view.parsed().map(|p| &p.document))
            }),
            index,
            pull_secrets,
            ..FileResult::default()
        }
    }

    /// A manifest or kustomization, in the engine's four steps: read
    /// (bytes, encoding, BOM, limits), parse (the mode chosen once),
    /// objects (the rules and the index), place (levels, suppressions,
    /// positions, masks).
    fn lint_manifest(
        &self,
        path: &str,
        dir: Option<&Path>,
        bytes: &[u8],
        kind: InputKind,
    ) -> FileResult {
        let decoded = match read::decode(bytes) {
            Ok(decoded) => decoded,
            Err(unread) => return self.unread(path, &[], unread),
        };
        let options = read::ReadOptions {
            full_parse: self.full_parse,
            index_only: self.index_only,
            max_documents: self.config.limits.max_documents,
        };
        let source = match read::text(&decoded, kind, &options) {
            Ok(source) => source,
            Err(unread) => return self.unread(path, &decoded, unread),
        };
        let mode = parse::Mode::of(kind, self.full_parse, self.index_only);
        let docs = match parse::documents(&source, path, mode) {
            Ok(docs) => docs,
            Err(unparsed) => return self.unparsed(path, &source, unparsed),
        };
        let found = self.objects(path, dir, &source, &docs, kind);
        let regions = place::document_regions(&docs);
        let mut result = found.result;
        if !found.pods.is_empty() {
            let placer = place::Placer::new(
                source.bytes,
                source.shift,
                &regions,
                mask::manifest_masks(&docs),
            );
            result.pods = found
                .pods
                .into_iter()
                .map(|(view, site)| {
                    let document = site.object.as_ref().map(|o| o.document);
                    let anchors = view
                        .spans()
                        .map(|range| placer.anchor(range, document))
                        .collect();
                    PendingPod::new(
                        view,
                        path.to_string(),
                        anchors,
                        site.annotation_ignores,
                        source.shift,
                    )
                })
                .collect();
        }
        let placed = place::place(
            self,
            path,
            source.bytes,
            source.shift,
            found.placed,
            &regions,
            || mask::manifest_masks(&docs),
        );
        (result.pending_seals, result.findings) = placed
            .into_iter()
            .partition(|f| f.rule == sealed_secret_scope_moved::ID);
        result
    }

    /// What a manifest that is not parsed gives. `bytes` are the decoded
    /// bytes (none when they could not be decoded).
    fn unread(&self, path: &str, bytes: &[u8], unread: read::Unread) -> FileResult {
        let syntax_error = |offset, message| {
            let error = SyntaxError { offset, message };
            self.file_findings(&FileView {
                source: "",
                syntax_error: Some(&error),
            })
        };
        match unread {
            // No excerpt: the bytes are not text to show.
            read::Unread::Undecodable { offset, message } => FileResult {
                findings: place::place(
                    self,
                    path,
                    &[],
                    0,
                    syntax_error(offset, message),
                    &[],
                    Vec::new,
                ),
                ..FileResult::default()
            },
            read::Unread::Prefiltered { objects } => FileResult {
                objects,
                ..FileResult::default()
            },
            read::Unread::OverLimit(limit) => FileResult {
                over_limit: Some(limit),
                ..FileResult::default()
            },
            read::Unread::NotUtf8 { offset } => {
                let body = crate::gocompat::without_bom(bytes);
                let shift = bytes.len() - body.len();
                let placed = syntax_error(offset, "the file is not valid UTF-8".into());
                FileResult {
                    findings: place::place(self, path, bytes, shift, placed, &[], || {
                        mask::opaque_masks(body)
                    }),
                    ..FileResult::default()
                }
            }
        }
    }

    /// What a manifest that does not parse gives.
    fn unparsed(
        &self,
        path: &str,
        source: &read::Source<'_>,
        unparsed: parse::Unparsed,
    ) -> FileResult {
        match unparsed {
            parse::Unparsed::Template => FileResult {
                skipped_template: true,
                ..FileResult::default()
            },
            parse::Unparsed::Json => FileResult::default(),
            parse::Unparsed::Syntax(error) => {
                let placed = self.file_findings(&FileView {
                    source: source.text,
                    syntax_error: Some(&error),
                });
                FileResult {
                    findings: place::place(
                        self,
                        path,
                        source.bytes,
                        source.shift,
                        placed,
                        &[],
                        || mask::unparsed_masks(source.text),
                    ),
                    ..FileResult::default()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::objects::map_payload;
    use super::*;
    use crate::lint::position::LineIndex;
    use crate::lint::work;
    use crate::manifest::secret::DOCKERCONFIGJSON_KEY;
    use crate::manifest::{objects, parse_stream, SecretView};

    fn mapped(yaml: &str, needle: &str) -> (String, Option<String>) {
        let docs = parse_stream(yaml).unwrap();
        let objs = objects(&docs);
        let secret = SecretView::new(&objs[0], yaml).unwrap();
        let value = secret.effective(DOCKERCONFIGJSON_KEY).unwrap();
        let payload = value.bytes().unwrap().to_vec();
        let text = String::from_utf8(payload.clone()).unwrap();
        let at = text.find(needle).unwrap();
        let lines = LineIndex::new(&payload);
        let (range, inner) = map_payload(
            &secret,
            value.value,
            value.field,
            DOCKERCONFIGJSON_KEY,
            &payload,
            &lines,
            &(at..at + needle.len()),
        );
        (yaml[range].to_string(), inner)
    }

    /// Work counted to lint one file holding `n` pull Secrets (every other
    /// one broken, every fourth under an ignore comment) and a Pod with `n`
    /// containers whose pull secret is missing.
    fn work_to_lint(n: usize) -> usize {
        let mut text = String::new();
        for i in 0..n {
            if i % 4 == 0 {
                text.push_str("# regcred:ignore secret-data-plaintext\n");
            }
            let payload = if i % 2 == 0 {
                // {"auths":{"reg.example.com":{"auth":"dXNlcnBhc3M="}}}: no colon
                "eyJhdXRocyI6eyJyZWcuZXhhbXBsZS5jb20iOnsiYXV0aCI6ImRYTmxjbkJoYzNNPSJ9fX0="
            } else {
                "bm90IGpzb24="
            };
            text.push_str(&format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s{i}\n\
                 type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {payload}\n---\n"
            ));
        }
        text.push_str(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n\
             \x20 imagePullSecrets: [{name: missing}]\n  containers:\n",
        );
        for i in 0..n {
            text.push_str(&format!(
                "  - name: c{i}\n    image: reg{}.example.com/app:{i}  # regcred:ignore x\n",
                i % 10
            ));
        }
        work::take();
        let result =
            Linter::default().lint_source("many.yaml", None, text.as_bytes(), InputKind::Manifest);
        assert!(result.findings.len() >= n, "{:?}", result.findings.len());
        work::take()
    }

    #[test]
    fn work_on_one_file_grows_linearly_with_its_documents_and_findings() {
        // Line starts, masks and comment lookups were once redone per
        // document or per finding: 16x the work for 4x the file.
        let (small, large) = (work_to_lint(100), work_to_lint(400));
        assert!(small > 0);
        assert!(large <= small * 5, "{small} units for n, {large} for 4n");
    }

    #[test]
    fn payload_ranges_in_data_point_at_the_value_with_a_note() {
        // {"auths":{"reg.io":{}}}
        let yaml = "kind: Secret\napiVersion: v1\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: eyJhdXRocyI6eyJyZWcuaW8iOnt9fX0=\n";
        let (shown, inner) = mapped(yaml, "reg.io");
        assert_eq!(shown, "eyJhdXRocyI6eyJyZWcuaW8iOnt9fX0=");
        assert_eq!(
            inner.as_deref(),
            Some("in the decoded .dockerconfigjson, line 1 column 12")
        );
    }

    #[test]
    fn payload_ranges_in_plain_string_data_are_exact() {
        let yaml = "kind: Secret\napiVersion: v1\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: |\n    {\"auths\": {\n      \"reg.io\": {}}}\n";
        let (shown, inner) = mapped(yaml, "\"reg.io\"");
        assert_eq!((shown.as_str(), inner), ("\"reg.io\"", None));
    }
}
