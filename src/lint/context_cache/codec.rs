//! What a context file adds to the index ([`IndexPart`] and the payload
//! files its kustomizations generate), as bytes and back. Only what the
//! index holds: names, namespaces, Secret types, `auths` keys (registry
//! names), paths and `path:line` places; never a Secret's data.
//!
//! Every struct is taken apart without `..`, so a field added to the index
//! fails to compile here until it is cached too (and [`FORMAT`] raised).
//!
//! Paths and places are written as the prefix they share with the file's
//! own path (as the walk spells it) and the rest: a part names its own file
//! in every definition, and the cache would otherwise hold that path a few
//! times per file (three quarters of its bytes in a dense repository).

use super::wire::{Reader, Writer};
use crate::lint::index::{
    DefinitionKind, FileRole, IndexPart, KustomizationDef, SecretDef, ServiceAccountDef,
};
use crate::lint::kustomize::GeneratedPayload;
use crate::lint::view::PayloadFormat;

/// Raised whenever the encoding below (or the file's, `super`) changes.
pub const FORMAT: u32 = 3;

/// A file's index part and generated payloads, its paths written against
/// `own` (the file's path as the walk spells it); `None` when a path is
/// not UTF-8 (the file is then read every run).
pub fn encode(part: &IndexPart, generated: &[GeneratedPayload], own: &str) -> Option<Vec<u8>> {
    let mut w = Writer::default();
    let IndexPart {
        secrets,
        service_accounts,
        kustomizations,
        docker_configs,
        credential_keys,
        file,
        expectations,
    } = part;
    w.number(secrets.len() as u64);
    for s in secrets {
        secret(&mut w, s, own)?;
    }
    w.number(service_accounts.len() as u64);
    for sa in service_accounts {
        let ServiceAccountDef {
            name,
            namespace,
            file,
            pull_secrets,
        } = sa;
        w.text(name);
        w.optional_text(namespace.as_deref());
        w.shared_path(own, file)?;
        w.texts(pull_secrets);
    }
    w.number(kustomizations.len() as u64);
    for k in kustomizations {
        let KustomizationDef {
            dir,
            namespace,
            name_prefix,
            name_suffix,
            includes,
            configurations,
        } = k;
        w.shared_path(own, dir)?;
        w.optional_text(namespace.as_deref());
        w.optional_text(name_prefix.as_deref());
        w.optional_text(name_suffix.as_deref());
        w.number(includes.len() as u64);
        for i in includes {
            w.shared_path(own, i)?;
        }
        w.byte(u8::from(*configurations));
    }
    w.number(docker_configs.len() as u64);
    for (path, keys) in docker_configs {
        w.shared_path(own, path)?;
        w.texts(keys);
    }
    w.texts(credential_keys);
    match file {
        Some((path, role)) => {
            w.byte(1 + role_code(*role));
            w.shared_path(own, path)?;
        }
        None => w.byte(0),
    }
    w.number(expectations.len() as u64);
    for e in expectations {
        w.shared_path(own, e)?;
    }
    w.number(generated.len() as u64);
    for g in generated {
        let GeneratedPayload { path, format, root } = g;
        w.shared_path(own, path)?;
        w.byte(match format {
            PayloadFormat::DockerConfigJson => 0,
            PayloadFormat::DockerCfg => 1,
        });
        w.shared_path(own, root)?;
    }
    Some(w.bytes)
}

fn secret(w: &mut Writer, s: &SecretDef, own: &str) -> Option<()> {
    let SecretDef {
        name,
        namespace,
        file,
        kind,
        type_name,
        keys,
        payload_file,
        place,
    } = s;
    w.text(name);
    w.optional_text(namespace.as_deref());
    w.shared_path(own, file)?;
    w.byte(match kind {
        DefinitionKind::Secret => 0,
        DefinitionKind::SealedSecret => 1,
        DefinitionKind::ExternalSecret => 2,
        DefinitionKind::Generator => 3,
    });
    w.optional_text(type_name.as_deref());
    match keys {
        Some(keys) => {
            w.byte(1);
            w.texts(keys);
        }
        None => w.byte(0),
    }
    match payload_file {
        Some(p) => {
            w.byte(1);
            w.shared_path(own, p)?;
        }
        None => w.byte(0),
    }
    w.shared(own, place);
    Some(())
}

