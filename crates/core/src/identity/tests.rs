//! Use-case tests of [`IdentityService`] against mocked ports: what each use case asks of
//! its ports, and how it turns their answers into outcomes and errors.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;
use time::macros::datetime;

use super::*;
use crate::clock::FixedClock;
use crate::error::{DomainError, ErrorKind, FieldError, StoreError, ValidationErrors};
use crate::events::{DomainEvent, OutboxEvent};
use crate::geo::{CountryCode, MockCountryDirectory, MockPointLocator};
use crate::ids::{AddressId, SessionId, UserId};
use crate::principal::{Principal, Role};

const NOW: OffsetDateTime = datetime!(2026-11-24 12:00 UTC);
const STRONG_PASSWORD: &str = "correct horse battery staple";
const CLIENT: &str = "203.0.113.9";

/// One mock per port; each test sets the expectations it relies on, then builds the service.
/// A call nobody expected fails the test.
struct Mocks {
    users: MockUserStore,
    sessions: MockSessionStore,
    addresses: MockAddressStore,
    throttle: MockLoginThrottle,
    hasher: MockPasswordHasher,
    tokens: MockSessionTokens,
    countries: MockCountryDirectory,
    locator: MockPointLocator,
}

impl Mocks {
    fn new() -> Self {
        Self {
            users: MockUserStore::new(),
            sessions: MockSessionStore::new(),
            addresses: MockAddressStore::new(),
            throttle: MockLoginThrottle::new(),
            hasher: MockPasswordHasher::new(),
            tokens: MockSessionTokens::new(),
            countries: MockCountryDirectory::new(),
            locator: MockPointLocator::new(),
        }
    }

    fn service(self) -> IdentityService {
        self.service_with(IdentityPolicy::default())
    }

    fn service_with(self, policy: IdentityPolicy) -> IdentityService {
        IdentityService::new(
            IdentityPorts {
                users: Arc::new(self.users),
                sessions: Arc::new(self.sessions),
                addresses: Arc::new(self.addresses),
                throttle: Arc::new(self.throttle),
                hasher: Arc::new(self.hasher),
                tokens: Arc::new(self.tokens),
                countries: Arc::new(self.countries),
                locator: Arc::new(self.locator),
                clock: Arc::new(FixedClock(NOW)),
            },
            policy,
        )
    }

    /// Tokens are opaque to the use cases; any values do.
    fn issue_tokens(&mut self) {
        self.tokens
            .expect_new_refresh()
            .returning(|| ("refresh-token".to_owned(), RefreshTokenHash(vec![2])));
        self.tokens
            .expect_issue_access()
            .returning(|_| "access-token".to_owned());
    }

    fn not_throttled(&mut self) {
        self.throttle
            .expect_begin_attempt()
            .returning(|_, _| Ok(None));
    }
}

fn ann() -> User {
    User {
        id: UserId::new(),
        email: Email::parse("ann@example.com").expect("valid email"),
        name: "Ann Lee".to_owned(),
        phone: None,
        country_code: CountryCode::parse("DE").expect("valid country"),
        locale: "en".to_owned(),
        roles: vec![Role::Customer],
        location: None,
        created_at: NOW,
    }
}

fn stored_hash() -> PasswordHash {
    PasswordHash("$argon2id$stored".to_owned())
}

fn principal_of(user: &User) -> Principal {
    Principal {
        user_id: user.id,
        session_id: SessionId::new(),
        roles: vec![Role::Customer],
        merchant_ids: Vec::new(),
    }
}

/// What the store answers for a user it has just created.
fn created(user: &NewUser) -> User {
    User {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        phone: user.phone.clone(),
        country_code: user.country_code.clone(),
        locale: user.locale.clone(),
        roles: user.roles.clone(),
        location: None,
        created_at: NOW,
    }
}

fn registration() -> RegisterRequest {
    RegisterRequest {
        email: "ann@example.com".to_owned(),
        password: STRONG_PASSWORD.to_owned(),
        name: "Ann Lee".to_owned(),
        phone: None,
        country_code: "DE".to_owned(),
        locale: None,
    }
}

/// Mocks ready for a registration that passes validation and hashing; the test sets what
/// `create_user` does.
fn valid_registration_mocks() -> Mocks {
    let mut mocks = Mocks::new();
    mocks.countries.expect_is_served().returning(|_| Ok(true));
    mocks
        .hasher
        .expect_hash()
        .returning(|_| Ok(PasswordHash("$argon2id$new".to_owned())));
    mocks.issue_tokens();
    mocks
}

fn login_as_ann(password: &str) -> LoginRequest {
    LoginRequest {
        email: "ann@example.com".to_owned(),
        password: password.to_owned(),
    }
}

