//! `src/client.rs`: the `Client` struct, its credentials, and one method per operation.

use super::features::Features;
use super::operations::{
    body_type, deprecated_attr, error_name, headers_type, params_name, request_body_type,
    response_name, style_tokens, variant_with_payload,
};
use super::{Scope, allow_deprecated, doc_attrs, ident, ty};
use crate::model::{
    BodyKind, Operation, ParamLocation, PartKind, RequestBody, Response, ResponseBody, SchemeKind,
    Security, Segment, Service, StatusSpec, Style, Type,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The `client` module.
pub fn client(service: &Service, features: &Features) -> TokenStream {
    let allow = allow_deprecated();
    let base_url = service
        .servers
        .first()
        .map_or("/", |server| server.url.as_str());
    let base_doc = format!(" The document's first server: `{base_url}`.");
    let struct_doc = format!(" A client of {}: one method per operation.", service.title);
    let allow_unused = features.allow_unused();
    let credential_fields = service.security_schemes.iter().map(|scheme| {
        let field = ident(&scheme.name);
        let kind = credential_type(&scheme.kind);
        let doc = format!(" Credentials for `{}`.", scheme.key);
        quote! {
            #allow_unused
            #[doc = #doc]
            #field: Option<#kind>,
        }
    });
    let credential_inits = service.security_schemes.iter().map(|scheme| {
        let field = ident(&scheme.name);
        quote!(#field: None,)
    });
    let setters = service.security_schemes.iter().map(|scheme| {
        let field = ident(&scheme.name);
        let setter = format_ident!("with_{}", scheme.name.trim_start_matches("r#"));
        let docs = doc_attrs(&format!("Sets the credentials of `{}`, sent by every operation that accepts them.\n\n{}", scheme.key, scheme.docs));
        match scheme.kind {
            SchemeKind::Bearer => quote! {
                #docs
                pub fn #setter(mut self, token: impl Into<String>) -> Self {
                    self.#field = Some(apigen_runtime::Bearer::new(token));
                    self
                }
            },
            SchemeKind::Basic => quote! {
                #docs
                pub fn #setter(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
                    self.#field = Some(apigen_runtime::Basic::new(user, password));
                    self
                }
            },
            _ => quote! {
                #docs
                pub fn #setter(mut self, key: impl Into<String>) -> Self {
                    self.#field = Some(apigen_runtime::ApiKey::new(key));
                    self
                }
            },
        }
    });
    // Webhooks are sent by the API, not called on it.
    let methods = service
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| !op.webhook)
        .map(|(index, op)| {
            let gate = features.operation(index);
            let method = method(service, op);
            quote!(#gate #method)
        });
    quote! {
        //! The client side: a `reqwest` client with one method per operation.
        #allow
        #![allow(clippy::result_large_err, reason = "a call's error is the runtime's `Error`, as large as an undocumented answer; it is built once, on a failure")]

        #[doc = #struct_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            /// The connection, base URL and retry policy every call starts from.
            core: apigen_runtime::client::Core,
            #(#credential_fields)*
        }

        impl Default for Client {
            fn default() -> Self {
                Self::new()
            }
        }

        impl Client {
            #[doc = #base_doc]
            pub const DEFAULT_BASE_URL: &str = #base_url;

            /// A client of the document's first server ([`Self::DEFAULT_BASE_URL`]).
            pub fn new() -> Self {
                Self::with_base_url(Self::DEFAULT_BASE_URL)
            }

            /// A client of the server at `base_url` (everything before the operations' paths).
            pub fn with_base_url(base_url: impl Into<String>) -> Self {
                Client {
                    core: apigen_runtime::client::Core::new(base_url.into(), concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))),
                    #(#credential_inits)*
                }
            }

            /// Uses `http` for every call (for timeouts, proxies or a shared connection pool).
            pub fn with_http_client(mut self, http: apigen_runtime::reqwest::Client) -> Self {
                self.core.http = http;
                self
            }

            /// Sends a call again, as `policy` says, when the service answers 429 or 503 or
            /// the connection cannot be opened, honouring `Retry-After`. Only operations
            /// whose method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) are
            /// retried, never a POST or PATCH. Without this, every call is sent once.
            pub fn with_retries(mut self, policy: apigen_runtime::client::RetryPolicy) -> Self {
                self.core.retries = policy;
                self
            }

            /// The base URL calls go to.
            pub fn base_url(&self) -> &str {
                &self.core.base_url
            }

            #(#setters)*

            #(#methods)*
        }
    }
}

