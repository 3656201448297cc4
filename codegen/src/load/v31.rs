//! OpenAPI 3.1 read as 3.0: a 3.1 document is rewritten in place, as a JSON value, into
//! the shape `openapiv3` reads, before the checks every document goes through. Keys
//! `openapiv3` ignores (`prefixItems`, `$defs`, `dependentRequired`, ...) stay where the
//! user wrote them, so a JSON pointer into the rewritten document names the same place in
//! the user's file; the few rewrites that move a schema one level down record it in
//! [`Moves`], which maps pointers back. What 3.0 cannot say travels in `x-apigen-*`
//! extensions that lowering reads. See `docs/openapi-3.1.md` for the table.

use crate::error::push_pointer;
use serde_json::{Map, Value, json};

/// The marker of a schema that stood for `false` (no value is valid).
pub const NEVER: &str = "x-apigen-never";
/// The marker of an array schema whose `prefixItems` make a tuple.
pub const TUPLE: &str = "x-apigen-tuple";
/// The non-null types of a schema whose `type` named several.
pub const TYPES: &str = "x-apigen-types";
/// A copy of `dependentRequired`, which `openapiv3` drops, for the docs.
pub const DEPENDENT_REQUIRED: &str = "x-apigen-dependent-required";
/// The marker of a schema with an `if` (its `then`/`else` are not checked).
pub const CONDITIONAL: &str = "x-apigen-conditional";
/// The note an operation gets for a `mutualTLS` requirement.
pub const MUTUAL_TLS_NOTE: &str = "Requires mutual TLS: the client certificate travels in the TLS configuration of the connection (the `reqwest::Client` given to `Client::with_http_client`, the server's TLS acceptor), not in a credential argument.";

/// Where rewritten schemas moved: each entry is a pointer in the rewritten document and
/// the pointer it stands for in the user's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moves(Vec<(String, String)>);

impl Moves {
    /// The pointer in the user's file that `pointer` (into the rewritten document) names.
    pub fn original(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_owned();
        // Each step undoes one move; nested moves take one step each.
        for _ in 0..32 {
            let Some((new, old)) = self
                .0
                .iter()
                .filter(|(new, _)| {
                    pointer
                        .strip_prefix(new.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                })
                .max_by_key(|(new, _)| new.len())
            else {
                break;
            };
            pointer = format!("{old}{}", &pointer[new.len()..]);
        }
        pointer
    }

    fn record(&mut self, new: String, old: String) {
        if new != old {
            self.0.push((new, old));
        }
    }
}

/// Whether `value` is an OpenAPI 3.1 document, or a 3.2 one (3.1's schemas and more:
/// see [`super::v32`]).
pub fn is_31(value: &Value) -> bool {
    value
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|version| version.starts_with("3.1."))
        || super::v32::is_32(value)
}

/// Rewrites the 3.1 document `value` into the 3.0 shape, in place.
pub fn rewrite(value: &mut Value) -> Moves {
    let mut moves = Moves::default();
    if let Some(map) = value.as_object_mut() {
        // `paths` is optional in 3.1 (a document of webhooks or components only).
        map.entry("paths").or_insert_with(|| json!({}));
    }
    optional_responses(value);
    mutual_tls(value);
    walk(value, "", Place::Any, &mut moves);
    hoist_definitions(value, &mut moves);
    moves
}

/// The HTTP methods of a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation object of the document (under `paths`, `webhooks` and
/// `components/pathItems`; 3.2's `query` and `additionalOperations` included).
fn operations(document: &mut Value) -> impl Iterator<Item = &mut Map<String, Value>> {
    let mut found = Vec::new();
    let Value::Object(root) = document else {
        return found.into_iter();
    };
    let mut sections: Vec<&mut Value> = Vec::new();
    for (key, value) in root.iter_mut() {
        match key.as_str() {
            "paths" | "webhooks" => sections.push(value),
            "components" => {
                if let Some(items) = value.get_mut("pathItems") {
                    sections.push(items);
                }
            }
            _ => {}
        }
    }
    for section in sections {
        for item in section
            .as_object_mut()
            .into_iter()
            .flat_map(|m| m.values_mut())
        {
            for (method, operation) in item.as_object_mut().into_iter().flatten() {
                let Value::Object(operation) = operation else {
                    continue;
                };
                if METHODS.contains(&method.as_str()) || method == "query" {
                    found.push(operation);
                } else if method == "additionalOperations" {
                    // 3.2's other methods.
                    found.extend(operation.values_mut().filter_map(Value::as_object_mut));
                }
            }
        }
    }
    found.into_iter()
}

