//! Lints one source (a file's bytes): parse, build views, run the rules,
//! place findings (payload offsets mapped back, suppressions applied,
//! excerpts cut). Nothing of the source outlives this call but the findings.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::config::{Config, Setting};
use super::deferred::{Anchor, PendingPod};
use super::encoding::{self, Text};
use super::excerpt::{excerpt, Masks};
use super::expectations;
use super::finding::{Finding, Level, Location};
use super::index::IndexPart;
use super::index::WorkspaceIndex;
use super::index::{file_key, FileRole};
use super::index_parts::{index_kustomization, index_object, index_secret, kubelet_keys};
use super::input::{worth_indexing, worth_parsing, InputKind};
use super::kustomize::{generated_payloads, generators, GeneratedPayload};
use super::mask;
use super::outcome::{Position, Reported};
use super::position::{LazyLineIndex, LineIndex};
use super::rules::{Rule, RULES};
use super::suppress::{ignore_comments, IgnoreComment};
use super::view::{FileView, PayloadFormat, PayloadOrigin, PullSecretView};
use super::workload::{PodView, WorkloadContext};
use crate::inspect::secret::PullSecretSummary;
use crate::load_restrictor::LoadRestrictor;
use crate::manifest::gitops_secret::GitOpsSecretView;
use crate::manifest::secret::{
    Field, DOCKERCFG_KEY, DOCKERCFG_TYPE, DOCKERCONFIGJSON_KEY, DOCKERCONFIGJSON_TYPE,
};
use crate::manifest::workload::pod_spec;
use crate::manifest::{
    objects, parse_stream, parse_stream_filtered, prescan, Document, Node, ObjectId, SecretView,
    SyntaxError,
};

/// Whether to build a document's tree: only documents that can matter to a
/// hook (`manifest::prescan` lists them; a hook that reads other objects
/// extends it). Other documents of a parsed file are parsed for syntax only.
fn worth_building(document: &str) -> bool {
    prescan::may_matter(document.as_bytes())
}

/// [`worth_building`] for a file that is only indexed.
fn worth_indexing_document(document: &str) -> bool {
    prescan::may_define(document.as_bytes())
}

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
}

/// Document separators (`---` at the start of a line): an upper bound on the
/// documents of a stream, counted at memory speed before any parsing.
fn document_separators(bytes: &[u8]) -> usize {
    usize::from(bytes.starts_with(b"---")) + memchr::memmem::find_iter(bytes, b"\n---").count()
}

/// A finding with its file range, before lines and columns.
struct Placed {
    finding: Finding,
    range: Range<usize>,
    inner: Option<String>,
    object: Option<ObjectId>,
    /// Document index, for top-of-document suppressions.
    document: Option<usize>,
    annotation_ignores: Vec<String>,
}

impl Placed {
    /// A finding placed where it points, outside any object.
    fn new(finding: Finding) -> Placed {
        let range = match &finding.location {
            Location::File(r) | Location::Payload(r) => r.clone(),
        };
        Placed {
            finding,
            range,
            inner: None,
            object: None,
            document: None,
            annotation_ignores: Vec::new(),
        }
    }
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

