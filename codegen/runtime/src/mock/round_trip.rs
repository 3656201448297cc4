//! The round trip of each crate's `mock::round_trip`: every operation called through the
//! generated client, with the document's examples as input, against the generated
//! server answering with the document's examples, and the answer compared with the
//! example the server sent.
//!
//! A report says, per operation, whether the example came back value for value
//! (`passed`), came back as the server sent it but not as the document wrote it,
//! because the Rust type does not keep everything the example holds (`lossy`, with the
//! first difference), or did not come back (`failed`, with a cause meant for grouping
//! and a detail). Inputs the document gives no example of are made up from their
//! schemas ([`super::sample`]); a report says so, since a made-up value may break a
//! `pattern` the real service would check too.

use super::{example_of, follow, sample::sample};
use crate::client::Error;
use crate::validate::push_token;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::cell::Cell;
use std::fmt::Debug;

/// How many characters of a detail a report keeps.
const DETAIL_CHARS: usize = 300;

/// The round trip of one operation: where its inputs come from, and its report.
pub struct Trip<'a> {
    document: &'a Value,
    operation: &'static str,
    path: &'static str,
    method: &'static str,
    made_up: Cell<bool>,
}

/// Why an operation did not come back: `cause` groups failures, `detail` tells this one.
#[derive(Debug)]
pub struct Failure {
    cause: String,
    detail: String,
}

impl Failure {
    fn new(cause: impl Into<String>, detail: impl Into<String>) -> Self {
        let detail: String = detail.into();
        Failure {
            cause: cause.into(),
            detail: detail.chars().take(DETAIL_CHARS).collect(),
        }
    }
}

/// How an operation that came back came back.
#[derive(Debug)]
pub enum Outcome {
    /// The client returned what the server sent. `compared` is false when the document
    /// has no example of the response: then only the call's success was checked.
    Passed {
        /// Whether a response example was compared.
        compared: bool,
    },
    /// The client returned what the server sent, but the example does not survive its
    /// Rust type unchanged: the first difference, and where.
    Lossy {
        /// What changed (for grouping).
        cause: String,
        /// The JSON pointer in the example.
        pointer: String,
    },
}

/// One line of the round trip's output (JSON), for `cargo xtask conformance`.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The operation's id.
    pub operation: &'static str,
    /// `passed`, `lossy` or `failed`.
    pub outcome: &'static str,
    /// Whether a response example was compared with what came back.
    pub compared: bool,
    /// Whether some input was made up from its schema, for want of an example.
    pub made_up: bool,
    /// What went wrong or changed, for grouping (empty when passed).
    pub cause: String,
    /// This operation's particulars: the error, or the pointer of the difference.
    pub detail: String,
}

impl<'a> Trip<'a> {
    /// The round trip of the operation `method path`, with the inputs of `document`.
    pub fn new(
        document: &'a Value,
        operation: &'static str,
        path: &'static str,
        method: &'static str,
    ) -> Self {
        Trip {
            document,
            operation,
            path,
            method,
            made_up: Cell::new(false),
        }
    }

