//! Reading a document: YAML or JSON, external `$ref`s bundled in, every `$ref` checked,
//! then typed with `openapiv3`. This module and `xtask` are the only ones that do I/O.
//! OpenAPI 3.1 documents are first rewritten into the 3.0 shape (see [`v31`]), 3.2
//! documents into the 3.1 shape before that (see [`v32`]), and
//! Swagger 2.0 documents converted into OpenAPI 3.0 (see [`swagger2`]); either way every
//! error still points into the user's own file ([`Places`]).

pub mod swagger2;
pub mod v31;
pub mod v32;

use crate::error::{At, Error, Errors, pointer_key, push_pointer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A document read and checked, ready to be lowered.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file, as the user named it (for messages).
    pub file: PathBuf,
    /// The document with every external `$ref` bundled into its `components`.
    pub value: Value,
    /// The same document, typed.
    pub openapi: openapiv3::OpenAPI,
    /// For a 3.1 or 3.2 document, the document as written (bundled), before [`v31::rewrite`]
    /// put it in the 3.0 shape that `value` holds.
    pub original: Option<Value>,
    /// Where the places of `value` stand in the user's file.
    pub places: Places,
}

/// Where the places of a document read stand in the user's file, when a reader moved
/// them: one answer for every error, whatever the version the user wrote.
#[derive(Debug, Clone, Default)]
pub enum Places {
    /// Where they are (OpenAPI 3.0).
    #[default]
    Same,
    /// Where the 3.1 rewrite moved schemas from.
    Rewritten(v31::Moves),
    /// Where in the Swagger 2.0 file each place of the converted document came from.
    Converted(swagger2::Origins),
}

impl Places {
    /// The pointer in the user's file of `pointer` (into the document read).
    pub fn original(&self, pointer: &str) -> String {
        match self {
            Places::Same => pointer.to_owned(),
            Places::Rewritten(moves) => moves.original(pointer),
            Places::Converted(origins) => origins.original(pointer),
        }
    }

    /// Points `errors` found in the document read at the same places in the user's file.
    pub fn relocate(&self, mut errors: Vec<Error>) -> Vec<Error> {
        for error in &mut errors {
            if let At::Pointer(pointer) = &error.at {
                error.at = At::Pointer(self.original(pointer));
            }
        }
        errors
    }
}

impl Document {
    /// The document a crate embeds and publishes, and examples are checked against: as
    /// the user wrote it (bundled) for OpenAPI 3.x; for Swagger 2.0, its conversion into
    /// OpenAPI 3.0, which other languages' tools read.
    pub fn source(&self) -> &Value {
        self.original.as_ref().unwrap_or(&self.value)
    }

    /// Points `errors` found in `value` at the same places in the user's file.
    pub fn relocate(&self, errors: Vec<Error>) -> Vec<Error> {
        self.places.relocate(errors)
    }

    /// Points `errors` found in [`Self::source`] at the same places in the user's file.
    pub fn relocate_source(&self, errors: Vec<Error>) -> Vec<Error> {
        match self.original {
            Some(_) => errors,
            None => self.places.relocate(errors),
        }
    }
}

/// Reads the document at `file` and the files its `$ref`s name.
pub fn load(file: &Path) -> Result<Document, Errors> {
    let mut root = read(file)?;
    v32::self_references(&mut root);
    let mut bundler = Bundler {
        root_file: canonical(file)?,
        shown_root: file.to_owned(),
        files: BTreeMap::new(),
        imported: BTreeMap::new(),
    };
    let value = bundler.bundle(root)?;
    from_value(file, value)
}

/// Checks and types a document already in memory; `file` is only used in messages.
/// External `$ref`s are refused here, since nothing is read.
pub fn parse(file: &Path, text: &str) -> Result<Document, Errors> {
    let mut value = parse_text(file, text)?;
    v32::self_references(&mut value);
    from_value(file, value)
}

