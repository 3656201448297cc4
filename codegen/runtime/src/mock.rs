//! Serving a document's examples: what the generated `Mock` of each crate (feature
//! `mock`) is made of, and what `cargo xtask serve` runs.
//!
//! A mock answers each operation with the first example of its first documented
//! response that has one, and answers what the router refuses with the example of the
//! status the document declares for it, so every answer is one the document describes.

mod round_trip;
mod sample;

pub use round_trip::{Failure, Outcome, Report, Trip};
pub use sample::sample;

use crate::server::{Rejection, json_response};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::future::Future;
use std::io::Write;
use std::process::ExitCode;

/// The embedded document, parsed (`Value::Null` if it does not parse, which the
/// generator rules out).
pub fn document(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or(Value::Null)
}

/// Follows a local `$ref` in `document`.
fn follow<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => document.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

/// The path item of `path`, following its `$ref` (3.1's `components/pathItems`).
fn path_item<'a>(document: &'a Value, path: &str) -> Option<&'a Value> {
    Some(follow(document, document.get("paths")?.get(path)?))
}

/// The operation `method path` of `document`: the path item's field of the method
/// (`get`, ..., OpenAPI 3.2's `query`), or else the entry of its `additionalOperations`
/// named exactly `method` (`COPY`).
fn operation<'a>(document: &'a Value, path: &str, method: &str) -> Option<&'a Value> {
    let item = path_item(document, path)?;
    item.get(method.to_ascii_lowercase())
        .or_else(|| item.get("additionalOperations")?.get(method))
}

/// The first JSON example of the response `status` of the operation `method path`.
pub fn example(document: &Value, path: &str, method: &str, status: &str) -> Option<Value> {
    let operation = operation(document, path, method)?;
    let response = follow(document, operation.get("responses")?.get(status)?);
    let content = response.get("content")?.as_object()?;
    let media = content
        .iter()
        .find(|(name, _)| crate::media::is_json(name))
        .map(|(_, media)| media)?;
    example_of(document, media).or_else(|| {
        media
            .get("schema")
            .map(|schema| follow(document, schema))
            .and_then(|schema| schema.get("example"))
            .cloned()
    })
}

/// The `example`, or else the first of the `examples`, of a media type or parameter
/// object.
fn example_of(document: &Value, holder: &Value) -> Option<Value> {
    if let Some(example) = holder.get("example") {
        return Some(example.clone());
    }
    let first = holder
        .get("examples")
        .and_then(Value::as_object)?
        .values()
        .next()?;
    follow(document, first).get("value").cloned()
}

/// The body a mock answers the response `status` of `method path` with: the response's
/// first JSON example, or else a value made up from its schema ([`sample`]; `true`
/// says so).
pub fn answer(document: &Value, path: &str, method: &str, status: &str) -> Option<(Value, bool)> {
    if let Some(example) = example(document, path, method, status) {
        return Some((example, false));
    }
    let operation = operation(document, path, method)?;
    let response = follow(document, operation.get("responses")?.get(status)?);
    let schema = response
        .get("content")?
        .as_object()?
        .iter()
        .find(|(name, _)| crate::media::is_json(name))?
        .1
        .get("schema")?;
    Some((sample(document, schema)?, true))
}

/// The body a mock answers with ([`answer`]), typed.
pub fn body<T: DeserializeOwned>(
    document: &Value,
    path: &str,
    method: &str,
    status: &str,
) -> Option<T> {
    serde_json::from_value(answer(document, path, method, status)?.0).ok()
}

/// Answers a refusal the way the document says the operation fails with that status:
/// its example body, or no body when the document gives none; a status the document
/// does not list for the operation gets the RFC 9457 problem body.
pub fn reject(document: &Value, rejection: Rejection) -> Response {
    let status = rejection.status;
    let Some(operation) = rejection.operation else {
        return rejection.into_problem_response();
    };
    let code = status.as_str();
    let responses = self::operation(document, operation.path, operation.method)
        .and_then(|operation| operation.get("responses"));
    let documented = responses
        .and_then(|responses| responses.get(code))
        .map(|r| follow(document, r));
    match documented {
        None => rejection.into_problem_response(),
        Some(response) => match example(document, operation.path, operation.method, code) {
            Some(body) => json_response(status.as_u16(), &body),
            None if response.get("content").is_none() => status.into_response(),
            None => rejection.into_problem_response(),
        },
    }
}

