//! Operations: parameters by location and style, responses by status with their
//! headers, security; request bodies are lowered in `bodies`.

use super::types::TypeSpace;
use crate::error::{Error, push_pointer};
use crate::model::{
    Constraints, Operation, Param, ParamLocation, Response, ResponseBody, ResponseHeader, Security,
    SecurityScheme, Segment, Selector, StatusSpec, Style, Type, route_of,
};
use crate::names::{Scope, field_name, type_name, variant_name};
use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr, Schema,
    SecurityRequirement,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;

/// Lowers the operations of one document.
pub struct Operations<'a, 'b> {
    /// Where messages point.
    pub file: &'a Path,
    /// The bundled document, for references.
    pub document: &'a Value,
    /// The type space inline schemas go to.
    pub types: &'b mut TypeSpace<'a>,
    /// The document's security schemes.
    pub schemes: &'b [SecurityScheme],
    /// The document's default `security`.
    pub default_security: Option<&'a Vec<SecurityRequirement>>,
    /// Method names taken so far.
    pub names: Scope,
    /// Type prefixes taken so far.
    pub prefixes: Scope,
    /// Errors met so far.
    pub errors: Vec<Error>,
    /// Warnings met so far: what the generated code serves differently from how the
    /// document is written.
    pub warnings: Vec<Error>,
}

/// Header parameters OpenAPI says to ignore: their meaning is fixed by HTTP itself.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// Response headers OpenAPI says to ignore (`Content-Type`), and `Content-Length`, which
/// HTTP itself writes from the body.
const IGNORED_RESPONSE_HEADERS: &[&str] = &["content-type", "content-length"];

