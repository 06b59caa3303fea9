//! Identity's use cases: registration, login, sessions, profile, preferences, location and
//! saved addresses. Each receives the acting [`Principal`] where there is one and decides
//! authorization itself.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use crate::clock::Clock;
use crate::error::{StoreError, ValidationErrors};
use crate::events::{DomainEvent, OutboxEvent};
use crate::geo::{CountryCode, CountryDirectory, LatLng, PointLocator};
use crate::ids::{AddressId, SessionId, UserId};
use crate::principal::{Principal, Role};

use super::email::Email;
use super::error::IdentityError;
use super::model::{
    Address, AddressFields, AddressInput, AuthSession, ChangePasswordRequest, LocationUpdate,
    LoginRequest, NewUser, Preferences, Profile, ProfileUpdate, REDACTED, RegisterRequest,
    SessionInfo, User, UserLocation,
};
use super::password::{Password, PasswordHash};
use super::ports::{
    AccessClaims, AddressCreated, AddressStore, LoginThrottle, NewAccount, NewSession,
    PasswordHasher, RefreshOutcome, SessionStore, SessionTokens, ThrottleRule, USERS_EMAIL_KEY,
    UserStore,
};
use super::session_cache::SessionCache;
use crate::fields::{self, Locale, PhoneNumber};

/// Tunables of identity: token lifetimes, login throttling, limits.
#[derive(Debug, Clone)]
pub struct IdentityPolicy {
    /// Lifetime of an access token.
    pub access_ttl: Duration,
    /// Lifetime of a session since its last refresh.
    pub session_ttl: Duration,
    /// How long after a refresh token was spent presenting it again counts as a concurrent
    /// refresh (two tabs, a retried request whose response was lost) and answers
    /// `RefreshInProgress`, rather than as theft that revokes the session.
    pub refresh_reuse_grace: Duration,
    /// Failed logins allowed per account within `login_window`. A successful login clears
    /// the account's count.
    pub login_failures_per_account: u32,
    /// Failed logins allowed per client address within `login_window`. A successful login
    /// does not use up this budget, but does not restore failures either.
    pub login_failures_per_client: u32,
    /// Wrong current passwords allowed per user within `login_window` when changing the
    /// password.
    pub password_attempts_per_user: u32,
    /// The counting window of the limits above.
    pub login_window: Duration,
    /// Saved addresses per user.
    pub max_addresses: u32,
}

impl Default for IdentityPolicy {
    fn default() -> Self {
        Self {
            access_ttl: Duration::from_secs(15 * 60),
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            refresh_reuse_grace: Duration::from_secs(10),
            login_failures_per_account: 5,
            login_failures_per_client: 50,
            password_attempts_per_user: 5,
            login_window: Duration::from_secs(15 * 60),
            max_addresses: 20,
        }
    }
}

/// The ports identity needs.
#[derive(Clone)]
pub struct IdentityPorts {
    /// Users.
    pub users: Arc<dyn UserStore>,
    /// Sessions.
    pub sessions: Arc<dyn SessionStore>,
    /// Addresses.
    pub addresses: Arc<dyn AddressStore>,
    /// Failed-login counters.
    pub throttle: Arc<dyn LoginThrottle>,
    /// Password hashing.
    pub hasher: Arc<dyn PasswordHasher>,
    /// Token signing.
    pub tokens: Arc<dyn SessionTokens>,
    /// Served countries.
    pub countries: Arc<dyn CountryDirectory>,
    /// Which city serves a point.
    pub locator: Arc<dyn PointLocator>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

/// Identity's use cases.
#[derive(Clone)]
pub struct IdentityService {
    ports: IdentityPorts,
    policy: IdentityPolicy,
    sessions: Arc<SessionCache>,
}

type Result<T, E = IdentityError> = std::result::Result<T, E>;

/// A user to create from the operator's command line (not self-registration). Its `Debug`
/// hides the password.
#[derive(Clone)]
pub struct StaffAccount {
    /// Email.
    pub email: String,
    /// Password, policy-checked.
    pub password: String,
    /// Display name.
    pub name: String,
    /// Role granted.
    pub role: Role,
    /// Home country.
    pub country_code: String,
}

impl std::fmt::Debug for StaffAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffAccount")
            .field("email", &self.email)
            .field("password", &REDACTED)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("country_code", &self.country_code)
            .finish()
    }
}

