//! `--for PATH`: the registries the workloads under PATH pull from, matched
//! against the config files' keys as the kubelet matches them.

use super::{CreateError, Request};
use crate::dockercfg::ConfigFile;
use crate::image::keyring::Keyring;
use crate::image::{classify_image, parse_image, ParsedImage, RegistryClass, RegistryLists};
use crate::lint::config::Config;
use crate::lint::walk::workload_pods;
use crate::shown_path::as_named;
use crate::workspace::config_of;

/// The config keys the kubelet would use for the images of the workloads
/// under the request's `for_paths` (every matching key of each image, as the
/// kubelet tries them all). An image from a registry that is not public and
/// has no matching key is an error naming the image and its file; public
/// images without credentials need none.
pub fn servers(
    request: &Request<'_>,
    files: &[ConfigFile],
    warnings: &mut Vec<String>,
) -> Result<Vec<String>, CreateError> {
    let paths: Vec<_> = request
        .for_paths
        .iter()
        .map(|p| request.resolve(p))
        .collect();
    let (pods, errors) = workload_pods(&paths, 0);
    if let Some(e) = errors.first() {
        return Err(CreateError::of(e));
    }
    let mut servers: Vec<String> = Vec::new();
    for file in files {
        let keys = file
            .auths
            .iter()
            .map(|a| a.server.clone())
            .chain(file.cred_helpers.iter().map(|(h, _)| h.clone()));
        for key in keys {
            if !servers.contains(&key) {
                servers.push(key);
            }
        }
    }
    let config_names = files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    // The public registries of the workloads' .regcred.yaml need no
    // credentials either (each path's nearest one).
    let mut lists = RegistryLists::default();
    let mut read = Vec::new();
    for (named, path) in paths.iter().filter_map(|p| Some((p, config_of(p)?))) {
        if read.contains(&path) {
            continue;
        }
        let config = Config::load(&path)
            .map_err(|e| CreateError::of(e.shown_as(&as_named(&path, named))))?;
        lists.private.extend(config.registries.private);
        lists.public.extend(config.registries.public);
        read.push(path);
    }
    let mut wanted: Vec<String> = Vec::new();
    let mut images = 0;
    let servers_keyring = Keyring::new(&servers);
    for pod in &pods {
        for image in &pod.view.images {
            let place = pod
                .anchor(&image.span)
                .map(|a| format!("{}:{}", pod.path, a.start.line))
                .unwrap_or_else(|| pod.view.file.display().to_string());
            let reference = match parse_image(&image.image) {
                ParsedImage::Reference(r) => r,
                ParsedImage::Template => {
                    warnings.push(format!(
                        "{place}: image {:?} is a template, skipped",
                        image.image
                    ));
                    continue;
                }
                ParsedImage::Invalid(why) => {
                    return Err(CreateError(format!(
                        "{place}: image {:?} is not a valid reference: {why}",
                        image.image
                    )))
                }
            };
            images += 1;
            let found = servers_keyring.lookup(&reference.name());
            if found.tried.is_empty() {
                let (class, _) = classify_image(&reference.domain, &reference.path, &lists);
                if class == RegistryClass::Public {
                    continue;
                }
                return Err(CreateError(format!(
                    "{place}: image {:?} pulls from {:?}, and {config_names} holds no credentials the kubelet would use for it (it has: {}); run `docker login {}` or check the image",
                    image.image,
                    reference.domain,
                    servers.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", "),
                    found.suggested_key
                )));
            }
            for &i in &found.tried {
                if let Some(server) = servers.get(i) {
                    if !wanted.contains(server) {
                        wanted.push(server.clone());
                    }
                }
            }
        }
    }
    if images == 0 {
        return Err(CreateError(format!(
            "no workload images under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if wanted.is_empty() {
        return Err(CreateError(
            "the workloads pull only public images: they need no pull secret".into(),
        ));
    }
    Ok(wanted)
}
