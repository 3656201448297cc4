//! Request extraction and rejections for generated axum routers.
//!
//! A generated handler reads every parameter through an [`Input`], which records a
//! [`Problem`] for each value that is missing or malformed instead of stopping at the
//! first, so a client learns about all of them in one answer. The handler then either
//! has every value, or turns the problems into a [`Rejection`] that the service trait
//! answers (by default with an RFC 9457 `application/problem+json` body).

use crate::credentials::{ApiKey, Basic, Bearer};
use crate::encoding::{decode, parse_query};
use crate::param::ParamValue;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Where in the request a value was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// The URL path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
    /// The request body.
    Body,
}

/// One thing wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where the value stands.
    #[serde(rename = "in")]
    pub location: Location,
    /// The parameter's name as written in the document (empty for the body as a whole).
    pub name: String,
    /// What is wrong with it.
    pub message: String,
}

/// Why a request was refused before the service was called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The status to answer with (400 for invalid input, 401 or 403 for missing
    /// credentials, as the document declares).
    pub status: StatusCode,
    /// Everything wrong with the request.
    pub problems: Vec<Problem>,
}

/// The RFC 9457 body of [`Rejection::into_problem_response`].
#[derive(Serialize)]
struct ProblemDetails<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    status: u16,
    detail: String,
    errors: &'a [Problem],
}

impl Rejection {
    /// A request without the credentials its operation's `security` asks for, answered
    /// with `status` (401, or 403 where the document says so).
    pub fn unauthenticated(status: u16, schemes: &str) -> Self {
        Rejection {
            status: status_code(status),
            problems: vec![Problem {
                location: Location::Header,
                name: String::new(),
                message: format!("missing or malformed credentials: {schemes}"),
            }],
        }
    }

