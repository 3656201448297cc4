//! Values for the inputs a document gives no example of, made from their schemas, so
//! that a round trip can still call an operation whose parameters lack examples.
//!
//! A sample is the simplest value its schema accepts where that is easy to tell: the
//! schema's own `example`, `default`, first `enum` or `const` value, else a value of
//! its type within its bounds, and for a string with a `pattern` the simplest text the
//! pattern matches ([`crate::pattern::sample`]). Where none is found a sample may fail
//! its pattern, and the round trip then says the value was made up.

use serde_json::{Map, Value, json};

/// How deep a sample nests: recursive schemas stop here.
const MAX_DEPTH: usize = 8;

/// A value `schema` accepts, or `None` for a schema that names no type it can sample.
pub fn sample(document: &Value, schema: &Value) -> Option<Value> {
    at_depth(document, schema, 0)
}

fn at_depth(document: &Value, schema: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let schema = super::follow(document, schema);
    for given in ["example", "default", "const"] {
        if let Some(value) = schema.get(given) {
            return Some(value.clone());
        }
    }
    if let Some(first) = schema
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|examples| examples.first())
        .or_else(|| schema.get("enum").and_then(|e| e.as_array()?.first()))
    {
        return Some(first.clone());
    }
    for combined in ["allOf", "oneOf", "anyOf"] {
        let Some(parts) = schema.get(combined).and_then(Value::as_array) else {
            continue;
        };
        if combined != "allOf" {
            // A part holds together with what the schema says beside it: ReadMe's
            // `oneOf: [{required: [title, category]}, …]` only picks required members of
            // the properties around it.
            let mut beside = schema.as_object().cloned().unwrap_or_default();
            beside.remove(combined);
            return parts.iter().find_map(|part| {
                let mut candidate = beside.clone();
                candidate.insert("allOf".to_owned(), Value::Array(vec![part.clone()]));
                let mut value = at_depth(document, &Value::Object(candidate), depth + 1)?;
                tag(schema, part, &mut value);
                Some(value)
            });
        }
        // Every part must hold: sampled as one schema, so that a part that only adds
        // `required: [title]` to a `$ref` makes the sample hold `title`.
        return at_depth(
            document,
            &Value::Object(all_of(document, schema, depth)),
            depth + 1,
        );
    }
    let ty = match schema.get("type") {
        Some(Value::String(ty)) => ty.as_str(),
        // 3.1's `[T, "null"]`: the first type that is not null.
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|ty| *ty != "null")?,
        _ if schema.get("properties").is_some() => "object",
        _ if schema.get("items").is_some() => "array",
        _ => return None,
    };
    match ty {
        "string" => Some(string(schema)),
        "integer" => Some(json!(integer(schema))),
        "number" => Some(json!(number(schema))),
        "boolean" => Some(Value::Bool(true)),
        "array" => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            match at_depth(document, schema.get("items")?, depth + 1) {
                Some(item) => Some(Value::Array(vec![item; min.clamp(1, 3) as usize])),
                // A list of itself (a tree) ends with an empty list.
                None if min == 0 => Some(Value::Array(Vec::new())),
                None => None,
            }
        }
        "object" => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let mut members = Map::new();
            for name in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                // A required member the schema does not declare may be anything.
                let value = match properties.and_then(|p| p.get(name)) {
                    Some(property) => at_depth(document, property, depth + 1)?,
                    None => Value::Null,
                };
                members.insert(name.to_owned(), value);
            }
            Some(Value::Object(members))
        }
        _ => None,
    }
}

