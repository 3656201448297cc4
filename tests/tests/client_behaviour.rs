//! What a Rust developer relies on when calling a service through a generated client,
//! checked on the wire over loopback: against the generated servers (each wrapped around
//! a fake that records what it received), and against small hand-written axum servers for
//! what no document describes (a 503 that passes, a body that does not decode, a POST).
//!
//! The story: build a `Client` in two lines; it calls the document's first server, names
//! its crate in `User-Agent`, speaks TLS, and sends through any `reqwest` client given to
//! it. Each scheme's credentials travel where the document says, and never show in
//! `Debug` output or an error message. Awkward values are encoded so that they arrive
//! intact; a header value with a line break is refused before anything is sent. Every
//! answer comes back typed: the success value, a documented error, an undocumented status
//! with its headers and (capped) body, or a body that does not decode with the operation
//! named. With retries turned on, idempotent calls get through a 503 or 429 and a server
//! that is not up yet; a POST is never sent twice.

use std::convert::Infallible;
use std::error::Error as _;
use std::time::Duration;

use tokio::time::Instant;

use apigen_runtime::axum::http::HeaderName;
use apigen_runtime::axum::response::{IntoResponse, Response};
use apigen_runtime::axum::{self, Router};
use apigen_runtime::client::{Call, Error, MAX_ERROR_BODY, RetryPolicy};
use apigen_runtime::http::{HeaderValue, Method, StatusCode};
use apigen_runtime::{ApiKey, Basic, Bearer, reqwest};
use apigen_tests::serve::{self, Document, Recorder, Served, typed};

// ---------------------------------------------------------------------------------------
// The services: each generated router around a fake that answers the document's first
// success example and records what it received.

mod crafter {
    use super::*;
    pub use crafter_profile::operations::{GetProfileParams, GetProfileResponse};
    pub use crafter_profile::types::Profile;
    pub use crafter_profile::{Client, CrafterProfile, OPENAPI_JSON, router};

    pub const PATH: &str = "/api/1/profile/{id}";
    pub const ID: &str = "59274dfbd4c650e226b03b65";

    pub struct Fake {
        pub calls: Recorder<(GetProfileParams, ApiKey)>,
    }

    impl CrafterProfile for Fake {
        async fn get_profile(&self, params: GetProfileParams, key: ApiKey) -> GetProfileResponse {
            self.calls.push((params, key));
            GetProfileResponse::Ok(profile())
        }
    }

    /// The seed's profile, as the document gives it.
    pub fn profile() -> Profile {
        typed(&Document::parse(OPENAPI_JSON).examples(PATH, "get", "200")[0])
    }

    /// The seed's profile as JSON text, for hand-written servers.
    pub fn profile_json() -> String {
        Document::parse(OPENAPI_JSON).examples(PATH, "get", "200")[0]
            .value
            .to_string()
    }

    pub fn params(id: &str) -> GetProfileParams {
        GetProfileParams::new(id.to_owned())
    }

    pub async fn start() -> (Served, Recorder<(GetProfileParams, ApiKey)>) {
        let calls = Recorder::new();
        let fake = Fake {
            calls: calls.clone(),
        };
        (serve::serve(router(fake)).await, calls)
    }
}

mod azure {
    use super::*;
    pub use azure_devops_profiles::operations::{GetProfileParams, GetProfileResponse};
    pub use azure_devops_profiles::server::GetProfileCredentials;
    pub use azure_devops_profiles::types::CoreProfileAttributeName;
    pub use azure_devops_profiles::{AzureDevopsProfiles, Client, OPENAPI_JSON, router};

    pub const PATH: &str = "/_apis/profile/profiles/{id}";

    pub struct Fake {
        pub calls: Recorder<(GetProfileParams, GetProfileCredentials)>,
    }

    impl AzureDevopsProfiles for Fake {
        async fn get_profile(
            &self,
            params: GetProfileParams,
            credentials: GetProfileCredentials,
        ) -> GetProfileResponse {
            self.calls.push((params, credentials));
            GetProfileResponse::Ok(typed(
                &Document::parse(OPENAPI_JSON).examples(PATH, "get", "200")[0],
            ))
        }
    }

    pub fn params(id: &str) -> GetProfileParams {
        GetProfileParams::new(id.to_owned(), "7.1".to_owned())
    }

    pub async fn start() -> (Served, Recorder<(GetProfileParams, GetProfileCredentials)>) {
        let calls = Recorder::new();
        let fake = Fake {
            calls: calls.clone(),
        };
        (serve::serve(router(fake)).await, calls)
    }
}