    /// Whether it summarizes pull secrets.
    pub fn collects_pull_secrets(&self) -> bool {
        self.collect_pull_secrets
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
                if pod.annotation_ignores.iter().any(|r| r == finding.rule) {
                    continue;
                }
                let Some(level) = self.level_of(finding.rule, finding.level) else {
                    continue;
                };
                let range = match &finding.location {
                    Location::File(r) | Location::Payload(r) => r.clone(),
                };
                let Some(anchor) = pod.anchor(&range) else {
                    continue;
                };
                if anchor.comments.iter().any(|c| c.covers(finding.rule)) {
                    continue;
                }
                let mut reported =
                    anchor.report(finding.rule, &pod.path, Some(pod.view.object.clone()));
                reported.level = level;
                reported.message = finding.message;
                reported.note = finding.note;
                reported.help = finding.help;
                out.push(reported);
            }
        }
        out
    }

    fn lint_docker_config(&self, path: &str, bytes: &[u8], format: PayloadFormat) -> FileResult {
        let view = PullSecretView::new(bytes, format, PayloadOrigin::File);
        let mut raw = Vec::new();
        for rule in self.rules() {
            rule.check_pull_secret(&view, &mut raw);
        }
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
            true => vec![crate::inspect::secret::of_docker_config(&view, path)],
            false => Vec::new(),
        };
        FileResult {
            findings: self.place(path, bytes, 0, placed, &[], || mask::json_masks(bytes)),
            index,
            pull_secrets,
            ..FileResult::default()
        }
    }

    /// A manifest or kustomization, read as kubectl reads its encoding
    /// (`encoding`: UTF-16 decoded, UTF-32 refused, lone CRs as LF).
    fn lint_manifest(
        &self,
        path: &str,
        dir: Option<&Path>,
        bytes: &[u8],
        kind: InputKind,
    ) -> FileResult {
        match encoding::read(bytes) {
            Text::Plain(Cow::Borrowed(_)) => self.lint_text(path, dir, bytes, kind),
            Text::Plain(Cow::Owned(text)) | Text::FromUtf16(text) => {
                self.lint_text(path, dir, &text, kind)
            }
            Text::Refused(message) => self.encoding_error(path, 0, message.to_string()),
            Text::BadUtf16(at) => self.encoding_error(
                path,
                at,
                format!("the file starts with a UTF-16 byte order mark but is not UTF-16 at byte {at}; kubectl cannot decode it"),
            ),
        }
    }

    /// A `yaml-syntax-error` for a file whose bytes are not read as text:
    /// no excerpt (the bytes are not text to show).
    fn encoding_error(&self, path: &str, offset: usize, message: String) -> FileResult {
        let error = SyntaxError { offset, message };
        let placed = self.file_findings(&FileView {
            source: "",
            syntax_error: Some(&error),
        });
        FileResult {
            findings: self.place(path, &[], 0, placed, &[], Vec::new),
            ..FileResult::default()
        }
    }

    fn lint_text(
        &self,
        path: &str,
        dir: Option<&Path>,
        bytes: &[u8],
        kind: InputKind,
    ) -> FileResult {
        let body = crate::gocompat::without_bom(bytes);
        let shift = bytes.len() - body.len();
        let mut result = FileResult::default();
        let worth = match self.index_only {
            true => worth_indexing(body, kind),
            false => worth_parsing(body, kind),
        };
        if !self.full_parse && !worth {
            result.objects = prescan::documents(body)
                .filter(|d| prescan::names_a_kind(d))
                .count();
            return result;
        }
        let separators = document_separators(body);
        let max = self.config.limits.max_documents;
        if separators >= max {
            result.over_limit = Some(format!(
                "more than {max} YAML documents (limits.max-documents in .regcred.yaml); not linted"
            ));
            return result;
        }
        let text = match std::str::from_utf8(body) {
            Ok(text) => text,
            Err(e) => {
                let error = SyntaxError {
                    offset: e.valid_up_to(),
                    message: "the file is not valid UTF-8".into(),
                };
                let placed = self.file_findings(&FileView {
                    source: "",
                    syntax_error: Some(&error),
                });
                result.findings =
                    self.place(path, bytes, shift, placed, &[], || mask::opaque_masks(body));
                return result;
            }
        };
        // A kustomization is read whole: its generators are not objects.
        let parsed = match kind {
            InputKind::Kustomization => parse_stream(text),
            _ if self.full_parse => parse_stream(text),
            _ if self.index_only => parse_stream_filtered(text, &worth_indexing_document),
            _ => parse_stream_filtered(text, &worth_building),
        };
        let docs = match parsed {
            Ok(docs) => docs,
            Err(error) => {
                // Helm/Go templates (`{{`) and Jinja (`{%`, mkdocs snippets)
                // are not YAML until rendered.
                if memchr::memmem::find(body, b"{{").is_some()
                    || memchr::memmem::find(body, b"{%").is_some()
                {
                    result.skipped_template = true;
                    return result;
                }
                if path.ends_with(".json")
                    && serde_json::from_str::<serde_json::Value>(text).is_ok()
                {
                    // Valid JSON the YAML parser trips on (tabs): not an error.
                    return result;
                }
                let view = FileView {
                    source: text,
                    syntax_error: Some(&error),
                };
                let placed = self.file_findings(&view);
                result.findings = self.place(path, bytes, shift, placed, &[], || {
                    mask::unparsed_masks(text)
                });
                return result;
            }
        };
        let mut placed = self.file_findings(&FileView {
            source: text,
            syntax_error: None,
        });
        let objects = objects(&docs);
        result.objects = objects.len() + docs.iter().filter(|d| d.skipped_object).count();
        let mut pods = Vec::new();
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
                pods.push((
                    PodView::new(&spec, Path::new(path)),
                    object.ignored_rules(),
                    object.id.document,
                ));
            }
            if let Some(gitops) = GitOpsSecretView::new(object) {
                if self.collect_pull_secrets {
                    let line = lines.line_of(object.node.span.start) + 1;
                    result
                        .pull_secrets
                        .extend(crate::inspect::secret::of_gitops_secret(
                            &gitops, path, line,
                        ));
                }
                let mut raw = Vec::new();
                for rule in self.rules() {
                    rule.check_gitops_secret(&gitops, &mut raw);
                }
                let ignores = object.ignored_rules();
                placed.extend(raw.into_iter().map(|finding| Placed {
                    object: Some(object.id.clone()),
                    document: Some(object.id.document),
                    annotation_ignores: ignores.clone(),
                    ..Placed::new(finding)
                }));
                continue;
            }
            let Some(secret) = SecretView::new(object, text) else {
                continue;
            };
            if self.collect_pull_secrets {
                let line = lines.line_of(object.node.span.start) + 1;
                result
                    .pull_secrets
                    .extend(crate::inspect::secret::of_secret(&secret, path, line));
            }
            let mut raw = Vec::new();
            for rule in self.rules() {
                rule.check_secret(&secret, &mut raw);
            }
            let mut found: Vec<(Finding, Range<usize>, Option<String>)> = raw
                .into_iter()
                .map(|f| {
                    let range = match &f.location {
                        Location::File(r) | Location::Payload(r) => r.clone(),
                    };
                    (f, range, None)
                })
                .collect();
            let keys = self.check_secret_payload(&secret, &mut found);
            index_secret(&secret, path, &lines, keys, &mut result.index);
            let ignores = object.ignored_rules();
            placed.extend(found.into_iter().map(|(finding, range, inner)| Placed {
                finding,
                range,
                inner,
                object: Some(object.id.clone()),
                document: Some(object.id.document),
                annotation_ignores: ignores.clone(),
            }));
        }
        if kind == InputKind::Kustomization {
            if let Some(dir) = dir {
                result.generated = generated_payloads(&docs, dir);
                index_kustomization(&docs, dir, path, &mut result.index);
            }
            for generator in generators(&docs) {
                let mut raw = Vec::new();
                for rule in self.rules() {
                    rule.check_secret_generator(&generator, &mut raw);
                }
                placed.extend(raw.into_iter().map(Placed::new));
            }
        }
        let regions = document_regions(&docs);
        if !pods.is_empty() {
            let placer = Placer::new(bytes, shift, &regions, mask::manifest_masks(&docs));
            result.pods = pods
                .into_iter()
                .map(|(view, ignores, document)| {
                    let anchors = view
                        .spans()
                        .map(|range| placer.anchor(range, Some(document)))
                        .collect();
                    PendingPod::new(view, path.to_string(), anchors, ignores)
                })
                .collect();
        }
        let findings = self.place(path, bytes, shift, placed, &regions, || {
            mask::manifest_masks(&docs)
        });
        result.findings = findings;
        result
    }

    fn file_findings(&self, view: &FileView<'_>) -> Vec<Placed> {
        let mut raw = Vec::new();
        for rule in self.rules() {
            rule.check_file(view, &mut raw);
        }
        raw.into_iter().map(Placed::new).collect()
    }

    /// Runs the payload rules on a pull Secret's `.dockerconfigjson` /
    /// `.dockercfg` and maps their payload ranges back to the file.
    /// Returns whether the kubelet accepts the payload, and its `auths` keys.
    fn check_secret_payload(
        &self,
        secret: &SecretView<'_>,
        out: &mut Vec<(Finding, Range<usize>, Option<String>)>,
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
        for rule in self.rules() {
            rule.check_pull_secret(&view, &mut raw);
        }
        if raw.is_empty() {
            return keys;
        }
        let payload_lines = LineIndex::new(payload);
        for finding in raw {
            let (range, inner) = match &finding.location {
                Location::File(r) => (r.clone(), None),
                Location::Payload(r) => map_payload(
                    secret,
                    value.value,
                    value.field,
                    key,
                    payload,
                    &payload_lines,
                    r,
                ),
            };
            out.push((finding, range, inner));
        }
        keys
    }

    /// Applies levels and suppressions, computes positions and excerpts.
    fn place(
        &self,
        path: &str,
        bytes: &[u8],
        shift: usize,
        placed: Vec<Placed>,
        regions: &[Range<usize>],
        masks: impl FnOnce() -> Vec<Range<usize>>,
    ) -> Vec<Reported> {
        let placed: Vec<(Placed, Level)> = placed
            .into_iter()
            .filter(|p| !p.annotation_ignores.iter().any(|r| r == p.finding.rule))
            .filter_map(|p| {
                // A configured level replaces whatever level the rule chose.
                let level = self.level_of(p.finding.rule, p.finding.level)?;
                Some((p, level))
            })
            .collect();
        if placed.is_empty() {
            return Vec::new();
        }
        let placer = Placer::new(bytes, shift, regions, masks());
        let mut out = Vec::new();
        for (p, level) in placed {
            let anchor = placer.anchor(p.range.clone(), p.document);
            if anchor.comments.iter().any(|c| c.covers(p.finding.rule)) {
                continue;
            }
            let mut reported = anchor.report(p.finding.rule, path, p.object);
            reported.level = level;
            reported.message = p.finding.message;
            reported.note = p.finding.note;
            reported.help = p.finding.help;
            reported.inner = p.inner;
            out.push(reported);
        }
        out
    }
}

