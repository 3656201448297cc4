//! What generated axum routers are made of.
//!
//! Every operation is served by [`handle`] (`router`): it traces the request, reads its
//! body, and refuses it or calls the service. A generated crate gives it, per operation,
//! how credentials, parameters and body are extracted: each read through an [`Input`]
//! (`input`, `body`), which records a [`Problem`] for each value that is missing,
//! malformed or breaks a constraint instead of stopping at the first, so a client learns
//! about all of them in one answer. Problems become a [`Rejection`] (`rejection`) that
//! the service trait answers (by default with an RFC 9457 `application/problem+json`
//! body); an [`Answer`] (`response`) writes a response's status, body and documented
//! headers.

mod body;
mod document;
mod guard;
mod input;
mod rejection;
mod response;
mod router;

pub use document::document_router;
pub use input::{Input, Slot};
pub use rejection::{Location, Problem, Rejection};
pub use response::{
    Answer, binary_response, empty_response, json_response, stream_response, text_response,
    with_allow,
};
pub use router::{
    BodyRead, Handled, Handler, State, carries, finish, fits, handle, methods, methods_of,
    methods_with, mount, no_credentials, not_found,
};

/// How a generated router serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The largest request body read, in bytes (2 MiB by default); a larger one is
    /// refused with 413 Payload Too Large, whether it declares its `Content-Length` or
    /// arrives in chunks. A body that stops arriving before its end (the client closes
    /// or resets the connection) is refused with 400 Bad Request: an answer the client
    /// reads when it only closed its sending side, and that `reject` sees in any case.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: 2 * 1024 * 1024,
        }
    }
}

/// What every handler of a generated router shares: the service, how it refuses, the
/// config and the document's operations.
#[derive(Debug)]
pub struct Shared<S> {
    /// The service the handlers call.
    pub service: S,
    /// The service's answer to a refused request (its trait's `reject`).
    pub reject: fn(&S, Rejection) -> axum::response::Response,
    /// How the router serves.
    pub config: Config,
    /// Every operation of the document, as rejections and spans name them.
    pub operations: &'static [Operation],
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
