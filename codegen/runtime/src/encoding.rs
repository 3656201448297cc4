//! Percent-encoding of path segments and query values, and the check of header values:
//! the one implementation every generated client uses.
//!
//! Both encode every byte outside RFC 3986's *unreserved* set (`A-Z a-z 0-9 - . _ ~`).
//! That is stricter than the RFC requires (sub-delimiters such as `(` or `,` may stand
//! unencoded in a segment), but it is always correct: a value can never be mistaken for
//! the structure around it, whatever characters it holds.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::borrow::Cow;

/// Everything but RFC 3986's unreserved characters.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes `value` to stand in a path segment (a `/` in it becomes `%2F`).
pub fn encode_path_value(value: &str) -> String {
    utf8_percent_encode(value, VALUE).to_string()
}

/// Encodes a query parameter name or value (a space becomes `%20`, `&` `%26`, `,` `%2C`).
pub fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, VALUE).to_string()
}

/// Appends `value` to `out`, encoded as [`encode_path_value`] and [`encode_query_value`]
/// encode it (the same set for both), without a string of its own on the way.
#[cfg(feature = "client")]
pub(crate) fn push_encoded(out: &mut String, value: &str) {
    out.extend(utf8_percent_encode(value, VALUE));
}

/// Why a text cannot be sent as a header value.
///
/// The messages never quote the value: it may be a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HeaderValueError {
    /// A CR or LF: sent as is, it would end the header and let the rest of the value
    /// pass for other headers (header injection).
    #[error("it contains a line break (CR or LF), which would end the header early")]
    LineBreak,
    /// Another control character (NUL, ESC, DEL...), which HTTP forbids in a field value.
    #[error("it contains a control character, which HTTP forbids in a header value")]
    Control,
    /// A character outside ASCII: HTTP gives such bytes no meaning, and servers read them
    /// differently or refuse them.
    #[error(
        "it contains a character outside ASCII, which a header value cannot carry reliably (encode the value, for example as RFC 8187 or Base64, before sending it)"
    )]
    NonAscii,
}

/// Checks that `value` can be sent as a header value exactly as it is: visible ASCII,
/// spaces and tabs only (RFC 9110 §5.5).
pub fn check_header_value(value: &str) -> Result<(), HeaderValueError> {
    for character in value.chars() {
        match character {
            '\r' | '\n' => return Err(HeaderValueError::LineBreak),
            '\t' | ' '..='~' => {}
            _ if character.is_ascii() => return Err(HeaderValueError::Control),
            _ => return Err(HeaderValueError::NonAscii),
        }
    }
    Ok(())
}

/// Why a percent-encoded text could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A `%` not followed by two hexadecimal digits.
    #[error("invalid percent-encoding in {0:?}")]
    InvalidPercent(String),
    /// The decoded bytes are not UTF-8.
    #[error("percent-decoded text is not UTF-8 in {0:?}")]
    InvalidUtf8(String),
}

/// Decodes a percent-encoded text strictly: a stray `%` or bytes that are not UTF-8 are
/// errors, where a lenient decoder would pass them on silently.
pub fn decode(text: &str) -> Result<String, DecodeError> {
    decode_borrowed(text).map(Cow::into_owned)
}

/// [`decode`], borrowing `text` when it holds no escape (the common case on a request's
/// hot path, where an owned copy would be an allocation per value).
pub(crate) fn decode_borrowed(text: &str) -> Result<Cow<'_, str>, DecodeError> {
    let bytes = text.as_bytes();
    for (i, byte) in bytes.iter().enumerate() {
        if *byte == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return Err(DecodeError::InvalidPercent(text.to_owned()));
            }
        }
    }
    percent_decode_str(text)
        .decode_utf8()
        .map_err(|_| DecodeError::InvalidUtf8(text.to_owned()))
}

/// Splits a raw query string into decoded `(name, value)` pairs, in order.
///
/// `+` is read as a space, as HTML forms and most clients write it.
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, DecodeError> {
    // One owned string per name and value, and no copy of either before decoding.
    let decode_form = |text: &str| -> Result<String, DecodeError> {
        if text.contains('+') {
            decode(&text.replace('+', " "))
        } else {
            decode(text)
        }
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode_form(name)?, decode_form(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_cannot_break_out_of_their_segment() {
        assert_eq!(encode_path_value("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(encode_path_value("(x)"), "%28x%29");
        assert_eq!(encode_path_value("é"), "%C3%A9");
        assert_eq!(encode_path_value("59274dfb-._~"), "59274dfb-._~");
    }

    #[test]
    fn query_values_escape_separators() {
        assert_eq!(encode_query_value("a&b=c,d e+f"), "a%26b%3Dc%2Cd%20e%2Bf");
    }

    #[test]
    fn header_values_with_line_breaks_or_controls_are_refused() {
        assert_eq!(check_header_value("XBL3.0 x=1;tok\ten"), Ok(()));
        assert_eq!(
            check_header_value("en\r\nX-Injected: 1"),
            Err(HeaderValueError::LineBreak)
        );
        assert_eq!(check_header_value("en\n"), Err(HeaderValueError::LineBreak));
        assert_eq!(check_header_value("a\0b"), Err(HeaderValueError::Control));
        assert_eq!(check_header_value("a\x7fb"), Err(HeaderValueError::Control));
        assert_eq!(
            check_header_value("fr-FR é"),
            Err(HeaderValueError::NonAscii)
        );
    }

    #[test]
    fn decoding_is_strict() {
        assert_eq!(decode("a%20b").as_deref(), Ok("a b"));
        assert!(matches!(
            decode("100%"),
            Err(DecodeError::InvalidPercent(_))
        ));
        assert!(matches!(decode("%zz"), Err(DecodeError::InvalidPercent(_))));
        assert!(matches!(decode("%ff"), Err(DecodeError::InvalidUtf8(_))));
    }

    #[test]
    fn queries_split_into_decoded_pairs() {
        let pairs = parse_query("a=1&b=x+y&c=%2C&&flag").unwrap();
        assert_eq!(
            pairs,
            [("a", "1"), ("b", "x y"), ("c", ","), ("flag", "")]
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
    }
}
