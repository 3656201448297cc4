//! Streamed bodies: a body that is a sequence of items (OpenAPI 3.2's `itemSchema` of a
//! sequential media type), read and written one item at a time.
//!
//! - [`Items`]: the items of a streamed body, a [`Stream`]`<Item = Result<T,
//!   `[`Error`]`>>`: of a body being received (a client's response, a server's
//!   request), decoded as each one completes; of a body being sent (a server's
//!   response, a client's request), any stream of items, pulled only as the connection
//!   drains, so a slow reader holds its writer back rather than making it buffer;
//! - [`Codec`]: how items travel for each media type (see [`codec`]);
//! - [`Event`]: a Server-Sent Event, the item of `text/event-stream`.
//!
//! A `multipart/mixed` body's boundary travels in its `Content-Type`: a writer's
//! [`Encoded::content_type`] names the one it chose, and a reader is given the one it
//! received ([`Items::decode_with_content_type`]).
//!
//! The first item that does not decode ends the stream: it is yielded as an
//! [`Error::Item`] and nothing follows, since after a malformed item a reader cannot
//! tell whether the items after it are the ones the writer meant.

pub mod codec;
mod parts;

pub use codec::{Codec, Event};
pub use futures_core::Stream;

use bytes::Bytes;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The longest item a reader buffers (16 MiB): a line or event that goes on longer
/// ends the stream with an [`Error::Item`], so that a peer cannot make a reader hold an
/// unbounded amount of memory.
pub const MAX_ITEM: usize = 16 * 1024 * 1024;

/// Why a stream of items ended early.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The connection broke off (or the body could not be read) before the stream ended.
    #[error("the stream broke off after {items} items: {message}")]
    Transport {
        /// How many items were read before.
        items: usize,
        /// What the transport said.
        message: String,
    },
    /// An item does not decode as its type; the stream ends with it.
    #[error("item {index} of the stream does not decode: {message}; it starts with {snippet:?}")]
    Item {
        /// Its position, from 0.
        index: usize,
        /// What the decoder said.
        message: String,
        /// Its start.
        snippet: String,
    },
}

/// A boxed stream of byte chunks, as a body is received.
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, String>> + Send>>;

/// The items of a body being received, decoded as each one completes.
struct Decoder<T> {
    chunks: Chunks,
    codec: Codec<T>,
    /// Received bytes not yet part of a whole item.
    buffer: Vec<u8>,
    /// How far `buffer` has been searched for the end of an item.
    searched: usize,
    /// How many items were yielded.
    index: usize,
    /// Whether the stream ended (an error or the end of the body).
    done: bool,
    /// Whether the body has no more bytes.
    drained: bool,
    /// Of a multipart body, the reader of its parts: `None` when its `Content-Type`
    /// names no boundary.
    parts: Option<parts::Parts>,
}

impl<T: 'static> Items<T> {
    /// Decodes the items of a body arriving as `chunks` of bytes with `codec`.
    pub fn decode<S, E>(chunks: S, codec: Codec<T>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: std::fmt::Display + 'static,
    {
        Items::decode_with_error_text(chunks, codec, |error| error.to_string())
    }

    /// The same, of a body that came with `content_type` (which names a multipart
    /// body's boundary), with `text` saying what a transport error is (to leave out
    /// what must not be shown, such as a URL with credentials). A multipart body
    /// whose boundary is not named yields one error item.
    pub fn decode_with_content_type<S, E>(
        chunks: S,
        codec: Codec<T>,
        content_type: Option<&str>,
        text: fn(E) -> String,
    ) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: 'static,
    {
        Items::from_results(Decoder {
            chunks: Box::pin(MapErr(Box::pin(chunks), text)),
            codec,
            buffer: Vec::new(),
            searched: 0,
            index: 0,
            done: false,
            drained: false,
            parts: content_type
                .and_then(crate::media::boundary)
                .map(|boundary| parts::Parts::new(&boundary)),
        })
    }

    /// The same, with `text` saying what a transport error is (to leave out what must
    /// not be shown, such as a URL with credentials).
    pub fn decode_with_error_text<S, E>(chunks: S, codec: Codec<T>, text: fn(E) -> String) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: 'static,
    {
        Items::decode_with_content_type(chunks, codec, None, text)
    }
}

