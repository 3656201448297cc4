//! Starting cargo from xtask.
//!
//! The integration tests that start cargo use this file too (`#[path]`), so the rule
//! below has one home.

use std::fs;
use std::path::Path;
use std::process::Command;

/// A command for the cargo that started xtask (`CARGO`), else the one on `PATH`, made
/// just before it runs: see [`empty_dev_null`].
pub fn command() -> Command {
    empty_dev_null();
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Whether `/dev/null` is a plain file, not the null device.
pub fn dev_null_is_plain() -> bool {
    fs::symlink_metadata("/dev/null").is_ok_and(|metadata| metadata.is_file())
}

/// Empties `/dev/null` when it is a plain file; does nothing on the null device.
///
/// In a target folder it has not used before, cargo learns about the target from
/// `rustc -`, whose source is `/dev/null`. On a CI machine `/dev/null` was a plain file,
/// holding what build scripts had thrown away there (rustc's errors about `#![feature]`),
/// so that first build failed with "failed to run `rustc` to learn about target-specific
/// information … unknown start of token". Call this right before cargo (or a tool that
/// runs cargo) starts in a new target folder.
pub fn empty_dev_null() {
    if dev_null_is_plain() {
        // Best effort: if it cannot be emptied, cargo's own message says what failed.
        let _ = fs::File::create(Path::new("/dev/null"));
    }
}
