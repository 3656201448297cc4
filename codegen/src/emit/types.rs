//! `src/types.rs`: one Rust type per named schema.
//!
//! Object structs are `#[non_exhaustive]` with a constructor and setters, and open enums
//! `#[non_exhaustive]`, so that a property or value the document adds breaks no caller
//! (see [`super::construct`]).

use super::construct::{Member, constructors};
use super::docs::doc_attrs_or;
use super::features::Features;
use super::validate;
use super::{
    Scope, allow_deprecated, allow_large_variants, deprecated, doc_attrs, gated, ident, ty,
};
use crate::format::{Module, Piece};
use crate::model::{EnumVariant, Field, Service, Type, TypeDef, TypeKind, UnionVariant};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use std::collections::BTreeSet;

/// The `types` module, a piece per type.
pub fn types<'a>(service: &'a Service, features: &'a Features) -> Module<'a> {
    let found = std::sync::Arc::new(validate::validating_types(service));
    let readers = std::sync::Arc::new(absent_readers(service));
    let pieces = service
        .types
        .iter()
        .map(|d| {
            let found = found.clone();
            let readers = readers.clone();
            Box::new(move || {
                let def = def(d, service, &readers);
                let validate = validate::validate_impl(d, &found);
                gated(&features.ty(&d.name), quote!(#def #validate))
            }) as Piece<'a>
        })
        .collect();
    Module {
        head: Box::new(|| {
            let allow = allow_deprecated();
            syn::parse2(quote! {
                //! The document's schemas as Rust types, shared by the client and the server.
                #allow
            })
        }),
        pieces,
    }
}

/// The named types that read an absent member as a value, as `Option` reads it as
/// `None`: aliases and newtypes of `Option`, through other such names and boxes. Absent,
/// a required member of any other type is refused (`missing field`).
fn absent_readers(service: &Service) -> BTreeSet<String> {
    let mut readers = BTreeSet::new();
    loop {
        let known = readers.len();
        for def in &service.types {
            if let TypeKind::Alias(ty) | TypeKind::Newtype(ty) = &def.kind
                && reads_absence(ty, &readers)
            {
                readers.insert(def.name.clone());
            }
        }
        if readers.len() == known {
            return readers;
        }
    }
}

/// Whether `ty` reads an absent member as a value (see [`absent_readers`]).
fn reads_absence(ty: &Type, readers: &BTreeSet<String>) -> bool {
    match ty {
        Type::Option(_) => true,
        Type::Box(inner) => reads_absence(inner, readers),
        Type::Named(name) => readers.contains(name),
        _ => false,
    }
}

fn def(def: &TypeDef, service: &Service, readers: &BTreeSet<String>) -> TokenStream {
    let docs = doc_attrs(&def.docs);
    let deprecated = deprecated(def.deprecated);
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct {
            fields,
            additional,
            default,
            ..
        } => structure(&name, fields, additional.as_ref(), *default, readers),
        TypeKind::Enum { variants, open } => enumeration(&name, variants, *open),
        TypeKind::Union { variants, tag } => match tag {
            Some(tag) => tagged_union(&name, variants, tag, service),
            None => union(&name, variants),
        },
        TypeKind::Newtype(inner) => {
            let inner = ty(inner, Scope::Types);
            quote! {
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #inner);
            }
        }
        TypeKind::Alias(aliased) => {
            let aliased = ty(aliased, Scope::Types);
            quote!(pub type #name = #aliased;)
        }
    };
    quote! {
        #docs
        #deprecated
        #body
    }
}

fn structure(
    name: &proc_macro2::Ident,
    fields: &[Field],
    additional: Option<&Type>,
    default: bool,
    readers: &BTreeSet<String>,
) -> TokenStream {
    let derive_default = if default { quote!(Default,) } else { quote!() };
    let members: Vec<_> = fields
        .iter()
        .map(|field| match (&field.ty, field.optional) {
            (Type::Option(inner), true) => Member::optional(
                &field.name,
                &field.wire_name,
                inner,
                Scope::Types,
                field.deprecated,
            ),
            (field_ty, _) => {
                Member::required(&field.name, &field.wire_name, field_ty, Scope::Types)
            }
        })
        .collect();
    let rest: Vec<_> = additional
        .iter()
        .map(|_| quote!(additional_properties: std::collections::BTreeMap::new()))
        .collect();
    let constructors = constructors(name, &members, &rest);
    let field_list = fields;
    let fields = fields.iter().map(|field| {
        let docs = doc_attrs_or(&field.docs, || format!("The `{}` value.", field.wire_name));
        let deprecated = deprecated(field.deprecated);
        let name = ident(&field.name);
        let field_ty = ty(&field.ty, Scope::Types);
        // serde's attributes are for its derives, which only a struct with additional
        // properties has (see `read_members`).
        let serde = additional.is_some().then(|| serde_attrs(field));
        quote! {
            #docs
            #deprecated
            #serde
            pub #name: #field_ty,
        }
    });
    // A struct with additional properties keeps serde's derives, whose `flatten`
    // gathers and writes the members it does not name; the others are read and written
    // through the runtime (see `read_members`).
    let (derive_serde, serde_impls) = match additional {
        Some(_) => (quote!(serde::Serialize, serde::Deserialize), None),
        None => {
            let read = read_members(name, field_list, readers);
            let write = write_members(name, field_list);
            (quote!(), Some(quote!(#read #write)))
        }
    };
    let additional = additional.map(|value| {
        let value = ty(value, Scope::Types);
        quote! {
            /// Properties the schema does not name.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #value>,
        }
    });
    // A property the document adds later is one more field.
    quote! {
        #[derive(Clone, PartialEq, #derive_default #derive_serde)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        apigen_runtime::debug!(#name);

        #constructors
        #serde_impls
    }
}

/// `Deserialize` for a struct of named members, through `apigen_runtime::object`: a slot
/// per member, one arm per member reading its value, and the struct put together at the
/// end. serde's derive writes a field enum and two visitors per struct instead, several
/// hundred lines each that `cargo check` spent most of a large document's time on; what
/// a reader sees is the same (see the runtime module).
///
/// An absent required member is refused by a `match` written out in `finish`, where
/// its type reads no absence (`readers`): a `?` on a runtime call per member cost a
/// tenth of GitHub's `cargo check`.
fn read_members(
    name: &proc_macro2::Ident,
    fields: &[Field],
    readers: &BTreeSet<String>,
) -> TokenStream {
    let type_name = name.to_string();
    let slots = fields.iter().map(|field| {
        let slot = ident(&field.name);
        let field_ty = ty(&field.ty, Scope::Types);
        quote!(#slot: Option<#field_ty>,)
    });
    let wires = fields.iter().map(|field| field.wire_name.as_str());
    let reads: Vec<_> = fields
        .iter()
        .map(|field| {
            let slot = ident(&field.name);
            let wire = &field.wire_name;
            if nullable(field) {
                quote!(apigen_runtime::object::next_nullable(map, &mut self.#slot, #wire))
            } else {
                quote!(apigen_runtime::object::next(map, &mut self.#slot, #wire))
            }
        })
        .collect();
    // The visitor only asks for members in `MEMBERS`: the last one takes the wildcard,
    // and a struct of one member or none needs no `match`.
    let (index, map, body) = match reads.as_slice() {
        [] => (quote!(_index), quote!(_map), quote!(Ok(()))),
        [read] => (quote!(_index), quote!(map), read.clone()),
        [first @ .., last] => {
            let arms = first.iter().enumerate().map(|(index, read)| {
                let index = proc_macro2::Literal::usize_unsuffixed(index);
                quote!(#index => #read,)
            });
            let body = quote! {
                match index {
                    #(#arms)*
                    _ => #last,
                }
            };
            (quote!(index), quote!(map), body)
        }
    };
    let member = quote! {
        fn member<A: serde::de::MapAccess<'de>>(&mut self, #index: usize, #map: &mut A) -> Result<(), A::Error> {
            #body
        }
    };
    let finish = fields.iter().map(|field| {
        let slot = ident(&field.name);
        let wire = &field.wire_name;
        match &field.ty {
            // Absent: `None`, whether optional or a required `Option` (as serde reads it).
            Type::Option(_) => quote!(#slot: self.#slot.unwrap_or_default(),),
            ty if reads_absence(ty, readers) => {
                quote!(#slot: apigen_runtime::object::required(self.#slot, #wire)?,)
            }
            _ => quote! {
                #slot: match self.#slot {
                    Some(value) => value,
                    None => return Err(serde::de::Error::missing_field(#wire)),
                },
            },
        }
    });
    quote! {
        // `__Members`: a name no schema's type takes (those are camel case without
        // underscores), so that the block shadows none.
        const _: () = {
            #[derive(Default)]
            struct __Members {
                #(#slots)*
            }

            impl<'de> apigen_runtime::object::Object<'de> for __Members {
                type Value = #name;
                const NAME: &'static str = #type_name;
                const MEMBERS: &'static [&'static str] = &[#(#wires),*];

                #member

                fn finish<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                    Ok(Self::Value {
                        #(#finish)*
                    })
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    apigen_runtime::object::deserialize::<D, __Members>(deserializer)
                }
            }
        };
    }
}

/// The `#[serde]` attribute of a field for serde's derives: its wire name, and for an
/// optional member `default` and skipped when `None`.
fn serde_attrs(field: &Field) -> TokenStream {
    let bare = field.name.trim_start_matches("r#");
    let wire = &field.wire_name;
    let rename = (bare != wire).then(|| quote!(rename = #wire));
    let optional = if nullable(field) {
        // Absent, null and a value told apart (`apigen_runtime::nullable`).
        Some(quote!(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "apigen_runtime::nullable::deserialize"
        ))
    } else {
        field
            .optional
            .then(|| quote!(default, skip_serializing_if = "Option::is_none"))
    };
    match (rename, optional) {
        (None, None) => quote!(),
        (Some(rename), None) => quote!(#[serde(#rename)]),
        (None, Some(optional)) => quote!(#[serde(#optional)]),
        (Some(rename), Some(optional)) => quote!(#[serde(#rename, #optional)]),
    }
}

/// `Serialize` for a struct of named members: a call per member, an optional one left
/// out when `None`, as serde's derive writes it (the derive's expansion is several
/// times longer, with a `?` per member, for the compiler to check once per struct).
fn write_members(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let type_name = name.to_string();
    // The members written: the required ones, and each optional one that is `Some`.
    let required = fields.iter().filter(|field| !field.optional).count();
    let present = fields.iter().filter(|field| field.optional).map(|field| {
        let field_name = ident(&field.name);
        quote!(usize::from(self.#field_name.is_some()))
    });
    let count = (required > 0 || fields.iter().all(|field| !field.optional))
        .then(|| proc_macro2::Literal::usize_unsuffixed(required).into_token_stream());
    let len = count.into_iter().chain(present);
    let writes = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let wire = &field.wire_name;
        if field.optional {
            quote!(object.optional(#wire, &self.#field_name);)
        } else {
            quote!(object.member(#wire, &self.#field_name);)
        }
    });
    let object = if fields.is_empty() {
        quote!(let object)
    } else {
        quote!(let mut object)
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #object = apigen_runtime::object::Writer::new(
                    serializer.serialize_struct(#type_name, #(#len)+*),
                );
                #(#writes)*
                object.end()
            }
        }
    }
}

/// Whether a field holds a property that may be absent and may be null, told apart
/// (`apigen_runtime::nullable`).
fn nullable(field: &Field) -> bool {
    field.optional && matches!(&field.ty, Type::Option(inner) if matches!(**inner, Type::Option(_)))
}

/// A string enumeration: the enum, its table of values (`StringEnum`), and the runtime's
/// macro for the impls every enum shares (`Display`, serde, `Validate`, `as_str`).
fn enumeration(name: &proc_macro2::Ident, variants: &[EnumVariant], open: bool) -> TokenStream {
    let declared = variants.iter().map(|variant| {
        let doc = format!(" `{}`", variant.wire);
        let variant_name = ident(&variant.name);
        quote! {
            #[doc = #doc]
            #variant_name,
        }
    });
    let names: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<_> = variants.iter().map(|v| v.wire.as_str()).collect();
    // Every enum keeps values it does not know, so that a client goes on working when
    // the service adds one; a closed enum's server refuses them.
    let unknown_doc = if open {
        " A value this version of the document does not list (the document says others may appear)."
    } else {
        " A value the document does not list: tolerated in responses, refused by the server in requests."
    };
    // An open enum gains values without notice; a closed one is matched whole.
    let non_exhaustive = open.then(|| quote!(#[non_exhaustive]));
    quote! {
        #[derive(Clone, PartialEq, Eq, Hash)]
        #non_exhaustive
        pub enum #name {
            #(#declared)*
            #[doc = #unknown_doc]
            Unknown(String),
        }

        impl apigen_runtime::StringEnum for #name {
            const VALUES: &'static [&'static str] = &[#(#wires),*];
            const OPEN: bool = #open;

            fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #wires,)*
                    Self::Unknown(value) => value,
                }
            }

            fn from_wire(text: &str) -> Self {
                match text {
                    #(#wires => Self::#names,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        apigen_runtime::string_enum!(#name);
    }
}

fn union(name: &proc_macro2::Ident, variants: &[UnionVariant]) -> TokenStream {
    let variants = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let inner = ty(&variant.ty, Scope::Types);
        let doc = format!(" A value of the `{}` alternative.", variant.name);
        quote! {
            #[doc = #doc]
            #variant_name(#inner),
        }
    });
    let allow = allow_large_variants();
    quote! {
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        #allow
        pub enum #name {
            #(#variants)*
        }
    }
}

/// Whether a value of `ty` always writes the property `tag`: a struct of the document
/// with a required field of that wire name, and no map of additional properties that
/// could write it a second time.
fn writes_tag(ty: &Type, tag: &str, service: &Service) -> bool {
    let Type::Named(name) = ty else {
        return false;
    };
    service.types.iter().any(|def| {
        def.name == *name
            && matches!(
                &def.kind,
                TypeKind::Struct { fields, additional: None, .. }
                    if fields.iter().any(|field| field.wire_name == tag && !field.optional)
            )
    })
}

/// A union tagged by a discriminator property. serde's internally tagged enums would take
/// the tag away from the alternative (whose schema usually declares it, often required)
/// and write it twice, so the impls are written out: read the tag, then read the whole
/// object as the alternative it names; write the alternative, adding the tag if it lacks
/// it. A tag no alternative claims is kept in `Unknown`, as with enums, so a client goes
/// on working when the service adds an alternative; a server refuses it (`Validate`).
fn tagged_union(
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    tag: &str,
    service: &Service,
) -> TokenStream {
    let declared = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let inner = ty(&variant.ty, Scope::Types);
        let values = variant
            .tag_values
            .iter()
            .map(|value| format!("`{value}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = format!(" `{tag}`: {values}.");
        quote! {
            #[doc = #doc]
            #variant_name(#inner),
        }
    });
    let read = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let values = &variant.tag_values;
        quote! {
            #(Some(#values))|* => serde_json::from_value(value).map(Self::#variant_name).map_err(serde::de::Error::custom),
        }
    });
    let write = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        // An alternative that always writes the tag itself is written as it is: going
        // through a `serde_json::Value` to add a tag already there would build the whole
        // object once more on every write.
        if writes_tag(&variant.ty, tag, service) {
            return quote!(Self::#variant_name(value) => return value.serialize(serializer),);
        }

        let first = variant
            .tag_values
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        quote!(Self::#variant_name(value) => (serde_json::to_value(value), #first),)
    });
    let write = if variants
        .iter()
        .all(|variant| writes_tag(&variant.ty, tag, service))
    {
        let arms = variants.iter().map(|variant| {
            let variant_name = ident(&variant.name);
            quote!(Self::#variant_name(value) => value.serialize(serializer),)
        });
        quote! {
            match self {
                #(#arms)*
                Self::Unknown(value) => value.serialize(serializer),
            }
        }
    } else {
        quote! {
            let (value, tag) = match self {
                #(#write)*
                Self::Unknown(value) => return value.serialize(serializer),
            };
            let mut value = value.map_err(serde::ser::Error::custom)?;
            if let Some(object) = value.as_object_mut() {
                object
                    .entry(#tag)
                    .or_insert_with(|| serde_json::Value::String(tag.to_owned()));
            }
            value.serialize(serializer)
        }
    };
    let allow = allow_large_variants();
    let unknown_doc = format!(
        " An object whose `{tag}` names no alternative this version of the document lists."
    );
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #allow
        pub enum #name {
            #(#declared)*
            #[doc = #unknown_doc]
            Unknown(serde_json::Value),
        }

        impl #name {
            /// The name of the discriminator property.
            pub const TAG: &'static str = #tag;
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#tag).and_then(serde_json::Value::as_str) {
                    #(#read)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #write
            }
        }
    }
}