fn from_value(file: &Path, mut value: Value) -> Result<Document, Errors> {
    check_version(file, &value)?;
    let mut places = Places::Same;
    if value.get("swagger").is_some() {
        let converted = swagger2::convert(&value)
            .map_err(|problems| Errors(problems.iter().map(|p| p.error(file)).collect()))?;
        value = converted.document;
        places = Places::Converted(converted.origins);
    }
    decode_fragments(&mut value, "");
    // References are checked as written: `$defs` and `components/pathItems` are places
    // like any other.
    check_refs(file, &value).map_err(|Errors(errors)| Errors(places.relocate(errors)))?;
    let mut original = None;
    let is_32 = v32::is_32(&value);
    if v31::is_31(&value) {
        original = Some(value.clone());
        if is_32 {
            v32::rewrite(&mut value);
        }
        places = Places::Rewritten(v31::rewrite(&mut value));
    }
    let version = match places {
        Places::Same => "OpenAPI 3.0",
        Places::Rewritten(_) if is_32 => "OpenAPI 3.2",
        Places::Rewritten(_) => "OpenAPI 3.1",
        Places::Converted(_) => "Swagger 2.0",
    };
    // Tracking the path costs on every value; it is only needed to say where a document
    // that does not type is wrong, so it is read again, tracked, only then.
    let typed = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value);
    let openapi = typed
        .or_else(|_| serde_path_to_error::deserialize(&value))
        .map_err(|error| {
            let (pointer, message) =
                locate(&value, &pointer_of(error.path()), error.inner().to_string());
            Error::at_pointer(file, &places.original(&pointer), message).help(format!(
                "fix this value so that it follows the {version} specification"
            ))
        })?;
    Ok(Document {
        file: file.to_owned(),
        value,
        openapi,
        original,
        places,
    })
}

fn canonical(file: &Path) -> Result<PathBuf, Error> {
    file.canonicalize().map_err(|error| Error {
        file: file.to_owned(),
        at: At::File,
        message: format!("cannot read: {error}"),
        help: None,
        kind: None,
    })
}

fn read(file: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(file).map_err(|error| Error {
        file: file.to_owned(),
        at: At::File,
        message: format!("cannot read: {error}"),
        help: Some("check the path, and that the file is UTF-8 text".to_owned()),
        kind: None,
    })?;
    parse_text(file, &text)
}

/// Parses YAML, or JSON for a `.json` file (for JSON's more precise messages).
fn parse_text(file: &Path, text: &str) -> Result<Value, Error> {
    // Windows editors start UTF-8 files with a byte order mark (the official Azure DevOps
    // description does); it is not part of the document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_json = file.extension().is_some_and(|ext| ext == "json");
    let (message, at) = if is_json {
        match serde_json::from_str(text) {
            Ok(value) => return Ok(value),
            Err(error) => (
                format!("invalid JSON: {error}"),
                At::LineColumn(error.line(), error.column()),
            ),
        }
    } else {
        match serde_yaml_ng::from_str(text) {
            Ok(value) => return Ok(value),
            Err(error) => {
                let at = error
                    .location()
                    .map_or(At::File, |l| At::LineColumn(l.line(), l.column()));
                (format!("invalid YAML: {error}"), at)
            }
        }
    };
    Err(Error {
        file: file.to_owned(),
        at,
        message,
        help: Some("fix the syntax at this position".to_owned()),
        kind: None,
    })
}

fn check_version(file: &Path, value: &Value) -> Result<(), Error> {
    match value.get("openapi").and_then(Value::as_str) {
        Some(version)
            if ["3.0.", "3.1.", "3.2."]
                .iter()
                .any(|v| version.starts_with(v)) =>
        {
            Ok(())
        }
        Some(version) => Err(Error::at_pointer(
            file,
            "/openapi",
            format!("OpenAPI {version} is not supported"),
        )
        .help("write the document in OpenAPI 3.0.x, 3.1.x or 3.2.x, or Swagger 2.0")),
        // Which Swagger versions are read is the converter's to say.
        None if value.get("swagger").is_some() => Ok(()),
        None => Err(Error::at_pointer(file, "", "no `openapi` version field")
            .help("start the document with `openapi: 3.0.3`")),
    }
}

/// Rewrites each local `$ref` whose fragment is percent-encoded (`#/paths/~1%7Bid%7D`, as
/// a URI fragment may be written) into the plain JSON pointer it stands for, so the rest
/// of the pipeline resolves every reference one way.
fn decode_fragments(value: &mut Value, pointer: &str) {
    each_ref_mut(value, pointer, &mut |target| {
        if target.starts_with('#') && target.contains('%') {
            let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
            *target = decoded.into_owned();
        }
    });
}

/// Calls `f` with every string `$ref` within `value` (which stands at `pointer`), to
/// rewrite it; `$ref`s inside data are left alone (see [`is_data`]).
fn each_ref_mut(value: &mut Value, pointer: &str, f: &mut impl FnMut(&mut String)) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref") {
                f(target);
            }
            for (key, child) in map.iter_mut() {
                if !is_data(pointer, key) {
                    each_ref_mut(child, &push_pointer(pointer, key), f);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                each_ref_mut(child, &push_pointer(pointer, &i.to_string()), f);
            }
        }
        _ => {}
    }
}

