//! PostgreSQL adapter for Mercato's store ports (sqlx).
//!
//! [`PgStore`] implements every store port of `mercato-core` over one connection pool; each
//! port method is one transaction. The crate also owns the migrations ([`MIGRATOR`]), the
//! outbox writer and its [`OutboxDispatcher`]. `sqlx::Error` never leaves this crate: it is
//! mapped to [`StoreError`] here.

mod catalog;
mod channels;
mod geo;
mod identity;
mod ordering;
mod outbox;

use std::time::Duration;

use mercato_core::StoreError;
use sqlx::migrate::{MigrateDatabase, Migrator};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{PgPool, Postgres};

pub use channels::{ACCESS_CHANNEL, ORDER_UPDATES_CHANNEL, OUTBOX_CHANNEL};
pub use identity::{AccessChange, AccessChangeListener};
pub use ordering::OrderUpdateListener;
pub use outbox::OutboxDispatcher;

/// The schema migrations, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Connection pool settings.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// Most connections open at once.
    pub max_connections: u32,
    /// How long a request waits for a free connection before failing.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// Every store port of Mercato over one PostgreSQL pool.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

/// Why the database could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// Connecting, creating the database or migrating failed.
    #[error("database setup failed: {0}")]
    Database(String),
}

impl PgStore {
    /// Wraps an existing pool (tests, embedding programs).
    #[must_use]
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Creates the database named in `url` if it does not exist, connects, and applies
    /// pending migrations.
    ///
    /// # Errors
    /// [`SetupError`] when the server is unreachable or a migration fails.
    pub async fn connect_and_migrate(
        url: &str,
        settings: &PoolSettings,
    ) -> Result<Self, SetupError> {
        let setup = |e: &dyn std::fmt::Display| SetupError::Database(e.to_string());
        if !Postgres::database_exists(url)
            .await
            .map_err(|e| setup(&e))?
        {
            // Two processes starting at once may race here; losing the race is fine.
            if let Err(err) = Postgres::create_database(url).await
                && !Postgres::database_exists(url).await.unwrap_or(false)
            {
                return Err(setup(&err));
            }
        }
        let options: PgConnectOptions = url.parse().map_err(|e| setup(&e))?;
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(settings.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(|e| setup(&e))?;
        MIGRATOR.run(&pool).await.map_err(|e| setup(&e))?;
        Ok(Self { pool })
    }

    /// The underlying pool.
    #[must_use]
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Whether the database answers a trivial query.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when it does not.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("select 1")
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// Whether the database holds no user yet (a fresh install, to be seeded with demo data
    /// in development).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    pub async fn has_no_users(&self) -> Result<bool, StoreError> {
        let exists: bool = sqlx::query_scalar("select exists (select 1 from identity.users)")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(!exists)
    }

    /// Whether PostgreSQL runs autovacuum. Without it the tables that change all the time
    /// (the outbox, orders, couriers) fill with dead rows their indexes keep pointing to, and
    /// every claim and lookup slows down by the hour.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    pub async fn autovacuum_enabled(&self) -> Result<bool, StoreError> {
        let setting: String = sqlx::query_scalar("select current_setting('autovacuum')")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(setting == "on")
    }

    /// A connection of its own listening on `channel`. A lost connection is re-established
    /// (and `LISTEN` renewed) before the loss is reported, so whatever the caller does to
    /// recover from the gap happens while it listens again.
    async fn listener_on(&self, channel: &str) -> Result<PgListener, StoreError> {
        let mut listener = PgListener::connect_with(&self.pool)
            .await
            .map_err(store_error)?;
        listener.eager_reconnect(true);
        listener.listen(channel).await.map_err(store_error)?;
        Ok(listener)
    }
}

impl PgStore {
    /// Whether the catalog holds no merchant yet (a fresh install, to be seeded with demo
    /// data in development).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    pub async fn has_no_merchants(&self) -> Result<bool, StoreError> {
        let exists: bool = sqlx::query_scalar("select exists (select 1 from catalog.merchants)")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(!exists)
    }
}

/// Maps a sqlx error to the core's [`StoreError`], naming violated unique constraints.
pub(crate) fn store_error(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        return StoreError::UniqueViolation(db.constraint().unwrap_or_default().to_owned());
    }
    StoreError::Backend(err.to_string())
}
