//! What both sides of each request comparison of `cargo xtask bench` share: the two
//! endpoints, the request sent to each, and the answer expected.
//!
//! - **xbox**: `GET /users/xuid(2533274790395904)?level=all` of the Xbox presence
//!   document, with its credentials and two required headers: parameters in the path,
//!   the query and headers, answered with the document's first example record.
//! - **pet**: `POST /pets` of the `tests/openapi/schemas.yaml` fixture, a JSON body that
//!   is one of three kinds told apart by `petType`, with constraints (a name of at least
//!   one character, a number of lives from a closed set), echoed back.
//!
//! The generated side is the crate `codegen` made from each document; the hand-written
//! side is what a Rust engineer would write with axum or reqwest for the same request,
//! checking the same things (see `bench-server` and `bench-client`).

use xbox_presence::types::PresenceRecord;

/// The Xbox user whose presence is asked for.
pub const XUID: u64 = 2533274790395904;

/// The headers of the Xbox request: credentials, then the two the document requires.
pub const XBOX_HEADERS: [(&str, &str); 3] = [
    ("authorization", "XBL3.0 x=1234;token"),
    ("x-xbl-contract-version", "3"),
    ("accept-language", "en-US"),
];

/// The body of the pet request: a cat, with every constraint of its schema to check.
pub const PET_BODY: &str = r#"{"petType":"cat","name":"Tom","lives":9}"#;

/// An endpoint the benchmark loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// The Xbox presence GET.
    Xbox,
    /// The pet POST.
    Pet,
}

impl Endpoint {
    /// The endpoint named `name` (`xbox` or `pet`) on the command line.
    pub fn parse(name: &str) -> Option<Endpoint> {
        match name {
            "xbox" => Some(Endpoint::Xbox),
            "pet" => Some(Endpoint::Pet),
            _ => None,
        }
    }

    /// The path and query the request goes to.
    pub fn path_and_query(self) -> String {
        match self {
            Endpoint::Xbox => format!("/users/xuid({XUID})?level=all"),
            Endpoint::Pet => "/pets".to_owned(),
        }
    }

    /// The request as a load generator is told it: `{"method", "path", "headers":
    /// [[name, value]…], "body"}` (`bench-server` prints it for `cargo xtask bench`).
    pub fn request(self) -> serde_json::Value {
        match self {
            Endpoint::Xbox => serde_json::json!({
                "method": "GET",
                "path": self.path_and_query(),
                "headers": XBOX_HEADERS,
                "body": null,
            }),
            Endpoint::Pet => serde_json::json!({
                "method": "POST",
                "path": self.path_and_query(),
                "headers": [["content-type", "application/json"]],
                "body": PET_BODY,
            }),
        }
    }
}

/// Which implementation a side of a comparison runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The code `codegen` generated.
    Generated,
    /// Code written by hand with axum or reqwest.
    Baseline,
}

impl Side {
    /// The side named `name` (`generated` or `baseline`) on the command line.
    pub fn parse(name: &str) -> Option<Side> {
        match name {
            "generated" => Some(Side::Generated),
            "baseline" => Some(Side::Baseline),
            _ => None,
        }
    }
}

/// The first example of the 200 response of the Xbox document: the record every
/// Xbox server answers with.
pub fn presence_record() -> Result<PresenceRecord, String> {
    let document: serde_json::Value =
        serde_json::from_str(xbox_presence::OPENAPI_JSON).map_err(|e| e.to_string())?;
    let examples = document
        .pointer(
            "/paths/~1users~1xuid({xuid})/get/responses/200/content/application~1json/examples",
        )
        .and_then(serde_json::Value::as_object)
        .ok_or("the Xbox document has no 200 examples")?;
    let first = examples
        .values()
        .next()
        .and_then(|e| e.get("value"))
        .ok_or("the Xbox document's first 200 example has no value")?;
    serde_json::from_value(first.clone()).map_err(|e| e.to_string())
}