/// `schema` with its `allOf` parts merged in: their `properties` and `required` joined,
/// any other keyword taken from the first that has it.
fn all_of(document: &Value, schema: &Value, depth: usize) -> Map<String, Value> {
    let mut merged = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let mut add = |members: &Map<String, Value>, merged: &mut Map<String, Value>| {
        for (key, value) in members {
            match (key.as_str(), value) {
                ("allOf", _) => {}
                ("required", Value::Array(names)) => {
                    required.extend(
                        names
                            .iter()
                            .filter(|n| !required.contains(n))
                            .cloned()
                            .collect::<Vec<_>>(),
                    );
                }
                ("properties", Value::Object(properties)) => {
                    let into = merged
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(into) = into {
                        for (name, property) in properties {
                            into.entry(name.clone()).or_insert_with(|| property.clone());
                        }
                    }
                }
                _ => {
                    merged.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
    };
    if let Value::Object(own) = schema {
        add(own, &mut merged);
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let part = super::follow(document, part);
        let part = if part.get("allOf").is_some() && depth < MAX_DEPTH {
            all_of(document, part, depth + 1)
        } else {
            part.as_object().cloned().unwrap_or_default()
        };
        add(&part, &mut merged);
    }
    if !required.is_empty() {
        merged.insert("required".to_owned(), Value::Array(required));
    }
    merged
}

/// Writes the discriminator of `union` into a sample of its alternative `part`: the
/// first `mapping` value that names the part, else the name of the schema it refers to.
fn tag(union: &Value, part: &Value, value: &mut Value) {
    let (Some(property), Some(reference), Value::Object(members)) = (
        union
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str),
        part.get("$ref").and_then(Value::as_str),
        value,
    ) else {
        return;
    };
    let name = reference.rsplit('/').next().unwrap_or(reference);
    let mapped = union
        .pointer("/discriminator/mapping")
        .and_then(Value::as_object)
        .and_then(|mapping| {
            mapping
                .iter()
                .find(|(_, target)| target.as_str().is_some_and(|t| t == reference || t == name))
                .map(|(key, _)| key.as_str())
        });
    members.insert(
        property.to_owned(),
        Value::String(mapped.unwrap_or(name).to_owned()),
    );
}

fn string(schema: &Value) -> Value {
    let text = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => "2024-01-02T03:04:05Z",
        Some("date") => "2024-01-02",
        Some("time") => "03:04:05Z",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        Some("email") => "someone@example.com",
        Some("uri" | "url" | "uri-reference") => "https://example.com/",
        Some("hostname") => "example.com",
        Some("ipv4") => "127.0.0.1",
        Some("ipv6") => "::1",
        // Base64 and raw bytes: empty is valid.
        Some("byte" | "binary") => "",
        _ => "x",
    };
    let min = schema
        .get("minLength")
        .and_then(Value::as_u64)
        .unwrap_or(0)
        .min(64) as usize;
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        let max = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |max| usize::try_from(max).unwrap_or(usize::MAX));
        // A format's own sample (a date, a UUID) is kept: most patterns beside a format
        // restate it.
        // Not empty where the pattern allows more: an empty value names no resource
        // in a path (AWS's `.*`-patterned ARNs).
        if text == "x"
            && let Some(text) = crate::pattern::sample(pattern, min.max(1), max)
                .or_else(|| crate::pattern::sample(pattern, min, max))
        {
            return Value::String(text);
        }
    }
    let short = min.saturating_sub(text.chars().count());
    Value::String(format!("{text}{}", "x".repeat(short)))
}

fn integer(schema: &Value) -> i64 {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let mut value = 1_i64;
    if let Some(step) = schema.get("multipleOf").and_then(Value::as_i64) {
        value = step;
    }
    if let Some(min) = bound("minimum") {
        value = value.max(min.ceil() as i64);
    }
    if let Some(min) = bound("exclusiveMinimum") {
        value = value.max(min.floor() as i64 + 1);
    }
    if let Some(max) = bound("maximum") {
        value = value.min(max.floor() as i64);
    }
    value
}

fn number(schema: &Value) -> f64 {
    let mut value = schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .unwrap_or(1.0);
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        value = value.max(min);
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
        value = value.min(max);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_keeps_to_its_schema() {
        let document = json!({"components": {"schemas": {"Pet": {
            "type": "object",
            "required": ["name", "age", "tags"],
            "properties": {
                "name": {"type": "string", "minLength": 3},
                "age": {"type": "integer", "minimum": 5, "maximum": 9},
                "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
                "nickname": {"type": "string"}
            }
        }}}});
        let schema = json!({"$ref": "#/components/schemas/Pet"});
        assert_eq!(
            sample(&document, &schema),
            Some(json!({"name": "xxx", "age": 5, "tags": ["a"]}))
        );
        let choice = json!({
            "type": "object",
            "properties": {"title": {"type": "string"}, "category": {"type": "string"}},
            "oneOf": [{"required": ["title", "category"]}, {"required": ["title"]}]
        });
        assert_eq!(
            sample(&document, &choice),
            Some(json!({"title": "x", "category": "x"})),
            "a oneOf part holds with the properties beside it"
        );
        assert_eq!(
            sample(&document, &json!({"type": "object", "required": ["ghost"]})),
            Some(json!({"ghost": null})),
            "a required member the schema does not declare may be anything"
        );
        assert_eq!(
            sample(
                &document,
                &json!({"type": "string", "pattern": "^arn:aws:[a-z]+$"})
            ),
            Some(json!("arn:aws:a"))
        );
        assert_eq!(
            sample(&document, &json!({"type": "string", "format": "date-time"})),
            Some(json!("2024-01-02T03:04:05Z"))
        );
        assert_eq!(sample(&document, &json!({"not": {}})), None);
        let tagged = json!({
            "oneOf": [{"$ref": "#/components/schemas/Pet"}],
            "discriminator": {"propertyName": "kind", "mapping": {"pet": "Pet"}}
        });
        assert_eq!(sample(&document, &tagged).unwrap()["kind"], "pet");
        let tree = json!({"components": {"schemas": {"Tree": {
            "type": "array", "items": {"$ref": "#/components/schemas/Tree"}
        }}}});
        assert!(sample(&tree, &json!({"$ref": "#/components/schemas/Tree"})).is_some());
    }

    #[test]
    fn a_sample_of_all_of_holds_what_every_part_requires() {
        let document = json!({"components": {"schemas": {"Category": {
            "type": "object",
            "required": ["kind"],
            "properties": {"title": {"type": "string"}, "kind": {"enum": ["guide"]}}
        }}}});
        // ReadMe's `createCategory`: a part that only makes `title` required.
        let schema = json!({"allOf": [
            {"$ref": "#/components/schemas/Category"},
            {"required": ["title"]}
        ]});
        assert_eq!(
            sample(&document, &schema),
            Some(json!({"kind": "guide", "title": "x"}))
        );
    }
}
