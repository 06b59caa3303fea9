//! The principals of live sessions a process checked lately, so that a signed-in user's
//! requests need not each read their session from the store.
//!
//! Being signed in can end at any moment (logout, a password change, a revoked session, a
//! lost staff membership), and every process must stop honouring it at once. So the cache
//! is used only while the process hears every such change: the store announces each one
//! (PostgreSQL `NOTIFY`, from triggers, so no code path can forget to), the process
//! forgets the user's entries when it hears of it, and it forgets everything and stops
//! caching whenever it may have missed an announcement. The change's own process forgets
//! at once, before answering; other processes within the time a notification takes.
//!
//! Entries also age out after [`SESSION_CACHE_TTL`]: the one way a session ends without an
//! announcement is by reaching its expiry, and a session outlives its access tokens (it is
//! extended with every refresh), so honouring one for a few seconds more changes nothing in
//! practice.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use time::OffsetDateTime;

use super::ports::StaffDirectory;
use crate::error::StoreError;
use crate::ids::{MerchantId, SessionId, UserId};
use crate::principal::Principal;

/// How long a checked session is trusted without reading it again.
pub const SESSION_CACHE_TTL: Duration = Duration::from_secs(10);

/// How many sessions a process keeps.
pub const SESSION_CACHE_CAPACITY: usize = 10_000;

/// The principals of live sessions checked lately; see the module documentation.
#[derive(Debug)]
pub struct SessionCache {
    entries: quick_cache::sync::Cache<SessionId, Entry>,
    /// Whether every change is heard: nothing is cached or served while it is not.
    hearing: AtomicBool,
    /// Bumped by every forgetting, so that a principal read before it is not cached after.
    generation: AtomicU64,
    /// Serialises caching against forgetting (see [`SessionCache::keep`]).
    writing: Mutex<()>,
    ttl: time::Duration,
}

#[derive(Debug, Clone)]
struct Entry {
    principal: Principal,
    checked_at: OffsetDateTime,
}

/// Where a read of a session from the store started, for [`SessionCache::keep`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadStart(u64);

impl Default for SessionCache {
    fn default() -> Self {
        Self::new(SESSION_CACHE_CAPACITY, SESSION_CACHE_TTL)
    }
}

impl SessionCache {
    /// A cache of at most `capacity` sessions, each trusted for `ttl`. It caches nothing
    /// until told that changes are heard ([`SessionCache::hearing`]).
    #[must_use]
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Self {
            entries: quick_cache::sync::Cache::new(capacity.max(1)),
            hearing: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            writing: Mutex::new(()),
            ttl: time::Duration::try_from(ttl).unwrap_or(time::Duration::ZERO),
        }
    }

    /// The principal of `session` if it was checked live within the TTL before `now` and
    /// changes are heard.
    #[must_use]
    pub fn principal(&self, session: SessionId, now: OffsetDateTime) -> Option<Principal> {
        if !self.hearing.load(Ordering::Acquire) {
            return None;
        }
        let entry = self.entries.get(&session)?;
        let age = now - entry.checked_at;
        (age >= time::Duration::ZERO && age < self.ttl).then_some(entry.principal)
    }

    /// Marks the start of a read from the store, before it is sent.
    #[must_use]
    pub fn read_start(&self) -> ReadStart {
        ReadStart(self.generation.load(Ordering::Acquire))
    }

    /// Caches `principal`, read live at `now` by a read that began at `start` — unless
    /// something was forgotten since (the read may predate the change), or changes are not
    /// heard.
    pub fn keep(&self, start: ReadStart, principal: Principal, now: OffsetDateTime) {
        // Under the lock, so a forgetting cannot fall between the check and the insert and
        // leave this entry behind.
        if self.ttl <= time::Duration::ZERO {
            return;
        }
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        if self.hearing.load(Ordering::Acquire)
            && self.generation.load(Ordering::Acquire) == start.0
        {
            self.entries.insert(
                principal.session_id,
                Entry {
                    principal,
                    checked_at: now,
                },
            );
        }
    }

    /// Forgets `session` (its user signed out of it).
    pub fn forget_session(&self, session: SessionId) {
        self.forgetting(|| {
            self.entries.remove(&session);
        });
    }

    /// Forgets every session of `user` (their access changed).
    pub fn forget_user(&self, user: UserId) {
        self.forgetting(|| {
            self.entries
                .retain(|_, entry| entry.principal.user_id != user);
        });
    }

    /// Forgets every session (a change of unknown scope, or one that may have been missed).
    pub fn forget_all(&self) {
        self.forgetting(|| self.entries.clear());
    }

    /// Whether every change is heard from now on. Either way, what is cached is forgotten:
    /// when hearing stops, changes may go unheard; when it starts, changes made before
    /// were not heard.
    pub fn hearing(&self, hearing: bool) {
        self.forgetting(|| {
            self.hearing.store(hearing, Ordering::Release);
            self.entries.clear();
        });
    }

    fn forgetting(&self, forget: impl FnOnce()) {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::AcqRel);
        forget();
    }

    /// `staff`, forgetting a user's sessions in this process as soon as their memberships
    /// change (other processes hear of it from the store).
    #[must_use]
    pub fn forgetting_staff(
        self: &Arc<Self>,
        staff: Arc<dyn StaffDirectory>,
    ) -> Arc<dyn StaffDirectory> {
        Arc::new(ForgettingStaff {
            staff,
            cache: self.clone(),
        })
    }
}

