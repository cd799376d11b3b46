//! The report's aggregate queries: a fixed number per report, whatever the number of units
//! and items. Totals are summed by the database.

use chrono::NaiveDate;
use futures_util::StreamExt;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement, StreamTrait, Value};
use uuid::Uuid;

use super::OverdueRow;
use crate::domain::{Amount, FundSplit};
use crate::persistence::money::StoredAmount;
use crate::persistence::rule_filters;

/// Writes `?` placeholders as `$1, $2, …` for PostgreSQL.
pub(super) fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(c);
                }
            }
            out
        }
        _ => sql.to_string(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// The rows of a query with `?` placeholders.
pub(super) async fn all(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    db.query_all_raw(stmt(db.get_database_backend(), sql, values))
        .await
}

/// The items a report covers: the items of the year whose form the period requires
/// ([`crate::domain::period::requires_form`]) and any other item with a form in the period.
fn scope_values(period_id: Uuid, year: i32, unit: Option<Uuid>) -> (String, Vec<Value>) {
    let (required, required_values) = rule_filters::required_form_sql("i");
    let mut values: Vec<Value> = vec![period_id.into(), year.into()];
    values.extend(required_values);
    let mut cond = format!("i.year = ? AND ({required} OR s.id IS NOT NULL)");
    if let Some(u) = unit {
        cond.push_str(" AND i.unit_id = ?");
        values.push(u.into());
    }
    (cond, values)
}

const FROM: &str = "FROM items i JOIN units u ON u.id = i.unit_id \
     LEFT JOIN submissions s ON s.item_id = i.id AND s.period_id = ?";

fn amount(r: &QueryResult, col: &str) -> Result<Amount, DbErr> {
    match r.try_get::<Option<StoredAmount>>("", col)? {
        Some(a) => a.amount(),
        None => Ok(Amount::ZERO),
    }
}

fn split(r: &QueryResult, fiscal: &str, union: &str) -> Result<FundSplit, DbErr> {
    Ok(FundSplit {
        fiscal: amount(r, fiscal)?,
        union: amount(r, union)?,
    })
}

/// One item of the report with its form, as stored.
pub struct ItemRow {
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub unit_code: String,
    pub unit_name: String,
    pub name: String,
    pub kind: String,
    pub key_monitored: bool,
    /// An allocation to a subordinate unit (it has a parent fund).
    pub allocated: bool,
    pub budget: FundSplit,
    /// The budget the form's figures were computed against, when there is a form.
    pub judged_budget: Option<FundSplit>,
    pub payment_status: String,
    pub submission_id: Option<Uuid>,
    pub status: Option<String>,
    pub warning: Option<String>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub outlook: Option<String>,
    pub completion_rate: Option<String>,
    pub goal_light: Option<String>,
    /// The warning reasons, as JSON.
    pub reasons: Option<String>,
    /// The compliance checks that found a problem, as JSON.
    pub problems: Option<String>,
    pub executed: FundSplit,
}

pub async fn item_rows(
    db: &(impl ConnectionTrait + StreamTrait),
    period_id: Uuid,
    year: i32,
    unit: Option<Uuid>,
) -> Result<Vec<ItemRow>, DbErr> {
    let (cond, values) = scope_values(period_id, year, unit);
    let sql = format!(
        "SELECT i.id AS item_id, i.unit_id, u.code AS unit_code, u.name AS unit_name, i.name, i.kind, \
         i.key_monitored, CASE WHEN i.parent_id IS NULL THEN 0 ELSE 1 END AS allocated, i.budget_fiscal, i.budget_union, i.payment_status, s.id AS submission_id, s.status, \
         s.warning, s.submitted_at, s.outlook, s.completion_rate, s.goal_light, s.reasons, s.problems, \
         s.executed_fiscal, s.executed_union, s.judged_budget_fiscal, s.judged_budget_union \
         {FROM} WHERE {cond} ORDER BY u.code, i.kind, i.name, i.id"
    );
    // Streamed: a province has 15,000 rows, and only the converted ones are kept.
    let rows = db
        .stream_raw(stmt(
            ConnectionTrait::get_database_backend(db),
            &sql,
            values,
        ))
        .await?;
    let mut rows = std::pin::pin!(rows);
    let mut out = Vec::new();
    while let Some(r) = rows.next().await {
        let r = r?;
        out.push(ItemRow {
            item_id: r.try_get("", "item_id")?,
            unit_id: r.try_get("", "unit_id")?,
            unit_code: r.try_get("", "unit_code")?,
            unit_name: r.try_get("", "unit_name")?,
            name: r.try_get("", "name")?,
            kind: r.try_get("", "kind")?,
            key_monitored: r.try_get("", "key_monitored")?,
            allocated: r.try_get::<i32>("", "allocated")? != 0,
            budget: split(&r, "budget_fiscal", "budget_union")?,
            judged_budget: match r.try_get::<Option<StoredAmount>>("", "judged_budget_fiscal")? {
                Some(_) => Some(split(&r, "judged_budget_fiscal", "judged_budget_union")?),
                None => None,
            },
            payment_status: r.try_get("", "payment_status")?,
            submission_id: r.try_get("", "submission_id")?,
            status: r.try_get("", "status")?,
            warning: r.try_get("", "warning")?,
            submitted_at: r.try_get("", "submitted_at")?,
            outlook: r.try_get("", "outlook")?,
            completion_rate: r.try_get("", "completion_rate")?,
            goal_light: r.try_get("", "goal_light")?,
            reasons: r.try_get("", "reasons")?,
            problems: r.try_get("", "problems")?,
            executed: split(&r, "executed_fiscal", "executed_union")?,
        });
    }
    Ok(out)
}

pub use super::sums::{overall_units, sums, MoneyLine, SumSplit, Sums, UnitSums};

/// Open and overdue corrective actions per item of the period.
pub async fn action_counts(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<(Uuid, i64, i64)>, DbErr> {
    let (overdue, mut values) = rule_filters::overdue_action_sql("ca", today);
    let sql = format!(
        "SELECT ca.item_id, \
         SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS open_n, \
         SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END) AS overdue_n \
         FROM corrective_actions ca WHERE ca.period_id = ? GROUP BY ca.item_id",
        rule_filters::pending_action_sql("ca")
    );
    values.push(period_id.into());
    let rows = all(db, &sql, values).await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("", "item_id")?,
                r.try_get::<Option<i64>>("", "open_n")?.unwrap_or(0),
                r.try_get::<Option<i64>>("", "overdue_n")?.unwrap_or(0),
            ))
        })
        .collect()
}

