//! The demo dataset's promises, checked on the generated data.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

use async_trait::async_trait;
use mercato_core::StoreError;
use mercato_core::catalog::{
    CatalogImport, MerchantImport, OpeningHours, StaffDirectory, to_timestamp,
};
use mercato_core::geo::{
    City, Country, CountryCode, GeoStore, LatLng, ServiceCategory, TaxClass, TaxRegime,
};
use mercato_core::identity::DietaryTag;
use mercato_core::ids::{CityId, MerchantId, UserId};
use mercato_core::money::CurrencyCode;
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

use super::*;

const NOW: OffsetDateTime = datetime!(2026-11-24 21:30 UTC);

fn dataset() -> DemoDataset {
    demo_dataset(1, NOW)
}

fn city_of<'a>(data: &'a DemoDataset, merchant: &MerchantImport) -> &'a City {
    data.cities
        .iter()
        .find(|c| c.id == merchant.merchant.city_id)
        .expect("the merchant's city is in the dataset")
}

fn items(merchant: &MerchantImport) -> impl Iterator<Item = &mercato_core::catalog::MenuItem> {
    merchant.sections.iter().flat_map(|s| &s.items)
}

#[test]
fn the_same_scale_gives_identical_data_ids_included() {
    assert_eq!(dataset(), dataset());
}

#[test]
fn only_the_open_windows_depend_on_now() {
    let later = demo_dataset(1, NOW + time::Duration::hours(7));
    let strip = |mut data: DemoDataset| {
        for m in &mut data.merchants {
            m.schedule.windows.clear();
            m.schedule.until = NOW;
        }
        data
    };
    assert_eq!(strip(dataset()), strip(later));
}

#[test]
fn a_larger_scale_keeps_every_merchant_of_a_smaller_one() {
    let small = dataset();
    let large: Vec<MerchantImport> = demo_merchants(2, NOW).collect();
    for merchant in &small.merchants {
        assert!(
            large.contains(merchant),
            "{} is missing at scale 2",
            merchant.merchant.name
        );
    }
}

#[test]
fn scale_one_has_at_least_200_merchants_and_three_cities_per_country() {
    let data = dataset();
    assert!(data.merchants.len() >= 200, "{}", data.merchants.len());
    let mut per_country: BTreeMap<&str, usize> = BTreeMap::new();
    for city in &data.cities {
        *per_country.entry(city.country_code.as_str()).or_default() += 1;
    }
    assert_eq!(
        per_country.keys().copied().collect::<Vec<_>>(),
        ["DE", "JP", "KW", "US"]
    );
    assert!(per_country.values().all(|&n| n >= 3), "{per_country:?}");
    for city in &data.cities {
        let here = data
            .merchants
            .iter()
            .filter(|m| m.merchant.city_id == city.id)
            .count();
        assert!(here >= 13, "{} has {here} merchants", city.name);
    }
}

#[test]
fn the_merchant_count_is_linear_in_scale_and_passes_ten_thousand_at_fifty() {
    let one = dataset().merchants.len() as u64;
    assert_eq!(demo_merchant_count(1), one);
    assert_eq!(demo_merchants(3, NOW).count() as u64, 3 * one);
    assert_eq!(demo_merchant_count(50), 50 * one);
    assert!(demo_merchant_count(50) >= 10_000);
}

#[test]
fn scale_fifty_generates_over_ten_thousand_merchants() {
    // Generation only, streamed: counts without holding 17 000 menus at once.
    let count = demo_merchants(50, NOW).count();
    assert!(count >= 10_000, "{count}");
}

