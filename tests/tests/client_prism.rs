//! The generated clients against a server nobody here wrote: Prism (pinned in
//! `xtask/src/tools.rs`) mocks each document on loopback, validating every request
//! against it and answering from its examples.
//!
//! For each document, a client calls every operation and decodes every answer the
//! document gives (each status, each named example, chosen with `Prefer`), and gets a
//! typed error for what Prism refuses: an invalid request, or one whose credentials
//! Prism finds missing, comes back as the document's own error response where the
//! document has one for Prism's status, and as `UnexpectedStatus` where it does not.

use apigen_runtime::client::{Error, RetryPolicy};
use apigen_runtime::http::StatusCode;
use apigen_tests::prism::{Prism, prefer};
use apigen_tests::serve::{Document, Example, typed};
use std::fmt::Debug;
use std::time::Duration;

/// One answer the document gives: a status, and the named example Prism should send
/// (`None` for a response without a JSON body).
struct Answer {
    status: String,
    example: Option<Example>,
}

impl Answer {
    /// The `Prefer` header that makes Prism send this answer.
    fn preference(&self) -> String {
        match &self.example {
            Some(example) => format!("code={}, example={}", self.status, example.name),
            None => format!("code={}", self.status),
        }
    }

    /// The example's value, typed.
    #[track_caller]
    fn body<T: serde::de::DeserializeOwned>(&self) -> T {
        match &self.example {
            Some(example) => typed(example),
            None => panic!("the {} answer has no example body", self.status),
        }
    }
}

/// Every answer the document gives to `get path`: each named example of each status
/// with a JSON body, and each status without one.
fn answers(json: &str, path: &str) -> Vec<Answer> {
    let document = Document::parse(json);
    let mut answers = Vec::new();
    for status in document.statuses(path, "get") {
        if document.has_json_body(path, "get", &status) {
            answers.extend(
                document
                    .examples(path, "get", &status)
                    .into_iter()
                    .map(|example| Answer {
                        status: status.clone(),
                        example: Some(example),
                    }),
            );
        } else {
            answers.push(Answer {
                status,
                example: None,
            });
        }
    }
    assert!(
        answers.iter().any(|answer| answer.status.starts_with('2'))
            && answers.iter().any(|answer| !answer.status.starts_with('2')),
        "the document should give success and error answers for {path}"
    );
    answers
}

/// Fails unless `result` is the documented error `expected`.
#[track_caller]
fn assert_documented_error<T: Debug, E: Debug + PartialEq>(
    result: Result<T, Error<E>>,
    expected: E,
    prism: &Prism,
) {
    match result {
        Err(Error::Api(error)) => assert_eq!(error, expected),
        other => panic!(
            "expected the documented error {expected:?}, got {other:?}\nPrism's log:\n{}",
            prism.output()
        ),
    }
}

/// Fails unless `result` is Prism's own answer with `status` (one the document does not
/// give), with its `application/problem+json` body, whose `detail` contains `says`.
#[track_caller]
fn assert_prism_problem<T: Debug, E: Debug>(
    result: Result<T, Error<E>>,
    status: StatusCode,
    says: &str,
    prism: &Prism,
) {
    match result {
        Err(Error::UnexpectedStatus {
            status: found,
            headers,
            body,
            ..
        }) => {
            assert_eq!(found, status);
            assert_eq!(
                headers
                    .get("content-type")
                    .and_then(|value| value.to_str().ok()),
                Some("application/problem+json")
            );
            let problem: serde_json::Value =
                serde_json::from_slice(&body).expect("Prism's problem body is JSON");
            assert_eq!(problem["status"], status.as_u16());
            let text = problem.to_string();
            assert!(text.contains(says), "{text}");
        }
        other => panic!(
            "expected Prism's own {status} as UnexpectedStatus, got {other:?}\nPrism's log:\n{}",
            prism.output()
        ),
    }
}

mod groove {
    use super::*;
    use groove_music::Client;
    use groove_music::operations::{GetUserProfileError as E, GetUserProfileParams};
    use groove_music::types::{ErrorResponse, GetUserProfileNamespace, UserProfileResponse};

