//! Prism, a mock server nobody here wrote, serving one of our documents on loopback.
//!
//! [`Prism::start`] runs the pinned `prism mock` (see [`crate::tools::prism`]) on
//! `127.0.0.1` and a free port, and waits until it listens. Prism answers each request
//! from the document's examples after validating it against the document: an invalid
//! request gets the document's 400 or 422 response (or Prism's own `422`
//! `application/problem+json`), a request without the credentials its `security` asks
//! for gets the document's 401 (or Prism's own). A request may choose the answer with the
//! `Prefer: code=<status>` and `Prefer: example=<name>` headers ([`prefer`]).
//!
//! Prism's output is kept, so that a failing test can show what Prism said; the process
//! is killed when the [`Prism`] is dropped.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use apigen_runtime::http::{HeaderMap, HeaderValue};
use apigen_runtime::reqwest;

use crate::tools;

/// How long Prism may take to start listening (it reads and bundles the document first).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How many times a start is tried again when another process took the free port first.
const PORT_ATTEMPTS: usize = 3;

/// What Prism prints once it accepts requests.
const LISTENING: &str = "Prism is listening on";

/// What Prism prints for every request it receives.
const RECEIVED: &str = "Request received";

/// A running `prism mock` of one document; killed when dropped.
#[derive(Debug)]
pub struct Prism {
    /// `http://127.0.0.1:<port>`: the base URL to give a client. Prism serves the
    /// document's paths at the root, whatever its `servers` say.
    pub base_url: String,
    child: Child,
    output: Output,
}

/// Everything Prism has printed so far, stdout and stderr interleaved by line.
#[derive(Debug, Clone, Default)]
struct Output(Arc<Mutex<String>>);

impl Output {
    fn text(&self) -> String {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Copies `stream` into the output, line by line, on a thread of its own, so that
    /// Prism never blocks on a full pipe.
    fn drain(&self, stream: impl Read + Send + 'static) {
        let output = self.clone();
        thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                let mut text = output.0.lock().unwrap_or_else(PoisonError::into_inner);
                text.push_str(&line);
                text.push('\n');
            }
        });
    }
}

impl Prism {
    /// Starts `prism mock` on `document` (a path relative to the workspace root, such as
    /// `openapi/groove-music.yaml`) and waits until it listens.
    ///
    /// # Panics
    /// When Prism is not installed (the message says to run `cargo xtask test`), or does
    /// not start listening, with everything it printed.
    #[track_caller]
    pub fn start(document: &str) -> Prism {
        let executable = tools::prism();
        let document_path = tools::workspace_root().join(document);
        let mut failures = Vec::new();
        for _ in 0..PORT_ATTEMPTS {
            match try_start(&executable, &document_path) {
                Ok(prism) => return prism,
                Err(failure) if failure.port_taken => failures.push(failure.output),
                Err(failure) => panic!(
                    "prism mock {document} did not start listening: {}\nits output:\n{}",
                    failure.reason, failure.output
                ),
            }
        }
        panic!(
            "prism mock {document} found its port taken {PORT_ATTEMPTS} times; its outputs:\n{}",
            failures.join("\n---\n")
        )
    }

    /// Everything Prism printed so far (its log of each request and of each validation
    /// problem it found).
    pub fn output(&self) -> String {
        self.output.text()
    }

    /// How many requests Prism has logged, once at least `expected` are (or 5 s have
    /// passed): the requests reached Prism before their answers reached the test, but its
    /// log may still be on its way through the pipe. A short wait after that lets any
    /// request beyond `expected` show too.
    pub fn requests_received(&self, expected: usize) -> usize {
        let count = || self.output().matches(RECEIVED).count();
        let deadline = Instant::now() + Duration::from_secs(5);
        while count() < expected && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
        }
        thread::sleep(Duration::from_millis(200));
        count()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Best effort: the process may have died already, and a test must not panic in
        // drop over it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Why one start did not give a listening Prism.
struct StartFailure {
    reason: String,
    output: String,
    port_taken: bool,
}

fn try_start(executable: &Path, document: &Path) -> Result<Prism, StartFailure> {
    let port = free_port();
    let mut child = Command::new(executable)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(document)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| StartFailure {
            reason: format!(
                "{} could not be run: {error} (it is a Node.js script: is `node` on PATH?)",
                executable.display()
            ),
            output: String::new(),
            port_taken: false,
        })?;
    let output = Output::default();
    if let Some(stdout) = child.stdout.take() {
        output.drain(stdout);
    }
    if let Some(stderr) = child.stderr.take() {
        output.drain(stderr);
    }
    let mut prism = Prism {
        base_url: format!("http://127.0.0.1:{port}"),
        child,
        output,
    };
    let started = Instant::now();
    loop {
        let text = prism.output();
        if text.contains(LISTENING) {
            return Ok(prism);
        }
        let exited = prism.child.try_wait().ok().flatten();
        let timed_out = started.elapsed() > START_TIMEOUT;
        if exited.is_some() || timed_out {
            // Let the drain threads catch up with the last words of a dead process.
            thread::sleep(Duration::from_millis(200));
            let text = prism.output();
            let reason = match exited {
                Some(status) => format!("it exited with {status}"),
                None => format!("it printed no `{LISTENING}` in {START_TIMEOUT:?}"),
            };
            return Err(StartFailure {
                reason,
                port_taken: text.contains("EADDRINUSE"),
                output: text,
            });
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// A loopback port nothing listens on right now.
///
/// # Panics
/// When no loopback port can be bound.
fn free_port() -> u16 {
    let listener =
        TcpListener::bind("127.0.0.1:0").expect("a loopback port should be free to bind");
    listener
        .local_addr()
        .expect("a bound listener should know its address")
        .port()
}

/// A `reqwest` client that sends `Prefer: <preference>` with every request, for a
/// generated client's `with_http_client`: `code=404` makes Prism answer with the
/// document's 404, `example=seedSample` with that named example.
///
/// # Panics
/// When `preference` is not a valid header value, or the client cannot be built.
#[track_caller]
pub fn prefer(preference: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_str(preference)
        .unwrap_or_else(|error| panic!("`Prefer: {preference}` is not a header: {error}"));
    headers.insert("prefer", value);
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a reqwest client with a default header should build")
}
