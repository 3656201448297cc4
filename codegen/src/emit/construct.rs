//! How code outside a generated crate builds its structs: `new` with the required
//! members, `with_<member>` setters for the optional ones (a `String` member takes
//! anything `Into<String>`), and `#[non_exhaustive]` so that nobody writes a struct
//! literal that the next version of the document breaks.
//!
//! # Which document changes keep callers compiling
//!
//! A generated crate is regenerated whenever its document changes. These changes, which
//! `cargo xtask diff` classes as compatible, must not break Rust code written against
//! the previous crate the documented way (values built with `new` and `with_*` or
//! `Default`, fields read, enums matched with a wildcard arm):
//!
//! - **an optional parameter added**: every operation has a params struct, even one with
//!   no parameters yet (`<Op>Params::new()`), built with `new(required...)` in document
//!   order; an optional parameter is one more setter;
//! - **an optional property added** to a request or response object: object structs
//!   (and multipart bodies and response headers structs) are `#[non_exhaustive]` and
//!   built with `new(required...)` and setters, or `Default` when every member is
//!   optional;
//! - **a new operation**: one more client method, one more params struct and response
//!   enum;
//! - **a new documented error status** (4XX, 5XX, `default`), an operation's first
//!   included: every operation has an `<Op>Error` (without variants until then, and the
//!   client returns `Error<<Op>Error>` all along); `<Op>Error` and `<Op>Response` are
//!   `#[non_exhaustive]`, so a caller's `match` already has an arm for what it does not
//!   know;
//! - **a new value in an open enum** (`x-extensible-enum`): open enums are
//!   `#[non_exhaustive]`.
//!
//! Implementations of the server trait written the same way survive the same changes
//! but one: a new operation is a new trait method that every implementation must write.
//! `cargo xtask diff` classes it *breaks-implementations*, and the compiler points at
//! each implementation to complete; no client code breaks. (Trait methods get no default
//! body: a service that silently answers 501 for what the document promises would be
//! worse than a compile error.) A closed enum (`enum`) stays exhaustive: widening one breaks clients or
//! implementations anyway, and a server matches it whole.
//!
//! Still breaking for callers, and classed so by `cargo xtask diff` or by the shape of
//! the crate: a required parameter or property added (one more `new` argument), required
//! parameters reordered in the document (the arguments of `new` follow it), a second
//! success status (the client then returns the response enum instead of the body), a
//! documented header added to a response that had none, and a request body added to an
//! operation that had none.
//!
//! `Default` is derived only where the empty value is valid: never for a struct with a
//! required member whose constraints the empty value breaks (a `minLength: 1` string, an
//! enum), so `Default::default()` never builds a value the server refuses.

use super::{Scope, deprecated, ident, ty};
use crate::model::Type;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// A member of a generated struct, as its constructor and setters see it.
pub struct Member {
    /// The field's name (`r#type`).
    name: String,
    /// How the document calls it, for the docs (`x-xbl-contract-version`).
    wire_name: String,
    /// What `new` (for a required member) or the setter (for an optional one, the type
    /// inside its `Option`) takes.
    ty: TokenStream,
    /// Whether `ty` is `String`: then anything `Into<String>` is taken (`"en-US"`).
    text: bool,
    /// Whether `new` takes it; an optional member starts as `None`.
    required: bool,
    /// Whether it is optional and may be null: its setter takes an `Option`, `None`
    /// for `null`.
    nullable: bool,
    /// Whether the document deprecates it: its setter warns whoever calls it.
    deprecated: bool,
}

impl Member {
    /// A member of type `field_ty` that must be given.
    pub fn required(name: &str, wire_name: &str, field_ty: &Type, scope: Scope) -> Self {
        Member {
            name: name.to_owned(),
            wire_name: wire_name.to_owned(),
            ty: ty(field_ty, scope),
            text: *field_ty == Type::String,
            required: true,
            nullable: false,
            deprecated: false,
        }
    }

    /// An optional member, `Option<inner>`.
    pub fn optional(
        name: &str,
        wire_name: &str,
        inner: &Type,
        scope: Scope,
        deprecated: bool,
    ) -> Self {
        Member {
            name: name.to_owned(),
            wire_name: wire_name.to_owned(),
            ty: ty(inner, scope),
            text: *inner == Type::String,
            required: false,
            nullable: matches!(inner, Type::Option(_)),
            deprecated,
        }
    }

    /// The type of the argument that gives it, and the expression of the field's value
    /// from that argument (named `value`).
    fn argument(&self, value: &Ident) -> (TokenStream, TokenStream) {
        let ty = &self.ty;
        if self.text {
            (quote!(impl Into<String>), quote!(#value.into()))
        } else {
            (quote!(#ty), quote!(#value))
        }
    }
}

/// The name of the setter of the member `name`: `with_` and the name without `r#`.
/// Fields of a struct have distinct names, so their setters do too, and no setter is
/// called `new`.
pub fn setter_name(name: &str) -> Ident {
    format_ident!("with_{}", name.trim_start_matches("r#"))
}

/// `impl <name> { new, with_* }`. `rest` initialises fields that are no member (a
/// struct's `additional_properties`).
pub fn constructors(name: &Ident, members: &[Member], rest: &[TokenStream]) -> TokenStream {
    let required: Vec<&Member> = members.iter().filter(|m| m.required).collect();
    let arguments = required.iter().map(|m| {
        let field = ident(&m.name);
        let (ty, _) = m.argument(&field);
        quote!(#field: #ty)
    });
    let inits = members.iter().map(|m| {
        let field = ident(&m.name);
        if m.required && m.text {
            quote!(#field: #field.into())
        } else if m.required {
            quote!(#field)
        } else {
            quote!(#field: None)
        }
    });
    let new_doc = if required.is_empty() {
        format!(" Builds `{name}` with every optional member left out.")
    } else {
        format!(
            " Builds `{name}` from its required members, in document order; the optional ones are left out (set them with the `with_*` methods)."
        )
    };
    // A constructor takes what the document requires, however many that is.
    let many = (required.len() > 7).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per member the document requires")])
    });
    let setters = members.iter().filter(|m| !m.required).map(|m| {
        let field = ident(&m.name);
        let setter = setter_name(&m.name);
        let (ty, value) = m.argument(&format_ident!("value"));
        let doc = if m.nullable {
            format!(" Sets `{}`: `None` sends `null`.", m.wire_name)
        } else {
            format!(" Sets `{}`.", m.wire_name)
        };
        let deprecated = deprecated(m.deprecated);
        quote! {
            #[doc = #doc]
            #deprecated
            #[must_use]
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#field = Some(#value);
                self
            }
        }
    });
    quote! {
        impl #name {
            #[doc = #new_doc]
            #many
            #[must_use]
            pub fn new(#(#arguments),*) -> Self {
                Self {
                    #(#inits,)*
                    #(#rest,)*
                }
            }

            #(#setters)*
        }
    }
}