impl IdentityService {
    /// Builds the service.
    #[must_use]
    pub fn new(ports: IdentityPorts, policy: IdentityPolicy) -> Self {
        Self {
            ports,
            policy,
            sessions: Arc::new(SessionCache::default()),
        }
    }

    /// The service checking sessions through `cache` (shared with whatever else forgets
    /// sessions in this process) instead of a cache of its own.
    #[must_use]
    pub fn with_session_cache(self, cache: Arc<SessionCache>) -> Self {
        Self {
            sessions: cache,
            ..self
        }
    }

    /// The cache of checked sessions, for the task that tells it of changes.
    #[must_use]
    pub fn session_cache(&self) -> &Arc<SessionCache> {
        &self.sessions
    }

    /// The policy in force (cookie lifetimes follow it).
    #[must_use]
    pub fn policy(&self) -> &IdentityPolicy {
        &self.policy
    }

    /// Creates a customer account and logs it in. Writes `UserRegistered` in the same
    /// transaction.
    ///
    /// # Errors
    /// `Invalid` with every bad field; `EmailTaken`.
    pub async fn register(&self, request: RegisterRequest) -> Result<AuthSession> {
        let mut errors = ValidationErrors::default();
        let email = errors.check("email", Email::parse(&request.email));
        let name = errors.check("name", fields::text(&request.name, 1, 100));
        let phone = errors.check(
            "phone",
            fields::phone(request.phone.as_deref()).map(|p| p.map(PhoneNumber::into_string)),
        );
        let locale = errors.check(
            "locale",
            Locale::parse(request.locale.as_deref().unwrap_or("en")).map(Locale::into_string),
        );
        let country = self
            .served_country(&mut errors, "countryCode", &request.country_code)
            .await?;
        let inputs: Vec<&str> = [request.email.as_str(), request.name.as_str()]
            .into_iter()
            .collect();
        let password = errors.check("password", Password::parse(&request.password, &inputs));
        let (Some(email), Some(name), Some(phone), Some(locale), Some(country), Some(password)) =
            (email, name, phone, locale, country, password)
        else {
            return Err(errors.into());
        };
        let user = NewUser {
            id: UserId::new(),
            email,
            name,
            phone,
            country_code: country,
            locale,
            roles: vec![Role::Customer],
        };
        let now = self.ports.clock.now();
        let (session, refresh) = self.new_session(user.id, now);
        let session_id = session.id;
        let created = self
            .create_account(user, &password, Some(session), now)
            .await?;
        Ok(self.auth_session(created, session_id, refresh, now))
    }

    /// Creates an account for an operator-chosen role, without a session. For the CLI.
    ///
    /// # Errors
    /// `Invalid`, `EmailTaken`.
    pub async fn create_staff_account(&self, account: StaffAccount) -> Result<User> {
        let mut errors = ValidationErrors::default();
        let email = errors.check("email", Email::parse(&account.email));
        let name = errors.check("name", fields::text(&account.name, 1, 100));
        let country = errors.check("countryCode", CountryCode::parse(&account.country_code));
        let password = errors.check(
            "password",
            Password::parse(&account.password, &[account.email.as_str()]),
        );
        let (Some(email), Some(name), Some(country), Some(password)) =
            (email, name, country, password)
        else {
            return Err(errors.into());
        };
        let user = NewUser {
            id: UserId::new(),
            email,
            name,
            phone: None,
            country_code: country,
            locale: "en".to_owned(),
            roles: vec![account.role],
        };
        let now = self.ports.clock.now();
        self.create_account(user, &password, None, now).await
    }

