//! [`DateTime`]: a `format: date-time` value, which writes back the text it was read from.

use chrono::{FixedOffset, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::str::FromStr;

/// An RFC 3339 date-time (`format: date-time`): the parsed value (through [`Deref`], a
/// `chrono::DateTime<FixedOffset>`) and the text it was read from, if it was read.
///
/// It is written back as that text, byte for byte: `2024-01-01T00:00:00+00:00` stays as
/// sent (chrono alone would write `Z`), and so do `.120` and a service's own offset. A
/// value made from a `chrono` date-time ([`From`]) has no text and is written in the
/// canonical form, `2024-01-01T00:00:00Z`, fractional seconds only when there are any.
///
/// Two values are equal when they mean the same: the same instant at the same offset
/// (`+00:00` and `Z` are one offset; `.120` and `.12` one instant); the text is not
/// compared. Compare [`to_string`](ToString::to_string)s to tell texts apart. (`chrono`
/// compares instants only: `12:00+01:00` equals `11:00Z` there, not here.)
///
/// The default is the Unix epoch at offset zero, as chrono's.
#[derive(Debug, Clone, Default)]
pub struct DateTime {
    value: chrono::DateTime<FixedOffset>,
    text: Option<Box<str>>,
}

impl DateTime {
    /// The parsed value.
    pub fn value(&self) -> chrono::DateTime<FixedOffset> {
        self.value
    }

    /// The text the value was read from, if it was read.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// Reads RFC 3339 text strictly (as parameters are), keeping it.
    pub fn parse_rfc3339(text: &str) -> Result<Self, chrono::ParseError> {
        let value = chrono::DateTime::parse_from_rfc3339(text)?;
        Ok(DateTime {
            value,
            text: Some(text.into()),
        })
    }

    /// What the value means: its instant and its offset.
    fn meaning(&self) -> (chrono::NaiveDateTime, i32) {
        (
            self.value.naive_utc(),
            self.value.offset().local_minus_utc(),
        )
    }
}

impl Deref for DateTime {
    type Target = chrono::DateTime<FixedOffset>;

    fn deref(&self) -> &Self::Target {
        &self.value
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateTime {
    fn from(value: chrono::DateTime<Tz>) -> Self {
        DateTime {
            value: value.fixed_offset(),
            text: None,
        }
    }
}

impl From<DateTime> for chrono::DateTime<FixedOffset> {
    fn from(value: DateTime) -> Self {
        value.value
    }
}

/// Reads a date-time as `chrono` reads one from JSON, keeping the text.
impl FromStr for DateTime {
    type Err = chrono::ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let value = text.parse::<chrono::DateTime<FixedOffset>>()?;
        Ok(DateTime {
            value,
            text: Some(text.into()),
        })
    }
}

/// The text the value was read from, or the canonical RFC 3339 form.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.text {
            Some(text) => f.write_str(text),
            None => f.write_str(&self.value.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        }
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.meaning() == other.meaning()
    }
}

impl Eq for DateTime {}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.meaning().hash(state);
    }
}

/// Earlier instants first; of one instant, the lesser offset first.
impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.meaning().cmp(&other.meaning())
    }
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(json: &str) -> String {
        let value: DateTime = serde_json::from_str(json).expect("a date-time");
        serde_json::to_string(&value).expect("written")
    }

    #[test]
    fn a_date_time_read_is_written_back_byte_for_byte() {
        for text in [
            r#""2024-01-01T00:00:00+00:00""#,
            r#""2024-01-01T00:00:00.120Z""#,
            r#""2024-01-01T05:30:00.1200000+05:30""#,
            r#""2024-01-01t00:00:00z""#,
        ] {
            assert_eq!(round_trip(text), text);
        }
    }

    #[test]
    fn a_date_time_made_from_chrono_is_written_as_chrono_writes_it() {
        for text in ["2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00.120-07:00"] {
            let parsed = chrono::DateTime::parse_from_rfc3339(text).expect("a date-time");
            assert_eq!(
                serde_json::to_string(&DateTime::from(parsed)).expect("written"),
                serde_json::to_string(&parsed).expect("written"),
            );
        }
        let utc = chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0).expect("an instant");
        assert_eq!(DateTime::from(utc).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(DateTime::default(), DateTime::from(utc));
    }

    #[test]
    fn equal_values_mean_the_same_instant_at_the_same_offset() {
        let read = |text: &str| text.parse::<DateTime>().expect("a date-time");
        assert_eq!(
            read("2024-01-01T00:00:00+00:00"),
            read("2024-01-01T00:00:00Z")
        );
        assert_eq!(
            read("2024-01-01T00:00:00.120Z"),
            read("2024-01-01T00:00:00.12Z")
        );
        assert_ne!(
            read("2024-01-01T01:00:00+01:00"),
            read("2024-01-01T00:00:00Z")
        );
        // The parsed value is at hand.
        assert_eq!(read("2024-01-01T01:00:00+01:00").timestamp(), 1_704_067_200);
        assert!("not a date".parse::<DateTime>().is_err());
    }
}
