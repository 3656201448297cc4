//! Swagger 2.0 → OpenAPI 3.0.3: a document, as parsed JSON, rewritten into the shape the
//! rest of the generator reads, remembering where each part of the result came from so
//! that errors found later point into the user's 2.0 file, not into a converted copy.
//!
//! What moves where (Swagger 2.0 → OpenAPI 3.0.3):
//! - `definitions`, `parameters`, `responses`, `securityDefinitions` → `components/…`;
//!   a body parameter of `parameters` becomes a request body of `components/requestBodies`;
//!   shared bodies and responses are given in the document's `consumes` and `produces`,
//!   so an operation with other media types gets its own copy instead of the `$ref`;
//! - `in: body` → the operation's `requestBody`, one media type per `consumes`;
//! - `in: formData` → one `requestBody` whose schema is an object of the fields;
//! - other parameters keep their place, their types move under `schema`, and
//!   `collectionFormat` becomes `style` and `explode`;
//! - a response's `schema` → `content`, one media type per `produces`;
//! - `host`, `basePath`, `schemes` → `servers`; `x-nullable` → `nullable`.
//!
//! Decisions where 3.0 has no exact equivalent:
//! - `collectionFormat: tsv` (and `ssv`, `pipes` outside the query and forms) has no 3.0
//!   style: it is refused with a [`Problem`], since any approximation would send other
//!   bytes than the service expects;
//! - `type: file` is `type: string, format: binary`, and a form with a file is
//!   `multipart/form-data` whatever `consumes` says (no other media type carries a file);
//! - `x-nullable: true` beside a `$ref` wraps the reference (`allOf: [{$ref}]`,
//!   `nullable: true`), since 3.0 ignores what stands beside a `$ref`;
//! - a form parameter of the global `parameters` is written into each form that lists it
//!   (a request body holds all of an operation's fields, so one field cannot be a
//!   `components/requestBodies` entry).
//!
//! Not converted: operation `schemes` (3.0 servers per operation would lose the host's
//! other schemes; the document's servers apply), response `examples` of a media type the
//! operation does not produce, `collectionFormat` of nested `items`, schema `$ref`s into
//! other files or to other places than `definitions` (left as they are: `load` reads
//! them, or reports them), and parameter or response `$ref`s to other places than the
//! document's `parameters` and `responses` (refused: whether a parameter is a body
//! decides where it goes).

use crate::error::{Error, push_pointer};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// A Swagger 2.0 document converted into OpenAPI 3.0.3, with where each part came from.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The OpenAPI 3.0.3 document.
    pub document: Value,
    /// Where in the original each place of `document` came from.
    pub origins: Origins,
}

/// For places of a converted document (JSON pointers), where in the original they came
/// from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins(BTreeMap<String, Origin>);

/// Where a place of the converted document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    /// Copied from this place of the original: what lies beneath, unless it has an
    /// origin of its own, came from the same path beneath it.
    Copied(String),
    /// Made from what is at this place of the original (a request body from a body
    /// parameter): everything beneath, unless it has an origin of its own, came from it.
    Made(String),
}

impl Converted {
    /// The JSON pointer in the original 2.0 document of the converted document's
    /// `pointer` (see [`Origins::original`]).
    pub fn origin(&self, pointer: &str) -> String {
        self.origins.original(pointer)
    }
}

impl Origins {
    /// The JSON pointer in the original 2.0 document of the converted document's
    /// `pointer`: found through its nearest ancestor (or itself) that has an origin.
    pub fn original(&self, pointer: &str) -> String {
        let mut ancestor = pointer;
        loop {
            match self.0.get(ancestor) {
                Some(Origin::Copied(from)) => {
                    return format!("{from}{}", &pointer[ancestor.len()..]);
                }
                Some(Origin::Made(from)) => return from.clone(),
                None => match ancestor.rfind('/') {
                    Some(slash) => ancestor = &ancestor[..slash],
                    None => return String::new(),
                },
            }
        }
    }
}

/// Something in the original document that cannot be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where, as a JSON pointer into the original 2.0 document.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl Problem {
    fn new(pointer: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            pointer: pointer.to_owned(),
            message: message.into(),
            help: help.into(),
        }
    }

    /// The problem as an error of the generator, in `file` (the 2.0 file).
    pub fn error(&self, file: &Path) -> Error {
        Error::at_pointer(file, &self.pointer, self.message.clone()).help(self.help.clone())
    }
}

/// Converts a Swagger 2.0 document into OpenAPI 3.0.3; every [`Problem`] found otherwise.
pub fn convert(original: &Value) -> Result<Converted, Vec<Problem>> {
    let Some(root) = original.as_object() else {
        return Err(vec![Problem::new(
            "",
            "a Swagger 2.0 document is an object",
            "start the document with `swagger: \"2.0\"` and `info:`",
        )]);
    };
    match root.get("swagger") {
        Some(Value::String(version)) if version == "2.0" => {}
        Some(version) => {
            let version = version.as_str().map_or(version.to_string(), str::to_owned);
            return Err(vec![Problem::new(
                "/swagger",
                format!("Swagger {version} is not supported"),
                "only Swagger 2.0 is converted; write the document in Swagger 2.0 or OpenAPI 3.0",
            )]);
        }
        None => {
            return Err(vec![Problem::new(
                "",
                "no `swagger` version field",
                "start the document with `swagger: \"2.0\"`",
            )]);
        }
    }
    let mut converter = Converter {
        original,
        origins: BTreeMap::new(),
        problems: Vec::new(),
    };
    let document = converter.document(root);
    // A field's problem is found once for each media type of its form.
    let mut seen = Vec::new();
    converter.problems.retain(|problem| {
        let new = !seen.contains(problem);
        seen.push(problem.clone());
        new
    });
    if converter.problems.is_empty() {
        Ok(Converted {
            document,
            origins: Origins(converter.origins),
        })
    } else {
        Err(converter.problems)
    }
}

