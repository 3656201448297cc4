//! The request builder generated clients drive, and the error they return.
//!
//! A generated method reads like the operation it calls: it appends the path template's
//! literal parts and encoded values to a [`Call`], adds query values, headers and
//! credentials, sends it, and matches the status against the documented responses.

use crate::credentials::{ApiKey, Basic, Bearer};
use crate::encoding::{encode_path_value, encode_query_value};
use crate::param::ParamValue;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// How many bytes of an undocumented answer's body an [`Error::UnexpectedStatus`] keeps.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// How many characters of an undecodable body an [`Error::Decode`] quotes.
const SNIPPET_CHARS: usize = 200;

/// Why a call did not return its success value.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    /// The service answered with one of the operation's documented error responses.
    #[error("the service answered with a documented error response: {0:?}")]
    Api(E),
    /// The service answered with a status the document does not list for the operation.
    #[error("{operation}: undocumented status {status}")]
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
        /// The underlying error.
        source: reqwest::Error,
    },
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

/// One request being built by a generated client method.
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'a> {
    http: &'a reqwest::Client,
    operation: &'static str,
    method: http::Method,
    url: String,
    query: Vec<String>,
    headers: HeaderMap,
    cookies: Vec<String>,
    body: Option<(&'static str, Vec<u8>)>,
    invalid: Option<String>,
}

impl<'a> Call<'a> {
    /// Starts a call of `operation` (its operationId, for error messages) at `base_url`.
    pub fn new(
        http: &'a reqwest::Client,
        base_url: &str,
        method: http::Method,
        operation: &'static str,
    ) -> Self {
        Call {
            http,
            operation,
            method,
            url: base_url.trim_end_matches('/').to_owned(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            invalid: None,
        }
    }

    /// Appends literal text of the path template, as written in the document.
    pub fn path(&mut self, literal: &str) {
        self.url.push_str(literal);
    }

    /// Appends a path parameter's value, percent-encoded.
    pub fn path_param(&mut self, value: &impl ParamValue) {
        self.url.push_str(&encode_path_value(&value.to_param()));
    }

    /// Adds `name=value` to the query.
    pub fn query(&mut self, name: &str, value: &impl ParamValue) {
        self.query.push(format!(
            "{}={}",
            encode_query_value(name),
            encode_query_value(&value.to_param())
        ));
    }

    /// Adds an array to the query, `style: form`: with `explode` one `name=value` per item,
    /// without it one `name=a,b,c` (each item encoded, the commas literal).
    pub fn query_list<T: ParamValue>(&mut self, name: &str, values: &[T], explode: bool) {
        if explode {
            for value in values {
                self.query(name, value);
            }
        } else {
            let joined: Vec<String> = values
                .iter()
                .map(|value| encode_query_value(&value.to_param()))
                .collect();
            self.query
                .push(format!("{}={}", encode_query_value(name), joined.join(",")));
        }
    }

    /// Sets a header. A value that cannot be a header value (a CR, LF or other control
    /// character) makes the call fail before anything is sent.
    pub fn header(&mut self, name: &'static str, value: &impl ParamValue) {
        self.raw_header(name, value.to_param());
    }

    /// Sends `credentials` as `Authorization: Bearer <token>`.
    pub fn bearer(&mut self, credentials: &Bearer) {
        self.raw_header("authorization", credentials.header_value());
    }

    /// Sends `credentials` as `Authorization: Basic <base64>`.
    pub fn basic(&mut self, credentials: &Basic) {
        self.raw_header("authorization", credentials.header_value());
    }

    /// Sends an API key in the header `name`.
    pub fn api_key_header(&mut self, name: &'static str, credentials: &ApiKey) {
        self.raw_header(name, credentials.key.clone());
    }

    /// Sends an API key as the query parameter `name`.
    pub fn api_key_query(&mut self, name: &str, credentials: &ApiKey) {
        self.query(name, &credentials.key);
    }

    /// Sends an API key as the cookie `name`.
    pub fn api_key_cookie(&mut self, name: &str, credentials: &ApiKey) {
        self.cookie(name, &credentials.key);
    }

    /// Adds the cookie `name` (its value percent-encoded; all cookies go in one header).
    pub fn cookie(&mut self, name: &str, value: &impl ParamValue) {
        self.cookies
            .push(format!("{name}={}", encode_query_value(&value.to_param())));
    }

    /// Records that the operation needs credentials the client was not given.
    pub fn missing_credentials(&mut self, how: &str) {
        self.fail(format!("this operation needs credentials: {how}"));
    }

    /// Sets a JSON request body.
    pub fn json(&mut self, body: &impl Serialize) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(("application/json", bytes)),
            Err(error) => self.fail(format!("the request body does not serialize: {error}")),
        }
    }

    fn raw_header(&mut self, name: &'static str, value: String) {
        let header_name = HeaderName::from_static(name);
        match HeaderValue::from_str(&value) {
            Ok(mut value) => {
                if header_name == http::header::AUTHORIZATION {
                    value.set_sensitive(true);
                }
                self.headers.insert(header_name, value);
            }
            // The value itself is not quoted: it may be a secret.
            Err(_) => self.fail(format!(
                "the value of header `{name}` contains a character a header cannot carry (CR, LF or another control character); nothing was sent"
            )),
        }
    }

    fn fail(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }

    /// Sends the request (always asking for JSON) and returns the raw response.
    pub async fn send<E>(self) -> Result<Response, Error<E>> {
        let operation = self.operation;
        let mut call = self;
        if !call.cookies.is_empty() {
            let cookies = call.cookies.join("; ");
            call.raw_header("cookie", cookies);
        }
        let Call {
            http: client,
            method,
            url,
            query,
            headers,
            body,
            invalid,
            ..
        } = call;
        if let Some(message) = invalid {
            return Err(Error::InvalidRequest { operation, message });
        }
        let mut url = url;
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
        let mut request = client
            .request(method, url)
            .headers(headers)
            .header(http::header::ACCEPT, "application/json");
        if let Some((content_type, body)) = body {
            request = request
                .header(http::header::CONTENT_TYPE, content_type)
                .body(body);
        }
        let inner = request
            .send()
            .await
            .map_err(|source| Error::Transport { operation, source })?;
        Ok(Response { operation, inner })
    }
}

