//! Calendar dates as the API writes them: exactly `YYYY-MM-DD`.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The one accepted form of a date.
pub const PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// A calendar date that reads only `YYYY-MM-DD` (`2026-06-30`): no sign, no missing zero, no
/// surrounding space, and a day that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(NaiveDate);

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a date written YYYY-MM-DD, e.g. \"2026-06-30\"")]
pub struct DateError;

impl IsoDate {
    pub fn get(self) -> NaiveDate {
        self.0
    }
}

/// Reads as the calendar date it is (`year()`, `format()`, comparisons through `*`).
impl std::ops::Deref for IsoDate {
    type Target = NaiveDate;
    fn deref(&self) -> &NaiveDate {
        &self.0
    }
}

impl From<NaiveDate> for IsoDate {
    fn from(d: NaiveDate) -> Self {
        IsoDate(d)
    }
}

impl From<IsoDate> for NaiveDate {
    fn from(d: IsoDate) -> Self {
        d.0
    }
}

impl std::str::FromStr for IsoDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, DateError> {
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
        if !shaped {
            return Err(DateError);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(IsoDate)
            .map_err(|_| DateError)
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = IsoDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IsoDate, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yyyy_mm_dd_is_a_date() {
        for (input, ok) in [
            ("2026-06-30", true),
            ("2024-02-29", true),
            ("0001-01-01", true),
            ("2026-6-30", false),
            ("2026-06-3", false),
            ("+2026-06-30", false),
            ("2026-06-30 ", false),
            (" 2026-06-30", false),
            ("2026-06-30T00:00:00", false),
            ("2026/06/30", false),
            ("2025-02-29", false),
            ("2026-13-01", false),
            ("20260630", false),
            ("", false),
            ("２０２６-06-30", false),
        ] {
            assert_eq!(input.parse::<IsoDate>().is_ok(), ok, "{input:?}");
        }
    }

    #[test]
    fn a_date_reads_back_as_written() {
        let d: IsoDate = serde_json::from_str("\"2026-07-10\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-07-10\"");
        assert!(serde_json::from_str::<IsoDate>("20260710").is_err());
    }
}
