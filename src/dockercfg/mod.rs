//! Docker config payloads (`config.json`, `.dockerconfigjson`, `.dockercfg`):
//! how `regcred create` reads them, the credentials they hold, credential
//! helpers, the payloads kubectl writes from them, and how the kubelet reads
//! them back.

pub mod config;
pub mod credential;
pub mod helper;
pub mod kubelet;
pub mod payload;
pub mod registry;
pub mod select;

pub use config::{ConfigError, ConfigFile};
pub use credential::Credential;