fn claims_for(user: UserId, session: SessionId) -> AccessClaims {
    AccessClaims {
        user_id: user,
        session_id: session,
        issued_at: NOW,
        expires_at: NOW + Duration::from_secs(900),
    }
}

fn home() -> AddressInput {
    AddressInput {
        label: "Home".to_owned(),
        line1: "Hauptstraße 1".to_owned(),
        line2: None,
        city: "Berlin".to_owned(),
        postal_code: Some("10115".to_owned()),
        country_code: "DE".to_owned(),
        lat: 52.52,
        lng: 13.405,
        instructions: None,
        is_default: false,
    }
}

fn field_names(err: &IdentityError) -> Vec<&str> {
    let mut names: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    names.sort_unstable();
    names
}

// --- register ---------------------------------------------------------------------------

#[tokio::test]
async fn register_reports_every_invalid_field_at_once_without_touching_the_store() {
    let mut mocks = Mocks::new();
    mocks.countries.expect_is_served().never();
    mocks.hasher.expect_hash().never();
    mocks.users.expect_create_user().never();
    let request = RegisterRequest {
        email: "not-an-email".to_owned(),
        password: "short".to_owned(),
        name: "   ".to_owned(),
        phone: None,
        country_code: "Germany".to_owned(),
        locale: None,
    };

    let err = mocks
        .service()
        .register(request)
        .await
        .expect_err("invalid registration");

    assert!(matches!(err, IdentityError::Invalid(_)), "{err:?}");
    assert_eq!(
        field_names(&err),
        ["countryCode", "email", "name", "password"]
    );
}

#[tokio::test]
async fn register_refuses_a_country_the_marketplace_does_not_serve() {
    let mut mocks = Mocks::new();
    mocks.countries.expect_is_served().returning(|_| Ok(false));
    mocks.users.expect_create_user().never();
    let request = RegisterRequest {
        country_code: "FR".to_owned(),
        ..registration()
    };

    let err = mocks
        .service()
        .register(request)
        .await
        .expect_err("unserved country");

    assert_eq!(field_names(&err), ["countryCode"]);
}

#[tokio::test]
async fn register_with_a_taken_email_fails_with_email_taken() {
    let mut mocks = valid_registration_mocks();
    mocks
        .users
        .expect_create_user()
        .returning(|_| Err(StoreError::UniqueViolation(USERS_EMAIL_KEY.to_owned())));

    let result = mocks.service().register(registration()).await;

    assert!(
        matches!(result, Err(IdentityError::EmailTaken)),
        "{result:?}"
    );
}

#[tokio::test]
async fn register_treats_other_unique_violations_as_store_failures() {
    let mut mocks = valid_registration_mocks();
    mocks
        .users
        .expect_create_user()
        .returning(|_| Err(StoreError::UniqueViolation("sessions_pkey".to_owned())));

    let result = mocks.service().register(registration()).await;

    assert!(
        matches!(
            result,
            Err(IdentityError::Store(StoreError::UniqueViolation(_)))
        ),
        "{result:?}"
    );
}

/// What one `create_user` call was given.
struct CreateUserCall {
    user: UserId,
    session_owner: Option<UserId>,
    events: Vec<OutboxEvent>,
}

#[tokio::test]
async fn register_writes_one_user_registered_event_for_the_new_user_with_the_user() {
    let mut mocks = valid_registration_mocks();
    let calls: Arc<Mutex<Vec<CreateUserCall>>> = Arc::default();
    let record = Arc::clone(&calls);
    mocks.users.expect_create_user().returning(move |account| {
        record.lock().expect("not poisoned").push(CreateUserCall {
            user: account.user.id,
            session_owner: account.session.as_ref().map(|s| s.user_id),
            events: account.events.clone(),
        });
        Ok(created(&account.user))
    });

    let session = mocks
        .service()
        .register(registration())
        .await
        .expect("registered");

    let calls = calls.lock().expect("not poisoned");
    let [call] = calls.as_slice() else {
        panic!("expected one create_user call, got {}", calls.len());
    };
    assert_eq!(call.user, session.user.id);
    assert_eq!(call.session_owner, Some(session.user.id));
    let [event] = call.events.as_slice() else {
        panic!("expected one event, got {:?}", call.events);
    };
    assert_eq!(event.occurred_at, NOW);
    assert_eq!(
        event.event,
        DomainEvent::UserRegistered {
            user_id: session.user.id,
            email: "ann@example.com".to_owned(),
            name: "Ann Lee".to_owned(),
            locale: "en".to_owned(),
            country_code: "DE".to_owned(),
        }
    );
}

