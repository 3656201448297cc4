//! Schemas compared as an operation uses them, in the direction the data flows.
//!
//! A pair of schemas (OLD's and NEW's at the same place) is compared once: its own
//! changes are found by walking its inline parts, and each `$ref` it holds (on either
//! side) becomes an edge to another pair, keyed by the two pointers the references
//! resolve to. An operation then collects every pair reachable from its roots, each
//! once (so cycles end, and a schema used twice in one operation is reported once),
//! and a pair reached from many operations is compared only the first time. This is
//! what keeps GitHub's description, where most operations reach dozens of shared
//! components, to a few seconds.

use super::rules::{self, Constraint, Direction, Rule};
use super::{Annotations, Doc, Found, Node, Sink, annotation_changes, show};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// A pair of schemas to compare: their pointers in OLD and NEW, and the direction.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    old: String,
    new: String,
    request: bool,
}

/// What a pair's own parts hold: its changes, and the pairs its `$ref`s lead to.
#[derive(Default)]
struct Pair {
    found: Vec<Found>,
    edges: Vec<Key>,
}

/// The schemas of two documents, compared pair by pair as operations reach them.
pub(crate) struct Schemas<'a> {
    old: Doc<'a>,
    new: Doc<'a>,
    pairs: HashMap<Key, Pair>,
    /// The pairs the current operation has reached.
    visited: HashSet<Key>,
}

/// The annotations of a schema.
static SCHEMA_ANNOTATIONS: Annotations = Annotations {
    documentation: &["title", "description", "externalDocs", "deprecated"],
    examples: &["example"],
};

/// Members that only annotate a schema: a composition of one part with nothing else but
/// these is that part (`allOf: [$ref]` is how 3.0 adds a description to a reference).
const ANNOTATING: &[&str] = &[
    "title",
    "description",
    "externalDocs",
    "deprecated",
    "example",
    "readOnly",
    "writeOnly",
];

impl<'a> Schemas<'a> {
    /// The schemas of `old` and `new`.
    pub fn new(old: &'a Value, new: &'a Value) -> Self {
        Schemas {
            old: Doc(old),
            new: Doc(new),
            pairs: HashMap::new(),
            visited: HashSet::new(),
        }
    }

    /// Starts an operation: pairs it reaches are reported again.
    pub fn operation(&mut self) {
        self.visited.clear();
    }

    /// Reports into `sink` every change between the schemas `old` and `new` (and what
    /// they reference) as data flowing in `direction`, at `location`.
    pub fn compare(
        &mut self,
        sink: &mut Sink,
        old: Node<'a>,
        new: Node<'a>,
        direction: Direction,
        location: &str,
    ) {
        let mut stack = vec![self.key(old, new, direction)];
        while let Some(key) = stack.pop() {
            if !self.visited.insert(key.clone()) {
                continue;
            }
            if !self.pairs.contains_key(&key) {
                let pair = self.pair(&key);
                self.pairs.insert(key.clone(), pair);
            }
            let pair = &self.pairs[&key];
            for found in &pair.found {
                sink.push(
                    found.rule,
                    &found.old,
                    &found.new,
                    location,
                    found.message.clone(),
                );
            }
            stack.extend(pair.edges.iter().rev().cloned());
        }
    }

    /// The pair `old`, `new` stand for, through their `$ref`s.
    fn key(&self, old: Node<'a>, new: Node<'a>, direction: Direction) -> Key {
        Key {
            old: self.old.resolve(old).pointer,
            new: self.new.resolve(new).pointer,
            request: direction == Direction::Request,
        }
    }

    fn pair(&self, key: &Key) -> Pair {
        let mut pair = Pair::default();
        let direction = if key.request {
            Direction::Request
        } else {
            Direction::Response
        };
        if let (Some(old), Some(new)) = (self.old.at(&key.old), self.new.at(&key.new)) {
            Walk {
                schemas: self,
                direction,
                pair: &mut pair,
            }
            .schema(&old, &new);
        }
        pair
    }
}

