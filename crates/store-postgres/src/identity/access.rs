//! Access changes: what every process hears when a session ends or a user's roles or staff
//! memberships change, and the heartbeat by which listeners know they still hear.

use mercato_core::StoreError;
use mercato_core::ids::UserId;
use sqlx::postgres::PgListener;
use uuid::Uuid;

use crate::channels::ACCESS_CHANNEL;
use crate::{PgStore, store_error};

/// What an [`AccessChangeListener`] heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessChange {
    /// What this user may do changed (a session ended, a role or membership changed).
    User(UserId),
    /// What any user may do may have changed.
    Everyone,
    /// A process's heartbeat: the connection hears.
    Heartbeat,
    /// Changes may have been missed: the connection was lost and has been re-established,
    /// or an announcement did not parse.
    Gap,
}

/// Hears every process's access changes, on a connection of its own.
pub struct AccessChangeListener {
    listener: PgListener,
}

impl std::fmt::Debug for AccessChangeListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessChangeListener")
            .field("channel", &ACCESS_CHANNEL)
            .finish_non_exhaustive()
    }
}

impl AccessChangeListener {
    /// The next change committed by any process.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the connection fails and cannot be re-established;
    /// changes may have been missed then too.
    pub async fn recv(&mut self) -> Result<AccessChange, StoreError> {
        let Some(notification) = self.listener.try_recv().await.map_err(store_error)? else {
            return Ok(AccessChange::Gap);
        };
        let payload = notification.payload();
        if payload.is_empty() {
            return Ok(AccessChange::Heartbeat);
        }
        if payload == "*" {
            return Ok(AccessChange::Everyone);
        }
        Ok(match payload.parse::<Uuid>() {
            Ok(user) => AccessChange::User(UserId(user)),
            Err(_) => {
                tracing::warn!(
                    payload_len = notification.payload().len(),
                    "an access change does not parse; reporting a gap"
                );
                AccessChange::Gap
            }
        })
    }
}

impl PgStore {
    /// Announces a heartbeat on the access channel, by which every listener knows it still
    /// hears.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    pub async fn announce_heartbeat(&self) -> Result<(), StoreError> {
        sqlx::query("select pg_notify($1, '')")
            .bind(ACCESS_CHANNEL)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// A listener of every process's access changes, on its own connection.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when connecting or `LISTEN` fails.
    pub async fn access_change_listener(&self) -> Result<AccessChangeListener, StoreError> {
        Ok(AccessChangeListener {
            listener: self.listener_on(ACCESS_CHANNEL).await?,
        })
    }
}
