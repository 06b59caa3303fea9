//! Discovery: the merchants delivering to a point, filtered, sorted and paged in one
//! statement.

use mercato_core::StoreError;
use mercato_core::catalog::{
    Candidate, CandidateQuery, DiscoverySort, MerchantSummary, Rating, SortPosition,
};
use mercato_core::ids::MerchantId;
use mercato_core::money::{CurrencyCode, Money};
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::rows::{contains_pattern, corrupt, open_state, round_rating};
use crate::geo::{category_names, parse_categories};
use crate::store_error;

// Parameters, shared by every discovery statement: $1 latitude, $2 longitude, $3 latitude
// in radians and $4 its cosine (the point's terms of catalog.haversine_m, computed as the
// core computes them), $5 allowed categories, $6 cuisine, $7 now, $8 sort ('rating', 'eta'
// or 'fee'; distance has statements of its own), $9 and $10 the keyset position, $11 limit,
// $12 hand-off minutes, $13 busy extra minutes, $14 courier speed (km/h), $15 the city
// serving the point, and in the text statements $16 the LIKE pattern.
//
// Optional filters that need a subquery or a table column outside the index (open now,
// text) make statements of their own rather than `$n is null or …` conditions: PostgreSQL
// then prefers the statement's generic plan, prepared once per connection, to planning
// every execution anew (planning costs more than running these queries).

/// Distance in metres from merchant `m` to the point.
macro_rules! distance_sql {
    () => {
        "catalog.haversine_m(m.lat_rad, m.cos_lat, m.lng, $3, $4, $2)"
    };
}

/// `EtaModel::eta_minutes` of the merchant columns of `$t` at distance `$d` (float8).
macro_rules! eta_sql {
    ($t:literal, $d:literal) => {
        concat!(
            "(",
            $t,
            ".avg_prep_minutes + case when ",
            $t,
            ".busy then $13 else 0 end + $12 + ceil(greatest(",
            $d,
            ", 0) / 1000 / $14 * 60))"
        )
    };
}

/// `delivery_fee_minor` of the bands of `$t` at distance `$d` (bigint): the first band
/// reaching at least `$d`, else the last. Bands are integers sorted ascending, so the
/// bands below `$d` are those up to `ceil($d) - 1`, which `width_bucket` counts by binary
/// search.
macro_rules! fee_sql {
    ($t:literal, $d:literal) => {
        concat!(
            "coalesce(",
            $t,
            ".fee_band_fee_minor[least(width_bucket(ceil(",
            $d,
            ")::bigint - 1, ",
            $t,
            ".fee_band_up_to_m) + 1, cardinality(",
            $t,
            ".fee_band_fee_minor))], 0)"
        )
    };
}

/// The filters every discovery applies to `catalog.merchants m`, answered by
/// `merchants_discovery_idx` alone.
macro_rules! discovery_filters {
    () => {
        "m.coverage @> box(point($2, $1), point($2, $1)) \
         and m.city_id = $15 \
         and m.categories && $5 \
         and ($6::text is null or $6 = any (m.cuisines))"
    };
}

/// Open now (and not paused): a window contains the instant.
macro_rules! open_filter {
    () => {
        " and not m.paused and exists (select 1 from catalog.open_windows ow \
             where ow.merchant_id = m.id and ow.closes_at > $7 and ow.opens_at <= $7)"
    };
}

/// The text filter: merchant and dish names, lower-cased as stored.
macro_rules! text_filter {
    () => {
        " and m.search_text like lower($16)"
    };
}

/// Nearest first: a nearest-neighbour scan of the index in order of the chord to the
/// point (which grows with the great-circle distance), stopping after `limit` rows and
/// those tied with the last; they are then ordered by (chord, id). The chord is the sort
/// key: the same expression the index orders by, so pages never overlap or skip.
macro_rules! nearest_candidates {
    ($($filters:tt)*) => {
        concat!(
            "select t.id, t.distance_m, t.sort_key from (\
                 select m.id, ", distance_sql!(), " as distance_m, \
                     m.location <-> catalog.earth_point($1, $2) as sort_key \
                 from catalog.merchants m \
                 where ", discovery_filters!(), $($filters)*,
            "      and ", distance_sql!(), " <= m.delivery_radius_m \
                   and ($9::float8 is null \
                        or (m.location <-> catalog.earth_point($1, $2), m.id) > ($9, $10)) \
                 order by m.location <-> catalog.earth_point($1, $2) \
                 fetch first $11 rows with ties\
             ) t \
             order by t.sort_key, t.id \
             limit $11"
        )
    };
}

/// Rating, ETA or fee first: every merchant covering the point, with its distance computed
/// once (the `offset 0` fences keep the planner from repeating the expression), ranked by
/// the key and the id.
macro_rules! ranked_candidates {
    ($($filters:tt)*) => {
        concat!(
            "select k.id, k.distance_m, k.sort_key from (\
                 select s.id, s.distance_m, \
                     case $8 when 'rating' then -s.rating_avg \
                             when 'eta' then ", eta_sql!("s", "s.distance_m"), "::float8 \
                             else ", fee_sql!("s", "s.distance_m"), "::float8 end as sort_key \
                 from (\
                     select m.id, m.delivery_radius_m, m.rating_avg, m.avg_prep_minutes, m.busy, \
                         m.fee_band_up_to_m, m.fee_band_fee_minor, ", distance_sql!(), " as distance_m \
                     from catalog.merchants m \
                     where ", discovery_filters!(), $($filters)*,
            "        offset 0\
                 ) s \
                 where s.distance_m <= s.delivery_radius_m \
                 offset 0\
             ) k \
             where $9::float8 is null or (k.sort_key, k.id) > ($9, $10) \
             order by k.sort_key, k.id \
             limit $11"
        )
    };
}