    const DOCUMENT: &str = "openapi/groove-music.yaml";
    const PATH: &str = "/1/user/{namespace}/profile";

    #[allow(
        deprecated,
        reason = "`access_token` may be a deprecated field, which every literal of the params must still set"
    )]
    fn params() -> GetUserProfileParams {
        GetUserProfileParams::new(GetUserProfileNamespace::Music)
    }

    fn client(prism: &Prism) -> Client {
        Client::with_base_url(&prism.base_url).with_bearer_auth("user-token")
    }

    fn error(status: &str, body: ErrorResponse) -> E {
        match status {
            "400" => E::BadRequest(body),
            "401" => E::Unauthorized(body),
            "403" => E::Forbidden(body),
            "429" => E::TooManyRequests(body),
            "500" => E::InternalServerError(body),
            "502" => E::BadGateway(body),
            "503" => E::ServiceUnavailable(body),
            other => panic!("the test knows no error variant for {other}: add it"),
        }
    }

    #[tokio::test]
    async fn a_groove_music_client_decodes_every_answer_prism_serves_from_the_document() {
        let prism = Prism::start(DOCUMENT);
        for answer in answers(groove_music::OPENAPI_JSON, PATH) {
            let result = client(&prism)
                .with_http_client(prefer(&answer.preference()))
                .get_user_profile(&params())
                .await;
            if answer.status == "200" {
                let profile = result.unwrap_or_else(|error| {
                    panic!("{}: {error}\n{}", answer.preference(), prism.output())
                });
                assert_eq!(profile, answer.body::<UserProfileResponse>());
            } else {
                assert_documented_error(result, error(&answer.status, answer.body()), &prism);
            }
        }
    }

    #[tokio::test]
    async fn a_groove_music_client_gets_the_documented_errors_for_what_prism_refuses() {
        let prism = Prism::start(DOCUMENT);
        let document = Document::parse(groove_music::OPENAPI_JSON);
        // Without a preference Prism answers a refusal with the status's first example.
        let first = |status: &str| typed(&document.examples(PATH, "get", status)[0]);

        let invalid = client(&prism)
            .get_user_profile(&params().with_language("fra".to_owned()))
            .await;
        assert_documented_error(invalid, E::BadRequest(first("400")), &prism);

        let anonymous = Client::with_base_url(&prism.base_url)
            .with_bearer_auth("")
            .get_user_profile(&params())
            .await;
        assert_documented_error(anonymous, E::Unauthorized(first("401")), &prism);
    }

    #[tokio::test]
    async fn a_groove_music_client_with_retries_gives_up_on_a_lasting_503_with_its_body() {
        let prism = Prism::start(DOCUMENT);
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        };
        let result = client(&prism)
            .with_http_client(prefer("code=503"))
            .with_retries(policy)
            .get_user_profile(&params())
            .await;
        let document = Document::parse(groove_music::OPENAPI_JSON);
        let overloaded = typed(&document.examples(PATH, "get", "503")[0]);
        assert_documented_error(result, E::ServiceUnavailable(overloaded), &prism);
        assert_eq!(
            prism.requests_received(3),
            3,
            "three attempts, no more:\n{}",
            prism.output()
        );
    }
}

mod xbox {
    use super::*;
    use xbox_presence::Client;
    use xbox_presence::operations::{GetUserPresenceError as E, GetUserPresenceParams};
    use xbox_presence::types::{PresenceLevel, PresenceRecord};

    const DOCUMENT: &str = "openapi/xbox-presence.yaml";
    const PATH: &str = "/users/xuid({xuid})";

    fn params() -> GetUserPresenceParams {
        GetUserPresenceParams::new(2533274790395904, "3".to_owned(), "en-US".to_owned())
            .with_level(PresenceLevel::All)
            .with_x_requested_service_version("1".to_owned())
    }

    fn client(prism: &Prism) -> Client {
        Client::with_base_url(&prism.base_url).with_xbl_auth("XBL3.0 x=1234;eyJ0b2tlbiJ9")
    }

