//! The unified diff `--fix --diff` prints, built from the edits themselves
//! (no diff algorithm: the changed lines are known). Secret values are
//! masked in changed and context lines alike, as the human report masks
//! them, so a diff never shows a credential.

use std::ops::Range;

use crate::manifest::edit::layout::{line_start, next_line_start};
use crate::manifest::edit::Edit;

/// Lines of context around each change.
const CONTEXT: usize = 3;
const MASK: char = '•';

/// One side of the diff: the text and the byte ranges to mask in it.
pub struct Side<'a> {
    pub text: &'a str,
    pub masks: &'a [Range<usize>],
}

/// Whole lines covering `range`: from its line's start to the start of the
/// line after its end (an insertion at a line start covers no old line).
fn line_region(text: &str, range: &Range<usize>) -> Range<usize> {
    let start = line_start(text, range.start);
    let end = if range.end == line_start(text, range.end)
        && (range.end > range.start || range.start == start)
    {
        range.end
    } else {
        next_line_start(text, range.end).unwrap_or(text.len())
    };
    start..end.max(start)
}

/// The lines of `text` in `region`, each with its byte range.
fn lines_in(text: &str, region: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = region.start;
    while at < region.end {
        let end = next_line_start(text, at)
            .unwrap_or(text.len())
            .min(region.end);
        out.push(at..end);
        at = end;
    }
    out
}

fn line_number(text: &str, offset: usize) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes().get(..offset).unwrap_or(&[])).count() + 1
}

/// One line as shown, masked, with its break (or a "no newline" marker).
fn show(out: &mut String, mark: char, side: &Side<'_>, range: Range<usize>) {
    out.push(mark);
    let line = side.text.get(range.clone()).unwrap_or("");
    for (i, c) in line.char_indices() {
        let offset = range.start + i;
        if !c.is_whitespace() && side.masks.iter().any(|m| m.contains(&offset)) {
            out.push(MASK);
        } else {
            out.push(c);
        }
    }
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// The unified diff of `old` turned into `new` by `edits` (sorted, not
/// overlapping, offsets in `old`), labelled with `path`.
pub fn unified(path: &str, old: &Side<'_>, new: &Side<'_>, edits: &[Edit]) -> String {
    if edits.is_empty() {
        return String::new();
    }
    // Changed line regions: edits on the same lines share one.
    let mut regions: Vec<(Range<usize>, isize)> = Vec::new();
    for e in edits {
        let region = line_region(old.text, &e.range);
        let growth = e.text.len() as isize - e.range.len() as isize;
        match regions.last_mut() {
            Some((last, g))
                if region.start < last.end || (region.start == last.end && region.is_empty()) =>
            {
                last.end = last.end.max(region.end);
                *g += growth;
            }
            _ => regions.push((region, growth)),
        }
    }
    // Hunks: regions close enough to share their context lines.
    let mut hunks: Vec<Vec<(Range<usize>, isize)>> = Vec::new();
    for (region, growth) in regions {
        if let Some(members) = hunks.last_mut() {
            let last_end = members.last().map_or(0, |(r, _)| r.end);
            if lines_in(old.text, last_end..region.start.max(last_end)).len() <= 2 * CONTEXT {
                members.push((region, growth));
                continue;
            }
        }
        hunks.push(vec![(region, growth)]);
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    // How far offsets in `new` have moved from `old`.
    let mut delta: isize = 0;
    for members in hunks {
        let (Some(first), Some(last)) = (members.first(), members.last()) else {
            continue;
        };
        let before = lines_before(old.text, first.0.start, CONTEXT);
        let after = lines_in(
            old.text,
            last.0.end..lines_after_end(old.text, last.0.end, CONTEXT),
        );
        let first_old = before.first().map_or(first.0.start, |r| r.start);
        let mut body = String::new();
        let (mut old_count, mut new_count) =
            (before.len() + after.len(), before.len() + after.len());
        let new_line = line_number(new.text, first_old.saturating_add_signed(delta));
        for r in before {
            show(&mut body, ' ', old, r);
        }
        let mut previous_end: Option<usize> = None;
        for (region, growth) in &members {
            if let Some(end) = previous_end {
                for r in lines_in(old.text, end..region.start) {
                    old_count += 1;
                    new_count += 1;
                    show(&mut body, ' ', old, r);
                }
            }
            for r in lines_in(old.text, region.clone()) {
                old_count += 1;
                show(&mut body, '-', old, r);
            }
            let new_start = region.start.saturating_add_signed(delta);
            let new_end = region.end.saturating_add_signed(delta + growth);
            for r in lines_in(new.text, new_start..new_end) {
                new_count += 1;
                show(&mut body, '+', new, r);
            }
            delta += growth;
            previous_end = Some(region.end);
        }
        for r in after {
            show(&mut body, ' ', old, r);
        }
        let old_line = line_number(old.text, first_old);
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            hunk_range(old_line, old_count),
            hunk_range(new_line, new_count)
        ));
        out.push_str(&body);
    }
    out
}

/// `start,count` as unified diffs write it (an empty side names the line
/// before it).
fn hunk_range(line: usize, count: usize) -> String {
    match count {
        0 => format!("{},0", line.saturating_sub(1)),
        1 => format!("{line}"),
        n => format!("{line},{n}"),
    }
}

