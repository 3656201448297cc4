//! The Azure DevOps profile story, over loopback: a client signed in with an OAuth 2.0
//! token, or with a personal access token over basic auth, asks for a profile with
//! `api-version=7.1` and the core attributes it wants as one comma-separated value, and
//! reads each profile the document gives as an example, typed and unchanged, and each
//! documented error with its body; the service, a fake of the generated trait answering
//! from those examples, receives the typed request and which credentials were used;
//! anonymous or malformed requests are refused by the generated router before the
//! service is called.

use apigen_runtime::axum::response::Response;
use apigen_runtime::server::Rejection;
use std::collections::HashMap;

use apigen_runtime::client::Error;
use apigen_runtime::http::{Method, StatusCode};
use apigen_runtime::{Basic, Bearer};
use apigen_tests::serve::{
    self, Document, Example, Recorder, Served, answering, assert_same_json, names_parameter,
    raw_get, to_json, typed,
};
use azure_devops_profiles::operations::{GetProfileError, GetProfileParams, GetProfileResponse};
use azure_devops_profiles::server::GetProfileCredentials;
use azure_devops_profiles::types::{
    ApiError, Avatar, AvatarSize, CoreProfileAttributeName, Profile,
};
use azure_devops_profiles::{AzureDevopsProfiles, Client, OPENAPI_JSON, router};

const PATH: &str = "/_apis/profile/profiles/{id}";

/// The profile ID of the seed's sample.
const PROFILE_ID: &str = "d6245f20-2af8-44f4-9451-8107cb2767db";

/// The profile of the example whose core attributes are an avatar and a boolean.
const AVATAR_PROFILE_ID: &str = "8c2f7a10-5d3e-4b6a-9f41-2e7d0c9b3a55";

/// An OAuth 2.0 access token.
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzY3AiOiJ2c28ucHJvZmlsZSJ9.c2ln";

/// A personal access token, sent as the basic password with an empty user name.
const PAT: &str = "pat-7q3x9c";

/// `Basic ` and base64(`:pat-7q3x9c`), computed outside the code under test.
const PAT_HEADER: &str = "Basic OnBhdC03cTN4OWM=";

/// What the fake was called with: the typed parameters and the credentials.
type Call = (GetProfileParams, GetProfileCredentials);

/// The profile service: it answers each profile `id` with the answer the test gave it,
/// and any other `id` with the document's 404.
struct Fake {
    answers: HashMap<String, GetProfileResponse>,
    not_found: GetProfileResponse,
    calls: Recorder<Call>,
}

impl AzureDevopsProfiles for Fake {
    async fn get_profile(
        &self,
        params: GetProfileParams,
        credentials: GetProfileCredentials,
    ) -> GetProfileResponse {
        let answer = self.answers.get(&params.id).cloned();
        self.calls.push((params, credentials));
        answer.unwrap_or_else(|| self.not_found.clone())
    }

    /// Azure DevOps answers what it refuses with its exception body, as the document says.
    fn reject(&self, rejection: Rejection) -> Response {
        let type_key = match rejection.status.as_u16() {
            401 => "VssUnauthorizedException",
            _ => "InvalidArgumentValueException",
        };
        let body = ApiError::new(rejection.detail())
            .with_id("1".to_owned())
            .with_type_key(type_key.to_owned());
        apigen_runtime::server::json_response(rejection.status.as_u16(), &body)
    }
}

fn document() -> Document {
    Document::parse(OPENAPI_JSON)
}

/// The request behind each named 200 example, as its description gives it.
fn params_for(example: &str) -> GetProfileParams {
    match example {
        "sampleResponse" => params(PROFILE_ID),
        "withCoreAttributes" => params("me").with_details(true).with_core_attributes(vec![
            CoreProfileAttributeName::Email,
            CoreProfileAttributeName::DisplayName,
        ]),
        "withAvatarAndOffers" => params(AVATAR_PROFILE_ID)
            .with_details(true)
            .with_core_attributes(vec![
                CoreProfileAttributeName::Avatar,
                CoreProfileAttributeName::ContactWithOffers,
            ]),
        other => panic!("the test knows no request answered by the 200 example {other}: add it"),
    }
}

