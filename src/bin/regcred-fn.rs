//! `regcred-fn`: the KRM exec function (kustomize `--enable-exec`, `kpt fn
//! eval --exec`). Exec functions get no arguments: a ResourceList on stdin.

fn main() -> std::process::ExitCode {
    if std::env::args_os().len() > 1 {
        return regcred::cli::fail(
            "regcred-fn takes no arguments: it reads a ResourceList on stdin, configured by its functionConfig (a regcred.dev/v1 PullSecret)",
        );
    }
    regcred::cli::function::run_stdio()
}
