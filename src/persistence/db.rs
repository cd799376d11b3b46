//! The database as requests use it: queries on the pool, write transactions on the writer.
//!
//! SQLite lets one writer in at a time, and a transaction that reads before it writes fails at
//! once with "database is locked" (`SQLITE_BUSY_SNAPSHOT`, which no busy timeout waits out) when
//! another connection wrote in between. So on SQLite every transaction runs on one dedicated
//! writer connection: concurrent writes queue in the service, in order, instead of failing.
//! Reads keep their own pool and run beside the writer (WAL mode). On PostgreSQL both are the
//! same pool.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    ExecResult, IsolationLevel, QueryResult, Statement, StreamTrait, TransactionError,
    TransactionOptions, TransactionTrait,
};

use crate::metrics::PoolSample;

/// Reads on `read`, every transaction on `write`.
#[derive(Debug, Clone)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
}

impl Db {
    /// Opens the writer beside an open pool (a second connection on SQLite; the same pool on
    /// PostgreSQL).
    pub async fn new(url: &str, pool: DatabaseConnection) -> Result<Self, DbErr> {
        let write = match pool.get_database_backend() {
            DbBackend::Sqlite => super::connect_with(url, 1).await?,
            _ => pool.clone(),
        };
        Ok(Db { read: pool, write })
    }

    /// The pool, for what needs a plain connection (migrations, seeds).
    pub fn pool(&self) -> &DatabaseConnection {
        &self.read
    }

    /// The pools as they are now, for metrics: on SQLite the readers' pool (`read`) and the
    /// writer (`write`), on PostgreSQL the one pool (`main`). Each is probed for a connection,
    /// waiting at most `probe` (the wait tells whether requests queue for connections).
    pub async fn pool_samples(&self, probe: Duration) -> Vec<PoolSample> {
        match self.read.get_database_backend() {
            DbBackend::Sqlite => vec![
                sample("read", self.read.get_sqlite_connection_pool(), probe).await,
                sample("write", self.write.get_sqlite_connection_pool(), probe).await,
            ],
            DbBackend::Postgres => {
                vec![sample("main", self.read.get_postgres_connection_pool(), probe).await]
            }
            _ => vec![],
        }
    }
}

/// One pool's size, idle connections and limit, and how long a connection took to get.
async fn sample<DB: sea_orm::sqlx::Database>(
    name: &'static str,
    pool: &sea_orm::sqlx::Pool<DB>,
    probe: Duration,
) -> PoolSample {
    // Read before the probe takes a connection, so the probe does not count as in use.
    let (size, idle) = (pool.size(), pool.num_idle() as u32);
    let started = Instant::now();
    let acquire = match tokio::time::timeout(probe, pool.acquire()).await {
        Ok(Ok(_connection)) => started.elapsed(),
        _ => probe,
    };
    PoolSample {
        pool: name,
        size,
        idle,
        max: pool.options().get_max_connections(),
        acquire,
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.read.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.read.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.read.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.read.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.read.query_all_raw(stmt).await
    }
}

impl StreamTrait for Db {
    type Stream<'a> = <DatabaseConnection as StreamTrait>::Stream<'a>;

    fn get_database_backend(&self) -> DbBackend {
        self.read.get_database_backend()
    }

    fn stream_raw<'a>(
        &'a self,
        stmt: Statement,
    ) -> Pin<Box<dyn Future<Output = Result<Self::Stream<'a>, DbErr>> + 'a + Send>> {
        self.read.stream_raw(stmt)
    }
}

#[async_trait::async_trait]
impl TransactionTrait for Db {
    type Transaction = DatabaseTransaction;

    async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.write.begin().await
    }

    async fn begin_with_config(
        &self,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.write
            .begin_with_config(isolation_level, access_mode)
            .await
    }

    async fn begin_with_options(
        &self,
        options: TransactionOptions,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.write.begin_with_options(options).await
    }

    async fn transaction<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.write.transaction(callback).await
    }

    async fn transaction_with_config<F, T, E>(
        &self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.write
            .transaction_with_config(callback, isolation_level, access_mode)
            .await
    }
}