/// The comparison of one pair's inline parts.
struct Walk<'s, 'a> {
    schemas: &'s Schemas<'a>,
    direction: Direction,
    pair: &'s mut Pair,
}

/// How a constraint moved: toward fewer accepted values, more, or both (neither
/// contains the other).
#[derive(Clone, Copy, Default)]
struct Moved {
    narrowed: bool,
    widened: bool,
}

impl Moved {
    const NARROWED: Moved = Moved {
        narrowed: true,
        widened: false,
    };
    const WIDENED: Moved = Moved {
        narrowed: false,
        widened: true,
    };
    const BOTH: Moved = Moved {
        narrowed: true,
        widened: true,
    };
}

impl<'a> Walk<'_, 'a> {
    fn push(&mut self, rule: &'static Rule, old: String, new: String, message: String) {
        self.pair.found.push(Found {
            rule,
            old,
            new,
            message,
        });
    }

    /// Reports a constraint that moved, by the rule its direction gives.
    fn moved(
        &mut self,
        constraint: &Constraint,
        moved: Moved,
        old: String,
        new: String,
        message: String,
    ) {
        if let Some(rule) = constraint.rule(self.direction, moved.narrowed, moved.widened) {
            self.push(rule, old, new, message);
        }
    }

    /// Compares two schemas met inside a pair: inline ones here, referenced ones as an
    /// edge to their own pair.
    fn sub(&mut self, old: &Node<'a>, new: &Node<'a>) {
        if old.value.get("$ref").is_some() || new.value.get("$ref").is_some() {
            let key = self.schemas.key(old.clone(), new.clone(), self.direction);
            self.pair.edges.push(key);
        } else {
            self.schema(old, new);
        }
    }

    fn schema(&mut self, old: &Node<'a>, new: &Node<'a>) {
        if old.value == new.value && !holds_ref(old.value) {
            return;
        }
        self.pair.found.extend(annotation_changes(
            Some(old),
            Some(new),
            &SCHEMA_ANNOTATIONS,
        ));
        // A composition of one part stands for that part when the other side is not a
        // composition of the same kind (`$ref: X` became `allOf: [$ref: X]`); two of the
        // same kind are compared part by part.
        let (old_shape, new_shape) = (shape(old.value), shape(new.value));
        let (inner_old, inner_new) = if old_shape == new_shape {
            (old.clone(), new.clone())
        } else {
            (unwrap(old), unwrap(new))
        };
        if inner_old.pointer != old.pointer || inner_new.pointer != new.pointer {
            self.sub(&inner_old, &inner_new);
            return;
        }
        if old_shape != new_shape {
            self.moved(
                &rules::TYPE,
                Moved::BOTH,
                old.pointer.clone(),
                new.pointer.clone(),
                format!(
                    "the schema changed from {} to {}",
                    describe(old.value),
                    describe(new.value)
                ),
            );
            return;
        }
        if !self.type_(old, new) {
            return;
        }
        self.flags(old, new);
        self.format(old, new);
        self.enum_(old, new);
        self.bounds(old, new);
        self.pattern(old, new);
        self.default(old, new);
        self.properties(old, new);
        self.additional_properties(old, new);
        self.items(old, new);
        self.parts(old, new);
        if let (Some(old_not), Some(new_not)) = (old.get("not"), new.get("not")) {
            self.sub(&old_not, &new_not);
        }
    }

    /// Compares `type`; false when the types have nothing in common, and the rest of the
    /// schema is not worth comparing.
    fn type_(&mut self, old: &Node<'a>, new: &Node<'a>) -> bool {
        let (before, after) = (old.str("type"), new.str("type"));
        let moved = match (before, after) {
            _ if before == after => return true,
            (Some("integer"), Some("number")) | (Some(_), None) => Moved::WIDENED,
            (Some("number"), Some("integer")) | (None, Some(_)) => Moved::NARROWED,
            _ => Moved::BOTH,
        };
        let name = |t: Option<&str>| t.map_or("any type".to_owned(), |t| format!("`{t}`"));
        self.moved(
            &rules::TYPE,
            moved,
            old.pointer_of("type"),
            new.pointer_of("type"),
            format!("type changed from {} to {}", name(before), name(after)),
        );
        !(moved.narrowed && moved.widened)
    }

    /// `nullable` and `uniqueItems`: a flag that narrows when it goes one way.
    fn flags(&mut self, old: &Node<'a>, new: &Node<'a>) {
        // `nullable: true` accepts more; `uniqueItems: true` accepts less.
        for (key, constraint, narrows_when_set) in [
            ("nullable", &rules::NULLABLE, false),
            ("uniqueItems", &rules::UNIQUE_ITEMS, true),
        ] {
            let (before, after) = (old.flag(key), new.flag(key));
            if before == after {
                continue;
            }
            let moved = if after == narrows_when_set {
                Moved::NARROWED
            } else {
                Moved::WIDENED
            };
            self.moved(
                constraint,
                moved,
                old.pointer_of(key),
                new.pointer_of(key),
                format!("`{key}` changed from {before} to {after}"),
            );
        }
    }

    fn format(&mut self, old: &Node<'a>, new: &Node<'a>) {
        let (before, after) = (old.str("format"), new.str("format"));
        let moved = match (before, after) {
            _ if before == after => return,
            (None, Some(_)) => Moved::NARROWED,
            (Some(_), None) => Moved::WIDENED,
            (Some("int32"), Some("int64")) | (Some("float"), Some("double")) => Moved::WIDENED,
            (Some("int64"), Some("int32")) | (Some("double"), Some("float")) => Moved::NARROWED,
            _ => Moved::BOTH,
        };
        let name = |f: Option<&str>| f.map_or("none".to_owned(), |f| format!("`{f}`"));
        self.moved(
            &rules::FORMAT,
            moved,
            old.pointer_of("format"),
            new.pointer_of("format"),
            format!("format changed from {} to {}", name(before), name(after)),
        );
    }

    fn enum_(&mut self, old: &Node<'a>, new: &Node<'a>) {
        let values = |node: &Node<'a>, key: &str| node.value.get(key).and_then(Value::as_array);
        let (before, after) = (values(old, "enum"), values(new, "enum"));
        if before != after {
            let (moved, message) = match (before, after) {
                (None, Some(after)) => (
                    Moved::NARROWED,
                    format!("`enum` added: only {} now", list(after.iter())),
                ),
                (Some(before), None) => (
                    Moved::WIDENED,
                    format!(
                        "`enum` removed: {} no longer the only values",
                        list(before.iter())
                    ),
                ),
                (Some(before), Some(after)) => set_change(before, after),
                (None, None) => (Moved::default(), String::new()),
            };
            self.moved(
                &rules::ENUM,
                moved,
                old.pointer_of("enum"),
                new.pointer_of("enum"),
                message,
            );
        }
        let key = "x-extensible-enum";
        let (before, after) = (old.value.get(key), new.value.get(key));
        if before != after {
            let empty = Vec::new();
            let as_list = |v: Option<&'a Value>| v.and_then(Value::as_array).unwrap_or(&empty);
            let (_, message) = set_change(as_list(before), as_list(after));
            self.push(
                &rules::OPEN_ENUM_CHANGED,
                old.pointer_of(key),
                new.pointer_of(key),
                format!("open enum: {message}"),
            );
        }
    }

    /// Lengths, bounds, item counts and `multipleOf`.
    fn bounds(&mut self, old: &Node<'a>, new: &Node<'a>) {
        for (key, constraint, upper) in [
            ("maxLength", &rules::MAX_LENGTH, true),
            ("minLength", &rules::MIN_LENGTH, false),
            ("maxItems", &rules::MAX_ITEMS, true),
            ("minItems", &rules::MIN_ITEMS, false),
            ("maximum", &rules::MAXIMUM, true),
            ("minimum", &rules::MINIMUM, false),
        ] {
            let exclusive = match key {
                "maximum" => "exclusiveMaximum",
                "minimum" => "exclusiveMinimum",
                _ => "",
            };
            let bound = |node: &Node<'a>| {
                node.value
                    .get(key)
                    .and_then(Value::as_f64)
                    .map(|limit| (limit, !exclusive.is_empty() && node.flag(exclusive)))
            };
            let (before, after) = (bound(old), bound(new));
            let moved = match (before, after) {
                _ if before == after => continue,
                (None, Some(_)) => Moved::NARROWED,
                (Some(_), None) => Moved::WIDENED,
                (Some((a, a_excl)), Some((b, b_excl))) => {
                    // A higher maximum, or the same one no longer exclusive, accepts more.
                    let higher = b > a || (b == a && a_excl && !b_excl);
                    if higher == upper {
                        Moved::WIDENED
                    } else {
                        Moved::NARROWED
                    }
                }
                (None, None) => continue,
            };
            let show_bound = |b: Option<(f64, bool)>| match b {
                None => "none".to_owned(),
                Some((limit, true)) => format!("{limit} (exclusive)"),
                Some((limit, false)) => limit.to_string(),
            };
            self.moved(
                constraint,
                moved,
                old.pointer_of(key),
                new.pointer_of(key),
                format!(
                    "`{key}` changed from {} to {}",
                    show_bound(before),
                    show_bound(after)
                ),
            );
        }
        let key = "multipleOf";
        let (before, after) = (
            old.value.get(key).and_then(Value::as_f64),
            new.value.get(key).and_then(Value::as_f64),
        );
        let divides = |a: f64, b: f64| b != 0.0 && ((a / b) - (a / b).round()).abs() < 1e-9;
        let moved = match (before, after) {
            _ if before == after => return,
            (None, Some(_)) => Moved::NARROWED,
            (Some(_), None) => Moved::WIDENED,
            // Multiples of 10 are multiples of 5: 10 to 5 accepts more.
            (Some(a), Some(b)) if divides(a, b) => Moved::WIDENED,
            (Some(a), Some(b)) if divides(b, a) => Moved::NARROWED,
            _ => Moved::BOTH,
        };
        let show_number = |n: Option<f64>| n.map_or("none".to_owned(), |n| n.to_string());
        self.moved(
            &rules::MULTIPLE_OF,
            moved,
            old.pointer_of(key),
            new.pointer_of(key),
            format!(
                "`multipleOf` changed from {} to {}",
                show_number(before),
                show_number(after)
            ),
        );
    }

    fn pattern(&mut self, old: &Node<'a>, new: &Node<'a>) {
        let (before, after) = (old.str("pattern"), new.str("pattern"));
        let moved = match (before, after) {
            _ if before == after => return,
            (None, Some(_)) => Moved::NARROWED,
            (Some(_), None) => Moved::WIDENED,
            // Whether one regular expression contains another is not worth deciding:
            // a new pattern may refuse what the old accepted, and the other way round.
            _ => Moved::BOTH,
        };
        let name = |p: Option<&str>| p.map_or("none".to_owned(), |p| format!("`{p}`"));
        self.moved(
            &rules::PATTERN,
            moved,
            old.pointer_of("pattern"),
            new.pointer_of("pattern"),
            format!("`pattern` changed from {} to {}", name(before), name(after)),
        );
    }

    fn default(&mut self, old: &Node<'a>, new: &Node<'a>) {
        let (before, after) = (old.value.get("default"), new.value.get("default"));
        if before == after {
            return;
        }
        let rule = match self.direction {
            Direction::Request => &rules::REQUEST_DEFAULT_CHANGED,
            _ => &rules::RESPONSE_DEFAULT_CHANGED,
        };
        let name = |d: Option<&Value>| d.map_or("none".to_owned(), show);
        self.push(
            rule,
            old.pointer_of("default"),
            new.pointer_of("default"),
            format!("`default` changed from {} to {}", name(before), name(after)),
        );
    }

    fn properties(&mut self, old: &Node<'a>, new: &Node<'a>) {
        let required = |node: &Node<'a>| -> HashSet<&'a str> {
            node.value
                .get("required")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default()
        };
        let (old_required, new_required) = (required(old), required(new));
        let old_properties = old.get("properties");
        let new_properties = new.get("properties");
        let members =
            |node: &Option<Node<'a>>| node.as_ref().map(Node::members).unwrap_or_default();
        let (before, after) = (members(&old_properties), members(&new_properties));
        let container = |properties: &Option<Node<'a>>, node: &Node<'a>| {
            properties
                .as_ref()
                .map_or_else(|| node.pointer.clone(), |p| p.pointer.clone())
        };
        for (name, old_property) in &before {
            let was_required =
                old_required.contains(name) && !self.one_way(&self.schemas.old, old_property);
            match after.iter().find(|(other, _)| other == name) {
                Some((_, new_property)) => {
                    let is_required = new_required.contains(name)
                        && !self.one_way(&self.schemas.new, new_property);
                    if was_required != is_required {
                        let moved = if is_required {
                            Moved::NARROWED
                        } else {
                            Moved::WIDENED
                        };
                        self.moved(
                            &rules::REQUIRED,
                            moved,
                            old.pointer_of("required"),
                            new.pointer_of("required"),
                            format!(
                                "property `{name}` became {}",
                                if is_required { "required" } else { "optional" }
                            ),
                        );
                    }
                    self.sub(old_property, new_property);
                }
                None => {
                    let rule = match (self.direction, was_required) {
                        (Direction::Request, _) => &rules::REQUEST_PROPERTY_REMOVED,
                        (_, true) => &rules::RESPONSE_REQUIRED_PROPERTY_REMOVED,
                        (_, false) => &rules::RESPONSE_OPTIONAL_PROPERTY_REMOVED,
                    };
                    self.push(
                        rule,
                        old_property.pointer.clone(),
                        container(&new_properties, new),
                        format!(
                            "{} property `{name}` removed",
                            if was_required { "required" } else { "optional" }
                        ),
                    );
                }
            }
        }
        for (name, new_property) in &after {
            if before.iter().any(|(other, _)| other == name) {
                continue;
            }
            let is_required =
                new_required.contains(name) && !self.one_way(&self.schemas.new, new_property);
            let rule = match (self.direction, is_required) {
                (Direction::Request, true) => &rules::REQUEST_REQUIRED_PROPERTY_ADDED,
                (Direction::Request, false) => &rules::REQUEST_OPTIONAL_PROPERTY_ADDED,
                (_, true) => &rules::RESPONSE_REQUIRED_PROPERTY_ADDED,
                (_, false) => &rules::RESPONSE_OPTIONAL_PROPERTY_ADDED,
            };
            self.push(
                rule,
                container(&old_properties, old),
                new_property.pointer.clone(),
                format!(
                    "{} property `{name}` added",
                    if is_required { "required" } else { "optional" }
                ),
            );
        }
    }

    /// Whether a property travels only the other way: `readOnly` ones are not sent in
    /// requests, `writeOnly` ones not in responses, so their being required does not
    /// count here.
    fn one_way(&self, doc: &Doc<'a>, property: &Node<'a>) -> bool {
        let property = doc.resolve(property.clone());
        match self.direction {
            Direction::Request => property.flag("readOnly"),
            _ => property.flag("writeOnly"),
        }
    }

    fn additional_properties(&mut self, old: &Node<'a>, new: &Node<'a>) {
        let key = "additionalProperties";
        let (before, after) = (extra(old), extra(new));
        let moved = match (&before, &after) {
            (Extra::Schema(before), Extra::Schema(after)) => {
                self.sub(before, after);
                return;
            }
            (Extra::Any, Extra::Any) | (Extra::None, Extra::None) => return,
            (Extra::Any, _) | (Extra::Schema(_), Extra::None) => Moved::NARROWED,
            (Extra::None, _) | (Extra::Schema(_), Extra::Any) => Moved::WIDENED,
        };
        let name = |e: &Extra<'_>| match e {
            Extra::Any => "any value",
            Extra::None => "none",
            Extra::Schema(_) => "a schema",
        };
        self.moved(
            &rules::ADDITIONAL_PROPERTIES,
            moved,
            old.pointer_of(key),
            new.pointer_of(key),
            format!(
                "`additionalProperties` changed from {} to {}",
                name(&before),
                name(&after)
            ),
        );
    }

    fn items(&mut self, old: &Node<'a>, new: &Node<'a>) {
        match (old.get("items"), new.get("items")) {
            (Some(before), Some(after)) => self.sub(&before, &after),
            (None, None) => {}
            (before, _) => {
                let moved = if before.is_some() {
                    Moved::WIDENED
                } else {
                    Moved::NARROWED
                };
                self.moved(
                    &rules::TYPE,
                    moved,
                    old.pointer_of("items"),
                    new.pointer_of("items"),
                    format!(
                        "`items` {}",
                        if before.is_some() { "removed" } else { "added" }
                    ),
                );
            }
        }
    }

    /// `allOf` parts and `oneOf`/`anyOf` variants, matched by what they reference (or,
    /// inline, by type and position), and the discriminator.
    fn parts(&mut self, old: &Node<'a>, new: &Node<'a>) {
        for key in ["allOf", "oneOf"] {
            let list = |node: &Node<'a>| match key {
                "allOf" => node.get("allOf"),
                // `oneOf` and `anyOf` are one shape here: a list of variants.
                _ => node.get("oneOf").or_else(|| node.get("anyOf")),
            };
            let (Some(old_list), Some(new_list)) = (list(old), list(new)) else {
                continue;
            };
            let constraint = if key == "allOf" {
                &rules::ALL_OF
            } else {
                &rules::VARIANTS
            };
            let (before, after) = (old_list.items(), new_list.items());
            let (before_keys, after_keys) = (part_keys(&before), part_keys(&after));
            for (part, part_key) in before.iter().zip(&before_keys) {
                match after_keys.iter().position(|other| other == part_key) {
                    Some(i) => self.sub(part, &after[i]),
                    None => {
                        // A removed variant narrows; a removed `allOf` part widens.
                        let moved = if key == "allOf" {
                            Moved::WIDENED
                        } else {
                            Moved::NARROWED
                        };
                        self.moved(
                            constraint,
                            moved,
                            part.pointer.clone(),
                            new_list.pointer.clone(),
                            format!("`{key}` part {part_key} removed"),
                        );
                    }
                }
            }
            for (part, part_key) in after.iter().zip(&after_keys) {
                if before_keys.contains(part_key) {
                    continue;
                }
                let moved = if key == "allOf" {
                    Moved::NARROWED
                } else {
                    Moved::WIDENED
                };
                self.moved(
                    constraint,
                    moved,
                    old_list.pointer.clone(),
                    part.pointer.clone(),
                    format!("`{key}` part {part_key} added"),
                );
            }
        }
        let key = "discriminator";
        if old.value.get(key) != new.value.get(key) {
            self.push(
                &rules::DISCRIMINATOR_CHANGED,
                old.pointer_of(key),
                new.pointer_of(key),
                "`discriminator` changed: the tag that tells the variants apart".to_owned(),
            );
        }
    }
}

