//! `cargo xtask`: the project's own commands.
//!
//! - `cargo xtask codegen` regenerates `generated/` from `openapi/`;
//! - `cargo xtask codegen --check` changes nothing and fails if `generated/` is stale;
//! - `cargo xtask diff OLD NEW` lists the changes between two documents (see `diff`);
//! - `cargo xtask test` installs the pinned external tools, then runs every test;
//! - `cargo xtask fuzz [SECONDS]` fuzzes the generator (see `fuzz`);
//! - `cargo xtask docs` builds the reference pages (see `docs`).

mod bench;
mod browser;
mod cargo;
mod conformance;
mod diff;
mod docs;
mod fuzz;
mod operations;
mod records;
mod tools;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Generating a large document makes and drops millions of small tokens and syntax
/// nodes: with the system's allocator, allocating and freeing them was a third of
/// `codegen`'s time on GitHub's description.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  codegen [--check] [--verbose]
                      regenerate generated/ from openapi/ (--check: change nothing, fail if
                      stale; --verbose: print every warning, not a summary); refuses a change
                      that breaks the clients of the published version
                      (generated/openapi/<service>/<info.version>.json): bump info.version
  diff OLD NEW [--format text|json] [--fail-on CLASS]
                      every change from OLD to NEW (files, or git:REV:PATH), with its JSON
                      pointer in both and its class: breaks-clients, breaks-implementations
                      or compatible; exits 1 when a change reaches CLASS (default
                      breaks-clients), 2 when a document cannot be read
  test [ARGS]         install the pinned external tools, build the mock servers, run every test
                      (ARGS go to cargo test), then clippy and rustdoc with warnings as errors,
                      then fuzz the generator for 60 seconds
  bench [--peers] [--only DOCUMENT] [--skip-compile] [--skip-requests] [--ours]
                      time our generator on the four services (whole process, peak
                      memory), and load the generated servers and clients against
                      hand-written ones; --peers adds progenitor and openapi-generator
                      (installed pinned under target/tools), GitHub's, Zuora's and
                      Kubernetes' documents, and the compile cost of every generated
                      crate, the time `diff` takes between two versions of GitHub's
                      document (`--only history` for that step alone), and writes
                      docs/benchmarks.md (about an hour)
  conformance [PATH...]
                      generate and `cargo check` every Swagger 2.0 and OpenAPI 3.0, 3.1 and
                      3.2 document under PATHs (files or folders; default: a pinned corpus
                      installed with npm and pip) and report which compile, per version
                      (table on stdout and in docs/conformance.md); fails on a crash, and on
                      the default corpus below 95% compiled, below 98% of one version's
                      documents, or without GitHub
  fuzz [SECONDS]      fuzz load -> lower -> emit with libFuzzer (cargo-fuzz, installed once;
                      target codegen/fuzz) for SECONDS (default 600); prints the figures, and
                      fails on a crash, saying where the input was saved and how to reproduce it
  serve SERVICE [--addr HOST:PORT]
                      serve the examples of openapi/SERVICE.yaml through its generated router
                      (default address 127.0.0.1:8080), the document at /openapi.json and
                      /openapi.yaml, and its reference page at /docs (built when stale)
  docs                build the reference pages (one static HTML page per service, and an
                      index) into target/reference/ with the pinned Redocly (installed once)

