//! Requests: generated code against hand-written code doing the same work, on the two
//! endpoints of `benches/` (the Xbox GET with path, query and header parameters, and a
//! POST with a validated JSON body), with the load on one CPU and the code measured on
//! the other (`taskset`).
//!
//! - **Server**: 50,000 requests over 64 connections (`oha`, pinned) against the
//!   generated router, then against a hand-written axum handler, [`ROUNDS`] rounds,
//!   interleaved so a slow moment of the machine hits both; the figure is the median of
//!   the rounds' ratios. Any error or non-200 answer fails the run.
//! - **Client**: the generated client, then a hand-written reqwest call building the
//!   same request, each making [`CALLS`] calls (16 at a time, on one thread) against the
//!   hand-written server; calls per second, median ratio over the rounds.
//! - **Stream**: [`STREAM_ITEMS`] small Server-Sent Events (`GET /ticks` of
//!   `tests/openapi/streams.yaml`) from the generated router to the generated client
//!   (`bench-stream`, both in one process), [`STREAM_ROUNDS`] rounds; items per second,
//!   the median.

use super::measure::median;
use super::{Failure, Paths};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Interleaved rounds of each comparison.
pub const ROUNDS: usize = 7;
/// The server load: requests, and connections at once.
const REQUESTS: usize = 50_000;
const CONNECTIONS: usize = 64;
/// The client load: calls, and calls at once.
const CALLS: usize = 20_000;
const CLIENT_CONCURRENCY: usize = 16;
/// The endpoints, as `bench-server` and `bench-client` name them, and as the table does.
pub const ENDPOINTS: [(&str, &str); 2] = [
    (
        "xbox",
        "GET /users/xuid(…)?level=all (path, query, 3 headers)",
    ),
    ("pet", "POST /pets (JSON body, tagged union, checked)"),
];

/// The streaming load: events per round, and rounds.
pub const STREAM_ITEMS: usize = 100_000;
pub const STREAM_ROUNDS: usize = 3;

/// The CPU the measured code runs on, and the one the load comes from.
const MEASURED_CPU: &str = "1";
const LOAD_CPU: &str = "0";

/// One side's figure in one round.
#[derive(Clone, Debug)]
pub struct Sample {
    /// Requests or calls per second.
    pub per_second: f64,
    /// The 99th percentile latency in milliseconds (servers only).
    pub p99_ms: Option<f64>,
}

/// Both sides of one comparison over the rounds.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    /// The hand-written side, one sample per round.
    pub baseline: Vec<Sample>,
    /// The generated side, one sample per round.
    pub generated: Vec<Sample>,
}

impl Comparison {
    /// The median over the rounds of generated / hand-written.
    pub fn ratio(&self) -> f64 {
        let ratios: Vec<f64> = self
            .baseline
            .iter()
            .zip(&self.generated)
            .map(|(b, g)| g.per_second / b.per_second)
            .collect();
        median(&ratios)
    }

    /// The median figure of one side.
    pub fn median(samples: &[Sample]) -> f64 {
        median(&samples.iter().map(|s| s.per_second).collect::<Vec<_>>())
    }

    /// The median p99 of one side.
    pub fn median_p99(samples: &[Sample]) -> f64 {
        median(&samples.iter().filter_map(|s| s.p99_ms).collect::<Vec<_>>())
    }
}