#[test]
fn cities_have_real_zones_and_sensible_categories() {
    for city in dataset().cities {
        assert!(jiff_zone_exists(&city.time_zone), "{}", city.time_zone);
        match &city.zone {
            mercato_core::geo::DeliveryZone::Radius { radius_m } => {
                assert!(
                    (8_000..=20_000).contains(radius_m),
                    "{}: {radius_m}",
                    city.name
                );
            }
            mercato_core::geo::DeliveryZone::Polygon { points } => {
                assert!(points.len() >= 3);
                assert!(
                    city.zone.contains(city.center, city.center),
                    "{}'s centre is outside its zone",
                    city.name
                );
            }
        }
        assert!(
            city.categories.contains(&ServiceCategory::Food),
            "{}",
            city.name
        );
        assert_eq!(
            city.categories.contains(&ServiceCategory::Alcohol),
            city.country_code.as_str() != "KW" && city.name != "Yokohama",
            "{}",
            city.name
        );
    }
    let polygons = demo_cities()
        .iter()
        .filter(|c| matches!(c.zone, mercato_core::geo::DeliveryZone::Polygon { .. }))
        .count();
    assert!(polygons >= 1);
}

fn jiff_zone_exists(zone: &str) -> bool {
    // `schedule_from` yields no windows for an unknown zone; an always-open week shows it.
    !mercato_core::catalog::schedule_from(&OpeningHours::always_open(), zone, NOW)
        .windows
        .is_empty()
}

#[test]
fn every_enabled_category_has_shops_in_its_market() {
    for spec in &cities::CITIES {
        for &category in spec.categories {
            assert!(
                category == ServiceCategory::Food || spec.market.shop(category).is_some(),
                "{} enables {category:?} but {} has no such shops",
                spec.name,
                spec.market.country
            );
        }
    }
}

#[test]
fn every_merchant_lies_inside_its_city_zone_and_trades_in_enabled_categories() {
    let data = dataset();
    for m in &data.merchants {
        let city = city_of(&data, m);
        assert!(
            city.zone.contains(city.center, m.merchant.location),
            "{} at {:?} is outside {}",
            m.merchant.name,
            m.merchant.location,
            city.name
        );
        assert!(
            m.merchant
                .categories
                .iter()
                .all(|c| city.categories.contains(c)),
            "{}",
            m.merchant.name
        );
        assert_eq!(m.merchant.country_code, city.country_code);
        assert_eq!(m.merchant.time_zone, city.time_zone);
    }
}

#[test]
fn every_city_has_two_round_the_clock_unpaused_merchants_per_enabled_category() {
    let data = dataset();
    for city in &data.cities {
        for category in &city.categories {
            let open = data
                .merchants
                .iter()
                .filter(|m| {
                    m.merchant.city_id == city.id && m.merchant.categories.contains(category)
                })
                .filter(|m| m.merchant.hours == OpeningHours::always_open() && !m.merchant.paused)
                .count();
            assert!(
                open >= 2,
                "{} has {open} round-the-clock {category:?} merchants",
                city.name
            );
        }
    }
}

#[test]
fn round_the_clock_merchants_are_open_now_by_their_schedule() {
    let now = to_timestamp(NOW).expect("in range");
    for m in dataset()
        .merchants
        .iter()
        .filter(|m| m.merchant.hours == OpeningHours::always_open())
    {
        assert!(
            m.schedule
                .windows
                .iter()
                .any(|w| w.opens_at <= now && now < w.closes_at),
            "{} is closed",
            m.merchant.name
        );
    }
}

#[test]
fn kuwait_sells_no_alcohol_or_pork_and_its_meat_is_halal() {
    let data = dataset();
    for m in data
        .merchants
        .iter()
        .filter(|m| m.merchant.country_code.as_str() == "KW")
    {
        assert!(
            !m.merchant.categories.contains(&ServiceCategory::Alcohol),
            "{}",
            m.merchant.name
        );
        for item in items(m) {
            assert_ne!(
                item.tax_class,
                TaxClass::Alcohol,
                "{}: {}",
                m.merchant.name,
                item.name
            );
            for word in [
                "pork",
                "bacon",
                "beer",
                "wine",
                "lager",
                "pepperoni",
                "ham ",
            ] {
                assert!(
                    !item.name.to_lowercase().contains(word),
                    "{}: {}",
                    m.merchant.name,
                    item.name
                );
            }
        }
        if m.merchant.categories.contains(&ServiceCategory::Food) {
            for item in items(m).filter(|i| !i.dietary_tags.contains(&DietaryTag::Vegetarian)) {
                assert!(
                    item.dietary_tags.contains(&DietaryTag::Halal),
                    "{}: {}",
                    m.merchant.name,
                    item.name
                );
            }
        }
    }
}

