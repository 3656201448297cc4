//! OpenAPI 3.2 read as 3.1: a 3.2 document is 3.1 (JSON Schema 2020-12 schemas, which
//! [`super::v31`] rewrites next) plus a few objects and fields. Most of what 3.2 adds is
//! read where it is used, from the document's JSON value, because `openapiv3` drops it:
//! the `query` method and `additionalOperations` of path items (lowering), hierarchical
//! tags and the new security scheme fields (their docs). Only what would stop `openapiv3`
//! reading the document is rewritten here: a parameter `in: querystring`, which becomes
//! a query parameter marked [`QUERYSTRING`]. Nothing moves, so a JSON pointer into the
//! rewritten document names the same place in the user's file. See
//! `docs/openapi-3.1.md` for the table.

use serde_json::{Value, json};

/// The marker of a query parameter that stood `in: querystring`: one value holding the
/// whole query string, described by its `content`.
pub const QUERYSTRING: &str = "x-apigen-querystring";

/// The HTTP methods a 3.2 path item names in fields of its own; any other method is an
/// entry of its `additionalOperations`.
pub const FIXED_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// Whether `value` is an OpenAPI 3.2 document.
pub fn is_32(value: &Value) -> bool {
    value
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|version| version.starts_with("3.2."))
}

/// Rewrites what 3.2 adds into the 3.1 shape, in place (see the module's docs).
pub fn rewrite(value: &mut Value) {
    querystring(value, "");
    response_descriptions(value, "");
}

/// A response's `description` is optional in 3.2 and required before it: a response
/// object without one (inline in an operation, or in `components/responses`) gets an
/// empty one, which adds a key and moves nothing.
fn response_descriptions(value: &mut Value, pointer: &str) {
    let Value::Object(map) = value else {
        return;
    };
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let operation = FIXED_METHODS.contains(&last) || parent.ends_with("/additionalOperations");
    let responses = (operation || pointer == "/components")
        .then(|| map.get_mut("responses"))
        .flatten()
        .and_then(Value::as_object_mut);
    for response in responses.into_iter().flat_map(|map| map.values_mut()) {
        if let Value::Object(response) = response
            && !response.contains_key("$ref")
        {
            response.entry("description").or_insert_with(|| json!(""));
        }
    }
    for (key, child) in map.iter_mut() {
        if !super::is_data(pointer, key) {
            response_descriptions(child, &crate::error::push_pointer(pointer, key));
        }
    }
}

/// Every parameter object `in: querystring` becomes `in: query`, marked.
fn querystring(value: &mut Value, pointer: &str) {
    match value {
        Value::Object(map) => {
            if map.get("in") == Some(&json!("querystring")) && map.contains_key("name") {
                map.insert("in".to_owned(), json!("query"));
                map.insert(QUERYSTRING.to_owned(), json!(true));
            }
            for (key, child) in map.iter_mut() {
                if !super::is_data(pointer, key) {
                    querystring(child, &crate::error::push_pointer(pointer, key));
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                querystring(child, &crate::error::push_pointer(pointer, &i.to_string()));
            }
        }
        _ => {}
    }
}

/// Makes local every `$ref` that names the document itself through its `$self` URI (the
/// base URI 3.2 resolves the document's relative references against): written as the
/// full URI (`https://example.com/api/openapi.yaml#/components/schemas/Book`), relative
/// to it (`openapi.yaml#/...`, `./openapi.yaml#/...`) or from its root (`/api/...`).
/// Other relative references name other files, read beside the document's own file,
/// which stands for the place `$self` names.
pub fn self_references(value: &mut Value) {
    let Some(base) = value.get("$self").and_then(Value::as_str) else {
        return;
    };
    let base = base.split('#').next().unwrap_or_default().to_owned();
    if base.is_empty() {
        return;
    }
    super::each_ref_mut(value, "", &mut |target| {
        let (path, fragment) = target.split_once('#').unwrap_or((target.as_str(), ""));
        if !path.is_empty() && resolve(&base, path) == base {
            *target = format!("#{fragment}");
        }
    });
}

/// The URI reference `reference` (without a fragment) resolved against `base` (RFC 3986
/// §5.2, for the forms documents write: absolute, from the root, relative with `.` and
/// `..` segments).
fn resolve(base: &str, reference: &str) -> String {
    if reference.contains("://") {
        return reference.to_owned();
    }
    let (origin, base_path) = match base.split_once("://") {
        Some((scheme, rest)) => {
            let slash = rest.find('/').unwrap_or(rest.len());
            (format!("{scheme}://{}", &rest[..slash]), &rest[slash..])
        }
        None => (String::new(), base),
    };
    let joined = if reference.starts_with('/') {
        reference.to_owned()
    } else {
        let folder = base_path
            .rfind('/')
            .map_or("", |slash| &base_path[..=slash]);
        format!("{folder}{reference}")
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "." => {}
            ".." => {
                if segments.len() > 1 {
                    segments.pop();
                }
            }
            _ => segments.push(segment),
        }
    }
    format!("{origin}{}", segments.join("/"))
}