// --- login ------------------------------------------------------------------------------

#[tokio::test]
async fn login_with_an_unknown_email_fails_exactly_like_a_wrong_password() {
    let mut unknown = Mocks::new();
    unknown.not_throttled();
    unknown
        .users
        .expect_find_credentials()
        .returning(|_| Ok(None));
    unknown.hasher.expect_verify().returning(|_, _| Ok(false));
    let mut wrong = Mocks::new();
    wrong.not_throttled();
    wrong
        .users
        .expect_find_credentials()
        .returning(|_| Ok(Some((ann(), stored_hash()))));
    wrong.hasher.expect_verify().returning(|_, _| Ok(false));

    let unknown_err = unknown
        .service()
        .login(login_as_ann(STRONG_PASSWORD), CLIENT)
        .await
        .expect_err("unknown email");
    let wrong_err = wrong
        .service()
        .login(login_as_ann("not the password"), CLIENT)
        .await
        .expect_err("wrong password");

    assert!(
        matches!(unknown_err, IdentityError::InvalidCredentials),
        "{unknown_err:?}"
    );
    assert!(
        matches!(wrong_err, IdentityError::InvalidCredentials),
        "{wrong_err:?}"
    );
    assert_eq!(unknown_err.code(), wrong_err.code());
    assert_eq!(unknown_err.to_string(), wrong_err.to_string());
}

#[tokio::test]
async fn login_with_an_unknown_email_still_verifies_the_password_against_no_hash() {
    let mut mocks = Mocks::new();
    mocks.not_throttled();
    mocks
        .users
        .expect_find_credentials()
        .returning(|_| Ok(None));
    mocks
        .hasher
        .expect_verify()
        .withf(|candidate, hash| candidate == STRONG_PASSWORD && hash.is_none())
        .times(1)
        .returning(|_, _| Ok(false));

    let result = mocks
        .service()
        .login(login_as_ann(STRONG_PASSWORD), CLIENT)
        .await;

    assert!(result.is_err());
}

#[tokio::test]
async fn login_with_a_wrong_password_verifies_against_the_stored_hash() {
    let mut mocks = Mocks::new();
    mocks.not_throttled();
    mocks
        .users
        .expect_find_credentials()
        .returning(|_| Ok(Some((ann(), stored_hash()))));
    mocks
        .hasher
        .expect_verify()
        .withf(|candidate, hash| candidate == "not the password" && *hash == Some(&stored_hash()))
        .times(1)
        .returning(|_, _| Ok(false));

    let result = mocks
        .service()
        .login(login_as_ann("not the password"), CLIENT)
        .await;

    assert!(result.is_err());
}

fn rule_keys(rules: &[ThrottleRule]) -> Vec<&str> {
    rules.iter().map(|r| r.key.as_str()).collect()
}

