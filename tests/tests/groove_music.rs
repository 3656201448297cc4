//! The Groove Music profile story, over loopback: a signed-in user's app asks for
//! `/1/user/music/profile` with `Authorization: Bearer <token>` and reads each of the
//! four seed profiles, typed and unchanged, and each documented error with its body; the
//! service, a fake of the generated trait answering from the document's examples,
//! receives the typed request and token; anonymous or malformed requests are refused by
//! the generated router before the service is called.

use apigen_runtime::axum::response::Response;
use apigen_runtime::server::Rejection;
use std::collections::HashMap;

use apigen_runtime::Bearer;
use apigen_runtime::client::Error;
use apigen_runtime::http::{Method, StatusCode};
use apigen_tests::serve::{
    self, Document, Example, Recorder, Served, answering, assert_same_json, names_parameter,
    raw_get, to_json, typed,
};
use groove_music::operations::{GetUserProfileError, GetUserProfileParams, GetUserProfileResponse};
use groove_music::types::{
    ErrorResponse, GetUserProfileContentType, GetUserProfileNamespace, UserProfileResponse,
};
use groove_music::{Client, GrooveMusic, OPENAPI_JSON, router};

const PATH: &str = "/1/user/{namespace}/profile";

/// What the fake was called with: the typed parameters and the user's token.
type Call = (GetUserProfileParams, Bearer);

/// The profile service: it answers each token with the answer the test gave it, so each
/// example of the document has a user of its own.
struct Fake {
    answers: HashMap<String, GetUserProfileResponse>,
    calls: Recorder<Call>,
}

impl GrooveMusic for Fake {
    async fn get_user_profile(
        &self,
        params: GetUserProfileParams,
        credentials: Bearer,
    ) -> GetUserProfileResponse {
        let answer = self.answers.get(&credentials.token).cloned();
        self.calls.push((params, credentials.clone()));
        answer.unwrap_or_else(|| {
            panic!(
                "the fake has no answer for {:?}: the test sent a token it did not set up",
                credentials.token
            )
        })
    }

    /// Groove answers what it refuses in its own error format, as the document says.
    fn reject(&self, rejection: Rejection) -> Response {
        let code = match rejection.status.as_u16() {
            401 => "ACCESS_TOKEN_MISSING",
            _ => "INVALID_INPUT_PARAMETER",
        };
        let body = ErrorResponse::new(
            groove_music::types::Error::new(
                code.to_owned(),
                "The request was refused before reaching the service.".to_owned(),
            )
            .with_message(rejection.detail()),
        );
        apigen_runtime::server::json_response(rejection.status.as_u16(), &body)
    }
}

fn document() -> Document {
    Document::parse(OPENAPI_JSON)
}

/// The token of the user the fake answers with `example`.
fn token_for(example: &Example) -> String {
    format!("{}-{}", example.status, example.name)
}

/// The variant each documented error status travels in, server side and client side.
fn error_variants(
    status: &str,
    body: ErrorResponse,
) -> (GetUserProfileResponse, GetUserProfileError) {
    type R = GetUserProfileResponse;
    type E = GetUserProfileError;
    match status {
        "400" => (R::BadRequest(body.clone()), E::BadRequest(body)),
        "401" => (R::Unauthorized(body.clone()), E::Unauthorized(body)),
        "403" => (R::Forbidden(body.clone()), E::Forbidden(body)),
        "429" => (R::TooManyRequests(body.clone()), E::TooManyRequests(body)),
        "500" => (
            R::InternalServerError(body.clone()),
            E::InternalServerError(body),
        ),
        "502" => (R::BadGateway(body.clone()), E::BadGateway(body)),
        "503" => (
            R::ServiceUnavailable(body.clone()),
            E::ServiceUnavailable(body),
        ),
        other => panic!("the test knows no variant for the documented status {other}: add it"),
    }
}

