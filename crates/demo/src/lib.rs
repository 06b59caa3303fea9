//! The demo dataset: sixteen real cities in the US, Germany, Japan and Kuwait, and a few
//! hundred merchants per unit of scale with menus, hours, fees, ratings and reviews, all
//! generated deterministically, the loader that puts them into a store, and the demo
//! accounts ([`accounts`]).
//!
//! Determinism: ids are UUIDv8s derived from a fixed namespace and each entity's position,
//! randomness is a self-written SplitMix64 seeded per merchant (not `rand`, whose
//! generators may change between releases), and coordinates use only arithmetic that is
//! bit-identical on every platform. The dataset is
//! thus a function of the scale alone; `now` only shifts the open windows (computed by
//! [`schedule_from`](mercato_core::catalog::schedule_from)). A larger scale adds merchants
//! and never changes the ones a smaller scale has, so loading scale 1 and later scale 50
//! only inserts the difference.
//!
//! Guarantees the demo relies on (and the tests check): in every city, every enabled
//! category has at least two merchants open around the clock and never paused, so there is
//! always something to order; Kuwait has neither alcohol nor pork; every menu is valid by
//! the catalog's own rules.
//!
//! The crate depends on `mercato-core` alone: it writes through the core's store ports and
//! identity service, so any adapter can be seeded with it.

pub mod accounts;
mod cities;
mod ids;
mod loader;
mod markets;
mod menus;
mod merchants;
mod opening;
mod rng;
mod templates;

#[cfg(test)]
mod tests;

use mercato_core::catalog::MerchantImport;
use mercato_core::geo::City;
use time::OffsetDateTime;

pub use loader::{
    DEMO_MERCHANT_EMAIL, IMPORT_BATCH_SIZE, STAFF_MERCHANTS_PER_CITY, SeedError, SeedReport,
    seed_demo,
};

use cities::CITIES;
use merchants::CityContext;

/// The largest scale: beyond it a city would run out of merchant numbers.
pub const MAX_SCALE: u32 = 100_000;

/// The whole demo dataset, in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoDataset {
    /// The cities, in a fixed order.
    pub cities: Vec<City>,
    /// The merchants with menus, reviews and open windows, city by city.
    pub merchants: Vec<MerchantImport>,
}

/// The demo dataset at `scale` (clamped to `1..=`[`MAX_SCALE`]): about 350 merchants
/// per unit of scale. The same scale always gives the same data, ids included; `now`
/// only moves the open windows.
///
/// For large scales prefer [`demo_merchants`], which does not hold everything at once.
#[must_use]
pub fn demo_dataset(scale: u32, now: OffsetDateTime) -> DemoDataset {
    DemoDataset {
        cities: demo_cities(),
        merchants: demo_merchants(scale, now).collect(),
    }
}

/// The demo cities.
#[must_use]
pub fn demo_cities() -> Vec<City> {
    CITIES.iter().map(cities::CitySpec::city).collect()
}

/// The demo merchants at `scale` (clamped to `1..=`[`MAX_SCALE`]), generated one at a time,
/// city by city, in the order [`demo_dataset`] lists them.
pub fn demo_merchants(scale: u32, now: OffsetDateTime) -> impl Iterator<Item = MerchantImport> {
    let scale = scale.clamp(1, MAX_SCALE);
    CITIES.iter().flat_map(move |spec| {
        let context = CityContext::new(spec);
        (0..spec.merchant_count(scale)).map(move |index| merchants::merchant(&context, index, now))
    })
}

/// How many merchants [`demo_merchants`] yields at `scale`, without generating them.
#[must_use]
pub fn demo_merchant_count(scale: u32) -> u64 {
    let scale = scale.clamp(1, MAX_SCALE);
    CITIES
        .iter()
        .map(|spec| u64::from(spec.merchant_count(scale)))
        .sum()
}