impl<T> Decoder<T> {
    /// The next whole item in the buffer, if any (at the end of the body, what is left).
    fn take_item(&mut self) -> Option<Result<T, Error>> {
        loop {
            let frame = if self.codec.framing == codec::Framing::Parts {
                let split = match &mut self.parts {
                    Some(parts) => parts.split(&mut self.buffer, &mut self.searched, self.drained),
                    None => Some(Err(
                        "the body's Content-Type names no multipart boundary".to_owned()
                    )),
                };
                match split? {
                    Ok(part) => part,
                    Err(message) => {
                        self.done = true;
                        return Some(Err(Error::Item {
                            index: self.index,
                            message,
                            snippet: snippet(&self.buffer),
                        }));
                    }
                }
            } else {
                self.codec
                    .framing
                    .split(&mut self.buffer, &mut self.searched, self.drained)?
            };
            // Frames that hold no item (blank lines, comments, events without data)
            // are skipped.
            let Some(decoded) = (self.codec.decode)(&frame) else {
                continue;
            };
            let index = self.index;
            self.index += 1;
            return Some(decoded.map_err(|message| {
                self.done = true;
                Error::Item {
                    index,
                    message,
                    snippet: snippet(&frame),
                }
            }));
        }
    }
}

impl<T> Unpin for Decoder<T> {}

impl<T> Stream for Decoder<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(item) = this.take_item() {
                return Poll::Ready(Some(item));
            }
            if this.drained {
                this.done = true;
                return Poll::Ready(None);
            }
            if this.buffer.len() > MAX_ITEM {
                this.done = true;
                return Poll::Ready(Some(Err(Error::Item {
                    index: this.index,
                    message: format!("it is longer than {MAX_ITEM} bytes"),
                    snippet: snippet(&this.buffer),
                })));
            }
            match this.chunks.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.buffer.extend_from_slice(&chunk),
                Poll::Ready(Some(Err(message))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::Transport {
                        items: this.index,
                        message,
                    })));
                }
                Poll::Ready(None) => this.drained = true,
            }
        }
    }
}

/// The start of a malformed item, for messages.
fn snippet(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(120).collect()
}

/// A stream of chunks with its error turned into text (boxed, so that it is `Unpin`).
struct MapErr<S, E>(Pin<Box<S>>, fn(E) -> String);

impl<S, E> Stream for MapErr<S, E>
where
    S: Stream<Item = Result<Bytes, E>>,
{
    type Item = Result<Bytes, String>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let text = self.1;
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(text)))
    }
}

/// The items of a streamed body, in order: those a body being received holds, decoded as
/// each one completes ([`Items::decode`]), or those a service or caller gives to send
/// ([`Items::new`], [`Items::iter`]), pulled one at a time as the connection takes the
/// bytes of the ones before.
pub struct Items<T>(Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>);

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

impl<T: 'static> Items<T> {
    /// The items `stream` yields, in order.
    pub fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        Items::from_results(Oks(Box::pin(stream)))
    }

    /// The items of `items`, in order (a stream whose items are all known).
    pub fn iter<I>(items: I) -> Self
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'static,
    {
        Items::new(Iter(items.into_iter()))
    }

    /// The items and errors `stream` yields (the items of another stream, passed on):
    /// an error, when sent, ends the body.
    pub fn from_results(stream: impl Stream<Item = Result<T, Error>> + Send + 'static) -> Self {
        Items(Box::pin(stream))
    }

    /// The next item: `None` once the stream has ended (what `StreamExt::next` does,
    /// without a crate of stream combinators).
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.0.as_mut().poll_next(cx)).await
    }

    /// The bytes of the body: each item encoded with `codec` as it is pulled. An item
    /// that does not encode (a map with keys that are not strings), or an error among
    /// the items, ends the body with an error, which breaks the connection off: the
    /// reader sees a broken stream rather than a shorter one that looks whole.
    pub fn encode(self, codec: Codec<T>) -> Encoded<T> {
        Encoded {
            items: self,
            codec,
            index: 0,
            boundary: (codec.framing == codec::Framing::Parts).then(parts::new_boundary),
            closed: false,
        }
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl<T: Send + 'static> From<Vec<T>> for Items<T> {
    fn from(items: Vec<T>) -> Self {
        Items::iter(items)
    }
}

