//! The Rust-shaped model of one service, produced by [`crate::lower`] and read by the
//! emitters.
//!
//! Every decision about names and types has been taken by the time a value of these
//! types exists: identifiers are final, types are Rust types. The emitters only spell
//! the model out; they never look at the OpenAPI document.

use std::cmp::Ordering;

/// One service: one document, one generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The crate's package name (`groove-music`), from the document's file name.
    pub crate_name: String,
    /// The server trait's name (`GrooveMusic`).
    pub trait_name: String,
    /// The name of the trait receiving the document's webhooks (`GrooveMusicWebhooks`).
    pub webhooks_trait_name: String,
    /// The document path shown in generated headers (`openapi/groove-music.yaml`).
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`, if any.
    pub description: Option<String>,
    /// The servers, in document order.
    pub servers: Vec<Server>,
    /// The path of the first server's URL (`/crafter-profile`), empty for none: where a
    /// deployment mounts the router.
    pub base_path: String,
    /// Named types, in a deterministic order (components first, then inline types in the
    /// order they were met).
    pub types: Vec<TypeDef>,
    /// The security schemes operations refer to, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The operations, in document order (paths, then methods in a fixed order), then
    /// the webhooks (see [`Operation::webhook`]).
    pub operations: Vec<Operation>,
    /// The bundled document, as pretty JSON, embedded in the crate.
    pub document_json: String,
    /// The same document as YAML, embedded in the crate beside the JSON.
    pub document_yaml: String,
    /// Where the runtime crate is, relative to the generated crate's folder.
    pub runtime_path: String,
    /// What lowering found wrong but worked around (a security scheme `security` names
    /// and the document never defines), for the user to fix.
    pub warnings: Vec<crate::Error>,
}

/// A server the API is reachable at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL with every variable replaced by its default.
    pub url: String,
    /// Its description, if any.
    pub description: Option<String>,
}

/// A Rust type, as used by fields, parameters and bodies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// An RFC 3339 date-time that keeps its offset, and the text it was read from
    /// (`apigen_runtime::DateTime`).
    DateTime,
    /// A calendar date (`YYYY-MM-DD`).
    Date,
    /// A UUID.
    Uuid,
    /// Raw bytes (a binary body).
    Bytes,
    /// Bytes written as base64 text (`format: byte`).
    Base64,
    /// Any JSON value.
    Json,
    /// A JSON object of anything (`serde_json::Map`).
    JsonObject,
    /// `Vec<T>`.
    Vec(Box<Type>),
    /// A map with string keys, ordered (`BTreeMap<String, T>`).
    Map(Box<Type>),
    /// `Option<T>`.
    Option(Box<Type>),
    /// `Box<T>`, to break a recursive type.
    Box(Box<Type>),
    /// A tuple `(A, B)`: a JSON array of exactly these items (3.1 `prefixItems`).
    Tuple(Vec<Type>),
    /// No value at all (the `false` schema): reading one always fails.
    Never,
    /// A type defined in the crate's `types` module.
    Named(String),
}

impl Type {
    /// The named types this type holds, directly or inside `Option`, `Vec`, maps and
    /// boxes: the types whose values a value of this type contains.
    pub fn named(&self) -> Vec<&str> {
        match self {
            Type::Named(name) => vec![name.as_str()],
            Type::Option(inner) | Type::Vec(inner) | Type::Map(inner) | Type::Box(inner) => {
                inner.named()
            }
            Type::Tuple(items) => items.iter().flat_map(Type::named).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether a value of this type can be read from and written to a single parameter
    /// text through `ParamValue`.
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self,
            Type::Json
                | Type::JsonObject
                | Type::Vec(_)
                | Type::Map(_)
                | Type::Option(_)
                | Type::Box(_)
                | Type::Bytes
                | Type::Tuple(_)
                | Type::Never
        )
    }
}

/// A named type of the `types` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name (`UserProfileResponse`).
    pub name: String,
    /// Documentation, from the schema's title and description.
    pub docs: String,
    /// Whether the schema is `deprecated`.
    pub deprecated: bool,
    /// Its shape.
    pub kind: TypeKind,
    /// What a value of this type must satisfy beyond its Rust type, wherever it is used:
    /// the validation keywords of a schema that names a string, a number or an array
    /// (`Code = String` with `minLength: 2`). The type keeps them, so that a reference
    /// keeps them too (`allOf: [$ref Code, {description}]` included); places that use the
    /// type add their own ([`Constraints::and`]).
    pub constraints: Constraints,
}

/// The shape of a named type. Two shapes are equal when they are written out the same
/// (lowering gives structurally identical inline schemas one type by it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct {
        /// The fields, in document order.
        fields: Vec<Field>,
        /// The type of additional properties, kept in a flattened map, if allowed.
        additional: Option<Type>,
        /// Whether every field has a default (so the struct can derive `Default`).
        default: bool,
        /// 3.1 `dependentRequired`: when the member named first (by its wire name) is
        /// present, the members listed after it must be too.
        dependent_required: Vec<(String, Vec<String>)>,
    },
    /// A string enumeration.
    Enum {
        /// The known values.
        variants: Vec<EnumVariant>,
        /// Whether other values may appear (`x-extensible-enum`). Every enum has an
        /// `Unknown(String)` variant, so that a client keeps working when a service adds
        /// a value; a server refuses it in requests unless the enum is open.
        open: bool,
    },
    /// `oneOf`/`anyOf`: one of several types.
    Union {
        /// The alternatives.
        variants: Vec<UnionVariant>,
        /// The property naming the alternative, when the document gives a discriminator
        /// and every alternative is a named schema (so each has a tag value); the union
        /// is untagged otherwise.
        tag: Option<String>,
    },
    /// Another name for a type (`pub type Name = T;`).
    Alias(Type),
    /// A wrapper around a type (`pub struct Name(pub T);`, transparent on the wire): an
    /// alias that would contain itself (`Tree = Vec<Tree>`), which Rust's type aliases
    /// cannot.
    Newtype(Type),
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The Rust name (`is_subscription_available_for_purchase`, `r#type`).
    pub name: String,
    /// The property's name on the wire.
    pub wire_name: String,
    /// Its type, `Option` included where the property is optional or nullable.
    pub ty: Type,
    /// Whether the property may be absent (so it is skipped when `None`).
    pub optional: bool,
    /// What the value must satisfy beyond its type.
    pub constraints: Constraints,
    /// Documentation.
    pub docs: String,
    /// Whether the property is `deprecated`.
    pub deprecated: bool,
}

