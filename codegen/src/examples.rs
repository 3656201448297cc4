//! Every example in a document must be valid for its schema: examples are what readers,
//! mock servers and tests trust, so a wrong one is an error, not a warning.
//!
//! OpenAPI 3.0 schemas are JSON Schema draft 4 with a few additions; the one that changes
//! validation, `nullable`, is rewritten into draft 4 before a real validator
//! (`jsonschema`) checks each example. OpenAPI 3.1 schemas are JSON Schema 2020-12 (or
//! the draft `jsonSchemaDialect` names), checked as written.

use crate::error::{Error, Errors, pointer_key, push_pointer};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// Checks every `example` and `examples` value of `document` against its schema.
pub fn check(file: &Path, document: &Value) -> Result<(), Errors> {
    let dialect = dialect(document);
    let mut found = Vec::new();
    collect(document, document, "", Place::Any, &mut found);
    // Many examples share a schema (every operation answering with one `$ref`ed
    // component): a validator is compiled once per schema they resolve to, and dropped
    // after the last example it checks (all of GitHub's at once took 90 MB).
    let schemas: Vec<String> = found
        .iter()
        .map(|example| target(document, &example.schema))
        .collect();
    // An example in `components/examples` is found once per place that refers to it;
    // checked again against the same schema it would only repeat its warnings (GitHub's
    // `codespace` example eleven times over).
    let mut checked = HashSet::new();
    let (found, schemas): (Vec<Example>, Vec<String>) = found
        .into_iter()
        .zip(schemas)
        .filter(|(example, schema)| checked.insert((schema.clone(), example.pointer.clone())))
        .unzip();
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for schema in &schemas {
        *uses.entry(schema).or_default() += 1;
    }
    let mut validators = BTreeMap::new();
    let mut errors = Vec::new();
    for (example, schema) in found.into_iter().zip(&schemas) {
        let validator = validators
            .entry(schema.as_str())
            .or_insert_with_key(|&schema| {
                // Only the part of the document the schema reaches is rewritten into draft 4
                // and compiled: a rewritten copy of the whole of GitHub's description took
                // 150 MB.
                let mut wrapped = BTreeSet::new();
                let mut pruned = match dialect {
                    Some(_) => reachable(document, schema),
                    None => draft4(&reachable(document, schema), &mut Vec::new(), &mut wrapped),
                };
                if let Value::Object(map) = &mut pruned {
                    // In draft 4 a `$ref` hides its siblings: the schema is the one it names,
                    // resolved within the (pruned, rewritten) document.
                    map.insert(
                        "$ref".to_owned(),
                        Value::String(format!("#{}", fragment(&rewritten(&wrapped, schema)))),
                    );
                }
                jsonschema::options()
                    .with_draft(dialect.unwrap_or(jsonschema::Draft::Draft4))
                    .should_validate_formats(true)
                    // Formats OpenAPI 3.0 names that draft 4 does not know.
                    .with_format("uuid", is_uuid)
                    .build(&pruned)
                    .map_err(|error| error.to_string())
            });
        match validator {
            Ok(validator) => {
                for error in validator.iter_errors(example.value) {
                    let inside = error.instance_path().to_string();
                    errors.push(
                        Error::at_pointer(
                            file,
                            &example.pointer,
                            format!(
                                "example is not valid for its schema at `{}`: {error}",
                                if inside.is_empty() { "/" } else { &inside }
                            ),
                        )
                        .help(format!(
                            "correct the example, or the schema at #{}",
                            example.schema
                        ))
                        .kind(error.kind().keyword()),
                    );
                }
            }
            Err(message) => errors.push(
                Error::at_pointer(
                    file,
                    &example.schema,
                    format!("schema cannot be compiled to check examples: {message}"),
                )
                .kind("uncompilable schema"),
            ),
        }
        if let Some(left) = uses.get_mut(schema.as_str()) {
            *left -= 1;
            if *left == 0 {
                validators.remove(schema.as_str());
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

/// The JSON Schema draft of a 3.1 document's schemas: the one `jsonSchemaDialect` names
/// when it is a draft `jsonschema` knows, else 2020-12 (3.1's own); `None` for 3.0.
fn dialect(document: &Value) -> Option<jsonschema::Draft> {
    use jsonschema::Draft;
    if !crate::load::v31::is_31(document) {
        return None;
    }
    let named = document.get("jsonSchemaDialect").and_then(Value::as_str);
    Some(match named.map(|uri| uri.trim_end_matches('#')) {
        Some("http://json-schema.org/draft-04/schema") => Draft::Draft4,
        Some("http://json-schema.org/draft-06/schema") => Draft::Draft6,
        Some("http://json-schema.org/draft-07/schema") => Draft::Draft7,
        Some("https://json-schema.org/draft/2019-09/schema") => Draft::Draft201909,
        _ => Draft::Draft202012,
    })
}

/// Where the schema at `pointer` of the document stands in its [`draft4`] rewrite:
/// [`nullable`] wraps a schema without a `type` in an `anyOf`, one level deeper, so a
/// pointer through one of the `wrapped` places gains an `/anyOf/0` there.
fn rewritten(wrapped: &BTreeSet<String>, pointer: &str) -> String {
    if wrapped.is_empty() {
        return pointer.to_owned();
    }
    let mut out = String::with_capacity(pointer.len());
    let mut original = String::with_capacity(pointer.len());
    for token in pointer.split('/').skip(1) {
        if wrapped.contains(&original) {
            out.push_str("/anyOf/0");
        }
        original.push('/');
        original.push_str(token);
        out.push('/');
        out.push_str(token);
    }
    out
}

/// The schema a schema that is only a local `$ref` names, followed to the end (with a
/// guard against cycles); any other schema is its own.
fn target(root: &Value, pointer: &str) -> String {
    let mut pointer = pointer.to_owned();
    for _ in 0..32 {
        let Some(Value::Object(schema)) = root.pointer(&pointer) else {
            break;
        };
        match (schema.len(), schema.get("$ref").and_then(Value::as_str)) {
            (1, Some(reference)) if reference.starts_with('#') => {
                pointer = reference[1..].to_owned();
            }
            _ => break,
        }
    }
    pointer
}

/// The part of `root` a validator for the schema at `pointer` can reach: that schema and
/// every local `$ref` target reachable from it, each at its own pointer, inside a skeleton
/// of objects. The validator compiles (and walks) only this, not the whole document:
/// compiling GitHub's 10 MB description once per distinct example schema took minutes.
/// Skeleton levels are objects even where the document has arrays (`parameters/0`): a
/// JSON pointer's `0` names an object's member `"0"` just as well.
fn reachable(root: &Value, pointer: &str) -> Value {
    let mut wanted = BTreeSet::new();
    let mut pending = vec![pointer.to_owned()];
    while let Some(next) = pending.pop() {
        if wanted.contains(&next) {
            continue;
        }
        if let Some(value) = root.pointer(&next) {
            references(value, &mut |target| pending.push(target.to_owned()));
        }
        wanted.insert(next);
    }
    // A pointer inside another one comes along with it.
    let mut kept: Vec<&String> = Vec::new();
    for pointer in &wanted {
        if !kept.iter().any(|outer| {
            pointer
                .strip_prefix(outer.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        }) {
            kept.push(pointer);
        }
    }
    let mut pruned = Value::Object(Map::new());
    for pointer in kept {
        let Some(value) = root.pointer(pointer) else {
            continue;
        };
        let mut at = &mut pruned;
        for token in pointer.split('/').skip(1) {
            let token = pointer_key(token);
            let Value::Object(map) = at else { break };
            at = map
                .entry(token)
                .or_insert_with(|| Value::Object(Map::new()));
        }
        *at = value.clone();
    }
    pruned
}

/// Calls `found` with the pointer of every local `$ref` within `value` (`load` has
/// decoded percent-encoded fragments).
fn references(value: &Value, found: &mut impl FnMut(&str)) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                found(target);
            }
            map.values().for_each(|child| references(child, found));
        }
        Value::Array(items) => items.iter().for_each(|child| references(child, found)),
        _ => {}
    }
}

/// A JSON pointer as a URI fragment (RFC 6901 §6): `{` in `/paths/~1users~1{id}` must
/// be percent-encoded.
fn fragment(pointer: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/')
        .remove(b'!')
        .remove(b'$')
        .remove(b'&')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')')
        .remove(b'*')
        .remove(b'+')
        .remove(b',')
        .remove(b';')
        .remove(b'=')
        .remove(b':')
        .remove(b'@');
    utf8_percent_encode(pointer, KEEP).to_string()
}