fn role_code(role: FileRole) -> u8 {
    match role {
        FileRole::Deployable => 0,
        FileRole::TestData => 1,
        FileRole::Undetected => 2,
    }
}

/// [`encode`]'s bytes read back with the same `own`; `None` when they are
/// not what it writes.
pub fn decode(bytes: &[u8], own: &str) -> Option<(IndexPart, Vec<GeneratedPayload>)> {
    let mut r = Reader::new(bytes);
    let mut part = IndexPart::default();
    let count = r.count()?;
    part.secrets.reserve_exact(count);
    for _ in 0..count {
        part.secrets.push(read_secret(&mut r, own)?);
    }
    for _ in 0..r.count()? {
        part.service_accounts.push(ServiceAccountDef {
            name: r.text()?,
            namespace: r.optional_text()?,
            file: r.shared_path(own)?,
            pull_secrets: r.texts()?,
        });
    }
    for _ in 0..r.count()? {
        let dir = r.shared_path(own)?;
        let namespace = r.optional_text()?;
        let name_prefix = r.optional_text()?;
        let name_suffix = r.optional_text()?;
        let includes = (0..r.count()?)
            .map(|_| r.shared_path(own))
            .collect::<Option<_>>()?;
        let configurations = match r.byte()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        part.kustomizations.push(KustomizationDef {
            dir,
            namespace,
            name_prefix,
            name_suffix,
            includes,
            configurations,
        });
    }
    for _ in 0..r.count()? {
        part.docker_configs.push((r.shared_path(own)?, r.texts()?));
    }
    part.credential_keys = r.texts()?;
    part.file = match r.byte()? {
        0 => None,
        code => {
            let role = match code - 1 {
                0 => FileRole::Deployable,
                1 => FileRole::TestData,
                2 => FileRole::Undetected,
                _ => return None,
            };
            Some((r.shared_path(own)?, role))
        }
    };
    part.expectations = (0..r.count()?)
        .map(|_| r.shared_path(own))
        .collect::<Option<_>>()?;
    let mut generated = Vec::new();
    for _ in 0..r.count()? {
        let path = r.shared_path(own)?;
        let format = match r.byte()? {
            0 => PayloadFormat::DockerConfigJson,
            1 => PayloadFormat::DockerCfg,
            _ => return None,
        };
        generated.push(GeneratedPayload {
            path,
            format,
            root: r.shared_path(own)?,
        });
    }
    r.is_empty().then_some((part, generated))
}