/// What a value must satisfy beyond its Rust type (JSON Schema validation keywords);
/// a server checks them before calling the service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`, when the `regex` crate can compile it.
    pub pattern: Option<String>,
    /// `minimum` (with `exclusiveMinimum`).
    pub minimum: Option<Bound>,
    /// `maximum` (with `exclusiveMaximum`).
    pub maximum: Option<Bound>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// The constraints of an array's items.
    pub items: Option<Box<Constraints>>,
    /// An integer's `enum`: the values it may take. (String enums are Rust enums.)
    pub integers: Option<Vec<i128>>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// What a value of `ty` placed under `self` must satisfy: `self`, and the
    /// constraints of every alias `ty` names on its way to the type it stands for
    /// (`alias` gives what an alias stands for and its constraints); with that type.
    pub fn through_aliases<'a>(
        self,
        mut ty: &'a Type,
        alias: impl Fn(&str) -> Option<(&'a Type, &'a Constraints)>,
    ) -> (&'a Type, Constraints) {
        let mut all = self;
        // Lowering refuses a cycle of aliases: the bound is a safeguard.
        for _ in 0..64 {
            let Type::Named(name) = ty else { break };
            let Some((target, constraints)) = alias(name) else {
                break;
            };
            all = all.and(constraints.clone());
            ty = target;
        }
        (ty, all)
    }

    /// What a value satisfying both `self` and `other` satisfies (the parts of an `allOf`,
    /// a place and the named type it uses): the tighter of each bound, the values both
    /// allow.
    #[must_use]
    pub fn and(self, other: Constraints) -> Constraints {
        fn tighter<T>(a: Option<T>, b: Option<T>, pick: impl FnOnce(T, T) -> T) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => Some(pick(a, b)),
                (a, b) => a.or(b),
            }
        }
        // Integers compare exactly; of two equal bounds the exclusive one is the tighter.
        let order = |x: &Bound, y: &Bound| match (x.value, y.value) {
            (Number::Integer(x), Number::Integer(y)) => x.cmp(&y),
            _ => x.as_f64().total_cmp(&y.as_f64()),
        };
        let lower = |x: Bound, y: Bound| match order(&x, &y) {
            Ordering::Less => y,
            Ordering::Greater => x,
            Ordering::Equal if y.exclusive => y,
            Ordering::Equal => x,
        };
        let upper = |x: Bound, y: Bound| match order(&x, &y) {
            Ordering::Greater => y,
            Ordering::Less => x,
            Ordering::Equal if y.exclusive => y,
            Ordering::Equal => x,
        };
        Constraints {
            min_length: tighter(self.min_length, other.min_length, u64::max),
            max_length: tighter(self.max_length, other.max_length, u64::min),
            // Two patterns cannot be made one: the first is enforced.
            pattern: self.pattern.or(other.pattern),
            minimum: tighter(self.minimum, other.minimum, lower),
            maximum: tighter(self.maximum, other.maximum, upper),
            min_items: tighter(self.min_items, other.min_items, u64::max),
            max_items: tighter(self.max_items, other.max_items, u64::min),
            items: tighter(self.items, other.items, |x, y| Box::new(x.and(*y))),
            integers: tighter(self.integers, other.integers, |x, y| {
                x.into_iter().filter(|v| y.contains(v)).collect()
            }),
        }
    }
}

