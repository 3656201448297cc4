//! `src/server.rs`: the service trait, its axum router, and one handler per operation
//! that extracts and checks the request before the trait is called.

use super::operations::{params_name, response_name};
use super::{Scope, allow_deprecated, doc_attrs, ident, ty};
use crate::model::{
    Operation, ParamLocation, ResponseBody, SchemeKind, Security, SecurityScheme, Segment, Service,
    StatusSpec,
};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The `server` module.
pub fn server(service: &Service) -> TokenStream {
    let trait_name = ident(&service.trait_name);
    let allow = allow_deprecated();
    let trait_doc = format!(
        " The {} service: implement one method per operation, then serve it with [`router`].",
        service.title
    );
    let methods = service
        .operations
        .iter()
        .map(|op| trait_method(service, op));
    let credentials = service
        .operations
        .iter()
        .filter_map(|op| credentials_enum(service, op));
    let routes = routes(service);
    let router_doc = format!(
        " An axum router serving `service`: each request is extracted and checked against the document, refused through [`{}::reject`] when invalid, and otherwise passed to the service.",
        service.trait_name
    );
    let handlers = service.operations.iter().map(|op| handler(service, op));
    let responses = service.operations.iter().map(into_response);
    quote! {
        //! The server side: the service trait and the router that serves it.
        #allow

        use apigen_runtime::axum;

        #[doc = #trait_doc]
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*

            /// Answers a request the router refused before calling the service (invalid
            /// parameters, missing credentials). The default answers with an RFC 9457
            /// `application/problem+json` body; override it to answer in the service's
            /// own error format.
            fn reject(&self, rejection: apigen_runtime::server::Rejection) -> axum::response::Response {
                rejection.into_problem_response()
            }
        }

        #(#credentials)*

        #[doc = #router_doc]
        pub fn router<S: #trait_name>(service: S) -> axum::Router {
            axum::Router::new()
                #routes
                .with_state(std::sync::Arc::new(service))
        }

        #(#handlers)*

        #(#responses)*
    }
}

/// The schemes of the non-empty alternatives, and whether credentials are optional.
fn alternatives<'a>(
    service: &'a Service,
    operation: &Operation,
) -> (Vec<Vec<&'a SecurityScheme>>, bool) {
    match &operation.security {
        Security::None => (Vec::new(), true),
        Security::Required(alternatives) => (
            alternatives
                .iter()
                .filter(|alternative| !alternative.is_empty())
                .map(|alternative| {
                    alternative
                        .iter()
                        .map(|&i| &service.security_schemes[i])
                        .collect()
                })
                .collect(),
            alternatives.iter().any(Vec::is_empty),
        ),
    }
}

fn scheme_type(scheme: &SecurityScheme) -> TokenStream {
    match scheme.kind {
        SchemeKind::Bearer => quote!(apigen_runtime::Bearer),
        SchemeKind::Basic => quote!(apigen_runtime::Basic),
        SchemeKind::ApiKeyHeader(_) | SchemeKind::ApiKeyQuery(_) | SchemeKind::ApiKeyCookie(_) => {
            quote!(apigen_runtime::ApiKey)
        }
    }
}

fn credentials_name(operation: &Operation) -> Ident {
    format_ident!("{}Credentials", operation.type_prefix)
}

fn alternative_variant(alternative: &[&SecurityScheme]) -> Ident {
    let names: Vec<&str> = alternative.iter().map(|s| s.variant.as_str()).collect();
    format_ident!("{}", names.join("And"))
}