fn read_secret(r: &mut Reader<'_>, own: &str) -> Option<SecretDef> {
    let name = r.text()?;
    let namespace = r.optional_text()?;
    let file = r.shared_path(own)?;
    let kind = match r.byte()? {
        0 => DefinitionKind::Secret,
        1 => DefinitionKind::SealedSecret,
        2 => DefinitionKind::ExternalSecret,
        3 => DefinitionKind::Generator,
        _ => return None,
    };
    let type_name = r.optional_text()?;
    let keys = match r.byte()? {
        0 => None,
        1 => Some(r.texts()?),
        _ => return None,
    };
    let payload_file = match r.byte()? {
        0 => None,
        1 => Some(r.shared_path(own)?),
        _ => return None,
    };
    Some(SecretDef {
        name,
        namespace,
        file,
        kind,
        type_name,
        keys,
        payload_file,
        place: r.shared(own)?,
    })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn sample() -> (IndexPart, Vec<GeneratedPayload>) {
        let part = IndexPart {
            secrets: vec![
                SecretDef {
                    name: "corp-pull".into(),
                    namespace: Some("team".into()),
                    file: "/r/a.yaml".into(),
                    kind: DefinitionKind::Secret,
                    type_name: Some("kubernetes.io/dockerconfigjson".into()),
                    keys: Some(vec!["reg.corp.test".into()]),
                    payload_file: None,
                    place: "/r/a.yaml:3".into(),
                },
                SecretDef {
                    name: "gen".into(),
                    namespace: None,
                    file: "/r/kustomization.yaml".into(),
                    kind: DefinitionKind::Generator,
                    type_name: None,
                    keys: None,
                    payload_file: Some("/r/config.json".into()),
                    place: "/r/kustomization.yaml".into(),
                },
            ],
            service_accounts: vec![ServiceAccountDef {
                name: "builder".into(),
                namespace: None,
                file: "/r/sa.yaml".into(),
                pull_secrets: vec!["corp-pull".into()],
            }],
            kustomizations: vec![KustomizationDef {
                dir: "/r".into(),
                namespace: Some("prod".into()),
                name_prefix: Some("prod-".into()),
                name_suffix: None,
                includes: vec!["/r/a.yaml".into(), "/r/base".into()],
                configurations: true,
            }],
            docker_configs: vec![(PathBuf::from("/r/config.json"), vec!["x.test".into()])],
            credential_keys: vec!["reg.corp.test".into()],
            file: Some(("/r/a.yaml".into(), FileRole::TestData)),
            expectations: vec!["/r/expected.yaml".into()],
        };
        let generated = vec![GeneratedPayload {
            path: "/r/config.json".into(),
            format: PayloadFormat::DockerCfg,
            root: "/r".into(),
        }];
        (part, generated)
    }

    /// The path the walk gave the sample's file.
    const OWN: &str = "/r/a.yaml";

    #[test]
    fn a_part_reads_back_equal() {
        let (part, generated) = sample();
        let bytes = encode(&part, &generated, OWN).unwrap();
        assert_eq!(decode(&bytes, OWN), Some((part.clone(), generated.clone())));
        let empty = encode(&IndexPart::default(), &[], OWN).unwrap();
        assert_eq!(
            decode(&empty, OWN),
            Some((IndexPart::default(), Vec::new()))
        );
        // Written against another spelling of the file, it still reads back.
        let bytes = encode(&part, &generated, "r/a.yaml").unwrap();
        assert_eq!(decode(&bytes, "r/a.yaml"), Some((part, generated)));
    }

    #[test]
    fn the_own_path_is_held_once() {
        let (part, generated) = sample();
        let own = "/a/long/path/to/the/repository/and/its/app/a.yaml";
        let moved = |p: &Path| {
            PathBuf::from(
                p.to_str()
                    .unwrap()
                    .replace("/r/", "/a/long/path/to/the/repository/and/its/app/"),
            )
        };
        let mut long = part.clone();
        for s in &mut long.secrets {
            s.file = moved(&s.file);
            s.place = moved(Path::new(&s.place)).to_str().unwrap().to_string();
        }
        let short = encode(&part, &generated, OWN).unwrap().len();
        let bytes = encode(&long, &generated, own).unwrap();
        assert!(bytes.len() < short + own.len(), "{} bytes", bytes.len());
        assert_eq!(decode(&bytes, own), Some((long, generated)));
    }

    #[test]
    fn every_truncation_and_a_trailing_byte_are_refused() {
        let (part, generated) = sample();
        let bytes = encode(&part, &generated, OWN).unwrap();
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut], OWN), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer, OWN), None);
    }

    #[test]
    fn any_byte_flipped_never_panics() {
        let (part, generated) = sample();
        let bytes = encode(&part, &generated, OWN).unwrap();
        for i in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut corrupt = bytes.clone();
                corrupt[i] ^= flip;
                let _ = decode(&corrupt, OWN);
            }
        }
    }
}
