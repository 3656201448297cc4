//! The Crafter Profile story, over loopback: an application holding an access token ID
//! asks for the profile `59274dfbd4c650e226b03b65`, naming the attributes it wants with
//! `attributeToReturn` once per name, and reads the seed's profile typed and unchanged,
//! and each documented error with its body; the service, a fake of the generated trait
//! answering from the document's examples, receives the typed request and the token;
//! anonymous or malformed requests are refused by the generated router before the
//! service is called.

use apigen_runtime::axum::response::Response;
use apigen_runtime::server::Rejection;
use std::collections::HashMap;

use apigen_runtime::ApiKey;
use apigen_runtime::client::Error;
use apigen_runtime::http::{Method, StatusCode};
use apigen_tests::serve::{
    self, Document, Recorder, Served, answering, assert_same_json, names_parameter, raw_get,
    to_json, typed,
};
use crafter_profile::operations::{GetProfileError, GetProfileParams, GetProfileResponse};
use crafter_profile::types::{ErrorResponse, Profile};
use crafter_profile::{Client, CrafterProfile, OPENAPI_JSON, router};

const PATH: &str = "/api/1/profile/{id}";

/// The seed's profile.
const PROFILE_ID: &str = "59274dfbd4c650e226b03b65";

/// The seed's access token ID.
const TOKEN: &str = "e8f5170c-877b-416f-b70f-4b09772f8e2d";

/// What the fake was called with: the typed parameters and the access token ID.
type Call = (GetProfileParams, ApiKey);

/// The profile service: it answers each profile `id` with the answer the test gave it,
/// and any other `id` with the document's 404.
struct Fake {
    answers: HashMap<String, GetProfileResponse>,
    not_found: GetProfileResponse,
    calls: Recorder<Call>,
}

impl CrafterProfile for Fake {
    async fn get_profile(
        &self,
        params: GetProfileParams,
        credentials: ApiKey,
    ) -> GetProfileResponse {
        let answer = self.answers.get(&params.id).cloned();
        self.calls.push((params, credentials));
        answer.unwrap_or_else(|| self.not_found.clone())
    }

    /// Crafter answers what it refuses with its `{errorCode, message}` body.
    fn reject(&self, rejection: Rejection) -> Response {
        use crafter_profile::types::ErrorResponseErrorCode;
        let code = match rejection.status.as_u16() {
            403 => ErrorResponseErrorCode::AccessDenied,
            _ => ErrorResponseErrorCode::Other,
        };
        let body = ErrorResponse::new(rejection.detail()).with_error_code(code);
        apigen_runtime::server::json_response(rejection.status.as_u16(), &body)
    }
}

fn document() -> Document {
    Document::parse(OPENAPI_JSON)
}

/// The request behind each named 200 example, as its description gives it.
fn params_for(example: &str) -> GetProfileParams {
    match example {
        "seedSample" => params(PROFILE_ID),
        other => panic!("the test knows no request answered by the 200 example {other}: add it"),
    }
}

fn params(id: &str) -> GetProfileParams {
    GetProfileParams::new(id.to_owned())
}

/// The profile ID (24 hexadecimal digits) the fake answers with the `index`th example of
/// the error `status`: the status, then the index, zero-padded.
fn error_id(status: &str, index: usize) -> String {
    format!("{status}{index:0>21}")
}

/// The variant each documented error status travels in, server side and client side.
fn error_variants(status: &str, body: ErrorResponse) -> (GetProfileResponse, GetProfileError) {
    type R = GetProfileResponse;
    type E = GetProfileError;
    match status {
        "400" => (R::BadRequest(body.clone()), E::BadRequest(body)),
        "403" => (R::Forbidden(body.clone()), E::Forbidden(body)),
        "404" => (R::NotFound(body.clone()), E::NotFound(body)),
        "500" => (
            R::InternalServerError(body.clone()),
            E::InternalServerError(body),
        ),
        other => panic!("the test knows no variant for the documented status {other}: add it"),
    }
}

