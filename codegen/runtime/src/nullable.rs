//! Properties that may be absent and may be null: `Option<Option<T>>`, read so that a
//! present `null` is `Some(None)` (serde alone reads it as `None`, absent), so that the
//! three states a document tells apart come back as they were sent.
//!
//! A generated struct reads such a property with [`crate::object::next_nullable`], or,
//! when it derives serde's traits (a struct with additional properties), with
//! `#[serde(default, skip_serializing_if = "Option::is_none", deserialize_with =
//! "apigen_runtime::nullable::deserialize")]`: absent reads as `None` (the `default`)
//! and is not written; `Some(None)` is written as `null`.

use serde::{Deserialize, Deserializer};

/// Reads a property that is present: `null` as `Some(None)`, a value as `Some(Some(v))`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Error {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "super::deserialize"
        )]
        inner: Option<Option<u32>>,
    }

    #[test]
    fn absent_null_and_a_value_each_come_back_as_they_were() {
        for (text, value) in [
            ("{}", None),
            (r#"{"inner":null}"#, Some(None)),
            (r#"{"inner":7}"#, Some(Some(7))),
        ] {
            let read: Error = serde_json::from_str(text).unwrap();
            assert_eq!(read.inner, value, "{text}");
            assert_eq!(serde_json::to_string(&read).unwrap(), text);
        }
    }
}