/// The `main` of a `<crate>-mock` binary: serves `router` under `base_path` (the
/// document's server path), and `document` (the crate's `document_router()`, at
/// `/openapi.json` and `/openapi.yaml`) at the root, on the address given as
/// `--addr HOST:PORT` (default `127.0.0.1:8080`) until interrupted. With `--docs FILE`
/// it also serves that HTML file (the reference page `cargo xtask docs` builds) at
/// `/docs`. The document and the page come first: an operation of the document at one
/// of their paths is not served by the mock.
///
/// With `--round-trip` it serves on a free port of 127.0.0.1 instead, runs `round_trip`
/// (the crate's `mock::round_trip`) against itself, prints one JSON [`Report`] per line
/// and exits: what `cargo xtask conformance` runs.
pub fn run<R, F>(
    name: &str,
    base_path: &str,
    router: axum::Router,
    document: axum::Router,
    round_trip: R,
) -> ExitCode
where
    R: FnOnce(String) -> F,
    F: Future<Output = Vec<Report>>,
{
    let service = crate::server::mount(base_path, router);
    let mut args = std::env::args().skip(1);
    let mut address = "127.0.0.1:8080".to_owned();
    let mut docs = None;
    let mut trip = false;
    while let Some(arg) = args.next() {
        // Every option but `--round-trip` takes a value.
        let value = if arg == "--round-trip" {
            None
        } else {
            args.next()
        };
        match (arg.as_str(), value) {
            ("--round-trip", None) => trip = true,
            ("--addr", Some(value)) => address = value,
            ("--docs", Some(value)) => docs = Some(value),
            _ => {
                eprintln!("usage: {name} [--addr HOST:PORT] [--docs FILE] | --round-trip");
                return ExitCode::FAILURE;
            }
        }
    }
    if trip {
        return round_trip_run(name, base_path, service, round_trip);
    }
    let mut published = document;
    let has_docs = docs.is_some();
    if let Some(file) = docs {
        // Read once, now: a missing page is a mistake to report at start, not a 404 later.
        let page = match std::fs::read(&file) {
            Ok(page) => bytes::Bytes::from(page),
            Err(error) => {
                eprintln!("{name}: cannot read the reference page {file}: {error}");
                return ExitCode::FAILURE;
            }
        };
        published = published.route(
            "/docs",
            axum::routing::get(move || {
                let page = page.clone();
                async move { axum::response::Html(page) }
            }),
        );
    }
    // A fallback rather than a merge: no path of the document can collide with these.
    let router = published.fallback_service(service);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{name}: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&address).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!("{name}: cannot listen on {address}: {error}");
                return ExitCode::FAILURE;
            }
        };
        match listener.local_addr() {
            // Tests and scripts read the first line to learn the port of `--addr
            // 127.0.0.1:0`, and may stop reading there: both lines go in one write, so
            // that the second never meets a pipe already closed.
            Ok(bound) => {
                let docs = if has_docs {
                    ", the reference page at /docs"
                } else {
                    ""
                };
                let text = format!(
                    "{name}: serving the document's examples on http://{bound}{base_path}\n\
                     {name}: the document at http://{bound}/openapi.json and /openapi.yaml{docs}\n"
                );
                let mut stdout = std::io::stdout().lock();
                // Nobody left to tell when stdout is closed: serve all the same.
                let _ = stdout
                    .write_all(text.as_bytes())
                    .and_then(|()| stdout.flush());
            }
            Err(error) => eprintln!("{name}: listening, address unknown: {error}"),
        }
        match axum::serve(listener, router).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("{name}: the server stopped: {error}");
                ExitCode::FAILURE
            }
        }
    })
}

/// `--round-trip`: the mock on a free loopback port, the round trip against it, its
/// reports on stdout.
fn round_trip_run<R, F>(
    name: &str,
    base_path: &str,
    service: axum::Router,
    round_trip: R,
) -> ExitCode
where
    R: FnOnce(String) -> F,
    F: Future<Output = Vec<Report>>,
{
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{name}: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!("{name}: cannot listen on 127.0.0.1: {error}");
                return ExitCode::FAILURE;
            }
        };
        let bound = match listener.local_addr() {
            Ok(bound) => bound,
            Err(error) => {
                eprintln!("{name}: listening, address unknown: {error}");
                return ExitCode::FAILURE;
            }
        };
        tokio::spawn(async move { axum::serve(listener, service).await });
        let reports = round_trip(format!("http://{bound}{base_path}")).await;
        let mut stdout = std::io::stdout().lock();
        for report in reports {
            let line = serde_json::to_string(&report).unwrap_or_default();
            if writeln!(stdout, "{line}").is_err() {
                return ExitCode::FAILURE;
            }
        }
        ExitCode::SUCCESS
    })
}
