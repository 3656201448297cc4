//! The validation keywords of a schema, as [`Constraints`] a server enforces.

use crate::model::{Bound, Constraints, Number};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;
use std::cmp::Ordering;

/// The constraints of `schema`, following references and `allOf` (every part holds: a
/// reference with a description beside it, `allOf: [$ref, {description}]`, keeps the
/// referenced schema's constraints) to the schemas that hold them. A reference to an
/// object or an enum has none here: those types check themselves.
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
            minimum: integer.minimum.map(|m| Bound {
                value: Number::Integer(m.into()),
                exclusive: integer.exclusive_minimum,
            }),
            maximum: integer.maximum.map(|m| Bound {
                value: Number::Integer(m.into()),
                exclusive: integer.exclusive_maximum,
            }),
            integers: integer_enum(integer.enumeration.iter().map(|v| v.map(Value::from))),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Number(number)) => Constraints {
            minimum: number.minimum.map(|m| float(m, number.exclusive_minimum)),
            maximum: number.maximum.map(|m| float(m, number.exclusive_maximum)),
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
        SchemaKind::AllOf { all_of } => all_of
            .iter()
            .map(|part| of_depth(part, document, depth - 1))
            .fold(Constraints::default(), both),
        SchemaKind::Any(any) => Constraints {
            min_length: usize_bound(any.min_length),
            max_length: usize_bound(any.max_length),
            pattern: any.pattern.clone().filter(|p| compiles(p)),
            minimum: any
                .minimum
                .map(|m| float(m, any.exclusive_minimum.unwrap_or(false))),
            maximum: any
                .maximum
                .map(|m| float(m, any.exclusive_maximum.unwrap_or(false))),
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

/// A bound the typed model holds as an `f64` (`openapiv3` reads a number schema's bounds,
/// and any schema's whose bound an `i64` cannot hold, as `f64`).
fn float(value: f64, exclusive: bool) -> Bound {
    Bound {
        value: Number::Float(value),
        exclusive,
    }
}

/// What a value satisfying both `a` and `b` satisfies: the tighter of each bound.
fn both(a: Constraints, b: Constraints) -> Constraints {
    fn tighter<T>(a: Option<T>, b: Option<T>, pick: impl FnOnce(T, T) -> T) -> Option<T> {
        match (a, b) {
            (Some(a), Some(b)) => Some(pick(a, b)),
            (a, b) => a.or(b),
        }
    }
    // Integers compare exactly; of two equal bounds the exclusive one is the tighter.
    let order = |x: &Bound, y: &Bound| match (x.value, y.value) {
        (Number::Integer(x), Number::Integer(y)) => x.cmp(&y),
        _ => x.as_f64().total_cmp(&y.as_f64()),
    };
    let lower = |x: Bound, y: Bound| match order(&x, &y) {
        Ordering::Less => y,
        Ordering::Greater => x,
        Ordering::Equal if y.exclusive => y,
        Ordering::Equal => x,
    };
    let upper = |x: Bound, y: Bound| match order(&x, &y) {
        Ordering::Greater => y,
        Ordering::Less => x,
        Ordering::Equal if y.exclusive => y,
        Ordering::Equal => x,
    };
    Constraints {
        min_length: tighter(a.min_length, b.min_length, u64::max),
        max_length: tighter(a.max_length, b.max_length, u64::min),
        // Two patterns cannot be made one: the first is enforced.
        pattern: a.pattern.or(b.pattern),
        minimum: tighter(a.minimum, b.minimum, lower),
        maximum: tighter(a.maximum, b.maximum, upper),
        min_items: tighter(a.min_items, b.min_items, u64::max),
        max_items: tighter(a.max_items, b.max_items, u64::min),
        items: tighter(a.items, b.items, |x, y| Box::new(both(*x, *y))),
        integers: tighter(a.integers, b.integers, |x, y| {
            x.into_iter().filter(|v| y.contains(v)).collect()
        }),
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
