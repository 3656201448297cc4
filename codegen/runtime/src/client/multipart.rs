//! `multipart/form-data` request bodies: the parts a generated client method gathers,
//! and the `reqwest` form written from them for each attempt.

use crate::param::ParamValue;
use bytes::Bytes;
use serde::Serialize;

/// The parts of a `multipart/form-data` request body, as a generated client method
/// gathers them before [`super::Call::multipart`].
#[derive(Debug, Default)]
#[must_use = "a form does nothing until it is given to `Call::multipart`"]
pub struct Multipart {
    pub(super) parts: Vec<FormPart>,
    pub(super) invalid: Option<String>,
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub(super) struct FormPart {
    name: &'static str,
    content: PartContent,
}

#[derive(Debug, Clone)]
enum PartContent {
    /// A value as its parameter text, without a content type.
    Text(String),
    /// A file: bytes with a content type, and the part's name as file name.
    File {
        content_type: &'static str,
        bytes: Bytes,
    },
    /// A value as JSON.
    Json(Bytes),
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the part `name` holding `value` as text.
    pub fn text(&mut self, name: &'static str, value: &impl ParamValue) {
        self.push(name, PartContent::Text(value.to_param()));
    }

    /// Adds one text part `name` per item of `values`.
    pub fn texts<T: ParamValue>(&mut self, name: &'static str, values: &[T]) {
        for value in values {
            self.text(name, value);
        }
    }

    /// Adds the file part `name`: `bytes` of type `content_type`, with the part's name as
    /// its file name (servers tell a file from a text field by the file name).
    pub fn file(&mut self, name: &'static str, content_type: &'static str, bytes: &Bytes) {
        self.push(
            name,
            PartContent::File {
                content_type,
                bytes: bytes.clone(),
            },
        );
    }

    /// Adds one file part `name` per item of `files`.
    pub fn files(&mut self, name: &'static str, content_type: &'static str, files: &[Bytes]) {
        for bytes in files {
            self.file(name, content_type, bytes);
        }
    }

    /// Adds the part `name` holding `value` as `application/json`.
    pub fn json(&mut self, name: &'static str, value: &(impl Serialize + ?Sized)) {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.push(name, PartContent::Json(Bytes::from(bytes))),
            Err(error) => {
                self.invalid.get_or_insert(format!(
                    "the part `{name}` of the request body does not serialize: {error} (nothing was sent)"
                ));
            }
        }
    }

    fn push(&mut self, name: &'static str, content: PartContent) {
        self.parts.push(FormPart { name, content });
    }
}

/// The `reqwest` form of `parts`, written anew for each attempt.
pub(super) fn form(parts: &[FormPart]) -> Result<reqwest::multipart::Form, reqwest::Error> {
    use reqwest::multipart::Part;
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let written = match &part.content {
            PartContent::Text(text) => Part::text(text.clone()),
            PartContent::File {
                content_type,
                bytes,
            } => Part::stream(bytes.clone())
                .file_name(part.name)
                .mime_str(content_type)?,
            PartContent::Json(bytes) => Part::stream(bytes.clone()).mime_str("application/json")?,
        };
        form = form.part(part.name, written);
    }
    Ok(form)
}
