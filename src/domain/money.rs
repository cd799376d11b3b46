//! Money in 万元 (10,000 yuan), exact to six decimal places (0.01 yuan).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Decimal places carried by every amount.
pub const SCALE: u32 = 6;

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("must be a decimal number written as a string, e.g. \"1234.500000\"")]
    NotADecimal,
    #[error("must not be negative")]
    Negative,
    #[error("must have at most 6 decimal places")]
    TooPrecise,
    #[error("must be at most 999999999999.999999")]
    OutOfRange,
}

/// A non-negative amount of money in 万元 with at most six decimal places and at most twelve
/// integer digits, so that it fits `NUMERIC(18,6)` exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

impl Amount {
    /// The largest amount a column can hold.
    pub const MAX_MICROS: i64 = 999_999_999_999_999_999;

    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Checks a decimal against the amount rules; never rounds.
    pub fn new(value: Decimal) -> Result<Self, AmountError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(AmountError::Negative);
        }
        let normalized = value.normalize();
        if normalized.scale() > SCALE {
            return Err(AmountError::TooPrecise);
        }
        let max = Decimal::new(Self::MAX_MICROS, SCALE);
        if normalized > max {
            return Err(AmountError::OutOfRange);
        }
        let mut v = normalized;
        v.rescale(SCALE);
        Ok(Amount(v))
    }

    /// The amount from a number of millionths of 万元.
    pub fn from_micros(micros: i64) -> Result<Self, AmountError> {
        if micros < 0 {
            return Err(AmountError::Negative);
        }
        if micros > Self::MAX_MICROS {
            return Err(AmountError::OutOfRange);
        }
        Ok(Amount(Decimal::new(micros, SCALE)))
    }

    /// The amount as an integer number of millionths of 万元.
    pub fn micros(&self) -> i64 {
        let mut v = self.0;
        v.rescale(SCALE);
        // An Amount always fits: at most 18 digits.
        i64::try_from(v.mantissa()).expect("amount mantissa fits in i64")
    }

    pub fn value(&self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut v = self.0;
        v.rescale(SCALE);
        write!(f, "{v}")
    }
}

impl FromStr for Amount {
    type Err = AmountError;

    /// Accepts exactly `^[0-9]{1,12}(\.[0-9]{1,6})?$`, the pattern the API documents.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(rest) = s.strip_prefix('-') {
            if rest.parse::<Amount>().is_ok() {
                return Err(AmountError::Negative);
            }
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || frac.is_some_and(|f| !digits(f)) {
            return Err(AmountError::NotADecimal);
        }
        if int.len() > 12 {
            return Err(AmountError::OutOfRange);
        }
        if frac.is_some_and(|f| f.len() > SCALE as usize) {
            return Err(AmountError::TooPrecise);
        }
        let d = Decimal::from_str_exact(s).map_err(|_| AmountError::NotADecimal)?;
        Amount::new(d)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal amount written as a string, e.g. \"1234.500000\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                v.parse().map_err(|e: AmountError| E::custom(e))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// An amount split by source of funds: 财政资金 (fiscal) and 工会经费 (union).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundSplit {
    /// 财政资金
    pub fiscal: Amount,
    /// 工会经费
    pub union: Amount,
}

impl FundSplit {
    /// fiscal + union, exactly (the sum of two amounts may have 13 integer digits).
    pub fn total(&self) -> Total {
        Total::from(self.fiscal) + Total::from(self.union)
    }
}

/// A sum of amounts in 万元: exact to six decimal places like an [`Amount`], but without the
/// twelve-digit limit, which is on one amount and not on a sum. It holds 22 integer digits,
/// the sum of more amounts at the limit than any database of this service can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Total(Decimal);

impl Total {
    pub const ZERO: Total = Total(Decimal::ZERO);

    /// A sum as the database computed it; refused if negative or finer than six places.
    pub fn new(value: Decimal) -> Result<Self, AmountError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(AmountError::Negative);
        }
        let mut v = value.normalize();
        if v.scale() > SCALE {
            return Err(AmountError::TooPrecise);
        }
        v.rescale(SCALE);
        if v.scale() != SCALE {
            return Err(AmountError::OutOfRange);
        }
        Ok(Total(v))
    }

    /// The sum of millionths of 万元 (SQLite's stored form), exactly.
    pub fn from_micros(micros: i128) -> Result<Self, AmountError> {
        let d = Decimal::try_from_i128_with_scale(micros, SCALE)
            .map_err(|_| AmountError::OutOfRange)?;
        Total::new(d)
    }

    pub fn value(&self) -> Decimal {
        self.0
    }
}

impl From<Amount> for Total {
    fn from(a: Amount) -> Self {
        Total(a.value())
    }
}

impl std::ops::Add for Total {
    type Output = Total;
    /// Exact; two sums the database could hold never reach the 22-digit bound.
    fn add(self, other: Total) -> Total {
        Total(self.0 + other.0)
    }
}

