//! The words a message uses for a part of the request: the command line
//! says `--docker-password-env`, a `PullSecret` config says
//! `spec.passwordFrom`. Each caller names the fields it fills in, so the
//! same check tells each user what they wrote.

/// The parts of a request that messages name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ConfigFiles,
    Server,
    Username,
    Email,
    PasswordStdin,
    PasswordFile,
    PasswordEnv,
    /// The password given as a value (the command line only).
    PasswordValue,
    Registries,
    ResolveHelpers,
    PreferLater,
    Labels,
    Annotations,
}

/// How a caller names the fields of its request.
pub trait Terms {
    /// The name of `field` as the user wrote it.
    fn name(&self, field: Field) -> &'static str;
    /// What to give when there are no credentials at all (after
    /// "no credentials: ").
    fn how_to_give_credentials(&self) -> &'static str;
}
