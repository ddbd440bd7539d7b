//! Naming registries: the host Docker gives a credential helper, and the
//! key regcred compares when `--registry` filters entries.

use crate::image::keyring;

/// Docker's `ConvertToHostname`: scheme and path dropped.
pub fn hostname(server: &str) -> &str {
    let rest = without_scheme(server);
    rest.split('/').next().unwrap_or(rest)
}

/// The key `--registry` compares: the kubelet's index key for an `auths`
/// key (docs/kubernetes.md §2, [`keyring::index_key`]: its own URL parse, `/v1/`
/// and `/v2/` dropped, an empty or `/` path dropped), made forgiving for
/// people typing a filter: host case ignored, trailing `/` ignored, Docker
/// Hub's names collapsed to `index.docker.io`. A key the kubelet cannot
/// parse is compared as written, scheme dropped.
pub fn match_key(server: &str) -> String {
    let index = match keyring::index_key(server) {
        Ok(key) => String::from_utf8_lossy(&key).into_owned(),
        Err(_) => without_scheme(server).to_string(),
    };
    let (host, path) = match index.find('/') {
        Some(i) => index.split_at(i),
        None => (index.as_str(), ""),
    };
    let path = path.trim_end_matches('/');
    let host = host.to_ascii_lowercase();
    let host = match host.as_str() {
        "docker.io" | "registry-1.docker.io" | "index.docker.io" => "index.docker.io".to_string(),
        _ => host,
    };
    format!("{host}{path}")
}

fn without_scheme(server: &str) -> &str {
    server
        .strip_prefix("http://")
        .or_else(|| server.strip_prefix("https://"))
        .unwrap_or(server)
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
        // The kubelet's parse: user info, query and escapes are not the key.
        assert_eq!(match_key("user@Reg.IO/team/"), "reg.io/team");
        assert_eq!(match_key("reg.io?x=1"), "reg.io");
        assert_eq!(match_key("reg.io/te%61m"), "reg.io/team");
        // Not parsable by the kubelet: compared as written.
        assert_eq!(match_key("https://reg.io:abc"), "reg.io:abc");
        assert_eq!(hostname("https://index.docker.io/v1/"), "index.docker.io");
        assert_eq!(hostname("reg.io:5000"), "reg.io:5000");
    }
}
