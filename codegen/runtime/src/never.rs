//! The type of the `false` schema: no value is valid, so none can be read, and none can
//! be made to be written.

use serde::de::{Deserialize, Deserializer, Error as _, IgnoredAny};
use serde::ser::{Serialize, Serializer};

/// No value: a member typed `Option<Never>` may only be absent; a body or member that
/// is present fails to read, so a server answers it with 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Never {}

impl Serialize for Never {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

impl<'de> Deserialize<'de> for Never {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer)?;
        Err(D::Error::custom(
            "no value is allowed here (the schema is `false`)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Pet {
        #[serde(default)]
        #[allow(dead_code)] // Only read, to show what reading accepts.
        legacy: Option<Never>,
    }

    #[test]
    fn a_member_that_may_not_be_there_is_refused_when_it_is() {
        assert!(serde_json::from_str::<Pet>("{}").is_ok());
        let error = serde_json::from_str::<Pet>(r#"{"legacy": 1}"#).unwrap_err();
        assert!(
            error.to_string().contains("no value is allowed here"),
            "{error}"
        );
    }
}
