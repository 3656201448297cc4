//! The `Validate` impls of generated types, and the checks of one value, shared by the
//! types emitter (fields) and the server emitter (parameters).

use super::ident;
use crate::model::{Constraints, Service, Type, TypeDef, TypeKind};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The named types that have something to check: a closed enum, a tagged union, or a type
/// with a constraint somewhere inside it. Computed backwards from the types with checks
/// of their own to the types that contain them, once per type and reference: GitHub's
/// descriptions have thousands of types.
pub fn validating_types(service: &Service) -> BTreeSet<String> {
    let empty = BTreeSet::new();
    let mut containers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut pending: Vec<&str> = Vec::new();
    for def in &service.types {
        // With nothing found yet, only a type's own checks count.
        if def_checks(def, &empty) {
            pending.push(&def.name);
        }
        let mut named = Vec::new();
        match &def.kind {
            TypeKind::Struct {
                fields, additional, ..
            } => {
                named.extend(fields.iter().flat_map(|f| f.ty.named()));
                named.extend(additional.iter().flat_map(Type::named));
            }
            TypeKind::Union { variants, .. } => {
                named.extend(variants.iter().flat_map(|v| v.ty.named()));
            }
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => named.extend(ty.named()),
            TypeKind::Enum { .. } => {}
        }
        for name in named {
            containers.entry(name).or_default().push(&def.name);
        }
    }
    let mut found = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if found.insert(name.to_owned()) {
            pending.extend(containers.get(name).into_iter().flatten());
        }
    }
    found
}