/// `responses` is optional in 3.1: an operation without it documents none.
fn optional_responses(document: &mut Value) {
    for operation in operations(document) {
        operation.entry("responses").or_insert_with(|| json!({}));
    }
}

/// How many rounds of hoisting nested definitions out of components may take.
const HOIST_ROUNDS: usize = 8;

/// The schemas a component keeps in its `$defs` (or draft 4's `definitions`) move to
/// `components/schemas` (as `<Component>_<name>`), and every reference follows: they
/// are named types like any component, so they may refer to themselves (Codat's
/// `Report/definitions/reportComponent`), which only components can.
fn hoist_definitions(document: &mut Value, moves: &mut Moves) {
    for _ in 0..HOIST_ROUNDS {
        let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") else {
            return;
        };
        let mut hoisted: Vec<(String, String, Value)> = Vec::new();
        let keys: Vec<String> = schemas.keys().cloned().collect();
        for key in &keys {
            for section in ["$defs", "definitions"] {
                let Some(Value::Object(schema)) = schemas.get_mut(key) else {
                    continue;
                };
                let Some(Value::Object(definitions)) = schema.get_mut(section) else {
                    continue;
                };
                // Only schemas move: a member that is not one (Codat's `itemType`, whose
                // `type` is an object) stays, as do references into it.
                let names: Vec<String> = definitions
                    .iter()
                    .filter(|(_, definition)| {
                        serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(
                            (*definition).clone(),
                        )
                        .is_ok()
                    })
                    .map(|(name, _)| name.clone())
                    .collect();
                for name in names {
                    let Some(definition) = definitions.remove(&name) else {
                        continue;
                    };
                    let old = push_pointer(
                        &push_pointer(&push_pointer("/components/schemas", key), section),
                        &name,
                    );
                    hoisted.push((old, format!("{key}_{name}"), definition));
                }
            }
        }
        if hoisted.is_empty() {
            return;
        }
        let mut renamed = Vec::new();
        for (old, name, definition) in hoisted {
            let mut unique = name.clone();
            let mut n = 2;
            while schemas.contains_key(&unique) {
                unique = format!("{name}{n}");
                n += 1;
            }
            let new = push_pointer("/components/schemas", &unique);
            moves.record(new.clone(), old.clone());
            schemas.insert(unique, definition);
            renamed.push((format!("#{old}"), format!("#{new}")));
        }
        super::each_ref_mut(document, "", &mut |target| {
            for (old, new) in &renamed {
                if let Some(rest) = target.strip_prefix(old.as_str())
                    && (rest.is_empty() || rest.starts_with('/'))
                {
                    *target = format!("{new}{rest}");
                    return;
                }
            }
        });
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// Not a schema: OpenAPI objects.
    Any,
    /// A schema.
    Schema,
    /// A map of names to schemas (`properties`, `$defs`, `components/schemas`).
    Schemas,
    /// A list of schemas (`allOf`, `prefixItems`).
    List,
}

