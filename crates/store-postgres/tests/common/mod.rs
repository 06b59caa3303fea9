//! Fixtures shared by the store's integration tests: valid domain values and a registered
//! user, built through the store's own ports.

#![allow(
    dead_code,
    reason = "each test binary includes this module and uses its own subset of the fixtures"
)]

use std::time::Duration;

use mercato_core::Role;
use mercato_core::events::{DomainEvent, OutboxEvent};
use mercato_core::geo::CountryCode;
use mercato_core::identity::{
    AddressFields, Email, NewAccount, NewSession, NewUser, PasswordHash, Preferences,
    RefreshTokenHash, User, UserStore,
};
use mercato_core::ids::{SessionId, UserId};
use mercato_store_postgres::PgStore;
use sqlx::PgPool;
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

/// The instant the tests treat as "now" wherever the store takes `now` as an argument.
pub const NOW: OffsetDateTime = datetime!(2026-11-24 12:00 UTC);

/// How long a fixture session lives.
pub const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// A fresh, unique refresh-token digest.
pub fn token_hash() -> RefreshTokenHash {
    RefreshTokenHash(Uuid::now_v7().as_bytes().to_vec())
}

/// A customer about to register with `email`.
pub fn new_user(email: &str) -> NewUser {
    NewUser {
        id: UserId::new(),
        email: Email::parse(email).expect("valid email"),
        name: "Ann Lee".to_owned(),
        phone: None,
        country_code: CountryCode::parse("DE").expect("valid country"),
        locale: "en".to_owned(),
        roles: vec![Role::Customer],
    }
}

/// A session of `user` opened at [`NOW`].
pub fn new_session(user: UserId) -> NewSession {
    NewSession {
        id: SessionId::new(),
        user_id: user,
        refresh_hash: token_hash(),
        created_at: NOW,
        expires_at: NOW + SESSION_TTL,
    }
}

/// The event registration raises for `user`.
pub fn user_registered(user: &NewUser) -> OutboxEvent {
    OutboxEvent::new(
        DomainEvent::UserRegistered {
            user_id: user.id,
            email: user.email.to_string(),
            name: user.name.clone(),
            locale: user.locale.clone(),
            country_code: user.country_code.to_string(),
        },
        NOW,
    )
}

/// The account `create_user` is given: `user` with default preferences.
pub fn account(
    user: &NewUser,
    password: PasswordHash,
    session: Option<NewSession>,
    events: Vec<OutboxEvent>,
) -> NewAccount {
    NewAccount {
        user: user.clone(),
        password,
        preferences: Preferences::defaults_for(&user.locale),
        session,
        events,
        created_at: NOW,
    }
}

/// A user as `create_user` left it, with what went into that call.
pub struct Registered {
    pub user: User,
    pub password: PasswordHash,
    pub session: NewSession,
    pub event: OutboxEvent,
}

/// Registers a customer with `email` through [`UserStore::create_user`].
pub async fn register(store: &PgStore, email: &str) -> Registered {
    let new = new_user(email);
    let password = PasswordHash(format!("$argon2id$hash-of-{email}"));
    let session = new_session(new.id);
    let event = user_registered(&new);
    let user = store
        .create_user(&account(
            &new,
            password.clone(),
            Some(session.clone()),
            vec![event.clone()],
        ))
        .await
        .expect("user created");
    Registered {
        user,
        password,
        session,
        event,
    }
}

/// A valid address in Berlin labelled `label`.
pub fn address(label: &str, is_default: bool) -> AddressFields {
    AddressFields {
        label: label.to_owned(),
        line1: "Hauptstraße 1".to_owned(),
        line2: None,
        city: "Berlin".to_owned(),
        postal_code: Some("10115".to_owned()),
        country_code: CountryCode::parse("DE").expect("valid country"),
        lat: 52.52,
        lng: 13.405,
        instructions: None,
        is_default,
    }
}

/// Runs a `select count(*) …` query.
pub async fn count(pool: &PgPool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count query")
}
