//! The loopback harness of the end-to-end tests.
//!
//! A test serves a generated router (wrapped around a fake of the service trait) on
//! `127.0.0.1:0` with [`serve`], which records every request exactly as it arrived
//! ([`RawRequest`]) before the router reads it, so a test can check what the generated
//! client really put on the wire. The fakes answer from the document's own named
//! examples ([`Document`]), never from bodies written in Rust, and record what the trait
//! received in a [`Recorder`]. [`raw_get`] sends hand-written requests that the
//! generated client would refuse to build.

use std::fmt::Debug;
use std::sync::{Arc, Mutex, MutexGuard};

use apigen_runtime::axum::extract::Request;
use apigen_runtime::axum::middleware::{self, Next};
use apigen_runtime::axum::{self, Router};
use apigen_runtime::bytes::Bytes;
use apigen_runtime::http::{HeaderMap, Method, StatusCode, Uri};
use apigen_runtime::{chrono, reqwest};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A list shared between a server and the test that started it, filled as calls arrive.
#[derive(Debug)]
pub struct Recorder<T>(Arc<Mutex<Vec<T>>>);

impl<T> Clone for Recorder<T> {
    fn clone(&self) -> Self {
        Recorder(Arc::clone(&self.0))
    }
}

impl<T> Default for Recorder<T> {
    fn default() -> Self {
        Recorder(Arc::new(Mutex::new(Vec::new())))
    }
}

impl<T: Clone> Recorder<T> {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `item`.
    pub fn push(&self, item: T) {
        self.lock().push(item);
    }

    /// Everything recorded so far, in arrival order.
    pub fn all(&self) -> Vec<T> {
        self.lock().clone()
    }

    /// Forgets everything recorded so far, and returns it.
    pub fn take(&self) -> Vec<T> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> MutexGuard<'_, Vec<T>> {
        // A test that panicked while holding the lock has already failed; its records
        // are still the best evidence there is.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One request exactly as it reached the server, before the generated router read it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The method.
    pub method: Method,
    /// The request target as sent: the path and query string, still percent-encoded.
    pub uri: Uri,
    /// Every header, with repeated ones kept.
    pub headers: HeaderMap,
}

impl RawRequest {
    /// The path as sent (percent-encoded, parentheses and all).
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The query string as sent, without the `?` (empty when there is none).
    pub fn query(&self) -> &str {
        self.uri.query().unwrap_or_default()
    }

    /// The query's `name=value` pairs in order, split but not decoded.
    pub fn query_pairs(&self) -> Vec<(&str, &str)> {
        self.query()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .collect()
    }

    /// The raw values of every occurrence of the query parameter `name`, in order.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        self.query_pairs()
            .into_iter()
            .filter(|(key, _)| *key == name)
            .map(|(_, value)| value)
            .collect()
    }

    /// The names in the query, in order, one per occurrence.
    pub fn query_names(&self) -> Vec<&str> {
        self.query_pairs().into_iter().map(|(key, _)| key).collect()
    }

    /// Every value of the header `name` (case-insensitive), as text.
    ///
    /// # Panics
    /// When a value is not visible ASCII, which no generated client sends.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .map(|value| {
                value.to_str().unwrap_or_else(|_| {
                    panic!("the header {name} arrived with a value that is not visible ASCII")
                })
            })
            .collect()
    }

    /// The one value of the header `name`.
    ///
    /// # Panics
    /// When the header is absent or was sent more than once.
    #[track_caller]
    pub fn header(&self, name: &str) -> &str {
        match self.header_values(name).as_slice() {
            [value] => value,
            values => panic!(
                "expected the header {name} exactly once, found {} values: {values:?} (all headers: {:?})",
                values.len(),
                self.headers
            ),
        }
    }
}

/// A router being served on loopback; the server stops when this is dropped.
#[derive(Debug)]
pub struct Served {
    /// `http://127.0.0.1:<port>`, the base URL to give a client.
    pub base_url: String,
    requests: Recorder<RawRequest>,
    task: tokio::task::JoinHandle<()>,
}

