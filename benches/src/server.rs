//! `bench-server generated|baseline xbox|pet [--addr HOST:PORT]`: one server of a request
//! comparison of `cargo xtask bench`. The first line printed is `listening on
//! http://ADDRESS`, the second `request: JSON`, the request to load it with (see
//! `Endpoint::request`).
//!
//! - `generated xbox`: the generated Xbox presence router (credentials, `xuid(…)`,
//!   `level` and the required headers extracted and checked against the document) and a
//!   service that returns the record;
//! - `baseline xbox`: a hand-written axum handler checking the same things (credentials
//!   present, the two required headers, `level` one of its four values, `xuid(<u64>)`)
//!   and returning the same record;
//! - `generated pet`: the generated router of the schemas fixture (the body read, its
//!   kind told by `petType`, its constraints checked) and a service that echoes the pet;
//! - `baseline pet`: a hand-written axum handler with a serde enum tagged by `petType`,
//!   checking the same constraints, echoing the pet.
//!
//! The runtime has as many worker threads as the CPUs the process may run on: the
//! benchmark pins the server to one with `taskset`.

use apigen_bench::{Endpoint, Side};
use apigen_runtime::ApiKey;
use apigen_runtime::axum::{
    self, Json, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
};
use std::process::ExitCode;
use std::sync::Arc;
use xbox_presence::operations::{GetUserPresenceParams, GetUserPresenceResponse};
use xbox_presence::types::PresenceRecord;

/// A presence service answering every request with one record.
struct Presence(PresenceRecord);

impl xbox_presence::XboxPresence for Presence {
    async fn get_user_presence(
        &self,
        _: GetUserPresenceParams,
        _: ApiKey,
    ) -> GetUserPresenceResponse {
        GetUserPresenceResponse::Ok(self.0.clone())
    }
}

/// A schemas service echoing what it is sent (only `adopt_pet` is loaded).
struct Echo;

impl schemas::Schemas for Echo {
    async fn adopt_pet(
        &self,
        _: schemas::operations::AdoptPetParams,
        body: schemas::types::Pet,
    ) -> schemas::operations::AdoptPetResponse {
        schemas::operations::AdoptPetResponse::Ok(body)
    }

    async fn draw_shape(
        &self,
        _: schemas::operations::DrawShapeParams,
        body: schemas::types::Shape,
    ) -> schemas::operations::DrawShapeResponse {
        schemas::operations::DrawShapeResponse::Ok(body)
    }

    async fn echo_everything(
        &self,
        _: schemas::operations::EchoEverythingParams,
        body: schemas::types::Everything,
    ) -> schemas::operations::EchoEverythingResponse {
        schemas::operations::EchoEverythingResponse::Ok(body)
    }

    async fn plant_tree(
        &self,
        _: schemas::operations::PlantTreeParams,
        body: schemas::types::Garden,
    ) -> schemas::operations::PlantTreeResponse {
        schemas::operations::PlantTreeResponse::Ok(body)
    }

    async fn replace_forest(
        &self,
        _: schemas::operations::ReplaceForestParams,
        body: Option<Vec<schemas::types::Tree>>,
    ) -> schemas::operations::ReplaceForestResponse {
        schemas::operations::ReplaceForestResponse::Ok(body.unwrap_or_default())
    }

    async fn compare(
        &self,
        params: schemas::operations::CompareParams,
    ) -> schemas::operations::CompareResponse {
        schemas::operations::CompareResponse::Ok(schemas::types::CompareOkBody::new(
            params.base,
            params.head,
        ))
    }
}

/// The `level` query parameter as a hand-written handler reads it.
#[derive(serde::Deserialize)]
struct LevelQuery {
    // Read to refuse a value outside the four; the record is the same for each.
    #[serde(rename = "level")]
    _level: Option<Level>,
}

/// How much of the record to return.
#[derive(serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    User,
    Device,
    Title,
    All,
}

/// The hand-written presence handler: credentials (403 without), the required headers
/// and `level` (400 when wrong), `xuid(<u64>)` (400 otherwise), then the record.
async fn presence(
    State(record): State<Arc<PresenceRecord>>,
    Path(segment): Path<String>,
    Query(_): Query<LevelQuery>,
    headers: HeaderMap,
) -> Result<Json<PresenceRecord>, StatusCode> {
    if !headers.contains_key("authorization") {
        return Err(StatusCode::FORBIDDEN);
    }
    if !headers.contains_key("x-xbl-contract-version") || !headers.contains_key("accept-language") {
        return Err(StatusCode::BAD_REQUEST);
    }
    let xuid = segment
        .strip_prefix("xuid(")
        .and_then(|rest| rest.strip_suffix(')'));
    match xuid.map(str::parse::<u64>) {
        Some(Ok(_)) => Ok(Json((*record).clone())),
        _ => Err(StatusCode::BAD_REQUEST),
    }
}

/// A pet as a hand-written handler reads it: a serde enum tagged by `petType`.
#[derive(serde::Deserialize, serde::Serialize)]
#[serde(tag = "petType")]
enum Pet {
    #[serde(rename = "cat", alias = "kitten")]
    Cat {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lives: Option<i32>,
    },
    #[serde(rename = "dog")]
    Dog {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bark: Option<Bark>,
    },
    #[serde(rename = "Lizard")]
    Lizard {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        colour: Option<String>,
    },
}

/// How a dog barks.
#[derive(serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum Bark {
    Loud,
    Quiet,
}

/// The hand-written pet handler: the body (400 or 415 from axum when it is not a pet),
/// the cat's constraints (400), then the pet echoed.
async fn adopt(Json(pet): Json<Pet>) -> Result<Json<Pet>, StatusCode> {
    if let Pet::Cat { name, lives } = &pet
        && (name.is_empty() || lives.is_some_and(|lives| ![1, 7, 9].contains(&lives)))
    {
        return Err(StatusCode::BAD_REQUEST);
    }
    Ok(Json(pet))
}

fn router(side: Side, endpoint: Endpoint) -> Result<Router, String> {
    Ok(match (side, endpoint) {
        (Side::Generated, Endpoint::Xbox) => {
            xbox_presence::router(Presence(apigen_bench::presence_record()?))
        }
        (Side::Baseline, Endpoint::Xbox) => Router::new()
            .route("/users/{segment}", axum::routing::get(presence))
            .with_state(Arc::new(apigen_bench::presence_record()?)),
        (Side::Generated, Endpoint::Pet) => schemas::router(Echo),
        (Side::Baseline, Endpoint::Pet) => Router::new().route("/pets", axum::routing::post(adopt)),
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (side, endpoint, address) = match args[..] {
        [side, endpoint] => (side, endpoint, "127.0.0.1:0"),
        [side, endpoint, "--addr", address] => (side, endpoint, address),
        _ => ("", "", ""),
    };
    let (Some(side), Some(endpoint)) = (Side::parse(side), Endpoint::parse(endpoint)) else {
        eprintln!("usage: bench-server generated|baseline xbox|pet [--addr HOST:PORT]");
        return ExitCode::FAILURE;
    };
    let served = router(side, endpoint).and_then(|router| {
        let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .map_err(|e| format!("cannot listen on {address}: {e}"))?;
            let bound = listener.local_addr().map_err(|e| e.to_string())?;
            println!("listening on http://{bound}");
            println!("request: {}", endpoint.request());
            axum::serve(listener, router)
                .await
                .map_err(|e| e.to_string())
        })
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench-server: {error}");
            ExitCode::FAILURE
        }
    }
}