/// The operations of a path item that `openapiv3` does not read: its `query` operation
/// and each entry of its `additionalOperations`, as (the HTTP method as sent, the
/// pointer of the operation relative to the item, the operation's value), in that order.
pub fn extra_operations(item: &Value) -> Vec<(String, String, &Value)> {
    let mut found = Vec::new();
    if let Some(query) = item.get("query") {
        found.push(("QUERY".to_owned(), "/query".to_owned(), query));
    }
    for (method, operation) in item
        .get("additionalOperations")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        found.push((
            method.clone(),
            crate::error::push_pointer("/additionalOperations", method),
            operation,
        ));
    }
    found
}

/// Why `method`, a key of `additionalOperations`, cannot name an operation, if it cannot:
/// it must be an HTTP token (RFC 9110's `tchar`s) and not a method the path item names
/// in a field of its own.
pub fn refused_method(method: &str) -> Option<String> {
    if FIXED_METHODS.contains(&method.to_ascii_lowercase().as_str()) {
        return Some(format!(
            "`additionalOperations` names `{method}`, which the path item's `{}` field stands for",
            method.to_ascii_lowercase()
        ));
    }
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if method.is_empty() || !method.chars().all(tchar) {
        return Some(format!(
            "`additionalOperations` names `{method}`, which is not an HTTP method name (letters, digits and `!#$%&'*+-.^_`|~` only)"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_without_a_description_gets_an_empty_one_and_nothing_else_changes() {
        let mut document = json!({
            "openapi": "3.2.0",
            "paths": {"/a": {
                "get": {"responses": {"200": {"content": {}}, "404": {"$ref": "#/components/responses/Gone"}}},
                "additionalOperations": {"COPY": {"responses": {"201": {}}}}
            }},
            "components": {
                "responses": {"Gone": {}},
                "schemas": {"S": {"properties": {"responses": {"type": "object", "properties": {"x": {}}}}}}
            }
        });
        rewrite(&mut document);
        let get = &document["paths"]["/a"]["get"]["responses"];
        assert_eq!(get["200"]["description"], "");
        assert_eq!(get["404"].get("description"), None, "a $ref stays a $ref");
        assert_eq!(
            document["paths"]["/a"]["additionalOperations"]["COPY"]["responses"]["201"]["description"],
            ""
        );
        assert_eq!(
            document["components"]["responses"]["Gone"]["description"],
            ""
        );
        // A property named `responses` is a schema, left alone.
        assert_eq!(
            document["components"]["schemas"]["S"]["properties"]["responses"]["properties"]["x"],
            json!({})
        );
    }

    #[test]
    fn a_querystring_parameter_becomes_a_marked_query_parameter() {
        let mut document = json!({
            "openapi": "3.2.0",
            "paths": {"/search": {"query": {"parameters": [
                {"name": "q", "in": "querystring", "content": {"application/json": {}}}
            ]}}},
            "components": {"schemas": {"In": {"properties": {"in": {"type": "string"}},
                "example": {"in": "querystring", "name": "data"}}}}
        });
        rewrite(&mut document);
        let parameter = &document["paths"]["/search"]["query"]["parameters"][0];
        assert_eq!(parameter["in"], "query");
        assert_eq!(parameter[QUERYSTRING], true);
        // Data is left alone.
        assert_eq!(
            document["components"]["schemas"]["In"]["example"]["in"],
            "querystring"
        );
    }

    #[test]
    fn references_to_the_documents_own_uri_are_local() {
        let mut document = json!({
            "openapi": "3.2.0",
            "$self": "https://example.com/apis/library/openapi.yaml",
            "a": {"$ref": "https://example.com/apis/library/openapi.yaml#/components/schemas/A"},
            "b": {"$ref": "openapi.yaml#/components/schemas/B"},
            "c": {"$ref": "./sub/../openapi.yaml#/components/schemas/C"},
            "d": {"$ref": "/apis/library/openapi.yaml#/components/schemas/D"},
            "e": {"$ref": "common.yaml#/components/schemas/E"},
            "f": {"$ref": "https://example.com/other.yaml#/components/schemas/F"}
        });
        self_references(&mut document);
        let refs: Vec<&str> = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|key| document[key]["$ref"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(
            refs,
            [
                "#/components/schemas/A",
                "#/components/schemas/B",
                "#/components/schemas/C",
                "#/components/schemas/D",
                "common.yaml#/components/schemas/E",
                "https://example.com/other.yaml#/components/schemas/F"
            ]
        );
    }

    #[test]
    fn extra_operations_are_query_then_additional_ones() {
        let item =
            json!({"get": {}, "query": {"x": 1}, "additionalOperations": {"COPY": {"y": 2}}});
        let found = extra_operations(&item);
        let methods: Vec<_> = found
            .iter()
            .map(|(m, at, _)| (m.as_str(), at.as_str()))
            .collect();
        assert_eq!(
            methods,
            [("QUERY", "/query"), ("COPY", "/additionalOperations/COPY")]
        );
    }

    #[test]
    fn additional_operations_name_other_methods_as_tokens() {
        assert_eq!(refused_method("PURGE"), None);
        assert!(refused_method("POST").is_some());
        assert!(refused_method("Query").is_some());
        assert!(refused_method("NO SPACE").is_some());
        assert!(refused_method("").is_some());
    }
}
