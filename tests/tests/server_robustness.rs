//! What a generated router does with requests no operation expects: nothing a client
//! sends can crash it or reach the service unchecked, and every refusal is an answer
//! with a status and a body. Raw HTTP against the Xbox presence router.

use apigen_runtime::ApiKey;
use apigen_runtime::http::StatusCode;
use apigen_runtime::reqwest;
use apigen_runtime::server::Config;
use apigen_tests::serve::{RawResponse, Recorder, raw_get, serve};
use xbox_presence::operations::{GetUserPresenceParams, GetUserPresenceResponse};
use xbox_presence::types::PresenceRecord;
use xbox_presence::{XboxPresence, router, router_with};

/// The xuid that makes the fake panic.
const PANICS: u64 = 13;

/// A presence service that records its calls, and panics for one user.
struct Fake {
    calls: Recorder<u64>,
}

impl XboxPresence for Fake {
    async fn get_user_presence(
        &self,
        params: GetUserPresenceParams,
        _: ApiKey,
    ) -> GetUserPresenceResponse {
        self.calls.push(params.xuid);
        assert_ne!(
            params.xuid, PANICS,
            "the fake panics for this user, as a buggy service would"
        );
        GetUserPresenceResponse::Ok(PresenceRecord::new().with_xuid(params.xuid.to_string()))
    }
}

const HEADERS: [(&str, &str); 3] = [
    ("authorization", "XBL3.0 x=1;t"),
    ("x-xbl-contract-version", "3"),
    ("accept-language", "en-US"),
];

fn fake() -> (Fake, Recorder<u64>) {
    let calls = Recorder::new();
    (
        Fake {
            calls: calls.clone(),
        },
        calls,
    )
}

/// The `errors` of a problem body, as `(in, name)` pairs.
fn problems(response: &RawResponse) -> Vec<(String, String)> {
    let body = response.json();
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("a problem body lists its errors: {body}"));
    errors
        .iter()
        .map(|e| {
            (
                e["in"].as_str().unwrap_or_default().to_owned(),
                e["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_request_with_several_faults_learns_about_all_of_them_in_one_400() {
    let (fake, calls) = fake();
    let served = serve(router(fake)).await;

    let response = raw_get(
        &served.url("/users/xuid(abc)?level=everything"),
        &[("authorization", "XBL3.0 x=1;t")],
    )
    .await;

    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let problems = problems(&response);
    for expected in [
        ("path", "xuid"),
        ("query", "level"),
        ("header", "x-xbl-contract-version"),
        ("header", "accept-language"),
    ] {
        assert!(
            problems.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {problems:?}"
        );
    }
    assert!(calls.all().is_empty(), "the service is not called");
}

#[tokio::test]
async fn malformed_percent_encoding_and_invalid_utf8_get_400() {
    let (fake, calls) = fake();
    let served = serve(router(fake)).await;
    for path in [
        "/users/xuid(%zz)",
        "/users/xuid(%FF)",
        "/users/xuid(1)?level=%",
        "/users/xuid(1)?level=%C3%28",
    ] {
        let response = raw_get(&served.url(path), &HEADERS).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{path}: {:?}",
            response.body
        );
        assert!(!problems(&response).is_empty(), "{path}");
    }
    assert!(calls.all().is_empty());
}

#[tokio::test]
async fn an_unknown_path_gets_404_with_a_problem_body() {
    let (fake, _) = fake();
    let served = serve(router(fake)).await;
    let response = raw_get(&served.url("/users/gamertag(major)"), &HEADERS).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.json()["status"], 404);
    let response = raw_get(&served.url("/nowhere"), &HEADERS).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.json()["status"], 404);
}

#[tokio::test]
async fn a_wrong_method_gets_405_naming_the_allowed_ones() {
    let (fake, calls) = fake();
    let served = serve(router(fake)).await;
    let response = reqwest::Client::new()
        .delete(served.url("/users/xuid(1)"))
        .send()
        .await
        .expect("the loopback server answers");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "GET, HEAD");
    let body: serde_json::Value = response.json().await.expect("a JSON problem body");
    assert_eq!(body["status"], 405);
    assert!(calls.all().is_empty());
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_before_the_service_is_called() {
    let (fake, calls) = fake();
    let served = serve(router_with(fake, Config { body_limit: 1024 })).await;
    let mut request = reqwest::Client::new().get(served.url("/users/xuid(1)"));
    for (name, value) in HEADERS {
        request = request.header(name, value);
    }
    let response = request
        .body(vec![b'x'; 4096])
        .send()
        .await
        .expect("the loopback server answers");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(calls.all().is_empty());
}

#[tokio::test]
async fn the_default_body_limit_is_two_mebibytes() {
    assert_eq!(Config::default().body_limit, 2 * 1024 * 1024);
    let (fake, _) = fake();
    let served = serve(router(fake)).await;
    let mut request = reqwest::Client::new().get(served.url("/users/xuid(1)"));
    for (name, value) in HEADERS {
        request = request.header(name, value);
    }
    let response = request
        .body(vec![b'x'; 2 * 1024 * 1024 + 1])
        .send()
        .await
        .expect("the loopback server answers");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_service_that_panics_answers_500_and_the_server_keeps_serving() {
    let (fake, calls) = fake();
    let served = serve(router(fake)).await;

    let failed = raw_get(&served.url(&format!("/users/xuid({PANICS})")), &HEADERS).await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(failed.json()["status"], 500);

    let next = raw_get(&served.url("/users/xuid(7)"), &HEADERS).await;
    assert_eq!(next.status, StatusCode::OK);
    assert_eq!(next.json()["xuid"], "7");
    assert_eq!(calls.all(), [PANICS, 7]);
}

#[tokio::test]
async fn an_xuid_that_is_not_an_unsigned_64_bit_integer_gets_400_naming_xuid() {
    let (fake, calls) = fake();
    let served = serve(router(fake)).await;
    for xuid in ["-1", "abc", "18446744073709551616", "1.5", "", " 1"] {
        let response = raw_get(&served.url(&format!("/users/xuid({xuid})")), &HEADERS).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "xuid({xuid})");
        assert!(
            problems(&response).contains(&("path".to_owned(), "xuid".to_owned())),
            "xuid({xuid}): {:?}",
            problems(&response)
        );
    }
    let largest = raw_get(&served.url("/users/xuid(18446744073709551615)"), &HEADERS).await;
    assert_eq!(largest.status, StatusCode::OK, "2^64 - 1 is a valid xuid");
    assert_eq!(calls.all(), [u64::MAX]);
}
