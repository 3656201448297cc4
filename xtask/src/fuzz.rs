//! `cargo xtask fuzz [SECONDS]`: arbitrary documents through load, lower and emit, with
//! libFuzzer, until SECONDS have passed or the generator crashes.
//!
//! The target is `codegen/fuzz/fuzz_targets/generate.rs` (a cargo-fuzz project with its
//! own workspace, excluded from the main one: its build needs cargo-fuzz's coverage
//! flags). This command:
//!
//! 1. installs `cargo-fuzz` ([`CARGO_FUZZ_VERSION`]) under `target/tools/cargo`, once;
//! 2. builds the target with `cargo fuzz build --sanitizer none` into `target/fuzz`;
//! 3. writes the seeds into `target/fuzz/seeds/generate`: the documents `codegen`
//!    generates (`openapi/`, and the generator's test documents) and the xtask fixture,
//!    each as it is, bundled by the loader as JSON, and the same JSON behind a YAML
//!    comment (the target picks the parser from the first character), so that both
//!    parsers start from documents that generate;
//! 4. runs the fuzzer binary itself (not `cargo fuzz run`, which would create `corpus/`
//!    and `artifacts/` folders in the source tree) on the corpus
//!    `target/fuzz/corpus/generate`, which grows from run to run, with the dictionary
//!    `codegen/fuzz/generate.dict`;
//! 5. shows libFuzzer's progress every few seconds (its whole output goes to
//!    `target/fuzz/generate.log`), then its figures; on a crash, where the input was
//!    saved and the commands that reproduce and minimize it, and fails.
//!
//! No sanitizer, on purpose: AddressSanitizer needs a nightly compiler (`-Zsanitizer`),
//! and `.ci/run` runs this on stable. Every flag `cargo fuzz build --sanitizer none`
//! passes (`-Cpasses=sancov-module`, `-Cllvm-args=...`) is a stable one, so the same
//! command works on stable and nightly, with nothing like `RUSTC_BOOTSTRAP`. What the
//! sanitizer would add is little here: the generator and its runtime forbid `unsafe`,
//! and the oracle is panics, stack overflows, hangs and runaway memory, which libFuzzer
//! catches without one. (On nightly, `cargo fuzz run --fuzz-dir codegen/fuzz generate`
//! fuzzes with AddressSanitizer over the unsafe code of dependencies such as the YAML
//! parser.) The build keeps debug assertions and overflow checks on.

use crate::tools;
use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `cargo-fuzz`, pinned.
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// The fuzz target (a `[[bin]]` of `codegen/fuzz/Cargo.toml`).
const TARGET: &str = "generate";
/// How long `cargo xtask fuzz` runs without an argument.
pub const DEFAULT_SECONDS: u64 = 600;
/// How long the run `cargo xtask test` ends with lasts.
pub const SMOKE_SECONDS: u64 = 60;
/// One input taking longer is a hang: a seed document takes a few milliseconds, so this
/// leaves room for a loaded CI machine and none for a loop.
const INPUT_TIMEOUT_SECONDS: u64 = 30;
/// How often the fuzzer's progress is shown (libFuzzer writes a line per new input).
const PROGRESS_EVERY: Duration = Duration::from_secs(15);
/// Documents that exercise what the four services do not, seeded alongside them.
/// (`codegen/fuzz/seeds/` holds those written for the fuzzer: what a version's reader
/// reads and refuses.)
const EXTRA_SEEDS: &[&str] = &[
    "xtask/tests/fixtures/inventory.yaml",
    "codegen/fuzz/seeds/openapi-32-edges.yaml",
];

/// Why the fuzzer could not run, or what it found.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Failure(String);

/// Where everything of one fuzz target lives.
struct Paths {
    /// `codegen/fuzz`, the cargo-fuzz project.
    project: PathBuf,
    /// `target/fuzz`, cargo's target folder for the project, and the home of the rest.
    target_dir: PathBuf,
    /// Regenerated from the documents on every run.
    seeds: PathBuf,
    /// What the fuzzer found interesting; kept between runs.
    corpus: PathBuf,
    /// Crashing, hanging and out-of-memory inputs.
    artifacts: PathBuf,
    /// libFuzzer's whole output of the last run.
    log: PathBuf,
}