    /// Hashes the password and stores the account with its `UserRegistered` event.
    async fn create_account(
        &self,
        user: NewUser,
        password: &Password,
        session: Option<NewSession>,
        now: OffsetDateTime,
    ) -> Result<User> {
        let hash = self.ports.hasher.hash(password).await?;
        let event = OutboxEvent::new(
            DomainEvent::UserRegistered {
                user_id: user.id,
                email: user.email.to_string(),
                name: user.name.clone(),
                locale: user.locale.clone(),
                country_code: user.country_code.to_string(),
            },
            now,
        );
        let account = NewAccount {
            preferences: Preferences::defaults_for(&user.locale),
            user,
            password: hash,
            session,
            events: vec![event],
            created_at: now,
        };
        self.ports
            .users
            .create_user(&account)
            .await
            .map_err(|err| match err {
                StoreError::UniqueViolation(constraint) if constraint == USERS_EMAIL_KEY => {
                    IdentityError::EmailTaken
                }
                other => other.into(),
            })
    }

    /// Logs in with email and password. Unknown emails and wrong passwords fail identically
    /// and equally slowly; repeated failures per account or per client are throttled.
    ///
    /// The attempt is counted before the password is checked, so parallel guesses cannot
    /// all slip past the limit. A success proves the account's password and clears its
    /// count; for the client it only takes this attempt back, so an attacker cannot reset
    /// their budget by logging in to an account of their own between guesses.
    ///
    /// # Errors
    /// `InvalidCredentials`, `Throttled`; `Busy` when the password hasher is saturated.
    pub async fn login(&self, request: LoginRequest, client: &str) -> Result<AuthSession> {
        let now = self.ports.clock.now();
        let account_key = format!("account:{}", request.email.trim().to_lowercase());
        let client_key = format!("client:{client}");
        let rules = [
            ThrottleRule {
                key: account_key.clone(),
                limit: self.policy.login_failures_per_account,
                window: self.policy.login_window,
            },
            ThrottleRule {
                key: client_key.clone(),
                limit: self.policy.login_failures_per_client,
                window: self.policy.login_window,
            },
        ];
        self.begin_attempt(&rules, now).await?;
        let credentials = match Email::parse(&request.email) {
            Ok(email) => self.ports.users.find_credentials(&email).await?,
            Err(_) => None,
        };
        let (user, hash) = match credentials {
            Some((user, hash)) => (Some(user), Some(hash)),
            None => (None, None),
        };
        let matches = self
            .verify_counted(&rules, &request.password, hash.as_ref())
            .await?;
        let Some(user) = user.filter(|_| matches) else {
            return Err(IdentityError::InvalidCredentials);
        };
        self.ports.throttle.clear(&account_key).await?;
        self.ports
            .throttle
            .refund(std::slice::from_ref(&client_key))
            .await?;
        let (session, refresh) = self.new_session(user.id, now);
        self.ports.sessions.create_session(&session).await?;
        Ok(self.auth_session(user, session.id, refresh, now))
    }

    /// Counts an attempt against `rules`, refusing it when a key is over its limit.
    async fn begin_attempt(&self, rules: &[ThrottleRule], now: OffsetDateTime) -> Result<()> {
        match self.ports.throttle.begin_attempt(rules, now).await? {
            Some(wait) => Err(IdentityError::Throttled(wait)),
            None => Ok(()),
        }
    }

    /// Checks a password whose attempt `rules` have counted. When the hasher cannot judge it
    /// (busy, failing) the attempt is taken back: it guessed nothing.
    async fn verify_counted(
        &self,
        rules: &[ThrottleRule],
        candidate: &str,
        hash: Option<&PasswordHash>,
    ) -> Result<bool> {
        match self.ports.hasher.verify(candidate, hash).await {
            Ok(matches) => Ok(matches),
            Err(err) => {
                let keys: Vec<String> = rules.iter().map(|rule| rule.key.clone()).collect();
                // The hasher's error is the one to report; a failed refund only leaves the
                // count one too high until the window ends.
                let _ = self.ports.throttle.refund(&keys).await;
                Err(err.into())
            }
        }
    }

