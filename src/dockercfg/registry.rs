//! Naming registries: the host Docker gives a credential helper, and the
//! key regcred compares when `--registry` filters entries.

/// Docker's `ConvertToHostname`: scheme and path dropped.
pub fn hostname(server: &str) -> &str {
    let rest = server
        .strip_prefix("http://")
        .or_else(|| server.strip_prefix("https://"))
        .unwrap_or(server);
    rest.split('/').next().unwrap_or(rest)
}

/// The kubelet's index key for an `auths` key (KUBERNETES.md §2): scheme
/// dropped, a leading `/v1/` or `/v2/` path loses its version, an empty or
/// `/` path is dropped; Docker Hub's names collapse to `index.docker.io`.
pub fn match_key(server: &str) -> String {
    let rest = server
        .strip_prefix("http://")
        .or_else(|| server.strip_prefix("https://"))
        .unwrap_or(server);
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let path = if path.starts_with("/v1/") || path.starts_with("/v2/") {
        &path[3..]
    } else {
        path
    };
    let path = path.trim_end_matches('/');
    let host = host.to_ascii_lowercase();
    let host = match host.as_str() {
        "docker.io" | "registry-1.docker.io" | "index.docker.io" => "index.docker.io".to_string(),
        _ => host,
    };
    format!("{host}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(match_key("https://index.docker.io/v1/"), "index.docker.io");
        assert_eq!(match_key("docker.io"), "index.docker.io");
        assert_eq!(match_key("https://reg.io/v2/team"), "reg.io/team");
        assert_eq!(match_key("reg.io:5000/"), "reg.io:5000");
        assert_eq!(hostname("https://index.docker.io/v1/"), "index.docker.io");
        assert_eq!(hostname("reg.io:5000"), "reg.io:5000");
    }
}