fn walk(value: &mut Value, pointer: &str, place: Place, moves: &mut Moves) {
    match place {
        Place::Any => {
            let Value::Object(map) = value else {
                if let Value::Array(items) = value {
                    for (i, item) in items.iter_mut().enumerate() {
                        walk(item, &push_pointer(pointer, &i.to_string()), place, moves);
                    }
                }
                return;
            };
            for (key, child) in map.iter_mut() {
                if super::is_data(pointer, key) {
                    continue;
                }
                let place = match key.as_str() {
                    // 3.2's `itemSchema` describes each item of a streamed body.
                    "schema" | "itemSchema" => Place::Schema,
                    "schemas" if pointer == "/components" => Place::Schemas,
                    _ => Place::Any,
                };
                walk(child, &push_pointer(pointer, key), place, moves);
            }
        }
        Place::Schemas => {
            for (key, child) in value.as_object_mut().into_iter().flatten() {
                walk(child, &push_pointer(pointer, key), Place::Schema, moves);
            }
        }
        Place::List => {
            for (i, child) in value.as_array_mut().into_iter().flatten().enumerate() {
                walk(
                    child,
                    &push_pointer(pointer, &i.to_string()),
                    Place::Schema,
                    moves,
                );
            }
        }
        Place::Schema => {
            if let Value::Bool(valid) = value {
                *value = if *valid {
                    json!({})
                } else {
                    json!({ "not": {}, NEVER: true })
                };
                return;
            }
            let Value::Object(map) = value else { return };
            schema(map, pointer, moves);
            for (key, child) in map.iter_mut() {
                let place = match key.as_str() {
                    "properties" | "$defs" | "patternProperties" | "dependentSchemas" => {
                        Place::Schemas
                    }
                    "allOf" | "oneOf" | "anyOf" | "prefixItems" => Place::List,
                    "items" | "not" | "contains" | "if" | "then" | "else" | "propertyNames"
                    | "unevaluatedItems" | "contentSchema" => Place::Schema,
                    // A boolean here is 3.0's own.
                    "additionalProperties" | "unevaluatedProperties" if child.is_object() => {
                        Place::Schema
                    }
                    _ => continue,
                };
                walk(child, &push_pointer(pointer, key), place, moves);
            }
        }
    }
}

/// The keywords that apply to values of each JSON type, for splitting a schema whose
/// `type` names several.
fn keywords_of(typ: &str) -> &'static [&'static str] {
    match typ {
        "string" => &[
            "format",
            "pattern",
            "minLength",
            "maxLength",
            "contentEncoding",
            "contentMediaType",
        ],
        "integer" | "number" => &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "unevaluatedProperties",
            "minProperties",
            "maxProperties",
            "dependentRequired",
            "patternProperties",
        ],
        _ => &[],
    }
}

