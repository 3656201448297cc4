//! The type space: every schema of the document becomes a [`Type`], and those that need
//! a declaration become a [`TypeDef`]. This is the type-mapping table of DESIGN.md,
//! written once.

use super::constraints;
use crate::error::{Error, push_pointer};
use crate::model::{Constraints, EnumVariant, Field, Type, TypeDef, TypeKind, UnionVariant};
use crate::names::{Scope, field_name, type_name, variant_name};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, VariantOrUnknownOrEmpty,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Builds the named types of one document.
pub struct TypeSpace<'a> {
    file: &'a Path,
    document: &'a Value,
    names: Scope,
    /// Component key -> Rust name.
    components: BTreeMap<String, String>,
    defs: Vec<TypeDef>,
    /// The type of every inline schema lowered so far, by its JSON pointer: a schema
    /// reached twice (an `allOf` part and its own component) is one type.
    inline_types: BTreeMap<String, Type>,
    /// Errors met so far (lowering goes on, to report them all).
    pub errors: Vec<Error>,
}

/// What a schema turns into: a declaration of its own, or a type used in place.
enum Shape {
    Def(TypeKind, bool),
    Type(Type),
}

impl<'a> TypeSpace<'a> {
    /// A type space for `document`, with a name reserved for every component schema.
    pub fn new(
        file: &'a Path,
        document: &'a Value,
        components: impl Iterator<Item = &'a String>,
    ) -> Self {
        let mut names = Scope::default();
        let components = components
            .map(|key| (key.clone(), names.unique(type_name(key))))
            .collect();
        TypeSpace {
            file,
            document,
            names,
            components,
            defs: Vec::new(),
            inline_types: BTreeMap::new(),
            errors: Vec::new(),
        }
    }

    /// Declares the component schema `key`.
    pub fn component(&mut self, key: &str, schema: &ReferenceOr<Schema>) {
        let pointer = push_pointer("/components/schemas", key);
        let name = self.components[key].clone();
        let def = match schema {
            ReferenceOr::Reference { reference } => {
                let ty = self.reference(reference, &pointer);
                TypeDef {
                    name,
                    docs: fallback_docs(None, key),
                    deprecated: false,
                    kind: TypeKind::Alias(ty),
                }
            }
            ReferenceOr::Item(schema) => {
                let docs = docs_of(schema, &format!("The `{key}` schema."));
                let deprecated = schema.schema_data.deprecated;
                match self.shape(schema, &name, &pointer) {
                    Shape::Def(kind, _) => TypeDef {
                        name,
                        docs,
                        deprecated,
                        kind,
                    },
                    Shape::Type(ty) => TypeDef {
                        name,
                        docs,
                        deprecated,
                        kind: TypeKind::Alias(ty),
                    },
                }
            }
        };
        self.defs.push(def);
    }