environment:
  APIGEN_WORKSPACE    the workspace to work on (default: the one this binary belongs to)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = workspace_root();
    match args[..] {
        ["codegen", ref flags @ ..]
            if flags
                .iter()
                .all(|flag| ["--check", "--verbose"].contains(flag)) =>
        {
            codegen(
                &root,
                flags.contains(&"--check"),
                flags.contains(&"--verbose"),
            )
        }
        ["test", ref rest @ ..] => test(&root, rest),
        ["bench", ref rest @ ..] => bench::main(&root, rest),
        ["diff", ref rest @ ..] => diff::run(rest),
        ["conformance", ref paths @ ..] => match conformance::run(&root, paths) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => {
                eprintln!("error: {failure}");
                ExitCode::FAILURE
            }
        },
        ["fuzz"] => run_fuzz(&root, fuzz::DEFAULT_SECONDS),
        ["fuzz", seconds] => match seconds.parse() {
            Ok(seconds) => run_fuzz(&root, seconds),
            Err(_) => {
                eprintln!("error: `{seconds}` is not a number of seconds\n\n{USAGE}");
                ExitCode::FAILURE
            }
        },
        ["docs"] => match docs::build(&root) {
            Ok(_) => ExitCode::SUCCESS,
            Err(failure) => {
                eprintln!("error: {failure}");
                ExitCode::FAILURE
            }
        },
        ["serve", service] => serve(&root, service, "127.0.0.1:8080"),
        ["serve", service, "--addr", address] => serve(&root, service, address),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace this binary belongs to, or `APIGEN_WORKSPACE` when set (the xtask tests
/// run the binary on scratch copies of `openapi/` and `generated/`).
fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("APIGEN_WORKSPACE").filter(|root| !root.is_empty()) {
        return PathBuf::from(root);
    }
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_owned()
}

/// A tree `cargo xtask codegen` keeps: a folder of documents and the folder its crates go
/// to.
struct Tree {
    /// The documents, relative to the workspace root.
    source: &'static str,
    /// The crates, relative to the workspace root.
    output: &'static str,
    /// Whether the documents are published for other languages, in
    /// `<output>/openapi/` (see `apigen_codegen::publish`).
    publish: bool,
}

/// `openapi/` holds the services, whose documents are published; `tests/openapi/` holds
/// documents that exist to exercise the generator (one feature area each), generated and
/// checked in the same way so the tests can compile and serve them.
const TREES: [Tree; 2] = [
    Tree {
        source: "openapi",
        output: "generated",
        publish: true,
    },
    Tree {
        source: "tests/openapi",
        output: "tests/generated",
        publish: false,
    },
];

/// The options for the crates of a tree: the runtime is found by a relative path, one
/// `..` per folder between the crate and the workspace root.
fn options(output: &str) -> apigen_codegen::Options {
    let depth = output.split('/').count() + 1;
    apigen_codegen::Options {
        runtime_path: format!("{}codegen/runtime", "../".repeat(depth)),
    }
}

/// The documents of a tree: every `*.yaml`, `*.yml` and `*.json` directly in `folder`
/// (shared parts live in subfolders such as `openapi/common/` and are not services).
fn documents(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !folder.exists() {
        return Ok(Vec::new());
    }
    let mut documents: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json")
        })
        .collect();
    documents.sort();
    Ok(documents)
}

/// How many of a document's warnings `codegen` prints in full without `--verbose`.
const WARNINGS_SHOWN: usize = 5;

