//! `src/operations.rs`: per operation, the params struct, the response enum, and the
//! enum of its documented error responses; shared by the client and the server.

use super::{Scope, allow_deprecated, allow_large_variants, doc_attrs, ident, ty};
use crate::model::{Operation, Response, ResponseBody, Service, StatusSpec, Type};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The `operations` module.
pub fn operations(service: &Service) -> TokenStream {
    let items = service.operations.iter().map(operation);
    let allow = allow_deprecated();
    quote! {
        //! Per operation: its parameters, its responses, and its documented errors.
        #allow
        #(#items)*
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

/// The responses a client treats as errors: every non-2xx one.
pub fn errors(operation: &Operation) -> impl Iterator<Item = &Response> {
    operation
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
}

/// The type of a parameter's field (`Option` when it may be left out).
pub fn param_type(param: &crate::model::Param) -> Type {
    let ty = match param.list {
        Some(_) => Type::Vec(Box::new(param.ty.clone())),
        None => param.ty.clone(),
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
    }
}

fn operation(operation: &Operation) -> TokenStream {
    let params = (!operation.params.is_empty()).then(|| params_struct(operation));
    let response = response_enum(
        operation,
        &response_name(operation),
        operation.responses.iter(),
        "The responses of",
    );
    let error = (errors(operation).next().is_some()).then(|| {
        response_enum(
            operation,
            &error_name(operation),
            errors(operation),
            "The documented error responses of",
        )
    });
    quote! {
        #params
        #response
        #error
    }
}

fn params_struct(operation: &Operation) -> TokenStream {
    let name = params_name(operation);
    let doc = format!(
        " The parameters of `{}` (`{} {}`).",
        operation.id, operation.method, operation.path
    );
    let fields = operation.params.iter().map(|param| {
        // Not `#[deprecated]`: a struct literal names every field, so the attribute
        // would warn every caller, including those who leave the parameter out.
        let docs = if param.deprecated {
            doc_attrs(&format!(
                "**Deprecated** by the document: do not send it.\n\n{}",
                param.docs
            ))
        } else {
            doc_attrs(&param.docs)
        };
        let field = ident(&param.name);
        let field_ty = ty(&param_type(param), Scope::Crate);
        quote! {
            #docs
            pub #field: #field_ty,
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn response_enum<'a>(
    operation: &Operation,
    name: &Ident,
    responses: impl Iterator<Item = &'a Response>,
    what: &str,
) -> TokenStream {
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
        let shape = match (response.status, body) {
            (StatusSpec::Code(_), None) => quote!(),
            (StatusSpec::Code(_), Some(body)) => quote!((#body)),
            (_, None) => quote!({
                /// The status answered.
                status: apigen_runtime::http::StatusCode
            }),
            (_, Some(body)) => quote!({
                /// The status answered.
                status: apigen_runtime::http::StatusCode,
                /// The body.
                body: #body
            }),
        };
        quote! {
            #docs
            #variant #shape,
        }
    });
    let allow = allow_large_variants();
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #allow
        pub enum #name {
            #(#variants)*
        }
    }
}