#[test]
fn prices_are_positive_in_the_local_currency_with_local_magnitudes() {
    let data = dataset();
    let mut prices: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for m in &data.merchants {
        let currency = &m.merchant.currency;
        let expected = match m.merchant.country_code.as_str() {
            "US" => "USD",
            "DE" => "EUR",
            "JP" => "JPY",
            "KW" => "KWD",
            other => panic!("unexpected country {other}"),
        };
        assert_eq!(currency.as_str(), expected);
        assert_eq!(&m.merchant.minimum_order.currency, currency);
        for item in items(m) {
            assert_eq!(&item.price.currency, currency);
            assert!(
                item.price.amount_minor > 0,
                "{}: {}",
                m.merchant.name,
                item.name
            );
            assert!(item.price.amount_minor <= 100_000_000);
            for option in item.option_groups.iter().flat_map(|g| &g.options) {
                assert_eq!(&option.price_delta.currency, currency);
                assert!((0..=1_000_000).contains(&option.price_delta.amount_minor));
            }
            prices
                .entry(expected.to_owned())
                .or_default()
                .push(item.price.amount_minor);
        }
    }
    for list in prices.values_mut() {
        list.sort_unstable();
    }
    let median = |currency: &str| prices.get(currency).map_or(0, |list| list[list.len() / 2]);
    // A typical dish: $5–30, 4–25 €, ¥300–3,000, 0.5–10 KWD.
    assert!(
        (500..=3_000).contains(&median("USD")),
        "USD {}",
        median("USD")
    );
    assert!(
        (400..=2_500).contains(&median("EUR")),
        "EUR {}",
        median("EUR")
    );
    assert!(
        (300..=3_000).contains(&median("JPY")),
        "JPY {}",
        median("JPY")
    );
    assert!(
        (500..=10_000).contains(&median("KWD")),
        "KWD {}",
        median("KWD")
    );
    // Yen prices are whole tens; fils prices whole fifties (no 3.917 KWD).
    assert!(prices["JPY"].iter().all(|p| p % 10 == 0 && *p < 20_000));
    assert!(prices["KWD"].iter().all(|p| p % 50 == 0 && *p < 100_000));
}

#[test]
fn every_option_group_is_valid_by_the_catalog_rules() {
    let data = dataset();
    let mut groups = 0;
    let mut required = 0;
    let mut multi = 0;
    for m in &data.merchants {
        for item in items(m) {
            assert!(item.option_groups.len() <= 20);
            for g in &item.option_groups {
                groups += 1;
                assert!((1..=50).contains(&g.options.len()), "{}", g.name);
                assert!(
                    g.max_selections >= 1 && usize::from(g.max_selections) <= g.options.len(),
                    "{}",
                    g.name
                );
                assert!(g.min_selections <= g.max_selections, "{}", g.name);
                if g.min_selections >= 1 {
                    required += 1;
                    let available = g.options.iter().filter(|o| o.available).count();
                    assert!(
                        available >= usize::from(g.min_selections),
                        "{} cannot be satisfied",
                        g.name
                    );
                }
                if g.max_selections > 1 {
                    multi += 1;
                }
            }
        }
    }
    assert!(
        required > 0 && multi > 0,
        "{groups} groups, {required} required, {multi} multi-choice"
    );
}

#[test]
fn menus_have_three_to_six_sections_and_fifteen_to_thirty_five_items() {
    for m in dataset().merchants {
        let sections = m.sections.len();
        let count = items(&m).count();
        assert!(
            (3..=6).contains(&sections),
            "{}: {sections} sections",
            m.merchant.name
        );
        assert!(
            (15..=35).contains(&count),
            "{}: {count} items",
            m.merchant.name
        );
        assert!(m.sections.iter().all(|s| !s.items.is_empty()));
        assert!(m.sections.windows(2).all(|w| w[0].position < w[1].position));
    }
}

