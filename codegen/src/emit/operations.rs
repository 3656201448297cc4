//! `src/operations.rs`: per operation, the params struct, the multipart body struct, the
//! response enum with a headers struct per response that documents headers, and the enum
//! of its documented error responses; shared by the client and the server.
//!
//! Every operation has a params struct and an error enum, even empty, and they are built
//! and matched so that a compatible change of the document breaks no caller: see
//! [`super::construct`] for the changes promised and how.
//!
//! A response variant holds what the response carries, in this order: for one status
//! `Created(Pet)`, `Created(Pet, CreatePetCreatedHeaders)`, `NoContent(Headers)` or
//! `NoContent`; for a range or `default`, the same as named fields after the status
//! (`Status4xx { status, body, headers }`).

use super::construct::{Member, constructors};
use super::docs::doc_attrs_or;
use super::features::Features;
use super::{Scope, allow_deprecated, allow_large_variants, doc_attrs, gated, ident, ty};
use crate::format::{Module, Piece};
use crate::model::{
    BodyKind, ItemStream, Operation, PartKind, RequestBody, Response, ResponseBody, Service,
    StatusSpec, StreamCodec, Style, Type,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The `operations` module, a piece per operation.
pub fn operations<'a>(service: &'a Service, features: &'a Features) -> Module<'a> {
    let pieces = service
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| {
            Box::new(move || gated(&features.operation(index), operation(op))) as Piece<'a>
        })
        .collect();
    Module {
        head: Box::new(|| {
            let allow = allow_deprecated();
            syn::parse2(quote! {
                //! Per operation: its parameters, its responses, and its documented errors.
                #allow
            })
        }),
        pieces,
    }
}

/// The name of an operation's params struct.
pub fn params_name(operation: &Operation) -> Ident {
    format_ident!("{}Params", operation.type_prefix)
}

/// The name of an operation's response enum.
pub fn response_name(operation: &Operation) -> Ident {
    format_ident!("{}Response", operation.type_prefix)
}

/// The name of an operation's error enum.
pub fn error_name(operation: &Operation) -> Ident {
    format_ident!("{}Error", operation.type_prefix)
}

/// The name of the struct of an operation's `multipart/form-data` body.
pub fn multipart_name(operation: &Operation) -> Ident {
    format_ident!("{}Multipart", operation.type_prefix)
}

/// The name of the struct of a response's documented headers.
pub fn headers_name(operation: &Operation, response: &Response) -> Ident {
    format_ident!("{}{}Headers", operation.type_prefix, response.variant)
}

