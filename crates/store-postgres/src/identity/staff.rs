//! The staff directory: which users work for which merchants. The memberships and roles
//! live in identity's tables; the catalog changes them through this port only.

use async_trait::async_trait;
use mercato_core::identity::StaffDirectory;
use mercato_core::ids::{MerchantId, UserId};
use mercato_core::{Role, StoreError};

use crate::{PgStore, store_error};

#[async_trait]
impl StaffDirectory for PgStore {
    async fn add_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        // Locks the user, so a concurrent role change cannot lose this grant.
        let roles: Option<Vec<String>> =
            sqlx::query_scalar("select roles from identity.users where id = $1 for update")
                .bind(user.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_error)?;
        let Some(roles) = roles else {
            return Ok(false);
        };
        let staff = Role::MerchantStaff.as_str();
        if !roles.iter().any(|r| r == staff) {
            sqlx::query(
                "update identity.users set roles = array_append(roles, $2), updated_at = now() \
                 where id = $1",
            )
            .bind(user.0)
            .bind(staff)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        sqlx::query(
            "insert into identity.staff_memberships (user_id, merchant_id) values ($1, $2) \
             on conflict do nothing",
        )
        .bind(user.0)
        .bind(merchant.0)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    async fn remove_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "delete from identity.staff_memberships where user_id = $1 and merchant_id = $2",
        )
        .bind(user.0)
        .bind(merchant.0)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }
}
