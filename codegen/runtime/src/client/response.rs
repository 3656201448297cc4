//! Reading a response: its status, documented headers and body.
//!
//! A generated method hands [`Call::send_then`](super::Call::send_then) one plain
//! closure that matches the status and says how that response is read: its body as
//! JSON, text or bytes ([`Response::json`], [`Response::buffered`], …), its items as
//! they come ([`Response::streamed`]), or as an undocumented answer
//! ([`Response::unexpected`]). The reading itself, the only part that waits, is this
//! module's, written once: so a method is not a state machine of its own, which keeps
//! a crate of a thousand operations cheap to compile.

use super::error::{Error, MAX_ERROR_BODY, snippet, transport};
use crate::param::ParamValue;
use crate::stream::{Codec, Items};
use crate::style;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;

/// A response not yet decoded.
pub struct Response {
    pub(super) operation: &'static str,
    pub(super) inner: reqwest::Response,
    /// The names of the query parameters that carried credentials.
    pub(super) secret_query: Vec<String>,
}

/// A response whose body has been read whole: what a [`Response::buffered`] closure
/// decodes.
pub struct Answer {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// How one response is read, as the status it came with says: made by [`Response`]'s
/// methods, carried out by [`Call::send_then`](super::Call::send_then).
#[must_use = "a response is read only when the call's future is awaited"]
pub struct Decode<T, E>(Step<T, E>);

/// The function that makes a method's result of a body read whole. Boxed so that every
/// documented status of an operation reads the same way; a closure that captures
/// nothing (most do) is boxed without allocating.
type Finish<T, E> = Box<dyn FnOnce(Answer) -> Result<T, Error<E>> + Send>;

enum Step<T, E> {
    /// Read the whole body, then finish.
    Buffered(Response, Finish<T, E>),
    /// Decided without reading more (a stream's items are read as they are polled).
    Ready(Result<T, Error<E>>),
    /// A status the operation does not document.
    Unexpected(Response),
}

impl<T, E> Decode<T, E> {
    /// Reads the response as decided: the only step of a call, after sending, that waits.
    pub(super) async fn read(self) -> Result<T, Error<E>> {
        match self.0 {
            Step::Buffered(response, finish) => {
                let Response {
                    operation,
                    mut inner,
                    secret_query,
                } = response;
                let status = inner.status();
                let headers = std::mem::take(inner.headers_mut());
                let body = inner
                    .bytes()
                    .await
                    .map_err(|source| transport(operation, source, &secret_query))?;
                finish(Answer {
                    operation,
                    status,
                    headers,
                    body,
                })
            }
            Step::Ready(result) => result,
            Step::Unexpected(response) => Err(response.unexpected_error().await),
        }
    }
}

/// What a documented response header is read from: the documented headers are read
/// from a [`Response`] (streamed) or an [`Answer`] (read whole) alike.
struct Head<'a> {
    operation: &'static str,
    status: StatusCode,
    headers: &'a HeaderMap,
}

#[allow(
    clippy::result_large_err,
    reason = "the error is the call's own `Error`; it is built once, on a failure"
)]
impl Head<'_> {
    fn header<T: ParamValue, E>(&self, name: &'static str) -> Result<Option<T>, Error<E>> {
        let Some(value) = self.headers.get(name) else {
            return Ok(None);
        };
        let text = value
            .to_str()
            .map_err(|_| self.error(name, "is not visible ASCII text".to_owned()))?;
        T::from_param(text).map(Some).map_err(|error| {
            self.error(name, format!("does not read: expected {}", error.expected))
        })
    }

    fn header_list<T: ParamValue, E>(
        &self,
        name: &'static str,
    ) -> Result<Option<Vec<T>>, Error<E>> {
        let values = self.headers.get_all(name);
        if values.iter().next().is_none() {
            return Ok(None);
        }
        let texts = values
            .iter()
            .map(HeaderValue::to_str)
            .collect::<Result<Vec<&str>, _>>()
            .map_err(|_| self.error(name, "is not visible ASCII text".to_owned()))?;
        style::read_header(texts)
            .iter()
            .map(|item| T::from_param(item))
            .collect::<Result<Vec<T>, _>>()
            .map(Some)
            .map_err(|error| {
                self.error(
                    name,
                    format!("does not read: an item is not {}", error.expected),
                )
            })
    }

    fn required<T, E>(&self, name: &'static str, value: Option<T>) -> Result<T, Error<E>> {
        value.ok_or_else(|| {
            self.error(
                name,
                "is missing, though the document requires it".to_owned(),
            )
        })
    }

    fn error<E>(&self, name: &'static str, message: String) -> Error<E> {
        Error::Header {
            operation: self.operation,
            status: self.status,
            name,
            message,
        }
    }
}

/// The readers of documented response headers, the same on a [`Response`] and an
/// [`Answer`].
macro_rules! header_readers {
    () => {
        /// Reads the response header `name` (`None` when absent). Of a header sent
        /// several times, the first is read.
        pub fn header<T: ParamValue, E>(&self, name: &'static str) -> Result<Option<T>, Error<E>> {
            self.head().header(name)
        }

        /// Reads the response header `name`, which the document says every such
        /// response carries: its absence is an [`Error::Header`].
        pub fn required_header<T: ParamValue, E>(&self, name: &'static str) -> Result<T, Error<E>> {
            let head = self.head();
            let value = head.header(name)?;
            head.required(name, value)
        }

        /// Reads the response header `name` holding an array (`style: simple`,
        /// `a,b,c`, possibly over several lines); `None` when absent.
        pub fn header_list<T: ParamValue, E>(
            &self,
            name: &'static str,
        ) -> Result<Option<Vec<T>>, Error<E>> {
            self.head().header_list(name)
        }

        /// The same for a header the document requires.
        pub fn required_header_list<T: ParamValue, E>(
            &self,
            name: &'static str,
        ) -> Result<Vec<T>, Error<E>> {
            let head = self.head();
            let value = head.header_list(name)?;
            head.required(name, value)
        }
    };
}

