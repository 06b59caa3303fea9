//! The purge of identity rows nothing needs any more.

use std::time::Duration;

use mercato_core::StoreError;
use time::OffsetDateTime;

use crate::{PgStore, store_error};

/// How long spent refresh tokens of an ended session are kept.
const SPENT_TOKEN_RETENTION: Duration = Duration::from_secs(24 * 3600);
/// How long an ended (revoked or expired) session is kept.
const ENDED_SESSION_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);

impl PgStore {
    /// Deletes identity rows nothing needs any more, as of `now`: spent refresh tokens older
    /// than a day whose session has ended, sessions that ended more than seven days ago (with
    /// their tokens), and throttle counters whose window has ended. Live sessions keep their
    /// spent tokens, which detect reuse. Returns how many rows were deleted.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    pub async fn purge_identity(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let tokens = sqlx::query(
            "delete from identity.refresh_tokens t using identity.sessions s \
             where t.session_id = s.id and t.spent_at < $1 \
             and (s.revoked_at is not null or s.expires_at <= $2)",
        )
        .bind(now - SPENT_TOKEN_RETENTION)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        let sessions =
            sqlx::query("delete from identity.sessions where revoked_at < $1 or expires_at < $1")
                .bind(now - ENDED_SESSION_RETENTION)
                .execute(&self.pool)
                .await
                .map_err(store_error)?;
        let counters =
            sqlx::query("delete from identity.login_failures where window_ends_at <= $1")
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(store_error)?;
        Ok(tokens.rows_affected() + sessions.rows_affected() + counters.rows_affected())
    }
}
