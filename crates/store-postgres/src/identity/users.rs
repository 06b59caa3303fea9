//! The user store: accounts and credentials, profiles, the customer's location, and
//! preferences.

use async_trait::async_trait;
use mercato_core::geo::CountryCode;
use mercato_core::identity::{
    ChannelOptIns, DietaryTag, Email, NewAccount, PasswordHash, Preferences, Profile, User,
    UserLocation, UserStore,
};
use mercato_core::ids::{SessionId, UserId};
use mercato_core::{Role, StoreError};
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::rows::{UserRow, fetch_user, insert_session, user_columns};
use crate::{PgStore, outbox, store_error};

fn role_names(roles: &[Role]) -> Vec<&'static str> {
    roles.iter().map(|r| r.as_str()).collect()
}

async fn write_preferences(
    conn: &mut PgConnection,
    user: UserId,
    p: &Preferences,
) -> Result<(), StoreError> {
    let tags: Vec<String> = p
        .dietary_tags
        .iter()
        .map(|t| {
            serde_json::to_value(t)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect();
    sqlx::query(
        "insert into identity.preferences (user_id, language, dietary_tags, marketing_opt_in, notify_push, \
         notify_email, notify_sms, notify_in_app, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, now()) \
         on conflict (user_id) do update set language = excluded.language, dietary_tags = excluded.dietary_tags, \
         marketing_opt_in = excluded.marketing_opt_in, notify_push = excluded.notify_push, \
         notify_email = excluded.notify_email, notify_sms = excluded.notify_sms, \
         notify_in_app = excluded.notify_in_app, updated_at = now()",
    )
    .bind(user.0)
    .bind(&p.language)
    .bind(tags)
    .bind(p.marketing_opt_in)
    .bind(p.notifications.push)
    .bind(p.notifications.email)
    .bind(p.notifications.sms)
    .bind(p.notifications.in_app)
    .execute(conn)
    .await
    .map_err(store_error)?;
    Ok(())
}

#[async_trait]
impl UserStore for PgStore {
    async fn create_user(&self, account: &NewAccount) -> Result<User, StoreError> {
        let user = &account.user;
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        sqlx::query(
            "insert into identity.users (id, email, password_hash, name, phone, country_code, locale, roles, \
             created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(user.id.0)
        .bind(user.email.as_str())
        .bind(&account.password.0)
        .bind(&user.name)
        .bind(&user.phone)
        .bind(user.country_code.as_str())
        .bind(&user.locale)
        .bind(role_names(&user.roles))
        .bind(account.created_at)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
        write_preferences(&mut tx, user.id, &account.preferences).await?;
        if let Some(session) = &account.session {
            insert_session(&mut tx, session).await?;
        }
        outbox::append(&mut tx, &account.events).await?;
        let created = fetch_user(&mut tx, user.id.0)
            .await?
            .ok_or_else(|| StoreError::Backend("inserted user vanished".into()))?;
        tx.commit().await.map_err(store_error)?;
        Ok(created)
    }

    async fn find_credentials(
        &self,
        email: &Email,
    ) -> Result<Option<(User, PasswordHash)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRow,
            password_hash: String,
        }
        let row: Option<Row> = sqlx::query_as(concat!(
            "select ",
            user_columns!(),
            ", password_hash from identity.users where email = $1"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.map(|r| Ok((User::try_from(r.user)?, PasswordHash(r.password_hash))))
            .transpose()
    }

    async fn password_hash(&self, user: UserId) -> Result<Option<PasswordHash>, StoreError> {
        let hash: Option<String> =
            sqlx::query_scalar("select password_hash from identity.users where id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(store_error)?;
        Ok(hash.map(PasswordHash))
    }

    async fn get_user(&self, user: UserId) -> Result<Option<User>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        fetch_user(&mut conn, user.0).await
    }

    async fn update_profile(
        &self,
        user: UserId,
        profile: &Profile,
    ) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = sqlx::query_as(concat!("update identity.users set name = $2, phone = $3, locale = $4, country_code = $5, updated_at = now() \
             where id = $1 returning ", user_columns!()))
        .bind(user.0)
        .bind(&profile.name)
        .bind(&profile.phone)
        .bind(&profile.locale)
        .bind(profile.country_code.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.map(User::try_from).transpose()
    }

    async fn change_password(
        &self,
        user: UserId,
        password: &PasswordHash,
        keep: SessionId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        sqlx::query("update identity.users set password_hash = $2, updated_at = $3 where id = $1")
            .bind(user.0)
            .bind(&password.0)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        sqlx::query(
            "update identity.sessions set revoked_at = $3 where user_id = $1 and id <> $2 and revoked_at is null",
        )
        .bind(user.0)
        .bind(keep.0)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
        tx.commit().await.map_err(store_error)
    }

    async fn set_location(&self, user: UserId, location: &UserLocation) -> Result<(), StoreError> {
        sqlx::query(
            "update identity.users set location_lat = $2, location_lng = $3, location_accuracy_m = $4, \
             location_updated_at = $5, location_deliverable = $6, location_country_code = $7, \
             location_city_id = $8 where id = $1",
        )
        .bind(user.0)
        .bind(location.lat)
        .bind(location.lng)
        .bind(location.accuracy_m)
        .bind(location.updated_at)
        .bind(location.deliverable)
        .bind(location.country_code.as_ref().map(CountryCode::as_str))
        .bind(location.city_id.map(|c| c.0))
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn preferences(&self, user: UserId) -> Result<Option<Preferences>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            language: String,
            dietary_tags: Vec<String>,
            marketing_opt_in: bool,
            notify_push: bool,
            notify_email: bool,
            notify_sms: bool,
            notify_in_app: bool,
        }
        let row: Option<Row> = sqlx::query_as(
            "select language, dietary_tags, marketing_opt_in, notify_push, notify_email, notify_sms, notify_in_app \
             from identity.preferences where user_id = $1",
        )
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(row.map(|r| Preferences {
            language: r.language,
            dietary_tags: r
                .dietary_tags
                .into_iter()
                .filter_map(|t| {
                    serde_json::from_value::<DietaryTag>(serde_json::Value::String(t)).ok()
                })
                .collect(),
            marketing_opt_in: r.marketing_opt_in,
            notifications: ChannelOptIns {
                push: r.notify_push,
                email: r.notify_email,
                sms: r.notify_sms,
                in_app: r.notify_in_app,
            },
        }))
    }

    async fn put_preferences(
        &self,
        user: UserId,
        preferences: &Preferences,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        write_preferences(&mut conn, user, preferences).await
    }
}
