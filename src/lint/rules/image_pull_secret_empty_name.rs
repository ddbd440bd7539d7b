//! image-pull-secret-empty-name
//!
//! **What it checks.** An `imagePullSecrets` item of a pod spec without a
//! `name`, or with an empty one.
//!
//! **Why.** The API server accepts it and the kubelet skips it without a
//! word, so the pod pulls without the credentials it was meant to have.
//! It is usually a template whose value was never filled in. Such an item
//! also counts as the pod having pull secrets of its own, so its
//! ServiceAccount's `imagePullSecrets` are not copied in either.
//!
//! **Bad**
//!
//! ```yaml
//! imagePullSecrets:
//! - name: ""
//! ```
//!
//! **Good**
//!
//! ```yaml
//! imagePullSecrets:
//! - name: regcred
//! ```

use super::Rule;
use crate::lint::workload::{PodView, WorkloadContext};
use crate::lint::{Finding, Level, Location};

pub struct ImagePullSecretEmptyName;

impl Rule for ImagePullSecretEmptyName {
    fn id(&self) -> &'static str {
        "image-pull-secret-empty-name"
    }

    fn default_level(&self) -> Level {
        Level::Warning
    }

    fn check_pod(&self, pod: &PodView, _context: &WorkloadContext<'_>, out: &mut Vec<Finding>) {
        for item in &pod.pull_secrets {
            let what = match item.name.as_deref() {
                None => "an imagePullSecrets item without a name",
                Some("") => "an imagePullSecrets item with an empty name",
                Some(_) => continue,
            };
            out.push(
                self.finding(what.to_string(), Location::File(item.span.clone()))
                    .with_note("the kubelet skips it: the pod pulls without these credentials")
                    .with_help("name the pull Secret (`- name: regcred`) or remove the item"),
            );
        }
    }
}