/// The media type of a request or response when neither the operation nor the document
/// says (`consumes`, `produces`).
const DEFAULT_MEDIA_TYPE: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The keywords of a 2.0 non-body parameter, header or items object that describe its
/// value, and so belong under `schema` in 3.0.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// A parameter of a `parameters` list, its `$ref` followed.
#[derive(Debug, Clone)]
struct Parameter<'a> {
    /// Where it is listed (`/paths/~1pets/post/parameters/0`).
    at: String,
    /// The parameter itself: the listed object, or the one its `$ref` names.
    value: &'a Map<String, Value>,
    /// Where `value` is: `at`, or `/parameters/NAME` for a `$ref`.
    defined: String,
    /// For a `$ref` to `#/parameters/NAME`, the NAME token (escaped as in a pointer).
    reference: Option<String>,
}

impl Parameter<'_> {
    fn location(&self) -> &str {
        self.value.get("in").and_then(Value::as_str).unwrap_or("")
    }

    fn name(&self) -> &str {
        self.value.get("name").and_then(Value::as_str).unwrap_or("")
    }

    fn is_request_body(&self) -> bool {
        matches!(self.location(), "body" | "formData")
    }

    /// Whether `self`, listed by an operation, replaces `shared`, listed by its path:
    /// the same name and place, and a body replaces a body whatever their names.
    fn overrides(&self, shared: &Parameter<'_>) -> bool {
        self.location() == shared.location()
            && (self.location() == "body" || self.name() == shared.name())
    }
}

struct Converter<'a> {
    original: &'a Value,
    origins: BTreeMap<String, Origin>,
    problems: Vec<Problem>,
}

impl<'a> Converter<'a> {
    fn copied(&mut self, to: &str, from: &str) {
        self.origins
            .insert(to.to_owned(), Origin::Copied(from.to_owned()));
    }

    fn made(&mut self, to: &str, from: &str) {
        self.origins
            .insert(to.to_owned(), Origin::Made(from.to_owned()));
    }

    fn problem(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        self.problems.push(Problem::new(pointer, message, help));
    }

    /// The media types of a list (`consumes`, `produces`) of the operation, else of the
    /// document, else JSON.
    fn media_types(&self, operation: Option<&Value>, key: &str) -> Vec<String> {
        let strings = |value: Option<&Value>| -> Vec<String> {
            value
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let own = strings(operation.and_then(|operation| operation.get(key)));
        if !own.is_empty() {
            return own;
        }
        let global = strings(self.original.get(key));
        if !global.is_empty() {
            return global;
        }
        vec![DEFAULT_MEDIA_TYPE.to_owned()]
    }

    fn document(&mut self, root: &'a Map<String, Value>) -> Value {
        let mut out = Map::new();
        out.insert("openapi".into(), "3.0.3".into());
        self.made("/openapi", "/swagger");
        for key in ["info", "externalDocs"] {
            if let Some(value) = root.get(key) {
                out.insert(key.into(), value.clone());
                self.copied(&push_pointer("", key), &push_pointer("", key));
            }
        }
        if let Some(servers) = self.servers(root) {
            out.insert("servers".into(), servers);
        }
        for key in ["tags", "security"] {
            if let Some(value) = root.get(key) {
                out.insert(key.into(), value.clone());
                self.copied(&push_pointer("", key), &push_pointer("", key));
            }
        }
        out.insert("paths".into(), self.paths(root.get("paths")));
        if let Some(components) = self.components(root) {
            out.insert("components".into(), components);
        }
        for (key, value) in root {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
                self.copied(&push_pointer("", key), &push_pointer("", key));
            }
        }
        Value::Object(out)
    }

    /// `host`, `basePath` and `schemes` as `servers`: one per scheme (the first is the
    /// default; `https` when none is named), or the base path alone as a relative URL
    /// when there is no host. `None` when the document names neither host nor base path,
    /// as 3.0's default server (`/`) is then 2.0's default too.
    fn servers(&mut self, root: &Map<String, Value>) -> Option<Value> {
        let host = root.get("host").and_then(Value::as_str);
        let base_path = root.get("basePath").and_then(Value::as_str);
        if host.is_none() && base_path.is_none() {
            return None;
        }
        // The paths start with `/`: a base path of `/` would double it.
        let base_path = base_path.unwrap_or("").trim_end_matches('/');
        let urls: Vec<String> = match host {
            Some(host) => {
                let schemes: Vec<&str> = root
                    .get("schemes")
                    .and_then(Value::as_array)
                    .map(|schemes| schemes.iter().filter_map(Value::as_str).collect())
                    .filter(|schemes: &Vec<&str>| !schemes.is_empty())
                    .unwrap_or_else(|| vec!["https"]);
                schemes
                    .iter()
                    .map(|scheme| format!("{scheme}://{host}{base_path}"))
                    .collect()
            }
            None if base_path.is_empty() => vec!["/".to_owned()],
            None => vec![base_path.to_owned()],
        };
        self.made(
            "/servers",
            if host.is_some() { "/host" } else { "/basePath" },
        );
        Some(Value::Array(
            urls.into_iter().map(|url| json!({ "url": url })).collect(),
        ))
    }