/// A `minimum` or `maximum` as the document writes it: an integer exactly (a bound of
/// `2^64 - 1` is not rounded to `2^64`), and whether it is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bound {
    /// The bound.
    pub value: Number,
    /// Whether the value itself is excluded (`exclusiveMinimum`/`exclusiveMaximum`).
    pub exclusive: bool,
}

/// A number of the document: an integer exactly when it is written as one.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    /// An integer (every JSON integer an `i64` or `u64` holds).
    Integer(i128),
    /// Any other number.
    Float(f64),
}

/// Numbers are equal when they are written the same: a float by its bits, so that
/// `-0.0` and `0.0`, which generated code writes differently, are two numbers (and a
/// number equals itself, so types holding one can be `Eq` and hashed).
impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Integer(x), Number::Integer(y)) => x == y,
            (Number::Float(x), Number::Float(y)) => x.to_bits() == y.to_bits(),
            _ => false,
        }
    }
}

impl Eq for Number {}

impl std::hash::Hash for Number {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Number::Integer(value) => (0u8, value).hash(state),
            Number::Float(value) => (1u8, value.to_bits()).hash(state),
        }
    }
}

impl Bound {
    /// The bound as a JSON Schema validator compares it, an `f64`.
    pub fn as_f64(self) -> f64 {
        match self.value {
            #[allow(
                clippy::cast_precision_loss,
                reason = "compared with floating-point values, as JSON Schema does"
            )]
            Number::Integer(value) => value as f64,
            Number::Float(value) => value,
        }
    }

    /// As a lower bound of an integer: the least integer it admits.
    pub fn least_integer(self) -> i128 {
        match self.value {
            Number::Integer(value) => value + i128::from(self.exclusive),
            #[allow(
                clippy::cast_possible_truncation,
                reason = "a float bound is whole here, and `as` saturates beyond i128"
            )]
            Number::Float(value) if self.exclusive => (value.floor() as i128).saturating_add(1),
            #[allow(clippy::cast_possible_truncation, reason = "as above")]
            Number::Float(value) => value.ceil() as i128,
        }
    }

    /// As an upper bound of an integer: the greatest integer it admits.
    pub fn most_integer(self) -> i128 {
        match self.value {
            Number::Integer(value) => value - i128::from(self.exclusive),
            #[allow(clippy::cast_possible_truncation, reason = "as in `least_integer`")]
            Number::Float(value) if self.exclusive => (value.ceil() as i128).saturating_sub(1),
            #[allow(clippy::cast_possible_truncation, reason = "as in `least_integer`")]
            Number::Float(value) => value.floor() as i128,
        }
    }
}

/// A known value of a string enumeration.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    /// The Rust name (`PreTrial`).
    pub name: String,
    /// The value on the wire.
    pub wire: String,
}

/// An alternative of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    /// The Rust name.
    pub name: String,
    /// The discriminator values naming it, when the union is tagged: the `mapping`
    /// entries that name its schema, else the schema's name. The first is written.
    pub tag_values: Vec<String>,
    /// The type it holds.
    pub ty: Type,
}

/// A security scheme of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the document (`bearerAuth`).
    pub key: String,
    /// The snake-case name used for client setters (`bearer_auth`).
    pub name: String,
    /// The UpperCamel name used for credential enum variants (`BearerAuth`).
    pub variant: String,
    /// How credentials travel.
    pub kind: SchemeKind,
    /// Its description.
    pub docs: String,
}

