//! `src/mock.rs` (feature `mock`): an implementation of the service trait that answers
//! from the document's examples, the round trip that calls it through the generated
//! client with the document's examples, and the `<crate>-mock` binary that serves it
//! (or, with `--round-trip`, runs the round trip against itself).

use super::features::Features;
use super::operations::{headers_type, params_name, request_body_type, response_name};
use super::{Scope, ident, ty};
use crate::model::{
    BodyKind, Operation, ParamLocation, Response, ResponseBody, SchemeKind, Service, StatusSpec,
    Type, TypeKind,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The `mock` module, or `None` when some operation has no answer the mock can always
/// give (an example may fail to decode at run time, so each operation needs a response
/// without a body or with a body that has a default).
pub fn mock(service: &Service, features: &Features) -> Option<TokenStream> {
    let trait_name = ident(&service.trait_name);
    // The mock serves the API's operations; webhooks are its subscribers' to receive.
    let methods: Vec<TokenStream> = service
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| !op.webhook)
        .map(|(index, op)| {
            let gate = features.operation(index);
            method(service, op).map(|method| quote!(#gate #method))
        })
        .collect::<Option<_>>()?;
    let round_trip = round_trip(service, features);
    let allow_deprecated = super::allow_deprecated();
    Some(quote! {
        //! An implementation of the service that answers every operation with the
        //! document's own examples (`cargo xtask serve` runs it).

        #allow_deprecated

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

        #round_trip
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
            apigen_runtime::mock::run(
                #name,
                #crate_ident::server::BASE_PATH,
                router,
                document,
                #crate_ident::mock::round_trip,
            )
        }
    }
}

/// The headers of a variant of `response`: `Some(None)` when it has none, else the
/// headers value, each required one made by [`least`]; `None` when one cannot be made.
fn headers_value(
    service: &Service,
    operation: &Operation,
    response: &Response,
) -> Option<Option<TokenStream>> {
    if response.headers.is_empty() {
        return Some(None);
    }
    if response.headers.iter().all(|header| !header.required) {
        return Some(Some(quote!(Default::default())));
    }
    let name = super::operations::headers_name(operation, response);
    let required = response
        .headers
        .iter()
        .filter(|header| header.required)
        .map(|header| {
            let header_ty = if header.list {
                Type::Vec(Box::new(header.ty.clone()))
            } else {
                header.ty.clone()
            };
            least(service, &header_ty, 0)
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Some(quote!(crate::operations::#name::new(#(#required),*))))
}

/// How deep [`least`] nests before it gives up (a recursion through required members).
const LEAST_DEPTH: usize = 12;

/// An expression of type `ty` that the mock can always build, for a response the
/// document gives neither an example nor a schema the runtime can sample: the least
/// value of each type (empty text, zero, the first variant), required members made the
/// same way. `None` when there is no such value (a required member that recurses).
fn least(service: &Service, ty: &Type, depth: usize) -> Option<TokenStream> {
    if depth > LEAST_DEPTH {
        return None;
    }
    Some(match ty {
        // Spelled out: `new` takes text as `impl Into<String>`, which `Default` cannot name.
        Type::String => quote!(String::new()),
        Type::Option(_) => quote!(None),
        Type::Never => return None,
        Type::Tuple(items) => {
            let items = items
                .iter()
                .map(|item| least(service, item, depth + 1))
                .collect::<Option<Vec<_>>>()?;
            quote!((#(#items,)*))
        }
        Type::Box(inner) => {
            let inner = least(service, inner, depth + 1)?;
            quote!(Box::new(#inner))
        }
        Type::Named(name) => {
            let def = service.types.iter().find(|def| &def.name == name)?;
            let path = super::ty(ty, Scope::Crate);
            match &def.kind {
                TypeKind::Struct { default: true, .. } => quote!(<#path>::default()),
                TypeKind::Struct { fields, .. } => {
                    let required = fields
                        .iter()
                        .filter(|field| !(field.optional && matches!(field.ty, Type::Option(_))))
                        .map(|field| least(service, &field.ty, depth + 1))
                        .collect::<Option<Vec<_>>>()?;
                    quote!(#path::new(#(#required),*))
                }
                TypeKind::Enum { variants, .. } => {
                    let first = ident(&variants.first()?.name);
                    quote!(#path::#first)
                }
                TypeKind::Union { variants, .. } => variants.iter().find_map(|variant| {
                    let inner = least(service, &variant.ty, depth + 1)?;
                    let name = ident(&variant.name);
                    Some(quote!(#path::#name(#inner)))
                })?,
                TypeKind::Alias(inner) => least(service, inner, depth + 1)?,
                TypeKind::Newtype(inner) => {
                    let inner = least(service, inner, depth + 1)?;
                    quote!(#path(#inner))
                }
            }
        }
        // Numbers, booleans, instants (the epoch), ids (nil), bytes, JSON, lists, maps.
        _ => quote!(Default::default()),
    })
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
        let headers = headers_value(service, operation, response)?.map(|h| quote!(, #h));
        Some(quote! {
            if let Some(body) = apigen_runtime::mock::body(&self.document, #path, #method, #code) {
                return crate::operations::#enum_name::#variant(body #headers);
            }
        })
    };
    let fallback = |response: &&Response| -> Option<TokenStream> {
        let variant = ident(&response.variant);
        let headers = headers_value(service, operation, response)?.map(|h| quote!(, #h));
        match &response.body {
            ResponseBody::Empty if response.headers.is_empty() => {
                Some(quote!(crate::operations::#enum_name::#variant))
            }
            ResponseBody::Empty => {
                let headers = headers_value(service, operation, response)??;
                Some(quote!(crate::operations::#enum_name::#variant(#headers)))
            }
            ResponseBody::Json(body) => {
                let body = least(service, body, 0)?;
                Some(quote!(crate::operations::#enum_name::#variant(#body #headers)))
            }
            ResponseBody::Text => {
                Some(quote!(crate::operations::#enum_name::#variant(String::new() #headers)))
            }
            // Bytes of any other media type (`*/*`): none is as good as any.
            ResponseBody::Binary(_) => {
                Some(quote!(crate::operations::#enum_name::#variant(Default::default() #headers)))
            }
            // A stream of no items: its examples are not items the mock can type.
            ResponseBody::Stream(_) => Some(quote!(crate::operations::#enum_name::#variant(
                apigen_runtime::stream::Items::iter(Vec::new()) #headers
            ))),
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

/// `round_trip`: every operation called through the client, with the document's
/// examples, against the mock served at `base_url`; one report per operation.
fn round_trip(service: &Service, features: &Features) -> TokenStream {
    let credentials = service.security_schemes.iter().map(|scheme| {
        let setter = format_ident!("with_{}", scheme.name.trim_start_matches("r#"));
        match scheme.kind {
            SchemeKind::Basic => quote!(.#setter("round-trip", "round-trip")),
            _ => quote!(.#setter("round-trip")),
        }
    });
    let trips = service
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| !op.webhook)
        .map(|(index, op)| {
            let gate = features.operation(index);
            let trip = trip(service, op);
            quote!(#gate #trip)
        });
    // With every tag's feature off no operation is called.
    let allow = (!features.allow_unused().is_empty()).then(|| {
        quote!(#[allow(unused_variables, unused_mut, reason = "unused when the features of every operation are off")])
    });
    // Only what some trip uses is made: a document without operations, or whose
    // operations are all skipped before the call, must not warn.
    let calls = service.operations.iter().any(|op| {
        !op.webhook
            && !matches!(
                op.body.as_ref().map(|body| &body.kind),
                Some(BodyKind::Multipart(_) | BodyKind::Stream(_))
            )
    });
    let client = if calls {
        quote!(let client = crate::client::Client::with_base_url(base_url) #(#credentials)*;)
    } else {
        quote!(let _ = base_url;)
    };
    let body = if service.operations.iter().all(|op| op.webhook) {
        quote!(#client Vec::new())
    } else {
        quote! {
            let document = apigen_runtime::mock::document(crate::OPENAPI_JSON);
            #client
            let mut reports = Vec::new();
            #(#trips)*
            reports
        }
    };
    quote! {
        /// Calls every operation through the generated client, with the document's
        /// examples as input (made up from the schema where there is none), against
        /// the mock served at `base_url`, and tells how each example came back
        /// (`<crate>-mock --round-trip`, which `cargo xtask conformance` runs).
        #allow
        pub async fn round_trip(base_url: String) -> Vec<apigen_runtime::mock::Report> {
            #body
        }
    }
}

/// The round trip of one operation, a block pushing its report.
fn trip(service: &Service, op: &Operation) -> TokenStream {
    let (id, path, method) = (&op.id, &op.path, &op.method);
    let start = quote!(let trip = apigen_runtime::mock::Trip::new(&document, #id, #path, #method););
    let location = |location: ParamLocation| match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let member_ty = |param: &crate::model::Param| {
        let inner = if param.list {
            Type::Vec(Box::new(param.ty.clone()))
        } else {
            param.ty.clone()
        };
        ty(&inner, Scope::Crate)
    };
    let params_ty = params_name(op);
    let required = op.params.iter().filter(|p| p.required).map(|param| {
        let (at, wire, member) = (location(param.location), &param.wire_name, member_ty(param));
        quote!(trip.parameter::<#member>(#at, #wire)?)
    });
    let optional: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|param| {
            let (at, wire, member) = (location(param.location), &param.wire_name, member_ty(param));
            let field = ident(&param.name);
            quote!(params.#field = trip.optional_parameter::<#member>(#at, #wire)?;)
        })
        .collect();
    let binding = if optional.is_empty() {
        quote!(let params)
    } else {
        quote!(let mut params)
    };
    let (body, body_arg) = match &op.body {
        None => (quote!(), quote!()),
        Some(body) => {
            let media = &body.media_type;
            let body_ty = request_body_type(op, body);
            let made = match (&body.kind, body.required) {
                // A document's example is one value, not a sequence of items.
                (BodyKind::Multipart(_) | BodyKind::Stream(_), _) => {
                    let what = format!("{media} request body");
                    return quote!({
                        #start
                        let failure = trip.unsupported(#what);
                        reports.push(trip.report(Err(failure)));
                    });
                }
                (BodyKind::Binary, true) => quote!(apigen_runtime::bytes::Bytes::new()),
                (BodyKind::Binary, false) => quote!(Some(apigen_runtime::bytes::Bytes::new())),
                (BodyKind::Parts, true) => quote!(apigen_runtime::multipart::Parts::new()),
                (BodyKind::Parts, false) => {
                    quote!(Some(apigen_runtime::multipart::Parts::new()))
                }
                (_, true) => quote!(trip.body::<#body_ty>(#media)?),
                (_, false) => quote!(trip.optional_body::<#body_ty>(#media)?),
            };
            // What the client borrows: `&str` and `&[T]` for text and lists.
            let unsized_ = matches!(
                body.kind,
                BodyKind::Text | BodyKind::Json(Type::String) | BodyKind::Json(Type::Vec(_))
            );
            let arg = match (body.required, unsized_) {
                (true, _) => quote!(&body),
                (false, true) => quote!(body.as_deref()),
                (false, false) => quote!(body.as_ref()),
            };
            (quote!(let body = #made;), quote!(, #arg))
        }
    };
    let name = ident(&op.name);
    let call = quote!(client.#name(&params #body_arg).await);
    let check = match answered_response(service, op) {
        None => quote!(trip.accepted(#call)),
        Some(response) => {
            let StatusSpec::Code(code) = response.status else {
                unreachable!("answered_response picks a response with a status code")
            };
            let ResponseBody::Json(body) = &response.body else {
                unreachable!("answered_response picks a JSON response")
            };
            let body_ty = ty(body, Scope::Crate);
            let code = code.to_string();
            // From the client's success value to the body of the response compared.
            let extract = if super::client::returns_enum(op) {
                let enum_name = response_name(op);
                let variant = ident(&response.variant);
                quote!(|value| match value {
                    crate::operations::#enum_name::#variant(body, ..) => Some(body),
                    _ => None,
                })
            } else if headers_type(op, response).is_some() {
                quote!(|(body, _headers)| Some(body))
            } else {
                quote!(Some)
            };
            quote!(trip.answered::<#body_ty, _>(#code, #call.map(#extract)))
        }
    };
    // Boxed: `round_trip` awaits one of these per operation, and an unoptimized build
    // gives each its own room in the one stack frame (Stripe's 417 overflowed it).
    quote! {{
        #start
        let outcome = Box::pin(async {
            #binding = crate::operations::#params_ty::new(#(#required),*);
            #(#optional)*
            #body
            #check
        })
        .await;
        reports.push(trip.report(outcome));
    }}
}

/// The response the mock answers an operation with when its example decodes: the first
/// success with a JSON body it can build (see `method`); `None` when there is none.
fn answered_response<'a>(service: &Service, op: &'a Operation) -> Option<&'a Response> {
    op.responses.iter().find(|response| {
        response.status.is_success()
            && matches!(response.status, StatusSpec::Code(_))
            && matches!(response.body, ResponseBody::Json(_))
            && headers_value(service, op, response).is_some()
    })
}
