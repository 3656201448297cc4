//! The `Validate` impls of generated types, and how one value is checked against the
//! document's constraints (a runtime `Rules` constant), shared by the types emitter
//! (fields) and the server emitter (parameters, parts).

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
                .any(|f| !applicable(&f.ty, &f.constraints).is_empty() || recurses(&f.ty, found))
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

/// The constraints that apply to a value of `ty`: lengths and patterns to strings, bounds
/// to numbers, integer enums to integers, counts to arrays (and their items' to items).
/// A named type checks its own; the document's others are left out.
fn applicable(ty: &Type, constraints: &Constraints) -> Constraints {
    match ty {
        Type::Option(inner) | Type::Box(inner) => applicable(inner, constraints),
        Type::Vec(item) => {
            let items = constraints
                .items
                .as_deref()
                .map(|items| applicable(item, items))
                .filter(|items| !items.is_empty());
            Constraints {
                min_items: constraints.min_items,
                max_items: constraints.max_items,
                items: items.map(Box::new),
                ..Constraints::default()
            }
        }
        Type::String => Constraints {
            min_length: constraints.min_length,
            max_length: constraints.max_length,
            pattern: constraints.pattern.clone(),
            ..Constraints::default()
        },
        Type::I32 | Type::I64 | Type::U32 | Type::U64 => Constraints {
            minimum: constraints.minimum,
            maximum: constraints.maximum,
            integers: constraints.integers.clone(),
            ..Constraints::default()
        },
        Type::F32 | Type::F64 => Constraints {
            minimum: constraints.minimum,
            maximum: constraints.maximum,
            ..Constraints::default()
        },
        _ => Constraints::default(),
    }
}

/// Whether every value inside `ty` implements the runtime's `Check`: the runtime's
/// scalars, and the named types that validate (a named type that checks nothing has no
/// impl: an array of them is only counted).
fn checkable(ty: &Type, found: &BTreeSet<String>) -> bool {
    match ty {
        Type::Named(name) => found.contains(name),
        Type::Option(inner) | Type::Vec(inner) | Type::Map(inner) => checkable(inner, found),
        Type::Box(inner) => matches!(&**inner, Type::Named(name) if found.contains(name)),
        _ => true,
    }
}

/// The `&Rules` constant of what of `constraints` applies to a value of `ty`; `None`
/// when nothing does.
pub fn applicable_rules(ty: &Type, constraints: &Constraints) -> Option<TokenStream> {
    let constraints = applicable(ty, constraints);
    (!constraints.is_empty()).then(|| rules(&constraints))
}

/// The `&Rules` constant of `constraints`.
fn rules(constraints: &Constraints) -> TokenStream {
    if constraints.is_empty() {
        return quote!(&apigen_runtime::validate::Rules::NONE);
    }
    let fields = rules_fields(constraints);
    quote!(&apigen_runtime::validate::Rules { #fields ..apigen_runtime::validate::Rules::NONE })
}

fn rules_fields(c: &Constraints) -> TokenStream {
    let mut out = TokenStream::new();
    for (name, bound) in [
        (quote!(min_length), c.min_length),
        (quote!(max_length), c.max_length),
        (quote!(min_items), c.min_items),
        (quote!(max_items), c.max_items),
    ] {
        if let Some(bound) = bound {
            let bound = Literal::u64_unsuffixed(bound);
            out.extend(quote!(#name: Some(#bound),));
        }
    }
    if let Some(pattern) = &c.pattern {
        out.extend(quote!(pattern: Some(#pattern),));
    }
    for (name, bound) in [(quote!(minimum), c.minimum), (quote!(maximum), c.maximum)] {
        if let Some((bound, exclusive)) = bound {
            let bound = Literal::f64_unsuffixed(bound);
            out.extend(quote!(#name: Some((#bound, #exclusive)),));
        }
    }
    if let Some(integers) = &c.integers {
        let integers = integers.iter().map(|v| Literal::i64_unsuffixed(*v));
        out.extend(quote!(integers: Some(&[#(#integers),*]),));
    }
    if let Some(items) = &c.items {
        let items = rules(items);
        out.extend(quote!(items: Some(#items),));
    }
    out
}

/// How `value` (an expression of type `&ty`) is checked against `constraints`, through
/// `check` (or `count`, for arrays of types that check nothing) called with `args`
/// (the key, or the location and name) before the value; `None` when there is nothing
/// to check.
pub fn check_call(
    receiver: &TokenStream,
    args: &TokenStream,
    value: &TokenStream,
    ty: &Type,
    constraints: &Constraints,
    found: &BTreeSet<String>,
) -> Option<TokenStream> {
    let constraints = applicable(ty, constraints);
    if constraints.is_empty() && !recurses(ty, found) {
        return None;
    }
    let rules = rules(&constraints);
    Some(if checkable(ty, found) {
        quote!(#receiver.check(#args, #value, #rules);)
    } else {
        quote!(#receiver.count(#args, #value, #rules);)
    })
}

/// `impl Validate` for a named type with something to check (enums have theirs from
/// `apigen_runtime::string_enum!`).
pub fn validate_impl(def: &TypeDef, found: &BTreeSet<String>) -> TokenStream {
    if !found.contains(&def.name) {
        return quote!();
    }
    let name = ident(&def.name);
    let none = quote!(&apigen_runtime::validate::Rules::NONE);
    let body = match &def.kind {
        TypeKind::Struct {
            fields, additional, ..
        } => {
            let checker = quote!(checker);
            let fields = fields.iter().filter_map(|field| {
                let member = ident(&field.name);
                let wire = &field.wire_name;
                check_call(
                    &checker,
                    &quote!(#wire),
                    &quote!(&self.#member),
                    &field.ty,
                    &field.constraints,
                    found,
                )
            });
            let additional = additional.as_ref().filter(|ty| recurses(ty, found)).map(|_| {
                quote!(apigen_runtime::validate::Check::check(&self.additional_properties, #none, checker);)
            });
            quote!(#(#fields)* #additional)
        }
        TypeKind::Union { variants, tag } => {
            let mut arms: Vec<(TokenStream, TokenStream)> = variants
                .iter()
                .filter(|v| recurses(&v.ty, found))
                .map(|variant| {
                    let variant_name = ident(&variant.name);
                    (
                        quote!(Self::#variant_name(value)),
                        quote!(apigen_runtime::validate::Check::check(value, #none, checker);),
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
        TypeKind::Newtype(_) => {
            quote!(apigen_runtime::validate::Check::check(&self.0, #none, checker);)
        }
        // An alias is validated through the type it names; an enum by its macro.
        TypeKind::Alias(_) | TypeKind::Enum { .. } => return quote!(),
    };
    quote! {
        impl apigen_runtime::validate::Validate for #name {
            fn validate(&self, checker: &mut apigen_runtime::validate::Checker) {
                #body
            }
        }
    }
}
