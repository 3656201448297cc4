//! The validation keywords of one schema, as [`Constraints`] a server enforces.
//!
//! Only the schema's own keywords are read here; what its items, its `allOf` parts and
//! the schemas it refers to add is found by the walk that lowers its type
//! ([`super::types::TypeSpace`]), so that types and constraints follow the same parts.

use crate::model::{Bound, Constraints, Number};
use openapiv3::{Schema, SchemaKind, Type};
use serde_json::Value;

/// The keywords of `schema` itself. `raw` finds the schema as the document writes it,
/// when known: an integer bound is read from it exactly (`openapiv3` holds a bound beyond
/// `i64`, and every number schema's, as an `f64`, which rounds past 2^53). It is only
/// called for a bound: finding a deep schema by its pointer costs more than the rest.
pub fn keywords<'a>(schema: &Schema, raw: impl Fn() -> Option<&'a Value>) -> Constraints {
    let usize_bound = |n: Option<usize>| n.and_then(|n| u64::try_from(n).ok());
    let bound = |key: &str, parsed: Option<f64>, exclusive: bool| {
        parsed.map(|parsed| Bound {
            value: exact(raw(), key, parsed).unwrap_or(Number::Float(parsed)),
            exclusive,
        })
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if string.enumeration.is_empty() => Constraints {
            min_length: usize_bound(string.min_length),
            max_length: usize_bound(string.max_length),
            pattern: string.pattern.clone().filter(|p| compiles(p)),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Integer(integer)) => Constraints {
            minimum: integer.minimum.map(|m| Bound {
                value: Number::Integer(m.into()),
                exclusive: integer.exclusive_minimum,
            }),
            maximum: integer.maximum.map(|m| Bound {
                value: Number::Integer(m.into()),
                exclusive: integer.exclusive_maximum,
            }),
            integers: integer_enum(integer.enumeration.iter().flatten().map(|v| i128::from(*v))),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Number(number)) => Constraints {
            minimum: bound("minimum", number.minimum, number.exclusive_minimum),
            maximum: bound("maximum", number.maximum, number.exclusive_maximum),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Array(array)) => Constraints {
            min_items: usize_bound(array.min_items),
            max_items: usize_bound(array.max_items),
            ..Constraints::default()
        },
        SchemaKind::Any(any) => Constraints {
            min_length: usize_bound(any.min_length),
            max_length: usize_bound(any.max_length),
            pattern: any.pattern.clone().filter(|p| compiles(p)),
            minimum: bound(
                "minimum",
                any.minimum,
                any.exclusive_minimum.unwrap_or(false),
            ),
            maximum: bound(
                "maximum",
                any.maximum,
                any.exclusive_maximum.unwrap_or(false),
            ),
            min_items: usize_bound(any.min_items),
            max_items: usize_bound(any.max_items),
            integers: if any.typ.as_deref() == Some("integer") {
                integer_enum(any.enumeration.iter().filter_map(integer))
            } else {
                None
            },
            ..Constraints::default()
        },
        _ => Constraints::default(),
    }
}

/// The bound `key` of `raw` exactly, when the document writes it as an integer (and it
/// is the bound `openapiv3` read, `parsed`).
fn exact(raw: Option<&Value>, key: &str, parsed: f64) -> Option<Number> {
    let written = raw?.get(key)?;
    let value = integer(written)?;
    (written.as_f64() == Some(parsed)).then_some(Number::Integer(value))
}

/// A JSON integer (every one an `i64` or a `u64` holds), exactly.
fn integer(value: &Value) -> Option<i128> {
    value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
}

/// The values of an integer `enum` (`null`, allowed by a nullable one, is the `Option`'s
/// business), if it has any.
fn integer_enum(values: impl Iterator<Item = i128>) -> Option<Vec<i128>> {
    let values: Vec<i128> = values.collect();
    (!values.is_empty()).then_some(values)
}

/// Whether a schema only constrains values and says nothing of their type: no `type`,
/// no member of an object, no `items`, no combinator, only validation keywords
/// (`allOf: [$ref Code, {maxLength: 3}]`'s second part). Such a part of an `allOf`
/// adds its constraints and leaves the type to the other parts.
pub fn constrains_only(schema: &Schema) -> bool {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return false;
    };
    let keywords = openapiv3::AnySchema {
        min_length: any.min_length,
        max_length: any.max_length,
        pattern: any.pattern.clone(),
        minimum: any.minimum,
        maximum: any.maximum,
        exclusive_minimum: any.exclusive_minimum,
        exclusive_maximum: any.exclusive_maximum,
        min_items: any.min_items,
        max_items: any.max_items,
        multiple_of: any.multiple_of,
        unique_items: any.unique_items,
        ..openapiv3::AnySchema::default()
    };
    *any == keywords && keywords != openapiv3::AnySchema::default()
}

/// Whether a pattern can be enforced: the generated code compiles it with
/// `apigen_runtime::pattern::compile` (ECMA-262's meaning, by the `regex` crate), which
/// takes the patterns documents use except look-around and back-references, which are
/// then not enforced (the field's documentation says so).
pub fn compiles(pattern: &str) -> bool {
    apigen_runtime::pattern::compile(pattern).is_ok()
}

/// A sentence for the docs of a value whose pattern cannot be enforced, if that is so.
pub fn unenforced_pattern(schema: &openapiv3::ReferenceOr<Box<Schema>>) -> Option<String> {
    let openapiv3::ReferenceOr::Item(schema) = schema else {
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