/// A [`StaffDirectory`] that forgets the cached sessions of the users whose memberships it
/// changes.
struct ForgettingStaff {
    staff: Arc<dyn StaffDirectory>,
    cache: Arc<SessionCache>,
}

#[async_trait]
impl StaffDirectory for ForgettingStaff {
    async fn add_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        let added = self.staff.add_staff(user, merchant).await;
        self.cache.forget_user(user);
        added
    }

    async fn remove_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        let removed = self.staff.remove_staff(user, merchant).await;
        self.cache.forget_user(user);
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::Role;

    fn now() -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000)
    }

    fn principal_of(user: UserId) -> Principal {
        Principal {
            user_id: user,
            session_id: SessionId::new(),
            roles: vec![Role::Customer],
            merchant_ids: Vec::new(),
        }
    }

    /// A cache that hears changes.
    fn hearing() -> SessionCache {
        let cache = SessionCache::new(100, Duration::from_secs(10));
        cache.hearing(true);
        cache
    }

    fn kept(cache: &SessionCache, principal: &Principal) {
        let start = cache.read_start();
        cache.keep(start, principal.clone(), now());
    }

    #[test]
    fn a_kept_principal_is_served_until_it_is_too_old() {
        let cache = hearing();
        let ann = principal_of(UserId::new());
        kept(&cache, &ann);

        let fresh = cache.principal(ann.session_id, now() + time::Duration::seconds(9));
        let stale = cache.principal(ann.session_id, now() + time::Duration::seconds(10));
        let from_the_past = cache.principal(ann.session_id, now() - time::Duration::seconds(1));

        assert_eq!(fresh, Some(ann));
        assert_eq!(stale, None);
        assert_eq!(from_the_past, None);
    }

    #[test]
    fn nothing_is_cached_or_served_while_changes_are_not_heard() {
        let cache = SessionCache::new(100, Duration::from_secs(10));
        let ann = principal_of(UserId::new());
        kept(&cache, &ann);
        assert_eq!(cache.principal(ann.session_id, now()), None);

        cache.hearing(true);
        kept(&cache, &ann);
        cache.hearing(false);

        assert_eq!(cache.principal(ann.session_id, now()), None);
        cache.hearing(true);
        assert_eq!(
            cache.principal(ann.session_id, now()),
            None,
            "what was cached before hearing stopped stays forgotten"
        );
    }

    #[test]
    fn forgetting_a_user_forgets_all_their_sessions_and_only_theirs() {
        let cache = hearing();
        let user = UserId::new();
        let (phone, laptop, other) = (
            principal_of(user),
            principal_of(user),
            principal_of(UserId::new()),
        );
        for p in [&phone, &laptop, &other] {
            kept(&cache, p);
        }

        cache.forget_user(user);

        assert_eq!(cache.principal(phone.session_id, now()), None);
        assert_eq!(cache.principal(laptop.session_id, now()), None);
        assert_eq!(cache.principal(other.session_id, now()), Some(other));
    }

    #[test]
    fn forgetting_a_session_or_everything() {
        let cache = hearing();
        let (ann, bob) = (principal_of(UserId::new()), principal_of(UserId::new()));
        kept(&cache, &ann);
        kept(&cache, &bob);

        cache.forget_session(ann.session_id);
        assert_eq!(cache.principal(ann.session_id, now()), None);
        assert_eq!(cache.principal(bob.session_id, now()), Some(bob.clone()));

        cache.forget_all();
        assert_eq!(cache.principal(bob.session_id, now()), None);
    }

    #[test]
    fn a_principal_read_before_a_forgetting_is_not_kept() {
        let cache = hearing();
        let ann = principal_of(UserId::new());
        let start = cache.read_start();
        // The session ends while it is being read: the read may have seen it live.
        cache.forget_user(ann.user_id);

        cache.keep(start, ann.clone(), now());

        assert_eq!(cache.principal(ann.session_id, now()), None);
    }
}
