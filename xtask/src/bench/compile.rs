//! Compile cost: `cargo check` and `cargo build` (the dev profile) of each generated
//! crate with its dependencies already built, so the figure is the crate alone, as a
//! user who changed the document and regenerated it waits for it.
//!
//! The dependencies are built first with the crate's `src/lib.rs` emptied (cheaper than
//! building the crate twice: GitHub's takes minutes); then the real sources come back,
//! every file of the crate newer than the build, and each command is measured once. Each
//! tool has a target folder of its own under `target/bench/target/`, shared by its
//! documents.

use super::generation::{Generation, Tool, rust_files};
use super::measure::{self, Ending, Measured};
use super::{Failure, Paths};
use std::fs;
use std::path::Path;
use std::time::SystemTime;

/// The compile figures of one generated crate.
pub struct Compile {
    /// The tool that generated it.
    pub tool: Tool,
    /// The document's name.
    pub document: String,
    /// Building its dependencies, when that failed (then nothing was measured).
    pub dependencies: Option<Ending>,
    /// `cargo check` of the crate alone.
    pub check: Option<Measured>,
    /// The warnings `cargo check` printed for the crate.
    pub warnings: usize,
    /// `cargo build` of the crate alone.
    pub build: Option<Measured>,
    /// For our crate of a document large enough to have a feature per tag: `cargo
    /// check` with only one tag's feature (the tag, and the figure), as a user who
    /// needs a few operations of the API compiles it.
    pub one_tag: Option<(String, Measured)>,
}

impl Compile {
    /// Whether every step succeeded.
    pub fn succeeded(&self) -> bool {
        self.dependencies.is_none()
            && [&self.check, &self.build]
                .iter()
                .all(|step| step.as_ref().is_some_and(|m| m.ending == Ending::Success))
    }
}

/// Measures the compile cost of `generation`'s crate.
pub fn compile(paths: &Paths, generation: &Generation) -> Result<Compile, Failure> {
    let tool = generation.tool;
    let manifest = generation.crate_dir.join("Cargo.toml");
    let package = package_name(&manifest)?;
    let tags = tag_features(&manifest)?;
    let target = paths.bench.join("target").join(tool.slug());
    let cargo_with = |step: &str, features: &[&str]| {
        let mut command = crate::cargo::command();
        command
            .current_dir(&generation.cargo_dir)
            .args([step, "--package", &package])
            .args(features)
            .env("CARGO_TARGET_DIR", &target);
        command
    };
    // The whole crate: with every tag's operations when it has a feature per tag.
    let whole = match (tool, tags.is_empty()) {
        (Tool::Apigen, false) => &["--features", "client,server,all"][..],
        _ => tool.cargo_features(),
    };
    let cargo = |step: &str| cargo_with(step, whole);
    let log = |step: &str| {
        paths.logs.join(format!(
            "{step}-{}-{}.log",
            tool.slug(),
            generation.document
        ))
    };
    let mut compile = Compile {
        tool,
        document: generation.document.clone(),
        dependencies: None,
        check: None,
        warnings: 0,
        build: None,
        one_tag: None,
    };

    // The dependencies, with the crate emptied.
    let lib = generation.crate_dir.join("src/lib.rs");
    let held = generation.crate_dir.join("src/lib.rs.bench-held");
    fs::rename(&lib, &held).map_err(|e| format!("cannot move {}: {e}", lib.display()))?;
    let prebuilt = fs::write(&lib, "").map_err(|e| format!("cannot write {}: {e}", lib.display()));
    let mut dependencies = Ok(Ending::Success);
    if prebuilt.is_ok() {
        for step in ["check", "build"] {
            dependencies = measure::measure(&cargo(step), &log(&format!("dependencies-{step}")))
                .map(|measured| measured.ending);
            if dependencies
                .as_ref()
                .is_ok_and(|ending| *ending != Ending::Success)
            {
                break;
            }
        }
    }
    fs::rename(&held, &lib).map_err(|e| format!("cannot move back {}: {e}", lib.display()))?;
    prebuilt?;
    match dependencies? {
        Ending::Success => {}
        ending => {
            compile.dependencies = Some(ending);
            return Ok(compile);
        }
    }

    touch(&generation.crate_dir.join("src"))?;
    let check = measure::measure(&cargo("check"), &log("check"))?;
    compile.warnings = warnings(&fs::read_to_string(&check.log).unwrap_or_default());
    compile.check = Some(check);
    touch(&generation.crate_dir.join("src"))?;
    compile.build = Some(measure::measure(&cargo("build"), &log("build"))?);
    if let Some(tag) = tags
        .iter()
        .find(|tag| *tag == ONE_TAG)
        .or_else(|| tags.first())
    {
        touch(&generation.crate_dir.join("src"))?;
        let features = format!("client,server,{tag}");
        let check = cargo_with("check", &["--features", &features]);
        compile.one_tag = Some((
            tag.clone(),
            measure::measure(&check, &log("check-one-tag"))?,
        ));
    }
    Ok(compile)
}

/// The tag whose feature alone is measured when the crate has it: GitHub's `issues`, a
/// middling one (about 50 of its 1,223 operations).
const ONE_TAG: &str = "issues";

/// The tag features of a crate's manifest: the members of its `all` feature but
/// `unused-schemas`; none when it has no `all` (a document small enough to compile
/// whole).
fn tag_features(manifest: &Path) -> Result<Vec<String>, Failure> {
    let text = fs::read_to_string(manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let Some(all) = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("all = ["))
    else {
        return Ok(Vec::new());
    };
    Ok(all
        .trim_end_matches(']')
        .split(',')
        .map(|tag| tag.trim().trim_matches('"').to_owned())
        .filter(|tag| !tag.is_empty() && tag != "unused-schemas")
        .collect())
}

/// The package name in a manifest's `[package]`.
fn package_name(manifest: &Path) -> Result<String, Failure> {
    let text = fs::read_to_string(manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    text.lines()
        .find_map(|line| {
            let value = line
                .trim()
                .strip_prefix("name")?
                .trim_start()
                .strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .ok_or_else(|| format!("{} names no package", manifest.display()))
}

/// Makes every Rust file under `folder` newer than any build of it.
fn touch(folder: &Path) -> Result<(), Failure> {
    let now = SystemTime::now();
    for file in rust_files(folder)? {
        fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|handle| handle.set_modified(now))
            .map_err(|e| format!("cannot touch {}: {e}", file.display()))?;
    }
    Ok(())
}

/// The warnings cargo counted for the crate: `warning: `NAME` (lib) generated N
/// warnings` (with `(N duplicates)` at times), summed over its targets.
fn warnings(log: &str) -> usize {
    log.lines()
        .filter(|line| line.starts_with("warning: `"))
        .filter_map(|line| {
            let count = line.split(" generated ").nth(1)?;
            count.split_whitespace().next()?.parse::<usize>().ok()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn cargo_s_summary_of_warnings_is_counted() {
        let log = "warning: unused variable: `checker`\n\
                   warning: `github` (lib) generated 24 warnings (1 duplicate)\n\
                   warning: `github` (bin \"github-mock\") generated 1 warning\n";
        assert_eq!(super::warnings(log), 25);
    }
}