    fn operation_value(&self) -> Option<&'a Value> {
        super::operation(self.document, self.path, self.method)
    }

    /// The parameter `name` in `location`, from the operation's or the path's list.
    fn parameter_value(&self, location: &str, name: &str) -> Option<&'a Value> {
        let lists = [
            self.operation_value().and_then(|op| op.get("parameters")),
            super::path_item(self.document, self.path).and_then(|item| item.get("parameters")),
        ];
        lists
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .map(|parameter| follow(self.document, parameter))
            .find(|parameter| {
                parameter.get("in").and_then(Value::as_str) == Some(location)
                    && parameter
                        .get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
    }

    /// The example the document gives of a parameter, if any.
    fn parameter_example(&self, parameter: &Value) -> Option<Value> {
        let schema = parameter.get("schema").map(|s| follow(self.document, s));
        let media = parameter
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.values().next());
        example_of(self.document, parameter)
            .or_else(|| media.and_then(|media| example_of(self.document, media)))
            .or_else(|| schema.and_then(|schema| schema.get("example")).cloned())
    }

    /// A required parameter's value: its example, or one made up from its schema.
    pub fn parameter<T: DeserializeOwned>(&self, location: &str, name: &str) -> Result<T, Failure> {
        let parameter = self.parameter_value(location, name).ok_or_else(|| {
            Failure::new(
                "a parameter is missing from the embedded document",
                format!("{location} parameter `{name}`"),
            )
        })?;
        let value = match self.parameter_example(parameter) {
            Some(value) => value,
            None => {
                self.made_up.set(true);
                parameter
                    .get("schema")
                    .or_else(|| {
                        parameter
                            .get("content")?
                            .as_object()?
                            .values()
                            .next()?
                            .get("schema")
                    })
                    .and_then(|schema| sample(self.document, schema))
                    .ok_or_else(|| {
                        Failure::new(
                            "no example of a required parameter, and none can be made up",
                            format!("{location} parameter `{name}`"),
                        )
                    })?
            }
        };
        decode(value).map_err(|error| {
            Failure::new(
                "a parameter's example does not fit its Rust type",
                format!("{location} parameter `{name}`: {error}"),
            )
        })
    }

    /// An optional parameter's value: its example when the document gives one.
    pub fn optional_parameter<T: DeserializeOwned>(
        &self,
        location: &str,
        name: &str,
    ) -> Result<Option<T>, Failure> {
        let Some(value) = self
            .parameter_value(location, name)
            .and_then(|parameter| self.parameter_example(parameter))
        else {
            return Ok(None);
        };
        decode(value).map(Some).map_err(|error| {
            Failure::new(
                "a parameter's example does not fit its Rust type",
                format!("{location} parameter `{name}`: {error}"),
            )
        })
    }

    /// The request body's media object for `media_type`.
    fn media(&self, media_type: &str) -> Option<&'a Value> {
        let body = follow(self.document, self.operation_value()?.get("requestBody")?);
        body.get("content")?.get(media_type)
    }

    /// The request body: its example, or one made up from its schema.
    pub fn body<T: DeserializeOwned>(&self, media_type: &str) -> Result<T, Failure> {
        let media = self.media(media_type).ok_or_else(|| {
            Failure::new(
                "the request body is missing from the embedded document",
                media_type,
            )
        })?;
        let value = match example_of(self.document, media).or_else(|| {
            media
                .get("schema")
                .map(|schema| follow(self.document, schema))
                .and_then(|schema| schema.get("example").cloned())
        }) {
            Some(value) => value,
            None => {
                self.made_up.set(true);
                media
                    .get("schema")
                    .and_then(|schema| sample(self.document, schema))
                    .ok_or_else(|| {
                        Failure::new(
                            "no example of the request body, and none can be made up",
                            media_type,
                        )
                    })?
            }
        };
        decode(value).map_err(|error| {
            Failure::new(
                "the request body's example does not fit its Rust type",
                format!("{media_type}: {error}"),
            )
        })
    }

    /// An optional request body: sent when there is an example or a sample of it.
    pub fn optional_body<T: DeserializeOwned>(
        &self,
        media_type: &str,
    ) -> Result<Option<T>, Failure> {
        self.body(media_type).map(Some)
    }

    /// A body of a kind the round trip does not build (multipart).
    pub fn unsupported(&self, what: &str) -> Failure {
        Failure::new("a request body of this kind is not round-tripped", what)
    }

    /// Checks what the client returned for an operation whose answer is the example of
    /// `status`: `answer` holds the body of that response, `None` for another response.
    pub fn answered<T, E>(
        &self,
        status: &str,
        answer: Result<Option<T>, Error<E>>,
    ) -> Result<Outcome, Failure>
    where
        T: DeserializeOwned + Serialize + PartialEq,
        E: Debug,
    {
        let answer = answer.map_err(failure_of)?;
        let Some((example, made_up)) = super::answer(self.document, self.path, self.method, status)
        else {
            return Ok(Outcome::Passed { compared: false });
        };
        if made_up {
            self.made_up.set(true);
        }
        let sent: T = serde_json::from_value(example.clone()).map_err(|error| {
            Failure::new(
                "the response example does not fit its Rust type",
                format!("{status}: {error}"),
            )
        })?;
        let received = answer.ok_or_else(|| {
            Failure::new(
                "the client returned another response than the one sent",
                status.to_owned(),
            )
        })?;
        if received != sent {
            return Err(Failure::new(
                "the value changed between the server and the client",
                status.to_owned(),
            ));
        }
        let typed = serde_json::to_value(&received).map_err(|error| {
            Failure::new("the response value does not serialize", error.to_string())
        })?;
        Ok(match difference(&example, &typed, String::new()) {
            None => Outcome::Passed { compared: true },
            Some((pointer, cause)) => Outcome::Lossy { cause, pointer },
        })
    }

    /// Checks that a call whose answer has no JSON example to compare succeeded.
    pub fn accepted<S, E: Debug>(&self, answer: Result<S, Error<E>>) -> Result<Outcome, Failure> {
        answer
            .map(|_| Outcome::Passed { compared: false })
            .map_err(failure_of)
    }

    /// The statuses the operation documents (`200`, `2XX`, `default`).
    fn statuses(&self) -> Vec<&'a str> {
        self.operation_value()
            .and_then(|operation| operation.get("responses"))
            .and_then(Value::as_object)
            .map(|responses| responses.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The report of this trip.
    pub fn report(self, result: Result<Outcome, Failure>) -> Report {
        let (outcome, compared, cause, detail) = match result {
            Ok(Outcome::Passed { compared }) => ("passed", compared, String::new(), String::new()),
            Ok(Outcome::Lossy { cause, pointer }) => ("lossy", true, cause, pointer),
            Err(Failure { cause, detail }) => {
                // Whose value the server refused: the document's own examples, or one
                // this round trip made up where the document gives none.
                let statuses = self.statuses();
                let cause = if cause == DOCUMENTED_ERROR
                    && !statuses.iter().any(|status| status.starts_with('2'))
                {
                    "the operation documents no success response: the server answered its documented error".to_owned()
                } else if !statuses.is_empty()
                    && statuses.iter().all(|status| status.starts_with('1'))
                {
                    "the operation documents only a 1xx status, which HTTP cannot send as the final answer".to_owned()
                } else if !cause.starts_with(REFUSED) {
                    cause
                } else if self.made_up.get() {
                    format!("{cause}, some input made up")
                } else {
                    format!("{cause}, every input the document's example")
                };
                ("failed", false, cause, detail)
            }
        };
        Report {
            operation: self.operation,
            outcome,
            compared,
            made_up: self.made_up.get(),
            cause,
            detail,
        }
    }
}

