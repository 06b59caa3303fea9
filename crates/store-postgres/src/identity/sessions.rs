//! The session store: sessions, the principals they carry, and the rotation of refresh
//! tokens with reuse detection.

use std::time::Duration;

use async_trait::async_trait;
use mercato_core::identity::{NewSession, RefreshOutcome, RefreshTokenHash, Session, SessionStore};
use mercato_core::ids::{MerchantId, SessionId, UserId};
use mercato_core::{Principal, Role, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use super::rows::{fetch_user, insert_session};
use crate::{PgStore, store_error};

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: Uuid,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
}

impl From<SessionRow> for Session {
    fn from(row: SessionRow) -> Self {
        Self {
            id: SessionId(row.id),
            created_at: row.created_at,
            expires_at: row.expires_at,
        }
    }
}

#[async_trait]
impl SessionStore for PgStore {
    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        insert_session(&mut tx, session).await?;
        tx.commit().await.map_err(store_error)
    }

    async fn principal(
        &self,
        session: SessionId,
        now: OffsetDateTime,
    ) -> Result<Option<Principal>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            user_id: Uuid,
            roles: Vec<String>,
            merchant_ids: Vec<Uuid>,
        }
        let row: Option<Row> = sqlx::query_as(
            "select u.id as user_id, u.roles, \
             array(select m.merchant_id from identity.staff_memberships m where m.user_id = u.id) as merchant_ids \
             from identity.sessions s join identity.users u on u.id = s.user_id \
             where s.id = $1 and s.revoked_at is null and s.expires_at > $2",
        )
        .bind(session.0)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(row.map(|r| Principal {
            user_id: UserId(r.user_id),
            session_id: session,
            roles: r
                .roles
                .iter()
                .filter_map(|name| Role::parse(name))
                .collect(),
            merchant_ids: r.merchant_ids.into_iter().map(MerchantId).collect(),
        }))
    }

    async fn session(&self, session: SessionId) -> Result<Option<Session>, StoreError> {
        let row: Option<SessionRow> = sqlx::query_as(
            "select id, created_at, expires_at from identity.sessions where id = $1",
        )
        .bind(session.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(row.map(Session::from))
    }

    async fn rotate_refresh(
        &self,
        presented: &RefreshTokenHash,
        next: &RefreshTokenHash,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
        reuse_grace: Duration,
    ) -> Result<RefreshOutcome, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            session_id: Uuid,
            user_id: Uuid,
            spent_at: Option<OffsetDateTime>,
            revoked_at: Option<OffsetDateTime>,
            expires_at: OffsetDateTime,
        }
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        // Locking the token row serializes concurrent presentations of the same token: the
        // second one sees it spent and is treated as reuse.
        let row: Option<Row> = sqlx::query_as(
            "select t.session_id, s.user_id, t.spent_at, s.revoked_at, s.expires_at \
             from identity.refresh_tokens t join identity.sessions s on s.id = t.session_id \
             where t.token_hash = $1 for update of t, s",
        )
        .bind(&presented.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_error)?;
        let Some(row) = row else {
            return Ok(RefreshOutcome::Invalid);
        };
        if row.revoked_at.is_some() || row.expires_at <= now {
            return Ok(RefreshOutcome::Invalid);
        }
        if let Some(spent_at) = row.spent_at {
            // `spent_at` is when its successor was issued. Moments later, the same token is
            // far more likely a second tab or a retried request than a thief: change nothing
            // (the transaction rolls back) and let the client pick up the newest tokens.
            if spent_at + reuse_grace > now {
                return Ok(RefreshOutcome::InProgress);
            }
            sqlx::query("update identity.sessions set revoked_at = $2 where id = $1")
                .bind(row.session_id)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(store_error)?;
            tx.commit().await.map_err(store_error)?;
            return Ok(RefreshOutcome::Reused);
        }
        sqlx::query("update identity.refresh_tokens set spent_at = $2 where token_hash = $1")
            .bind(&presented.0)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        sqlx::query("insert into identity.refresh_tokens (token_hash, session_id, created_at) values ($1, $2, $3)")
            .bind(&next.0)
            .bind(row.session_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        let session: SessionRow = sqlx::query_as(
            "update identity.sessions set expires_at = $2, last_refreshed_at = $3 where id = $1 \
             returning id, created_at, expires_at",
        )
        .bind(row.session_id)
        .bind(expires_at)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_error)?;
        let user = fetch_user(&mut tx, row.user_id)
            .await?
            .ok_or_else(|| StoreError::Backend("session without user".into()))?;
        tx.commit().await.map_err(store_error)?;
        Ok(RefreshOutcome::Rotated {
            session: session.into(),
            user,
        })
    }

    async fn revoke_session(
        &self,
        session: SessionId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "update identity.sessions set revoked_at = $2 where id = $1 and revoked_at is null",
        )
        .bind(session.0)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn revoke_session_by_refresh(
        &self,
        presented: &RefreshTokenHash,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let revoked: Option<Uuid> = sqlx::query_scalar(
            "update identity.sessions s set revoked_at = coalesce(s.revoked_at, $2) \
             from identity.refresh_tokens t where t.token_hash = $1 and s.id = t.session_id \
             returning s.id",
        )
        .bind(&presented.0)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(revoked.is_some())
    }
}
