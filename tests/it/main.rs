//! regcred's integration tests, one binary (building one test binary instead of
//! one per file is most of the test build time on a small machine).
//! One module per area; `common` holds the shared helpers.

mod canary;
mod cli_extras;
mod common;
mod conveniences;
mod create_errors;
mod create_helpers;
mod create_kubectl_diff;
mod create_lints_clean;
mod create_proptest;
mod create_rewrite;
mod create_yaml_quote;
mod docs;
mod fix;
mod fix_proptest;
mod fixtures;
mod fuzz_seeds;
mod go_parity;
mod hostile;
mod hostile_io;
mod inspect_cli;
mod install;
mod keyring_parity;
mod krm_function;
mod krm_node_proptest;
mod krm_validator;
mod kustomize_namespaces;
mod kustomize_plugin;
mod lint_cli;
mod memory;
mod output_file;
mod precommit;
mod prescan_parity;
mod pullsecret_schema;
mod readme_demo;
mod report_formats;
mod rule_misses;
mod seal;
mod secret_values_go;
mod snapshots;
mod wheel;
mod workflows;
mod workload_cli;
mod workspace;
mod workspace_threads;
