//! Security requirements, and the schemes they name, as each operation applies them.
//!
//! An operation's requirements are its own `security`, or else the document's: a list
//! of alternatives (a client satisfies one), each a set of schemes with scopes (all
//! needed). No requirement at all is one empty alternative: anonymous calls. A client
//! built from OLD satisfies one of OLD's alternatives; it breaks when NEW no longer has
//! that alternative, or asks more of it.

use super::rules::{self, Rule};
use super::{Annotations, Doc, Node, Sink};
use crate::error::push_pointer;
use serde_json::Value;

/// The annotations of a security scheme.
static ANNOTATIONS: Annotations = Annotations {
    documentation: &["description", "bearerFormat"],
    examples: &[],
};

/// One alternative: the schemes it needs, each with its scopes, and where it is.
struct Alternative<'a> {
    pointer: String,
    schemes: Vec<(&'a str, Vec<&'a str>)>,
}

impl Alternative<'_> {
    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.schemes.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names
    }

    fn describe(&self) -> String {
        if self.schemes.is_empty() {
            return "anonymous access".to_owned();
        }
        let names: Vec<String> = self.names().iter().map(|n| format!("`{n}`")).collect();
        names.join(" + ")
    }
}

/// The alternatives that apply to `operation`, and where they are written.
fn requirements<'a>(doc: Doc<'a>, operation: &Node<'a>) -> (String, Vec<Alternative<'a>>) {
    let list = operation.get("security").or_else(|| doc.at("/security"));
    let Some(list) = list else {
        let anonymous = Alternative {
            pointer: operation.pointer.clone(),
            schemes: Vec::new(),
        };
        return (operation.pointer.clone(), vec![anonymous]);
    };
    let mut alternatives: Vec<Alternative<'a>> = list
        .items()
        .into_iter()
        .map(|item| Alternative {
            schemes: item
                .value
                .as_object()
                .map(|map| {
                    map.iter()
                        .map(|(name, scopes)| {
                            let scopes = scopes
                                .as_array()
                                .map(|s| s.iter().filter_map(Value::as_str).collect())
                                .unwrap_or_default();
                            (name.as_str(), scopes)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            pointer: item.pointer,
        })
        .collect();
    if alternatives.is_empty() {
        alternatives.push(Alternative {
            pointer: list.pointer.clone(),
            schemes: Vec::new(),
        });
    }
    (list.pointer, alternatives)
}

/// Compares the security of two matched operations.
pub(crate) fn compare<'a>(
    sink: &mut Sink,
    old_doc: Doc<'a>,
    new_doc: Doc<'a>,
    old: &Node<'a>,
    new: &Node<'a>,
) {
    let (old_at, before) = requirements(old_doc, old);
    let (new_at, after) = requirements(new_doc, new);
    let anonymous_only = |list: &[Alternative<'_>]| list.iter().all(|a| a.schemes.is_empty());
    let location = "security";
    let mut matched = vec![false; after.len()];
    let mut compared: Vec<&str> = Vec::new();
    for alternative in &before {
        let Some(i) = after.iter().position(|a| a.names() == alternative.names()) else {
            if after.iter().any(|a| a.schemes.is_empty()) {
                // NEW takes anonymous calls: whatever OLD's clients send is enough.
                continue;
            }
            if alternative.schemes.is_empty() {
                let needed: Vec<String> = after.iter().map(Alternative::describe).collect();
                sink.push(
                    &rules::SECURITY_ADDED,
                    &old_at,
                    &new_at,
                    location,
                    format!("credentials are now required: {}", needed.join(" or ")),
                );
            } else {
                sink.push(
                    &rules::SECURITY_ALTERNATIVE_REMOVED,
                    &alternative.pointer,
                    &new_at,
                    location,
                    format!("{} is no longer accepted", alternative.describe()),
                );
            }
            continue;
        };
        matched[i] = true;
        let counterpart = &after[i];
        for (name, scopes) in &alternative.schemes {
            let Some((_, new_scopes)) = counterpart.schemes.iter().find(|(n, _)| n == name) else {
                continue;
            };
            let pointer = |alt: &Alternative<'_>| push_pointer(&alt.pointer, name);
            let added: Vec<&&str> = new_scopes.iter().filter(|s| !scopes.contains(s)).collect();
            let removed: Vec<&&str> = scopes.iter().filter(|s| !new_scopes.contains(s)).collect();
            if !added.is_empty() {
                sink.push(
                    &rules::SECURITY_SCOPE_ADDED,
                    &pointer(alternative),
                    &pointer(counterpart),
                    location,
                    format!("`{name}` now needs scopes {}", quoted(&added)),
                );
            }
            if !removed.is_empty() {
                sink.push(
                    &rules::SECURITY_SCOPE_REMOVED,
                    &pointer(alternative),
                    &pointer(counterpart),
                    location,
                    format!("`{name}` no longer needs scopes {}", quoted(&removed)),
                );
            }
            if !compared.contains(name) {
                compared.push(name);
                scheme(sink, old_doc, new_doc, name);
            }
        }
    }
    if anonymous_only(&before) && !anonymous_only(&after) {
        // Reported once above, as `security-added`.
        return;
    }
    for (alternative, _) in after.iter().zip(&matched).filter(|(_, m)| !**m) {
        let (rule, message) = if alternative.schemes.is_empty() {
            (
                &rules::SECURITY_REMOVED,
                "anonymous calls are now accepted: implementations may get no credentials"
                    .to_owned(),
            )
        } else {
            (
                &rules::SECURITY_ALTERNATIVE_ADDED,
                format!("{} is now accepted too", alternative.describe()),
            )
        };
        sink.push(rule, &old_at, &alternative.pointer, location, message);
    }
}

fn quoted(scopes: &[&&str]) -> String {
    let scopes: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
    scopes.join(", ")
}

/// Compares the definitions of the security scheme `name` in both documents.
fn scheme(sink: &mut Sink, old_doc: Doc<'_>, new_doc: Doc<'_>, name: &str) {
    let pointer = push_pointer("/components/securitySchemes", name);
    let (Some(old), Some(new)) = (old_doc.at(&pointer), new_doc.at(&pointer)) else {
        return;
    };
    let (old, new) = (old_doc.resolve(old), new_doc.resolve(new));
    let location = format!("security scheme `{name}`");
    let mut push = |rule: &'static Rule, key: &str, message: String| {
        sink.push(
            rule,
            &old.pointer_of(key),
            &new.pointer_of(key),
            &location,
            message,
        );
    };
    let field = |node: &Node<'_>, key: &str| node.str(key).unwrap_or("none").to_owned();
    let (old_type, new_type) = (field(&old, "type"), field(&new, "type"));
    if old_type != new_type {
        push(
            &rules::SECURITY_SCHEME_TYPE_CHANGED,
            "type",
            format!("type changed from `{old_type}` to `{new_type}`"),
        );
        return;
    }
    match new_type.as_str() {
        "apiKey" => {
            for key in ["in", "name"] {
                let (before, after) = (field(&old, key), field(&new, key));
                let same = if key == "name" && field(&new, "in") == "header" {
                    before.eq_ignore_ascii_case(&after)
                } else {
                    before == after
                };
                if !same {
                    push(
                        &rules::SECURITY_SCHEME_LOCATION_CHANGED,
                        key,
                        format!("the key's `{key}` changed from `{before}` to `{after}`"),
                    );
                }
            }
        }
        "http" => {
            let (before, after) = (field(&old, "scheme"), field(&new, "scheme"));
            if !before.eq_ignore_ascii_case(&after) {
                push(
                    &rules::SECURITY_SCHEME_HTTP_SCHEME_CHANGED,
                    "scheme",
                    format!("HTTP scheme changed from `{before}` to `{after}`"),
                );
            }
        }
        "openIdConnect" => {
            let key = "openIdConnectUrl";
            let (before, after) = (field(&old, key), field(&new, key));
            if before != after {
                push(
                    &rules::SECURITY_SCHEME_URL_CHANGED,
                    key,
                    format!("`{key}` changed from `{before}` to `{after}`"),
                );
            }
        }
        "oauth2" => flows(sink, &old, &new, &location),
        _ => {}
    }
    sink.annotations(
        Some(old.clone()),
        Some(new.clone()),
        &location,
        &ANNOTATIONS,
    );
}

/// Compares the flows of two OAuth 2.0 schemes: flows removed and added, and their URLs.
fn flows<'a>(sink: &mut Sink, old: &Node<'a>, new: &Node<'a>, location: &str) {
    let flows = |node: &Node<'a>| {
        node.get("flows")
            .map(|f| f.members())
            .unwrap_or_default()
            .into_iter()
            .map(|(name, flow)| (name.to_owned(), flow))
            .collect::<Vec<_>>()
    };
    let (before, after) = (flows(old), flows(new));
    for (name, flow) in &before {
        match after.iter().find(|(other, _)| other == name) {
            Some((_, counterpart)) => {
                for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                    let (was, is) = (flow.str(key), counterpart.str(key));
                    if was != is {
                        sink.push(
                            &rules::SECURITY_SCHEME_URL_CHANGED,
                            &flow.pointer_of(key),
                            &counterpart.pointer_of(key),
                            location,
                            format!(
                                "`{name}` flow's `{key}` changed from `{}` to `{}`",
                                was.unwrap_or("none"),
                                is.unwrap_or("none")
                            ),
                        );
                    }
                }
            }
            None => sink.push(
                &rules::SECURITY_SCHEME_FLOW_REMOVED,
                &flow.pointer,
                &new.pointer_of("flows"),
                location,
                format!("the `{name}` flow was removed"),
            ),
        }
    }
    for (name, flow) in &after {
        if !before.iter().any(|(other, _)| other == name) {
            sink.push(
                &rules::SECURITY_SCHEME_FLOW_ADDED,
                &old.pointer_of("flows"),
                &flow.pointer,
                location,
                format!("the `{name}` flow was added"),
            );
        }
    }
}