#[test]
fn menus_are_varied_with_tags_and_unavailable_items() {
    let data = dataset();
    let all: Vec<_> = data.merchants.iter().flat_map(items).collect();
    assert!(all.iter().any(|i| !i.available));
    assert!(all.iter().filter(|i| i.available).count() > all.len() * 9 / 10);
    assert!(all.iter().any(|i| !i.dietary_tags.is_empty()));
    assert!(all.iter().filter(|i| !i.option_groups.is_empty()).count() > all.len() / 5);
    for class in [
        TaxClass::Food,
        TaxClass::Grocery,
        TaxClass::Medicine,
        TaxClass::Alcohol,
        TaxClass::General,
    ] {
        assert!(
            all.iter().any(|i| i.tax_class == class),
            "no {class:?} items"
        );
    }
}

#[test]
fn merchant_fields_are_realistic_and_pass_the_catalog_rules() {
    for m in dataset().merchants {
        let merchant = &m.merchant;
        let name = &merchant.name;
        assert!((1..=100).contains(&name.chars().count()), "{name}");
        assert!(!name.contains('{'), "{name}");
        assert!(
            (1..=200).contains(&merchant.address.chars().count()),
            "{}",
            merchant.address
        );
        assert!(
            merchant
                .description
                .as_ref()
                .is_some_and(|d| d.chars().count() <= 500)
        );
        assert!(merchant.cuisines.len() <= 10);
        assert!(merchant.cuisines.iter().all(|c| c == &c.to_lowercase()));
        assert_eq!(
            merchant.cuisines.is_empty(),
            !merchant.categories.contains(&ServiceCategory::Food),
            "{name}: only restaurants have cuisines"
        );
        assert!(
            (3_000..=8_000).contains(&merchant.delivery_radius_m),
            "{name}"
        );
        assert!((10..=35).contains(&merchant.avg_prep_minutes), "{name}");
        assert!(merchant.minimum_order.amount_minor >= 0);
        let bands = &merchant.delivery_fee_bands;
        assert!((2..=3).contains(&bands.len()), "{name}");
        assert!(
            bands
                .windows(2)
                .all(|w| w[0].up_to_m < w[1].up_to_m && w[0].fee_minor < w[1].fee_minor),
            "{name}"
        );
        assert_eq!(
            bands.last().map(|b| b.up_to_m),
            Some(merchant.delivery_radius_m)
        );
        assert!(
            bands
                .iter()
                .all(|b| (0..=10_000_000).contains(&b.fee_minor))
        );
        assert!((3.2..=4.9).contains(&merchant.rating.average), "{name}");
        assert!(merchant.rating.count >= 5);
        assert!(merchant.hours.intervals.len() <= 50);
        assert!(!merchant.hours.intervals.is_empty(), "{name} never opens");
        for item in items(&m) {
            assert!((1..=120).contains(&item.name.chars().count()));
            assert!(
                item.description
                    .as_ref()
                    .is_some_and(|d| d.chars().count() <= 1000)
            );
        }
    }
}

#[test]
fn hours_include_splits_overnight_intervals_and_closures() {
    let data = dataset();
    let hours: Vec<&OpeningHours> = data.merchants.iter().map(|m| &m.merchant.hours).collect();
    let overnight = hours
        .iter()
        .flat_map(|h| &h.intervals)
        .any(|i| i.closes <= i.opens && i.closes != mercato_core::catalog::ClockTime::MIDNIGHT);
    assert!(overnight, "no interval runs past midnight");
    let split = hours.iter().any(|h| {
        h.intervals
            .iter()
            .filter(|i| i.day == mercato_core::catalog::Weekday::Tuesday)
            .count()
            >= 2
    });
    assert!(split, "no lunch-and-dinner split");
    assert!(
        hours.iter().any(|h| !h.closures.is_empty()),
        "no holiday closures"
    );
    let always = OpeningHours::always_open();
    assert!(hours.iter().filter(|h| ***h != always).count() > hours.len() / 2);
}

