//! The scripted server: each service's generated router, around an implementation that
//! answers every call with one documented status and that status's example, and
//! records the credentials the router handed it.
//!
//! One router per documented status is nested under `/status/<status>`, so a program
//! picks the answer with its client's base URL, and its calls are otherwise exactly the
//! ones it makes to the real service.

use apigen_runtime::axum::Router;
use apigen_runtime::{ApiKey, Basic, Bearer};
use apigen_tests::serve::{Document, Recorder, typed};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::service::{self, Service};

/// One call the scripted server received: the status it was asked to answer, and the
/// credentials (as JSON text, `{"<scheme>": {…}}`, the shape the program was given them
/// in).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Received {
    /// The status of the URL the call was sent to.
    pub status: String,
    /// The credentials the generated router extracted, as the service received them.
    pub credentials: String,
}

/// An implementation of a service trait that answers with `answer` and records what it
/// received.
struct Scripted<R> {
    status: String,
    answer: R,
    received: Recorder<Received>,
}

impl<R: Clone> Scripted<R> {
    fn answer(&self, credentials: Value) -> R {
        self.received.push(Received {
            status: self.status.clone(),
            credentials: credentials.to_string(),
        });
        self.answer.clone()
    }
}

/// The first example of the response `status` of the service's operation, typed.
struct Examples<'a> {
    document: &'a Document,
    service: &'a Service,
    status: &'a str,
}

impl Examples<'_> {
    #[track_caller]
    fn body<T: DeserializeOwned>(&self) -> T {
        let examples = self
            .document
            .examples(self.service.path, self.service.method, self.status);
        let first = examples.first().unwrap_or_else(|| {
            panic!(
                "the {} response of {} has no example",
                self.status, self.service.name
            )
        });
        typed(first)
    }
}

/// Every documented status of `service`'s operation, each answered under
/// `/status/<status>` followed by the document's server path.
///
/// # Panics
/// When a documented status has no scripted answer in this file.
pub fn router(service: &Service, document: &Document, received: &Recorder<Received>) -> Router {
    let mut router = Router::new();
    for status in document.statuses(service.path, service.method) {
        let scripted = (service.scripted)(&status, document, received).unwrap_or_else(|| {
            panic!(
                "the {} document documents the status {status}, which the scripted server \
                 cannot answer: add it in tests/tests/other_languages/scripted.rs",
                service.name
            )
        });
        let prefix = format!("/status/{status}{}", service.base_path);
        router = router.nest(&prefix, scripted);
    }
    router
}

/// What the scripted server must have received from a program whose report has
/// `checks`: each `error <status>` call with the credentials of the first security
/// alternative, each `credentials <scheme>` call (sent to the 200 answer) with that
/// scheme's. Sorted.
pub fn expected_received(
    service: &Service,
    document: &Value,
    credentials: &Value,
    checks: &[String],
) -> Vec<Received> {
    let schemes = service::security_schemes(service, document);
    let of = |scheme: &str| json!({ scheme: credentials[scheme] }).to_string();
    let mut expected: Vec<Received> = checks
        .iter()
        .filter_map(|check| {
            if let Some(status) = check.strip_prefix("error ") {
                Some(Received {
                    status: status.to_owned(),
                    credentials: of(schemes.first()?),
                })
            } else {
                check.strip_prefix("credentials ").map(|scheme| Received {
                    status: "200".to_owned(),
                    credentials: of(scheme),
                })
            }
        })
        .collect();
    expected.sort();
    expected
}

fn bearer(scheme: &str, credentials: Bearer) -> Value {
    json!({ scheme: { "token": credentials.token } })
}

fn api_key(scheme: &str, credentials: ApiKey) -> Value {
    json!({ scheme: { "key": credentials.key } })
}

fn basic(scheme: &str, credentials: Basic) -> Value {
    json!({ scheme: { "user": credentials.user, "password": credentials.password } })
}

impl groove_music::GrooveMusic for Scripted<groove_music::operations::GetUserProfileResponse> {
    async fn get_user_profile(
        &self,
        _params: groove_music::operations::GetUserProfileParams,
        credentials: Bearer,
    ) -> groove_music::operations::GetUserProfileResponse {
        self.answer(bearer("bearerAuth", credentials))
    }
}

