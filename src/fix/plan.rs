//! What `--fix` will change in one file: the fixes its findings carry
//! ([`Fix`]), the same edits made once, a pull Secret named where a fix
//! asks for one; or why a finding is left alone. Which rule made a fix is
//! not looked at.

use crate::lint::finding::{Fix, NamePullSecret};
use crate::lint::outcome::Position;
use crate::lint::Reported;
use crate::manifest::edit::{Edit, NamingEdit};
use crate::manifest::ObjectId;

/// One finding's fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub rule: &'static str,
    pub object: Option<ObjectId>,
    pub at: Position,
    /// In the file's bytes; none when an earlier finding's same edits fix it.
    pub edits: Vec<Edit>,
    /// What the fix does, for the report ("set type: ...").
    pub summary: String,
}

/// A fixable finding left as it is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub rule: &'static str,
    pub at: Position,
    pub reason: String,
}

/// Where the pull Secret a [`Fix::NamePullSecret`] names comes from.
pub trait SecretChooser: Sync {
    /// The Secret to name for a pod in `namespace` pulling `images`.
    fn choose(&self, namespace: Option<&str>, images: &[&str]) -> Option<String>;
}

#[derive(Debug, Default)]
pub struct FilePlan {
    pub planned: Vec<Planned>,
    pub skipped: Vec<Skipped>,
}

impl FilePlan {
    pub fn edits(&self) -> Vec<Edit> {
        self.planned.iter().flat_map(|p| p.edits.clone()).collect()
    }

    fn plan(&mut self, finding: &Reported, edits: Vec<Edit>, summary: String) {
        self.planned.push(Planned {
            rule: finding.rule,
            object: finding.object.clone(),
            at: finding.start,
            edits,
            summary,
        });
    }

    fn skip(&mut self, finding: &Reported, reason: &str) {
        self.skipped.push(Skipped {
            rule: finding.rule,
            at: finding.start,
            reason: reason.to_string(),
        });
    }
}

/// Plans the fixes `findings` carry, in their order: a finding whose fix
/// is edits an earlier finding's fix already makes is fixed by those, and
/// a fix made only along with others is made when an earlier finding made
/// the same edit.
pub fn plan_file(findings: &[&Reported], chooser: &dyn SecretChooser) -> FilePlan {
    let mut plan = FilePlan::default();
    // Edits planned, with what they do.
    let mut made: Vec<(Vec<Edit>, String)> = Vec::new();
    let mut named: Vec<(&NamingEdit, String)> = Vec::new();
    for finding in findings {
        let Some(fix) = finding.fix.as_deref() else {
            continue;
        };
        match fix {
            Fix::Unavailable(reason) => plan.skip(finding, reason),
            Fix::Edits { edits, summary } => match made.iter().find(|(e, _)| e == edits) {
                Some((_, summary)) => plan.plan(finding, Vec::new(), summary.clone()),
                None => {
                    made.push((edits.clone(), summary.clone()));
                    plan.plan(finding, edits.clone(), summary.clone());
                }
            },
            Fix::NamePullSecret(fix) => {
                if let Some((_, summary)) = named.iter().find(|(e, _)| **e == fix.edit) {
                    plan.plan(finding, Vec::new(), summary.clone());
                    continue;
                }
                match name(fix, chooser) {
                    Ok((edit, summary)) => {
                        named.push((&fix.edit, summary.clone()));
                        plan.plan(finding, vec![edit], summary);
                    }
                    Err(reason) => plan.skip(finding, reason),
                }
            }
        }
    }
    plan
}

/// The edit of a [`Fix::NamePullSecret`] with the chosen name, and what it
/// does; or why it is not made.
fn name<'f>(
    fix: &'f NamePullSecret,
    chooser: &dyn SecretChooser,
) -> Result<(Edit, String), &'f str> {
    if let Some(reason) = &fix.only_with_others {
        return Err(reason);
    }
    let images: Vec<&str> = fix.images.iter().map(String::as_str).collect();
    let Some(name) = chooser.choose(fix.namespace.as_deref(), &images) else {
        return Err("no pull secret among the inputs matches its images: name one with --fix-secret NAME or `fix: {secret-name: NAME}` in .regcred.yaml");
    };
    Ok((
        fix.edit.with_name(&name),
        fix.summary.replace("{name}", &name),
    ))
}