/// An example as `T`, reading text as what it spells (`"42"` for a number, since
/// parameter examples are often written as strings) and one value as a list of one.
fn decode<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    let first = match serde_json::from_value(value.clone()) {
        Ok(decoded) => return Ok(decoded),
        Err(error) => error,
    };
    let mut tries = Vec::new();
    match &value {
        Value::String(text) => {
            if let Ok(spelled) = serde_json::from_str::<Value>(text) {
                tries.push(spelled);
            }
            tries.push(Value::Array(
                text.split(',')
                    .map(|item| Value::String(item.to_owned()))
                    .collect(),
            ));
        }
        Value::Number(_) | Value::Bool(_) => tries.push(Value::String(value.to_string())),
        _ => {}
    }
    if !value.is_array() {
        tries.push(Value::Array(vec![value]));
    }
    tries
        .into_iter()
        .find_map(|value| serde_json::from_value(value).ok())
        .ok_or(first)
}

/// The failure of a call the client did not return a success for.
fn failure_of<E: Debug>(error: Error<E>) -> Failure {
    let detail = error.to_string();
    let cause = match &error {
        Error::Api(_) => DOCUMENTED_ERROR.to_owned(),
        Error::UnexpectedStatus { status, body, .. } => match refusal(body) {
            // The generated server's own answer to invalid input (its problem body).
            Some(what) => format!("{REFUSED}: {what}"),
            None => format!("the server answered an undocumented {status}"),
        },
        // The generated server's own refusal, which the client read as the document's
        // error schema and could not.
        Error::Decode {
            status, snippet, ..
        } if status.is_client_error() && refusal(snippet.as_bytes()).is_some() => {
            let what = refusal(snippet.as_bytes()).unwrap_or_default();
            format!("{REFUSED}: {what}")
        }
        Error::Decode { status, .. } if *status == http::StatusCode::NO_CONTENT => {
            "the document gives a 204 No Content response a body, which HTTP never sends".to_owned()
        }
        Error::Decode { .. } => "the client could not decode the answer".to_owned(),
        Error::Header { .. } => "the client could not read a response header".to_owned(),
        Error::InvalidRequest { .. } => "the client refused to build the request".to_owned(),
        Error::Transport { .. } => "the call failed in transport".to_owned(),
    };
    Failure::new(cause, detail)
}

/// The cause of a failure answered with one of the operation's documented errors.
const DOCUMENTED_ERROR: &str = "the server refused the request with a documented error";

/// The cause of a failure the server refused as invalid input.
const REFUSED: &str = "the server refused the request as invalid";

