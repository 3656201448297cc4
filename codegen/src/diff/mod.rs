//! Comparing two versions of a document: every change, where it is in both, and whom it
//! breaks.
//!
//! ```text
//! OLD, NEW (bundled by `load`) --operations matched--> each pair compared --rules--> changes
//! ```
//!
//! The comparison is pure: two documents in ([`crate::load`] has bundled every file they
//! reference, so every `$ref` is local), a list of [`Change`]s out. It walks what clients
//! see, operation by operation: operations are matched by method and path (path
//! parameters by position, so renaming one is not a new path), then their parameters,
//! request bodies, responses, headers, security and servers are compared, and the schemas
//! they use are followed through `$ref`s. A component used by several operations is
//! reported at each of them, once per operation, since each is a place that breaks;
//! components no operation uses are not compared.
//!
//! Every rule is in [`rules`], with its family, direction and class.

mod operations;
pub mod rules;
mod schema;
mod security;
mod servers;

pub use rules::{Class, Direction, Family, RULES, Rule};

use crate::error::push_pointer;
use serde_json::Value;
use std::collections::HashSet;
use std::fmt;

/// One change between the two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule that found it, which gives its class.
    pub rule: &'static Rule,
    /// The operation it affects (`GET /users/{id}`), or `None` for the document as a
    /// whole (its `info`, its servers).
    pub operation: Option<String>,
    /// Where in the operation (`query parameter \`level\``, `response 200
    /// application/json`), or in the document.
    pub location: String,
    /// What changed, in words.
    pub message: String,
    /// The JSON pointer of the change in the OLD document (for something added, the
    /// place it would have been in).
    pub old: String,
    /// The JSON pointer of the change in the NEW document (for something removed, the
    /// place it was taken from).
    pub new: String,
}

impl Change {
    /// Whom the change breaks.
    pub fn class(&self) -> Class {
        self.rule.class
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}] ", self.class(), self.rule.id)?;
        if let Some(operation) = &self.operation {
            write!(f, "{operation}: ")?;
        }
        write!(
            f,
            "{}: {}\n    old: #{}\n    new: #{}",
            self.location, self.message, self.old, self.new
        )
    }
}

/// Every change from `old` to `new`, two OpenAPI 3.0 documents as [`crate::load`] returns
/// them (bundled: every `$ref` local). Changes come in document order: the document's own
/// fields, then operations in OLD's order, then the operations NEW adds.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut sink = Sink::default();
    let (old_doc, new_doc) = (Doc(old), Doc(new));
    document(&mut sink, old_doc, new_doc);
    let mut schemas = schema::Schemas::new(old, new);
    operations::compare(&mut sink, &mut schemas, old_doc, new_doc);
    sink.changes
}

/// The annotations of `info`: all of it (`version` included, which names a version but
/// changes nothing on the wire).
static INFO: Annotations = Annotations {
    documentation: &[
        "title",
        "summary",
        "description",
        "version",
        "termsOfService",
        "contact",
        "license",
    ],
    examples: &[],
};

/// Extensions only.
static EXTENSIONS: Annotations = Annotations {
    documentation: &[],
    examples: &[],
};

/// The document's own fields: `info`, `tags`, `externalDocs`, its extensions and its
/// servers.
fn document(sink: &mut Sink, old: Doc<'_>, new: Doc<'_>) {
    sink.operation(None);
    sink.annotations(old.at("/info"), new.at("/info"), "the document", &INFO);
    sink.annotations(old.at(""), new.at(""), "the document", &EXTENSIONS);
    for key in ["/tags", "/externalDocs"] {
        let (before, after) = (old.at(key), new.at(key));
        if before.as_ref().map(|n| n.value) != after.as_ref().map(|n| n.value) {
            let pointer = |node: Option<Node<'_>>| node.map_or_else(String::new, |n| n.pointer);
            sink.push(
                &rules::DOCUMENTATION_CHANGED,
                &pointer(before),
                &pointer(after),
                "the document",
                format!("`{}` changed", &key[1..]),
            );
        }
    }
    servers::compare(
        sink,
        old.at("/servers"),
        new.at("/servers"),
        "the document's servers",
    );
}

/// A document, for lookups by JSON pointer and `$ref`.
#[derive(Clone, Copy)]
pub(crate) struct Doc<'a>(pub &'a Value);

/// A value in a document, with its JSON pointer.
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    pub value: &'a Value,
    pub pointer: String,
}

