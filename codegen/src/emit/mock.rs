//! `src/mock.rs` (feature `mock`): an implementation of the service trait that answers
//! from the document's examples, and the `<crate>-mock` binary that serves it.

use super::features::Features;
use super::ident;
use super::operations::{params_name, request_body_type, response_name};
use crate::model::{Operation, Response, ResponseBody, Service, StatusSpec, Type, TypeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The `mock` module, or `None` when some operation has no answer the mock can always
/// give (an example may fail to decode at run time, so each operation needs a response
/// without a body or with a body that has a default).
pub fn mock(service: &Service, features: &Features) -> Option<TokenStream> {
    let trait_name = ident(&service.trait_name);
    let methods: Vec<TokenStream> = service
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| {
            let gate = features.operation(index);
            method(service, op).map(|method| quote!(#gate #method))
        })
        .collect::<Option<_>>()?;
    Some(quote! {
        //! An implementation of the service that answers every operation with the
        //! document's own examples (`cargo xtask serve` runs it).

        /// Answers each operation with the first example of its first documented response
        /// that has one, and refuses invalid requests with the example the document
        /// gives for that status.
        #[derive(Debug)]
        pub struct Mock {
            document: serde_json::Value,
        }

        impl Default for Mock {
            fn default() -> Self {
                Self::new()
            }
        }

        impl Mock {
            /// A mock of the embedded document.
            pub fn new() -> Self {
                Mock { document: apigen_runtime::mock::document(crate::OPENAPI_JSON) }
            }
        }

        impl crate::server::#trait_name for Mock {
            #(#methods)*

            fn reject(&self, rejection: apigen_runtime::server::Rejection) -> apigen_runtime::axum::response::Response {
                apigen_runtime::mock::reject(&self.document, rejection)
            }
        }
    })
}

/// The binary serving the mock.
pub fn binary(service: &Service) -> TokenStream {
    let crate_ident = format_ident!("{}", service.crate_name.replace('-', "_"));
    let name = format!("{}-mock", service.crate_name);
    let doc = format!(
        " Serves the examples of `{}`, and the document itself: `cargo xtask serve {} [--addr HOST:PORT]`.",
        service.source, service.crate_name
    );
    quote! {
        #![doc = #doc]

        fn main() -> std::process::ExitCode {
            let router = #crate_ident::router(#crate_ident::mock::Mock::new());
            let document = #crate_ident::document_router();
            apigen_runtime::mock::run(#name, #crate_ident::server::BASE_PATH, router, document)
        }
    }
}

/// What follows the body in a variant of `response`: nothing, or default headers (`,
/// Default::default()`); `None` when the response has a required header, which the
/// document gives no value for.
fn default_headers(response: &Response) -> Option<TokenStream> {
    if response.headers.is_empty() {
        return Some(quote!());
    }
    response
        .headers
        .iter()
        .all(|header| !header.required)
        .then(|| quote!(, Default::default()))
}

/// Whether a value of `ty` can be made with `Default::default()`.
fn defaultable(service: &Service, ty: &Type) -> bool {
    match ty {
        Type::Named(name) => service
            .types
            .iter()
            .find(|def| &def.name == name)
            .is_some_and(|def| match &def.kind {
                TypeKind::Struct { default, .. } => *default,
                TypeKind::Alias(inner) => defaultable(service, inner),
                TypeKind::Enum { .. } | TypeKind::Union { .. } | TypeKind::Newtype(_) => false,
            }),
        Type::Box(inner) => defaultable(service, inner),
        Type::DateTime | Type::Date | Type::Uuid => false,
        _ => true,
    }
}

fn method(service: &Service, operation: &Operation) -> Option<TokenStream> {
    let name = ident(&operation.name);
    let enum_name = response_name(operation);
    let params = {
        let params = params_name(operation);
        quote!(_params: crate::operations::#params,)
    };
    let body = operation.body.as_ref().map(|body| {
        let body_ty = request_body_type(operation, body);
        if body.required {
            quote!(_body: #body_ty,)
        } else {
            quote!(_body: Option<#body_ty>,)
        }
    });
    let credentials = super::server::credentials_type(service, operation, &quote!(crate::server::))
        .map(|c| quote!(_credentials: #c,));
    let (successes, errors): (Vec<&Response>, Vec<&Response>) = operation
        .responses
        .iter()
        .filter(|r| matches!(r.status, StatusSpec::Code(_)))
        .partition(|r| r.status.is_success());
    let path = &operation.path;
    let method = &operation.method;
    let attempt = |response: &&Response| -> Option<TokenStream> {
        let (StatusSpec::Code(code), ResponseBody::Json(_)) = (response.status, &response.body)
        else {
            return None;
        };
        let variant = ident(&response.variant);
        let code = code.to_string();
        let headers = default_headers(response)?;
        Some(quote! {
            if let Some(body) = apigen_runtime::mock::body(&self.document, #path, #method, #code) {
                return crate::operations::#enum_name::#variant(body #headers);
            }
        })
    };
    let fallback = |response: &&Response| -> Option<TokenStream> {
        let variant = ident(&response.variant);
        let headers = default_headers(response)?;
        match &response.body {
            ResponseBody::Empty if response.headers.is_empty() => {
                Some(quote!(crate::operations::#enum_name::#variant))
            }
            ResponseBody::Empty => {
                Some(quote!(crate::operations::#enum_name::#variant(Default::default())))
            }
            ResponseBody::Json(body) if defaultable(service, body) => {
                Some(quote!(crate::operations::#enum_name::#variant(Default::default() #headers)))
            }
            ResponseBody::Text => {
                Some(quote!(crate::operations::#enum_name::#variant(String::new() #headers)))
            }
            _ => None,
        }
    };
    let mut attempts: Vec<TokenStream> = successes.iter().filter_map(attempt).collect();
    let last = match successes.iter().find_map(fallback) {
        Some(last) => last,
        None => {
            attempts.extend(errors.iter().filter_map(attempt));
            errors.iter().find_map(fallback)?
        }
    };
    Some(quote! {
        async fn #name(&self, #params #body #credentials) -> crate::operations::#enum_name {
            #(#attempts)*
            #last
        }
    })
}
