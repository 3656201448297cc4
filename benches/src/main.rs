//! The two servers `cargo xtask bench` compares, answering the Xbox presence request with
//! the same body (the document's first example, built once):
//!
//! - `--generated`: the generated router (every request extracted and checked against the
//!   document: credentials, `xuid(…)`, `level`, required headers) and a service that
//!   returns the record;
//! - `--baseline`: a hand-written axum handler that parses the xuid and returns the same
//!   record as JSON, checking nothing else.
//!
//! Usage: `bench-server --generated|--baseline [--addr HOST:PORT]`; the first line printed
//! is `listening on http://ADDRESS`.

use apigen_runtime::ApiKey;
use apigen_runtime::axum::{self, Json, Router, extract::Path, extract::State, http::StatusCode};
use std::process::ExitCode;
use std::sync::Arc;
use xbox_presence::operations::{GetUserPresenceParams, GetUserPresenceResponse};
use xbox_presence::types::PresenceRecord;

/// A presence service answering every request with one record.
struct Fixed(PresenceRecord);

impl xbox_presence::XboxPresence for Fixed {
    async fn get_user_presence(
        &self,
        _: GetUserPresenceParams,
        _: ApiKey,
    ) -> GetUserPresenceResponse {
        GetUserPresenceResponse::Ok(self.0.clone())
    }
}

/// The hand-written handler: parse `xuid(<u64>)`, answer the record.
async fn baseline(
    State(record): State<Arc<PresenceRecord>>,
    Path(segment): Path<String>,
) -> Result<Json<PresenceRecord>, StatusCode> {
    let xuid = segment
        .strip_prefix("xuid(")
        .and_then(|rest| rest.strip_suffix(')'));
    match xuid.map(str::parse::<u64>) {
        Some(Ok(_)) => Ok(Json((*record).clone())),
        _ => Err(StatusCode::BAD_REQUEST),
    }
}

/// The first example of the 200 response of the document.
fn record() -> Result<PresenceRecord, String> {
    let document: serde_json::Value =
        serde_json::from_str(xbox_presence::OPENAPI_JSON).map_err(|e| e.to_string())?;
    let examples = document
        .pointer(
            "/paths/~1users~1xuid({xuid})/get/responses/200/content/application~1json/examples",
        )
        .and_then(serde_json::Value::as_object)
        .ok_or("the document has no 200 examples")?;
    let first = examples
        .values()
        .next()
        .and_then(|e| e.get("value"))
        .ok_or("no example value")?;
    serde_json::from_value(first.clone()).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (generated, address) = match args[..] {
        ["--generated"] => (true, "127.0.0.1:0"),
        ["--baseline"] => (false, "127.0.0.1:0"),
        ["--generated", "--addr", address] => (true, address),
        ["--baseline", "--addr", address] => (false, address),
        _ => {
            eprintln!("usage: bench-server --generated|--baseline [--addr HOST:PORT]");
            return ExitCode::FAILURE;
        }
    };
    let record = match record() {
        Ok(record) => record,
        Err(error) => {
            eprintln!("bench-server: {error}");
            return ExitCode::FAILURE;
        }
    };
    let router = if generated {
        xbox_presence::router(Fixed(record))
    } else {
        Router::new()
            .route("/users/{segment}", axum::routing::get(baseline))
            .with_state(Arc::new(record))
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("bench-server: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(address).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!("bench-server: cannot listen on {address}: {error}");
                return ExitCode::FAILURE;
            }
        };
        match listener.local_addr() {
            Ok(bound) => println!("listening on http://{bound}"),
            Err(error) => eprintln!("bench-server: {error}"),
        }
        match axum::serve(listener, router).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("bench-server: {error}");
                ExitCode::FAILURE
            }
        }
    })
}
