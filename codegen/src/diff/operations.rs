//! Operations matched across versions, and what each holds compared: parameters, the
//! request body, responses and their headers (schemas go to `schema`, security to
//! `security`, servers to `servers`).

use super::rules::{self, Direction, Rule};
use super::schema::Schemas;
use super::{Annotations, Doc, Node, Sink, security, servers};
use std::collections::HashMap;

/// The methods a path item may hold in fields of their own, in the specification's
/// order (OpenAPI 3.2's `query` last); other methods are entries of 3.2's
/// `additionalOperations`.
const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// The annotations of an operation, a parameter, a body, a response, a header.
static ANNOTATIONS: Annotations = Annotations {
    documentation: &["summary", "description", "tags", "externalDocs"],
    examples: &["example", "examples"],
};

/// One operation of a document.
struct Operation<'a> {
    method: &'a str,
    path: &'a str,
    node: Node<'a>,
    item: Node<'a>,
}

impl Operation<'_> {
    fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// The operations of `doc`, in document order.
fn operations(doc: Doc<'_>) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    let Some(paths) = doc.at("/paths") else {
        return found;
    };
    for (path, item) in paths.members() {
        if path.starts_with("x-") {
            continue;
        }
        let item = doc.resolve(item);
        for method in METHODS {
            if let Some(node) = item.get(method) {
                found.push(Operation {
                    method,
                    path,
                    node,
                    item: item.clone(),
                });
            }
        }
        if let Some(additional) = item.get("additionalOperations") {
            for (method, node) in additional.members() {
                found.push(Operation {
                    method,
                    path,
                    node,
                    item: item.clone(),
                });
            }
        }
    }
    found
}

/// A path with its parameters' names left out (`/users/{}`): two paths that differ only
/// in those names are one path on the wire.
fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// The names of a path's parameters, in order.
fn path_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Compares the operations of `old` and `new`: those only in OLD are removed, those only
/// in NEW added, the others compared member by member.
pub(crate) fn compare<'a>(sink: &mut Sink, schemas: &mut Schemas<'a>, old: Doc<'a>, new: Doc<'a>) {
    let (before, after) = (operations(old), operations(new));
    let mut index: HashMap<(String, &str), usize> = HashMap::new();
    for (i, operation) in after.iter().enumerate() {
        index
            .entry((template(operation.path), operation.method))
            .or_insert(i);
    }
    let mut matched = vec![false; after.len()];
    let mut compare = Compare {
        sink,
        schemas,
        old,
        new,
    };
    for operation in &before {
        compare.sink.operation(Some(operation.label()));
        compare.schemas.operation();
        match index.get(&(template(operation.path), operation.method)) {
            Some(&i) if !matched[i] => {
                matched[i] = true;
                compare.operation(operation, &after[i]);
            }
            _ => {
                let place = new
                    .at(&paths_pointer(operation.path))
                    .map_or_else(|| "/paths".to_owned(), |item| item.pointer);
                compare.sink.push(
                    &rules::OPERATION_REMOVED,
                    &operation.node.pointer,
                    &place,
                    "the operation",
                    "the operation is gone".to_owned(),
                );
            }
        }
    }
    for (operation, _) in after.iter().zip(&matched).filter(|(_, matched)| !**matched) {
        compare.sink.operation(Some(operation.label()));
        let place = old
            .at(&paths_pointer(operation.path))
            .map_or_else(|| "/paths".to_owned(), |item| item.pointer);
        compare.sink.push(
            &rules::OPERATION_ADDED,
            &place,
            &operation.node.pointer,
            "the operation",
            "a new operation, which implementations must provide".to_owned(),
        );
    }
}

fn paths_pointer(path: &str) -> String {
    crate::error::push_pointer("/paths", path)
}

/// One parameter of an operation, resolved.
struct Parameter<'a> {
    node: Node<'a>,
    location: &'a str,
    name: &'a str,
    /// How it is matched across versions: location and name, or, in the path, position.
    key: String,
}

impl<'a> Parameter<'a> {
    fn describe(&self) -> String {
        format!("{} parameter `{}`", self.location, self.name)
    }