/// Groove Music's router answering `status` with its example (see [`Service::scripted`]).
pub fn groove_music(
    status: &str,
    document: &Document,
    received: &Recorder<Received>,
) -> Option<Router> {
    use groove_music::operations::GetUserProfileResponse as Answer;

    let examples = Examples {
        document,
        service: &service::GROOVE_MUSIC,
        status,
    };
    let answer = match status {
        "200" => Answer::Ok(examples.body()),
        "400" => Answer::BadRequest(examples.body()),
        "401" => Answer::Unauthorized(examples.body()),
        "403" => Answer::Forbidden(examples.body()),
        "429" => Answer::TooManyRequests(examples.body()),
        "500" => Answer::InternalServerError(examples.body()),
        "502" => Answer::BadGateway(examples.body()),
        "503" => Answer::ServiceUnavailable(examples.body()),
        _ => return None,
    };
    Some(groove_music::router(Scripted {
        status: status.to_owned(),
        answer,
        received: received.clone(),
    }))
}

impl xbox_presence::XboxPresence for Scripted<xbox_presence::operations::GetUserPresenceResponse> {
    async fn get_user_presence(
        &self,
        _params: xbox_presence::operations::GetUserPresenceParams,
        credentials: ApiKey,
    ) -> xbox_presence::operations::GetUserPresenceResponse {
        self.answer(api_key("xblAuth", credentials))
    }
}

/// Xbox Live presence's router answering `status` with its example (see [`Service::scripted`]).
pub fn xbox_presence(
    status: &str,
    document: &Document,
    received: &Recorder<Received>,
) -> Option<Router> {
    use xbox_presence::operations::GetUserPresenceResponse as Answer;

    let examples = Examples {
        document,
        service: &service::XBOX_PRESENCE,
        status,
    };
    // The errors have no body.
    let answer = match status {
        "200" => Answer::Ok(examples.body()),
        "400" => Answer::BadRequest,
        "403" => Answer::Forbidden,
        "503" => Answer::ServiceUnavailable,
        _ => return None,
    };
    Some(xbox_presence::router(Scripted {
        status: status.to_owned(),
        answer,
        received: received.clone(),
    }))
}

impl azure_devops_profiles::AzureDevopsProfiles
    for Scripted<azure_devops_profiles::operations::GetProfileResponse>
{
    async fn get_profile(
        &self,
        _params: azure_devops_profiles::operations::GetProfileParams,
        credentials: azure_devops_profiles::server::GetProfileCredentials,
    ) -> azure_devops_profiles::operations::GetProfileResponse {
        use azure_devops_profiles::server::GetProfileCredentials;
        self.answer(match credentials {
            GetProfileCredentials::Oauth2(credentials) => bearer("oauth2", credentials),
            GetProfileCredentials::BasicAuth(credentials) => basic("basicAuth", credentials),
        })
    }
}

/// Azure DevOps Profiles's router answering `status` with its example (see [`Service::scripted`]).
pub fn azure_devops_profiles(
    status: &str,
    document: &Document,
    received: &Recorder<Received>,
) -> Option<Router> {
    use azure_devops_profiles::operations::GetProfileResponse as Answer;

    let examples = Examples {
        document,
        service: &service::AZURE_DEVOPS_PROFILES,
        status,
    };
    let answer = match status {
        "200" => Answer::Ok(examples.body()),
        "400" => Answer::BadRequest(examples.body()),
        "401" => Answer::Unauthorized(examples.body()),
        "403" => Answer::Forbidden(examples.body()),
        "404" => Answer::NotFound(examples.body()),
        _ => return None,
    };
    Some(azure_devops_profiles::router(Scripted {
        status: status.to_owned(),
        answer,
        received: received.clone(),
    }))
}

impl crafter_profile::CrafterProfile for Scripted<crafter_profile::operations::GetProfileResponse> {
    async fn get_profile(
        &self,
        _params: crafter_profile::operations::GetProfileParams,
        credentials: ApiKey,
    ) -> crafter_profile::operations::GetProfileResponse {
        self.answer(api_key("accessTokenId", credentials))
    }
}

/// Crafter Profile's router answering `status` with its example (see [`Service::scripted`]).
pub fn crafter_profile(
    status: &str,
    document: &Document,
    received: &Recorder<Received>,
) -> Option<Router> {
    use crafter_profile::operations::GetProfileResponse as Answer;

    let examples = Examples {
        document,
        service: &service::CRAFTER_PROFILE,
        status,
    };
    let answer = match status {
        "200" => Answer::Ok(examples.body()),
        "400" => Answer::BadRequest(examples.body()),
        "403" => Answer::Forbidden(examples.body()),
        "404" => Answer::NotFound(examples.body()),
        "500" => Answer::InternalServerError(examples.body()),
        _ => return None,
    };
    Some(crafter_profile::router(Scripted {
        status: status.to_owned(),
        answer,
        received: received.clone(),
    }))
}
