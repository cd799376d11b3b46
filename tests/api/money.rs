//! Money is stored exactly on both databases, through the same persistence code the API uses.

use budget_monitor::domain::Amount;
use budget_monitor::persistence::{self, money::StoredAmount};
use sea_orm::sea_query::{Alias, Query, Table};
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::*;

fn random_micros(n: usize) -> Vec<i64> {
    let mut bytes = vec![0u8; n * 8];
    getrandom::fill(&mut bytes).unwrap();
    let mut v: Vec<i64> = bytes
        .chunks(8)
        .map(|c| {
            (u64::from_le_bytes(c.try_into().unwrap()) % (Amount::MAX_MICROS as u64 + 1)) as i64
        })
        .collect();
    // The edges and values a float would get wrong.
    v.extend([
        0,
        1,
        10,
        999_999,
        1_000_000,
        Amount::MAX_MICROS,
        123_456_789_012_123_456,
        100_000_000_000_000_001,
    ]);
    v
}

#[tokio::test]
async fn amounts_with_six_decimals_round_trip_exactly() {
    let dir = temp_dir();
    let url = fresh_database(&dir).await;
    let db = persistence::connect(&url).await.unwrap();
    let backend = db.get_database_backend();
    let table = Alias::new("money_probe");
    let mut create = Table::create();
    create
        .table(table.clone())
        .col(
            sea_orm::sea_query::ColumnDef::new(Alias::new("id"))
                .integer()
                .not_null()
                .primary_key(),
        )
        .col(migration::money_column(backend, Alias::new("amount")).not_null());
    db.execute(backend.build(&create)).await.unwrap();

    let amounts: Vec<Amount> = random_micros(200)
        .into_iter()
        .map(|m| Amount::from_micros(m).unwrap())
        .collect();
    for (i, a) in amounts.iter().enumerate() {
        let insert = Query::insert()
            .into_table(table.clone())
            .columns([Alias::new("id"), Alias::new("amount")])
            .values_panic([(i as i32).into(), StoredAmount::new(backend, *a).into()])
            .to_owned();
        db.execute(backend.build(&insert)).await.unwrap();
    }
    let rows = db
        .query_all(Statement::from_string(
            backend,
            "SELECT id, amount FROM money_probe ORDER BY id",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), amounts.len());
    for (row, expected) in rows.iter().zip(&amounts) {
        let stored: StoredAmount = row.try_get("", "amount").unwrap();
        let back = stored.amount().unwrap();
        assert_eq!(back.to_string(), expected.to_string());
    }
    // The text a client sends comes back identical.
    let text = "999999999999.999999";
    let a: Amount = text.parse().unwrap();
    assert_eq!(a.to_string(), text);
}

#[test]
fn amounts_beyond_the_column_or_with_seven_decimals_are_refused_not_rounded() {
    for bad in ["1000000000000", "0.0000001", "12.3456789", "-1"] {
        assert!(bad.parse::<Amount>().is_err(), "{bad}");
    }
}
