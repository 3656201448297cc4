//! The validation keywords of a schema, as [`Constraints`] a server enforces.

use crate::model::Constraints;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

/// The constraints of `schema`, following references (and the one-part `allOf` that
/// OpenAPI 3.0 uses to describe a reference) to the schema that holds them. A reference
/// to an object or an enum has none here: those types check themselves.
pub fn of(schema: &ReferenceOr<Schema>, document: &Value) -> Constraints {
    of_depth(schema, document, DEPTH)
}

/// The same for the boxed schemas of properties and items.
pub fn of_boxed(schema: &ReferenceOr<Box<Schema>>, document: &Value) -> Constraints {
    of_boxed_depth(schema, document, DEPTH)
}

/// How many arrays deep constraints are looked for: a recursive array schema
/// (`Tree: {items: $ref Tree}`) would otherwise be followed forever.
const DEPTH: usize = 8;

fn of_depth(schema: &ReferenceOr<Schema>, document: &Value, depth: usize) -> Constraints {
    match schema {
        ReferenceOr::Item(schema) => of_schema(schema, document, depth),
        ReferenceOr::Reference { reference } => resolve(reference, document)
            .map_or_else(Constraints::default, |s| of_schema(&s, document, depth)),
    }
}

fn of_boxed_depth(
    schema: &ReferenceOr<Box<Schema>>,
    document: &Value,
    depth: usize,
) -> Constraints {
    match schema {
        ReferenceOr::Item(schema) => of_schema(schema, document, depth),
        ReferenceOr::Reference { reference } => resolve(reference, document)
            .map_or_else(Constraints::default, |s| of_schema(&s, document, depth)),
    }
}

fn resolve(reference: &str, document: &Value) -> Option<Schema> {
    let target = document.pointer(reference.strip_prefix('#')?)?;
    serde_json::from_value(target.clone()).ok()
}

fn of_schema(schema: &Schema, document: &Value, depth: usize) -> Constraints {
    if depth == 0 {
        return Constraints::default();
    }
    let usize_bound = |n: Option<usize>| n.and_then(|n| u64::try_from(n).ok());
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if string.enumeration.is_empty() => Constraints {
            min_length: usize_bound(string.min_length),
            max_length: usize_bound(string.max_length),
            pattern: string.pattern.clone().filter(|p| compiles(p)),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Integer(integer)) => Constraints {
            #[allow(
                clippy::cast_precision_loss,
                reason = "bounds beyond 2^53 are rounded, as JSON numbers are"
            )]
            minimum: integer
                .minimum
                .map(|m| (m as f64, integer.exclusive_minimum)),
            #[allow(
                clippy::cast_precision_loss,
                reason = "bounds beyond 2^53 are rounded, as JSON numbers are"
            )]
            maximum: integer
                .maximum
                .map(|m| (m as f64, integer.exclusive_maximum)),
            integers: integer_enum(integer.enumeration.iter().map(|v| v.map(Value::from))),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Number(number)) => Constraints {
            minimum: number.minimum.map(|m| (m, number.exclusive_minimum)),
            maximum: number.maximum.map(|m| (m, number.exclusive_maximum)),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Array(array)) => Constraints {
            min_items: usize_bound(array.min_items),
            max_items: usize_bound(array.max_items),
            items: array
                .items
                .as_ref()
                .map(|items| of_boxed_depth(items, document, depth - 1))
                .filter(|c| !c.is_empty())
                .map(Box::new),
            ..Constraints::default()
        },
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
            of_depth(&all_of[0], document, depth - 1)
        }
        SchemaKind::Any(any) => Constraints {
            min_length: usize_bound(any.min_length),
            max_length: usize_bound(any.max_length),
            pattern: any.pattern.clone().filter(|p| compiles(p)),
            minimum: any
                .minimum
                .map(|m| (m, any.exclusive_minimum.unwrap_or(false))),
            maximum: any
                .maximum
                .map(|m| (m, any.exclusive_maximum.unwrap_or(false))),
            min_items: usize_bound(any.min_items),
            max_items: usize_bound(any.max_items),
            items: any
                .items
                .as_ref()
                .map(|items| of_boxed_depth(items, document, depth - 1))
                .filter(|c| !c.is_empty())
                .map(Box::new),
            integers: if any.typ.as_deref() == Some("integer") {
                integer_enum(any.enumeration.iter().cloned().map(Some))
            } else {
                None
            },
        },
        _ => Constraints::default(),
    }
}

/// The values of an integer `enum` (`null`, allowed by a nullable one, is the `Option`'s
/// business), if it has any that fit in an `i64`.
fn integer_enum(values: impl Iterator<Item = Option<Value>>) -> Option<Vec<i64>> {
    let values: Vec<i64> = values.flatten().filter_map(|v| v.as_i64()).collect();
    (!values.is_empty()).then_some(values)
}

/// Whether a pattern can be enforced: the generated code compiles it with
/// `apigen_runtime::pattern::compile` (ECMA-262's meaning, by the `regex` crate), which
/// takes the patterns documents use except look-around and back-references, which are
/// then not enforced (the field's documentation says so).
pub fn compiles(pattern: &str) -> bool {
    apigen_runtime::pattern::compile(pattern).is_ok()
}

/// A sentence for the docs of a value whose pattern cannot be enforced, if that is so.
pub fn unenforced_pattern(schema: &ReferenceOr<Box<Schema>>) -> Option<String> {
    let ReferenceOr::Item(schema) = schema else {
        return None;
    };
    let pattern = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.pattern.as_ref(),
        SchemaKind::Any(any) => any.pattern.as_ref(),
        _ => None,
    }?;
    (!compiles(pattern)).then(|| {
        format!("The pattern `{pattern}` is not enforced: the `regex` crate cannot compile it.")
    })
}
