//! The Xbox Live presence story, over loopback: a client asks for the presence of the
//! user `xuid(2533274790395904)` with its XBL3.0 token and the contract version the
//! document prescribes, and reads every record the document gives as an example, typed
//! and unchanged; the service, a fake of the generated trait answering from those
//! examples, receives the typed request; malformed or anonymous requests are refused by
//! the generated router before the service is called.

use apigen_runtime::ApiKey;
use apigen_runtime::client::Error;
use apigen_runtime::http::{Method, StatusCode};
use apigen_tests::serve::{
    self, Document, Recorder, Served, answering, assert_same_json, names_parameter, raw_get,
    to_json, typed,
};
use xbox_presence::operations::{
    GetUserPresenceError, GetUserPresenceParams, GetUserPresenceResponse,
};
use xbox_presence::types::{PresenceLevel, PresenceRecord};
use xbox_presence::{Client, OPENAPI_JSON, XboxPresence, router};

const PATH: &str = "/users/xuid({xuid})";

/// The seed page's user.
const XUID: u64 = 2533274790395904;

/// An Xbox Live token as the `Authorization` header carries it, `;` and `=` included.
const XBL_TOKEN: &str = "XBL3.0 x=8425395467120987;eyJhbGciOiJSUzI1NiJ9.eyJ4dWlkIjoiMjUzMzI3NDc5MDM5NTkwNCJ9.c2lnbmF0dXJl";

/// What the fake was called with: the typed parameters and the credentials.
type Call = (GetUserPresenceParams, ApiKey);

/// How the fake chooses its answer from the request.
type Answer = dyn Fn(&GetUserPresenceParams) -> GetUserPresenceResponse + Send + Sync;

/// The presence service, answering from the document's examples.
struct Fake {
    answer: Box<Answer>,
    calls: Recorder<Call>,
}

impl XboxPresence for Fake {
    async fn get_user_presence(
        &self,
        params: GetUserPresenceParams,
        credentials: ApiKey,
    ) -> GetUserPresenceResponse {
        let answer = (self.answer)(&params);
        self.calls.push((params, credentials));
        answer
    }
}

fn document() -> Document {
    Document::parse(OPENAPI_JSON)
}

/// The level each named 200 example answers: the request its description gives.
fn level_answered_by(example: &str) -> Option<PresenceLevel> {
    match example {
        "seedSample" => Some(PresenceLevel::All),
        "noDevices" => None,
        "userLevel" => Some(PresenceLevel::User),
        other => panic!("the test knows no request answered by the 200 example {other}: add it"),
    }
}

/// The error a `xuid` equal to a documented error status makes the fake answer.
fn error_answered_at(xuid: u64) -> Option<(GetUserPresenceResponse, GetUserPresenceError)> {
    match xuid {
        400 => Some((
            GetUserPresenceResponse::BadRequest,
            GetUserPresenceError::BadRequest,
        )),
        403 => Some((
            GetUserPresenceResponse::Forbidden,
            GetUserPresenceError::Forbidden,
        )),
        503 => Some((
            GetUserPresenceResponse::ServiceUnavailable,
            GetUserPresenceError::ServiceUnavailable,
        )),
        _ => None,
    }
}

/// Serves the fake: it answers a `xuid` equal to a documented error status with that
/// status, and any other `xuid` with the 200 example of the requested level.
async fn start() -> (Served, Recorder<Call>) {
    let records: Vec<(Option<PresenceLevel>, PresenceRecord)> = document()
        .examples(PATH, "get", "200")
        .iter()
        .map(|example| (level_answered_by(&example.name), typed(example)))
        .collect();
    let answer = move |params: &GetUserPresenceParams| {
        if let Some((response, _)) = error_answered_at(params.xuid) {
            return response;
        }
        let record = records
            .iter()
            .find(|(level, _)| *level == params.level)
            .map(|(_, record)| record.clone())
            .unwrap_or_else(|| panic!("no 200 example answers level {:?}", params.level));
        GetUserPresenceResponse::Ok(record)
    };
    let calls = Recorder::new();
    let fake = Fake {
        answer: Box::new(answer),
        calls: calls.clone(),
    };
    (serve::serve(router(fake)).await, calls)
}