#[test]
fn reviews_are_plausible_and_dated_before_now() {
    for m in dataset().merchants {
        assert!((2..=5).contains(&m.reviews.len()));
        assert!(m.reviews.len() as u32 <= m.merchant.rating.count);
        for review in &m.reviews {
            assert!((1..=5).contains(&review.rating));
            assert!(review.created_at < NOW);
            assert!(!review.author_name.contains(' '), "first names only");
            let average = m.merchant.rating.average;
            assert!(
                (f64::from(review.rating) - average).abs() <= 2.0,
                "{} vs {average}",
                review.rating
            );
        }
    }
}

#[test]
fn every_id_is_unique_and_a_demo_uuid() {
    let data = dataset();
    let mut seen: HashSet<Uuid> = HashSet::new();
    let mut add = |id: Uuid| {
        assert!(id.to_string().starts_with("5eedde70-da7a-8"), "{id}");
        assert!(seen.insert(id), "duplicate id {id}");
    };
    for city in &data.cities {
        add(city.id.0);
    }
    for m in &data.merchants {
        add(m.merchant.id.0);
        for section in &m.sections {
            add(section.id.0);
            for item in &section.items {
                add(item.id.0);
                for group in &item.option_groups {
                    add(group.id.0);
                    for option in &group.options {
                        add(option.id.0);
                    }
                }
            }
        }
        for review in &m.reviews {
            add(review.id.0);
        }
    }
}

// The loader, against in-memory stores.

struct FakeGeo {
    countries: Vec<Country>,
    cities: Mutex<Vec<City>>,
}

impl FakeGeo {
    fn with_demo_countries() -> Self {
        let country = |code: &str, currency: &str| Country {
            code: CountryCode::parse(code).expect("code"),
            name: code.to_owned(),
            currency: CurrencyCode::parse(currency).expect("currency"),
            currency_exponent: 2,
            default_locale: "en".to_owned(),
            time_zones: vec!["UTC".to_owned()],
            tax_regime: TaxRegime::Inclusive,
            tax_rates: Vec::new(),
            enabled: true,
        };
        Self {
            countries: vec![
                country("US", "USD"),
                country("DE", "EUR"),
                country("JP", "JPY"),
                country("KW", "KWD"),
            ],
            cities: Mutex::new(Vec::new()),
        }
    }

    fn city_count(&self) -> usize {
        self.cities.lock().expect("lock").len()
    }
}

#[async_trait]
impl GeoStore for FakeGeo {
    async fn list_countries(&self) -> Result<Vec<Country>, StoreError> {
        Ok(self.countries.clone())
    }
    async fn country(&self, code: &CountryCode) -> Result<Option<Country>, StoreError> {
        Ok(self.countries.iter().find(|c| &c.code == code).cloned())
    }
    async fn create_country(&self, _: &Country) -> Result<(), StoreError> {
        unreachable!("the seed never creates countries")
    }
    async fn update_country(&self, _: &Country) -> Result<bool, StoreError> {
        unreachable!("the seed never changes countries")
    }
    async fn cities_of(&self, code: &CountryCode) -> Result<Vec<City>, StoreError> {
        Ok(self
            .cities
            .lock()
            .expect("lock")
            .iter()
            .filter(|c| &c.country_code == code)
            .cloned()
            .collect())
    }
    async fn city(&self, id: CityId) -> Result<Option<City>, StoreError> {
        Ok(self
            .cities
            .lock()
            .expect("lock")
            .iter()
            .find(|c| c.id == id)
            .cloned())
    }
    async fn create_city(&self, city: &City) -> Result<(), StoreError> {
        self.cities.lock().expect("lock").push(city.clone());
        Ok(())
    }
    async fn update_city(&self, _: &City) -> Result<bool, StoreError> {
        unreachable!("the seed never changes cities")
    }
    async fn set_city_category(
        &self,
        _: CityId,
        _: ServiceCategory,
        _: bool,
    ) -> Result<Option<City>, StoreError> {
        unreachable!("the seed never toggles categories")
    }
    async fn cities_around(&self, _: LatLng) -> Result<Vec<City>, StoreError> {
        unreachable!("the seed never resolves points")
    }
}

#[derive(Default)]
struct FakeCatalog {
    merchants: Mutex<HashSet<MerchantId>>,
    batches: Mutex<Vec<usize>>,
}

