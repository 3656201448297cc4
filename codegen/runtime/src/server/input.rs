//! The values of one request: path, query, headers, cookies and credentials, each
//! read and checked, every problem recorded.

use super::rejection::{Location, Problem, Rejection};
use super::{Config, Operation};
use crate::credentials::{ApiKey, Basic, Bearer};
use crate::encoding::{decode, decode_borrowed, encode_path_value, parse_query};
use crate::param::ParamValue;
use crate::style::{self, Style};
use crate::validate::{Check, Checker, Count, Rules};
use axum::extract::{FromRequestParts, RawPathParams};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use serde::de::DeserializeOwned;

/// Reads a request body of at most `limit` bytes. Only a body that goes over `limit` is
/// too large (413); one that stops arriving (the connection closes or fails before its
/// end) is a malformed request (400), not a large one.
pub(super) async fn read_body(
    operation: Operation,
    mut body: axum::body::Body,
    limit: usize,
) -> Result<bytes::Bytes, Rejection> {
    use axum::body::HttpBody as _;
    // A body that arrives in one piece (most do) is kept as it came; only a second
    // piece makes a buffer to join them in.
    let mut first: Option<bytes::Bytes> = None;
    let mut read = bytes::BytesMut::new();
    while let Some(frame) =
        std::future::poll_fn(|context| std::pin::Pin::new(&mut body).poll_frame(context)).await
    {
        let frame = frame.map_err(|error| Rejection::unreadable_body(operation, &error))?;
        // Trailers carry nothing the body's value is made of.
        if let Ok(data) = frame.into_data() {
            let so_far = first.as_ref().map_or(read.len(), bytes::Bytes::len);
            if data.len() > limit - so_far {
                return Err(Rejection::too_large(limit));
            }
            match first.take() {
                None if read.is_empty() => first = Some(data),
                None => read.extend_from_slice(&data),
                Some(earlier) => {
                    read.extend_from_slice(&earlier);
                    read.extend_from_slice(&data);
                }
            }
        }
    }
    Ok(first.unwrap_or_else(|| read.freeze()))
}

/// The values of one request, read and checked by a generated handler.
pub struct Input {
    pub(super) operation: Operation,
    pub(super) parts: Parts,
    pub(super) not_found: bool,
    pub(super) too_large: bool,
    pub(super) unsupported_media_type: bool,
    /// The request body, once read (empty for an operation without one).
    pub(super) body: bytes::Bytes,
    /// A `multipart/form-data` body split into parts, or why it could not be.
    pub(super) multipart: Option<Result<Vec<super::body::BodyPart>, String>>,
    /// The parts of a `multipart/form-data` body not yet read.
    pub(super) body_parts: Vec<super::body::BodyPart>,
    /// A streamed body, not read: its items are decoded as the service pulls them.
    pub(super) streamed: Option<axum::body::Body>,
    /// The route's captures (already percent-decoded by the router); `None` when the
    /// router captured nothing readable.
    pub(super) path: Option<RawPathParams>,
    pub(super) query: Vec<(String, String)>,
    pub(super) problems: Vec<Problem>,
}

impl Input {
    /// Reads the path captures and the query string of a request, and checks what can
    /// be checked before any value is read: a declared body length within
    /// `config.body_limit`, and strict percent-encoding of the path.
    pub async fn new(operation: Operation, parts: Parts, config: &Config) -> Self {
        Input::read(operation, parts, Some(config.body_limit)).await
    }

    /// The same, with the body `limit` the declared length must be within, if any (a
    /// streamed body has none).
    pub(super) async fn read(operation: Operation, mut parts: Parts, limit: Option<usize>) -> Self {
        let mut problems = Vec::new();
        let mut too_large = false;
        let length = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<usize>().ok());
        if let Some(limit) = limit
            && length.is_some_and(|length| length > limit)
        {
            too_large = true;
            problems.extend(Rejection::too_large(limit).problems);
        }
        // axum decodes captures leniently (a stray `%` passes through): be strict.
        if let Err(error) = decode_borrowed(parts.uri.path()) {
            problems.push(Problem {
                location: Location::Path,
                name: String::new(),
                message: error.to_string(),
            });
        }
        let path = match RawPathParams::from_request_parts(&mut parts, &()).await {
            Ok(params) => Some(params),
            Err(rejection) => {
                problems.push(Problem {
                    location: Location::Path,
                    name: String::new(),
                    message: rejection.body_text(),
                });
                None
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
            operation,
            parts,
            not_found: false,
            too_large,
            unsupported_media_type: false,
            body: bytes::Bytes::new(),
            multipart: None,
            body_parts: Vec::new(),
            streamed: None,
            path,
            query,
            problems,
        }
    }

