//! The default format: rustc-style snippets (annotate-snippets), the secret
//! values in them masked, then one summary line (which starts "incomplete:"
//! and names the inputs not read when there are any; their errors go to
//! stderr).

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Origin, Renderer, Snippet};

use std::borrow::Cow;
use std::collections::HashMap;

use super::escape;
use crate::lint::outcome::InputError;
use crate::lint::{Level, Outcome, Reported, Summary};

/// How info findings are shown (`lint --each-info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Infos {
    /// Infos of one rule that give the same advice (images from one
    /// registry on no list, the help naming that registry) are one summary:
    /// how many, the first in full words and place, the advice. Info is
    /// "worth knowing": a repository can have hundreds, which would bury
    /// its errors.
    Summarized,
    /// Every info finding in full, as the machine formats list them.
    Each,
}

/// How many alike infos make a summary: a few are shown each.
const SUMMARIZED_FROM: usize = 4;

pub fn render(outcome: &Outcome, styled: bool) -> String {
    render_with(outcome, styled, Infos::Summarized)
}

pub fn render_with(outcome: &Outcome, styled: bool, infos: Infos) -> String {
    let mut out = render_findings(outcome, styled, infos);
    out.push_str(&incomplete_line(&outcome.errors));
    out.push_str(&summary_line(&outcome.summary));
    out.push('\n');
    out
}

/// The findings without the summary line (`--quiet`): nothing for a clean
/// run. An input not read is still said, on stderr, by the caller.
pub fn render_findings(outcome: &Outcome, styled: bool, infos: Infos) -> String {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    // Infos by (rule, advice): how many, in report order.
    let mut alike: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    if infos == Infos::Summarized {
        for f in outcome.findings.iter().filter(|f| f.level == Level::Info) {
            *alike.entry((f.rule, f.help.as_deref())).or_default() += 1;
        }
    }
    let mut out = String::new();
    for finding in &outcome.findings {
        let key = (finding.rule, finding.help.as_deref());
        match alike.get_mut(&key) {
            // The first of several: the summary, where it is first met.
            Some(count) if *count >= SUMMARIZED_FROM => {
                out.push_str(&summary_of_alike(&escaped(finding), *count));
                *count = 0;
            }
            // One already summarized.
            Some(0) => {}
            _ => {
                let shown = escaped(finding);
                out.push_str(&renderer.render(&[group(&shown)]));
                out.push_str("\n\n");
            }
        }
    }
    out
}

/// Several infos of one rule with the same advice, in two lines: how
/// many, the first one's words and place; the advice.
fn summary_of_alike(first: &Reported, count: usize) -> String {
    let mut out = format!(
        "info[{}]: {count} findings alike; the first, at {}:{}:{}: {}\n",
        first.rule, first.path, first.start.line, first.start.column, first.message
    );
    if let Some(help) = &first.help {
        out.push_str(&format!("  = help: {help}\n"));
    }
    out.push_str("  = note: `--each-info` shows each (as `--format json` lists them)\n\n");
    out
}

/// Inputs named in the summary before "and N more".
const UNREAD_NAMED: usize = 3;

/// "incomplete: 2 inputs not read (a.yaml, b.yaml); " before the counts,
/// so that a failed run never reads as a clean one.
pub fn incomplete_line(errors: &[InputError]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut named: Vec<Cow<str>> = errors
        .iter()
        .map(|e| escape::controls(e.path.as_deref().unwrap_or("the walk")))
        .collect();
    named.dedup();
    let more = named.len().saturating_sub(UNREAD_NAMED);
    named.truncate(UNREAD_NAMED);
    let mut list = named.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    format!(
        "incomplete: {} not read ({list}); ",
        plural(errors.len(), "input")
    )
}

/// The finding with the control characters of its text escaped
/// (`escape`); borrowed when there are none, as almost always.
fn escaped(f: &Reported) -> Cow<'_, Reported> {
    let texts = [
        Some(&f.path),
        Some(&f.message),
        f.note.as_ref(),
        f.help.as_ref(),
        f.inner.as_ref(),
    ];
    let plain = texts
        .iter()
        .flatten()
        .all(|t| matches!(escape::controls(t), Cow::Borrowed(_)));
    let excerpt = f
        .excerpt
        .as_ref()
        .and_then(|e| escape::excerpt(&e.text, &e.range));
    if plain && excerpt.is_none() {
        return Cow::Borrowed(f);
    }
    let mut f = f.clone();
    let owned = |t: &str| escape::controls(t).into_owned();
    f.path = owned(&f.path);
    f.message = owned(&f.message);
    f.note = f.note.as_deref().map(owned);
    f.help = f.help.as_deref().map(owned);
    f.inner = f.inner.as_deref().map(owned);
    if let (Some(e), Some((text, range))) = (f.excerpt.as_mut(), excerpt) {
        e.text = text;
        e.range = range;
        // Columns in the escaped text are not the file's.
        e.cut = true;
    }
    Cow::Owned(f)
}

fn level(level: Level) -> SnippetLevel<'static> {
    match level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
        Level::Info => SnippetLevel::INFO,
    }
}

fn group(f: &Reported) -> Group<'_> {
    let mut group = Group::with_title(level(f.level).primary_title(f.message.as_str()).id(f.rule));
    // The snippet names its own file:line:col, computed from the excerpt;
    // when the excerpt's line was cut, its columns are not the file's, so
    // the position is given explicitly.
    let explicit_origin = f.excerpt.as_ref().is_none_or(|e| e.cut);
    if explicit_origin {
        group = group.element(
            Origin::path(f.path.as_str())
                .line(f.start.line)
                .char_column(f.start.column),
        );
    }
    if let Some(excerpt) = &f.excerpt {
        let mut annotation = AnnotationKind::Primary.span(excerpt.range.clone());
        if let Some(inner) = &f.inner {
            annotation = annotation.label(inner.as_str());
        }
        let mut snippet = Snippet::source(excerpt.text.as_str())
            .line_start(excerpt.first_line)
            .annotation(annotation);
        if !explicit_origin {
            snippet = snippet.path(f.path.as_str());
        }
        group = group.element(snippet);
    }
    if let Some(inner) = f.inner.as_ref().filter(|_| f.excerpt.is_none()) {
        group = group.element(SnippetLevel::NOTE.message(inner.as_str()));
    }
    if let Some(note) = &f.note {
        group = group.element(SnippetLevel::NOTE.message(note.as_str()));
    }
    if let Some(help) = &f.help {
        group = group.element(SnippetLevel::HELP.message(help.as_str()));
    }
    group
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn summary_line(s: &Summary) -> String {
    let mut line = format!(
        "{}, {}, {} in {} ({})",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info"),
        plural(s.files, "file"),
        plural(s.objects, "object"),
    );
    if s.skipped_templates > 0 {
        line.push_str(&format!(
            "; {} skipped (Helm templates that are not YAML until rendered)",
            plural(s.skipped_templates, "template")
        ));
    }
    line
}