    /// The type of a schema met at `pointer`; an inline declaration is named `hint`.
    pub fn type_of(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> Type {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    /// The same for the boxed schemas of properties and items.
    pub fn type_of_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Type {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    /// The named types, recursive fields boxed.
    pub fn finish(mut self) -> (Vec<TypeDef>, Vec<Error>) {
        box_recursion(&mut self.defs);
        (self.defs, self.errors)
    }

    /// Whether `ty` can travel as one parameter text (scalars, string enums, and aliases of
    /// those).
    pub fn is_param_scalar(&self, ty: &Type) -> bool {
        match ty {
            Type::Named(name) => {
                self.defs
                    .iter()
                    .find(|def| &def.name == name)
                    .is_some_and(|def| match &def.kind {
                        TypeKind::Enum { .. } => true,
                        TypeKind::Alias(inner) => self.is_param_scalar(inner),
                        _ => false,
                    })
            }
            other => other.is_scalar(),
        }
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> Type {
        if let Some(key) = reference.strip_prefix("#/components/schemas/") {
            let key = key.replace("~1", "/").replace("~0", "~");
            if let Some(name) = self.components.get(&key) {
                return Type::Named(name.clone());
            }
        }
        // A reference elsewhere in the document (into a path, say): read it in place.
        let target = reference
            .strip_prefix('#')
            .and_then(|fragment| self.document.pointer(fragment));
        match target.map(|value| serde_json::from_value::<Schema>(value.clone())) {
            Some(Ok(schema)) => {
                let hint = type_name(reference.rsplit('/').next().unwrap_or("Referenced"));
                let fragment = reference.trim_start_matches('#').to_owned();
                self.inline(&schema, &hint, &fragment)
            }
            _ => {
                self.errors.push(
                    Error::at_pointer(
                        self.file,
                        pointer,
                        format!("`$ref: {reference}` does not name a schema"),
                    )
                    .help("point schema references at `#/components/schemas/<name>`"),
                );
                Type::Json
            }
        }
    }

    fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Type {
        if let Some(ty) = self.inline_types.get(pointer) {
            return ty.clone();
        }
        let ty = match self.shape(schema, hint, pointer) {
            Shape::Type(ty) => ty,
            Shape::Def(kind, deprecated) => {
                let name = self.names.unique(type_name(hint));
                let docs = docs_of(schema, &format!("An inline schema, at `{pointer}`."));
                self.defs.push(TypeDef {
                    name: name.clone(),
                    docs,
                    deprecated,
                    kind,
                });
                Type::Named(name)
            }
        };
        let ty = if schema.schema_data.nullable && !matches!(ty, Type::Option(_)) {
            Type::Option(Box::new(ty))
        } else {
            ty
        };
        self.inline_types.insert(pointer.to_owned(), ty.clone());
        ty
    }

    fn shape(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Shape {
        use openapiv3::Type as T;
        let deprecated = schema.schema_data.deprecated;
        match &schema.schema_kind {
            SchemaKind::Type(T::String(string)) => {
                let values: Vec<&str> = string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                if !values.is_empty() {
                    return Shape::Def(self.enumeration(&values, false), deprecated);
                }
                if let Some(open) = extensible_enum(schema) {
                    let open: Vec<&str> = open.iter().map(String::as_str).collect();
                    return Shape::Def(self.enumeration(&open, true), deprecated);
                }
                let format = match &string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "date-time",
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "date",
                    VariantOrUnknownOrEmpty::Unknown(format) => format,
                    _ => "",
                };
                Shape::Type(primitive("string", format))
            }
            SchemaKind::Type(T::Integer(integer)) => Shape::Type(primitive(
                "integer",
                match &integer.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => "int32",
                    VariantOrUnknownOrEmpty::Unknown(format) => format,
                    _ => "",
                },
            )),
            SchemaKind::Type(T::Number(number)) => Shape::Type(primitive(
                "number",
                match &number.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => "float",
                    _ => "",
                },
            )),
            SchemaKind::Type(T::Boolean(_)) => Shape::Type(Type::Bool),
            SchemaKind::Type(T::Array(array)) => {
                let items = match &array.items {
                    Some(items) => self.type_of_boxed(
                        items,
                        &format!("{hint}Item"),
                        &push_pointer(pointer, "items"),
                    ),
                    None => Type::Json,
                };
                Shape::Type(Type::Vec(Box::new(items)))
            }
            SchemaKind::Type(T::Object(object)) => self.object(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                hint,
                pointer,
                deprecated,
            ),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, hint, pointer, deprecated),
            SchemaKind::OneOf {
                one_of: alternatives,
            }
            | SchemaKind::AnyOf {
                any_of: alternatives,
            } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.union(
                    alternatives,
                    schema,
                    hint,
                    &push_pointer(pointer, key),
                    deprecated,
                )
            }
            SchemaKind::Not { .. } => Shape::Type(Type::Json),
            SchemaKind::Any(any) => {
                if !any.all_of.is_empty() {
                    return self.all_of(&any.all_of, hint, pointer, deprecated);
                }
                if !any.one_of.is_empty() || !any.any_of.is_empty() {
                    let alternatives = if any.one_of.is_empty() {
                        &any.any_of
                    } else {
                        &any.one_of
                    };
                    return self.union(alternatives, schema, hint, pointer, deprecated);
                }
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    return self.object(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        hint,
                        pointer,
                        deprecated,
                    );
                }
                if let Some(items) = &any.items {
                    let items = self.type_of_boxed(
                        items,
                        &format!("{hint}Item"),
                        &push_pointer(pointer, "items"),
                    );
                    return Shape::Type(Type::Vec(Box::new(items)));
                }
                // `openapiv3` reads a typed schema as "any" when a keyword does not fit
                // its typed model (a `maximum` beyond i64, say): the type still counts.
                match any.typ.as_deref() {
                    Some("string") => {
                        let values: Vec<&str> =
                            any.enumeration.iter().filter_map(Value::as_str).collect();
                        if values.is_empty() {
                            Shape::Type(primitive(
                                "string",
                                any.format.as_deref().unwrap_or_default(),
                            ))
                        } else {
                            Shape::Def(self.enumeration(&values, false), deprecated)
                        }
                    }
                    Some(typ @ ("integer" | "number" | "boolean")) => {
                        Shape::Type(primitive(typ, any.format.as_deref().unwrap_or_default()))
                    }
                    _ => Shape::Type(Type::Json),
                }
            }
        }
    }

    fn enumeration(&mut self, values: &[&str], open: bool) -> TypeKind {
        let mut scope = if open {
            Scope::with_reserved(&["Unknown"])
        } else {
            Scope::default()
        };
        let mut seen = BTreeSet::new();
        let variants = values
            .iter()
            .filter(|value| seen.insert(**value))
            .map(|value| EnumVariant {
                name: scope.unique(variant_name(value)),
                wire: (*value).to_owned(),
            })
            .collect();
        TypeKind::Enum { variants, open }
    }

    fn object(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
        deprecated: bool,
    ) -> Shape {
        let additional = match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(Type::Json),
            Some(AdditionalProperties::Schema(schema)) => Some(self.type_of(
                schema,
                &format!("{hint}Value"),
                &push_pointer(pointer, "additionalProperties"),
            )),
        };
        if properties.is_empty() {
            return Shape::Type(match additional {
                Some(value) => Type::Map(Box::new(value)),
                None => Type::JsonObject,
            });
        }
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        let fields = properties
            .iter()
            .map(|(wire, schema)| {
                let at = push_pointer(&push_pointer(pointer, "properties"), wire);
                let ty = self.type_of_boxed(schema, &format!("{hint}{}", type_name(wire)), &at);
                let (docs, deprecated) = property_docs(schema);
                let constraints = constraints::of_boxed(schema, self.document);
                field(
                    &mut scope,
                    wire,
                    ty,
                    !required.contains(wire),
                    constraints,
                    docs,
                    deprecated,
                )
            })
            .collect();
        Shape::Def(struct_kind(fields, additional), deprecated)
    }

    fn all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        hint: &str,
        pointer: &str,
        deprecated: bool,
    ) -> Shape {
        // `allOf: [$ref]` is how OpenAPI 3.0 puts a description beside a reference.
        if let [only] = parts {
            return Shape::Type(self.type_of(only, hint, &push_pointer(pointer, "allOf/0")));
        }
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        let mut fields: Vec<Field> = Vec::new();
        let mut required = BTreeSet::new();
        for (i, part) in parts.iter().enumerate() {
            let at = push_pointer(&push_pointer(pointer, "allOf"), &i.to_string());
            let Some((schema, at)) = self.resolve(part, at) else {
                continue;
            };
            // Inline types of a referenced part are named after its component, as when
            // the component itself is lowered (and are the same types).
            let part_hint = at
                .strip_prefix("/components/schemas/")
                .and_then(|key| {
                    self.components
                        .get(&key.replace("~1", "/").replace("~0", "~"))
                })
                .cloned()
                .unwrap_or_else(|| hint.to_owned());
            let (properties, part_required) = match &schema.schema_kind {
                SchemaKind::Type(openapiv3::Type::Object(object)) => {
                    (object.properties.clone(), object.required.clone())
                }
                SchemaKind::Any(any) => (any.properties.clone(), any.required.clone()),
                _ => {
                    self.errors.push(
                        Error::at_pointer(
                            self.file,
                            &at,
                            "an `allOf` part that is not an object cannot be merged",
                        )
                        .help("make every part of the `allOf` an object schema"),
                    );
                    continue;
                }
            };
            required.extend(part_required);
            for (wire, property) in &properties {
                if fields.iter().any(|f| &f.wire_name == wire) {
                    continue;
                }
                let property_at = push_pointer(&push_pointer(&at, "properties"), wire);
                let ty = self.type_of_boxed(
                    property,
                    &format!("{part_hint}{}", type_name(wire)),
                    &property_at,
                );
                let (docs, deprecated) = property_docs(property);
                let constraints = constraints::of_boxed(property, self.document);
                fields.push(field(
                    &mut scope,
                    wire,
                    ty,
                    true,
                    constraints,
                    docs,
                    deprecated,
                ));
            }
        }
        for field in &mut fields {
            if required.contains(&field.wire_name) {
                field.optional = false;
                if let Type::Option(inner) = &field.ty {
                    field.ty = (**inner).clone();
                }
            }
        }
        Shape::Def(struct_kind(fields, None), deprecated)
    }

    fn union(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        schema: &Schema,
        hint: &str,
        pointer: &str,
        deprecated: bool,
    ) -> Shape {
        let mut scope = Scope::default();
        let mapping: BTreeMap<&str, &str> = schema
            .schema_data
            .discriminator
            .iter()
            .flat_map(|d| {
                d.mapping
                    .iter()
                    .map(|(value, target)| (target.as_str(), value.as_str()))
            })
            .collect();
        let tag = schema
            .schema_data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone());
        let variants = alternatives
            .iter()
            .enumerate()
            .map(|(i, alternative)| {
                let at = push_pointer(pointer, &i.to_string());
                let ty = self.type_of(alternative, &format!("{hint}Variant{i}"), &at);
                let (name, tag_value) = match alternative {
                    ReferenceOr::Reference { reference } => {
                        let key = reference.rsplit('/').next().unwrap_or_default();
                        let value = mapping.get(reference.as_str()).copied().unwrap_or(key);
                        (variant_name(key), tag.as_ref().map(|_| value.to_owned()))
                    }
                    ReferenceOr::Item(_) => (variant_of(&ty, i), None),
                };
                UnionVariant {
                    name: scope.unique(name),
                    tag_value,
                    ty,
                }
            })
            .collect();
        Shape::Def(TypeKind::Union { variants, tag }, deprecated)
    }

    /// A schema and where it stands, following a reference.
    fn resolve(&mut self, schema: &ReferenceOr<Schema>, at: String) -> Option<(Schema, String)> {
        match schema {
            ReferenceOr::Item(schema) => Some((schema.clone(), at)),
            ReferenceOr::Reference { reference } => {
                let fragment = reference.strip_prefix('#')?;
                match self
                    .document
                    .pointer(fragment)
                    .map(|v| serde_json::from_value::<Schema>(v.clone()))
                {
                    Some(Ok(schema)) => Some((schema, fragment.to_owned())),
                    _ => {
                        self.errors.push(Error::at_pointer(
                            self.file,
                            &at,
                            format!("`$ref: {reference}` does not name a schema"),
                        ));
                        None
                    }
                }
            }
        }
    }
}

