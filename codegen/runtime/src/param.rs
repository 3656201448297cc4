//! How a parameter value is written to and read from text.
//!
//! Path, query and header parameters travel as text. [`ParamValue`] is the one rule for
//! turning a typed value into that text and back; generated string enums implement it
//! too, so the client and the server of a crate agree by construction.

use std::fmt;

/// A value that can stand in a path segment, a query value or a header value.
pub trait ParamValue: Sized {
    /// The value as text, before any percent-encoding.
    fn to_param(&self) -> String;

    /// Reads the value from text (already percent-decoded).
    fn from_param(text: &str) -> Result<Self, ParamError>;
}

/// Why a text could not be read as a parameter value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {expected}, found {found:?}")]
pub struct ParamError {
    /// What the value should have been, in words ("a boolean", "one of user, device").
    pub expected: String,
    /// The text that was found.
    pub found: String,
}

impl ParamError {
    /// A value `found` that is not `expected`.
    pub fn new(expected: impl Into<String>, found: &str) -> Self {
        ParamError {
            expected: expected.into(),
            found: found.to_owned(),
        }
    }
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }

    fn from_param(text: &str) -> Result<Self, ParamError> {
        Ok(text.to_owned())
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }

    fn from_param(text: &str) -> Result<Self, ParamError> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(ParamError::new("a boolean (true or false)", text)),
        }
    }
}

/// Numbers use Rust's own parser, which rejects signs where the type has none, overflow
/// and surrounding white space: exactly what a strict server wants.
macro_rules! number_param {
    ($($ty:ty => $expected:literal),* $(,)?) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }

            fn from_param(text: &str) -> Result<Self, ParamError> {
                text.parse().map_err(|_| ParamError::new($expected, text))
            }
        }
    )*};
}

number_param! {
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    u32 => "an unsigned 32-bit integer",
    u64 => "an unsigned 64-bit integer",
    f32 => "a number",
    f64 => "a number",
}

impl ParamValue for uuid::Uuid {
    fn to_param(&self) -> String {
        self.hyphenated().to_string()
    }

    fn from_param(text: &str) -> Result<Self, ParamError> {
        uuid::Uuid::try_parse(text).map_err(|_| ParamError::new("a UUID", text))
    }
}

impl ParamValue for crate::DateTime {
    fn to_param(&self) -> String {
        self.to_string()
    }

    fn from_param(text: &str) -> Result<Self, ParamError> {
        crate::DateTime::parse_rfc3339(text)
            .map_err(|_| ParamError::new("an RFC 3339 date-time", text))
    }
}

impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }

    fn from_param(text: &str) -> Result<Self, ParamError> {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| ParamError::new("a date (YYYY-MM-DD)", text))
    }
}

/// Lists the accepted values of a closed enumeration, for [`ParamError::expected`].
pub fn one_of(values: &[&str]) -> String {
    struct List<'a>(&'a [&'a str]);
    impl fmt::Display for List<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one of ")?;
            for (i, value) in self.0.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(value)?;
            }
            Ok(())
        }
    }
    List(values).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_strict() {
        assert_eq!(u64::from_param("18446744073709551615"), Ok(u64::MAX));
        assert!(u64::from_param("18446744073709551616").is_err());
        assert!(u64::from_param("-1").is_err());
        assert!(u64::from_param(" 1").is_err());
        assert!(i32::from_param("2147483648").is_err());
    }

    #[test]
    fn booleans_are_lowercase_words() {
        assert_eq!(bool::from_param("true"), Ok(true));
        assert!(bool::from_param("True").is_err());
        assert!(bool::from_param("1").is_err());
    }

    #[test]
    fn errors_say_what_was_expected() {
        let error = u64::from_param("abc").unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected an unsigned 64-bit integer, found \"abc\""
        );
        assert_eq!(one_of(&["user", "all"]), "one of user, all");
    }
}
