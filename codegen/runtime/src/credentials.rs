//! Typed credentials, one type per kind of security scheme.
//!
//! Their `Debug` output never shows the secret, so a credential logged by accident or
//! carried in an error message leaks nothing.

use std::fmt;

/// A bearer token (HTTP `bearer` schemes and OAuth 2.0 access tokens).
#[derive(Clone, PartialEq, Eq)]
pub struct Bearer {
    /// The token, without the `Bearer ` prefix.
    pub token: String,
}

/// An API key, wherever the scheme says it travels (header, query or cookie).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The key exactly as sent.
    pub key: String,
}

/// HTTP basic credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Basic {
    /// The user name.
    pub user: String,
    /// The password (for example a personal access token).
    pub password: String,
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bearer")
            .field("token", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("key", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for Basic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Basic")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl Bearer {
    /// A bearer credential holding `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Bearer {
            token: token.into(),
        }
    }

    /// The `Authorization` header value.
    pub fn header_value(&self) -> String {
        format!("Bearer {}", self.token)
    }

    /// Reads an `Authorization` header value of the form `Bearer <token>` (the scheme
    /// name is case-insensitive, RFC 9110 §11.1).
    pub fn from_header_value(value: &str) -> Option<Self> {
        let (scheme, token) = value.split_once(' ')?;
        let token = token.trim();
        (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| Bearer::new(token))
    }
}

impl ApiKey {
    /// An API key credential holding `key`.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey { key: key.into() }
    }
}

impl Basic {
    /// Basic credentials for `user` and `password`.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Basic {
            user: user.into(),
            password: password.into(),
        }
    }

    /// The `Authorization` header value (`Basic base64(user:password)`).
    pub fn header_value(&self) -> String {
        use base64::Engine as _;
        let pair = format!("{}:{}", self.user, self.password);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }

    /// Reads an `Authorization` header value of the form `Basic <base64(user:password)>`.
    pub fn from_header_value(value: &str) -> Option<Self> {
        use base64::Engine as _;
        let (scheme, encoded) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()?;
        let pair = String::from_utf8(decoded).ok()?;
        let (user, password) = pair.split_once(':')?;
        Some(Basic::new(user, password))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_output() {
        let shown = format!(
            "{:?} {:?} {:?}",
            Bearer::new("s3cret"),
            ApiKey::new("s3cret"),
            Basic::new("ann", "s3cret")
        );
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("ann"));
    }

    #[test]
    fn basic_credentials_round_trip_through_the_header() {
        let basic = Basic::new("ann", "pa:ss");
        assert_eq!(basic.header_value(), "Basic YW5uOnBhOnNz");
        assert_eq!(Basic::from_header_value(&basic.header_value()), Some(basic));
        assert_eq!(Basic::from_header_value("Bearer x"), None);
    }

    #[test]
    fn bearer_scheme_name_is_case_insensitive() {
        assert_eq!(
            Bearer::from_header_value("bearer abc"),
            Some(Bearer::new("abc"))
        );
        assert_eq!(Bearer::from_header_value("Bearer "), None);
        assert_eq!(Bearer::from_header_value("Basic abc"), None);
    }
}
