//! Request extraction and rejections for generated axum routers.
//!
//! A generated handler reads every parameter through an [`Input`], which records a
//! [`Problem`] for each value that is missing or malformed instead of stopping at the
//! first, so a client learns about all of them in one answer. The handler then either
//! has every value, or turns the problems into a [`Rejection`] that the service trait
//! answers (by default with an RFC 9457 `application/problem+json` body). Request bodies
//! are read the same way (`body`: JSON, form fields, multipart parts, text, bytes), and
//! an [`Answer`] writes a response's documented headers.

use crate::credentials::{ApiKey, Basic, Bearer};
use crate::encoding::{decode, encode_path_value, encode_query_value, parse_query};
use crate::param::ParamValue;
use crate::style::{self, Style};
use crate::validate::{Checker, Validate};
use axum::extract::{FromRequestParts, RawPathParams};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

mod body;
mod document;

pub use document::document_router;

/// How a generated router serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The largest request body read, in bytes (2 MiB by default); a larger one is
    /// refused with 413 Payload Too Large.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: 2 * 1024 * 1024,
        }
    }
}

/// What every handler of a generated router shares: the service and the config.
#[derive(Debug)]
pub struct Shared<S> {
    /// The service the handlers call.
    pub service: S,
    /// How the router serves.
    pub config: Config,
}

