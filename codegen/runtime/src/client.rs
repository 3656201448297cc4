//! The request builder generated clients drive, their retry policy, and the error they
//! return.
//!
//! A generated method reads like the operation it calls: it appends the path template's
//! literal parts and encoded values to a [`Call`], adds query values, headers and
//! credentials, sends it, and matches the status against the documented responses.
//!
//! Whatever a call carries as credentials stays out of what it shows: credential headers
//! are marked sensitive, error messages never quote a header value, and the URL inside a
//! transport error has its credential query values replaced by `REDACTED`.

use crate::credentials::{ApiKey, Basic, Bearer};
use crate::encoding::{check_header_value, encode_path_value, encode_query_value};
use crate::param::ParamValue;
use crate::style::{self, Style};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::hash::BuildHasher;
use std::time::{Duration, SystemTime};

mod multipart;

pub use multipart::Multipart;
use multipart::{FormPart, form};

/// How many bytes of an undocumented answer's body an [`Error::UnexpectedStatus`] keeps.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// How many characters of a body an error message quotes.
const SNIPPET_CHARS: usize = 200;

/// Appends the `prefix[key]=value` pairs of `value` to `pairs`; `prefix` is already
/// encoded.
fn deep_object_pairs(prefix: &str, value: &serde_json::Value, pairs: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Object(members) => {
            for (key, member) in members {
                let prefix = format!("{prefix}%5B{}%5D", encode_query_value(key));
                deep_object_pairs(&prefix, member, pairs);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                deep_object_pairs(&format!("{prefix}%5B{index}%5D"), item, pairs);
            }
        }
        Value::String(text) => pairs.push(format!("{prefix}={}", encode_query_value(text))),
        // A number's JSON text may hold `+` (`1e+30`), which a query would read as a space.
        scalar => pairs.push(format!(
            "{prefix}={}",
            encode_query_value(&scalar.to_string())
        )),
    }
}

/// What stands in an error's URL for the value of a credential query parameter.
const REDACTED: &str = "REDACTED";

/// Why a call did not return its success value.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    /// The service answered with one of the operation's documented error responses.
    #[error("the service answered with a documented error response: {0:?}")]
    Api(E),
    /// The service answered with a status the document does not list for the operation.
    #[error("{operation}: undocumented status {status}{}", body_hint(.body))]
    UnexpectedStatus {
        /// The operation called.
        operation: &'static str,
        /// The status received.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The body, cut at [`MAX_ERROR_BODY`] bytes.
        body: Bytes,
    },
    /// A documented response whose body does not match its schema.
    #[error(
        "{operation}: the {status} response body does not decode: {message}; body starts with {snippet:?}"
    )]
    Decode {
        /// The operation called.
        operation: &'static str,
        /// The status received.
        status: StatusCode,
        /// What the decoder said.
        message: String,
        /// The start of the body.
        snippet: String,
    },
    /// A documented response header that is missing though required, or does not read
    /// as its type.
    #[error("{operation}: the {status} response's header `{name}` {message}")]
    Header {
        /// The operation called.
        operation: &'static str,
        /// The status received.
        status: StatusCode,
        /// The header's name.
        name: &'static str,
        /// What is wrong with it (its value is not quoted: it may be a credential).
        message: String,
    },
    /// The request could not be built from the values given (nothing was sent).
    #[error("{operation}: {message}")]
    InvalidRequest {
        /// The operation called.
        operation: &'static str,
        /// What is wrong, and what to do.
        message: String,
    },
    /// The request could not be sent or the response not read.
    #[error("{operation}: {source}")]
    Transport {
        /// The operation called.
        operation: &'static str,
        /// The underlying error (its URL, if any, without credential values).
        source: reqwest::Error,
    },
}

/// `; body starts with "..."` for a non-empty body, so that a status nobody documented
/// comes with what the server said about it.
fn body_hint(body: &Bytes) -> String {
    if body.is_empty() {
        return String::new();
    }
    format!("; body starts with {:?}", snippet(body))
}

/// The first [`SNIPPET_CHARS`] characters of `body`, read as UTF-8 where it is.
fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(SNIPPET_CHARS)
        .collect()
}

/// A `reqwest` client that names the calling crate in its `User-Agent`
/// (`groove-music/0.1.0`), as generated clients use by default.
pub fn http_client(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(user_agent)
        .build()
        // Building fails only when the TLS backend cannot start; a plain client then
        // fails the same way on its first call, with the cause.
        .unwrap_or_default()
}