impl<'a> Node<'a> {
    /// A member of this object, if present.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.value.get(key).map(|value| Node {
            value,
            pointer: push_pointer(&self.pointer, key),
        })
    }

    /// The pointer of member `key` when it is present, else of this node: where a change
    /// to `key` is shown.
    pub fn pointer_of(&self, key: &str) -> String {
        if self.value.get(key).is_some() {
            push_pointer(&self.pointer, key)
        } else {
            self.pointer.clone()
        }
    }

    /// The members of this object, in order, as nodes.
    pub fn members(&self) -> Vec<(&'a str, Node<'a>)> {
        match self.value {
            Value::Object(map) => map
                .iter()
                .map(|(key, value)| {
                    (
                        key.as_str(),
                        Node {
                            value,
                            pointer: push_pointer(&self.pointer, key),
                        },
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The items of this array, as nodes.
    pub fn items(&self) -> Vec<Node<'a>> {
        match self.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, value)| Node {
                    value,
                    pointer: push_pointer(&self.pointer, &i.to_string()),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether member `key` is `true`.
    pub fn flag(&self, key: &str) -> bool {
        self.value.get(key).and_then(Value::as_bool) == Some(true)
    }

    /// Member `key` as a string.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.value.get(key).and_then(Value::as_str)
    }
}

/// How many `$ref`s in a row are followed before giving up: a chain this long is a
/// cycle (the loader refuses dangling references, not cycles of references).
const REF_HOPS: usize = 32;

impl<'a> Doc<'a> {
    /// The value at `pointer`, if any.
    pub fn at(self, pointer: &str) -> Option<Node<'a>> {
        self.0.pointer(pointer).map(|value| Node {
            value,
            pointer: pointer.to_owned(),
        })
    }

    /// `node`, or what its `$ref` (and theirs) names. A reference that names nothing, or
    /// a cycle of references, stays as it is: it is then compared as a value.
    pub fn resolve(self, node: Node<'a>) -> Node<'a> {
        let mut current = node;
        let mut seen = HashSet::new();
        for _ in 0..REF_HOPS {
            let Some(target) = current.value.get("$ref").and_then(Value::as_str) else {
                return current;
            };
            let Some(fragment) = target.strip_prefix('#') else {
                return current;
            };
            if !seen.insert(fragment.to_owned()) {
                return current;
            }
            match self.0.pointer(fragment) {
                Some(value) => {
                    current = Node {
                        value,
                        pointer: fragment.to_owned(),
                    }
                }
                None => return current,
            }
        }
        current
    }
}

/// Collects changes, once each within an operation.
#[derive(Default)]
pub(crate) struct Sink {
    changes: Vec<Change>,
    operation: Option<String>,
    seen: HashSet<(&'static str, String, String)>,
}

impl Sink {
    /// Starts the changes of `operation` (`None`: the document as a whole).
    pub fn operation(&mut self, operation: Option<String>) {
        self.operation = operation;
        self.seen.clear();
    }

    /// Records a change, unless the same rule already fired at the same places in this
    /// operation (a shared schema reached twice).
    pub fn push(
        &mut self,
        rule: &'static Rule,
        old: &str,
        new: &str,
        location: &str,
        message: String,
    ) {
        if !self.seen.insert((rule.id, old.to_owned(), new.to_owned())) {
            return;
        }
        self.changes.push(Change {
            rule,
            operation: self.operation.clone(),
            location: location.to_owned(),
            message,
            old: old.to_owned(),
            new: new.to_owned(),
        });
    }

    /// Compares the annotations of two objects (either may be missing): descriptions
    /// and the like, examples, and extensions.
    pub fn annotations(
        &mut self,
        old: Option<Node<'_>>,
        new: Option<Node<'_>>,
        location: &str,
        keys: &Annotations,
    ) {
        for change in annotation_changes(old.as_ref(), new.as_ref(), keys) {
            self.push(
                change.rule,
                &change.old,
                &change.new,
                location,
                change.message,
            );
        }
    }
}

/// Which members of an object are annotations (no effect on the wire), by rule.
pub(crate) struct Annotations {
    /// Members whose change is `documentation-changed`.
    pub documentation: &'static [&'static str],
    /// Members whose change is `example-changed`.
    pub examples: &'static [&'static str],
}

/// An annotation change, before it is placed in an operation.
pub(crate) struct Found {
    pub rule: &'static Rule,
    pub old: String,
    pub new: String,
    pub message: String,
}

/// The annotation changes between two objects, in member order. Extensions (`x-...`)
/// are compared too, except `x-extensible-enum`, which is a constraint (see `schema`).
pub(crate) fn annotation_changes(
    old: Option<&Node<'_>>,
    new: Option<&Node<'_>>,
    keys: &Annotations,
) -> Vec<Found> {
    let mut found = Vec::new();
    let (Some(old), Some(new)) = (old, new) else {
        // Wholly present or absent: the rule about the object itself says so.
        return found;
    };
    if old.value == new.value {
        return found;
    }
    let mut names: Vec<&str> = Vec::new();
    for node in [old, new] {
        if let Value::Object(map) = node.value {
            for key in map.keys() {
                if !names.contains(&key.as_str()) {
                    names.push(key);
                }
            }
        }
    }
    for name in names {
        let rule = if keys.documentation.contains(&name) {
            &rules::DOCUMENTATION_CHANGED
        } else if keys.examples.contains(&name) {
            &rules::EXAMPLE_CHANGED
        } else if name.starts_with("x-") && name != "x-extensible-enum" {
            &rules::EXTENSION_CHANGED
        } else {
            continue;
        };
        let (before, after) = (old.value.get(name), new.value.get(name));
        if before == after {
            continue;
        }
        let message = match (before, after) {
            (None, _) => format!("`{name}` added"),
            (_, None) => format!("`{name}` removed"),
            _ => format!("`{name}` changed"),
        };
        found.push(Found {
            rule,
            old: old.pointer_of(name),
            new: new.pointer_of(name),
            message,
        });
    }
    found
}

/// A short rendering of a value for messages: strings quoted, long values cut.
pub(crate) fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}
