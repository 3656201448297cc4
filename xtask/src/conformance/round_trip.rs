//! The round trips of `cargo xtask conformance`: each compiled crate's mock binary run
//! with `--round-trip` (the generated client calls every operation with the document's
//! examples against the generated server answering with them, over loopback), and what
//! came back, counted and grouped by cause.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A round trip that takes longer is stopped and counted as crashed.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Why a round trip fails or is lossy, for each cause the mock binaries report (by the
/// start of the cause): whose fault it is, the document's or a limit of ours. A cause
/// not listed is *unexplained*, and fails the run until it is understood and listed.
const WHY: &[(&str, &str)] = &[
    (
        "the server refused the request as invalid: a value is not in its `enum`, every input",
        "the document: its own example is outside the schema's `enum`",
    ),
    (
        "the server refused the request as invalid: a string does not match its `pattern`, every input",
        "the document: its own example does not match the schema's `pattern`",
    ),
    (
        "the server refused the request as invalid: ",
        "the document's example or, where the document gives none, the value the round trip made up does not satisfy the schema (the sampler meets types, bounds, enums and most patterns, not every combination of constraints)",
    ),
    (
        "the operation documents no success response",
        "the document: the operation lists only errors or redirects, so every answer is an error",
    ),
    (
        "the operation documents only a 1xx status",
        "the document: a 1xx status is informational in HTTP, never an operation's answer",
    ),
    (
        "the server refused the request with a documented error",
        "a limit of the mock: the document's success response has no example and no value of its type could be made up, so the mock answers a documented error",
    ),
    (
        "the request body's example does not fit its Rust type",
        "the document: the request body's example does not match its schema (a missing required member, a value of another type, JSON written as a string)",
    ),
    (
        "the response example does not fit its Rust type",
        "the document: the response example does not match its schema (a required member missing, `null` where the schema does not allow it, a value of another type: GitHub's examples break their schemas about 1,200 times, each a generation warning)",
    ),
    (
        "a parameter's example does not fit its Rust type",
        "the document: the parameter's example does not match its schema",
    ),
    (
        "the document gives a 204 No Content response a body",
        "the document: HTTP forbids a body in a 204 answer (RFC 9110 §15.3.5)",
    ),
    (
        "the value changed between the server and the client",
        "the document: its `oneOf`/`anyOf` alternatives overlap and no discriminator tells them apart (Mist's device types); the example is read as the first alternative it fits, which drops what the others hold, and what comes back fits an earlier one",
    ),
    (
        "a request body of this kind is not round-tripped",
        "a limit of the round trip: multipart bodies are not made up from examples (the generated multipart client and server are tested over loopback in tests/tests/media_types.rs)",
    ),
    (
        "no example of the request body, and none can be made up",
        "a limit of the sampler: the body has no example and its schema no value it can build (its `not`, or a member whose schema names no type)",
    ),
    (
        "the client refused to build the request",
        "the document: a path parameter's example or default is empty, which would name another resource",
    ),
    (
        "a member the schema does not declare is dropped",
        "the document's example holds a member its schema does not declare; the generated struct carries declared members only",
    ),
    (
        "a null member is dropped",
        "the document's example gives `null` to a member its schema does not declare, or does not declare nullable",
    ),
    (
        "a number is written another way",
        "the same number, written in its canonical JSON form (`1.0` read as an integer is written `1`)",
    ),
    (
        "a number is rounded to f32",
        "the generated type: `format: float` is `f32`, and the example has more digits than an f32 holds; the comparison reads the f32 back through f64 (200.4 becomes 200.39999389648438), while the wire carries the shortest text that reads back as the same f32 (`200.4`)",
    ),
    (
        "a date-time is written another way",
        "the same instant, written in RFC 3339's canonical form (`+00:00` becomes `Z`)",
    ),
    (
        "a string changes",
        "the document's example is not in the form its `format` writes (a date-time without seconds, an upper-case UUID)",
    ),
    (
        "an absent member comes back as null",
        "the document's example leaves out a member its schema requires and allows to be null (GitHub's `archived_at`): the generated type holds it, so it is written as `null`",
    ),
    (
        "an absent member comes back with a value",
        "the document's example leaves out a member that has a `default`, which the generated type fills in",
    ),
];