/// The items of a stream that yields no errors.
struct Oks<S>(Pin<Box<S>>);

impl<S: Stream> Stream for Oks<S> {
    type Item = Result<S::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx).map(|item| item.map(Ok))
    }
}

/// The stream of an iterator.
struct Iter<I>(I);

// The iterator is never pinned: it is only ever reached through `&mut`.
impl<I> Unpin for Iter<I> {}

impl<I: Iterator> Stream for Iter<I> {
    type Item = I::Item;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.get_mut().0.next())
    }
}

/// The bytes of [`Items`] being sent, one chunk per item (see [`Items::encode`]).
pub struct Encoded<T> {
    items: Items<T>,
    codec: Codec<T>,
    index: usize,
    /// Of a multipart body, the boundary between its parts.
    boundary: Option<String>,
    /// Whether a multipart body's closing delimiter was written.
    closed: bool,
}

impl<T> Encoded<T> {
    /// The `Content-Type` of the body: `media`, with the boundary of a multipart body
    /// (`multipart/mixed; boundary=...`).
    pub fn content_type(&self, media: &str) -> String {
        match &self.boundary {
            Some(boundary) => format!("{media}; boundary={boundary}"),
            None => media.to_owned(),
        }
    }
}

impl<T> std::fmt::Debug for Encoded<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoded")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl<T> Unpin for Encoded<T> {}