/// What `additionalProperties` allows.
enum Extra<'a> {
    Any,
    None,
    Schema(Node<'a>),
}

fn extra<'a>(node: &Node<'a>) -> Extra<'a> {
    match node.get("additionalProperties") {
        None => Extra::Any,
        Some(Node {
            value: Value::Bool(allowed),
            ..
        }) => {
            if *allowed {
                Extra::Any
            } else {
                Extra::None
            }
        }
        Some(schema) if schema.value.as_object().is_some_and(|map| map.is_empty()) => Extra::Any,
        Some(schema) => Extra::Schema(schema),
    }
}

/// How parts of a composition are matched across versions: by the `$ref` they hold
/// (a part that only wraps a reference to describe it holds that reference), or, inline,
/// by their type and rank among the inline parts of that type.
fn part_keys(parts: &[Node<'_>]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    parts
        .iter()
        .map(|part| match unwrap(part).str("$ref") {
            Some(target) => format!("`{target}`"),
            None => {
                let kind = describe(part.value);
                let rank = seen.entry(kind.clone()).or_default();
                *rank += 1;
                format!("{} #{rank} (inline)", kind)
            }
        })
        .collect()
}

/// The part of a composition of one part with nothing but annotations beside it, or the
/// schema itself.
fn unwrap<'a>(node: &Node<'a>) -> Node<'a> {
    let Value::Object(map) = node.value else {
        return node.clone();
    };
    let compositions: Vec<&str> = ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter(|key| map.contains_key(*key))
        .collect();
    let [key] = compositions[..] else {
        return node.clone();
    };
    let single = map
        .get(key)
        .and_then(Value::as_array)
        .is_some_and(|parts| parts.len() == 1);
    let annotating = map
        .keys()
        .all(|k| k == key || ANNOTATING.contains(&k.as_str()) || k.starts_with("x-"));
    match node.get(key) {
        Some(list) if single && annotating => list.items().remove(0),
        _ => node.clone(),
    }
}