/// The type-mapping table of DESIGN.md for primitive types: `type` and `format`.
fn primitive(typ: &str, format: &str) -> Type {
    match (typ, format) {
        ("string", "date-time") => Type::DateTime,
        ("string", "date") => Type::Date,
        ("string", "uuid") => Type::Uuid,
        ("integer", "int32") => Type::I32,
        ("integer", "uint32") => Type::U32,
        ("integer", "uint64") => Type::U64,
        ("integer", _) => Type::I64,
        ("number", "float") => Type::F32,
        ("number", _) => Type::F64,
        ("boolean", _) => Type::Bool,
        _ => Type::String,
    }
}

fn struct_kind(fields: Vec<Field>, additional: Option<Type>) -> TypeKind {
    let default = fields.iter().all(|f| f.optional || has_default(&f.ty));
    TypeKind::Struct {
        fields,
        additional,
        default,
    }
}

fn has_default(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Option(_)
            | Type::Vec(_)
            | Type::Map(_)
            | Type::Json
            | Type::JsonObject
            | Type::String
            | Type::Bool
            | Type::I32
            | Type::I64
            | Type::U32
            | Type::U64
            | Type::F32
            | Type::F64
    )
}

fn field(
    scope: &mut Scope,
    wire: &str,
    ty: Type,
    optional: bool,
    constraints: Constraints,
    docs: Option<String>,
    deprecated: bool,
) -> Field {
    let ty = if optional && !matches!(ty, Type::Option(_)) {
        Type::Option(Box::new(ty))
    } else {
        ty
    };
    Field {
        name: scope.unique(field_name(wire)),
        wire_name: wire.to_owned(),
        ty,
        optional,
        constraints,
        docs: fallback_docs(docs, wire),
        deprecated,
    }
}

