//! Generation: each tool turns each document into a crate, as a whole process, a few
//! times; the median wall time, the peak memory and the lines of Rust it wrote.
//!
//! - **apigen**: the release build of this binary running `codegen` on a scratch
//!   workspace `target/bench/apigen/<document>/` holding only the document (so the
//!   figure is the command a user runs, publishing included), with the runtime beside
//!   it so the crate can be compiled there;
//! - **progenitor**: `cargo-progenitor progenitor -i DOCUMENT -o DIR -n NAME -v 0.1.0`;
//! - **openapi-generator**: `openapi-generator-cli generate -g rust -i DOCUMENT -o DIR
//!   --package-name NAME --additional-properties packageVersion=0.1.0`.

use super::documents::Document;
use super::measure::{self, Ending, Measured};
use super::{Failure, Paths};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Generation runs per tool and document; the table shows the median.
pub const RUNS: usize = 3;

/// A code generator the benchmark measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// This repository's generator.
    Apigen,
    /// Oxide's progenitor, through `cargo-progenitor`.
    Progenitor,
    /// openapi-generator's `rust` generator.
    OpenapiGenerator,
}

impl Tool {
    /// The tool's folder name under `target/bench`.
    pub fn slug(self) -> &'static str {
        match self {
            Tool::Apigen => "apigen",
            Tool::Progenitor => "progenitor",
            Tool::OpenapiGenerator => "openapi-generator",
        }
    }

    /// The tool as the table names it.
    pub fn label(self) -> &'static str {
        match self {
            Tool::Apigen => "apigen",
            Tool::Progenitor => "progenitor 0.15.1",
            Tool::OpenapiGenerator => "openapi-generator 7.26.0",
        }
    }

    /// What the compile step builds, as cargo's arguments: ours with both sides, the
    /// peers as they come, except that openapi-generator's client uses rustls as ours
    /// does (its default, native-tls, would add OpenSSL to the comparison).
    pub fn cargo_features(self) -> &'static [&'static str] {
        match self {
            Tool::Apigen => &["--features", "client,server"],
            Tool::Progenitor => &[],
            Tool::OpenapiGenerator => &["--no-default-features", "--features", "rustls"],
        }
    }
}

/// The executables each tool runs with.
pub struct Executables {
    /// The release build of this binary.
    pub xtask: PathBuf,
    /// `cargo-progenitor`, when the peers are measured.
    pub progenitor: Option<PathBuf>,
    /// `openapi-generator-cli`, when the peers are measured.
    pub openapi_generator: Option<PathBuf>,
}

/// What one tool made of one document.
pub struct Generation {
    /// The tool.
    pub tool: Tool,
    /// The document's name.
    pub document: String,
    /// Every run, the last one first to fail.
    pub runs: Vec<Measured>,
    /// Where the crate is (the last run's output).
    pub crate_dir: PathBuf,
    /// Where cargo runs to build it: the crate itself, or our scratch workspace.
    pub cargo_dir: PathBuf,
    /// Lines of Rust in the crate.
    pub lines: usize,
}

impl Generation {
    /// How generation ended: the first run that did not succeed, or success.
    pub fn ending(&self) -> Ending {
        self.runs
            .iter()
            .map(|run| run.ending.clone())
            .find(|ending| *ending != Ending::Success)
            .unwrap_or(Ending::Success)
    }

    /// The median wall time of the runs, in seconds.
    pub fn seconds(&self) -> f64 {
        measure::median(&self.runs.iter().map(|run| run.seconds).collect::<Vec<_>>())
    }

    /// The largest peak memory of the runs, in bytes.
    pub fn peak_bytes(&self) -> u64 {
        self.runs
            .iter()
            .map(|run| run.peak_bytes)
            .max()
            .unwrap_or(0)
    }
}

/// Generates `document` with `tool` [`RUNS`] times (once when a run fails).
pub fn generate(
    paths: &Paths,
    executables: &Executables,
    tool: Tool,
    document: &Document,
) -> Result<Generation, Failure> {
    let folder = paths.bench.join(tool.slug()).join(&document.name);
    let (crate_dir, cargo_dir) = match tool {
        Tool::Apigen => (
            folder.join("generated").join(&document.name),
            folder.clone(),
        ),
        _ => (folder.clone(), folder.clone()),
    };
    if tool == Tool::Apigen {
        prepare_workspace(&paths.root, &folder, document)?;
    }
    let mut runs = Vec::new();
    for run in 0..RUNS {
        // Each run writes everything, as a first run does.
        let output = match tool {
            Tool::Apigen => folder.join("generated"),
            _ => folder.clone(),
        };
        if output.exists() {
            fs::remove_dir_all(&output)
                .map_err(|e| format!("cannot empty {}: {e}", output.display()))?;
        }
        let command = command(executables, tool, document, &folder)?;
        let log = paths.logs.join(format!(
            "generate-{}-{}-{run}.log",
            tool.slug(),
            document.name
        ));
        let measured = measure::measure(&command, &log)?;
        let failed = measured.ending != Ending::Success;
        runs.push(measured);
        if failed {
            break;
        }
    }
    let mut generation = Generation {
        tool,
        document: document.name.clone(),
        runs,
        lines: 0,
        crate_dir,
        cargo_dir,
    };
    if generation.ending() == Ending::Success {
        generation.lines = rust_lines(&generation.crate_dir.join("src"))?;
        if tool != Tool::Apigen {
            // A crate generated inside this repository's folder would otherwise be taken
            // for a member of its workspace.
            standalone(&generation.crate_dir.join("Cargo.toml"))?;
        }
    }
    Ok(generation)
}

