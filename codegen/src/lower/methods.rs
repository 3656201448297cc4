//! OpenAPI 3.2's other HTTP methods: a path item's `query` operation and the operations
//! of its `additionalOperations` (`COPY`, `PURGE`, ...). `openapiv3`'s `PathItem` drops
//! both, so they are read from the document's JSON value and lowered as any operation,
//! with the method as the document names it.

use super::operations::Operations;
use crate::error::{Error, push_pointer};
use crate::load::v32;
use crate::model::Operation;
use openapiv3::{Parameter, ReferenceOr};
use serde_json::Value;

/// The `query` and `additionalOperations` operations of the path item at `item_at`
/// (`/paths/~1x`, its `$ref` followed to the item it names), each with its pointer.
pub(super) fn lower(
    lowering: &mut Operations<'_, '_>,
    document: &Value,
    path: &str,
    item_at: &str,
    path_parameters: &[ReferenceOr<Parameter>],
    errors: &mut Vec<Error>,
) -> Vec<(String, Operation)> {
    let Some(mut item) = document.pointer(item_at) else {
        return Vec::new();
    };
    let mut at = item_at.to_owned();
    // A path item given by `$ref` (checked already where the item was read).
    for _ in 0..32 {
        let Some(target) = item
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .filter(|target| *target != at)
        else {
            break;
        };
        let Some(found) = document.pointer(target) else {
            break;
        };
        target.clone_into(&mut at);
        item = found;
    }
    let mut lowered = Vec::new();
    for (method, relative, value) in v32::extra_operations(item) {
        let pointer = format!("{at}{relative}");
        if relative != "/query"
            && let Some(why) = v32::refused_method(&method)
        {
            errors.push(Error::at_pointer(lowering.file, &pointer, why).help(
                "write the operation under the path item's field of that method, or correct the method's name",
            ));
            continue;
        }
        let operation = match <openapiv3::Operation as serde::Deserialize>::deserialize(value) {
            Ok(operation) => operation,
            Err(error) => {
                errors.push(
                    Error::at_pointer(lowering.file, &pointer, error.to_string()).help(
                        "fix this operation so that it follows the OpenAPI 3.2 specification",
                    ),
                );
                continue;
            }
        };
        // The operation stands at `<item>/<method>` for `query`, and at
        // `<item>/additionalOperations/<method>` otherwise.
        let (item_at, key) = if relative == "/query" {
            (at.clone(), "query")
        } else {
            (push_pointer(&at, "additionalOperations"), method.as_str())
        };
        if let Some(mut operation) =
            lowering.lower_at(path, &item_at, key, path_parameters, &operation)
        {
            // Methods are case-sensitive: sent as the document writes them.
            operation.method = method;
            lowered.push((pointer, operation));
        }
    }
    lowered
}
