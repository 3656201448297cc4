//! Why a request is refused before the service is called, and the default answer.

use super::Operation;
use super::response::json_response;
use crate::encoding::decode;
use axum::response::Response;
use http::{HeaderValue, StatusCode};
use serde::Serialize;

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

    /// A request whose body could not be read whole: the connection closed or failed
    /// before the body's end (400, as for any malformed request).
    pub fn unreadable_body(operation: Operation, error: &dyn std::fmt::Display) -> Self {
        Rejection {
            operation: Some(operation),
            status: StatusCode::BAD_REQUEST,
            problems: vec![Problem {
                location: Location::Body,
                name: String::new(),
                message: format!("the body could not be read whole: {error}"),
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
pub(super) fn status_code(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_with_an_empty_parameter_is_shaped_like_its_template() {
        assert!(shaped_like("/api/1/profile/{id}", "/api/1/profile/"));
        assert!(shaped_like("/users/xuid({xuid})", "/users/xuid()"));
        assert!(shaped_like("/users/xuid({xuid})", "/users/xuid%28%29"));
        assert!(!shaped_like("/users/xuid({xuid})", "/users/gamertag()"));
        assert!(!shaped_like("/api/1/profile/{id}", "/api/1/profile"));
    }
}