/// Every error example with the profile ID the fake answers it at.
fn error_examples_by_id() -> Vec<(String, serve::Example)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    document()
        .error_examples(PATH, "get")
        .into_iter()
        .map(|example| {
            let index = seen.entry(example.status.clone()).or_default();
            let id = error_id(&example.status, *index);
            *index += 1;
            (id, example)
        })
        .collect()
}

/// Serves the fake: each 200 example answers the `id` of its request, each error example
/// the `id` of [`error_id`].
async fn start() -> (Served, Recorder<Call>) {
    let document = document();
    let not_found = GetProfileResponse::NotFound(typed(&document.examples(PATH, "get", "404")[0]));
    let mut answers = HashMap::new();
    for example in document.examples(PATH, "get", "200") {
        answers.insert(
            params_for(&example.name).id,
            GetProfileResponse::Ok(typed(&example)),
        );
    }
    for (id, example) in error_examples_by_id() {
        let (answer, _) = error_variants(&example.status, typed(&example));
        answers.insert(id, answer);
    }
    let calls = Recorder::new();
    let fake = Fake {
        answers,
        not_found,
        calls: calls.clone(),
    };
    (serve::serve(router(fake)).await, calls)
}

fn client(served: &Served) -> Client {
    Client::with_base_url(&served.base_url).with_access_token_id(TOKEN)
}

#[tokio::test]
async fn a_client_reads_the_seed_profile_typed_and_unchanged() {
    let (served, calls) = start().await;
    let client = client(&served);
    let examples = document().examples(PATH, "get", "200");
    assert!(!examples.is_empty(), "the seed's profile is an example");
    for example in &examples {
        let sent = params_for(&example.name);
        let profile = client
            .get_profile(&sent)
            .await
            .unwrap_or_else(|error| panic!("the {} profile should arrive: {error}", example.name));

        let expected: Profile = typed(example);
        assert_eq!(
            profile, expected,
            "the {} profile arrives typed",
            example.name
        );
        assert_same_json(&to_json(&profile), &example.value, &example.name);

        assert_eq!(
            calls.take(),
            [(sent, ApiKey::new(TOKEN))],
            "the service receives the typed request for {}",
            example.name
        );
        served.take_only_request();
    }
}

#[tokio::test]
async fn a_profile_request_arrives_exactly_as_the_document_prescribes() {
    let (served, calls) = start().await;
    let sent = params_for("seedSample")
        .with_attribute_to_return(vec!["firstName".to_owned(), "lastName".to_owned()]);
    client(&served)
        .get_profile(&sent)
        .await
        .expect("the seed's profile should arrive");

    let request = served.take_only_request();
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.path(), format!("/api/1/profile/{PROFILE_ID}"));
    assert_eq!(request.query_values("accessTokenId"), [TOKEN]);
    assert_eq!(
        request.query_values("attributeToReturn"),
        ["firstName", "lastName"],
        "one attributeToReturn per name (explode: true): {}",
        request.query()
    );
    let mut names = request.query_names();
    names.sort_unstable();
    assert_eq!(
        names,
        ["accessTokenId", "attributeToReturn", "attributeToReturn"]
    );
    assert!(
        request.header_values("authorization").is_empty(),
        "the token travels in the query only"
    );
    assert_eq!(request.header("accept"), "application/json");

    assert_eq!(calls.take(), [(sent, ApiKey::new(TOKEN))]);
}

#[tokio::test]
async fn every_documented_error_reaches_the_client_typed_with_its_body() {
    let statuses: Vec<String> = document()
        .statuses(PATH, "get")
        .into_iter()
        .filter(|status| !status.starts_with('2'))
        .collect();
    assert_eq!(statuses, ["400", "403", "404", "500"]);
    let examples = error_examples_by_id();
    for status in &statuses {
        assert!(
            examples
                .iter()
                .any(|(_, example)| example.status == *status),
            "the document gives a named example of the {status} body"
        );
    }

    let (served, calls) = start().await;
    let client = client(&served);
    for (id, example) in &examples {
        let sent = params(id);
        let (_, expected) = error_variants(&example.status, typed(example));
        match client.get_profile(&sent).await {
            Err(Error::Api(error)) => assert_eq!(error, expected, "{}", example.name),
            other => panic!(
                "the {} example should arrive as Error::Api({expected:?}): {other:?}",
                example.name
            ),
        }
        assert_eq!(calls.take(), [(sent, ApiKey::new(TOKEN))]);
    }
}

