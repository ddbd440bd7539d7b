//! `regcred kustomize`: install the legacy exec plugin, and the plugin entry
//! point the installed wrapper calls.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::krm::plugin;

#[derive(Debug, clap::Args)]
pub struct KustomizeArgs {
    #[command(subcommand)]
    pub command: KustomizeCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum KustomizeCommand {
    /// Install the PullSecret generator where `kubectl kustomize --enable-alpha-plugins` finds it
    InstallPlugin(InstallArgs),
    /// Run as the legacy exec plugin: print the Secret for the generator config CONFIG
    Plugin(PluginArgs),
}

#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// kustomize's plugin directory [default: $KUSTOMIZE_PLUGIN_HOME, else
    /// $XDG_CONFIG_HOME/kustomize/plugin, else ~/.config/kustomize/plugin]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct PluginArgs {
    /// The generator config file kustomize passes
    pub config: PathBuf,
    /// Arguments kustomize adds from argsOneLiner / argsFromFile (none are used)
    #[arg(hide = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

pub fn run(args: KustomizeArgs) -> ExitCode {
    match args.command {
        KustomizeCommand::InstallPlugin(a) => install(&a),
        KustomizeCommand::Plugin(a) => run_plugin(&a),
    }
}

fn run_plugin(args: &PluginArgs) -> ExitCode {
    if !args.rest.is_empty() {
        return super::fail("the PullSecret generator takes no argsOneLiner or argsFromFile");
    }
    let mut warnings = Vec::new();
    let generated = plugin::generate(&args.config, &plugin::config_root(), &mut warnings);
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    match generated {
        Ok(yaml) => {
            let mut out = std::io::stdout().lock();
            match out.write_all(&yaml).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => super::fail(format!("cannot write to stdout: {e}")),
            }
        }
        Err(e) => super::fail(format!("regcred PullSecret generator: {e}")),
    }
}

/// kustomize's plugin home, in the order kustomize v5 looks.
fn default_plugin_home() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(home) = var("KUSTOMIZE_PLUGIN_HOME") {
        return Some(PathBuf::from(home));
    }
    if let Some(xdg) = var("XDG_CONFIG_HOME") {
        return Some(Path::new(&xdg).join("kustomize/plugin"));
    }
    var("HOME").map(|h| Path::new(&h).join(".config/kustomize/plugin"))
}

/// A shell word in single quotes.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The installed plugin: runs the `regcred` on PATH when kustomize runs it
/// (so an upgrade, a `cargo clean` or a move of the build does not break
/// it), else `exe`, the regcred that installed it, if it is still there.
fn wrapper(exe: &Path) -> Result<String, String> {
    let exe = exe
        .to_str()
        .ok_or_else(|| format!("the path of regcred ({}) is not UTF-8", exe.display()))?;
    Ok(format!(
        "#!/bin/sh
# kustomize legacy exec plugin for regcred.dev/v1 PullSecret, installed by
# `regcred kustomize install-plugin`: runs the regcred on PATH, else the one
# that installed it, if it is still there.
if command -v regcred >/dev/null 2>&1; then
  exec regcred kustomize plugin \"$@\"
fi
installed={}
if [ -x \"$installed\" ]; then
  exec \"$installed\" kustomize plugin \"$@\"
fi
echo \"regcred PullSecret generator: regcred is not on PATH, and $installed, which installed this plugin, is gone: install regcred (its README says how)\" >&2
exit 127
",
        sh_quote(exe)
    ))
}

fn install(args: &InstallArgs) -> ExitCode {
    let Some(home) = args.dir.clone().or_else(default_plugin_home) else {
        return super::fail("cannot tell where kustomize looks for plugins: set XDG_CONFIG_HOME or HOME, or pass --dir");
    };
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => return super::fail(format!("cannot find the regcred executable: {e}")),
    };
    let script = match wrapper(&exe) {
        Ok(s) => s,
        Err(e) => return super::fail(e),
    };
    let target = home.join(plugin::RELATIVE_PATH);
    match crate::safe_write::public::write(&target, script.as_bytes(), 0o755) {
        Ok(()) => {
            println!("{}", target.display());
            eprintln!(
                "installed: run `kubectl kustomize --enable-alpha-plugins` (or `kustomize build --enable-alpha-plugins`) on a kustomization listing a regcred.dev/v1 PullSecret under generators:"
            );
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(format!("cannot install {}: {e}", target.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapper_quotes_the_path() {
        let w = wrapper(Path::new("/opt/it's here/regcred")).unwrap();
        assert!(w.contains(r"installed='/opt/it'\''s here/regcred'"), "{w}");
        assert!(w.contains("exec regcred kustomize plugin \"$@\""), "{w}");
    }
}