    fn error(status: &str) -> E {
        match status {
            "400" => E::BadRequest,
            "403" => E::Forbidden,
            "503" => E::ServiceUnavailable,
            other => panic!("the test knows no error variant for {other}: add it"),
        }
    }

    #[tokio::test]
    async fn an_xbox_presence_client_decodes_every_answer_prism_serves_from_the_document() {
        let prism = Prism::start(DOCUMENT);
        for answer in answers(xbox_presence::OPENAPI_JSON, PATH) {
            let result = client(&prism)
                .with_http_client(prefer(&answer.preference()))
                .get_user_presence(&params())
                .await;
            if answer.status == "200" {
                let record = result.unwrap_or_else(|error| {
                    panic!("{}: {error}\n{}", answer.preference(), prism.output())
                });
                assert_eq!(record, answer.body::<PresenceRecord>());
            } else {
                assert_documented_error(result, error(&answer.status), &prism);
            }
        }
    }

    #[tokio::test]
    async fn an_xbox_presence_client_gets_typed_errors_for_what_prism_refuses() {
        let prism = Prism::start(DOCUMENT);
        let invalid = client(&prism)
            .get_user_presence(
                &params().with_level(PresenceLevel::Unknown("everything".to_owned())),
            )
            .await;
        assert_documented_error(invalid, E::BadRequest, &prism);

        // The document answers a missing identity with 403; Prism answers 401, which the
        // document does not list, with a body of its own.
        let anonymous = Client::with_base_url(&prism.base_url)
            .with_xbl_auth("")
            .get_user_presence(&params())
            .await;
        assert_prism_problem(
            anonymous,
            StatusCode::UNAUTHORIZED,
            "security requirements",
            &prism,
        );
    }
}

mod azure {
    use super::*;
    use azure_devops_profiles::Client;
    use azure_devops_profiles::operations::{GetProfileError as E, GetProfileParams};
    use azure_devops_profiles::types::{ApiError, CoreProfileAttributeName, Profile};

    const DOCUMENT: &str = "openapi/azure-devops-profiles.yaml";
    const PATH: &str = "/_apis/profile/profiles/{id}";

    fn params(id: &str) -> GetProfileParams {
        GetProfileParams::new(id.to_owned(), "7.1".to_owned())
            .with_details(true)
            .with_core_attributes(vec![
                CoreProfileAttributeName::Email,
                CoreProfileAttributeName::DisplayName,
            ])
    }

    fn error(status: &str, body: ApiError) -> E {
        match status {
            "400" => E::BadRequest(body),
            "401" => E::Unauthorized(body),
            "403" => E::Forbidden(body),
            "404" => E::NotFound(body),
            other => panic!("the test knows no error variant for {other}: add it"),
        }
    }

    #[tokio::test]
    async fn an_azure_devops_client_decodes_every_answer_prism_serves_with_either_credential() {
        let prism = Prism::start(DOCUMENT);
        let clients = [
            (
                "oauth2",
                Client::with_base_url(&prism.base_url).with_oauth2("access-token"),
            ),
            (
                "basicAuth",
                Client::with_base_url(&prism.base_url).with_basic_auth("", "personal-token"),
            ),
        ];
        for (scheme, client) in clients {
            for answer in answers(azure_devops_profiles::OPENAPI_JSON, PATH) {
                let result = client
                    .clone()
                    .with_http_client(prefer(&answer.preference()))
                    .get_profile(&params("me"))
                    .await;
                if answer.status == "200" {
                    let profile = result.unwrap_or_else(|error| {
                        panic!(
                            "{scheme} {}: {error}\n{}",
                            answer.preference(),
                            prism.output()
                        )
                    });
                    assert_eq!(profile, answer.body::<Profile>());
                } else {
                    assert_documented_error(result, error(&answer.status, answer.body()), &prism);
                }
            }
        }
    }

