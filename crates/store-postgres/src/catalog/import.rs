//! The bulk import of merchants with their menus, open windows and reviews (the demo
//! dataset).

use std::collections::HashSet;

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::catalog::{CatalogImport, MerchantImport, Review};
use mercato_core::ids::MerchantId;
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::writes::{MenuRows, NewMerchant, WindowRows, insert_merchants};
use crate::{PgStore, store_error};

/// Merchants imported per statement; a call's batches share one transaction.
const IMPORT_BATCH: usize = 500;

#[async_trait]
impl CatalogImport for PgStore {
    async fn import_merchants(&self, merchants: &[MerchantImport]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(store_error)?;
        let mut created = 0u64;
        // An id given twice in one call is imported once, from its first occurrence.
        let mut seen: HashSet<Uuid> = HashSet::with_capacity(merchants.len());
        for batch in merchants.chunks(IMPORT_BATCH) {
            let batch: Vec<&MerchantImport> = batch
                .iter()
                .filter(|m| seen.insert(m.merchant.id.0))
                .collect();
            let rows: Vec<NewMerchant<'_>> = batch
                .iter()
                .map(|m| NewMerchant {
                    merchant: &m.merchant,
                    sections: &m.sections,
                    windows_until: m.schedule.until,
                })
                .collect();
            let inserted = insert_merchants(&mut tx, &rows).await?;
            let new: Vec<&MerchantImport> = batch
                .into_iter()
                .filter(|m| inserted.contains(&m.merchant.id.0))
                .collect();
            let mut menus = MenuRows::default();
            let mut windows = WindowRows::default();
            let mut reviews = ReviewRows::default();
            for import in &new {
                let id = import.merchant.id;
                for section in &import.sections {
                    menus.add_section(id, section);
                }
                windows.add(id, &import.schedule)?;
                for review in &import.reviews {
                    reviews.add(id, review);
                }
            }
            menus.insert(&mut tx).await?;
            windows.insert(&mut tx).await?;
            reviews.insert(&mut tx).await?;
            created += new.len() as u64;
        }
        tx.commit().await.map_err(store_error)?;
        // Discovery reads merchants and open windows by index-only scans, which must visit
        // the table for every row on a page not yet marked all-visible: until autovacuum
        // comes by, freshly loaded merchants are several times slower to discover.
        if created > 0
            && let Err(err) =
                sqlx::query("vacuum (analyze) catalog.merchants, catalog.open_windows")
                    .execute(&self.pool)
                    .await
        {
            tracing::warn!(error = %err, "could not vacuum the catalog after an import");
        }
        Ok(created)
    }
}

/// Reviews as bound to `unnest`.
#[derive(Default)]
struct ReviewRows<'a> {
    ids: Vec<Uuid>,
    merchants: Vec<Uuid>,
    authors: Vec<&'a str>,
    ratings: Vec<i16>,
    comments: Vec<Option<&'a str>>,
    created_at: Vec<OffsetDateTime>,
}

impl<'a> ReviewRows<'a> {
    fn add(&mut self, merchant: MerchantId, review: &'a Review) {
        self.ids.push(review.id.0);
        self.merchants.push(merchant.0);
        self.authors.push(&review.author_name);
        self.ratings.push(i16::from(review.rating));
        self.comments.push(review.comment.as_deref());
        self.created_at.push(review.created_at);
    }

    async fn insert(self, conn: &mut PgConnection) -> Result<(), StoreError> {
        if self.ids.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "insert into catalog.reviews (id, merchant_id, author_name, rating, comment, created_at) \
             select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::int2[], $5::text[], \
                 $6::timestamptz[])",
        )
        .bind(self.ids)
        .bind(self.merchants)
        .bind(self.authors)
        .bind(self.ratings)
        .bind(self.comments)
        .bind(self.created_at)
        .execute(conn)
        .await
        .map_err(store_error)?;
        Ok(())
    }
}
