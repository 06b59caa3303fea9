//! The identity store: users, sessions and refresh tokens, preferences, addresses, the
//! attempt counters of the login throttle, and the purge of rows nothing needs any more.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use mercato_core::geo::CountryCode;
use mercato_core::identity::{
    Address, AddressCreated, AddressFields, AddressStore, ChannelOptIns, DietaryTag, Email,
    LoginThrottle, NewAccount, NewSession, PasswordHash, Preferences, Profile, RefreshOutcome,
    RefreshTokenHash, Session, SessionStore, ThrottleRule, User, UserLocation, UserStore,
};
use mercato_core::ids::{AddressId, CityId, MerchantId, SessionId, UserId};
use mercato_core::{Principal, Role, StoreError};
use sqlx::PgConnection;
use sqlx::postgres::PgListener;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{PgStore, outbox, store_error};

/// The columns of [`UserRow`], as a literal so queries stay `&'static str`.
macro_rules! user_columns {
    () => {
        "id, email, name, phone, country_code, locale, roles, location_lat, location_lng, \
         location_accuracy_m, location_updated_at, location_deliverable, location_country_code, \
         location_city_id, created_at"
    };
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    email: String,
    name: String,
    phone: Option<String>,
    country_code: String,
    locale: String,
    roles: Vec<String>,
    location_lat: Option<f64>,
    location_lng: Option<f64>,
    location_accuracy_m: Option<f64>,
    location_updated_at: Option<OffsetDateTime>,
    location_deliverable: Option<bool>,
    location_country_code: Option<String>,
    location_city_id: Option<Uuid>,
    created_at: OffsetDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(row: UserRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| {
            StoreError::Backend(format!("user {} has an invalid stored {what}", row.id))
        };
        let location = match (row.location_lat, row.location_lng, row.location_updated_at) {
            (Some(lat), Some(lng), Some(updated_at)) => Some(UserLocation {
                lat,
                lng,
                accuracy_m: row.location_accuracy_m,
                deliverable: row.location_deliverable.unwrap_or(false),
                country_code: row
                    .location_country_code
                    .as_deref()
                    .and_then(|c| CountryCode::parse(c).ok()),
                city_id: row.location_city_id.map(CityId),
                updated_at,
            }),
            _ => None,
        };
        Ok(Self {
            id: UserId(row.id),
            email: Email::parse(&row.email).map_err(|_| corrupt("email"))?,
            name: row.name,
            phone: row.phone,
            country_code: CountryCode::parse(&row.country_code).map_err(|_| corrupt("country"))?,
            locale: row.locale,
            roles: row.roles.iter().filter_map(|r| Role::parse(r)).collect(),
            location,
            created_at: row.created_at,
        })
    }
}

fn role_names(roles: &[Role]) -> Vec<&'static str> {
    roles.iter().map(|r| r.as_str()).collect()
}

async fn fetch_user(conn: &mut PgConnection, id: Uuid) -> Result<Option<User>, StoreError> {
    let row: Option<UserRow> = sqlx::query_as(concat!(
        "select ",
        user_columns!(),
        " from identity.users where id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
    .map_err(store_error)?;
    row.map(User::try_from).transpose()
}

async fn insert_session(conn: &mut PgConnection, session: &NewSession) -> Result<(), StoreError> {
    sqlx::query("insert into identity.sessions (id, user_id, created_at, expires_at) values ($1, $2, $3, $4)")
        .bind(session.id.0)
        .bind(session.user_id.0)
        .bind(session.created_at)
        .bind(session.expires_at)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    sqlx::query("insert into identity.refresh_tokens (token_hash, session_id, created_at) values ($1, $2, $3)")
        .bind(&session.refresh_hash.0)
        .bind(session.id.0)
        .bind(session.created_at)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    Ok(())
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

#[async_trait]
impl LoginThrottle for PgStore {
    async fn begin_attempt(
        &self,
        rules: &[ThrottleRule],
        now: OffsetDateTime,
    ) -> Result<Option<Duration>, StoreError> {
        // One row per key (a key named twice takes the longer window), in a fixed order, so
        // concurrent attempts lock their rows alike and cannot deadlock.
        let mut windows: BTreeMap<&str, Duration> = BTreeMap::new();
        for rule in rules {
            let window = windows.entry(rule.key.as_str()).or_default();
            *window = (*window).max(rule.window);
        }
        let keys: Vec<&str> = windows.keys().copied().collect();
        let ends: Vec<OffsetDateTime> = windows.values().map(|window| now + *window).collect();
        // The upsert counts the attempt and reads the count back in one atomic step per
        // key: parallel attempts each see a different count, so no more than `limit` of
        // them can pass. A window that has ended restarts at this attempt.
        let counted: Vec<(String, OffsetDateTime, i32)> = sqlx::query_as(
            "insert into identity.login_failures as f (key, window_started_at, window_ends_at, attempts) \
             select key, $3, window_ends_at, 1 \
             from unnest($1::text[], $2::timestamptz[]) with ordinality as r (key, window_ends_at, n) \
             order by n \
             on conflict (key) do update set \
             attempts = case when f.window_ends_at <= excluded.window_started_at \
                        then 1 else f.attempts + 1 end, \
             window_started_at = case when f.window_ends_at <= excluded.window_started_at \
                        then excluded.window_started_at else f.window_started_at end, \
             window_ends_at = case when f.window_ends_at <= excluded.window_started_at \
                        then excluded.window_ends_at else f.window_ends_at end \
             returning key, window_ends_at, attempts",
        )
        .bind(&keys)
        .bind(&ends)
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        let mut longest: Option<Duration> = None;
        for rule in rules {
            let Some((_, ends, attempts)) = counted.iter().find(|(key, ..)| *key == rule.key)
            else {
                return Err(StoreError::Backend(format!(
                    "throttle key {} was not counted",
                    rule.key
                )));
            };
            if i64::from(*attempts) > i64::from(rule.limit) {
                let wait = Duration::try_from(*ends - now).unwrap_or_default();
                longest = Some(longest.map_or(wait, |l| l.max(wait)));
            }
        }
        Ok(longest)
    }

    async fn clear(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("delete from identity.login_failures where key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn refund(&self, keys: &[String]) -> Result<(), StoreError> {
        sqlx::query(
            "update identity.login_failures set attempts = attempts - 1 \
             where key = any($1) and attempts > 0",
        )
        .bind(keys)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }
}

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

/// The `LISTEN/NOTIFY` channel on which the database announces, on commit, every change that
/// ends or narrows what a signed-in user may do (payload: the user's id; `*` for a change of
/// every user, such as a `TRUNCATE`; empty for a process's heartbeat). Triggers send the
/// changes (see the `access_changes` migration), so no code path can leave one out.
pub const ACCESS_CHANNEL: &str = "mercato_access";

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