#[async_trait]
impl CatalogImport for FakeCatalog {
    async fn import_merchants(&self, merchants: &[MerchantImport]) -> Result<u64, StoreError> {
        self.batches.lock().expect("lock").push(merchants.len());
        let mut known = self.merchants.lock().expect("lock");
        Ok(merchants
            .iter()
            .filter(|m| known.insert(m.merchant.id))
            .count() as u64)
    }
}

#[derive(Default)]
struct FakeStaff {
    memberships: Mutex<HashSet<(UserId, MerchantId)>>,
}

#[async_trait]
impl StaffDirectory for FakeStaff {
    async fn add_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        self.memberships
            .lock()
            .expect("lock")
            .insert((user, merchant));
        Ok(true)
    }
    async fn remove_staff(&self, user: UserId, merchant: MerchantId) -> Result<bool, StoreError> {
        Ok(self
            .memberships
            .lock()
            .expect("lock")
            .remove(&(user, merchant)))
    }
}

#[tokio::test]
async fn loading_creates_cities_and_merchants_in_batches_and_a_second_load_adds_nothing() {
    let (geo, catalog, staff) = (
        FakeGeo::with_demo_countries(),
        FakeCatalog::default(),
        FakeStaff::default(),
    );
    let total = demo_merchant_count(2);

    let first = loader::load(&geo, &catalog, &staff, None, 2, NOW)
        .await
        .expect("loads");
    assert_eq!(first.cities_created, 16);
    assert_eq!(first.merchants_created, total);
    assert_eq!(first.merchants_total, total);
    assert_eq!(geo.city_count(), 16);
    let batches = catalog.batches.lock().expect("lock").clone();
    assert!(
        batches.iter().all(|&b| b <= IMPORT_BATCH_SIZE) && batches.len() > 1,
        "{batches:?}"
    );

    let again = loader::load(&geo, &catalog, &staff, None, 2, NOW)
        .await
        .expect("loads again");
    assert_eq!((again.cities_created, again.merchants_created), (0, 0));
    assert_eq!(again.merchants_total, total);
}

#[tokio::test]
async fn the_demo_merchant_account_becomes_staff_of_some_merchants_in_every_city() {
    let (geo, catalog, staff) = (
        FakeGeo::with_demo_countries(),
        FakeCatalog::default(),
        FakeStaff::default(),
    );
    let user = UserId::new();

    let report = loader::load(&geo, &catalog, &staff, Some(user), 1, NOW)
        .await
        .expect("loads");

    let memberships = staff.memberships.lock().expect("lock").clone();
    assert_eq!(report.staff_memberships, memberships.len());
    let data = dataset();
    for city in &data.cities {
        let in_city: Vec<&MerchantImport> = data
            .merchants
            .iter()
            .filter(|m| m.merchant.city_id == city.id)
            .collect();
        let staffed: Vec<&&MerchantImport> = in_city
            .iter()
            .filter(|m| memberships.contains(&(user, m.merchant.id)))
            .collect();
        assert!(
            !staffed.is_empty() && staffed.len() < in_city.len(),
            "{}: {} staffed",
            city.name,
            staffed.len()
        );
        assert!(
            staffed
                .iter()
                .all(|m| m.merchant.hours == OpeningHours::always_open() && !m.merchant.paused)
        );
    }
}