    /// `style` and `explode`, with the defaults of the parameter's location.
    fn style(&self) -> (&str, bool) {
        let style = self.node.str("style").unwrap_or(match self.location {
            "query" | "cookie" => "form",
            _ => "simple",
        });
        let explode = self
            .node
            .value
            .get("explode")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(style == "form");
        (style, explode)
    }

    fn required(&self) -> bool {
        self.location == "path" || self.node.flag("required")
    }

    /// Its schema: `schema`, or the one of its single `content` entry.
    fn schema(&self) -> Option<Node<'a>> {
        self.node.get("schema").or_else(|| {
            self.node
                .get("content")
                .and_then(|content| content.members().into_iter().next())
                .and_then(|(_, media)| media.get("schema"))
        })
    }
}

/// The parameters of an operation: the path item's, then the operation's (which override
/// those of the same name and location).
fn parameters<'a>(doc: Doc<'a>, operation: &Operation<'a>) -> Vec<Parameter<'a>> {
    let names = path_names(operation.path);
    let mut found: Vec<Parameter<'a>> = Vec::new();
    for holder in [&operation.item, &operation.node] {
        let Some(list) = holder.get("parameters") else {
            continue;
        };
        for node in list.items() {
            let node = doc.resolve(node);
            let (Some(location), Some(name)) = (node.str("in"), node.str("name")) else {
                continue;
            };
            let key = match location {
                "path" => match names.iter().position(|n| *n == name) {
                    Some(i) => format!("path #{i}"),
                    None => format!("path {name}"),
                },
                "header" => format!("header {}", name.to_ascii_lowercase()),
                _ => format!("{location} {name}"),
            };
            let parameter = Parameter {
                node,
                location,
                name,
                key,
            };
            match found.iter_mut().find(|p| p.key == parameter.key) {
                Some(slot) => *slot = parameter,
                None => found.push(parameter),
            }
        }
    }
    found
}

/// The comparison of two matched operations.
struct Compare<'s, 'a> {
    sink: &'s mut Sink,
    schemas: &'s mut Schemas<'a>,
    old: Doc<'a>,
    new: Doc<'a>,
}

