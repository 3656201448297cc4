//! Request bodies: which media type an operation's body is lowered for, and its shape.
//!
//! A body the document offers in several media types is lowered for one of them, chosen
//! by kind in this order, then by document order within a kind:
//!
//! 1. JSON (`application/json`, `*/*+json`): the schema's type;
//! 2. `application/x-www-form-urlencoded`: the schema's type, an object; members that
//!    are objects, or that the `encoding` gives `style: deepObject`, travel in
//!    `name[key]=value` brackets (`metadata[key]=v`, `items[0][price]=x`), as Stripe
//!    sends them;
//! 3. `multipart/form-data`: a struct of its parts, one per property: files
//!    (`format: binary`) as bytes, scalars as text, anything else as JSON; when its
//!    schema is not an object of parts (Codat's `schema: {}`), and for other multipart
//!    types (`multipart/mixed`), a list of parts (`apigen_runtime::multipart::Parts`);
//! 4. `text/*`: a `String`;
//! 5. anything else (`application/octet-stream`, `image/png`, `*/*`): bytes.
//!
//! The order goes from the most structured to the least, so the service receives the
//! richest type the document describes, and a Rust user gets one method signature per
//! operation rather than one per media type. The client sends the chosen type; the
//! server accepts every media type the document lists of the same kind (any JSON type
//! for JSON, any of the listed binary types for bytes) and answers others with 415.

use super::operations::Operations;
use crate::error::{Error, push_pointer};
use crate::model::{BodyKind, Constraints, Part, PartKind, RequestBody, Type};
use crate::names::{Scope, field_name, type_name};
use apigen_runtime::media;
use openapiv3::{
    AdditionalProperties, MediaType, QueryStyle, ReferenceOr, Schema, SchemaKind, StringFormat,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// How deep `allOf` parts are followed when a form body's shape is checked.
const ALL_OF_DEPTH: usize = 4;

/// What a body of bytes is sent as when the document names no concrete type.
const OCTET_STREAM: &str = "application/octet-stream";

/// The kinds of request body, in the order of preference (see the module's docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
    /// `multipart/mixed` and the like: no shape to give them.
    OtherMultipart,
}