    /// Establishes the principal behind an access token: valid signature, not expired, and
    /// its session still live.
    ///
    /// # Errors
    /// `Unauthenticated` for a bad token, `TokenExpired` for an expired one, `SessionEnded`
    /// for a revoked or expired session.
    pub async fn authenticate(&self, access_token: &str) -> Result<Principal> {
        let now = self.ports.clock.now();
        let claims = self.ports.tokens.verify_access(access_token, now)?;
        self.live_principal(claims.session_id, now)
            .await?
            .filter(|p| p.user_id == claims.user_id)
            .ok_or(IdentityError::SessionEnded)
    }

    /// The principal of `session` if it is live at `now`: from the session cache, or read
    /// (and cached).
    async fn live_principal(
        &self,
        session: SessionId,
        now: OffsetDateTime,
    ) -> Result<Option<Principal>> {
        if let Some(principal) = self.sessions.principal(session, now) {
            return Ok(Some(principal));
        }
        let start = self.sessions.read_start();
        let principal = self.ports.sessions.principal(session, now).await?;
        if let Some(principal) = &principal {
            self.sessions.keep(start, principal.clone(), now);
        }
        Ok(principal)
    }

    /// Whether the principal's session is still live (not logged out, revoked or expired):
    /// for long-lived responses, which authenticated once, to end with the session.
    ///
    /// # Errors
    /// Storage failures.
    pub async fn still_signed_in(&self, principal: &Principal) -> Result<bool> {
        let now = self.ports.clock.now();
        Ok(self
            .live_principal(principal.session_id, now)
            .await?
            .is_some_and(|p| p.user_id == principal.user_id))
    }

    /// The caller as they are now, if their session is still live: with the roles and staff
    /// memberships they hold now (for long-lived requests such as event streams, which must
    /// not outlive a revoked membership any more than an ended session).
    ///
    /// # Errors
    /// Storage failures.
    pub async fn current_principal(&self, principal: &Principal) -> Result<Option<Principal>> {
        let now = self.ports.clock.now();
        Ok(self
            .live_principal(principal.session_id, now)
            .await?
            .filter(|p| p.user_id == principal.user_id))
    }

    /// The caller and their session.
    ///
    /// # Errors
    /// `SessionEnded` if it ended meanwhile.
    pub async fn current_session(&self, principal: &Principal) -> Result<SessionInfo> {
        let user = self.profile(principal).await?;
        let session = self
            .ports
            .sessions
            .session(principal.session_id)
            .await?
            .ok_or(IdentityError::SessionEnded)?;
        Ok(SessionInfo { user, session })
    }

    /// Spends a refresh token for a new access token and a new refresh token. Presenting a
    /// spent token again revokes the whole session — unless it was spent less than the
    /// policy's `refresh_reuse_grace` ago, which is a concurrent refresh, not theft.
    ///
    /// # Errors
    /// `RefreshInvalid`, `RefreshInProgress`, `RefreshReused`.
    pub async fn refresh(&self, refresh_token: &str) -> Result<AuthSession> {
        let now = self.ports.clock.now();
        let presented = self.ports.tokens.hash_refresh(refresh_token);
        let (next, next_hash) = self.ports.tokens.new_refresh();
        let expires_at = now + self.policy.session_ttl;
        match self
            .ports
            .sessions
            .rotate_refresh(
                &presented,
                &next_hash,
                now,
                expires_at,
                self.policy.refresh_reuse_grace,
            )
            .await?
        {
            RefreshOutcome::Rotated { session, user } => {
                Ok(self.auth_session(user, session.id, next, now))
            }
            RefreshOutcome::InProgress => Err(IdentityError::RefreshInProgress),
            RefreshOutcome::Reused => {
                // The store revoked a session this process cannot name: forget them all.
                self.sessions.forget_all();
                Err(IdentityError::RefreshReused)
            }
            RefreshOutcome::Invalid => Err(IdentityError::RefreshInvalid),
        }
    }