#[tokio::test]
async fn login_counts_the_attempt_for_the_account_and_the_client_before_checking_the_password() {
    let mut mocks = Mocks::new();
    let mut order = mockall::Sequence::new();
    mocks
        .throttle
        .expect_begin_attempt()
        .withf(|rules, now| {
            rule_keys(rules) == ["account:ann@example.com", "client:203.0.113.9"] && *now == NOW
        })
        .times(1)
        .in_sequence(&mut order)
        .returning(|_, _| Ok(None));
    mocks
        .users
        .expect_find_credentials()
        .returning(|_| Ok(Some((ann(), stored_hash()))));
    mocks
        .hasher
        .expect_verify()
        .times(1)
        .in_sequence(&mut order)
        .returning(|_, _| Ok(false));

    let result = mocks
        .service()
        .login(login_as_ann("not the password"), CLIENT)
        .await;

    assert!(
        matches!(result, Err(IdentityError::InvalidCredentials)),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_failed_login_leaves_its_attempt_counted() {
    let mut mocks = Mocks::new();
    mocks.not_throttled();
    mocks
        .users
        .expect_find_credentials()
        .returning(|_| Ok(Some((ann(), stored_hash()))));
    mocks.hasher.expect_verify().returning(|_, _| Ok(false));
    mocks.throttle.expect_clear().never();
    mocks.throttle.expect_refund().never();
    mocks.sessions.expect_create_session().never();

    let result = mocks
        .service()
        .login(login_as_ann("not the password"), CLIENT)
        .await;

    assert!(result.is_err());
}

#[tokio::test]
async fn login_while_throttled_is_refused_with_the_wait_and_without_checking_the_password() {
    let mut mocks = Mocks::new();
    mocks
        .throttle
        .expect_begin_attempt()
        .returning(|_, _| Ok(Some(Duration::from_secs(90))));
    mocks.users.expect_find_credentials().never();
    mocks.hasher.expect_verify().never();
    mocks.throttle.expect_clear().never();
    mocks.throttle.expect_refund().never();

    let result = mocks
        .service()
        .login(login_as_ann(STRONG_PASSWORD), CLIENT)
        .await;

    assert!(
        matches!(result, Err(IdentityError::Throttled(wait)) if wait == Duration::from_secs(90)),
        "{result:?}"
    );
}

#[tokio::test]
async fn successful_login_clears_the_accounts_count_refunds_the_clients_attempt_and_opens_a_session()
 {
    let user = ann();
    let expected_id = user.id;
    let mut mocks = Mocks::new();
    mocks.not_throttled();
    mocks
        .users
        .expect_find_credentials()
        .returning(move |_| Ok(Some((user.clone(), stored_hash()))));
    mocks.hasher.expect_verify().returning(|_, _| Ok(true));
    mocks
        .throttle
        .expect_clear()
        .withf(|key| key == "account:ann@example.com")
        .times(1)
        .returning(|_| Ok(()));
    mocks
        .throttle
        .expect_refund()
        .withf(|keys| keys == ["client:203.0.113.9"])
        .times(1)
        .returning(|_| Ok(()));
    mocks.issue_tokens();
    mocks
        .sessions
        .expect_create_session()
        .withf(move |session| session.user_id == expected_id)
        .times(1)
        .returning(|_| Ok(()));

    let session = mocks
        .service()
        .login(login_as_ann(STRONG_PASSWORD), CLIENT)
        .await
        .expect("logged in");

    assert_eq!(session.user.id, expected_id);
}

#[tokio::test]
async fn login_while_the_hasher_is_busy_is_busy_and_gives_the_attempt_back() {
    let mut mocks = Mocks::new();
    mocks.not_throttled();
    mocks
        .users
        .expect_find_credentials()
        .returning(|_| Ok(Some((ann(), stored_hash()))));
    mocks
        .hasher
        .expect_verify()
        .returning(|_, _| Err(HashError::Busy));
    mocks
        .throttle
        .expect_refund()
        .withf(|keys| keys == ["account:ann@example.com", "client:203.0.113.9"])
        .times(1)
        .returning(|_| Ok(()));
    mocks.throttle.expect_clear().never();

    let err = mocks
        .service()
        .login(login_as_ann(STRONG_PASSWORD), CLIENT)
        .await
        .expect_err("busy");

    assert!(matches!(err, IdentityError::Busy), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.retry_after().is_some());
}

// --- authenticate and refresh -----------------------------------------------------------

#[tokio::test]
async fn authenticate_returns_the_principal_of_the_tokens_live_session() {
    let user = ann();
    let principal = principal_of(&user);
    let claims = claims_for(user.id, principal.session_id);
    let answer = principal.clone();
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_verify_access()
        .returning(move |_, _| Ok(claims));
    mocks
        .sessions
        .expect_principal()
        .returning(move |_, _| Ok(Some(answer.clone())));

    let authenticated = mocks
        .service()
        .authenticate("access-token")
        .await
        .expect("authenticated");

    assert_eq!(authenticated, principal);
}

/// Mocks in which `principal`'s token verifies and its session is read from the store at
/// most `reads` times (live `live_reads` times, then ended).
fn session_mocks(principal: &Principal, reads: usize, live_reads: usize) -> Mocks {
    let claims = claims_for(principal.user_id, principal.session_id);
    let answer = principal.clone();
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_verify_access()
        .returning(move |_, _| Ok(claims));
    let mut read = 0;
    mocks
        .sessions
        .expect_principal()
        .times(reads)
        .returning(move |_, _| {
            read += 1;
            Ok((read <= live_reads).then(|| answer.clone()))
        });
    mocks
}

#[tokio::test]
async fn a_session_checked_once_is_not_read_again_while_changes_are_heard() {
    let principal = principal_of(&ann());
    let service = session_mocks(&principal, 1, 1).service();
    service.session_cache().hearing(true);

    for _ in 0..3 {
        assert_eq!(
            service.authenticate("access-token").await.expect("live"),
            principal
        );
    }
}

#[tokio::test]
async fn every_request_reads_its_session_while_changes_are_not_heard() {
    let principal = principal_of(&ann());
    let service = session_mocks(&principal, 2, 1).service();

    service.authenticate("access-token").await.expect("live");
    let after_logout_elsewhere = service.authenticate("access-token").await;

    assert!(
        matches!(after_logout_elsewhere, Err(IdentityError::SessionEnded)),
        "{after_logout_elsewhere:?}"
    );
}

#[tokio::test]
async fn logging_out_forgets_the_session_in_this_process_at_once() {
    let principal = principal_of(&ann());
    let mut mocks = session_mocks(&principal, 2, 1);
    mocks
        .sessions
        .expect_revoke_session()
        .returning(|_, _| Ok(()));
    let service = mocks.service();
    service.session_cache().hearing(true);
    service.authenticate("access-token").await.expect("live");

    service.logout(&principal).await.expect("logged out");
    let after = service.authenticate("access-token").await;

    assert!(
        matches!(after, Err(IdentityError::SessionEnded)),
        "{after:?}"
    );
}

#[tokio::test]
async fn authenticate_refuses_a_bad_token_as_unauthenticated() {
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_verify_access()
        .returning(|_, _| Err(TokenError::Invalid));
    mocks.sessions.expect_principal().never();

    let result = mocks.service().authenticate("forged-token").await;

    assert!(
        matches!(result, Err(IdentityError::Unauthenticated)),
        "{result:?}"
    );
}

#[tokio::test]
async fn authenticate_refuses_an_expired_token_as_token_expired() {
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_verify_access()
        .returning(|_, _| Err(TokenError::Expired));
    mocks.sessions.expect_principal().never();

    let err = mocks
        .service()
        .authenticate("stale-token")
        .await
        .expect_err("expired");

    assert!(matches!(err, IdentityError::TokenExpired), "{err:?}");
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::Unauthenticated, "auth.token_expired")
    );
}