/// The active measures on the items of a year.
pub async fn active_measures(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    let sql = "SELECT m.item_id, m.kind FROM measures m JOIN items i ON i.id = m.item_id \
         WHERE m.active = ? AND i.year = ? ORDER BY m.created_at, m.id";
    let rows = all(db, sql, vec![true.into(), year.into()]).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("", "item_id")?, r.try_get("", "kind")?)))
        .collect()
}

/// The corrective actions past their due date and not done.
pub async fn overdue_actions(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    today: NaiveDate,
    unit: Option<Uuid>,
) -> Result<Vec<OverdueRow>, DbErr> {
    let (overdue, overdue_values) = rule_filters::overdue_action_sql("ca", today);
    let mut sql = format!("SELECT ca.id, ca.unit_id, u.code AS unit_code, ca.item_id, i.name AS item_name, ca.measure, ca.owner, \
         ca.due_date, ca.status, ca.source FROM corrective_actions ca JOIN units u ON u.id = ca.unit_id \
         JOIN items i ON i.id = ca.item_id \
         WHERE ca.period_id = ? AND {overdue}");
    let mut values: Vec<Value> = vec![period_id.into()];
    values.extend(overdue_values);
    if let Some(u) = unit {
        sql.push_str(" AND ca.unit_id = ?");
        values.push(u.into());
    }
    sql.push_str(" ORDER BY ca.due_date, u.code, ca.id");
    let rows = all(db, &sql, values).await?;
    rows.iter()
        .map(|r| {
            Ok(OverdueRow {
                id: r.try_get("", "id")?,
                unit_id: r.try_get("", "unit_id")?,
                unit_code: r.try_get("", "unit_code")?,
                item_id: r.try_get("", "item_id")?,
                item_name: r.try_get("", "item_name")?,
                measure: r.try_get("", "measure")?,
                owner: r.try_get("", "owner")?,
                due_date: r.try_get("", "due_date")?,
                status: r.try_get("", "status")?,
                source: r.try_get("", "source")?,
            })
        })
        .collect()
}