impl<'a> Operations<'a, '_> {
    /// Lowers `operation`, the `method` of the path item at `path`.
    pub fn lower(
        &mut self,
        path: &str,
        method: &str,
        path_parameters: &[ReferenceOr<Parameter>],
        operation: &openapiv3::Operation,
    ) -> Option<Operation> {
        let item_at = push_pointer("/paths", path);
        self.lower_at(path, &item_at, method, path_parameters, operation)
    }

    /// [`Operations::lower`] for a path item that stands at `item_at` (a 3.1 webhook's,
    /// under `/webhooks`), not under `/paths`.
    pub fn lower_at(
        &mut self,
        path: &str,
        item_at: &str,
        method: &str,
        path_parameters: &[ReferenceOr<Parameter>],
        operation: &openapiv3::Operation,
    ) -> Option<Operation> {
        let pointer = push_pointer(item_at, method);
        let id = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| derived_id(method, path));
        let name = self.names.unique(field_name(&id));
        let type_prefix = self.prefixes.unique(type_name(&id));
        let route = route_of(path);
        if route != path {
            let fragment = &path[route.len()..];
            let mut warning = Error::at_pointer(
                self.file,
                &push_pointer("/paths", path),
                format!("path `{path}` ends in the fragment `{fragment}`, which no HTTP request carries: the operation is served and called at `{route}`, told apart from others there by its required parameters of one value"),
            )
            .help("write the path without `#…`, and say what tells the operations apart in a required parameter with one `enum` value (as AWS's `X-Amz-Target` header does)");
            warning.kind = Some("fragment in path".to_owned());
            self.warnings.push(warning);
        }
        let segments = match segments(route) {
            Ok(segments) => segments,
            Err(message) => {
                self.errors.push(
                    Error::at_pointer(self.file, item_at, message).help(
                        "write each path parameter as a `{name}` of its own within one segment",
                    ),
                );
                return None;
            }
        };
        let (params, selectors) = self.params(
            &type_prefix,
            &pointer,
            path_parameters,
            &operation.parameters,
        );
        for segment in &segments {
            let names = match segment {
                Segment::Param { name, .. } => std::slice::from_ref(name),
                Segment::Params { names, .. } => names.as_slice(),
                Segment::Literal(_) => &[],
            };
            for name in names {
                if !params
                    .iter()
                    .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
                {
                    self.errors.push(
                        Error::at_pointer(self.file, &pointer, format!("the path names `{{{name}}}` but no path parameter `{name}` is declared"))
                            .help(format!("add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to `parameters`")),
                    );
                }
            }
            // Several values in one segment are read back by their separators: each is
            // one plain value.
            if let Segment::Params { names, .. } = segment {
                for param in params
                    .iter()
                    .filter(|p| p.location == ParamLocation::Path && names.contains(&p.wire_name))
                {
                    if param.list || param.style != Style::Simple || param.is_serialized() {
                        self.errors.push(
                            Error::at_pointer(self.file, &pointer, format!("path parameter `{}` shares its segment with other parameters, so it must be a single value in `style: simple`", param.wire_name))
                                .help("give the array or styled value a path segment of its own"),
                        );
                    }
                }
            }
        }
        let segments = self.touching(path, segments, &params);
        let body = operation
            .request_body
            .as_ref()
            .and_then(|body| self.body(&type_prefix, &pointer, body));
        let head = method.eq_ignore_ascii_case("head");
        let responses = self.responses(&type_prefix, &pointer, &operation.responses, head);
        let documents = |code: u16| responses.iter().any(|r| r.status == StatusSpec::Code(code));
        let unauthenticated_status = if !documents(401) && documents(403) {
            403
        } else {
            401
        };
        // A webhook is a request the API sends to its subscribers: the document's
        // `security` says how to call the API, not how the API's requests prove
        // themselves, so a webhook is guarded by its own `security` only.
        let webhook = item_at.starts_with("/webhooks/");
        let default_security = if webhook { None } else { self.default_security };
        let security = self.security(&pointer, operation.security.as_ref().or(default_security));
        Some(Operation {
            id,
            name,
            type_prefix,
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            segments,
            selectors,
            docs: docs(
                operation.summary.as_deref(),
                operation.description.as_deref(),
            )
            .unwrap_or_else(|| format!("`{} {path}`.", method.to_ascii_uppercase())),
            deprecated: operation.deprecated,
            deprecation_note: operation
                .description
                .as_deref()
                .map(str::trim)
                .filter(|description| operation.deprecated && !description.is_empty())
                .map(str::to_owned),
            params,
            body,
            responses,
            security,
            unauthenticated_status,
            tags: operation.tags.clone(),
            webhook,
        })
    }

    /// Gives each segment whose values touch (`{id}{ext}`) the shapes that tell them
    /// apart: a value followed directly by another needs a `pattern`, an integer type or
    /// a closed enumeration,
    /// else the segment is refused (its values could be split anywhere).
    fn touching(&mut self, path: &str, segments: Vec<Segment>, params: &[Param]) -> Vec<Segment> {
        segments
            .into_iter()
            .map(|segment| {
                let Segment::Params {
                    literals,
                    names,
                    patterns: _,
                } = segment
                else {
                    return segment;
                };
                if !literals[1..names.len()].iter().any(String::is_empty) {
                    return Segment::Params {
                        literals,
                        names,
                        patterns: Vec::new(),
                    };
                }
                let shape = |name: &String| {
                    let param = params
                        .iter()
                        .find(|p| p.location == ParamLocation::Path && &p.wire_name == name)?;
                    let constraints = self.types.through_aliases(&param.ty, &param.constraints);
                    match (&constraints.pattern, &param.ty) {
                        (Some(pattern), _) => {
                            // The segment's expression anchors the whole; the value's own
                            // anchors would anchor it there.
                            let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
                            Some(pattern.strip_suffix('$').unwrap_or(pattern).to_owned())
                        }
                        (None, Type::I32 | Type::I64) => Some("-?[0-9]+".to_owned()),
                        (None, Type::U32 | Type::U64) => Some("[0-9]+".to_owned()),
                        // One of the enumeration's values, the longest first (so that
                        // `ab` is not read as `a` followed by `b...`).
                        (None, ty) => self.types.closed_enum_values(ty).map(|mut values| {
                            values.sort_by_key(|value| std::cmp::Reverse(value.len()));
                            let escaped: Vec<String> =
                                values.iter().map(|value| regex_escape(value)).collect();
                            format!("(?:{})", escaped.join("|"))
                        }),
                    }
                };
                let patterns: Vec<Option<String>> = names.iter().map(shape).collect();
                for (i, first) in names.iter().enumerate().take(names.len() - 1) {
                    if literals[i + 1].is_empty() && patterns[i].is_none() {
                        let second = &names[i + 1];
                        self.errors.push(
                            Error::at_pointer(self.file, &push_pointer("/paths", path), format!("path parameters `{{{first}}}{{{second}}}` touch, and nothing tells where `{first}` ends (it has no `pattern`, and is neither an integer nor a closed enumeration), so their values cannot be told apart"))
                                .help(format!("give `{first}` a `pattern` that its values match, or put literal text between them")),
                        );
                    }
                }
                Segment::Params {
                    literals,
                    names,
                    patterns,
                }
            })
            .collect()
    }

    /// Follows a `$ref` (to `components`) and deserializes what it names.
    pub(super) fn resolve<T: DeserializeOwned + Clone>(
        &mut self,
        item: &ReferenceOr<T>,
        at: &str,
    ) -> Option<T> {
        match item {
            ReferenceOr::Item(item) => Some(item.clone()),
            ReferenceOr::Reference { reference } => {
                let target = reference
                    .strip_prefix('#')
                    .and_then(|fragment| self.document.pointer(fragment));
                match target.map(serde::Deserialize::deserialize) {
                    Some(Ok(item)) => Some(item),
                    Some(Err(error)) => {
                        self.errors.push(Error::at_pointer(
                            self.file,
                            at,
                            format!(
                                "`$ref: {reference}` names something of the wrong kind: {error}"
                            ),
                        ));
                        None
                    }
                    None => {
                        self.errors.push(Error::at_pointer(
                            self.file,
                            at,
                            format!("`$ref: {reference}` points at nothing"),
                        ));
                        None
                    }
                }
            }
        }
    }

    fn params(
        &mut self,
        prefix: &str,
        pointer: &str,
        shared: &[ReferenceOr<Parameter>],
        own: &[ReferenceOr<Parameter>],
    ) -> (Vec<Param>, Vec<Selector>) {
        let mut resolved: Vec<(Parameter, String)> = Vec::new();
        let path_pointer = pointer
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent)
            .to_owned();
        let candidates = shared
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    push_pointer(&push_pointer(&path_pointer, "parameters"), &i.to_string()),
                )
            })
            .chain(own.iter().enumerate().map(|(i, p)| {
                (
                    p,
                    push_pointer(&push_pointer(pointer, "parameters"), &i.to_string()),
                )
            }));
        for (parameter, at) in candidates {
            let Some(parameter) = self.resolve(parameter, &at) else {
                continue;
            };
            // An operation's parameter replaces the path item's of the same name and place.
            let key = |p: &Parameter| {
                (
                    location_of(p),
                    p.parameter_data_ref().name.to_ascii_lowercase(),
                )
            };
            resolved.retain(|(p, _)| key(p) != key(&parameter));
            resolved.push((parameter, at));
        }
        let selectors = resolved
            .iter()
            .filter_map(|(parameter, _)| self.selector(parameter))
            .collect();
        let mut scope = Scope::default();
        let params = resolved
            .into_iter()
            .filter_map(|(parameter, at)| self.param(prefix, &mut scope, &parameter, &at))
            .collect();
        (params, selectors)
    }

    /// `parameter` as a selector of its operation: when it is required, travels in a
    /// header or the query, and its schema is a string `enum` of one value.
    fn selector(&self, parameter: &Parameter) -> Option<Selector> {
        let data = parameter.parameter_data_ref();
        let location = location_of(parameter);
        let wire_name = match location {
            ParamLocation::Header => data.name.to_ascii_lowercase(),
            ParamLocation::Query => data.name.clone(),
            _ => return None,
        };
        if !data.required || IGNORED_HEADERS.contains(&wire_name.as_str()) {
            return None;
        }
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return None;
        };
        // A reference that does not resolve is reported where the parameter is lowered.
        let schema: Schema = match schema {
            ReferenceOr::Item(schema) => schema.clone(),
            ReferenceOr::Reference { reference } => {
                let target = self.document.pointer(reference.strip_prefix('#')?)?;
                serde::Deserialize::deserialize(target).ok()?
            }
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) = &schema.schema_kind
        else {
            return None;
        };
        let [Some(value)] = string.enumeration.as_slice() else {
            return None;
        };
        Some(Selector {
            location,
            wire_name,
            value: value.clone(),
        })
    }

    fn param(
        &mut self,
        prefix: &str,
        scope: &mut Scope,
        parameter: &Parameter,
        at: &str,
    ) -> Option<Param> {
        let data = parameter.parameter_data_ref();
        let location = location_of(parameter);
        if location == ParamLocation::Header
            && IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
        {
            return None;
        }
        if data.extensions.contains_key(crate::load::v32::QUERYSTRING) {
            return self.querystring_param(prefix, scope, data, at);
        }
        let wire_name = if location == ParamLocation::Header {
            data.name.to_ascii_lowercase()
        } else {
            data.name.clone()
        };
        let (schema, schema_at) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (schema, push_pointer(at, "schema")),
            ParameterSchemaOrContent::Content(content) => {
                let (media, media_type) = content.iter().next()?;
                let media_at = push_pointer(&push_pointer(at, "content"), media);
                let schema_at = push_pointer(&media_at, "schema");
                if apigen_runtime::media::is_json(media) {
                    // The value travels as its JSON text (apideck's `x-apideck-metadata`).
                    let (ty, constraints) = match &media_type.schema {
                        Some(schema) => self.types.lowered(
                            schema,
                            &format!("{prefix}{}", type_name(&data.name)),
                            &schema_at,
                        ),
                        None => (Type::Json, Constraints::default()),
                    };
                    let ty = match ty {
                        Type::Option(inner) => *inner,
                        ty => ty,
                    };
                    return Some(Param {
                        constraints,
                        name: scope.unique(field_name(&data.name)),
                        wire_name,
                        location,
                        ty,
                        required: data.required || location == ParamLocation::Path,
                        style: style_of(parameter),
                        explode: false,
                        list: false,
                        object: None,
                        json: true,
                        docs: format!("{}\n\nIt travels as its JSON text.", param_docs(data)),
                        deprecated: data.deprecated.unwrap_or(false),
                    });
                }
                // Another media type: a string is its own text; anything else has no
                // text form the generated code could write or read.
                match &media_type.schema {
                    Some(schema)
                        if self
                            .schema(schema)
                            .is_some_and(|schema| is_string_schema(&schema)) =>
                    {
                        (schema, schema_at)
                    }
                    _ => {
                        self.errors.push(
                            Error::at_pointer(self.file, &media_at, format!("parameter `{}` is described by `content: {media}` with a schema that is not a string, which has no text form to travel in", data.name))
                                .help("describe the value as `content: {application/json: {schema: ...}}` (it then travels as its JSON text), or as `schema: {type: string}`"),
                        );
                        return None;
                    }
                }
            }
        };
        let (ty, constraints) = self.types.lowered(
            schema,
            &format!("{prefix}{}", type_name(&data.name)),
            &schema_at,
        );
        let ty = match ty {
            Type::Option(inner) => *inner,
            ty => ty,
        };
        let style = style_of(parameter);
        if style == Style::DeepObject {
            return self.deep_object_param(scope, parameter, ty, constraints);
        }
        // A value of any type, or one of several (GitHub's `cwes`: a string or an array
        // of strings), has no one text form to write it in: it travels as the text the
        // caller gives, written as the parameter's description says.
        let raw = matches!(ty, Type::Json) || self.types.is_union(&ty);
        let ty = if raw { Type::String } else { ty };
        // `form` explodes by default, every other style does not.
        let explode = data.explode.unwrap_or(style == Style::Form);
        let (ty, list) = match ty {
            Type::Vec(item) => (*item, true),
            ty => (ty, false),
        };
        // An object of scalars travels in its style's own form: `style: form` in the
        // query and cookies, `simple` in headers, `simple`, `label` or `matrix` in the
        // path (the OpenAPI style table).
        let object_style = match location {
            ParamLocation::Query | ParamLocation::Cookie => style == Style::Form,
            ParamLocation::Header | ParamLocation::Path => true,
        };
        if !list
            && object_style
            && !self.types.is_param_scalar(&ty)
            && let Some(members) = self.form_object_members(schema, false)
        {
            // A cookie holds one `name=value`: its object is never exploded.
            let explode = explode && location != ParamLocation::Cookie;
            if explode && members.is_empty() && location == ParamLocation::Query {
                self.errors.push(
                    Error::at_pointer(self.file, at, format!("parameter `{}` is a map in `style: form` exploded, whose members could not be told from the query's other parameters", data.name))
                        .help("write `explode: false` (`name=key,value,key,value`) or `style: deepObject` (`name[key]=value`)"),
                );
                return None;
            }
            return Some(Param {
                constraints,
                name: scope.unique(field_name(&data.name)),
                wire_name,
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                style,
                explode,
                list: false,
                object: Some(members),
                json: false,
                docs: param_docs(data),
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        if location == ParamLocation::Query && !self.types.is_param_scalar(&ty) {
            // OpenAPI leaves `form` nesting undefined (objects of objects, arrays of
            // objects): such a value travels in `deepObject` brackets (`sort_by[key]=desc`,
            // `timeline[0][id]=1`), the form qs (Express), Rack (Rails) and PHP read, and
            // the one documents that write such values spell out (Files.com's `sort_by`).
            let what = if list {
                "an array of objects or arrays"
            } else {
                "an object of other than scalars"
            };
            let name = &data.name;
            let mut warning = Error::at_pointer(
                self.file,
                at,
                format!("query parameter `{name}` is {what} in `style: form`, which OpenAPI leaves undefined: it travels in deepObject brackets (`{name}[key]=value`, `{name}[0][key]=value`)"),
            )
            .help("write `style: deepObject` to say so, or describe the value as text");
            warning.kind = Some("nested form query".to_owned());
            self.warnings.push(warning);
            let ty = if list { Type::Vec(Box::new(ty)) } else { ty };
            return self.deep_object_param(scope, parameter, ty, constraints);
        }
        if !self.types.is_param_scalar(&ty) {
            let where_ = match location {
                ParamLocation::Path => "path",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
                ParamLocation::Query => "query",
            };
            let what = if list {
                "an array of objects or arrays"
            } else {
                "an object of other than scalars, or a nested array"
            };
            self.errors.push(
                Error::at_pointer(self.file, at, format!("{where_} parameter `{}` is {what}, for which OpenAPI defines no serialisation in `style: {}`", data.name, style_name(style)))
                    .help("describe it with `content: {application/json: {schema: ...}}` instead of `schema` (it then travels as its JSON text), or make it a scalar, an array of scalars or an object of scalars"),
            );
            return None;
        }
        // A cookie holds one `name=value`: an array in it is comma-separated, exploded or not.
        let explode = explode && location != ParamLocation::Cookie;
        // A single value in the query is written alike in every style.
        let style = if !list && location == ParamLocation::Query {
            Style::Form
        } else {
            style
        };
        Some(Param {
            constraints,
            name: scope.unique(field_name(&data.name)),
            wire_name,
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            style,
            explode,
            list,
            object: None,
            json: false,
            docs: if raw {
                format!(
                    "{}\n\nThe document gives no single type for this value: it travels as the text given.",
                    param_docs(data)
                )
            } else {
                param_docs(data)
            },
            deprecated: data.deprecated.unwrap_or(false),
        })
    }

    /// Lowers a query parameter with `style: deepObject`, of type `ty`: any value, written
    /// as `name[key]=value` pairs for an object's members, `name[0]=value` for an array's
    /// items (nested alike, as Stripe reads them), `name=value` for a scalar.
    /// A 3.2 parameter `in: querystring`: the whole query string, described by its
    /// `content`, one value in the params struct, read and written whole. A form
    /// (`application/x-www-form-urlencoded`) of an object of scalars is the object's
    /// members as pairs of their own (`q=rust&limit=10`), which is what an exploded form
    /// object in the query is, an array member's items each a pair
    /// (`colors=red&colors=blue`, the form's default encoding); JSON is the value's JSON text, percent-encoded.
    fn querystring_param(
        &mut self,
        prefix: &str,
        scope: &mut Scope,
        data: &openapiv3::ParameterData,
        at: &str,
    ) -> Option<Param> {
        let refuse = |why: String| {
            Error::at_pointer(self.file, at, why).help(
                "describe the query string as `content: {application/x-www-form-urlencoded: {schema: <an object of scalars or arrays of scalars>}}`",
            )
        };
        let content = match &data.format {
            ParameterSchemaOrContent::Content(content) if content.len() == 1 => content,
            _ => {
                self.errors.push(refuse(format!(
                    "querystring parameter `{}` must be described by `content` with one media type",
                    data.name
                )));
                return None;
            }
        };
        let (media_type, media) = content.iter().next()?;
        let essence = media_type
            .split(';')
            .next()
            .map(str::trim)
            .unwrap_or_default();
        let form = essence == "application/x-www-form-urlencoded";
        let json = essence == "application/json" || essence.ends_with("+json");
        let members = match &media.schema {
            Some(schema) if form => self
                .form_object_members(schema, true)
                .filter(|members| !members.is_empty()),
            _ => None,
        };
        let schema = match &media.schema {
            Some(schema) if members.is_some() || json => schema,
            _ => {
                self.errors.push(refuse(format!(
                    "querystring parameter `{}` is `{media_type}` {}: a form (`application/x-www-form-urlencoded`) of an object whose properties are scalars or arrays of scalars, or JSON, is read and written here",
                    data.name,
                    if media.schema.is_none() { "without a `schema`" } else { "of another shape" }
                )));
                return None;
            }
        };
        let at = push_pointer(
            &push_pointer(&push_pointer(at, "content"), media_type),
            "schema",
        );
        let (ty, constraints) =
            self.types
                .lowered(schema, &format!("{prefix}{}", type_name(&data.name)), &at);
        let ty = match ty {
            Type::Option(inner) => *inner,
            ty => ty,
        };
        let (style, explode) = if members.is_some() {
            (Style::Form, true)
        } else {
            (Style::JsonQueryString, false)
        };
        Some(Param {
            constraints,
            name: scope.unique(field_name(&data.name)),
            wire_name: data.name.clone(),
            location: ParamLocation::Query,
            ty,
            required: data.required,
            style,
            explode,
            list: false,
            object: members,
            // The whole query string's JSON text, not a `name=<JSON>` pair (`style`).
            json: false,
            docs: param_docs(data),
            deprecated: data.deprecated.unwrap_or(false),
        })
    }

    fn deep_object_param(
        &mut self,
        scope: &mut Scope,
        parameter: &Parameter,
        ty: Type,
        constraints: Constraints,
    ) -> Option<Param> {
        let data = parameter.parameter_data_ref();
        Some(Param {
            constraints,
            name: scope.unique(field_name(&data.name)),
            wire_name: data.name.clone(),
            location: ParamLocation::Query,
            ty,
            required: data.required,
            style: Style::DeepObject,
            explode: true,
            list: false,
            object: None,
            json: false,
            docs: param_docs(data),
            deprecated: data.deprecated.unwrap_or(false),
        })
    }

    /// The members of an object of scalars, for a query parameter in `style: form`: its
    /// properties' wire names (`allOf` parts merged), or none for a map of scalars;
    /// `None` when it is not such an object.
    ///
    /// With `repeated`, a member may also be an array of scalars, written as its name
    /// repeated (`colors=red&colors=blue`): a form's own encoding of arrays (`style:
    /// form`, exploded), defined for a querystring's form content; a parameter `in:
    /// query` has no serialisation for it.
    fn form_object_members(
        &self,
        schema: &ReferenceOr<Schema>,
        repeated: bool,
    ) -> Option<Vec<String>> {
        if let Some(object) = self.object_schema(schema, "") {
            let scalars = object.properties.iter().all(|(_, member, _)| {
                if repeated {
                    self.is_form_field(member)
                } else {
                    super::bodies::is_scalar_schema(self.schema(member).as_ref())
                }
            });
            return scalars.then(|| {
                object
                    .properties
                    .into_iter()
                    .map(|(wire, ..)| wire)
                    .collect()
            });
        }
        match self.schema(schema)?.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => {
                match object.additional_properties {
                    Some(openapiv3::AdditionalProperties::Schema(member))
                        if super::bodies::is_scalar_schema(self.schema(&member).as_ref()) =>
                    {
                        Some(Vec::new())
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The schema `schema` is or refers to, if it can be read.
    pub(super) fn schema(&self, schema: &ReferenceOr<Schema>) -> Option<Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema.clone()),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix('#')
                .and_then(|fragment| self.document.pointer(fragment))
                .and_then(|value| serde::Deserialize::deserialize(value).ok()),
        }
    }

    /// The responses of an operation. Those of a `head` operation have no body whatever
    /// their `content` says: a response to HEAD never carries one (RFC 9110 §9.3.2), so a
    /// client decoding one would fail on every call (Swagger 2.0's global `produces`
    /// gives AutoRest's HEAD operations a JSON body).
    fn responses(
        &mut self,
        prefix: &str,
        pointer: &str,
        responses: &openapiv3::Responses,
        head: bool,
    ) -> Vec<Response> {
        let at = push_pointer(pointer, "responses");
        let mut scope = Scope::default();
        let listed = responses.responses.iter().map(|(status, response)| {
            let spec = match status {
                openapiv3::StatusCode::Code(code) => StatusSpec::Code(*code),
                openapiv3::StatusCode::Range(hundreds) => StatusSpec::Range(*hundreds),
            };
            (spec, status.to_string(), response)
        });
        let default = responses
            .default
            .iter()
            .map(|response| (StatusSpec::Default, "default".to_owned(), response));
        let all: Vec<_> = listed.chain(default).collect();
        all.into_iter()
            .filter_map(|(status, key, response)| {
                let at = push_pointer(&at, &key);
                // Where the response object stands: in place, or where its `$ref` points.
                let holder = match response {
                    ReferenceOr::Reference { reference } => {
                        reference.strip_prefix('#').unwrap_or_default().to_owned()
                    }
                    ReferenceOr::Item(_) => at.clone(),
                };
                let response = self.resolve(response, &at)?;
                let variant = scope.unique(status_variant(status));
                let headers = self.response_headers(prefix, &variant, &at, &response.headers);
                let stream = (!head)
                    .then(|| {
                        self.item_stream(
                            &response.content,
                            &holder,
                            &format!("{prefix}{variant}Item"),
                        )
                    })
                    .flatten();
                let body = if head {
                    ResponseBody::Empty
                } else if let Some(stream) = stream {
                    ResponseBody::Stream(stream)
                } else {
                    match response
                        .content
                        .iter()
                        .find(|(media, _)| apigen_runtime::media::is_json(media))
                    {
                        Some((media, content)) => ResponseBody::Json(match &content.schema {
                            Some(schema) => self.types.type_of(
                                schema,
                                &format!("{prefix}{variant}Body"),
                                &push_pointer(
                                    &push_pointer(&push_pointer(&at, "content"), media),
                                    "schema",
                                ),
                            ),
                            None => Type::Json,
                        }),
                        None => match response.content.keys().next() {
                            None => ResponseBody::Empty,
                            Some(media) if media.starts_with("text/") => ResponseBody::Text,
                            Some(media) => ResponseBody::Binary(media.clone()),
                        },
                    }
                };
                Some(Response {
                    status,
                    variant,
                    body,
                    headers,
                    docs: response.description.clone(),
                })
            })
            .collect()
    }

    /// The documented headers of the response `variant` at `at`. A header whose schema is
    /// not a scalar or an array of scalars (or that is described by `content`) is read as
    /// its raw text, which is always what it holds.
    fn response_headers(
        &mut self,
        prefix: &str,
        variant: &str,
        at: &str,
        headers: &indexmap::IndexMap<String, ReferenceOr<openapiv3::Header>>,
    ) -> Vec<ResponseHeader> {
        let mut scope = Scope::default();
        headers
            .iter()
            .filter(|(name, _)| {
                !IGNORED_RESPONSE_HEADERS.contains(&name.to_ascii_lowercase().as_str())
            })
            .filter_map(|(name, header)| {
                let at = push_pointer(&push_pointer(at, "headers"), name);
                let header = self.resolve(header, &at)?;
                if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
                    self.errors.push(
                        Error::at_pointer(
                            self.file,
                            &at,
                            format!("`{name}` is not a valid header name"),
                        )
                        .help("header names are letters, digits and `-` (RFC 9110 tokens)"),
                    );
                    return None;
                }
                let ty = match &header.format {
                    ParameterSchemaOrContent::Schema(schema) => self.types.type_of(
                        schema,
                        &format!("{prefix}{variant}{}", type_name(name)),
                        &push_pointer(&at, "schema"),
                    ),
                    ParameterSchemaOrContent::Content(_) => Type::String,
                };
                let ty = match ty {
                    Type::Option(inner) => *inner,
                    ty => ty,
                };
                let (ty, list) = match ty {
                    Type::Vec(item) if self.types.is_param_scalar(&item) => (*item, true),
                    ty if self.types.is_param_scalar(&ty) => (ty, false),
                    _ => (Type::String, false),
                };
                let mut docs = header
                    .description
                    .clone()
                    .unwrap_or_else(|| format!("The `{name}` header."));
                if header.deprecated == Some(true) {
                    docs = format!("**Deprecated** by the document.\n\n{docs}");
                }
                Some(ResponseHeader {
                    name: scope.unique(field_name(name)),
                    wire_name: name.to_ascii_lowercase(),
                    ty,
                    list,
                    required: header.required,
                    docs,
                })
            })
            .collect()
    }

    fn security(
        &mut self,
        pointer: &str,
        requirements: Option<&Vec<SecurityRequirement>>,
    ) -> Security {
        let Some(requirements) = requirements.filter(|r| !r.is_empty()) else {
            return Security::None;
        };
        let alternatives: Vec<Vec<usize>> = requirements
            .iter()
            .map(|requirement| {
                requirement
                    .keys()
                    .filter_map(|key| {
                        let index = self.schemes.iter().position(|scheme| &scheme.key == key);
                        if index.is_none() {
                            self.errors.push(
                                Error::at_pointer(self.file, &push_pointer(pointer, "security"), format!("security scheme `{key}` is not defined or not supported"))
                                    .help("define it under `components/securitySchemes` (apiKey, http bearer or basic, oauth2 or openIdConnect)"),
                            );
                        }
                        index
                    })
                    .collect()
            })
            .collect();
        // Alternatives that differ only in their OAuth scopes (Google's documents list
        // one per scope) are one alternative here: scopes are the service's business.
        let mut distinct: Vec<Vec<usize>> = Vec::new();
        for alternative in alternatives {
            if !distinct.contains(&alternative) {
                distinct.push(alternative);
            }
        }
        Security::Required(distinct)
    }
}

/// A style's name as a document writes it.
fn style_name(style: Style) -> &'static str {
    match style {
        Style::Simple => "simple",
        Style::Label => "label",
        Style::Matrix => "matrix",
        Style::Form => "form",
        Style::SpaceDelimited => "spaceDelimited",
        Style::PipeDelimited => "pipeDelimited",
        Style::DeepObject => "deepObject",
        // A query string has no style of its own; its messages never name one.
        Style::JsonQueryString => "form",
    }
}

