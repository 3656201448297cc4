//! Reading a response: its status, documented headers and body.

use super::error::{Error, MAX_ERROR_BODY, snippet, transport};
use crate::param::ParamValue;
use crate::stream::{Codec, Items};
use crate::style;
use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use serde::de::DeserializeOwned;

/// A response not yet decoded.
pub struct Response {
    pub(super) operation: &'static str,
    pub(super) inner: reqwest::Response,
    /// The names of the query parameters that carried credentials.
    pub(super) secret_query: Vec<String>,
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

    /// The items of a streamed body (OpenAPI 3.2 `itemSchema`), decoded with `codec` as
    /// each one arrives: nothing is read before the caller polls the stream. A transport
    /// error or a malformed item ends the stream with an [`crate::stream::Error`].
    pub async fn items<T: 'static, E>(self, codec: Codec<T>) -> Result<Items<T>, Error<E>> {
        // A multipart body's boundary is in its Content-Type.
        let content_type = self
            .inner
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        Ok(Items::decode_with_content_type(
            self.inner.bytes_stream(),
            codec,
            content_type.as_deref(),
            |error: reqwest::Error| error.without_url().to_string(),
        ))
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

    /// The documented error response whose JSON body `variant` (of the operation's
    /// error enum) holds.
    pub async fn json_error<T: DeserializeOwned, S, E>(
        self,
        variant: impl FnOnce(T) -> E,
    ) -> Result<S, Error<E>> {
        let body = self.json().await?;
        Err(Error::Api(variant(body)))
    }

    /// The documented error response whose text body `variant` holds.
    pub async fn text_error<S, E>(self, variant: impl FnOnce(String) -> E) -> Result<S, Error<E>> {
        let body = self.text().await?;
        Err(Error::Api(variant(body)))
    }

    /// The documented error response whose body of bytes `variant` holds.
    pub async fn bytes_error<S, E>(self, variant: impl FnOnce(Bytes) -> E) -> Result<S, Error<E>> {
        let body = self.bytes().await?;
        Err(Error::Api(variant(body)))
    }

    /// The documented error response `error`, without a body.
    pub async fn empty_error<S, E>(self, error: E) -> Result<S, Error<E>> {
        self.empty().await?;
        Err(Error::Api(error))
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