#[tokio::test]
async fn without_the_demo_account_no_staff_is_added() {
    let (geo, catalog, staff) = (
        FakeGeo::with_demo_countries(),
        FakeCatalog::default(),
        FakeStaff::default(),
    );
    let report = loader::load(&geo, &catalog, &staff, None, 1, NOW)
        .await
        .expect("loads");
    assert_eq!(report.staff_memberships, 0);
    assert!(staff.memberships.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn a_missing_country_stops_the_load_before_anything_is_written() {
    let mut geo = FakeGeo::with_demo_countries();
    geo.countries.retain(|c| c.code.as_str() != "KW");
    let (catalog, staff) = (FakeCatalog::default(), FakeStaff::default());

    let result = loader::load(&geo, &catalog, &staff, None, 1, NOW).await;

    assert!(matches!(result, Err(SeedError::MissingCountry(code)) if code.as_str() == "KW"));
    assert_eq!(geo.city_count(), 0);
    assert!(catalog.batches.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn a_country_with_another_currency_is_refused() {
    let mut geo = FakeGeo::with_demo_countries();
    geo.countries[2].currency = CurrencyCode::parse("USD").expect("currency");
    let (catalog, staff) = (FakeCatalog::default(), FakeStaff::default());

    let result = loader::load(&geo, &catalog, &staff, None, 1, NOW).await;

    assert!(
        matches!(result, Err(SeedError::CurrencyMismatch { .. })),
        "{result:?}"
    );
}

// The loader against the real PostgreSQL store (the server the end-to-end tests use).

mod postgres {
    use mercato_core::Role;
    use mercato_core::catalog::{CatalogStore, MenuRead};
    use mercato_core::identity::{
        Email, NewAccount, NewUser, PasswordHash, Preferences, UserStore,
    };
    use mercato_store_postgres::{PgStore, PoolSettings};
    use sqlx::Connection as _;

    use super::*;

    fn server_url() -> String {
        std::env::var("MERCATO_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
    }

    async fn drop_database(name: &str) {
        let mut admin = sqlx::PgConnection::connect(&format!("{}/postgres", server_url()))
            .await
            .expect("connect to PostgreSQL");
        // The name is generated by this test (letters, digits, underscores).
        let statement = format!("drop database if exists {name} with (force)");
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&mut admin)
            .await
            .expect("drop the test database");
    }

    async fn demo_merchant_account(store: &PgStore) -> UserId {
        let id = UserId::new();
        let account = NewAccount {
            user: NewUser {
                id,
                email: Email::parse(DEMO_MERCHANT_EMAIL).expect("email"),
                name: "Mona Merchant".to_owned(),
                phone: None,
                country_code: CountryCode::parse("US").expect("code"),
                locale: "en-US".to_owned(),
                roles: vec![Role::MerchantStaff],
            },
            password: PasswordHash("not-a-real-hash".to_owned()),
            preferences: Preferences::defaults_for("en-US"),
            session: None,
            events: Vec::new(),
            created_at: NOW,
        };
        store
            .create_user(&account)
            .await
            .expect("create the demo merchant");
        id
    }

    #[tokio::test]
    async fn the_demo_dataset_loads_into_postgres_once() {
        let name = format!("mercato_seed_{}", Uuid::now_v7().simple());
        let url = format!("{}/{name}", server_url());
        let store = PgStore::connect_and_migrate(&url, &PoolSettings::default())
            .await
            .expect("a fresh database");
        let merchant_user = demo_merchant_account(&store).await;

        let first = seed_demo(&store, &store, &store, &store, 1, NOW)
            .await
            .expect("loads");
        let again = seed_demo(&store, &store, &store, &store, 1, NOW)
            .await
            .expect("loads again");

        let data = dataset();
        assert_eq!(first.cities_created, data.cities.len());
        assert_eq!(first.merchants_created, data.merchants.len() as u64);
        assert_eq!(first.staff_memberships, 2 * data.cities.len());
        assert_eq!((again.cities_created, again.merchants_created), (0, 0));
        let city = &data.cities[0];
        assert_eq!(
            store.city(city.id).await.expect("reads").as_ref(),
            Some(city)
        );
        let anchor = &data.merchants[0];
        let (stored, open, _) = store
            .merchant(anchor.merchant.id, NOW)
            .await
            .expect("reads")
            .expect("stored");
        assert_eq!(stored.name, anchor.merchant.name);
        assert!(open, "round-the-clock merchants are open");
        let Some(MenuRead::Current(menu)) = store
            .current_menu(anchor.merchant.id, None)
            .await
            .expect("reads")
        else {
            panic!("the anchor merchant has a menu");
        };
        assert_eq!(menu.sections.len(), anchor.sections.len());
        let (user, _) = store
            .find_credentials(&Email::parse(DEMO_MERCHANT_EMAIL).expect("email"))
            .await
            .expect("reads")
            .expect("exists");
        assert_eq!(user.id, merchant_user);

        store.pool().close().await;
        drop_database(&name).await;
    }
}
