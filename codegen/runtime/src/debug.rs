//! `Debug` for generated schema types, written through their `Serialize`.
//!
//! A derived `Debug` is a few lines of trait bounds per field for the compiler to check,
//! in every crate, for every type: for a document of thousands of schemas that was a
//! tenth of `cargo check`. A generated type instead implements `Debug` with
//! [`debug!`](crate::debug!), which calls [`fmt()`]: the type's own `Serialize` drives
//! `std`'s debug builders, so `{:?}` and `{:#?}` read as a derive's would, with these
//! differences:
//!
//! - members are named as on the wire (`lastSeen`, not `last_seen`);
//! - an optional member that is absent is left out, as in the JSON;
//! - a string enumeration shows its text (`"Online"`), and `null` shows as `null`.

use serde::ser::{self, Serialize};
use std::fmt::{self, Debug, Formatter};

/// Writes `value` as `Debug` would, through its `Serialize` (see the module's docs).
/// Never fails but for the formatter: a value that refuses to serialize shows the
/// reason in angle brackets where it stopped.
pub fn fmt<T: Serialize + ?Sized>(value: &T, f: &mut Formatter<'_>) -> fmt::Result {
    match value.serialize(Writer { f: &mut *f }) {
        Ok(()) => Ok(()),
        Err(Failure::Format) => Err(fmt::Error),
        Err(Failure::Refused(reason)) => write!(f, "<{reason}>"),
    }
}

/// Implements `Debug` of a generated type through [`fmt()`]. Generated crates invoke it
/// once per schema type.
#[macro_export]
macro_rules! debug {
    ($name:ident) => {
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::debug::fmt(self, f)
            }
        }
    };
}

/// A member's value, shown through [`fmt()`] inside a debug builder.
struct Shown<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        fmt(self.0, f)
    }
}

#[derive(Debug)]
enum Failure {
    /// The formatter failed (its writer did).
    Format,
    /// The value's `Serialize` refused.
    Refused(String),
}