/// An example and the schema it must satisfy.
struct Example<'a> {
    /// Where the example value stands.
    pointer: String,
    /// Where its schema stands.
    schema: String,
    value: &'a Value,
}

/// Whether the value being walked is a schema (whose `example` is checked against
/// itself) or anything else (where `example` is checked against a sibling `schema`).
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Any,
    Schema,
}

fn collect<'a>(
    root: &'a Value,
    value: &'a Value,
    pointer: &str,
    place: Place,
    found: &mut Vec<Example<'a>>,
) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (i, item) in items.iter().enumerate() {
                collect(
                    root,
                    item,
                    &push_pointer(pointer, &i.to_string()),
                    place,
                    found,
                );
            }
        }
        return;
    };
    let schema = match place {
        Place::Schema => Some(pointer.to_owned()),
        Place::Any => map.get("schema").map(|_| push_pointer(pointer, "schema")),
    };
    if let Some(schema) = &schema {
        // 3.1 schemas list theirs.
        if place == Place::Schema
            && let Some(Value::Array(examples)) = map.get("examples")
        {
            for (i, value) in examples.iter().enumerate() {
                found.push(Example {
                    pointer: push_pointer(&push_pointer(pointer, "examples"), &i.to_string()),
                    schema: schema.clone(),
                    value,
                });
            }
        }
        if let Some(value) = map.get("example") {
            found.push(Example {
                pointer: push_pointer(pointer, "example"),
                schema: schema.clone(),
                value,
            });
        }
        if place == Place::Any
            && let Some(Value::Object(examples)) = map.get("examples")
        {
            for (name, example) in examples {
                let at = push_pointer(&push_pointer(pointer, "examples"), name);
                let (example, at) = follow(root, example, at);
                if let Some(value) = example.get("value") {
                    found.push(Example {
                        pointer: push_pointer(&at, "value"),
                        schema: schema.clone(),
                        value,
                    });
                }
            }
        }
    }
    for (key, child) in map {
        let child_pointer = push_pointer(pointer, key);
        let child_place = match (place, key.as_str()) {
            (Place::Any, "schema") => Place::Schema,
            (Place::Any, "schemas") if pointer == "/components" => {
                for (name, schema) in child.as_object().into_iter().flatten() {
                    collect(
                        root,
                        schema,
                        &push_pointer(&child_pointer, name),
                        Place::Schema,
                        found,
                    );
                }
                continue;
            }
            (Place::Schema, "properties" | "$defs" | "patternProperties" | "dependentSchemas") => {
                for (name, schema) in child.as_object().into_iter().flatten() {
                    collect(
                        root,
                        schema,
                        &push_pointer(&child_pointer, name),
                        Place::Schema,
                        found,
                    );
                }
                continue;
            }
            (
                Place::Schema,
                "items"
                | "additionalProperties"
                | "not"
                | "allOf"
                | "oneOf"
                | "anyOf"
                | "prefixItems"
                | "if"
                | "then"
                | "else"
                | "contains",
            ) => Place::Schema,
            (Place::Schema, _) => continue,
            (Place::Any, "example" | "examples") => continue,
            (Place::Any, _) => Place::Any,
        };
        collect(root, child, &child_pointer, child_place, found);
    }
}