/// Why a round trip failed or was lossy for `cause`, if it is understood.
pub fn why(cause: &str) -> Option<&'static str> {
    WHY.iter()
        .find(|(start, _)| cause.starts_with(start))
        .map(|(_, why)| *why)
}

/// What the round trip of one document said.
#[derive(Debug, Clone, Default)]
pub struct Trips {
    /// Operations whose answer came back as the document's example, value for value.
    pub passed: usize,
    /// Operations called successfully whose document has no response example to compare.
    pub unchecked: usize,
    /// Operations whose answer came back as sent, but the example not unchanged by its
    /// Rust type: (cause, operation and pointer).
    pub lossy: Vec<(String, String)>,
    /// Operations that did not come back: (cause, operation and detail).
    pub failed: Vec<(String, String)>,
    /// Operations with some input made up from its schema, for want of an example.
    pub made_up: usize,
    /// Why the binary itself failed (exit status, timeout, unreadable output).
    pub crashed: Option<String>,
}

impl Trips {
    /// Operations reported.
    pub fn operations(&self) -> usize {
        self.passed + self.unchecked + self.lossy.len() + self.failed.len()
    }

    /// Whether some response example was compared: the document "has examples".
    pub fn compared(&self) -> bool {
        self.passed + self.lossy.len() > 0
    }

    /// One table cell: `passed/operations`, and what else happened.
    pub fn cell(&self) -> String {
        if let Some(crash) = &self.crashed {
            return format!("crashed: {crash}");
        }
        let mut cell = format!("{} of {} came back", self.passed, self.operations());
        for (count, what) in [
            (self.lossy.len(), "lossy"),
            (self.failed.len(), "failed"),
            (self.unchecked, "no example"),
        ] {
            if count > 0 {
                cell.push_str(&format!(", {count} {what}"));
            }
        }
        cell
    }
}

/// Runs `executable --round-trip` and reads its reports.
pub fn run(executable: &Path) -> Trips {
    let crashed = |why: String| Trips {
        crashed: Some(why),
        ..Trips::default()
    };
    let mut child = match Command::new(executable)
        .arg("--round-trip")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => return crashed(format!("cannot run {}: {error}", executable.display())),
    };
    // Read on threads: a full pipe would stall the binary.
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!("timed out after {} s", TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(error) => break Err(format!("cannot wait for it: {error}")),
        }
    };
    let (out, err) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    match status {
        Err(why) => return crashed(why),
        Ok(status) if !status.success() => {
            let last = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            return crashed(format!("exited with {status}: {last}"));
        }
        Ok(_) => {}
    }
    let mut trips = Trips::default();
    for line in out.lines().filter(|line| !line.trim().is_empty()) {
        let Ok(report) = serde_json::from_str::<serde_json::Value>(line) else {
            return crashed(format!("unreadable report line {line:?}"));
        };
        let text = |key: &str| report[key].as_str().unwrap_or_default().to_owned();
        let operation = text("operation");
        if report["made_up"] == true {
            trips.made_up += 1;
        }
        match report["outcome"].as_str() {
            Some("passed") if report["compared"] == true => trips.passed += 1,
            Some("passed") => trips.unchecked += 1,
            Some("lossy") => trips
                .lossy
                .push((text("cause"), format!("{operation} at {}", text("detail")))),
            _ => trips
                .failed
                .push((text("cause"), format!("{operation}: {}", text("detail")))),
        }
    }
    trips
}

