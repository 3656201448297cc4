//! The error a generated client method returns, and what it shows of a call.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// How many bytes of an undocumented answer's body an [`Error::UnexpectedStatus`] keeps.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// How many characters of a body an error message quotes.
const SNIPPET_CHARS: usize = 200;

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
pub(super) fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(SNIPPET_CHARS)
        .collect()
}

/// The error for a request that could not be sent or a response not read, with the
/// values of the credential query parameters `secret_query` replaced by `REDACTED` in
/// its URL, because `reqwest` shows the URL in its messages.
pub(super) fn transport<E>(
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