fn params(xuid: u64, level: Option<PresenceLevel>) -> GetUserPresenceParams {
    let mut params = GetUserPresenceParams::new(xuid, "3".to_owned(), "en-US".to_owned());
    params.level = level;
    params
}

fn client(served: &Served) -> Client {
    Client::with_base_url(&served.base_url).with_xbl_auth(XBL_TOKEN)
}

/// The headers of a well-formed request, for hand-written ones.
const HEADERS: [(&str, &str); 4] = [
    ("authorization", XBL_TOKEN),
    ("x-xbl-contract-version", "3"),
    ("accept-language", "en-US"),
    ("accept", "application/json"),
];

fn headers_without(name: &str) -> Vec<(&'static str, &'static str)> {
    HEADERS
        .into_iter()
        .filter(|(header, _)| *header != name)
        .collect()
}

/// Sends a hand-written request and checks that the router refused it with `status` and
/// a JSON body naming `parameter`, without calling the service.
async fn assert_refused(path_and_query: &str, headers: &[(&str, &str)], parameter: &str) {
    let (served, calls) = start().await;
    let response = raw_get(&served.url(path_and_query), headers).await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "GET {path_and_query}: {:?}",
        String::from_utf8_lossy(&response.body)
    );
    let body = response.json();
    assert!(
        names_parameter(&body, parameter),
        "GET {path_and_query}: the 400 body should name `{parameter}`: {body}"
    );
    assert!(
        calls.all().is_empty(),
        "GET {path_and_query}: the service should not be called: {:?}",
        calls.all()
    );
}

#[tokio::test]
async fn a_client_reads_every_seed_presence_record_typed_and_unchanged() {
    let (served, calls) = start().await;
    let client = client(&served);
    let examples = document().examples(PATH, "get", "200");
    assert!(
        examples.len() >= 2,
        "the document should give the seed's record and more: {examples:?}"
    );
    for example in &examples {
        let sent = params(XUID, level_answered_by(&example.name));
        let record = client
            .get_user_presence(&sent)
            .await
            .unwrap_or_else(|error| panic!("the {} record should arrive: {error}", example.name));

        let expected: PresenceRecord = typed(example);
        assert_eq!(
            record, expected,
            "the {} record arrives typed",
            example.name
        );
        assert_same_json(&to_json(&record), &example.value, &example.name);

        assert_eq!(
            calls.take(),
            [(sent, ApiKey::new(XBL_TOKEN))],
            "the service receives the typed request for {}",
            example.name
        );
        served.take_only_request();
    }
}

#[tokio::test]
async fn a_presence_request_arrives_exactly_as_the_document_prescribes() {
    let (served, calls) = start().await;
    let sent =
        params(XUID, Some(PresenceLevel::All)).with_x_requested_service_version("1".to_owned());
    client(&served)
        .get_user_presence(&sent)
        .await
        .expect("the presence of the seed's user at level=all should arrive");

    let request = served.take_only_request();
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.path(), "/users/xuid(2533274790395904)");
    assert_eq!(request.query(), "level=all");
    assert_eq!(request.header("x-xbl-contract-version"), "3");
    assert_eq!(request.header("accept-language"), "en-US");
    assert_eq!(request.header("x-requestedserviceversion"), "1");
    assert_eq!(request.header("authorization"), XBL_TOKEN);
    assert_eq!(request.header("accept"), "application/json");

    assert_eq!(calls.take(), [(sent, ApiKey::new(XBL_TOKEN))]);
}

#[tokio::test]
async fn every_documented_error_status_reaches_the_client_as_its_bodiless_variant() {
    let document = document();
    let errors: Vec<String> = document
        .statuses(PATH, "get")
        .into_iter()
        .filter(|status| !status.starts_with('2'))
        .collect();
    assert_eq!(errors, ["400", "403", "503"]);
    let (served, calls) = start().await;
    let client = client(&served);
    for status in &errors {
        assert!(
            !document.has_json_body(PATH, "get", status),
            "the document gives the {status} answer no body"
        );
        let xuid: u64 = status.parse().expect("a status is a number");
        let (_, expected) = error_answered_at(xuid).expect("every error status has an answer");
        let sent = params(xuid, None);
        match client.get_user_presence(&sent).await {
            Err(Error::Api(error)) => assert_eq!(error, expected, "status {status}"),
            other => panic!("status {status} should arrive as Error::Api({expected:?}): {other:?}"),
        }
        assert_eq!(calls.take(), [(sent, ApiKey::new(XBL_TOKEN))]);
    }
}