impl fmt::Display for Total {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut v = self.0;
        v.rescale(SCALE);
        write!(f, "{v}")
    }
}

impl FromStr for Total {
    type Err = AmountError;

    /// Accepts `^[0-9]+(\.[0-9]{1,6})?$`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || !digits(frac) {
            return Err(AmountError::NotADecimal);
        }
        if frac.len() > SCALE as usize {
            return Err(AmountError::TooPrecise);
        }
        let d = Decimal::from_str_exact(s).map_err(|_| AmountError::OutOfRange)?;
        Total::new(d)
    }
}

impl Serialize for Total {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Total {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parsing_follows_the_amount_rules() {
        for (input, expected) in [
            ("0", Ok("0.000000")),
            ("1234.5", Ok("1234.500000")),
            ("1234.500000", Ok("1234.500000")),
            ("1234.5000000", Err(AmountError::TooPrecise)),
            ("999999999999.999999", Ok("999999999999.999999")),
            ("000000000001.25", Ok("1.250000")),
            ("0000000000001.25", Err(AmountError::OutOfRange)),
            ("-0", Err(AmountError::Negative)),
            ("-1.5", Err(AmountError::Negative)),
            ("+7", Err(AmountError::NotADecimal)),
            (".5", Err(AmountError::NotADecimal)),
            ("5.", Err(AmountError::NotADecimal)),
            ("1.0000001", Err(AmountError::TooPrecise)),
            ("-1", Err(AmountError::Negative)),
            ("1000000000000", Err(AmountError::OutOfRange)),
            ("1e5", Err(AmountError::NotADecimal)),
            ("", Err(AmountError::NotADecimal)),
            (" 1", Err(AmountError::NotADecimal)),
            ("1.2.3", Err(AmountError::NotADecimal)),
            (".", Err(AmountError::NotADecimal)),
            ("NaN", Err(AmountError::NotADecimal)),
        ] {
            let got = input.parse::<Amount>().map(|a| a.to_string());
            assert_eq!(
                got.as_deref().map_err(|e| e.clone()),
                expected,
                "input {input:?}"
            );
        }
    }

    #[test]
    fn json_numbers_are_refused_so_nothing_is_rounded_by_a_float() {
        assert!(serde_json::from_str::<Amount>("12.5").is_err());
        assert_eq!(
            serde_json::from_str::<Amount>("\"12.5\"")
                .unwrap()
                .to_string(),
            "12.500000"
        );
    }

    #[test]
    fn fund_split_total_adds_exactly_beyond_twelve_digits() {
        let s = FundSplit {
            fiscal: "0.000001".parse().unwrap(),
            union: "999999999998.999998".parse().unwrap(),
        };
        assert_eq!(s.total().to_string(), "999999999998.999999");
        let max: Amount = "999999999999.999999".parse().unwrap();
        let both = FundSplit {
            fiscal: max,
            union: max,
        };
        assert_eq!(both.total().to_string(), "1999999999999.999998");
    }

    #[test]
    fn totals_read_and_write_exactly() {
        for (input, expected) in [
            ("0", Ok("0.000000")),
            ("1999999999999.999998", Ok("1999999999999.999998")),
            (
                "1000000000000000000000.5",
                Ok("1000000000000000000000.500000"),
            ),
            ("1.0000001", Err(AmountError::TooPrecise)),
            ("-1", Err(AmountError::NotADecimal)),
            ("1e5", Err(AmountError::NotADecimal)),
            ("100000000000000000000000", Err(AmountError::OutOfRange)),
        ] {
            let got = input.parse::<Total>().map(|t| t.to_string());
            assert_eq!(got.as_deref().map_err(|e| e.clone()), expected, "{input}");
        }
        assert_eq!(
            Total::from_micros(2 * 999_999_999_999_999_999)
                .unwrap()
                .to_string(),
            "1999999999999.999998"
        );
        assert!(Total::new(Decimal::new(-1, 0)).is_err());
    }

    proptest! {
        #[test]
        fn a_sum_of_amounts_is_their_exact_sum(micros in proptest::collection::vec(0i64..=Amount::MAX_MICROS, 0..200)) {
            let total = micros
                .iter()
                .map(|m| Total::from(Amount::from_micros(*m).unwrap()))
                .fold(Total::ZERO, |a, b| a + b);
            let exact: i128 = micros.iter().map(|m| *m as i128).sum();
            prop_assert_eq!(total, Total::from_micros(exact).unwrap());
            let back: Total = total.to_string().parse().unwrap();
            prop_assert_eq!(back, total);
        }

        #[test]
        fn micros_and_text_round_trip(micros in 0i64..=Amount::MAX_MICROS) {
            let a = Amount::from_micros(micros).unwrap();
            prop_assert_eq!(a.micros(), micros);
            let back: Amount = a.to_string().parse().unwrap();
            prop_assert_eq!(back, a);
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), a);
        }
    }
}
