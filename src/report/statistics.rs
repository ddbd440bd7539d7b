//! `regcred lint --statistics`: how many findings each rule has, most first
//! (ties by rule id), instead of the findings; then the summary line unless
//! `--quiet`.
//!
//! ```text
//!     3  error    pull-secret-auth-no-colon
//!     1  warning  image-pull-secret-not-found
//! ```

use std::collections::BTreeMap;

use crate::lint::{Level, Outcome};

pub fn render(outcome: &Outcome, summary: bool) -> String {
    let mut counts: BTreeMap<&str, (usize, Level)> = BTreeMap::new();
    for f in &outcome.findings {
        counts.entry(f.rule).or_insert((0, f.level)).0 += 1;
    }
    let mut rows: Vec<(&str, usize, Level)> = counts
        .into_iter()
        .map(|(rule, (count, level))| (rule, count, level))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut out = String::new();
    for (rule, count, level) in rows {
        out.push_str(&format!("{count:>5}  {:<7}  {rule}\n", level.as_str()));
    }
    if summary {
        out.push_str(&super::human::incomplete_line(&outcome.errors));
        out.push_str(&super::human::summary_line(&outcome.summary));
        out.push('\n');
    }
    out
}
