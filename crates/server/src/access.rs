//! Keeps the process's session cache told of every change of access committed by any
//! process (a session ended, a role or staff membership changed), and stops it caching
//! whenever such changes could go unheard.
//!
//! A listening connection can die without a word (a dropped NAT entry, a fail-over that
//! sends no reset), so hearing is checked, not assumed: every [`HEARTBEAT`] the process
//! announces an empty change of its own, and a listener that has heard nothing at all for
//! [`DEAF_AFTER`] is given up — the cache stops serving until a new one listens.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use mercato_core::StoreError;
use mercato_core::identity::SessionCache;
use mercato_store_postgres::{AccessChange, AccessChangeListener, PgStore};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::live::{FIRST_BACKOFF, MAX_BACKOFF};

/// How often the process announces a heartbeat on the access channel.
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(5);

/// How long a listener may hear nothing (its own heartbeats included) before it is taken
/// for deaf.
pub(crate) const DEAF_AFTER: Duration = Duration::from_secs(15);

/// Listens for access changes until `stop` completes, forgetting the cached sessions of
/// each user named. The cache serves only while a connection demonstrably listens: it is
/// told to hear changes once `LISTEN` is in place, everything is forgotten after a gap, and
/// it stops serving while no connection listens (reconnecting with exponential backoff).
pub(crate) async fn hear_access_changes(
    store: PgStore,
    cache: Arc<SessionCache>,
    stop: impl Future<Output = ()> + Send,
) {
    tokio::pin!(stop);
    let mut backoff = FIRST_BACKOFF;
    loop {
        let connected = tokio::select! {
            () = &mut stop => break,
            connected = store.access_change_listener() => connected,
        };
        match connected {
            Ok(listener) => {
                backoff = FIRST_BACKOFF;
                let stopped = listen(&store, &cache, listener, &mut stop).await;
                set_hearing(&cache, false);
                if stopped {
                    return;
                }
            }
            Err(err) => tracing::warn!(error = %err, "cannot listen for access changes"),
        }
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
    set_hearing(&cache, false);
}

/// Serves the cache from `listener` until it fails or goes deaf (`false`) or `stop`
/// completes (`true`).
async fn listen(
    store: &PgStore,
    cache: &SessionCache,
    listener: AccessChangeListener,
    stop: &mut (impl Future<Output = ()> + Unpin),
) -> bool {
    // The listener is read in a task of its own, never interrupted mid-message; it is
    // dropped (aborted) with the connection when given up.
    let (sender, mut heard) = mpsc::channel(256);
    let receiving = tokio::spawn(forward(listener, sender));
    set_hearing(cache, true);
    let mut beat = tokio::time::interval(HEARTBEAT);
    let mut last_heard = Instant::now();
    let stopped = loop {
        tokio::select! {
            () = &mut *stop => break true,
            _ = beat.tick() => {
                if last_heard.elapsed() > DEAF_AFTER {
                    tracing::warn!(
                        "the access-change listener heard nothing, not even its own \
                         heartbeat; reconnecting"
                    );
                    break false;
                }
                if let Err(err) = store.announce_heartbeat().await {
                    tracing::warn!(error = %err, "announcing an access heartbeat failed");
                }
            }
            change = heard.recv() => match change {
                Some(Ok(change)) => {
                    last_heard = Instant::now();
                    match change {
                        AccessChange::User(user) => cache.forget_user(user),
                        AccessChange::Everyone | AccessChange::Gap => cache.forget_all(),
                        AccessChange::Heartbeat => {}
                    }
                }
                Some(Err(err)) => {
                    tracing::warn!(error = %err, "lost the access-change listener");
                    break false;
                }
                None => break false,
            },
        }
    };
    receiving.abort();
    stopped
}

/// Hands what `listener` hears to `sender` until either fails.
async fn forward(
    mut listener: AccessChangeListener,
    sender: mpsc::Sender<Result<AccessChange, StoreError>>,
) {
    loop {
        let change = listener.recv().await;
        let failed = change.is_err();
        if sender.send(change).await.is_err() || failed {
            return;
        }
    }
}

fn set_hearing(cache: &SessionCache, hearing: bool) {
    cache.hearing(hearing);
    metrics::gauge!("mercato_session_cache_hearing").set(if hearing { 1.0 } else { 0.0 });
}