/// Round trips of many documents, summed.
#[derive(Debug, Default)]
pub struct Totals {
    /// Documents whose mock binary was run.
    pub documents: usize,
    /// Of those, documents where some response example was compared.
    pub with_examples: usize,
    /// Operations called.
    pub operations: usize,
    /// Operations whose example came back value for value.
    pub passed: usize,
    /// Operations that succeeded with no response example to compare.
    pub unchecked: usize,
    /// Operations with some made-up input.
    pub made_up: usize,
    /// Lossy operations by cause: count and an example (document: operation at pointer).
    pub lossy: BTreeMap<String, (usize, String)>,
    /// Failed operations by cause: count and an example.
    pub failed: BTreeMap<String, (usize, String)>,
    /// Documents whose round trip crashed, with why.
    pub crashed: Vec<(String, String)>,
}

impl Totals {
    /// Adds the round trip of `document`.
    pub fn add(&mut self, document: &str, trips: &Trips) {
        self.documents += 1;
        if let Some(why) = &trips.crashed {
            self.crashed.push((document.to_owned(), why.clone()));
            return;
        }
        self.with_examples += usize::from(trips.compared());
        self.operations += trips.operations();
        self.passed += trips.passed;
        self.unchecked += trips.unchecked;
        self.made_up += trips.made_up;
        for (groups, list) in [
            (&mut self.lossy, &trips.lossy),
            (&mut self.failed, &trips.failed),
        ] {
            for (cause, detail) in list {
                groups
                    .entry(cause.clone())
                    .or_insert_with(|| (0, format!("{document}: {detail}")))
                    .0 += 1;
            }
        }
    }

    /// The line to compare between runs.
    pub fn summary(&self) -> String {
        format!(
            "round trip: {} documents ({} with response examples), {} operations: {} came back as their example, {} lossy, {} failed, {} without a response example; {} crashed",
            self.documents,
            self.with_examples,
            self.operations,
            self.passed,
            self.lossy.values().map(|(n, _)| n).sum::<usize>(),
            self.failed.values().map(|(n, _)| n).sum::<usize>(),
            self.unchecked,
            self.crashed.len(),
        )
    }

    /// Failed and lossy operations whose cause [`why`] does not explain.
    pub fn unexplained(&self) -> Vec<(&str, usize, &str)> {
        self.failed
            .iter()
            .chain(&self.lossy)
            .filter(|(cause, _)| why(cause).is_none())
            .map(|(cause, (count, example))| (cause.as_str(), *count, example.as_str()))
            .collect()
    }

    /// Causes, most frequent first.
    pub fn sorted(groups: &BTreeMap<String, (usize, String)>) -> Vec<(&str, usize, &str)> {
        let mut sorted: Vec<_> = groups
            .iter()
            .map(|(cause, (count, example))| (cause.as_str(), *count, example.as_str()))
            .collect();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        sorted
    }
}

#[cfg(test)]
mod tests {
    use super::{Totals, Trips, why};

    #[test]
    fn every_cause_the_mock_reports_is_explained_or_fails_the_run() {
        let trips = Trips {
            failed: vec![
                (
                    "a request body of this kind is not round-tripped".to_owned(),
                    "upload: multipart/form-data request body".to_owned(),
                ),
                (
                    "the server refused the request as invalid: a value is not in its `enum`, every input the document's example".to_owned(),
                    "pick: 400".to_owned(),
                ),
                (
                    "the server answered an undocumented 404 Not Found".to_owned(),
                    "get: 404".to_owned(),
                ),
            ],
            lossy: vec![(
                "a number is written another way".to_owned(),
                "get at /id".to_owned(),
            )],
            ..Trips::default()
        };
        let mut totals = Totals::default();
        totals.add("api.json", &trips);
        assert_eq!(
            why(
                "the server refused the request as invalid: a value is not in its `enum`, every input the document's example"
            ),
            Some("the document: its own example is outside the schema's `enum`")
        );
        assert_eq!(
            totals.unexplained(),
            [(
                "the server answered an undocumented 404 Not Found",
                1,
                "api.json: get: 404"
            )],
            "an undocumented 404 is a bug until someone finds out why"
        );
    }
}
