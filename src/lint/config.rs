//! `.regcred.yaml`: rule levels, registries, paths to skip, `--fix` defaults.
//! Read with the manifest parser (so errors have lines), validated against
//! `schemas/config.schema.json`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Number, Value};

use super::config_check;
use super::expectations::ExpectationSettings;
use super::position::LineIndex;
use super::setting::{Registries, Setting};
use crate::bounded_read::{self, Follow, Limit, ReadError};
use crate::manifest::{parse_stream, Node, NodeKind, ScalarType};

pub const FILE_NAME: &str = ".regcred.yaml";
const SCHEMA: &str = include_str!("../../schemas/config.schema.json");

/// Bounds on hostile input (`limits:` in the config; docs/limits.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file or stdin read, in bytes.
    pub max_file_bytes: u64,
    /// Most YAML documents in one file.
    pub max_documents: usize,
}

impl Limits {
    pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 << 20;
    pub const DEFAULT_MAX_DOCUMENTS: usize = 100_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: Self::DEFAULT_MAX_FILE_BYTES,
            max_documents: Self::DEFAULT_MAX_DOCUMENTS,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
    pub rules: BTreeMap<String, Setting>,
    pub registries: Registries,
    /// Gitignore-style globs, relative to the config file's folder.
    pub skip: Vec<String>,
    pub fix_secret_name: Option<String>,
    pub limits: Limits,
    /// `test-expectations:` (docs/rules.md, "Test-expectation files").
    pub expectations: ExpectationSettings,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: crate::bounded_read::ReadError,
    },
    /// Every problem found, in file order (at least one).
    #[error("{}", problems.iter().map(|p| format!("{}:{}:{}: {}", path.display(), p.line, p.column, p.message)).collect::<Vec<_>>().join("\n"))]
    Invalid {
        path: PathBuf,
        problems: Vec<ConfigProblem>,
    },
}

impl ConfigError {
    /// The error naming its file `shown`: the path spelled as the input
    /// that found it is (`crate::shown_path`), not as it was opened.
    pub fn shown_as(mut self, shown: &Path) -> ConfigError {
        match &mut self {
            ConfigError::Read { path, .. } | ConfigError::Invalid { path, .. } => {
                *path = shown.to_path_buf();
            }
        }
        self
    }
}

