//! Multipart bodies without a shape: a `multipart/form-data` (or `multipart/mixed`)
//! request body whose schema is not an object of parts (Codat's `schema: {}`, a
//! `format: binary` string) travels as [`Parts`], a list of parts each with a name, an
//! optional file name and content type, and its bytes, written and read as real
//! multipart (RFC 7578, RFC 2046).

use bytes::Bytes;

/// The parts of a multipart body, in the order they travel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    /// Every part, in order; several may share a name.
    pub parts: Vec<Part>,
}

/// One part of a multipart body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    /// Its name (`Content-Disposition: form-data; name="..."`); empty when it has none
    /// (as the parts of `multipart/mixed` may).
    pub name: String,
    /// Its file name (`filename="..."`), which tells a file from a text field.
    pub file_name: Option<String>,
    /// Its `Content-Type`, when it has one (text fields usually have none).
    pub content_type: Option<String>,
    /// Its content.
    pub bytes: Bytes,
}

impl Part {
    /// A text field `name` holding `text`.
    pub fn text(name: impl Into<String>, text: impl Into<String>) -> Self {
        Part {
            name: name.into(),
            bytes: Bytes::from(text.into()),
            ..Part::default()
        }
    }

    /// A file `name`: `bytes` named `file_name`, of type `content_type`.
    pub fn file(
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            bytes: bytes.into(),
        }
    }

    /// Its content as text, when it is UTF-8.
    pub fn as_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }
}

impl Parts {
    /// No parts.
    pub fn new() -> Self {
        Self::default()
    }

    /// These parts and `part` after them.
    pub fn with(mut self, part: Part) -> Self {
        self.parts.push(part);
        self
    }

    /// The first part named `name`.
    pub fn get(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|part| part.name == name)
    }

    /// A boundary that occurs in no part: `apigen-boundary-0`, or the first of
    /// `apigen-boundary-1`, `-2`, ... that does not (deterministic, unlike a random one).
    pub fn boundary(&self) -> String {
        (0u64..)
            .map(|n| format!("apigen-boundary-{n}"))
            .find(|boundary| {
                let delimiter = format!("--{boundary}");
                !self.parts.iter().any(|part| {
                    part.bytes
                        .windows(delimiter.len())
                        .any(|window| window == delimiter.as_bytes())
                        || [&part.name, part.file_name.as_deref().unwrap_or_default()]
                            .iter()
                            .any(|text| text.contains(&delimiter))
                })
            })
            .unwrap_or_default()
    }

    /// The body of these parts between `boundary` delimiters. Quotes and line breaks
    /// in names are percent-encoded, as browsers write them (WHATWG HTML's form
    /// encoding); a content type that is not a valid header value is left out.
    pub fn write(&self, boundary: &str) -> Bytes {
        let quoted = |text: &str| {
            text.replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("form-data; name=\"{}\"", quoted(&part.name));
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            body.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if let Some(content_type) = part
                .content_type
                .as_deref()
                .filter(|media| http::HeaderValue::from_str(media).is_ok())
            {
                body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Bytes::from(body)
    }
}

impl FromIterator<Part> for Parts {
    fn from_iter<I: IntoIterator<Item = Part>>(parts: I) -> Self {
        Parts {
            parts: parts.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_written_between_a_boundary_none_of_them_holds() {
        let parts = Parts::new()
            .with(Part::text("note", "--apigen-boundary-0 inside"))
            .with(Part::file(
                "doc",
                "a\"b.pdf",
                "application/pdf",
                &b"%PDF"[..],
            ));
        let boundary = parts.boundary();
        assert_eq!(boundary, "apigen-boundary-1");
        let written = parts.write(&boundary);
        assert_eq!(
            std::str::from_utf8(&written).unwrap(),
            "--apigen-boundary-1\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n--apigen-boundary-0 inside\r\n\
             --apigen-boundary-1\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a%22b.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n\
             --apigen-boundary-1--\r\n"
        );
    }
}
