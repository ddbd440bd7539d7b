//! kustomize integration: the `PullSecret` generator config, the legacy
//! exec plugin, and the KRM function (`regcred-fn`) that generates Secrets
//! and validates ResourceLists.

pub mod config;
pub mod config_terms;
pub mod function;
pub mod generator;
pub mod node;
pub mod plugin;
pub mod resource_list;
pub mod validator;
