//! Keeps the process's session cache told of every change of access committed by any
//! process (a session ended, a role or staff membership changed), and stops it caching
//! whenever such changes could go unheard.

use std::future::Future;
use std::sync::Arc;

use mercato_core::identity::SessionCache;
use mercato_store_postgres::{AccessChange, PgStore};

use crate::live::{FIRST_BACKOFF, MAX_BACKOFF};

/// Listens for access changes until `stop` completes, forgetting the cached sessions of
/// each user named. The cache serves only while a connection listens: it is told to hear
/// changes once `LISTEN` is in place, everything is forgotten after a gap, and it stops
/// caching while no connection listens (reconnecting with exponential backoff).
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
            Ok(mut listener) => {
                cache.hearing(true);
                backoff = FIRST_BACKOFF;
                loop {
                    let change = tokio::select! {
                        () = &mut stop => {
                            cache.hearing(false);
                            return;
                        }
                        change = listener.recv() => change,
                    };
                    match change {
                        Ok(AccessChange::User(user)) => cache.forget_user(user),
                        Ok(AccessChange::Gap) => cache.forget_all(),
                        Err(err) => {
                            tracing::warn!(error = %err, "lost the access-change listener");
                            break;
                        }
                    }
                }
            }
            Err(err) => tracing::warn!(error = %err, "cannot listen for access changes"),
        }
        cache.hearing(false);
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
    cache.hearing(false);
}