/// The chosen candidates with what their summaries show.
macro_rules! summaries {
    ($($candidates:tt)*) => {
        concat!(
            "select m.id, m.name, m.categories, m.cuisines, m.rating_avg, m.rating_count, \
                 m.minimum_order_minor, m.currency, m.paused, m.image_url, c.distance_m, ",
            eta_sql!("m", "c.distance_m"), "::int4 as eta_minutes, ",
            fee_sql!("m", "c.distance_m"), " as fee_minor, c.sort_key, w.opens_at \
             from (", $($candidates)*, ") c \
             join catalog.merchants m on m.id = c.id \
             left join lateral (\
                 select ow.opens_at from catalog.open_windows ow \
                 where ow.merchant_id = c.id and ow.closes_at > $7 \
                 order by ow.closes_at limit 1\
             ) w on true \
             order by c.sort_key, c.id"
        )
    };
}

/// The discovery statements by `[nearest first][open now only][text filter]`.
const DISCOVER: [[[&str; 2]; 2]; 2] = [
    [
        [
            summaries!(ranked_candidates!("")),
            summaries!(ranked_candidates!(text_filter!())),
        ],
        [
            summaries!(ranked_candidates!(open_filter!())),
            summaries!(ranked_candidates!(open_filter!(), text_filter!())),
        ],
    ],
    [
        [
            summaries!(nearest_candidates!("")),
            summaries!(nearest_candidates!(text_filter!())),
        ],
        [
            summaries!(nearest_candidates!(open_filter!())),
            summaries!(nearest_candidates!(open_filter!(), text_filter!())),
        ],
    ],
];

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: Uuid,
    name: String,
    categories: Vec<String>,
    cuisines: Vec<String>,
    rating_avg: f64,
    rating_count: i32,
    minimum_order_minor: i64,
    currency: String,
    paused: bool,
    image_url: Option<String>,
    distance_m: f64,
    eta_minutes: i32,
    fee_minor: i64,
    sort_key: f64,
    opens_at: Option<OffsetDateTime>,
}

impl CandidateRow {
    fn into_candidate(self, now: OffsetDateTime) -> Result<Candidate, StoreError> {
        let bad = |what: &str| corrupt("merchant", self.id, what);
        let currency = CurrencyCode::parse(&self.currency).map_err(|_| bad("currency"))?;
        let (open, next_opening_at) = open_state(self.opens_at, now);
        // Distances within any delivery radius are far below u32::MAX metres.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let distance_m = self.distance_m.round() as u32;
        Ok(Candidate {
            summary: MerchantSummary {
                id: MerchantId(self.id),
                name: self.name,
                categories: parse_categories(&self.categories)?,
                cuisines: self.cuisines,
                rating: Rating {
                    average: round_rating(self.rating_avg),
                    count: u32::try_from(self.rating_count).map_err(|_| bad("rating count"))?,
                },
                distance_m,
                eta_minutes: u32::try_from(self.eta_minutes).map_err(|_| bad("ETA"))?,
                delivery_fee: Money::new(self.fee_minor, currency.clone()),
                minimum_order: Money::new(self.minimum_order_minor, currency),
                open_now: open && !self.paused,
                next_opening_at,
                paused: self.paused,
                image_url: self.image_url,
            },
            position: SortPosition {
                key: self.sort_key,
                id: MerchantId(self.id),
            },
        })
    }
}

pub(super) async fn discover(
    pool: &PgPool,
    query: &CandidateQuery,
) -> Result<Vec<Candidate>, StoreError> {
    let pattern = query.text.as_deref().map(contains_pattern);
    let nearest = query.sort == DiscoverySort::Distance;
    let sql =
        DISCOVER[usize::from(nearest)][usize::from(query.open_now)][usize::from(pattern.is_some())];
    let sort = match query.sort {
        DiscoverySort::Distance => "distance",
        DiscoverySort::Rating => "rating",
        DiscoverySort::Eta => "eta",
        DiscoverySort::Fee => "fee",
    };
    // The point's haversine terms exactly as `mercato_core::geo::distance_m` derives them.
    let lat_rad = query.point.lat.to_radians();
    let mut statement = sqlx::query_as::<_, CandidateRow>(sql)
        .bind(query.point.lat)
        .bind(query.point.lng)
        .bind(lat_rad)
        .bind(lat_rad.cos())
        .bind(category_names(&query.categories))
        .bind(query.cuisine.as_deref())
        .bind(query.now)
        .bind(sort)
        .bind(query.after.map(|p| p.key))
        .bind(query.after.map(|p| p.id.0))
        .bind(i64::from(query.limit))
        .bind(i32::from(query.eta.handoff_minutes))
        .bind(i32::from(query.eta.busy_extra_minutes))
        .bind(f64::from(query.eta.courier_speed_kmh.max(1)))
        .bind(query.city.0);
    if let Some(pattern) = pattern {
        statement = statement.bind(pattern);
    }
    let rows = statement.fetch_all(pool).await.map_err(store_error)?;
    rows.into_iter()
        .map(|row| row.into_candidate(query.now))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_search_text_are_escaped() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
