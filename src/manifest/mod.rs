//! Kubernetes manifests as regcred reads them: YAML streams (and JSON) with
//! byte spans for every key and value, typed the way Kubernetes (go-yaml v2)
//! types them, the objects they hold and views over Secrets.

mod block_yaml;
pub mod edit;
pub mod gitops_secret;
pub mod node;
pub mod object;
pub mod partial;
pub mod prescan;
pub mod saphyr_gaps;
pub mod scalar_offset;
pub mod secret;
pub mod workload;
pub mod yaml;
pub mod yaml11;

pub use node::{Entry, Node, NodeKind, Scalar, ScalarType, Style};
pub use object::{objects, Object, ObjectId};
pub use secret::SecretView;
pub use yaml::{parse_stream, parse_stream_filtered, Document, SyntaxError};