/// Whether `schema` is a string (`type: string`, of any format).
fn is_string_schema(schema: &Schema) -> bool {
    match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::String(_)) => true,
        openapiv3::SchemaKind::Any(any) => any.typ.as_deref() == Some("string"),
        _ => false,
    }
}

/// A parameter's rustdoc: its description, else a line naming it.
fn param_docs(data: &openapiv3::ParameterData) -> String {
    data.description
        .clone()
        .unwrap_or_else(|| format!("The `{}` parameter.", data.name))
}

/// A parameter's style: the document's, or its location's default.
fn style_of(parameter: &Parameter) -> Style {
    match parameter {
        Parameter::Path { style, .. } => match style {
            PathStyle::Simple => Style::Simple,
            PathStyle::Label => Style::Label,
            PathStyle::Matrix => Style::Matrix,
        },
        Parameter::Query { style, .. } => match style {
            QueryStyle::Form => Style::Form,
            QueryStyle::SpaceDelimited => Style::SpaceDelimited,
            QueryStyle::PipeDelimited => Style::PipeDelimited,
            QueryStyle::DeepObject => Style::DeepObject,
        },
        Parameter::Header { .. } => Style::Simple,
        Parameter::Cookie { .. } => Style::Form,
    }
}

fn location_of(parameter: &Parameter) -> ParamLocation {
    match parameter {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// The variant name of a response: the status's reason phrase (`NotFound`), else the code.
fn status_variant(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|status| status.canonical_reason())
            .map_or_else(|| format!("Status{code}"), variant_name),
        StatusSpec::Range(hundreds) => format!("Status{hundreds}xx"),
        StatusSpec::Default => "Default".to_owned(),
    }
}