    /// Ends the caller's session.
    ///
    /// # Errors
    /// Storage failures only.
    pub async fn logout(&self, principal: &Principal) -> Result<()> {
        let now = self.ports.clock.now();
        self.ports
            .sessions
            .revoke_session(principal.session_id, now)
            .await?;
        self.sessions.forget_session(principal.session_id);
        Ok(())
    }

    /// Ends the session a refresh token belongs to: logout for a client whose access token
    /// has expired. Ending an already ended session succeeds, so a retried logout does too.
    ///
    /// # Errors
    /// `RefreshInvalid` when no session ever issued the token.
    pub async fn logout_with_refresh(&self, refresh_token: &str) -> Result<()> {
        let now = self.ports.clock.now();
        let presented = self.ports.tokens.hash_refresh(refresh_token);
        if self
            .ports
            .sessions
            .revoke_session_by_refresh(&presented, now)
            .await?
        {
            // A session this process cannot name: forget them all.
            self.sessions.forget_all();
            Ok(())
        } else {
            Err(IdentityError::RefreshInvalid)
        }
    }

    /// The caller's own account.
    ///
    /// # Errors
    /// `UserNotFound` if the account vanished.
    pub async fn profile(&self, principal: &Principal) -> Result<User> {
        self.ports
            .users
            .get_user(principal.user_id)
            .await?
            .ok_or(IdentityError::UserNotFound)
    }

    /// Replaces the caller's editable profile fields.
    ///
    /// # Errors
    /// `Invalid` with every bad field.
    pub async fn update_profile(
        &self,
        principal: &Principal,
        update: ProfileUpdate,
    ) -> Result<User> {
        let mut errors = ValidationErrors::default();
        let name = errors.check("name", fields::text(&update.name, 1, 100));
        let phone = errors.check(
            "phone",
            fields::phone(update.phone.as_deref()).map(|p| p.map(PhoneNumber::into_string)),
        );
        let locale = errors.check(
            "locale",
            Locale::parse(&update.locale).map(Locale::into_string),
        );
        let country = self
            .served_country(&mut errors, "countryCode", &update.country_code)
            .await?;
        let (Some(name), Some(phone), Some(locale), Some(country_code)) =
            (name, phone, locale, country)
        else {
            return Err(errors.into());
        };
        let profile = Profile {
            name,
            phone,
            locale,
            country_code,
        };
        self.ports
            .users
            .update_profile(principal.user_id, &profile)
            .await?
            .ok_or(IdentityError::UserNotFound)
    }

    /// Changes the caller's password after checking the current one, and ends every other
    /// session of theirs. Wrong current passwords are throttled per user like logins, so a
    /// stolen session cannot be used to guess the password.
    ///
    /// # Errors
    /// `Invalid` naming `newPassword` when it breaks the policy, or `currentPassword` when it
    /// is wrong; `Throttled`; `Busy` when the password hasher is saturated.
    pub async fn change_password(
        &self,
        principal: &Principal,
        request: ChangePasswordRequest,
    ) -> Result<()> {
        let user = self.profile(principal).await?;
        // The new password is judged first: it costs no hashing, and refusing it reveals
        // nothing about the current one.
        let mut errors = ValidationErrors::default();
        let password = errors.check(
            "newPassword",
            Password::parse(
                &request.new_password,
                &[user.email.as_str(), user.name.as_str()],
            ),
        );
        let Some(password) = password else {
            return Err(errors.into());
        };
        let now = self.ports.clock.now();
        let key = format!("password:{}", principal.user_id);
        let rules = [ThrottleRule {
            key: key.clone(),
            limit: self.policy.password_attempts_per_user,
            window: self.policy.login_window,
        }];
        self.begin_attempt(&rules, now).await?;
        let hash = self.ports.users.password_hash(principal.user_id).await?;
        if !self
            .verify_counted(&rules, &request.current_password, hash.as_ref())
            .await?
        {
            let mut errors = ValidationErrors::default();
            errors.add("currentPassword", "is incorrect");
            return Err(errors.into());
        }
        self.ports.throttle.clear(&key).await?;
        let new_hash = self.ports.hasher.hash(&password).await?;
        self.ports
            .users
            .change_password(principal.user_id, &new_hash, principal.session_id, now)
            .await?;
        // Every other session of the user ended.
        self.sessions.forget_user(principal.user_id);
        Ok(())
    }

