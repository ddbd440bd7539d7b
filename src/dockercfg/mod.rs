//! Docker's `config.json` as `regcred create` reads it, the credentials it
//! holds, credential helpers, and the `.dockerconfigjson` / `.dockercfg`
//! payloads kubectl writes from them.

pub mod config;
pub mod credential;
pub mod helper;
pub mod payload;
pub mod registry;
pub mod select;

pub use config::{ConfigError, ConfigFile};
pub use credential::Credential;
