//! Writing files so that nobody ever sees half of one: the two writers of
//! regcred share one way of doing it.
//!
//! - [`private`]: a new file of credentials (`create --output-file`), mode
//!   0600, that replaces an existing regular file only when asked.
//! - [`replace`]: a file replaced by `lint --fix`, with its own permissions
//!   and owner, only if it has not changed since it was read.
//! - [`public`]: a file anyone may read (the plugin's wrapper, man pages),
//!   whatever entry was at its place replaced, never written through.
//!
//! Both write regular files only (never through a device, a FIFO or a
//! symbolic link's entry), put the content into a file with no name while it
//! is written and synced ([`unnamed`], Linux `O_TMPFILE` then `linkat`), or
//! else into a named temporary file, and rename it into place. What a killed
//! run can leave is in docs/limits.md; [`leftovers`] removes what a killed
//! `--fix` left. [`hooks`] stop a writer at its worst moment, in debug
//! builds only.

pub mod hooks;
pub mod leftovers;
pub mod private;
pub mod public;
pub mod replace;
pub mod unnamed;