/// What placing findings in one file needs, computed once per file.
struct Placer<'a> {
    bytes: &'a [u8],
    shift: usize,
    regions: &'a [Range<usize>],
    lines: LineIndex,
    comments: Vec<IgnoreComment>,
    masks: Masks,
}

impl<'a> Placer<'a> {
    fn new(
        bytes: &'a [u8],
        shift: usize,
        regions: &'a [Range<usize>],
        masks: Vec<Range<usize>>,
    ) -> Self {
        let lines = LineIndex::new(bytes);
        let comments = ignore_comments(bytes, &lines);
        let masks = Masks::new(
            masks
                .into_iter()
                .map(|r| r.start + shift..r.end + shift)
                .collect(),
        );
        Placer {
            bytes,
            shift,
            regions,
            lines,
            comments,
            masks,
        }
    }

    /// The suppression comments that speak for `line` (0-based) of
    /// `document`, found by binary search (comments are sorted by offset, so
    /// by line): many comments and many findings in one file must not
    /// compare every pair.
    fn comments_at(&self, line: usize, document: Option<usize>) -> Vec<IgnoreComment> {
        let comments = &self.comments;
        let near = comments.partition_point(|c| c.line + 1 < line)
            ..comments.partition_point(|c| c.line <= line);
        let in_body = |c: &IgnoreComment| c.offset.saturating_sub(self.shift);
        let top = document
            .and_then(|d| self.regions.get(d))
            .map_or(0..0, |r| {
                comments.partition_point(|c| in_body(c) < r.start)
                    ..comments.partition_point(|c| in_body(c) < r.end)
            });
        let mut picked: Vec<usize> = near.chain(top).collect();
        super::work::count(picked.len());
        picked.sort_unstable();
        picked.dedup();
        picked
            .into_iter()
            .filter_map(|i| comments.get(i))
            .filter(|c| at_place(c, line, document, self.regions, self.shift))
            .cloned()
            .collect()
    }