/// A schema's shape: a composition, a negation, or plain.
fn shape(value: &Value) -> &'static str {
    if value.get("allOf").is_some() {
        "allOf"
    } else if value.get("oneOf").is_some() || value.get("anyOf").is_some() {
        "oneOf"
    } else if value.get("not").is_some() {
        "not"
    } else {
        "plain"
    }
}

/// A schema in a word or two, for messages: its type, or its shape.
fn describe(value: &Value) -> String {
    match shape(value) {
        "plain" => value
            .get("type")
            .and_then(Value::as_str)
            .map_or("any type".to_owned(), |t| format!("`{t}`")),
        "oneOf" if value.get("anyOf").is_some() => "`anyOf`".to_owned(),
        shape => format!("`{shape}`"),
    }
}

/// Whether a value holds a `$ref` anywhere.
fn holds_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(key, child)| key == "$ref" || holds_ref(child)),
        Value::Array(items) => items.iter().any(holds_ref),
        _ => false,
    }
}

/// How a set of values changed (an enum's): values removed narrow it, values added
/// widen it.
fn set_change(before: &[Value], after: &[Value]) -> (Moved, String) {
    let removed: Vec<&Value> = before.iter().filter(|v| !after.contains(v)).collect();
    let added: Vec<&Value> = after.iter().filter(|v| !before.contains(v)).collect();
    let mut parts = Vec::new();
    if !removed.is_empty() {
        parts.push(format!("{} removed", list(removed.iter().copied())));
    }
    if !added.is_empty() {
        parts.push(format!("{} added", list(added.iter().copied())));
    }
    let moved = Moved {
        narrowed: !removed.is_empty(),
        widened: !added.is_empty(),
    };
    (moved, parts.join(", "))
}

/// Values for a message: the first few, then how many more.
fn list<'v>(values: impl Iterator<Item = &'v Value>) -> String {
    let values: Vec<&Value> = values.collect();
    let mut shown: Vec<String> = values.iter().take(5).map(|v| show(v)).collect();
    if values.len() > 5 {
        shown.push(format!("and {} more", values.len() - 5));
    }
    shown.join(", ")
}
