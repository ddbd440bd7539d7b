//! regcred: create and lint Kubernetes image pull secrets, offline.

pub mod bounded_read;
pub mod cli;
pub mod create;
pub mod dockercfg;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod gocompat;
pub mod image;
pub mod inspect;
pub mod krm;
pub mod lint;
pub mod load_restrictor;
pub mod manifest;
pub mod placeholder;
pub mod report;
pub mod repository;
pub mod safe_write;
pub mod seal;
pub mod shown_path;
pub mod shown_text;
pub mod workspace;
