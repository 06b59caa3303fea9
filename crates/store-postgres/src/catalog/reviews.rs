//! Merchant reviews and the rating aggregates they keep on the merchant's row.

use mercato_core::StoreError;
use mercato_core::catalog::Review;
use mercato_core::ids::{MerchantId, ReviewId};
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::rows::corrupt;
use crate::store_error;

pub(super) async fn add_review(
    pool: &PgPool,
    merchant: MerchantId,
    review: &Review,
) -> Result<bool, StoreError> {
    // One statement: the insert and the aggregate update commit together, and a review
    // already known (a redelivered event) changes nothing. The average is kept unrounded
    // (rounding each step would stall it); reads round it.
    let added: Option<i32> = sqlx::query_scalar(
        "with added as ( \
             insert into catalog.reviews (id, merchant_id, author_name, rating, comment, created_at) \
             select $1, m.id, $3, $4, $5, $6 from catalog.merchants m where m.id = $2 \
             on conflict (id) do nothing \
             returning merchant_id, rating) \
         update catalog.merchants m \
         set rating_avg = (m.rating_avg * m.rating_count + a.rating) / (m.rating_count + 1), \
             rating_count = m.rating_count + 1 \
         from added a where m.id = a.merchant_id \
         returning m.rating_count",
    )
    .bind(review.id.0)
    .bind(merchant.0)
    .bind(&review.author_name)
    .bind(i16::from(review.rating))
    .bind(review.comment.as_deref())
    .bind(review.created_at)
    .fetch_optional(pool)
    .await
    .map_err(store_error)?;
    Ok(added.is_some())
}

pub(super) async fn reviews(
    pool: &PgPool,
    merchant: MerchantId,
    after: Option<ReviewId>,
    limit: u32,
) -> Result<Vec<Review>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        author_name: String,
        rating: i16,
        comment: Option<String>,
        created_at: OffsetDateTime,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "select r.id, r.author_name, r.rating, r.comment, r.created_at \
         from catalog.reviews r \
         where r.merchant_id = $1 \
           and ($2::uuid is null or (r.created_at, r.id) < \
               (select a.created_at, a.id from catalog.reviews a \
                where a.id = $2 and a.merchant_id = $1)) \
         order by r.created_at desc, r.id desc \
         limit $3",
    )
    .bind(merchant.0)
    .bind(after.map(|r| r.0))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(store_error)?;
    rows.into_iter()
        .map(|row| {
            Ok(Review {
                rating: u8::try_from(row.rating)
                    .map_err(|_| corrupt("review", row.id, "rating"))?,
                id: ReviewId(row.id),
                author_name: row.author_name,
                comment: row.comment,
                created_at: row.created_at,
            })
        })
        .collect()
}