fn params(id: &str) -> GetProfileParams {
    GetProfileParams::new(id.to_owned(), "7.1".to_owned())
}

/// The profile `id` the fake answers with an error example: `<status>-<name>`.
fn error_id(example: &Example) -> String {
    format!("{}-{}", example.status, example.name)
}

/// The variant each documented error status travels in, server side and client side.
fn error_variants(status: &str, body: ApiError) -> (GetProfileResponse, GetProfileError) {
    type R = GetProfileResponse;
    type E = GetProfileError;
    match status {
        "400" => (R::BadRequest(body.clone()), E::BadRequest(body)),
        "401" => (R::Unauthorized(body.clone()), E::Unauthorized(body)),
        "403" => (R::Forbidden(body.clone()), E::Forbidden(body)),
        "404" => (R::NotFound(body.clone()), E::NotFound(body)),
        other => panic!("the test knows no variant for the documented status {other}: add it"),
    }
}

/// Serves the fake: each 200 example answers the `id` of its request, each error example
/// the `id` `<status>-<name>`.
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
    for example in document.error_examples(PATH, "get") {
        let (answer, _) = error_variants(&example.status, typed(&example));
        answers.insert(error_id(&example), answer);
    }
    let calls = Recorder::new();
    let fake = Fake {
        answers,
        not_found,
        calls: calls.clone(),
    };
    (serve::serve(router(fake)).await, calls)
}

fn oauth2_client(served: &Served) -> Client {
    Client::with_base_url(&served.base_url).with_oauth2(TOKEN)
}

fn oauth2() -> GetProfileCredentials {
    GetProfileCredentials::Oauth2(Bearer::new(TOKEN))
}

/// Sends a hand-written request with a valid token and checks that the router refused
/// it with 400 and a JSON body naming `parameter`, without calling the service.
async fn assert_refused(path_and_query: &str, parameter: &str) {
    let (served, calls) = start().await;
    let response = raw_get(
        &served.url(path_and_query),
        &[("authorization", &format!("Bearer {TOKEN}"))],
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
    let client = oauth2_client(&served);
    let examples = document().examples(PATH, "get", "200");
    assert!(
        examples.len() >= 3,
        "the seed's sample and the two core attributes examples: {examples:?}"
    );
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
            [(sent, oauth2())],
            "the service receives the typed request for {}",
            example.name
        );
        served.take_only_request();
    }
}

#[tokio::test]
async fn a_client_reads_an_avatar_object_and_a_boolean_as_core_attribute_values() {
    // The official description types every attribute value as a string (format `T`);
    // the service sends an object for `Avatar` and a boolean for `ContactWithOffers`.
    let (served, _calls) = start().await;
    let profile = oauth2_client(&served)
        .get_profile(&params_for("withAvatarAndOffers"))
        .await
        .expect("a profile whose core attribute values are not strings should decode");
    let core = profile.core_attributes.expect("the core attributes");

    let offers = core["ContactWithOffers"].value.as_ref();
    assert_eq!(offers, Some(&serde_json::Value::Bool(true)));

    let avatar = core["Avatar"].value.clone().expect("the avatar's value");
    assert!(
        avatar.is_object(),
        "the avatar arrives as an object: {avatar}"
    );
    let avatar: Avatar = serde_json::from_value(avatar).expect("the value decodes as an Avatar");
    assert_eq!(avatar.size, Some(AvatarSize::Medium));
    assert_eq!(avatar.is_auto_generated, Some(false));
    let picture = avatar.value.expect("the picture").0;
    assert!(
        picture.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the base64 value decodes to a PNG image: {:?}",
        &picture[..8.min(picture.len())]
    );

    let request = served.take_only_request();
    assert_eq!(
        request.query_values("coreAttributes"),
        ["Avatar,ContactWithOffers"]
    );
}