/// One problem of a config file, at a line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let read = |source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        };
        let bytes = bounded_read::read_file(path, Limit::CONFIG, Follow::Yes).map_err(read)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            read(ReadError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
            )))
        })?;
        Config::parse(&text, path)
    }

    /// Parses and validates config text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let lines = LineIndex::new(text.as_bytes());
        let invalid = |found: Vec<(usize, String)>| {
            let problems = found
                .into_iter()
                .map(|(offset, message)| {
                    let (line, column) = lines.position(text.as_bytes(), offset);
                    ConfigProblem {
                        line,
                        column,
                        message,
                    }
                })
                .collect();
            ConfigError::Invalid {
                path: path.to_path_buf(),
                problems,
            }
        };
        let docs = parse_stream(text).map_err(|e| invalid(vec![(e.offset, e.message)]))?;
        let root = docs.into_iter().find_map(|d| d.root);
        // Aliases are not expanded (no alias bomb): one would read as null.
        if let Some(at) = root.as_ref().and_then(first_alias) {
            return Err(invalid(vec![(
                at,
                "an alias (*name): aliases are not expanded in the configuration; write the value out".into(),
            )]));
        }
        let mut offsets = HashMap::new();
        let value = match &root {
            Some(node) => to_json(node, String::new(), &mut offsets),
            None => Value::Object(Map::new()),
        };
        let value = if value.is_null() {
            Value::Object(Map::new())
        } else {
            value
        };
        let schema: Value = serde_json::from_str(SCHEMA)
            .map_err(|e| invalid(vec![(0, format!("internal schema error: {e}"))]))?;
        let validator = jsonschema::validator_for(&schema)
            .map_err(|e| invalid(vec![(0, format!("internal schema error: {e}"))]))?;
        let found = config_check::problems(&validator, &schema, &value, &offsets);
        if !found.is_empty() {
            return Err(invalid(found));
        }
        Ok(Config::from_value(&value, path))
    }

    fn from_value(value: &Value, path: &Path) -> Config {
        let strings = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let rules = value
            .get("rules")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), Setting::parse(v.as_str()?)?)))
                    .collect()
            })
            .unwrap_or_default();
        let registries = value.get("registries");
        Config {
            path: Some(path.to_path_buf()),
            rules,
            registries: Registries {
                private: strings(registries.and_then(|r| r.get("private"))),
                public: strings(registries.and_then(|r| r.get("public"))),
                unknown: registries
                    .and_then(|r| r.get("unknown"))
                    .and_then(Value::as_str)
                    .and_then(Setting::parse),
            },
            skip: strings(value.get("skip")),
            fix_secret_name: value
                .pointer("/fix/secret-name")
                .and_then(Value::as_str)
                .map(str::to_string),
            expectations: ExpectationSettings {
                detect: value
                    .pointer("/test-expectations/detect")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
                folders: value
                    .pointer("/test-expectations/folders")
                    .map(|v| strings(Some(v)))
                    .unwrap_or_else(|| ExpectationSettings::default().folders),
            },
            limits: Limits {
                max_file_bytes: value
                    .pointer("/limits/max-file-bytes")
                    .and_then(Value::as_f64)
                    .map_or(Limits::DEFAULT_MAX_FILE_BYTES, |n| n as u64),
                max_documents: value
                    .pointer("/limits/max-documents")
                    .and_then(Value::as_f64)
                    .map_or(Limits::DEFAULT_MAX_DOCUMENTS, |n| n as usize),
            },
        }
    }

    /// The folder `skip` globs are relative to.
    pub fn root(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }
}

/// The YAML tree as JSON (typed the go-yaml way), noting each node's offset
/// under its JSON pointer.
fn to_json(node: &Node, pointer: String, offsets: &mut HashMap<String, usize>) -> Value {
    offsets.insert(pointer.clone(), node.span.start);
    match &node.kind {
        NodeKind::Scalar(s) => match s.ty {
            ScalarType::Str => Value::String(s.value.to_string()),
            ScalarType::Null => Value::Null,
            // The config is regcred's own file: YAML 1.2 booleans, so that
            // `off` reads as the word users mean.
            ScalarType::Bool => match s.value.to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(s.value.to_string()),
            },
            ScalarType::Int | ScalarType::Float => s
                .value
                .replace('_', "")
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map_or_else(|| Value::String(s.value.to_string()), Value::Number),
        },
        NodeKind::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, n)| to_json(n, format!("{pointer}/{i}"), offsets))
                .collect(),
        ),
        NodeKind::Mapping(entries) => {
            let mut map = Map::new();
            for e in entries {
                let key = e.key.text().unwrap_or("").to_string();
                let escaped = key.replace('~', "~0").replace('/', "~1");
                let child = format!("{pointer}/{escaped}");
                // The key's own position, so "unknown key" errors point at it.
                offsets.insert(format!("{child}#key"), e.key.span.start);
                map.insert(key, to_json(&e.value, child, offsets));
            }
            Value::Object(map)
        }
        NodeKind::Alias => Value::Null,
    }
}

