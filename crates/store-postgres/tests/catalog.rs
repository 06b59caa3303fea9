//! The catalog store against a real PostgreSQL: discovery (coverage, filters, every sort
//! order and its keyset pagination, and agreement with the core's distance, ETA and fee),
//! open windows, merchants, menus and their ownership checks, reviews, the bulk import and
//! the staff directory. Each test runs in its own freshly migrated database.

mod common;

use std::collections::HashSet;

use common::{NOW, count, register};
use mercato_core::catalog::{
    CandidateQuery, CatalogImport, CatalogStore, ClockTime, DiscoverySort, EtaModel, FeeBand,
    HeldMenu, Menu, MenuItem, MenuOption, MenuRead, MenuSection, Merchant, MerchantImport,
    MerchantSummary, OpenSchedule, OpeningHours, OpeningInterval, OptionGroup, Rating, Review,
    SortPosition, StaffDirectory, Weekday, delivery_fee_minor, schedule_from,
};
use mercato_core::geo::{CountryCode, LatLng, ServiceCategory, TaxClass, distance_m};
use mercato_core::identity::DietaryTag;
use mercato_core::ids::{
    CityId, ItemId, MerchantId, OptionGroupId, OptionId, ReviewId, SectionId, UserId,
};
use mercato_core::money::{CurrencyCode, Money};
use mercato_store_postgres::PgStore;
use sqlx::PgPool;
use time::Duration;
use uuid::Uuid;

const BERLIN: LatLng = LatLng {
    lat: 52.52,
    lng: 13.405,
};

// --- fixtures ---------------------------------------------------------------------------

fn eur() -> CurrencyCode {
    CurrencyCode::parse("EUR").expect("valid currency")
}

/// The point `north_m` metres north and `east_m` metres east of `from` (small distances).
fn offset(from: LatLng, north_m: f64, east_m: f64) -> LatLng {
    let d_lat = (north_m / mercato_core::geo::EARTH_RADIUS_M).to_degrees();
    let d_lng =
        (east_m / mercato_core::geo::EARTH_RADIUS_M).to_degrees() / from.lat.to_radians().cos();
    LatLng {
        lat: from.lat + d_lat,
        lng: from.lng + d_lng,
    }
}

/// A restaurant in Berlin, open around the clock, delivering `radius_m` metres.
fn merchant(name: &str, location: LatLng, radius_m: u32) -> Merchant {
    Merchant {
        id: MerchantId::new(),
        name: name.to_owned(),
        description: Some("Neapolitan pizza".to_owned()),
        country_code: CountryCode::parse("DE").expect("valid country"),
        city_id: CityId(Uuid::nil()),
        currency: eur(),
        categories: vec![ServiceCategory::Food],
        cuisines: vec!["pizza".to_owned(), "italian".to_owned()],
        address: "Hauptstraße 1".to_owned(),
        location,
        delivery_radius_m: radius_m,
        avg_prep_minutes: 15,
        minimum_order: Money::new(1000, eur()),
        delivery_fee_bands: vec![
            FeeBand {
                up_to_m: 2000,
                fee_minor: 199,
            },
            FeeBand {
                up_to_m: 5000,
                fee_minor: 299,
            },
            FeeBand {
                up_to_m: 8000,
                fee_minor: 399,
            },
        ],
        time_zone: "Europe/Berlin".to_owned(),
        hours: OpeningHours::always_open(),
        paused: false,
        busy: false,
        rating: Rating {
            average: 4.5,
            count: 12,
        },
        image_url: Some("https://img.example/pizza.jpg".to_owned()),
    }
}

fn schedule(merchant: &Merchant) -> OpenSchedule {
    schedule_from(&merchant.hours, &merchant.time_zone, NOW)
}

fn hours(day: Weekday, opens: &str, closes: &str) -> OpeningHours {
    OpeningHours {
        intervals: vec![OpeningInterval {
            day,
            opens: ClockTime::parse(opens).expect("valid time"),
            closes: ClockTime::parse(closes).expect("valid time"),
        }],
        closures: Vec::new(),
    }
}

fn item(name: &str, price_minor: i64, option_groups: Vec<OptionGroup>) -> MenuItem {
    MenuItem {
        id: ItemId::new(),
        name: name.to_owned(),
        description: Some(format!("{name}, freshly made")),
        price: Money::new(price_minor, eur()),
        tax_class: TaxClass::Food,
        dietary_tags: vec![DietaryTag::Vegetarian],
        image_url: None,
        available: true,
        option_groups,
    }
}

fn group(name: &str, options: &[(&str, i64)]) -> OptionGroup {
    OptionGroup {
        id: OptionGroupId::new(),
        name: name.to_owned(),
        min_selections: 0,
        max_selections: 2,
        options: options
            .iter()
            .map(|(name, delta)| MenuOption {
                id: OptionId::new(),
                name: (*name).to_owned(),
                price_delta: Money::new(*delta, eur()),
                available: true,
            })
            .collect(),
    }
}

fn section(name: &str, position: i32, items: Vec<MenuItem>) -> MenuSection {
    MenuSection {
        id: SectionId::new(),
        name: name.to_owned(),
        position,
        items,
    }
}

/// A pizzeria's menu: pizzas (with sizes and toppings) before drinks.
fn pizzeria_menu() -> Vec<MenuSection> {
    vec![
        section(
            "Drinks",
            2,
            vec![item("Cola", 250, vec![]), item("Water", 150, vec![])],
        ),
        section(
            "Pizzas",
            1,
            vec![
                item(
                    "Margherita",
                    850,
                    vec![
                        group("Size", &[("Small", -100), ("Large", 250)]),
                        group("Toppings", &[("Basil", 0), ("Extra cheese", 120)]),
                    ],
                ),
                item("Salami", 950, vec![]),
            ],
        ),
    ]
}

fn review(author: &str, rating: u8, minutes_ago: i64) -> Review {
    Review {
        id: ReviewId::new(),
        author_name: author.to_owned(),
        rating,
        comment: Some(format!("{author} liked it")),
        created_at: NOW - Duration::minutes(minutes_ago),
    }
}

fn import(merchant: Merchant, sections: Vec<MenuSection>, reviews: Vec<Review>) -> MerchantImport {
    MerchantImport {
        schedule: schedule(&merchant),
        merchant,
        sections,
        reviews,
    }
}

async fn imported(store: &PgStore, merchants: Vec<MerchantImport>) {
    let expected = merchants.len() as u64;
    let created = store.import_merchants(&merchants).await.expect("imported");
    assert_eq!(created, expected);
}

async fn created(store: &PgStore, merchant: &Merchant) {
    store
        .create_merchant(merchant, &schedule(merchant))
        .await
        .expect("created");
}

