//! regcred: create and lint Kubernetes image pull secrets, offline.

pub mod gocompat;
pub mod lint;
