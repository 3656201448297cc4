//! From the model to files: one module per output, each a pure function of the model
//! returning tokens built with `quote`, formatted by [`crate::format`].

mod client;
mod construct;
mod docs;
mod features;
mod lib_rs;
mod manifest;
mod mock;
mod operations;
mod server;
mod types;
mod validate;

use crate::format::{Module, format_modules, format_rust, header};
use crate::model::{Service, Type};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::sync::atomic::{AtomicBool, Ordering};

pub use docs::doc_attrs;

/// One generated file: its path within the crate and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The path relative to the crate's folder (`src/types.rs`).
    pub path: String,
    /// The complete text.
    pub text: String,
}

/// Every file of the crate for `service`.
pub fn emit(service: &Service) -> Result<Vec<File>, syn::Error> {
    let rust = |path: &str, text: Result<String, syn::Error>| -> Result<File, syn::Error> {
        Ok(File {
            path: path.to_owned(),
            text: format!("{}{}", header(&service.source, "//"), text?),
        })
    };
    let features = features::Features::new(service);
    // Whether the mock can answer every operation is known once it is made, which is
    // where it is formatted: on a thread of its own.
    let answered = AtomicBool::new(false);
    let mock = Module::whole(|| match mock::mock(service, &features) {
        Some(mock) => {
            answered.store(true, Ordering::Relaxed);
            mock
        }
        None => TokenStream::new(),
    });
    let [types, operations, server, client, mock_text] = format_modules(vec![
        types::types(service, &features),
        operations::operations(service, &features),
        server::server(service, &features),
        Module::whole(|| client::client(service, &features)),
        mock,
    ])
    .try_into()
    .unwrap_or_else(|_| unreachable!("one text per module"));
    let mock = answered.into_inner();
    let mut files = vec![
        File {
            path: "Cargo.toml".to_owned(),
            text: manifest::manifest(service, mock, &features.manifest()),
        },
        File {
            // prettyplease is the formatter of generated code: `cargo fmt` leaves it be,
            // so that the bytes stay exactly what the generator wrote.
            path: "rustfmt.toml".to_owned(),
            text: format!(
                "{}disable_all_formatting = true\n",
                header(&service.source, "#")
            ),
        },
        File {
            path: "openapi.json".to_owned(),
            text: service.document_json.clone(),
        },
        File {
            path: "openapi.yaml".to_owned(),
            text: format!("{}{}", header(&service.source, "#"), service.document_yaml),
        },
        rust("src/lib.rs", format_rust(lib_rs::lib_rs(service, mock)))?,
        rust("src/types.rs", types)?,
        rust("src/operations.rs", operations)?,
        rust("src/server.rs", server)?,
        rust("src/client.rs", client)?,
    ];
    if mock {
        files.push(rust("src/mock.rs", mock_text)?);
        files.push(rust(
            &format!("src/bin/{}-mock.rs", service.crate_name),
            format_rust(mock::binary(service)),
        )?);
    }
    Ok(files)
}

/// An identifier, raw (`r#type`) where the model says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where a type is spelled: inside the `types` module, or elsewhere in the crate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside `types`: named types by their bare name.
    Types,
    /// Elsewhere: named types as `crate::types::Name`.
    Crate,
}

/// The Rust spelling of a model type.
pub fn ty(ty: &Type, scope: Scope) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::Bool => quote!(bool),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::U32 => quote!(u32),
        Type::U64 => quote!(u64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::DateTime => quote!(apigen_runtime::DateTime),
        Type::Date => quote!(apigen_runtime::chrono::NaiveDate),
        Type::Uuid => quote!(apigen_runtime::uuid::Uuid),
        Type::Bytes => quote!(apigen_runtime::bytes::Bytes),
        Type::Base64 => quote!(apigen_runtime::Base64),
        Type::Json => quote!(serde_json::Value),
        Type::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Type::Vec(item) => {
            let item = self::ty(item, scope);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = self::ty(value, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Type::Option(inner) => {
            let inner = self::ty(inner, scope);
            quote!(Option<#inner>)
        }
        Type::Box(inner) => {
            let inner = self::ty(inner, scope);
            quote!(Box<#inner>)
        }
        Type::Tuple(items) => {
            let items = items.iter().map(|item| self::ty(item, scope));
            quote!((#(#items,)*))
        }
        Type::Never => quote!(apigen_runtime::Never),
        Type::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Types => quote!(#name),
                Scope::Crate => quote!(crate::types::#name),
            }
        }
    }
}

/// `items` with `gate` (a `#[cfg]`, or nothing) on each of them, parsed.
pub fn gated(gate: &TokenStream, items: TokenStream) -> Result<syn::File, syn::Error> {
    let mut file = syn::parse2::<syn::File>(items)?;
    if gate.is_empty() {
        return Ok(file);
    }
    for item in &mut file.items {
        match attributes(item) {
            Some(attrs) => {
                // Parsed per item: syn's trees are built without `Clone` here.
                let gate = syn::parse::Parser::parse2(syn::Attribute::parse_outer, gate.clone())?;
                attrs.splice(0..0, gate);
            }
            None => {
                let tokens = quote::ToTokens::to_token_stream(&*item);
                *item = syn::Item::Verbatim(quote!(#gate #tokens));
            }
        }
    }
    Ok(file)
}

/// The attributes of `item`; `None` for tokens syn keeps as they are.
fn attributes(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::ExternCrate(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::ForeignMod(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Struct(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::TraitAlias(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Union(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        _ => return None,
    })
}

/// `#[deprecated]` where the document says so.
pub fn deprecated(is: bool) -> TokenStream {
    if is { quote!(#[deprecated]) } else { quote!() }
}

/// Generated enums hold bodies of any size side by side; boxing the large ones would
/// make every implementor box what it answers, for a value built once and moved once.
pub fn allow_large_variants() -> TokenStream {
    quote! {
        #[allow(clippy::large_enum_variant, reason = "built once per call and moved; boxing would burden every user who builds or matches it")]
    }
}

/// The inner attribute every module that may touch deprecated items carries.
pub fn allow_deprecated() -> TokenStream {
    quote! {
        #![allow(deprecated, reason = "generated code reads and writes the document's deprecated items; their users get the warning")]
    }
}