    fn paths(&mut self, paths: Option<&'a Value>) -> Value {
        self.copied("/paths", "/paths");
        let Some(paths) = paths else {
            return json!({});
        };
        let Some(paths) = paths.as_object() else {
            self.problem(
                "/paths",
                "`paths` is not an object",
                "make `paths` a map from paths to path items",
            );
            return json!({});
        };
        let mut out = Map::new();
        for (path, item) in paths {
            let at = push_pointer("/paths", path);
            let converted = if path.starts_with("x-") {
                item.clone()
            } else {
                self.path_item(item, &at)
            };
            out.insert(path.clone(), converted);
        }
        Value::Object(out)
    }

    /// A path item: its own non-body parameters stay on it; its body and form parameters
    /// move into the request body of each of its operations.
    fn path_item(&mut self, item: &'a Value, at: &str) -> Value {
        self.copied(at, at);
        let Some(item) = item.as_object() else {
            self.problem(
                at,
                "a path item is not an object",
                "make it a map from methods to operations",
            );
            return item.clone();
        };
        let shared = self.parameter_list(item.get("parameters"), &push_pointer(at, "parameters"));
        let mut out = Map::new();
        for (key, value) in item {
            let here = push_pointer(at, key);
            if key == "parameters" {
                if let Some(parameters) = self.parameters(&shared, &here) {
                    out.insert(key.clone(), parameters);
                }
            } else if METHODS.contains(&key.as_str()) {
                out.insert(key.clone(), self.operation(value, &here, &shared));
            } else if key == "$ref" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    fn operation(&mut self, operation: &'a Value, at: &str, shared: &[Parameter<'a>]) -> Value {
        self.copied(at, at);
        let Some(fields) = operation.as_object() else {
            self.problem(
                at,
                "an operation is not an object",
                "make it a map with `responses`",
            );
            return operation.clone();
        };
        let own = self.parameter_list(fields.get("parameters"), &push_pointer(at, "parameters"));
        let mut in_body: Vec<Parameter<'a>> = shared
            .iter()
            .filter(|parameter| parameter.is_request_body())
            .filter(|parameter| !own.iter().any(|mine| mine.overrides(parameter)))
            .cloned()
            .collect();
        in_body.extend(
            own.iter()
                .filter(|parameter| parameter.is_request_body())
                .cloned(),
        );
        let request_body =
            self.request_body_of(&in_body, operation, &push_pointer(at, "requestBody"));
        let produces = self.media_types(Some(operation), "produces");
        let mut out = Map::new();
        for (key, value) in fields {
            let here = push_pointer(at, key);
            match key.as_str() {
                "parameters" => {
                    if let Some(parameters) = self.parameters(&own, &here) {
                        out.insert(key.clone(), parameters);
                    }
                }
                "responses" => {
                    out.insert(key.clone(), self.responses(value, &here, &produces));
                }
                // Read above, or dropped: see the module's notes.
                "consumes" | "produces" | "schemes" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(request_body) = request_body {
            out.insert("requestBody".into(), request_body);
        }
        Value::Object(out)
    }

    /// The parameters of a list, each with its `$ref` followed; problems for those that
    /// cannot be read.
    fn parameter_list(&mut self, list: Option<&'a Value>, at: &str) -> Vec<Parameter<'a>> {
        let Some(list) = list else {
            return Vec::new();
        };
        let Some(entries) = list.as_array() else {
            self.problem(
                at,
                "`parameters` is not a list",
                "make `parameters` a list of parameters",
            );
            return Vec::new();
        };
        let mut parameters = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let here = push_pointer(at, &index.to_string());
            if let Some(parameter) = self.resolve(entry, here) {
                parameters.push(parameter);
            }
        }
        parameters
    }

    fn resolve(&mut self, entry: &'a Value, at: String) -> Option<Parameter<'a>> {
        let Some(fields) = entry.as_object() else {
            self.problem(
                &at,
                "a parameter is not an object",
                "write the parameter as a map with `name` and `in`",
            );
            return None;
        };
        let parameter = match fields.get("$ref") {
            None => Parameter {
                defined: at.clone(),
                at,
                value: fields,
                reference: None,
            },
            Some(target) => {
                let token = target
                    .as_str()
                    .and_then(|target| target.strip_prefix("#/parameters/"))
                    .filter(|token| !token.is_empty() && !token.contains('/'));
                let Some(token) = token else {
                    self.problem(
                        &push_pointer(&at, "$ref"),
                        format!("cannot convert a parameter reference to {target}"),
                        "refer to a parameter of this document's `parameters` (`#/parameters/NAME`), or write the parameter here",
                    );
                    return None;
                };
                // A URI fragment may be percent-encoded; the pointer is what it stands for.
                let token = percent_encoding::percent_decode_str(token)
                    .decode_utf8_lossy()
                    .into_owned();
                let defined = format!("/parameters/{token}");
                let original = self.original;
                let Some(value) = original.pointer(&defined).and_then(Value::as_object) else {
                    self.problem(
                        &push_pointer(&at, "$ref"),
                        format!("`#{defined}` names no parameter of this document"),
                        "define it under `parameters`, or fix the name",
                    );
                    return None;
                };
                Parameter {
                    at,
                    value,
                    defined,
                    reference: Some(token),
                }
            }
        };
        match parameter.location() {
            "query" | "header" | "path" | "body" | "formData" => Some(parameter),
            other => {
                self.problem(
                    &push_pointer(&parameter.defined, "in"),
                    format!("a parameter `in: {other}` is not Swagger 2.0"),
                    "set `in` to query, header, path, formData or body",
                );
                None
            }
        }
    }

    /// The parameters of a list that stay parameters in 3.0 (all but body and form
    /// ones); `None` when there are none.
    fn parameters(&mut self, parameters: &[Parameter<'a>], at: &str) -> Option<Value> {
        self.copied(at, at);
        let mut out = Vec::new();
        for parameter in parameters
            .iter()
            .filter(|parameter| !parameter.is_request_body())
        {
            let here = push_pointer(at, &out.len().to_string());
            let converted = match &parameter.reference {
                Some(token) => {
                    self.copied(&here, &parameter.at);
                    json!({ "$ref": format!("#/components/parameters/{token}") })
                }
                None => self.parameter(parameter.value, &parameter.defined, &here),
            };
            out.push(converted);
        }
        (!out.is_empty()).then_some(Value::Array(out))
    }

    /// A query, header or path parameter: what describes its value moves under `schema`,
    /// its `collectionFormat` becomes `style` and `explode`.
    fn parameter(&mut self, parameter: &Map<String, Value>, from: &str, to: &str) -> Value {
        self.copied(to, from);
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
        let mut out = Map::new();
        for (key, value) in parameter {
            let kept = matches!(key.as_str(), "name" | "in" | "description" | "required")
                || (key == "allowEmptyValue" && location == "query")
                || (key.starts_with("x-") && key != "x-nullable");
            if kept {
                out.insert(key.clone(), value.clone());
            }
        }
        if parameter.get("type").and_then(Value::as_str) == Some("file") {
            self.problem(
                &push_pointer(from, "type"),
                format!("a {location} parameter cannot be a file"),
                "send files as `in: formData` parameters (with `consumes: [multipart/form-data]`)",
            );
        }
        if let Some((style, explode)) = self.style(parameter, location, from) {
            // 3.0's defaults (form and exploded in the query, simple elsewhere) need not be said.
            let default = if location == "query" {
                ("form", true)
            } else {
                ("simple", false)
            };
            if (style, explode) != default {
                let origin = collection_format_pointer(parameter, from);
                out.insert("style".into(), style.into());
                out.insert("explode".into(), explode.into());
                self.made(&push_pointer(to, "style"), &origin);
                self.made(&push_pointer(to, "explode"), &origin);
            }
        }
        let schema = schema_keywords(parameter);
        let schema = self.schema(&schema, from, &push_pointer(to, "schema"));
        out.insert("schema".into(), schema);
        Value::Object(out)
    }

    /// The 3.0 `style` and `explode` of an array parameter's `collectionFormat` (`csv`
    /// when absent), in `location`; `None` for a value that is not an array, or (with a
    /// problem) for a format 3.0 cannot express there.
    fn style(
        &mut self,
        parameter: &Map<String, Value>,
        location: &str,
        from: &str,
    ) -> Option<(&'static str, bool)> {
        if parameter.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let format = parameter
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let in_form = matches!(location, "query" | "formData");
        let style = match format {
            "csv" if in_form => ("form", false),
            "csv" => ("simple", false),
            "multi" if in_form => ("form", true),
            "ssv" if in_form => ("spaceDelimited", false),
            "pipes" if in_form => ("pipeDelimited", false),
            "tsv" => {
                self.problem(
                    &collection_format_pointer(parameter, from),
                    "OpenAPI 3.0 has no style for values separated by tabs (`collectionFormat: tsv`)",
                    "use csv, ssv or pipes if the service accepts them, or make the parameter a string and join the values with tabs yourself",
                );
                return None;
            }
            other => {
                self.problem(
                    &collection_format_pointer(parameter, from),
                    format!("OpenAPI 3.0 has no style for `collectionFormat: {other}` in a {location}"),
                    "use csv, which 3.0 writes as `style: simple`, or make the parameter a string and join the values yourself",
                );
                return None;
            }
        };
        Some(style)
    }

    /// The request body an operation's body or form parameters make, if it has any.
    fn request_body_of(
        &mut self,
        parameters: &[Parameter<'a>],
        operation: &Value,
        to: &str,
    ) -> Option<Value> {
        let (body, form): (Vec<&Parameter<'a>>, Vec<&Parameter<'a>>) = parameters
            .iter()
            .partition(|parameter| parameter.location() == "body");
        if let Some(second) = body.get(1) {
            self.problem(
                &second.at,
                "an operation has two body parameters",
                format!(
                    "describe the whole body in one parameter (the first is at {})",
                    body[0].at
                ),
            );
            return None;
        }
        if let Some(field) = form.iter().find(|field| field.name().is_empty()) {
            self.problem(
                &field.defined,
                "a form parameter has no `name`",
                "name the field: its name is the form's key",
            );
            return None;
        }
        if let (Some(body), Some(field)) = (body.first(), form.first()) {
            self.problem(
                &field.at,
                "an operation has both a body parameter and form parameters",
                format!(
                    "send this field in the body described at {}, or drop the body parameter",
                    body.at
                ),
            );
            return None;
        }
        let consumes = self.media_types(Some(operation), "consumes");
        if let Some(body) = body.first() {
            // A shared body is given in the document's `consumes`: an operation that
            // consumes others gets its own copy.
            let shared = consumes == self.media_types(None, "consumes");
            return Some(match &body.reference {
                Some(token) if shared => {
                    self.copied(to, &body.at);
                    json!({ "$ref": format!("#/components/requestBodies/{token}") })
                }
                _ => self.request_body(body.value, &body.defined, &consumes, to),
            });
        }
        if form.is_empty() {
            return None;
        }
        Some(self.form(&form, &consumes, to))
    }

    /// A body parameter as a request body: its schema for each media type it consumes.
    fn request_body(
        &mut self,
        parameter: &Map<String, Value>,
        from: &str,
        consumes: &[String],
        to: &str,
    ) -> Value {
        self.made(to, from);
        let mut out = Map::new();
        for (key, value) in parameter {
            if matches!(key.as_str(), "description" | "required") || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
                self.copied(&push_pointer(to, key), &push_pointer(from, key));
            }
        }
        let Some(schema) = parameter.get("schema") else {
            self.problem(
                from,
                "a body parameter has no `schema`",
                "add `schema:` describing the body (`type: object` if it can be anything)",
            );
            return Value::Object(out);
        };
        let mut content = Map::new();
        for media_type in consumes {
            let here = push_pointer(&push_pointer(to, "content"), media_type);
            let converted = self.schema(
                schema,
                &push_pointer(from, "schema"),
                &push_pointer(&here, "schema"),
            );
            content.insert(media_type.clone(), json!({ "schema": converted }));
        }
        out.insert("content".into(), Value::Object(content));
        Value::Object(out)
    }

    /// Form parameters as a request body whose schema is an object of the fields:
    /// multipart when a field is a file or the operation consumes only multipart,
    /// URL-encoded otherwise (or both, when it consumes both).
    fn form(&mut self, fields: &[&Parameter<'a>], consumes: &[String], to: &str) -> Value {
        self.made(to, &fields[0].at);
        let has_file = fields
            .iter()
            .any(|field| field.value.get("type").and_then(Value::as_str) == Some("file"));
        let media_types: Vec<&str> = if has_file {
            vec![MULTIPART]
        } else {
            let forms: Vec<&str> = consumes
                .iter()
                .map(String::as_str)
                .filter(|media_type| [FORM, MULTIPART].contains(media_type))
                .collect();
            if forms.is_empty() { vec![FORM] } else { forms }
        };
        let mut content = Map::new();
        for media_type in media_types {
            let here = push_pointer(&push_pointer(to, "content"), media_type);
            content.insert(
                media_type.to_owned(),
                self.form_media_type(fields, media_type, &here),
            );
        }
        let mut out = Map::new();
        out.insert("content".into(), Value::Object(content));
        if fields.iter().any(|field| is_required(field.value)) {
            out.insert("required".into(), true.into());
        }
        Value::Object(out)
    }

    fn form_media_type(&mut self, fields: &[&Parameter<'a>], media_type: &str, to: &str) -> Value {
        let schema_at = push_pointer(to, "schema");
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for field in fields {
            let name = field.name();
            let mut schema = schema_keywords(field.value);
            if let Some(description) = field.value.get("description") {
                schema
                    .as_object_mut()
                    .expect("schema_keywords makes an object")
                    .insert("description".into(), description.clone());
            }
            let here = push_pointer(&push_pointer(&schema_at, "properties"), name);
            properties.insert(name.to_owned(), self.schema(&schema, &field.defined, &here));
            if is_required(field.value) {
                required.push(Value::from(name));
            }
            // How an array is written matters in a URL-encoded body only; multipart
            // sends each value as a part. (Checked in both, for its problems.)
            if let Some((style, explode)) = self.style(field.value, "formData", &field.defined)
                && media_type == FORM
            {
                encoding.insert(
                    name.to_owned(),
                    json!({ "style": style, "explode": explode }),
                );
                let origin = collection_format_pointer(field.value, &field.defined);
                let at = push_pointer(&push_pointer(to, "encoding"), name);
                self.made(&at, &origin);
            }
        }
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        let mut out = Map::new();
        out.insert("schema".into(), Value::Object(schema));
        if !encoding.is_empty() {
            out.insert("encoding".into(), Value::Object(encoding));
        }
        Value::Object(out)
    }

    fn responses(&mut self, responses: &Value, at: &str, produces: &[String]) -> Value {
        self.copied(at, at);
        let Some(responses) = responses.as_object() else {
            self.problem(
                at,
                "`responses` is not an object",
                "make `responses` a map from status codes to responses",
            );
            return responses.clone();
        };
        let mut out = Map::new();
        for (status, response) in responses {
            let here = push_pointer(at, status);
            let converted = if status.starts_with("x-") {
                response.clone()
            } else {
                self.response(response, &here, &here, produces)
            };
            out.insert(status.clone(), converted);
        }
        Value::Object(out)
    }

    /// A response: its schema for each media type the operation produces, with the
    /// example given for that media type; its headers' types under `schema`.
    fn response(&mut self, response: &Value, from: &str, to: &str, produces: &[String]) -> Value {
        self.copied(to, from);
        let Some(fields) = response.as_object() else {
            self.problem(
                from,
                "a response is not an object",
                "make it a map with `description`",
            );
            return response.clone();
        };
        if let Some(target) = fields.get("$ref") {
            let Some(name) = target
                .as_str()
                .and_then(|target| target.strip_prefix("#/responses/"))
            else {
                self.problem(
                    &push_pointer(from, "$ref"),
                    format!("cannot convert a response reference to {target}"),
                    "refer to a response of this document's `responses` (`#/responses/NAME`), or write the response here",
                );
                return response.clone();
            };
            // A shared response is given in the document's `produces`: an operation
            // that produces others gets its own copy.
            if produces != self.media_types(None, "produces") {
                let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
                let defined = format!("/responses/{name}");
                let original = self.original;
                match original.pointer(&defined) {
                    Some(shared) if shared.get("$ref").is_none() => {
                        return self.response(shared, &defined, to, produces);
                    }
                    Some(_) => {}
                    None => {
                        self.problem(
                            &push_pointer(from, "$ref"),
                            format!("`#{defined}` names no response of this document"),
                            "define it under `responses`, or fix the name",
                        );
                        return response.clone();
                    }
                }
            }
            return json!({ "$ref": format!("#/components/responses/{name}") });
        }
        let mut out = Map::new();
        for (key, value) in fields {
            match key.as_str() {
                "description" => {
                    out.insert(key.clone(), value.clone());
                }
                "headers" => {
                    let converted =
                        self.headers(value, &push_pointer(from, key), &push_pointer(to, key));
                    out.insert(key.clone(), converted);
                }
                _ if key.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                // `schema` and `examples` make `content`, below.
                _ => {}
            }
        }
        if let Some(schema) = fields.get("schema") {
            let examples = fields.get("examples").and_then(Value::as_object);
            let content_at = push_pointer(to, "content");
            self.made(&content_at, &push_pointer(from, "schema"));
            let mut content = Map::new();
            for media_type in produces {
                let here = push_pointer(&content_at, media_type);
                let converted = self.schema(
                    schema,
                    &push_pointer(from, "schema"),
                    &push_pointer(&here, "schema"),
                );
                let mut media = Map::new();
                media.insert("schema".into(), converted);
                if let Some(example) = examples.and_then(|examples| examples.get(media_type)) {
                    media.insert("example".into(), example.clone());
                    let example_from = push_pointer(&push_pointer(from, "examples"), media_type);
                    self.copied(&push_pointer(&here, "example"), &example_from);
                }
                content.insert(media_type.clone(), Value::Object(media));
            }
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }

    /// Response headers: what describes each header's value moves under `schema`.
    fn headers(&mut self, headers: &Value, from: &str, to: &str) -> Value {
        self.copied(to, from);
        let Some(headers) = headers.as_object() else {
            self.problem(
                from,
                "`headers` is not an object",
                "make `headers` a map from header names to headers",
            );
            return headers.clone();
        };
        let mut out = Map::new();
        for (name, header) in headers {
            let (from, to) = (push_pointer(from, name), push_pointer(to, name));
            let Some(fields) = header.as_object() else {
                self.problem(
                    &from,
                    "a header is not an object",
                    "describe the header with `type`",
                );
                continue;
            };
            self.copied(&to, &from);
            // Header values are always comma-separated in 3.0 (`style: simple`).
            self.style(fields, "header", &from);
            let mut converted = Map::new();
            for (key, value) in fields {
                if key == "description" || (key.starts_with("x-") && key != "x-nullable") {
                    converted.insert(key.clone(), value.clone());
                }
            }
            let schema = self.schema(
                &schema_keywords(fields),
                &from,
                &push_pointer(&to, "schema"),
            );
            converted.insert("schema".into(), schema);
            out.insert(name.clone(), Value::Object(converted));
        }
        Value::Object(out)
    }

    /// `definitions`, `parameters`, `responses` and `securityDefinitions` under
    /// `components`; `None` when the document has none of them.
    fn components(&mut self, root: &'a Map<String, Value>) -> Option<Value> {
        let mut components = Map::new();
        if let Some(definitions) = root.get("definitions").and_then(Value::as_object) {
            self.copied("/components/schemas", "/definitions");
            let mut schemas = Map::new();
            for (name, schema) in definitions {
                let (from, to) = (
                    push_pointer("/definitions", name),
                    push_pointer("/components/schemas", name),
                );
                schemas.insert(name.clone(), self.schema(schema, &from, &to));
            }
            components.insert("schemas".into(), Value::Object(schemas));
        }
        if let Some(parameters) = root.get("parameters").and_then(Value::as_object) {
            let consumes = self.media_types(None, "consumes");
            let (mut plain, mut bodies) = (Map::new(), Map::new());
            for (name, parameter) in parameters {
                let from = push_pointer("/parameters", name);
                let Some(fields) = parameter.as_object() else {
                    self.problem(
                        &from,
                        "a parameter is not an object",
                        "write the parameter as a map with `name` and `in`",
                    );
                    continue;
                };
                match fields.get("in").and_then(Value::as_str) {
                    Some("body") => {
                        let to = push_pointer("/components/requestBodies", name);
                        bodies.insert(
                            name.clone(),
                            self.request_body(fields, &from, &consumes, &to),
                        );
                    }
                    // Written into each form that lists it (see the module's notes).
                    Some("formData") => {}
                    _ => {
                        let to = push_pointer("/components/parameters", name);
                        plain.insert(name.clone(), self.parameter(fields, &from, &to));
                    }
                }
            }
            if !plain.is_empty() {
                self.copied("/components/parameters", "/parameters");
                components.insert("parameters".into(), Value::Object(plain));
            }
            if !bodies.is_empty() {
                self.copied("/components/requestBodies", "/parameters");
                components.insert("requestBodies".into(), Value::Object(bodies));
            }
        }
        if let Some(responses) = root.get("responses").and_then(Value::as_object) {
            let produces = self.media_types(None, "produces");
            self.copied("/components/responses", "/responses");
            let mut out = Map::new();
            for (name, response) in responses {
                let (from, to) = (
                    push_pointer("/responses", name),
                    push_pointer("/components/responses", name),
                );
                out.insert(name.clone(), self.response(response, &from, &to, &produces));
            }
            components.insert("responses".into(), Value::Object(out));
        }
        if let Some(schemes) = root.get("securityDefinitions").and_then(Value::as_object) {
            self.copied("/components/securitySchemes", "/securityDefinitions");
            let mut out = Map::new();
            for (name, scheme) in schemes {
                let from = push_pointer("/securityDefinitions", name);
                let to = push_pointer("/components/securitySchemes", name);
                if let Some(converted) = self.security_scheme(scheme, &from, &to) {
                    out.insert(name.clone(), converted);
                }
            }
            components.insert("securitySchemes".into(), Value::Object(out));
        }
        if components.is_empty() {
            return None;
        }
        self.made("/components", "");
        Some(Value::Object(components))
    }

    /// A security definition: `basic` is HTTP basic, `apiKey` is unchanged, `oauth2`'s
    /// one flow becomes the one entry of `flows`, under its 3.0 name.
    fn security_scheme(&mut self, scheme: &Value, from: &str, to: &str) -> Option<Value> {
        self.copied(to, from);
        let Some(fields) = scheme.as_object() else {
            self.problem(
                from,
                "a security definition is not an object",
                "describe it with `type`",
            );
            return None;
        };
        let mut out = Map::new();
        let kind = fields.get("type").and_then(Value::as_str).unwrap_or("");
        match kind {
            "basic" => {
                out.insert("type".into(), "http".into());
                out.insert("scheme".into(), "basic".into());
                self.made(&push_pointer(to, "scheme"), &push_pointer(from, "type"));
            }
            "apiKey" => {
                out.insert("type".into(), "apiKey".into());
                for key in ["name", "in"] {
                    if let Some(value) = fields.get(key) {
                        out.insert(key.into(), value.clone());
                    }
                }
            }
            "oauth2" => {
                out.insert("type".into(), "oauth2".into());
                out.insert("flows".into(), self.oauth2_flows(fields, from, to)?);
            }
            other => {
                self.problem(
                    &push_pointer(from, "type"),
                    format!("a security definition of type `{other}` is not Swagger 2.0"),
                    "set `type` to basic, apiKey or oauth2",
                );
                return None;
            }
        }
        for (key, value) in fields {
            if key == "description" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Some(Value::Object(out))
    }

    fn oauth2_flows(&mut self, fields: &Map<String, Value>, from: &str, to: &str) -> Option<Value> {
        let flow = fields.get("flow").and_then(Value::as_str).unwrap_or("");
        let (name, urls): (&str, &[&str]) = match flow {
            "implicit" => ("implicit", &["authorizationUrl"]),
            "password" => ("password", &["tokenUrl"]),
            "application" => ("clientCredentials", &["tokenUrl"]),
            "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            other => {
                self.problem(
                    &push_pointer(from, "flow"),
                    format!("an OAuth 2 flow `{other}` is not Swagger 2.0"),
                    "set `flow` to implicit, password, application or accessCode",
                );
                return None;
            }
        };
        let flows_at = push_pointer(to, "flows");
        let flow_at = push_pointer(&flows_at, name);
        self.made(&flows_at, &push_pointer(from, "flow"));
        let mut out = Map::new();
        for key in urls.iter().chain(&["scopes"]) {
            if let Some(value) = fields.get(*key) {
                out.insert((*key).into(), value.clone());
                self.copied(&push_pointer(&flow_at, key), &push_pointer(from, key));
            }
        }
        // 3.0 requires `scopes`; 2.0 allowed leaving it out when there were none.
        out.entry("scopes").or_insert_with(|| json!({}));
        Some(json!({ name: out }))
    }

    /// A 2.0 schema (of a definition, a body, a response, or made of a parameter's
    /// keywords) as a 3.0 one, at `to`, copied from `from`.
    fn schema(&mut self, schema: &Value, from: &str, to: &str) -> Value {
        self.copied(to, from);
        self.schema_within(schema, from, to)
    }

    /// [`Converter::schema`] of a schema whose place is already recorded: `$ref`s to
    /// definitions renamed, `x-nullable` made `nullable`, a discriminator's property name
    /// made a discriminator object, `type: file` made a binary string.
    fn schema_within(&mut self, schema: &Value, from: &str, to: &str) -> Value {
        let Some(fields) = schema.as_object() else {
            // `additionalProperties: true` and the like.
            return schema.clone();
        };
        let mut out = Map::new();
        for (key, value) in fields {
            let (key_from, key_to) = (push_pointer(from, key), push_pointer(to, key));
            let converted = match key.as_str() {
                "$ref" => Value::from(schema_reference(value)),
                "x-nullable" => {
                    self.made(&push_pointer(to, "nullable"), &key_from);
                    out.insert("nullable".into(), value.clone());
                    continue;
                }
                "discriminator" if value.is_string() => {
                    self.made(&key_to, &key_from);
                    json!({ "propertyName": value })
                }
                "type" if value == "file" => {
                    self.made(&push_pointer(to, "format"), &key_from);
                    out.insert("format".into(), "binary".into());
                    "string".into()
                }
                // Only parameters had it, and nested arrays have no 3.0 style.
                "collectionFormat" => continue,
                "format" if fields.get("type").is_some_and(|kind| kind == "file") => continue,
                "properties" => self.schemas_by_name(value, &key_from, &key_to),
                "items" | "allOf" | "anyOf" | "oneOf" if value.is_array() => {
                    let items = value.as_array().expect("checked to be an array");
                    let converted = items.iter().enumerate().map(|(index, item)| {
                        let index = index.to_string();
                        self.schema_within(
                            item,
                            &push_pointer(&key_from, &index),
                            &push_pointer(&key_to, &index),
                        )
                    });
                    Value::Array(converted.collect())
                }
                "items" | "additionalProperties" | "not" => {
                    self.schema_within(value, &key_from, &key_to)
                }
                // Data (`example`, `default`, `enum`, extensions) and plain keywords.
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        if out.contains_key("$ref") && out.get("nullable") == Some(&Value::Bool(true)) {
            return self.nullable_reference(out, from, to);
        }
        Value::Object(out)
    }

    fn schemas_by_name(&mut self, schemas: &Value, from: &str, to: &str) -> Value {
        let Some(schemas) = schemas.as_object() else {
            return schemas.clone();
        };
        let mut out = Map::new();
        for (name, schema) in schemas {
            let converted =
                self.schema_within(schema, &push_pointer(from, name), &push_pointer(to, name));
            out.insert(name.clone(), converted);
        }
        Value::Object(out)
    }

    /// `{$ref, nullable: true, ...}` as `{allOf: [{$ref}], nullable: true, ...}`: 3.0
    /// ignores everything beside a `$ref`, so a nullable reference must wrap it.
    fn nullable_reference(
        &mut self,
        mut schema: Map<String, Value>,
        from: &str,
        to: &str,
    ) -> Value {
        let reference = schema.shift_remove("$ref").expect("checked to be there");
        self.made(&push_pointer(to, "allOf"), &push_pointer(from, "$ref"));
        let mut out = Map::new();
        out.insert("allOf".into(), json!([{ "$ref": reference }]));
        out.extend(schema);
        Value::Object(out)
    }
}

/// A schema `$ref` with 2.0's `#/definitions/` renamed; other references are left as
/// they are (see the module's notes).
fn schema_reference(target: &Value) -> String {
    let target = target.as_str().unwrap_or_default();
    match target.strip_prefix("#/definitions/") {
        Some(rest) => format!("#/components/schemas/{rest}"),
        None => target.to_owned(),
    }
}

/// The keywords of a parameter or header that describe its value, as a 2.0 schema.
fn schema_keywords(fields: &Map<String, Value>) -> Value {
    let schema: Map<String, Value> = fields
        .iter()
        .filter(|(key, _)| SCHEMA_KEYWORDS.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    Value::Object(schema)
}

fn is_required(parameter: &Map<String, Value>) -> bool {
    parameter.get("required") == Some(&Value::Bool(true))
}

/// Where a parameter's `collectionFormat` is, or the parameter when it has none (csv).
fn collection_format_pointer(parameter: &Map<String, Value>, at: &str) -> String {
    if parameter.contains_key("collectionFormat") {
        push_pointer(at, "collectionFormat")
    } else {
        at.to_owned()
    }
}
