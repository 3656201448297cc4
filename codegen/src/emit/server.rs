//! `src/server.rs`: the service trait, its axum router, and one handler per operation
//! that extracts and checks the request before the trait is called.

use super::features::Features;
use super::operations::{
    deprecated_attr, multipart_name, params_name, request_body_type, response_name, style_tokens,
    variant_with_payload,
};
use super::validate::{Validating, check_call, recurses, validating_types};
use super::{Scope, allow_deprecated, doc_attrs, ident, ty};
use crate::format::{Module, Piece};
use crate::model::{
    BodyKind, Operation, Param, ParamLocation, Part, PartKind, Response, ResponseBody, SchemeKind,
    Security, SecurityScheme, Segment, Service, StatusSpec, Style, Type,
};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The `server` module: its head, then a piece per operation for each of its handler,
/// its multipart reader and its response's `IntoResponse`.
pub fn server<'a>(service: &'a Service, features: &'a Features) -> Module<'a> {
    let found = Arc::new(validating_types(service));
    // An operation's item, compiled with its features.
    let gated = move |index: usize, item: Option<TokenStream>| {
        let gate = features.operation(index);
        syn::parse2(item.map(|item| quote!(#gate #item)).unwrap_or_default())
    };
    let mut pieces: Vec<Piece<'a>> = Vec::new();
    for (index, op) in service.operations.iter().enumerate() {
        let found = found.clone();
        pieces.push(Box::new(move || {
            gated(index, Some(handler(service, op, &found)))
        }));
    }
    for (index, op) in service.operations.iter().enumerate() {
        let found = found.clone();
        pieces.push(Box::new(move || gated(index, multipart_reader(op, &found))));
    }
    for (index, op) in service.operations.iter().enumerate() {
        pieces.push(Box::new(move || gated(index, Some(into_response(op)))));
    }
    Module {
        head: Box::new(move || syn::parse2(head(service, features, &found))),
        pieces,
    }
}

/// The items of the `server` module before the operations' own.
fn head(service: &Service, features: &Features, found: &Validating) -> TokenStream {
    let allow = allow_deprecated();
    let credentials = service
        .operations
        .iter()
        .enumerate()
        .filter_map(|(index, op)| {
            let gate = features.operation(index);
            credentials_enum(service, op).map(|item| quote!(#gate #item))
        });
    let (served_trait, served_router) = side(service, features, Side::Served);
    let webhooks = service
        .operations
        .iter()
        .any(|op| op.webhook)
        .then(|| side(service, features, Side::Webhooks));
    let (webhooks_trait, webhooks_router) = webhooks.clone().unzip();
    let base_path = &service.base_path;
    let table_doc = if webhooks.is_some() {
        " Every operation of the document, then its webhooks, as the routers name them in rejections and spans."
    } else {
        " Every operation of the document, as the router names them in rejections and spans."
    };
    let operations = service.operations.iter().map(|op| {
        let (id, method, path) = (&op.id, &op.method, &op.path);
        quote!(apigen_runtime::server::Operation { id: #id, method: #method, path: #path })
    });
    // Parameters with nothing to check beyond their type name this constant.
    let allow_unused = features.allow_unused();
    // Only where some parameter has nothing to check (every one of ReadMe's 3.1
    // `schema-validation-top-level` parameters has bounds).
    let unchecked = |param: &Param| {
        let value_ty = if param.list {
            Type::Vec(Box::new(param.ty.clone()))
        } else {
            param.ty.clone()
        };
        !param.is_serialized()
            && super::validate::applicable_rules(&value_ty, &param.constraints, found).is_none()
    };
    let no_rules = service.operations.iter().any(|op| op.params.iter().any(unchecked)).then(|| {
        quote! {
            #allow_unused
            /// What a parameter with no constraint beyond its type is checked against.
            const NO_RULES: &apigen_runtime::validate::Rules = &apigen_runtime::validate::Rules::NONE;
        }
    });
    quote! {
        //! The server side: the service trait and the router that serves it.
        #allow

        use apigen_runtime::axum;

        #served_trait

        #webhooks_trait

        #(#credentials)*

        #served_router

        #webhooks_router

        /// A router publishing this crate's document: `GET /openapi.json` answers
        /// [`crate::OPENAPI_JSON`] (`application/json`) and `GET /openapi.yaml`
        /// [`crate::OPENAPI_YAML`] (`application/yaml`). [`router`] does not serve them:
        /// merge this one where the service should publish its description, for example
        /// `router(service).merge(document_router())`.
        pub fn document_router() -> axum::Router {
            apigen_runtime::server::document_router(crate::OPENAPI_JSON, crate::OPENAPI_YAML)
        }

        /// The path of the document's first server, where a deployment mounts the router
        /// (`apigen_runtime::server::mount(BASE_PATH, router(service))`, which also serves
        /// an operation at `/` as `BASE_PATH/`); the router itself serves the operations' paths.
        pub const BASE_PATH: &str = #base_path;

        #[doc = #table_doc]
        const OPERATIONS: &[apigen_runtime::server::Operation] = &[#(#operations),*];

        #no_rules
    }
}

/// The two sides a crate serves: the API's operations, and the webhooks the API sends,
/// which its subscribers receive. Each has its own trait and router.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The operations under `paths`: the trait named after the service, and `router`.
    Served,
    /// The document's `webhooks`: the trait `<Service>Webhooks`, and `webhooks_router`.
    Webhooks,
}

impl Side {
    fn of(operation: &Operation) -> Self {
        if operation.webhook {
            Side::Webhooks
        } else {
            Side::Served
        }
    }

    fn trait_name(self, service: &Service) -> Ident {
        match self {
            Side::Served => ident(&service.trait_name),
            Side::Webhooks => ident(&service.webhooks_trait_name),
        }
    }
}

/// One side's trait, and its router functions (which serve the part of `OPERATIONS`
/// that is theirs).
fn side(service: &Service, features: &Features, side: Side) -> (TokenStream, TokenStream) {
    let trait_name = side.trait_name(service);
    let methods: Vec<TokenStream> = service
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| Side::of(op) == side)
        .map(|(index, op)| {
            let gate = features.operation(index);
            let method = trait_method(service, op);
            quote!(#gate #method)
        })
        .collect();
    let routes = routes(service, features, side);
    // The webhooks come after the operations (see `Service::operations`).
    let first_webhook = service
        .operations
        .iter()
        .take_while(|op| !op.webhook)
        .count();
    let (trait_doc, router, router_with, table) = match side {
        Side::Served => (
            format!(
                " The {} service: implement one method per operation, then serve it with [`router`].",
                service.title
            ),
            format_ident!("router"),
            format_ident!("router_with"),
            if first_webhook == service.operations.len() {
                quote!(OPERATIONS)
            } else {
                quote!(&OPERATIONS[..#first_webhook])
            },
        ),
        Side::Webhooks => (
            format!(
                " The webhooks the {} service sends to its subscribers: a subscriber implements one method per webhook, then receives them with [`webhooks_router`].",
                service.title
            ),
            format_ident!("webhooks_router"),
            format_ident!("webhooks_router_with"),
            quote!(&OPERATIONS[#first_webhook..]),
        ),
    };
    let router_doc = match side {
        Side::Served => format!(
            " An axum router serving `service`: each request is extracted and checked against the document, refused through [`{trait_name}::reject`] when invalid, and otherwise passed to the service."
        ),
        Side::Webhooks => format!(
            " An axum router receiving the webhooks at `/` and each webhook's name (`nest` it where the subscription's URL points): each request is extracted and checked against the document, refused through [`{trait_name}::reject`] when invalid, and otherwise passed to `service`."
        ),
    };
    let the_trait = quote! {
        #[doc = #trait_doc]
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*

            /// Answers what the router refuses before calling the service: invalid
            /// parameters or bodies (400), missing credentials (401 or 403, as the
            /// document says), unknown paths (404), wrong methods (405), bodies over the
            /// limit (413), bodies of a media type the operation does not take (415), and
            /// a service method that panicked (500). The default answers
            /// with an RFC 9457 `application/problem+json` body; override it to answer in
            /// the service's own error format.
            fn reject(&self, rejection: apigen_runtime::server::Rejection) -> axum::response::Response {
                rejection.into_problem_response()
            }
        }
    };
    // axum 0.8 refuses (panics on) a literal segment that starts with `:` (its 0.7
    // capture syntax) unless told the path means it literally, as AutoRest's
    // `/secrets/:sendErrorWithSecrets` does.
    let literal_colon = service.operations.iter().any(|op| {
        Side::of(op) == side
            && op
                .segments
                .iter()
                .any(|segment| matches!(segment, Segment::Literal(text) if text.starts_with(':')))
    });
    let new_router = if literal_colon {
        quote!(axum::Router::new().without_v07_checks())
    } else {
        quote!(axum::Router::new())
    };
    let router = quote! {
        #[doc = #router_doc]
        pub fn #router<S: #trait_name>(service: S) -> axum::Router {
            #router_with(service, apigen_runtime::server::Config::default())
        }

        /// The same router, configured (for example with a larger body limit).
        pub fn #router_with<S: #trait_name>(service: S, config: apigen_runtime::server::Config) -> axum::Router {
            let routes = #new_router;
            #routes
            apigen_runtime::server::finish(routes, apigen_runtime::server::Shared {
                service,
                reject: S::reject,
                config,
                operations: #table,
            })
        }
    };
    (the_trait, router)
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

/// The type of the trait method's `credentials` argument, if it has one; `module` is
/// the path to the server module where it is spelled (empty inside it).
pub fn credentials_type(
    service: &Service,
    operation: &Operation,
    module: &TokenStream,
) -> Option<TokenStream> {
    let (alternatives, optional) = alternatives(service, operation);
    let inner = match &alternatives[..] {
        [] => return None,
        [only] if only.len() == 1 => scheme_type(only[0]),
        _ => {
            let name = credentials_name(operation);
            quote!(#module #name)
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
        let body_ty = request_body_type(operation, body);
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
    // Taken even when empty, so that a parameter added later changes no signature.
    let params = {
        let params = params_name(operation);
        quote!(params: crate::operations::#params,)
    };
    let body = body_arg(operation).map(|body| quote!(body: #body,));
    let credentials =
        credentials_type(service, operation, &quote!()).map(|c| quote!(credentials: #c,));
    let response = response_name(operation);
    let deprecated = deprecated_attr(operation);
    quote! {
        #docs
        #deprecated
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
            Segment::Param { .. } | Segment::Params { .. } => format!("{{p{i}}}"),
        })
        .collect();
    format!("/{}", parts.join("/"))
}

/// The statements adding each path's methods to `routes`, each with the features of
/// its operations.
fn routes(service: &Service, features: &Features, side: Side) -> TokenStream {
    let mut by_route: BTreeMap<String, Vec<(usize, &Operation)>> = BTreeMap::new();
    for (index, operation) in service.operations.iter().enumerate() {
        if Side::of(operation) != side {
            continue;
        }
        by_route
            .entry(route_path(&operation.segments))
            .or_default()
            .push((index, operation));
    }
    let routes = by_route.iter().map(|(path, operations)| {
        // One entry per method; several operations of one method on one route differ
        // only in the text around their values, and a chooser serves them.
        // In document order.
        let mut by_method: Vec<(&str, Vec<(usize, &Operation)>)> = Vec::new();
        for &(index, operation) in operations {
            let method = operation.method.as_str();
            match by_method.iter_mut().find(|(m, _)| *m == method) {
                Some((_, same)) => same.push((index, operation)),
                None => by_method.push((method, vec![(index, operation)])),
            }
        }
        let served = |method: &str, operations: &[(usize, &Operation)]| {
            let filter = method_filter(method);
            let handler = method_handler(operations, features);
            quote!((#filter, #handler))
        };
        // axum answers HEAD with the GET handler.
        let mut allowed: Vec<(&str, Vec<usize>)> = by_method
            .iter()
            .map(|(method, operations)| (*method, operations.iter().map(|(index, _)| *index).collect()))
            .collect();
        if let Some((_, get)) = allowed.iter().find(|(method, _)| *method == "GET").cloned()
            && !allowed.iter().any(|(method, _)| *method == "HEAD")
        {
            allowed.push(("HEAD", get));
        }
        if by_method.iter().any(|(_, operations)| !operations[0].1.has_standard_method()) {
            return extension_route(path, &by_method, &allowed, features);
        }
        let (first, _) = operations[0];
        if operations.iter().all(|(index, _)| features.same(*index, first)) {
            let gate = features.operation(first);
            let handlers = by_method.iter().map(|(method, operations)| served(method, operations));
            let allow: Vec<&str> = allowed.iter().map(|(method, _)| *method).collect();
            let allow = allow.join(", ");
            return quote! {
                #gate
                let routes = routes.route(#path, apigen_runtime::server::methods(&[#(#handlers),*], #allow));
            };
        }
        // Methods compiled under different features: each added under its own, and
        // `Allow` lists those compiled.
        let any_of = |indices: &[usize]| -> Option<TokenStream> {
            let conditions: Option<Vec<TokenStream>> = indices
                .iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|index| features.operation_condition(*index))
                .collect();
            conditions.map(|conditions| quote!(any(#(#conditions),*)))
        };
        let added = by_method.iter().map(|(method, operations)| {
            let indices: Vec<usize> = operations.iter().map(|(index, _)| *index).collect();
            let gate = any_of(&indices).map(|condition| quote!(#[cfg(#condition)]));
            let handler = served(method, operations);
            quote!(#gate #handler)
        });
        let allow = allowed.iter().map(|(method, indices)| {
            let on = any_of(indices).map_or_else(|| quote!(true), |condition| quote!(cfg!(#condition)));
            quote!((#method, #on))
        });
        let all: Vec<usize> = operations.iter().map(|(index, _)| *index).collect();
        let gate = any_of(&all).map(|condition| quote!(#[cfg(#condition)]));
        quote! {
            #gate
            let routes = routes.route(#path, apigen_runtime::server::methods_of(
                &[#(#added),*],
                &[#(#allow),*],
            ));
        }
    });
    quote!(#(#routes)*)
}

/// The route of a path serving a method axum's router has no place for (OpenAPI 3.2's
/// `QUERY`, `additionalOperations`): HTTP's own methods are routed as on any path, the
/// others by a handler that compares the request's method with each of theirs; `Allow`
/// lists them all (those compiled in, under features).
fn extension_route(
    path: &str,
    by_method: &[(&str, Vec<(usize, &Operation)>)],
    allowed: &[(&str, Vec<usize>)],
    features: &Features,
) -> TokenStream {
    let any_of = |indices: &[usize]| -> Option<TokenStream> {
        let conditions: Option<Vec<TokenStream>> = indices
            .iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|index| features.operation_condition(*index))
            .collect();
        conditions.map(|conditions| quote!(any(#(#conditions),*)))
    };
    let indices = |operations: &[(usize, &Operation)]| -> Vec<usize> {
        operations.iter().map(|(index, _)| *index).collect()
    };
    let (standard, extension): (Vec<_>, Vec<_>) = by_method
        .iter()
        .partition(|(_, operations)| operations[0].1.has_standard_method());
    let handlers = standard.iter().map(|(method, operations)| {
        let gate = any_of(&indices(operations)).map(|condition| quote!(#[cfg(#condition)]));
        let filter = method_filter(method);
        let handler = method_handler(operations, features);
        quote!(#gate (#filter, #handler))
    });
    let tried = extension.iter().map(|(method, operations)| {
        let gate = any_of(&indices(operations)).map(|condition| quote!(#[cfg(#condition)]));
        let handler = method_handler(operations, features);
        quote! {
            #gate
            if method.as_str() == #method {
                return Ok((#handler)(shared, request).await);
            }
        }
    });
    let allow = allowed.iter().map(|(method, indices)| {
        let on = any_of(indices).map_or_else(|| quote!(true), |condition| quote!(cfg!(#condition)));
        quote!((#method, #on))
    });
    let all: Vec<usize> = by_method
        .iter()
        .flat_map(|(_, operations)| indices(operations))
        .collect();
    let gate = any_of(&all).map(|condition| quote!(#[cfg(#condition)]));
    quote! {
        #gate
        let routes = routes.route(#path, apigen_runtime::server::methods_with(
            &[#(#handlers),*],
            &[#(#allow),*],
            |shared: apigen_runtime::server::State<S>, request: axum::extract::Request| async move {
                let method = request.method().clone();
                #(#tried)*
                drop(shared);
                Err(request)
            },
        ));
    }
}

/// The handler of one method on one route: the operation's own, or, where several
/// operations share the route, a chooser that serves the first whose template the path
/// fits (`/v1/{name}:signBlob`, `/v1/{name}:signJwt`) and whose selectors the request
/// carries (AWS's `X-Amz-Target` header), trying those with the most literal text and
/// then the most selectors first, and answers 404 when none does. Either is a
/// `apigen_runtime::server::Handler` (the chooser captures nothing, and hands on the
/// chosen handler's future rather than awaiting it in one of its own).
fn method_handler(operations: &[(usize, &Operation)], features: &Features) -> TokenStream {
    if let [(_, operation)] = operations {
        let handler = handler_name(operation);
        return quote!(#handler::<S>);
    }
    let mut operations = operations.to_vec();
    // The template's length outside its `{…}`.
    let literal = |operation: &Operation| {
        let mut inside = false;
        operation
            .route()
            .chars()
            .filter(|&c| {
                let counts = !inside && c != '{';
                inside = (inside || c == '{') && c != '}';
                counts
            })
            .count()
    };
    operations.sort_by_key(|(index, operation)| {
        (
            std::cmp::Reverse(literal(operation)),
            std::cmp::Reverse(operation.selectors.len()),
            *index,
        )
    });
    let tries = operations.iter().map(|(index, operation)| {
        let gate = features.operation(*index);
        let handler = handler_name(operation);
        let template = operation.route();
        let pairs = |location: ParamLocation| {
            let pairs = operation
                .selectors
                .iter()
                .filter(|selector| selector.location == location)
                .map(|selector| {
                    let (name, value) = (&selector.wire_name, &selector.value);
                    quote!((#name, #value))
                });
            quote!(&[#(#pairs),*])
        };
        let carries = (!operation.selectors.is_empty()).then(|| {
            let (headers, query) = (pairs(ParamLocation::Header), pairs(ParamLocation::Query));
            quote!(&& apigen_runtime::server::carries(&request, #headers, #query))
        });
        quote! {
            #gate
            if apigen_runtime::server::fits(&path, #template) #carries {
                return #handler::<S>(shared, request);
            }
        }
    });
    quote! {
        |shared: apigen_runtime::server::State<S>, request: axum::extract::Request| -> apigen_runtime::server::Handled {
            let path = request.uri().path().to_owned();
            #(#tries)*
            Box::pin(apigen_runtime::server::not_found(shared, request.uri().clone()))
        }
    }
}

/// axum's filter of an HTTP method (one it routes: see `Operation::has_standard_method`).
fn method_filter(method: &str) -> TokenStream {
    let method = format_ident!("{}", method.to_ascii_uppercase());
    quote!(axum::routing::MethodFilter::#method)
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

/// What takes an operation's credentials from the `input`: a closure, or the runtime's
/// `no_credentials` for an operation that needs none (a function rather than a closure
/// per operation: rustc checks one body less for each).
fn credentials_extraction(service: &Service, operation: &Operation) -> TokenStream {
    let (alternatives, optional) = alternatives(service, operation);
    if alternatives.is_empty() {
        return quote!(apigen_runtime::server::no_credentials);
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
        return quote!(|input| Ok(#found));
    }
    let phrase = schemes_phrase(&alternatives);
    let status = Literal::u16_unsuffixed(operation.unauthenticated_status);
    let location = match alternatives
        .first()
        .and_then(|alternative| alternative.first())
        .map(|s| &s.kind)
    {
        Some(SchemeKind::ApiKeyQuery(_)) => quote!(Query),
        Some(SchemeKind::ApiKeyCookie(_)) => quote!(Cookie),
        _ => quote!(Header),
    };
    quote!(|input| input.credentials(#found, #status, apigen_runtime::server::Location::#location, #phrase))
}

/// The statement reading the parameter `param` into its [`local`] variable.
fn param_read(operation: &Operation, param: &Param, found: &Validating) -> TokenStream {
    let field = local("param", &param.name);
    let wire = &param.wire_name;
    let style = style_tokens(param.style);
    let explode = param.explode;
    let value_ty = if param.list {
        Type::Vec(Box::new(param.ty.clone()))
    } else {
        param.ty.clone()
    };
    let location = location_tokens(param.location);
    if param.is_serialized() {
        // An object or a JSON value: read by serde, not as parameter text.
        let param_ty = ty(&param.ty, Scope::Crate);
        let read = match (&param.object, param.location) {
            _ if param.style == Style::JsonQueryString => {
                quote!(input.query_string_json::<#param_ty>(#wire))
            }
            (_, ParamLocation::Path) => {
                let (index, prefix, suffix) = path_segment(operation, wire);
                if param.json {
                    let capture = format!("p{index}");
                    quote!(input.path_json::<#param_ty>(#capture, #wire, (#prefix, #suffix)))
                } else {
                    let index = Literal::usize_unsuffixed(index);
                    quote!(input.path_object::<#param_ty>((#index, #wire), (#prefix, #suffix), (#style, #explode)))
                }
            }
            _ if param.json => {
                quote!(input.json_param::<#param_ty>(apigen_runtime::server::Location::#location, #wire))
            }
            (Some(_), ParamLocation::Header) => {
                quote!(input.header_object::<#param_ty>(#wire, #explode))
            }
            (Some(_), ParamLocation::Cookie) => quote!(input.cookie_object::<#param_ty>(#wire)),
            (Some(members), _) => {
                quote!(input.query_object::<#param_ty>(#wire, #explode, &[#(#members),*]))
            }
            (None, _) => quote!(input.query_deep_object::<#param_ty>(#wire)),
        };
        let require = param.required.then(|| {
            quote!(let #field = input.require(apigen_runtime::server::Location::#location, #wire, #field);)
        });
        let check = check_call(
            &quote!(input),
            &quote!(apigen_runtime::server::Location::#location, #wire),
            &quote!(&#field),
            &value_ty,
            &param.constraints,
            found,
        );
        return quote! {
            let #field = #read;
            #require
            #check
        };
    }
    let rules = rules_of(&value_ty, &param.constraints, found);
    let read = match (param.location, param.list) {
        (ParamLocation::Path, _) => {
            if let Some(SharedSegment {
                index,
                literals,
                patterns,
                position,
            }) = shared_segment(operation, wire)
            {
                let capture = format!("p{index}");
                let position = Literal::usize_unsuffixed(position);
                if patterns.is_empty() {
                    quote!(input.path_part(#capture, #wire, (&[#(#literals),*], #position), #rules))
                } else {
                    let patterns = patterns.iter().map(|pattern| match pattern {
                        Some(pattern) => quote!(Some(#pattern)),
                        None => quote!(None),
                    });
                    quote!(input.path_part_matched(#capture, #wire, (&[#(#literals),*], &[#(#patterns),*], #position), #rules))
                }
            } else {
                let (index, prefix, suffix) = path_segment(operation, wire);
                let capture = format!("p{index}");
                let index = Literal::usize_unsuffixed(index);
                match (param.list, param.style) {
                    (true, _) => {
                        quote!(input.path_list((#index, #wire), (#prefix, #suffix), (#style, #explode), #rules))
                    }
                    (false, Style::Simple) => {
                        quote!(input.path(#capture, #wire, (#prefix, #suffix), #rules))
                    }
                    (false, _) => {
                        quote!(input.path_styled((#index, #wire), (#prefix, #suffix), #style, #rules))
                    }
                }
            }
        }
        (ParamLocation::Query, true) => quote!(input.query_list(#wire, (#style, #explode), #rules)),
        (ParamLocation::Query, false) => quote!(input.query(#wire, #rules)),
        (ParamLocation::Header, true) => quote!(input.header_list(#wire, #rules)),
        (ParamLocation::Header, false) => quote!(input.header(#wire, #rules)),
        (ParamLocation::Cookie, true) => quote!(input.cookie_list(#wire, #rules)),
        (ParamLocation::Cookie, false) => quote!(input.cookie(#wire, #rules)),
    };
    quote!(let #field = #read;)
}

/// The index of the segment holding the path parameter `wire` alone, and the literal
/// text before and after it there.
fn path_segment(operation: &Operation, wire: &str) -> (usize, String, String) {
    operation
        .segments
        .iter()
        .enumerate()
        .find_map(|(i, segment)| match segment {
            Segment::Param {
                prefix,
                name,
                suffix,
            } if name == wire => Some((i, prefix.clone(), suffix.clone())),
            _ => None,
        })
        .unwrap_or_default()
}

/// The `&Rules` of a parameter whose value is of type `ty`: `NO_RULES` (a constant of
/// the module) when nothing applies.
fn rules_of(ty: &Type, constraints: &crate::model::Constraints, found: &Validating) -> TokenStream {
    super::validate::applicable_rules(ty, constraints, found).unwrap_or_else(|| quote!(NO_RULES))
}

fn handler(service: &Service, operation: &Operation, found: &Validating) -> TokenStream {
    let trait_name = Side::of(operation).trait_name(service);
    let name = handler_name(operation);
    let method = ident(&operation.name);
    let credentials = credentials_extraction(service, operation);
    let reads = operation
        .params
        .iter()
        .map(|param| param_read(operation, param, found));
    let (body_read, body_steps, validate) = match &operation.body {
        None => (quote!(None), Vec::new(), None),
        Some(body) => body_extraction(operation, body, found),
    };
    let body_statements = quote!(#(let body = #body_steps;)* #validate);
    // Every operation has a params struct, empty or not (see `construct`).
    let params_value = {
        let params = params_name(operation);
        let fields = operation.params.iter().map(|p| {
            let field = ident(&p.name);
            let local = local("param", &p.name);
            quote!(#field: #local?)
        });
        quote!(crate::operations::#params { #(#fields),* })
    };
    let (extracted, arguments_pattern, arguments) = match &operation.body {
        None => (
            quote!(Some(#params_value)),
            quote!(params),
            vec![quote!(params)],
        ),
        Some(_) => (
            quote!(Some((#params_value, body?))),
            quote!((params, body)),
            vec![quote!(params), quote!(body)],
        ),
    };
    let has_credentials = credentials_type(service, operation, &quote!()).is_some();
    let credentials_pattern = if has_credentials {
        quote!(credentials)
    } else {
        quote!(())
    };
    let arguments = arguments
        .into_iter()
        .chain(has_credentials.then(|| quote!(credentials)));
    let input = if operation.params.is_empty() && operation.body.is_none() {
        quote!(_)
    } else {
        quote!(input)
    };
    let index = service
        .operations
        .iter()
        .position(|o| o.id == operation.id)
        .unwrap_or_default();
    let doc = format!(
        " `{} {}`: extracts and checks the request, then calls `{}`.",
        operation.method,
        operation.path,
        operation.name.trim_start_matches("r#")
    );
    quote! {
        #[doc = #doc]
        fn #name<S: #trait_name>(
            shared: apigen_runtime::server::State<S>,
            request: axum::extract::Request,
        ) -> apigen_runtime::server::Handled {
            apigen_runtime::server::handle(
                shared.0,
                request,
                OPERATIONS[#index],
                apigen_runtime::server::BodyRead::#body_read,
                #credentials,
                |#input| {
                    #(#reads)*
                    #body_statements
                    #extracted
                },
                |shared, #arguments_pattern, #credentials_pattern| async move {
                    shared.service.#method(#(#arguments),*).await
                },
            )
        }
    }
}

/// How a handler reads an operation's body (`BodyRead`), the steps decoding it (each
/// an expression of the `body` before it: `None` when malformed or absent though
/// required), and the statement checking it, if it has constraints.
fn body_extraction(
    operation: &Operation,
    body: &crate::model::RequestBody,
    found: &Validating,
) -> (TokenStream, Vec<TokenStream>, Option<TokenStream>) {
    let required = body.required;
    let accepted = &body.accepted;
    let (body_read, read) = match &body.kind {
        BodyKind::Json(_) => (quote!(Whole), quote!(input.json_body(#required))),
        BodyKind::Form(_) => (quote!(Whole), quote!(input.form_body(#required))),
        BodyKind::NestedForm { .. } => (quote!(Whole), quote!(input.nested_form_body(#required))),
        BodyKind::Text => (
            quote!(Whole),
            quote!(input.text_body(&[#(#accepted),*], #required)),
        ),
        BodyKind::Binary => (
            quote!(Whole),
            quote!(input.binary_body(&[#(#accepted),*], #required)),
        ),
        BodyKind::Parts => (
            quote!(Multipart),
            quote!(input.multipart_parts(&[#(#accepted),*], #required)),
        ),
        BodyKind::Stream(stream) => {
            let codec = super::operations::stream_codec(stream);
            (
                quote!(Stream),
                quote!(input.stream_body(&[#(#accepted),*], #required, #codec)),
            )
        }
        BodyKind::Multipart(_) => {
            let reader = multipart_reader_name(operation);
            (
                quote!(Multipart),
                quote! {
                    match input.multipart_body(#required) {
                        Some(true) => #reader(input).map(Some),
                        Some(false) => Some(None),
                        None => None,
                    }
                },
            )
        }
    };
    let require =
        required.then(|| quote!(input.require(apigen_runtime::server::Location::Body, "", body)));
    let validate = match &body.kind {
        BodyKind::Json(body_ty)
        | BodyKind::Form(body_ty)
        | BodyKind::NestedForm { ty: body_ty, .. }
            if recurses(body_ty, found) =>
        {
            Some(quote!(input.validate_body(&body);))
        }
        _ => None,
    };
    (
        body_read,
        std::iter::once(read).chain(require).collect(),
        validate,
    )
}

/// Where a path parameter shares its segment with others (`{base}...{head}`).
struct SharedSegment<'a> {
    /// The segment's index.
    index: usize,
    /// Its literal text.
    literals: &'a [String],
    /// The values' shapes when they touch (see `Segment::Params`).
    patterns: &'a [Option<String>],
    /// The parameter's position among its values.
    position: usize,
}

/// The segment holding the path parameter `name` with others, if it shares one.
fn shared_segment<'a>(operation: &'a Operation, name: &str) -> Option<SharedSegment<'a>> {
    operation
        .segments
        .iter()
        .enumerate()
        .find_map(|(index, segment)| match segment {
            Segment::Params {
                literals,
                names,
                patterns,
            } => names
                .iter()
                .position(|n| n == name)
                .map(|position| SharedSegment {
                    index,
                    literals,
                    patterns,
                    position,
                }),
            _ => None,
        })
}

fn location_tokens(location: ParamLocation) -> TokenStream {
    match location {
        ParamLocation::Query => quote!(Query),
        ParamLocation::Header => quote!(Header),
        ParamLocation::Cookie => quote!(Cookie),
        ParamLocation::Path => quote!(Path),
    }
}

/// The answer of a streamed response: its items written as the service yields them.
fn stream_answer(status: &TokenStream, stream: &crate::model::ItemStream) -> TokenStream {
    let media = &stream.media_type;
    let codec = super::operations::stream_codec(stream);
    quote!(apigen_runtime::server::stream_response(#status, #media, body, #codec))
}

fn into_response(operation: &Operation) -> TokenStream {
    let name = response_name(operation);
    let arms = operation.responses.iter().map(|response| {
        let status = match response.status {
            StatusSpec::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            _ => quote!(status.as_u16()),
        };
        let answer = match &response.body {
            ResponseBody::Empty => quote!(apigen_runtime::server::empty_response(#status)),
            ResponseBody::Json(_) => quote!(apigen_runtime::server::json_response(#status, &body)),
            ResponseBody::Text => quote!(apigen_runtime::server::text_response(#status, body)),
            ResponseBody::Binary(media) => {
                quote!(apigen_runtime::server::binary_response(#status, #media, body))
            }
            ResponseBody::Stream(stream) => stream_answer(&status, stream),
        };
        let answer = if response.headers.is_empty() {
            answer
        } else {
            let headers = headers_written(response);
            quote!({
                let mut answer = apigen_runtime::server::Answer::new(#answer);
                #headers
                answer.finish()
            })
        };
        let pattern = variant_with_payload(&quote!(Self), response);
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

/// The statements writing the documented headers of `response` (bound as `headers`) to
/// the `answer`.
fn headers_written(response: &Response) -> TokenStream {
    let writes = response.headers.iter().map(|header| {
        let field = ident(&header.name);
        let wire = &header.wire_name;
        let write = |value: TokenStream| {
            if header.list {
                quote!(answer.header_list(#wire, #value);)
            } else {
                quote!(answer.header(#wire, #value);)
            }
        };
        if header.required {
            write(quote!(&headers.#field))
        } else {
            let write = write(quote!(value));
            quote!(if let Some(value) = &headers.#field { #write })
        }
    });
    quote!(#(#writes)*)
}

/// The local variable a handler reads a parameter or part into: the field's name after
/// a `kind_` prefix, so that no field name (settled in lowering against the other fields
/// only) can take the name of the handler's own locals, `input` and `body`: a parameter
/// called `input` would otherwise shadow the request it is read from.
fn local(kind: &str, field: &str) -> Ident {
    format_ident!("{kind}_{}", field.trim_start_matches("r#"))
}

fn multipart_reader_name(operation: &Operation) -> Ident {
    format_ident!("read_{}_multipart", operation.name.trim_start_matches("r#"))
}

/// The function that reads the parts of an operation's multipart body, each checked.
fn multipart_reader(operation: &Operation, found: &Validating) -> Option<TokenStream> {
    let BodyKind::Multipart(parts) = &operation.body.as_ref()?.kind else {
        return None;
    };
    let name = multipart_reader_name(operation);
    let multipart = multipart_name(operation);
    let reads = parts.iter().map(|part| part_read(part, found));
    let fields = parts.iter().map(|part| {
        let field = ident(&part.name);
        let local = local("part", &part.name);
        quote!(#field: #local?)
    });
    let doc = format!(
        " Reads the parts of the multipart body of `{}`, each checked: `None` when one is missing or malformed (the problems are recorded in `input`).",
        operation.id
    );
    Some(quote! {
        #[doc = #doc]
        fn #name(input: &mut apigen_runtime::server::Input) -> Option<crate::operations::#multipart> {
            #(#reads)*
            Some(crate::operations::#multipart { #(#fields),* })
        }
    })
}

fn part_read(part: &Part, found: &Validating) -> TokenStream {
    let field = local("part", &part.name);
    let wire = &part.wire_name;
    let part_ty = ty(&part.ty, Scope::Crate);
    let read = match (&part.kind, part.list) {
        (PartKind::Text, false) => quote!(input.part::<#part_ty>(#wire)),
        (PartKind::Text, true) => quote!(input.part_list::<#part_ty>(#wire)),
        (PartKind::File(_), false) => quote!(input.file_part(#wire)),
        (PartKind::File(_), true) => quote!(input.file_parts(#wire)),
        (PartKind::Json, _) => quote!(input.json_part::<#part_ty>(#wire)),
    };
    let require = part.required.then(|| {
        quote!(let #field = input.require(apigen_runtime::server::Location::Body, #wire, #field);)
    });
    let value_ty = if part.list {
        Type::Vec(Box::new(part.ty.clone()))
    } else {
        part.ty.clone()
    };
    let check = check_call(
        &quote!(input),
        &quote!(apigen_runtime::server::Location::Body, #wire),
        &quote!(&#field),
        &value_ty,
        &part.constraints,
        found,
    );
    quote! {
        let #field = #read;
        #require
        #check
    }
}