/// The request figures: per endpoint, the server comparison and the client one.
pub struct Requests {
    /// `(endpoint, server, client)`, in the order of [`ENDPOINTS`].
    pub endpoints: Vec<(&'static str, Comparison, Comparison)>,
    /// Whether the load and the measured code ran on CPUs of their own.
    pub pinned: bool,
    /// Server-Sent Events per second through the generated router and client, the
    /// median of [`STREAM_ROUNDS`].
    pub stream_items_per_second: f64,
}

/// Runs every request comparison.
pub fn run(paths: &Paths, oha: &Path) -> Result<Requests, Failure> {
    super::status(crate::cargo::command().current_dir(&paths.root).args([
        "build",
        "--release",
        "--quiet",
        "--package",
        "apigen-bench",
    ]))?;
    let release = paths.target.join("release");
    let (server, client) = (release.join("bench-server"), release.join("bench-client"));
    let pinned = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    if !pinned {
        println!("requests: fewer than 2 CPUs: the load shares the CPU with the measured code");
    }
    let mut endpoints = Vec::new();
    for (endpoint, shown) in ENDPOINTS {
        println!("requests: {shown}");
        let mut servers = Comparison::default();
        let mut clients = Comparison::default();
        for round in 0..ROUNDS {
            for (side, samples) in [
                ("baseline", &mut servers.baseline),
                ("generated", &mut servers.generated),
            ] {
                let sample = load(&server, side, endpoint, oha, pinned)?;
                println!(
                    "  round {round} server {side:>9}: {:>9.0} req/s  p99 {:>6.2} ms",
                    sample.per_second,
                    sample.p99_ms.unwrap_or_default()
                );
                samples.push(sample);
            }
        }
        // One fast server (the hand-written one) for every client round.
        let started = start(&server, "baseline", endpoint, pinned)?;
        for round in 0..ROUNDS {
            for (side, samples) in [
                ("baseline", &mut clients.baseline),
                ("generated", &mut clients.generated),
            ] {
                let sample = calls(&client, side, endpoint, &started.base, pinned)?;
                println!(
                    "  round {round} client {side:>9}: {:>9.0} calls/s",
                    sample.per_second
                );
                samples.push(sample);
            }
        }
        println!(
            "  generated / hand-written, median of {ROUNDS}: server {:.3}, client {:.3}",
            servers.ratio(),
            clients.ratio()
        );
        endpoints.push((endpoint, servers, clients));
    }
    let stream_items_per_second = stream(&release.join("bench-stream"))?;
    Ok(Requests {
        endpoints,
        pinned,
        stream_items_per_second,
    })
}

/// Runs `bench-stream` [`STREAM_ROUNDS`] times: the median items per second.
fn stream(program: &Path) -> Result<f64, Failure> {
    println!("requests: {STREAM_ITEMS} Server-Sent Events, generated server to generated client");
    let mut rounds = Vec::new();
    for round in 0..STREAM_ROUNDS {
        let output = Command::new(program)
            .arg(STREAM_ITEMS.to_string())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        if !output.status.success() {
            return Err(format!(
                "the stream benchmark failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let value: serde_json::Value = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("bench-stream's report does not parse: {e}"))?;
        let seconds = value
            .get("seconds")
            .and_then(serde_json::Value::as_f64)
            .ok_or("bench-stream's report has no seconds")?;
        let per_second = STREAM_ITEMS as f64 / seconds;
        println!("  round {round} stream: {per_second:>9.0} items/s");
        rounds.push(per_second);
    }
    let median = median(&rounds);
    println!("  stream, median of {STREAM_ROUNDS}: {median:.0} items/s");
    Ok(median)
}

/// A command run on `cpu` when pinning.
fn on_cpu(program: &Path, cpu: &str, pinned: bool) -> Command {
    if pinned {
        let mut command = Command::new("taskset");
        command.args(["-c", cpu]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// A server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A server started, where it listens, and the request to load it with.
struct Started {
    _server: Server,
    base: String,
    request: serde_json::Value,
}

/// Starts `bench-server SIDE ENDPOINT` on the measured CPU.
fn start(server: &Path, side: &str, endpoint: &str, pinned: bool) -> Result<Started, Failure> {
    let mut child = on_cpu(server, MEASURED_CPU, pinned)
        .args([side, endpoint])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;
    let (mut listening, mut request) = (String::new(), String::new());
    if let Some(stdout) = child.stdout.take() {
        let mut stdout = BufReader::new(stdout);
        for line in [&mut listening, &mut request] {
            stdout.read_line(line).map_err(|e| e.to_string())?;
        }
    }
    let server = Server(child);
    let said = || format!("the {side} {endpoint} server said {listening:?} then {request:?}");
    let base = listening
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(said)?;
    let request = request.trim().strip_prefix("request: ").ok_or_else(said)?;
    Ok(Started {
        _server: server,
        base: base.to_owned(),
        request: serde_json::from_str(request).map_err(|e| format!("{}: {e}", said()))?,
    })
}

/// The oha arguments that make `request` (as `bench-server` printed it) to `base`.
fn oha_request(request: &serde_json::Value, base: &str) -> Result<Vec<String>, Failure> {
    let text = |value: &serde_json::Value| value.as_str().map(str::to_owned);
    let method = text(&request["method"]).ok_or("the request has no method")?;
    let path = text(&request["path"]).ok_or("the request has no path")?;
    let mut args = vec!["-m".to_owned(), method];
    for header in request["headers"].as_array().into_iter().flatten() {
        let (Some(name), Some(value)) = (text(&header[0]), text(&header[1])) else {
            return Err(format!(
                "the request has a header {header} that is not [name, value]"
            ));
        };
        args.extend(["-H".to_owned(), format!("{name}: {value}")]);
    }
    if let Some(body) = text(&request["body"]) {
        args.extend(["-d".to_owned(), body]);
    }
    args.push(format!("{base}{path}"));
    Ok(args)
}

/// Starts a server and loads it: a warm-up, then the measured run.
fn load(
    server: &Path,
    side: &str,
    endpoint: &str,
    oha: &Path,
    pinned: bool,
) -> Result<Sample, Failure> {
    let started = start(server, side, endpoint, pinned)?;
    let request = oha_request(&started.request, &started.base)?;
    let oha_command = |requests: usize| {
        let mut command = on_cpu(oha, LOAD_CPU, pinned);
        command
            .args(["--no-tui", "--output-format", "json", "-c"])
            .arg(CONNECTIONS.to_string())
            .arg("-n")
            .arg(requests.to_string())
            .args(&request);
        command
    };
    let _ = oha_command(REQUESTS / 25).output();
    let output = oha_command(REQUESTS)
        .output()
        .map_err(|e| format!("cannot run oha: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "oha failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    parse(&String::from_utf8_lossy(&output.stdout), side, endpoint)
}

/// Reads oha's JSON report; every request must have been answered 200.
fn parse(json: &str, side: &str, endpoint: &str) -> Result<Sample, Failure> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("oha's report does not parse: {e}"))?;
    let number = |pointer: &str| value.pointer(pointer).and_then(serde_json::Value::as_f64);
    let object = |key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (statuses, errors) = (
        object("statusCodeDistribution"),
        object("errorDistribution"),
    );
    let ok = statuses.get("200").and_then(serde_json::Value::as_u64);
    if statuses.len() != 1 || !errors.is_empty() || ok != Some(REQUESTS as u64) {
        return Err(format!(
            "the {side} {endpoint} server did not answer every request with 200: statuses {statuses:?}, errors {errors:?}"
        ));
    }
    Ok(Sample {
        per_second: number("/summary/requestsPerSec").ok_or("no requestsPerSec in oha's report")?,
        p99_ms: Some(number("/latencyPercentiles/p99").ok_or("no p99 in oha's report")? * 1e3),
    })
}

/// Runs `bench-client` on the load CPU against `base`.
fn calls(
    client: &Path,
    side: &str,
    endpoint: &str,
    base: &str,
    pinned: bool,
) -> Result<Sample, Failure> {
    let output = on_cpu(client, LOAD_CPU, pinned)
        .args([side, endpoint, base])
        .arg(CALLS.to_string())
        .arg(CLIENT_CONCURRENCY.to_string())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", client.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the {side} {endpoint} client failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("bench-client's report does not parse: {e}"))?;
    let seconds = value
        .get("seconds")
        .and_then(serde_json::Value::as_f64)
        .ok_or("bench-client's report has no seconds")?;
    Ok(Sample {
        per_second: CALLS as f64 / seconds,
        p99_ms: None,
    })
}
