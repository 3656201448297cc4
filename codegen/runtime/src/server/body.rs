//! Request bodies, as a generated handler reads them through its [`Input`]: JSON, form
//! fields, `multipart/form-data` parts, text and bytes, each checked against the media
//! types the operation takes (415 otherwise) and decoded (400 when it does not decode).

use super::input::Input;
use super::rejection::Location;
use crate::media;
use crate::param::ParamValue;
use serde::de::DeserializeOwned;

impl Input {
    /// The request's `Content-Type`, if it has a readable one.
    fn content_type(&self) -> Option<&str> {
        self.parts
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
    }

    /// Whether the request's `Content-Type` is one `accepts` takes; when it is not (or
    /// is missing), records a problem that makes the answer 415 Unsupported Media Type.
    fn media_type_accepted(&mut self, accepts: impl Fn(&str) -> bool, expected: &str) -> bool {
        if self.content_type().is_some_and(accepts) {
            return true;
        }
        let found = self.content_type().map(str::to_owned);
        self.unsupported_media_type = true;
        let found = match found {
            Some(found) => format!(", not {found}"),
            None => ", with its Content-Type".to_owned(),
        };
        self.problem(
            Location::Body,
            "",
            format!("the body must be sent as {expected}{found}"),
        );
        false
    }

    /// Whether a body is absent: empty, and without a `Content-Type` (an empty body that
    /// declares a type is an empty value of that type).
    fn body_absent(&self, body: &[u8]) -> bool {
        body.is_empty() && self.content_type().is_none()
    }

    /// Records that a required body is missing (`Some(None)` for an optional one).
    fn absent_body<T>(&mut self, required: bool, what: &str) -> Option<Option<T>> {
        if required {
            self.problem(Location::Body, "", format!("{what} body is required"));
            return None;
        }
        Some(None)
    }

    /// Decodes a JSON request body, recording a problem when it is absent (and
    /// `required`), not declared as JSON (415), or not valid for `T`.
    pub fn json_body<T: DeserializeOwned>(&mut self, required: bool) -> Option<Option<T>> {
        let body = std::mem::take(&mut self.body);
        // No JSON value is empty: an empty body is an absent one, whatever it declares.
        if body.is_empty() {
            return self.absent_body(required, "a JSON");
        }
        if !self.media_type_accepted(media::is_json, "application/json") {
            return None;
        }
        match serde_json::from_slice(&body) {
            Ok(value) => Some(Some(value)),
            Err(error) => {
                self.problem(Location::Body, "", format!("invalid JSON body: {error}"));
                None
            }
        }
    }

    /// Decodes an `application/x-www-form-urlencoded` request body (`a=1&b=x+y`, an array
    /// as repeated fields), recording a problem when it is absent (and `required`), not
    /// declared as a form (415), or not valid for `T` (naming the field at fault).
    pub fn form_body<T: DeserializeOwned>(&mut self, required: bool) -> Option<Option<T>> {
        let body = std::mem::take(&mut self.body);
        if self.body_absent(&body) {
            return self.absent_body(required, "a form");
        }
        let form = "application/x-www-form-urlencoded";
        if !self.media_type_accepted(|found| media::within(found, form), form) {
            return None;
        }
        let deserializer = serde_html_form::Deserializer::from_bytes(&body);
        match serde_path_to_error::deserialize(deserializer) {
            Ok(value) => Some(Some(value)),
            Err(error) => {
                let field = error.path().to_string();
                let message = error.into_inner().to_string();
                let message = if field == "." {
                    format!("invalid form body: {message}")
                } else {
                    format!("invalid form body: field `{field}`: {message}")
                };
                self.problem(Location::Body, "", message);
                None
            }
        }
    }

    /// Decodes an `application/x-www-form-urlencoded` request body whose fields may nest
    /// (`metadata[key]=v`, `items[0][price]=x`, repeated `tags=a&tags=b`;
    /// see [`crate::style`]), recording a problem as [`Self::form_body`] does.
    pub fn nested_form_body<T: DeserializeOwned>(&mut self, required: bool) -> Option<Option<T>> {
        let body = std::mem::take(&mut self.body);
        if self.body_absent(&body) {
            return self.absent_body(required, "a form");
        }
        let form = "application/x-www-form-urlencoded";
        if !self.media_type_accepted(|found| media::within(found, form), form) {
            return None;
        }
        let decoded = std::str::from_utf8(&body)
            .map_err(|_| "the body is not UTF-8".to_owned())
            .and_then(|text| crate::encoding::parse_query(text).map_err(|e| e.to_string()))
            .and_then(|pairs| crate::style::decode_nested_form(&pairs));
        match decoded {
            Ok(value) => Some(Some(value)),
            Err(message) => {
                self.problem(Location::Body, "", format!("invalid form body: {message}"));
                None
            }
        }
    }