/// What the generated server's RFC 9457 answer to invalid input says is wrong, as a
/// kind of fault without the values (so that failures group): `None` for another body.
/// The body may be cut short (an error quotes its start): its text is searched, not
/// parsed.
fn refusal(body: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(body);
    if !text.starts_with(r#"{"type":"about:blank""#) || !text.contains(r#""status":4"#) {
        return None;
    }
    let message = text
        .split_once(r#""detail":""#)
        .map_or(text.as_ref(), |(_, detail)| detail);
    let kinds = [
        (
            "must match the pattern",
            "a string does not match its `pattern`",
        ),
        ("characters long", "a string's length is out of its bounds"),
        (" items, has ", "an array's length is out of its bounds"),
        ("is not one of", "a value is not in its `enum`"),
        ("must be ", "a number is out of its bounds"),
        ("is required", "a required value is missing"),
        (
            "expected a segment",
            "a path segment does not have its form",
        ),
        ("invalid JSON", "the body does not read as its type"),
        (
            "invalid form body",
            "the form body does not read as its type",
        ),
        (
            "the body must be sent as",
            "the body is sent as another media type",
        ),
        ("credentials", "credentials are missing"),
    ];
    Some(
        kinds
            .iter()
            .find(|(phrase, _)| message.contains(phrase))
            .map_or("a value does not read as its type", |(_, kind)| kind),
    )
}

/// The first place where `typed` (the example through its Rust type) differs from
/// `example`, and what happened there.
fn difference(example: &Value, typed: &Value, pointer: String) -> Option<(String, String)> {
    match (example, typed) {
        (Value::Object(written), Value::Object(kept)) => {
            for (key, value) in written {
                let mut at = pointer.clone();
                push_token(&mut at, key);
                match kept.get(key) {
                    None if value.is_null() => {
                        return Some((at, "a null member is dropped".to_owned()));
                    }
                    None => {
                        return Some((
                            at,
                            "a member the schema does not declare is dropped".to_owned(),
                        ));
                    }
                    Some(kept) => {
                        if let Some(found) = difference(value, kept, at) {
                            return Some(found);
                        }
                    }
                }
            }
            kept.iter()
                .find(|(key, _)| !written.contains_key(*key))
                .map(|(key, value)| {
                    let mut at = pointer.clone();
                    push_token(&mut at, key);
                    let cause = if value.is_null() {
                        "an absent member comes back as null"
                    } else {
                        "an absent member comes back with a value"
                    };
                    (at, cause.to_owned())
                })
        }
        (Value::Array(written), Value::Array(kept)) if written.len() == kept.len() => written
            .iter()
            .zip(kept)
            .enumerate()
            .find_map(|(index, (w, k))| difference(w, k, format!("{pointer}/{index}"))),
        (Value::Number(w), Value::Number(k)) if w.as_f64() == k.as_f64() => {
            (w != k).then(|| (pointer, "a number is written another way".to_owned()))
        }
        // `format: float` is `f32`: the typed value, read back through f64, shows the
        // f32's exact value (200.4 becomes 200.39999389648438).
        (Value::Number(w), Value::Number(k))
            if w.as_f64().map(|w| f64::from(w as f32)) == k.as_f64() =>
        {
            Some((pointer, "a number is rounded to f32".to_owned()))
        }
        (Value::Number(_), Value::Number(_)) => {
            Some((pointer, "a number changes value".to_owned()))
        }
        (Value::String(w), Value::String(k)) if w != k => {
            let instant = |text: &str| chrono::DateTime::parse_from_rfc3339(text).ok();
            let cause = match (instant(w), instant(k)) {
                (Some(a), Some(b)) if a == b => "a date-time is written another way",
                _ => "a string changes",
            };
            Some((pointer, cause.to_owned()))
        }
        _ if example == typed => None,
        (Value::Null, _) => Some((pointer, "a null comes back as a value".to_owned())),
        (_, Value::Null) => Some((pointer, "a value comes back as null".to_owned())),
        _ => Some((pointer, "a value changes type".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_are_named_by_what_changed() {
        let cause = |a: Value, b: Value| {
            difference(&a, &b, String::new()).map(|(p, c)| format!("{p}: {c}"))
        };
        assert_eq!(cause(json!({"a": 1}), json!({"a": 1})), None);
        assert_eq!(
            cause(json!({"a": null}), json!({})),
            Some("/a: a null member is dropped".into())
        );
        assert_eq!(
            cause(json!({"x": [1, {"b": 2}]}), json!({"x": [1, {}]})),
            Some("/x/1/b: a member the schema does not declare is dropped".into())
        );
        assert_eq!(
            cause(
                json!("2024-01-01T00:00:00+00:00"),
                json!("2024-01-01T00:00:00Z")
            ),
            Some(": a date-time is written another way".into())
        );
        assert_eq!(
            cause(json!({"n": 1.0}), json!({"n": 1})),
            Some("/n: a number is written another way".into())
        );
        assert_eq!(
            cause(json!(200.4), json!(f64::from(200.4_f32))),
            Some(": a number is rounded to f32".into())
        );
        assert_eq!(
            cause(json!(200.4), json!(200.5)),
            Some(": a number changes value".into())
        );
    }

    #[test]
    fn parameter_examples_written_as_text_are_read_as_their_type() {
        assert_eq!(decode::<u64>(json!("42")).unwrap(), 42);
        assert_eq!(decode::<String>(json!(42)).unwrap(), "42");
        assert_eq!(decode::<Vec<String>>(json!("a,b")).unwrap(), vec!["a", "b"]);
        assert_eq!(decode::<Vec<u8>>(json!(7)).unwrap(), vec![7]);
        assert!(decode::<u8>(json!("many")).is_err());
    }
}
