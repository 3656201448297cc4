//! Every naming rule of the generator: how a name from the document becomes a Rust
//! identifier, and how collisions are settled.
//!
//! The rules are deterministic: the same document always gives the same names, and a
//! collision is settled by a numeric suffix in document order.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust keywords, which become raw identifiers (`r#type`) as fields.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// Names of the prelude, and `Client` which the crate root re-exports: a schema with one
/// of these names is renamed so that generated code never means two things by one name.
/// (Everything else generated code uses, it names by full path.)
const RESERVED_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default", "Clone",
    "Copy", "Send", "Sync", "Sized", "Self", "Client",
];

/// Splits on every character that cannot stand in an identifier, so that heck sees word
/// boundaries in names such as `x-xbl-contract-version` or `$id`.
fn words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// An UpperCamelCase type or variant name: `user_profile` -> `UserProfile`, `200` -> `N200`.
pub fn type_name(name: &str) -> String {
    let camel = words(name).to_upper_camel_case();
    let camel = if camel.is_empty() {
        "Unnamed".to_owned()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{camel}")
    } else {
        camel
    };
    if RESERVED_TYPES.contains(&camel.as_str()) {
        format!("{camel}Model")
    } else {
        camel
    }
}

/// An enum variant name; unlike [`type_name`], a variant may be called `Ok` or `None`.
pub fn variant_name(name: &str) -> String {
    let camel = words(name).to_upper_camel_case();
    if camel.is_empty() {
        "Empty".to_owned()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{camel}")
    } else if camel == "Self" {
        "SelfValue".to_owned()
    } else {
        camel
    }
}

/// A snake_case field, parameter or method name: `HasSubscription` -> `has_subscription`,
/// `type` -> `r#type`, `$id` -> `id`, `2fa` -> `n2fa`.
pub fn field_name(name: &str) -> String {
    let snake = words(name).to_snake_case();
    if snake.is_empty() {
        "value".to_owned()
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{snake}")
    } else if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// The crate's package name from a document's file stem: `Groove Music` -> `groove-music`.
/// The name must also be a Rust identifier once `-` is `_` (the mock binary names the
/// crate): `1forge.com` -> `api-1forge-com`, `type` -> `type-api`, `¿?` -> `api`.
pub fn crate_name(stem: &str) -> String {
    let name = words(stem).to_snake_case();
    let name = if name.is_empty() {
        "api".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api_{name}")
    } else if KEYWORDS.contains(&name.as_str())
        || NOT_RAW.contains(&name.as_str())
        || ["core", "std", "alloc", "test", "proc_macro"].contains(&name.as_str())
    {
        format!("{name}_api")
    } else {
        name
    };
    name.replace('_', "-")
}

/// The methods of the generated `Client` (`emit/client.rs`) besides the operations':
/// neither an operation's method nor a credential's setter (`with_<scheme>`) may take
/// one of these names.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_base_url",
    "with_http_client",
    "with_retries",
    "base_url",
];

/// The fields of the generated `Client` besides the credentials' (one per scheme).
pub const CLIENT_FIELDS: &[&str] = &["core"];

/// The methods of the generated server trait (`emit/server.rs`) besides the operations'.
pub const TRAIT_METHODS: &[&str] = &["reject"];

/// The names a security scheme's client field (and its `with_<name>` setter) may not
/// take: the client's other fields, and the names of its other `with_` methods.
pub fn reserved_for_schemes() -> Vec<&'static str> {
    CLIENT_FIELDS
        .iter()
        .copied()
        .chain(
            CLIENT_METHODS
                .iter()
                .filter_map(|method| method.strip_prefix("with_")),
        )
        .collect()
}

/// The names an operation's method may not take: the client's and the trait's own
/// methods, and the setter of each credential (`schemes`: the schemes' settled names).
pub fn reserved_for_operations<'a>(schemes: impl Iterator<Item = &'a str>) -> Vec<String> {
    CLIENT_METHODS
        .iter()
        .chain(TRAIT_METHODS)
        .map(|name| (*name).to_owned())
        .chain(schemes.map(|scheme| format!("with_{}", scheme.trim_start_matches("r#"))))
        .collect()
}

/// Hands out names unique within one scope, suffixing `2`, `3`, … in the order asked.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved<S: AsRef<str>>(reserved: &[S]) -> Self {
        Scope {
            taken: reserved
                .iter()
                .map(|name| name.as_ref().to_owned())
                .collect(),
        }
    }

    /// `name` if it is free, else the first free `name2`, `name3`, …
    pub fn unique(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        // A raw identifier cannot take a suffix inside its `r#`.
        let base = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        let separator = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_rust_names() {
        assert_eq!(
            field_name("IsSubscriptionAvailableForPurchase"),
            "is_subscription_available_for_purchase"
        );
        assert_eq!(
            field_name("x-xbl-contract-version"),
            "x_xbl_contract_version"
        );
        assert_eq!(field_name("api-version"), "api_version");
        assert_eq!(field_name("$id"), "id");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("2fa"), "n2fa");
        assert_eq!(field_name("¿?"), "value");
        assert_eq!(type_name("user-profile response"), "UserProfileResponse");
        assert_eq!(type_name("200"), "N200");
        assert_eq!(type_name("Error"), "Error");
        assert_eq!(type_name("Option"), "OptionModel");
        assert_eq!(variant_name("customReadOnly"), "CustomReadOnly");
        assert_eq!(variant_name("Ok"), "Ok");
        assert_eq!(crate_name("groove-music"), "groove-music");
        assert_eq!(
            crate_name("Azure DevOps_profiles"),
            "azure-dev-ops-profiles"
        );
        assert_eq!(crate_name("1forge.com"), "api-1forge-com");
        assert_eq!(crate_name("type"), "type-api");
        assert_eq!(crate_name("std"), "std-api");
        assert_eq!(crate_name("¿?"), "api");
    }

    #[test]
    fn collisions_get_numeric_suffixes_in_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.unique(field_name("$id")), "id");
        assert_eq!(scope.unique(field_name("id")), "id2");
        assert_eq!(scope.unique(field_name("ID")), "id3");
        assert_eq!(scope.unique("r#type".to_owned()), "r#type");
        assert_eq!(scope.unique("r#type".to_owned()), "type2");
        assert_eq!(scope.unique("v1".to_owned()), "v1");
        assert_eq!(scope.unique("v1".to_owned()), "v1_2");
    }
}