/// Follows a `$ref` to a `components/examples` entry.
fn follow<'a>(root: &'a Value, value: &'a Value, pointer: String) -> (&'a Value, String) {
    match value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(fragment) => match root.pointer(fragment) {
            Some(target) => (target, fragment.to_owned()),
            None => (value, pointer),
        },
        None => (value, pointer),
    }
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Rewrites OpenAPI 3.0's `nullable: true` into draft 4, everywhere in the document, and
/// the integer formats into the bounds they imply. `path` is where `value` stands (its
/// unescaped keys); the pointer of every schema wrapped in an `anyOf` goes in `wrapped`.
fn draft4(value: &Value, path: &mut Vec<String>, wrapped: &mut BTreeSet<String>) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .map(|(k, v)| {
                    path.push(k.clone());
                    let rewritten = draft4(v, path, wrapped);
                    path.pop();
                    (k.clone(), rewritten)
                })
                .collect();
            if out.get("type") == Some(&json!("integer")) {
                let bounds = match out.get("format").and_then(Value::as_str) {
                    Some("int32") => Some((json!(i32::MIN), json!(i32::MAX))),
                    Some("int64") => Some((json!(i64::MIN), json!(i64::MAX))),
                    Some("uint32") => Some((json!(0), json!(u32::MAX))),
                    Some("uint64") => Some((json!(0), json!(u64::MAX))),
                    _ => None,
                };
                if let Some((minimum, maximum)) = bounds {
                    out.entry("minimum").or_insert(minimum);
                    out.entry("maximum").or_insert(maximum);
                }
            }
            if out.remove("nullable") == Some(Value::Bool(true)) {
                let nullable = nullable(out);
                if nullable.get("type").is_none() {
                    wrapped.insert(
                        path.iter()
                            .fold(String::new(), |pointer, key| push_pointer(&pointer, key)),
                    );
                }
                return nullable;
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    path.push(index.to_string());
                    let rewritten = draft4(item, path, wrapped);
                    path.pop();
                    rewritten
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn nullable(mut schema: Map<String, Value>) -> Value {
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match schema.get("type").cloned() {
        Some(Value::String(kind)) => {
            schema.insert("type".to_owned(), json!([kind, "null"]));
            Value::Object(schema)
        }
        // No `type` to widen (a `$ref` or `allOf` alone): accept null beside the schema.
        _ => json!({ "anyOf": [Value::Object(schema), { "type": "null" }] }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(document: Value) -> Vec<String> {
        match check(Path::new("api.yaml"), &document) {
            Ok(()) => Vec::new(),
            Err(Errors(errors)) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_response_example_that_breaks_its_schema_is_located() {
        let document = json!({
            "components": {"schemas": {"Profile": {
                "type": "object", "required": ["id"],
                "properties": {"id": {"type": "string", "format": "uuid"}, "end": {"type": "string", "nullable": true}}
            }}},
            "paths": {"/p": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Profile"},
                "examples": {
                    "good": {"value": {"id": "d6245f20-2af8-44f4-9451-8107cb2767db", "end": null}},
                    "bad": {"value": {"id": "not-a-uuid"}}
                }
            }}}}}}}
        });
        let messages = messages(document);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("api.yaml#/paths/~1p/get/responses/200/content/application~1json/examples/bad/value: example is not valid for its schema at `/id`"),
            "{}", messages[0]
        );
    }

    #[test]
    fn an_example_referred_to_twice_with_one_schema_is_reported_once() {
        // Two operations answer with the same component and the same shared example:
        // one example, one schema, one warning.
        let response = json!({"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Count"},
            "examples": {"default": {"$ref": "#/components/examples/count"}}
        }}}});
        let document = json!({
            "components": {
                "schemas": {"Count": {"type": "integer"}},
                "examples": {"count": {"value": "many"}}
            },
            "paths": {
                "/a": {"get": {"responses": response.clone()}},
                "/b": {"get": {"responses": response}}
            }
        });
        let messages = messages(document);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0]
                .starts_with("api.yaml#/components/examples/count/value: example is not valid"),
            "{}",
            messages[0]
        );
    }

    #[test]
    fn schema_and_parameter_examples_are_checked_too() {
        let document = json!({
            "components": {"schemas": {"Level": {"type": "string", "enum": ["user"], "example": "all"}}},
            "paths": {"/p": {"get": {"parameters": [
                {"name": "n", "in": "query", "schema": {"type": "integer", "format": "int32"}, "example": "x"}
            ]}}}
        });
        let messages = messages(document);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("api.yaml#/components/schemas/Level/example:"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("api.yaml#/paths/~1p/get/parameters/0/example:"))
        );
    }

    #[test]
    fn an_example_inside_a_nullable_schema_without_type_is_checked_where_it_stands() {
        // `nullable` beside `allOf` (GitHub's `installation.account`): the rewrite moves the
        // schema one level down, and the example's pointer must follow it.
        let document = json!({
            "paths": {"/p": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": "array", "items": {"properties": {"account": {
                    "nullable": true,
                    "allOf": [{"properties": {
                        "login": {"type": "string", "example": "octocat"},
                        "id": {"type": "integer", "example": "not a number"}
                    }}]
                }}}}
            }}}}}}}
        });
        let messages = messages(document);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("api.yaml#/paths/~1p/get/responses/200/content/application~1json/schema/items/properties/account/allOf/0/properties/id/example: example is not valid"),
            "{}", messages[0]
        );
    }

    #[test]
    fn an_example_inside_a_nullable_any_of_is_checked_where_it_stands() {
        // `nullable` beside `anyOf` (GitHub's `issue-field-value.value`): the wrapper's own
        // `anyOf` must not be mistaken for the schema's.
        let document = json!({
            "components": {"schemas": {"Field": {"properties": {"value": {
                "nullable": true,
                "anyOf": [
                    {"type": "string", "example": "Sample text"},
                    {"type": "number", "example": 42.5},
                    {"type": "integer", "example": "one"}
                ]
            }}}}}
        });
        let messages = messages(document);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("api.yaml#/components/schemas/Field/properties/value/anyOf/2/example: example is not valid"),
            "{}", messages[0]
        );
    }

    #[test]
    fn a_3_1_document_s_examples_are_checked_under_json_schema_2020_12() {
        // Every entry of a schema's `examples` list counts; `const`, `prefixItems` and a
        // `type` list are 2020-12's own meaning (draft 4 knows none of them).
        let document = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"Record": {
                "type": "object",
                "properties": {
                    "kind": {"const": "record", "examples": ["record", "other"]},
                    "point": {"prefixItems": [{"type": "integer"}, {"type": "integer"}], "items": false,
                              "examples": [[1, 2], [1, "x"]]},
                    "nickname": {"type": ["string", "null"], "examples": [null, 3]}
                }
            }}}
        });
        let messages = messages(document);
        assert_eq!(messages.len(), 3, "{messages:?}");
        for at in ["kind/examples/1", "point/examples/1", "nickname/examples/1"] {
            assert!(
                messages.iter().any(|m| m.starts_with(&format!(
                    "api.yaml#/components/schemas/Record/properties/{at}: example is not valid"
                ))),
                "{at}: {messages:?}"
            );
        }
    }
}
