//! Statements sent together at the end of a write, while the audit chain's head is held: in one
//! round trip on PostgreSQL, one after another elsewhere (SQLite runs in the process).
//!
//! On PostgreSQL the batch goes as one prepared statement: every statement but the last becomes
//! a data-modifying `WITH` query of the last one, with its parameters renumbered. PostgreSQL
//! runs them all exactly once in the statement (in no set order, so the statements of a batch
//! must not depend on each other), and checks foreign keys at its end.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// Statements to run in the caller's transaction; none may depend on another's effect.
#[derive(Debug, Default)]
pub struct Batch {
    statements: Vec<Statement>,
}

impl Batch {
    pub fn push(&mut self, s: Statement) {
        self.statements.push(s);
    }

    /// Runs the statements; the first failing one fails the batch.
    pub async fn run(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        match db.get_database_backend() {
            DbBackend::Postgres if self.statements.len() > 1 => {
                for mut group in groups(self.statements) {
                    let s = match group.len() {
                        1 => group.remove(0),
                        _ => combined(group),
                    };
                    db.execute_raw(s).await?;
                }
                Ok(())
            }
            _ => {
                for s in self.statements {
                    db.execute_raw(s).await?;
                }
                Ok(())
            }
        }
    }
}

/// PostgreSQL: `then` run only on what `guard` returns, as one statement:
/// `WITH name AS (guard) then`, `then` reading `name` and its parameters renumbered.
pub fn guarded(guard: Statement, name: &str, then: Statement) -> Statement {
    let mut values: Vec<Value> = guard.values.map(|v| v.0).unwrap_or_default();
    let sql = format!(
        "WITH \"{name}\" AS ({}) {}",
        guard.sql,
        renumbered(&then.sql, values.len())
    );
    values.extend(then.values.map(|v| v.0).unwrap_or_default());
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// The most parameters one PostgreSQL statement takes.
const MAX_PARAMETERS: usize = 65_535;

/// The statements in order, in as few groups as keep each group within [`MAX_PARAMETERS`].
fn groups(statements: Vec<Statement>) -> Vec<Vec<Statement>> {
    let mut groups: Vec<Vec<Statement>> = vec![];
    let mut params = 0;
    for s in statements {
        let n = s.values.as_ref().map_or(0, |v| v.0.len());
        match groups.last_mut() {
            Some(g) if params + n <= MAX_PARAMETERS => g.push(s),
            _ => {
                params = 0;
                groups.push(vec![s]);
            }
        }
        params += n;
    }
    groups
}

/// PostgreSQL statements as one: `WITH b1 AS (first), b2 AS (second) last`.
fn combined(statements: Vec<Statement>) -> Statement {
    let n = statements.len();
    let mut sql = String::from("WITH ");
    let mut values: Vec<Value> = vec![];
    for (i, s) in statements.into_iter().enumerate() {
        let offset = values.len();
        let text = renumbered(&s.sql, offset);
        values.extend(s.values.map(|v| v.0).unwrap_or_default());
        if i + 1 < n {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("b{} AS ({text})", i + 1));
        } else {
            sql.push(' ');
            sql.push_str(&text);
        }
    }
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// `sql` with each placeholder `$k` outside quotes written `$(k + offset)`.
fn renumbered(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '$') if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut k = 0usize;
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    k = k * 10 + d as usize;
                    chars.next();
                }
                out.push('$');
                out.push_str(&(k + offset).to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(sql: &str, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
    }

    #[test]
    fn statements_become_with_queries_of_the_last_with_their_parameters_renumbered() {
        let s = combined(vec![
            pg(
                r#"INSERT INTO "a" ("x", "y$1") VALUES ($1, $2)"#,
                vec![1i64.into(), "it's $1".into()],
            ),
            pg(r#"INSERT INTO "b" ("z") VALUES ($1)"#, vec![2i64.into()]),
            pg(
                r#"UPDATE "c" SET "h" = $1 WHERE "id" = $2 AND "n" = '$1'"#,
                vec!["h".into(), 3i32.into()],
            ),
        ]);
        assert_eq!(
            s.sql,
            r#"WITH b1 AS (INSERT INTO "a" ("x", "y$1") VALUES ($1, $2)), b2 AS (INSERT INTO "b" ("z") VALUES ($3)) UPDATE "c" SET "h" = $4 WHERE "id" = $5 AND "n" = '$1'"#
        );
        assert_eq!(
            s.values.unwrap().0,
            vec![
                Value::from(1i64),
                Value::from("it's $1"),
                Value::from(2i64),
                Value::from("h"),
                Value::from(3i32)
            ]
        );
    }

    #[test]
    fn statements_are_grouped_within_the_parameter_limit_in_order() {
        let with = |n: usize| pg("SELECT 1", (0..n).map(|i| Value::from(i as i64)).collect());
        let sizes = |gs: Vec<Vec<Statement>>| -> Vec<Vec<usize>> {
            gs.iter()
                .map(|g| {
                    g.iter()
                        .map(|s| s.values.as_ref().unwrap().0.len())
                        .collect()
                })
                .collect()
        };
        assert_eq!(sizes(groups(vec![with(23), with(40)])), vec![vec![23, 40]]);
        assert_eq!(
            sizes(groups(vec![
                with(30_000),
                with(30_000),
                with(30_000),
                with(5)
            ])),
            vec![vec![30_000, 30_000], vec![30_000, 5]]
        );
        assert_eq!(
            sizes(groups(vec![with(65_535), with(1)])),
            vec![vec![65_535], vec![1]]
        );
    }

    #[test]
    fn a_guarded_statement_reads_the_guard_with_its_parameters_after_the_guards() {
        let s = guarded(
            pg(
                r#"UPDATE "a" SET "v" = $1 WHERE "id" = $2 RETURNING "id""#,
                vec![1i32.into(), 7i64.into()],
            ),
            "moved",
            pg(
                r#"INSERT INTO "b" ("x", "y") SELECT $1, $2 FROM "moved""#,
                vec!["x".into(), 2i64.into()],
            ),
        );
        assert_eq!(
            s.sql,
            r#"WITH "moved" AS (UPDATE "a" SET "v" = $1 WHERE "id" = $2 RETURNING "id") INSERT INTO "b" ("x", "y") SELECT $3, $4 FROM "moved""#
        );
        assert_eq!(
            s.values.unwrap().0,
            vec![
                Value::from(1i32),
                Value::from(7i64),
                Value::from("x"),
                Value::from(2i64)
            ]
        );
    }
}
