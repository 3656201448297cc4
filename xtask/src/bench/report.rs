//! The tables: printed after every run, and written to `docs/benchmarks.md` by a full
//! `--peers` run.

use super::compile::Compile;
use super::documents::Document;
use super::generation::{Generation, RUNS, Tool};
use super::history::History;
use super::measure::{Ending, Measured};
use super::requests::{Comparison, ENDPOINTS, ROUNDS, Requests, STREAM_ITEMS, STREAM_ROUNDS};
use std::fmt::Write as _;
use std::process::Command;

/// Everything one run measured.
pub struct Report<'a> {
    /// The documents.
    pub documents: &'a [Document],
    /// Each tool's generation of each document.
    pub generations: &'a [Generation],
    /// Each compile measured.
    pub compiles: &'a [Compile],
    /// The request comparisons, when run.
    pub requests: Option<&'a Requests>,
    /// The breaking-change check on real history, when run.
    pub history: Option<&'a History>,
    /// The command that made it, as typed.
    pub command: String,
    /// How long the whole run took, in seconds.
    pub seconds: f64,
}

impl Report<'_> {
    /// The report as markdown, with the date, the machine and the versions.
    pub fn markdown(&self) -> String {
        let mut out = String::from("# Benchmarks\n\n");
        let _ = writeln!(
            out,
            "Written by `{}` (do not edit: run it again) on {}, in {:.0} minutes, on {}. \
             Versions: apigen at commit {}; {}; progenitor 0.15.1 (`cargo-progenitor`, \
             crates.io); openapi-generator 7.26.0 (the jar bundled by PyPI's \
             `openapi-generator-cli` 7.26.0, `rust` generator) on {}.\n",
            self.command,
            command_output("date", &["-u", "+%Y-%m-%d"]).unwrap_or_else(|| "?".into()),
            self.seconds / 60.0,
            machine(),
            command_output("git", &["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "?".into()),
            command_output("rustc", &["-V"]).unwrap_or_else(|| "rustc ?".into()),
            java().unwrap_or_else(|| "no java".into()),
        );
        out.push_str(&self.tables());
        out
    }

    /// The tables alone.
    pub fn tables(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "## Documents\n\n| document | source | operations | size |\n|---|---|---:|---:|\n",
        );
        for document in self.documents {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                document.name,
                document.source,
                thousands(document.operations as u64),
                bytes(document.bytes)
            );
        }
        let _ = write!(
            out,
            "\n## Generation and compile cost\n\n\
             Generation: the whole process, wall time (median of {RUNS} runs) and peak \
             memory (largest resident set of the process or any it started). Lines: Rust \
             lines written. Compile: `cargo check` and `cargo build` (dev profile) of the \
             generated crate alone, its dependencies built beforehand, measured once; ours \
             with its `client` and `server` features (and `all`, every tag's operations, when the \
             document is large enough for a feature per tag; the row below it: one tag's \
             feature alone), progenitor's as generated, \
             openapi-generator's with `rustls` instead of its default `native-tls` (as ours). \
             Warnings: what `cargo check` printed for the crate.\n\n\
             | document | tool | generation | peak | lines | check | peak | warnings | build | peak |\n\
             |---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        );
        for document in self.documents {
            for generation in self
                .generations
                .iter()
                .filter(|g| g.document == document.name)
            {
                let compile = self
                    .compiles
                    .iter()
                    .find(|c| c.document == document.name && c.tool == generation.tool);
                out.push_str(&row(document, generation, compile));
            }
        }
        if let Some(history) = self.history {
            out.push_str(&history_table(history));
        }
        if let Some(requests) = self.requests {
            let _ = write!(
                out,
                "\n## Requests\n\n\
                 Generated code against hand-written code doing the same work, {ROUNDS} \
                 rounds interleaved; ratio: the median over the rounds of generated / \
                 hand-written. Server: 50,000 requests over 64 connections with `oha`, \
                 requests per second (median) and p99 latency. Client: 20,000 calls, 16 at a \
                 time on one thread, against the hand-written server, calls per second \
                 (median). {}\n\n\
                 | endpoint | hand-written server | generated server | ratio | hand-written client | generated client | ratio |\n\
                 |---|---:|---:|---:|---:|---:|---:|\n",
                if requests.pinned {
                    "The measured code runs on CPU 1, the load on CPU 0 (`taskset`)."
                } else {
                    "Fewer than 2 CPUs: the load shares the CPU with the measured code."
                }
            );
            for (endpoint, server, client) in &requests.endpoints {
                let shown = ENDPOINTS
                    .iter()
                    .find(|(name, _)| name == endpoint)
                    .map_or(*endpoint, |(_, shown)| shown);
                let _ = writeln!(
                    out,
                    "| {shown} | {} req/s, p99 {:.2} ms | {} req/s, p99 {:.2} ms | {:.3} | {} calls/s | {} calls/s | {:.3} |",
                    thousands(Comparison::median(&server.baseline) as u64),
                    Comparison::median_p99(&server.baseline),
                    thousands(Comparison::median(&server.generated) as u64),
                    Comparison::median_p99(&server.generated),
                    server.ratio(),
                    thousands(Comparison::median(&client.baseline) as u64),
                    thousands(Comparison::median(&client.generated) as u64),
                    client.ratio(),
                );
            }
            let _ = writeln!(
                out,
                "\nStreaming: {} items/s, {} small Server-Sent Events (JSON data, an event \
                 type and an id each; `GET /ticks` of `tests/openapi/streams.yaml`) from the \
                 generated router to the generated client over loopback, each checked typed \
                 and in order; server and client in one process on two threads, the median \
                 of {STREAM_ROUNDS} rounds.",
                thousands(requests.stream_items_per_second as u64),
                thousands(STREAM_ITEMS as u64),
            );
        }
        out
    }
}

