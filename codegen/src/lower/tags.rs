//! OpenAPI 3.2's hierarchical tags (`parent`, `kind`, `summary` on tag objects), which
//! `openapiv3` drops: read from the document's JSON value and written into the crate's
//! docs as a tree, so a reader finds each operation's place in the API's outline.

use serde_json::Value;

/// The document's tags as a Markdown tree, when any tag uses 3.2's `parent`, `kind` or
/// `summary` (a flat list of tags adds nothing the operations' docs do not say).
/// A tag whose `parent` names no tag, or that is its own ancestor, stands at the top.
pub(super) fn tree(document: &Value) -> Option<String> {
    let tags: Vec<&serde_json::Map<String, Value>> = document
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter(|tag| tag.get("name").and_then(Value::as_str).is_some())
        .collect();
    let hierarchical = tags.iter().any(|tag| {
        ["parent", "kind", "summary"]
            .iter()
            .any(|key| tag.contains_key(*key))
    });
    if !hierarchical {
        return None;
    }
    let name = |tag: &serde_json::Map<String, Value>| -> String {
        tag.get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let names: Vec<String> = tags.iter().map(|tag| name(tag)).collect();
    let parent_of = |index: usize| -> Option<usize> {
        let parent = tags[index].get("parent").and_then(Value::as_str)?;
        names.iter().position(|name| name == parent)
    };
    // A tag is at the top unless its chain of parents reaches the top without a cycle.
    let rooted = |index: usize| -> bool {
        let mut seen = vec![index];
        let mut at = index;
        while let Some(parent) = parent_of(at) {
            if seen.contains(&parent) {
                return false;
            }
            seen.push(parent);
            at = parent;
        }
        true
    };
    let parent = |index: usize| parent_of(index).filter(|_| rooted(index));
    let mut lines = vec!["# Tags".to_owned(), String::new()];
    let mut stack: Vec<(usize, usize)> = (0..tags.len())
        .filter(|&index| parent(index).is_none())
        .rev()
        .map(|index| (index, 0))
        .collect();
    while let Some((index, depth)) = stack.pop() {
        let tag = tags[index];
        let mut line = format!("{}- `{}`", "  ".repeat(depth), names[index]);
        if let Some(kind) = tag.get("kind").and_then(Value::as_str) {
            line.push_str(&format!(" ({kind})"));
        }
        let text = ["summary", "description"]
            .iter()
            .find_map(|key| tag.get(*key).and_then(Value::as_str))
            .map(|text| text.lines().next().unwrap_or_default().trim());
        if let Some(text) = text.filter(|text| !text.is_empty()) {
            line.push_str(&format!(": {text}"));
        }
        lines.push(line);
        stack.extend(
            (0..tags.len())
                .filter(|&child| parent(child) == Some(index))
                .rev()
                .map(|child| (child, depth + 1)),
        );
    }
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hierarchical_tags_are_a_tree_in_document_order() {
        let document = json!({"tags": [
            {"name": "books", "summary": "Books", "parent": "library", "kind": "nav"},
            {"name": "library", "description": "The whole library.\nMore."},
            {"name": "loans", "parent": "library"},
            {"name": "rare", "parent": "books", "kind": "badge"},
            {"name": "lost", "parent": "nowhere"},
            {"name": "a", "parent": "b"},
            {"name": "b", "parent": "a"}
        ]});
        assert_eq!(
            tree(&document).as_deref(),
            Some(
                "# Tags\n\n- `library`: The whole library.\n  - `books` (nav): Books\n    - `rare` (badge)\n  - `loans`\n- `lost`\n- `a`\n- `b`"
            )
        );
    }

    #[test]
    fn flat_tags_add_no_tree() {
        let document = json!({"tags": [{"name": "books", "description": "Books"}]});
        assert_eq!(tree(&document), None);
    }
}