/// The type of a response's headers struct, when it documents headers.
pub fn headers_type(operation: &Operation, response: &Response) -> Option<TokenStream> {
    (!response.headers.is_empty()).then(|| {
        let name = headers_name(operation, response);
        quote!(crate::operations::#name)
    })
}

/// What a response variant holds besides a range's status, in order: `body` and
/// `headers`, where the response has them.
pub fn payload(response: &Response) -> Vec<Ident> {
    let body = (response.body != ResponseBody::Empty).then(|| format_ident!("body"));
    let headers = (!response.headers.is_empty()).then(|| format_ident!("headers"));
    body.into_iter().chain(headers).collect()
}

/// A pattern or expression of the variant of `response` in `container`, its payload
/// bound to (or built from) the names of [`payload`], and `status` for a range.
pub fn variant_with_payload(container: &TokenStream, response: &Response) -> TokenStream {
    let variant = ident(&response.variant);
    let payload = payload(response);
    match (response.status, &payload[..]) {
        (StatusSpec::Code(_), []) => quote!(#container::#variant),
        (StatusSpec::Code(_), payload) => quote!(#container::#variant(#(#payload),*)),
        (_, payload) => quote!(#container::#variant { status #(, #payload)* }),
    }
}

/// The Rust type of a request body, as the service receives it and the client sends it.
pub fn request_body_type(operation: &Operation, body: &RequestBody) -> TokenStream {
    match &body.kind {
        BodyKind::Json(body) | BodyKind::Form(body) | BodyKind::NestedForm { ty: body, .. } => {
            ty(body, Scope::Crate)
        }
        BodyKind::Multipart(_) => {
            let name = multipart_name(operation);
            quote!(crate::operations::#name)
        }
        BodyKind::Text => quote!(String),
        BodyKind::Binary => quote!(apigen_runtime::bytes::Bytes),
        BodyKind::Parts => quote!(apigen_runtime::multipart::Parts),
        BodyKind::Stream(stream) => stream_type(stream),
    }
}

/// The runtime's name of a parameter style.
pub fn style_tokens(style: Style) -> TokenStream {
    let variant = match style {
        Style::Simple => quote!(Simple),
        Style::Label => quote!(Label),
        Style::Matrix => quote!(Matrix),
        // A deepObject parameter or a JSON query string has functions of its own and
        // never names a style.
        Style::Form | Style::DeepObject | Style::JsonQueryString => quote!(Form),
        Style::SpaceDelimited => quote!(SpaceDelimited),
        Style::PipeDelimited => quote!(PipeDelimited),
    };
    quote!(apigen_runtime::style::Style::#variant)
}

/// `#[deprecated]` on a deprecated operation's methods, with its description as the
/// note.
pub fn deprecated_attr(operation: &Operation) -> TokenStream {
    match (&operation.deprecated, &operation.deprecation_note) {
        (false, _) => quote!(),
        (true, None) => quote!(#[deprecated]),
        (true, Some(note)) => quote!(#[deprecated(note = #note)]),
    }
}

/// The responses a client treats as errors: every non-2xx one.
pub fn errors(operation: &Operation) -> impl Iterator<Item = &Response> + Clone {
    operation
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
}

/// The type of a parameter's field (`Option` when it may be left out).
pub fn param_type(param: &crate::model::Param) -> Type {
    let ty = if param.list {
        Type::Vec(Box::new(param.ty.clone()))
    } else {
        param.ty.clone()
    };
    if param.required {
        ty
    } else {
        Type::Option(Box::new(ty))
    }
}

/// The Rust type of a response body, or `None` for no body.
pub fn body_type(body: &ResponseBody) -> Option<TokenStream> {
    match body {
        ResponseBody::Empty => None,
        ResponseBody::Json(body) => Some(ty(body, Scope::Crate)),
        ResponseBody::Text => Some(quote!(String)),
        ResponseBody::Binary(_) => Some(quote!(apigen_runtime::bytes::Bytes)),
        ResponseBody::Stream(stream) => Some(stream_type(stream)),
    }
}

/// The Rust type of a streamed body: `apigen_runtime::stream::Items` of its items, each
/// an `Event` for an event stream.
pub fn stream_type(stream: &ItemStream) -> TokenStream {
    let item = ty(&stream.item, Scope::Crate);
    if stream.is_events() {
        quote!(apigen_runtime::stream::Items<apigen_runtime::stream::Event<#item>>)
    } else {
        quote!(apigen_runtime::stream::Items<#item>)
    }
}

/// The runtime's codec of a streamed body (`apigen_runtime::stream::Codec`).
pub fn stream_codec(stream: &ItemStream) -> TokenStream {
    let codec = match stream.codec {
        StreamCodec::JsonLines => quote!(json_lines),
        StreamCodec::JsonSeq => quote!(json_seq),
        StreamCodec::Events => quote!(events),
        StreamCodec::TextEvents => quote!(text_events),
        StreamCodec::Mixed => quote!(mixed),
    };
    quote!(apigen_runtime::stream::Codec::#codec())
}

fn operation(operation: &Operation) -> TokenStream {
    // Every operation has one, even empty: its first optional parameter is then a
    // setter more, not a new argument of the client method.
    let params = params_struct(operation);
    let multipart = operation
        .body
        .as_ref()
        .and_then(|body| multipart_struct(operation, body));
    let headers = operation
        .responses
        .iter()
        .filter(|response| !response.headers.is_empty())
        .map(|response| headers_struct(operation, response));
    let response = response_enum(
        operation,
        &response_name(operation),
        operation.responses.iter(),
        "The responses of",
    );
    // Every operation has one, even without a documented error yet: the client's
    // `Error<...>` then names the same type after the document adds its first one.
    let what = if errors(operation).next().is_some() {
        "The documented error responses of"
    } else {
        "The documented error responses (none yet) of"
    };
    let error = response_enum(operation, &error_name(operation), errors(operation), what);
    quote! {
        #params
        #multipart
        #(#headers)*
        #response
        #error
    }
}

fn multipart_struct(operation: &Operation, body: &RequestBody) -> Option<TokenStream> {
    let BodyKind::Multipart(parts) = &body.kind else {
        return None;
    };
    let name = multipart_name(operation);
    let doc = format!(
        " The parts of the `multipart/form-data` body of `{}`: files as bytes, text fields typed.",
        operation.id
    );
    let fields = parts.iter().map(|part| {
        let what = match (&part.kind, part.list) {
            (PartKind::File(media), false) => format!("A file part (sent as `{media}`)."),
            (PartKind::File(media), true) => {
                format!("File parts, one per item (each sent as `{media}`).")
            }
            (PartKind::Text, false) => "A text part.".to_owned(),
            (PartKind::Text, true) => "Text parts, one per item.".to_owned(),
            (PartKind::Json, _) => "A part of `application/json`.".to_owned(),
        };
        let docs = doc_attrs(&format!("{}\n\n{what}", part.docs));
        let field = ident(&part.name);
        let part_ty = if part.list {
            Type::Vec(Box::new(part.ty.clone()))
        } else {
            part.ty.clone()
        };
        let part_ty = if part.required {
            part_ty
        } else {
            Type::Option(Box::new(part_ty))
        };
        let part_ty = ty(&part_ty, Scope::Crate);
        quote! {
            #docs
            pub #field: #part_ty,
        }
    });
    let default = parts
        .iter()
        .all(|part| !part.required)
        .then(|| quote!(Default,));
    let members: Vec<_> = parts
        .iter()
        .map(|part| {
            let part_ty = if part.list {
                Type::Vec(Box::new(part.ty.clone()))
            } else {
                part.ty.clone()
            };
            member(&part.name, &part.wire_name, &part_ty, part.required, false)
        })
        .collect();
    let constructors = constructors(&name, &members, &[]);
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #constructors
    })
}

fn headers_struct(operation: &Operation, response: &Response) -> TokenStream {
    let name = headers_name(operation, response);
    let status = match response.status {
        StatusSpec::Code(code) => format!("{code} response"),
        StatusSpec::Range(hundreds) => format!("{hundreds}XX responses"),
        StatusSpec::Default => "`default` response".to_owned(),
    };
    let doc = format!(
        " The documented headers of the {status} of `{}`.",
        operation.id
    );
    let fields = response.headers.iter().map(|header| {
        let docs = doc_attrs_or(&header.docs, || {
            format!("The `{}` header.", header.wire_name)
        });
        let field = ident(&header.name);
        let header_ty = if header.list {
            Type::Vec(Box::new(header.ty.clone()))
        } else {
            header.ty.clone()
        };
        let header_ty = if header.required {
            header_ty
        } else {
            Type::Option(Box::new(header_ty))
        };
        let header_ty = ty(&header_ty, Scope::Crate);
        quote! {
            #docs
            pub #field: #header_ty,
        }
    });
    // Only when every header is optional: a default for a required one would be a lie.
    let default = response
        .headers
        .iter()
        .all(|header| !header.required)
        .then(|| quote!(Default,));
    let members: Vec<_> = response
        .headers
        .iter()
        .map(|header| {
            let header_ty = if header.list {
                Type::Vec(Box::new(header.ty.clone()))
            } else {
                header.ty.clone()
            };
            member(
                &header.name,
                &header.wire_name,
                &header_ty,
                header.required,
                false,
            )
        })
        .collect();
    let constructors = constructors(&name, &members, &[]);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #constructors
    }
}

/// The constructor's view of a member of type `member_ty` (without the `Option` of an
/// optional one).
fn member(
    name: &str,
    wire_name: &str,
    member_ty: &Type,
    required: bool,
    deprecated: bool,
) -> Member {
    if required {
        Member::required(name, wire_name, member_ty, Scope::Crate)
    } else {
        Member::optional(name, wire_name, member_ty, Scope::Crate, deprecated)
    }
}

fn params_struct(operation: &Operation) -> TokenStream {
    let name = params_name(operation);
    let doc = format!(
        " The parameters of `{}` (`{} {}`).",
        operation.id, operation.method, operation.path
    );
    let fields = operation.params.iter().map(|param| {
        // Not `#[deprecated]`: the server reads every field; the setter carries it, so
        // that only a caller who sends the parameter is warned.
        let docs = if param.deprecated {
            doc_attrs(&format!(
                "**Deprecated** by the document: do not send it.\n\n{}",
                param.docs
            ))
        } else {
            doc_attrs_or(&param.docs, || {
                format!("The `{}` parameter.", param.wire_name)
            })
        };
        let field = ident(&param.name);
        let field_ty = ty(&param_type(param), Scope::Crate);
        quote! {
            #docs
            pub #field: #field_ty,
        }
    });
    let members: Vec<_> = operation
        .params
        .iter()
        .map(|param| {
            let param_ty = if param.list {
                Type::Vec(Box::new(param.ty.clone()))
            } else {
                param.ty.clone()
            };
            member(
                &param.name,
                &param.wire_name,
                &param_ty,
                param.required,
                param.deprecated,
            )
        })
        .collect();
    // `None` is a valid value of every optional parameter.
    let default = operation
        .params
        .iter()
        .all(|param| !param.required)
        .then(|| quote!(Default,));
    let constructors = constructors(&name, &members, &[]);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #constructors
    }
}

fn response_enum<'a>(
    operation: &Operation,
    name: &Ident,
    responses: impl Iterator<Item = &'a Response> + Clone,
    what: &str,
) -> TokenStream {
    // A stream is read once: an enum holding one is neither cloned nor compared.
    let derives = if responses
        .clone()
        .any(|response| matches!(response.body, ResponseBody::Stream(_)))
    {
        quote!(Debug)
    } else {
        quote!(Debug, Clone, PartialEq)
    };
    let doc = format!(
        " {what} `{}`, one variant per documented status.",
        operation.id
    );
    let variants = responses.map(|response| {
        let status = match response.status {
            StatusSpec::Code(code) => code.to_string(),
            StatusSpec::Range(hundreds) => format!("{hundreds}XX"),
            StatusSpec::Default => "Any other status".to_owned(),
        };
        let docs = doc_attrs(&format!("{status}: {}", response.docs));
        let variant = ident(&response.variant);
        let body = body_type(&response.body);
        // Inside the operations module, by its bare name.
        let headers = (!response.headers.is_empty()).then(|| {
            let name = headers_name(operation, response);
            quote!(#name)
        });
        let shape = match response.status {
            StatusSpec::Code(_) => match (body, headers) {
                (None, None) => quote!(),
                (body, headers) => {
                    let held = body.into_iter().chain(headers);
                    quote!((#(#held),*))
                }
            },
            _ => {
                let body = body.map(|body| {
                    quote! {
                        /// The body.
                        body: #body,
                    }
                });
                let headers = headers.map(|headers| {
                    quote! {
                        /// The documented headers.
                        headers: #headers,
                    }
                });
                quote!({
                    /// The status answered.
                    status: apigen_runtime::http::StatusCode,
                    #body
                    #headers
                })
            }
        };
        quote! {
            #docs
            #variant #shape,
        }
    });
    let allow = allow_large_variants();
    // A status the document documents later is one more variant.
    quote! {
        #[doc = #doc]
        #[derive(#derives)]
        #[non_exhaustive]
        #allow
        pub enum #name {
            #(#variants)*
        }
    }
}
