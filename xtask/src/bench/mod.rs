//! `cargo xtask bench [--peers] [--only DOCUMENT] [--skip-compile] [--skip-requests] [--ours]`:
//! figures for what users of the toolchain wait for, side by side with the peers.
//!
//! - **Generation** ([`generation`]): each document turned into a crate, whole process,
//!   median wall time and peak memory, and the lines written.
//! - **Compile cost** ([`compile`], with `--peers`): `cargo check` and `cargo build` of
//!   each generated crate alone, wall time and peak memory, and its warnings.
//! - **Breaking changes on real history** ([`history`], with `--peers`): `cargo xtask
//!   diff` between two published versions of GitHub's description, timed.
//! - **Requests** ([`requests`]): the generated server against a hand-written axum
//!   handler, the generated client against a hand-written reqwest call, on two endpoints.
//!
//! Plain `bench` measures our generator on the four services and the requests: a few
//! minutes. `--peers` adds progenitor 0.15.1 and openapi-generator 7.26.0 (installed
//! pinned under `target/tools` on first use), three large public documents (GitHub,
//! Zuora, Kubernetes; fetched pinned with npm into `target/bench`), and the compile
//! step; it takes about an hour on 2 CPUs, most of it compiling GitHub's crates, and
//! writes `docs/benchmarks.md`. `--only`, `--skip-compile`, `--skip-requests` and `--ours`
//! (our generator alone, without installing or running the peers) are for iterating: a run with any of them prints its tables but writes nothing.
//!
//! The command fails when any of our own figures is a crash or an error; a peer's
//! failure (progenitor panicking on a document, say) is a result, shown in the table.
//! Scratch workspaces, logs and target folders are under `target/bench/`.

mod compile;
mod documents;
mod generation;
mod history;
mod measure;
mod report;
mod requests;

use crate::tools;
use generation::{Executables, Tool};
use measure::Ending;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// What went wrong, in words a user can act on.
type Failure = String;

/// The load generator, pinned.
const OHA: tools::CargoTool = tools::CargoTool {
    name: "oha",
    version: "1.16.0",
    bin: "oha",
};

/// Progenitor's command-line generator, pinned.
const PROGENITOR: tools::CargoTool = tools::CargoTool {
    name: "cargo-progenitor",
    version: "0.15.1",
    bin: "cargo-progenitor",
};

/// Where things are.
pub struct Paths {
    /// The workspace.
    root: PathBuf,
    /// Its target folder.
    target: PathBuf,
    /// `target/bench`: scratch workspaces, generated crates, target folders, documents.
    bench: PathBuf,
    /// `target/bench/logs`: the output of every measured command.
    logs: PathBuf,
}

/// The command line's choices.
#[derive(Default)]
struct Options {
    peers: bool,
    only: Option<String>,
    skip_compile: bool,
    skip_requests: bool,
    ours: bool,
}

const USAGE: &str = "usage: cargo xtask bench [--peers] [--only DOCUMENT] [--skip-compile] [--skip-requests] [--ours]";