#[allow(
    clippy::result_large_err,
    reason = "the error is the call's own `Error`, as every other step of a call returns; it is built once, on a failure"
)]
impl Response {
    header_readers!();

    fn head(&self) -> Head<'_> {
        Head {
            operation: self.operation,
            status: self.inner.status(),
            headers: self.inner.headers(),
        }
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// Reads the whole body, then makes the result of it with `finish`.
    pub fn buffered<T, E>(
        self,
        finish: impl FnOnce(Answer) -> Result<T, Error<E>> + Send + 'static,
    ) -> Decode<T, E> {
        Decode(Step::Buffered(self, Box::new(finish)))
    }

    /// Makes the result of the response as it is, without reading its body: `finish`
    /// takes its documented headers and its [`items`](Self::items).
    pub fn streamed<T, E>(self, finish: impl FnOnce(Self) -> Result<T, Error<E>>) -> Decode<T, E> {
        Decode(Step::Ready(finish(self)))
    }

    /// The body, decoded as JSON into `T`.
    pub fn json<T: DeserializeOwned, E>(self) -> Decode<T, E> {
        self.buffered(|answer| answer.json())
    }

    /// The body as text.
    pub fn text<E>(self) -> Decode<String, E> {
        self.buffered(|answer| answer.text())
    }

    /// The body as bytes.
    pub fn bytes<E>(self) -> Decode<Bytes, E> {
        self.buffered(|answer| answer.bytes())
    }

    /// Nothing: the body of a response documented without one is read and dropped.
    pub fn empty<E>(self) -> Decode<(), E> {
        self.buffered(|_| Ok(()))
    }

    /// The body's items, decoded with `codec` as they come (see [`items`](Self::items)).
    pub fn stream<T: 'static, E>(self, codec: Codec<T>) -> Decode<Items<T>, E> {
        Decode(Step::Ready(Ok(self.items(codec))))
    }

    /// The documented error response whose JSON body `variant` (of the operation's
    /// error enum) holds.
    pub fn json_error<B: DeserializeOwned, S, E>(
        self,
        variant: impl FnOnce(B) -> E + Send + 'static,
    ) -> Decode<S, E> {
        self.buffered(|answer| Err(Error::Api(variant(answer.json()?))))
    }

    /// The documented error response whose text body `variant` holds.
    pub fn text_error<S, E>(
        self,
        variant: impl FnOnce(String) -> E + Send + 'static,
    ) -> Decode<S, E> {
        self.buffered(|answer| Err(Error::Api(variant(answer.text()?))))
    }

    /// The documented error response whose body of bytes `variant` holds.
    pub fn bytes_error<S, E>(
        self,
        variant: impl FnOnce(Bytes) -> E + Send + 'static,
    ) -> Decode<S, E> {
        self.buffered(|answer| Err(Error::Api(variant(answer.bytes()?))))
    }

    /// The documented error response `error`, without a body.
    pub fn empty_error<S, E: Send + 'static>(self, error: E) -> Decode<S, E> {
        self.buffered(|_| Err(Error::Api(error)))
    }

    /// The error for a status the operation does not document (see
    /// [`Error::UnexpectedStatus`]).
    pub fn unexpected<S, E>(self) -> Decode<S, E> {
        Decode(Step::Unexpected(self))
    }

    /// The items of a streamed body (OpenAPI 3.2 `itemSchema`), decoded with `codec` as
    /// each one arrives: nothing is read before the caller polls the stream. A transport
    /// error or a malformed item ends the stream with an [`crate::stream::Error`].
    pub fn items<T: 'static>(self, codec: Codec<T>) -> Items<T> {
        // A multipart body's boundary is in its Content-Type.
        let content_type = self
            .inner
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        Items::decode_with_content_type(
            self.inner.bytes_stream(),
            codec,
            content_type.as_deref(),
            |error: reqwest::Error| error.without_url().to_string(),
        )
    }

    /// The error for an undocumented status, with the headers and the first
    /// [`MAX_ERROR_BODY`] bytes of the body (the rest is not read, so a huge answer
    /// costs no more memory than that).
    async fn unexpected_error<E>(mut self) -> Error<E> {
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

#[allow(
    clippy::result_large_err,
    reason = "the error is the call's own `Error`; it is built once, on a failure"
)]
impl Answer {
    header_readers!();

    fn head(&self) -> Head<'_> {
        Head {
            operation: self.operation,
            status: self.status,
            headers: &self.headers,
        }
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body, decoded as JSON into `T`.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|error| Error::Decode {
            operation: self.operation,
            status: self.status,
            message: error.to_string(),
            snippet: snippet(&self.body),
        })
    }

    /// The body as text (a sequence that is not UTF-8 reads as U+FFFD).
    pub fn text<E>(&self) -> Result<String, Error<E>> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body as bytes.
    pub fn bytes<E>(&self) -> Result<Bytes, Error<E>> {
        Ok(self.body.clone())
    }
}