/// How a scheme's credentials travel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (HTTP bearer and OAuth 2.0 / OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64>`.
    Basic,
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in the query.
    ApiKeyQuery(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
}

/// One operation: one trait method, one client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The `operationId` (or the name derived for it).
    pub id: String,
    /// The method name (`get_user_profile`).
    pub name: String,
    /// The prefix of its types (`GetUserProfile`).
    pub type_prefix: String,
    /// The HTTP method, upper case (`GET`).
    pub method: String,
    /// The path template as written (`/users/xuid({xuid})`).
    pub path: String,
    /// The path template, split for building and matching: `path` without a `#…`
    /// fragment, which no request carries (see [`Operation::route`]).
    pub segments: Vec<Segment>,
    /// Its required parameters that allow one value only (AWS's `X-Amz-Target:
    /// Service.Operation`): where operations share a route and a method, the server
    /// serves the one whose selectors the request carries.
    pub selectors: Vec<Selector>,
    /// Documentation, from the summary and description.
    pub docs: String,
    /// Whether the operation is `deprecated`.
    pub deprecated: bool,
    /// The note of its `#[deprecated]` attribute: its description, when it is deprecated
    /// and has one.
    pub deprecation_note: Option<String>,
    /// Path, query and header parameters, in document order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// The documented responses, in document order.
    pub responses: Vec<Response>,
    /// Who may call it.
    pub security: Security,
    /// The status answered to a request without acceptable credentials: 401, or 403
    /// where the operation documents 403 and not 401 (as Xbox Live and Crafter do).
    pub unauthenticated_status: u16,
    /// The document's `tags` of the operation, in its order: a large document's crate
    /// compiles an operation only with the cargo feature of one of its tags.
    pub tags: Vec<String>,
    /// Whether it is a 3.1 webhook: a request the API sends to its subscribers. A
    /// webhook is received by its own trait and router (served at `path`, `/` and the
    /// webhook's name) and never called by the client.
    pub webhook: bool,
}

impl Operation {
    /// The path template requests are routed and sent by: `path` up to a `#`. APIs.guru's
    /// AWS documents tell operations sharing one URL apart by a fragment
    /// (`/#X-Amz-Target=Service.Operation`), which HTTP never sends.
    pub fn route(&self) -> &str {
        route_of(&self.path)
    }
}

impl Operation {
    /// Whether its method is one of HTTP's own that `http::Method` has a constant for and
    /// axum's router routes (`GET` ... `TRACE`); OpenAPI 3.2's `QUERY` and the methods of
    /// `additionalOperations` are not, and are sent and served by name.
    pub fn has_standard_method(&self) -> bool {
        matches!(
            self.method.as_str(),
            "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE"
        )
    }
}

/// `path` up to a `#` (the rule of [`Operation::route`]), when what follows names no
/// path parameter: a `#` before parameters (Mastercard's `/send/#env/v1/partners/{id}`)
/// is not a selector but part of the path as the document writes it, and stays.
pub fn route_of(path: &str) -> &str {
    match path.split_once('#') {
        Some((route, fragment)) if !fragment.contains('{') => route,
        _ => path,
    }
}