/// When a generated client sends a call again after a failure that may pass.
///
/// A call is retried only when its method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS,
/// TRACE: sending it twice does what sending it once does), and only after an answer
/// that says "later" (429 Too Many Requests, 503 Service Unavailable) or a connection
/// that could not be opened (so the request never reached the service). Any other
/// answer, and every answer to a POST or PATCH, is returned as it is.
///
/// The wait before a retry is what the answer's `Retry-After` asks for (seconds or an
/// HTTP date); without one it starts at `initial_backoff` and doubles each time, up to
/// `max_backoff`. The last answer is returned instead of waiting when the attempts are
/// used up, when `Retry-After` asks for more than `max_backoff`, or when the wait would
/// take the call's waiting past `max_total_delay`.
///
/// Generated clients do not retry unless told to (`Client::with_retries`), because only
/// the caller knows whether a repeated call is welcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a call is sent at most, the first time included: `1` never retries.
    pub max_attempts: u32,
    /// The wait before the first retry when the answer says nothing of when to retry;
    /// each further retry waits twice as long as the one before.
    pub initial_backoff: Duration,
    /// The longest wait before one retry. An answer whose `Retry-After` asks for longer is
    /// returned instead of waited for.
    pub max_backoff: Duration,
    /// The most one call waits between its attempts, all retries together.
    pub max_total_delay: Duration,
    /// Whether each doubled wait is drawn at random between half and all of itself, so
    /// that clients failing together do not all retry at the same moment. A `Retry-After`
    /// the service asked for is always honoured as it is.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, waits of about 250 ms then 500 ms (never more than 10 s each, 30 s
    /// in all), with jitter.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_total_delay: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every call is sent once. What generated clients use by default.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1 for the second attempt) of a call that
    /// has waited `waited` so far, or `None` when the policy says to stop. `retry_after`
    /// is what the answer asked for, if anything.
    fn wait_before(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        waited: Duration,
    ) -> Option<Duration> {
        if retry >= self.max_attempts {
            return None;
        }
        let wait = match retry_after {
            Some(asked) if asked > self.max_backoff => return None,
            Some(asked) => asked,
            None if self.jitter => jittered(self.backoff(retry)),
            None => self.backoff(retry),
        };
        (waited.saturating_add(wait) <= self.max_total_delay).then_some(wait)
    }

    /// `initial_backoff` doubled `retry - 1` times, at most `max_backoff`.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// A random wait between half and all of `wait`.
fn jittered(wait: Duration) -> Duration {
    // Every `RandomState` is seeded afresh, which is randomness enough to spread retries
    // without a dependency on a random number generator.
    let random = std::collections::hash_map::RandomState::new().hash_one(0u8);
    let fraction = (random >> 11) as f64 / (1u64 << 53) as f64;
    wait.mul_f64(0.5 + fraction / 2.0)
}

/// Whether sending a request with `method` twice has the effect of sending it once
/// (RFC 9110 §9.2.2), so that a retry cannot do anything twice.
fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// Reads a `Retry-After` value: a number of seconds, or an HTTP date (a date already
/// past means now). `None` for anything else.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A failed attempt that may pass if tried again.
struct Retryable {
    /// How long the service asked to wait, if it said.
    retry_after: Option<Duration>,
}

/// Whether `outcome` is worth another attempt: a 429 or 503 answer, or a connection
/// that was never opened.
fn retryable(outcome: &Result<reqwest::Response, reqwest::Error>) -> Option<Retryable> {
    match outcome {
        Ok(response)
            if response.status() == StatusCode::TOO_MANY_REQUESTS
                || response.status() == StatusCode::SERVICE_UNAVAILABLE =>
        {
            let retry_after = response
                .headers()
                .get(http::header::RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| retry_after(value, SystemTime::now()));
            Some(Retryable { retry_after })
        }
        Err(error) if error.is_connect() => Some(Retryable { retry_after: None }),
        _ => None,
    }
}

/// A path value that, if it turns out to fill its whole segment, would change which
/// resource the URL names.
struct RiskyValue {
    /// The path parameter's name.
    name: &'static str,
    /// Its text (empty, `.` or `..`).
    text: String,
}

/// One request being built by a generated client method.
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'a> {
    http: &'a reqwest::Client,
    operation: &'static str,
    method: Method,
    url: String,
    query: Vec<String>,
    /// The names of query parameters that carry credentials.
    secret_query: Vec<String>,
    headers: HeaderMap,
    cookies: Vec<String>,
    secret_cookie: bool,
    body: Option<Body>,
    retry: RetryPolicy,
    risky_value: Option<RiskyValue>,
    invalid: Option<String>,
}

