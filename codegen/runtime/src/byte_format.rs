//! `format: byte`: bytes that travel as base64 text (RFC 4648, the standard alphabet),
//! in JSON and in parameters alike.

use crate::param::{ParamError, ParamValue};
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes padded text, and reads text with or without padding: both are seen in the
/// wild, and neither is ambiguous.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Bytes written as base64 text (a schema's `format: byte`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The base64 text of the bytes.
    pub fn encode(&self) -> String {
        ENGINE.encode(&self.0)
    }

    /// The bytes of base64 `text`.
    ///
    /// # Errors
    /// When `text` is not base64.
    pub fn decode(text: &str) -> Result<Self, base64::DecodeError> {
        ENGINE.decode(text).map(Base64)
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Base64(bytes.to_vec())
    }
}

impl AsRef<[u8]> for Base64 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Base64::decode(&text)
            .map_err(|error| serde::de::Error::custom(format!("not base64: {error}")))
    }
}

impl ParamValue for Base64 {
    fn to_param(&self) -> String {
        self.encode()
    }

    fn from_param(text: &str) -> Result<Self, ParamError> {
        Base64::decode(text).map_err(|_| ParamError::new("base64 text", text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_padded_base64_in_json_and_read_with_or_without_padding() {
        let bytes = Base64(b"hi!?".to_vec());
        assert_eq!(serde_json::to_string(&bytes).unwrap(), r#""aGkhPw==""#);
        assert_eq!(
            serde_json::from_str::<Base64>(r#""aGkhPw==""#).unwrap(),
            bytes
        );
        assert_eq!(
            serde_json::from_str::<Base64>(r#""aGkhPw""#).unwrap(),
            bytes
        );
        assert!(serde_json::from_str::<Base64>(r#""not base64!""#).is_err());
        assert_eq!(Base64::from_param("aGkhPw==").unwrap(), bytes);
        assert!(Base64::from_param("%%").is_err());
    }
}