/// Whether the member `key` of the object at `pointer` holds data (an example, a default,
/// enum values, an extension) rather than OpenAPI objects: a `$ref` in there is a value
/// like any other (GitHub's SCIM examples carry `$ref` URLs) and is neither checked nor
/// followed. In maps keyed by names (`properties`, `schemas`, ...) every key is a name,
/// so a property called `example` is still a schema.
pub fn is_data(pointer: &str, key: &str) -> bool {
    const NAMED: &[&str] = &[
        "properties",
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "paths",
        "content",
        "encoding",
        "variables",
        "mapping",
        "examples",
    ];
    let mut segments = pointer.rsplit('/');
    let last = segments.next().unwrap_or_default();
    let parent = segments.next().unwrap_or_default();
    if NAMED.contains(&last) {
        return false;
    }
    matches!(key, "example" | "default" | "enum")
        || key.starts_with("x-")
        || (key == "value" && parent == "examples")
}

/// Calls `f` with the JSON pointer of every object holding a string `$ref`, and the ref.
fn for_each_ref(value: &Value, pointer: &str, f: &mut impl FnMut(&str, &str)) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                f(pointer, target);
            }
            for (key, child) in map {
                if !is_data(pointer, key) {
                    for_each_ref(child, &push_pointer(pointer, key), f);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                for_each_ref(child, &push_pointer(pointer, &i.to_string()), f);
            }
        }
        _ => {}
    }
}