impl<'a> Call<'a> {
    /// Starts a call of `operation` (its operationId, for error messages) at `base_url`.
    pub fn new(
        http: &'a reqwest::Client,
        base_url: &str,
        method: Method,
        operation: &'static str,
    ) -> Self {
        Call {
            http,
            operation,
            method,
            url: base_url.trim_end_matches('/').to_owned(),
            query: Vec::new(),
            secret_query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            secret_cookie: false,
            body: None,
            retry: RetryPolicy::none(),
            risky_value: None,
            invalid: None,
        }
    }

    /// Retries the call as `policy` says, if its method is idempotent (see
    /// [`RetryPolicy`]).
    pub fn retry(&mut self, policy: RetryPolicy) {
        self.retry = policy;
    }

    /// Appends literal text of the path template, as written in the document.
    pub fn path(&mut self, literal: &str) {
        if !literal.is_empty() {
            self.close_segment(literal.starts_with('/'));
        }
        self.url.push_str(literal);
    }

    /// Appends the value of the path parameter `name`, percent-encoded: nothing in it
    /// (`/`, `?`, `#`, `%`, a space, non-ASCII) can leave its segment.
    ///
    /// A value that would fill its whole segment while being empty, `.` or `..` fails the
    /// call: the URL would name another resource (`/items/` is not `/items/{id}`, and
    /// `..` climbs a level, even percent-encoded, in every URL parser).
    pub fn path_param(&mut self, name: &'static str, value: &impl ParamValue) {
        // A value right after another shares its segment with it.
        self.close_segment(false);
        let text = value.to_param();
        if self.url.ends_with('/') && matches!(text.as_str(), "" | "." | "..") {
            self.risky_value = Some(RiskyValue {
                name,
                text: text.clone(),
            });
        }
        self.url.push_str(&encode_path_value(&text));
    }

    /// Appends the path parameter `name`, an array (or a single value, as `values` of
    /// one) written in `style` (`simple`, `label` or `matrix`, see [`style::write_path`]),
    /// each item percent-encoded. An array that would leave its segment empty fails the
    /// call, as [`Self::path_param`] says.
    pub fn path_styled<T: ParamValue>(
        &mut self,
        name: &'static str,
        values: &[T],
        style: Style,
        explode: bool,
    ) {
        self.close_segment(false);
        let items: Vec<String> = values.iter().map(ParamValue::to_param).collect();
        let text = style::write_path(name, style, explode, &items);
        if self.url.ends_with('/') && matches!(text.as_str(), "" | "." | "..") {
            self.risky_value = Some(RiskyValue {
                name,
                text: text.clone(),
            });
        }
        self.url.push_str(&text);
    }

    /// Fails the call if the path value just appended fills its segment alone
    /// (`whole` when what follows starts a new segment or ends the path).
    fn close_segment(&mut self, whole: bool) {
        let Some(risky) = self.risky_value.take() else {
            return;
        };
        if !whole {
            return;
        }
        let message = if risky.text.is_empty() {
            format!(
                "the path parameter `{}` is empty, so the URL would name another resource; give it a value (nothing was sent)",
                risky.name
            )
        } else {
            format!(
                "the path parameter `{}` is `{}`, which every URL parser reads as a step in the path, not as a value, so the URL would name another resource (nothing was sent)",
                risky.name, risky.text
            )
        };
        self.fail(message);
    }

    /// Adds `name=value` to the query.
    pub fn query(&mut self, name: &str, value: &impl ParamValue) {
        self.query.push(format!(
            "{}={}",
            encode_query_value(name),
            encode_query_value(&value.to_param())
        ));
    }

    /// Adds an array to the query in `style` (`form`, `spaceDelimited` or
    /// `pipeDelimited`): with `explode` one `name=value` per item, without it one
    /// `name=a,b,c` (`a%20b%20c`, `a|b|c`), each item encoded, so that a separator inside
    /// an item is encoded and only the separators are literal.
    pub fn query_list<T: ParamValue>(
        &mut self,
        name: &str,
        values: &[T],
        style: Style,
        explode: bool,
    ) {
        if explode {
            for value in values {
                self.query(name, value);
            }
        } else {
            let items: Vec<String> = values.iter().map(ParamValue::to_param).collect();
            self.query.push(format!(
                "{}={}",
                encode_query_value(name),
                style::write_query_value(style, &items)
            ));
        }
    }