mod groove {
    use super::*;
    pub use groove_music::operations::{GetUserProfileParams, GetUserProfileResponse};
    pub use groove_music::types::GetUserProfileNamespace;
    pub use groove_music::{Client, GrooveMusic, OPENAPI_JSON, router};

    pub const PATH: &str = "/1/user/{namespace}/profile";

    pub struct Fake {
        pub calls: Recorder<(GetUserProfileParams, Bearer)>,
    }

    impl GrooveMusic for Fake {
        async fn get_user_profile(
            &self,
            params: GetUserProfileParams,
            token: Bearer,
        ) -> GetUserProfileResponse {
            self.calls.push((params, token));
            GetUserProfileResponse::Ok(typed(
                &Document::parse(OPENAPI_JSON).examples(PATH, "get", "200")[0],
            ))
        }
    }

    #[allow(
        deprecated,
        reason = "`access_token` may be a deprecated field, which every literal of the params must still set"
    )]
    pub fn params() -> GetUserProfileParams {
        GetUserProfileParams::new(GetUserProfileNamespace::Music)
    }

    pub async fn start() -> (Served, Recorder<(GetUserProfileParams, Bearer)>) {
        let calls = Recorder::new();
        let fake = Fake {
            calls: calls.clone(),
        };
        (serve::serve(router(fake)).await, calls)
    }
}

mod xbox {
    use super::*;
    pub use xbox_presence::operations::{GetUserPresenceParams, GetUserPresenceResponse};
    pub use xbox_presence::{Client, OPENAPI_JSON, XboxPresence, router};

    pub const PATH: &str = "/users/xuid({xuid})";
    pub const XUID: u64 = 2533274790395904;

    pub struct Fake {
        pub calls: Recorder<(GetUserPresenceParams, ApiKey)>,
    }

    impl XboxPresence for Fake {
        async fn get_user_presence(
            &self,
            params: GetUserPresenceParams,
            key: ApiKey,
        ) -> GetUserPresenceResponse {
            self.calls.push((params, key));
            GetUserPresenceResponse::Ok(typed(
                &Document::parse(OPENAPI_JSON).examples(PATH, "get", "200")[0],
            ))
        }
    }

    pub fn params() -> GetUserPresenceParams {
        GetUserPresenceParams::new(XUID, "3".to_owned(), "en-US".to_owned())
    }

    pub async fn start() -> (Served, Recorder<(GetUserPresenceParams, ApiKey)>) {
        let calls = Recorder::new();
        let fake = Fake {
            calls: calls.clone(),
        };
        (serve::serve(router(fake)).await, calls)
    }
}

// ---------------------------------------------------------------------------------------
// Hand-written servers.

/// One answer of a [`scripted`] server.
#[derive(Clone)]
struct Scripted {
    status: StatusCode,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Scripted {
    fn new(status: u16, body: impl Into<String>) -> Self {
        Scripted {
            status: StatusCode::from_u16(status).expect("a valid status"),
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.into(),
        }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    fn into_response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(
                HeaderName::from_static(name),
                HeaderValue::from_str(&value).expect("a valid header value"),
            );
        }
        response
    }
}

/// A server answering whatever it is asked with `script`'s answers in turn, the last one
/// again once the script is over; the recorder holds the instant each request arrived
/// (on tokio's clock, which the retry tests pause), and taking them restarts the script.
fn scripted(script: Vec<Scripted>) -> (Router, Recorder<Instant>) {
    let arrivals = Recorder::new();
    let recorder = arrivals.clone();
    let router = Router::new().fallback(move || {
        recorder.push(Instant::now());
        let index = recorder.all().len() - 1;
        let answer = script[index.min(script.len() - 1)].clone();
        async move { answer.into_response() }
    });
    (router, arrivals)
}

/// The waits between consecutive `arrivals`: what the client waited before each retry.
fn waits(arrivals: &Recorder<Instant>) -> Vec<Duration> {
    arrivals
        .all()
        .windows(2)
        .map(|pair| pair[1] - pair[0])
        .collect()
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A policy of `max_attempts` without jitter: waits of 100, 200, 400... ms, so that a
/// test can assert each one exactly.
fn retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: ms(100),
        jitter: false,
        ..RetryPolicy::default()
    }
}

/// A loopback address nothing listens on.
fn closed_address() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    listener.local_addr().expect("a bound address")
}