/// Every `$ref` must be a local JSON pointer that resolves.
fn check_refs(file: &Path, value: &Value) -> Result<(), Errors> {
    let mut errors = Vec::new();
    for_each_ref(value, "", &mut |pointer, target| {
        let at = push_pointer(pointer, "$ref");
        match target.strip_prefix('#') {
            Some(fragment) if value.pointer(fragment).is_some() => {}
            Some(_) => errors.push(
                Error::at_pointer(file, &at, format!("`$ref: {target}` points at nothing"))
                    .help("define what it names, or correct the reference"),
            ),
            None => errors.push(
                Error::at_pointer(
                    file,
                    &at,
                    format!("`$ref: {target}` names another file, which is not read here"),
                )
                .help("load the document from its file so that relative references can be read"),
            ),
        }
    });
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

/// Copies what external `$ref`s name into the root document, so that the rest of the
/// pipeline sees one self-contained document: a path item is copied in place of its
/// `$ref` (path items have no `components` section in 3.0); anything else goes into the
/// `components` section of its kind, under the name the other file gives it (its last
/// pointer segment, or the file's name for a whole-file reference).
struct Bundler {
    root_file: PathBuf,
    shown_root: PathBuf,
    files: BTreeMap<PathBuf, Value>,
    /// Each external target already brought in, and its local reference.
    imported: BTreeMap<String, String>,
}

/// How many rounds of in-place copies bundling may take: each round resolves one level
/// of path items referring to path items; more than this is a cycle.
const BUNDLE_ROUNDS: usize = 64;

impl Bundler {
    fn bundle(&mut self, mut root: Value) -> Result<Value, Errors> {
        let root_file = self.root_file.clone();
        absolutize(&mut root, "", &root_file, true);
        for _ in 0..BUNDLE_ROUNDS {
            let mut external = Vec::new();
            for_each_ref(&root, "", &mut |pointer, target| {
                if !target.starts_with('#') {
                    external.push((pointer.to_owned(), target.to_owned()));
                }
            });
            if external.is_empty() {
                return Ok(root);
            }
            for (pointer, target) in external {
                self.import(&mut root, &pointer, &target)?;
            }
        }
        let mut pending = String::new();
        for_each_ref(&root, "", &mut |pointer, target| {
            if pending.is_empty() && !target.starts_with('#') {
                pending = push_pointer(pointer, "$ref");
            }
        });
        Err(Error::at_pointer(
            &self.shown_root,
            &pending,
            "`$ref`s between files form a cycle: this path item or component refers back to itself",
        )
        .help("make one of them an object instead of a `$ref`")
        .into())
    }

    /// Brings what `target` names into `root`, in place of the `$ref` at `pointer`.
    fn import(&mut self, root: &mut Value, pointer: &str, target: &str) -> Result<(), Error> {
        let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
        let path = PathBuf::from(path);
        let at = push_pointer(pointer, "$ref");
        let set_ref = |root: &mut Value, local: String| {
            if let Some(Value::Object(map)) = root.pointer_mut(pointer) {
                map.insert("$ref".to_owned(), Value::String(local));
            }
        };
        if path == self.root_file {
            set_ref(root, format!("#{fragment}"));
            return Ok(());
        }
        let located = |message: String| Error::at_pointer(&self.shown_root, &at, message);
        if !self.files.contains_key(&path) {
            let value = read(&path)
                .map_err(|error| located(format!("`$ref` to another file failed: {error}")))?;
            self.files.insert(path.clone(), value);
        }
        let document = &self.files[&path];
        let Some(found) = document.pointer(fragment) else {
            return Err(located(format!("`$ref: {target}` points at nothing"))
                .help("define what it names in that file, or correct the reference"));
        };
        let mut copied = found.clone();
        absolutize(&mut copied, fragment, &path, false);
        let segments: Vec<&str> = pointer.split('/').collect();
        if let ["", "paths", _] | ["", "components", _, _] = segments[..] {
            // A path item, or a component that is only a reference: copied in place
            // (its own `$ref`s are followed next round).
            if let Some(slot) = root.pointer_mut(pointer) {
                *slot = copied;
            }
            return Ok(());
        }
        if let Some(local) = self.imported.get(target) {
            set_ref(root, local.clone());
            return Ok(());
        }
        let parts: Vec<&str> = fragment.split('/').collect();
        let (section, name) = match parts[..] {
            ["", "components", section, name] => (section.to_owned(), pointer_key(name)),
            _ => {
                let Some(section) = kind_of(pointer).and_then(Kind::section) else {
                    return Err(located(format!(
                        "`$ref: {target}` stands where the kind of object it names cannot be told"
                    ))
                    .help("reference other files' components as `file.yaml#/components/<section>/<name>`"));
                };
                let stem = path
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = match parts.last() {
                    Some(last) if !last.is_empty() => pointer_key(last),
                    _ => stem,
                };
                (section.to_owned(), name)
            }
        };
        let slot = root
            .as_object_mut()
            .map(|root| {
                root.entry("components")
                    .or_insert_with(|| Value::Object(Default::default()))
            })
            .and_then(Value::as_object_mut)
            .map(|components| {
                components
                    .entry(section.clone())
                    .or_insert_with(|| Value::Object(Default::default()))
            })
            .and_then(Value::as_object_mut);
        let Some(slot) = slot else {
            return Err(located("`components` is not an object".to_owned()));
        };
        // The same thing reached by two routes (a component copied in place, and its
        // file named again elsewhere) is one component. Two different things of one
        // name get numbered names, in the order references are met, so runs agree.
        let same = slot
            .iter()
            .find(|(_, existing)| **existing == copied)
            .map(|(key, _)| key.clone());
        let mut unique = same.unwrap_or_else(|| name.clone());
        let mut n = 2;
        while slot
            .get(&unique)
            .is_some_and(|existing| *existing != copied)
        {
            unique = format!("{name}{n}");
            n += 1;
        }
        slot.entry(unique.clone()).or_insert(copied);
        let local = format!(
            "#{}",
            push_pointer(&format!("/components/{section}"), &unique)
        );
        self.imported.insert(target.to_owned(), local.clone());
        set_ref(root, local);
        Ok(())
    }
}

/// Rewrites the `$ref`s of a value read from `file`, standing at `pointer` there, so
/// they no longer depend on where they were written: local ones name `file` (unless
/// `file` is the root), relative file names are joined to `file`'s folder.
fn absolutize(value: &mut Value, pointer: &str, file: &Path, is_root: bool) {
    each_ref_mut(value, pointer, &mut |target| {
        let (path, fragment) = target.split_once('#').unwrap_or((target.as_str(), ""));
        let rewritten = if path.is_empty() {
            (!is_root).then(|| format!("{}#{fragment}", file.display()))
        } else {
            let joined = file.parent().unwrap_or(Path::new("")).join(path);
            let joined = joined.canonicalize().unwrap_or(joined);
            Some(format!("{}#{fragment}", joined.display()))
        };
        if let Some(rewritten) = rewritten {
            *target = rewritten;
        }
    });
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => push_pointer(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => continue,
        };
    }
    pointer
}

/// The OpenAPI object types whose place in a document can be told from its pointer.
#[derive(Clone, Copy)]
enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Schema,
    Header,
    SecurityScheme,
    Example,
}