fn alternative_payload(alternative: &[&SecurityScheme]) -> TokenStream {
    match alternative {
        [only] => scheme_type(only),
        many => {
            let types = many.iter().map(|s| scheme_type(s));
            quote!((#(#types),*))
        }
    }
}

/// The type of the trait method's `credentials` argument, if it has one.
fn credentials_type(service: &Service, operation: &Operation) -> Option<TokenStream> {
    let (alternatives, optional) = alternatives(service, operation);
    let inner = match &alternatives[..] {
        [] => return None,
        [only] if only.len() == 1 => scheme_type(only[0]),
        _ => {
            let name = credentials_name(operation);
            quote!(#name)
        }
    };
    Some(if optional {
        quote!(Option<#inner>)
    } else {
        inner
    })
}

fn credentials_enum(service: &Service, operation: &Operation) -> Option<TokenStream> {
    let (alternatives, _) = alternatives(service, operation);
    if alternatives.len() == 1 && alternatives[0].len() == 1 || alternatives.is_empty() {
        return None;
    }
    let name = credentials_name(operation);
    let doc = format!(
        " The credentials `{}` accepts: one variant per alternative of its `security`.",
        operation.id
    );
    let variants = alternatives.iter().map(|alternative| {
        let variant = alternative_variant(alternative);
        let payload = alternative_payload(alternative);
        let keys: Vec<&str> = alternative.iter().map(|s| s.key.as_str()).collect();
        let doc = format!(" Credentials of `{}`.", keys.join("` and `"));
        quote! {
            #[doc = #doc]
            #variant(#payload),
        }
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum #name {
            #(#variants)*
        }
    })
}

fn body_arg(operation: &Operation) -> Option<TokenStream> {
    operation.body.as_ref().map(|body| {
        let body_ty = ty(&body.ty, Scope::Crate);
        if body.required {
            quote!(#body_ty)
        } else {
            quote!(Option<#body_ty>)
        }
    })
}

fn trait_method(service: &Service, operation: &Operation) -> TokenStream {
    let docs = doc_attrs(&operation.docs);
    let name = ident(&operation.name);
    let params = (!operation.params.is_empty()).then(|| {
        let params = params_name(operation);
        quote!(params: crate::operations::#params,)
    });
    let body = body_arg(operation).map(|body| quote!(body: #body,));
    let credentials = credentials_type(service, operation).map(|c| quote!(credentials: #c,));
    let response = response_name(operation);
    quote! {
        #docs
        fn #name(&self, #params #body #credentials) -> impl Future<Output = crate::operations::#response> + Send;
    }
}

fn handler_name(operation: &Operation) -> Ident {
    format_ident!("handle_{}", operation.name.trim_start_matches("r#"))
}

/// The axum route of a path template: each parameter's segment is captured whole as
/// `{pN}` (its text around the value is checked by the handler), so that templates such
/// as `xuid({xuid})` route, and captures never clash between operations.
fn route_path(segments: &[Segment]) -> String {
    let parts: Vec<String> = segments
        .iter()
        .enumerate()
        .map(|(i, segment)| match segment {
            Segment::Literal(text) => text.replace('{', "{{").replace('}', "}}"),
            Segment::Param { .. } => format!("{{p{i}}}"),
        })
        .collect();
    format!("/{}", parts.join("/"))
}

fn routes(service: &Service) -> TokenStream {
    let mut by_route: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for operation in &service.operations {
        by_route
            .entry(route_path(&operation.segments))
            .or_default()
            .push(operation);
    }
    let routes = by_route.iter().map(|(path, operations)| {
        let mut methods = operations.iter().map(|operation| {
            let method = format_ident!("{}", operation.method.to_ascii_lowercase());
            let handler = handler_name(operation);
            (method, handler)
        });
        let first = methods
            .next()
            .map(|(method, handler)| quote!(axum::routing::#method(#handler::<S>)));
        let rest = methods.map(|(method, handler)| quote!(.#method(#handler::<S>)));
        quote!(.route(#path, #first #(#rest)*))
    });
    quote!(#(#routes)*)
}

fn extraction(scheme: &SecurityScheme) -> TokenStream {
    match &scheme.kind {
        SchemeKind::Bearer => quote!(input.bearer()),
        SchemeKind::Basic => quote!(input.basic()),
        SchemeKind::ApiKeyHeader(name) => quote!(input.api_key_header(#name)),
        SchemeKind::ApiKeyQuery(name) => quote!(input.api_key_query(#name)),
        SchemeKind::ApiKeyCookie(name) => quote!(input.api_key_cookie(#name)),
    }
}

/// A phrase naming the credentials an operation accepts, for the 401/403 body.
fn schemes_phrase(alternatives: &[Vec<&SecurityScheme>]) -> String {
    let describe = |scheme: &SecurityScheme| match &scheme.kind {
        SchemeKind::Bearer => format!("{} (Authorization: Bearer <token>)", scheme.key),
        SchemeKind::Basic => format!("{} (Authorization: Basic <credentials>)", scheme.key),
        SchemeKind::ApiKeyHeader(name) => format!("{} (API key in header {name})", scheme.key),
        SchemeKind::ApiKeyQuery(name) => {
            format!("{} (API key in query parameter {name})", scheme.key)
        }
        SchemeKind::ApiKeyCookie(name) => format!("{} (API key in cookie {name})", scheme.key),
    };
    let alternatives: Vec<String> = alternatives
        .iter()
        .map(|alternative| {
            alternative
                .iter()
                .map(|s| describe(s))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    format!("send {}", alternatives.join(", or "))
}

fn credentials_extraction(service: &Service, operation: &Operation) -> TokenStream {
    let (alternatives, optional) = alternatives(service, operation);
    if alternatives.is_empty() {
        return quote!();
    }
    let found = if alternatives.len() == 1 && alternatives[0].len() == 1 {
        extraction(alternatives[0][0])
    } else {
        // Alternatives in document order, the first one present wins.
        let name = credentials_name(operation);
        let mut options = alternatives.iter().map(|alternative| {
            let variant = alternative_variant(alternative);
            match &alternative[..] {
                [only] => {
                    let only = extraction(only);
                    quote!(#only.map(#name::#variant))
                }
                [first, rest @ ..] => {
                    let first = extraction(first);
                    let rest = rest.iter().map(|s| extraction(s));
                    quote!(#first.and_then(|c0| Some(#name::#variant((c0, #(#rest?),*)))))
                }
                [] => quote!(None),
            }
        });
        let first = options.next();
        let rest = options.map(|option| quote!(.or_else(|| #option)));
        quote!(#first #(#rest)*)
    };
    if optional {
        return quote!(let credentials = #found;);
    }
    let documents = |code: u16| {
        operation
            .responses
            .iter()
            .any(|r| r.status == StatusSpec::Code(code))
    };
    // The status the document declares for missing credentials: 401, or 403 where the
    // service documents only that (as Xbox Live and Crafter do).
    let status: u16 = if !documents(401) && documents(403) {
        403
    } else {
        401
    };
    let phrase = schemes_phrase(&alternatives);
    let status = Literal::u16_unsuffixed(status);
    quote! {
        let credentials = #found;
        let Some(credentials) = credentials else {
            return service.reject(apigen_runtime::server::Rejection::unauthenticated(#status, #phrase));
        };
    }
}

fn handler(service: &Service, operation: &Operation) -> TokenStream {
    let trait_name = ident(&service.trait_name);
    let name = handler_name(operation);
    let method = ident(&operation.name);
    let credentials = credentials_extraction(service, operation);
    let mut checked: Vec<Ident> = Vec::new();
    let reads = operation.params.iter().map(|param| {
        let field = ident(&param.name);
        checked.push(field.clone());
        let param_ty = ty(&param.ty, Scope::Crate);
        let wire = &param.wire_name;
        let read = match (param.location, param.list) {
            (ParamLocation::Path, _) => {
                let (capture, prefix, suffix) = operation
                    .segments
                    .iter()
                    .enumerate()
                    .find_map(|(i, segment)| match segment {
                        Segment::Param { prefix, name, suffix } if name == &param.wire_name => {
                            Some((format!("p{i}"), prefix.clone(), suffix.clone()))
                        }
                        _ => None,
                    })
                    .unwrap_or_default();
                return quote!(let #field = input.path::<#param_ty>(#capture, #wire, #prefix, #suffix););
            }
            (ParamLocation::Query, Some(explode)) => quote!(input.query_list::<#param_ty>(#wire, #explode)),
            (ParamLocation::Query, None) => quote!(input.query::<#param_ty>(#wire)),
            (ParamLocation::Header, _) => quote!(input.header::<#param_ty>(#wire)),
            (ParamLocation::Cookie, _) => quote!(input.cookie::<#param_ty>(#wire)),
        };
        if param.required {
            let location = match param.location {
                ParamLocation::Query => quote!(Query),
                ParamLocation::Header => quote!(Header),
                ParamLocation::Cookie => quote!(Cookie),
                ParamLocation::Path => quote!(Path),
            };
            quote! {
                let #field = #read;
                let #field = input.require(apigen_runtime::server::Location::#location, #wire, #field);
            }
        } else {
            quote!(let #field = #read;)
        }
    });
    let reads: Vec<TokenStream> = reads.collect();
    let (body_binding, body_read) = match &operation.body {
        None => (quote!(_), quote!()),
        Some(body) => {
            checked.push(format_ident!("body"));
            let body_ty = ty(&body.ty, Scope::Crate);
            let required = body.required;
            let require = required.then(|| quote!(let body = input.require(apigen_runtime::server::Location::Body, "", body);));
            (
                quote!(body),
                quote! {
                    let body = match apigen_runtime::server::read_body(body).await {
                        Ok(bytes) => bytes,
                        Err(rejection) => return service.reject(rejection),
                    };
                    let body = input.json_body::<#body_ty>(&body, #required);
                    #require
                },
            )
        }
    };
    let destructure = match &checked[..] {
        [] => quote!(),
        [only] => {
            quote!(let Some(#only) = #only else { return service.reject(input.into_rejection()); };)
        }
        many => {
            quote!(let (#(Some(#many)),*) = (#(#many),*) else { return service.reject(input.into_rejection()); };)
        }
    };
    let params_arg = (!operation.params.is_empty()).then(|| {
        let params = params_name(operation);
        let fields = operation.params.iter().map(|p| ident(&p.name));
        quote!(crate::operations::#params { #(#fields),* },)
    });
    let body_arg = operation.body.as_ref().map(|_| quote!(body,));
    let credentials_arg = credentials_type(service, operation).map(|_| quote!(credentials,));
    let input_binding = if checked.is_empty() && credentials.is_empty() {
        quote!(_input)
    } else {
        quote!(mut input)
    };
    let input_binding = if checked.is_empty() && !credentials.is_empty() {
        quote!(input)
    } else {
        input_binding
    };
    let doc = format!(
        " `{} {}`: extracts and checks the request, then calls `{}`.",
        operation.method,
        operation.path,
        operation.name.trim_start_matches("r#")
    );
    quote! {
        #[doc = #doc]
        async fn #name<S: #trait_name>(
            axum::extract::State(service): axum::extract::State<std::sync::Arc<S>>,
            request: axum::extract::Request,
        ) -> axum::response::Response {
            let (parts, #body_binding) = request.into_parts();
            let #input_binding = apigen_runtime::server::Input::new(parts).await;
            #credentials
            #(#reads)*
            #body_read
            #destructure
            axum::response::IntoResponse::into_response(service.#method(#params_arg #body_arg #credentials_arg).await)
        }
    }
}

fn into_response(operation: &Operation) -> TokenStream {
    let name = response_name(operation);
    let arms = operation.responses.iter().map(|response| {
        let variant = ident(&response.variant);
        let (pattern_status, status) = match response.status {
            StatusSpec::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                (None, quote!(#code))
            }
            _ => (Some(quote!(status)), quote!(status.as_u16())),
        };
        let (pattern_body, answer) = match &response.body {
            ResponseBody::Empty => (
                None,
                quote!(apigen_runtime::server::empty_response(#status)),
            ),
            ResponseBody::Json(_) => (
                Some(quote!(body)),
                quote!(apigen_runtime::server::json_response(#status, &body)),
            ),
            ResponseBody::Text => (
                Some(quote!(body)),
                quote!(apigen_runtime::server::text_response(#status, body)),
            ),
            ResponseBody::Binary(media) => (
                Some(quote!(body)),
                quote!(apigen_runtime::server::binary_response(#status, #media, body)),
            ),
        };
        let pattern = match (response.status, pattern_body) {
            (StatusSpec::Code(_), None) => quote!(Self::#variant),
            (StatusSpec::Code(_), Some(body)) => quote!(Self::#variant(#body)),
            (_, body) => {
                let status = pattern_status;
                quote!(Self::#variant { #status, #body })
            }
        };
        quote!(#pattern => #answer,)
    });
    quote! {
        impl axum::response::IntoResponse for crate::operations::#name {
            fn into_response(self) -> axum::response::Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}