#[tokio::test]
async fn authenticate_refuses_a_token_whose_session_has_ended() {
    let user = ann();
    let claims = claims_for(user.id, SessionId::new());
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_verify_access()
        .returning(move |_, _| Ok(claims));
    mocks
        .sessions
        .expect_principal()
        .withf(move |session, now| *session == claims.session_id && *now == NOW)
        .returning(|_, _| Ok(None));

    let result = mocks.service().authenticate("access-token").await;

    assert!(
        matches!(result, Err(IdentityError::SessionEnded)),
        "{result:?}"
    );
}

#[tokio::test]
async fn authenticate_refuses_a_token_naming_another_user_than_its_session() {
    let owner = ann();
    let session_principal = principal_of(&owner);
    let claims = claims_for(UserId::new(), session_principal.session_id);
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_verify_access()
        .returning(move |_, _| Ok(claims));
    mocks
        .sessions
        .expect_principal()
        .returning(move |_, _| Ok(Some(session_principal.clone())));

    let result = mocks.service().authenticate("forged-token").await;

    assert!(
        matches!(result, Err(IdentityError::SessionEnded)),
        "{result:?}"
    );
}

fn refresh_mocks(outcome: RefreshOutcome) -> Mocks {
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_hash_refresh()
        .returning(|_| RefreshTokenHash(vec![1]));
    mocks
        .tokens
        .expect_new_refresh()
        .returning(|| ("next".to_owned(), RefreshTokenHash(vec![2])));
    mocks
        .sessions
        .expect_rotate_refresh()
        .returning(move |_, _, _, _, _| Ok(outcome.clone()));
    mocks
}

#[tokio::test]
async fn refresh_with_a_spent_token_fails_as_reused() {
    let mocks = refresh_mocks(RefreshOutcome::Reused);

    let result = mocks.service().refresh("spent").await;

    assert!(
        matches!(result, Err(IdentityError::RefreshReused)),
        "{result:?}"
    );
}

#[tokio::test]
async fn refresh_with_a_token_spent_within_the_grace_fails_as_in_progress() {
    let mocks = refresh_mocks(RefreshOutcome::InProgress);

    let err = mocks
        .service()
        .refresh("just-spent")
        .await
        .expect_err("in progress");

    assert!(matches!(err, IdentityError::RefreshInProgress), "{err:?}");
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::Conflict, "auth.refresh_in_progress")
    );
}

#[tokio::test]
async fn refresh_lets_the_store_apply_the_policys_reuse_grace() {
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_hash_refresh()
        .returning(|_| RefreshTokenHash(vec![1]));
    mocks
        .tokens
        .expect_new_refresh()
        .returning(|| ("next".to_owned(), RefreshTokenHash(vec![2])));
    mocks
        .sessions
        .expect_rotate_refresh()
        .withf(|_, _, now, _, grace| *now == NOW && *grace == Duration::from_secs(3))
        .times(1)
        .returning(|_, _, _, _, _| Ok(RefreshOutcome::Invalid));
    let policy = IdentityPolicy {
        refresh_reuse_grace: Duration::from_secs(3),
        ..IdentityPolicy::default()
    };

    let result = mocks.service_with(policy).refresh("token").await;

    assert!(result.is_err());
}