fn command(
    executables: &Executables,
    tool: Tool,
    document: &Document,
    folder: &Path,
) -> Result<Command, Failure> {
    let peer = |path: &Option<PathBuf>| {
        path.clone()
            .ok_or_else(|| format!("{} is not installed (run with --peers)", tool.label()))
    };
    Ok(match tool {
        Tool::Apigen => {
            let mut command = Command::new(&executables.xtask);
            command
                .arg("codegen")
                .current_dir(folder)
                .env("APIGEN_WORKSPACE", folder);
            command
        }
        Tool::Progenitor => {
            let mut command = Command::new(peer(&executables.progenitor)?);
            command
                .args(["progenitor", "-i"])
                .arg(&document.path)
                .arg("-o")
                .arg(folder)
                .args(["-n", &document.name, "-v", "0.1.0"]);
            command
        }
        Tool::OpenapiGenerator => {
            let mut command = Command::new(peer(&executables.openapi_generator)?);
            command
                .args(["generate", "-g", "rust", "-i"])
                .arg(&document.path)
                .arg("-o")
                .arg(folder)
                .args(["--package-name", &document.name])
                // Else the crate's version is the document's `info.version`, which
                // Cargo refuses when it is not semver (Zuora's is a date).
                .args(["--additional-properties", "packageVersion=0.1.0"]);
            command
        }
    })
}

/// A fresh scratch workspace for our generator: the document in `openapi/`, the real
/// workspace manifest with only the runtime and the generated crate as members, the real
/// lock file (the same dependency versions as the repository), and a copy of the
/// runtime.
fn prepare_workspace(root: &Path, folder: &Path, document: &Document) -> Result<(), Failure> {
    let io = |what: String, e: std::io::Error| format!("cannot {what}: {e}");
    if folder.exists() {
        fs::remove_dir_all(folder).map_err(|e| io(format!("empty {}", folder.display()), e))?;
    }
    fs::create_dir_all(folder.join("openapi"))
        .map_err(|e| io(format!("create {}", folder.display()), e))?;
    fs::copy(
        &document.path,
        folder
            .join("openapi")
            .join(format!("{}.json", document.name)),
    )
    .map_err(|e| io(format!("copy {}", document.path.display()), e))?;
    let manifest = fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| io("read the workspace's Cargo.toml".into(), e))?;
    let members = manifest
        .lines()
        .find(|line| line.starts_with("members = "))
        .ok_or("the workspace's Cargo.toml has no `members = ` line")?;
    let manifest = manifest.replace(members, r#"members = ["codegen/runtime", "generated/*"]"#);
    fs::write(folder.join("Cargo.toml"), manifest)
        .map_err(|e| io("write the scratch Cargo.toml".into(), e))?;
    fs::copy(root.join("Cargo.lock"), folder.join("Cargo.lock"))
        .map_err(|e| io("copy Cargo.lock".into(), e))?;
    copy_folder(
        &root.join("codegen/runtime"),
        &folder.join("codegen/runtime"),
    )
    .map_err(|e| io("copy codegen/runtime".into(), e))
}

fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_folder(&path, &target)?;
        } else {
            fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

/// Makes a generated crate its own workspace.
fn standalone(manifest: &Path) -> Result<(), Failure> {
    let text = fs::read_to_string(manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    if !text.lines().any(|line| line.trim() == "[workspace]") {
        fs::write(manifest, format!("{text}\n[workspace]\n"))
            .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
    }
    Ok(())
}

/// The lines of every `.rs` file under `folder`.
pub fn rust_lines(folder: &Path) -> Result<usize, Failure> {
    Ok(rust_files(folder)?
        .iter()
        .map(|file| fs::read_to_string(file).map_or(0, |text| text.lines().count()))
        .sum())
}

/// Every `.rs` file under `folder`.
pub fn rust_files(folder: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_owned()];
    while let Some(folder) = folders.pop() {
        let entries =
            fs::read_dir(&folder).map_err(|e| format!("cannot list {}: {e}", folder.display()))?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    Ok(files)
}