impl MediaKind {
    fn of(media_type: &str) -> Self {
        let essence = media::essence(media_type);
        if media::is_json(&essence) {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence == "multipart/form-data" {
            MediaKind::Multipart
        } else if essence.starts_with("multipart/") {
            MediaKind::OtherMultipart
        } else if essence.starts_with("text/") {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}

/// Whether `schema` is a string, number, integer or boolean (enums included).
pub(super) fn is_scalar_schema(schema: Option<&Schema>) -> bool {
    let Some(schema) = schema else {
        return false;
    };
    match &schema.schema_kind {
        SchemaKind::Type(
            openapiv3::Type::String(_)
            | openapiv3::Type::Number(_)
            | openapiv3::Type::Integer(_)
            | openapiv3::Type::Boolean(_),
        ) => true,
        SchemaKind::Any(any) => matches!(
            any.typ.as_deref(),
            Some("string" | "number" | "integer" | "boolean")
        ),
        _ => false,
    }
}

/// Whether `schema` is a file: `type: string, format: binary`.
fn is_binary(schema: Option<&Schema>) -> bool {
    match schema.map(|schema| &schema.schema_kind) {
        Some(SchemaKind::Type(openapiv3::Type::String(string))) => {
            matches!(
                string.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
            )
        }
        Some(SchemaKind::Any(any)) => {
            any.typ.as_deref() == Some("string") && any.format.as_deref() == Some("binary")
        }
        _ => false,
    }
}

impl Operations<'_, '_> {
    pub(super) fn body(
        &mut self,
        prefix: &str,
        pointer: &str,
        body: &ReferenceOr<openapiv3::RequestBody>,
    ) -> Option<RequestBody> {
        let at = push_pointer(pointer, "requestBody");
        // Where the body object stands: in place, or where its `$ref` points.
        let holder = match body {
            ReferenceOr::Reference { reference } => {
                reference.strip_prefix('#').unwrap_or_default().to_owned()
            }
            ReferenceOr::Item(_) => at.clone(),
        };
        let body = self.resolve(body, &at)?;
        // A media type with an `itemSchema` is streamed whatever else the body offers:
        // the author described its items (as for responses).
        if let Some(stream) = self.item_stream(&body.content, &holder, &format!("{prefix}Item")) {
            return Some(RequestBody {
                media_type: stream.media_type.clone(),
                accepted: vec![stream.media_type.clone()],
                kind: BodyKind::Stream(stream),
                required: body.required,
                docs: body
                    .description
                    .clone()
                    .unwrap_or_else(|| "The request body.".to_owned()),
            });
        }
        // The most structured kind wins, the first in document order among equals.
        let (kind, media, content) = body
            .content
            .iter()
            .map(|(media, content)| (MediaKind::of(media), media, content))
            .min_by_key(|(kind, ..)| *kind)?;
        let media_at = push_pointer(&push_pointer(&holder, "content"), media);
        if http::HeaderValue::from_str(media).is_err() || !media.contains('/') {
            self.errors.push(
                Error::at_pointer(
                    self.file,
                    &media_at,
                    format!("`{media}` is not a media type"),
                )
                .help("write a media type such as `application/json`"),
            );
            return None;
        }
        let same_kind = || {
            body.content
                .keys()
                .filter(|other| MediaKind::of(other) == kind)
                .cloned()
                .collect::<Vec<String>>()
        };
        let (media_type, accepted, kind) = match kind {
            MediaKind::Json => {
                let ty = self.content_type_of(content, &format!("{prefix}Body"), &media_at);
                (
                    media.clone(),
                    same_kind(),
                    BodyKind::Json(ty.unwrap_or(Type::Json)),
                )
            }
            MediaKind::Form => {
                let kind = self.form_body(prefix, content, &media_at)?;
                (media.clone(), same_kind(), kind)
            }
            MediaKind::Multipart => {
                let kind = match self.multipart_parts(prefix, content, &media_at) {
                    Some(parts) => BodyKind::Multipart(parts),
                    None => BodyKind::Parts,
                };
                (media.clone(), same_kind(), kind)
            }
            MediaKind::Text => {
                // A range (`text/*`) cannot be sent: plain text is the text every server reads.
                let sent = if media.contains('*') {
                    "text/plain".to_owned()
                } else {
                    media.clone()
                };
                (sent, same_kind(), BodyKind::Text)
            }
            MediaKind::Binary => {
                let mut accepted = same_kind();
                // A concrete type is sent; when the document lists only ranges (`*/*`,
                // `image/*`), the client sends bytes as bytes, which the server takes too.
                let sent = match accepted.iter().find(|media| !media.contains('*')) {
                    Some(concrete) => concrete.clone(),
                    None => {
                        accepted.push(OCTET_STREAM.to_owned());
                        OCTET_STREAM.to_owned()
                    }
                };
                (sent, accepted, BodyKind::Binary)
            }
            // Its parts have no names to map properties to: a list of parts.
            MediaKind::OtherMultipart => (media.clone(), same_kind(), BodyKind::Parts),
        };
        Some(RequestBody {
            media_type,
            accepted,
            kind,
            required: body.required,
            docs: body
                .description
                .clone()
                .unwrap_or_else(|| "The request body.".to_owned()),
        })
    }

    /// The type of a media type's schema, if it has one.
    fn content_type_of(&mut self, content: &MediaType, hint: &str, at: &str) -> Option<Type> {
        let schema = content.schema.as_ref()?;
        Some(
            self.types
                .type_of(schema, hint, &push_pointer(at, "schema")),
        )
    }

    /// The shape of an `application/x-www-form-urlencoded` body: an object whose members
    /// are scalars or arrays of scalars, each member a field (arrays one field per item,
    /// the default `style: form, explode: true`); an object whose members nest, or which
    /// the `encoding` sends in `style: deepObject`, as nested form fields; without a
    /// schema, a map of strings.
    fn form_body(&mut self, prefix: &str, content: &MediaType, at: &str) -> Option<BodyKind> {
        let mut deep = Vec::new();
        for (property, encoding) in &content.encoding {
            let encoding_at = push_pointer(&push_pointer(at, "encoding"), property);
            // `openapiv3` reads an absent `explode` as false: the document tells.
            let unexploded = self
                .document
                .pointer(&push_pointer(&encoding_at, "explode"))
                == Some(&Value::Bool(false));
            match encoding.style {
                Some(QueryStyle::DeepObject) => deep.push(property.clone()),
                None | Some(QueryStyle::Form) if !unexploded => {}
                _ => {
                    self.errors.push(
                        Error::at_pointer(self.file, &encoding_at, format!("form field `{property}` has an `encoding` style other than `form` exploded or `deepObject`, which is not supported"))
                            .help("leave `style` and `explode` out (arrays then travel as one field per item), or write `style: deepObject` (`name[0]=item`)"),
                    );
                    return None;
                }
            }
        }
        let Some(schema) = &content.schema else {
            return Some(BodyKind::Form(Type::Map(Box::new(Type::String))));
        };
        if deep.is_empty() && self.fits_form(schema, 0) {
            let ty = self.content_type_of(content, &format!("{prefix}Body"), at)?;
            return Some(BodyKind::Form(ty));
        }
        let schema_at = push_pointer(at, "schema");
        let Some(object) = self.form_object(schema, &schema_at) else {
            self.errors.push(
                Error::at_pointer(self.file, &schema_at, "an `application/x-www-form-urlencoded` body must be an object (its properties are the fields)")
                    .help("describe the body as `type: object` with `properties`, or send it as JSON"),
            );
            return None;
        };
        let repeated = object
            .properties
            .iter()
            .filter(|(wire, member, _)| {
                !deep.contains(wire)
                    && matches!(
                        self.schema(member).map(|s| s.schema_kind),
                        Some(SchemaKind::Type(openapiv3::Type::Array(_)))
                    )
                    && self.is_form_field(member)
            })
            .map(|(wire, ..)| wire.clone())
            .collect();
        let ty = self.content_type_of(content, &format!("{prefix}Body"), at)?;
        Some(BodyKind::NestedForm { ty, repeated })
    }

    /// The properties of a form body's object schema (none for a map).
    fn form_object(&self, schema: &ReferenceOr<Schema>, at: &str) -> Option<ObjectSchema> {
        if let Some(object) = self.object_schema(schema, at) {
            return Some(object);
        }
        match self.schema(schema)?.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(_)) => Some(ObjectSchema {
                properties: Vec::new(),
                required: Vec::new(),
            }),
            SchemaKind::Any(any)
                if any.typ.as_deref() == Some("object") || any.additional_properties.is_some() =>
            {
                Some(ObjectSchema {
                    properties: Vec::new(),
                    required: Vec::new(),
                })
            }
            _ => None,
        }
    }

    /// Whether `schema` is an object of form fields (`allOf` parts merged).
    fn fits_form(&self, schema: &ReferenceOr<Schema>, depth: usize) -> bool {
        let Some(schema) = self.schema(schema) else {
            return false;
        };
        if depth > ALL_OF_DEPTH {
            return false;
        }
        let fits_members = |properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
                            additional: Option<&AdditionalProperties>| {
            let additional = match additional {
                None | Some(AdditionalProperties::Any(false)) => true,
                Some(AdditionalProperties::Any(true)) => false,
                Some(AdditionalProperties::Schema(member)) => self.is_form_field(member),
            };
            additional
                && properties
                    .values()
                    .all(|member| self.is_form_field(&member.clone().unbox()))
        };
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(object)) => {
                fits_members(&object.properties, object.additional_properties.as_ref())
            }
            SchemaKind::AllOf { all_of } => {
                all_of.iter().all(|part| self.fits_form(part, depth + 1))
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                fits_members(&any.properties, any.additional_properties.as_ref())
            }
            _ => false,
        }
    }

    /// Whether a member of a form body is a scalar or an array of scalars.
    pub(super) fn is_form_field(&self, member: &ReferenceOr<Schema>) -> bool {
        let Some(schema) = self.schema(member) else {
            return false;
        };
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Array(array)) => {
                array.items.as_ref().is_some_and(|items| {
                    is_scalar_schema(self.schema(&items.clone().unbox()).as_ref())
                })
            }
            _ => is_scalar_schema(Some(&schema)),
        }
    }

    /// The parts of a `multipart/form-data` body: one per property of its object schema;
    /// `None` when the schema is not an object with properties (the body is then a list
    /// of parts).
    fn multipart_parts(
        &mut self,
        prefix: &str,
        content: &MediaType,
        at: &str,
    ) -> Option<Vec<Part>> {
        let schema_at = push_pointer(at, "schema");
        let object = content
            .schema
            .as_ref()
            .and_then(|schema| self.object_schema(schema, &schema_at))?;
        let mut scope = Scope::default();
        let required = object.required;
        let parts = object
            .properties
            .into_iter()
            .map(|(wire, member, member_at)| {
                let wire = wire.as_str();
                let content_type = content
                    .encoding
                    .get(wire)
                    .and_then(|encoding| encoding.content_type.as_deref())
                    .filter(|media| {
                        !media.contains([',', '*']) && http::HeaderValue::from_str(media).is_ok()
                    })
                    .unwrap_or(OCTET_STREAM)
                    .to_owned();
                let resolved = self.schema(&member);
                let items = match resolved.as_ref().map(|s| &s.schema_kind) {
                    Some(SchemaKind::Type(openapiv3::Type::Array(array))) => {
                        array.items.clone().map(ReferenceOr::unbox)
                    }
                    _ => None,
                };
                // A file's bytes have no constraints to check.
                let (ty, list, kind, constraints) = if is_binary(resolved.as_ref()) {
                    (
                        Type::Bytes,
                        false,
                        PartKind::File(content_type),
                        Constraints::default(),
                    )
                } else if items
                    .as_ref()
                    .is_some_and(|items| is_binary(self.schema(items).as_ref()))
                {
                    (
                        Type::Bytes,
                        true,
                        PartKind::File(content_type),
                        Constraints::default(),
                    )
                } else {
                    let hint = format!("{prefix}Body{}", type_name(wire));
                    let (ty, constraints) = self.types.lowered(&member, &hint, &member_at);
                    let (ty, list, kind) = match ty {
                        Type::Option(inner) if self.types.is_param_scalar(&inner) => {
                            (*inner, false, PartKind::Text)
                        }
                        ty if self.types.is_param_scalar(&ty) => (ty, false, PartKind::Text),
                        Type::Vec(item) if self.types.is_param_scalar(&item) => {
                            (*item, true, PartKind::Text)
                        }
                        ty => (ty, false, PartKind::Json),
                    };
                    (ty, list, kind, constraints)
                };
                let docs = match &member {
                    ReferenceOr::Item(schema) => super::types::schema_docs(schema),
                    ReferenceOr::Reference { .. } => None,
                };
                Part {
                    name: scope.unique(field_name(wire)),
                    wire_name: wire.to_owned(),
                    ty,
                    list,
                    kind,
                    required: required.iter().any(|name| name == wire),
                    constraints,
                    docs: super::types::fallback_docs(docs, wire),
                }
            })
            .collect();
        Some(parts)
    }

    /// The properties of an object schema, its `allOf` parts merged and references
    /// followed.
    pub(super) fn object_schema(
        &self,
        schema: &ReferenceOr<Schema>,
        at: &str,
    ) -> Option<ObjectSchema> {
        // Where the schema stands: in place, or where its `$ref` points.
        let at = match schema {
            ReferenceOr::Reference { reference } => reference.strip_prefix('#')?.to_owned(),
            ReferenceOr::Item(_) => at.to_owned(),
        };
        let resolved = self.schema(schema)?;
        let own = |properties: indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
                   required: Vec<String>| {
            let properties = properties
                .into_iter()
                .map(|(wire, member)| {
                    let member_at = push_pointer(&push_pointer(&at, "properties"), &wire);
                    (wire, member.unbox(), member_at)
                })
                .collect();
            ObjectSchema {
                properties,
                required,
            }
        };
        match resolved.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(object)) if !object.properties.is_empty() => {
                Some(own(object.properties, object.required))
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                Some(own(any.properties, any.required))
            }
            SchemaKind::AllOf { all_of } => {
                let mut merged = ObjectSchema {
                    properties: Vec::new(),
                    required: Vec::new(),
                };
                for (i, part) in all_of.iter().enumerate() {
                    let part_at = push_pointer(&push_pointer(&at, "allOf"), &i.to_string());
                    let part = self.object_schema(part, &part_at)?;
                    merged.properties.extend(part.properties);
                    merged.required.extend(part.required);
                }
                Some(merged)
            }
            _ => None,
        }
    }
}

