//! The attempt counters of the login throttle, per key, shared by every process.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::identity::{LoginThrottle, ThrottleRule};
use time::OffsetDateTime;

use crate::{PgStore, store_error};

#[async_trait]
impl LoginThrottle for PgStore {
    async fn begin_attempt(
        &self,
        rules: &[ThrottleRule],
        now: OffsetDateTime,
    ) -> Result<Option<Duration>, StoreError> {
        // One row per key (a key named twice takes the longer window), in a fixed order, so
        // concurrent attempts lock their rows alike and cannot deadlock.
        let mut windows: BTreeMap<&str, Duration> = BTreeMap::new();
        for rule in rules {
            let window = windows.entry(rule.key.as_str()).or_default();
            *window = (*window).max(rule.window);
        }
        let keys: Vec<&str> = windows.keys().copied().collect();
        let ends: Vec<OffsetDateTime> = windows.values().map(|window| now + *window).collect();
        // The upsert counts the attempt and reads the count back in one atomic step per
        // key: parallel attempts each see a different count, so no more than `limit` of
        // them can pass. A window that has ended restarts at this attempt.
        let counted: Vec<(String, OffsetDateTime, i32)> = sqlx::query_as(
            "insert into identity.login_failures as f (key, window_started_at, window_ends_at, attempts) \
             select key, $3, window_ends_at, 1 \
             from unnest($1::text[], $2::timestamptz[]) with ordinality as r (key, window_ends_at, n) \
             order by n \
             on conflict (key) do update set \
             attempts = case when f.window_ends_at <= excluded.window_started_at \
                        then 1 else f.attempts + 1 end, \
             window_started_at = case when f.window_ends_at <= excluded.window_started_at \
                        then excluded.window_started_at else f.window_started_at end, \
             window_ends_at = case when f.window_ends_at <= excluded.window_started_at \
                        then excluded.window_ends_at else f.window_ends_at end \
             returning key, window_ends_at, attempts",
        )
        .bind(&keys)
        .bind(&ends)
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        let mut longest: Option<Duration> = None;
        for rule in rules {
            let Some((_, ends, attempts)) = counted.iter().find(|(key, ..)| *key == rule.key)
            else {
                return Err(StoreError::Backend(format!(
                    "throttle key {} was not counted",
                    rule.key
                )));
            };
            if i64::from(*attempts) > i64::from(rule.limit) {
                let wait = Duration::try_from(*ends - now).unwrap_or_default();
                longest = Some(longest.map_or(wait, |l| l.max(wait)));
            }
        }
        Ok(longest)
    }

    async fn clear(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("delete from identity.login_failures where key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn refund(&self, keys: &[String]) -> Result<(), StoreError> {
        sqlx::query(
            "update identity.login_failures set attempts = attempts - 1 \
             where key = any($1) and attempts > 0",
        )
        .bind(keys)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }
}