fn fits(typ: &str, value: &Value) -> bool {
    match typ {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// Whether `schema` is the `null` alternative of a 3.1 nullable union.
fn is_null(schema: &Value) -> bool {
    let typ = schema.get("type");
    (typ == Some(&json!("null")) || typ == Some(&json!(["null"])))
        && schema.as_object().is_some_and(|map| {
            map.keys()
                .all(|k| matches!(k.as_str(), "type" | "description" | "title"))
        })
}

/// One schema object's own rewrites (its members are walked after).
fn schema(map: &mut Map<String, Value>, pointer: &str, moves: &mut Moves) {
    types(map, pointer, moves);
    null_alternative(map, pointer, moves);
    if let Some(value) = map.get("const").cloned()
        && !map.contains_key("enum")
    {
        if value.is_null() {
            map.insert("nullable".to_owned(), json!(true));
        }
        if !map.contains_key("type") {
            let typ = match &value {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_f64() => Some("number"),
                Value::Number(_) => Some("integer"),
                _ => None,
            };
            if let Some(typ) = typ {
                map.insert("type".to_owned(), json!(typ));
            }
        }
        map.insert("enum".to_owned(), json!([value]));
    }
    if let Some(Value::Array(examples)) = map.get("examples")
        && let Some(first) = examples.first()
        && !map.contains_key("example")
    {
        let first = first.clone();
        map.insert("example".to_owned(), first);
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(bound)) = map.get(exclusive).cloned() {
            let bound_f = bound.as_f64().unwrap_or_default();
            // A `minimum` beside it that is stricter wins, inclusive.
            let stricter = map
                .get(inclusive)
                .and_then(Value::as_f64)
                .is_some_and(|other| {
                    if inclusive == "minimum" {
                        other > bound_f
                    } else {
                        other < bound_f
                    }
                });
            if stricter {
                map.remove(exclusive);
            } else {
                map.insert(inclusive.to_owned(), Value::Number(bound));
                map.insert(exclusive.to_owned(), json!(true));
            }
        }
    }
    let is_string = map.get("type") == Some(&json!("string"));
    if is_string && !map.contains_key("format") {
        match map.get("contentEncoding").and_then(Value::as_str) {
            Some("base64" | "base64url") => {
                map.insert("format".to_owned(), json!("byte"));
            }
            None if map.contains_key("contentMediaType") => {
                map.insert("format".to_owned(), json!("binary"));
            }
            _ => {}
        }
    }
    if map.get("unevaluatedProperties") == Some(&json!(false))
        && !map.contains_key("additionalProperties")
    {
        map.insert("additionalProperties".to_owned(), json!(false));
    }
    if map.contains_key("if") {
        map.insert(CONDITIONAL.to_owned(), json!(true));
    }
    if let Some(dependent) = map.get("dependentRequired").cloned() {
        map.insert(DEPENDENT_REQUIRED.to_owned(), dependent);
    }
    items(map);
    reference_siblings(map, pointer, moves);
}

/// `type: [T, "null"]` is 3.0's `nullable`; several non-null types become a `oneOf` of
/// one schema per type, each with the keywords that apply to it.
fn types(map: &mut Map<String, Value>, pointer: &str, moves: &mut Moves) {
    let names: Vec<String> = match map.get("type") {
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(name)) if name == "null" => vec![name.clone()],
        _ => return,
    };
    let rest: Vec<&String> = names.iter().filter(|name| *name != "null").collect();
    if rest.len() < names.len() {
        map.insert("nullable".to_owned(), json!(true));
    }
    match rest[..] {
        [] => {
            map.remove("type");
        }
        [one] => {
            map.insert("type".to_owned(), json!(one));
        }
        _ => {
            map.remove("type");
            map.insert(TYPES.to_owned(), json!(rest));
            if ["oneOf", "anyOf", "allOf"]
                .iter()
                .any(|key| map.contains_key(*key))
            {
                return;
            }
            let enumeration = map.remove("enum");
            let mut alternatives = Vec::new();
            for (i, typ) in rest.iter().enumerate() {
                let mut alternative = Map::new();
                alternative.insert("type".to_owned(), json!(typ));
                for keyword in keywords_of(typ) {
                    if let Some(value) = map.get(*keyword) {
                        alternative.insert((*keyword).to_owned(), value.clone());
                    }
                }
                if let Some(Value::Array(values)) = &enumeration {
                    let values: Vec<&Value> = values.iter().filter(|v| fits(typ, v)).collect();
                    if !values.is_empty() {
                        alternative.insert("enum".to_owned(), json!(values));
                    }
                }
                moves.record(
                    push_pointer(&push_pointer(pointer, "oneOf"), &i.to_string()),
                    pointer.to_owned(),
                );
                alternatives.push(Value::Object(alternative));
            }
            for typ in &rest {
                for keyword in keywords_of(typ) {
                    map.remove(*keyword);
                }
            }
            map.insert("oneOf".to_owned(), Value::Array(alternatives));
        }
    }
}

/// `oneOf`/`anyOf` with a `{type: "null"}` alternative is nullability: the alternative
/// goes, the schema becomes `nullable`, and one alternative left is an `allOf` of it
/// (3.0's way to put keywords beside a `$ref`).
fn null_alternative(map: &mut Map<String, Value>, pointer: &str, moves: &mut Moves) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(alternatives)) = map.get(key) else {
            continue;
        };
        if !alternatives.iter().any(is_null) {
            continue;
        }
        let kept: Vec<(usize, Value)> = alternatives
            .iter()
            .enumerate()
            .filter(|(_, alternative)| !is_null(alternative))
            .map(|(i, alternative)| (i, alternative.clone()))
            .collect();
        map.insert("nullable".to_owned(), json!(true));
        let new_key = if kept.len() == 1 && !map.contains_key("allOf") {
            map.remove(key);
            "allOf"
        } else {
            key
        };
        let at = |key: &str, i: usize| push_pointer(&push_pointer(pointer, key), &i.to_string());
        for (j, (i, _)) in kept.iter().enumerate() {
            moves.record(at(new_key, j), at(key, *i));
        }
        if kept.is_empty() {
            map.remove(key);
        } else {
            map.insert(
                new_key.to_owned(),
                Value::Array(kept.into_iter().map(|(_, v)| v).collect()),
            );
        }
    }
}

