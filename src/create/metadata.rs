//! The Secret's name, namespace, labels and annotations, checked as the API
//! server would, in the words `regcred lint` would use on the Secret.

use super::{CreateError, Field, Request};
use crate::generate::names;
use crate::lint::rules::secret_name_invalid::subdomain_problem;
use crate::placeholder::placeholder;

pub fn check(request: &Request<'_>) -> Result<(), CreateError> {
    let name = &request.name;
    if let Some(problem) = subdomain_problem(name) {
        if placeholder(name).is_some() {
            return Err(CreateError(format!(
                "{name:?} is not a valid Secret name: {problem} [secret-name-invalid]"
            )));
        }
    }
    names::check_name(name).map_err(CreateError)?;
    if let Some(ns) = &request.namespace {
        names::check_namespace(ns).map_err(CreateError)?;
    }
    keys(request, Field::Labels, "label", &request.labels)?;
    for (k, v) in &request.labels {
        names::check_label_value(k, v).map_err(CreateError)?;
    }
    keys(
        request,
        Field::Annotations,
        "annotation",
        &request.annotations,
    )?;
    names::check_annotations_size(&request.annotations).map_err(CreateError)
}

/// Valid keys, each given once.
fn keys(
    request: &Request<'_>,
    field: Field,
    what: &str,
    entries: &[(String, String)],
) -> Result<(), CreateError> {
    for (i, (k, _)) in entries.iter().enumerate() {
        names::check_key(what, k).map_err(CreateError)?;
        if entries[..i].iter().any(|(seen, _)| seen == k) {
            return Err(CreateError(format!(
                "{} {k:?} is given twice",
                request.terms.name(field)
            )));
        }
    }
    Ok(())
}