#[tokio::test]
async fn an_undocumented_status_reaches_the_client_with_its_status_and_body() {
    let teapot = serve::serve(answering(
        StatusCode::IM_A_TEAPOT,
        "application/json",
        r#"{"errorCode":"TEAPOT","message":"I'm a teapot"}"#,
    ))
    .await;
    let result = client(&teapot).get_profile(&params(PROFILE_ID)).await;
    match result {
        Err(Error::UnexpectedStatus {
            operation,
            status,
            body,
            ..
        }) => {
            assert_eq!(operation, "getProfile");
            assert_eq!(status, StatusCode::IM_A_TEAPOT);
            assert_eq!(body, r#"{"errorCode":"TEAPOT","message":"I'm a teapot"}"#);
        }
        other => panic!("a 418 should arrive as Error::UnexpectedStatus: {other:?}"),
    }
    assert_eq!(
        teapot.take_only_request().path(),
        format!("/api/1/profile/{PROFILE_ID}")
    );
}

#[tokio::test]
async fn a_profile_request_without_an_access_token_gets_403_and_never_reaches_the_service() {
    let (served, calls) = start().await;
    let missing = raw_get(&served.url(&format!("/api/1/profile/{PROFILE_ID}")), &[]).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let empty = raw_get(
        &served.url(&format!("/api/1/profile/{PROFILE_ID}?accessTokenId=")),
        &[],
    )
    .await;
    assert_eq!(empty.status, StatusCode::FORBIDDEN);
    assert!(calls.all().is_empty(), "{:?}", calls.all());
}

#[tokio::test]
async fn a_client_without_an_access_token_sends_nothing_and_says_how_to_set_one() {
    let (served, calls) = start().await;
    let result = Client::with_base_url(&served.base_url)
        .get_profile(&params(PROFILE_ID))
        .await;
    match result {
        Err(Error::InvalidRequest { message, .. }) => assert!(
            message.contains("with_access_token_id"),
            "the message should name the setter: {message}"
        ),
        other => panic!("a call without credentials should not be sent: {other:?}"),
    }
    assert!(served.requests().is_empty(), "{:?}", served.requests());
    assert!(calls.all().is_empty());
}

#[tokio::test]
async fn a_client_whose_token_the_router_refuses_gets_the_documented_403_error() {
    let (served, calls) = start().await;
    let result = Client::with_base_url(&served.base_url)
        .with_access_token_id("")
        .get_profile(&params(PROFILE_ID))
        .await;
    assert!(calls.all().is_empty(), "{:?}", calls.all());
    match result {
        Err(Error::Api(GetProfileError::Forbidden(body))) => {
            assert!(!body.message.is_empty(), "{body:?}");
        }
        other => panic!(
            "the generated router's 403 should reach the generated client as the documented \
             403 (an ErrorResponse body): {other:?}"
        ),
    }
}

/// The real server answers such an `id` with 500 `OTHER` (the document's 500 example
/// `malformedId`); refusing it with 400 is this project's decision, which the document
/// states, and which a generated server keeps.
#[tokio::test]
async fn a_profile_request_for_an_id_that_is_not_24_hex_digits_gets_400_naming_id() {
    let (served, calls) = start().await;
    let response = raw_get(
        &served.url(&format!(
            "/api/1/profile/not-a-profile-id?accessTokenId={TOKEN}"
        )),
        &[],
    )
    .await;
    assert!(
        calls.all().is_empty(),
        "the id breaks the document's pattern ^[0-9a-fA-F]{{24}}$, yet the service was called with {:?}",
        calls.all()
    );
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let body = response.json();
    assert!(
        names_parameter(&body, "id"),
        "the 400 body should name `id`: {body}"
    );
}