/// The properties of an object schema, as a multipart body's parts are read from.
pub(super) struct ObjectSchema {
    /// Each property's name, schema, and the JSON pointer of its schema.
    pub(super) properties: Vec<(String, ReferenceOr<Schema>, String)>,
    /// The names of the required properties.
    pub(super) required: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Service;
    use std::path::Path;

    fn lowered(paths: &str) -> Result<Service, String> {
        let yaml = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}");
        let document = crate::load::parse(Path::new("api.yaml"), &yaml)
            .unwrap_or_else(|errors| panic!("{errors}"));
        super::super::lower(&document, "api", "openapi/api.yaml")
            .map_err(|errors| errors.to_string())
    }

    /// An operation `POST /x` whose request body offers `content`.
    fn body_of(content: &str) -> Result<RequestBody, String> {
        let service = lowered(&format!(
            "  /x:\n    post:\n      requestBody:\n        required: true\n        content: {content}\n      responses: {{'204': {{description: ok}}}}\n"
        ))?;
        Ok(service.operations[0].body.clone().expect("a body"))
    }

    #[test]
    fn the_most_structured_media_type_is_chosen_and_its_kind_accepted() {
        let body = body_of("{text/plain: {}, application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}, application/vnd.api+json: {}, application/json: {}}").unwrap();
        assert_eq!(
            body.media_type, "application/vnd.api+json",
            "the first JSON type listed"
        );
        assert_eq!(body.kind, BodyKind::Json(Type::Json));
        assert_eq!(
            body.accepted,
            ["application/vnd.api+json", "application/json"]
        );

        let body = body_of("{application/octet-stream: {}, text/csv: {}, text/plain: {}}").unwrap();
        assert_eq!(
            (body.media_type.as_str(), &body.kind),
            ("text/csv", &BodyKind::Text)
        );
        assert_eq!(body.accepted, ["text/csv", "text/plain"]);

        let body = body_of("{image/*: {}, application/x-ndjson: {}}").unwrap();
        assert_eq!(body.kind, BodyKind::Binary);
        assert_eq!(
            body.media_type, "application/x-ndjson",
            "a concrete type is sent"
        );
        let body = body_of("{'*/*': {}}").unwrap();
        assert_eq!(body.media_type, "application/octet-stream");
        assert_eq!(body.accepted, ["*/*", "application/octet-stream"]);

        let body = body_of("{text/*: {}}").unwrap();
        assert_eq!(body.media_type, "text/plain");
    }

    #[test]
    fn a_multipart_body_has_one_part_per_property() {
        let body = body_of(
            "
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                pages: {type: array, items: {type: string, format: binary}}
                title: {type: string, maxLength: 3}
                sizes: {type: array, items: {type: integer}}
                meta: {type: object, properties: {a: {type: string}}}
            encoding:
              file: {contentType: application/pdf}
              pages: {contentType: 'image/png, image/jpeg'}",
        )
        .unwrap();
        let BodyKind::Multipart(parts) = body.kind else {
            panic!("{:?}", body.kind);
        };
        let shapes: Vec<(&str, &Type, bool, &PartKind, bool)> = parts
            .iter()
            .map(|p| (p.name.as_str(), &p.ty, p.list, &p.kind, p.required))
            .collect();
        let octets = PartKind::File(OCTET_STREAM.to_owned());
        assert_eq!(
            shapes,
            [
                (
                    "file",
                    &Type::Bytes,
                    false,
                    &PartKind::File("application/pdf".to_owned()),
                    true
                ),
                ("pages", &Type::Bytes, true, &octets, false),
                ("title", &Type::String, false, &PartKind::Text, false),
                ("sizes", &Type::I64, true, &PartKind::Text, false),
                (
                    "meta",
                    &Type::Named("PostXBodyMeta".to_owned()),
                    false,
                    &PartKind::Json,
                    false
                ),
            ],
            "a list of content types is sent as bytes"
        );
        assert_eq!(parts[2].constraints.max_length, Some(3));
    }

    #[test]
    fn a_form_body_that_nests_travels_in_brackets_and_its_plain_arrays_repeat() {
        let body = body_of(
            "
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                metadata: {type: object, additionalProperties: {type: string}}
                expand: {type: array, items: {type: string}}
                tags: {type: array, items: {type: string}}
                items: {type: array, items: {type: object, properties: {price: {type: string}}}}
            encoding:
              expand: {style: deepObject, explode: true}",
        )
        .unwrap();
        let BodyKind::NestedForm { repeated, .. } = body.kind else {
            panic!("{:?}", body.kind);
        };
        assert_eq!(
            repeated,
            ["tags"],
            "`expand` is indexed, `items` holds objects"
        );
        let flat = body_of("{application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: array, items: {type: string}}}}}}").unwrap();
        assert!(matches!(flat.kind, BodyKind::Form(_)), "{:?}", flat.kind);
    }

    #[test]
    fn bodies_without_a_shape_are_refused_where_they_stand() {
        let message =
            body_of("{application/x-www-form-urlencoded: {schema: {type: string}}}").unwrap_err();
        assert!(message.contains("/content/application~1x-www-form-urlencoded/schema: an `application/x-www-form-urlencoded` body must be an object"), "{message}");
        let message = body_of("{application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: array, items: {type: string}}}}, encoding: {a: {style: pipeDelimited}}}}").unwrap_err();
        assert!(
            message.contains("/encoding/a: form field `a` has an `encoding` style other than"),
            "{message}"
        );
        let message = body_of("{application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: array, items: {type: string}}}}, encoding: {a: {explode: false}}}}").unwrap_err();
        assert!(message.contains("/encoding/a: form field `a`"), "{message}");
        assert_eq!(message.matches("help:").count(), 1, "{message}");
    }

    #[test]
    fn a_multipart_body_without_an_object_of_parts_is_a_list_of_parts() {
        for content in [
            "{multipart/form-data: {schema: {}}}",
            "{multipart/form-data: {schema: {type: string, format: binary}}}",
            "{multipart/form-data: {schema: {type: object}}}",
            "{multipart/mixed: {}}",
        ] {
            let body = body_of(content).unwrap();
            assert_eq!(body.kind, BodyKind::Parts, "{content}");
        }
        let mixed =
            body_of("{multipart/mixed: {schema: {type: object, properties: {a: {type: string}}}}}")
                .unwrap();
        assert_eq!(
            (mixed.media_type.as_str(), &mixed.kind),
            ("multipart/mixed", &BodyKind::Parts),
            "parts of multipart/mixed have no names to hold properties"
        );
    }
}
