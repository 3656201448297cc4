//! Whole-process wall time and peak memory of a command and everything it starts.
//!
//! The peak comes from `getrusage(RUSAGE_CHILDREN)`: the largest resident set of any
//! process waited for, directly or through its parent (so `cargo check` reports its
//! largest `rustc`, and the openapi-generator wrapper its `java`), as `/usr/bin/time -v`
//! reports it. That figure only grows over a process's life, so each command is measured
//! from a fresh process of its own: this binary started again as
//! `xtask bench --measure RESULT -- PROGRAM ARGS...`, which runs the command, waits for
//! it, and writes what it saw to RESULT.

use super::Failure;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// How a measured command ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Exit status 0.
    Success,
    /// A Rust panic (its message is in the log).
    Panicked,
    /// Any other non-zero exit status.
    Failed(i32),
    /// Killed by a signal (a crash: out of memory, a segmentation fault, an abort).
    Signal(i32),
}

impl Ending {
    /// The ending as a table cell says it.
    pub fn describe(&self) -> String {
        match self {
            Ending::Success => "ok".to_owned(),
            Ending::Panicked => "panics".to_owned(),
            Ending::Failed(code) => format!("fails (exit {code})"),
            Ending::Signal(signal) => format!("crashes (signal {signal})"),
        }
    }
}

/// One measured run of a command.
#[derive(Clone, Debug)]
pub struct Measured {
    /// From start to exit, in seconds.
    pub seconds: f64,
    /// The largest resident set of the command or any process it started, in bytes.
    pub peak_bytes: u64,
    /// How it ended.
    pub ending: Ending,
    /// Where its stdout and stderr went.
    pub log: PathBuf,
}

/// A copy of this binary that measures: `cargo build` may replace the binary itself
/// during an hour-long run.
static MEASURER: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Copies this binary into `folder` to start the measuring processes from.
pub fn prepare(folder: &Path) -> Result<(), Failure> {
    let this = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let copy = folder.join("xtask-measure");
    let _ = fs::remove_file(&copy);
    fs::copy(&this, &copy).map_err(|e| format!("cannot copy {}: {e}", this.display()))?;
    let _ = MEASURER.set(copy);
    Ok(())
}

/// Runs `command` (its program, arguments, working folder and environment) from a fresh
/// measuring process, with stdout and stderr written to `log`.
pub fn measure(command: &Command, log: &Path) -> Result<Measured, Failure> {
    let this = MEASURER
        .get()
        .ok_or("bench: measure::prepare was not called")?
        .clone();
    let result = log.with_extension("measure.json");
    let _ = fs::remove_file(&result);
    if let Some(parent) = log.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let output =
        fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let errors = output
        .try_clone()
        .map_err(|e| format!("cannot share {}: {e}", log.display()))?;
    let mut wrapper = Command::new(this);
    wrapper
        .args(["bench", "--measure"])
        .arg(&result)
        .arg("--")
        .arg(command.get_program())
        .args(command.get_args())
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(errors);
    if let Some(dir) = command.get_current_dir() {
        wrapper.current_dir(dir);
    }
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => wrapper.env(name, value),
            None => wrapper.env_remove(name),
        };
    }
    let status = wrapper
        .status()
        .map_err(|e| format!("cannot start the measuring process: {e}"))?;
    let text = fs::read_to_string(&result).map_err(|e| {
        format!(
            "the measuring process ({status}) left no result for `{}`: {e}; see {}",
            describe(command),
            log.display()
        )
    })?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", result.display()))?;
    let number = |key: &str| value.get(key).and_then(serde_json::Value::as_f64);
    let code = value.get("code").and_then(serde_json::Value::as_i64);
    let ending = match (code, number("signal")) {
        (Some(0), _) => Ending::Success,
        (Some(code), _) => {
            let logged = fs::read_to_string(log).unwrap_or_default();
            if logged.contains("panicked at") {
                Ending::Panicked
            } else {
                Ending::Failed(code as i32)
            }
        }
        (None, Some(signal)) => Ending::Signal(signal as i32),
        (None, None) => return Err(format!("{}: no exit code nor signal", result.display())),
    };
    Ok(Measured {
        seconds: number("seconds").unwrap_or_default(),
        peak_bytes: number("peak_kib").unwrap_or_default() as u64 * 1024,
        ending,
        log: log.to_owned(),
    })
}

/// The measuring process: `xtask bench --measure RESULT -- PROGRAM ARGS...`.
pub fn measuring_process(args: &[&str]) -> ExitCode {
    let [result, "--", program, args @ ..] = args else {
        eprintln!("usage: xtask bench --measure RESULT -- PROGRAM ARGS...");
        return ExitCode::FAILURE;
    };
    let started = Instant::now();
    let status = Command::new(program).args(args).status();
    let seconds = started.elapsed().as_secs_f64();
    let status = match status {
        Ok(status) => status,
        Err(error) => {
            eprintln!("bench: cannot run {program}: {error}");
            return ExitCode::FAILURE;
        }
    };
    // ru_maxrss is in KiB on Linux.
    let peak_kib = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .map(|usage| usage.max_rss())
        .unwrap_or(0);
    let signal = std::os::unix::process::ExitStatusExt::signal(&status);
    let json = serde_json::json!({
        "seconds": seconds,
        "peak_kib": peak_kib,
        "code": status.code(),
        "signal": signal,
    });
    match fs::write(result, json.to_string()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench: cannot write {result}: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A command as a person would type it.
pub fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The median of `values` (the upper one of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}
