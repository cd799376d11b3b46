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

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        // Only plain decimal notation: digits with an optional sign and point.
        let plain = !t.is_empty()
            && t == s
            && t.chars()
                .enumerate()
                .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')))
            && t.chars().filter(|c| *c == '.').count() <= 1
            && t.chars().any(|c| c.is_ascii_digit());
        if !plain {
            return Err(AmountError::NotADecimal);
        }
        if t.starts_with('-') && t.chars().any(|c| ('1'..='9').contains(&c)) {
            return Err(AmountError::Negative);
        }
        let digits_before_point = t
            .trim_start_matches(['-', '+'])
            .split('.')
            .next()
            .unwrap_or("")
            .trim_start_matches('0')
            .len();
        if digits_before_point > 12 {
            return Err(AmountError::OutOfRange);
        }
        let decimals = t.split('.').nth(1).map(|d| d.trim_end_matches('0').len());
        if decimals.unwrap_or(0) > SCALE as usize {
            return Err(AmountError::TooPrecise);
        }
        let d = Decimal::from_str_exact(t).map_err(|_| AmountError::NotADecimal)?;
        Amount::new(d.abs())
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
    pub fiscal: Amount,
    pub union: Amount,
}

impl FundSplit {
    /// fiscal + union; `None` if the sum leaves the column's range.
    pub fn total(&self) -> Option<Amount> {
        Amount::from_micros(self.fiscal.micros().checked_add(self.union.micros())?).ok()
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
            ("1234.5000000", Ok("1234.500000")),
            ("999999999999.999999", Ok("999999999999.999999")),
            ("000000000000001.25", Ok("1.250000")),
            ("-0", Ok("0.000000")),
            ("+7", Ok("7.000000")),
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
    fn fund_split_total_adds_exactly() {
        let s = FundSplit {
            fiscal: "0.000001".parse().unwrap(),
            union: "999999999998.999998".parse().unwrap(),
        };
        assert_eq!(s.total().unwrap().to_string(), "999999999998.999999");
        let over = FundSplit {
            fiscal: "999999999999.999999".parse().unwrap(),
            union: "0.000001".parse().unwrap(),
        };
        assert_eq!(over.total(), None);
    }

    proptest! {
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