    pub(super) fn problem(&mut self, location: Location, name: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            location,
            name: name.to_owned(),
            message: message.into(),
        });
    }

    pub(super) fn parse<T: ParamValue>(
        &mut self,
        location: Location,
        name: &str,
        text: &str,
    ) -> Option<T> {
        T::from_param(text)
            .map_err(|error| self.problem(location, name, error.to_string()))
            .ok()
    }

    /// Reads the path parameter `name` from the route capture `capture`, whose segment is
    /// `prefix`, the value, then `suffix` (as in `xuid({xuid})`).
    fn read_path<T: ParamValue>(
        &mut self,
        capture: &str,
        name: &str,
        prefix: &str,
        suffix: &str,
    ) -> Option<T> {
        match self.path_text(capture, name, prefix, suffix)? {
            Ok(value) => Some(value),
            Err(message) => {
                self.problem(Location::Path, name, message);
                None
            }
        }
    }

    /// Reads the path parameter `name` written in `style` (`label` or `matrix`), a
    /// single value, from the path segment number `segment` (from 0), which is `prefix`,
    /// the value, then `suffix`.
    fn read_path_styled<T: ParamValue>(
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
    fn read_path_list<T: ParamValue>(
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
        let raw = self.raw_segment(segment).to_owned();
        let Some(text) = strip_literals(&raw, prefix, suffix) else {
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
    pub(super) fn parse_all<T: ParamValue>(
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
    fn read_path_part<T: ParamValue>(
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
        let segment = self.capture(capture).map(str::to_owned);
        if segment.is_none() {
            self.problem(Location::Path, name, "missing");
        }
        segment
    }

    /// The path segment the router captured as `capture`, if it did.
    fn capture(&self, capture: &str) -> Option<&str> {
        self.path
            .iter()
            .flat_map(RawPathParams::iter)
            .find(|(key, _)| *key == capture)
            .map(|(_, value)| value)
    }

    /// The value between `prefix` and `suffix` in the capture `capture`, parsed in place
    /// (no copy of the segment or the value): `None` (with the problem recorded) when
    /// there is no such value, `Some(Err)` with the message when it does not parse.
    fn path_text<T: ParamValue>(
        &mut self,
        capture: &str,
        name: &str,
        prefix: &str,
        suffix: &str,
    ) -> Option<Result<T, String>> {
        let text = match self.capture(capture) {
            Some(segment) => segment
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .map(|text| T::from_param(text).map_err(|error| error.to_string())),
            None => {
                self.problem(Location::Path, name, "missing");
                return None;
            }
        };
        match text {
            Some(parsed) => Some(parsed),
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
    fn read_query<T: ParamValue>(&mut self, name: &str) -> Option<Option<T>> {
        let mut values = self.query.iter().filter(|(key, _)| key == name);
        // Parsed in place: the value is not copied on its way to `T`.
        let parsed = values.next().map(|(_, value)| T::from_param(value));
        if values.next().is_some() {
            self.problem(Location::Query, name, "given more than once");
            return None;
        }
        match parsed {
            None => Some(None),
            Some(Ok(value)) => Some(Some(value)),
            Some(Err(error)) => {
                self.problem(Location::Query, name, error.to_string());
                None
            }
        }
    }

    /// Reads the array query parameter `name` written in `style` (`form`,
    /// `spaceDelimited` or `pipeDelimited`): with `explode`, from every `name=value`
    /// pair; without it, from one value of items joined by the style's separator.
    fn read_query_list<T: ParamValue>(
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
    /// `name[key]=value` pair per member, `name[a][b]=value` for a nested object,
    /// `name[0]=value` for an array's item (brackets literal or percent-encoded), or one
    /// `name=value` for a scalar (as an alternative of a union may be). `Some(None)` when
    /// no such pair is present, `None` when the pairs do not decode into `T`.
    ///
    /// Values arrive as text: numbers and booleans are read from it, so `name[count]=3`
    /// fills an integer field.
    pub fn query_deep_object<T: DeserializeOwned>(&mut self, name: &str) -> Option<Option<T>> {
        match style::decode_deep_object(name, &self.query) {
            None => Some(None),
            Some(Ok(value)) => Some(Some(value)),
            Some(Err(message)) => {
                self.problem(Location::Query, name, message);
                None
            }
        }
    }

    /// Reads the whole query string as one JSON value (an OpenAPI 3.2 parameter
    /// `in: querystring` of `application/json` content, `name`): percent-decoded, then
    /// parsed. `Some(None)` when there is no query string, `None` when it is not JSON
    /// of `T`.
    pub fn query_string_json<T: DeserializeOwned>(&mut self, name: &str) -> Option<Option<T>> {
        let raw = self.parts.uri.query().unwrap_or_default();
        if raw.is_empty() {
            return Some(None);
        }
        let text = match percent_encoding::percent_decode_str(raw).decode_utf8() {
            Ok(text) => text,
            Err(_) => {
                self.problem(Location::Query, name, "the query string is not UTF-8 text");
                return None;
            }
        };
        match serde_json::from_str(&text) {
            Ok(value) => Some(Some(value)),
            Err(error) => {
                self.problem(
                    Location::Query,
                    name,
                    format!("the query string is not the JSON expected: {error}"),
                );
                None
            }
        }
    }

    /// Reads the query parameter `name`, an object of scalars in `style: form`:
    /// exploded, from the pairs named by its `members` (`R=100&G=200`); not exploded,
    /// from `name=R,100,G,200`. `Some(None)` when absent, `None` when the value does
    /// not decode into `T`.
    pub fn query_object<T: DeserializeOwned>(
        &mut self,
        name: &str,
        explode: bool,
        members: &[&str],
    ) -> Option<Option<T>> {
        match style::decode_form_object(name, explode, members, &self.query) {
            None => Some(None),
            Some(Ok(value)) => Some(Some(value)),
            Some(Err(message)) => {
                self.problem(Location::Query, name, message);
                None
            }
        }
    }

    /// Reads the header `name`: `Some(None)` when absent, `None` when malformed.
    fn read_header<T: ParamValue>(&mut self, name: &str) -> Option<Option<T>> {
        let mut values = self.parts.headers.get_all(name).iter();
        // Parsed in place: the value is not copied on its way to `T`.
        let parsed = values.next().map(|value| value.to_str().map(T::from_param));
        if values.next().is_some() {
            self.problem(Location::Header, name, "given more than once");
            return None;
        }
        match parsed {
            None => Some(None),
            Some(Ok(Ok(value))) => Some(Some(value)),
            Some(Ok(Err(error))) => {
                self.problem(Location::Header, name, error.to_string());
                None
            }
            Some(Err(_)) => {
                self.problem(Location::Header, name, "not visible ASCII text");
                None
            }
        }
    }

    /// Reads the header `name` holding an array (`style: simple`, `a,b,c`, possibly over
    /// several lines): `Some(None)` when absent, `None` when malformed.
    fn read_header_list<T: ParamValue>(&mut self, name: &str) -> Option<Option<Vec<T>>> {
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

    /// The value of the cookie `name`, if present, still percent-encoded: without the
    /// double quotes a cookie value may be wrapped in (RFC 6265), and whatever the
    /// spacing around `;` and `=`. The first of several cookies of one name wins, as
    /// browsers send the most specific first.
    fn cookie_text(&self, name: &str) -> Option<String> {
        self.parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            // A malformed pair (no `=`, no name) names no cookie; the others still count.
            .filter_map(Result::ok)
            .find(|cookie| cookie.name() == name)
            .map(|cookie| cookie.value_trimmed().to_owned())
    }

    /// An API key in the cookie `name`, if present and not empty.
    pub fn api_key_cookie(&self, name: &str) -> Option<ApiKey> {
        let value = decode(&self.cookie_text(name)?).ok()?;
        (!value.is_empty()).then(|| ApiKey::new(value))
    }

    /// Reads the cookie `name`: `Some(None)` when absent, `None` when malformed.
    fn read_cookie<T: ParamValue>(&mut self, name: &str) -> Option<Option<T>> {
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

    /// Reads the cookie `name` holding an array, its items comma-separated (`style:
    /// form`) and each percent-encoded: `Some(None)` when absent, `None` when malformed.
    fn read_cookie_list<T: ParamValue>(&mut self, name: &str) -> Option<Option<Vec<T>>> {
        let Some(text) = self.cookie_text(name) else {
            return Some(None);
        };
        // Split before decoding, so that an item may hold an encoded comma.
        let items: Result<Vec<String>, _> = if text.is_empty() {
            Ok(Vec::new())
        } else {
            text.split(',').map(decode).collect()
        };
        match items {
            Ok(items) => self.parse_all(Location::Cookie, name, &items).map(Some),
            Err(error) => {
                self.problem(Location::Cookie, name, error.to_string());
                None
            }
        }
    }

    /// Checks the value of the parameter (or part) `name` against `rules`, recording
    /// every violation; an absent value has nothing to check.
    pub fn check<T: Check + ?Sized>(
        &mut self,
        location: Location,
        name: &str,
        value: &T,
        rules: &Rules,
    ) {
        let mut checker = Checker::new();
        value.check(rules, &mut checker);
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

    /// Checks the item count of the array `name` (of items that check nothing) against
    /// the `minItems` and `maxItems` of `rules`.
    pub fn count<T: Count + ?Sized>(
        &mut self,
        location: Location,
        name: &str,
        value: &T,
        rules: &Rules,
    ) {
        let mut checker = Checker::new();
        if let Some(count) = value.count() {
            checker.items(count, rules.min_items, rules.max_items);
        }
        for violation in checker.into_violations() {
            self.problem(location, name, violation.message);
        }
    }

    /// Checks a decoded body (absent or not) against the document's constraints; each
    /// violation names the JSON pointer of the value at fault.
    pub fn validate_body<T: Check + ?Sized>(&mut self, body: &T) {
        let mut checker = Checker::new();
        body.check(&Rules::NONE, &mut checker);
        for violation in checker.into_violations() {
            self.problems.push(Problem {
                location: Location::Body,
                name: violation.pointer,
                message: violation.message,
            });
        }
    }

    /// The credentials `found`, or (when there are none) the rejection that ends the
    /// request: `status` (401 or 403, as the document says), naming the `schemes` to
    /// send and where they travel (`location`).
    pub fn credentials<C>(
        &self,
        found: Option<C>,
        status: u16,
        location: Location,
        schemes: &str,
    ) -> Result<C, Rejection> {
        found.ok_or_else(|| Rejection::unauthenticated(self.operation, status, location, schemes))
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

/// A field of a params struct, as the readers of [`Input`] return it: a value the
/// document requires (`T`, or `Vec<T>` for an array) or an optional one (`Option<...>`).
/// A generated extraction reads each parameter in one line, its type taken from the
/// field it fills.
pub trait Slot: Sized {
    /// What is read from the request.
    type Value;

    /// The field, from what was read (`None` when the parameter is absent): `None` when
    /// it is absent and required.
    fn fill(value: Option<Self::Value>) -> Option<Self>;
}

impl<T: ParamValue> Slot for T {
    type Value = T;

    fn fill(value: Option<T>) -> Option<T> {
        value
    }
}

impl<T: ParamValue> Slot for Vec<T> {
    type Value = Vec<T>;

    fn fill(value: Option<Vec<T>>) -> Option<Vec<T>> {
        value
    }
}

impl<T> Slot for Option<T> {
    type Value = T;

    fn fill(value: Option<T>) -> Option<Option<T>> {
        Some(value)
    }
}

/// The typed readers of generated extractions: each reads one parameter, checks it
/// against its `rules`, and records a problem when it is malformed, breaks a rule, or is
/// absent though required. `None` when there was a problem.
impl Input {
    /// Settles what a reader read (`None`: malformed, `Some(None)`: absent).
    fn settle<F: Slot>(
        &mut self,
        location: Location,
        name: &str,
        read: Option<Option<F::Value>>,
        rules: &Rules,
    ) -> Option<F>
    where
        F::Value: Check,
    {
        let value = read?;
        if let Some(value) = &value {
            self.check(location, name, value, rules);
        }
        let filled = F::fill(value);
        if filled.is_none() {
            self.problem(location, name, "required");
        }
        filled
    }

    /// The path parameter `name` from the route capture `capture`, whose segment is
    /// `prefix`, the value, then `suffix` (as in `xuid({xuid})`).
    pub fn path<F: Slot>(
        &mut self,
        capture: &str,
        name: &str,
        (prefix, suffix): (&str, &str),
        rules: &Rules,
    ) -> Option<F>
    where
        F::Value: ParamValue + Check,
    {
        let read = self.read_path(capture, name, prefix, suffix).map(Some);
        self.settle(Location::Path, name, read, rules)
    }

    /// The path parameter `name` written in `style` (`label` or `matrix`), a single
    /// value, from the path segment number `segment` (from 0): `prefix`, the value, then
    /// `suffix`.
    pub fn path_styled<F: Slot>(
        &mut self,
        (segment, name): (usize, &str),
        (prefix, suffix): (&str, &str),
        style: Style,
        rules: &Rules,
    ) -> Option<F>
    where
        F::Value: ParamValue + Check,
    {
        let read = self
            .read_path_styled(segment, name, prefix, suffix, style)
            .map(Some);
        self.settle(Location::Path, name, read, rules)
    }

    /// The path parameter `name`, an array written in `style` (`simple`, `label` or
    /// `matrix`, exploded or not), from the path segment number `segment` (from 0):
    /// `prefix`, the value, then `suffix`. The segment is split at its literal
    /// separators before its items are decoded, so that an item may hold an encoded one.
    pub fn path_list<F: Slot<Value = Vec<T>>, T: ParamValue>(
        &mut self,
        (segment, name): (usize, &str),
        (prefix, suffix): (&str, &str),
        (style, explode): (Style, bool),
        rules: &Rules,
    ) -> Option<F>
    where
        Vec<T>: Check,
    {
        let read = self
            .read_path_list(segment, name, prefix, suffix, style, explode)
            .map(Some);
        self.settle(Location::Path, name, read, rules)
    }

    /// The path parameter `name`, value number `position` (from 0) of the path segment
    /// captured as `capture`, which holds several values between `literals` (`["",
    /// "...", ""]` for `{base}...{head}`). Each value ends at the first occurrence of the
    /// literal after it (the last at the segment's end), then is decoded.
    pub fn path_part<F: Slot>(
        &mut self,
        capture: &str,
        name: &str,
        (literals, position): (&[&str], usize),
        rules: &Rules,
    ) -> Option<F>
    where
        F::Value: ParamValue + Check,
    {
        let read = self
            .read_path_part(capture, name, literals, position)
            .map(Some);
        self.settle(Location::Path, name, read, rules)
    }

    /// The path parameter `name`, value number `position` (from 0) of the path segment
    /// captured as `capture`, whose values touch somewhere (`{id}{ext}`): the segment is
    /// matched whole, each value by its shape in `patterns` (see
    /// [`crate::pattern::split_segment`]), between `literals`.
    pub fn path_part_matched<F: Slot>(
        &mut self,
        capture: &str,
        name: &str,
        (literals, patterns, position): (&[&str], &[Option<&str>], usize),
        rules: &Rules,
    ) -> Option<F>
    where
        F::Value: ParamValue + Check,
    {
        let segment = self.captured(capture, name)?;
        let value = crate::pattern::split_segment(&segment, literals, patterns)
            .and_then(|values| values.into_iter().nth(position));
        let read = match value {
            Some(text) => self.parse(Location::Path, name, &text).map(Some),
            None => {
                self.not_found = true;
                self.problem(
                    Location::Path,
                    name,
                    "the segment does not match the shapes of its values",
                );
                None
            }
        };
        self.settle(Location::Path, name, read, rules)
    }

    /// The query parameter `name`.
    ///
    /// An empty value is a value (an empty string is a string): `allowEmptyValue`, which
    /// OpenAPI 3.0.3 deprecates, is not enforced.
    pub fn query<F: Slot>(&mut self, name: &str, rules: &Rules) -> Option<F>
    where
        F::Value: ParamValue + Check,
    {
        let read = self.read_query(name);
        self.settle(Location::Query, name, read, rules)
    }

    /// The array query parameter `name` written in `style` (`form`, `spaceDelimited` or
    /// `pipeDelimited`): with `explode`, from every `name=value` pair; without it, from
    /// one value of items joined by the style's separator.
    pub fn query_list<F: Slot<Value = Vec<T>>, T: ParamValue>(
        &mut self,
        name: &str,
        (style, explode): (Style, bool),
        rules: &Rules,
    ) -> Option<F>
    where
        Vec<T>: Check,
    {
        let read = self.read_query_list(name, style, explode);
        self.settle(Location::Query, name, read, rules)
    }

    /// The header `name`.
    pub fn header<F: Slot>(&mut self, name: &str, rules: &Rules) -> Option<F>
    where
        F::Value: ParamValue + Check,
    {
        let read = self.read_header(name);
        self.settle(Location::Header, name, read, rules)
    }

    /// The header `name` holding an array (`style: simple`, `a,b,c`, possibly over
    /// several lines).
    pub fn header_list<F: Slot<Value = Vec<T>>, T: ParamValue>(
        &mut self,
        name: &str,
        rules: &Rules,
    ) -> Option<F>
    where
        Vec<T>: Check,
    {
        let read = self.read_header_list(name);
        self.settle(Location::Header, name, read, rules)
    }

    /// The cookie `name`.
    pub fn cookie<F: Slot>(&mut self, name: &str, rules: &Rules) -> Option<F>
    where
        F::Value: ParamValue + Check,
    {
        let read = self.read_cookie(name);
        self.settle(Location::Cookie, name, read, rules)
    }

    /// Reads the cookie `name`, an object of scalars in `style: form`: keys and values
    /// alternating (`name=R,100,G,200`). `Some(None)` when absent, `None` when the value
    /// does not decode into `T`.
    pub fn cookie_object<T: DeserializeOwned>(&mut self, name: &str) -> Option<Option<T>> {
        let Some(text) = self.cookie_text(name) else {
            return Some(None);
        };
        // Split before decoding, so that a value may hold an encoded comma.
        let items: Result<Vec<String>, _> = if text.is_empty() {
            Ok(Vec::new())
        } else {
            text.split(',').map(decode).collect()
        };
        let read = items
            .map_err(|error| error.to_string())
            .and_then(|items| style::decode_form_items(name, &items));
        match read {
            Ok(value) => Some(Some(value)),
            Err(message) => {
                self.problem(Location::Cookie, name, message);
                None
            }
        }
    }

    /// The path's segment number `segment` (from 0) as sent, still percent-encoded.
    fn raw_segment(&self, segment: usize) -> &str {
        self.parts
            .uri
            .path()
            .split('/')
            .nth(segment + 1)
            .unwrap_or_default()
    }

    /// Reads the path parameter `name`, an object of scalars written in `style`
    /// (`simple`, `label` or `matrix`, exploded or not), from the path segment number
    /// `segment` (from 0): `prefix`, the value, then `suffix`. `Some(None)` never (a path
    /// value is always there), `None` when it does not decode into `T`.
    pub fn path_object<T: DeserializeOwned>(
        &mut self,
        (segment, name): (usize, &str),
        (prefix, suffix): (&str, &str),
        (style, explode): (Style, bool),
    ) -> Option<Option<T>> {
        let raw = self.raw_segment(segment).to_owned();
        let Some(text) = strip_literals(&raw, prefix, suffix) else {
            self.not_found = true;
            self.problem(
                Location::Path,
                name,
                format!("expected a segment of the form {prefix}{{{name}}}{suffix}"),
            );
            return None;
        };
        let read = style::read_path_object(name, style, explode, &text);
        self.settled(Location::Path, name, read.map(Some))
    }

    /// Reads the header `name`, an object of scalars (`style: simple`): keys and values
    /// alternating (`R,100,G,200`), or exploded (`R=100,G=200`), possibly over several
    /// lines. `Some(None)` when absent, `None` when it does not decode into `T`.
    pub fn header_object<T: DeserializeOwned>(
        &mut self,
        name: &str,
        explode: bool,
    ) -> Option<Option<T>> {
        let values = self.parts.headers.get_all(name);
        if values.iter().next().is_none() {
            return Some(None);
        }
        let read = values
            .iter()
            .map(HeaderValue::to_str)
            .collect::<Result<Vec<&str>, _>>()
            .map_err(|_| "not visible ASCII text".to_owned())
            .and_then(|texts| style::read_header_object(name, explode, texts));
        self.settled(Location::Header, name, read.map(Some))
    }

    /// Reads the parameter `name` described by `content: application/json` from the
    /// query, a header or a cookie (`location`): its text, read as JSON into `T`.
    /// `Some(None)` when absent, `None` when it is malformed (not JSON, or not a `T`).
    pub fn json_param<T: DeserializeOwned>(
        &mut self,
        location: Location,
        name: &str,
    ) -> Option<Option<T>> {
        let text = match location {
            Location::Header => self.read_header::<String>(name),
            Location::Cookie => self.read_cookie::<String>(name),
            _ => self.read_query::<String>(name),
        }?;
        let Some(text) = text else {
            return Some(None);
        };
        self.read_json(location, name, &text)
    }

    /// Reads the path parameter `name` described by `content: application/json`, from
    /// the route capture `capture` (`prefix`, the value, then `suffix`): its decoded
    /// text, read as JSON into `T`.
    pub fn path_json<T: DeserializeOwned>(
        &mut self,
        capture: &str,
        name: &str,
        (prefix, suffix): (&str, &str),
    ) -> Option<Option<T>> {
        let text = self.read_path::<String>(capture, name, prefix, suffix)?;
        self.read_json(Location::Path, name, &text)
    }

    fn read_json<T: DeserializeOwned>(
        &mut self,
        location: Location,
        name: &str,
        text: &str,
    ) -> Option<Option<T>> {
        let read = serde_json::from_str(text)
            .map(Some)
            .map_err(|error| format!("invalid JSON: {error}"));
        self.settled(location, name, read)
    }

    /// What a reader of a serialized value read, its error recorded as a problem.
    fn settled<T>(
        &mut self,
        location: Location,
        name: &str,
        read: Result<Option<T>, String>,
    ) -> Option<Option<T>> {
        read.map_err(|message| self.problem(location, name, message))
            .ok()
    }

    /// The cookie `name` holding an array, its items comma-separated (`style: form`).
    pub fn cookie_list<F: Slot<Value = Vec<T>>, T: ParamValue>(
        &mut self,
        name: &str,
        rules: &Rules,
    ) -> Option<F>
    where
        Vec<T>: Check,
    {
        let read = self.read_cookie_list(name);
        self.settle(Location::Cookie, name, read, rules)
    }
}

/// The text of the raw path segment `raw` between the literal text `prefix` and
/// `suffix`, as written or percent-encoded.
fn strip_literals(raw: &str, prefix: &str, suffix: &str) -> Option<String> {
    let rest = raw
        .strip_prefix(prefix)
        .or_else(|| raw.strip_prefix(encode_path_value(prefix).as_str()))?;
    rest.strip_suffix(suffix)
        .or_else(|| rest.strip_suffix(encode_path_value(suffix).as_str()))
        .map(str::to_owned)
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
}