/// The breaking-change check on real history: time, memory, and what it found.
fn history_table(history: &History) -> String {
    let count = |class: &str| history.classes.get(class).copied().unwrap_or(0);
    let mut out = format!(
        "\n## Breaking changes on real history\n\n\
         `cargo xtask diff OLD NEW --format json` on {}: whole process, median of {} runs.\n\n\
         | time | peak memory | breaks clients | breaks implementations | compatible |\n\
         |---:|---:|---:|---:|---:|\n\
         | {} | {} | {} | {} | {} |\n\n\
         The rules that fired most:\n\n| rule | class | changes |\n|---|---|---:|\n",
        history.compared,
        history.runs.len(),
        duration(history.seconds()),
        bytes(history.peak_bytes()),
        thousands(count("breaks-clients")),
        thousands(count("breaks-implementations")),
        thousands(count("compatible")),
    );
    for (rule, class, changes) in history.rules.iter().take(15) {
        let _ = writeln!(out, "| `{rule}` | {class} | {} |", thousands(*changes));
    }
    out
}

fn row(document: &Document, generation: &Generation, compile: Option<&Compile>) -> String {
    let ending = generation.ending();
    let (seconds, peak, lines) = match ending {
        Ending::Success => (
            duration(generation.seconds()),
            bytes(generation.peak_bytes()),
            thousands(generation.lines as u64),
        ),
        _ => (ending.describe(), "–".into(), "–".into()),
    };
    let step = |measured: &Option<Measured>| match measured {
        Some(m) if m.ending == Ending::Success => {
            (format!("{:.1} s", m.seconds), bytes(m.peak_bytes))
        }
        Some(m) => (
            format!("{} after {:.0} s", m.ending.describe(), m.seconds),
            "–".into(),
        ),
        None => ("–".into(), "–".into()),
    };
    let (check, check_peak, warnings, build, build_peak) = match compile {
        None => ("–".into(), "–".into(), "–".into(), "–".into(), "–".into()),
        Some(compile) => match &compile.dependencies {
            Some(ending) => (
                format!("dependencies {}", ending.describe()),
                "–".into(),
                "–".into(),
                "–".into(),
                "–".into(),
            ),
            None => {
                let (check, check_peak) = step(&compile.check);
                let (build, build_peak) = step(&compile.build);
                (
                    check,
                    check_peak,
                    compile.warnings.to_string(),
                    build,
                    build_peak,
                )
            }
        },
    };
    let mut out = format!(
        "| {} | {} | {seconds} | {peak} | {lines} | {check} | {check_peak} | {warnings} | {build} | {build_peak} |\n",
        document.name,
        if generation.tool == Tool::Apigen {
            "**apigen**"
        } else {
            generation.tool.label()
        },
    );
    if let Some((tag, measured)) = compile.and_then(|compile| compile.one_tag.as_ref()) {
        let (check, check_peak) = step(&Some(measured.clone()));
        out.push_str(&format!(
            "| {} | **apigen**, feature `{tag}` only | | | | {check} | {check_peak} | | | |\n",
            document.name
        ));
    }
    out
}

/// Bytes as kB, MB or GB (powers of ten).
fn bytes(bytes: u64) -> String {
    match bytes {
        1_000_000_000.. => format!("{:.1} GB", bytes as f64 / 1e9),
        10_000_000.. => format!("{:.0} MB", bytes as f64 / 1e6),
        1_000_000.. => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.0} kB", bytes as f64 / 1e3),
    }
}

/// Seconds as ms under one second, else seconds with three significant digits or more.
fn duration(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1e3)
    } else if seconds < 10.0 {
        format!("{seconds:.2} s")
    } else {
        format!("{seconds:.1} s")
    }
}

/// 1234567 as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The machine: CPUs, their model, memory.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown CPU".to_owned(), |(_, model)| {
            model.trim().to_owned()
        });
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let kib = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0);
    format!(
        "{cpus} CPUs ({model}), {:.0} GiB of memory",
        kib as f64 / (1024.0 * 1024.0)
    )
}

/// The first line a command prints, trimmed.
fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.lines().next()?.trim().to_owned()).filter(|line| !line.is_empty())
}

/// `java -version`'s first line (it prints to stderr).
fn java() -> Option<String> {
    let output = Command::new("java").arg("-version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stderr);
    Some(text.lines().next()?.trim().to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn big_numbers_are_grouped_by_thousands() {
        assert_eq!(super::thousands(710_580), "710,580");
        assert_eq!(super::thousands(1_223), "1,223");
        assert_eq!(super::thousands(999), "999");
    }
}
