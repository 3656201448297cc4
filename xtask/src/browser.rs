//! The headless browser the reference-page tests load the pages in: Chromium.
//!
//! A browser is not a package of PyPI or npm, so it is not in [`crate::tools::PINNED`]:
//! it comes from the operating system, at the version the distribution ships (and keeps
//! patched). [`install`] finds it, or installs Debian's `chromium` package:
//!
//! 1. `APIGEN_CHROMIUM`, when set, names the browser's executable (any Chromium or
//!    Chrome build); it must exist;
//! 2. otherwise `chromium` on `PATH` (Debian's package installs `/usr/bin/chromium`);
//! 3. otherwise, on a machine with `apt-get`, it says so loudly and runs
//!    `apt-get install -y chromium` (after `apt-get update` when the first attempt fails),
//!    which needs root; anything else fails with what to do. The tests never skip for
//!    want of a browser.
//!
//! The test side (`tests/src/tools.rs`, `chromium()`) looks for it by the same rule.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The variable that names the browser's executable, overriding the search.
pub const ENV: &str = "APIGEN_CHROMIUM";

/// The executable's name on `PATH`, and Debian's package of it.
const PROGRAM: &str = "chromium";

/// Why no browser is available; the message says what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Failure(String);

/// The browser's executable: found, or installed with apt-get. Prints which and its
/// version.
pub fn install() -> Result<PathBuf, Failure> {
    if let Some(path) = env::var_os(ENV).filter(|path| !path.is_empty()) {
        let path = PathBuf::from(path);
        if !path.is_file() {
            return Err(Failure(format!(
                "{ENV} is set to `{}`, which is not a file: point it at a Chromium or Chrome \
                 executable, or unset it to use `{PROGRAM}` from PATH",
                path.display()
            )));
        }
        report(&format!("found (from {ENV})"), &path);
        return Ok(path);
    }
    if let Some(path) = on_path(PROGRAM) {
        report("found", &path);
        return Ok(path);
    }
    if on_path("apt-get").is_none() {
        return Err(Failure(format!(
            "no browser for the reference-page tests: `{PROGRAM}` is not on PATH, and this \
             machine has no apt-get to install Debian's `{PROGRAM}` package. Install Chromium \
             (or Chrome) and put `{PROGRAM}` on PATH, or set {ENV} to its executable, then \
             run `cargo xtask test` again"
        )));
    }
    println!(
        "tools: `{PROGRAM}` is not on PATH; the reference-page tests need it. Installing \
         Debian's `{PROGRAM}` package: apt-get install -y {PROGRAM} (needs root)"
    );
    if !apt_get(&["install", "-y", PROGRAM]) {
        println!("tools: apt-get install failed; refreshing the package lists and trying again");
        if !apt_get(&["update"]) || !apt_get(&["install", "-y", PROGRAM]) {
            return Err(Failure(format!(
                "could not install Debian's `{PROGRAM}` package with apt-get (its output is \
                 above; it needs root and access to the Debian mirrors). Install it yourself \
                 (`sudo apt-get install {PROGRAM}`), or set {ENV} to a Chromium or Chrome \
                 executable, then run `cargo xtask test` again"
            )));
        }
    }
    match on_path(PROGRAM) {
        Some(path) => {
            report("installed", &path);
            Ok(path)
        }
        None => Err(Failure(format!(
            "apt-get installed `{PROGRAM}`, yet `{PROGRAM}` is not on PATH: add the folder \
             of its executable to PATH, or set {ENV} to it, then run `cargo xtask test` again"
        ))),
    }
}

/// The first file named `program` in a folder of `PATH`.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|folder| folder.join(program))
        .find(|candidate| candidate.is_file())
}

/// Runs `apt-get` with `args`, its output shown as it comes; whether it succeeded.
fn apt_get(args: &[&str]) -> bool {
    println!("tools: $ apt-get {}", args.join(" "));
    Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .is_ok_and(|status| status.success())
}

/// Prints which browser the tests will use, and its version.
fn report(how: &str, path: &Path) {
    let version = Command::new(path)
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .filter(|version| !version.is_empty())
        .unwrap_or_else(|| "version unknown".to_owned());
    println!("tools: browser {how}: {} ({version})", path.display());
}
