//! Statements sent together at the end of a write, while the audit chain's head is held: in one
//! round trip on PostgreSQL, one after another elsewhere (SQLite runs in the process).
//!
//! On PostgreSQL the batch goes as one simple-protocol query, its values written as literals by
//! sea-query's own PostgreSQL quoting, the same the statements would have had as parameters.

use sea_orm::sea_query::{inject_parameters, PostgresQueryBuilder};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

/// Statements to run in order, in the caller's transaction.
#[derive(Debug, Default)]
pub struct Batch {
    statements: Vec<Statement>,
}

impl Batch {
    pub fn push(&mut self, s: Statement) {
        self.statements.push(s);
    }

    /// Runs the statements in order; the first failing one fails the batch (and, on
    /// PostgreSQL, the rest of it is not run).
    pub async fn run(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        match (db.get_database_backend(), self.statements.len()) {
            (_, 0) => Ok(()),
            (DbBackend::Postgres, n) if n > 1 => {
                let sql: Vec<String> = self.statements.iter().map(literal).collect();
                db.execute_unprepared(&sql.join(";\n")).await?;
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

/// A PostgreSQL statement with its values written in.
fn literal(s: &Statement) -> String {
    match &s.values {
        Some(values) => inject_parameters(&s.sql, &values.0, &PostgresQueryBuilder),
        None => s.sql.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Value;

    #[test]
    fn values_are_written_as_quoted_literals() {
        let s = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)",
            [
                Value::from("it's \\ 工会"),
                Value::from(Option::<String>::None),
                Value::from(7i64),
            ],
        );
        assert_eq!(
            literal(&s),
            "INSERT INTO t (a, b, c) VALUES (E'it\\'s \\\\ 工会', NULL, 7)"
        );
    }
}