    /// Adds an object to the query, `style: deepObject`: one `name[key]=value` pair per
    /// member, `name[a][b]=value` for a nested object and `name[a][0]=value` for an array
    /// item. Strings go as they are, numbers and booleans as their JSON text; null
    /// members are left out, so an object with no members sends nothing.
    ///
    /// Brackets are percent-encoded (`name%5Bkey%5D`): RFC 3986 reserves `[` and `]`
    /// for IP literals, and some servers and proxies refuse them unencoded, while every
    /// server decodes the encoded form. A value that does not serialize to a JSON object
    /// makes the call fail before anything is sent.
    pub fn query_deep_object(&mut self, name: &str, value: &impl Serialize) {
        match serde_json::to_value(value) {
            Ok(object @ serde_json::Value::Object(_)) => {
                deep_object_pairs(&encode_query_value(name), &object, &mut self.query);
            }
            Ok(_) => self.fail(format!(
                "query parameter `{name}` is not an object, so it cannot be sent as `style: deepObject` (nothing was sent)"
            )),
            Err(error) => self.fail(format!(
                "query parameter `{name}` cannot be written: {error} (nothing was sent)"
            )),
        }
    }

    /// Sets a header. A value that cannot be a header value (a CR, LF or other control
    /// character, or a character outside ASCII) makes the call fail before anything is
    /// sent.
    pub fn header(&mut self, name: &str, value: &impl ParamValue) {
        self.raw_header(name, value.to_param(), false);
    }

    /// Sets a header holding an array, `style: simple` (`a,b,c`). An item holding a comma
    /// makes the call fail before anything is sent: it would read back as two.
    pub fn header_list<T: ParamValue>(&mut self, name: &str, values: &[T]) {
        let items: Vec<String> = values.iter().map(ParamValue::to_param).collect();
        match style::write_header(&items) {
            Some(value) => self.raw_header(name, value, false),
            None => self.fail(format!(
                "an item of header `{name}` holds a comma, which would read back as two items (nothing was sent)"
            )),
        }
    }

    /// Sends `credentials` as `Authorization: Bearer <token>`.
    pub fn bearer(&mut self, credentials: &Bearer) {
        self.raw_header("authorization", credentials.header_value(), true);
    }

    /// Sends `credentials` as `Authorization: Basic <base64>`.
    pub fn basic(&mut self, credentials: &Basic) {
        self.raw_header("authorization", credentials.header_value(), true);
    }

    /// Sends an API key in the header `name`.
    pub fn api_key_header(&mut self, name: &str, credentials: &ApiKey) {
        self.raw_header(name, credentials.key.clone(), true);
    }

    /// Sends an API key as the query parameter `name`.
    pub fn api_key_query(&mut self, name: &str, credentials: &ApiKey) {
        self.secret_query.push(name.to_owned());
        self.query(name, &credentials.key);
    }

    /// Sends an API key as the cookie `name`.
    pub fn api_key_cookie(&mut self, name: &str, credentials: &ApiKey) {
        self.secret_cookie = true;
        self.cookie(name, &credentials.key);
    }

    /// Adds the cookie `name` (its value percent-encoded; all cookies go in one header).
    pub fn cookie(&mut self, name: &str, value: &impl ParamValue) {
        self.cookies
            .push(format!("{name}={}", encode_query_value(&value.to_param())));
    }

    /// Asks for the media types `accept` (an `Accept` value such as
    /// `application/octet-stream, application/json`) instead of JSON alone.
    pub fn accept(&mut self, accept: &'static str) {
        self.raw_header("accept", accept.to_owned(), false);
    }

    /// Records that the operation needs credentials the client was not given.
    pub fn missing_credentials(&mut self, how: &str) {
        self.fail(format!("this operation needs credentials: {how}"));
    }

    /// Sets a JSON request body, sent as `application/json`.
    pub fn json(&mut self, body: &(impl Serialize + ?Sized)) {
        self.json_as("application/json", body);
    }