fn def_checks(def: &TypeDef, found: &BTreeSet<String>) -> bool {
    match &def.kind {
        TypeKind::Struct {
            fields, additional, ..
        } => {
            fields
                .iter()
                .any(|f| !f.constraints.is_empty() || recurses(&f.ty, found))
                || additional.as_ref().is_some_and(|ty| recurses(ty, found))
        }
        TypeKind::Enum { open, .. } => !open,
        TypeKind::Union { variants, tag } => {
            tag.is_some() || variants.iter().any(|v| recurses(&v.ty, found))
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => recurses(ty, found),
    }
}

/// Whether a value of `ty` must be asked to check itself.
pub fn recurses(ty: &Type, found: &BTreeSet<String>) -> bool {
    match ty {
        Type::Named(name) => found.contains(name),
        Type::Option(inner) | Type::Vec(inner) | Type::Map(inner) | Type::Box(inner) => {
            recurses(inner, found)
        }
        _ => false,
    }
}

/// The statements checking `value` (an expression of type `&ty`): its constraints, then
/// its own `Validate` impl where it has one.
pub fn checks(
    value: &TokenStream,
    ty: &Type,
    constraints: &Constraints,
    found: &BTreeSet<String>,
) -> TokenStream {
    match ty {
        Type::Option(inner) | Type::Box(inner) if !constraints.is_empty() => {
            let inner_checks = checks(&quote!(value), inner, constraints, found);
            match ty {
                Type::Option(_) => quote!(if let Some(value) = #value { #inner_checks }),
                _ => quote!({ let value = &**#value; #inner_checks }),
            }
        }
        Type::Vec(item) => {
            let receiver = receiver(value);
            let count = items_count(value, constraints);
            let item_constraints = constraints.items.as_deref().cloned().unwrap_or_default();
            let each = if !item_constraints.is_empty() || recurses(item, found) {
                let item_checks = checks(&quote!(item), item, &item_constraints, found);
                quote! {
                    for (index, item) in #receiver.iter().enumerate() {
                        checker.at_index(index, |checker| { #item_checks });
                    }
                }
            } else {
                quote!()
            };
            quote!(#count #each)
        }
        _ => {
            let own = scalar_checks(value, ty, constraints);
            let nested = recurses(ty, found)
                .then(|| quote!(apigen_runtime::validate::Validate::validate(#value, checker);));
            quote!(#own #nested)
        }
    }
}

/// `value` as the receiver of a method call: `&self.tags` must be `(&self.tags)` before
/// `.iter()`, or the `&` would take the iterator's address.
fn receiver(value: &TokenStream) -> TokenStream {
    let reference = matches!(
        value.clone().into_iter().next(),
        Some(proc_macro2::TokenTree::Punct(punct)) if punct.as_char() == '&'
    );
    if reference {
        quote!((#value))
    } else {
        value.clone()
    }
}

/// The value behind the reference `value`: `&self.radius` is `self.radius`, `value` is
/// `*value`.
fn copied(value: &TokenStream) -> TokenStream {
    let mut tokens = value.clone().into_iter();
    match tokens.next() {
        Some(proc_macro2::TokenTree::Punct(punct)) if punct.as_char() == '&' => tokens.collect(),
        _ => quote!(*#value),
    }
}

fn items_count(value: &TokenStream, constraints: &Constraints) -> TokenStream {
    if constraints.min_items.is_none() && constraints.max_items.is_none() {
        return quote!();
    }
    let min = optional_u64(constraints.min_items);
    let max = optional_u64(constraints.max_items);
    let receiver = receiver(value);
    quote!(checker.items(#receiver.len(), #min, #max);)
}

fn optional_u64(bound: Option<u64>) -> TokenStream {
    match bound {
        Some(bound) => {
            let bound = Literal::u64_unsuffixed(bound);
            quote!(Some(#bound))
        }
        None => quote!(None),
    }
}

fn scalar_checks(value: &TokenStream, ty: &Type, constraints: &Constraints) -> TokenStream {
    let mut out = TokenStream::new();
    let copied = copied(value);
    if matches!(ty, Type::String) {
        if constraints.min_length.is_some() || constraints.max_length.is_some() {
            let min = optional_u64(constraints.min_length);
            let max = optional_u64(constraints.max_length);
            out.extend(quote!(checker.length(#value, #min, #max);));
        }
        if let Some(pattern) = &constraints.pattern {
            out.extend(quote!(checker.pattern(#value, #pattern);));
        }
    }
    if let Some(allowed) = &constraints.integers
        && matches!(ty, Type::I32 | Type::I64 | Type::U32 | Type::U64)
    {
        let allowed = allowed.iter().map(|v| Literal::i64_unsuffixed(*v));
        out.extend(quote!(checker.one_of_integers(i128::from(#copied), &[#(#allowed),*]);));
    }
    let number = match ty {
        Type::I32 | Type::U32 | Type::F32 => Some(quote!(f64::from(#copied))),
        Type::I64 | Type::U64 => Some(quote!(#copied as f64)),
        Type::F64 => Some(copied.clone()),
        _ => None,
    };
    if let Some(number) = number {
        for (bound, method) in [
            (constraints.minimum, quote!(minimum)),
            (constraints.maximum, quote!(maximum)),
        ] {
            if let Some((bound, exclusive)) = bound {
                let bound = Literal::f64_unsuffixed(bound);
                out.extend(quote!(checker.#method(#number, #bound, #exclusive);));
            }
        }
    }
    out
}

/// `impl Validate` for a named type.
pub fn validate_impl(def: &TypeDef, found: &BTreeSet<String>) -> TokenStream {
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct {
            fields, additional, ..
        } => {
            let fields = fields
                .iter()
                .filter(|f| !f.constraints.is_empty() || recurses(&f.ty, found))
                .map(|field| {
                    let member = ident(&field.name);
                    let wire = &field.wire_name;
                    let checks =
                        checks(&quote!(&self.#member), &field.ty, &field.constraints, found);
                    quote!(checker.at(#wire, |checker| { #checks });)
                });
            let additional = additional.as_ref().filter(|ty| recurses(ty, found)).map(|_| {
                quote! {
                    for (key, value) in &self.additional_properties {
                        checker.at(key, |checker| apigen_runtime::validate::Validate::validate(value, checker));
                    }
                }
            });
            quote!(#(#fields)* #additional)
        }
        TypeKind::Enum {
            variants,
            open: false,
        } => {
            let wires = variants.iter().map(|v| v.wire.as_str());
            quote! {
                if let Self::Unknown(value) = self {
                    checker.unknown_value(value, &[#(#wires),*]);
                }
            }
        }
        TypeKind::Union { variants, tag } => {
            let mut arms: Vec<(TokenStream, TokenStream)> = variants
                .iter()
                .filter(|v| recurses(&v.ty, found))
                .map(|variant| {
                    let variant_name = ident(&variant.name);
                    (
                        quote!(Self::#variant_name(value)),
                        quote!(apigen_runtime::validate::Validate::validate(value, checker);),
                    )
                })
                .collect();
            // A tag no alternative claims is refused, as an unknown enum value is.
            if let Some(tag) = tag {
                let values = variants
                    .iter()
                    .flat_map(|v| &v.tag_values)
                    .map(String::as_str);
                arms.push((
                    quote!(Self::Unknown(value)),
                    quote! {
                        let found = value.get(#tag).and_then(serde_json::Value::as_str).unwrap_or_default();
                        checker.at(#tag, |checker| checker.unknown_value(found, &[#(#values),*]));
                    },
                ));
            }
            let rest = variants.iter().any(|v| !recurses(&v.ty, found));
            match (&arms[..], rest) {
                // One alternative to look into: clippy prefers `if let` to a `match`.
                ([(pattern, body)], true) => quote!(if let #pattern = self { #body }),
                _ => {
                    let arms = arms
                        .iter()
                        .map(|(pattern, body)| quote!(#pattern => { #body }));
                    let rest = rest.then(|| quote!(_ => {}));
                    quote!(match self { #(#arms)* #rest })
                }
            }
        }
        TypeKind::Newtype(inner) => {
            if !recurses(inner, found) {
                return quote!();
            }
            let checks = checks(&quote!(&self.0), inner, &Default::default(), found);
            quote!(#checks)
        }
        // An alias is validated through the type it names.
        TypeKind::Alias(_) | TypeKind::Enum { .. } => return quote!(),
    };
    let checker = if found.contains(&def.name) {
        quote!(checker)
    } else {
        quote!(_checker)
    };
    let body = if found.contains(&def.name) {
        body
    } else {
        quote!()
    };
    quote! {
        impl apigen_runtime::validate::Validate for #name {
            fn validate(&self, #checker: &mut apigen_runtime::validate::Checker) {
                #body
            }
        }
    }
}