impl Paths {
    fn new(root: &Path) -> Self {
        let target_dir = tools::target_dir(root).join("fuzz");
        Paths {
            project: root.join("codegen/fuzz"),
            seeds: target_dir.join("seeds").join(TARGET),
            corpus: target_dir.join("corpus").join(TARGET),
            artifacts: target_dir.join("artifacts").join(TARGET),
            log: target_dir.join(format!("{TARGET}.log")),
            target_dir,
        }
    }
}

/// Builds the target and fuzzes it for `seconds`; fails on a crash.
pub fn run(root: &Path, seconds: u64) -> Result<(), Failure> {
    if seconds == 0 {
        // libFuzzer reads `-max_total_time=0` as "forever".
        return Err(Failure("the run must last at least 1 second".to_owned()));
    }
    let paths = Paths::new(root);
    let cargo_fuzz = install_cargo_fuzz(root)?;
    let fuzzer = build(root, &cargo_fuzz, &paths)?;
    let seeds = write_seeds(root, &paths.seeds)?;
    for dir in [&paths.corpus, &paths.artifacts] {
        fs::create_dir_all(dir).map_err(|e| io_failure("create", dir, e))?;
    }
    println!(
        "fuzz: {TARGET} for {seconds} s, {seeds} seeds, corpus {}",
        shown(root, &paths.corpus)
    );
    let before = listing(&paths.artifacts);
    let started = Instant::now();
    let outcome = fuzz(&fuzzer, root, &paths, seconds)?;
    let elapsed = started.elapsed();
    let found: Vec<PathBuf> = listing(&paths.artifacts)
        .difference(&before)
        .cloned()
        .collect();

    println!(
        "fuzz: {TARGET}: {:.0} s, {} inputs run ({} per second), {}, peak memory {} MB, {} crash{}",
        elapsed.as_secs_f64(),
        outcome.figure("stat::number_of_executed_units"),
        outcome.figure("stat::average_exec_per_sec"),
        outcome.coverage(),
        outcome.figure("stat::peak_rss_mb"),
        found.len(),
        if found.len() == 1 { "" } else { "es" },
    );
    if outcome.success && found.is_empty() {
        return Ok(());
    }
    let mut message = format!(
        "the fuzzer stopped on a failing input ({}); its whole output is in {}",
        outcome.status,
        shown(root, &paths.log)
    );
    let fuzzer_shown = shown(root, &fuzzer);
    for artifact in &found {
        let artifact = shown(root, artifact);
        message.push_str(&format!(
            "\n\ninput saved as {artifact}; from the workspace root,\n  reproduce: RUST_BACKTRACE=1 {fuzzer_shown} {artifact}\n  minimize:  {fuzzer_shown} -minimize_crash=1 -max_total_time=60 -exact_artifact_path={artifact}.min {artifact}"
        ));
    }
    if found.is_empty() {
        message.push_str("\n(no input was saved: see the log)");
    }
    Err(Failure(message))
}

/// `cargo-fuzz`, installed under `target/tools/cargo` on first use (as `bench` installs
/// `oha`).
fn install_cargo_fuzz(root: &Path) -> Result<PathBuf, Failure> {
    let prefix = tools::tools_dir(root).join("cargo");
    let bin = prefix.join("bin/cargo-fuzz");
    // `cargo-fuzz --version` answers `cargo-fuzz 0.13.2`.
    let installed = Command::new(&bin).arg("--version").output().is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .trim_end()
            .ends_with(CARGO_FUZZ_VERSION)
    });
    if !installed {
        println!(
            "fuzz: installing cargo-fuzz {CARGO_FUZZ_VERSION} into {} (once)",
            shown(root, &prefix)
        );
        status(
            crate::cargo::command()
                .args([
                    "install",
                    "--quiet",
                    "--locked",
                    "cargo-fuzz",
                    "--version",
                    CARGO_FUZZ_VERSION,
                    "--root",
                ])
                .arg(&prefix),
            "check that crates.io can be reached",
        )?;
    }
    Ok(bin)
}