    /// Sets a JSON request body, sent as `media_type` (the `+json` type the document
    /// names, such as `application/merge-patch+json`).
    pub fn json_as(&mut self, media_type: &'static str, body: &(impl Serialize + ?Sized)) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.bytes_body(media_type, Bytes::from(bytes)),
            Err(error) => self.fail(format!("the request body does not serialize: {error}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` request body: one `name=value` field
    /// per member of `body` (a struct or map of scalars and arrays of scalars), an array
    /// as one field per item, absent members left out.
    pub fn form(&mut self, body: &(impl Serialize + ?Sized)) {
        match serde_html_form::to_string(body) {
            Ok(text) => self.bytes_body("application/x-www-form-urlencoded", Bytes::from(text)),
            Err(error) => self.fail(format!(
                "the request body cannot be written as form fields: {error} (nothing was sent)"
            )),
        }
    }

    /// Sets a `multipart/form-data` request body of the parts of `form` (`reqwest` writes
    /// it, with a boundary of its own).
    pub fn multipart(&mut self, form: Multipart) {
        if let Some(message) = form.invalid {
            return self.fail(message);
        }
        self.body = Some(Body::Multipart(form.parts));
    }

    /// Sets a text request body, sent as `media_type` (`text/plain`).
    pub fn text(&mut self, media_type: &'static str, body: &str) {
        self.bytes_body(media_type, Bytes::copy_from_slice(body.as_bytes()));
    }

    /// Sets a request body of bytes, sent as `media_type` (`application/octet-stream`,
    /// `image/png`).
    pub fn bytes(&mut self, media_type: &'static str, body: &Bytes) {
        // `Bytes` clones share the buffer: nothing is copied.
        self.bytes_body(media_type, body.clone());
    }

    fn bytes_body(&mut self, media_type: &'static str, bytes: Bytes) {
        match HeaderValue::from_str(media_type) {
            Ok(content_type) => {
                self.body = Some(Body::Bytes {
                    content_type,
                    bytes,
                })
            }
            Err(_) => self.fail(format!(
                "the media type `{media_type}` cannot be sent as a Content-Type; correct the document (nothing was sent)"
            )),
        }
    }

    /// Sets the header `name`, or fails the call if `value` cannot be sent as it is.
    /// `sensitive` values (credentials) are kept out of HTTP/2 header compression tables
    /// and out of `Debug` output.
    fn raw_header(&mut self, name: &str, value: String, sensitive: bool) {
        let Ok(header_name) = HeaderName::try_from(name) else {
            return self.fail(format!(
                "`{name}` is not a valid header name; correct the document (nothing was sent)"
            ));
        };
        // The value itself is never quoted: it may be a secret.
        if let Err(problem) = check_header_value(&value) {
            return self.fail(format!(
                "the value of header `{name}` cannot be sent: {problem} (nothing was sent)"
            ));
        }
        match HeaderValue::try_from(value) {
            Ok(mut value) => {
                value.set_sensitive(sensitive);
                self.headers.insert(header_name, value);
            }
            Err(_) => self.fail(format!(
                "the value of header `{name}` cannot be sent (nothing was sent)"
            )),
        }
    }

    fn fail(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }

    /// Checks what was given and puts the request together, or says why it cannot be.
    fn finish(mut self) -> Result<Prepared<'a>, String> {
        self.close_segment(true);
        if !self.cookies.is_empty() {
            let cookies = self.cookies.join("; ");
            self.raw_header("cookie", cookies, self.secret_cookie);
        }
        if let Some(message) = self.invalid {
            return Err(message);
        }
        let mut url = self.url;
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&self.query.join("&"));
        }
        let mut headers = self.headers;
        headers
            .entry(http::header::ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        if let Some(Body::Bytes { content_type, .. }) = &self.body {
            headers.insert(http::header::CONTENT_TYPE, content_type.clone());
        }
        let retry = if is_idempotent(&self.method) {
            self.retry
        } else {
            RetryPolicy::none()
        };
        Ok(Prepared {
            http: self.http,
            method: self.method,
            url,
            headers,
            body: self.body,
            secret_query: self.secret_query,
            retry,
        })
    }

    /// Sends the request (asking for JSON unless an `Accept` header was set), retrying as
    /// its [`RetryPolicy`] allows, and returns the last response.
    pub async fn send<E>(self) -> Result<Response, Error<E>> {
        let operation = self.operation;
        let request = self
            .finish()
            .map_err(|message| Error::InvalidRequest { operation, message })?;
        let mut waited = Duration::ZERO;
        let mut retry = 0;
        loop {
            let outcome = request.attempt().await;
            retry += 1;
            let wait = retryable(&outcome).and_then(|retryable| {
                request
                    .retry
                    .wait_before(retry, retryable.retry_after, waited)
            });
            let Some(wait) = wait else {
                let secret_query = request.secret_query;
                return match outcome {
                    Ok(inner) => Ok(Response {
                        operation,
                        inner,
                        secret_query,
                    }),
                    Err(source) => Err(transport(operation, source, &secret_query)),
                };
            };
            waited += wait;
            tokio::time::sleep(wait).await;
        }
    }
}

/// A request ready to be sent, as many times as its retry policy allows.
struct Prepared<'a> {
    http: &'a reqwest::Client,
    method: Method,
    url: String,
    headers: HeaderMap,
    body: Option<Body>,
    secret_query: Vec<String>,
    retry: RetryPolicy,
}

