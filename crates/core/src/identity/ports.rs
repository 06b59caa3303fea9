//! The ports identity's use cases run behind: storage, password hashing, tokens and the
//! login throttle.

use std::time::Duration;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::error::StoreError;
use crate::events::OutboxEvent;
use crate::ids::{AddressId, SessionId, UserId};
use crate::principal::Principal;

use super::email::Email;
use super::model::{
    Address, AddressFields, NewUser, Preferences, Profile, Session, User, UserLocation,
};
use super::password::{Password, PasswordHash};

/// The name of the unique constraint on users' emails, which adapters report in
/// [`StoreError::UniqueViolation`].
pub const USERS_EMAIL_KEY: &str = "users_email_key";

/// A session to open, with the hash of its first refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// Fresh id.
    pub id: SessionId,
    /// Owner.
    pub user_id: UserId,
    /// Hash of the first refresh token.
    pub refresh_hash: RefreshTokenHash,
    /// Start.
    pub created_at: OffsetDateTime,
    /// End unless refreshed.
    pub expires_at: OffsetDateTime,
}

/// Everything a new account starts with, written together.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAccount {
    /// The user.
    pub user: NewUser,
    /// Their password hash.
    pub password: PasswordHash,
    /// Their starting preferences.
    pub preferences: Preferences,
    /// The first session; `None` for accounts an operator creates.
    pub session: Option<NewSession>,
    /// Events to record with the account (`UserRegistered`).
    pub events: Vec<OutboxEvent>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// The stored digest of a refresh token; the token itself is never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshTokenHash(pub Vec<u8>);

impl std::fmt::Debug for RefreshTokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshTokenHash(***)")
    }
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "a short-lived return value, moved once; boxing would only add an allocation"
)]
pub enum RefreshOutcome {
    /// The token was live: it is now spent, the successor stored, the session extended.
    Rotated {
        /// The session, with its new expiry.
        session: Session,
        /// Its user.
        user: User,
    },
    /// The token was already spent: the whole session has been revoked.
    Reused,
    /// No live session has this token (unknown, expired or revoked).
    Invalid,
}

/// Users, their profiles, preferences and location.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Creates the account — user, password hash, preferences, first session if any — and
    /// records its events, all in one transaction.
    ///
    /// # Errors
    /// [`StoreError::UniqueViolation`] with [`USERS_EMAIL_KEY`] when the email is taken.
    async fn create_user(&self, account: &NewAccount) -> Result<User, StoreError>;

    /// The user with `email` and their password hash.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn find_credentials(
        &self,
        email: &Email,
    ) -> Result<Option<(User, PasswordHash)>, StoreError>;

    /// The user's password hash.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn password_hash(&self, user: UserId) -> Result<Option<PasswordHash>, StoreError>;

    /// One user.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn get_user(&self, user: UserId) -> Result<Option<User>, StoreError>;

    /// Replaces the editable profile fields; `None` when the user does not exist.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn update_profile(
        &self,
        user: UserId,
        profile: &Profile,
    ) -> Result<Option<User>, StoreError>;

    /// Stores a new password hash and revokes every session of the user but `keep`, in one
    /// transaction.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn change_password(
        &self,
        user: UserId,
        password: &PasswordHash,
        keep: SessionId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Records the user's current position.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn set_location(&self, user: UserId, location: &UserLocation) -> Result<(), StoreError>;

    /// The user's preferences.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn preferences(&self, user: UserId) -> Result<Option<Preferences>, StoreError>;

    /// Replaces the user's preferences.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn put_preferences(
        &self,
        user: UserId,
        preferences: &Preferences,
    ) -> Result<(), StoreError>;
}

/// Login sessions and their refresh tokens.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Opens a session (login).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError>;

    /// The principal of a live session: not revoked, not expired at `now`. Loads roles and
    /// merchant memberships fresh, so a change applies to the next request.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn principal(
        &self,
        session: SessionId,
        now: OffsetDateTime,
    ) -> Result<Option<Principal>, StoreError>;

    /// One session, live or not.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn session(&self, session: SessionId) -> Result<Option<Session>, StoreError>;

    /// Spends the refresh token whose hash is `presented` and stores `next` in its place,
    /// extending the session to `expires_at`. A token already spent revokes the session.
    /// Atomic: two concurrent presentations of one token cannot both rotate.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn rotate_refresh(
        &self,
        presented: &RefreshTokenHash,
        next: &RefreshTokenHash,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<RefreshOutcome, StoreError>;

    /// Revokes a session; its access and refresh tokens stop working.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn revoke_session(
        &self,
        session: SessionId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;
}