    #[tokio::test]
    async fn an_azure_devops_profile_id_full_of_reserved_characters_reaches_prism_as_one_segment() {
        let prism = Prism::start(DOCUMENT);
        // Unencoded, `/` would make another path, `?` and `#` would cut it (and drop
        // `api-version`, which Prism requires), and a space would not parse.
        let result = Client::with_base_url(&prism.base_url)
            .with_oauth2("access-token")
            .get_profile(&params("a/b?c#d%e f(g)é"))
            .await;
        assert!(result.is_ok(), "{result:?}\n{}", prism.output());
    }

    #[tokio::test]
    async fn an_azure_devops_client_gets_the_documented_errors_for_what_prism_refuses() {
        let prism = Prism::start(DOCUMENT);
        let document = Document::parse(azure_devops_profiles::OPENAPI_JSON);
        let first = |status: &str| typed(&document.examples(PATH, "get", status)[0]);

        let invalid =
            Client::with_base_url(&prism.base_url)
                .with_oauth2("access-token")
                .get_profile(&params("me").with_core_attributes(vec![
                    CoreProfileAttributeName::Unknown("Bogus".to_owned()),
                ]))
                .await;
        assert_documented_error(invalid, E::BadRequest(first("400")), &prism);

        let anonymous = Client::with_base_url(&prism.base_url)
            .with_oauth2("")
            .get_profile(&params("me"))
            .await;
        assert_documented_error(anonymous, E::Unauthorized(first("401")), &prism);
    }
}

mod crafter {
    use super::*;
    use crafter_profile::Client;
    use crafter_profile::operations::{GetProfileError as E, GetProfileParams};
    use crafter_profile::types::{ErrorResponse, Profile};

    const DOCUMENT: &str = "openapi/crafter-profile.yaml";
    const PATH: &str = "/api/1/profile/{id}";

    fn params(id: &str) -> GetProfileParams {
        GetProfileParams::new(id.to_owned())
            .with_attribute_to_return(vec!["firstName".to_owned(), "last name, é".to_owned()])
    }

    fn client(prism: &Prism) -> Client {
        Client::with_base_url(&prism.base_url)
            .with_access_token_id("e8f5170c-877b-416f-b70f-4b09772f8e2d")
    }

    fn error(status: &str, body: ErrorResponse) -> E {
        match status {
            "400" => E::BadRequest(body),
            "403" => E::Forbidden(body),
            "404" => E::NotFound(body),
            "500" => E::InternalServerError(body),
            other => panic!("the test knows no error variant for {other}: add it"),
        }
    }

    #[tokio::test]
    async fn a_crafter_profile_client_decodes_every_answer_prism_serves_from_the_document() {
        let prism = Prism::start(DOCUMENT);
        for answer in answers(crafter_profile::OPENAPI_JSON, PATH) {
            let result = client(&prism)
                .with_http_client(prefer(&answer.preference()))
                .get_profile(&params("59274dfbd4c650e226b03b65"))
                .await;
            if answer.status == "200" {
                let profile = result.unwrap_or_else(|error| {
                    panic!("{}: {error}\n{}", answer.preference(), prism.output())
                });
                assert_eq!(profile, answer.body::<Profile>());
            } else {
                assert_documented_error(result, error(&answer.status, answer.body()), &prism);
            }
        }
    }

    #[tokio::test]
    async fn a_crafter_profile_client_gets_typed_errors_for_what_prism_refuses() {
        let prism = Prism::start(DOCUMENT);
        let document = Document::parse(crafter_profile::OPENAPI_JSON);
        let malformed = typed(&document.examples(PATH, "get", "400")[0]);
        let invalid = client(&prism).get_profile(&params("not-hex")).await;
        assert_documented_error(invalid, E::BadRequest(malformed), &prism);

        // The document answers a missing token with 403; Prism answers 401.
        let anonymous = Client::with_base_url(&prism.base_url)
            .with_access_token_id("")
            .get_profile(&params("59274dfbd4c650e226b03b65"))
            .await;
        assert_prism_problem(
            anonymous,
            StatusCode::UNAUTHORIZED,
            "security requirements",
            &prism,
        );
    }
}