#[tokio::test]
async fn logout_with_a_refresh_token_revokes_the_session_that_issued_it() {
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_hash_refresh()
        .withf(|token| token == "refresh-token")
        .returning(|_| RefreshTokenHash(vec![7]));
    mocks
        .sessions
        .expect_revoke_session_by_refresh()
        .withf(|hash, now| *hash == RefreshTokenHash(vec![7]) && *now == NOW)
        .times(1)
        .returning(|_, _| Ok(true));

    let result = mocks.service().logout_with_refresh("refresh-token").await;

    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn logout_with_a_refresh_token_no_session_issued_fails_as_invalid() {
    let mut mocks = Mocks::new();
    mocks
        .tokens
        .expect_hash_refresh()
        .returning(|_| RefreshTokenHash(vec![7]));
    mocks
        .sessions
        .expect_revoke_session_by_refresh()
        .returning(|_, _| Ok(false));

    let result = mocks.service().logout_with_refresh("made-up").await;

    assert!(
        matches!(result, Err(IdentityError::RefreshInvalid)),
        "{result:?}"
    );
}

#[tokio::test]
async fn refresh_with_an_unknown_token_fails_as_invalid() {
    let mocks = refresh_mocks(RefreshOutcome::Invalid);

    let result = mocks.service().refresh("unknown").await;

    assert!(
        matches!(result, Err(IdentityError::RefreshInvalid)),
        "{result:?}"
    );
}

// --- account ----------------------------------------------------------------------------

const NEW_PASSWORD: &str = "a brand new passphrase here";

fn change_from(current: &str) -> ChangePasswordRequest {
    ChangePasswordRequest {
        current_password: current.to_owned(),
        new_password: NEW_PASSWORD.to_owned(),
    }
}

/// Mocks for a password change by `user`; the test sets what `verify` answers.
fn password_change_mocks(user: &User) -> Mocks {
    let mut mocks = Mocks::new();
    let found = user.clone();
    mocks
        .users
        .expect_get_user()
        .returning(move |_| Ok(Some(found.clone())));
    mocks
        .users
        .expect_password_hash()
        .returning(|_| Ok(Some(stored_hash())));
    mocks
}

#[tokio::test]
async fn change_password_with_a_wrong_current_password_is_a_field_error_and_neither_hashes_nor_stores()
 {
    let user = ann();
    let principal = principal_of(&user);
    let mut mocks = password_change_mocks(&user);
    mocks.not_throttled();
    mocks.hasher.expect_verify().returning(|_, _| Ok(false));
    mocks.hasher.expect_hash().never();
    mocks.users.expect_change_password().never();
    mocks.throttle.expect_clear().never();

    let err = mocks
        .service()
        .change_password(&principal, change_from("not the password"))
        .await
        .expect_err("wrong current password");

    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::Validation, "validation.failed")
    );
    assert_eq!(
        err.field_errors(),
        [FieldError::new("currentPassword", "is incorrect")]
    );
}

#[tokio::test]
async fn change_password_counts_an_attempt_for_the_user_before_checking_the_current_password() {
    let user = ann();
    let principal = principal_of(&user);
    let expected_key = format!("password:{}", user.id);
    let mut mocks = password_change_mocks(&user);
    let mut order = mockall::Sequence::new();
    mocks
        .throttle
        .expect_begin_attempt()
        .withf(move |rules, now| {
            rule_keys(rules) == [expected_key.as_str()] && rules[0].limit == 5 && *now == NOW
        })
        .times(1)
        .in_sequence(&mut order)
        .returning(|_, _| Ok(None));
    mocks
        .hasher
        .expect_verify()
        .times(1)
        .in_sequence(&mut order)
        .returning(|_, _| Ok(false));

    let result = mocks
        .service()
        .change_password(&principal, change_from("not the password"))
        .await;

    assert!(result.is_err());
}

