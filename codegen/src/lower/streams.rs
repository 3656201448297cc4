//! Streamed bodies (OpenAPI 3.2's `itemSchema`): a media type that is a sequence of
//! items becomes a stream of typed items rather than one value.
//!
//! | Media type | Item type |
//! |---|---|
//! | `application/jsonl`, `application/x-ndjson`, `application/json-seq` | the `itemSchema`'s type |
//! | `multipart/mixed` | the `itemSchema`'s type, each part one JSON item |
//! | `text/event-stream` | `Event<T>`: `T` the type of the `itemSchema`'s `data` property when it is not a string, or of its `contentSchema` when it is a string of `contentMediaType: application/json` (the data text read as JSON either way); `String` otherwise |
//!
//! A media type with an `itemSchema` is streamed whatever else the body offers, a
//! response's or a request's: the author described its items. Without one, a body
//! keeps the shape it had (`multipart/mixed` a list of parts read whole).

use super::operations::Operations;
use crate::error::push_pointer;
use crate::model::{ItemStream, StreamCodec, Type};
use apigen_runtime::media;
use openapiv3::{MediaType, ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

/// How the items of a media type travel, if it is one a stream is read from.
fn codec_of(media_type: &str) -> Option<StreamCodec> {
    match media::essence(media_type).as_str() {
        "text/event-stream" => Some(StreamCodec::Events),
        "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" => {
            Some(StreamCodec::JsonLines)
        }
        "application/json-seq" => Some(StreamCodec::JsonSeq),
        "multipart/mixed" => Some(StreamCodec::Mixed),
        _ => None,
    }
}

impl Operations<'_, '_> {
    /// The streamed body among `content`, the media types of the object at `holder` (a
    /// response or a request body, where its `$ref` points for a reference): the first
    /// sequential media type with an `itemSchema`. `hint` names its item's type.
    pub(super) fn item_stream(
        &mut self,
        content: &indexmap::IndexMap<String, MediaType>,
        holder: &str,
        hint: &str,
    ) -> Option<ItemStream> {
        content.keys().find_map(|media_type| {
            let codec = codec_of(media_type)?;
            let at = push_pointer(&push_pointer(holder, "content"), media_type);
            let item_at = push_pointer(&at, "itemSchema");
            // `openapiv3` knows no `itemSchema`: it is read from the document.
            let schema: ReferenceOr<Schema> =
                serde_json::from_value(self.document.pointer(&item_at)?.clone()).ok()?;
            let (codec, item) = match codec {
                StreamCodec::Events => self.event_data(&schema, &item_at, hint),
                codec => (codec, self.types.type_of(&schema, hint, &item_at)),
            };
            Some(ItemStream {
                media_type: media_type.clone(),
                codec,
                item,
            })
        })
    }

    /// How the `data` of the events an `itemSchema` describes is read: as JSON of its
    /// type when the schema of `data` is not a string, as text otherwise.
    fn event_data(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &str,
        hint: &str,
    ) -> (StreamCodec, Type) {
        let data = self.object_schema(schema, at).and_then(|object| {
            object
                .properties
                .into_iter()
                .find(|(name, ..)| name == "data")
        });
        let Some((_, data, data_at)) = data else {
            return (StreamCodec::TextEvents, Type::String);
        };
        let is_text = match self.schema(&data).map(|schema| schema.schema_kind) {
            Some(SchemaKind::Type(openapiv3::Type::String(_))) => true,
            Some(SchemaKind::Any(any)) => any.typ.as_deref() == Some("string"),
            _ => false,
        };
        if is_text {
            // The 3.2 specification's way: a string whose `contentSchema` is the JSON
            // it holds (`contentMediaType: application/json`).
            let holds_json = self
                .document
                .pointer(&push_pointer(&data_at, "contentMediaType"))
                .and_then(Value::as_str)
                .is_some_and(media::is_json);
            let content_at = push_pointer(&data_at, "contentSchema");
            let content = self
                .document
                .pointer(&content_at)
                .and_then(|value| serde::Deserialize::deserialize(value).ok())
                .filter(|_| holds_json);
            return match content {
                Some(content) => (
                    StreamCodec::Events,
                    self.types
                        .type_of(&content, &format!("{hint}Data"), &content_at),
                ),
                None => (StreamCodec::TextEvents, Type::String),
            };
        }
        (
            StreamCodec::Events,
            self.types.type_of(&data, &format!("{hint}Data"), &data_at),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{BodyKind, ItemStream, ResponseBody, Service, StreamCodec, Type};
    use std::path::Path;

    /// The body of the one response of `GET /s`, whose content is `content`, in a 3.2
    /// document.
    fn streamed(content: &str) -> ResponseBody {
        let yaml = format!(
            "openapi: 3.2.0\ninfo: {{title: T, version: '1'}}\npaths:\n  /s:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {content}\n"
        );
        let document = crate::load::parse(Path::new("api.yaml"), &yaml)
            .unwrap_or_else(|errors| panic!("{errors}"));
        let service: Service = super::super::lower(&document, "api", "openapi/api.yaml")
            .unwrap_or_else(|errors| panic!("{errors}"));
        service.operations[0].responses[0].body.clone()
    }

    fn stream(codec: StreamCodec, item: Type, media_type: &str) -> ResponseBody {
        ResponseBody::Stream(ItemStream {
            media_type: media_type.to_owned(),
            codec,
            item,
        })
    }

    #[test]
    fn each_sequential_media_type_with_an_item_schema_is_a_stream_of_its_items() {
        assert_eq!(
            streamed("{application/x-ndjson: {itemSchema: {type: [integer, 'null']}}}"),
            stream(
                StreamCodec::JsonLines,
                Type::Option(Box::new(Type::I64)),
                "application/x-ndjson"
            ),
            "the item schema is read as 3.1 schemas are"
        );
        assert_eq!(
            streamed(
                "{application/json: {schema: {type: string}}, application/json-seq: {itemSchema: {type: string}}}"
            ),
            stream(StreamCodec::JsonSeq, Type::String, "application/json-seq"),
            "the author described the items: the stream wins over one value"
        );
        assert_eq!(
            streamed(
                "{text/event-stream: {itemSchema: {type: object, properties: {data: {type: array, items: {type: integer}}}}}}"
            ),
            stream(
                StreamCodec::Events,
                Type::Vec(Box::new(Type::I64)),
                "text/event-stream"
            ),
        );
        assert_eq!(
            streamed(
                "{text/event-stream: {itemSchema: {type: object, properties: {data: {type: string}}}}}"
            ),
            stream(StreamCodec::TextEvents, Type::String, "text/event-stream"),
        );
        assert_eq!(
            streamed("{multipart/mixed: {itemSchema: {type: array, items: {type: string}}}}"),
            stream(
                StreamCodec::Mixed,
                Type::Vec(Box::new(Type::String)),
                "multipart/mixed"
            ),
            "each part is one item"
        );
        assert_eq!(
            streamed("{text/event-stream: {schema: {type: string}}}"),
            ResponseBody::Text,
            "without an item schema, the body is one value as before"
        );
    }

    #[test]
    fn a_request_body_with_an_item_schema_is_a_stream_of_its_items() {
        let yaml = "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths:\n  /s:\n    post:\n      requestBody:\n        content:\n          application/json: {schema: {type: array, items: {type: integer}}}\n          application/jsonl: {itemSchema: {type: integer}}\n      responses:\n        '204': {description: ok}\n";
        let document = crate::load::parse(Path::new("api.yaml"), yaml)
            .unwrap_or_else(|errors| panic!("{errors}"));
        let service: Service = super::super::lower(&document, "api", "openapi/api.yaml")
            .unwrap_or_else(|errors| panic!("{errors}"));
        let body = service.operations[0].body.clone().expect("a body");
        assert_eq!(
            body.kind,
            BodyKind::Stream(ItemStream {
                media_type: "application/jsonl".to_owned(),
                codec: StreamCodec::JsonLines,
                item: Type::I64,
            }),
            "the author described the items: the stream wins over one value"
        );
        assert_eq!(body.media_type, "application/jsonl");
        assert_eq!(body.accepted, ["application/jsonl"]);
    }
}
