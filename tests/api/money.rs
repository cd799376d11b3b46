//! Money is stored exactly on both databases, through the same persistence code the API uses.

use budget_monitor::domain::Amount;
use budget_monitor::persistence::{self, money::StoredAmount};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Query, Table};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

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
    let scratch = Scratch::new().await;
    let url = scratch.url.clone();
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
    db.execute(&create).await.unwrap();

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
        db.execute(&insert).await.unwrap();
    }
    let rows = db
        .query_all_raw(Statement::from_string(
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

const MAX: &str = "999999999999.999999";

/// The three money columns (fiscal, union, total) of a report's JSON part.
fn funds(v: &Value) -> [String; 3] {
    ["fiscal", "union", "total"].map(|k| v[k].as_str().unwrap().to_string())
}

fn times_max(n: i64, plus: i64) -> String {
    let max: Decimal = MAX.parse().unwrap();
    let mut d = max * Decimal::from(n) + Decimal::from(plus);
    d.rescale(6);
    d.to_string()
}

/// Twelve special funds at the largest budget each, ten of them fully executed, in a unit
/// without an overall item (so they count in the totals): sums with 14 integer digits,
/// reported exactly in JSON, CSV and XLSX on both databases.
#[tokio::test]
async fn reports_add_any_number_of_the_largest_amounts_exactly() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    let unit2 = app.unit("U2").await.id;
    let reporter2 = app.as_reporter(unit2).await;
    for i in 0..12 {
        let item = reporter2
            .item(
                json!({"year": 2026, "kind": "special_fund", "name": format!("资金{i:02}"),
            "budget": {"fiscal": MAX, "union": MAX}, "funding_source": "fiscal_allocation"}),
            )
            .await;
        if i >= 10 {
            continue;
        }
        let form = reporter2
            .filed_form(json!({"period_id": c.period, "item_id": item.id,
            "executed": {"fiscal": MAX, "union": MAX}, "outlook": "certain",
            "signatures": signatures()}))
            .await;
        let submitted = form.body;
        assert_eq!(
            submitted["execution_rate"]["total"], "100.00",
            "{submitted}"
        );
        assert_eq!(submitted["budget_light"], "green");
    }
    let path = format!("/api/v1/periods/{}/report", c.period);

    // JSON: the first unit's overall item (100 + 300, not reported) and the second unit's
    // twelve funds; ten funds executed in full.
    let report = r.finance.read(&path).await;
    let budget = [times_max(12, 100), times_max(12, 300), times_max(24, 400)];
    let executed = [times_max(10, 0), times_max(10, 0), times_max(20, 0)];
    assert_eq!(budget[2], "24000000000399.999976");
    assert_eq!(funds(&report["budget"]), budget);
    assert_eq!(funds(&report["executed"]), executed);
    let second = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit2.to_string().as_str())
        .unwrap();
    let of_funds = [times_max(12, 0), times_max(12, 0), times_max(24, 0)];
    assert_eq!(funds(&second["budget"]), of_funds);
    assert_eq!(funds(&second["executed"]), executed);
    assert_eq!(
        funds(&report["of_which"]["special_funds"]["budget"]),
        of_funds
    );
    assert_eq!(
        funds(&report["not_reported"]),
        [times_max(2, 100), times_max(2, 300), times_max(4, 400)]
    );
    let funds_rows = rows_where(&report["items"], "kind", "special_fund");
    assert_eq!(funds_rows.len(), 12);
    for row in &funds_rows {
        assert_eq!(
            funds(&row["budget"]),
            [MAX, MAX, "1999999999999.999998"].map(String::from)
        );
    }

    // CSV: the item rows, exact text.
    let csv = r.finance.get(&format!("{path}?format=csv")).await;
    assert_eq!(csv.status(), 200);
    let text = String::from_utf8(csv.bytes().await.unwrap()[3..].to_vec()).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let totals: Vec<String> = rows
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[3] == "专项资金")
        .map(|r| r[8].to_string())
        .collect();
    assert_eq!(totals, vec!["1999999999999.999998".to_string(); 12]);

    // XLSX: a spreadsheet number keeps 15 digits, so larger sums are written as exact text;
    // the overall item's figures stay numbers.
    let xlsx = r.finance.get(&format!("{path}?format=xlsx")).await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::{Data, Reader};
    let summary = book.worksheet_range("汇总").unwrap();
    let row_of = |label: &str| {
        summary
            .rows()
            .find(|r| r[0] == Data::String(label.into()))
            .unwrap()
            .to_vec()
    };
    let texts = |r: &[Data]| r[1..4].iter().map(|d| d.to_string()).collect::<Vec<_>>();
    assert_eq!(texts(&row_of("预算数")), budget);
    assert_eq!(texts(&row_of("执行数")), executed);
    let items = book.worksheet_range("项目").unwrap();
    // Two heading rows: 预算数 over 财政资金 / 工会经费 / 合计.
    assert_eq!(items.get((0, 6)), Some(&Data::String("预算数".into())));
    assert_eq!(items.get((1, 8)), Some(&Data::String("合计".into())));
    for row in items.rows().skip(2) {
        if row[3] == Data::String("专项资金".into()) {
            assert_eq!(row[8], Data::String("1999999999999.999998".into()));
        } else {
            assert_eq!(
                row[6..9],
                [Data::Float(100.0), Data::Float(300.0), Data::Float(400.0)]
            );
        }
    }
}
