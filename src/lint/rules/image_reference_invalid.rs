//! image-reference-invalid
//!
//! **What it checks.** A container image (of `containers`, `initContainers`
//! or `ephemeralContainers`, in any workload) that is not a valid Docker
//! reference: empty, a placeholder such as `<your-private-image>` or a word
//! in capitals (`gcr.io/PROJECT_ID/app`), upper case in the repository,
//! whitespace, a bad tag or digest. Templates (`{{ .Values.image }}`,
//! `${IMAGE}`, `$IMAGE` for `envsubst`) are left alone until rendered.
//!
//! **Why.** The kubelet parses the image with Docker's reference grammar
//! before pulling. An invalid one never pulls: the container waits in
//! `InvalidImageName` and the pod never starts.
//!
//! **Bad**
//!
//! ```yaml
//! containers:
//! - name: app
//!   image: <your-private-image>
//! ```
//!
//! **Good**
//!
//! ```yaml
//! containers:
//! - name: app
//!   image: registry.example.com/team/app:1.4.2
//! ```

use super::Rule;
use crate::image::{parse_image, InvalidReference, ParsedImage};
use crate::lint::workload::{PodView, WorkloadContext};
use crate::lint::{Finding, Level, Location};

pub struct ImageReferenceInvalid;

impl Rule for ImageReferenceInvalid {
    fn id(&self) -> &'static str {
        "image-reference-invalid"
    }

    fn default_level(&self) -> Level {
        Level::Error
    }

    fn check_pod(&self, pod: &PodView, _context: &WorkloadContext<'_>, out: &mut Vec<Finding>) {
        for image in &pod.images {
            let ParsedImage::Invalid(why) = parse_image(&image.image) else {
                continue;
            };
            let help = match &why {
                InvalidReference::Placeholder { text } => {
                    format!("replace {text} with the real value, or render the file first")
                }
                _ => "write [REGISTRY/]REPOSITORY[:TAG][@DIGEST], the repository in lower case"
                    .to_string(),
            };
            out.push(
                self.finding(
                    format!(
                        "the image of {} is not a valid reference: {why}",
                        image.describe_container()
                    ),
                    Location::File(image.span.clone()),
                )
                .with_note("the kubelet cannot pull it: the container waits in InvalidImageName")
                .with_help(help),
            );
        }
    }
}