    /// Records the caller's current position.
    ///
    /// # Errors
    /// `Invalid` for out-of-range coordinates or accuracy.
    pub async fn set_location(
        &self,
        principal: &Principal,
        update: LocationUpdate,
    ) -> Result<UserLocation> {
        let mut errors = ValidationErrors::default();
        fields::point(&mut errors, "", update.lat, update.lng);
        if let Some(accuracy) = update.accuracy_m
            && !(accuracy.is_finite() && (0.0..=100_000.0).contains(&accuracy))
        {
            errors.add("accuracyM", "must be a number of metres from 0 to 100000");
        }
        errors.into_result()?;
        let area = self
            .ports
            .locator
            .locate(LatLng {
                lat: update.lat,
                lng: update.lng,
            })
            .await?;
        let location = UserLocation {
            lat: update.lat,
            lng: update.lng,
            accuracy_m: update.accuracy_m,
            deliverable: area.is_some(),
            country_code: area.as_ref().map(|a| a.country_code.clone()),
            city_id: area.map(|a| a.city_id),
            // Stored with microsecond precision; echo exactly what a later read returns.
            updated_at: truncate_to_micros(self.ports.clock.now()),
        };
        self.ports
            .users
            .set_location(principal.user_id, &location)
            .await?;
        Ok(location)
    }

    /// The caller's preferences.
    ///
    /// # Errors
    /// Storage failures only.
    pub async fn preferences(&self, principal: &Principal) -> Result<Preferences> {
        match self.ports.users.preferences(principal.user_id).await? {
            Some(preferences) => Ok(preferences),
            None => Ok(Preferences::defaults_for(
                &self.profile(principal).await?.locale,
            )),
        }
    }

    /// Replaces the caller's preferences.
    ///
    /// # Errors
    /// `Invalid` for a bad language tag.
    pub async fn put_preferences(
        &self,
        principal: &Principal,
        mut preferences: Preferences,
    ) -> Result<Preferences> {
        let mut errors = ValidationErrors::default();
        if let Some(language) = errors.check(
            "language",
            Locale::parse(&preferences.language).map(Locale::into_string),
        ) {
            preferences.language = language;
        }
        errors.into_result()?;
        preferences.dietary_tags.sort_unstable();
        preferences.dietary_tags.dedup();
        self.ports
            .users
            .put_preferences(principal.user_id, &preferences)
            .await?;
        Ok(preferences)
    }

    /// The caller's saved addresses, default first.
    ///
    /// # Errors
    /// Storage failures only.
    pub async fn list_addresses(&self, principal: &Principal) -> Result<Vec<Address>> {
        Ok(self
            .ports
            .addresses
            .list_addresses(principal.user_id)
            .await?)
    }

    /// Saves a delivery address for the caller.
    ///
    /// # Errors
    /// `Invalid`; `AddressLimit`.
    pub async fn create_address(
        &self,
        principal: &Principal,
        input: AddressInput,
    ) -> Result<Address> {
        let fields = address_fields(input)?;
        let now = self.ports.clock.now();
        match self
            .ports
            .addresses
            .create_address(
                principal.user_id,
                AddressId::new(),
                &fields,
                self.policy.max_addresses,
                now,
            )
            .await?
        {
            AddressCreated::Saved(address) => Ok(address),
            AddressCreated::LimitReached => Err(IdentityError::AddressLimit),
        }
    }

