fn main() -> std::process::ExitCode {
    regcred::cli::main()
}
