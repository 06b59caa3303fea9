//! Loads the demo dataset into the stores: cities that are missing, merchants in batches
//! (the import skips those it has), and the demo merchant account as staff of a few
//! merchants in every city.

use mercato_core::StoreError;
use mercato_core::catalog::{CatalogImport, MerchantImport, StaffDirectory};
use mercato_core::geo::{CountryCode, GeoStore};
use mercato_core::identity::{Email, UserStore};
use mercato_core::ids::UserId;
use mercato_core::money::CurrencyCode;
use time::OffsetDateTime;

use super::cities::CITIES;
use super::markets::MARKETS;
use super::{demo_cities, demo_merchants, ids};

/// The demo account made staff of demo merchants (created by [`crate::accounts::load`]).
pub const DEMO_MERCHANT_EMAIL: &str = "merchant@demo.mercato.dev";

/// Merchants per [`CatalogImport::import_merchants`] call: one transaction each, large
/// enough to amortise round trips, small enough to keep transactions short.
pub const IMPORT_BATCH_SIZE: usize = 500;

/// How many merchants of each city the demo merchant account works for: the city's first
/// ones, which are open around the clock, so the merchant side can be demonstrated at any
/// hour.
pub const STAFF_MERCHANTS_PER_CITY: u32 = 2;

/// What [`seed_demo`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    /// Cities created (the others existed).
    pub cities_created: usize,
    /// Demo cities in all.
    pub cities_total: usize,
    /// Merchants inserted (the others existed).
    pub merchants_created: u64,
    /// Demo merchants at the requested scale.
    pub merchants_total: u64,
    /// Staff memberships granted to the demo merchant account (0 without the account).
    pub staff_memberships: usize,
}

/// Why the demo dataset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A country the dataset needs does not exist (migrations create the four).
    #[error("country {0} does not exist; the demo dataset needs it")]
    MissingCountry(CountryCode),
    /// A country uses another currency than the dataset prices in.
    #[error("country {country} uses {found}, but the demo dataset prices in {expected}")]
    CurrencyMismatch {
        /// The country.
        country: CountryCode,
        /// The dataset's currency.
        expected: CurrencyCode,
        /// The stored country's currency.
        found: CurrencyCode,
    },
    /// A store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Loads the demo dataset at `scale` (see [`super::demo_dataset`]): creates the demo
/// cities that do not exist yet (by id), imports the merchants in batches of
/// [`IMPORT_BATCH_SIZE`] (existing ones are skipped), and makes the account
/// [`DEMO_MERCHANT_EMAIL`] staff of the first [`STAFF_MERCHANTS_PER_CITY`] merchants of
/// every demo city, if that account exists. Idempotent; merchants are generated batch by
/// batch, so large scales do not need the whole dataset in memory.
///
/// # Errors
/// [`SeedError::MissingCountry`] or [`SeedError::CurrencyMismatch`] when the countries
/// are not the ones the dataset is written for (checked before anything is written);
/// [`SeedError::Store`] when a store fails, after the batches before it were committed.
pub async fn seed_demo(
    geo: &dyn GeoStore,
    catalog: &dyn CatalogImport,
    staff: &dyn StaffDirectory,
    users: &dyn UserStore,
    scale: u32,
    now: OffsetDateTime,
) -> Result<SeedReport, SeedError> {
    let email = Email::parse(DEMO_MERCHANT_EMAIL).expect("the demo merchant email is valid");
    let staff_member = users
        .find_credentials(&email)
        .await?
        .map(|(user, _)| user.id);
    load(geo, catalog, staff, staff_member, scale, now).await
}

/// [`seed_demo`] once the staff account is known.
pub(super) async fn load(
    geo: &dyn GeoStore,
    catalog: &dyn CatalogImport,
    staff: &dyn StaffDirectory,
    staff_member: Option<UserId>,
    scale: u32,
    now: OffsetDateTime,
) -> Result<SeedReport, SeedError> {
    check_countries(geo).await?;
    let mut report = SeedReport::default();

    let cities = demo_cities();
    report.cities_total = cities.len();
    for city in &cities {
        if geo.city(city.id).await?.is_none() {
            match geo.create_city(city).await {
                Ok(()) => report.cities_created += 1,
                // Another process seeding at the same moment created it first.
                Err(StoreError::UniqueViolation(_)) => {}
                Err(other) => return Err(other.into()),
            }
        }
    }

    let mut merchants = demo_merchants(scale, now);
    loop {
        let batch: Vec<MerchantImport> = merchants.by_ref().take(IMPORT_BATCH_SIZE).collect();
        if batch.is_empty() {
            break;
        }
        report.merchants_total += batch.len() as u64;
        report.merchants_created += catalog.import_merchants(&batch).await?;
        tracing::debug!(loaded = report.merchants_total, "demo merchants imported");
    }

    if let Some(user) = staff_member {
        for city in &CITIES {
            for index in 0..STAFF_MERCHANTS_PER_CITY {
                if staff
                    .add_staff(user, ids::merchant_id(city.key, index))
                    .await?
                {
                    report.staff_memberships += 1;
                }
            }
        }
    }
    tracing::info!(
        cities_created = report.cities_created,
        merchants_created = report.merchants_created,
        merchants_total = report.merchants_total,
        staff_memberships = report.staff_memberships,
        "demo dataset loaded"
    );
    Ok(report)
}

async fn check_countries(geo: &dyn GeoStore) -> Result<(), SeedError> {
    for market in MARKETS {
        let code = CountryCode::parse(market.country).expect("demo country codes are valid");
        let expected = CurrencyCode::parse(market.currency).expect("demo currency codes are valid");
        let Some(country) = geo.country(&code).await? else {
            return Err(SeedError::MissingCountry(code));
        };
        if country.currency != expected {
            return Err(SeedError::CurrencyMismatch {
                country: code,
                expected,
                found: country.currency,
            });
        }
    }
    Ok(())
}