/// Where the first alias in `node` is.
fn first_alias(node: &Node) -> Option<usize> {
    match &node.kind {
        NodeKind::Alias => Some(node.span.start),
        NodeKind::Scalar(_) => None,
        NodeKind::Sequence(items) => items.iter().find_map(first_alias),
        NodeKind::Mapping(entries) => entries
            .iter()
            .find_map(|e| first_alias(&e.key).or_else(|| first_alias(&e.value))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::finding::Level;

    #[test]
    fn aliases_are_refused_not_read_as_null() {
        let e = parse(
            "fix:
  secret-name: &n regcred
registries:
  private: [*n]
",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains(".regcred.yaml:4:13") && e.contains("an alias"),
            "{e}"
        );
    }

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new(".regcred.yaml"))
    }

    #[test]
    fn reads_every_section() {
        let c = parse(
            "rules:\n  secret-data-plaintext: off\n  pull-secret-legacy-type: warning\nregistries:\n  private: [reg.corp.example]\n  public: [mirror.example]\n  unknown: warning\nskip: [charts/]\nfix:\n  secret-name: regcred\n",
        )
        .unwrap();
        assert_eq!(c.rules.get("secret-data-plaintext"), Some(&Setting::Off));
        assert_eq!(
            c.rules.get("pull-secret-legacy-type"),
            Some(&Setting::Level(Level::Warning))
        );
        assert_eq!(c.registries.private, vec!["reg.corp.example"]);
        assert_eq!(c.registries.unknown, Some(Setting::Level(Level::Warning)));
        assert_eq!(c.skip, vec!["charts/"]);
        assert_eq!(c.fix_secret_name.as_deref(), Some("regcred"));
    }

    #[test]
    fn mistakes_are_reported_with_their_line() {
        let lines = |text: &str| match parse(text).unwrap_err() {
            ConfigError::Invalid { problems, .. } => {
                problems.iter().map(|p| p.line).collect::<Vec<_>>()
            }
            err => panic!("{err}"),
        };
        assert_eq!(lines("rules:\n  secret-data-plaintext: loud\n"), [2]);
        assert_eq!(lines("registries:\n  private: reg.io\n"), [2]);
        let err = parse("rulez: {}\n").unwrap_err();
        assert!(err.to_string().contains("rulez"), "{err}");
    }

    #[test]
    fn every_problem_is_reported_at_once_with_the_choices() {
        let text = "rules:\n  secret-data-plaintext: loud\n  secret-name-invalidd: off\n\
                    registries:\n  privat: [reg.io]\n  unknown: maybe\nfix:\n  secret-name: 3\n";
        let err = parse(text).unwrap_err().to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 5, "{err}");
        assert!(lines[0].starts_with(".regcred.yaml:2:"), "{err}");
        assert!(
            lines[0].ends_with(
                "rules.secret-data-plaintext: \"loud\" is not one of: error, warning, info, off"
            ),
            "{err}"
        );
        assert!(lines[1].starts_with(".regcred.yaml:3:3: rules: unknown rule \"secret-name-invalidd\" (did you mean \"secret-name-invalid\"?)"), "{err}");
        assert!(lines[2].starts_with(".regcred.yaml:5:3: unknown key \"privat\" in registries (did you mean \"private\"?); valid keys: private, public, unknown"), "{err}");
        assert!(
            lines[3].starts_with(".regcred.yaml:6:")
                && lines[3].ends_with("error, warning, info, off"),
            "{err}"
        );
        assert!(
            lines[4].starts_with(".regcred.yaml:8:") && lines[4].contains("fix.secret-name"),
            "{err}"
        );
    }

    #[test]
    fn limits_are_read_and_checked() {
        let c = parse("limits:\n  max-file-bytes: 1000\n  max-documents: 5\n").unwrap();
        assert_eq!(
            c.limits,
            Limits {
                max_file_bytes: 1000,
                max_documents: 5
            }
        );
        assert_eq!(parse("").unwrap().limits, Limits::default());
        assert!(parse("limits:\n  max-documents: 0\n").is_err());
        assert!(parse("limits:\n  max-depth: 3\n").is_err());
    }

    #[test]
    fn empty_config_is_fine() {
        assert_eq!(parse("").unwrap().rules.len(), 0);
        assert_eq!(parse("# nothing\n").unwrap().skip.len(), 0);
    }
}