impl Kind {
    /// The `components` section that holds objects of this kind, if any.
    fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Schema => "schemas",
            Kind::Header => "headers",
            Kind::SecurityScheme => "securitySchemes",
            Kind::Example => "examples",
            Kind::PathItem | Kind::Operation | Kind::MediaType => return None,
        })
    }
}

fn kind_of(pointer: &str) -> Option<Kind> {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    let last = *segments.last()?;
    let parent = segments.len().checked_sub(2).map(|i| segments[i]);
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    Some(match (segments.as_slice(), parent) {
        (["paths", _], _) => Kind::PathItem,
        (["paths", _, method], _) if METHODS.contains(method) => Kind::Operation,
        (_, Some("parameters")) => Kind::Parameter,
        (_, Some("requestBodies")) => Kind::RequestBody,
        (_, Some("responses")) => Kind::Response,
        (_, Some("content")) => Kind::MediaType,
        (_, Some("headers")) => Kind::Header,
        (_, Some("securitySchemes")) => Kind::SecurityScheme,
        (_, Some("examples")) => Kind::Example,
        (_, Some("schemas" | "properties" | "allOf" | "oneOf" | "anyOf")) => Kind::Schema,
        _ if last == "requestBody" => Kind::RequestBody,
        _ if matches!(last, "schema" | "items" | "additionalProperties" | "not") => Kind::Schema,
        _ => return None,
    })
}

/// Deserializes `value` as `T`, and on failure says where inside it.
fn located<T: serde::de::DeserializeOwned>(
    value: &Value,
    at: &str,
) -> Result<(), (String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .map(drop)
        .map_err(|error| {
            (
                format!("{at}{}", pointer_of(error.path())),
                error.inner().to_string(),
            )
        })
}

fn check_kind(kind: Kind, value: &Value, at: &str) -> Result<(), (String, String)> {
    use openapiv3 as o;
    match kind {
        Kind::PathItem => located::<o::PathItem>(value, at),
        Kind::Operation => located::<o::Operation>(value, at),
        Kind::Parameter => located::<o::ReferenceOr<o::Parameter>>(value, at)
            .or_else(|_| located::<o::Parameter>(value, at)),
        Kind::RequestBody => located::<o::ReferenceOr<o::RequestBody>>(value, at)
            .or_else(|_| located::<o::RequestBody>(value, at)),
        Kind::Response => located::<o::ReferenceOr<o::Response>>(value, at)
            .or_else(|_| located::<o::Response>(value, at)),
        Kind::MediaType => located::<o::MediaType>(value, at),
        Kind::Schema => located::<o::ReferenceOr<o::Schema>>(value, at)
            .or_else(|_| located::<o::Schema>(value, at)),
        Kind::Header => located::<o::ReferenceOr<o::Header>>(value, at)
            .or_else(|_| located::<o::Header>(value, at)),
        Kind::SecurityScheme => located::<o::ReferenceOr<o::SecurityScheme>>(value, at)
            .or_else(|_| located::<o::SecurityScheme>(value, at)),
        Kind::Example => located::<o::ReferenceOr<o::Example>>(value, at)
            .or_else(|_| located::<o::Example>(value, at)),
    }
}

/// `openapiv3` reads references with untagged enums, which lose the path of an error
/// inside them: `serde_path_to_error` then stops at `/paths`. This searches below that
/// point for the deepest object of a known kind that fails on its own, and returns its
/// error, located inside it.
fn locate(root: &Value, pointer: &str, message: String) -> (String, String) {
    let Some(start) = root.pointer(pointer) else {
        return (pointer.to_owned(), message);
    };
    let mut best = (pointer.to_owned(), message);
    let mut stack = vec![(pointer.to_owned(), start)];
    while let Some((at, value)) = stack.pop() {
        if at != pointer
            && let Some(kind) = kind_of(&at)
            && let Err((found, message)) = check_kind(kind, value, &at)
            && found.len() > best.0.len()
        {
            best = (found, message);
        }
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => map
                .iter()
                // Example values and defaults are data, not OpenAPI objects.
                .filter(|(key, _)| {
                    !matches!(key.as_str(), "example" | "value" | "default" | "enum")
                        && !key.starts_with("x-")
                })
                .map(|(key, child)| (push_pointer(&at, key), child))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, child)| (push_pointer(&at, &i.to_string()), child))
                .collect(),
            _ => Vec::new(),
        };
        stack.extend(children);
    }
    best
}