/// Every food and grocery merchant delivering to `point`, nearest first, one page of 100.
fn query(point: LatLng) -> CandidateQuery {
    CandidateQuery {
        point,
        city: CityId(Uuid::nil()),
        categories: vec![ServiceCategory::Food, ServiceCategory::Grocery],
        cuisine: None,
        text: None,
        open_now: false,
        sort: DiscoverySort::Distance,
        after: None,
        limit: 100,
        now: NOW,
        eta: EtaModel::default(),
    }
}

async fn discover(store: &PgStore, query: &CandidateQuery) -> Vec<MerchantSummary> {
    store
        .discover(query)
        .await
        .expect("discovered")
        .into_iter()
        .map(|c| c.summary)
        .collect()
}

async fn names_found(store: &PgStore, query: &CandidateQuery) -> Vec<String> {
    let mut names: Vec<String> = discover(store, query)
        .await
        .into_iter()
        .map(|s| s.name)
        .collect();
    names.sort();
    names
}

/// A deterministic pseudo-random sequence in [0, 1) (the tests need no `rand`).
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        #[allow(clippy::cast_precision_loss)]
        let unit = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
        unit
    }
}

/// Forty merchants around Berlin's centre with varied radii, ratings, preparation times and
/// busy flags, including ties: four share one location, several share a rating.
fn crowd() -> Vec<Merchant> {
    let mut rng = Lcg(7);
    let mut merchants = Vec::new();
    for i in 0..40 {
        let at = if i < 4 {
            offset(BERLIN, 500.0, 500.0)
        } else {
            offset(
                BERLIN,
                (rng.unit() - 0.5) * 12_000.0,
                (rng.unit() - 0.5) * 12_000.0,
            )
        };
        let mut m = merchant(
            &format!("Merchant {i:02}"),
            at,
            2_000 + (rng.unit() * 8_000.0) as u32,
        );
        m.rating.average = [4.5, 3.9, 4.8, 4.5][i % 4];
        m.avg_prep_minutes = 10 + (i % 3) as u16 * 5;
        m.busy = i % 5 == 0;
        if i % 7 == 0 {
            m.categories = vec![ServiceCategory::Grocery];
        }
        merchants.push(m);
    }
    merchants
}

async fn import_crowd(store: &PgStore) -> Vec<Merchant> {
    let merchants = crowd();
    imported(
        store,
        merchants
            .iter()
            .map(|m| import(m.clone(), Vec::new(), Vec::new()))
            .collect(),
    )
    .await;
    merchants
}

/// The merchants of `merchants` delivering to `point`, by the core's own rules.
fn covering(merchants: &[Merchant], point: LatLng) -> HashSet<MerchantId> {
    merchants
        .iter()
        .filter(|m| distance_m(m.location, point) <= f64::from(m.delivery_radius_m))
        .map(|m| m.id)
        .collect()
}

