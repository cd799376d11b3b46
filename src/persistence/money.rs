//! How an [`Amount`] is stored: `NUMERIC(18,6)` on PostgreSQL, integer millionths on SQLite
//! (where sea-orm would pass a decimal through `f64`). Nothing else in the code knows.

use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbBackend, QueryResult, TryGetError, TryGetable, Value};

use crate::domain::{Amount, FundSplit};

/// An amount in the form its database column holds. Build it with [`StoredAmount::new`] for the
/// connection it is written to; read it back with [`StoredAmount::amount`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredAmount {
    /// SQLite: millionths of 万元.
    Micros(i64),
    /// PostgreSQL: the exact decimal.
    Exact(rust_decimal::Decimal),
}

impl StoredAmount {
    pub fn new(backend: DbBackend, amount: Amount) -> Self {
        match backend {
            DbBackend::Postgres => StoredAmount::Exact(amount.value()),
            _ => StoredAmount::Micros(amount.micros()),
        }
    }

    /// The amount; a stored value outside the amount rules is a corrupt row.
    pub fn amount(&self) -> Result<Amount, sea_orm::DbErr> {
        let r = match self {
            StoredAmount::Micros(m) => Amount::from_micros(*m),
            StoredAmount::Exact(d) => Amount::new(*d),
        };
        r.map_err(|e| sea_orm::DbErr::Type(format!("stored amount is invalid: {e}")))
    }
}

/// A split kept in a fiscal and a union column.
pub fn split(fiscal: StoredAmount, union: StoredAmount) -> Result<FundSplit, sea_orm::DbErr> {
    Ok(FundSplit {
        fiscal: fiscal.amount()?,
        union: union.amount()?,
    })
}

/// A split kept in two nullable columns: none unless both hold an amount.
pub fn optional_split(
    fiscal: Option<StoredAmount>,
    union: Option<StoredAmount>,
) -> Result<Option<FundSplit>, sea_orm::DbErr> {
    fiscal
        .zip(union)
        .map(|(fiscal, union)| split(fiscal, union))
        .transpose()
}

impl From<StoredAmount> for Value {
    fn from(v: StoredAmount) -> Value {
        match v {
            StoredAmount::Micros(m) => Value::BigInt(Some(m)),
            StoredAmount::Exact(d) => Value::Decimal(Some(d)),
        }
    }
}

impl TryGetable for StoredAmount {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        // PostgreSQL holds the exact NUMERIC; SQLite an integer of millionths. Decoding by the
        // row's backend, not by trying one and then the other: a failed decode builds an error
        // message, which on a report's 100,000 amounts cost more than the decoding itself.
        if res.try_as_pg_row().is_some() {
            rust_decimal::Decimal::try_get_by(res, index).map(StoredAmount::Exact)
        } else {
            i64::try_get_by(res, index).map(StoredAmount::Micros)
        }
    }
}

impl ValueType for StoredAmount {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        match v {
            Value::BigInt(Some(m)) => Ok(StoredAmount::Micros(m)),
            Value::Decimal(Some(d)) => Ok(StoredAmount::Exact(d)),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "StoredAmount".to_string()
    }

    fn array_type() -> ArrayType {
        ArrayType::Decimal
    }

    fn column_type() -> ColumnType {
        ColumnType::Decimal(Some((18, 6)))
    }
}

impl Nullable for StoredAmount {
    fn null() -> Value {
        Value::Decimal(None)
    }
}