/// Outcome of saving a new address.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "a short-lived return value, moved once; boxing would only add an allocation"
)]
pub enum AddressCreated {
    /// Saved.
    Saved(Address),
    /// The user already has the maximum number of addresses.
    LimitReached,
}

/// Saved delivery addresses. Every method is scoped to the owner: another user's address
/// behaves as if it did not exist.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait AddressStore: Send + Sync {
    /// The owner's addresses, default first, then newest first.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn list_addresses(&self, owner: UserId) -> Result<Vec<Address>, StoreError>;

    /// Saves an address unless the owner has `limit` already. The first address, or one
    /// flagged default, becomes the only default.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn create_address(
        &self,
        owner: UserId,
        id: AddressId,
        fields: &AddressFields,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<AddressCreated, StoreError>;

    /// Replaces an address; `None` if the owner has no such address. Unsetting the default
    /// flag of the default address keeps it default (one must be).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn update_address(
        &self,
        owner: UserId,
        id: AddressId,
        fields: &AddressFields,
        now: OffsetDateTime,
    ) -> Result<Option<Address>, StoreError>;

    /// Deletes an address; `false` if the owner has no such address. Deleting the default
    /// makes the most recently saved remaining address default.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn delete_address(&self, owner: UserId, id: AddressId) -> Result<bool, StoreError>;
}

/// A counter of failed logins for one key (an account or a client address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleRule {
    /// What is counted, e.g. `account:ann@example.com` or `ip:203.0.113.9`.
    pub key: String,
    /// Failures allowed within `window`.
    pub limit: u32,
    /// The counting window.
    pub window: Duration,
}

/// Counts failed logins so repeated guessing is refused, across every server process.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait LoginThrottle: Send + Sync {
    /// How long the longest-blocked of `rules` stays blocked at `now`, or `None`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn blocked_for(
        &self,
        rules: &[ThrottleRule],
        now: OffsetDateTime,
    ) -> Result<Option<Duration>, StoreError>;

    /// Counts one failure against each rule's key.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn record_failure(
        &self,
        rules: &[ThrottleRule],
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Forgets the failures of `key` (after a successful login).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn clear(&self, key: &str) -> Result<(), StoreError>;
}

/// Why hashing or verifying a password failed.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(pub String);

/// Hashes and verifies passwords (argon2id in the server), off the async runtime.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// Hashes a new password with a fresh salt.
    ///
    /// # Errors
    /// [`HashError`] when the hasher fails.
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError>;

    /// Whether `candidate` matches `hash`. With no hash (unknown account) it still spends
    /// the same work and answers `false`, so timing does not reveal which emails exist.
    ///
    /// # Errors
    /// [`HashError`] when the stored hash is unreadable or the hasher fails.
    // The lifetimes are named because mockall cannot mock an elided reference inside
    // `Option`; naming all three, in parameter order, keeps the elided signature valid in
    // implementations.
    async fn verify<'s, 'c, 'h>(
        &'s self,
        candidate: &'c str,
        hash: Option<&'h PasswordHash>,
    ) -> Result<bool, HashError>;
}

/// Claims of an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessClaims {
    /// The user.
    pub user_id: UserId,
    /// The session it belongs to.
    pub session_id: SessionId,
    /// Issued at.
    pub issued_at: OffsetDateTime,
    /// Expiry.
    pub expires_at: OffsetDateTime,
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Malformed, wrongly signed, or of another issuer.
    #[error("token is invalid")]
    Invalid,
    /// Past its expiry.
    #[error("token has expired")]
    Expired,
}

/// Issues and checks access tokens, and makes refresh tokens.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
pub trait SessionTokens: Send + Sync {
    /// Signs an access token carrying `claims`.
    fn issue_access(&self, claims: &AccessClaims) -> String;

    /// Checks an access token's signature and expiry at `now`.
    ///
    /// # Errors
    /// [`TokenError`] when it is not a valid, current token of ours.
    fn verify_access(&self, token: &str, now: OffsetDateTime) -> Result<AccessClaims, TokenError>;

    /// A new random refresh token and its hash.
    fn new_refresh(&self) -> (String, RefreshTokenHash);

    /// The hash under which a presented refresh token would be stored.
    fn hash_refresh(&self, token: &str) -> RefreshTokenHash;
}