/// Serves the fake, answering the token of every example of the document (success and
/// error) with that example.
async fn start() -> (Served, Recorder<Call>) {
    let document = document();
    let mut answers = HashMap::new();
    for example in document.examples(PATH, "get", "200") {
        answers.insert(
            token_for(&example),
            GetUserProfileResponse::Ok(typed(&example)),
        );
    }
    for example in document.error_examples(PATH, "get") {
        let (answer, _) = error_variants(&example.status, typed(&example));
        answers.insert(token_for(&example), answer);
    }
    let calls = Recorder::new();
    let fake = Fake {
        answers,
        calls: calls.clone(),
    };
    (serve::serve(router(fake)).await, calls)
}

/// The request behind each named 200 example, as its description gives it.
fn params_for(example: &str) -> GetUserProfileParams {
    let country = match example {
        "availabilityInFrance" => Some("fr".to_owned()),
        "userWithoutPass" | "passHolderInFrance" | "regionCheck" => None,
        other => panic!("the test knows no request answered by the 200 example {other}: add it"),
    };
    let mut params = params();
    params.country = country;
    params
}

fn params() -> GetUserProfileParams {
    GetUserProfileParams::new(GetUserProfileNamespace::Music)
}

/// Sends a hand-written request with a valid token and checks that the router refused
/// it with 400 and a JSON body naming `parameter`, without calling the service.
async fn assert_refused(path_and_query: &str, parameter: &str) {
    let (served, calls) = start().await;
    let response = raw_get(
        &served.url(path_and_query),
        &[("authorization", "Bearer 200-regionCheck")],
    )
    .await;
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
    assert!(calls.all().is_empty(), "{:?}", calls.all());
}

#[tokio::test]
async fn a_client_reads_every_seed_profile_typed_and_unchanged() {
    let (served, calls) = start().await;
    let examples = document().examples(PATH, "get", "200");
    let names: Vec<&str> = examples
        .iter()
        .map(|example| example.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "userWithoutPass",
            "passHolderInFrance",
            "availabilityInFrance",
            "regionCheck"
        ],
        "the four seed samples"
    );
    for example in &examples {
        let token = token_for(example);
        let client = Client::with_base_url(&served.base_url).with_bearer_auth(&token);
        let sent = params_for(&example.name);
        let profile = client
            .get_user_profile(&sent)
            .await
            .unwrap_or_else(|error| panic!("the {} profile should arrive: {error}", example.name));

        let expected: UserProfileResponse = typed(example);
        assert_eq!(
            profile, expected,
            "the {} profile arrives typed",
            example.name
        );
        assert_same_json(&to_json(&profile), &example.value, &example.name);

        assert_eq!(
            calls.take(),
            [(sent, Bearer::new(token))],
            "the service receives the typed request for {}",
            example.name
        );
        served.take_only_request();
    }
}

#[tokio::test]
async fn a_profile_request_arrives_exactly_as_the_document_prescribes() {
    let (served, calls) = start().await;
    let sent = params_for("availabilityInFrance");
    Client::with_base_url(&served.base_url)
        .with_bearer_auth("200-availabilityInFrance")
        .get_user_profile(&sent)
        .await
        .expect("the availability in France should arrive");

    let request = served.take_only_request();
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.path(), "/1/user/music/profile");
    assert_eq!(request.query(), "country=fr");
    assert_eq!(
        request.header("authorization"),
        "Bearer 200-availabilityInFrance"
    );
    assert_eq!(request.header("accept"), "application/json");

    assert_eq!(
        calls.take(),
        [(sent, Bearer::new("200-availabilityInFrance"))]
    );
}

#[tokio::test]
async fn every_documented_error_reaches_the_client_typed_with_its_body() {
    let document = document();
    let statuses: Vec<String> = document
        .statuses(PATH, "get")
        .into_iter()
        .filter(|status| !status.starts_with('2'))
        .collect();
    assert_eq!(statuses, ["400", "401", "403", "429", "500", "502", "503"]);
    let examples = document.error_examples(PATH, "get");
    for status in &statuses {
        assert!(
            examples.iter().any(|example| example.status == *status),
            "the document gives a named example of the {status} body"
        );
    }

    let (served, calls) = start().await;
    for example in &examples {
        let token = token_for(example);
        let result = Client::with_base_url(&served.base_url)
            .with_bearer_auth(&token)
            .get_user_profile(&params())
            .await;
        let (_, expected) = error_variants(&example.status, typed(example));
        match result {
            Err(Error::Api(error)) => assert_eq!(error, expected, "{token}"),
            other => panic!("{token} should arrive as Error::Api({expected:?}): {other:?}"),
        }
        assert_eq!(calls.take(), [(params(), Bearer::new(token))]);
    }
}

