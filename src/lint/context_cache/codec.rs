//! What a context file adds to the index ([`IndexPart`] and the payload
//! files its kustomizations generate), as bytes and back. Only what the
//! index holds: names, namespaces, Secret types, `auths` keys (registry
//! names), paths and `path:line` places; never a Secret's data.
//!
//! Every struct is taken apart without `..`, so a field added to the index
//! fails to compile here until it is cached too (and [`FORMAT`] raised).

use super::wire::{Reader, Writer};
use crate::lint::index::{
    DefinitionKind, FileRole, IndexPart, KustomizationDef, SecretDef, ServiceAccountDef,
};
use crate::lint::kustomize::GeneratedPayload;
use crate::lint::view::PayloadFormat;

/// Raised whenever the encoding below changes.
pub const FORMAT: u32 = 2;

/// A file's index part and generated payloads; `None` when a path is not
/// UTF-8 (the file is then read every run).
pub fn encode(part: &IndexPart, generated: &[GeneratedPayload]) -> Option<Vec<u8>> {
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
        secret(&mut w, s)?;
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
        w.path(file)?;
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
        } = k;
        w.path(dir)?;
        w.optional_text(namespace.as_deref());
        w.optional_text(name_prefix.as_deref());
        w.optional_text(name_suffix.as_deref());
        w.number(includes.len() as u64);
        for i in includes {
            w.path(i)?;
        }
    }
    w.number(docker_configs.len() as u64);
    for (path, keys) in docker_configs {
        w.path(path)?;
        w.texts(keys);
    }
    w.texts(credential_keys);
    match file {
        Some((path, role)) => {
            w.byte(1 + role_code(*role));
            w.path(path)?;
        }
        None => w.byte(0),
    }
    w.number(expectations.len() as u64);
    for e in expectations {
        w.path(e)?;
    }
    w.number(generated.len() as u64);
    for g in generated {
        let GeneratedPayload { path, format, root } = g;
        w.path(path)?;
        w.byte(match format {
            PayloadFormat::DockerConfigJson => 0,
            PayloadFormat::DockerCfg => 1,
        });
        w.path(root)?;
    }
    Some(w.bytes)
}

fn secret(w: &mut Writer, s: &SecretDef) -> Option<()> {
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
    w.path(file)?;
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
            w.path(p)?;
        }
        None => w.byte(0),
    }
    w.text(place);
    Some(())
}

fn role_code(role: FileRole) -> u8 {
    match role {
        FileRole::Deployable => 0,
        FileRole::TestData => 1,
        FileRole::Undetected => 2,
    }
}

/// [`encode`]'s bytes read back; `None` when they are not what it writes.
pub fn decode(bytes: &[u8]) -> Option<(IndexPart, Vec<GeneratedPayload>)> {
    let mut r = Reader::new(bytes);
    let mut part = IndexPart::default();
    let count = r.count()?;
    part.secrets.reserve_exact(count);
    for _ in 0..count {
        part.secrets.push(read_secret(&mut r)?);
    }
    for _ in 0..r.count()? {
        part.service_accounts.push(ServiceAccountDef {
            name: r.text()?,
            namespace: r.optional_text()?,
            file: r.path()?,
            pull_secrets: r.texts()?,
        });
    }
    for _ in 0..r.count()? {
        let dir = r.path()?;
        let namespace = r.optional_text()?;
        let name_prefix = r.optional_text()?;
        let name_suffix = r.optional_text()?;
        let includes = (0..r.count()?).map(|_| r.path()).collect::<Option<_>>()?;
        part.kustomizations.push(KustomizationDef {
            dir,
            namespace,
            name_prefix,
            name_suffix,
            includes,
        });
    }
    for _ in 0..r.count()? {
        part.docker_configs.push((r.path()?, r.texts()?));
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
            Some((r.path()?, role))
        }
    };
    part.expectations = (0..r.count()?).map(|_| r.path()).collect::<Option<_>>()?;
    let mut generated = Vec::new();
    for _ in 0..r.count()? {
        let path = r.path()?;
        let format = match r.byte()? {
            0 => PayloadFormat::DockerConfigJson,
            1 => PayloadFormat::DockerCfg,
            _ => return None,
        };
        generated.push(GeneratedPayload {
            path,
            format,
            root: r.path()?,
        });
    }
    r.is_empty().then_some((part, generated))
}

fn read_secret(r: &mut Reader<'_>) -> Option<SecretDef> {
    let name = r.text()?;
    let namespace = r.optional_text()?;
    let file = r.path()?;
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
        1 => Some(r.path()?),
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
        place: r.text()?,
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

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

    #[test]
    fn a_part_reads_back_equal() {
        let (part, generated) = sample();
        let bytes = encode(&part, &generated).unwrap();
        assert_eq!(decode(&bytes), Some((part, generated)));
        let empty = encode(&IndexPart::default(), &[]).unwrap();
        assert_eq!(decode(&empty), Some((IndexPart::default(), Vec::new())));
    }

    #[test]
    fn every_truncation_and_a_trailing_byte_are_refused() {
        let (part, generated) = sample();
        let bytes = encode(&part, &generated).unwrap();
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
    }

    #[test]
    fn any_byte_flipped_never_panics() {
        let (part, generated) = sample();
        let bytes = encode(&part, &generated).unwrap();
        for i in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut corrupt = bytes.clone();
                corrupt[i] ^= flip;
                let _ = decode(&corrupt);
            }
        }
    }
}
