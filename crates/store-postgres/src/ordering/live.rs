//! The live order updates published to every process over `LISTEN/NOTIFY`.

use mercato_core::StoreError;
use mercato_core::ordering::OrderUpdate;
use sqlx::PgConnection;
use sqlx::postgres::PgListener;

use super::rows::backend;
use crate::channels::ORDER_UPDATES_CHANNEL;
use crate::{PgStore, store_error};

/// Publishes `update` on [`ORDER_UPDATES_CHANNEL`] from the caller's transaction: every
/// listening process receives it when (and only if) the transaction commits.
pub(super) async fn notify(
    conn: &mut PgConnection,
    update: &OrderUpdate,
) -> Result<(), StoreError> {
    let payload = serde_json::to_string(update).map_err(|e| backend(e.to_string()))?;
    sqlx::query("select pg_notify($1, $2)")
        .bind(ORDER_UPDATES_CHANNEL)
        .bind(payload)
        .execute(conn)
        .await
        .map_err(store_error)?;
    Ok(())
}

/// Receives the [`OrderUpdate`]s every process publishes (one dedicated connection).
///
/// Notifications are transient: those sent while the connection is down are lost for
/// good. So a lost connection is not hidden: [`Self::try_recv`] re-establishes it and then
/// reports the gap, and the caller decides how to recover (the server's hub ends every
/// event stream, so clients reconnect and start again from the order's current status).
pub struct OrderUpdateListener {
    listener: PgListener,
}

impl std::fmt::Debug for OrderUpdateListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrderUpdateListener")
            .field("channel", &ORDER_UPDATES_CHANNEL)
            .finish_non_exhaustive()
    }
}

impl OrderUpdateListener {
    /// The next update committed by any process, or `None` when the connection was lost
    /// and has been re-established since: updates committed in between were missed. The
    /// next call goes on listening.
    ///
    /// A payload that does not parse (written by a newer or older version) is reported as
    /// `None` too — it may have been the update a watcher waits for — with a warning giving
    /// only its length: payloads carry couriers' names and positions.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the connection fails otherwise or cannot be
    /// re-established; updates may have been missed then too.
    pub async fn try_recv(&mut self) -> Result<Option<OrderUpdate>, StoreError> {
        let Some(notification) = self.listener.try_recv().await.map_err(store_error)? else {
            return Ok(None);
        };
        match serde_json::from_str(notification.payload()) {
            Ok(update) => Ok(Some(update)),
            Err(err) => {
                tracing::warn!(
                    error_line = err.line(),
                    error_column = err.column(),
                    error_category = ?err.classify(),
                    payload_len = notification.payload().len(),
                    "an order update does not parse; reporting a gap"
                );
                Ok(None)
            }
        }
    }
}

impl PgStore {
    /// A listener of every process's [`OrderUpdate`]s, on its own connection.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when connecting or `LISTEN` fails.
    pub async fn order_update_listener(&self) -> Result<OrderUpdateListener, StoreError> {
        Ok(OrderUpdateListener {
            listener: self.listener_on(ORDER_UPDATES_CHANNEL).await?,
        })
    }
}