/// A name for an operation without `operationId`: `GET /users/{id}/posts` -> `get_users_id_posts`.
fn derived_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect();
    if words.is_empty() {
        format!("{method}_root")
    } else {
        format!("{method}_{}", words.join("_"))
    }
}

/// Splits a path template into segments. A segment holds one parameter with literal
/// text around it (`xuid({xuid})`), or several, separated by literal text
/// (`{base}...{head}`) or touching (`{id}{ext}`, told apart by the first's shape once the
/// parameters are known: see `Operations::touching`).
pub fn segments(path: &str) -> Result<Vec<Segment>, String> {
    path.split('/').skip(1).map(segment).collect()
}

fn segment(segment: &str) -> Result<Segment, String> {
    let mut literals = Vec::new();
    let mut names = Vec::new();
    let mut rest = segment;
    loop {
        let open = rest.find('{');
        let close = rest.find('}');
        match (open, close) {
            (None, None) => {
                literals.push(rest.to_owned());
                break;
            }
            (Some(open), Some(close)) if open < close => {
                let name = &rest[open + 1..close];
                if name.is_empty() || name.contains('{') {
                    return Err(format!(
                        "path segment `{segment}` has a malformed `{{name}}`"
                    ));
                }
                literals.push(rest[..open].to_owned());
                names.push(name.to_owned());
                rest = &rest[close + 1..];
            }
            (Some(_), None) => return Err(format!("unclosed `{{` in path segment `{segment}`")),
            _ => return Err(format!("unbalanced `}}` in path segment `{segment}`")),
        }
    }
    Ok(match names.len() {
        0 => Segment::Literal(segment.to_owned()),
        1 => Segment::Param {
            prefix: literals[0].clone(),
            name: names.remove(0),
            suffix: literals[1].clone(),
        },
        _ => Segment::Params {
            literals,
            names,
            patterns: Vec::new(),
        },
    })
}

