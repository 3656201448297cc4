//! The `Validate` impls of generated types, and how one value is checked against the
//! document's constraints (a runtime `Rules` constant), shared by the types emitter
//! (fields) and the server emitter (parameters, parts).

use super::ident;
use crate::model::{Bound, Constraints, Field, Number, Service, Type, TypeDef, TypeKind};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// What checking values needs to know of a service's types: the named types that check
/// themselves (their `Validate` impl), and what each alias stands for with its own
/// constraints (`type Code = String` with `minLength: 2` is checked as the `String` it
/// is, with its constraints and those of the place that uses it).
pub struct Validating {
    found: BTreeSet<String>,
    aliases: BTreeMap<String, (Type, Constraints)>,
}

impl Validating {
    /// Whether the named type `name` checks itself.
    pub fn contains(&self, name: &str) -> bool {
        self.found.contains(name)
    }

    /// `ty`, its aliases followed to the type they stand for (an alias has no `Validate`
    /// impl of its own), with `place`'s constraints and the aliases'.
    fn resolve<'a>(&'a self, ty: &'a Type, place: &Constraints) -> (&'a Type, Constraints) {
        place.clone().through_aliases(ty, |name| {
            self.aliases
                .get(name)
                .map(|(target, constraints)| (target, constraints))
        })
    }
}

