//! regcred: create and lint Kubernetes image pull secrets, offline.

pub mod cli;
pub mod gocompat;
pub mod lint;
pub mod manifest;
pub mod report;
