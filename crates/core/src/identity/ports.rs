//! The ports identity's use cases run behind: storage, password hashing, tokens and the
//! login throttle.

use std::time::Duration;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::error::StoreError;
use crate::events::OutboxEvent;
use crate::ids::{AddressId, MerchantId, SessionId, UserId};
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
    /// The token was spent moments ago (within the reuse grace): most likely a second tab
    /// or a retried request racing the refresh that spent it. Nothing was changed and no
    /// token issued; the session stays live.
    InProgress,
    /// The token was spent longer ago than the reuse grace: the whole session has been
    /// revoked.
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
    /// extending the session to `expires_at`. A token already spent is
    /// [`RefreshOutcome::InProgress`] when it was spent less than `reuse_grace` before `now`
    /// (nothing changes), and otherwise revokes the session ([`RefreshOutcome::Reused`]).
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
        reuse_grace: Duration,
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

    /// Revokes the session that issued the refresh token whose hash is `presented`, spent or
    /// not (logout by a client whose access token has expired). `false` when no session ever
    /// issued it; a session that had already ended counts as found and stays ended.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn revoke_session_by_refresh(
        &self,
        presented: &RefreshTokenHash,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
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

/// A budget of attempts at guessing a secret, for one key (an account, a client address, a
/// user changing their password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleRule {
    /// What is counted, e.g. `account:ann@example.com`, `client:203.0.113.9` or
    /// `password:<user id>`.
    pub key: String,
    /// Attempts allowed within `window`; the next one is refused until the window ends.
    pub limit: u32,
    /// The counting window, starting at the first attempt.
    pub window: Duration,
}

/// Counts attempts at guessing a secret (logins, password changes) so repeated guessing is
/// refused, across every server process.
///
/// An attempt is counted *before* the secret is checked, atomically with the decision, so a
/// burst of parallel attempts cannot all pass a check made before any of them was counted.
/// What a success does to the count is the caller's choice: [`LoginThrottle::clear`] when
/// the success proves the secret of that key, [`LoginThrottle::refund`] when it should only
/// not use up the key's budget.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait LoginThrottle: Send + Sync {
    /// Counts one attempt against each rule's key — restarting a key whose window has
    /// ended — and answers how long the longest-blocked key stays blocked when any key is
    /// now over its limit (`None`: the attempt may proceed).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn begin_attempt(
        &self,
        rules: &[ThrottleRule],
        now: OffsetDateTime,
    ) -> Result<Option<Duration>, StoreError>;

    /// Forgets every attempt counted against `key` (its secret was just proven).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn clear(&self, key: &str) -> Result<(), StoreError>;

    /// Takes back one attempt counted against each of `keys`: a success that must not use up
    /// the budget, or an attempt that could not be judged (the hasher was busy).
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn refund(&self, keys: &[String]) -> Result<(), StoreError>;
}

/// Why hashing or verifying a password failed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every hashing slot stayed taken for longer than the hasher is willing to wait; nothing
    /// was hashed. The caller should retry shortly.
    #[error("password hashing is saturated")]
    Busy,
    /// The hasher failed (unreadable stored hash, internal error). For logs only.
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// Hashes and verifies passwords (argon2id in the server), off the async runtime.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// Hashes a new password with a fresh salt.
    ///
    /// # Errors
    /// [`HashError::Busy`] when no hashing slot frees up in time; [`HashError::Failed`] when
    /// the hasher fails.
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError>;

    /// Whether `candidate` matches `hash`. With no hash (unknown account) it still spends
    /// the same work and answers `false`, so timing does not reveal which emails exist.
    ///
    /// # Errors
    /// [`HashError::Busy`] when no hashing slot frees up in time; [`HashError::Failed`] when
    /// the stored hash is unreadable or the hasher fails.
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

/// Merchant staff memberships (identity owns them; the catalog's admin use cases assign
/// them).
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait]
pub trait StaffDirectory: Send + Sync {
    /// Makes `user` staff of `merchant` (granting the `merchant_staff` role); `false` when
    /// the user does not exist.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn add_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError>;

    /// Ends `user`'s membership of `merchant`; `false` when there was none.
    ///
    /// # Errors
    /// [`StoreError::Backend`] on failure.
    async fn remove_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError>;
}