/// The documentation and deprecation of a property (none for a bare reference), with a
/// word on a pattern that cannot be enforced.
fn property_docs(schema: &ReferenceOr<Box<Schema>>) -> (Option<String>, bool) {
    let (docs, deprecated) = match schema {
        ReferenceOr::Item(schema) => (schema_docs(schema), schema.schema_data.deprecated),
        ReferenceOr::Reference { .. } => (None, false),
    };
    let docs = match (docs, constraints::unenforced_pattern(schema)) {
        (Some(docs), Some(note)) => Some(format!("{docs}\n\n{note}")),
        (docs, note) => docs.or(note),
    };
    (docs, deprecated)
}

fn variant_of(ty: &Type, index: usize) -> String {
    match ty {
        Type::String => "String".to_owned(),
        Type::Bool => "Bool".to_owned(),
        Type::I32 | Type::I64 | Type::U32 | Type::U64 => "Integer".to_owned(),
        Type::F32 | Type::F64 => "Number".to_owned(),
        Type::Vec(_) => "Array".to_owned(),
        Type::Map(_) | Type::JsonObject => "Object".to_owned(),
        Type::Named(name) => name.clone(),
        _ => format!("Variant{index}"),
    }
}

/// `x-extensible-enum`: the known values of an open string (new values may appear).
fn extensible_enum(schema: &Schema) -> Option<Vec<String>> {
    let values = schema
        .schema_data
        .extensions
        .get("x-extensible-enum")?
        .as_array()?;
    let values: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    (!values.is_empty()).then_some(values)
}