/// `prefixItems` make a tuple (marked for lowering, which reads them where they stand);
/// boolean `items` are 3.1's, and have no 3.0 form.
fn items(map: &mut Map<String, Value>) {
    let closed = map.get("items") == Some(&json!(false));
    if map.contains_key("prefixItems") {
        map.entry("type").or_insert_with(|| json!("array"));
        if closed || !map.contains_key("items") {
            map.insert(TUPLE.to_owned(), json!(true));
            map.remove("items");
        } else {
            // Extra items of another schema: no tuple holds them, the items stay JSON.
            map.insert("items".to_owned(), json!({}));
        }
        return;
    }
    match map.get("items") {
        Some(Value::Bool(true)) => {
            map.insert("items".to_owned(), json!({}));
        }
        Some(Value::Bool(false)) => {
            map.remove("items");
            map.insert("maxItems".to_owned(), json!(0));
        }
        _ => {}
    }
}

/// A `$ref` with sibling keywords (a `description` documenting a property) becomes an
/// `allOf` of the reference, since 3.0 (and `openapiv3`) ignore a reference's siblings;
/// a `summary` is its title.
fn reference_siblings(map: &mut Map<String, Value>, pointer: &str, moves: &mut Moves) {
    if !map.contains_key("$ref") || map.keys().all(|key| key == "$ref" || key.starts_with("x-")) {
        return;
    }
    if let Some(summary) = map.remove("summary")
        && !map.contains_key("title")
    {
        map.insert("title".to_owned(), summary);
    }
    if map.contains_key("allOf") {
        // Both: the reference joins the parts, last (the pointers of the others stay).
        let reference = map.remove("$ref");
        if let Some(Value::Array(parts)) = map.get_mut("allOf") {
            let at = push_pointer(&push_pointer(pointer, "allOf"), &parts.len().to_string());
            moves.record(at, pointer.to_owned());
            parts.push(json!({ "$ref": reference }));
        }
        return;
    }
    let reference = map.remove("$ref");
    moves.record(
        push_pointer(&push_pointer(pointer, "allOf"), "0"),
        pointer.to_owned(),
    );
    map.insert("allOf".to_owned(), json!([{ "$ref": reference }]));
}

