//! The report's money sums, each yuan counted once (DESIGN §5), summed by the database.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult};
use uuid::Uuid;

use super::queries::{scope_values, stmt};
use crate::domain::Total;

/// Exact sums (fiscal, union) of a fund split.
pub type SumSplit = (Total, Total);

/// One line of money: budgets, the part of them whose forms were reported, what those forms
/// executed, and the budgets not reported (drafts and required forms never filed, 未报送预算).
#[derive(Debug, Clone, Copy, Default)]
pub struct MoneyLine {
    pub budget: SumSplit,
    pub reported_budget: SumSplit,
    pub executed: SumSplit,
    pub not_reported: SumSplit,
}

/// The money of a scope, each yuan counted once (DESIGN §5): the whole (overall items, or a
/// unit's special funds and projects where it has no overall item), and of which the special
/// funds and the projects.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sums {
    pub whole: MoneyLine,
    pub special_funds: MoneyLine,
    pub projects: MoneyLine,
}

/// Budget and executed sums, per unit, summed by the database.
pub struct UnitSums {
    pub unit_id: Uuid,
    pub sums: Sums,
    pub items: i64,
    pub forms: i64,
}

/// Millionths are split at 10^9 on SQLite, whose SUM of integers stops at 2^63 (about nine
/// amounts at the limit): each part sums billions of rows without overflowing, and the parts
/// add up exactly in Rust. PostgreSQL sums NUMERIC exactly as it is.
const SPLIT: i64 = 1_000_000_000;

/// The sums join each item to its unit's overall item of the year (at most one: `overall_key`
/// is unique).
const FROM_SUMS: &str = "FROM items i JOIN units u ON u.id = i.unit_id \
     LEFT JOIN submissions s ON s.item_id = i.id AND s.period_id = ? \
     LEFT JOIN items o ON o.unit_id = i.unit_id AND o.year = i.year AND o.kind = 'overall'";

/// Which items make each line. An allocation to a subordinate unit (`parent_id`) is within
/// its parent fund and never counted again; special funds and projects count in the whole
/// only for a unit without an overall item.
const LINES: [(&str, &str); 3] = [
    (
        "whole",
        "i.parent_id IS NULL AND (i.kind = 'overall' OR o.id IS NULL)",
    ),
    ("special", "i.parent_id IS NULL AND i.kind = 'special_fund'"),
    ("project", "i.parent_id IS NULL AND i.kind = 'project'"),
];

/// A form counts as reported once submitted (also when returned, or accepted).
const REPORTED: &str = "s.status IN ('submitted', 'returned', 'accepted')";
const NOT_REPORTED: &str = "(s.id IS NULL OR s.status = 'draft')";

/// The money columns summed, `<alias>` (PostgreSQL) or `<alias>_hi`/`<alias>_lo` (SQLite);
/// aliases are `<measure>_<fund>_<line>`.
fn sums(backend: DbBackend) -> String {
    let mut out = vec![];
    for (line, cond) in LINES {
        for fund in ["fiscal", "union"] {
            let measures = [
                ("budget", cond.to_string(), format!("i.budget_{fund}")),
                (
                    "reported",
                    format!("{cond} AND {REPORTED}"),
                    format!("i.budget_{fund}"),
                ),
                (
                    "executed",
                    format!("{cond} AND {REPORTED}"),
                    format!("s.executed_{fund}"),
                ),
                (
                    "notrep",
                    format!("{cond} AND {NOT_REPORTED}"),
                    format!("i.budget_{fund}"),
                ),
            ];
            for (measure, when, col) in measures {
                let alias = format!("{measure}_{fund}_{line}");
                let value = format!("CASE WHEN {when} THEN {col} ELSE 0 END");
                out.push(match backend {
                    DbBackend::Postgres => format!("SUM({value}) AS {alias}"),
                    _ => format!(
                        "SUM(({value}) / {SPLIT}) AS {alias}_hi, SUM(({value}) % {SPLIT}) AS {alias}_lo"
                    ),
                });
            }
        }
    }
    out.push("COUNT(i.id) AS items, COUNT(s.id) AS forms".into());
    out.join(", ")
}

/// A sum read back exactly; no rows sum to zero.
fn total(r: &QueryResult, backend: DbBackend, alias: &str) -> Result<Total, DbErr> {
    let bad = |e: crate::domain::AmountError| DbErr::Type(format!("sum {alias} is invalid: {e}"));
    match backend {
        DbBackend::Postgres => match r.try_get::<Option<rust_decimal::Decimal>>("", alias)? {
            Some(d) => Total::new(d).map_err(bad),
            None => Ok(Total::ZERO),
        },
        _ => {
            let part = |p: &str| r.try_get::<Option<i64>>("", &format!("{alias}_{p}"));
            let (hi, lo) = (part("hi")?.unwrap_or(0), part("lo")?.unwrap_or(0));
            Total::from_micros(i128::from(hi) * i128::from(SPLIT) + i128::from(lo)).map_err(bad)
        }
    }
}

fn read_sums(r: &QueryResult, b: DbBackend) -> Result<Sums, DbErr> {
    let line = |line: &str| -> Result<MoneyLine, DbErr> {
        let split = |measure: &str| -> Result<SumSplit, DbErr> {
            Ok((
                total(r, b, &format!("{measure}_fiscal_{line}"))?,
                total(r, b, &format!("{measure}_union_{line}"))?,
            ))
        };
        Ok(MoneyLine {
            budget: split("budget")?,
            reported_budget: split("reported")?,
            executed: split("executed")?,
            not_reported: split("notrep")?,
        })
    };
    Ok(Sums {
        whole: line("whole")?,
        special_funds: line("special")?,
        projects: line("project")?,
    })
}

pub async fn unit_sums(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    year: i32,
    unit: Option<Uuid>,
) -> Result<Vec<UnitSums>, DbErr> {
    let (cond, values) = scope_values(period_id, year, unit);
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT i.unit_id, {} {FROM_SUMS} WHERE {cond} GROUP BY i.unit_id",
        sums(backend)
    );
    let rows = db.query_all_raw(stmt(backend, &sql, values)).await?;
    rows.iter()
        .map(|r| {
            Ok(UnitSums {
                unit_id: r.try_get("", "unit_id")?,
                sums: read_sums(r, backend)?,
                items: r.try_get("", "items")?,
                forms: r.try_get("", "forms")?,
            })
        })
        .collect()
}

/// The grand totals over the whole scope.
pub async fn totals(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    year: i32,
    unit: Option<Uuid>,
) -> Result<Sums, DbErr> {
    let (cond, values) = scope_values(period_id, year, unit);
    let backend = db.get_database_backend();
    let sql = format!("SELECT {} {FROM_SUMS} WHERE {cond}", sums(backend));
    match db.query_one_raw(stmt(backend, &sql, values)).await? {
        Some(r) => read_sums(&r, backend),
        None => Ok(Sums::default()),
    }
}