fn credential_type(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::Bearer => quote!(apigen_runtime::Bearer),
        SchemeKind::Basic => quote!(apigen_runtime::Basic),
        _ => quote!(apigen_runtime::ApiKey),
    }
}

/// Whether a client method returns the whole response enum: when the operation has
/// several successes, or one that is a range or `default`.
pub fn returns_enum(operation: &Operation) -> bool {
    let mut successes = operation.responses.iter().filter(|r| r.status.is_success());
    match (successes.next(), successes.next()) {
        (Some(only), None) => !matches!(only.status, StatusSpec::Code(_)),
        _ => true,
    }
}

/// The success type of a client method: the body of the one success response, or the
/// whole response enum when there are several.
fn success(operation: &Operation) -> (TokenStream, bool) {
    let only = operation.responses.iter().find(|r| r.status.is_success());
    match only {
        Some(only) if !returns_enum(operation) => {
            let held: Vec<TokenStream> = body_type(&only.body)
                .into_iter()
                .chain(headers_type(operation, only))
                .collect();
            let ty = match &held[..] {
                [one] => one.clone(),
                // Nothing (`()`), or the body and its headers (`(Pet, CreatePetCreatedHeaders)`).
                held => quote!((#(#held),*)),
            };
            (ty, false)
        }
        _ => {
            let name = response_name(operation);
            (quote!(crate::operations::#name), true)
        }
    }
}

fn method(service: &Service, operation: &Operation) -> TokenStream {
    let docs = doc_attrs(&operation.docs);
    let name = ident(&operation.name);
    let id = &operation.id;
    let http_method = if operation.has_standard_method() {
        let constant = format_ident!("{}", operation.method);
        quote!(apigen_runtime::http::Method::#constant)
    } else {
        let name = &operation.method;
        quote!(apigen_runtime::client::extension_method(#name))
    };
    // Taken even when empty, so that a parameter added later changes no signature.
    let params_arg = {
        let params = params_name(operation);
        let binding = if operation.params.is_empty() {
            format_ident!("_params")
        } else {
            format_ident!("params")
        };
        quote!(#binding: &crate::operations::#params,)
    };
    let body_arg = operation.body.as_ref().map(|body| {
        // What the caller lends: `&str` and `&[T]` rather than `&String` and `&Vec<T>`.
        let body_ty = match &body.kind {
            BodyKind::Text | BodyKind::Json(Type::String) => quote!(str),
            BodyKind::Json(Type::Vec(item)) => {
                let item = ty(item, Scope::Crate);
                quote!([#item])
            }
            _ => request_body_type(operation, body),
        };
        // A streamed body is given, not lent: its items are pulled as they are sent.
        let streamed = matches!(body.kind, BodyKind::Stream(_));
        match (body.required, streamed) {
            (true, false) => quote!(body: &#body_ty,),
            (false, false) => quote!(body: Option<&#body_ty>,),
            (true, true) => quote!(body: #body_ty,),
            (false, true) => quote!(body: Option<#body_ty>,),
        }
    });
    let (success_ty, whole_enum) = success(operation);
    let error_ty = {
        let error = error_name(operation);
        quote!(crate::operations::#error)
    };

    let path = path_building(operation);
    let params = operation
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|param| {
            let field = ident(&param.name);
            let wire = &param.wire_name;
            let style = style_tokens(param.style);
            let explode = param.explode;
            // Optional values are skipped by the call itself, except deepObject ones.
            let add = |value: TokenStream| match (param.location, param.list) {
                (ParamLocation::Query, _) if param.style == Style::JsonQueryString => {
                    quote!(call.query_string_json(#wire, #value);)
                }
                (location, _) if param.json => {
                    let at = match location {
                        ParamLocation::Header => quote!(Header),
                        ParamLocation::Cookie => quote!(Cookie),
                        _ => quote!(Query),
                    };
                    quote!(call.json_param(apigen_runtime::client::JsonAt::#at, #wire, #value);)
                }
                (ParamLocation::Header, _) if param.object.is_some() => {
                    quote!(call.header_object(#wire, #value, #explode);)
                }
                (ParamLocation::Query, _) if param.style == Style::DeepObject => {
                    quote!(call.query_deep_object(#wire, #value);)
                }
                (ParamLocation::Query, _) if param.object.is_some() => {
                    quote!(call.query_object(#wire, #value, #explode);)
                }
                (ParamLocation::Cookie, _) if param.object.is_some() => {
                    quote!(call.cookie_object(#wire, #value);)
                }
                (ParamLocation::Query, true) => {
                    quote!(call.query_list(#wire, #value, (#style, #explode));)
                }
                (ParamLocation::Query, false) => quote!(call.query(#wire, #value);),
                (ParamLocation::Header, true) => quote!(call.header_list(#wire, #value);),
                (ParamLocation::Header, false) => quote!(call.header(#wire, #value);),
                (ParamLocation::Cookie, true) => quote!(call.cookie_list(#wire, #value);),
                (ParamLocation::Cookie, false) => quote!(call.cookie(#wire, #value);),
                (ParamLocation::Path, _) => quote!(),
            };
            if param.required || !param.is_serialized() {
                add(quote!(&params.#field))
            } else {
                let add = add(quote!(value));
                quote!(if let Some(value) = &params.#field { #add })
            }
        });
    let credentials = credentials(service, operation);
    let accept = accept(operation).map(|accept| quote!(call.accept(#accept);));
    let body = operation.body.as_ref().map(|body| {
        let write = body_written(body);
        if body.required {
            write
        } else {
            quote!(if let Some(body) = body {
                #write
            })
        }
    });
    let arms = operation
        .responses
        .iter()
        .filter(|r| !matches!(r.status, StatusSpec::Default))
        .map(|response| {
            let pattern = match response.status {
                StatusSpec::Code(code) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote!(#code)
                }
                StatusSpec::Range(hundreds) => {
                    let low = Literal::u16_unsuffixed(hundreds * 100);
                    let high = Literal::u16_unsuffixed(hundreds * 100 + 99);
                    quote!(#low..=#high)
                }
                StatusSpec::Default => quote!(_),
            };
            let decoded = decode(operation, response, whole_enum);
            quote!(#pattern => #decoded,)
        });
    let fallback = match operation
        .responses
        .iter()
        .find(|r| matches!(r.status, StatusSpec::Default))
    {
        Some(response) => decode(operation, response, whole_enum),
        None => quote!(response.unexpected()),
    };
    let deprecated = deprecated_attr(operation);
    // Its items are sent as they come and are gone once sent: the call cannot be replayed.
    let streamed = operation
        .body
        .as_ref()
        .is_some_and(|body| matches!(body.kind, BodyKind::Stream(_)));
    let once = streamed.then(|| {
        let text = doc_attrs(
            "The body's items are sent as `body` yields them, each encoded as it comes, and \
             the first reaches the server before the last is made. A streamed body cannot be \
             sent twice: this call is never retried, whatever the client's retry policy.",
        );
        quote!(#[doc = ""] #text)
    });
    quote! {
        #docs
        #once
        #deprecated
        pub fn #name(&self, #params_arg #body_arg) -> impl Future<Output = Result<#success_ty, apigen_runtime::client::Error<#error_ty>>> {
            let mut call = self.core.call(#http_method, #id);
            #path
            #(#params)*
            #accept
            #credentials
            #body
            call.send_then(|response| match response.status().as_u16() {
                #(#arms)*
                _ => #fallback,
            })
        }
    }
}

/// The `Accept` of an operation whose responses are not all JSON: the media types of its
/// documented bodies (`text/*` for text). `None` leaves the call's default, JSON.
fn accept(operation: &Operation) -> Option<String> {
    let mut media: Vec<&str> = Vec::new();
    for response in &operation.responses {
        let one = match &response.body {
            ResponseBody::Empty => continue,
            ResponseBody::Json(_) => "application/json",
            ResponseBody::Text => "text/*",
            ResponseBody::Binary(binary) => binary.as_str(),
            ResponseBody::Stream(stream) => stream.media_type.as_str(),
        };
        if !media.contains(&one) {
            media.push(one);
        }
    }
    (media.iter().any(|one| *one != "application/json")).then(|| media.join(", "))
}

/// The calls that append the path: literal text as written, values encoded.
fn path_building(operation: &Operation) -> TokenStream {
    let mut literal = String::new();
    let mut steps = Vec::new();
    for segment in &operation.segments {
        literal.push('/');
        match segment {
            Segment::Literal(text) => literal.push_str(text),
            Segment::Param {
                prefix,
                name,
                suffix,
            } => {
                literal.push_str(prefix);
                steps.push(quote!(call.path(#literal);));
                literal.clear();
                let param = operation
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && &p.wire_name == name);
                let field = param.map(|p| ident(&p.name));
                steps.push(match param {
                    Some(param) if param.json => quote!(call.path_json(#name, &params.#field);),
                    Some(param) if param.object.is_some() => {
                        let style = style_tokens(param.style);
                        let explode = param.explode;
                        quote!(call.path_object(#name, &params.#field, #style, #explode);)
                    }
                    Some(param) if param.list || param.style != Style::Simple => {
                        let style = style_tokens(param.style);
                        let explode = param.explode;
                        let values = if param.list {
                            quote!(&params.#field)
                        } else {
                            quote!(std::slice::from_ref(&params.#field))
                        };
                        quote!(call.path_styled(#name, #values, #style, #explode);)
                    }
                    _ => quote!(call.path_param(#name, &params.#field);),
                });
                literal.push_str(suffix);
            }
            Segment::Params {
                literals, names, ..
            } => {
                // Each value is written as a plain one (checked in lowering).
                for (before, name) in literals.iter().zip(names) {
                    literal.push_str(before);
                    steps.push(quote!(call.path(#literal);));
                    literal.clear();
                    let field = operation
                        .params
                        .iter()
                        .find(|p| p.location == ParamLocation::Path && &p.wire_name == name)
                        .map(|p| ident(&p.name));
                    steps.push(quote!(call.path_param(#name, &params.#field);));
                }
                literal.push_str(literals.last().map(String::as_str).unwrap_or_default());
            }
        }
    }
    if !literal.is_empty() {
        steps.push(quote!(call.path(#literal);));
    }
    quote!(#(#steps)*)
}

fn credentials(service: &Service, operation: &Operation) -> TokenStream {
    let Security::Required(alternatives) = &operation.security else {
        return quote!();
    };
    let optional = alternatives.iter().any(Vec::is_empty);
    let branches: Vec<TokenStream> = alternatives
        .iter()
        .filter(|alternative| !alternative.is_empty())
        .map(|alternative| {
            let schemes: Vec<_> = alternative
                .iter()
                .map(|&i| &service.security_schemes[i])
                .collect();
            let bindings: Vec<_> = (0..schemes.len()).map(|i| format_ident!("c{i}")).collect();
            let fields = schemes.iter().map(|s| {
                let field = ident(&s.name);
                quote!(&self.#field)
            });
            let sends = schemes
                .iter()
                .zip(&bindings)
                .map(|(scheme, binding)| match &scheme.kind {
                    SchemeKind::Bearer => quote!(call.bearer(#binding);),
                    SchemeKind::Basic => quote!(call.basic(#binding);),
                    SchemeKind::ApiKeyHeader(name) => quote!(call.api_key_header(#name, #binding);),
                    SchemeKind::ApiKeyQuery(name) => quote!(call.api_key_query(#name, #binding);),
                    SchemeKind::ApiKeyCookie(name) => quote!(call.api_key_cookie(#name, #binding);),
                });
            match &bindings[..] {
                [only] => quote!(if let Some(#only) = #(#fields)* { #(#sends)* }),
                many => quote!(if let (#(Some(#many)),*) = (#(#fields),*) { #(#sends)* }),
            }
        })
        .collect();
    if branches.is_empty() {
        return quote!();
    }
    let otherwise = if optional {
        quote!()
    } else {
        let setters: Vec<String> = alternatives
            .iter()
            .map(|alternative| {
                alternative
                    .iter()
                    .map(|&i| {
                        format!(
                            "`with_{}`",
                            service.security_schemes[i].name.trim_start_matches("r#")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        let how = format!("set them with {}", setters.join(", or "));
        quote!(else { call.missing_credentials(#how); })
    };
    quote!(#(#branches)else* #otherwise)
}

/// How one documented response is read into the method's result: a call on the
/// `response` that picks the reader (see `apigen_runtime::client::Decode`).
fn decode(operation: &Operation, response: &Response, whole_enum: bool) -> TokenStream {
    let container = if response.status.is_success() {
        let name = response_name(operation);
        quote!(crate::operations::#name)
    } else {
        let name = error_name(operation);
        quote!(crate::operations::#name)
    };
    let one_status = matches!(response.status, StatusSpec::Code(_));
    if response.headers.is_empty() && one_status {
        let variant = ident(&response.variant);
        let variant = quote!(#container::#variant);
        // The runtime's readers for the common shapes, so that most arms are one call.
        let direct = match (&response.body, response.status.is_success()) {
            (ResponseBody::Empty, false) => Some(quote!(response.empty_error(#variant))),
            (ResponseBody::Json(_), false) => Some(quote!(response.json_error(#variant))),
            (ResponseBody::Text, false) => Some(quote!(response.text_error(#variant))),
            (ResponseBody::Binary(_), false) => Some(quote!(response.bytes_error(#variant))),
            (ResponseBody::Empty, true) if !whole_enum => Some(quote!(response.empty())),
            (ResponseBody::Json(_), true) if !whole_enum => Some(quote!(response.json())),
            (ResponseBody::Text, true) if !whole_enum => Some(quote!(response.text())),
            (ResponseBody::Binary(_), true) if !whole_enum => Some(quote!(response.bytes())),
            (ResponseBody::Stream(stream), true) if !whole_enum => {
                let codec = super::operations::stream_codec(stream);
                Some(quote!(response.stream(#codec)))
            }
            _ => None,
        };
        if let Some(direct) = direct {
            return direct;
        }
    }
    // Otherwise a closure that makes the result of the answer: its status, headers and
    // body read whole, or, for a stream, the response whose items are read as they come.
    let streamed = matches!(response.body, ResponseBody::Stream(_));
    let read = match &response.body {
        ResponseBody::Empty => None,
        ResponseBody::Json(_) => Some(quote!(answer.json()?)),
        ResponseBody::Text => Some(quote!(answer.text()?)),
        ResponseBody::Binary(_) => Some(quote!(answer.bytes()?)),
        ResponseBody::Stream(stream) => {
            let codec = super::operations::stream_codec(stream);
            Some(quote!(answer.items(#codec)))
        }
    };
    let status = (!one_status).then(|| quote!(let status = answer.status();));
    let headers = (!response.headers.is_empty()).then(|| {
        let headers = headers_read(operation, response);
        quote!(let headers = #headers;)
    });
    let body = read.map(|read| quote!(let body = #read;));
    let result = if !response.status.is_success() {
        let value = variant_with_payload(&container, response);
        quote!(Err(apigen_runtime::client::Error::Api(#value)))
    } else if whole_enum {
        let value = variant_with_payload(&container, response);
        quote!(Ok(#value))
    } else {
        match (
            response.body == ResponseBody::Empty,
            response.headers.is_empty(),
        ) {
            (true, true) => quote!(Ok(())),
            (true, false) => quote!(Ok(headers)),
            (false, true) => quote!(Ok(body)),
            (false, false) => quote!(Ok((body, headers))),
        }
    };
    let reader = if streamed {
        quote!(streamed)
    } else {
        quote!(buffered)
    };
    // `answer` is unused when nothing is read from it.
    let binding = if status.is_none() && headers.is_none() && body.is_none() {
        quote!(_)
    } else {
        quote!(answer)
    };
    quote!(response.#reader(|#binding| {
        #status
        #headers
        #body
        #result
    }))
}

/// The headers struct of `response`, read from the `answer` (an `Error::Header` when a
/// required one is missing or one does not read).
fn headers_read(operation: &Operation, response: &Response) -> TokenStream {
    let name = super::operations::headers_name(operation, response);
    let fields = response.headers.iter().map(|header| {
        let field = ident(&header.name);
        let wire = &header.wire_name;
        let read = match (header.list, header.required) {
            (false, false) => quote!(answer.header(#wire)?),
            (false, true) => quote!(answer.required_header(#wire)?),
            (true, false) => quote!(answer.header_list(#wire)?),
            (true, true) => quote!(answer.required_header_list(#wire)?),
        };
        quote!(#field: #read)
    });
    quote!(crate::operations::#name { #(#fields),* })
}

/// The statements that set the request body `body` (a reference) on the call.
fn body_written(body: &RequestBody) -> TokenStream {
    let media = &body.media_type;
    match &body.kind {
        BodyKind::Json(_) if media == "application/json" => quote!(call.json(body);),
        BodyKind::Json(_) => quote!(call.json_as(#media, body);),
        BodyKind::Form(_) => quote!(call.form(body);),
        BodyKind::NestedForm { repeated, .. } => quote!(call.nested_form(body, &[#(#repeated),*]);),
        BodyKind::Text => quote!(call.text(#media, body);),
        BodyKind::Binary => quote!(call.bytes(#media, body);),
        BodyKind::Parts => quote!(call.multipart_parts(#media, body);),
        BodyKind::Stream(stream) => {
            let codec = super::operations::stream_codec(stream);
            quote!(call.stream(#media, body, #codec);)
        }
        BodyKind::Multipart(parts) => {
            let writes = parts.iter().map(|part| {
                let field = ident(&part.name);
                let wire = &part.wire_name;
                let write = |value: TokenStream| match (&part.kind, part.list) {
                    (PartKind::Text, false) => quote!(form.text(#wire, #value);),
                    (PartKind::Text, true) => quote!(form.texts(#wire, #value);),
                    (PartKind::File(media), false) => quote!(form.file(#wire, #media, #value);),
                    (PartKind::File(media), true) => quote!(form.files(#wire, #media, #value);),
                    (PartKind::Json, _) => quote!(form.json(#wire, #value);),
                };
                if part.required {
                    write(quote!(&body.#field))
                } else {
                    let write = write(quote!(value));
                    quote!(if let Some(value) = &body.#field { #write })
                }
            });
            quote! {
                let mut form = apigen_runtime::client::Multipart::new();
                #(#writes)*
                call.multipart(form);
            }
        }
    }
}
