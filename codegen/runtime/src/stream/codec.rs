//! How the items of a streamed body travel, by media type:
//!
//! - `application/jsonl`, `application/x-ndjson` ([`Codec::json_lines`]): one JSON text
//!   per line; blank lines are skipped;
//! - `application/json-seq` ([`Codec::json_seq`], RFC 7464): each JSON text after a
//!   record separator (`0x1E`) and before a line feed;
//! - `text/event-stream` ([`Codec::events`], [`Codec::text_events`]): Server-Sent
//!   Events as the WHATWG HTML standard reads them (§9.2.6): `field: value` lines, an
//!   event ending at a blank line, comments (`:`) and events without `data` skipped, an
//!   event the stream ends in the middle of dropped;
//! - `multipart/mixed` ([`Codec::mixed`], RFC 2046 §5.1): a part per item, of
//!   `Content-Type: application/json`, between delimiters of a boundary the writer
//!   chooses and names in the body's `Content-Type` (`multipart/mixed; boundary=...`);
//!   a reader takes a part once its closing delimiter arrives, and a body that ends
//!   before the closing delimiter (`--BOUNDARY--`) is broken off.

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A Server-Sent Event: the item of a `text/event-stream` body (OpenAPI 3.2 describes
/// it by an `itemSchema` of `{event, data, id, retry}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Event<T> {
    /// Its `data`: the text of its `data` lines joined by line feeds, or, when the
    /// document gives `data` a schema other than a string, that text read as JSON.
    pub data: T,
    /// Its `event` type, if it names one (a browser's `EventSource` calls it `message`
    /// otherwise).
    pub event: Option<String>,
    /// Its own `id` line, if it has one.
    pub id: Option<String>,
    /// Its `retry` line: how many milliseconds a client waits before reconnecting.
    pub retry: Option<u64>,
}

impl<T> Event<T> {
    /// An event of `data` alone.
    pub fn new(data: T) -> Self {
        Event {
            data,
            event: None,
            id: None,
            retry: None,
        }
    }

    /// The same event with the type `event`.
    #[must_use]
    pub fn with_event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// The same event with the id `id`.
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// How a body is cut into the frames that hold one item each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    /// A frame per line (`\n`, or `\r\n`).
    Lines,
    /// A frame per record, each starting with `0x1E`.
    Records,
    /// A frame per Server-Sent Event: lines up to a blank one.
    Events,
    /// A frame per part of a multipart body, cut by a [`super::parts::Parts`] that
    /// knows the boundary, not by [`Framing::split`].
    Parts,
}

/// The record separator of `application/json-seq`.
const RS: u8 = 0x1E;

impl Framing {
    /// Takes the next whole frame off the front of `buffer`; `searched` is how far an
    /// earlier call found no end, and `eof` whether the body has ended (so what is left
    /// is the last frame, except of an event, which the end of a stream drops).
    pub(super) fn split(
        self,
        buffer: &mut Vec<u8>,
        searched: &mut usize,
        eof: bool,
    ) -> Option<Vec<u8>> {
        let end = match self {
            Framing::Lines => buffer[*searched..]
                .iter()
                .position(|&b| b == b'\n')
                .map(|i| (*searched + i, *searched + i + 1)),
            Framing::Records => buffer
                .iter()
                .skip(1)
                .skip((*searched).saturating_sub(1))
                .position(|&b| b == RS)
                .map(|i| {
                    let at = i + (*searched).max(1);
                    (at, at)
                }),
            Framing::Events => event_end(buffer, searched, eof),
            Framing::Parts => return None,
        };
        match end {
            Some((frame_end, next)) => {
                let mut frame: Vec<u8> = buffer.drain(..next).collect();
                frame.truncate(frame_end);
                *searched = 0;
                Some(frame)
            }
            None if eof
                && matches!(self, Framing::Lines | Framing::Records)
                && !buffer.is_empty() =>
            {
                *searched = 0;
                Some(std::mem::take(buffer))
            }
            None => {
                if self != Framing::Events {
                    *searched = buffer.len();
                }
                None
            }
        }
    }
}

/// Where the first event of `buffer` ends: the end of its lines and the start of what
/// follows its blank line. `searched` is the start of the first line not yet known to
/// be part of the event.
fn event_end(buffer: &[u8], searched: &mut usize, eof: bool) -> Option<(usize, usize)> {
    loop {
        let start = *searched;
        let i = start
            + buffer[start..]
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')?;
        let next = match buffer[i] {
            b'\r' if i + 1 == buffer.len() && !eof => return None,
            b'\r' if buffer.get(i + 1) == Some(&b'\n') => i + 2,
            _ => i + 1,
        };
        if i == start {
            return Some((start, next));
        }
        *searched = next;
    }
}

/// How the items of one streamed body are read and written.
pub struct Codec<T> {
    pub(super) framing: Framing,
    /// The item a frame holds: `None` for a frame that holds none (a blank line, a
    /// comment), the decoder's message for one that does not decode.
    pub(super) decode: fn(&[u8]) -> Option<Result<T, String>>,
    /// The bytes of an item.
    pub(super) encode: fn(&T) -> Result<Bytes, String>,
}