/// The operation a handler serves, as the document names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, as written in the document.
    pub path: &'static str,
}

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
    /// The operation the request was for, when the path named one.
    pub operation: Option<Operation>,
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
    /// with `status` (401, or 403 where the document says so); `location` is where the
    /// credentials travel (a header, the query or a cookie).
    pub fn unauthenticated(
        operation: Operation,
        status: u16,
        location: Location,
        schemes: &str,
    ) -> Self {
        Rejection {
            operation: Some(operation),
            status: status_code(status),
            problems: vec![Problem {
                location,
                name: String::new(),
                message: format!("missing or malformed credentials: {schemes}"),
            }],
        }
    }

    /// A request whose body is larger than the router reads.
    pub fn too_large(limit: usize) -> Self {
        Rejection {
            operation: None,
            status: StatusCode::PAYLOAD_TOO_LARGE,
            problems: vec![Problem {
                location: Location::Body,
                name: String::new(),
                message: format!("the body is larger than {limit} bytes"),
            }],
        }
    }

    /// A path no operation of the document serves. When it has the shape of one of
    /// `operations` but for an empty parameter (`/profile/` for `/profile/{id}`), the
    /// rejection names that operation, whose documented 404 then applies.
    pub fn not_found(path: &str, operations: &[Operation]) -> Self {
        Rejection {
            operation: operations
                .iter()
                .find(|operation| shaped_like(operation.path, path))
                .copied(),
            status: StatusCode::NOT_FOUND,
            problems: vec![Problem {
                location: Location::Path,
                name: String::new(),
                message: format!("no operation of this API serves {path}"),
            }],
        }
    }

    /// A path served, but not with this method.
    pub fn method_not_allowed(method: &http::Method, allow: &str) -> Self {
        Rejection {
            operation: None,
            status: StatusCode::METHOD_NOT_ALLOWED,
            problems: vec![Problem {
                location: Location::Path,
                name: String::new(),
                message: format!("{method} is not allowed here; use {allow}"),
            }],
        }
    }

    /// A service method that panicked: the server answers 500 and goes on serving.
    pub fn service_failed() -> Self {
        Rejection {
            operation: None,
            status: StatusCode::INTERNAL_SERVER_ERROR,
            problems: vec![Problem {
                location: Location::Body,
                name: String::new(),
                message: "the service failed while answering this request".to_owned(),
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

/// Reads a request body of at most `limit` bytes.
pub async fn read_body(body: axum::body::Body, limit: usize) -> Result<bytes::Bytes, Rejection> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Rejection::too_large(limit))
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
    operation: Operation,
    parts: Parts,
    not_found: bool,
    too_large: bool,
    unsupported_media_type: bool,
    /// The path's segments as sent, still percent-encoded.
    raw_path: Vec<String>,
    /// The parts of a `multipart/form-data` body, once read.
    body_parts: Vec<body::BodyPart>,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    problems: Vec<Problem>,
}

impl Input {
    /// Reads the path captures and the query string of a request, and checks what can
    /// be checked before any value is read: a declared body length within
    /// `config.body_limit`, and strict percent-encoding of the path.
    pub async fn new(operation: Operation, mut parts: Parts, config: &Config) -> Self {
        let mut problems = Vec::new();
        let mut too_large = false;
        let length = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<usize>().ok());
        if length.is_some_and(|length| length > config.body_limit) {
            too_large = true;
            problems.extend(Rejection::too_large(config.body_limit).problems);
        }
        // axum decodes captures leniently (a stray `%` passes through): be strict.
        if let Err(error) = decode(parts.uri.path()) {
            problems.push(Problem {
                location: Location::Path,
                name: String::new(),
                message: error.to_string(),
            });
        }
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
        let raw_path = parts
            .uri
            .path()
            .split('/')
            .skip(1)
            .map(str::to_owned)
            .collect();
        Input {
            operation,
            raw_path,
            parts,
            not_found: false,
            too_large,
            unsupported_media_type: false,
            body_parts: Vec::new(),
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
        let text = self.path_text(capture, name, prefix, suffix)?;
        self.parse(Location::Path, name, &text)
    }

    /// Reads the path parameter `name` written in `style` (`label` or `matrix`), a
    /// single value, from the path segment number `segment` (from 0), which is `prefix`,
    /// the value, then `suffix`.
    pub fn path_styled<T: ParamValue>(
        &mut self,
        segment: usize,
        name: &str,
        prefix: &str,
        suffix: &str,
        style: Style,
    ) -> Option<T> {
        let items = self.path_items(segment, name, prefix, suffix, (style, false, false))?;
        let text = items.into_iter().next().unwrap_or_default();
        self.parse(Location::Path, name, &text)
    }

    /// Reads the path parameter `name`, an array written in `style` (`simple`, `label` or
    /// `matrix`, exploded or not), from the path segment number `segment` (from 0), which
    /// is `prefix`, the value, then `suffix`. The segment is split at its literal
    /// separators before its items are decoded, so that an item may hold an encoded one.
    pub fn path_list<T: ParamValue>(
        &mut self,
        segment: usize,
        name: &str,
        prefix: &str,
        suffix: &str,
        style: Style,
        explode: bool,
    ) -> Option<Vec<T>> {
        let items = self.path_items(segment, name, prefix, suffix, (style, explode, true))?;
        self.parse_all(Location::Path, name, &items)
    }

    /// The decoded items of the raw path segment `segment`, read in `(style, explode,
    /// list)`.
    fn path_items(
        &mut self,
        segment: usize,
        name: &str,
        prefix: &str,
        suffix: &str,
        (style, explode, list): (Style, bool, bool),
    ) -> Option<Vec<String>> {
        let raw = self.raw_path.get(segment).cloned().unwrap_or_default();
        // The literal text around the value, as written or percent-encoded.
        let strip = |raw: &str| -> Option<String> {
            let rest = raw
                .strip_prefix(prefix)
                .or_else(|| raw.strip_prefix(encode_path_value(prefix).as_str()))?;
            rest.strip_suffix(suffix)
                .or_else(|| rest.strip_suffix(encode_path_value(suffix).as_str()))
                .map(str::to_owned)
        };
        let Some(text) = strip(&raw) else {
            self.not_found = true;
            self.problem(
                Location::Path,
                name,
                format!("expected a segment of the form {prefix}{{{name}}}{suffix}"),
            );
            return None;
        };
        style::read_path(name, style, explode, list, &text)
            .map_err(|message| self.problem(Location::Path, name, message))
            .ok()
    }

    /// Parses every item, recording a problem for each that does not parse.
    fn parse_all<T: ParamValue>(
        &mut self,
        location: Location,
        name: &str,
        items: &[String],
    ) -> Option<Vec<T>> {
        let before = self.problems.len();
        let values: Vec<T> = items
            .iter()
            .filter_map(|text| self.parse(location, name, text))
            .collect();
        (self.problems.len() == before).then_some(values)
    }

    /// The decoded text of the path parameter `name` between `prefix` and `suffix`.
    /// Reads the path parameter `name`, value number `position` (from 0) of the path
    /// segment captured as `capture`, which holds several values between `literals`
    /// (`["", "...", ""]` for `{base}...{head}`). Each value ends at the first occurrence
    /// of the literal after it (the last at the segment's end), then is decoded.
    pub fn path_part<T: ParamValue>(
        &mut self,
        capture: &str,
        name: &str,
        literals: &[&str],
        position: usize,
    ) -> Option<T> {
        let segment = self.captured(capture, name)?;
        match split_segment(&segment, literals).and_then(|values| values.into_iter().nth(position))
        {
            Some(text) => self.parse(Location::Path, name, &text),
            None => {
                self.not_found = true;
                let template: Vec<String> = literals.iter().map(|l| (*l).to_owned()).collect();
                self.problem(
                    Location::Path,
                    name,
                    format!("expected a segment of the form {}", template.join("{…}")),
                );
                None
            }
        }
    }

    /// The path segment the router captured as `capture`, for the parameter `name`.
    fn captured(&mut self, capture: &str, name: &str) -> Option<String> {
        let segment = self
            .path
            .iter()
            .find(|(key, _)| key == capture)
            .map(|(_, value)| value.clone());
        if segment.is_none() {
            self.problem(Location::Path, name, "missing");
        }
        segment
    }

    fn path_text(
        &mut self,
        capture: &str,
        name: &str,
        prefix: &str,
        suffix: &str,
    ) -> Option<String> {
        let segment = self.captured(capture, name)?;
        match segment
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
        {
            Some(text) => Some(text.to_owned()),
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
    ///
    /// An empty value is a value (an empty string is a string): `allowEmptyValue`, which
    /// OpenAPI 3.0.3 deprecates, is not enforced.
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

    /// Reads the array query parameter `name` written in `style` (`form`,
    /// `spaceDelimited` or `pipeDelimited`): with `explode`, from every `name=value`
    /// pair; without it, from one value of items joined by the style's separator.
    pub fn query_list<T: ParamValue>(
        &mut self,
        name: &str,
        style: Style,
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
                "given more than once; send the items in one value",
            );
            return None;
        } else {
            // `name=` is how an array that is not exploded writes no items.
            style::read_query_value(style, &texts[0])
        };
        self.parse_all(Location::Query, name, &items).map(Some)
    }

    /// Reads the query parameter `name` sent with `style: deepObject`: one
    /// `name[key]=value` pair per member, `name[a][b]=value` for a nested object
    /// (brackets literal or percent-encoded). `Some(None)` when no such pair is present,
    /// `None` when the pairs do not decode into `T`.
    ///
    /// Values arrive as text: numbers and booleans are read from it, so `name[count]=3`
    /// fills an integer field.
    pub fn query_deep_object<T: DeserializeOwned>(&mut self, name: &str) -> Option<Option<T>> {
        if self.query.iter().any(|(key, _)| key == name) {
            self.problem(
                Location::Query,
                name,
                format!(
                    "expected `{name}[key]=value` pairs (style: deepObject), not `{name}=value`"
                ),
            );
            return None;
        }
        let members: Result<Vec<String>, String> = self
            .query
            .iter()
            .filter_map(|(key, value)| {
                let path = key.strip_prefix(name)?.strip_prefix('[')?;
                Some(deep_object_member(path, value).ok_or_else(|| {
                    format!("`{key}` is not of the form `{name}[key]` or `{name}[key][inner]`")
                }))
            })
            .collect();
        let members = match members {
            Ok(members) if members.is_empty() => return Some(None),
            Ok(members) => members,
            Err(message) => {
                self.problem(Location::Query, name, message);
                return None;
            }
        };
        match decode_deep_object(name, &members.join("&")) {
            Ok(value) => Some(Some(value)),
            Err(message) => {
                self.problem(Location::Query, name, message);
                None
            }
        }
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

    /// Reads the header `name` holding an array (`style: simple`, `a,b,c`, possibly over
    /// several lines): `Some(None)` when absent, `None` when malformed.
    pub fn header_list<T: ParamValue>(&mut self, name: &str) -> Option<Option<Vec<T>>> {
        let values = self.parts.headers.get_all(name);
        if values.iter().next().is_none() {
            return Some(None);
        }
        let Ok(texts) = values
            .iter()
            .map(HeaderValue::to_str)
            .collect::<Result<Vec<&str>, _>>()
        else {
            self.problem(Location::Header, name, "not visible ASCII text");
            return None;
        };
        let items = style::read_header(texts);
        self.parse_all(Location::Header, name, &items).map(Some)
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

    /// Checks the parameter `name` with `check`, recording every violation.
    pub fn check(&mut self, location: Location, name: &str, check: impl FnOnce(&mut Checker)) {
        let mut checker = Checker::new();
        check(&mut checker);
        for violation in checker.into_violations() {
            let message = if violation.pointer.is_empty() {
                violation.message
            } else {
                format!(
                    "item {}: {}",
                    violation.pointer.trim_start_matches('/'),
                    violation.message
                )
            };
            self.problem(location, name, message);
        }
    }

    /// Checks a decoded body against the document's constraints; each violation names
    /// the JSON pointer of the value at fault.
    pub fn validate_body<T: Validate>(&mut self, body: &T) {
        let mut checker = Checker::new();
        body.validate(&mut checker);
        for violation in checker.into_violations() {
            self.problems.push(Problem {
                location: Location::Body,
                name: violation.pointer,
                message: violation.message,
            });
        }
    }

    /// Whether anything is wrong with the request so far.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The rejection for everything recorded so far: 400 Bad Request, or 413 when the
    /// body is too large, or 404 Not Found when the path's literal text did not match,
    /// or 415 Unsupported Media Type when the body is not of a type the operation takes.
    pub fn into_rejection(self) -> Rejection {
        Rejection {
            operation: Some(self.operation),
            status: if self.too_large {
                StatusCode::PAYLOAD_TOO_LARGE
            } else if self.not_found {
                StatusCode::NOT_FOUND
            } else if self.unsupported_media_type {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            } else {
                StatusCode::BAD_REQUEST
            },
            problems: self.problems,
        }
    }
}

/// A response being answered by a generated router, with the headers the service gave.
///
/// A header value that HTTP cannot carry (a line break, a control character, a character
/// outside ASCII) is a fault of the service: the answer becomes a 500 with the default
/// problem body, and the fault is logged. (It cannot go through the service's `reject`,
/// which the response enum does not know.)
pub struct Answer {
    response: Response,
    broken: Option<&'static str>,
}

impl Answer {
    /// Starts from `response` (status and body).
    pub fn new(response: Response) -> Self {
        Answer {
            response,
            broken: None,
        }
    }

    /// Adds the header `name` (lower case) with `value`.
    pub fn header(&mut self, name: &'static str, value: &impl ParamValue) {
        self.raw_header(name, value.to_param());
    }

    /// Adds the header `name` holding an array, `style: simple` (`a,b,c`). An item holding
    /// a comma, which would read back as two, breaks the answer too.
    pub fn header_list<T: ParamValue>(&mut self, name: &'static str, values: &[T]) {
        let items: Vec<String> = values.iter().map(ParamValue::to_param).collect();
        match style::write_header(&items) {
            Some(value) => self.raw_header(name, value),
            None => {
                self.broken.get_or_insert(name);
            }
        }
    }

    fn raw_header(&mut self, name: &'static str, value: String) {
        let written = crate::encoding::check_header_value(&value)
            .ok()
            .and_then(|()| {
                Some((
                    http::HeaderName::from_bytes(name.as_bytes()).ok()?,
                    HeaderValue::try_from(value).ok()?,
                ))
            });
        match written {
            Some((name, value)) => {
                self.response.headers_mut().append(name, value);
            }
            None => {
                self.broken.get_or_insert(name);
            }
        }
    }

    /// The response, or a 500 if a header could not be written.
    pub fn finish(self) -> Response {
        match self.broken {
            None => self.response,
            Some(name) => {
                tracing::error!(
                    header = name,
                    "the service answered with a header value HTTP cannot carry"
                );
                Rejection::service_failed().into_problem_response()
            }
        }
    }
}

/// Runs a handler inside a `request` span naming the operation, and records the status
/// it answers with.
pub async fn traced(operation: Operation, handler: impl Future<Output = Response>) -> Response {
    use tracing::Instrument as _;
    let span = tracing::info_span!(
        "request",
        operation = operation.id,
        method = operation.method,
        path = operation.path,
        status = tracing::field::Empty
    );
    let response = handler.instrument(span.clone()).await;
    span.record("status", response.status().as_u16());
    response
}

/// Adds `Allow` to a 405 answer (RFC 9110 §15.5.6 requires it).
pub fn with_allow(mut response: Response, allow: &'static str) -> Response {
    response
        .headers_mut()
        .insert(http::header::ALLOW, HeaderValue::from_static(allow));
    response
}

/// Finishes a generated router: shares `shared` with every handler and turns a panic
/// into the answer `on_panic` gives (the service's own refusal, 500).
pub fn finish<S: Send + Sync + 'static>(
    routes: axum::Router<std::sync::Arc<Shared<S>>>,
    shared: std::sync::Arc<Shared<S>>,
    on_panic: fn(&S) -> Response,
) -> axum::Router {
    let service = shared.clone();
    routes
        .with_state(shared)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            move |_: Box<dyn std::any::Any + Send>| on_panic(&service.service),
        ))
}

/// Decodes the `serde_qs` pairs of a deepObject parameter (see [`deep_object_member`]);
/// an error names the member at fault (`` `filter[minStock]`: invalid digit found in
/// string ``).
fn decode_deep_object<T: DeserializeOwned>(name: &str, pairs: &str) -> Result<T, String> {
    // A member given twice is ambiguous: refuse it rather than keep one silently.
    let config =
        serde_qs::Config::new().duplicate_key_behavior(serde_qs::DuplicateKeyBehavior::Error);
    let deserializer = serde_qs::Deserializer::with_config(config, pairs.as_bytes())
        .map_err(|error| error.to_string())?;
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let member: String = error
            .path()
            .iter()
            .map(|segment| format!("[{segment}]"))
            .collect();
        let inner = error.into_inner();
        if member.is_empty() {
            inner.to_string()
        } else {
            format!("`{name}{member}`: {inner}")
        }
    })
}