    /// One sentence listing every problem, for error bodies with a single message field.
    pub fn detail(&self) -> String {
        self.problems
            .iter()
            .map(|problem| {
                if problem.name.is_empty() {
                    problem.message.clone()
                } else {
                    format!(
                        "{} `{}`: {}",
                        location_word(problem.location),
                        problem.name,
                        problem.message
                    )
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The default answer: `application/problem+json` (RFC 9457) with the status, a
    /// one-line `detail` and every problem under `errors`.
    pub fn into_problem_response(self) -> Response {
        let body = ProblemDetails {
            kind: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: self.detail(),
            errors: &self.problems,
        };
        let mut response = json_response(self.status.as_u16(), &body);
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::Body => "body field",
    }
}

/// The status code `code`; the generator only emits valid codes (100 to 999).
fn status_code(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The largest request body a generated router reads (2 MiB); a larger one gets 413.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Reads a request body of at most [`BODY_LIMIT`] bytes.
pub async fn read_body(body: axum::body::Body) -> Result<bytes::Bytes, Rejection> {
    axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| Rejection {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            problems: vec![Problem {
                location: Location::Body,
                name: String::new(),
                message: format!("the body is larger than {BODY_LIMIT} bytes, or was cut short"),
            }],
        })
}

/// Serializes `body` as JSON with the status `code`.
pub fn json_response(code: u16, body: &impl Serialize) -> Response {
    let status = status_code(code);
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        // Only a map with non-string keys or a failing custom Serialize gets here; neither
        // is generated, so this is a bug in the service, reported as such.
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// An answer with the status `code` and no body.
pub fn empty_response(code: u16) -> Response {
    status_code(code).into_response()
}

/// An answer with the status `code` and a `text/plain` body.
pub fn text_response(code: u16, body: String) -> Response {
    (
        status_code(code),
        [(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// An answer with the status `code` and a body of media type `media`.
pub fn binary_response(code: u16, media: &'static str, body: bytes::Bytes) -> Response {
    (
        status_code(code),
        [(http::header::CONTENT_TYPE, HeaderValue::from_static(media))],
        body,
    )
        .into_response()
}

/// The values of one request, read and checked by a generated handler.
pub struct Input {
    parts: Parts,
    not_found: bool,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    problems: Vec<Problem>,
}

impl Input {
    /// Reads the path captures and the query string of a request.
    pub async fn new(mut parts: Parts) -> Self {
        let mut problems = Vec::new();
        let path = match RawPathParams::from_request_parts(&mut parts, &()).await {
            Ok(params) => params
                .iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
            Err(rejection) => {
                problems.push(Problem {
                    location: Location::Path,
                    name: String::new(),
                    message: rejection.body_text(),
                });
                Vec::new()
            }
        };
        let query = match parse_query(parts.uri.query().unwrap_or_default()) {
            Ok(pairs) => pairs,
            Err(error) => {
                problems.push(Problem {
                    location: Location::Query,
                    name: String::new(),
                    message: error.to_string(),
                });
                Vec::new()
            }
        };
        Input {
            parts,
            not_found: false,
            path,
            query,
            problems,
        }
    }

    fn problem(&mut self, location: Location, name: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            location,
            name: name.to_owned(),
            message: message.into(),
        });
    }

    fn parse<T: ParamValue>(&mut self, location: Location, name: &str, text: &str) -> Option<T> {
        T::from_param(text)
            .map_err(|error| self.problem(location, name, error.to_string()))
            .ok()
    }

    /// Reads the path parameter `name` from the route capture `capture`, whose segment is
    /// `prefix`, the value, then `suffix` (as in `xuid({xuid})`).
    pub fn path<T: ParamValue>(
        &mut self,
        capture: &str,
        name: &str,
        prefix: &str,
        suffix: &str,
    ) -> Option<T> {
        let segment = self
            .path
            .iter()
            .find(|(key, _)| key == capture)
            .map(|(_, value)| value.clone());
        let Some(segment) = segment else {
            self.problem(Location::Path, name, "missing");
            return None;
        };
        match segment
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
        {
            Some(text) => self.parse(Location::Path, name, text),
            // The route matched the segment as a whole, but its literal text differs:
            // there is no such resource, rather than a malformed value.
            None => {
                self.not_found = true;
                self.problem(
                    Location::Path,
                    name,
                    format!("expected a segment of the form {prefix}{{{name}}}{suffix}"),
                );
                None
            }
        }
    }

    /// Reads the query parameter `name`: `Some(None)` when absent, `None` when malformed.
    pub fn query<T: ParamValue>(&mut self, name: &str) -> Option<Option<T>> {
        let mut values = self.query.iter().filter(|(key, _)| key == name);
        let first = values.next().map(|(_, value)| value.clone());
        if values.next().is_some() {
            self.problem(Location::Query, name, "given more than once");
            return None;
        }
        match first {
            None => Some(None),
            Some(text) => self.parse(Location::Query, name, &text).map(Some),
        }
    }

    /// Reads the array query parameter `name` (`style: form`): with `explode`, from every
    /// `name=value` pair; without it, from one comma-separated value.
    pub fn query_list<T: ParamValue>(
        &mut self,
        name: &str,
        explode: bool,
    ) -> Option<Option<Vec<T>>> {
        let texts: Vec<String> = self
            .query
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect();
        if texts.is_empty() {
            return Some(None);
        }
        let items: Vec<String> = if explode {
            texts
        } else if texts.len() > 1 {
            self.problem(
                Location::Query,
                name,
                "given more than once; send one comma-separated value",
            );
            return None;
        } else {
            texts[0].split(',').map(str::to_owned).collect()
        };
        let before = self.problems.len();
        let values: Vec<T> = items
            .iter()
            .filter_map(|text| self.parse(Location::Query, name, text))
            .collect();
        (self.problems.len() == before).then_some(Some(values))
    }

    fn header_text(&mut self, name: &str) -> Option<Option<String>> {
        let mut values = self.parts.headers.get_all(name).iter();
        let first = values.next();
        if values.next().is_some() {
            self.problem(Location::Header, name, "given more than once");
            return None;
        }
        match first.map(HeaderValue::to_str) {
            None => Some(None),
            Some(Ok(text)) => Some(Some(text.to_owned())),
            Some(Err(_)) => {
                self.problem(Location::Header, name, "not visible ASCII text");
                None
            }
        }
    }

    /// Reads the header `name`: `Some(None)` when absent, `None` when malformed.
    pub fn header<T: ParamValue>(&mut self, name: &str) -> Option<Option<T>> {
        match self.header_text(name)? {
            None => Some(None),
            Some(text) => self.parse(Location::Header, name, &text).map(Some),
        }
    }

    /// Turns an optional value into a required one, recording a problem when it is absent.
    pub fn require<T>(
        &mut self,
        location: Location,
        name: &str,
        value: Option<Option<T>>,
    ) -> Option<T> {
        match value {
            Some(Some(value)) => Some(value),
            Some(None) => {
                self.problem(location, name, "required");
                None
            }
            None => None,
        }
    }

    /// The bearer token of the `Authorization` header, if there is one.
    pub fn bearer(&self) -> Option<Bearer> {
        let value = self.parts.headers.get(http::header::AUTHORIZATION)?;
        Bearer::from_header_value(value.to_str().ok()?)
    }

    /// The basic credentials of the `Authorization` header, if there are any.
    pub fn basic(&self) -> Option<Basic> {
        let value = self.parts.headers.get(http::header::AUTHORIZATION)?;
        Basic::from_header_value(value.to_str().ok()?)
    }

    /// An API key in the header `name`, if present and not empty.
    pub fn api_key_header(&self, name: &str) -> Option<ApiKey> {
        let value = self.parts.headers.get(name)?.to_str().ok()?;
        (!value.is_empty()).then(|| ApiKey::new(value))
    }

    /// An API key in the query parameter `name`, if present and not empty.
    pub fn api_key_query(&self, name: &str) -> Option<ApiKey> {
        self.query
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| ApiKey::new(value.clone()))
    }

    /// The raw value of the cookie `name`, if present.
    fn cookie_text(&self, name: &str) -> Option<String> {
        self.parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .filter_map(|cookie| cookie.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned())
    }

    /// An API key in the cookie `name`, if present and not empty.
    pub fn api_key_cookie(&self, name: &str) -> Option<ApiKey> {
        let value = decode(&self.cookie_text(name)?).ok()?;
        (!value.is_empty()).then(|| ApiKey::new(value))
    }

    /// Reads the cookie `name`: `Some(None)` when absent, `None` when malformed.
    pub fn cookie<T: ParamValue>(&mut self, name: &str) -> Option<Option<T>> {
        let Some(text) = self.cookie_text(name) else {
            return Some(None);
        };
        match decode(&text) {
            Ok(text) => self.parse(Location::Cookie, name, &text).map(Some),
            Err(error) => {
                self.problem(Location::Cookie, name, error.to_string());
                None
            }
        }
    }

    /// Decodes a JSON request body, recording a problem when it is absent (and
    /// `required`), not declared as JSON, or not valid for `T`.
    pub fn json_body<T: DeserializeOwned>(
        &mut self,
        body: &[u8],
        required: bool,
    ) -> Option<Option<T>> {
        if body.is_empty() {
            if required {
                self.problem(Location::Body, "", "a JSON body is required");
                return None;
            }
            return Some(None);
        }
        let is_json = self
            .parts
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                let essence = value.split(';').next().unwrap_or_default().trim();
                essence.eq_ignore_ascii_case("application/json")
                    || essence.to_ascii_lowercase().ends_with("+json")
            });
        if !is_json {
            self.problem(
                Location::Body,
                "",
                "the body must be sent as application/json",
            );
            return None;
        }
        match serde_json::from_slice(body) {
            Ok(value) => Some(Some(value)),
            Err(error) => {
                self.problem(Location::Body, "", format!("invalid JSON body: {error}"));
                None
            }
        }
    }

    /// The rejection for everything recorded so far: 400 Bad Request, or 404 Not Found
    /// when the path's literal text did not match.
    pub fn into_rejection(self) -> Rejection {
        Rejection {
            status: if self.not_found {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::BAD_REQUEST
            },
            problems: self.problems,
        }
    }
}