    /// `range` (in body coordinates) placed: positions, excerpt, and the
    /// suppression comments at its place.
    fn anchor(&self, range: Range<usize>, document: Option<usize>) -> Anchor {
        let bytes = self.bytes;
        let shift = self.shift;
        let file_range =
            (range.start + shift).min(bytes.len())..(range.end + shift).min(bytes.len());
        let (line, column) = self.lines.position(bytes, file_range.start);
        let comments = self.comments_at(line - 1, document);
        let (end_line, end_column) = self
            .lines
            .position(bytes, file_range.end.max(file_range.start));
        Anchor {
            range,
            start: Position { line, column },
            end: Position {
                line: end_line,
                column: end_column,
            },
            excerpt: excerpt(bytes, &self.lines, file_range, &self.masks),
            comments,
        }
    }
}

/// For each document: the bytes before its content where a comment speaks
/// for the whole document (from the end of the previous document's content).
fn document_regions(docs: &[Document]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(docs.len());
    let mut previous_end = 0;
    for doc in docs {
        match &doc.root {
            Some(root) => out.push(previous_end..root.span.start),
            None => out.push(0..0),
        }
        // Documents not built (pre-scan) end where a built one would.
        previous_end = doc.content_end.unwrap_or(previous_end);
    }
    out
}

/// Whether a comment sits where it speaks for a finding on `line` (0-based):
/// that line, the line above, or the top of the finding's document.
fn at_place(
    c: &IgnoreComment,
    line: usize,
    document: Option<usize>,
    regions: &[Range<usize>],
    shift: usize,
) -> bool {
    c.line == line
        || (c.own_line && c.line + 1 == line)
        || (c.own_line
            && document
                .and_then(|d| regions.get(d))
                .is_some_and(|r| r.contains(&c.offset.saturating_sub(shift))))
}

/// A payload range as a file range: exact for a simple `stringData` value,
/// else the whole value plus where inside the payload it is.
fn map_payload(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::work;
    use crate::manifest::objects;

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