#[tokio::test]
async fn change_password_while_throttled_is_refused_without_checking_the_current_password() {
    let user = ann();
    let principal = principal_of(&user);
    let mut mocks = Mocks::new();
    let found = user.clone();
    mocks
        .users
        .expect_get_user()
        .returning(move |_| Ok(Some(found.clone())));
    mocks
        .throttle
        .expect_begin_attempt()
        .returning(|_, _| Ok(Some(Duration::from_secs(60))));
    mocks.hasher.expect_verify().never();
    mocks.hasher.expect_hash().never();
    mocks.users.expect_change_password().never();

    let result = mocks
        .service()
        .change_password(&principal, change_from(STRONG_PASSWORD))
        .await;

    assert!(
        matches!(result, Err(IdentityError::Throttled(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn change_password_to_a_weak_password_neither_counts_an_attempt_nor_checks_the_current_one() {
    let user = ann();
    let principal = principal_of(&user);
    let mut mocks = Mocks::new();
    let found = user.clone();
    mocks
        .users
        .expect_get_user()
        .returning(move |_| Ok(Some(found.clone())));
    mocks.throttle.expect_begin_attempt().never();
    mocks.hasher.expect_verify().never();
    let request = ChangePasswordRequest {
        current_password: STRONG_PASSWORD.to_owned(),
        new_password: "password123".to_owned(),
    };

    let err = mocks
        .service()
        .change_password(&principal, request)
        .await
        .expect_err("weak");

    assert_eq!(field_names(&err), ["newPassword"]);
}

#[tokio::test]
async fn a_successful_password_change_clears_the_users_count_and_stores_the_new_hash() {
    let user = ann();
    let principal = principal_of(&user);
    let expected_key = format!("password:{}", user.id);
    let session = principal.session_id;
    let mut mocks = password_change_mocks(&user);
    mocks.not_throttled();
    mocks.hasher.expect_verify().returning(|_, _| Ok(true));
    mocks
        .throttle
        .expect_clear()
        .withf(move |key| key == expected_key)
        .times(1)
        .returning(|_| Ok(()));
    mocks
        .hasher
        .expect_hash()
        .returning(|_| Ok(PasswordHash("$argon2id$new".to_owned())));
    mocks
        .users
        .expect_change_password()
        .withf(move |_, hash, keep, now| {
            hash.0 == "$argon2id$new" && *keep == session && *now == NOW
        })
        .times(1)
        .returning(|_, _, _, _| Ok(()));

    let result = mocks
        .service()
        .change_password(&principal, change_from(STRONG_PASSWORD))
        .await;

    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn set_location_refuses_coordinates_out_of_range_naming_the_axis() {
    let cases = [
        (91.0, 0.0, "lat"),
        (-91.0, 0.0, "lat"),
        (0.0, -181.0, "lng"),
        (0.0, 180.5, "lng"),
        (f64::NAN, 0.0, "lat"),
        (0.0, f64::NAN, "lng"),
    ];
    for (lat, lng, field) in cases {
        let mut mocks = Mocks::new();
        mocks.users.expect_set_location().never();
        let principal = principal_of(&ann());
        let update = LocationUpdate {
            lat,
            lng,
            accuracy_m: None,
        };

        let err = mocks
            .service()
            .set_location(&principal, update)
            .await
            .expect_err("out of range");

        assert_eq!(field_names(&err), [field], "lat {lat}, lng {lng}");
    }
}

// --- addresses --------------------------------------------------------------------------

#[tokio::test]
async fn create_address_beyond_the_limit_fails_with_address_limit() {
    let mut mocks = Mocks::new();
    mocks
        .addresses
        .expect_create_address()
        .returning(|_, _, _, _, _| Ok(AddressCreated::LimitReached));
    let principal = principal_of(&ann());

    let result = mocks.service().create_address(&principal, home()).await;

    assert!(
        matches!(result, Err(IdentityError::AddressLimit)),
        "{result:?}"
    );
}

#[tokio::test]
async fn create_address_lets_the_store_enforce_the_policys_limit() {
    let mut mocks = Mocks::new();
    mocks
        .addresses
        .expect_create_address()
        .withf(|_, _, _, limit, _| *limit == 3)
        .times(1)
        .returning(|_, _, _, _, _| Ok(AddressCreated::LimitReached));
    let principal = principal_of(&ann());
    let policy = IdentityPolicy {
        max_addresses: 3,
        ..IdentityPolicy::default()
    };

    let result = mocks
        .service_with(policy)
        .create_address(&principal, home())
        .await;

    assert!(result.is_err());
}

#[tokio::test]
async fn update_of_an_address_the_store_does_not_find_is_address_not_found() {
    let principal = principal_of(&ann());
    let owner = principal.user_id;
    let mut mocks = Mocks::new();
    mocks
        .addresses
        .expect_update_address()
        .withf(move |user, _, _, _| *user == owner)
        .returning(|_, _, _, _| Ok(None));

    let result = mocks
        .service()
        .update_address(&principal, AddressId::new(), home())
        .await;

    assert!(
        matches!(result, Err(IdentityError::AddressNotFound)),
        "{result:?}"
    );
}

#[tokio::test]
async fn delete_of_an_address_the_store_does_not_find_is_address_not_found() {
    let principal = principal_of(&ann());
    let owner = principal.user_id;
    let mut mocks = Mocks::new();
    mocks
        .addresses
        .expect_delete_address()
        .withf(move |user, _| *user == owner)
        .returning(|_, _| Ok(false));

    let result = mocks
        .service()
        .delete_address(&principal, AddressId::new())
        .await;

    assert!(
        matches!(result, Err(IdentityError::AddressNotFound)),
        "{result:?}"
    );
}

// --- error vocabulary -------------------------------------------------------------------

#[test]
fn identity_errors_have_stable_codes_and_kinds() {
    let cases = [
        (
            IdentityError::EmailTaken,
            ErrorKind::Conflict,
            "auth.email_taken",
        ),
        (
            IdentityError::InvalidCredentials,
            ErrorKind::Unauthenticated,
            "auth.invalid_credentials",
        ),
        (
            IdentityError::Throttled(Duration::from_secs(1)),
            ErrorKind::TooManyRequests,
            "auth.too_many_attempts",
        ),
        (
            IdentityError::SessionEnded,
            ErrorKind::Unauthenticated,
            "auth.session_ended",
        ),
        (
            IdentityError::RefreshReused,
            ErrorKind::Unauthenticated,
            "auth.refresh_token_reused",
        ),
        (
            IdentityError::TokenExpired,
            ErrorKind::Unauthenticated,
            "auth.token_expired",
        ),
        (
            IdentityError::RefreshInProgress,
            ErrorKind::Conflict,
            "auth.refresh_in_progress",
        ),
        (IdentityError::Busy, ErrorKind::Unavailable, "auth.busy"),
        (
            IdentityError::from(HashError::Failed("bad phc".to_owned())),
            ErrorKind::Internal,
            "internal",
        ),
        (
            IdentityError::AddressLimit,
            ErrorKind::Conflict,
            "addresses.limit_reached",
        ),
        (
            IdentityError::AddressNotFound,
            ErrorKind::NotFound,
            "addresses.not_found",
        ),
        (
            IdentityError::Store(StoreError::Backend("connection reset".to_owned())),
            ErrorKind::Internal,
            "internal",
        ),
    ];
    for (err, kind, code) in cases {
        assert_eq!((err.kind(), err.code()), (kind, code), "{err:?}");
    }
}

#[test]
fn throttled_tells_the_caller_when_to_retry() {
    let err = IdentityError::Throttled(Duration::from_secs(42));

    assert_eq!(err.retry_after(), Some(Duration::from_secs(42)));
    assert_eq!(IdentityError::InvalidCredentials.retry_after(), None);
}

#[test]
fn invalid_carries_its_field_errors() {
    let mut errors = ValidationErrors::default();
    errors.add("email", "must be an email address");
    let err = IdentityError::from(errors);

    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.code(), "validation.failed");
    assert_eq!(field_names(&err), ["email"]);
}

// --- secrets stay out of logs -----------------------------------------------------------

#[test]
fn debug_output_never_shows_passwords_or_tokens() {
    const SECRET: &str = "s3cret-value-that-must-not-leak";
    let session = AuthSession {
        user: ann(),
        access_token: SECRET.to_owned(),
        refresh_token: SECRET.to_owned(),
        expires_at: NOW,
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "RegisterRequest",
            format!(
                "{:?}",
                RegisterRequest {
                    password: SECRET.to_owned(),
                    ..registration()
                }
            ),
        ),
        ("LoginRequest", format!("{:?}", login_as_ann(SECRET))),
        (
            "RefreshRequest",
            format!(
                "{:?}",
                RefreshRequest {
                    refresh_token: Some(SECRET.to_owned()),
                }
            ),
        ),
        (
            "LogoutRequest",
            format!(
                "{:?}",
                LogoutRequest {
                    refresh_token: Some(SECRET.to_owned()),
                }
            ),
        ),
        (
            "ChangePasswordRequest",
            format!(
                "{:?}",
                ChangePasswordRequest {
                    current_password: SECRET.to_owned(),
                    new_password: SECRET.to_owned(),
                }
            ),
        ),
        ("AuthSession", format!("{session:?}")),
        (
            "StaffAccount",
            format!(
                "{:?}",
                StaffAccount {
                    email: "ops@example.com".to_owned(),
                    password: SECRET.to_owned(),
                    name: "Ops".to_owned(),
                    role: Role::Admin,
                    country_code: "US".to_owned(),
                }
            ),
        ),
    ];
    for (name, debug) in cases {
        assert!(!debug.contains(SECRET), "{name}: {debug}");
        assert!(debug.starts_with(name), "{name}: {debug}");
    }
    assert!(
        format!("{session:?}").contains("ann@example.com"),
        "non-secret fields stay visible"
    );
}