/// Builds the fuzz target; returns the fuzzer executable.
fn build(root: &Path, cargo_fuzz: &Path, paths: &Paths) -> Result<PathBuf, Failure> {
    let host = host_triple()?;
    println!(
        "fuzz: building {TARGET} (cargo fuzz build, release with debug assertions, no sanitizer) into {}",
        shown(root, &paths.target_dir)
    );
    // Run as cargo runs a subcommand: `cargo-fuzz fuzz ...`. It calls `cargo` from PATH,
    // which under rustup follows the `RUSTUP_TOOLCHAIN` this process was started with.
    crate::cargo::empty_dev_null();
    status(
        Command::new(cargo_fuzz)
            .current_dir(root)
            .args(["fuzz", "build", "--fuzz-dir"])
            .arg(&paths.project)
            .args([
                "--sanitizer",
                "none",
                "--debug-assertions",
                "--target",
                &host,
                "--target-dir",
            ])
            .arg(&paths.target_dir)
            .arg(TARGET),
        "the messages above say why the fuzz target does not build",
    )?;
    Ok(paths.target_dir.join(host).join("release").join(TARGET))
}

/// The triple cargo-fuzz builds for, which names the folder the executable lands in.
fn host_triple() -> Result<String, Failure> {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|e| Failure(format!("cannot run `rustc -vV`: {e}")))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| Failure("`rustc -vV` names no host triple".to_owned()))
}

/// Replaces the seeds with the current documents; returns how many files it wrote.
fn write_seeds(root: &Path, seeds: &Path) -> Result<usize, Failure> {
    if seeds.exists() {
        fs::remove_dir_all(seeds).map_err(|e| io_failure("delete", seeds, e))?;
    }
    fs::create_dir_all(seeds).map_err(|e| io_failure("create", seeds, e))?;
    let mut documents = Vec::new();
    // Every document `cargo xtask codegen` generates: a new test document is a new seed.
    for tree in &crate::TREES {
        let folder = root.join(tree.source);
        documents.extend(crate::documents(&folder).map_err(|e| io_failure("list", &folder, e))?);
    }
    documents.extend(EXTRA_SEEDS.iter().map(|seed| root.join(seed)));
    let mut written = 0;
    let mut write = |name: String, text: &str| {
        let path = seeds.join(name);
        written += 1;
        fs::write(&path, text).map_err(|e| io_failure("write", &path, e))
    };
    for (index, document) in documents.iter().enumerate() {
        // Numbered: two folders may hold documents of the same name.
        let name = format!(
            "{index:02}-{}",
            document.file_name().unwrap_or_default().to_string_lossy()
        );
        let text = fs::read_to_string(document).map_err(|e| io_failure("read", document, e))?;
        write(name.clone(), &text)?;
        // As the target sees it, a document with external `$ref`s fails early (it reads
        // no other file): the bundled forms carry every document whole, and give the
        // JSON parser seeds of its own. A document that does not load (being edited)
        // is seeded only as it is.
        let Ok(loaded) = apigen_codegen::load::load(document) else {
            continue;
        };
        let json = serde_json::to_string_pretty(&loaded.value)
            .map_err(|e| Failure(format!("cannot write {name} as JSON: {e}")))?;
        write(format!("{name}.bundled.json"), &json)?;
        write(
            format!("{name}.bundled-flow.yaml"),
            &format!("# {name}, bundled, in YAML's flow style\n{json}\n"),
        )?;
    }
    Ok(written)
}

/// What the fuzzer process said and how it ended.
struct Outcome {
    success: bool,
    status: String,
    /// The `stat::name: value` lines of `-print_final_stats`.
    stats: Vec<(String, String)>,
    /// The last status line (`#1234 DONE cov: ... ft: ... corp: ...`).
    last_status: String,
}

impl Outcome {
    fn figure(&self, name: &str) -> &str {
        self.stats
            .iter()
            .find(|(stat, _)| stat == name)
            .map_or("?", |(_, value)| value.as_str())
    }

    /// The word after `field` in the last status line.
    fn status_field(&self, field: &str) -> Option<&str> {
        let mut words = self.last_status.split_whitespace();
        words.by_ref().find(|word| *word == field).and(words.next())
    }

