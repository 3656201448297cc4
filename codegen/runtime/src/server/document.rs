//! Publishing a service's own OpenAPI document from the service: what each generated
//! crate's `document_router()` is made of.
//!
//! Opt-in: a generated `router` serves the document's operations and nothing else, so no
//! path the document does not describe appears unless the service's author merges this
//! router in.

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::get;
use http::header::CONTENT_TYPE;

/// The media type of the JSON document.
const JSON: &str = "application/json";

/// The media type of the YAML document (RFC 9512).
const YAML: &str = "application/yaml";

/// A router answering `GET /openapi.json` with `json` (`application/json`) and
/// `GET /openapi.yaml` with `yaml` (`application/yaml`); `HEAD` too, and 405 with `Allow`
/// for other methods. The texts are served as they are, byte for byte.
pub fn document_router(json: &'static str, yaml: &'static str) -> Router {
    Router::new()
        .route(
            "/openapi.json",
            get(move || async move { ([(CONTENT_TYPE, JSON)], json).into_response() }),
        )
        .route(
            "/openapi.yaml",
            get(move || async move { ([(CONTENT_TYPE, YAML)], yaml).into_response() }),
        )
}