#[tokio::test]
async fn an_undocumented_status_reaches_the_client_with_its_status_and_body() {
    let teapot = serve::serve(answering(
        StatusCode::IM_A_TEAPOT,
        "text/plain",
        "I'm a teapot, not a presence service",
    ))
    .await;
    let result = client(&teapot)
        .get_user_presence(&params(XUID, Some(PresenceLevel::All)))
        .await;
    match result {
        Err(Error::UnexpectedStatus {
            operation,
            status,
            body,
            ..
        }) => {
            assert_eq!(operation, "getUserPresence");
            assert_eq!(status, StatusCode::IM_A_TEAPOT);
            assert_eq!(body, "I'm a teapot, not a presence service");
        }
        other => panic!("a 418 should arrive as Error::UnexpectedStatus: {other:?}"),
    }
    assert_eq!(
        teapot.take_only_request().path(),
        "/users/xuid(2533274790395904)"
    );
}

#[tokio::test]
async fn a_presence_request_without_a_token_gets_403_and_never_reaches_the_service() {
    let (served, calls) = start().await;
    let response = raw_get(
        &served.url("/users/xuid(2533274790395904)?level=all"),
        &headers_without("authorization"),
    )
    .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(calls.all().is_empty(), "{:?}", calls.all());
}

#[tokio::test]
async fn a_client_without_a_token_sends_nothing_and_says_how_to_set_one() {
    let (served, calls) = start().await;
    let result = Client::with_base_url(&served.base_url)
        .get_user_presence(&params(XUID, None))
        .await;
    match result {
        Err(Error::InvalidRequest { message, .. }) => assert!(
            message.contains("with_xbl_auth"),
            "the message should name the setter: {message}"
        ),
        other => panic!("a call without credentials should not be sent: {other:?}"),
    }
    assert!(served.requests().is_empty(), "{:?}", served.requests());
    assert!(calls.all().is_empty());
}

#[tokio::test]
async fn a_presence_request_for_xuid_abc_gets_400_naming_xuid() {
    assert_refused("/users/xuid(abc)", &HEADERS, "xuid").await;
}

#[tokio::test]
async fn a_presence_request_for_a_xuid_beyond_64_bits_gets_400_naming_xuid() {
    assert_refused("/users/xuid(18446744073709551616)", &HEADERS, "xuid").await;

    // The largest 64-bit value is a valid XUID: the boundary is where the document puts it.
    let (served, calls) = start().await;
    let response = raw_get(&served.url("/users/xuid(18446744073709551615)"), &HEADERS).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(calls.take()[0].0.xuid, u64::MAX);
}

#[tokio::test]
async fn a_presence_request_with_an_unknown_level_gets_400_naming_level() {
    assert_refused(
        "/users/xuid(2533274790395904)?level=everything",
        &HEADERS,
        "level",
    )
    .await;
}

#[tokio::test]
async fn a_presence_request_without_the_contract_version_gets_400_naming_it() {
    assert_refused(
        "/users/xuid(2533274790395904)",
        &headers_without("x-xbl-contract-version"),
        "x-xbl-contract-version",
    )
    .await;
}

#[tokio::test]
async fn a_presence_request_without_accept_language_gets_400_naming_it() {
    assert_refused(
        "/users/xuid(2533274790395904)",
        &headers_without("accept-language"),
        "accept-language",
    )
    .await;
}

#[tokio::test]
async fn a_path_without_the_xuid_parentheses_is_not_found() {
    let (served, calls) = start().await;
    let response = raw_get(&served.url("/users/2533274790395904"), &HEADERS).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(calls.all().is_empty(), "{:?}", calls.all());
}