/// A response not yet decoded.
pub struct Response {
    operation: &'static str,
    inner: reqwest::Response,
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
            .map_err(|source| Error::Transport { operation, source })?;
        serde_json::from_slice(&body).map_err(|error| Error::Decode {
            operation,
            status,
            message: error.to_string(),
            snippet: String::from_utf8_lossy(&body)
                .chars()
                .take(SNIPPET_CHARS)
                .collect(),
        })
    }

    /// Reads the body as text.
    pub async fn text<E>(self) -> Result<String, Error<E>> {
        let operation = self.operation;
        self.inner
            .text()
            .await
            .map_err(|source| Error::Transport { operation, source })
    }

    /// Reads the body as bytes.
    pub async fn bytes<E>(self) -> Result<Bytes, Error<E>> {
        let operation = self.operation;
        self.inner
            .bytes()
            .await
            .map_err(|source| Error::Transport { operation, source })
    }

    /// Reads and drops the body of a response documented without one.
    pub async fn empty<E>(self) -> Result<(), Error<E>> {
        let operation = self.operation;
        self.inner
            .bytes()
            .await
            .map(drop)
            .map_err(|source| Error::Transport { operation, source })
    }

    /// The error for a status the operation does not document, with the headers and the
    /// start of the body.
    pub async fn unexpected<E>(self) -> Error<E> {
        let operation = self.operation;
        let status = self.inner.status();
        let headers = self.inner.headers().clone();
        match self.inner.bytes().await {
            Ok(mut body) => {
                body.truncate(MAX_ERROR_BODY);
                Error::UnexpectedStatus {
                    operation,
                    status,
                    headers,
                    body,
                }
            }
            Err(source) => Error::Transport { operation, source },
        }
    }
}