#[tokio::test]
async fn an_undocumented_status_reaches_the_client_with_its_status_and_body() {
    let teapot = serve::serve(answering(
        StatusCode::IM_A_TEAPOT,
        "application/json",
        r#"{"Error":{"ErrorCode":"TEAPOT","Description":"I'm a teapot"}}"#,
    ))
    .await;
    let result = Client::with_base_url(&teapot.base_url)
        .with_bearer_auth("200-regionCheck")
        .get_user_profile(&params())
        .await;
    match result {
        Err(Error::UnexpectedStatus {
            operation,
            status,
            body,
            ..
        }) => {
            assert_eq!(operation, "getUserProfile");
            assert_eq!(status, StatusCode::IM_A_TEAPOT);
            assert_eq!(
                body,
                r#"{"Error":{"ErrorCode":"TEAPOT","Description":"I'm a teapot"}}"#
            );
        }
        other => panic!("a 418 should arrive as Error::UnexpectedStatus: {other:?}"),
    }
    assert_eq!(teapot.take_only_request().path(), "/1/user/music/profile");
}

#[tokio::test]
async fn a_profile_request_without_a_token_gets_401_and_never_reaches_the_service() {
    let (served, calls) = start().await;
    let response = raw_get(&served.url("/1/user/music/profile?country=fr"), &[]).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    let legacy = raw_get(
        &served.url("/1/user/music/profile"),
        &[(
            "authorization",
            "XBL3.0 x=8425395467120987;eyJhbGciOiJSUzI1NiJ9",
        )],
    )
    .await;
    assert_eq!(
        legacy.status,
        StatusCode::UNAUTHORIZED,
        "the legacy XBL3.0 form is not the bearer scheme the document declares"
    );
    assert!(calls.all().is_empty(), "{:?}", calls.all());
}

#[tokio::test]
async fn a_client_without_a_token_sends_nothing_and_says_how_to_set_one() {
    let (served, calls) = start().await;
    let result = Client::with_base_url(&served.base_url)
        .get_user_profile(&params())
        .await;
    match result {
        Err(Error::InvalidRequest { message, .. }) => assert!(
            message.contains("with_bearer_auth"),
            "the message should name the setter: {message}"
        ),
        other => panic!("a call without credentials should not be sent: {other:?}"),
    }
    assert!(served.requests().is_empty(), "{:?}", served.requests());
    assert!(calls.all().is_empty());
}

#[tokio::test]
async fn a_client_whose_token_the_router_refuses_gets_the_documented_401_error() {
    let (served, calls) = start().await;
    let result = Client::with_base_url(&served.base_url)
        .with_bearer_auth("")
        .get_user_profile(&params())
        .await;
    assert!(calls.all().is_empty(), "{:?}", calls.all());
    match result {
        Err(Error::Api(GetUserProfileError::Unauthorized(body))) => {
            assert!(!body.error.error_code.is_empty(), "{body:?}");
        }
        other => panic!(
            "the generated router's 401 should reach the generated client as the documented \
             401 (an ErrorResponse body): {other:?}"
        ),
    }
}

#[tokio::test]
async fn a_profile_request_for_a_namespace_other_than_music_gets_400_naming_namespace() {
    assert_refused("/1/user/video/profile", "namespace").await;
}

#[tokio::test]
async fn a_profile_request_asking_for_csv_gets_400_naming_content_type() {
    assert_refused("/1/user/music/profile?contentType=csv", "contentType").await;

    // The documented values are accepted, so the refusal is about the value.
    let (served, calls) = start().await;
    let response = raw_get(
        &served.url("/1/user/music/profile?contentType=json"),
        &[("authorization", "Bearer 200-regionCheck")],
    )
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        calls.take()[0].0.content_type,
        Some(GetUserProfileContentType::Json)
    );
}