/// Every text an error shows a person or a log: its `Display`, its `Debug` (plain and
/// pretty), and the `Display` of each error in its source chain.
fn everything_shown<E: std::fmt::Debug>(error: &Error<E>) -> String {
    let mut shown = format!("{error}\n{error:?}\n{error:#?}");
    let mut source = error.source();
    while let Some(cause) = source {
        shown.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    shown
}

// ---------------------------------------------------------------------------------------
// Construction.

#[test]
fn a_client_built_with_new_calls_the_documents_first_server_with_its_variables_at_their_defaults() {
    assert_eq!(
        crafter::Client::new().base_url(),
        "http://localhost:8080/crafter-profile",
        "scheme, host and port are server variables with defaults http, localhost, 8080"
    );
    assert_eq!(
        groove::Client::new().base_url(),
        "https://music.xboxlive.com"
    );
    assert_eq!(
        xbox::Client::new().base_url(),
        "https://userpresence.xboxlive.com"
    );
    assert_eq!(
        azure::Client::default().base_url(),
        "https://app.vssps.visualstudio.com"
    );
}

#[tokio::test]
async fn every_call_names_the_generated_crate_and_its_version_in_the_user_agent() {
    let (served, _) = crafter::start().await;
    crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect("the profile should arrive");
    let user_agent = served.take_only_request().header("user-agent").to_owned();
    let (name, version) = user_agent
        .split_once('/')
        .unwrap_or_else(|| panic!("`name/version` expected, found {user_agent:?}"));
    assert_eq!(name, "crafter-profile");
    assert!(
        version.split('.').count() == 3 && version.split('.').all(|n| n.parse::<u64>().is_ok()),
        "a semantic version expected, found {version:?}"
    );
}

#[tokio::test]
async fn a_call_runs_on_a_spawned_task_of_a_multi_threaded_runtime() {
    // A method's future is `Send`: a service calling another from its own handlers
    // spawns calls like any other work.
    let (served, _) = crafter::start().await;
    let client = crafter::Client::with_base_url(&served.base_url).with_access_token_id("key");
    let profile = tokio::spawn(async move {
        client
            .get_profile(&crafter::params(crafter::ID))
            .await
            .map(|_| ())
            .map_err(|error| error.to_string())
    });
    profile
        .await
        .expect("the task should finish")
        .expect("the profile should arrive");
}

#[tokio::test]
async fn a_client_sends_its_calls_through_the_reqwest_client_it_was_given() {
    let (served, calls) = groove::start().await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-tenant", HeaderValue::from_static("contoso"));
    let http = reqwest::Client::builder()
        .user_agent("contoso-app/2.0")
        .default_headers(headers)
        .build()
        .expect("a reqwest client should build");
    groove::Client::with_base_url(&served.base_url)
        .with_http_client(http)
        .with_bearer_auth("tok")
        .get_user_profile(&groove::params())
        .await
        .expect("the profile should arrive");
    let request = served.take_only_request();
    assert_eq!(request.header("x-tenant"), "contoso");
    assert_eq!(request.header("user-agent"), "contoso-app/2.0");
    assert_eq!(calls.all().len(), 1);
}

#[tokio::test]
async fn a_client_of_an_https_server_opens_a_tls_session() {
    // A plain TCP listener that reads what the client sends first: a client without TLS
    // would refuse the `https` URL before connecting, and one speaking plain HTTP would
    // send `GET`; a TLS client sends a handshake record (0x16, version 3.x).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let address = listener.local_addr().expect("a bound address");
    listener
        .set_nonblocking(true)
        .expect("the listener should turn non-blocking");
    let first_bytes = std::thread::spawn(move || {
        use std::io::Read;
        // A client that never connects must fail the test, not hang it.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break stream,
                Err(_) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(error) => return Err(format!("the client never connected: {error}")),
            }
        };
        stream
            .set_nonblocking(false)
            .and_then(|()| stream.set_read_timeout(Some(Duration::from_secs(10))))
            .map_err(|error| error.to_string())?;
        let mut bytes = [0u8; 3];
        stream
            .read_exact(&mut bytes)
            .map_err(|error| format!("the client sent no handshake: {error}"))?;
        Ok(bytes)
    });
    let result = crafter::Client::with_base_url(format!("https://{address}"))
        .with_access_token_id("key")
        .get_profile(&crafter::params(crafter::ID))
        .await;
    let bytes = first_bytes
        .join()
        .expect("the listener thread should finish")
        .unwrap_or_else(|problem| panic!("{problem}; the call returned {result:?}"));
    assert_eq!(bytes[0], 0x16, "a TLS handshake record, found {bytes:?}");
    assert_eq!(bytes[1], 0x03, "TLS version 3.x, found {bytes:?}");
    assert!(
        matches!(result, Err(Error::Transport { .. })),
        "the server closed the connection without a handshake: {result:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Credentials.

#[tokio::test]
async fn a_bearer_token_travels_in_the_authorization_header() {
    let (served, calls) = groove::start().await;
    groove::Client::with_base_url(&served.base_url)
        .with_bearer_auth("eyJ0eXAi.payload.sig")
        .get_user_profile(&groove::params())
        .await
        .expect("the profile should arrive");
    let request = served.take_only_request();
    assert_eq!(
        request.header("authorization"),
        "Bearer eyJ0eXAi.payload.sig"
    );
    assert_eq!(request.query(), "");
    assert_eq!(calls.all()[0].1, Bearer::new("eyJ0eXAi.payload.sig"));
}

#[tokio::test]
async fn basic_credentials_travel_base64_encoded_in_the_authorization_header() {
    let (served, calls) = azure::start().await;
    azure::Client::with_base_url(&served.base_url)
        .with_basic_auth("", "pat:with:colons")
        .get_profile(&azure::params("me"))
        .await
        .expect("the profile should arrive");
    let request = served.take_only_request();
    // base64(":pat:with:colons"): an empty user name, as Azure DevOps takes a PAT.
    assert_eq!(
        request.header("authorization"),
        "Basic OnBhdDp3aXRoOmNvbG9ucw=="
    );
    assert_eq!(
        calls.all()[0].1,
        azure::GetProfileCredentials::BasicAuth(Basic::new("", "pat:with:colons"))
    );
}

#[tokio::test]
async fn an_api_key_for_a_header_travels_in_that_header_exactly_as_given() {
    let (served, calls) = xbox::start().await;
    let token = "XBL3.0 x=1234567890;eyJhbGciOi.payload.sig";
    xbox::Client::with_base_url(&served.base_url)
        .with_xbl_auth(token)
        .get_user_presence(&xbox::params())
        .await
        .expect("the presence record should arrive");
    let request = served.take_only_request();
    assert_eq!(request.header("authorization"), token);
    assert_eq!(request.query(), "");
    assert_eq!(calls.all()[0].1, ApiKey::new(token));
}

#[tokio::test]
async fn an_api_key_for_the_query_travels_percent_encoded_in_the_query_only() {
    let (served, calls) = crafter::start().await;
    let key = "k&y=1 é+";
    crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id(key)
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect("the profile should arrive");
    let request = served.take_only_request();
    assert_eq!(request.query(), "accessTokenId=k%26y%3D1%20%C3%A9%2B");
    assert!(request.header_values("authorization").is_empty());
    assert_eq!(calls.all()[0].1, ApiKey::new(key));
}

#[tokio::test]
async fn a_client_holding_both_azure_credentials_sends_only_the_first_alternative() {
    let (served, calls) = azure::start().await;
    azure::Client::with_base_url(&served.base_url)
        .with_basic_auth("", "pat")
        .with_oauth2("access-token")
        .get_profile(&azure::params("me"))
        .await
        .expect("the profile should arrive");
    let request = served.take_only_request();
    assert_eq!(
        request.header_values("authorization"),
        ["Bearer access-token"]
    );
    assert_eq!(
        calls.all()[0].1,
        azure::GetProfileCredentials::Oauth2(Bearer::new("access-token"))
    );
}

#[test]
fn a_clients_debug_output_never_shows_its_secrets() {
    let shown = [
        format!(
            "{:?}",
            groove::Client::new().with_bearer_auth("secret-bearer-1")
        ),
        format!(
            "{:#?}",
            azure::Client::new()
                .with_oauth2("secret-bearer-2")
                .with_basic_auth("ann", "secret-password-3")
        ),
        format!("{:?}", xbox::Client::new().with_xbl_auth("secret-key-4")),
        format!(
            "{:#?}",
            crafter::Client::new().with_access_token_id("secret-key-5")
        ),
    ]
    .join("\n");
    assert!(!shown.contains("secret"), "{shown}");
    // The rest is still there to debug with.
    assert!(shown.contains("ann"), "{shown}");
    assert!(shown.contains("https://music.xboxlive.com"), "{shown}");
}

#[tokio::test]
async fn no_error_a_call_returns_ever_shows_its_credentials() {
    let secret = "s3cret-token-value";
    let closed = format!("http://{}", closed_address());
    let mut shown = Vec::new();

    // Transport: reqwest names the URL, which carries Crafter's key in its query.
    let refused = crafter::Client::with_base_url(&closed)
        .with_access_token_id(secret)
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect_err("nothing listens there");
    assert!(matches!(refused, Error::Transport { .. }), "{refused:?}");
    let text = everything_shown(&refused);
    assert!(
        text.contains("accessTokenId=REDACTED"),
        "the URL is still shown, its key redacted: {text}"
    );
    shown.push(text);
    let refused = groove::Client::with_base_url(&closed)
        .with_bearer_auth(secret)
        .get_user_profile(&groove::params())
        .await
        .expect_err("nothing listens there");
    shown.push(everything_shown(&refused));

    // InvalidRequest: a credential that cannot be a header value is refused unquoted.
    let invalid = xbox::Client::with_base_url(&closed)
        .with_xbl_auth(format!("XBL3.0 x=1;{secret}\r\nX-Injected: 1"))
        .get_user_presence(&xbox::params())
        .await
        .expect_err("a line break is refused");
    assert!(
        matches!(invalid, Error::InvalidRequest { .. }),
        "{invalid:?}"
    );
    shown.push(everything_shown(&invalid));

    // UnexpectedStatus, Decode and Api from a server that answers the call.
    let answers = [
        Scripted::new(418, "I'm a teapot"),
        Scripted::new(200, "not json"),
        Scripted::new(
            404,
            r#"{"errorCode":"NO_SUCH_PROFILE","message":"No profile"}"#,
        ),
    ];
    for answer in answers {
        let (router, _) = scripted(vec![answer]);
        let served = serve::serve(router).await;
        let error = crafter::Client::with_base_url(&served.base_url)
            .with_access_token_id(secret)
            .get_profile(&crafter::params(crafter::ID))
            .await
            .expect_err("every answer here is an error");
        shown.push(everything_shown(&error));
    }

    for text in shown {
        assert!(!text.contains(secret), "a secret shows in: {text}");
    }
}

// ---------------------------------------------------------------------------------------
// Encoding.

#[tokio::test]
async fn an_azure_profile_id_full_of_reserved_characters_arrives_intact_in_one_segment() {
    let (served, calls) = azure::start().await;
    let id = "a/b?c#d%e f(g)é";
    azure::Client::with_base_url(&served.base_url)
        .with_oauth2("tok")
        .get_profile(&azure::params(id))
        .await
        .expect("the profile should arrive");
    let request = served.take_only_request();
    assert_eq!(
        request.path(),
        "/_apis/profile/profiles/a%2Fb%3Fc%23d%25e%20f%28g%29%C3%A9"
    );
    assert_eq!(request.query(), "api-version=7.1");
    assert_eq!(
        calls.all()[0].0.id,
        id,
        "the service reads the value as sent"
    );
}

#[tokio::test]
async fn the_text_around_a_path_parameter_is_sent_as_the_template_writes_it() {
    let (served, calls) = xbox::start().await;
    xbox::Client::with_base_url(&served.base_url)
        .with_xbl_auth("tok")
        .get_user_presence(&xbox::params())
        .await
        .expect("the presence record should arrive");
    assert_eq!(
        served.take_only_request().path(),
        format!("/users/xuid({})", xbox::XUID)
    );
    assert_eq!(calls.all()[0].0.xuid, xbox::XUID);
}

#[tokio::test]
async fn an_exploded_array_travels_as_repeated_keys_each_value_encoded() {
    let (served, calls) = crafter::start().await;
    let attributes = vec!["a&b=c".to_owned(), "x,y".to_owned(), "é (z)".to_owned()];
    let params = crafter::params(crafter::ID).with_attribute_to_return(attributes.clone());
    crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .get_profile(&params)
        .await
        .expect("the profile should arrive");
    let request = served.take_only_request();
    assert_eq!(
        request.query_values("attributeToReturn"),
        ["a%26b%3Dc", "x%2Cy", "%C3%A9%20%28z%29"]
    );
    assert_eq!(calls.all()[0].0.attribute_to_return, Some(attributes));
}

#[tokio::test]
async fn an_array_without_explode_travels_comma_joined_in_one_value() {
    let (served, calls) = azure::start().await;
    let attributes = vec![
        azure::CoreProfileAttributeName::Email,
        azure::CoreProfileAttributeName::DisplayName,
    ];
    let params = azure::params("me").with_core_attributes(attributes.clone());
    azure::Client::with_base_url(&served.base_url)
        .with_oauth2("tok")
        .get_profile(&params)
        .await
        .expect("the profile should arrive");
    let request = served.take_only_request();
    assert_eq!(
        request.query_values("coreAttributes"),
        ["Email,DisplayName"],
        "{}",
        request.query()
    );
    assert_eq!(calls.all()[0].0.core_attributes, Some(attributes));
}

#[tokio::test]
async fn a_path_value_that_would_name_another_resource_is_refused_before_anything_is_sent() {
    let (served, calls) = azure::start().await;
    let client = azure::Client::with_base_url(&served.base_url).with_oauth2("tok");
    // `..` climbs to `/_apis/profile/`, even percent-encoded; `.` and nothing stay on
    // `/_apis/profile/profiles/`, which is not a profile.
    for id in ["..", ".", ""] {
        match client.get_profile(&azure::params(id)).await {
            Err(Error::InvalidRequest { operation, message }) => {
                assert_eq!(operation, "getProfile");
                assert!(
                    message.contains("`id`"),
                    "the message names the parameter: {message}"
                );
                assert!(message.contains("nothing was sent"), "{message}");
            }
            other => panic!("the id {id:?} should be refused, got {other:?}"),
        }
    }
    assert!(served.requests().is_empty(), "{:?}", served.requests());
    assert!(calls.all().is_empty());

    // Dots are only special as a whole segment.
    client
        .get_profile(&azure::params("..."))
        .await
        .expect("`...` is a plain value");
    assert_eq!(
        served.take_only_request().path(),
        "/_apis/profile/profiles/..."
    );
}

#[tokio::test]
async fn a_header_value_with_a_line_break_is_refused_and_nothing_reaches_the_server() {
    let (served, calls) = xbox::start().await;
    let client = xbox::Client::with_base_url(&served.base_url).with_xbl_auth("tok");
    let injections = [
        ("accept-language", "en-US\r\nX-Injected: 1"),
        ("accept-language", "en-US\nX-Injected: 1"),
        ("x-xbl-contract-version", "3\r"),
    ];
    for (header, value) in injections {
        let mut params = xbox::params();
        match header {
            "accept-language" => params.accept_language = value.to_owned(),
            _ => params.x_xbl_contract_version = value.to_owned(),
        }
        match client.get_user_presence(&params).await {
            Err(Error::InvalidRequest { message, .. }) => {
                assert!(message.contains(&format!("`{header}`")), "{message}");
                assert!(message.contains("line break"), "{message}");
            }
            other => panic!("{value:?} in {header} should be refused, got {other:?}"),
        }
    }
    assert!(served.requests().is_empty(), "{:?}", served.requests());
    assert!(calls.all().is_empty());
}

// ---------------------------------------------------------------------------------------
// Responses.

#[tokio::test]
async fn an_undocumented_status_comes_back_with_its_status_headers_and_body() {
    let (router, _) = scripted(vec![
        Scripted::new(418, r#"{"reason":"short and stout"}"#).header("x-request-id", "r-42"),
    ]);
    let served = serve::serve(router).await;
    let error = crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect_err("418 is not documented");
    let message = error.to_string();
    let Error::UnexpectedStatus {
        operation,
        status,
        headers,
        body,
    } = error
    else {
        panic!("expected UnexpectedStatus, got {error:?}");
    };
    assert_eq!(operation, "getProfile");
    assert_eq!(status, StatusCode::IM_A_TEAPOT);
    assert_eq!(headers["x-request-id"], "r-42");
    assert_eq!(&body[..], br#"{"reason":"short and stout"}"#);
    assert!(
        message.contains("getProfile") && message.contains("418"),
        "{message}"
    );
    assert!(
        message.contains("short and stout"),
        "the message quotes the body: {message}"
    );
}

#[tokio::test]
async fn an_undocumented_answer_keeps_only_the_first_64_kib_of_its_body() {
    let huge = "x".repeat(4 * 1024 * 1024);
    let (router, _) = scripted(vec![Scripted::new(500, huge)]);
    let served = serve::serve(router).await;
    let error = xbox::Client::with_base_url(&served.base_url)
        .with_xbl_auth("tok")
        .get_user_presence(&xbox::params())
        .await
        .expect_err("500 is not documented for Xbox presence");
    match error {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(body.len(), MAX_ERROR_BODY);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_does_not_decode_names_the_operation_and_quotes_its_start() {
    let cases = [
        (200, "<html><body>Service temporarily moved</body></html>"),
        (404, r#"{"errorCode": 42}"#),
    ];
    for (answered, body) in cases {
        let (router, _) = scripted(vec![Scripted::new(answered, body)]);
        let served = serve::serve(router).await;
        let error = crafter::Client::with_base_url(&served.base_url)
            .with_access_token_id("key")
            .get_profile(&crafter::params(crafter::ID))
            .await
            .expect_err("the body does not decode");
        let message = error.to_string();
        match error {
            Error::Decode {
                operation,
                status,
                snippet,
                ..
            } => {
                assert_eq!(operation, "getProfile");
                assert_eq!(status.as_u16(), answered);
                assert_eq!(snippet, body);
            }
            other => panic!("expected Decode for {answered}, got {other:?}"),
        }
        assert!(message.contains("getProfile"), "{message}");
        assert!(message.contains(&format!("{answered}")), "{message}");
        assert!(message.contains(&format!("{body:?}")), "{message}");
    }
}

// ---------------------------------------------------------------------------------------
// Retries.

// The retry tests run on tokio's paused clock: a wait takes no real time, and the
// instants at which the attempts arrive show exactly how long the client waited. The
// server answers on the same clock without advancing it.

#[tokio::test(start_paused = true)]
async fn a_client_with_retries_gets_through_a_503_that_asks_to_retry_at_once() {
    let (router, arrivals) = scripted(vec![
        Scripted::new(503, "{}").header("retry-after", "0"),
        Scripted::new(200, crafter::profile_json()),
    ]);
    let served = serve::serve(router).await;
    let profile = crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .with_retries(retries(3))
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect("the second attempt should succeed");
    assert_eq!(profile, crafter::profile());
    assert_eq!(waits(&arrivals), [Duration::ZERO], "Retry-After: 0 is now");
    let requests = served.requests();
    assert_eq!(
        requests[0].uri, requests[1].uri,
        "the retry is the same request"
    );
}

#[tokio::test(start_paused = true)]
async fn a_client_without_retries_returns_the_first_503() {
    let (router, arrivals) = scripted(vec![
        Scripted::new(503, "{}").header("retry-after", "0"),
        Scripted::new(200, crafter::profile_json()),
    ]);
    let served = serve::serve(router).await;
    let error = crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect_err("retries are off by default");
    assert!(
        matches!(error, Error::UnexpectedStatus { status, .. } if status == 503),
        "{error:?}"
    );
    assert_eq!(arrivals.all().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn without_retry_after_the_waits_double_up_to_max_backoff() {
    let (router, arrivals) = scripted(vec![
        Scripted::new(503, "{}"),
        Scripted::new(503, "{}"),
        Scripted::new(429, "{}"),
        Scripted::new(503, "{}"),
        Scripted::new(200, crafter::profile_json()),
    ]);
    let served = serve::serve(router).await;
    let policy = RetryPolicy {
        max_backoff: ms(350),
        ..retries(5)
    };
    crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .with_retries(policy)
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect("the fifth attempt should succeed");
    assert_eq!(waits(&arrivals), [ms(100), ms(200), ms(350), ms(350)]);
}

#[tokio::test(start_paused = true)]
async fn the_answer_is_returned_when_the_next_wait_would_pass_max_total_delay() {
    let (router, arrivals) = scripted(vec![Scripted::new(503, "{}")]);
    let served = serve::serve(router).await;
    let policy = RetryPolicy {
        max_total_delay: ms(699),
        ..retries(10)
    };
    let started = Instant::now();
    let error = crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .with_retries(policy)
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect_err("every attempt gets 503");
    assert!(
        matches!(error, Error::UnexpectedStatus { status, .. } if status == 503),
        "{error:?}"
    );
    // 100 + 200 ms waited; 400 more would make 700.
    assert_eq!(waits(&arrivals), [ms(100), ms(200)]);
    assert_eq!(
        started.elapsed(),
        ms(300),
        "the last answer is not waited on"
    );
}

#[tokio::test(start_paused = true)]
async fn jittered_waits_fall_between_half_and_all_of_each_doubled_wait() {
    let (router, arrivals) = scripted(vec![Scripted::new(503, "{}")]);
    let served = serve::serve(router).await;
    let policy = RetryPolicy {
        max_attempts: 4,
        ..RetryPolicy::default()
    };
    assert!(policy.jitter, "the default policy jitters");
    crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .with_retries(policy)
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect_err("every attempt gets 503");
    let waits = waits(&arrivals);
    assert_eq!(waits.len(), 3);
    for (wait, full) in waits.iter().zip([ms(250), ms(500), ms(1000)]) {
        assert!(
            (full / 2..=full).contains(wait),
            "{wait:?} is not within [{:?}, {full:?}] (all: {waits:?})",
            full / 2
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_429_asking_to_wait_a_second_is_waited_out_exactly() {
    let (router, arrivals) = scripted(vec![
        Scripted::new(429, "{}").header("retry-after", "1"),
        Scripted::new(200, crafter::profile_json()),
    ]);
    let served = serve::serve(router).await;
    crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .with_retries(retries(3))
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect("the second attempt should succeed");
    assert_eq!(
        waits(&arrivals),
        [Duration::from_secs(1)],
        "Retry-After, not the 100 ms backoff"
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_given_as_an_http_date_is_counted_from_the_answers_date() {
    // Years away from the client's clock: only the server's `Date` makes this two seconds.
    let (router, arrivals) = scripted(vec![
        Scripted::new(503, "{}")
            .header("date", "Sun, 06 Nov 1994 08:49:37 GMT")
            .header("retry-after", "Sun, 06 Nov 1994 08:49:39 GMT"),
        Scripted::new(200, crafter::profile_json()),
    ]);
    let served = serve::serve(router).await;
    crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .with_retries(retries(3))
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect("the second attempt should succeed");
    assert_eq!(waits(&arrivals), [Duration::from_secs(2)]);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_longer_than_the_policy_allows_returns_the_answer_at_once() {
    let (router, arrivals) = scripted(vec![
        Scripted::new(503, "{}").header("retry-after", "3600"),
        Scripted::new(200, crafter::profile_json()),
    ]);
    let served = serve::serve(router).await;
    let started = Instant::now();
    let error = crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .with_retries(retries(3))
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect_err("an hour is more than max_backoff");
    assert_eq!(started.elapsed(), Duration::ZERO, "nothing is waited");
    assert_eq!(arrivals.all().len(), 1);
    match error {
        Error::UnexpectedStatus { headers, .. } => assert_eq!(
            headers["retry-after"], "3600",
            "the caller can still read when to come back"
        ),
        other => panic!("expected the 503 itself, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn retries_stop_after_max_attempts() {
    let (router, arrivals) = scripted(vec![Scripted::new(503, "{}").header("retry-after", "0")]);
    let served = serve::serve(router).await;
    let error = crafter::Client::with_base_url(&served.base_url)
        .with_access_token_id("key")
        .with_retries(retries(4))
        .get_profile(&crafter::params(crafter::ID))
        .await
        .expect_err("every attempt gets 503");
    assert!(
        matches!(error, Error::UnexpectedStatus { status, .. } if status == 503),
        "{error:?}"
    );
    assert_eq!(arrivals.all().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_client_with_retries_waits_for_a_server_that_is_not_listening_yet() {
    let address = closed_address();
    let (router, arrivals) = scripted(vec![Scripted::new(200, crafter::profile_json())]);
    // The server comes up 250 ms after the first attempt was refused; the retries are
    // sent at 100 and 300 ms, and the second of them finds it.
    let server = tokio::spawn(async move {
        tokio::time::sleep(ms(250)).await;
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .expect("the port should still be free");
        axum::serve(listener, router)
            .await
            .expect("the late server should run");
    });
    let started = Instant::now();
    let result = crafter::Client::with_base_url(format!("http://{address}"))
        .with_access_token_id("key")
        .with_retries(retries(6))
        .get_profile(&crafter::params(crafter::ID))
        .await;
    server.abort();
    assert_eq!(
        result.expect("a retry should reach the late server"),
        crafter::profile()
    );
    assert_eq!(
        arrivals.all(),
        [started + ms(300)],
        "one attempt reached it, the third"
    );

    let refused = crafter::Client::with_base_url(format!("http://{}", closed_address()))
        .with_access_token_id("key")
        .get_profile(&crafter::params(crafter::ID))
        .await;
    match refused {
        Err(Error::Transport { source, .. }) => assert!(source.is_connect(), "{source:?}"),
        other => panic!("without retries a refused connection is an error: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_post_is_never_retried_while_the_same_call_as_a_put_is() {
    // No document here has a non-idempotent operation, so this drives the runtime's
    // `Call` the way a generated method for one would.
    let (router, arrivals) = scripted(vec![
        Scripted::new(503, "{}").header("retry-after", "0"),
        Scripted::new(200, "{}"),
    ]);
    let served = serve::serve(router).await;
    let http = reqwest::Client::new();
    let send = |method: Method| {
        let mut call = Call::new(&http, &served.base_url, method, "saveThing");
        call.retry(retries(3));
        call.path("/things/");
        call.path_param("id", &"t-1".to_owned());
        call.json(&serde_json::json!({"name": "thing"}));
        call.send::<Infallible>()
    };

    let post = send(Method::POST).await.expect("the 503 is an answer");
    assert_eq!(post.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(arrivals.take().len(), 1, "a POST is sent once");

    let put = send(Method::PUT).await.expect("the retry is answered");
    assert_eq!(put.status(), StatusCode::OK);
    assert_eq!(arrivals.all().len(), 2, "a PUT may be sent again");
    let requests = served.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|request| request.headers["content-type"] == "application/json"),
        "the body is sent again with its type: {requests:?}"
    );
}
