//! `src/lib.rs`: crate documentation from `info`, the modules, and re-exports.

use super::docs::inner_doc_attrs;
use super::ident;
use crate::model::Service;
use proc_macro2::TokenStream;
use quote::quote;

/// The crate root.
pub fn lib_rs(service: &Service, mock: bool) -> TokenStream {
    let mut text = format!("{} (version {})", service.title, service.version);
    if let Some(description) = &service.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    text.push_str(&format!(
        "\n\nGenerated from `{}` by `cargo xtask codegen`. The server side (feature `server`) is the [`{}`] trait and its [`router`] (and, to publish the document from the service, [`document_router`]); the client side (feature `client`) is [`Client`].",
        service.source, service.trait_name
    ));
    text.push_str(
        "\n\nCode that builds params structs and objects with `new` and the `with_*` setters (or `Default`), and gives every `match` on a response, error or open enum a wildcard arm, keeps compiling when the document gains an optional parameter or property, an operation, an error status or an open enum value: those types are `#[non_exhaustive]`.",
    );
    let webhooks = service.operations.iter().any(|op| op.webhook);
    if webhooks {
        text.push_str(&format!(
            "\n\nThe webhooks the API sends are received with the [`{}`] trait and its [`webhooks_router`] (feature `server`).",
            service.webhooks_trait_name
        ));
    }
    let docs = inner_doc_attrs(&text);
    let trait_name = ident(&service.trait_name);
    let webhooks = webhooks.then(|| {
        let webhooks_trait = ident(&service.webhooks_trait_name);
        quote! {
            #[cfg(feature = "server")]
            pub use server::{#webhooks_trait, webhooks_router, webhooks_router_with};
        }
    });
    let mock = mock.then(|| {
        quote! {
            #[cfg(feature = "mock")]
            pub mod mock;
        }
    });
    quote! {
        #docs

        pub mod operations;
        pub mod types;

        #[cfg(feature = "client")]
        pub mod client;
        #[cfg(feature = "server")]
        pub mod server;
        #mock

        #[cfg(feature = "client")]
        pub use client::Client;
        #[cfg(feature = "server")]
        pub use server::{#trait_name, document_router, router, router_with};
        #webhooks

        /// The OpenAPI document this crate was generated from, as one JSON document (files it
        /// referred to bundled in), for serving at `/openapi.json` or publishing.
        pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

        /// The same document as YAML, for serving at `/openapi.yaml`.
        pub const OPENAPI_YAML: &str = include_str!("../openapi.yaml");
    }
}
