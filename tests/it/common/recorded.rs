//! Recorded kustomize inputs (fixtures/krm, see its README).

/// The recorded kustomize input `name` from fixtures/krm.
pub fn recorded(name: &str) -> String {
    let path = super::manifest_dir().join("fixtures/krm").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
