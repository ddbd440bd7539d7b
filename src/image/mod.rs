//! Images and registries: the Docker reference grammar, Docker's
//! normalization, the kubelet's keyring matching, and which registries are
//! public or private. Pure functions over strings; no files.

pub mod keyring;
pub mod normalize;
pub mod reference;
pub mod registry;

pub use keyring::{lookup, KeyVerdict, Lookup, Miss};
pub use reference::{normalize_image, parse_image, ImageRef, InvalidReference, ParsedImage};
pub use registry::{classify_image, classify_registry, RegistryClass, RegistryLists};