/// A required parameter with one allowed value, which tells its operation apart from
/// others on the same route and method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// Where it travels: [`ParamLocation::Header`] or [`ParamLocation::Query`].
    pub location: ParamLocation,
    /// Its name on the wire (a header's in lower case).
    pub wire_name: String,
    /// The one value it allows.
    pub value: String,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text between slashes.
    Literal(String),
    /// A segment holding one parameter, with literal text around it.
    Param {
        /// Text before the value (`xuid(`).
        prefix: String,
        /// The parameter's wire name.
        name: String,
        /// Text after the value (`)`).
        suffix: String,
    },
    /// A segment holding several parameters between literal text
    /// (`{base}...{head}`), each a single value in `style: simple`.
    Params {
        /// The literal text around and between the values: one more than `names`
        /// (`["", "...", ""]`); one between two values is empty only where the first
        /// value's shape tells where it ends (see `patterns`).
        literals: Vec<String>,
        /// The parameters' wire names, in order.
        names: Vec<String>,
        /// When two values touch (`/{id}{ext}`): the shape of each value (an ECMA-262
        /// pattern, unanchored) where the document gives one (`pattern`, digits for an
        /// integer, the values of a closed enumeration), by which the segment is matched
        /// whole; empty otherwise.
        patterns: Vec<Option<String>>,
    },
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// A parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The field name in the params struct.
    pub name: String,
    /// The name on the wire (header names as written in the document).
    pub wire_name: String,
    /// Where it travels.
    pub location: ParamLocation,
    /// Its type, without the `Option` of an optional parameter.
    pub ty: Type,
    /// Whether it must be given.
    pub required: bool,
    /// How its value is written: the document's `style`, or the location's default.
    pub style: Style,
    /// The document's `explode`, or the style's default (true for `form` only).
    pub explode: bool,
    /// Whether it is an array; `ty` is then the type of its items.
    pub list: bool,
    /// For an object of scalars (`ty` a struct or map of scalars) in the query or a
    /// cookie (`style: form`), a header (`simple`) or the path (`simple`, `label`,
    /// `matrix`): the wire names of its members, which an exploded query object writes
    /// as pairs of their own (`R=100&G=200`; a map, whose members are not known, is never
    /// exploded there). Unexploded, keys and values alternate (`name=R,100,G,200`,
    /// `R,100,G,200`); exploded in a header or the path, `R=100,G=200`.
    pub object: Option<Vec<String>>,
    /// Whether the value travels as its JSON text (a parameter described by `content:
    /// application/json` rather than `schema`), percent-encoded in the query and path
    /// as any text; `ty` is then any type.
    pub json: bool,
    /// What the value must satisfy beyond its type (for arrays: `min_items`,
    /// `max_items` and `items`).
    pub constraints: Constraints,
    /// Documentation.
    pub docs: String,
    /// Whether it is `deprecated`.
    pub deprecated: bool,
}

impl Param {
    /// Whether the value is written by serde rather than as parameter text
    /// (`ParamValue`): a deepObject value, an object of scalars, a JSON value, or a JSON
    /// query string.
    pub fn is_serialized(&self) -> bool {
        matches!(self.style, Style::DeepObject | Style::JsonQueryString)
            || self.object.is_some()
            || self.json
    }
}

/// How a parameter's value is written (OpenAPI's `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `a,b,c`: the default of path and header parameters.
    Simple,
    /// `.a.b` (exploded) or `.a,b`, in the path.
    Label,
    /// `;id=a;id=b` (exploded) or `;id=a,b`, in the path.
    Matrix,
    /// `id=a&id=b` (exploded) or `id=a,b`: the default of query parameters and cookies.
    Form,
    /// `id=a%20b`, an array in the query.
    SpaceDelimited,
    /// `id=a|b`, an array in the query.
    PipeDelimited,
    /// `id[key]=value`, one pair per member of an object in the query; `ty` is then a
    /// struct or a map of scalars.
    DeepObject,
    /// The whole query string is the value as JSON text, percent-encoded (`?%7B%22q%22…`):
    /// OpenAPI 3.2's `in: querystring` with `application/json` content.
    JsonQueryString,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The media type the client sends, as the document writes it (`application/json`).
    pub media_type: String,
    /// The media types (or ranges, `image/*`) the server accepts: every one the document
    /// lists for the body that is read the same way as `media_type`.
    pub accepted: Vec<String>,
    /// How it is read and written, and the type the service receives.
    pub kind: BodyKind,
    /// Whether it must be sent.
    pub required: bool,
    /// Documentation.
    pub docs: String,
}

/// How a request body travels, and its Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json`, `*/*+json`) of this type.
    Json(Type),
    /// `application/x-www-form-urlencoded` fields: a struct or map of this type whose
    /// members are scalars or arrays of scalars.
    Form(Type),
    /// `application/x-www-form-urlencoded` fields that nest (`encoding` style
    /// `deepObject`, or members that are objects): a struct or map of this type, its
    /// objects, maps and arrays in `name[key]=value` brackets (`items[0][price]=x`).
    NestedForm {
        /// The body's type.
        ty: Type,
        /// The arrays of scalars sent as one `name=item` field per item (the default
        /// `style: form, explode: true`) rather than in brackets, by wire name.
        repeated: Vec<String>,
    },
    /// `multipart/form-data`: one part per property, gathered in a struct of the
    /// operations module (`<Operation>Multipart`).
    Multipart(Vec<Part>),
    /// A multipart body without a shape (`multipart/form-data` whose schema is not an
    /// object of parts, `multipart/mixed`): its parts as a list
    /// (`apigen_runtime::multipart::Parts`).
    Parts,
    /// A `text/*` body, as a `String`.
    Text,
    /// Any other media type, as bytes.
    Binary,
    /// A streamed body (OpenAPI 3.2 `itemSchema`): a sequence of items, each sent as
    /// the caller yields it and read as it arrives (`apigen_runtime::stream::Items`).
    Stream(ItemStream),
}

