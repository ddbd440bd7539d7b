//! Docker's normalization of an image name (distribution/reference
//! `ParseNormalizedNamed`): which part is the registry, and the Docker Hub
//! defaults `docker.io` and `library/`.

/// The registry Docker uses when an image names none.
pub const DOCKER_HUB_DOMAIN: &str = "docker.io";
/// The old name of Docker Hub; Docker rewrites it to `docker.io`.
pub const LEGACY_DOCKER_HUB_DOMAIN: &str = "index.docker.io";
/// The namespace of Docker Hub's official images (`nginx` is `library/nginx`).
pub const OFFICIAL_NAMESPACE: &str = "library";

/// Splits an image into registry and remainder as Docker's
/// `splitDockerDomain`: the first `/`-component is a registry when it holds
/// `.` or `:`, is `localhost`, or has an upper-case letter; otherwise the
/// image is on Docker Hub. `index.docker.io` becomes `docker.io`, and a
/// Docker Hub image without a namespace gets `library/`.
///
/// `nginx` → (`docker.io`, `library/nginx`), `team/app` → (`docker.io`,
/// `team/app`), `index.docker.io/x` → (`docker.io`, `library/x`),
/// `localhost:5000/x` → (`localhost:5000`, `x`). The remainder keeps any tag
/// or digest.
pub fn split_docker_domain(image: &str) -> (String, String) {
    let (mut domain, remainder) = match image.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.to_lowercase() != first =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => (DOCKER_HUB_DOMAIN.to_string(), image.to_string()),
    };
    if domain == LEGACY_DOCKER_HUB_DOMAIN {
        domain = DOCKER_HUB_DOMAIN.to_string();
    }
    let remainder = if domain == DOCKER_HUB_DOMAIN && !remainder.contains('/') {
        format!("{OFFICIAL_NAMESPACE}/{remainder}")
    } else {
        remainder
    };
    (domain, remainder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_tag_in_remainder() {
        assert_eq!(
            split_docker_domain("nginx:1.27"),
            ("docker.io".into(), "library/nginx:1.27".into())
        );
    }
}
