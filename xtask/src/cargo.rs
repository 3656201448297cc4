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
    is_plain(Path::new("/dev/null"))
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
    empty_if_plain(Path::new("/dev/null"));
}

fn is_plain(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|metadata| metadata.is_file())
}

/// Empties `path` if it is a plain file.
fn empty_if_plain(path: &Path) {
    if is_plain(path) {
        // Best effort: if it cannot be emptied, cargo's own message says what failed.
        let _ = fs::File::create(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_file_is_emptied_and_the_null_device_left_as_it_is() {
        let folder = tempfile::tempdir().expect("a scratch folder");
        let plain = folder.path().join("null");
        fs::write(&plain, "error[E0554]: `#![feature]` may not be used").expect("written");
        empty_if_plain(&plain);
        assert_eq!(fs::read_to_string(&plain).expect("read"), "");

        let device = Path::new("/dev/null");
        let before = fs::symlink_metadata(device).map(|m| m.file_type());
        empty_if_plain(device);
        assert_eq!(
            fs::symlink_metadata(device).map(|m| m.file_type()).ok(),
            before.ok()
        );
    }
}