impl<T> Stream for Encoded<T> {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Poll::Ready(item) = Pin::new(&mut this.items).poll_next(cx) else {
            return Poll::Pending;
        };
        let item = match item {
            None => {
                // The closing delimiter, or the rest of it after the last part.
                let close = match &this.boundary {
                    Some(boundary) if !this.closed && this.index == 0 => {
                        format!("--{boundary}--\r\n")
                    }
                    Some(_) if !this.closed => "--\r\n".to_owned(),
                    _ => return Poll::Ready(None),
                };
                this.closed = true;
                return Poll::Ready(Some(Ok(Bytes::from(close))));
            }
            Some(Err(error)) => return Poll::Ready(Some(Err(error))),
            Some(Ok(item)) => item,
        };
        let index = this.index;
        this.index += 1;
        let encoded = (this.codec.encode)(&item).map(|bytes| match &this.boundary {
            // A part with the line break and boundary of the delimiter after it, so
            // that a reader has it whole now rather than with the next one (the rest of
            // that delimiter, a line break or the closing `--`, comes with what follows).
            // Compact JSON holds no line break, so no delimiter can occur in it.
            Some(boundary) => {
                let opening = if index == 0 {
                    format!("--{boundary}")
                } else {
                    String::new()
                };
                let mut part =
                    format!("{opening}\r\nContent-Type: application/json\r\n\r\n").into_bytes();
                part.extend_from_slice(&bytes);
                part.extend_from_slice(format!("\r\n--{boundary}").as_bytes());
                Bytes::from(part)
            }
            None => bytes,
        });
        Poll::Ready(Some(encoded.map_err(|message| Error::Item {
            index,
            message,
            snippet: String::new(),
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// Every item of `body` cut into chunks of `size` bytes, decoded with `codec`
    /// (the chunks are all there, so the stream never waits).
    fn decoded<T: 'static>(body: &[u8], size: usize, codec: Codec<T>) -> Vec<Result<T, String>> {
        let chunks: Vec<Result<Bytes, String>> = body
            .chunks(size)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        let mut items = Items::decode(Iter(chunks.into_iter()), codec);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut all = Vec::new();
        while let Poll::Ready(Some(item)) = Pin::new(&mut items).poll_next(&mut cx) {
            all.push(item.map_err(|error| error.to_string()));
        }
        all
    }

    #[test]
    fn items_split_anywhere_across_chunks_are_read_whole() {
        let lines = b"{\"a\":1}\r\n\n{\"a\":2}\n{\"a\":3}";
        let seq = b"\x1e{\"a\":1}\n\x1e{\"a\":\n2}\n";
        let events =
            b": hi\r\nevent: x\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\nid: 7\rdata: {\"a\":2}\r\rdata: {\"a\":3}";
        for size in 1..8 {
            let values = |items: Vec<Result<Value, String>>| -> Vec<Value> {
                items.into_iter().map(Result::unwrap).collect()
            };
            assert_eq!(
                values(decoded(lines, size, Codec::json_lines())),
                [json!({"a": 1}), json!({"a": 2}), json!({"a": 3})],
                "the last line needs no line feed"
            );
            assert_eq!(
                values(decoded(seq, size, Codec::json_seq())),
                [json!({"a": 1}), json!({"a": 2})]
            );
            let events: Vec<Event<Value>> = decoded(events, size, Codec::events())
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert_eq!(
                events,
                [
                    Event::new(json!({"a": 1})).with_event("x"),
                    Event::new(json!({"a": 2})).with_id("7"),
                ],
                "an event the stream ends in the middle of is dropped (size {size})"
            );
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        let sent = vec![
            Event::new("two\nlines".to_owned()).with_event("note"),
            Event::new(String::new()).with_id("2"),
        ];
        let codec = Codec::text_events();
        let mut body = Vec::new();
        for event in &sent {
            body.extend_from_slice(&(codec.encode)(event).unwrap());
        }
        assert_eq!(
            String::from_utf8(body.clone()).unwrap(),
            "event: note\ndata: two\ndata: lines\n\nid: 2\ndata: \n\n"
        );
        let read: Vec<Event<String>> = decoded(&body, 3, codec)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(read, sent);
        let bad = Event::new(String::new()).with_event("a\nb");
        assert!(
            (codec.encode)(&bad).is_err(),
            "a line break would end the event early"
        );
    }

    /// Every item of the multipart `body` between `boundary` delimiters cut into chunks
    /// of `size` bytes.
    fn parts(body: &[u8], size: usize) -> Vec<Result<Value, String>> {
        let chunks: Vec<Result<Bytes, String>> = body
            .chunks(size)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        let mut items = Items::decode_with_content_type(
            Iter(chunks.into_iter()),
            Codec::mixed(),
            Some("multipart/mixed; boundary=\"b-1\""),
            |error: String| error,
        );
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut all = Vec::new();
        while let Poll::Ready(Some(item)) = Pin::new(&mut items).poll_next(&mut cx) {
            all.push(item.map_err(|error| error.to_string()));
        }
        all
    }

    #[test]
    fn parts_split_anywhere_across_chunks_are_read_whole() {
        let body = b"preamble\r\n--b-1 \r\nContent-Type: application/json\r\n\r\n{\"a\":\"--b-12\"}\r\n--b-1\r\n\r\n[1,\r\n2]\r\n--b-1\r\ncontent-type: application/problem+json\r\nX-Note: y\r\n\r\n3\r\n--b-1--\r\nepilogue";
        for size in 1..body.len() {
            let items: Vec<Value> = parts(body, size).into_iter().map(Result::unwrap).collect();
            assert_eq!(
                items,
                [json!({"a": "--b-12"}), json!([1, 2]), json!(3)],
                "size {size}"
            );
        }
    }

    #[test]
    fn what_is_written_as_parts_reads_back() {
        let sent = vec![json!({"a": "x\r\n--y"}), json!([]), json!(null)];
        let mut encoded = Items::iter(sent.clone()).encode(Codec::mixed());
        let content_type = encoded.content_type("multipart/mixed");
        let boundary = crate::media::boundary(&content_type).expect("a boundary");
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut body = Vec::new();
        let mut chunks = 0;
        while let Poll::Ready(Some(chunk)) = Pin::new(&mut encoded).poll_next(&mut cx) {
            let chunk = chunk.unwrap();
            chunks += 1;
            if chunks <= sent.len() {
                assert!(
                    chunk.ends_with(format!("\r\n--{boundary}").as_bytes()),
                    "each part's chunk holds what tells a reader it is whole"
                );
            }
            body.extend_from_slice(&chunk);
        }
        assert_eq!(chunks, sent.len() + 1);
        let text = String::from_utf8(body.clone()).unwrap();
        assert!(
            text.starts_with(&format!(
                "--{boundary}\r\nContent-Type: application/json\r\n\r\n{{\"a\":\"x\\r\\n--y\"}}\r\n"
            )),
            "{text}"
        );
        assert!(text.ends_with(&format!("\r\n--{boundary}--\r\n")), "{text}");
        let chunks: Vec<Result<Bytes, String>> = vec![Ok(body.into())];
        let mut items = Items::decode_with_content_type(
            Iter(chunks.into_iter()),
            Codec::<Value>::mixed(),
            Some(&content_type),
            |error: String| error,
        );
        let mut read = Vec::new();
        while let Poll::Ready(Some(item)) = Pin::new(&mut items).poll_next(&mut cx) {
            read.push(item.unwrap());
        }
        assert_eq!(read, sent);
    }

    #[test]
    fn a_malformed_or_unfinished_multipart_body_ends_in_an_error() {
        let error = |body: &[u8]| {
            let mut items = parts(body, 3);
            let last = items.pop().expect("an item").expect_err("an error");
            (items.len(), last)
        };
        let (before, last) =
            error(b"--b-1\r\n\r\n1\r\n--b-1\r\n\r\n{oops\r\n--b-1\r\n\r\n3\r\n--b-1--");
        assert_eq!(
            before, 1,
            "the item before the malformed one is read: {last}"
        );
        assert!(last.contains("item 1"), "{last}");
        let (_, last) = error(b"--b-1\r\nContent-Type: text/plain\r\n\r\n1\r\n--b-1--");
        assert!(last.contains("not JSON"), "{last}");
        let (before, last) = error(b"--b-1\r\n\r\n1\r\n--b-1\r\n\r\n2");
        assert_eq!(before, 1);
        assert!(
            last.contains("closing delimiter"),
            "a body broken off is no shorter one: {last}"
        );
        let (_, last) = error(b"--b-1\r\nno header\r\n--b-1--");
        assert!(last.contains("blank line"), "{last}");
        let (before, last) = error(b"--b-1\r\n\r\n1\r\n--b-1x\r\n\r\n2\r\n--b-1--");
        assert_eq!(before, 1);
        assert!(last.contains("neither a line break nor `--`"), "{last}");
        let (_, last) = error(b"{}");
        assert!(last.contains("no delimiter"), "{last}");
        let chunks: Vec<Result<Bytes, String>> = vec![Ok(Bytes::from_static(b"--b-1--"))];
        let mut items = Items::decode(Iter(chunks.into_iter()), Codec::<Value>::mixed());
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let Poll::Ready(Some(Err(error))) = Pin::new(&mut items).poll_next(&mut cx) else {
            panic!("an error item");
        };
        assert!(
            error.to_string().contains("no multipart boundary"),
            "{error}"
        );
    }

    #[test]
    fn an_item_that_never_ends_is_refused_past_the_limit() {
        let long = vec![b'x'; MAX_ITEM + 2];
        let items = decoded(&long, 1 << 20, Codec::<Value>::json_lines());
        assert_eq!(items.len(), 1);
        assert!(
            items[0].as_ref().unwrap_err().contains("longer than"),
            "{items:?}"
        );
        let mut part = b"--b-1\r\n\r\n".to_vec();
        part.resize(MAX_ITEM + 16, b' ');
        let items = parts(&part, 1 << 20);
        assert_eq!(items.len(), 1, "a part that never ends is refused too");
        assert!(
            items[0].as_ref().unwrap_err().contains("longer than"),
            "{items:?}"
        );
    }
}
