//! Server URLs: where clients send their requests. A client built from OLD calls OLD's
//! first server by default (or one its user picks), so a URL gone or changed breaks it;
//! so does a variable whose default changed, or whose allowed values shrank.

use super::rules;
use super::{Annotations, Node, Sink};
use serde_json::Value;

/// The annotations of a server and of its variables.
static ANNOTATIONS: Annotations = Annotations {
    documentation: &["description"],
    examples: &[],
};

/// A server: its URL (without a trailing `/`) and where it is.
struct Server<'a> {
    url: String,
    node: Option<Node<'a>>,
    pointer: String,
}

/// The servers of a list; no list (or an empty one) is the one server `/`.
fn servers<'a>(list: Option<&Node<'a>>) -> Vec<Server<'a>> {
    let mut found: Vec<Server<'a>> = list
        .map(Node::items)
        .unwrap_or_default()
        .into_iter()
        .map(|node| Server {
            url: normalize(node.str("url").unwrap_or("/")),
            pointer: node.pointer.clone(),
            node: Some(node),
        })
        .collect();
    if found.is_empty() {
        found.push(Server {
            url: "/".to_owned(),
            node: None,
            pointer: list.map_or_else(|| "/servers".to_owned(), |l| l.pointer.clone()),
        });
    }
    found
}

fn normalize(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Compares two lists of servers (either may be absent), at `location`.
pub(crate) fn compare(
    sink: &mut Sink,
    old: Option<Node<'_>>,
    new: Option<Node<'_>>,
    location: &str,
) {
    let (before, after) = (servers(old.as_ref()), servers(new.as_ref()));
    let mut matched = vec![false; after.len()];
    let mut gone = Vec::new();
    for server in &before {
        match after
            .iter()
            .enumerate()
            .position(|(i, s)| !matched[i] && s.url == server.url)
        {
            Some(i) => {
                matched[i] = true;
                if let (Some(old), Some(new)) = (&server.node, &after[i].node) {
                    variables(sink, old, new, location);
                    sink.annotations(Some(old.clone()), Some(new.clone()), location, &ANNOTATIONS);
                }
            }
            None => gone.push(server),
        }
    }
    let mut added = after
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(s, _)| s);
    for server in gone {
        match added.next() {
            Some(replacement) => sink.push(
                &rules::SERVER_URL_CHANGED,
                &server.pointer,
                &replacement.pointer,
                location,
                format!(
                    "server URL changed from `{}` to `{}`",
                    server.url, replacement.url
                ),
            ),
            None => sink.push(
                &rules::SERVER_REMOVED,
                &server.pointer,
                &new.as_ref()
                    .map_or_else(|| "/servers".to_owned(), |n| n.pointer.clone()),
                location,
                format!("server `{}` was removed", server.url),
            ),
        }
    }
    for server in added {
        sink.push(
            &rules::SERVER_ADDED,
            &old.as_ref()
                .map_or_else(|| "/servers".to_owned(), |o| o.pointer.clone()),
            &server.pointer,
            location,
            format!("server `{}` was added", server.url),
        );
    }
}

/// Compares the variables of one server in both versions.
fn variables(sink: &mut Sink, old: &Node<'_>, new: &Node<'_>, location: &str) {
    let Some(old_variables) = old.get("variables") else {
        return;
    };
    for (name, before) in old_variables.members() {
        let Some(after) = new.get("variables").and_then(|v| v.get(name)) else {
            continue;
        };
        let place = format!("{location}, variable `{name}`");
        if before.value.get("default") != after.value.get("default") {
            let show = |n: &Node<'_>| n.str("default").unwrap_or("none").to_owned();
            sink.push(
                &rules::SERVER_VARIABLE_DEFAULT_CHANGED,
                &before.pointer_of("default"),
                &after.pointer_of("default"),
                &place,
                format!(
                    "default changed from `{}` to `{}`: clients that do not set it call elsewhere",
                    show(&before),
                    show(&after)
                ),
            );
        }
        let values = |n: &Node<'_>| n.value.get("enum").and_then(Value::as_array).cloned();
        match (values(&before), values(&after)) {
            (Some(was), Some(is)) => {
                let removed: Vec<String> = was
                    .iter()
                    .filter(|v| !is.contains(v))
                    .map(Value::to_string)
                    .collect();
                let added: Vec<String> = is
                    .iter()
                    .filter(|v| !was.contains(v))
                    .map(Value::to_string)
                    .collect();
                if !removed.is_empty() {
                    sink.push(
                        &rules::SERVER_VARIABLE_ENUM_NARROWED,
                        &before.pointer_of("enum"),
                        &after.pointer_of("enum"),
                        &place,
                        format!("values {} no longer allowed", removed.join(", ")),
                    );
                }
                if !added.is_empty() {
                    sink.push(
                        &rules::SERVER_VARIABLE_ENUM_WIDENED,
                        &before.pointer_of("enum"),
                        &after.pointer_of("enum"),
                        &place,
                        format!("values {} now allowed", added.join(", ")),
                    );
                }
            }
            (None, Some(_)) => sink.push(
                &rules::SERVER_VARIABLE_ENUM_NARROWED,
                &before.pointer,
                &after.pointer_of("enum"),
                &place,
                "the variable is now limited to an `enum`".to_owned(),
            ),
            (Some(_), None) => sink.push(
                &rules::SERVER_VARIABLE_ENUM_WIDENED,
                &before.pointer_of("enum"),
                &after.pointer,
                &place,
                "the variable is no longer limited to an `enum`".to_owned(),
            ),
            (None, None) => {}
        }
        sink.annotations(Some(before), Some(after), &place, &ANNOTATIONS);
    }
}
