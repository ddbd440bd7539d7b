//! Docker config payloads (`.dockerconfigjson`, `.dockercfg`, `config.json`) as the real systems read them.

pub mod kubelet;