impl<T> Codec<T> {
    /// Whether items travel as the parts of a multipart body, whose `Content-Type`
    /// names their boundary.
    pub fn is_multipart(&self) -> bool {
        self.framing == Framing::Parts
    }
}

impl<T> Clone for Codec<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Codec<T> {}

impl<T> std::fmt::Debug for Codec<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Codec")
            .field("framing", &self.framing)
            .finish_non_exhaustive()
    }
}

impl<T: Serialize + DeserializeOwned> Codec<T> {
    /// JSON Lines (`application/jsonl`, `application/x-ndjson`).
    pub fn json_lines() -> Self {
        Codec {
            framing: Framing::Lines,
            decode: json_text,
            encode: |item| {
                let mut bytes = serde_json::to_vec(item).map_err(|e| e.to_string())?;
                bytes.push(b'\n');
                Ok(bytes.into())
            },
        }
    }

    /// JSON text sequences (`application/json-seq`, RFC 7464).
    pub fn json_seq() -> Self {
        Codec {
            framing: Framing::Records,
            decode: |frame| json_text(frame.strip_prefix(&[RS]).unwrap_or(frame)),
            encode: |item| {
                let mut bytes = vec![RS];
                serde_json::to_writer(&mut bytes, item).map_err(|e| e.to_string())?;
                bytes.push(b'\n');
                Ok(bytes.into())
            },
        }
    }
}

impl<T: Serialize + DeserializeOwned> Codec<T> {
    /// The parts of `multipart/mixed`, each one JSON item: the codec writes the JSON
    /// alone, and the body's writer puts it between delimiters.
    pub fn mixed() -> Self {
        Codec {
            framing: Framing::Parts,
            decode: |part| {
                let content = match super::parts::json_content(part) {
                    Ok(content) => content,
                    Err(message) => return Some(Err(message)),
                };
                Some(serde_json::from_slice(content).map_err(|error| error.to_string()))
            },
            encode: |item| Ok(serde_json::to_vec(item).map_err(|e| e.to_string())?.into()),
        }
    }
}

impl<T: Serialize + DeserializeOwned> Codec<Event<T>> {
    /// Server-Sent Events whose `data` is JSON of `T`.
    pub fn events() -> Self {
        Codec {
            framing: Framing::Events,
            decode: |frame| {
                let event = match read_event(frame)? {
                    Ok(event) => event,
                    Err(message) => return Some(Err(message)),
                };
                let data = serde_json::from_str(&event.data)
                    .map_err(|error| format!("its data is not the JSON expected: {error}"));
                Some(data.map(|data| Event {
                    data,
                    event: event.event,
                    id: event.id,
                    retry: event.retry,
                }))
            },
            encode: |event| {
                let data = serde_json::to_string(&event.data).map_err(|e| e.to_string())?;
                write_event(event, &data)
            },
        }
    }
}

impl Codec<Event<String>> {
    /// Server-Sent Events whose `data` is text.
    pub fn text_events() -> Self {
        Codec {
            framing: Framing::Events,
            decode: read_event,
            encode: |event| write_event(event, &event.data),
        }
    }
}

/// The JSON text of a line or record: `None` when it is blank.
fn json_text<T: DeserializeOwned>(frame: &[u8]) -> Option<Result<T, String>> {
    let text = frame.trim_ascii();
    if text.is_empty() {
        return None;
    }
    Some(serde_json::from_slice(text).map_err(|error| error.to_string()))
}

/// Reads the lines of one event; `None` for one without `data` (which a browser does not
/// dispatch either).
fn read_event(frame: &[u8]) -> Option<Result<Event<String>, String>> {
    let Ok(text) = std::str::from_utf8(frame) else {
        return Some(Err("it is not UTF-8 text".to_owned()));
    };
    let mut event = Event::<String>::default();
    let mut data: Option<String> = None;
    for line in text.split(['\n', '\r']).filter(|line| !line.is_empty()) {
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => event.event = Some(value.to_owned()),
            "data" => match &mut data {
                None => data = Some(value.to_owned()),
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
            },
            "id" if !value.contains('\0') => event.id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                event.retry = value.parse().ok();
            }
            // Unknown fields are ignored, as a browser does.
            _ => {}
        }
    }
    event.data = data?;
    Some(Ok(event))
}

/// The lines of `event` with `data` as its data text.
fn write_event<T>(event: &Event<T>, data: &str) -> Result<Bytes, String> {
    let mut out = String::new();
    for (field, value) in [("event", &event.event), ("id", &event.id)] {
        if let Some(value) = value {
            if value.contains(['\n', '\r']) {
                return Err(format!("its {field} holds a line break"));
            }
            out.push_str(field);
            out.push_str(": ");
            out.push_str(value);
            out.push('\n');
        }
    }
    if let Some(retry) = event.retry {
        out.push_str(&format!("retry: {retry}\n"));
    }
    for line in data.split("\r\n").flat_map(|line| line.split(['\n', '\r'])) {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    Ok(Bytes::from(out))
}
