//! Reading a generated struct from an object: the visitor, the key and the checks every
//! struct shares are written here once, and a struct lists only its members (an
//! [`Object`] impl: one arm per member, and how the struct is put together at the end).
//! Writing one is a call per member ([`Writer`]).
//!
//! This is what `#[derive(serde::Deserialize)]` writes, made generic: the derive writes
//! a field enum, its visitor and a struct visitor (a `visit_seq` and a `visit_map`) for
//! every struct, several hundred lines that the compiler checks again for each of a
//! large document's thousands of structs, when a crate's check time went mostly there.
//! What a reader sees is the derive's: members in any order, unknown members skipped, a
//! member given twice refused (`duplicate field`), a required one missing refused
//! (`missing field`, unless its type reads absence, as `Option` does), an optional one
//! missing left at `None`.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use std::fmt;
use std::marker::PhantomData;

/// The members of a struct being read: one slot per member, filled as the object's
/// members come, in whatever order.
pub trait Object<'de>: Default {
    /// The struct they make.
    type Value;
    /// The struct's name, for messages (`expected struct Profile`).
    const NAME: &'static str;
    /// The members' names on the wire, for formats that want them up front.
    const MEMBERS: &'static [&'static str];

    /// Reads the value of the member at `index` in [`Self::MEMBERS`] into its slot
    /// ([`next`], [`next_nullable`]).
    ///
    /// # Errors
    ///
    /// The value's, or `duplicate field` when the member came before.
    fn member<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;

    /// The struct, once the object has ended: its required members refused when absent
    /// (`missing field`; [`required`] for a type that may read absence), its optional
    /// ones left at `None`.
    ///
    /// # Errors
    ///
    /// `missing field` for a required member the object lacked.
    fn finish<E: de::Error>(self) -> Result<Self::Value, E>;
}

/// Reads the struct `O` makes from `deserializer`'s object.
///
/// # Errors
///
/// The deserializer's, a member's, and those of [`Object::member`] and [`Object::finish`].
pub fn deserialize<'de, D: Deserializer<'de>, O: Object<'de>>(
    deserializer: D,
) -> Result<O::Value, D::Error> {
    deserializer.deserialize_struct(O::NAME, O::MEMBERS, Members(PhantomData::<O>))
}

/// Reads the next member's value into `slot`.
///
/// # Errors
///
/// The value's, or `duplicate field` when `slot` is already filled.
pub fn next<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the next member's value into the slot of a property that may be absent and
/// may be null: a present `null` is `Some(None)` (see [`crate::nullable`]).
///
/// # Errors
///
/// The value's, or `duplicate field` when `slot` is already filled.
pub fn next_nullable<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<Option<Option<T>>>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(Some(map.next_value()?));
    Ok(())
}

/// The value of a required member: the one read, or what its type reads from absence
/// (`None` for an `Option`, as the derive does), else `missing field`.
///
/// # Errors
///
/// `missing field` when the member was absent and its type needs a value.
pub fn required<'de, T: serde::Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// Writes a struct's members, a call each, keeping the first error for [`Self::end`]
/// (so that a generated `Serialize` is a plain call per member).
pub struct Writer<S: SerializeStruct>(Result<S, S::Error>);

impl<S: SerializeStruct> Writer<S> {
    /// Starts writing with what `serialize_struct` returned.
    pub fn new(object: Result<S, S::Error>) -> Self {
        Writer(object)
    }

    /// Writes a member.
    pub fn member<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Ok(object) = &mut self.0
            && let Err(error) = object.serialize_field(name, value)
        {
            self.0 = Err(error);
        }
    }

    /// Writes an optional member: its value when there is one, else nothing (as the
    /// derive's `skip_serializing_if = "Option::is_none"` does).
    pub fn optional<T: serde::Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        match value {
            Some(_) => self.member(name, value),
            None => {
                if let Ok(object) = &mut self.0
                    && let Err(error) = object.skip_field(name)
                {
                    self.0 = Err(error);
                }
            }
        }
    }

    /// Ends the struct.
    ///
    /// # Errors
    ///
    /// The serializer's first.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.0?.end()
    }
}

/// The struct visitor: every member's key, then its value through [`Object::member`]
/// (or skipped, for a member the struct does not have).
struct Members<O>(PhantomData<O>);

