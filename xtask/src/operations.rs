//! The operations of an OpenAPI document as plain JSON, for xtask's reports and pages
//! (the generator has its own model; xtask only counts and lists).

use serde_json::Value;

/// The keys of a path item that are operations: the fixed methods, 3.2's `query`
/// included.
const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// Every operation of the path item `item`, as its method (lower case as written in
/// the fixed keys; as written for a 3.2 `additionalOperations` entry) and its object.
pub fn of_path_item(item: &Value) -> impl Iterator<Item = (&str, &Value)> {
    let fixed = item
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| METHODS.contains(&key.as_str()));
    let additional = item
        .get("additionalOperations")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    fixed
        .chain(additional)
        .map(|(method, operation)| (method.as_str(), operation))
}

/// The number of operations under the document's `paths`.
pub fn count(document: &Value) -> usize {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(_, item)| of_path_item(item).count())
        .sum()
}
