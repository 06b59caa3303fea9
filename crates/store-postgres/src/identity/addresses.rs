//! The address store: a customer's saved delivery addresses, one of them the default.

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::geo::CountryCode;
use mercato_core::identity::{Address, AddressCreated, AddressFields, AddressStore};
use mercato_core::ids::{AddressId, UserId};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{PgStore, store_error};

/// The columns of [`AddressRow`].
macro_rules! address_columns {
    () => {
        "id, label, line1, line2, city, postal_code, country_code, lat, lng, instructions, \
         is_default, created_at, updated_at"
    };
}

#[derive(sqlx::FromRow)]
struct AddressRow {
    id: Uuid,
    label: String,
    line1: String,
    line2: Option<String>,
    city: String,
    postal_code: Option<String>,
    country_code: String,
    lat: f64,
    lng: f64,
    instructions: Option<String>,
    is_default: bool,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<AddressRow> for Address {
    type Error = StoreError;
    fn try_from(row: AddressRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: AddressId(row.id),
            country_code: CountryCode::parse(&row.country_code).map_err(|_| {
                StoreError::Backend(format!("address {} has an invalid country", row.id))
            })?,
            label: row.label,
            line1: row.line1,
            line2: row.line2,
            city: row.city,
            postal_code: row.postal_code,
            lat: row.lat,
            lng: row.lng,
            instructions: row.instructions,
            is_default: row.is_default,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Locks the owner's row so address writes of one user are serialized (count limit, the
/// single default).
async fn lock_owner(conn: &mut PgConnection, owner: UserId) -> Result<bool, StoreError> {
    let found: Option<Uuid> =
        sqlx::query_scalar("select id from identity.users where id = $1 for update")
            .bind(owner.0)
            .fetch_optional(conn)
            .await
            .map_err(store_error)?;
    Ok(found.is_some())
}

async fn clear_default(conn: &mut PgConnection, owner: UserId) -> Result<(), StoreError> {
    sqlx::query(
        "update identity.addresses set is_default = false where user_id = $1 and is_default",
    )
    .bind(owner.0)
    .execute(conn)
    .await
    .map_err(store_error)?;
    Ok(())
}

#[async_trait]
impl AddressStore for PgStore {
    async fn list_addresses(&self, owner: UserId) -> Result<Vec<Address>, StoreError> {
        let rows: Vec<AddressRow> = sqlx::query_as(concat!(
            "select ",
            address_columns!(),
            " from identity.addresses where user_id = $1 \
             order by is_default desc, created_at desc, id desc"
        ))
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.into_iter().map(Address::try_from).collect()
    }

    async fn create_address(
        &self,
        owner: UserId,
        id: AddressId,
        fields: &AddressFields,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<AddressCreated, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        if !lock_owner(&mut tx, owner).await? {
            return Err(StoreError::Backend("address owner does not exist".into()));
        }
        let count: i64 =
            sqlx::query_scalar("select count(*) from identity.addresses where user_id = $1")
                .bind(owner.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_error)?;
        if count >= i64::from(limit) {
            return Ok(AddressCreated::LimitReached);
        }
        let is_default = fields.is_default || count == 0;
        if is_default {
            clear_default(&mut tx, owner).await?;
        }
        let row: AddressRow = sqlx::query_as(concat!("insert into identity.addresses (id, user_id, label, line1, line2, city, postal_code, country_code, \
             lat, lng, instructions, is_default, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) returning ", address_columns!()))
        .bind(id.0)
        .bind(owner.0)
        .bind(&fields.label)
        .bind(&fields.line1)
        .bind(&fields.line2)
        .bind(&fields.city)
        .bind(&fields.postal_code)
        .bind(fields.country_code.as_str())
        .bind(fields.lat)
        .bind(fields.lng)
        .bind(&fields.instructions)
        .bind(is_default)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(AddressCreated::Saved(row.try_into()?))
    }

    async fn update_address(
        &self,
        owner: UserId,
        id: AddressId,
        fields: &AddressFields,
        now: OffsetDateTime,
    ) -> Result<Option<Address>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        if !lock_owner(&mut tx, owner).await? {
            return Ok(None);
        }
        let current: Option<bool> = sqlx::query_scalar(
            "select is_default from identity.addresses where id = $1 and user_id = $2",
        )
        .bind(id.0)
        .bind(owner.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_error)?;
        let Some(was_default) = current else {
            return Ok(None);
        };
        if fields.is_default && !was_default {
            clear_default(&mut tx, owner).await?;
        }
        let row: AddressRow = sqlx::query_as(concat!("update identity.addresses set label = $3, line1 = $4, line2 = $5, city = $6, postal_code = $7, \
             country_code = $8, lat = $9, lng = $10, instructions = $11, is_default = $12, updated_at = $13 \
             where id = $1 and user_id = $2 returning ", address_columns!()))
        .bind(id.0)
        .bind(owner.0)
        .bind(&fields.label)
        .bind(&fields.line1)
        .bind(&fields.line2)
        .bind(&fields.city)
        .bind(&fields.postal_code)
        .bind(fields.country_code.as_str())
        .bind(fields.lat)
        .bind(fields.lng)
        .bind(&fields.instructions)
        .bind(fields.is_default || was_default)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(Some(row.try_into()?))
    }

    async fn delete_address(&self, owner: UserId, id: AddressId) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        if !lock_owner(&mut tx, owner).await? {
            return Ok(false);
        }
        let deleted: Option<bool> = sqlx::query_scalar(
            "delete from identity.addresses where id = $1 and user_id = $2 returning is_default",
        )
        .bind(id.0)
        .bind(owner.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_error)?;
        let Some(was_default) = deleted else {
            return Ok(false);
        };
        if was_default {
            sqlx::query(
                "update identity.addresses set is_default = true where id = \
                 (select id from identity.addresses where user_id = $1 order by created_at desc, id desc limit 1)",
            )
            .bind(owner.0)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        }
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }
}