/// `text` as an ECMA-262 pattern matching exactly it: every character that has a meaning
/// in a pattern escaped.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}-".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Joins a summary and a description into rustdoc.
///
/// A blank text says nothing (Twilio and Zuora write `description: ""`): the item then
/// gets its fallback documentation, not an empty one, which rustdoc would count as
/// missing.
pub fn docs(summary: Option<&str>, description: Option<&str>) -> Option<String> {
    let summary = summary.filter(|text| !text.trim().is_empty());
    let description = description.filter(|text| !text.trim().is_empty());
    match (summary, description) {
        (Some(summary), Some(description)) if summary.trim() != description.trim() => {
            Some(format!("{summary}\n\n{description}"))
        }
        (Some(text), _) | (None, Some(text)) => Some(text.to_owned()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Service;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n";

    fn lowered(paths: &str) -> Result<Service, String> {
        let yaml = format!("{HEAD}{paths}");
        let document = crate::load::parse(Path::new("api.yaml"), &yaml)
            .unwrap_or_else(|errors| panic!("{errors}"));
        super::super::lower(&document, "api", "openapi/api.yaml")
            .map_err(|errors| errors.to_string())
    }

    fn service(paths: &str) -> Service {
        lowered(paths).unwrap_or_else(|errors| panic!("{errors}"))
    }

    #[test]
    fn response_headers_are_typed_and_content_type_is_ignored() {
        let service = service(
            "  /x:
    get:
      responses:
        '200':
          description: ok
          headers:
            Content-Type: {schema: {type: string}}
            Content-Length: {schema: {type: integer}}
            X-Rate-Limit: {required: true, schema: {type: integer, format: int32}}
            X-Tags: {schema: {type: array, items: {type: string}}}
            X-Shape: {schema: {type: object, properties: {a: {type: string}}}}
",
        );
        let headers: Vec<(&str, &str, &Type, bool, bool)> = service.operations[0].responses[0]
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.as_str(),
                    h.wire_name.as_str(),
                    &h.ty,
                    h.list,
                    h.required,
                )
            })
            .collect();
        assert_eq!(
            headers,
            [
                ("x_rate_limit", "x-rate-limit", &Type::I32, false, true),
                ("x_tags", "x-tags", &Type::String, true, false),
                ("x_shape", "x-shape", &Type::String, false, false),
            ],
            "an object is read as its raw text"
        );
    }

    #[test]
    fn path_and_header_arrays_take_their_style_and_its_explode_default() {
        let service = service(
            "  /x/{a}/{b}/{c}:
    get:
      parameters:
        - {name: a, in: path, required: true, schema: {type: array, items: {type: integer}}}
        - {name: b, in: path, required: true, style: label, explode: true, schema: {type: array, items: {type: string}}}
        - {name: c, in: path, required: true, style: matrix, schema: {type: number}}
        - {name: d, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - {name: e, in: query, style: spaceDelimited, schema: {type: string}}
        - {name: X-F, in: header, schema: {type: array, items: {type: boolean}}}
      deprecated: true
      description: '  Use y.  '
      responses: {'204': {description: ok}}
",
        );
        let op = &service.operations[0];
        let styles: Vec<(&str, Style, bool, bool)> = op
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.style, p.explode, p.list))
            .collect();
        assert_eq!(
            styles,
            [
                ("a", Style::Simple, false, true),
                ("b", Style::Label, true, true),
                ("c", Style::Matrix, false, false),
                ("d", Style::PipeDelimited, false, true),
                ("e", Style::Form, false, false),
                ("x_f", Style::Simple, false, true),
            ],
            "a single query value is written alike in every style"
        );
        assert_eq!(op.deprecation_note.as_deref(), Some("Use y."));
    }

    #[test]
    fn a_parameter_can_sit_inside_a_segment() {
        assert_eq!(
            segments("/users/xuid({xuid})").unwrap(),
            [
                Segment::Literal("users".to_owned()),
                Segment::Param {
                    prefix: "xuid(".to_owned(),
                    name: "xuid".to_owned(),
                    suffix: ")".to_owned()
                }
            ]
        );
        assert!(
            matches!(&segments("/a/{x}{y}").unwrap()[1], Segment::Params { literals, .. } if literals[1].is_empty()),
            "touching values are told apart later, by the first's shape"
        );
        assert_eq!(
            segments("/compare/{base}...{head}").unwrap()[1],
            Segment::Params {
                literals: vec![String::new(), "...".to_owned(), String::new()],
                names: vec!["base".to_owned(), "head".to_owned()],
                patterns: Vec::new(),
            }
        );
        assert!(segments("/a/{x").is_err());
    }

    #[test]
    fn a_response_to_head_has_no_body_whatever_its_content_says() {
        let service = service(
            "  /things:
    head:
      operationId: checkThings
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
    get:
      operationId: listThings
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
",
        );
        let bodies: Vec<(&str, bool)> = service
            .operations
            .iter()
            .map(|op| {
                let empty = matches!(op.responses[0].body, ResponseBody::Empty);
                (op.id.as_str(), empty)
            })
            .collect();
        assert_eq!(bodies, [("listThings", false), ("checkThings", true)]);
    }

    #[test]
    fn responses_are_named_after_their_status() {
        assert_eq!(status_variant(StatusSpec::Code(200)), "Ok");
        assert_eq!(status_variant(StatusSpec::Code(429)), "TooManyRequests");
        assert_eq!(status_variant(StatusSpec::Code(599)), "Status599");
        assert_eq!(status_variant(StatusSpec::Range(4)), "Status4xx");
        assert_eq!(derived_id("get", "/users/{id}/posts"), "get_users_id_posts");
    }
}