// --- discovery: coverage and filters ------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn discovery_returns_only_merchants_delivering_to_the_point(pool: PgPool) {
    let store = PgStore::new(pool);
    created(
        &store,
        &merchant("Near", offset(BERLIN, 1_000.0, 0.0), 3_000),
    )
    .await;
    created(
        &store,
        &merchant("Far, small radius", offset(BERLIN, 5_000.0, 0.0), 3_000),
    )
    .await;
    created(
        &store,
        &merchant("Far, large radius", offset(BERLIN, 0.0, -5_000.0), 8_000),
    )
    .await;
    created(
        &store,
        &merchant("Just out of reach", offset(BERLIN, 0.0, 3_010.0), 3_000),
    )
    .await;

    let names = names_found(&store, &query(BERLIN)).await;

    assert_eq!(names, ["Far, large radius", "Near"]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn discovery_covers_exactly_the_points_the_core_says_are_in_reach(pool: PgPool) {
    let store = PgStore::new(pool);
    let merchants = import_crowd(&store).await;
    let mut rng = Lcg(11);

    for _ in 0..25 {
        let point = offset(
            BERLIN,
            (rng.unit() - 0.5) * 16_000.0,
            (rng.unit() - 0.5) * 16_000.0,
        );
        let found: HashSet<MerchantId> = discover(&store, &query(point))
            .await
            .into_iter()
            .map(|s| s.id)
            .collect();

        assert_eq!(found, covering(&merchants, point), "{point:?}");
    }
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn discovery_lists_only_merchants_of_the_city_serving_the_point(pool: PgPool) {
    let store = PgStore::new(pool);
    let local = merchant("Local", BERLIN, 5_000);
    let neighbour = Merchant {
        city_id: CityId::new(),
        ..merchant("Next town over", offset(BERLIN, 1_000.0, 0.0), 5_000)
    };
    created(&store, &local).await;
    created(&store, &neighbour).await;

    let found = discover(&store, &query(BERLIN)).await;

    let ids: Vec<MerchantId> = found.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![local.id]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn discovery_keeps_only_the_allowed_categories(pool: PgPool) {
    let store = PgStore::new(pool);
    created(&store, &merchant("Pizzeria", BERLIN, 3_000)).await;
    let mut grocer = merchant("Grocer", BERLIN, 3_000);
    grocer.categories = vec![ServiceCategory::Grocery, ServiceCategory::Convenience];
    created(&store, &grocer).await;
    let mut pharmacy = merchant("Pharmacy", BERLIN, 3_000);
    pharmacy.categories = vec![ServiceCategory::Pharmacy];
    created(&store, &pharmacy).await;

    let groceries = CandidateQuery {
        categories: vec![ServiceCategory::Grocery],
        ..query(BERLIN)
    };

    assert_eq!(names_found(&store, &groceries).await, ["Grocer"]);
    assert_eq!(
        names_found(&store, &query(BERLIN)).await,
        ["Grocer", "Pizzeria"]
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn discovery_filters_by_cuisine(pool: PgPool) {
    let store = PgStore::new(pool);
    created(&store, &merchant("Pizzeria", BERLIN, 3_000)).await;
    let mut ramen = merchant("Ramen bar", BERLIN, 3_000);
    ramen.cuisines = vec!["ramen".to_owned(), "japanese".to_owned()];
    created(&store, &ramen).await;

    let japanese = CandidateQuery {
        cuisine: Some("japanese".to_owned()),
        ..query(BERLIN)
    };

    assert_eq!(names_found(&store, &japanese).await, ["Ramen bar"]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn discovery_text_matches_merchant_names_and_dish_names(pool: PgPool) {
    let store = PgStore::new(pool);
    imported(
        &store,
        vec![
            import(
                merchant("Luigi's Pizzeria", BERLIN, 3_000),
                pizzeria_menu(),
                Vec::new(),
            ),
            import(
                merchant("Sushi Sakura", BERLIN, 3_000),
                Vec::new(),
                Vec::new(),
            ),
            import(
                merchant("Corner Deli", BERLIN, 3_000),
                vec![section(
                    "Sandwiches",
                    0,
                    vec![item("Pastrami on rye", 900, vec![])],
                )],
                Vec::new(),
            ),
        ],
    )
    .await;
    let text = |q: &str| CandidateQuery {
        text: Some(q.to_owned()),
        ..query(BERLIN)
    };

    assert_eq!(names_found(&store, &text("sakura")).await, ["Sushi Sakura"]);
    assert_eq!(
        names_found(&store, &text("margherita")).await,
        ["Luigi's Pizzeria"]
    );
    assert_eq!(
        names_found(&store, &text("pastrami on")).await,
        ["Corner Deli"]
    );
    assert!(names_found(&store, &text("burrito")).await.is_empty());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn discovery_text_takes_like_wildcards_literally(pool: PgPool) {
    let store = PgStore::new(pool);
    created(&store, &merchant("100% Burger", BERLIN, 3_000)).await;
    created(&store, &merchant("1000 Burgers", BERLIN, 3_000)).await;
    created(&store, &merchant("Back_Yard", BERLIN, 3_000)).await;
    created(&store, &merchant("Backyard Grill", BERLIN, 3_000)).await;
    created(&store, &merchant("Slash\\Dot", BERLIN, 3_000)).await;
    let text = |q: &str| CandidateQuery {
        text: Some(q.to_owned()),
        ..query(BERLIN)
    };

    assert_eq!(names_found(&store, &text("0% b")).await, ["100% Burger"]);
    assert_eq!(names_found(&store, &text("back_")).await, ["Back_Yard"]);
    assert_eq!(names_found(&store, &text("%")).await, ["100% Burger"]);
    assert_eq!(names_found(&store, &text("h\\d")).await, ["Slash\\Dot"]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn discovery_summaries_carry_the_merchant_details_in_its_currency(pool: PgPool) {
    let store = PgStore::new(pool);
    let m = merchant("Pizzeria", offset(BERLIN, 2_500.0, 0.0), 6_000);
    created(&store, &m).await;

    let found = discover(&store, &query(BERLIN)).await;

    let summary = &found[0];
    assert_eq!(summary.id, m.id);
    assert_eq!(summary.categories, m.categories);
    assert_eq!(summary.cuisines, m.cuisines);
    assert_eq!(summary.rating, m.rating);
    assert_eq!(summary.distance_m, 2_500);
    assert_eq!(summary.delivery_fee, Money::new(299, eur()));
    assert_eq!(summary.minimum_order, Money::new(1000, eur()));
    // 15 minutes' preparation, 5 for the hand-off, 2.5 km at 18 km/h (8⅓, rounded up).
    assert_eq!(summary.eta_minutes, 15 + 5 + 9);
    assert!(summary.open_now);
    assert_eq!(summary.next_opening_at, None);
    assert!(!summary.paused);
    assert_eq!(summary.image_url, m.image_url);
}

// --- discovery: agreement with the core ---------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn discovery_distance_eta_and_fee_agree_with_the_core(pool: PgPool) {
    let store = PgStore::new(pool);
    let mut merchants = import_crowd(&store).await;
    // Beyond the last fee band (8 km) the last band's fee applies.
    let mut wide = merchant("Wide reach", offset(BERLIN, -4_000.0, 4_000.0), 12_000);
    wide.busy = true;
    created(&store, &wide).await;
    merchants.push(wide);
    let model = EtaModel {
        handoff_minutes: 4,
        courier_speed_kmh: 13,
        busy_extra_minutes: 12,
    };
    let mut rng = Lcg(3);
    let mut compared = 0;

    for _ in 0..30 {
        let point = offset(
            BERLIN,
            (rng.unit() - 0.5) * 14_000.0,
            (rng.unit() - 0.5) * 14_000.0,
        );
        let found = discover(
            &store,
            &CandidateQuery {
                eta: model,
                ..query(point)
            },
        )
        .await;

        for summary in found {
            let m = merchants
                .iter()
                .find(|m| m.id == summary.id)
                .expect("known merchant");
            let distance = distance_m(m.location, point);
            assert_eq!(
                f64::from(summary.distance_m),
                distance.round(),
                "{}",
                m.name
            );
            assert_eq!(
                summary.eta_minutes,
                model.eta_minutes(m.avg_prep_minutes, m.busy, distance),
                "{}",
                m.name
            );
            assert_eq!(
                summary.delivery_fee.amount_minor,
                delivery_fee_minor(&m.delivery_fee_bands, distance),
                "{}",
                m.name
            );
            compared += 1;
        }
    }
    assert!(compared > 100, "only {compared} summaries compared");
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn the_sql_distance_function_agrees_with_the_core(pool: PgPool) {
    let mut rng = Lcg(5);
    for _ in 0..200 {
        let a = LatLng {
            lat: (rng.unit() - 0.5) * 170.0,
            lng: (rng.unit() - 0.5) * 358.0,
        };
        let b = offset(
            a,
            (rng.unit() - 0.5) * 60_000.0,
            (rng.unit() - 0.5) * 60_000.0,
        );
        let sql: f64 = sqlx::query_scalar("select catalog.distance_m($1, $2, $3, $4)")
            .bind(a.lat)
            .bind(a.lng)
            .bind(b.lat)
            .bind(b.lng)
            .fetch_one(&pool)
            .await
            .expect("query");

        assert!((sql - distance_m(a, b)).abs() < 1e-6, "{a:?} {b:?}");
    }
}

// --- discovery: sorting and pagination -----------------------------------------------------

const SORTS: [DiscoverySort; 4] = [
    DiscoverySort::Distance,
    DiscoverySort::Rating,
    DiscoverySort::Eta,
    DiscoverySort::Fee,
];

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn every_sort_order_ranks_by_its_key_then_by_id(pool: PgPool) {
    let store = PgStore::new(pool);
    import_crowd(&store).await;
    let point = offset(BERLIN, 300.0, -200.0);

    for sort in SORTS {
        let found = store
            .discover(&CandidateQuery {
                sort,
                ..query(point)
            })
            .await
            .expect("discovered");
        assert!(found.len() > 10, "{sort:?}: {} found", found.len());

        for pair in found.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let ordered = a.position.key < b.position.key
                || (a.position.key == b.position.key && a.position.id < b.position.id);
            assert!(
                ordered,
                "{sort:?}: {:?} before {:?}",
                a.position, b.position
            );
            let (a, b) = (&a.summary, &b.summary);
            match sort {
                DiscoverySort::Distance => assert!(a.distance_m <= b.distance_m),
                DiscoverySort::Rating => assert!(a.rating.average >= b.rating.average),
                DiscoverySort::Eta => assert!(a.eta_minutes <= b.eta_minutes),
                DiscoverySort::Fee => {
                    assert!(a.delivery_fee.amount_minor <= b.delivery_fee.amount_minor);
                }
            }
        }
    }
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn paging_with_after_visits_every_covering_merchant_once(pool: PgPool) {
    let store = PgStore::new(pool);
    let merchants = import_crowd(&store).await;
    let point = offset(BERLIN, 500.0, 500.0);
    let expected = covering(&merchants, point);
    assert!(expected.len() > 15);

    for sort in SORTS {
        let first = CandidateQuery {
            sort,
            limit: 4,
            ..query(point)
        };
        let whole = store
            .discover(&CandidateQuery {
                limit: 100,
                ..first.clone()
            })
            .await
            .expect("discovered");
        let mut paged: Vec<MerchantId> = Vec::new();
        let mut after: Option<SortPosition> = None;
        loop {
            let page = store
                .discover(&CandidateQuery {
                    after,
                    ..first.clone()
                })
                .await
                .expect("discovered");
            paged.extend(page.iter().map(|c| c.summary.id));
            match page.last() {
                Some(last) if page.len() == 4 => after = Some(last.position),
                _ => break,
            }
        }

        let whole: Vec<MerchantId> = whole.iter().map(|c| c.summary.id).collect();
        assert_eq!(paged, whole, "{sort:?}: pages differ from one long page");
        let distinct: HashSet<MerchantId> = paged.iter().copied().collect();
        assert_eq!(
            distinct.len(),
            paged.len(),
            "{sort:?}: a merchant was listed twice"
        );
        assert_eq!(distinct, expected, "{sort:?}");
    }
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn the_page_after_the_last_merchant_is_empty(pool: PgPool) {
    let store = PgStore::new(pool);
    import_crowd(&store).await;

    for sort in SORTS {
        let all = store
            .discover(&CandidateQuery {
                sort,
                ..query(BERLIN)
            })
            .await
            .expect("discovered");
        let last = all.last().expect("some merchants").position;

        let after_last = store
            .discover(&CandidateQuery {
                sort,
                after: Some(last),
                ..query(BERLIN)
            })
            .await
            .expect("discovered");

        assert!(after_last.is_empty(), "{sort:?}");
    }
}

// --- discovery: open now -------------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn open_now_and_next_opening_come_from_the_open_windows(pool: PgPool) {
    let store = PgStore::new(pool);
    // NOW is Tuesday 2026-11-24 13:00 in Berlin.
    let mut lunch = merchant("Lunch", BERLIN, 3_000);
    lunch.hours = hours(Weekday::Tuesday, "11:00", "14:30");
    let mut dinner = merchant("Dinner", BERLIN, 3_000);
    dinner.hours = hours(Weekday::Tuesday, "18:00", "22:00");
    let mut paused = merchant("Paused", BERLIN, 3_000);
    paused.hours = lunch.hours.clone();
    paused.paused = true;
    let mut closed = merchant("Closed all week", BERLIN, 3_000);
    closed.hours = OpeningHours::default();
    for m in [&lunch, &dinner, &paused, &closed] {
        created(&store, m).await;
    }

    let found = discover(&store, &query(BERLIN)).await;
    let summary = |name: &str| {
        found
            .iter()
            .find(|s| s.name == name)
            .expect("found")
            .clone()
    };

    assert!(summary("Lunch").open_now);
    assert_eq!(summary("Lunch").next_opening_at, None);
    assert!(!summary("Dinner").open_now);
    let six_pm = time::macros::datetime!(2026-11-24 17:00 UTC);
    assert_eq!(summary("Dinner").next_opening_at, Some(six_pm));
    assert!(!summary("Paused").open_now);
    assert!(summary("Paused").paused);
    assert!(!summary("Closed all week").open_now);
    assert_eq!(summary("Closed all week").next_opening_at, None);
    for sort in SORTS {
        let open_now = CandidateQuery {
            open_now: true,
            sort,
            ..query(BERLIN)
        };
        assert_eq!(names_found(&store, &open_now).await, ["Lunch"], "{sort:?}");
    }
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_merchant_page_tells_whether_it_is_open(pool: PgPool) {
    let store = PgStore::new(pool);
    let mut dinner = merchant("Dinner", BERLIN, 3_000);
    dinner.hours = hours(Weekday::Tuesday, "18:00", "22:00");
    created(&store, &dinner).await;

    let (_, open_at_noon, next) = store
        .merchant(dinner.id, NOW)
        .await
        .expect("query")
        .expect("found");
    let evening = NOW + Duration::hours(6);
    let (_, open_in_the_evening, none) = store
        .merchant(dinner.id, evening)
        .await
        .expect("query")
        .expect("found");

    assert!(!open_at_noon);
    assert_eq!(next, Some(time::macros::datetime!(2026-11-24 17:00 UTC)));
    assert!(open_in_the_evening);
    assert_eq!(none, None);
}

// --- merchants ----------------------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_created_merchant_reads_back_as_written(pool: PgPool) {
    let store = PgStore::new(pool);
    let m = merchant("Pizzeria", BERLIN, 3_000);
    created(&store, &m).await;

    let (found, _, _) = store
        .merchant(m.id, NOW)
        .await
        .expect("query")
        .expect("found");

    assert_eq!(found, m);
    assert_eq!(
        store.merchant(MerchantId::new(), NOW).await.expect("query"),
        None
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn creating_a_merchant_twice_is_a_unique_violation(pool: PgPool) {
    let store = PgStore::new(pool);
    let m = merchant("Pizzeria", BERLIN, 3_000);
    created(&store, &m).await;

    let err = store
        .create_merchant(&m, &schedule(&m))
        .await
        .expect_err("duplicate");

    assert!(matches!(err, mercato_core::StoreError::UniqueViolation(_)));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_update_replaces_the_details_and_windows_but_not_rating_or_pause(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let m = merchant("Pizzeria", BERLIN, 3_000);
    created(&store, &m).await;
    store
        .set_pause(m.id, true, Some(true))
        .await
        .expect("paused");
    let mut changed = merchant("Trattoria", offset(BERLIN, 100.0, 0.0), 4_000);
    changed.id = m.id;
    changed.hours = hours(Weekday::Tuesday, "18:00", "22:00");
    changed.rating = Rating {
        average: 1.0,
        count: 1,
    };

    assert!(
        store
            .update_merchant(&changed, &schedule(&changed))
            .await
            .expect("updated")
    );

    let (found, open, _) = store
        .merchant(m.id, NOW)
        .await
        .expect("query")
        .expect("found");
    assert_eq!(found.name, "Trattoria");
    assert_eq!(found.location, changed.location);
    assert_eq!(found.delivery_radius_m, 4_000);
    assert_eq!(found.hours, changed.hours);
    assert_eq!(found.rating, m.rating);
    assert!(found.paused && found.busy);
    assert!(!open);
    assert_eq!(
        count(&pool, "select count(*) from catalog.open_windows").await,
        i64::try_from(schedule(&changed).windows.len()).expect("small")
    );
    let other = merchant("Nobody", BERLIN, 3_000);
    assert!(
        !store
            .update_merchant(&other, &schedule(&other))
            .await
            .expect("query")
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn renaming_a_merchant_renames_it_for_text_search(pool: PgPool) {
    let store = PgStore::new(pool);
    let (m, _) = pizzeria(&store).await;
    let mut renamed = merchant("Trattoria Roma", BERLIN, 3_000);
    renamed.id = m.id;
    store
        .update_merchant(&renamed, &schedule(&renamed))
        .await
        .expect("updated");
    let text = |q: &str| CandidateQuery {
        text: Some(q.to_owned()),
        ..query(BERLIN)
    };

    assert_eq!(names_found(&store, &text("roma")).await, ["Trattoria Roma"]);
    assert_eq!(
        names_found(&store, &text("salami")).await,
        ["Trattoria Roma"]
    );
    assert!(names_found(&store, &text("pizzeria")).await.is_empty());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn pausing_keeps_the_busy_flag_unless_given(pool: PgPool) {
    let store = PgStore::new(pool);
    let m = merchant("Pizzeria", BERLIN, 3_000);
    created(&store, &m).await;

    assert!(store.set_pause(m.id, false, Some(true)).await.expect("set"));
    assert!(store.set_pause(m.id, true, None).await.expect("set"));

    let (found, _, _) = store
        .merchant(m.id, NOW)
        .await
        .expect("query")
        .expect("found");
    assert!(found.paused && found.busy);
    assert!(
        !store
            .set_pause(MerchantId::new(), true, None)
            .await
            .expect("query")
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn new_hours_replace_the_open_windows(pool: PgPool) {
    let store = PgStore::new(pool);
    let m = merchant("Pizzeria", BERLIN, 3_000);
    created(&store, &m).await;
    let evenings = hours(Weekday::Tuesday, "18:00", "22:00");
    let windows = schedule_from(&evenings, "Europe/Berlin", NOW);

    assert!(
        store
            .set_hours(m.id, &evenings, &windows)
            .await
            .expect("set")
    );

    let (found, open, next) = store
        .merchant(m.id, NOW)
        .await
        .expect("query")
        .expect("found");
    assert_eq!(found.hours, evenings);
    assert!(!open);
    assert_eq!(next, Some(time::macros::datetime!(2026-11-24 17:00 UTC)));
    assert!(
        !store
            .set_hours(MerchantId::new(), &evenings, &windows)
            .await
            .expect("query")
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn merchants_whose_windows_run_out_are_listed_for_a_refresh(pool: PgPool) {
    let store = PgStore::new(pool);
    let soon = merchant("Soon", BERLIN, 3_000);
    let later = merchant("Later", BERLIN, 3_000);
    created(&store, &soon).await;
    created(&store, &later).await;
    let horizon = NOW + Duration::days(10);
    let due = store
        .hours_needing_windows(horizon, 10)
        .await
        .expect("query");
    let later_hours = due
        .iter()
        .find(|h| h.merchant_id == later.id)
        .expect("both are due")
        .clone();
    let extended = schedule_from(&later.hours, &later.time_zone, NOW + Duration::days(5));

    assert!(
        store
            .replace_windows(&later_hours, &extended)
            .await
            .expect("replaced")
    );

    let due = store
        .hours_needing_windows(horizon, 10)
        .await
        .expect("query");
    let due: Vec<MerchantId> = due.into_iter().map(|h| h.merchant_id).collect();
    assert_eq!(due, [soon.id]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_refresh_computed_from_stale_hours_is_skipped(pool: PgPool) {
    let store = PgStore::new(pool);
    let m = merchant("Pizzeria", BERLIN, 3_000);
    created(&store, &m).await;
    let read = store
        .hours_needing_windows(NOW + Duration::days(10), 10)
        .await
        .expect("query")
        .remove(0);
    // Staff save new hours between the refresher's read and its write.
    let evenings = hours(Weekday::Tuesday, "18:00", "22:00");
    let fresh = schedule_from(&evenings, "Europe/Berlin", NOW + Duration::minutes(1));
    assert!(store.set_hours(m.id, &evenings, &fresh).await.expect("set"));
    let stale = schedule_from(&read.hours, &read.time_zone, NOW + Duration::minutes(2));

    let replaced = store.replace_windows(&read, &stale).await.expect("query");

    assert!(!replaced);
    let (_, open, _) = store
        .merchant(m.id, NOW)
        .await
        .expect("query")
        .expect("found");
    assert!(!open, "the new evening-only hours stand");
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn windows_needing_a_refresh_carry_the_hours_to_compute_them_from(pool: PgPool) {
    let store = PgStore::new(pool);
    let mut m = merchant("Pizzeria", BERLIN, 3_000);
    m.hours = hours(Weekday::Friday, "18:00", "02:00");
    m.time_zone = "Asia/Tokyo".to_owned();
    created(&store, &m).await;

    let due = store
        .hours_needing_windows(NOW + Duration::days(30), 10)
        .await
        .expect("query");

    assert_eq!(due.len(), 1);
    assert_eq!(due[0].hours, m.hours);
    assert_eq!(due[0].time_zone, "Asia/Tokyo");
}

// --- menus --------------------------------------------------------------------------------

/// The menu the store should serve for `sections`: sections by position, prices in EUR.
fn expected_menu(merchant: MerchantId, version: i64, mut sections: Vec<MenuSection>) -> Menu {
    sections.sort_by_key(|s| s.position);
    Menu {
        merchant_id: merchant,
        currency: eur(),
        version,
        sections,
    }
}

async fn menu(store: &PgStore, merchant: MerchantId) -> Menu {
    match store
        .current_menu(merchant, None)
        .await
        .expect("query")
        .expect("merchant exists")
    {
        MenuRead::Current(menu) => menu,
        MenuRead::Held => panic!("a reader holding no menu is sent the menu"),
    }
}

async fn version(store: &PgStore, merchant: MerchantId) -> i64 {
    store
        .menu_version(merchant)
        .await
        .expect("query")
        .expect("merchant exists")
}

async fn pizzeria(store: &PgStore) -> (Merchant, Vec<MenuSection>) {
    let m = merchant("Pizzeria", BERLIN, 3_000);
    let sections = pizzeria_menu();
    imported(store, vec![import(m.clone(), sections.clone(), Vec::new())]).await;
    (m, sections)
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_menu_held_at_its_current_version_is_not_sent_again(pool: PgPool) {
    let store = PgStore::new(pool);
    let (m, _) = pizzeria(&store).await;
    let current = menu(&store, m.id).await;
    let held = HeldMenu {
        version: current.version,
        currency: eur(),
    };

    let again = store
        .current_menu(m.id, Some(held.clone()))
        .await
        .expect("query");
    let with_merchant = store
        .merchant_with_menu(m.id, NOW, Some(held))
        .await
        .expect("query")
        .expect("merchant exists");

    assert_eq!(again, Some(MenuRead::Held));
    assert_eq!(with_merchant.menu, MenuRead::Held);
    assert_eq!(with_merchant.merchant.id, m.id);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_menu_held_at_an_old_version_or_in_another_currency_is_sent_anew(pool: PgPool) {
    let store = PgStore::new(pool);
    let (m, _) = pizzeria(&store).await;
    let current = menu(&store, m.id).await;
    let stale = HeldMenu {
        version: current.version - 1,
        currency: eur(),
    };
    let foreign = HeldMenu {
        version: current.version,
        currency: CurrencyCode::parse("USD").expect("currency"),
    };

    let after_change = store.current_menu(m.id, Some(stale)).await.expect("query");
    let in_dollars = store
        .merchant_with_menu(m.id, NOW, Some(foreign))
        .await
        .expect("query")
        .expect("merchant exists");

    assert_eq!(after_change, Some(MenuRead::Current(current.clone())));
    assert_eq!(in_dollars.menu, MenuRead::Current(current));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_merchant_read_with_its_menu_agrees_with_the_merchant_read(pool: PgPool) {
    let store = PgStore::new(pool);
    let (m, _) = pizzeria(&store).await;

    let alone = store
        .merchant(m.id, NOW)
        .await
        .expect("query")
        .expect("merchant exists");
    let with_menu = store
        .merchant_with_menu(m.id, NOW, None)
        .await
        .expect("query")
        .expect("merchant exists");

    assert_eq!(
        (
            with_menu.merchant,
            with_menu.open,
            with_menu.next_opening_at
        ),
        alone
    );
    assert_eq!(with_menu.menu, MenuRead::Current(menu(&store, m.id).await));
    assert_eq!(
        store
            .merchant_with_menu(MerchantId::new(), NOW, None)
            .await
            .expect("query"),
        None
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_imported_menu_reads_back_in_display_order(pool: PgPool) {
    let store = PgStore::new(pool);
    let (m, sections) = pizzeria(&store).await;

    let found = menu(&store, m.id).await;

    assert_eq!(found, expected_menu(m.id, 1, sections));
    assert_eq!(found.sections[0].name, "Pizzas");
    assert_eq!(
        store
            .current_menu(MerchantId::new(), None)
            .await
            .expect("query"),
        None
    );
    assert_eq!(
        store.menu_version(MerchantId::new()).await.expect("query"),
        None
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_imported_menu_is_the_one_a_menu_write_rebuilds(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let m = merchant("Pizzeria", BERLIN, 3_000);
    let mut sections = pizzeria_menu();
    // Ties on position fall back to the id; prices follow the merchant's currency.
    sections.push(section("Sides", 2, vec![item("Fries", 300, vec![])]));
    let cola = &mut sections[0].items[0];
    cola.description = None;
    cola.image_url = Some("https://img.example/cola.jpg".to_owned());
    cola.price = Money::new(250, CurrencyCode::parse("USD").expect("valid"));
    let cola = cola.id;
    imported(&store, vec![import(m.clone(), sections, Vec::new())]).await;
    let search_text = || async {
        sqlx::query_scalar::<_, String>("select search_text from catalog.merchants")
            .fetch_one(&pool)
            .await
            .expect("query")
    };
    let (imported_menu, imported_text) = (menu(&store, m.id).await, search_text().await);

    store
        .set_item_availability(m.id, cola, true)
        .await
        .expect("rebuilt");

    let rebuilt = menu(&store, m.id).await;
    assert_eq!(rebuilt.sections, imported_menu.sections);
    assert_eq!(search_text().await, imported_text);
    assert_eq!(rebuilt.sections[1].items[0].price, Money::new(250, eur()));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_new_merchant_has_an_empty_menu(pool: PgPool) {
    let store = PgStore::new(pool);
    let m = merchant("Pizzeria", BERLIN, 3_000);
    created(&store, &m).await;

    assert_eq!(menu(&store, m.id).await, expected_menu(m.id, 1, Vec::new()));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn sections_are_appended_or_placed_and_each_change_bumps_the_version(pool: PgPool) {
    let store = PgStore::new(pool);
    let (m, mut sections) = pizzeria(&store).await;

    let desserts = section("Desserts", i32::MAX, Vec::new());
    assert_eq!(
        store.create_section(m.id, &desserts).await.expect("query"),
        Some(3)
    );
    let starters = section("Starters", 0, Vec::new());
    assert_eq!(
        store.create_section(m.id, &starters).await.expect("query"),
        Some(0)
    );

    sections.push(MenuSection {
        position: 3,
        ..desserts
    });
    sections.push(starters);
    assert_eq!(menu(&store, m.id).await, expected_menu(m.id, 3, sections));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_section_is_renamed_moved_and_deleted_with_its_items(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let (m, sections) = pizzeria(&store).await;
    let drinks = sections[0].clone();
    let pizzas = sections[1].clone();

    let renamed = MenuSection {
        name: "Beverages".to_owned(),
        position: 0,
        ..drinks.clone()
    };
    assert_eq!(
        store.update_section(m.id, &renamed).await.expect("query"),
        Some(0)
    );
    let names: Vec<String> = menu(&store, m.id)
        .await
        .sections
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["Beverages", "Pizzas"]);

    // An update that gives no position (the append marker) keeps the section where it is.
    let unplaced = MenuSection {
        position: i32::MAX,
        ..renamed
    };
    assert_eq!(
        store.update_section(m.id, &unplaced).await.expect("query"),
        Some(0)
    );
    assert!(store.delete_section(m.id, pizzas.id).await.expect("query"));

    let found = menu(&store, m.id).await;
    assert_eq!(found.version, 4);
    assert_eq!(found.sections.len(), 1);
    assert_eq!(found.sections[0].name, "Beverages");
    assert_eq!(
        count(&pool, "select count(*) from catalog.menu_items").await,
        2
    );
    assert_eq!(
        count(&pool, "select count(*) from catalog.option_groups").await,
        0
    );
    assert_eq!(
        count(&pool, "select count(*) from catalog.menu_options").await,
        0
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn items_are_added_at_the_end_replaced_and_deleted(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let (m, sections) = pizzeria(&store).await;
    let pizzas = &sections[1];

    let funghi = item("Funghi", 990, vec![group("Size", &[("Small", -100)])]);
    assert!(
        store
            .create_item(m.id, pizzas.id, &funghi)
            .await
            .expect("query")
    );
    let items: Vec<String> = menu(&store, m.id).await.sections[0]
        .items
        .iter()
        .map(|i| i.name.clone())
        .collect();
    assert_eq!(items, ["Margherita", "Salami", "Funghi"]);

    let mut margherita = pizzas.items[0].clone();
    margherita.price = Money::new(900, eur());
    margherita.option_groups = vec![group(
        "Crust",
        &[("Thin", 0), ("Thick", 50), ("Stuffed", 200)],
    )];
    assert!(store.replace_item(m.id, &margherita).await.expect("query"));
    assert!(
        store
            .delete_item(m.id, pizzas.items[1].id)
            .await
            .expect("query")
    );

    let found = menu(&store, m.id).await;
    assert_eq!(found.version, 4);
    assert_eq!(found.sections[0].items, [margherita, funghi]);
    // The replaced item's old groups and options are gone.
    assert_eq!(
        count(&pool, "select count(*) from catalog.option_groups").await,
        2
    );
    assert_eq!(
        count(&pool, "select count(*) from catalog.menu_options").await,
        4
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn availability_changes_show_in_the_menu(pool: PgPool) {
    let store = PgStore::new(pool);
    let (m, sections) = pizzeria(&store).await;
    let cola = sections[0].items[0].id;

    assert!(
        store
            .set_item_availability(m.id, cola, false)
            .await
            .expect("query")
    );

    let found = menu(&store, m.id).await;
    assert_eq!(found.version, 2);
    assert!(!found.sections[1].items[0].available);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn menu_writes_keep_the_search_text_current(pool: PgPool) {
    let store = PgStore::new(pool);
    let (m, sections) = pizzeria(&store).await;
    let formaggi = CandidateQuery {
        text: Some("formaggi".to_owned()),
        ..query(BERLIN)
    };
    assert!(names_found(&store, &formaggi).await.is_empty());

    let item = item("Quattro Formaggi", 1100, vec![]);
    store
        .create_item(m.id, sections[1].id, &item)
        .await
        .expect("created");
    assert_eq!(names_found(&store, &formaggi).await, ["Pizzeria"]);

    store
        .delete_section(m.id, sections[1].id)
        .await
        .expect("deleted");
    assert!(names_found(&store, &formaggi).await.is_empty());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn another_merchants_sections_and_items_are_out_of_reach(pool: PgPool) {
    let store = PgStore::new(pool);
    let (owner, sections) = pizzeria(&store).await;
    let intruder = merchant("Intruder", BERLIN, 3_000);
    created(&store, &intruder).await;
    let pizzas = &sections[1];
    let margherita = &pizzas.items[0];

    assert_eq!(
        store
            .update_section(intruder.id, pizzas)
            .await
            .expect("query"),
        None
    );
    assert!(
        !store
            .delete_section(intruder.id, pizzas.id)
            .await
            .expect("query")
    );
    assert!(
        !store
            .create_item(intruder.id, pizzas.id, &item("Spy", 1, vec![]))
            .await
            .expect("query")
    );
    assert!(
        !store
            .replace_item(intruder.id, margherita)
            .await
            .expect("query")
    );
    assert!(
        !store
            .delete_item(intruder.id, margherita.id)
            .await
            .expect("query")
    );
    assert!(
        !store
            .set_item_availability(intruder.id, margherita.id, false)
            .await
            .expect("query")
    );

    assert_eq!(
        menu(&store, owner.id).await,
        expected_menu(owner.id, 1, sections)
    );
    assert_eq!(version(&store, intruder.id).await, 1);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn menu_writes_for_an_unknown_merchant_find_nothing(pool: PgPool) {
    let store = PgStore::new(pool);
    let nobody = MerchantId::new();

    let section = section("Pizzas", 0, Vec::new());
    assert_eq!(
        store.create_section(nobody, &section).await.expect("query"),
        None
    );
    assert!(
        !store
            .create_item(nobody, section.id, &item("Pizza", 1, vec![]))
            .await
            .expect("query")
    );
}

// --- reviews ------------------------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn reviews_are_listed_newest_first_a_page_at_a_time(pool: PgPool) {
    let store = PgStore::new(pool);
    let m = merchant("Pizzeria", BERLIN, 3_000);
    let reviews: Vec<Review> = (0..5)
        .map(|i| review(&format!("Ann {i}"), 5, i * 10))
        .collect();
    let mut same_instant = review("Bob", 4, 20);
    same_instant.id = ReviewId(Uuid::max());
    let mut all = reviews.clone();
    all.push(same_instant.clone());
    imported(&store, vec![import(m.clone(), Vec::new(), all)]).await;

    let first = store.reviews(m.id, None, 3).await.expect("query");
    let second = store
        .reviews(m.id, first.last().map(|r| r.id), 3)
        .await
        .expect("query");
    let third = store
        .reviews(m.id, second.last().map(|r| r.id), 3)
        .await
        .expect("query");

    let authors = |page: &[Review]| {
        page.iter()
            .map(|r| r.author_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(authors(&first), ["Ann 0", "Ann 1", "Bob"]);
    assert_eq!(authors(&second), ["Ann 2", "Ann 3", "Ann 4"]);
    assert!(third.is_empty());
    assert_eq!(first[0], reviews[0]);
    let other = store
        .reviews(MerchantId::new(), None, 3)
        .await
        .expect("query");
    assert!(other.is_empty());
}

// --- import -------------------------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn importing_again_adds_nothing(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let batch = vec![
        import(
            merchant("Pizzeria", BERLIN, 3_000),
            pizzeria_menu(),
            vec![review("Ann", 5, 1)],
        ),
        import(merchant("Deli", BERLIN, 3_000), Vec::new(), Vec::new()),
    ];
    imported(&store, batch.clone()).await;
    let items = count(&pool, "select count(*) from catalog.menu_items").await;
    let windows = count(&pool, "select count(*) from catalog.open_windows").await;

    let again = store.import_merchants(&batch).await.expect("imported");

    assert_eq!(again, 0);
    assert_eq!(
        count(&pool, "select count(*) from catalog.merchants").await,
        2
    );
    assert_eq!(
        count(&pool, "select count(*) from catalog.menu_items").await,
        items
    );
    assert_eq!(
        count(&pool, "select count(*) from catalog.open_windows").await,
        windows
    );
    assert_eq!(
        count(&pool, "select count(*) from catalog.reviews").await,
        1
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_import_skips_the_children_of_merchants_that_exist(pool: PgPool) {
    let store = PgStore::new(pool);
    let (m, sections) = pizzeria(&store).await;
    let other = merchant("Deli", BERLIN, 3_000);
    let changed_menu = vec![section("Soups", 0, vec![item("Minestrone", 700, vec![])])];

    let new = store
        .import_merchants(&[
            import(m.clone(), changed_menu, Vec::new()),
            import(other.clone(), Vec::new(), Vec::new()),
        ])
        .await
        .expect("imported");

    assert_eq!(new, 1);
    assert_eq!(menu(&store, m.id).await, expected_menu(m.id, 1, sections));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_import_spanning_several_batches_keeps_every_merchant(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let merchants: Vec<MerchantImport> = (0..1_203)
        .map(|i| {
            let at = offset(BERLIN, f64::from(i % 40) * 100.0, f64::from(i / 40) * 100.0);
            import(
                merchant(&format!("M{i}"), at, 3_000),
                pizzeria_menu(),
                vec![review("Ann", 4, 1)],
            )
        })
        .collect();

    imported(&store, merchants.clone()).await;

    assert_eq!(
        count(&pool, "select count(*) from catalog.merchants").await,
        1_203
    );
    assert_eq!(
        count(&pool, "select count(*) from catalog.menu_items").await,
        1_203 * 4
    );
    let last = merchants.last().expect("some");
    assert_eq!(
        menu(&store, last.merchant.id).await,
        expected_menu(last.merchant.id, 1, last.sections.clone())
    );
}

// --- staff --------------------------------------------------------------------------------

async fn roles(pool: &PgPool, user: UserId) -> Vec<String> {
    sqlx::query_scalar("select roles from identity.users where id = $1")
        .bind(user.0)
        .fetch_one(pool)
        .await
        .expect("query")
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn adding_staff_grants_the_role_and_the_membership_once(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let ann = register(&store, "ann@example.com").await.user;
    let (pizzeria, deli) = (MerchantId::new(), MerchantId::new());

    assert!(store.add_staff(ann.id, pizzeria).await.expect("added"));
    assert!(
        store
            .add_staff(ann.id, pizzeria)
            .await
            .expect("added again")
    );
    assert!(store.add_staff(ann.id, deli).await.expect("added"));

    assert_eq!(roles(&pool, ann.id).await, ["customer", "merchant_staff"]);
    assert_eq!(
        count(&pool, "select count(*) from identity.staff_memberships").await,
        2
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn adding_an_unknown_user_as_staff_finds_nobody(pool: PgPool) {
    let store = PgStore::new(pool.clone());

    assert!(
        !store
            .add_staff(UserId::new(), MerchantId::new())
            .await
            .expect("query")
    );
    assert_eq!(
        count(&pool, "select count(*) from identity.staff_memberships").await,
        0
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn removing_staff_ends_the_membership_once(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let ann = register(&store, "ann@example.com").await.user;
    let pizzeria = MerchantId::new();
    store.add_staff(ann.id, pizzeria).await.expect("added");

    assert!(store.remove_staff(ann.id, pizzeria).await.expect("removed"));
    assert!(!store.remove_staff(ann.id, pizzeria).await.expect("query"));

    assert_eq!(
        count(&pool, "select count(*) from identity.staff_memberships").await,
        0
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_added_review_is_kept_once_and_folded_into_the_rating(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    let m = merchant("Luigi's", BERLIN, 3000);
    created(&store, &m).await;
    let first = review("Ann", 3, 10);
    let second = review("Bo", 5, 5);
    let rating = |id: MerchantId| {
        let pool = pool.clone();
        async move {
            sqlx::query_as::<_, (f64, i32)>(
                "select rating_avg, rating_count from catalog.merchants where id = $1",
            )
            .bind(id.0)
            .fetch_one(&pool)
            .await
            .expect("rating")
        }
    };

    let added = store.add_review(m.id, &first).await.expect("review");
    let redelivered = store.add_review(m.id, &first).await.expect("review");
    let after_first = rating(m.id).await;
    let added_second = store.add_review(m.id, &second).await.expect("review");
    let unknown = store
        .add_review(MerchantId::new(), &review("Cy", 1, 1))
        .await
        .expect("review");

    assert!(added);
    assert!(!redelivered);
    assert!(added_second);
    assert!(!unknown);
    // Unrounded running average: (4.5 × 12 + 3) / 13, then (… × 13 + 5) / 14.
    let expected_first = (4.5 * 12.0 + 3.0) / 13.0;
    assert!(
        (after_first.0 - expected_first).abs() < 1e-9,
        "{after_first:?}"
    );
    assert_eq!(after_first.1, 13);
    let (average, count_now) = rating(m.id).await;
    assert!(
        (average - (4.5 * 12.0 + 3.0 + 5.0) / 14.0).abs() < 1e-9,
        "{average}"
    );
    assert_eq!(count_now, 14);
    let stored = store.reviews(m.id, None, 10).await.expect("reviews");
    let ids: Vec<ReviewId> = stored.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![second.id, first.id]);
    assert_eq!(
        count(&pool, "select count(*) from catalog.reviews").await,
        2
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn merchants_are_listed_by_id_among_those_named_in_a_city_and_by_name(pool: PgPool) {
    use mercato_core::catalog::MerchantQuery;

    let store = PgStore::new(pool);
    let spot = LatLng {
        lat: 52.52,
        lng: 13.405,
    };
    let mut names = ["Pasta 100% Fresca", "Pizza Uno", "Pizza_Due", "Sushi Go"]
        .map(|name| merchant(name, spot, 2_000));
    names[3].city_id = CityId(Uuid::now_v7());
    for m in &names {
        created(&store, m).await;
    }
    let mut by_id: Vec<MerchantId> = names.iter().map(|m| m.id).collect();
    by_id.sort();
    let listed = |query: MerchantQuery| {
        let store = store.clone();
        async move {
            store
                .merchants(&query, NOW)
                .await
                .expect("listed")
                .into_iter()
                .map(|(m, open, _)| {
                    assert!(open, "open around the clock");
                    m.id
                })
                .collect::<Vec<_>>()
        }
    };

    let all = listed(MerchantQuery {
        limit: 10,
        ..MerchantQuery::default()
    })
    .await;
    let only_two = listed(MerchantQuery {
        only: Some(vec![names[1].id, names[3].id]),
        limit: 10,
        ..MerchantQuery::default()
    })
    .await;
    let in_city = listed(MerchantQuery {
        city: Some(names[3].city_id),
        limit: 10,
        ..MerchantQuery::default()
    })
    .await;
    let pizza = listed(MerchantQuery {
        name_contains: Some("PIZZA".to_owned()),
        limit: 10,
        ..MerchantQuery::default()
    })
    .await;
    let wildcards_are_literal = listed(MerchantQuery {
        name_contains: Some("a_u".to_owned()),
        limit: 10,
        ..MerchantQuery::default()
    })
    .await;
    let percent = listed(MerchantQuery {
        name_contains: Some("100%".to_owned()),
        limit: 10,
        ..MerchantQuery::default()
    })
    .await;
    let second_page = listed(MerchantQuery {
        after: Some(by_id[0]),
        limit: 2,
        ..MerchantQuery::default()
    })
    .await;

    assert_eq!(all, by_id);
    let mut two = vec![names[1].id, names[3].id];
    two.sort();
    assert_eq!(only_two, two);
    assert_eq!(in_city, [names[3].id]);
    let mut pizzas = vec![names[1].id, names[2].id];
    pizzas.sort();
    assert_eq!(pizza, pizzas);
    assert_eq!(wildcards_are_literal, Vec::<MerchantId>::new());
    assert_eq!(percent, [names[0].id]);
    assert_eq!(second_page, by_id[1..3]);
}