impl<'a> Compare<'_, 'a> {
    fn push(&mut self, rule: &'static Rule, old: &str, new: &str, location: &str, message: String) {
        self.sink.push(rule, old, new, location, message);
    }

    fn operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let (before, after) = (old.node.str("operationId"), new.node.str("operationId"));
        if before != after {
            let name = |id: Option<&str>| id.map_or("none".to_owned(), |id| format!("`{id}`"));
            self.push(
                &rules::OPERATION_ID_CHANGED,
                &old.node.pointer_of("operationId"),
                &new.node.pointer_of("operationId"),
                "the operation",
                format!(
                    "`operationId` changed from {} to {}: generated names change",
                    name(before),
                    name(after)
                ),
            );
        }
        self.deprecation(
            &old.node,
            &new.node,
            &rules::OPERATION_DEPRECATION_CHANGED,
            "the operation",
        );
        self.sink.annotations(
            Some(old.node.clone()),
            Some(new.node.clone()),
            "the operation",
            &ANNOTATIONS,
        );
        self.parameters(old, new);
        self.request_body(old, new);
        self.responses(old, new);
        security::compare(self.sink, self.old, self.new, &old.node, &new.node);
        let overridden = |operation: &Operation<'a>| {
            operation
                .node
                .get("servers")
                .or_else(|| operation.item.get("servers"))
        };
        let (before, after) = (overridden(old), overridden(new));
        if before.is_some() || after.is_some() {
            servers::compare(
                self.sink,
                before.or_else(|| self.old.at("/servers")),
                after.or_else(|| self.new.at("/servers")),
                "the operation's servers",
            );
        }
    }

    fn deprecation(&mut self, old: &Node<'a>, new: &Node<'a>, rule: &'static Rule, location: &str) {
        let (before, after) = (old.flag("deprecated"), new.flag("deprecated"));
        if before != after {
            self.push(
                rule,
                &old.pointer_of("deprecated"),
                &new.pointer_of("deprecated"),
                location,
                if after {
                    "deprecated".to_owned()
                } else {
                    "no longer deprecated".to_owned()
                },
            );
        }
    }

    fn parameters(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let (before, after) = (parameters(self.old, old), parameters(self.new, new));
        let mut taken = vec![false; after.len()];
        let mut pending = Vec::new();
        for parameter in &before {
            match after.iter().position(|p| p.key == parameter.key) {
                Some(i) => {
                    taken[i] = true;
                    self.parameter(parameter, &after[i]);
                }
                None => pending.push(parameter),
            }
        }
        for parameter in pending {
            let moved = after.iter().enumerate().position(|(i, p)| {
                !taken[i]
                    && p.location != parameter.location
                    && p.name.eq_ignore_ascii_case(parameter.name)
            });
            match moved {
                Some(i) => {
                    taken[i] = true;
                    self.push(
                        &rules::PARAMETER_MOVED,
                        &parameter.node.pointer,
                        &after[i].node.pointer,
                        &parameter.describe(),
                        format!(
                            "moved from the {} to the {}",
                            parameter.location, after[i].location
                        ),
                    );
                }
                None => self.push(
                    &rules::PARAMETER_REMOVED,
                    &parameter.node.pointer,
                    &new.node.pointer_of("parameters"),
                    &parameter.describe(),
                    "the parameter was removed".to_owned(),
                ),
            }
        }
        for (parameter, _) in after.iter().zip(&taken).filter(|(_, taken)| !**taken) {
            let (rule, message) = if parameter.required() {
                (
                    &rules::PARAMETER_ADDED_REQUIRED,
                    "a required parameter was added",
                )
            } else {
                (
                    &rules::PARAMETER_ADDED_OPTIONAL,
                    "an optional parameter was added",
                )
            };
            self.push(
                rule,
                &old.node.pointer_of("parameters"),
                &parameter.node.pointer,
                &parameter.describe(),
                message.to_owned(),
            );
        }
    }

    fn parameter(&mut self, old: &Parameter<'a>, new: &Parameter<'a>) {
        let location = new.describe();
        if old.location == "path" && old.name != new.name {
            self.push(
                &rules::PATH_PARAMETER_RENAMED,
                &old.node.pointer_of("name"),
                &new.node.pointer_of("name"),
                &location,
                format!(
                    "renamed from `{}` to `{}`: generated field names change",
                    old.name, new.name
                ),
            );
        }
        if old.required() != new.required() {
            let (rule, message) = if new.required() {
                (&rules::PARAMETER_BECAME_REQUIRED, "became required")
            } else {
                (&rules::PARAMETER_BECAME_OPTIONAL, "became optional")
            };
            self.push(
                rule,
                &old.node.pointer_of("required"),
                &new.node.pointer_of("required"),
                &location,
                message.to_owned(),
            );
        }
        let (before, after) = (old.style(), new.style());
        if before != after {
            let show = |(style, explode): (&str, bool)| {
                format!("`{style}`{}", if explode { ", exploded" } else { "" })
            };
            self.push(
                &rules::PARAMETER_STYLE_CHANGED,
                &old.node.pointer_of("style"),
                &new.node.pointer_of("style"),
                &location,
                format!(
                    "serialization changed from {} to {}",
                    show(before),
                    show(after)
                ),
            );
        }
        self.deprecation(
            &old.node,
            &new.node,
            &rules::PARAMETER_DEPRECATION_CHANGED,
            &location,
        );
        self.sink.annotations(
            Some(old.node.clone()),
            Some(new.node.clone()),
            &location,
            &ANNOTATIONS,
        );
        if let (Some(before), Some(after)) = (old.schema(), new.schema()) {
            self.schemas
                .compare(self.sink, before, after, Direction::Request, &location);
        }
    }

    fn request_body(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let location = "request body";
        let before = old.node.get("requestBody").map(|b| self.old.resolve(b));
        let after = new.node.get("requestBody").map(|b| self.new.resolve(b));
        match (before, after) {
            (None, None) => {}
            (None, Some(after)) => {
                let (rule, message) = if after.flag("required") {
                    (
                        &rules::REQUEST_BODY_ADDED_REQUIRED,
                        "a required body was added",
                    )
                } else {
                    (
                        &rules::REQUEST_BODY_ADDED_OPTIONAL,
                        "an optional body was added",
                    )
                };
                self.push(
                    rule,
                    &old.node.pointer,
                    &after.pointer,
                    location,
                    message.to_owned(),
                );
            }
            (Some(before), None) => self.push(
                &rules::REQUEST_BODY_REMOVED,
                &before.pointer,
                &new.node.pointer,
                location,
                "the body was removed: implementations lose it".to_owned(),
            ),
            (Some(before), Some(after)) => {
                let (was, is) = (before.flag("required"), after.flag("required"));
                if was != is {
                    let (rule, message) = if is {
                        (&rules::REQUEST_BODY_BECAME_REQUIRED, "became required")
                    } else {
                        (&rules::REQUEST_BODY_BECAME_OPTIONAL, "became optional")
                    };
                    self.push(
                        rule,
                        &before.pointer_of("required"),
                        &after.pointer_of("required"),
                        location,
                        message.to_owned(),
                    );
                }
                self.sink.annotations(
                    Some(before.clone()),
                    Some(after.clone()),
                    location,
                    &ANNOTATIONS,
                );
                self.content(
                    &before,
                    &after,
                    Direction::Request,
                    location,
                    (
                        &rules::REQUEST_MEDIA_TYPE_REMOVED,
                        &rules::REQUEST_MEDIA_TYPE_ADDED,
                    ),
                );
            }
        }
    }

    /// Compares the `content` of two bodies: media types removed and added (by the
    /// given rules), and the schemas of those in both.
    fn content(
        &mut self,
        old: &Node<'a>,
        new: &Node<'a>,
        direction: Direction,
        location: &str,
        (removed, added): (&'static Rule, &'static Rule),
    ) {
        let media = |node: &Node<'a>| node.get("content").map(|c| c.members()).unwrap_or_default();
        let (before, after) = (media(old), media(new));
        let essence = |media_type: &str| {
            media_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        };
        for (media_type, before_media) in &before {
            let place = format!("{location} {media_type}");
            match after
                .iter()
                .find(|(other, _)| essence(other) == essence(media_type))
            {
                Some((_, after_media)) => {
                    self.sink.annotations(
                        Some(before_media.clone()),
                        Some(after_media.clone()),
                        &place,
                        &ANNOTATIONS,
                    );
                    if let (Some(before), Some(after)) =
                        (before_media.get("schema"), after_media.get("schema"))
                    {
                        self.schemas
                            .compare(self.sink, before, after, direction, &place);
                    }
                }
                None => self.push(
                    removed,
                    &before_media.pointer,
                    &new.pointer_of("content"),
                    &place,
                    format!("media type `{media_type}` removed"),
                ),
            }
        }
        for (media_type, after_media) in &after {
            if before
                .iter()
                .any(|(other, _)| essence(other) == essence(media_type))
            {
                continue;
            }
            self.push(
                added,
                &old.pointer_of("content"),
                &after_media.pointer,
                &format!("{location} {media_type}"),
                format!("media type `{media_type}` added"),
            );
        }
    }

    fn responses(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let statuses = |operation: &Operation<'a>| {
            operation
                .node
                .get("responses")
                .map(|r| r.members())
                .unwrap_or_default()
                .into_iter()
                .filter(|(status, _)| !status.starts_with("x-"))
                .collect::<Vec<_>>()
        };
        let (before, after) = (statuses(old), statuses(new));
        for (status, before_response) in &before {
            let location = format!("response {status}");
            match after
                .iter()
                .find(|(other, _)| other.eq_ignore_ascii_case(status))
            {
                Some((_, after_response)) => {
                    let before_response = self.old.resolve(before_response.clone());
                    let after_response = self.new.resolve(after_response.clone());
                    self.response(&before_response, &after_response, &location);
                }
                None => self.push(
                    &rules::RESPONSE_STATUS_REMOVED,
                    &before_response.pointer,
                    &new.node.pointer_of("responses"),
                    &location,
                    format!("status {status} is no longer documented"),
                ),
            }
        }
        for (status, after_response) in &after {
            if before
                .iter()
                .any(|(other, _)| other.eq_ignore_ascii_case(status))
            {
                continue;
            }
            let (rule, message) = if status.starts_with('2') {
                (
                    &rules::RESPONSE_SUCCESS_STATUS_ADDED,
                    "a new success status, which old clients do not expect",
                )
            } else {
                (&rules::RESPONSE_ERROR_STATUS_ADDED, "a new error status")
            };
            self.push(
                rule,
                &old.node.pointer_of("responses"),
                &after_response.pointer,
                &format!("response {status}"),
                message.to_owned(),
            );
        }
    }

    fn response(&mut self, old: &Node<'a>, new: &Node<'a>, location: &str) {
        self.sink
            .annotations(Some(old.clone()), Some(new.clone()), location, &ANNOTATIONS);
        let has_body = |node: &Node<'a>| {
            node.value
                .get("content")
                .and_then(serde_json::Value::as_object)
                .is_some_and(|content| !content.is_empty())
        };
        match (has_body(old), has_body(new)) {
            (true, true) => self.content(
                old,
                new,
                Direction::Response,
                location,
                (
                    &rules::RESPONSE_MEDIA_TYPE_REMOVED,
                    &rules::RESPONSE_MEDIA_TYPE_ADDED,
                ),
            ),
            (true, false) => self.push(
                &rules::RESPONSE_BODY_REMOVED,
                &old.pointer_of("content"),
                &new.pointer,
                location,
                "the body was removed".to_owned(),
            ),
            (false, true) => self.push(
                &rules::RESPONSE_BODY_ADDED,
                &old.pointer,
                &new.pointer_of("content"),
                location,
                "a body was added, which implementations must now return".to_owned(),
            ),
            (false, false) => {}
        }
        self.headers(old, new, location);
    }

    fn headers(&mut self, old: &Node<'a>, new: &Node<'a>, location: &str) {
        let headers = |doc: Doc<'a>, node: &Node<'a>| {
            node.get("headers")
                .map(|h| h.members())
                .unwrap_or_default()
                .into_iter()
                .map(|(name, header)| (name, doc.resolve(header)))
                .collect::<Vec<_>>()
        };
        let (before, after) = (headers(self.old, old), headers(self.new, new));
        for (name, before_header) in &before {
            let place = format!("{location} header `{name}`");
            match after
                .iter()
                .find(|(other, _)| other.eq_ignore_ascii_case(name))
            {
                Some((_, after_header)) => {
                    let (was, is) = (
                        before_header.flag("required"),
                        after_header.flag("required"),
                    );
                    if was != is {
                        let (rule, message) = if is {
                            (&rules::RESPONSE_HEADER_BECAME_REQUIRED, "became required")
                        } else {
                            (&rules::RESPONSE_HEADER_BECAME_OPTIONAL, "became optional")
                        };
                        self.push(
                            rule,
                            &before_header.pointer_of("required"),
                            &after_header.pointer_of("required"),
                            &place,
                            message.to_owned(),
                        );
                    }
                    self.sink.annotations(
                        Some(before_header.clone()),
                        Some(after_header.clone()),
                        &place,
                        &ANNOTATIONS,
                    );
                    if let (Some(before), Some(after)) =
                        (before_header.get("schema"), after_header.get("schema"))
                    {
                        self.schemas
                            .compare(self.sink, before, after, Direction::Response, &place);
                    }
                }
                None => {
                    let (rule, message) = if before_header.flag("required") {
                        (
                            &rules::RESPONSE_REQUIRED_HEADER_REMOVED,
                            "a required header was removed",
                        )
                    } else {
                        (
                            &rules::RESPONSE_OPTIONAL_HEADER_REMOVED,
                            "an optional header was removed",
                        )
                    };
                    self.push(
                        rule,
                        &before_header.pointer,
                        &new.pointer_of("headers"),
                        &place,
                        message.to_owned(),
                    );
                }
            }
        }
        for (name, after_header) in &after {
            if before
                .iter()
                .any(|(other, _)| other.eq_ignore_ascii_case(name))
            {
                continue;
            }
            let (rule, message) = if after_header.flag("required") {
                (
                    &rules::RESPONSE_REQUIRED_HEADER_ADDED,
                    "a required header was added, which implementations must now send",
                )
            } else {
                (
                    &rules::RESPONSE_OPTIONAL_HEADER_ADDED,
                    "an optional header was added",
                )
            };
            self.push(
                rule,
                &old.pointer_of("headers"),
                &after_header.pointer,
                &format!("{location} header `{name}`"),
                message.to_owned(),
            );
        }
    }
}