impl From<fmt::Error> for Failure {
    fn from(_: fmt::Error) -> Self {
        Failure::Format
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Format => f.write_str("the formatter failed"),
            Failure::Refused(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for Failure {}

impl ser::Error for Failure {
    fn custom<T: fmt::Display>(reason: T) -> Self {
        Failure::Refused(reason.to_string())
    }
}

/// The serializer that writes to a formatter.
struct Writer<'a, 'b> {
    f: &'a mut Formatter<'b>,
}

impl Writer<'_, '_> {
    fn shown(self, value: &dyn Debug) -> Result<(), Failure> {
        Ok(value.fmt(self.f)?)
    }
}

impl<'a, 'b> ser::Serializer for Writer<'a, 'b> {
    type Ok = ();
    type Error = Failure;
    type SerializeSeq = List<'a, 'b>;
    type SerializeTuple = List<'a, 'b>;
    type SerializeTupleStruct = Tuple<'a, 'b>;
    type SerializeTupleVariant = Tuple<'a, 'b>;
    type SerializeMap = Map<'a, 'b>;
    type SerializeStruct = Struct<'a, 'b>;
    type SerializeStructVariant = Struct<'a, 'b>;

    fn serialize_bool(self, v: bool) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_str(self, v: &str) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Failure> {
        self.shown(&v)
    }
    fn serialize_none(self) -> Result<(), Failure> {
        Ok(self.f.write_str("null")?)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Failure> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Failure> {
        Ok(self.f.write_str("null")?)
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Failure> {
        Ok(self.f.write_str(name)?)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Failure> {
        Ok(self.f.write_str(variant)?)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Failure> {
        Ok(self.f.debug_tuple(name).field(&Shown(value)).finish()?)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Failure> {
        Ok(self.f.debug_tuple(variant).field(&Shown(value)).finish()?)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<List<'a, 'b>, Failure> {
        Ok(List(self.f.debug_list()))
    }
    fn serialize_tuple(self, _: usize) -> Result<List<'a, 'b>, Failure> {
        Ok(List(self.f.debug_list()))
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Tuple<'a, 'b>, Failure> {
        Ok(Tuple(self.f.debug_tuple(name)))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Tuple<'a, 'b>, Failure> {
        Ok(Tuple(self.f.debug_tuple(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a, 'b>, Failure> {
        Ok(Map(self.f.debug_map()))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'a, 'b>, Failure> {
        Ok(Struct(self.f.debug_struct(name)))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Struct<'a, 'b>, Failure> {
        Ok(Struct(self.f.debug_struct(variant)))
    }
}

/// An array or tuple being written.
struct List<'a, 'b>(fmt::DebugList<'a, 'b>);

impl ser::SerializeSeq for List<'_, '_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failure> {
        self.0.entry(&Shown(value));
        Ok(())
    }
    fn end(mut self) -> Result<(), Failure> {
        Ok(self.0.finish()?)
    }
}

impl ser::SerializeTuple for List<'_, '_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failure> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Failure> {
        ser::SerializeSeq::end(self)
    }
}

/// A tuple struct or variant being written.
struct Tuple<'a, 'b>(fmt::DebugTuple<'a, 'b>);

impl ser::SerializeTupleStruct for Tuple<'_, '_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failure> {
        self.0.field(&Shown(value));
        Ok(())
    }
    fn end(mut self) -> Result<(), Failure> {
        Ok(self.0.finish()?)
    }
}

impl ser::SerializeTupleVariant for Tuple<'_, '_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failure> {
        ser::SerializeTupleStruct::serialize_field(self, value)
    }
    fn end(self) -> Result<(), Failure> {
        ser::SerializeTupleStruct::end(self)
    }
}

/// A map being written.
struct Map<'a, 'b>(fmt::DebugMap<'a, 'b>);

impl ser::SerializeMap for Map<'_, '_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failure> {
        self.0.key(&Shown(key));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failure> {
        self.0.value(&Shown(value));
        Ok(())
    }
    fn end(mut self) -> Result<(), Failure> {
        Ok(self.0.finish()?)
    }
}

/// A struct or struct variant being written.
struct Struct<'a, 'b>(fmt::DebugStruct<'a, 'b>);

impl ser::SerializeStruct for Struct<'_, '_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Failure> {
        self.0.field(name, &Shown(value));
        Ok(())
    }
    fn end(mut self) -> Result<(), Failure> {
        Ok(self.0.finish()?)
    }
}

impl ser::SerializeStructVariant for Struct<'_, '_> {
    type Ok = ();
    type Error = Failure;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Failure> {
        ser::SerializeStruct::serialize_field(self, name, value)
    }
    fn end(self) -> Result<(), Failure> {
        ser::SerializeStruct::end(self)
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Record {
        xuid: String,
        #[serde(rename = "lastSeen", skip_serializing_if = "Option::is_none")]
        last_seen: Option<u32>,
        devices: Vec<Device>,
        tags: BTreeMap<String, bool>,
        nothing: Option<u8>,
    }

    #[derive(Serialize)]
    enum Device {
        Console,
        Phone(u8),
    }

    impl std::fmt::Debug for Record {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            super::fmt(self, f)
        }
    }

    fn record() -> Record {
        Record {
            xuid: "2533".to_owned(),
            last_seen: None,
            devices: vec![Device::Console, Device::Phone(7)],
            tags: BTreeMap::from([("a\"b".to_owned(), true)]),
            nothing: None,
        }
    }

    #[test]
    fn a_value_reads_as_a_derived_debug_would_with_the_wire_names() {
        assert_eq!(
            format!("{:?}", record()),
            r#"Record { xuid: "2533", devices: [Console, Phone(7)], tags: {"a\"b": true}, nothing: null }"#
        );
    }

    #[test]
    fn the_alternate_form_is_pretty_printed_as_std_does() {
        let shown = format!("{:#?}", record());
        assert!(
            shown.starts_with("Record {\n    xuid: \"2533\",\n    devices: [\n        Console,\n"),
            "{shown}"
        );
    }

    #[test]
    fn a_value_that_refuses_to_serialize_shows_why_and_does_not_panic() {
        struct Refuses;
        impl Serialize for Refuses {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        struct Shown(Vec<Refuses>);
        impl std::fmt::Debug for Shown {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                super::fmt(&self.0, f)
            }
        }
        assert_eq!(format!("{:?}", Shown(vec![Refuses])), "[<no>]");
    }
}