    /// Splits a `multipart/form-data` request body into its parts ahead of
    /// [`Self::multipart_body`], which reports what is wrong with it in its turn.
    pub(super) async fn prepare_multipart(&mut self) {
        // Any multipart type (`multipart/mixed` too), where multer's own parser of the
        // Content-Type takes `multipart/form-data` only.
        let boundary = self
            .content_type()
            .filter(|found| media::essence(found).starts_with("multipart/"))
            .and_then(media::boundary);
        if let Some(boundary) = boundary
            && !self.body.is_empty()
        {
            let parts = read_parts(self.body.clone(), boundary).await;
            self.multipart = Some(parts.map_err(|error| error.to_string()));
        }
    }

    /// Reads a `multipart/form-data` request body into parts, which [`Self::part`] and
    /// its siblings then read: `Some(true)` when there is one, `Some(false)` when it is
    /// absent and may be, `None` (with a problem recorded) when it is absent and
    /// `required`, not declared as multipart (415), or malformed (400).
    pub fn multipart_body(&mut self, required: bool) -> Option<bool> {
        // No multipart body is empty: it has at least its closing boundary.
        if self.body.is_empty() {
            return self
                .absent_body::<()>(required, "a multipart/form-data")
                .map(|_| false);
        }
        let multipart = "multipart/form-data";
        if !self.media_type_accepted(|found| media::within(found, multipart), multipart) {
            return None;
        }
        match self.multipart.take() {
            None => {
                self.problem(
                    Location::Body,
                    "",
                    "the multipart/form-data Content-Type has no boundary",
                );
                None
            }
            Some(Ok(parts)) => {
                self.body_parts = parts;
                Some(true)
            }
            Some(Err(error)) => {
                self.problem(
                    Location::Body,
                    "",
                    format!("invalid multipart/form-data body: {error}"),
                );
                None
            }
        }
    }

    /// Takes the parts named `name` out of the multipart body.
    fn take_parts(&mut self, name: &str) -> Vec<BodyPart> {
        let (named, rest) = std::mem::take(&mut self.body_parts)
            .into_iter()
            .partition(|part| part.name == name);
        self.body_parts = rest;
        named
    }

    /// Takes the one part named `name`: `Some(None)` when absent, `None` when given twice.
    fn take_part(&mut self, name: &str) -> Option<Option<BodyPart>> {
        let mut named = self.take_parts(name);
        match named.len() {
            0 => Some(None),
            1 => Some(named.pop()),
            _ => {
                self.problem(Location::Body, name, "given more than once");
                None
            }
        }
    }

    fn part_text(&mut self, name: &str, part: &BodyPart) -> Option<String> {
        match std::str::from_utf8(&part.bytes) {
            Ok(text) => Some(text.to_owned()),
            Err(_) => {
                self.problem(Location::Body, name, "not UTF-8 text");
                None
            }
        }
    }

    /// Reads the text part `name` of a multipart body: `Some(None)` when absent, `None`
    /// when malformed.
    pub fn part<T: ParamValue>(&mut self, name: &str) -> Option<Option<T>> {
        let Some(part) = self.take_part(name)? else {
            return Some(None);
        };
        let text = self.part_text(name, &part)?;
        self.parse(Location::Body, name, &text).map(Some)
    }

    /// Reads every text part `name` of a multipart body, an array.
    pub fn part_list<T: ParamValue>(&mut self, name: &str) -> Option<Option<Vec<T>>> {
        let parts = self.take_parts(name);
        if parts.is_empty() {
            return Some(None);
        }
        let texts: Option<Vec<String>> = parts
            .iter()
            .map(|part| self.part_text(name, part))
            .collect();
        self.parse_all(Location::Body, name, &texts?).map(Some)
    }

    /// Reads the file part `name` of a multipart body, its bytes.
    pub fn file_part(&mut self, name: &str) -> Option<Option<bytes::Bytes>> {
        Some(self.take_part(name)?.map(|part| part.bytes))
    }

    /// Reads every file part `name` of a multipart body.
    pub fn file_parts(&mut self, name: &str) -> Option<Option<Vec<bytes::Bytes>>> {
        let parts = self.take_parts(name);
        Some((!parts.is_empty()).then(|| parts.into_iter().map(|part| part.bytes).collect()))
    }

    /// Reads the JSON part `name` of a multipart body.
    pub fn json_part<T: DeserializeOwned>(&mut self, name: &str) -> Option<Option<T>> {
        let Some(part) = self.take_part(name)? else {
            return Some(None);
        };
        match serde_json::from_slice(&part.bytes) {
            Ok(value) => Some(Some(value)),
            Err(error) => {
                self.problem(Location::Body, name, format!("invalid JSON: {error}"));
                None
            }
        }
    }

