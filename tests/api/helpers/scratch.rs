//! What a test makes outside itself: a folder under the system's temporary folder and, on
//! PostgreSQL, a database of its own. Both go when the test is done with them.

use std::path::PathBuf;

use uuid::Uuid;

/// A fresh folder and a fresh database in it (SQLite) or beside it (PostgreSQL), removed when
/// dropped.
pub struct Scratch {
    pub dir: PathBuf,
    /// The fresh database's URL.
    pub url: String,
    /// Its name, when it is a PostgreSQL database of its own.
    database: Option<String>,
}

impl Scratch {
    pub async fn new() -> Self {
        let dir = temp_dir();
        let url = fresh_database(&dir).await;
        let database = test_database_url()
            .and_then(|_| url.rsplit_once('/'))
            .map(|(_, name)| name.to_string())
            .filter(|name| name.starts_with("bm_test_"));
        Scratch { dir, url, database }
    }

    /// A fresh folder alone (no database).
    pub fn folder() -> Self {
        Scratch {
            dir: temp_dir(),
            url: String::new(),
            database: None,
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
        if let (Some(name), Some(base)) = (self.database.take(), test_database_url()) {
            drop_database(base, name);
        }
    }
}

/// `TEST_DATABASE_URL`, when the tests run on PostgreSQL.
pub fn test_database_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A new folder under the system's temporary folder (removed by a [`Scratch`], or by the
/// caller).
pub fn temp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("bm-test-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A fresh database URL: a new SQLite file in `dir`, or a new PostgreSQL database.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    match test_database_url() {
        None => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
        Some(base) => {
            use sea_orm::ConnectionTrait;
            let name = format!("bm_test_{}", Uuid::new_v4().simple());
            let admin = sea_orm::Database::connect(&base)
                .await
                .expect("TEST_DATABASE_URL connects");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let (prefix, _) = base
                .rsplit_once('/')
                .expect("TEST_DATABASE_URL has a database name");
            format!("{prefix}/{name}")
        }
    }
}

/// Drops the test database `name`, closing whatever connections the test's servers still hold
/// on it. On a thread and a runtime of its own: the test's runtime is the one dropping it.
fn drop_database(base: String, name: String) {
    let db = name.clone();
    let dropped = std::thread::spawn(move || -> Result<(), String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        rt.block_on(async {
            use sea_orm::ConnectionTrait;
            let admin = sea_orm::Database::connect(&base)
                .await
                .map_err(|e| e.to_string())?;
            let sql = format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)");
            let result = admin.execute_unprepared(&sql).await;
            admin.close().await.ok();
            result.map(|_| ()).map_err(|e| e.to_string())
        })
    })
    .join();
    match dropped {
        Ok(Ok(())) => {}
        Ok(Err(e)) => eprintln!("could not drop the test database {name}: {e}"),
        Err(_) => eprintln!("could not drop the test database {name}"),
    }
}
