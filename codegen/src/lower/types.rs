//! The type space: every schema of the document becomes a [`Type`], and those that need
//! a declaration become a [`TypeDef`]. This is the type-mapping table of DESIGN.md,
//! written once.

use super::constraints;
use crate::error::{Error, pointer_key, push_pointer};
use crate::load::v31;
use crate::model::{Constraints, EnumVariant, Field, Type, TypeDef, TypeKind, UnionVariant};
use crate::names::{Scope, field_name, type_name, variant_name};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, VariantOrUnknownOrEmpty,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
    /// The constraints of every inline schema lowered so far, by its JSON pointer, found
    /// with its type: its own keywords, its items' and its `allOf` parts'. (A reference
    /// to a component adds none: the component's named type keeps them.)
    inline_constraints: BTreeMap<String, Constraints>,
    /// The constraints of the `allOf` parts of the schema at each pointer, left by
    /// [`Self::all_of`] for the schema's own.
    all_of_constraints: BTreeMap<String, Constraints>,
    /// Every inline declaration so far (by index in `defs`) by the hash of its shape
    /// (its kind, with `deprecated`; its own description aside): a schema written out
    /// again elsewhere (GitHub repeats its `direction`, `sort` and `state` enums in every
    /// operation, and one permissions object per webhook event) is the same type, named
    /// after the first place it occurs. The shapes themselves are compared on a hash
    /// match.
    inline_shapes: HashMap<u64, Vec<usize>>,
    /// The other places of each shared declaration (by index in `defs`), for its docs.
    shared: BTreeMap<usize, Vec<String>>,
    /// The pointers of the referenced schemas outside `components/schemas` being lowered
    /// right now: meeting one again is a cycle that no named type breaks.
    following: BTreeSet<String>,
    /// Where each component schema stands, for messages about the type.
    component_pointers: BTreeMap<String, String>,
    /// Errors met so far (lowering goes on, to report them all).
    pub errors: Vec<Error>,
    /// Warnings met so far: what is read differently from how the document is written.
    pub warnings: Vec<Error>,
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
            inline_constraints: BTreeMap::new(),
            all_of_constraints: BTreeMap::new(),
            inline_shapes: HashMap::new(),
            shared: BTreeMap::new(),
            following: BTreeSet::new(),
            component_pointers: BTreeMap::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Declares the component schema `key`.
    pub fn component(&mut self, key: &str, schema: &ReferenceOr<Schema>) {
        let pointer = push_pointer("/components/schemas", key);
        let name = self.components[key].clone();
        self.component_pointers
            .insert(name.clone(), pointer.clone());
        let def = match schema {
            ReferenceOr::Reference { reference } => {
                let ty = self.reference(reference, &pointer);
                TypeDef {
                    name,
                    docs: fallback_docs(None, key),
                    deprecated: false,
                    kind: TypeKind::Alias(ty),
                    // The named target keeps its own.
                    constraints: Constraints::default(),
                }
            }
            ReferenceOr::Item(schema) => {
                let docs = docs_of(schema, &format!("The `{key}` schema."));
                let deprecated = schema.schema_data.deprecated;
                let shape = self.shape(schema, &name, &pointer);
                let constraints = self.constraints_of_shape(schema, &pointer);
                match shape {
                    Shape::Def(kind, _) => TypeDef {
                        name,
                        docs,
                        deprecated,
                        kind,
                        constraints,
                    },
                    Shape::Type(ty) => TypeDef {
                        name,
                        docs,
                        deprecated,
                        kind: TypeKind::Alias(ty),
                        constraints,
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

    /// The type of a schema met at `pointer` (as [`Self::type_of`]) and the constraints
    /// the place adds to it, found by the same walk.
    pub fn lowered(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> (Type, Constraints) {
        let ty = self.type_of(schema, hint, pointer);
        (ty, self.placed(reference_of(schema), pointer))
    }

    /// The same for the boxed schemas of properties and items.
    pub fn lowered_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> (Type, Constraints) {
        let ty = self.type_of_boxed(schema, hint, pointer);
        (ty, self.placed(reference_of(schema), pointer))
    }

    /// The constraints of the schema already lowered at `pointer` (or through
    /// `reference`, when it is one): none for a component, whose named type keeps them.
    fn placed(&self, reference: Option<&str>, pointer: &str) -> Constraints {
        let at = match reference {
            Some(reference) => {
                if let Some(key) = reference.strip_prefix("#/components/schemas/")
                    && self.components.contains_key(&pointer_key(key))
                {
                    return Constraints::default();
                }
                reference.trim_start_matches('#')
            }
            None => pointer,
        };
        self.inline_constraints.get(at).cloned().unwrap_or_default()
    }

    /// The constraints of `schema`, whose type was just lowered at `pointer`: its own
    /// keywords, those of its items, and those [`Self::all_of`] found in its parts.
    fn constraints_of_shape(&mut self, schema: &Schema, pointer: &str) -> Constraints {
        let document = self.document;
        let mut own = constraints::keywords(schema, || document.pointer(pointer));
        let items = match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Array(array)) => array.items.as_ref(),
            SchemaKind::Any(any) => any.items.as_ref(),
            _ => None,
        };
        if let Some(items) = items {
            let items = self.placed(reference_of(items), &push_pointer(pointer, "items"));
            own.items = (!items.is_empty()).then(|| Box::new(items));
        }
        match self.all_of_constraints.remove(pointer) {
            Some(parts) => own.and(parts),
            None => own,
        }
    }

    /// The named types, recursive aliases wrapped and recursive fields boxed.
    pub fn finish(mut self) -> (Vec<TypeDef>, Vec<Error>, Vec<Error>) {
        for (index, others) in &self.shared {
            also_at(&mut self.defs[*index].docs, others);
        }
        self.wrap_recursive_aliases();
        box_recursion(&mut self.defs);
        (self.defs, self.errors, self.warnings)
    }

    /// An alias that contains itself through a container (`Tree: {items: $ref Tree}`)
    /// becomes a newtype, which Rust allows to recurse. One that is only itself, through
    /// references alone (`A: $ref B`, `B: $ref A`), names no type at all: an error.
    fn wrap_recursive_aliases(&mut self) {
        loop {
            let aliases: BTreeMap<String, Type> = self
                .defs
                .iter()
                .filter_map(|def| match &def.kind {
                    TypeKind::Alias(ty) => Some((def.name.clone(), ty.clone())),
                    _ => None,
                })
                .collect();
            let Some(recursive) = aliases
                .keys()
                .find(|name| alias_reaches(&aliases, name, name))
                .cloned()
            else {
                return;
            };
            // Follow the chain of bare references: back to the start is a pure cycle.
            let mut chain = vec![recursive.clone()];
            let mut at = recursive.clone();
            let pure = loop {
                match aliases.get(&at).map(bare_name) {
                    Some(Some(next)) if next == recursive => break true,
                    Some(Some(next)) if !chain.contains(&next) => {
                        chain.push(next.clone());
                        at = next;
                    }
                    _ => break false,
                }
            };
            let Some(def) = self.defs.iter_mut().find(|def| def.name == recursive) else {
                return;
            };
            let TypeKind::Alias(ty) = &def.kind else {
                return;
            };
            if pure {
                let pointer = self
                    .component_pointers
                    .get(&recursive)
                    .cloned()
                    .unwrap_or_default();
                chain.push(recursive.clone());
                self.errors.push(
                    Error::at_pointer(
                        self.file,
                        &pointer,
                        format!(
                            "`$ref` cycle: {} refer to each other and never to a schema",
                            chain.join(" -> ")
                        ),
                    )
                    .help("give one of these schemas a type (an object with properties, say) instead of a `$ref`"),
                );
                def.kind = TypeKind::Alias(Type::Json);
            } else {
                def.kind = TypeKind::Newtype(ty.clone());
            }
        }
    }

    /// Whether `ty` can travel as one parameter text (scalars, string enums, and aliases of
    /// those).
    pub fn is_param_scalar(&self, ty: &Type) -> bool {
        match self.unaliased(ty) {
            Ok(ty) => ty.is_scalar(),
            Err(kind) => matches!(kind, Some(TypeKind::Enum { .. })),
        }
    }

    /// The wire values of the closed string enumeration `ty` names (through aliases), if
    /// it names one: an open one may hold any text.
    pub fn closed_enum_values(&self, ty: &Type) -> Option<Vec<String>> {
        match self.unaliased(ty) {
            Err(Some(TypeKind::Enum {
                variants,
                open: false,
            })) => Some(variants.iter().map(|v| v.wire.clone()).collect()),
            _ => None,
        }
    }

    /// The constraints a value of `ty` placed under `place` must satisfy, those of the
    /// aliases it names included.
    pub fn through_aliases(&self, ty: &Type, place: &Constraints) -> Constraints {
        place
            .clone()
            .through_aliases(ty, |name| {
                self.defs
                    .iter()
                    .find(|def| def.name == name)
                    .and_then(|def| match &def.kind {
                        TypeKind::Alias(target) => Some((target, &def.constraints)),
                        _ => None,
                    })
            })
            .1
    }

    /// Whether `ty` names a union (`oneOf`/`anyOf`), through aliases.
    pub fn is_union(&self, ty: &Type) -> bool {
        matches!(self.unaliased(ty), Err(Some(TypeKind::Union { .. })))
    }

    /// What `ty` stands for once its aliases are followed: a type that names no
    /// declaration (`Ok`), or the declaration it names (`Err`; `None` when unknown, or
    /// behind too many aliases: a cycle of aliases is only reported when the space is
    /// finished).
    fn unaliased<'t>(&'t self, mut ty: &'t Type) -> Result<&'t Type, Option<&'t TypeKind>> {
        for _ in 0..16 {
            let Type::Named(name) = ty else {
                return Ok(ty);
            };
            match self
                .defs
                .iter()
                .find(|def| &def.name == name)
                .map(|d| &d.kind)
            {
                Some(TypeKind::Alias(inner)) => ty = inner,
                kind => return Err(kind),
            }
        }
        Err(None)
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> Type {
        if let Some(key) = reference.strip_prefix("#/components/schemas/") {
            let key = pointer_key(key);
            if let Some(name) = self.components.get(&key) {
                let named = Type::Named(name.clone());
                // `nullable` belongs to the value, not to the type's name: a component
                // that may be null (GitHub's `nullable-simple-user`) is an `Option`
                // wherever it is used.
                let nullable = reference
                    .strip_prefix('#')
                    .and_then(|fragment| self.document.pointer(fragment))
                    .and_then(|schema| schema.get("nullable"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                return if nullable {
                    Type::Option(Box::new(named))
                } else {
                    named
                };
            }
        }
        // A reference elsewhere in the document (into a path, say): read it in place, once
        // (GitHub's webhooks refer to the same path schemas again and again).
        let fragment = reference.trim_start_matches('#');
        if let Some(ty) = self.inline_types.get(fragment) {
            return ty.clone();
        }
        let target = reference
            .strip_prefix('#')
            .and_then(|fragment| self.document.pointer(fragment));
        match target.map(<Schema as serde::Deserialize>::deserialize) {
            Some(Ok(schema)) => {
                let hint = type_name(reference.rsplit('/').next().unwrap_or("Referenced"));
                let fragment = fragment.to_owned();
                if !self.following.insert(fragment.clone()) {
                    self.errors.push(
                        Error::at_pointer(
                            self.file,
                            pointer,
                            format!("`$ref: {reference}` leads back to itself, and only `components/schemas` entries can be recursive types"),
                        )
                        .help("move the schema to `components/schemas` and refer to it there"),
                    );
                    return Type::Json;
                }
                let ty = self.inline(&schema, &hint, &fragment);
                self.following.remove(&fragment);
                ty
            }
            // Something that is not a schema (Codat's `Item/definitions/itemType`, whose
            // `type` is an object): any JSON value, as the schema `{}` would be.
            Some(Err(error)) => {
                let mut warning = Error::at_pointer(
                    self.file,
                    pointer,
                    format!("`$ref: {reference}` names something that is not a schema ({error}): the value is read as any JSON value"),
                )
                .help("correct the schema it points at");
                warning.kind = Some("reference to a non-schema".to_owned());
                self.warnings.push(warning);
                Type::Json
            }
            None => {
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
        let shape = self.shape(schema, hint, pointer);
        let constraints = self.constraints_of_shape(schema, pointer);
        self.inline_constraints
            .insert(pointer.to_owned(), constraints);
        let ty = match shape {
            Shape::Type(ty) => ty,
            Shape::Def(kind, deprecated) => {
                let shape = shape_hash(&kind, deprecated);
                let same = self.inline_shapes.get(&shape).and_then(|indices| {
                    indices.iter().copied().find(|&index| {
                        let def = &self.defs[index];
                        def.deprecated == deprecated && def.kind == kind
                    })
                });
                if let Some(index) = same {
                    self.shared
                        .entry(index)
                        .or_default()
                        .push(pointer.to_owned());
                    Type::Named(self.defs[index].name.clone())
                } else {
                    let name = self.names.unique(type_name(hint));
                    self.inline_shapes
                        .entry(shape)
                        .or_default()
                        .push(self.defs.len());
                    self.defs.push(TypeDef {
                        name: name.clone(),
                        // Only the first place's docs are the type's.
                        docs: docs_of(schema, &format!("An inline schema, at `{pointer}`.")),
                        deprecated,
                        kind,
                        // An object or an enum checks itself.
                        constraints: Constraints::default(),
                    });
                    Type::Named(name)
                }
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

    /// What `schema` turns into, its `dependentRequired` (3.1) on the struct it makes.
    fn shape(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Shape {
        let mut shape = self.shape_of(schema, hint, pointer);
        if let Shape::Def(
            TypeKind::Struct {
                fields,
                dependent_required,
                ..
            },
            _,
        ) = &mut shape
        {
            *dependent_required = dependencies(schema)
                .into_iter()
                .filter(|(member, _)| fields.iter().any(|f| &f.wire_name == member))
                .collect();
        }
        shape
    }

    fn shape_of(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Shape {
        use openapiv3::Type as T;
        let deprecated = schema.schema_data.deprecated;
        let extensions = &schema.schema_data.extensions;
        if extensions.get(v31::NEVER) == Some(&Value::Bool(true)) {
            return Shape::Type(Type::Never);
        }
        if extensions.get(v31::TUPLE) == Some(&Value::Bool(true)) {
            return Shape::Type(self.tuple(hint, pointer));
        }
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
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => "byte",
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => "binary",
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
                    // An `enum` of strings without `type` (up.com.au's `AccountTypeEnum`)
                    // is a string enum all the same.
                    None if !any.enumeration.is_empty()
                        && any.enumeration.iter().all(Value::is_string) =>
                    {
                        let values: Vec<&str> =
                            any.enumeration.iter().filter_map(Value::as_str).collect();
                        Shape::Def(self.enumeration(&values, false), deprecated)
                    }
                    _ => Shape::Type(Type::Json),
                }
            }
        }
    }

    /// A 3.1 `prefixItems` array: a tuple of its items' types, read where they stand
    /// (the rewrite for `openapiv3` leaves them in place).
    fn tuple(&mut self, hint: &str, pointer: &str) -> Type {
        let at = push_pointer(pointer, "prefixItems");
        let items = self
            .document
            .pointer(&at)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let types = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let item_at = push_pointer(&at, &i.to_string());
                match serde_json::from_value::<ReferenceOr<Schema>>(item.clone()) {
                    Ok(item) => self.type_of(&item, &format!("{hint}{i}"), &item_at),
                    Err(error) => {
                        self.errors.push(
                            Error::at_pointer(
                                self.file,
                                &item_at,
                                format!("not a schema: {error}"),
                            )
                            .help("write each `prefixItems` entry as a schema"),
                        );
                        Type::Json
                    }
                }
            })
            .collect();
        Type::Tuple(types)
    }

    fn enumeration(&mut self, values: &[&str], open: bool) -> TypeKind {
        // Every enum has an `Unknown` fallback (see the model): a value `unknown` is
        // `Unknown2`.
        let mut scope = Scope::with_reserved(&["Unknown"]);
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
                let (ty, constraints) =
                    self.lowered_boxed(schema, &format!("{hint}{}", type_name(wire)), &at);
                let (docs, deprecated) = property_docs(schema);
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

    /// `allOf`. Parts that only annotate (a `description` beside a `$ref`, as AWS's
    /// documents do everywhere) are left out, and so are parts that only constrain (a
    /// `maxLength` beside a `$ref`), whose constraints hold all the same; one part left is
    /// that part's type. Object parts, nested `allOf`s included, merge into one struct;
    /// parts of one primitive type are that type, with every part's constraints. Anything
    /// else (an object and a string, a `oneOf` part) has no Rust shape short of a JSON
    /// value, which is what it becomes.
    ///
    /// The constraints every part adds are left in `all_of_constraints` at `pointer`.
    fn all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        hint: &str,
        pointer: &str,
        deprecated: bool,
    ) -> Shape {
        let at = |i: usize| push_pointer(&push_pointer(pointer, "allOf"), &i.to_string());
        let mut substantive: Vec<(usize, &ReferenceOr<Schema>)> = Vec::new();
        let mut bounds = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            match self.resolve(part, at(i)) {
                Some((schema, part_at)) if constraints::constrains_only(&schema) => {
                    bounds.push((schema, part_at));
                }
                Some((schema, _)) if !annotates_only(&schema) => substantive.push((i, part)),
                _ => {}
            }
        }
        // `allOf: [$ref]` is how OpenAPI 3.0 puts a description beside a reference.
        if let [(i, only)] = substantive[..] {
            let (ty, placed) = self.lowered(only, hint, &at(i));
            self.leave_all_of_constraints(pointer, placed, &bounds);
            return Shape::Type(ty);
        }
        let mut objects = Vec::new();
        let mut others = Vec::new();
        for (i, part) in &substantive {
            self.flatten(
                part,
                at(*i),
                ALL_OF_DEPTH,
                &mut objects,
                &mut others,
                &mut bounds,
            );
        }
        if others.is_empty() {
            return self.merge(&objects, hint, deprecated);
        }
        // The `type` of a part; `openapiv3` reads a typed schema as "any" when a keyword
        // does not fit its model (a `maximum` beyond i64), and the type still counts.
        fn kind(schema: &Schema) -> Option<&str> {
            match &schema.schema_kind {
                SchemaKind::Type(openapiv3::Type::String(_)) => Some("string"),
                SchemaKind::Type(openapiv3::Type::Number(_)) => Some("number"),
                SchemaKind::Type(openapiv3::Type::Integer(_)) => Some("integer"),
                SchemaKind::Type(openapiv3::Type::Boolean(_)) => Some("boolean"),
                SchemaKind::Type(openapiv3::Type::Array(_)) => Some("array"),
                SchemaKind::Type(openapiv3::Type::Object(_)) => Some("object"),
                SchemaKind::Any(any) => any.typ.as_deref(),
                _ => None,
            }
        }
        let first = kind(&others[0].0);
        let same_primitive = objects.is_empty()
            && first.is_some()
            && others.iter().all(|(schema, _)| kind(schema) == first);
        if same_primitive {
            let (schema, first_at) = &others[0];
            let shape = self.shape(schema, hint, first_at);
            let first = self.constraints_of_shape(schema, first_at);
            bounds.extend(others[1..].iter().cloned());
            self.leave_all_of_constraints(pointer, first, &bounds);
            return shape;
        }
        Shape::Type(Type::Json)
    }

    /// Leaves for the `allOf` at `pointer` the constraints of the part its type comes
    /// from, `first`, with the keywords of every other part that constrains it.
    fn leave_all_of_constraints(
        &mut self,
        pointer: &str,
        first: Constraints,
        others: &[(Schema, String)],
    ) {
        let all = others.iter().fold(first, |all, (schema, at)| {
            all.and(constraints::keywords(schema, || self.document.pointer(at)))
        });
        if !all.is_empty() {
            self.all_of_constraints.insert(pointer.to_owned(), all);
        }
    }

    /// Sorts the parts of an `allOf` into objects (with where they stand), parts that
    /// only constrain (`bounds`) and others, looking through references and nested
    /// `allOf`s (at most `depth` deep: a cycle of `allOf`s merges what it has met).
    fn flatten(
        &mut self,
        part: &ReferenceOr<Schema>,
        at: String,
        depth: usize,
        objects: &mut Vec<(Schema, String)>,
        others: &mut Vec<(Schema, String)>,
        bounds: &mut Vec<(Schema, String)>,
    ) {
        let Some((schema, at)) = self.resolve(part, at) else {
            return;
        };
        if constraints::constrains_only(&schema) {
            bounds.push((schema, at));
            return;
        }
        let nested = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => Some(all_of.clone()),
            SchemaKind::Any(any) if !any.all_of.is_empty() => Some(any.all_of.clone()),
            _ => None,
        };
        if let Some(nested) = nested {
            if depth > 0 {
                for (i, inner) in nested.iter().enumerate() {
                    let inner_at = push_pointer(&push_pointer(&at, "allOf"), &i.to_string());
                    self.flatten(inner, inner_at, depth - 1, objects, others, bounds);
                }
            }
            // Properties beside the nested `allOf` (an `Any` schema) count too.
            if let SchemaKind::Any(any) = &schema.schema_kind
                && (!any.properties.is_empty() || !any.required.is_empty())
            {
                objects.push((schema.clone(), at));
            }
            return;
        }
        let object = match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(_)) => true,
            SchemaKind::Any(any) => any.typ.is_none() || any.typ.as_deref() == Some("object"),
            _ => false,
        };
        if object {
            objects.push((schema, at));
        } else if !annotates_only(&schema) {
            others.push((schema, at));
        }
    }

    /// One struct from the properties and `required` lists of `objects`: the first part
    /// that names a property gives its type.
    fn merge(&mut self, objects: &[(Schema, String)], hint: &str, deprecated: bool) -> Shape {
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        let mut fields: Vec<Field> = Vec::new();
        let mut required = BTreeSet::new();
        for (schema, at) in objects {
            // Inline types of a referenced part are named after its component, as when
            // the component itself is lowered (and are the same types).
            let part_hint = at
                .strip_prefix("/components/schemas/")
                .filter(|key| !key.contains('/'))
                .and_then(|key| self.components.get(&pointer_key(key)))
                .cloned()
                .unwrap_or_else(|| hint.to_owned());
            let (properties, part_required) = match &schema.schema_kind {
                SchemaKind::Type(openapiv3::Type::Object(object)) => {
                    (object.properties.clone(), object.required.clone())
                }
                SchemaKind::Any(any) => (any.properties.clone(), any.required.clone()),
                _ => continue,
            };
            required.extend(part_required);
            for (wire, property) in &properties {
                if fields.iter().any(|f| &f.wire_name == wire) {
                    continue;
                }
                let property_at = push_pointer(&push_pointer(at, "properties"), wire);
                let (ty, constraints) = self.lowered_boxed(
                    property,
                    &format!("{part_hint}{}", type_name(wire)),
                    &property_at,
                );
                let (docs, deprecated) = property_docs(property);
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

    /// `oneOf`/`anyOf`. With a `discriminator`, and every alternative a `$ref` (so that
    /// each has a tag value: its `mapping` entries, else its schema's name), the union is
    /// tagged: the property picks the alternative. Otherwise it is untagged: the first
    /// alternative that fits wins, as serde's untagged enums read.
    fn union(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        schema: &Schema,
        hint: &str,
        pointer: &str,
        deprecated: bool,
    ) -> Shape {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let discriminator = schema.schema_data.discriminator.as_ref();
        let tagged = discriminator.is_some()
            && alternatives
                .iter()
                .all(|alternative| matches!(alternative, ReferenceOr::Reference { .. }));
        let tag = discriminator
            .filter(|_| tagged)
            .map(|d| d.property_name.clone());
        let variants = alternatives
            .iter()
            .enumerate()
            .map(|(i, alternative)| {
                let at = push_pointer(pointer, &i.to_string());
                let ty = self.type_of(alternative, &format!("{hint}Variant{i}"), &at);
                let (name, tag_values) = match alternative {
                    ReferenceOr::Reference { reference } => {
                        let key = reference.rsplit('/').next().unwrap_or_default();
                        let key = pointer_key(key);
                        let mut values: Vec<String> = discriminator
                            .iter()
                            .flat_map(|d| &d.mapping)
                            // A mapping names a schema by reference or by bare name.
                            .filter(|(_, target)| *target == reference || **target == key)
                            .map(|(value, _)| value.clone())
                            .collect();
                        if values.is_empty() {
                            values.push(key.clone());
                        }
                        (variant_name(&key), if tagged { values } else { Vec::new() })
                    }
                    ReferenceOr::Item(_) => (variant_of(&ty, i), Vec::new()),
                };
                UnionVariant {
                    name: scope.unique(name),
                    tag_values,
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
                    .map(serde::Deserialize::deserialize)
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

/// The hash of a declaration's shape, for [`TypeSpace::inline_shapes`]. (`DefaultHasher`
/// hashes the same everywhere; only equality decides, so the output does not depend on
/// it anyway.)
fn shape_hash(kind: &TypeKind, deprecated: bool) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (kind, deprecated).hash(&mut hasher);
    hasher.finish()
}

/// The `$ref` of a schema that is one.
fn reference_of<T>(schema: &ReferenceOr<T>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(reference),
        ReferenceOr::Item(_) => None,
    }
}

/// How many `allOf`s deep a merge looks.
const ALL_OF_DEPTH: usize = 16;

/// Whether a schema says nothing about values: only annotations (`description`,
/// `title`, `example`, `deprecated`, `xml`, extensions).
fn annotates_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => *any == openapiv3::AnySchema::default(),
        _ => false,
    }
}

/// The type-mapping table of DESIGN.md for primitive types: `type` and `format`.
///
/// `format: byte` is base64 text, so bytes wherever it stands. `format: binary` is raw
/// octets, which only a non-JSON body can carry: there (a file part of a multipart body,
/// an `application/octet-stream` body) the body's lowering makes it bytes; inside JSON
/// it can only be text, and stays a `String`.
fn primitive(typ: &str, format: &str) -> Type {
    match (typ, format) {
        ("string", "date-time") => Type::DateTime,
        ("string", "date") => Type::Date,
        ("string", "uuid") => Type::Uuid,
        ("string", "byte") => Type::Base64,
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
    // `Default` promises a value the document accepts: a required member's empty value
    // (`""`, `0`, `[]`) must satisfy its constraints.
    let default = fields
        .iter()
        .all(|f| f.optional || (has_default(&f.ty) && empty_is_valid(&f.ty, &f.constraints)));
    TypeKind::Struct {
        fields,
        additional,
        default,
        dependent_required: Vec::new(),
    }
}

/// Whether the `Default` value of `ty` satisfies `constraints`.
fn empty_is_valid(ty: &Type, constraints: &Constraints) -> bool {
    let zero_in_range = constraints
        .minimum
        .is_none_or(|min| min.least_integer() <= 0 && (min.as_f64() < 0.0 || !min.exclusive))
        && constraints
            .maximum
            .is_none_or(|max| max.most_integer() >= 0 && (max.as_f64() > 0.0 || !max.exclusive));
    match ty {
        Type::String | Type::Base64 => {
            constraints.min_length.unwrap_or(0) == 0
                && constraints.pattern.as_deref().is_none_or(|pattern| {
                    apigen_runtime::pattern::compile(pattern)
                        .is_ok_and(|pattern| pattern.is_match(""))
                })
        }
        Type::I32 | Type::I64 | Type::U32 | Type::U64 | Type::F32 | Type::F64 => {
            zero_in_range
                && constraints
                    .integers
                    .as_ref()
                    .is_none_or(|values| values.contains(&0))
        }
        Type::Vec(_) => constraints.min_items.unwrap_or(0) == 0,
        _ => true,
    }
}

fn has_default(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Base64
            | Type::Option(_)
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
    // An optional property that may also be null has three states: absent (`None`),
    // null (`Some(None)`), a value (`Some(Some(v))`), so that a `null` comes back as
    // sent. A required one sheds the outer `Option` below.
    let ty = if optional {
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

/// The title and description of a schema, as rustdoc (blank ones say nothing, as for
/// operations: [`super::operations::docs`]).
pub fn schema_docs(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let docs = super::operations::docs(data.title.as_deref(), data.description.as_deref());
    let notes = [dependent_required(schema), conditional(schema)];
    let parts: Vec<String> = std::iter::once(docs).chain(notes).flatten().collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// A word on a 3.1 `if`/`then`/`else`, which the generated code does not check.
fn conditional(schema: &Schema) -> Option<String> {
    (schema.schema_data.extensions.get(v31::CONDITIONAL) == Some(&Value::Bool(true))).then(|| {
        "The document adds a condition (`if`/`then`/`else`) that the generated code does not check.".to_owned()
    })
}

/// A 3.1 schema's `dependentRequired`: each member, and the members it needs.
fn dependencies(schema: &Schema) -> Vec<(String, Vec<String>)> {
    let rules = schema
        .schema_data
        .extensions
        .get(v31::DEPENDENT_REQUIRED)
        .and_then(Value::as_object);
    rules
        .into_iter()
        .flatten()
        .map(|(member, needed)| {
            let needed = needed
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            (member.clone(), needed)
        })
        .collect()
}

/// What a 3.1 `dependentRequired` asks, in words (a server refuses a value that breaks it).
fn dependent_required(schema: &Schema) -> Option<String> {
    let lines: Vec<String> = dependencies(schema)
        .iter()
        .map(|(member, needed)| {
            let needed: Vec<String> = needed.iter().map(|name| format!("`{name}`")).collect();
            format!("- with `{member}`: {}", needed.join(", "))
        })
        .collect();
    (!lines.is_empty()).then(|| {
        format!(
            "Members that come together (`dependentRequired`):\n{}",
            lines.join("\n")
        )
    })
}

fn docs_of(schema: &Schema, fallback: &str) -> String {
    schema_docs(schema).unwrap_or_else(|| fallback.to_owned())
}

/// How many other places a shared declaration lists before it only counts them.
const ALSO_AT_LISTED: usize = 8;

/// The docs of a declaration written out at `others` too, after its first place.
fn also_at(docs: &mut String, others: &[String]) {
    docs.push_str("\n\nThe same schema is written out again at:");
    for pointer in others.iter().take(ALSO_AT_LISTED) {
        docs.push_str(&format!("\n- `{pointer}`"));
    }
    let more = others.len().saturating_sub(ALSO_AT_LISTED);
    if more > 0 {
        docs.push_str(&format!(
            "\n- and {more} more place{}",
            if more == 1 { "" } else { "s" }
        ));
    }
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
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => {
                    direct(ty).map(str::to_owned).into_iter().collect()
                }
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
            TypeKind::Newtype(ty) => boxed(ty),
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

/// Whether the alias `from` reaches the alias `to` through aliases alone (looking inside
/// containers).
fn alias_reaches(aliases: &BTreeMap<String, Type>, from: &str, to: &str) -> bool {
    let mut stack: Vec<&str> = aliases.get(from).map(Type::named).unwrap_or_default();
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if name == to {
            return true;
        }
        if seen.insert(name)
            && let Some(ty) = aliases.get(name)
        {
            stack.extend(ty.named());
        }
    }
    false
}

/// The named type an alias stands for directly (through `Option` at most).
fn bare_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Named(name) => Some(name.clone()),
        Type::Option(inner) => bare_name(inner),
        _ => None,
    }
}