impl Served {
    /// Every request received so far, as it arrived.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.all()
    }

    /// The one request received since the server started or since the last call to
    /// this method, which forgets it.
    ///
    /// # Panics
    /// When there was not exactly one.
    #[track_caller]
    pub fn take_only_request(&self) -> RawRequest {
        let mut requests = self.requests.take();
        match requests.len() {
            1 => requests.remove(0),
            n => panic!(
                "expected the server to receive exactly one request, it received {n}: {requests:#?}"
            ),
        }
    }

    /// `base_url` followed by `path_and_query`, for hand-written requests.
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base_url)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `router` on `127.0.0.1:0`, recording every request before the router sees it.
///
/// # Panics
/// When no loopback port can be bound.
pub async fn serve(router: Router) -> Served {
    let requests = Recorder::new();
    let recorder = requests.clone();
    let router = router.layer(middleware::from_fn(move |request: Request, next: Next| {
        let recorder = recorder.clone();
        async move {
            recorder.push(RawRequest {
                method: request.method().clone(),
                uri: request.uri().clone(),
                headers: request.headers().clone(),
            });
            next.run(request).await
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port should be free to bind");
    let address = listener
        .local_addr()
        .expect("a bound listener should know its address");
    let task = tokio::spawn(async move {
        // The server runs until the test drops `Served`, which aborts this task.
        if let Err(error) = axum::serve(listener, router).await {
            panic!("the loopback server stopped: {error}");
        }
    });
    Served {
        base_url: format!("http://{address}"),
        requests,
        task,
    }
}

/// A router answering every request with `status`, a body of type `content_type` and
/// `body`: a server that says something the document does not describe.
pub fn answering(status: StatusCode, content_type: &'static str, body: &'static str) -> Router {
    Router::new().fallback(move || async move {
        (
            status,
            [(apigen_runtime::http::header::CONTENT_TYPE, content_type)],
            body,
        )
    })
}

/// An answer to a hand-written request.
#[derive(Debug)]
pub struct RawResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl RawResponse {
    /// The body as JSON.
    ///
    /// # Panics
    /// When it is not JSON, or not declared as JSON (`application/json` or `+json`).
    #[track_caller]
    pub fn json(&self) -> Value {
        let content_type = self
            .headers
            .get(apigen_runtime::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        assert!(
            apigen_runtime::media::is_json(content_type),
            "expected a JSON body, the {} answer is of type {content_type:?}: {:?}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "the {} answer says it is JSON but does not parse ({error}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Sends `GET url` with exactly `headers` (plus what HTTP itself needs), with a plain
/// `reqwest` client: for requests the generated client would refuse to build.
///
/// # Panics
/// When the request cannot be sent or the answer not read.
pub async fn raw_get(url: &str, headers: &[(&str, &str)]) -> RawResponse {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|error| panic!("GET {url} should reach the loopback server: {error}"));
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .unwrap_or_else(|error| panic!("the answer to GET {url} should be readable: {error}"));
    RawResponse {
        status,
        headers,
        body,
    }
}

/// Whether the JSON `body` names the parameter `name`: a string in it is the name, or
/// quotes it (`` `name` ``) in a sentence.
pub fn names_parameter(body: &Value, name: &str) -> bool {
    match body {
        Value::String(text) => text == name || text.contains(&format!("`{name}`")),
        Value::Array(items) => items.iter().any(|item| names_parameter(item, name)),
        Value::Object(members) => members.values().any(|value| names_parameter(value, name)),
        _ => false,
    }
}

/// A service's OpenAPI document (the generated crate's `OPENAPI_JSON`), read for the
/// examples it gives.
#[derive(Debug, Clone)]
pub struct Document {
    root: Value,
}

/// One named example of a response.
#[derive(Debug, Clone)]
pub struct Example {
    /// The status it answers with (`"200"`, `"404"`).
    pub status: String,
    /// Its name in the document.
    pub name: String,
    /// Its value.
    pub value: Value,
}

impl Document {
    /// Parses an embedded document.
    ///
    /// # Panics
    /// When it is not JSON.
    pub fn parse(json: &str) -> Self {
        Document {
            root: serde_json::from_str(json).expect("the embedded OpenAPI document should be JSON"),
        }
    }

    /// The node at the JSON pointer `pointer`, its `$ref` followed (local references).
    #[track_caller]
    fn node(&self, pointer: &str) -> &Value {
        let mut node = self
            .root
            .pointer(pointer)
            .unwrap_or_else(|| panic!("the document has nothing at {pointer}"));
        // A chain of references is short; the bound only stops a cycle.
        for _ in 0..16 {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                return node;
            };
            let target = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{pointer} refers outside the document: {reference}"));
            node = self
                .root
                .pointer(target)
                .unwrap_or_else(|| panic!("{pointer} refers to {reference}, which is missing"));
        }
        panic!("{pointer}: too many `$ref`s in a row")
    }

    fn operation_pointer(path: &str, method: &str) -> String {
        format!("/paths/{}/{method}", escape_pointer(path))
    }

    /// The statuses `method path` documents, in document order.
    #[track_caller]
    pub fn statuses(&self, path: &str, method: &str) -> Vec<String> {
        let pointer = format!("{}/responses", Self::operation_pointer(path, method));
        match self.node(&pointer) {
            Value::Object(responses) => responses.keys().cloned().collect(),
            other => panic!("{pointer} is not an object: {other}"),
        }
    }

    /// Whether the response `status` of `method path` has an `application/json` body.
    #[track_caller]
    pub fn has_json_body(&self, path: &str, method: &str, status: &str) -> bool {
        let pointer = format!(
            "{}/responses/{}",
            Self::operation_pointer(path, method),
            escape_pointer(status)
        );
        self.node(&pointer)
            .pointer("/content/application~1json")
            .is_some()
    }

    /// The named examples of the `application/json` body of the response `status` of
    /// `method path`, in document order.
    ///
    /// # Panics
    /// When the response or its JSON body is missing, or an example has no `value`.
    #[track_caller]
    pub fn examples(&self, path: &str, method: &str, status: &str) -> Vec<Example> {
        let response_pointer = format!(
            "{}/responses/{}",
            Self::operation_pointer(path, method),
            escape_pointer(status)
        );
        let response = self.node(&response_pointer);
        let Some(Value::Object(examples)) = response.pointer("/content/application~1json/examples")
        else {
            panic!("{response_pointer} has no named examples of an application/json body");
        };
        examples
            .iter()
            .map(|(name, example)| {
                let example = match example.get("$ref").and_then(Value::as_str) {
                    Some(reference) => self.node(reference.trim_start_matches('#')),
                    None => example,
                };
                let value = example.get("value").cloned().unwrap_or_else(|| {
                    panic!("the example {name} of {response_pointer} has no inline value")
                });
                Example {
                    status: status.to_owned(),
                    name: name.clone(),
                    value,
                }
            })
            .collect()
    }

    /// The named examples of every documented status of `method path` that has a JSON
    /// body, other than `2xx`.
    #[track_caller]
    pub fn error_examples(&self, path: &str, method: &str) -> Vec<Example> {
        self.statuses(path, method)
            .into_iter()
            .filter(|status| !status.starts_with('2') && self.has_json_body(path, method, status))
            .flat_map(|status| self.examples(path, method, &status))
            .collect()
    }
}

/// Escapes a key for a JSON pointer (RFC 6901).
fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Deserializes an example into the generated type `T`, independently of any HTTP.
///
/// # Panics
/// When the example does not fit `T`, naming the example.
#[track_caller]
pub fn typed<T: DeserializeOwned>(example: &Example) -> T {
    serde_json::from_value(example.value.clone()).unwrap_or_else(|error| {
        panic!(
            "the {} example {} should deserialize into {}: {error}",
            example.status,
            example.name,
            std::any::type_name::<T>()
        )
    })
}

/// Serializes a typed value back to JSON.
///
/// # Panics
/// When it does not serialize, which generated types always do.
#[track_caller]
pub fn to_json<T: Serialize + Debug>(value: &T) -> Value {
    serde_json::to_value(value)
        .unwrap_or_else(|error| panic!("{value:?} should serialize: {error}"))
}

/// Asserts that `actual` is the JSON `expected`: the same members (in any order), the
/// same array items in the same order, the same scalars. Two strings are also the same
/// when both are RFC 3339 date-times of the same instant with the same offset (`Z` and
/// `+00:00` are one offset, and a date-time type writes one of them for both).
///
/// # Panics
/// With every difference, each at its JSON pointer.
#[track_caller]
pub fn assert_same_json(actual: &Value, expected: &Value, what: &str) {
    let mut differences = Vec::new();
    compare(actual, expected, String::new(), &mut differences);
    assert!(
        differences.is_empty(),
        "{what}: the JSON differs from the document's\n  {}\nactual:   {actual}\nexpected: {expected}",
        differences.join("\n  ")
    );
}

fn compare(actual: &Value, expected: &Value, at: String, differences: &mut Vec<String>) {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => {
            for (key, expected_value) in expected {
                let here = format!("{at}/{}", escape_pointer(key));
                match actual.get(key) {
                    Some(actual_value) => compare(actual_value, expected_value, here, differences),
                    None => {
                        differences.push(format!("{here}: missing (expected {expected_value})"))
                    }
                }
            }
            for (key, actual_value) in actual {
                if !expected.contains_key(key) {
                    differences.push(format!(
                        "{at}/{}: not in the document (found {actual_value})",
                        escape_pointer(key)
                    ));
                }
            }
        }
        (Value::Array(actual_items), Value::Array(expected_items))
            if actual_items.len() == expected_items.len() =>
        {
            for (index, (actual, expected)) in actual_items.iter().zip(expected_items).enumerate() {
                compare(actual, expected, format!("{at}/{index}"), differences);
            }
        }
        (Value::String(actual_text), Value::String(expected_text))
            if same_date_time(actual_text, expected_text) => {}
        _ if actual == expected => {}
        _ => differences.push(format!("{at}: found {actual}, expected {expected}")),
    }
}

fn same_date_time(actual: &str, expected: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(actual),
        chrono::DateTime::parse_from_rfc3339(expected),
    ) {
        (Ok(actual), Ok(expected)) => actual == expected && actual.offset() == expected.offset(),
        _ => false,
    }
}