/// The named types that have something to check: a closed enum, a tagged union, or a type
/// with a constraint somewhere inside it. Computed backwards from the types with checks
/// of their own to the types that contain them, once per type and reference: GitHub's
/// descriptions have thousands of types.
pub fn validating_types(service: &Service) -> Validating {
    let aliases: BTreeMap<String, (Type, Constraints)> = service
        .types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Alias(ty) => Some((def.name.clone(), (ty.clone(), def.constraints.clone()))),
            _ => None,
        })
        .collect();
    let mut validating = Validating {
        found: BTreeSet::new(),
        aliases,
    };
    let mut containers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut pending: Vec<&str> = Vec::new();
    for def in &service.types {
        // With nothing found yet, only a type's own checks count.
        if def_checks(def, &validating) {
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
    validating.found = found;
    validating
}

fn def_checks(def: &TypeDef, found: &Validating) -> bool {
    match &def.kind {
        TypeKind::Struct {
            fields,
            additional,
            dependent_required,
            ..
        } => {
            !dependent_required.is_empty()
                || fields.iter().any(|f| {
                    !applicable(&f.ty, &f.constraints, found).is_empty() || recurses(&f.ty, found)
                })
                || additional.as_ref().is_some_and(|ty| recurses(ty, found))
        }
        TypeKind::Enum { open, .. } => !open,
        TypeKind::Union { variants, tag } => {
            tag.is_some() || variants.iter().any(|v| recurses(&v.ty, found))
        }
        TypeKind::Alias(ty) => recurses(ty, found),
        TypeKind::Newtype(ty) => {
            recurses(ty, found) || !applicable(ty, &def.constraints, found).is_empty()
        }
    }
}

/// Whether a value of `ty` must be asked to check itself.
pub fn recurses(ty: &Type, found: &Validating) -> bool {
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
fn applicable(ty: &Type, constraints: &Constraints, found: &Validating) -> Constraints {
    let (ty, constraints) = found.resolve(ty, constraints);
    let constraints = &constraints;
    match ty {
        Type::Option(inner) | Type::Box(inner) => applicable(inner, constraints, found),
        Type::Vec(item) => {
            // Items named by an alias have constraints of their own.
            let items = applicable(
                item,
                constraints
                    .items
                    .as_deref()
                    .unwrap_or(&Constraints::default()),
                found,
            );
            let items = (!items.is_empty()).then_some(items);
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
        Type::I32 | Type::I64 | Type::U32 | Type::U64 => {
            // Exact, inclusive, and only where the type does not already hold it
            // (`minimum: 0` on a `u64` is the type's own).
            let (low, high) = integer_range(ty);
            let inclusive = |value: i128| Bound {
                value: Number::Integer(value),
                exclusive: false,
            };
            Constraints {
                minimum: constraints
                    .minimum
                    .map(Bound::least_integer)
                    .filter(|least| *least > low)
                    .map(inclusive),
                maximum: constraints
                    .maximum
                    .map(Bound::most_integer)
                    .filter(|most| *most < high)
                    .map(inclusive),
                integers: constraints.integers.clone(),
                ..Constraints::default()
            }
        }
        Type::F32 | Type::F64 => {
            let float = |bound: Bound| Bound {
                value: Number::Float(bound.as_f64()),
                ..bound
            };
            Constraints {
                minimum: constraints.minimum.map(float),
                maximum: constraints.maximum.map(float),
                ..Constraints::default()
            }
        }
        _ => Constraints::default(),
    }
}

/// The values an integer type holds, least and greatest.
fn integer_range(ty: &Type) -> (i128, i128) {
    match ty {
        Type::I32 => (i32::MIN.into(), i32::MAX.into()),
        Type::U32 => (0, u32::MAX.into()),
        Type::U64 => (0, u64::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    }
}

/// Whether every value inside `ty` implements the runtime's `Check`: the runtime's
/// scalars, and the named types that validate (a named type that checks nothing has no
/// impl: an array of them is only counted).
fn checkable(ty: &Type, found: &Validating) -> bool {
    match found.resolve(ty, &Constraints::default()).0 {
        Type::Named(name) => found.contains(name),
        Type::Option(inner) | Type::Vec(inner) | Type::Map(inner) => checkable(inner, found),
        Type::Box(inner) => matches!(&**inner, Type::Named(name) if found.contains(name)),
        _ => true,
    }
}

/// The `&Rules` constant of what of `constraints` applies to a value of `ty`; `None`
/// when nothing does.
pub fn applicable_rules(
    ty: &Type,
    constraints: &Constraints,
    found: &Validating,
) -> Option<TokenStream> {
    let constraints = applicable(ty, constraints, found);
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
    // Integers' bounds (made inclusive by `applicable`) are compared exactly, as
    // integers; other numbers' as JSON Schema compares them, as `f64`.
    for (names, bound) in [
        ((quote!(least), quote!(minimum)), c.minimum),
        ((quote!(most), quote!(maximum)), c.maximum),
    ] {
        match bound {
            Some(Bound {
                value: Number::Integer(value),
                ..
            }) => {
                let (name, value) = (names.0, Literal::i128_unsuffixed(value));
                out.extend(quote!(#name: Some(#value),));
            }
            Some(Bound {
                value: Number::Float(value),
                exclusive,
            }) => {
                let (name, value) = (names.1, Literal::f64_unsuffixed(value));
                out.extend(quote!(#name: Some((#value, #exclusive)),));
            }
            None => {}
        }
    }
    if let Some(integers) = &c.integers {
        let integers = integers.iter().map(|v| Literal::i128_unsuffixed(*v));
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
    found: &Validating,
) -> Option<TokenStream> {
    let constraints = applicable(ty, constraints, found);
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
pub fn validate_impl(def: &TypeDef, found: &Validating) -> TokenStream {
    if !found.contains(&def.name) {
        return quote!();
    }
    let name = ident(&def.name);
    let none = quote!(&apigen_runtime::validate::Rules::NONE);
    let body = match &def.kind {
        TypeKind::Struct {
            fields,
            additional,
            dependent_required,
            ..
        } => {
            let checker = quote!(checker);
            let dependencies = dependencies(fields, dependent_required);
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
            quote!(#(#fields)* #additional #dependencies)
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
        TypeKind::Newtype(ty) => {
            let rules = rules(&applicable(ty, &def.constraints, found));
            quote!(apigen_runtime::validate::Check::check(&self.0, #rules, checker);)
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

/// The checks of a 3.1 `dependentRequired`: with the first member present, each member
/// it needs that may be absent must be there (a required one always is).
fn dependencies(fields: &[Field], dependent_required: &[(String, Vec<String>)]) -> TokenStream {
    let find = |wire: &str| fields.iter().find(|f| f.wire_name == wire);
    dependent_required
        .iter()
        .filter_map(|(member, needed)| Some((find(member)?, member, needed)))
        .flat_map(|(present, member, needed)| {
            needed
                .iter()
                .filter_map(move |wire| find(wire).filter(|f| f.optional))
                .map(move |field| {
                    let name = ident(&field.name);
                    let wire = &field.wire_name;
                    let condition = if present.optional {
                        let present = ident(&present.name);
                        quote!(self.#present.is_some() && self.#name.is_none())
                    } else {
                        quote!(self.#name.is_none())
                    };
                    quote! {
                        if #condition {
                            checker.at(#wire, |checker| checker.required_with(#member));
                        }
                    }
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::load::parse;
    use crate::lower::lower;
    use crate::model::{Field, TypeKind};
    use std::path::Path;

    /// The `Rules` each property of `Thing` is checked with, by property.
    fn rules_of_things(properties: &str) -> Vec<(String, String)> {
        let yaml = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Code: {{type: string, minLength: 2, maxLength: 4}}\n    Thing:\n      type: object\n      properties:\n{properties}"
        );
        let document = parse(Path::new("api.yaml"), &yaml).unwrap_or_else(|e| panic!("{e}"));
        let service = lower(&document, "api", "api.yaml").unwrap_or_else(|e| panic!("{e}"));
        let found = super::validating_types(&service);
        let thing = service
            .types
            .iter()
            .find(|t| t.name == "Thing")
            .expect("Thing");
        let TypeKind::Struct { fields, .. } = &thing.kind else {
            panic!("Thing is a struct")
        };
        fields
            .iter()
            .map(
                |Field {
                     name,
                     ty,
                     constraints,
                     ..
                 }| {
                    let rules = super::applicable_rules(ty, constraints, &found)
                        .map(|rules| rules.to_string().replace(' ', ""))
                        .unwrap_or_default();
                    (name.clone(), rules)
                },
            )
            .collect()
    }

    #[test]
    fn a_reference_with_a_description_beside_it_keeps_the_referenced_constraints() {
        let rules = rules_of_things(
            "        code:\n          allOf: [{$ref: '#/components/schemas/Code'}, {description: The code.}]\n        direct: {$ref: '#/components/schemas/Code'}\n        codes: {type: array, items: {$ref: '#/components/schemas/Code'}}\n",
        );
        // `Code` is `type Code = String`: a field of it is checked as the string it is,
        // with the constraints `Code` keeps.
        for (field, rules) in &rules {
            assert!(rules.contains("min_length:Some(2)"), "{field}: {rules}");
            assert!(rules.contains("max_length:Some(4)"), "{field}: {rules}");
        }
    }

    #[test]
    fn a_bound_beside_a_reference_is_checked_with_the_referenced_ones() {
        let rules = rules_of_things(
            "        short:\n          allOf: [{$ref: '#/components/schemas/Code'}, {maxLength: 3}]\n        range:\n          allOf: [{type: integer, format: uint64, maximum: 18446744073709551614}, {type: integer, minimum: 9007199254740993}]\n",
        );
        assert_eq!(
            rules[0].1,
            "&apigen_runtime::validate::Rules{min_length:Some(2),max_length:Some(3),..apigen_runtime::validate::Rules::NONE}"
        );
        // Both parts' bounds, exact: one below 2^64 - 1, one above 2^53.
        assert_eq!(
            rules[1].1,
            "&apigen_runtime::validate::Rules{least:Some(9007199254740993),most:Some(18446744073709551614),..apigen_runtime::validate::Rules::NONE}"
        );
    }

    #[test]
    fn integer_bounds_are_exact_and_those_the_type_holds_are_left_out() {
        let rules = rules_of_things(
            "        xuid: {type: integer, format: uint64, minimum: 0, maximum: 18446744073709551615}\n\
             \x20       big: {type: integer, format: int64, minimum: 9007199254740993}\n\
             \x20       positive: {type: integer, format: int32, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}\n\
             \x20       ratio: {type: number, minimum: 0, exclusiveMinimum: true}\n",
        );
        let of = |name: &str| {
            rules
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, r)| r.clone())
                .unwrap_or_else(|| panic!("no {name} in {rules:?}"))
        };
        // Every u64 is in 0..=2^64-1: nothing to check (it was two checks that could
        // never fail, the second against 2^64 as an f64).
        assert_eq!(of("xuid"), "");
        // 2^53 + 1 is not rounded to 2^53.
        assert!(
            of("big").contains("least:Some(9007199254740993)"),
            "{rules:?}"
        );
        // Exclusive integer bounds become the inclusive ones they mean.
        assert!(of("positive").contains("least:Some(1)"), "{rules:?}");
        assert!(of("positive").contains("most:Some(9)"), "{rules:?}");
        // Other numbers keep their bounds as JSON Schema compares them.
        assert!(
            of("ratio").contains("minimum:Some((0.0,true))"),
            "{rules:?}"
        );
    }
}