/// `cargo xtask bench ARGS`.
pub fn main(root: &Path, args: &[&str]) -> ExitCode {
    if let ["--measure", rest @ ..] = args {
        return measure::measuring_process(rest);
    }
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--peers" => options.peers = true,
            "--skip-compile" => options.skip_compile = true,
            "--skip-requests" => options.skip_requests = true,
            "--ours" => options.ours = true,
            "--only" => match args.next() {
                Some(name) => options.only = Some((*name).to_owned()),
                None => {
                    eprintln!("error: --only needs a document's name\n{USAGE}");
                    return ExitCode::FAILURE;
                }
            },
            other => {
                eprintln!("error: unknown argument `{other}`\n{USAGE}");
                return ExitCode::FAILURE;
            }
        }
    }
    match run(root, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path, options: &Options) -> Result<(), Failure> {
    let started = Instant::now();
    let target = tools::target_dir(root);
    let paths = Paths {
        root: root.to_owned(),
        bench: target.join("bench"),
        logs: target.join("bench/logs"),
        target,
    };

    measure::prepare(&paths.bench)?;
    // Tools first: a missing one fails before anything is measured.
    let oha = if options.skip_requests {
        None
    } else {
        Some(tools::cargo_install(root, &OHA).map_err(|e| e.to_string())?)
    };
    println!("bench: building the generator (release)");
    status(crate::cargo::command().current_dir(root).args([
        "build",
        "--release",
        "--quiet",
        "--package",
        "xtask",
    ]))?;
    let mut executables = Executables {
        xtask: paths.target.join("release/xtask"),
        progenitor: None,
        openapi_generator: None,
    };
    // `--only history` runs the breaking-change check alone.
    let history_only = options.only.as_deref() == Some(history::NAME);
    let mut tools = vec![Tool::Apigen];
    if options.peers && !history_only && !options.ours {
        executables.progenitor =
            Some(tools::cargo_install(root, &PROGENITOR).map_err(|e| e.to_string())?);
        let peers = tools::install_peers(root).map_err(|e| e.to_string())?;
        executables.openapi_generator = peers.into_iter().next();
        tools.extend([Tool::Progenitor, Tool::OpenapiGenerator]);
    }

    let documents = if history_only {
        Vec::new()
    } else {
        documents::documents(root, options.peers, options.only.as_deref())?
    };
    let mut generations = Vec::new();
    for document in &documents {
        for &tool in &tools {
            let generation = generation::generate(&paths, &executables, tool, document)?;
            println!(
                "generate {:<14} {:<26} {}",
                document.name,
                tool.label(),
                match generation.ending() {
                    Ending::Success => format!(
                        "{:.2} s (median of {}), {:.0} MB, {} lines",
                        generation.seconds(),
                        generation.runs.len(),
                        generation.peak_bytes() as f64 / 1e6,
                        generation.lines
                    ),
                    ending => format!(
                        "{} (see {})",
                        ending.describe(),
                        generation
                            .runs
                            .last()
                            .map_or(Path::new(""), |r| &r.log)
                            .display()
                    ),
                }
            );
            generations.push(generation);
        }
    }

    let mut compiles = Vec::new();
    if options.peers && !options.skip_compile {
        for generation in generations.iter().filter(|g| g.ending() == Ending::Success) {
            let compile = compile::compile(&paths, generation)?;
            let shown = |m: &Option<measure::Measured>| {
                m.as_ref().map_or("–".to_owned(), |m| {
                    format!(
                        "{} {:.1} s, {:.2} GB",
                        m.ending.describe(),
                        m.seconds,
                        m.peak_bytes as f64 / 1e9
                    )
                })
            };
            println!(
                "compile  {:<14} {:<26} {}",
                generation.document,
                generation.tool.label(),
                match &compile.dependencies {
                    Some(ending) => format!("dependencies {}", ending.describe()),
                    None => format!(
                        "check {} ({} warnings); build {}",
                        shown(&compile.check),
                        compile.warnings,
                        shown(&compile.build)
                    ),
                }
            );
            compiles.push(compile);
        }
    }

    let history = if options.peers && (options.only.is_none() || history_only) {
        let history = history::run(&paths)?;
        println!(
            "diff     {}: {:.2} s (median of {}), {:.0} MB, {:?}",
            history.compared,
            history.seconds(),
            history.runs.len(),
            history.peak_bytes() as f64 / 1e6,
            history.classes
        );
        Some(history)
    } else {
        None
    };

    let requests = match &oha {
        Some(oha) => Some(requests::run(&paths, oha)?),
        None => None,
    };

    let report = report::Report {
        documents: &documents,
        generations: &generations,
        compiles: &compiles,
        requests: requests.as_ref(),
        history: history.as_ref(),
        command: "cargo xtask bench --peers".to_owned(),
        seconds: started.elapsed().as_secs_f64(),
    };
    println!("\n{}", report.tables());
    let complete = options.peers
        && options.only.is_none()
        && !options.skip_compile
        && !options.skip_requests
        && !options.ours;
    if complete {
        let markdown = root.join("docs/benchmarks.md");
        std::fs::write(&markdown, report.markdown())
            .map_err(|e| format!("cannot write {}: {e}", markdown.display()))?;
        println!("bench: wrote {}", markdown.display());
    }
    println!(
        "bench: done in {:.1} minutes",
        started.elapsed().as_secs_f64() / 60.0
    );
    ours_held(&generations, &compiles)
}

/// Fails when one of our own figures is a crash or an error.
fn ours_held(
    generations: &[generation::Generation],
    compiles: &[compile::Compile],
) -> Result<(), Failure> {
    let mut failures = Vec::new();
    for generation in generations.iter().filter(|g| g.tool == Tool::Apigen) {
        let ending = generation.ending();
        if ending != Ending::Success {
            let log = generation.runs.last().map(|r| r.log.display().to_string());
            failures.push(format!(
                "generating {} {} (see {})",
                generation.document,
                ending.describe(),
                log.unwrap_or_default()
            ));
        }
    }
    for compile in compiles.iter().filter(|c| c.tool == Tool::Apigen) {
        if !compile.succeeded() {
            failures.push(format!(
                "compiling our {} crate failed (see target/bench/logs/*-apigen-{}.log)",
                compile.document, compile.document
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "our own figures have errors:\n  {}",
            failures.join("\n  ")
        ))
    }
}

/// Runs `command`, which must succeed.
fn status(command: &mut Command) -> Result<(), Failure> {
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "`{}` failed ({status})",
            measure::describe(command)
        )),
        Err(error) => Err(format!(
            "cannot run `{}`: {error}",
            measure::describe(command)
        )),
    }
}