/// The body of a request.
enum Body {
    /// Bytes of one media type.
    Bytes {
        /// Its `Content-Type`.
        content_type: HeaderValue,
        /// The bytes.
        bytes: Bytes,
    },
    /// The parts of a `multipart/form-data` body, written anew by `reqwest` for each
    /// attempt (a written form is a stream, which cannot be sent twice).
    Multipart(Vec<FormPart>),
}

impl Prepared<'_> {
    /// Sends the request once.
    async fn attempt(&self) -> Result<reqwest::Response, reqwest::Error> {
        let mut request = self
            .http
            .request(self.method.clone(), &self.url)
            .headers(self.headers.clone());
        match &self.body {
            // `Bytes` clones share the buffer: a retry does not copy the body.
            Some(Body::Bytes { bytes, .. }) => request = request.body(bytes.clone()),
            Some(Body::Multipart(parts)) => request = request.multipart(form(parts)?),
            None => {}
        }
        request.send().await
    }
}

/// The error for a request that could not be sent or a response not read, with the
/// values of the credential query parameters `secret_query` replaced by `REDACTED` in
/// its URL, because `reqwest` shows the URL in its messages.
fn transport<E>(
    operation: &'static str,
    mut source: reqwest::Error,
    secret_query: &[String],
) -> Error<E> {
    if let Some(url) = source.url_mut() {
        redact_query(url, secret_query);
    }
    Error::Transport { operation, source }
}

/// Replaces the value of every query parameter of `url` named in `secret`.
fn redact_query(url: &mut reqwest::Url, secret: &[String]) {
    let touches_secret = url
        .query_pairs()
        .any(|(name, _)| secret.iter().any(|s| *s == name));
    if !touches_secret {
        return;
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| {
            let value = if secret.iter().any(|s| *s == name) {
                REDACTED.to_owned()
            } else {
                value.into_owned()
            };
            (name.into_owned(), value)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
}

/// A response not yet decoded.
pub struct Response {
    operation: &'static str,
    inner: reqwest::Response,
    /// The names of the query parameters that carried credentials.
    secret_query: Vec<String>,
}

/// The documented headers of a response, read before its body.
#[allow(
    clippy::result_large_err,
    reason = "the error is the call's own `Error`, as every other step of a call returns; it is built once, on a failure"
)]
impl Response {
    /// Reads the response header `name` (`None` when absent). Of a header sent several
    /// times, the first is read.
    pub fn header<T: ParamValue, E>(&self, name: &'static str) -> Result<Option<T>, Error<E>> {
        let Some(value) = self.inner.headers().get(name) else {
            return Ok(None);
        };
        let text = value
            .to_str()
            .map_err(|_| self.header_error(name, "is not visible ASCII text".to_owned()))?;
        T::from_param(text).map(Some).map_err(|error| {
            self.header_error(name, format!("does not read: expected {}", error.expected))
        })
    }

    /// Reads the response header `name`, which the document says every such response
    /// carries: its absence is an [`Error::Header`].
    pub fn required_header<T: ParamValue, E>(&self, name: &'static str) -> Result<T, Error<E>> {
        self.header(name)?.ok_or_else(|| {
            self.header_error(
                name,
                "is missing, though the document requires it".to_owned(),
            )
        })
    }

    /// Reads the response header `name` holding an array (`style: simple`, `a,b,c`,
    /// possibly over several lines); `None` when absent.
    pub fn header_list<T: ParamValue, E>(
        &self,
        name: &'static str,
    ) -> Result<Option<Vec<T>>, Error<E>> {
        let values = self.inner.headers().get_all(name);
        if values.iter().next().is_none() {
            return Ok(None);
        }
        let texts = values
            .iter()
            .map(HeaderValue::to_str)
            .collect::<Result<Vec<&str>, _>>()
            .map_err(|_| self.header_error(name, "is not visible ASCII text".to_owned()))?;
        style::read_header(texts)
            .iter()
            .map(|item| T::from_param(item))
            .collect::<Result<Vec<T>, _>>()
            .map(Some)
            .map_err(|error| {
                self.header_error(
                    name,
                    format!("does not read: an item is not {}", error.expected),
                )
            })
    }