    /// Replaces one of the caller's addresses.
    ///
    /// # Errors
    /// `AddressNotFound` when it is not the caller's; `Invalid`.
    pub async fn update_address(
        &self,
        principal: &Principal,
        id: AddressId,
        input: AddressInput,
    ) -> Result<Address> {
        let fields = address_fields(input)?;
        let now = self.ports.clock.now();
        self.ports
            .addresses
            .update_address(principal.user_id, id, &fields, now)
            .await?
            .ok_or(IdentityError::AddressNotFound)
    }

    /// Deletes one of the caller's addresses.
    ///
    /// # Errors
    /// `AddressNotFound` when it is not the caller's.
    pub async fn delete_address(&self, principal: &Principal, id: AddressId) -> Result<()> {
        if self
            .ports
            .addresses
            .delete_address(principal.user_id, id)
            .await?
        {
            Ok(())
        } else {
            Err(IdentityError::AddressNotFound)
        }
    }

    fn new_session(&self, user: UserId, now: OffsetDateTime) -> (NewSession, String) {
        let (refresh, refresh_hash) = self.ports.tokens.new_refresh();
        let session = NewSession {
            id: SessionId::new(),
            user_id: user,
            refresh_hash,
            created_at: now,
            expires_at: now + self.policy.session_ttl,
        };
        (session, refresh)
    }

    fn auth_session(
        &self,
        user: User,
        session: SessionId,
        refresh_token: String,
        now: OffsetDateTime,
    ) -> AuthSession {
        let expires_at = now + self.policy.access_ttl;
        let access_token = self.ports.tokens.issue_access(&AccessClaims {
            user_id: user.id,
            session_id: session,
            issued_at: now,
            expires_at,
        });
        AuthSession {
            user,
            access_token,
            refresh_token,
            expires_at,
        }
    }

    async fn served_country(
        &self,
        errors: &mut ValidationErrors,
        field: &str,
        input: &str,
    ) -> Result<Option<CountryCode>> {
        let Some(code) = errors.check(field, CountryCode::parse(input)) else {
            return Ok(None);
        };
        if self.ports.countries.is_served(&code).await? {
            Ok(Some(code))
        } else {
            errors.add(field, format!("{code} is not a country Mercato serves"));
            Ok(None)
        }
    }
}

fn truncate_to_micros(instant: OffsetDateTime) -> OffsetDateTime {
    instant
        .replace_microsecond(instant.microsecond())
        .unwrap_or(instant)
}

fn address_fields(input: AddressInput) -> Result<AddressFields> {
    let mut errors = ValidationErrors::default();
    let label = errors.check("label", fields::text(&input.label, 1, 50));
    let line1 = errors.check("line1", fields::text(&input.line1, 1, 200));
    let line2 = errors.check("line2", fields::optional_text(input.line2.as_deref(), 200));
    let city = errors.check("city", fields::text(&input.city, 1, 100));
    let postal_code = errors.check(
        "postalCode",
        fields::optional_text(input.postal_code.as_deref(), 20),
    );
    let country_code = errors.check("countryCode", CountryCode::parse(&input.country_code));
    let instructions = errors.check(
        "instructions",
        fields::optional_text(input.instructions.as_deref(), 500),
    );
    fields::point(&mut errors, "", input.lat, input.lng);
    match (
        label,
        line1,
        line2,
        city,
        postal_code,
        country_code,
        instructions,
    ) {
        (
            Some(label),
            Some(line1),
            Some(line2),
            Some(city),
            Some(postal_code),
            Some(country_code),
            Some(instructions),
        ) if errors.0.is_empty() => Ok(AddressFields {
            label,
            line1,
            line2,
            city,
            postal_code,
            country_code,
            lat: input.lat,
            lng: input.lng,
            instructions,
            is_default: input.is_default,
        }),
        _ => Err(errors.into()),
    }
}
