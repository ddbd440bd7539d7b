//! regcred: create and lint Kubernetes image pull secrets, offline.

pub mod cli;
pub mod dockercfg;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod gocompat;
pub mod image;
pub mod krm;
pub mod lint;
pub mod manifest;
pub mod report;
pub mod workspace;
