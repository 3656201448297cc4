//! String enumerations: a generated enum lists its values once, in a [`StringEnum`]
//! impl, and everything else (parameter text, validation, serde, `Display`) is written
//! here, once for every enum of every crate.
//!
//! Every generated enum keeps values it does not know in `Unknown(String)`, so that a
//! client goes on working when a service adds one. A closed enum (`OPEN` false) refuses
//! them where a server reads them: as parameter text ([`ParamValue::from_param`]) and in
//! bodies ([`crate::validate::Validate`]).

use crate::param::{ParamError, ParamValue, one_of};
use crate::validate::Checker;
use std::fmt;
use std::marker::PhantomData;

/// A generated string enumeration: its values as written on the wire, and the two
/// conversions between a value and its text.
pub trait StringEnum: Sized {
    /// The values the document lists, in its order.
    const VALUES: &'static [&'static str];
    /// Whether other values are valid too (`x-extensible-enum`): a server accepts them.
    const OPEN: bool;

    /// The value as written on the wire.
    fn as_str(&self) -> &str;

    /// The value `text` stands for: a listed one, or `Unknown`.
    fn from_wire(text: &str) -> Self;
}

impl<T: StringEnum> ParamValue for T {
    fn to_param(&self) -> String {
        self.as_str().to_owned()
    }

    fn from_param(text: &str) -> Result<Self, ParamError> {
        if T::OPEN || T::VALUES.contains(&text) {
            Ok(T::from_wire(text))
        } else {
            Err(ParamError::new(one_of(T::VALUES), text))
        }
    }
}

/// Refuses a value a closed enumeration does not list (what
/// [`string_enum!`](crate::string_enum!) implements `Validate` with).
pub fn validate<T: StringEnum>(value: &T, checker: &mut Checker) {
    let text = value.as_str();
    if !T::OPEN && !T::VALUES.contains(&text) {
        checker.unknown_value(text, T::VALUES);
    }
}

/// Writes a string enumeration as its text (what [`string_enum!`](crate::string_enum!)
/// implements `Serialize` with).
pub fn serialize<T: StringEnum, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_str())
}

/// Reads a string enumeration from its text, any text (what
/// [`string_enum!`](crate::string_enum!) implements `Deserialize` with).
pub fn deserialize<'de, T: StringEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct Text<T>(PhantomData<T>);
    impl<T: StringEnum> serde::de::Visitor<'_> for Text<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
            Ok(T::from_wire(text))
        }
    }
    deserializer.deserialize_str(Text(PhantomData))
}

/// Implements `Debug` (the text, quoted), `Display`, `serde::Serialize`, `serde::Deserialize` and
/// [`Validate`](crate::validate::Validate) of a [`StringEnum`] through its text, and an inherent `as_str` (so that callers need not
/// import the trait). Generated crates invoke it once per enum.
#[macro_export]
macro_rules! string_enum {
    ($name:ident) => {
        impl $name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                <Self as $crate::StringEnum>::as_str(self)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(<Self as $crate::StringEnum>::as_str(self), f)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(<Self as $crate::StringEnum>::as_str(self))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::string_enum::serialize(self, serializer)
            }
        }

        impl $crate::validate::Validate for $name {
            fn validate(&self, checker: &mut $crate::validate::Checker) {
                $crate::string_enum::validate(self, checker);
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                $crate::string_enum::deserialize(deserializer)
            }
        }
    };
}
