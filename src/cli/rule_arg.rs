//! A rule id on the command line (`explain RULE`, `--select`, `--ignore`):
//! checked while parsing, with "did you mean" for a near miss and the valid
//! ids listed, and offered by the shell completions (`regcred completions`
//! generates them from [`RuleId::possible_values`]).

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::lint::rules::{by_id, closest_id, RULES};

#[derive(Debug, Clone, Copy)]
pub struct RuleId;

impl TypedValueParser for RuleId {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let text = value.to_string_lossy();
        if by_id(&text).is_some() {
            return Ok(text.into_owned());
        }
        let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        let name = arg.map_or_else(|| "RULE".to_string(), ToString::to_string);
        err.insert(ContextKind::InvalidArg, ContextValue::String(name));
        err.insert(
            ContextKind::InvalidValue,
            ContextValue::String(text.to_string()),
        );
        err.insert(
            ContextKind::ValidValue,
            ContextValue::Strings(RULES.iter().map(|r| r.id().to_string()).collect()),
        );
        if let Some(close) = closest_id(&text) {
            err.insert(
                ContextKind::SuggestedValue,
                ContextValue::String(close.to_string()),
            );
        }
        Err(err)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(RULES.iter().map(|r| PossibleValue::new(r.id()))))
    }
}
