//! Faults a test injects into its own database.

use super::TestApp;

/// Makes every INSERT into `table` fail, as a broken disk or a bug would, from a connection of
/// the test's own; `refuse(.., false)` lifts it.
pub async fn refuse_inserts(app: &TestApp, table: &str, refuse: bool) {
    let db = sea_orm::Database::connect(&app.settings.database_url)
        .await
        .unwrap();
    let sql = match (db.get_database_backend(), refuse) {
        (sea_orm::DbBackend::Postgres, true) => format!(
            "CREATE FUNCTION bm_test_refuse() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; \
             CREATE TRIGGER bm_test_refuse BEFORE INSERT ON {table} \
             FOR EACH ROW EXECUTE FUNCTION bm_test_refuse();"
        ),
        (sea_orm::DbBackend::Postgres, false) => {
            format!("DROP TRIGGER bm_test_refuse ON {table}; DROP FUNCTION bm_test_refuse();")
        }
        (_, true) => format!(
            "CREATE TRIGGER bm_test_refuse BEFORE INSERT ON {table} \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
        ),
        (_, false) => "DROP TRIGGER bm_test_refuse;".to_string(),
    };
    use sea_orm::ConnectionTrait;
    db.execute_unprepared(&sql).await.unwrap();
    db.close().await.unwrap();
}