    /// Reads a multipart request body without a shape (a type within `accepted`:
    /// `multipart/form-data`, `multipart/mixed`) as its list of parts, recording a
    /// problem when it is absent (and `required`), of another type (415), or malformed
    /// (400).
    pub fn multipart_parts(
        &mut self,
        accepted: &[&str],
        required: bool,
    ) -> Option<Option<crate::multipart::Parts>> {
        if self.body.is_empty() {
            return self.absent_body(required, "a multipart");
        }
        let within = |found: &str| accepted.iter().any(|range| media::within(found, range));
        if !self.media_type_accepted(within, &accepted.join(" or ")) {
            return None;
        }
        match self.multipart.take() {
            None => {
                self.problem(
                    Location::Body,
                    "",
                    "the multipart Content-Type has no boundary",
                );
                None
            }
            Some(Ok(parts)) => Some(Some(
                parts
                    .into_iter()
                    .map(|part| crate::multipart::Part {
                        name: part.name,
                        file_name: part.file_name,
                        content_type: part.content_type,
                        bytes: part.bytes,
                    })
                    .collect(),
            )),
            Some(Err(error)) => {
                self.problem(
                    Location::Body,
                    "",
                    format!("invalid multipart body: {error}"),
                );
                None
            }
        }
    }

    /// Reads a text request body of a type within `accepted` (`text/plain`, `text/*`),
    /// as UTF-8.
    pub fn text_body(&mut self, accepted: &[&str], required: bool) -> Option<Option<String>> {
        let body = std::mem::take(&mut self.body);
        if self.body_absent(&body) {
            return self.absent_body(required, "a text");
        }
        let within = |found: &str| accepted.iter().any(|range| media::within(found, range));
        if !self.media_type_accepted(within, &accepted.join(" or ")) {
            return None;
        }
        match std::str::from_utf8(&body) {
            Ok(text) => Some(Some(text.to_owned())),
            Err(_) => {
                self.problem(Location::Body, "", "the body is not UTF-8 text");
                None
            }
        }
    }

    /// Reads a request body of bytes of a type within `accepted`
    /// (`application/octet-stream`, `image/*`).
    pub fn binary_body(
        &mut self,
        accepted: &[&str],
        required: bool,
    ) -> Option<Option<bytes::Bytes>> {
        let body = std::mem::take(&mut self.body);
        if self.body_absent(&body) {
            return self.absent_body(required, "a");
        }
        let within = |found: &str| accepted.iter().any(|range| media::within(found, range));
        if !self.media_type_accepted(within, &accepted.join(" or ")) {
            return None;
        }
        Some(Some(body))
    }

    /// Takes a streamed request body of a type within `accepted` (`application/jsonl`):
    /// its items, decoded with `codec` as they arrive rather than once the body is
    /// whole. A malformed item does not refuse the request (the service is already
    /// reading): it is the stream's last, an error, and the service answers as it sees
    /// fit. A body is absent when it declares no type and has no bytes. A multipart
    /// body (`multipart/mixed`) whose Content-Type names no boundary is refused
    /// (400), as one read whole is.
    pub fn stream_body<T: 'static>(
        &mut self,
        accepted: &[&str],
        required: bool,
        codec: crate::stream::Codec<T>,
    ) -> Option<Option<crate::stream::Items<T>>> {
        use axum::body::HttpBody as _;
        let body = self.streamed.take().unwrap_or_default();
        if self.content_type().is_none() && body.is_end_stream() {
            return self.absent_body(required, "a streamed");
        }
        let within = |found: &str| accepted.iter().any(|range| media::within(found, range));
        if !self.media_type_accepted(within, &accepted.join(" or ")) {
            return None;
        }
        let content_type = self.content_type().map(str::to_owned);
        if codec.is_multipart() && content_type.as_deref().and_then(media::boundary).is_none() {
            self.problem(
                Location::Body,
                "",
                "the multipart Content-Type has no boundary",
            );
            return None;
        }
        Some(Some(crate::stream::Items::decode_with_content_type(
            body.into_data_stream(),
            codec,
            content_type.as_deref(),
            |error: axum::Error| error.to_string(),
        )))
    }
}

/// One part of a `multipart/form-data` request body.
pub(crate) struct BodyPart {
    /// Its name (`Content-Disposition: form-data; name="..."`).
    name: String,
    /// Its file name, if it has one.
    file_name: Option<String>,
    /// Its `Content-Type`, if it has one.
    content_type: Option<String>,
    /// Its content.
    bytes: bytes::Bytes,
}

/// Splits a multipart body (read whole, within the body limit) into its named parts.
async fn read_parts(body: bytes::Bytes, boundary: String) -> Result<Vec<BodyPart>, multer::Error> {
    let stream = axum::body::Body::from(body).into_data_stream();
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await? {
        // A part without a name stands for no property; a list of parts keeps it,
        // named "" (the parts of `multipart/mixed` have none).
        let name = field.name().unwrap_or_default().to_owned();
        parts.push(BodyPart {
            name,
            file_name: field.file_name().map(str::to_owned),
            content_type: field.content_type().map(ToString::to_string),
            bytes: field.bytes().await?,
        });
    }
    Ok(parts)
}
