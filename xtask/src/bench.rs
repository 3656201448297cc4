//! `cargo xtask bench`: figures, each against a baseline measured in the same run.
//!
//! - **Load**: 50,000 requests over 64 connections (`oha`, pinned, installed under
//!   `target/tools/cargo`) against the generated Xbox presence router, and against a
//!   hand-written axum handler answering the same body; requests per second, p99
//!   latency, and the ratio. Any error or non-200 answer fails the run.
//! - **Codegen**: the whole `cargo xtask codegen --check` process, median of repeated
//!   runs, against the same process doing nothing (`--help`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The load generator, pinned.
const OHA_VERSION: &str = "1.16.0";
/// The load: requests, and connections at once.
const REQUESTS: &str = "50000";
const CONNECTIONS: &str = "64";

/// What went wrong, in words a user can act on.
type Failure = String;

/// Runs every benchmark and prints its figures.
pub fn run(root: &Path) -> Result<(), Failure> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let oha = oha(root, &cargo)?;
    status(Command::new(&cargo).current_dir(root).args([
        "build",
        "--release",
        "--quiet",
        "--package",
        "apigen-bench",
    ]))?;
    let server = root.join("target/release/bench-server");

    println!(
        "load: {REQUESTS} requests over {CONNECTIONS} connections, GET /users/xuid(2533274790395904)?level=all"
    );
    // Each server twice, interleaved, so that a slow moment of the machine hits both.
    let mut runs: Vec<(&str, Load)> = Vec::new();
    for round in 0..2 {
        for mode in ["baseline", "generated"] {
            let load = load(&server, mode, &oha)?;
            println!(
                "  round {round} {mode:>9}: {:>9.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms",
                load.requests_per_second, load.p50_ms, load.p99_ms
            );
            runs.push((mode, load));
        }
    }
    let best = |mode: &str| {
        runs.iter()
            .filter(|(m, _)| *m == mode)
            .map(|(_, load)| load.clone())
            .max_by(|a, b| a.requests_per_second.total_cmp(&b.requests_per_second))
    };
    if let (Some(baseline), Some(generated)) = (best("baseline"), best("generated")) {
        println!(
            "load: generated router {:.0} req/s (p99 {:.2} ms) vs hand-written handler {:.0} req/s (p99 {:.2} ms): {:.1}% of the baseline's throughput",
            generated.requests_per_second,
            generated.p99_ms,
            baseline.requests_per_second,
            baseline.p99_ms,
            100.0 * generated.requests_per_second / baseline.requests_per_second
        );
    }

    let xtask = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    let check = median(&xtask, root, &["codegen", "--check"], 15)?;
    let nothing = median(&xtask, root, &["--help"], 15)?;
    println!(
        "codegen: `xtask codegen --check` (4 documents) median {:.1} ms over 15 runs; the process doing nothing, {:.1} ms",
        check.as_secs_f64() * 1e3,
        nothing.as_secs_f64() * 1e3
    );
    Ok(())
}

fn status(command: &mut Command) -> Result<(), Failure> {
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{command:?} failed ({status})")),
        Err(error) => Err(format!("cannot run {command:?}: {error}")),
    }
}

/// `oha`, installed under `target/tools/cargo` on first use.
fn oha(root: &Path, cargo: &str) -> Result<PathBuf, Failure> {
    let prefix = root.join("target/tools/cargo");
    let bin = prefix.join("bin/oha");
    let installed = Command::new(&bin)
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(OHA_VERSION));
    if !installed {
        println!(
            "bench: installing oha {OHA_VERSION} into {} (once)",
            prefix.display()
        );
        status(
            Command::new(cargo)
                .args([
                    "install",
                    "--quiet",
                    "--locked",
                    "oha",
                    "--version",
                    OHA_VERSION,
                    "--root",
                ])
                .arg(&prefix),
        )?;
    }
    Ok(bin)
}

/// A server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Clone)]
struct Load {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Starts `bench-server --<mode>` and loads it.
fn load(server: &Path, mode: &str, oha: &Path) -> Result<Load, Failure> {
    let mut child = Command::new(server)
        .arg(format!("--{mode}"))
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;
    let mut line = String::new();
    if let Some(stdout) = child.stdout.take() {
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
    }
    let _server = Server(child);
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("the {mode} server said {line:?}"))?
        .to_owned();
    let url = format!("{base}/users/xuid(2533274790395904)?level=all");
    let headers = [
        "authorization: XBL3.0 x=1234;token",
        "x-xbl-contract-version: 3",
        "accept-language: en-US",
    ];
    let mut command = Command::new(oha);
    command.args(["--no-tui", "--output-format", "json", "-c", CONNECTIONS]);
    for header in headers {
        command.args(["-H", header]);
    }
    // A short warm-up, then the measured run.
    let _ = Command::new(oha)
        .args(["--no-tui", "-n", "2000", "-c", CONNECTIONS])
        .args(headers.iter().flat_map(|h| ["-H", h]))
        .arg(&url)
        .output();
    let output = command
        .args(["-n", REQUESTS])
        .arg(&url)
        .output()
        .map_err(|e| format!("cannot run oha: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "oha failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    parse(&String::from_utf8_lossy(&output.stdout), mode)
}

fn parse(json: &str, mode: &str) -> Result<Load, Failure> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("oha's report does not parse: {e}"))?;
    let number = |pointer: &str| value.pointer(pointer).and_then(serde_json::Value::as_f64);
    let statuses = value
        .get("statusCodeDistribution")
        .and_then(serde_json::Value::as_object)
        .cloned()
        .unwrap_or_default();
    let errors = value
        .get("errorDistribution")
        .and_then(serde_json::Value::as_object)
        .cloned()
        .unwrap_or_default();
    let ok = statuses
        .get("200")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if statuses.len() != 1 || !errors.is_empty() || ok.to_string() != REQUESTS {
        return Err(format!(
            "the {mode} server did not answer every request with 200: statuses {statuses:?}, errors {errors:?}"
        ));
    }
    Ok(Load {
        requests_per_second: number("/summary/requestsPerSec")
            .ok_or("no requestsPerSec in oha's report")?,
        p50_ms: number("/latencyPercentiles/p50").ok_or("no p50 in oha's report")? * 1e3,
        p99_ms: number("/latencyPercentiles/p99").ok_or("no p99 in oha's report")? * 1e3,
    })
}

/// The median wall time of `binary args` run `runs` times in `root`.
fn median(binary: &Path, root: &Path, args: &[&str], runs: usize) -> Result<Duration, Failure> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let output = Command::new(binary)
            .args(args)
            .env("APIGEN_WORKSPACE", root)
            .output()
            .map_err(|e| e.to_string())?;
        times.push(started.elapsed());
        if !output.status.success() && args != ["--help"] {
            return Err(format!(
                "xtask {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    times.sort();
    Ok(times[runs / 2])
}