/// The title and description of a schema, as rustdoc.
pub fn schema_docs(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(title), Some(description)) => Some(format!("{title}\n\n{description}")),
        (Some(text), None) | (None, Some(text)) => Some(text.clone()),
        (None, None) => None,
    }
}

fn docs_of(schema: &Schema, fallback: &str) -> String {
    schema_docs(schema).unwrap_or_else(|| fallback.to_owned())
}

/// The documentation of a property: its own, or a sentence naming it, so that every
/// public item of a generated crate is documented.
pub fn fallback_docs(docs: Option<String>, wire: &str) -> String {
    docs.unwrap_or_else(|| format!("The `{wire}` value."))
}

/// Boxes every field through which a struct contains itself, directly or through other
/// structs (a `Vec` or map already puts its items behind a pointer).
fn box_recursion(defs: &mut [TypeDef]) {
    fn direct(ty: &Type) -> Option<&str> {
        match ty {
            Type::Named(name) => Some(name),
            Type::Option(inner) => direct(inner),
            _ => None,
        }
    }
    let edges: BTreeMap<String, Vec<String>> = defs
        .iter()
        .map(|def| {
            let targets = match &def.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .filter_map(|f| direct(&f.ty))
                    .map(str::to_owned)
                    .collect(),
                TypeKind::Union { variants, .. } => variants
                    .iter()
                    .filter_map(|v| direct(&v.ty))
                    .map(str::to_owned)
                    .collect(),
                TypeKind::Alias(ty) => direct(ty).map(str::to_owned).into_iter().collect(),
                TypeKind::Enum { .. } => Vec::new(),
            };
            (def.name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(edges.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    for def in defs.iter_mut() {
        let owner = def.name.clone();
        let boxed = |ty: &mut Type| {
            if let Some(target) = direct(ty).map(str::to_owned)
                && reaches(&target, &owner)
            {
                box_named(ty);
            }
        };
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => fields.iter_mut().for_each(|f| boxed(&mut f.ty)),
            TypeKind::Union { variants, .. } => variants.iter_mut().for_each(|v| boxed(&mut v.ty)),
            TypeKind::Alias(_) | TypeKind::Enum { .. } => {}
        }
    }
}

fn box_named(ty: &mut Type) {
    match ty {
        Type::Option(inner) => box_named(inner),
        named @ Type::Named(_) => *named = Type::Box(Box::new(named.clone())),
        _ => {}
    }
}