/// A part of a `multipart/form-data` body: a property of its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The field name in the multipart struct.
    pub name: String,
    /// The part's name on the wire (the property's name).
    pub wire_name: String,
    /// Its type, without the `Option` of an optional part; for a list, the items' type.
    pub ty: Type,
    /// Whether it is an array sent as one part per item.
    pub list: bool,
    /// How its content is written.
    pub kind: PartKind,
    /// Whether it must be sent.
    pub required: bool,
    /// What the value must satisfy beyond its type.
    pub constraints: Constraints,
    /// Documentation.
    pub docs: String,
}

/// How the content of a multipart part is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// A scalar as its parameter text (`ParamValue`), without a content type.
    Text,
    /// A file (`format: binary`): bytes, sent with a file name and this content type.
    File(String),
    /// Anything else (objects, arrays of objects) as JSON, `application/json`.
    Json,
}

/// Which statuses a response stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusSpec {
    /// One status code.
    Code(u16),
    /// A range such as `4XX` (the hundreds digit).
    Range(u16),
    /// `default`: every status not otherwise listed.
    Default,
}

impl StatusSpec {
    /// Whether a response with this status is a success (2xx).
    pub fn is_success(self) -> bool {
        match self {
            StatusSpec::Code(code) => (200..300).contains(&code),
            StatusSpec::Range(hundreds) => hundreds == 2,
            StatusSpec::Default => false,
        }
    }
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Its status.
    pub status: StatusSpec,
    /// The variant name in the response enum (`Ok`, `NotFound`, `Default`).
    pub variant: String,
    /// Its body.
    pub body: ResponseBody,
    /// Its documented headers, in document order (`Content-Type` and `Content-Length`
    /// left out, as OpenAPI says).
    pub headers: Vec<ResponseHeader>,
    /// Documentation, from the response's description.
    pub docs: String,
}

/// A documented header of a response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The field name in the response's headers struct.
    pub name: String,
    /// The header's name on the wire, lower case.
    pub wire_name: String,
    /// Its type, without the `Option` of an optional header; for a list, the items' type.
    pub ty: Type,
    /// Whether it is an array, written comma-separated (`style: simple`).
    pub list: bool,
    /// Whether every such response carries it.
    pub required: bool,
    /// Documentation.
    pub docs: String,
}

/// The body of a response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No content.
    Empty,
    /// A JSON body of this type.
    Json(Type),
    /// A text body (`text/*`).
    Text,
    /// Any other media type, as bytes.
    Binary(String),
    /// A streamed body (OpenAPI 3.2 `itemSchema`): a sequence of items, each read and
    /// written as it comes (`apigen_runtime::stream::Items`).
    Stream(ItemStream),
}

/// A streamed body: the items of a sequential media type, each described by the media
/// type's `itemSchema`.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemStream {
    /// The media type, as the document writes it (`text/event-stream`).
    pub media_type: String,
    /// How the items travel.
    pub codec: StreamCodec,
    /// The type of each item; of an event stream, the type of each event's `data`.
    pub item: Type,
}

impl ItemStream {
    /// Whether each item is an `apigen_runtime::stream::Event` holding `item`.
    pub fn is_events(&self) -> bool {
        matches!(self.codec, StreamCodec::Events | StreamCodec::TextEvents)
    }
}

/// How the items of a streamed body travel (`apigen_runtime::stream::Codec`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamCodec {
    /// One JSON text per line (`application/jsonl`, `application/x-ndjson`).
    JsonLines,
    /// JSON text sequences (`application/json-seq`, RFC 7464).
    JsonSeq,
    /// Server-Sent Events whose `data` is JSON (`text/event-stream`, the item schema's
    /// `data` not a string).
    Events,
    /// Server-Sent Events whose `data` is text.
    TextEvents,
    /// The parts of `multipart/mixed`, one JSON item each, between the delimiters of
    /// a boundary the body's `Content-Type` names.
    Mixed,
}

/// The credentials an operation accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Security {
    /// Anyone may call it.
    None,
    /// One of these alternatives (OR); each lists the schemes it needs together (AND),
    /// as indices into [`Service::security_schemes`]. An empty alternative means the
    /// credentials are optional.
    Required(Vec<Vec<usize>>),
}