/// Rewrites the member `path` of a deepObject pair (what follows `name[`: `color]`,
/// `size][min]`) and its decoded `value` as a `serde_qs` pair (`color=red`,
/// `size[min]=3`), each part encoded so that only the brackets between keys are
/// structure. `None` when the brackets do not pair up or a key is empty.
fn deep_object_member(path: &str, value: &str) -> Option<String> {
    let keys: Vec<&str> = path.strip_suffix(']')?.split("][").collect();
    if keys
        .iter()
        .any(|key| key.is_empty() || key.contains(['[', ']']))
    {
        return None;
    }
    let (first, inner) = keys.split_first()?;
    let mut pair = encode_query_value(first);
    for key in inner {
        pair.push('[');
        pair.push_str(&encode_query_value(key));
        pair.push(']');
    }
    pair.push('=');
    pair.push_str(&encode_query_value(value));
    Some(pair)
}

/// Whether `path` has the shape of the path `template`, parameters possibly empty.
fn shaped_like(template: &str, path: &str) -> bool {
    let templates: Vec<&str> = template.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    templates.len() == segments.len()
        && templates.iter().zip(&segments).all(|(template, segment)| {
            let segment = decode(segment).unwrap_or_default();
            match (template.find('{'), template.rfind('}')) {
                (Some(open), Some(close)) => {
                    let (prefix, suffix) = (&template[..open], &template[close + 1..]);
                    segment.len() >= prefix.len() + suffix.len()
                        && segment.starts_with(prefix)
                        && segment.ends_with(suffix)
                }
                _ => *template == segment,
            }
        })
}