fn lines_before(text: &str, offset: usize, n: usize) -> Vec<Range<usize>> {
    let mut start = offset;
    for _ in 0..n {
        if start == 0 {
            break;
        }
        start = line_start(text, start - 1);
    }
    lines_in(text, start..offset)
}

fn lines_after_end(text: &str, offset: usize, n: usize) -> usize {
    let mut end = offset;
    for _ in 0..n {
        match next_line_start(text, end) {
            Some(next) if end < text.len() => end = next,
            _ => {
                end = text.len();
                break;
            }
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::edit::apply;

    fn diff(old: &str, edits: &[Edit], masks: &[Range<usize>]) -> String {
        diff_masked(old, edits, masks, &[])
    }

    fn diff_masked(
        old: &str,
        edits: &[Edit],
        old_masks: &[Range<usize>],
        new_masks: &[Range<usize>],
    ) -> String {
        let new = apply(old, edits).unwrap();
        unified(
            "f.yaml",
            &Side {
                text: old,
                masks: old_masks,
            },
            &Side {
                text: &new,
                masks: new_masks,
            },
            edits,
        )
    }

    #[test]
    fn insertion_between_lines() {
        let old = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n";
        let at = old.find("c:").unwrap();
        assert_eq!(
            diff(old, &[Edit::insert(at, "x: 9\n")], &[]),
            "--- a/f.yaml\n+++ b/f.yaml\n@@ -1,5 +1,6 @@\n a: 1\n b: 2\n+x: 9\n c: 3\n d: 4\n e: 5\n"
        );
    }

    #[test]
    fn replacement_masks_secrets() {
        let old = "kind: Secret\ndata:\n  dockerconfigjson: c2VjcmV0\n";
        let key = old.find("dockerconfigjson").unwrap();
        let value = old.find("c2VjcmV0").unwrap();
        let out = diff_masked(
            old,
            &[Edit::replace(key..key + 16, ".dockerconfigjson")],
            &[Range {
                start: value,
                end: value + 8,
            }],
            &[Range {
                start: value + 1,
                end: value + 9,
            }],
        );
        assert!(!out.contains("c2VjcmV0"), "{out}");
        assert_eq!(
            out,
            "--- a/f.yaml\n+++ b/f.yaml\n@@ -1,3 +1,3 @@\n kind: Secret\n data:\n-  dockerconfigjson: ••••••••\n+  .dockerconfigjson: ••••••••\n"
        );
    }

    #[test]
    fn far_apart_edits_are_separate_hunks_and_missing_final_break_is_marked() {
        let old: String = (1..=20).map(|i| format!("k{i}: {i}\n")).collect::<String>() + "end: x";
        let first = old.find("k2:").unwrap();
        let last = old.len();
        let out = diff(
            &old,
            &[
                Edit::insert(first, "n: 1\n"),
                Edit::insert(last, "\nadded: y"),
            ],
            &[],
        );
        assert_eq!(out.matches("@@ ").count(), 2, "{out}");
        assert!(out.contains("@@ -1,4 +1,5 @@\n"), "{out}");
        assert!(out.contains("@@ -18,4 +19,5 @@\n"), "{out}");
        assert!(
            out.contains(
                "-end: x\n\\ No newline at end of file\n+end: x\n+added: y\n\\ No newline"
            ),
            "{out}"
        );
    }

    /// The same hunks as GNU `diff -u` for edits on distinct lines. Skipped
    /// like the integration tests' outside programs (tests/it/common/programs.rs).
    #[test]
    #[ignore = "needs diff (GNU diffutils)"]
    fn agrees_with_gnu_diff() {
        let Ok(probe) = std::process::Command::new("diff").arg("--version").output() else {
            assert!(
                std::env::var("REGCRED_TEST_REQUIRE_PROGRAMS").as_deref() != Ok("1"),
                "diff is missing (REGCRED_TEST_REQUIRE_PROGRAMS=1)"
            );
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "SKIP agrees_with_gnu_diff: diff is missing"
            );
            return;
        };
        assert!(probe.status.success());
        let old: String = (1..=30).map(|i| format!("k{i}: {i}\n")).collect();
        let at = |k: &str| old.find(k).unwrap();
        let cases: Vec<Vec<Edit>> = vec![
            vec![Edit::insert(0, "first: 0\n")],
            vec![Edit::insert(old.len(), "last: 0\n")],
            vec![Edit::replace(at("k5:")..at("k5:") + 2, "K5")],
            vec![
                Edit::insert(at("k3:"), "a: 1\n"),
                Edit::insert(at("k9:"), "b: 1\n"),
            ],
            vec![
                Edit::insert(at("k3:"), "a: 1\n"),
                Edit::insert(at("k11:"), "b: 1\n"),
            ],
            vec![
                Edit::insert(at("k2:") - 1, " # c"),
                Edit::insert(at("k30:"), "z: 1\n"),
            ],
        ];
        let dir = tempfile::tempdir().unwrap();
        for edits in cases {
            let new = apply(&old, &edits).unwrap();
            let (a, b) = (dir.path().join("a"), dir.path().join("b"));
            std::fs::write(&a, &old).unwrap();
            std::fs::write(&b, &new).unwrap();
            let out = std::process::Command::new("diff")
                .args(["-u", "--label", "a/f.yaml", "--label", "b/f.yaml"])
                .arg(&a)
                .arg(&b)
                .output()
                .unwrap();
            let gnu = String::from_utf8(out.stdout).unwrap();
            assert_eq!(diff(&old, &edits, &[]), gnu);
        }
    }
}