    /// The same for a header the document requires.
    pub fn required_header_list<T: ParamValue, E>(
        &self,
        name: &'static str,
    ) -> Result<Vec<T>, Error<E>> {
        self.header_list(name)?.ok_or_else(|| {
            self.header_error(
                name,
                "is missing, though the document requires it".to_owned(),
            )
        })
    }

    fn header_error<E>(&self, name: &'static str, message: String) -> Error<E> {
        Error::Header {
            operation: self.operation,
            status: self.inner.status(),
            name,
            message,
        }
    }
}

impl Response {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// Decodes the body as JSON into `T`.
    pub async fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        let operation = self.operation;
        let status = self.inner.status();
        let body = self
            .inner
            .bytes()
            .await
            .map_err(|source| transport(operation, source, &self.secret_query))?;
        serde_json::from_slice(&body).map_err(|error| Error::Decode {
            operation,
            status,
            message: error.to_string(),
            snippet: snippet(&body),
        })
    }

    /// Reads the body as text.
    pub async fn text<E>(self) -> Result<String, Error<E>> {
        let operation = self.operation;
        self.inner
            .text()
            .await
            .map_err(|source| transport(operation, source, &self.secret_query))
    }

    /// Reads the body as bytes.
    pub async fn bytes<E>(self) -> Result<Bytes, Error<E>> {
        let operation = self.operation;
        self.inner
            .bytes()
            .await
            .map_err(|source| transport(operation, source, &self.secret_query))
    }

    /// Reads and drops the body of a response documented without one.
    pub async fn empty<E>(self) -> Result<(), Error<E>> {
        let operation = self.operation;
        self.inner
            .bytes()
            .await
            .map(drop)
            .map_err(|source| transport(operation, source, &self.secret_query))
    }

    /// The error for a status the operation does not document, with the headers and the
    /// first [`MAX_ERROR_BODY`] bytes of the body (the rest is not read, so a huge
    /// answer costs no more memory than that).
    pub async fn unexpected<E>(mut self) -> Error<E> {
        let operation = self.operation;
        let status = self.inner.status();
        let headers = std::mem::take(self.inner.headers_mut());
        let mut body = Vec::new();
        while body.len() < MAX_ERROR_BODY {
            match self.inner.chunk().await {
                Ok(Some(chunk)) => {
                    let room = MAX_ERROR_BODY - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                Ok(None) => break,
                Err(source) => return transport(operation, source, &self.secret_query),
            }
        }
        Error::UnexpectedStatus {
            operation,
            status,
            headers,
            body: Bytes::from(body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deep_object_is_one_encoded_pair_per_member_and_nulls_are_left_out() {
        let value = serde_json::json!({
            "color": "red & blue",
            "minStock": 3,
            "inStock": true,
            "gone": null,
            "size": {"min": 1e30},
        });
        let mut pairs = Vec::new();
        deep_object_pairs("filter", &value, &mut pairs);
        assert_eq!(
            pairs,
            [
                "filter%5Bcolor%5D=red%20%26%20blue",
                "filter%5BminStock%5D=3",
                "filter%5BinStock%5D=true",
                "filter%5Bsize%5D%5Bmin%5D=1e%2B30",
            ]
        );
    }

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            max_total_delay: Duration::from_secs(1),
            jitter: false,
        }
    }

    #[test]
    fn waits_double_from_the_initial_backoff_up_to_the_cap() {
        let policy = policy();
        let waits: Vec<_> = (1..5)
            .map(|retry| policy.wait_before(retry, None, Duration::ZERO))
            .collect();
        let ms = |n| Some(Duration::from_millis(n));
        assert_eq!(waits, [ms(100), ms(200), ms(350), ms(350)]);
    }

    #[test]
    fn attempts_stop_at_max_attempts() {
        let policy = policy();
        assert!(policy.wait_before(4, None, Duration::ZERO).is_some());
        assert_eq!(policy.wait_before(5, None, Duration::ZERO), None);
        assert_eq!(
            RetryPolicy::none().wait_before(1, None, Duration::ZERO),
            None
        );
    }

    #[test]
    fn a_retry_after_is_honoured_unless_it_asks_too_much() {
        let policy = policy();
        let asked = Duration::from_millis(300);
        assert_eq!(
            policy.wait_before(1, Some(asked), Duration::ZERO),
            Some(asked)
        );
        assert_eq!(
            policy.wait_before(1, Some(Duration::ZERO), Duration::ZERO),
            Some(Duration::ZERO)
        );
        assert_eq!(
            policy.wait_before(1, Some(Duration::from_secs(60)), Duration::ZERO),
            None,
            "a wait longer than max_backoff returns the answer instead"
        );
    }

    #[test]
    fn the_total_wait_is_capped() {
        let policy = policy();
        assert_eq!(
            policy.wait_before(2, None, Duration::from_millis(800)),
            Some(Duration::from_millis(200))
        );
        assert_eq!(
            policy.wait_before(2, None, Duration::from_millis(801)),
            None
        );
    }

    #[test]
    fn jitter_keeps_a_wait_between_half_and_all_of_it() {
        let policy = RetryPolicy {
            jitter: true,
            ..policy()
        };
        for _ in 0..100 {
            let wait = policy
                .wait_before(2, None, Duration::ZERO)
                .expect("a second retry is allowed");
            assert!(
                (Duration::from_millis(100)..=Duration::from_millis(200)).contains(&wait),
                "{wait:?}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let secs = |n| Some(Duration::from_secs(n));
        assert_eq!(retry_after("120", now), secs(120));
        assert_eq!(retry_after(" 0 ", now), secs(0));
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), secs(30));
        // RFC 9110 asks recipients to read the two obsolete date forms too.
        assert_eq!(retry_after("Sunday, 06-Nov-94 08:50:07 GMT", now), secs(30));
        assert_eq!(retry_after("Sun Nov  6 08:50:07 1994", now), secs(30));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            secs(0),
            "a date already past means now"
        );
        assert_eq!(retry_after("-1", now), None);
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn only_idempotent_methods_are_retried() {
        for method in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"] {
            assert!(is_idempotent(&method.parse().unwrap()), "{method}");
        }
        for method in ["POST", "PATCH", "CONNECT"] {
            assert!(!is_idempotent(&method.parse().unwrap()), "{method}");
        }
    }

    #[test]
    fn credential_query_values_are_redacted_from_urls() {
        let mut url: reqwest::Url = "http://127.0.0.1:1/p?a=1&accessTokenId=s3cret&b=x"
            .parse()
            .unwrap();
        redact_query(&mut url, &["accessTokenId".to_owned()]);
        assert!(!url.as_str().contains("s3cret"), "{url}");
        assert!(url.as_str().contains("a=1"), "{url}");
        assert!(url.as_str().contains("b=x"), "{url}");
    }

    fn built(call: Call<'_>) -> Result<Prepared<'_>, String> {
        call.finish()
    }

    #[test]
    fn a_path_value_that_would_change_the_resource_is_refused() {
        let http = reqwest::Client::new();
        let cases: [(&str, &str, bool); 6] = [
            ("/items/", "", false),
            ("/items/", "..", false),
            ("/items/", ".", false),
            ("/items(", "..", true),
            ("/items/", "...", true),
            ("/items/", "a", true),
        ];
        for (before, value, accepted) in cases {
            let mut call = Call::new(&http, "http://h", Method::GET, "op");
            call.path(before);
            call.path_param("id", &value.to_owned());
            call.path("/rest");
            let result = built(call);
            assert_eq!(
                result.is_ok(),
                accepted,
                "{before}{value}/rest: {:?}",
                result.err()
            );
        }
        let mut call = Call::new(&http, "http://h", Method::GET, "op");
        call.path("/items/");
        call.path_param("id", &"..".to_owned());
        call.path(".json");
        assert!(built(call).is_ok(), "`...json` is a plain segment");

        let mut call = Call::new(&http, "http://h", Method::GET, "op");
        call.path("/items/");
        call.path_param("id", &"..".to_owned());
        let message = built(call).err().expect("a trailing `..` is refused");
        assert!(message.contains("`id`"), "{message}");
    }

    #[test]
    fn header_problems_are_reported_without_the_value() {
        let http = reqwest::Client::new();
        let mut call = Call::new(&http, "http://h", Method::GET, "op");
        call.api_key_header("authorization", &ApiKey::new("s3cret\r\nX-Evil: 1"));
        let message = built(call).err().expect("a line break is refused");
        assert!(message.contains("line break"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");

        let mut call = Call::new(&http, "http://h", Method::GET, "op");
        call.header("bad name", &"x".to_owned());
        let message = built(call).err().expect("a bad header name is refused");
        assert!(message.contains("`bad name`"), "{message}");
    }
}