/// `mutualTLS` schemes carry no credential: they leave `securitySchemes` and every
/// requirement (a requirement of mutual TLS alone asks nothing of the HTTP request), and
/// each operation they applied to says so in its description.
fn mutual_tls(document: &mut Value) {
    let Some(schemes) = document
        .pointer_mut("/components/securitySchemes")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let keys: Vec<String> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type") == Some(&json!("mutualTLS")))
        .map(|(key, _)| key.clone())
        .collect();
    if keys.is_empty() {
        return;
    }
    for key in &keys {
        schemes.remove(key);
    }
    let strip = |security: &mut Value| -> bool {
        let mut named = false;
        for requirement in security.as_array_mut().into_iter().flatten() {
            if let Value::Object(requirement) = requirement {
                for key in &keys {
                    named |= requirement.remove(key).is_some();
                }
            }
        }
        named
    };
    let global = document.get_mut("security").is_some_and(strip);
    for section in ["/paths", "/webhooks", "/components/pathItems"] {
        let Some(Value::Object(items)) = document.pointer_mut(section) else {
            continue;
        };
        for item in items.values_mut() {
            for operation in item
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                let Value::Object(operation) = operation else {
                    continue;
                };
                if !operation.contains_key("responses") {
                    continue;
                }
                let applies = match operation.get_mut("security") {
                    Some(security) => strip(security),
                    None => global,
                };
                if applies {
                    let description = match operation.get("description").and_then(Value::as_str) {
                        Some(text) => format!("{text}\n\n{MUTUAL_TLS_NOTE}"),
                        None => MUTUAL_TLS_NOTE.to_owned(),
                    };
                    operation.insert("description".to_owned(), json!(description));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(schema: Value) -> (Value, Moves) {
        let mut document = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        let moves = rewrite(&mut document);
        (document["components"]["schemas"]["S"].clone(), moves)
    }

    #[test]
    fn a_type_with_null_is_nullable() {
        let (schema, _) = rewritten(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            schema,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
    }

    #[test]
    fn several_types_are_one_alternative_each_and_errors_inside_point_back() {
        let (schema, moves) =
            rewritten(json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1}));
        assert_eq!(
            schema,
            json!({"x-apigen-types": ["string", "integer"], "oneOf": [
                {"type": "string", "maxLength": 3},
                {"type": "integer", "minimum": 1}
            ]})
        );
        assert_eq!(
            moves.original("/components/schemas/S/oneOf/1/minimum"),
            "/components/schemas/S/minimum"
        );
    }

    #[test]
    fn a_null_alternative_is_nullability() {
        let (schema, moves) =
            rewritten(json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/T"}]}));
        assert_eq!(
            schema,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            moves.original("/components/schemas/S/allOf/0/$ref"),
            "/components/schemas/S/anyOf/1/$ref"
        );
    }

    #[test]
    fn const_examples_and_exclusive_bounds_take_their_3_0_forms() {
        let (schema, _) = rewritten(json!({"const": "cat", "examples": ["cat"]}));
        assert_eq!(
            schema,
            json!({"const": "cat", "type": "string", "enum": ["cat"], "examples": ["cat"], "example": "cat"})
        );
        let (schema, _) = rewritten(json!({"type": "number", "exclusiveMinimum": 0}));
        assert_eq!(
            schema,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn a_reference_with_a_description_keeps_it() {
        let (schema, moves) =
            rewritten(json!({"$ref": "#/components/schemas/T", "description": "The owner."}));
        assert_eq!(
            schema,
            json!({"description": "The owner.", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            moves.original("/components/schemas/S/allOf/0/$ref"),
            "/components/schemas/S/$ref"
        );
    }

    #[test]
    fn boolean_schemas_tuples_and_encodings() {
        let (schema, _) = rewritten(json!({"type": "object", "properties": {
            "any": true, "never": false,
            "pair": {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false},
            "data": {"type": "string", "contentEncoding": "base64"},
            "file": {"type": "string", "contentMediaType": "image/png"}
        }, "unevaluatedProperties": false}));
        let properties = &schema["properties"];
        assert_eq!(properties["any"], json!({}));
        assert_eq!(
            properties["never"],
            json!({"not": {}, "x-apigen-never": true})
        );
        assert_eq!(
            properties["pair"],
            json!({"type": "array", "x-apigen-tuple": true, "prefixItems": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(properties["data"]["format"], "byte");
        assert_eq!(properties["file"]["format"], "binary");
        assert_eq!(schema["additionalProperties"], false);
    }

    #[test]
    fn mutual_tls_leaves_the_requirements_and_notes_the_operation() {
        let mut document = json!({
            "openapi": "3.1.0",
            "components": {"securitySchemes": {"mtls": {"type": "mutualTLS"}, "key": {"type": "apiKey", "in": "header", "name": "k"}}},
            "security": [{"mtls": [], "key": []}],
            "paths": {"/a": {"get": {"responses": {}}}}
        });
        rewrite(&mut document);
        assert_eq!(document["security"], json!([{"key": []}]));
        assert!(
            document["components"]["securitySchemes"]
                .get("mtls")
                .is_none()
        );
        assert_eq!(
            document["paths"]["/a"]["get"]["description"],
            MUTUAL_TLS_NOTE
        );
    }
}
