//! What the user and session stores share: the user row and its columns, reading a user, and
//! inserting a session with its first refresh token.

use mercato_core::geo::CountryCode;
use mercato_core::identity::{Email, NewSession, User, UserLocation};
use mercato_core::ids::{CityId, UserId};
use mercato_core::{Role, StoreError};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store_error;

/// The columns of [`UserRow`], as a literal so queries stay `&'static str`.
macro_rules! user_columns {
    () => {
        "id, email, name, phone, country_code, locale, roles, location_lat, location_lng, \
         location_accuracy_m, location_updated_at, location_deliverable, location_country_code, \
         location_city_id, created_at"
    };
}
pub(super) use user_columns;

#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
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

pub(super) async fn fetch_user(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<User>, StoreError> {
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

pub(super) async fn insert_session(
    conn: &mut PgConnection,
    session: &NewSession,
) -> Result<(), StoreError> {
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