#[tokio::test]
async fn a_profile_request_with_an_oauth_token_arrives_exactly_as_the_document_prescribes() {
    let (served, calls) = start().await;
    let sent = params_for("withCoreAttributes").with_core_attributes(vec![
        CoreProfileAttributeName::Email,
        CoreProfileAttributeName::Avatar,
    ]);
    oauth2_client(&served)
        .get_profile(&sent)
        .await
        .expect("the signed-in user's profile should arrive");

    let request = served.take_only_request();
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.path(), "/_apis/profile/profiles/me");
    assert_eq!(
        request.query_values("coreAttributes"),
        ["Email,Avatar"],
        "one comma-separated value (style: form, explode: false), not one per item: {}",
        request.query()
    );
    assert_eq!(request.query_values("api-version"), ["7.1"]);
    assert_eq!(request.query_values("details"), ["true"]);
    let mut names = request.query_names();
    names.sort_unstable();
    assert_eq!(names, ["api-version", "coreAttributes", "details"]);
    assert_eq!(request.header("authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(request.header("accept"), "application/json");

    assert_eq!(calls.take(), [(sent, oauth2())]);
}

#[tokio::test]
async fn a_profile_request_with_a_personal_access_token_arrives_as_basic_auth() {
    let (served, calls) = start().await;
    let sent = params_for("sampleResponse");
    let profile = Client::with_base_url(&served.base_url)
        .with_basic_auth("", PAT)
        .get_profile(&sent)
        .await
        .expect("the profile should arrive with a personal access token");
    assert_eq!(
        profile.id.map(|id| id.to_string()).as_deref(),
        Some(PROFILE_ID)
    );

    let request = served.take_only_request();
    assert_eq!(
        request.path(),
        format!("/_apis/profile/profiles/{PROFILE_ID}")
    );
    assert_eq!(request.query(), "api-version=7.1");
    assert_eq!(request.header("authorization"), PAT_HEADER);

    assert_eq!(
        calls.take(),
        [(sent, GetProfileCredentials::BasicAuth(Basic::new("", PAT)))]
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
    assert_eq!(statuses, ["400", "401", "403", "404"]);
    let examples = document.error_examples(PATH, "get");
    for status in &statuses {
        assert!(
            examples.iter().any(|example| example.status == *status),
            "the document gives a named example of the {status} body"
        );
    }

    let (served, calls) = start().await;
    let client = oauth2_client(&served);
    for example in &examples {
        let sent = params(&error_id(example));
        let (_, expected) = error_variants(&example.status, typed(example));
        match client.get_profile(&sent).await {
            Err(Error::Api(error)) => {
                assert_eq!(error, expected, "{}", example.name);
                // `innerException: null` is told apart from absent, so the body the
                // client holds writes back exactly as the service sent it.
                let body = match &error {
                    GetProfileError::BadRequest(body)
                    | GetProfileError::Unauthorized(body)
                    | GetProfileError::Forbidden(body)
                    | GetProfileError::NotFound(body) => body,
                    other => panic!("{} is not a documented error: {other:?}", example.name),
                };
                assert_same_json(&to_json(body), &example.value, &example.name);
            }
            other => panic!(
                "the {} example should arrive as Error::Api({expected:?}): {other:?}",
                example.name
            ),
        }
        assert_eq!(calls.take(), [(sent, oauth2())]);
    }
}

#[tokio::test]
async fn an_undocumented_status_reaches_the_client_with_its_status_and_body() {
    let teapot = serve::serve(answering(
        StatusCode::IM_A_TEAPOT,
        "text/plain",
        "I'm a teapot, not a profile service",
    ))
    .await;
    let result = oauth2_client(&teapot)
        .get_profile(&params(PROFILE_ID))
        .await;
    match result {
        Err(Error::UnexpectedStatus {
            operation,
            status,
            body,
            ..
        }) => {
            assert_eq!(operation, "getProfile");
            assert_eq!(status, StatusCode::IM_A_TEAPOT);
            assert_eq!(body, "I'm a teapot, not a profile service");
        }
        other => panic!("a 418 should arrive as Error::UnexpectedStatus: {other:?}"),
    }
    assert_eq!(
        teapot.take_only_request().path(),
        format!("/_apis/profile/profiles/{PROFILE_ID}")
    );
}

#[tokio::test]
async fn a_profile_request_without_credentials_gets_401_and_never_reaches_the_service() {
    let (served, calls) = start().await;
    let response = raw_get(
        &served.url("/_apis/profile/profiles/me?api-version=7.1"),
        &[],
    )
    .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert!(calls.all().is_empty(), "{:?}", calls.all());
}

#[tokio::test]
async fn a_client_without_credentials_sends_nothing_and_says_how_to_set_them() {
    let (served, calls) = start().await;
    let result = Client::with_base_url(&served.base_url)
        .get_profile(&params("me"))
        .await;
    match result {
        Err(Error::InvalidRequest { message, .. }) => assert!(
            message.contains("with_oauth2") && message.contains("with_basic_auth"),
            "the message should name both setters: {message}"
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
        .with_oauth2("")
        .get_profile(&params("me"))
        .await;
    assert!(calls.all().is_empty(), "{:?}", calls.all());
    match result {
        Err(Error::Api(GetProfileError::Unauthorized(body))) => {
            assert!(!body.message.is_empty(), "{body:?}");
        }
        other => panic!(
            "the generated router's 401 should reach the generated client as the documented \
             401 (an ApiError body): {other:?}"
        ),
    }
}

#[tokio::test]
async fn a_profile_request_without_api_version_gets_400_naming_api_version() {
    assert_refused("/_apis/profile/profiles/me", "api-version").await;
}

#[tokio::test]
async fn a_profile_request_repeating_core_attributes_gets_400_naming_core_attributes() {
    assert_refused(
        "/_apis/profile/profiles/me?api-version=7.1&coreAttributes=Email&coreAttributes=Avatar",
        "coreAttributes",
    )
    .await;
}

#[tokio::test]
async fn a_profile_request_for_an_unknown_core_attribute_gets_400_naming_core_attributes() {
    assert_refused(
        "/_apis/profile/profiles/me?api-version=7.1&coreAttributes=Email,Nickname",
        "coreAttributes",
    )
    .await;

    // The same request with documented attributes reaches the service, typed.
    let (served, calls) = start().await;
    let response = raw_get(
        &served.url("/_apis/profile/profiles/me?api-version=7.1&coreAttributes=Email,Avatar"),
        &[("authorization", &format!("Bearer {TOKEN}"))],
    )
    .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        calls.take()[0].0.core_attributes,
        Some(vec![
            CoreProfileAttributeName::Email,
            CoreProfileAttributeName::Avatar
        ])
    );
}

#[tokio::test]
async fn a_profile_time_stamp_comes_back_as_the_service_wrote_it_offset_and_digits() {
    // The service writes `+00:00` and as many fractional digits as it likes
    // (`22:23:07.727+00:00`, `10:41:52.31+00:00`); a date-time read and written back
    // keeps that text, where chrono alone would write `Z`.
    let (served, _calls) = start().await;
    let client = oauth2_client(&served);
    for example in document().examples(PATH, "get", "200") {
        let profile = client
            .get_profile(&params_for(&example.name))
            .await
            .unwrap_or_else(|error| panic!("the {} profile should arrive: {error}", example.name));
        let written = example.value["timeStamp"].as_str().expect("a time stamp");
        let stamp = profile.time_stamp.as_ref().expect("the time stamp");
        assert_eq!(stamp.to_string(), written, "{}", example.name);
        // The parsed value is at hand too, at the service's offset.
        assert_eq!(stamp.offset().local_minus_utc(), 0);
        // And so the whole profile, nested time stamps included, is the JSON sent.
        assert_eq!(to_json(&profile), example.value, "{}", example.name);
        served.take_only_request();
    }
}
