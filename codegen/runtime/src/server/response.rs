//! Answers: a response's status, body and documented headers.

use super::rejection::{Rejection, status_code};
use crate::param::ParamValue;
use crate::stream::{Codec, Items};
use crate::style;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};
use serde::Serialize;

/// Serializes `body` as JSON with the status `code`.
pub fn json_response(code: u16, body: &impl Serialize) -> Response {
    let status = status_code(code);
    // Room for a typical answer up front: growing from nothing copies the body over and
    // over (axum's own `Json` starts at 128 bytes).
    let mut bytes = Vec::with_capacity(1024);
    match serde_json::to_writer(&mut bytes, body) {
        Ok(()) => (
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

/// An answer with the status `code` and a streamed body of media type `media`: each
/// of `items` written with `codec` as the connection takes the ones before (the
/// body pulls the next item only then, so a slow reader holds the service back rather
/// than making the server buffer the stream).
pub fn stream_response<T: 'static>(
    code: u16,
    media: &'static str,
    items: Items<T>,
    codec: Codec<T>,
) -> Response {
    let body = items.encode(codec);
    // The media type with a multipart body's boundary, which holds only letters,
    // digits and `-`.
    let content_type = HeaderValue::from_str(&body.content_type(media))
        .unwrap_or_else(|_| HeaderValue::from_static(media));
    (
        status_code(code),
        [
            (http::header::CONTENT_TYPE, content_type),
            // A proxy or cache that holds the body back would hold every event with it.
            (
                http::header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response()
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

/// Adds `Allow` to a 405 answer (RFC 9110 §15.5.6 requires it).
pub fn with_allow(mut response: Response, allow: &str) -> Response {
    // Method names are tokens: always a valid header value.
    if let Ok(allow) = HeaderValue::from_str(allow) {
        response.headers_mut().insert(http::header::ALLOW, allow);
    }
    response
}