    /// Coverage and corpus, from the last status line (none when the fuzzer stopped
    /// while still reading its corpus).
    fn coverage(&self) -> String {
        match (
            self.status_field("cov:"),
            self.status_field("ft:"),
            self.status_field("corp:"),
        ) {
            // `corp: 1164/5791Kb`: inputs and their size.
            (Some(edges), Some(features), Some(corpus)) => format!(
                "coverage {edges} edges and {features} features, corpus {}",
                corpus.replacen('/', " inputs, ", 1)
            ),
            _ => "stopped before its first report of coverage".to_owned(),
        }
    }
}

/// Runs the fuzzer for `seconds`, logging all it says and showing the gist.
fn fuzz(fuzzer: &Path, root: &Path, paths: &Paths, seconds: u64) -> Result<Outcome, Failure> {
    let dict = paths.project.join(format!("{TARGET}.dict"));
    let mut command = Command::new(fuzzer);
    command
        .current_dir(root)
        .arg(format!("-dict={}", dict.display()))
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECONDS}"))
        .arg("-print_final_stats=1")
        // Not the address of every newly covered function: meaningless without symbols.
        .arg("-print_funcs=0")
        // libFuzzer joins prefix and file name as strings: the slash matters.
        .arg(format!("-artifact_prefix={}/", paths.artifacts.display()))
        // New inputs go to the first folder; the seeds stay as written.
        .arg(&paths.corpus)
        .arg(&paths.seeds)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        // A panic's location is what a report needs.
        command.env("RUST_BACKTRACE", "1");
    }
    let mut child = command
        .spawn()
        .map_err(|e| Failure(format!("cannot run {}: {e}", fuzzer.display())))?;
    let mut log = fs::File::create(&paths.log).map_err(|e| io_failure("create", &paths.log, e))?;
    let mut outcome = Outcome {
        success: false,
        status: String::new(),
        stats: Vec::new(),
        last_status: String::new(),
    };
    let mut last_shown = Instant::now();
    let mut in_dictionary = false;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line).into_owned();
            writeln!(log, "{line}").map_err(|e| io_failure("write", &paths.log, e))?;
            // libFuzzer's status lines are `#<runs>\t<event> cov: ...`.
            let is_status =
                line.starts_with('#') && line[1..].starts_with(|c: char| c.is_ascii_digit());
            if is_status {
                outcome.last_status.clone_from(&line);
                if last_shown.elapsed() >= PROGRESS_EVERY || line.contains("DONE") {
                    println!("{line}");
                    last_shown = Instant::now();
                }
            } else if let Some((name, value)) = line
                .split_once(": ")
                .filter(|(name, _)| name.starts_with("stat::"))
            {
                outcome
                    .stats
                    .push((name.to_owned(), value.trim().to_owned()));
            } else if line.starts_with("###### Recommended dictionary") {
                // Dozens of byte strings for the curious: the log keeps them.
                in_dictionary = true;
            } else if line.starts_with("###### End of recommended dictionary") {
                in_dictionary = false;
            } else if line.starts_with("WARNING: Failed to find function \"__sanitizer_") {
                // libFuzzer looks for the sanitizer's hooks, which this build has not.
            } else if !in_dictionary {
                println!("{line}");
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| Failure(format!("cannot wait for {}: {e}", fuzzer.display())))?;
    outcome.success = status.success();
    outcome.status = status.to_string();
    Ok(outcome)
}

/// The files of `dir` (none when it does not exist).
fn listing(dir: &Path) -> BTreeSet<PathBuf> {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect()
}

fn status(command: &mut Command, hint: &str) -> Result<(), Failure> {
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(Failure(format!("{command:?} failed ({status}): {hint}"))),
        Err(error) => Err(Failure(format!("cannot run {command:?}: {error}"))),
    }
}

fn io_failure(action: &str, path: &Path, error: std::io::Error) -> Failure {
    Failure(format!("cannot {action} {}: {error}", path.display()))
}

/// A path relative to the workspace root when it is inside it, for shorter messages.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