impl<'de, O: Object<'de>> Visitor<'de> for Members<O> {
    type Value = O::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", O::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<O::Value, A::Error> {
        let mut object = O::default();
        while let Some(index) = map.next_key_seed(Key(O::MEMBERS))? {
            match index {
                Some(index) => object.member(index, &mut map)?,
                None => map.next_value::<IgnoredAny>().map(|_| ())?,
            }
        }
        object.finish()
    }
}

/// A member's name, read as an identifier (as the derive reads it, so that wrappers
/// such as `serde_path_to_error` see the key), and looked up among the struct's
/// members without being copied: its index, or `None` for a member it does not have.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|member| *member == text))
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|member| member.as_bytes() == bytes))
    }
}

/// What an absent member reads as: `None` for an `Option`, `missing field` for anything
/// else.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::{Object, Writer, deserialize, next, next_nullable, required};
    use serde::de::{self, MapAccess};

    /// What a generated struct with a required, an optional, a required nullable and
    /// an optional nullable member writes.
    #[derive(Debug, PartialEq)]
    struct Pet {
        name: String,
        tag: Option<String>,
        owner: Option<String>,
        note: Option<Option<String>>,
    }

    #[derive(Default)]
    struct Slots {
        name: Option<String>,
        tag: Option<Option<String>>,
        owner: Option<Option<String>>,
        note: Option<Option<Option<String>>>,
    }

    impl<'de> Object<'de> for Slots {
        type Value = Pet;
        const NAME: &'static str = "Pet";
        const MEMBERS: &'static [&'static str] = &["name", "tag", "owner", "note"];

        fn member<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error> {
            match index {
                0 => next(map, &mut self.name, "name"),
                1 => next(map, &mut self.tag, "tag"),
                2 => next(map, &mut self.owner, "owner"),
                _ => next_nullable(map, &mut self.note, "note"),
            }
        }

        fn finish<E: de::Error>(self) -> Result<Pet, E> {
            Ok(Pet {
                name: required(self.name, "name")?,
                tag: self.tag.unwrap_or_default(),
                owner: required(self.owner, "owner")?,
                note: self.note.unwrap_or_default(),
            })
        }
    }

    impl serde::Serialize for Pet {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let len = 2 + usize::from(self.tag.is_some()) + usize::from(self.note.is_some());
            let mut object = Writer::new(serializer.serialize_struct("Pet", len));
            object.member("name", &self.name);
            object.optional("tag", &self.tag);
            object.member("owner", &self.owner);
            object.optional("note", &self.note);
            object.end()
        }
    }

    fn read(text: &str) -> Result<Pet, String> {
        deserialize::<_, Slots>(&mut serde_json::Deserializer::from_str(text))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn members_come_in_any_order_and_unknown_ones_are_skipped() {
        let pet = read(r#"{"note":null,"extra":{"a":[1]},"owner":"Ann","name":"Rex"}"#).unwrap();
        assert_eq!(
            pet,
            Pet {
                name: "Rex".into(),
                tag: None,
                owner: Some("Ann".into()),
                note: Some(None),
            }
        );
    }

    #[test]
    fn absence_reads_as_the_derive_reads_it() {
        // A required `Option` reads absence as `None`; an absent nullable is `None`.
        let pet = read(r#"{"name":"Rex"}"#).unwrap();
        assert_eq!((pet.owner, pet.note), (None, None));
        let missing = read(r#"{"tag":"x"}"#).unwrap_err();
        assert!(missing.starts_with("missing field `name`"), "{missing}");
    }

    #[test]
    fn a_member_given_twice_or_a_value_that_is_not_an_object_is_refused() {
        let twice = read(r#"{"name":"Rex","tag":null,"tag":"x"}"#).unwrap_err();
        assert!(twice.starts_with("duplicate field `tag`"), "{twice}");
        let array = read(r#"["Rex"]"#).unwrap_err();
        assert!(
            array.starts_with("invalid type: sequence, expected struct Pet"),
            "{array}"
        );
    }

    #[test]
    fn an_absent_optional_member_is_left_out_and_a_null_one_written() {
        for text in [
            r#"{"name":"Rex","owner":null}"#,
            r#"{"name":"Rex","tag":"x","owner":"Ann","note":null}"#,
            r#"{"name":"Rex","owner":null,"note":"n"}"#,
        ] {
            let pet = read(text).unwrap();
            assert_eq!(serde_json::to_string(&pet).unwrap(), text);
        }
    }
}
