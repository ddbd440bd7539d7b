//! What `.regcred.yaml` says that rules read: a rule's level (or off) and
//! the registry lists. Plain values, apart from `config.rs`, which reads and
//! validates the file against the rule catalogue: the rules depend on these
//! values, never on the reading (docs/architecture.md).

use super::finding::Level;

/// A rule's configured level, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Off,
    Level(Level),
}

impl Setting {
    pub fn parse(text: &str) -> Option<Setting> {
        Some(match text {
            "off" => Setting::Off,
            "error" => Setting::Level(Level::Error),
            "warning" => Setting::Level(Level::Warning),
            "info" => Setting::Level(Level::Info),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registries {
    pub private: Vec<String>,
    pub public: Vec<String>,
    /// Level of `missing-image-pull-secrets` for unknown registries.
    pub unknown: Option<Setting>,
}
