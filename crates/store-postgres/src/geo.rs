//! The geography store.

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::geo::{CountryCode, CountryDirectory};

use crate::{PgStore, store_error};

#[async_trait]
impl CountryDirectory for PgStore {
    async fn is_served(&self, code: &CountryCode) -> Result<bool, StoreError> {
        sqlx::query_scalar(
            "select exists (select 1 from geo.countries where code = $1 and enabled)",
        )
        .bind(code.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(store_error)
    }
}
