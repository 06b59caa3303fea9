//! The identity store against a real PostgreSQL: users and their registration transaction,
//! sessions and refresh-token rotation, password changes, saved addresses, the login
//! throttle and the purge of stale rows. Each test runs in its own freshly migrated database.

mod common;

use std::time::Duration;

use common::{
    NOW, SESSION_TTL, account, address, count, new_session, new_user, register, token_hash,
    user_registered,
};
use mercato_core::catalog::StaffDirectory;
use mercato_core::identity::{
    Address, AddressCreated, AddressStore, Email, LoginThrottle, NewSession, PasswordHash,
    RefreshOutcome, RefreshTokenHash, SessionStore, ThrottleRule, UserStore,
};
use mercato_core::ids::{AddressId, MerchantId, SessionId, UserId};
use mercato_core::{Role, StoreError};
use mercato_store_postgres::{AccessChange, AccessChangeListener, PgStore};
use sqlx::PgPool;
use time::OffsetDateTime;

const MINUTE: Duration = Duration::from_secs(60);
const DAY: Duration = Duration::from_secs(24 * 3600);

/// The reuse grace the service uses by default.
const GRACE: Duration = Duration::from_secs(10);

// --- users ------------------------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_created_user_is_found_by_email_with_its_password_hash(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;

    let found = store
        .find_credentials(&Email::parse("ann@example.com").expect("valid"))
        .await
        .expect("query");

    assert_eq!(found, Some((ann.user, ann.password)));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_created_user_is_read_back_as_it_was_registered(pool: PgPool) {
    let store = PgStore::new(pool);
    let new = new_user("ann@example.com");
    let session = new_session(new.id);

    let created = store
        .create_user(&account(
            &new,
            PasswordHash("$argon2id$x".to_owned()),
            Some(session),
            vec![],
        ))
        .await
        .expect("created");

    assert_eq!(created.id, new.id);
    assert_eq!(created.email, new.email);
    assert_eq!(created.name, new.name);
    assert_eq!(created.country_code, new.country_code);
    assert_eq!(created.roles, [Role::Customer]);
    assert_eq!(created.created_at, NOW);
    assert_eq!(store.get_user(new.id).await.expect("query"), Some(created));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_unknown_email_has_no_credentials(pool: PgPool) {
    let store = PgStore::new(pool);
    register(&store, "ann@example.com").await;

    let found = store
        .find_credentials(&Email::parse("bob@example.com").expect("valid"))
        .await
        .expect("query");

    assert_eq!(found, None);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn registering_a_taken_email_violates_users_email_key(pool: PgPool) {
    let store = PgStore::new(pool);
    register(&store, "ann@example.com").await;
    let again = new_user("ann@example.com");

    let result = store
        .create_user(&account(
            &again,
            PasswordHash("$argon2id$other".to_owned()),
            Some(new_session(again.id)),
            vec![user_registered(&again)],
        ))
        .await;

    assert!(
        matches!(&result, Err(StoreError::UniqueViolation(constraint)) if constraint == "users_email_key"),
        "{result:?}"
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_refused_registration_writes_nothing(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    register(&store, "ann@example.com").await;
    let again = new_user("ann@example.com");

    let result = store
        .create_user(&account(
            &again,
            PasswordHash("$argon2id$other".to_owned()),
            Some(new_session(again.id)),
            vec![user_registered(&again)],
        ))
        .await;

    assert!(result.is_err());
    assert_eq!(count(&pool, "select count(*) from identity.users").await, 1);
    assert_eq!(
        count(&pool, "select count(*) from identity.preferences").await,
        1
    );
    assert_eq!(
        count(&pool, "select count(*) from identity.sessions").await,
        1
    );
    assert_eq!(
        count(&pool, "select count(*) from identity.refresh_tokens").await,
        1
    );
    assert_eq!(
        count(&pool, "select count(*) from platform.outbox").await,
        1
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn create_user_records_its_events_in_the_outbox(pool: PgPool) {
    let store = PgStore::new(pool.clone());

    let ann = register(&store, "ann@example.com").await;

    let rows: Vec<(String, serde_json::Value, Option<OffsetDateTime>)> =
        sqlx::query_as("select topic, payload, published_at from platform.outbox where id = $1")
            .bind(ann.event.id.0)
            .fetch_all(&pool)
            .await
            .expect("query");
    let [(topic, payload, published_at)] = rows.as_slice() else {
        panic!("expected one outbox row, got {}", rows.len());
    };
    assert_eq!(topic, "identity.user_registered");
    assert_eq!(
        serde_json::from_value::<mercato_core::events::OutboxEvent>(payload.clone())
            .expect("decodes"),
        ann.event
    );
    assert_eq!(*published_at, None);
}

// --- sessions ---------------------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_live_session_yields_its_users_principal(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;

    let principal = store
        .principal(ann.session.id, NOW)
        .await
        .expect("query")
        .expect("live");

    assert_eq!(principal.user_id, ann.user.id);
    assert_eq!(principal.session_id, ann.session.id);
    assert_eq!(principal.roles, [Role::Customer]);
    assert!(principal.merchant_ids.is_empty());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_revoked_session_has_no_principal(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;

    store
        .revoke_session(ann.session.id, NOW)
        .await
        .expect("revoked");

    assert_eq!(
        store.principal(ann.session.id, NOW).await.expect("query"),
        None
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_expired_session_has_no_principal(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;

    let after_expiry = ann.session.expires_at + Duration::from_secs(1);

    assert_eq!(
        store
            .principal(ann.session.id, after_expiry)
            .await
            .expect("query"),
        None
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_unknown_session_has_no_principal(pool: PgPool) {
    let store = PgStore::new(pool);

    assert_eq!(
        store.principal(SessionId::new(), NOW).await.expect("query"),
        None
    );
}

// --- refresh tokens ---------------------------------------------------------------------

/// Rotates `presented` at `at`, extending the session by [`SESSION_TTL`], with `grace`.
async fn rotate(
    store: &PgStore,
    presented: &RefreshTokenHash,
    at: OffsetDateTime,
    grace: Duration,
) -> RefreshOutcome {
    store
        .rotate_refresh(presented, &token_hash(), at, at + SESSION_TTL, grace)
        .await
        .expect("query")
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn rotating_a_live_refresh_token_extends_the_session(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let later = NOW + 10 * MINUTE;
    let extended = later + SESSION_TTL;

    let outcome = store
        .rotate_refresh(
            &ann.session.refresh_hash,
            &token_hash(),
            later,
            extended,
            GRACE,
        )
        .await
        .expect("query");

    let RefreshOutcome::Rotated { session, user } = outcome else {
        panic!("expected Rotated, got {outcome:?}");
    };
    assert_eq!(session.id, ann.session.id);
    assert_eq!(session.expires_at, extended);
    assert_eq!(user, ann.user);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn presenting_a_spent_refresh_token_after_the_grace_is_reuse_and_revokes_the_session(
    pool: PgPool,
) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let first = rotate(&store, &ann.session.refresh_hash, NOW, GRACE).await;
    assert!(matches!(first, RefreshOutcome::Rotated { .. }), "{first:?}");

    let again = rotate(&store, &ann.session.refresh_hash, NOW + GRACE, GRACE).await;

    assert_eq!(again, RefreshOutcome::Reused);
    assert_eq!(
        store
            .principal(ann.session.id, NOW + GRACE)
            .await
            .expect("query"),
        None
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn with_no_grace_a_spent_refresh_token_presented_at_once_is_reuse(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    rotate(&store, &ann.session.refresh_hash, NOW, Duration::ZERO).await;

    let again = rotate(&store, &ann.session.refresh_hash, NOW, Duration::ZERO).await;

    assert_eq!(again, RefreshOutcome::Reused);
    assert_eq!(
        store.principal(ann.session.id, NOW).await.expect("query"),
        None
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn presenting_a_spent_refresh_token_within_the_grace_is_in_progress_and_changes_nothing(
    pool: PgPool,
) {
    let store = PgStore::new(pool.clone());
    let ann = register(&store, "ann@example.com").await;
    let successor = token_hash();
    store
        .rotate_refresh(
            &ann.session.refresh_hash,
            &successor,
            NOW,
            NOW + SESSION_TTL,
            GRACE,
        )
        .await
        .expect("rotated");
    let tokens_before = count(&pool, "select count(*) from identity.refresh_tokens").await;

    let again = rotate(
        &store,
        &ann.session.refresh_hash,
        NOW + GRACE - Duration::from_secs(1),
        GRACE,
    )
    .await;

    assert_eq!(again, RefreshOutcome::InProgress);
    assert!(
        store
            .principal(ann.session.id, NOW)
            .await
            .expect("query")
            .is_some(),
        "the session stays live"
    );
    assert_eq!(
        count(&pool, "select count(*) from identity.refresh_tokens").await,
        tokens_before,
        "no token was issued"
    );
    let next = rotate(&store, &successor, NOW + MINUTE, GRACE).await;
    assert!(
        matches!(next, RefreshOutcome::Rotated { .. }),
        "the successor still works: {next:?}"
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn after_reuse_the_successor_token_is_invalid_too(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let successor = token_hash();
    store
        .rotate_refresh(
            &ann.session.refresh_hash,
            &successor,
            NOW,
            NOW + SESSION_TTL,
            GRACE,
        )
        .await
        .expect("rotated");
    let reused = rotate(&store, &ann.session.refresh_hash, NOW + MINUTE, GRACE).await;
    assert_eq!(reused, RefreshOutcome::Reused);

    let outcome = rotate(&store, &successor, NOW + MINUTE, GRACE).await;

    assert_eq!(outcome, RefreshOutcome::Invalid);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_unknown_refresh_token_is_invalid(pool: PgPool) {
    let store = PgStore::new(pool);
    register(&store, "ann@example.com").await;

    let outcome = rotate(&store, &token_hash(), NOW, GRACE).await;

    assert_eq!(outcome, RefreshOutcome::Invalid);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn the_refresh_token_of_an_expired_session_is_invalid(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let after_expiry = ann.session.expires_at + MINUTE;

    let outcome = rotate(&store, &ann.session.refresh_hash, after_expiry, GRACE).await;

    assert_eq!(outcome, RefreshOutcome::Invalid);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn concurrent_presentations_of_one_refresh_token_rotate_it_once_and_keep_the_session(
    pool: PgPool,
) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let (one, other) = (store.clone(), store.clone());
    let presented = &ann.session.refresh_hash;

    let (first, second) = tokio::join!(
        rotate(&one, presented, NOW, GRACE),
        rotate(&other, presented, NOW, GRACE),
    );

    let outcomes = [first, second];
    let rotated = outcomes
        .iter()
        .filter(|o| matches!(o, RefreshOutcome::Rotated { .. }))
        .count();
    assert_eq!(rotated, 1, "{outcomes:?}");
    assert!(
        outcomes.contains(&RefreshOutcome::InProgress),
        "{outcomes:?}"
    );
    assert!(
        store
            .principal(ann.session.id, NOW)
            .await
            .expect("query")
            .is_some()
    );
}

// --- logout by refresh token -------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn revoking_by_a_live_refresh_token_ends_its_session(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;

    let found = store
        .revoke_session_by_refresh(&ann.session.refresh_hash, NOW)
        .await
        .expect("query");

    assert!(found);
    assert_eq!(
        store.principal(ann.session.id, NOW).await.expect("query"),
        None
    );
    assert_eq!(
        rotate(&store, &ann.session.refresh_hash, NOW, GRACE).await,
        RefreshOutcome::Invalid
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn revoking_by_a_spent_refresh_token_ends_its_session(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    rotate(&store, &ann.session.refresh_hash, NOW, GRACE).await;

    let found = store
        .revoke_session_by_refresh(&ann.session.refresh_hash, NOW + MINUTE)
        .await
        .expect("query");

    assert!(found);
    assert_eq!(
        store
            .principal(ann.session.id, NOW + MINUTE)
            .await
            .expect("query"),
        None
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn revoking_by_a_refresh_token_of_an_ended_session_finds_it_and_keeps_it_ended(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    store
        .revoke_session(ann.session.id, NOW)
        .await
        .expect("revoked");

    let found = store
        .revoke_session_by_refresh(&ann.session.refresh_hash, NOW + MINUTE)
        .await
        .expect("query");

    assert!(found);
    assert_eq!(
        store.principal(ann.session.id, NOW).await.expect("query"),
        None
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn revoking_by_an_unknown_refresh_token_finds_nothing_and_leaves_sessions_alone(
    pool: PgPool,
) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;

    let found = store
        .revoke_session_by_refresh(&token_hash(), NOW)
        .await
        .expect("query");

    assert!(!found);
    assert!(
        store
            .principal(ann.session.id, NOW)
            .await
            .expect("query")
            .is_some()
    );
}

// --- passwords --------------------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn changing_the_password_ends_every_other_session_but_keeps_the_given_one(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let other = new_session(ann.user.id);
    store.create_session(&other).await.expect("second session");

    store
        .change_password(
            ann.user.id,
            &PasswordHash("$argon2id$new".to_owned()),
            ann.session.id,
            NOW,
        )
        .await
        .expect("changed");

    assert!(
        store
            .principal(ann.session.id, NOW)
            .await
            .expect("query")
            .is_some()
    );
    assert_eq!(store.principal(other.id, NOW).await.expect("query"), None);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn changing_the_password_stores_the_new_hash(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let new_hash = PasswordHash("$argon2id$new".to_owned());

    store
        .change_password(ann.user.id, &new_hash, ann.session.id, NOW)
        .await
        .expect("changed");

    assert_eq!(
        store.password_hash(ann.user.id).await.expect("query"),
        Some(new_hash)
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn changing_the_password_leaves_other_users_sessions_alone(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let bob = register(&store, "bob@example.com").await;

    store
        .change_password(
            ann.user.id,
            &PasswordHash("$argon2id$new".to_owned()),
            ann.session.id,
            NOW,
        )
        .await
        .expect("changed");

    assert!(
        store
            .principal(bob.session.id, NOW)
            .await
            .expect("query")
            .is_some()
    );
}

// --- addresses --------------------------------------------------------------------------

const LIMIT: u32 = 20;

async fn save(
    store: &PgStore,
    owner: UserId,
    label: &str,
    is_default: bool,
    at: OffsetDateTime,
) -> Address {
    match store
        .create_address(
            owner,
            AddressId::new(),
            &address(label, is_default),
            LIMIT,
            at,
        )
        .await
        .expect("query")
    {
        AddressCreated::Saved(address) => address,
        AddressCreated::LimitReached => panic!("limit reached saving {label}"),
    }
}

async fn defaults(store: &PgStore, owner: UserId) -> Vec<String> {
    store
        .list_addresses(owner)
        .await
        .expect("query")
        .into_iter()
        .filter(|a| a.is_default)
        .map(|a| a.label)
        .collect()
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn the_first_address_becomes_the_default(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;

    let home = save(&store, ann.user.id, "Home", false, NOW).await;

    assert!(home.is_default);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_further_address_not_flagged_default_leaves_the_default_alone(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    save(&store, ann.user.id, "Home", false, NOW).await;

    let office = save(&store, ann.user.id, "Office", false, NOW + MINUTE).await;

    assert!(!office.is_default);
    assert_eq!(defaults(&store, ann.user.id).await, ["Home"]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_new_default_address_takes_the_default_from_the_old_one(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    save(&store, ann.user.id, "Home", false, NOW).await;

    save(&store, ann.user.id, "Office", true, NOW + MINUTE).await;

    assert_eq!(defaults(&store, ann.user.id).await, ["Office"]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn deleting_the_default_address_promotes_the_most_recently_saved_one(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let home = save(&store, ann.user.id, "Home", false, NOW).await;
    save(&store, ann.user.id, "Office", false, NOW + MINUTE).await;
    save(&store, ann.user.id, "Gym", false, NOW + 2 * MINUTE).await;

    let deleted = store
        .delete_address(ann.user.id, home.id)
        .await
        .expect("query");

    assert!(deleted);
    assert_eq!(defaults(&store, ann.user.id).await, ["Gym"]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn unsetting_the_default_flag_of_the_default_address_keeps_it_default(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let home = save(&store, ann.user.id, "Home", false, NOW).await;

    let updated = store
        .update_address(ann.user.id, home.id, &address("Home", false), NOW + MINUTE)
        .await
        .expect("query")
        .expect("found");

    assert!(updated.is_default);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn no_address_is_saved_beyond_the_limit(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let limit = 2;
    for label in ["Home", "Office"] {
        let created = store
            .create_address(
                ann.user.id,
                AddressId::new(),
                &address(label, false),
                limit,
                NOW,
            )
            .await
            .expect("query");
        assert!(matches!(created, AddressCreated::Saved(_)), "{created:?}");
    }

    let third = store
        .create_address(
            ann.user.id,
            AddressId::new(),
            &address("Gym", false),
            limit,
            NOW,
        )
        .await
        .expect("query");

    assert_eq!(third, AddressCreated::LimitReached);
    assert_eq!(
        store
            .list_addresses(ann.user.id)
            .await
            .expect("query")
            .len(),
        2
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn another_users_address_cannot_be_updated(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let bob = register(&store, "bob@example.com").await;
    let home = save(&store, ann.user.id, "Home", false, NOW).await;

    let updated = store
        .update_address(
            bob.user.id,
            home.id,
            &address("Mine now", false),
            NOW + MINUTE,
        )
        .await
        .expect("query");

    assert_eq!(updated, None);
    assert_eq!(
        store.list_addresses(ann.user.id).await.expect("query"),
        [home]
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn another_users_address_cannot_be_deleted(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let bob = register(&store, "bob@example.com").await;
    let home = save(&store, ann.user.id, "Home", false, NOW).await;

    let deleted = store
        .delete_address(bob.user.id, home.id)
        .await
        .expect("query");

    assert!(!deleted);
    assert_eq!(
        store.list_addresses(ann.user.id).await.expect("query"),
        [home]
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn another_users_addresses_are_not_listed(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let bob = register(&store, "bob@example.com").await;
    save(&store, ann.user.id, "Home", false, NOW).await;

    assert!(
        store
            .list_addresses(bob.user.id)
            .await
            .expect("query")
            .is_empty()
    );
}

// --- login throttle ---------------------------------------------------------------------

fn account_rule() -> ThrottleRule {
    ThrottleRule {
        key: "account:ann@example.com".to_owned(),
        limit: 3,
        window: 15 * MINUTE,
    }
}

/// Begins one attempt against `rules` at `at`; the wait when refused.
async fn attempt(store: &PgStore, rules: &[ThrottleRule], at: OffsetDateTime) -> Option<Duration> {
    store.begin_attempt(rules, at).await.expect("counted")
}

/// Begins one attempt against `rule` at each of `at`, each of which must be allowed.
async fn allowed_attempts(store: &PgStore, rule: &ThrottleRule, at: &[OffsetDateTime]) {
    for now in at {
        assert_eq!(
            attempt(store, std::slice::from_ref(rule), *now).await,
            None,
            "attempt at {now}"
        );
    }
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn attempts_up_to_the_limit_are_allowed(pool: PgPool) {
    let store = PgStore::new(pool);
    let rule = account_rule();

    allowed_attempts(&store, &rule, &[NOW, NOW + MINUTE, NOW + 2 * MINUTE]).await;
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn the_attempt_beyond_the_limit_is_refused_until_the_window_ends(pool: PgPool) {
    let store = PgStore::new(pool);
    let rule = account_rule();
    allowed_attempts(&store, &rule, &[NOW, NOW + MINUTE, NOW + 2 * MINUTE]).await;

    let blocked = attempt(&store, &[rule], NOW + 3 * MINUTE).await;

    assert_eq!(blocked, Some(12 * MINUTE));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_attempt_after_the_window_starts_a_new_count(pool: PgPool) {
    let store = PgStore::new(pool);
    let rule = account_rule();
    allowed_attempts(&store, &rule, &[NOW, NOW + MINUTE, NOW + 2 * MINUTE]).await;
    assert!(
        attempt(&store, std::slice::from_ref(&rule), NOW + 3 * MINUTE)
            .await
            .is_some()
    );

    allowed_attempts(
        &store,
        &rule,
        &[NOW + 15 * MINUTE, NOW + 16 * MINUTE, NOW + 17 * MINUTE],
    )
    .await;
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn clearing_a_key_forgets_its_attempts(pool: PgPool) {
    let store = PgStore::new(pool);
    let rule = account_rule();
    allowed_attempts(&store, &rule, &[NOW, NOW, NOW]).await;

    store.clear(&rule.key).await.expect("cleared");

    allowed_attempts(&store, &rule, &[NOW, NOW, NOW]).await;
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_refund_takes_back_exactly_one_attempt(pool: PgPool) {
    let store = PgStore::new(pool);
    let rule = account_rule();
    allowed_attempts(&store, &rule, &[NOW, NOW, NOW]).await;

    store
        .refund(std::slice::from_ref(&rule.key))
        .await
        .expect("refunded");

    allowed_attempts(&store, &rule, &[NOW]).await;
    assert!(attempt(&store, &[rule], NOW).await.is_some());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn attempts_are_counted_per_key(pool: PgPool) {
    let store = PgStore::new(pool);
    let rule = account_rule();
    let other = ThrottleRule {
        key: "account:bob@example.com".to_owned(),
        ..account_rule()
    };
    allowed_attempts(&store, &rule, &[NOW, NOW, NOW]).await;

    allowed_attempts(&store, &other, &[NOW]).await;
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_attempt_is_counted_against_every_rule_and_the_longest_block_reported(pool: PgPool) {
    let store = PgStore::new(pool);
    let account = account_rule();
    let client = ThrottleRule {
        key: "client:203.0.113.9".to_owned(),
        limit: 1,
        window: 60 * MINUTE,
    };
    let both = [account.clone(), client.clone()];
    assert_eq!(attempt(&store, &both, NOW).await, None);
    assert_eq!(attempt(&store, &both, NOW).await, Some(60 * MINUTE));

    let blocked = attempt(&store, &both, NOW + 5 * MINUTE).await;

    assert_eq!(
        blocked,
        Some(55 * MINUTE),
        "the account's third attempt is within its limit; the client's is not"
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn parallel_attempts_never_let_more_than_the_limit_through(pool: PgPool) {
    let store = PgStore::new(pool);
    let rule = account_rule();
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let store = store.clone();
        let rules = [rule.clone()];
        attempts.spawn(async move { store.begin_attempt(&rules, NOW).await });
    }

    let mut allowed = 0;
    while let Some(outcome) = attempts.join_next().await {
        if outcome.expect("task").expect("counted").is_none() {
            allowed += 1;
        }
    }

    assert_eq!(allowed, rule.limit);
}

// --- purging stale rows ----------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn purging_deletes_sessions_ended_over_a_week_ago_and_ended_throttle_windows(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let ann = register(&store, "ann@example.com").await;
    let bob = register(&store, "bob@example.com").await;
    let di = register(&store, "di@example.com").await;
    let short = NewSession {
        expires_at: NOW + DAY,
        ..new_session(ann.user.id)
    };
    store.create_session(&short).await.expect("short session");
    let purge_at = NOW + 10 * DAY;
    store
        .revoke_session(bob.session.id, NOW)
        .await
        .expect("revoked");
    store
        .revoke_session(di.session.id, purge_at - DAY)
        .await
        .expect("revoked");
    let short_window = ThrottleRule {
        window: MINUTE,
        ..account_rule()
    };
    let long_window = ThrottleRule {
        key: "client:203.0.113.9".to_owned(),
        window: 60 * DAY,
        ..account_rule()
    };
    attempt(&store, &[short_window, long_window.clone()], NOW).await;

    let purged = store.purge_identity(purge_at).await.expect("purged");

    let mut kept = vec![ann.session.id.0, di.session.id.0];
    kept.sort();
    let sessions: Vec<uuid::Uuid> =
        sqlx::query_scalar("select id from identity.sessions order by id")
            .fetch_all(&pool)
            .await
            .expect("query");
    assert_eq!(
        sessions, kept,
        "the live and the recently revoked sessions stay"
    );
    let counters: Vec<String> = sqlx::query_scalar("select key from identity.login_failures")
        .fetch_all(&pool)
        .await
        .expect("query");
    assert_eq!(counters, [long_window.key]);
    assert_eq!(purged, 3, "two sessions and one counter");
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn purging_deletes_old_spent_tokens_of_ended_sessions_but_keeps_those_of_live_ones(
    pool: PgPool,
) {
    let store = PgStore::new(pool.clone());
    let live = register(&store, "ann@example.com").await;
    let ended = register(&store, "bob@example.com").await;
    rotate(&store, &live.session.refresh_hash, NOW, GRACE).await;
    rotate(&store, &ended.session.refresh_hash, NOW, GRACE).await;
    store
        .revoke_session(ended.session.id, NOW + DAY)
        .await
        .expect("revoked");

    store.purge_identity(NOW + 2 * DAY).await.expect("purged");

    let spent: Vec<uuid::Uuid> = sqlx::query_scalar(
        "select session_id from identity.refresh_tokens where spent_at is not null",
    )
    .fetch_all(&pool)
    .await
    .expect("query");
    assert_eq!(spent, [live.session.id.0]);
    assert_eq!(
        count(&pool, "select count(*) from identity.refresh_tokens").await,
        3,
        "both sessions keep their current token; the live one its spent token"
    );
}

// --- access changes ---------------------------------------------------------------------

/// The next access change heard (the test fails if none comes within a minute).
async fn heard(listener: &mut AccessChangeListener) -> AccessChange {
    tokio::time::timeout(Duration::from_secs(60), listener.recv())
        .await
        .expect("an announcement arrives")
        .expect("the listener answers")
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn ending_a_session_or_changing_a_membership_is_announced_for_its_user(pool: PgPool) {
    let store = PgStore::new(pool);
    let ann = register(&store, "ann@example.com").await;
    let bob = register(&store, "bob@example.com").await;
    let mut listener = store.access_change_listener().await.expect("listening");
    let merchant = MerchantId::new();

    store
        .revoke_session(ann.session.id, NOW)
        .await
        .expect("revoked");
    let revoked = heard(&mut listener).await;
    store.add_staff(bob.user.id, merchant).await.expect("added");
    // Adding staff changes the roles and the memberships, in one transaction: PostgreSQL
    // delivers the identical announcements once.
    let added = heard(&mut listener).await;
    store
        .remove_staff(bob.user.id, merchant)
        .await
        .expect("removed");
    let removed = heard(&mut listener).await;

    assert_eq!(revoked, AccessChange::User(ann.user.id));
    assert_eq!(added, AccessChange::User(bob.user.id));
    assert_eq!(removed, AccessChange::User(bob.user.id));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_change_that_is_rolled_back_or_ends_nothing_is_not_announced(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let ann = register(&store, "ann@example.com").await;
    let bob = register(&store, "bob@example.com").await;
    let mut listener = store.access_change_listener().await.expect("listening");

    let mut tx = pool.begin().await.expect("begin");
    sqlx::query("update identity.sessions set revoked_at = now() where id = $1")
        .bind(ann.session.id.0)
        .execute(&mut *tx)
        .await
        .expect("revoke");
    tx.rollback().await.expect("rolled back");
    // Revoking an ended session again changes nothing.
    store
        .revoke_session(bob.session.id, NOW)
        .await
        .expect("revoked");
    store
        .revoke_session(bob.session.id, NOW)
        .await
        .expect("revoked again");
    store
        .revoke_session(ann.session.id, NOW)
        .await
        .expect("revoked");

    // Announcements arrive in commit order: bob's revocation, then ann's; nothing between.
    assert_eq!(heard(&mut listener).await, AccessChange::User(bob.user.id));
    assert_eq!(heard(&mut listener).await, AccessChange::User(ann.user.id));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn changes_made_around_the_code_are_announced_too(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let ann = register(&store, "ann@example.com").await;
    let bob = register(&store, "bob@example.com").await;
    let merchant = MerchantId::new();
    store.add_staff(bob.user.id, merchant).await.expect("added");
    let mut listener = store.access_change_listener().await.expect("listening");
    let sql = |statement: &'static str, id: uuid::Uuid| {
        let pool = pool.clone();
        async move {
            sqlx::query(statement)
                .bind(id)
                .execute(&pool)
                .await
                .expect("executed");
        }
    };

    store.announce_heartbeat().await.expect("announced");
    let heartbeat = heard(&mut listener).await;
    sql(
        "delete from identity.sessions where id = $1",
        ann.session.id.0,
    )
    .await;
    let deleted = heard(&mut listener).await;
    sql(
        "update identity.staff_memberships set user_id = $1",
        ann.user.id.0,
    )
    .await;
    let moved = [heard(&mut listener).await, heard(&mut listener).await];
    sqlx::query("truncate identity.staff_memberships")
        .execute(&pool)
        .await
        .expect("truncated");
    let truncated = heard(&mut listener).await;

    assert_eq!(heartbeat, AccessChange::Heartbeat);
    assert_eq!(deleted, AccessChange::User(ann.user.id));
    assert_eq!(
        moved,
        [
            AccessChange::User(bob.user.id),
            AccessChange::User(ann.user.id)
        ]
    );
    assert_eq!(truncated, AccessChange::Everyone);
}