/// The values of `segment` (already percent-decoded by the router) between `literals`,
/// or `None` when the literal text is not there.
fn split_segment(segment: &str, literals: &[&str]) -> Option<Vec<String>> {
    let (first, rest) = literals.split_first()?;
    let (last, between) = rest.split_last()?;
    let mut text = segment.strip_prefix(first)?.strip_suffix(last)?;
    let mut values = Vec::new();
    for separator in between {
        let at = text.find(separator)?;
        values.push(text[..at].to_owned());
        text = &text[at + separator.len()..];
    }
    values.push(text.to_owned());
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_of_several_values_splits_at_the_first_of_each_separator() {
        assert_eq!(
            split_segment("main...feature...x", &["", "...", ""]),
            Some(vec!["main".to_owned(), "feature...x".to_owned()])
        );
        assert_eq!(
            split_segment("r42.json", &["r", ".", ""]),
            Some(vec!["42".to_owned(), "json".to_owned()])
        );
        assert_eq!(split_segment("main..feature", &["", "...", ""]), None);
    }

    #[test]
    fn deep_object_members_become_serde_qs_pairs_with_only_their_brackets_literal() {
        assert_eq!(
            deep_object_member("color]", "a&b").as_deref(),
            Some("color=a%26b")
        );
        assert_eq!(
            deep_object_member("size][min]", "3").as_deref(),
            Some("size[min]=3")
        );
        assert_eq!(deep_object_member("color", "red"), None);
        assert_eq!(deep_object_member("]", "red"), None);
        assert_eq!(deep_object_member("a[b]", "red"), None);
    }

    #[test]
    fn a_path_with_an_empty_parameter_is_shaped_like_its_template() {
        assert!(shaped_like("/api/1/profile/{id}", "/api/1/profile/"));
        assert!(shaped_like("/users/xuid({xuid})", "/users/xuid()"));
        assert!(shaped_like("/users/xuid({xuid})", "/users/xuid%28%29"));
        assert!(!shaped_like("/users/xuid({xuid})", "/users/gamertag()"));
        assert!(!shaped_like("/api/1/profile/{id}", "/api/1/profile"));
    }
}
