//! The rule registry: every rule, in id order. One rule per file; the file's
//! `//!` doc comment is the rule's explanation (`regcred explain RULE`).
