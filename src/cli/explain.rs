//! `regcred explain [RULE]`: list the rules, or print one rule's full text.

use std::process::ExitCode;

use crate::lint::rules::{by_id, catalogue};

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A rule id (see the list without it)
    #[arg(value_parser = super::rule_arg::RuleId, hide_possible_values = true)]
    pub rule: Option<String>,
}

pub fn run(args: ExplainArgs) -> ExitCode {
    match args.rule {
        None => {
            print!("{}", catalogue::list());
            ExitCode::SUCCESS
        }
        Some(id) => match by_id(&id) {
            Some(rule) => {
                print!("{}", catalogue::full_text(rule));
                ExitCode::SUCCESS
            }
            None => super::fail(crate::lint::engine::UnknownRule(id)),
        },
    }
}