fn codegen(root: &Path, check: bool, verbose: bool) -> ExitCode {
    // Generate everything before writing anything: one broken document stops the run
    // with every output folder untouched.
    let mut trees = Vec::new();
    let mut failed = false;
    for tree in &TREES {
        let documents = match documents(&root.join(tree.source)) {
            Ok(documents) => documents,
            Err(error) => {
                eprintln!("error: cannot list {}/: {error}", tree.source);
                return ExitCode::FAILURE;
            }
        };
        let mut crates = Vec::new();
        let mut published = Vec::new();
        for document in &documents {
            let relative = document.strip_prefix(root).unwrap_or(document);
            let source = relative.to_string_lossy().replace('\\', "/");
            let options = options(tree.output);
            let shown = relative_or_absolute(root, document);
            let generated = apigen_codegen::generate_with(shown.as_path(), &source, &options)
                .and_then(|generated| {
                    if tree.publish {
                        let files = apigen_codegen::publish::documents(&generated, &shown)
                            .map_err(|error| apigen_codegen::Errors(vec![error]))?;
                        published.extend(files);
                    }
                    Ok(generated)
                });
            match generated {
                Ok(generated) => {
                    if !generated.warnings.is_empty() {
                        let shown = (!verbose).then_some(WARNINGS_SHOWN);
                        let summary = apigen_codegen::error::summary(&generated.warnings, shown);
                        eprintln!("warning: {source}: {summary}");
                        if !verbose && generated.warnings.len() > WARNINGS_SHOWN {
                            eprintln!("(`cargo xtask codegen --verbose` prints every warning)");
                        }
                    }
                    crates.push(generated);
                }
                Err(errors) => {
                    eprintln!("{errors}");
                    failed = true;
                }
            }
        }
        let published = tree.publish.then_some(published);
        trees.push((tree.output, documents.len(), crates, published));
    }
    if failed {
        eprintln!(
            "\nnothing was written: fix the documents above and run `cargo xtask codegen` again"
        );
        return ExitCode::FAILURE;
    }
    // The records of published versions: a change that breaks their clients stops the
    // run, check or not, before anything is written.
    let mut records = Vec::new();
    for (output, _, crates, published) in &trees {
        if let Some(published) = published {
            match records::plan(root, output, crates, published) {
                Ok(plan) => records.push((*output, plan)),
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let refusals: Vec<&String> = records
        .iter()
        .flat_map(|(_, plan)| &plan.refusals)
        .collect();
    if !refusals.is_empty() {
        for refusal in refusals {
            eprintln!("{refusal}");
        }
        eprintln!("\nnothing was written");
        return ExitCode::FAILURE;
    }
    if check {
        let mut stale = Vec::new();
        for (output, count, crates, published) in &trees {
            let mut lines = write::stale(&root.join(output), crates);
            if let (Ok(lines), Some(published)) = (&mut lines, published) {
                match write::stale_published(&root.join(output).join(write::PUBLISHED), published) {
                    Ok(more) => lines.extend(more),
                    Err(error) => {
                        eprintln!("error: {error}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            match lines {
                Ok(lines) if lines.is_empty() => {
                    println!("{output}/ is up to date with {count} documents");
                }
                Ok(lines) => {
                    stale.extend(lines.into_iter().map(|line| format!("{output}/: {line}")))
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
        for (output, plan) in &records {
            stale.extend(
                plan.stale()
                    .into_iter()
                    .map(|line| format!("{output}/: {line}")),
            );
        }
        if stale.is_empty() {
            return ExitCode::SUCCESS;
        }
        eprintln!("generated code is stale:");
        for line in stale {
            eprintln!("  {line}");
        }
        eprintln!("run `cargo xtask codegen` to regenerate it");
        return ExitCode::FAILURE;
    }
    // One run at a time writes: a second waits here for the first. (A check only
    // reads, and each crate is swapped in whole, so it needs no lock.)
    let _lock = match write::lock(root) {
        Ok(lock) => lock,
        Err(error) => {
            eprintln!("error: cannot take the codegen lock: {error}");
            return ExitCode::FAILURE;
        }
    };
    for (output, _, crates, published) in &trees {
        if crates.is_empty() && !root.join(output).exists() {
            continue;
        }
        match write::write(&root.join(output), &root.join(write::STAGING), crates) {
            Ok(report) => println!("{output}/: {report}"),
            Err(error) => {
                eprintln!(
                    "error: {error}\n({output}/ keeps every crate that was not yet replaced, whole)"
                );
                return ExitCode::FAILURE;
            }
        }
        if let Some(published) = published {
            let folder = root.join(output).join(write::PUBLISHED);
            match write::write_published(&folder, published) {
                Ok(report) => println!("{output}/{}/: {report}", write::PUBLISHED),
                Err(error) => {
                    eprintln!(
                        "error: {error}\n({output}/{}/ keeps every document that was not yet replaced, whole)",
                        write::PUBLISHED
                    );
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    for (output, plan) in &records {
        match plan.write() {
            Ok(report) => println!("{output}/{}/: {report}", write::PUBLISHED),
            Err(error) => {
                eprintln!("error: cannot write a record of a published version: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

/// Paths in messages are relative to the workspace root when the command runs there.
fn relative_or_absolute(root: &Path, document: &Path) -> PathBuf {
    match std::env::current_dir() {
        Ok(dir) if dir == root => document.strip_prefix(root).unwrap_or(document).to_owned(),
        _ => document.to_owned(),
    }
}

/// Installs the pinned tools, runs every test, then holds the workspace to its lints:
/// clippy and rustdoc warnings fail the run like a failing test does. Last, a short fuzz
/// run: it builds the fuzz target (so a change that breaks it fails here, not weeks later
/// on someone's long run) and tries the generator on a minute of arbitrary documents. It
/// adds about two minutes once built, eight on a fresh clone (cargo-fuzz is installed and
/// the generator built again, instrumented).
fn test(root: &Path, extra: &[&str]) -> ExitCode {
    if cargo::dev_null_is_plain() {
        println!(
            "xtask: note: /dev/null is a plain file on this machine, not the null device; \
             cargo reads it as source in a new target folder, so xtask empties it before \
             each cargo it starts (see xtask/src/cargo.rs)"
        );
    }
    if let Err(error) = tools::install(root) {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    // The reference-page tests load the pages, built here, in a headless browser.
    if let Err(failure) = browser::install() {
        eprintln!("error: {failure}");
        return ExitCode::FAILURE;
    }
    if let Err(failure) = docs::build(root) {
        eprintln!("error: {failure}");
        return ExitCode::FAILURE;
    }
    let mut test = vec!["test", "--workspace"];
    test.extend(extra);
    // The tests run the very binaries `cargo xtask serve` runs.
    let mocks = ["build", "--workspace", "--bins", "--all-features"];
    let clippy = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    let doc = ["doc", "--workspace", "--no-deps"];
    // Each step: cargo's arguments, and an environment variable it needs.
    type Step<'a> = (&'a [&'a str], Option<(&'a str, &'a str)>);
    let steps: [Step; 4] = [
        (&mocks, None),
        (&test, None),
        (&clippy, None),
        (&doc, Some(("RUSTDOCFLAGS", "-D warnings"))),
    ];
    for (args, env) in steps {
        println!("xtask: cargo {}", args.join(" "));
        let status = cargo::command()
            .current_dir(root)
            .args(args)
            .envs(env)
            .status();
        match status {
            Ok(status) if status.success() => {}
            Ok(_) => {
                eprintln!("xtask: `cargo {}` failed", args.join(" "));
                return ExitCode::FAILURE;
            }
            Err(error) => {
                eprintln!("error: cannot run cargo: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("xtask: fuzz {}", fuzz::SMOKE_SECONDS);
    run_fuzz(root, fuzz::SMOKE_SECONDS)
}

fn run_fuzz(root: &Path, seconds: u64) -> ExitCode {
    match fuzz::run(root, seconds) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::FAILURE
        }
    }
}

/// Serves the examples of one document: runs its crate's `<service>-mock` binary.
fn serve(root: &Path, service: &str, address: &str) -> ExitCode {
    let manifest = root.join("generated").join(service).join("Cargo.toml");
    if !manifest.is_file() {
        let known: Vec<String> = std::fs::read_dir(root.join("generated"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|entry| entry.path().join("Cargo.toml").is_file())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        eprintln!(
            "error: no generated crate `{service}`; the services are: {}",
            known.join(", ")
        );
        return ExitCode::FAILURE;
    }
    let page = match docs::page(root, service) {
        Ok(page) => page,
        Err(failure) => {
            eprintln!("error: the reference page for /docs: {failure}");
            return ExitCode::FAILURE;
        }
    };
    let bin = format!("{service}-mock");
    let status = cargo::command()
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "--package",
            service,
            "--features",
            "mock",
            "--bin",
            &bin,
            "--",
            "--addr",
            address,
        ])
        .arg("--docs")
        .arg(&page)
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: cannot run cargo: {error}");
            ExitCode::FAILURE
        }
    }
}
