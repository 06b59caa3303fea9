//! The geography store against a real PostgreSQL: the launch markets the migrations seed,
//! countries and cities round trips, category toggles, and the bounding-box search behind
//! resolving a point to its city.

use mercato_core::StoreError;
use mercato_core::geo::{
    COUNTRIES_PKEY, City, Country, CountryCode, CountryDirectory, DeliveryZone, GeoStore, LatLng,
    ServiceCategory, TaxClass, TaxRate, TaxRegime,
};
use mercato_core::ids::CityId;
use mercato_core::money::CurrencyCode;
use mercato_store_postgres::PgStore;
use sqlx::PgPool;

const BERLIN: LatLng = LatLng {
    lat: 52.52,
    lng: 13.405,
};

fn code(code: &str) -> CountryCode {
    CountryCode::parse(code).expect("valid country code")
}

fn rate(class: TaxClass, rate: &str) -> TaxRate {
    TaxRate {
        class,
        rate: rate.parse().expect("valid decimal"),
    }
}

/// France, not a launch market.
fn france() -> Country {
    Country {
        code: code("FR"),
        name: "France".to_owned(),
        currency: CurrencyCode::parse("EUR").expect("valid currency"),
        currency_exponent: 2,
        default_locale: "fr-FR".to_owned(),
        time_zones: vec!["Europe/Paris".to_owned()],
        tax_regime: TaxRegime::Inclusive,
        tax_rates: vec![
            rate(TaxClass::Food, "0.10"),
            rate(TaxClass::General, "0.20"),
        ],
        enabled: true,
    }
}

/// Berlin with a 20 km radius zone.
fn berlin() -> City {
    City {
        id: CityId::new(),
        country_code: code("DE"),
        name: "Berlin".to_owned(),
        center: BERLIN,
        time_zone: "Europe/Berlin".to_owned(),
        zone: DeliveryZone::Radius { radius_m: 20_000 },
        categories: vec![ServiceCategory::Food, ServiceCategory::Grocery],
        enabled: true,
    }
}

/// A square polygon zone around Munich.
fn munich() -> City {
    let (lat, lng) = (48.1351, 11.582);
    City {
        id: CityId::new(),
        country_code: code("DE"),
        name: "München".to_owned(),
        center: LatLng { lat, lng },
        time_zone: "Europe/Berlin".to_owned(),
        zone: DeliveryZone::Polygon {
            points: vec![
                LatLng {
                    lat: lat - 0.1,
                    lng: lng - 0.1,
                },
                LatLng {
                    lat: lat - 0.1,
                    lng: lng + 0.1,
                },
                LatLng {
                    lat: lat + 0.1,
                    lng: lng + 0.1,
                },
                LatLng {
                    lat: lat + 0.1,
                    lng: lng - 0.1,
                },
            ],
        },
        categories: vec![ServiceCategory::Food],
        enabled: true,
    }
}

async fn names_around(store: &PgStore, point: LatLng) -> Vec<String> {
    store
        .cities_around(point)
        .await
        .expect("query")
        .into_iter()
        .map(|c| c.name)
        .collect()
}

// --- countries --------------------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_launch_market_is_served(pool: PgPool) {
    let store = PgStore::new(pool);

    assert!(store.is_served(&code("DE")).await.expect("query"));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_country_outside_the_directory_is_not_served(pool: PgPool) {
    let store = PgStore::new(pool);

    assert!(!store.is_served(&code("FR")).await.expect("query"));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_disabled_country_is_not_served(pool: PgPool) {
    sqlx::query("update geo.countries set enabled = false where code = 'JP'")
        .execute(&pool)
        .await
        .expect("disabled");
    let store = PgStore::new(pool);

    assert!(!store.is_served(&code("JP")).await.expect("query"));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn the_launch_markets_carry_their_currency_and_tax_details(pool: PgPool) {
    let store = PgStore::new(pool);

    let countries = store.list_countries().await.expect("query");

    let names: Vec<&str> = countries.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Germany", "Japan", "Kuwait", "United States"]);
    let germany = &countries[0];
    assert_eq!(germany.currency.as_str(), "EUR");
    assert_eq!(germany.currency_exponent, 2);
    assert_eq!(germany.default_locale, "de-DE");
    assert_eq!(germany.time_zones, ["Europe/Berlin"]);
    assert_eq!(germany.tax_regime, TaxRegime::Inclusive);
    assert!(germany.tax_rates.contains(&rate(TaxClass::Food, "0.07")));
    assert!(germany.tax_rates.contains(&rate(TaxClass::Alcohol, "0.19")));
    let japan = &countries[1];
    assert_eq!(
        (japan.currency.as_str(), japan.currency_exponent),
        ("JPY", 0)
    );
    assert!(japan.tax_rates.contains(&rate(TaxClass::Food, "0.08")));
    let kuwait = &countries[2];
    assert_eq!(
        (kuwait.currency.as_str(), kuwait.currency_exponent),
        ("KWD", 3)
    );
    assert!(kuwait.tax_rates.iter().all(|r| r.rate.is_zero()));
    let us = &countries[3];
    assert_eq!(us.tax_regime, TaxRegime::Exclusive);
    assert_eq!(us.time_zones.len(), 4);
    assert!(us.tax_rates.contains(&rate(TaxClass::Food, "0.0875")));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_created_country_reads_back_as_written(pool: PgPool) {
    let store = PgStore::new(pool);

    store.create_country(&france()).await.expect("created");

    assert_eq!(
        store.country(&code("FR")).await.expect("query"),
        Some(france())
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn creating_an_existing_country_names_the_primary_key(pool: PgPool) {
    let store = PgStore::new(pool);
    store.create_country(&france()).await.expect("created");

    let err = store
        .create_country(&france())
        .await
        .expect_err("duplicate");

    assert!(matches!(err, StoreError::UniqueViolation(c) if c == COUNTRIES_PKEY));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_updated_country_reads_back_as_written(pool: PgPool) {
    let store = PgStore::new(pool);
    store.create_country(&france()).await.expect("created");
    let changed = Country {
        name: "République française".to_owned(),
        tax_rates: vec![rate(TaxClass::Food, "0.055")],
        enabled: false,
        ..france()
    };

    assert!(store.update_country(&changed).await.expect("updated"));

    assert_eq!(
        store.country(&code("FR")).await.expect("query"),
        Some(changed)
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn updating_an_unknown_country_reports_it_missing(pool: PgPool) {
    let store = PgStore::new(pool);

    assert!(!store.update_country(&france()).await.expect("query"));
}

// --- cities -----------------------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_created_city_reads_back_as_written(pool: PgPool) {
    let store = PgStore::new(pool);
    let city = munich();

    store.create_city(&city).await.expect("created");

    assert_eq!(
        store.city(city.id).await.expect("query"),
        Some(city.clone())
    );
    assert_eq!(store.cities_of(&code("DE")).await.expect("query"), [city]);
    assert!(
        store
            .cities_of(&code("JP"))
            .await
            .expect("query")
            .is_empty()
    );
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn cities_of_a_country_are_listed_by_name(pool: PgPool) {
    let store = PgStore::new(pool);
    store.create_city(&munich()).await.expect("created");
    store.create_city(&berlin()).await.expect("created");

    let names: Vec<String> = store
        .cities_of(&code("DE"))
        .await
        .expect("query")
        .into_iter()
        .map(|c| c.name)
        .collect();

    assert_eq!(names, ["Berlin", "München"]);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn an_updated_city_reads_back_and_is_searched_by_its_new_zone(pool: PgPool) {
    let store = PgStore::new(pool);
    let city = berlin();
    store.create_city(&city).await.expect("created");
    let changed = City {
        name: "Berlin (inner)".to_owned(),
        zone: DeliveryZone::Radius { radius_m: 5_000 },
        categories: vec![ServiceCategory::Pharmacy],
        ..city.clone()
    };
    let twelve_km_north = LatLng {
        lat: BERLIN.lat + 0.108,
        lng: BERLIN.lng,
    };
    assert_eq!(names_around(&store, twelve_km_north).await, ["Berlin"]);

    assert!(store.update_city(&changed).await.expect("updated"));

    assert_eq!(store.city(city.id).await.expect("query"), Some(changed));
    assert!(names_around(&store, twelve_km_north).await.is_empty());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn updating_an_unknown_city_reports_it_missing(pool: PgPool) {
    let store = PgStore::new(pool);

    assert!(!store.update_city(&berlin()).await.expect("query"));
    assert_eq!(store.city(CityId::new()).await.expect("query"), None);
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn categories_are_enabled_and_disabled_per_city(pool: PgPool) {
    let store = PgStore::new(pool);
    let city = berlin();
    store.create_city(&city).await.expect("created");

    let enabled = store
        .set_city_category(city.id, ServiceCategory::Pharmacy, true)
        .await
        .expect("query")
        .expect("city exists");
    let again = store
        .set_city_category(city.id, ServiceCategory::Pharmacy, true)
        .await
        .expect("query")
        .expect("city exists");
    let disabled = store
        .set_city_category(city.id, ServiceCategory::Food, false)
        .await
        .expect("query")
        .expect("city exists");

    use ServiceCategory::{Food, Grocery, Pharmacy};
    assert_eq!(enabled.categories, [Food, Grocery, Pharmacy]);
    assert_eq!(again.categories, [Food, Grocery, Pharmacy]);
    assert_eq!(disabled.categories, [Grocery, Pharmacy]);
    assert_eq!(store.city(city.id).await.expect("query"), Some(disabled));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn toggling_a_category_of_an_unknown_city_finds_nothing(pool: PgPool) {
    let store = PgStore::new(pool);

    let city = store
        .set_city_category(CityId::new(), ServiceCategory::Food, true)
        .await
        .expect("query");

    assert_eq!(city, None);
}

// --- cities around a point --------------------------------------------------------------

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn cities_around_a_point_are_those_whose_zone_box_holds_it(pool: PgPool) {
    let store = PgStore::new(pool);
    store.create_city(&berlin()).await.expect("created");
    store.create_city(&munich()).await.expect("created");

    assert_eq!(names_around(&store, BERLIN).await, ["Berlin"]);
    // 19 km east of the centre: inside the radius, near the box's edge.
    let east = LatLng {
        lat: BERLIN.lat,
        lng: BERLIN.lng + 0.28,
    };
    assert_eq!(names_around(&store, east).await, ["Berlin"]);
    let polygon_corner = LatLng {
        lat: 48.1351 + 0.099,
        lng: 11.582 - 0.099,
    };
    assert_eq!(names_around(&store, polygon_corner).await, ["München"]);
    let hamburg = LatLng {
        lat: 53.55,
        lng: 9.99,
    };
    assert!(names_around(&store, hamburg).await.is_empty());
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_radius_zone_box_holds_every_point_of_its_zone(pool: PgPool) {
    let store = PgStore::new(pool);
    let city = City {
        center: LatLng {
            lat: 60.17,
            lng: 24.94,
        },
        zone: DeliveryZone::Radius { radius_m: 100_000 },
        ..berlin()
    };
    store.create_city(&city).await.expect("created");

    // Points on the zone's edge in every direction, just inside it.
    for step in 0..72 {
        let bearing = f64::from(step * 5).to_radians();
        let angle = 99_999.0 / mercato_core::geo::EARTH_RADIUS_M;
        let (lat1, lng1) = (city.center.lat.to_radians(), city.center.lng.to_radians());
        let lat2 = (lat1.sin() * angle.cos() + lat1.cos() * angle.sin() * bearing.cos()).asin();
        let lng2 = lng1
            + (bearing.sin() * angle.sin() * lat1.cos())
                .atan2(angle.cos() - lat1.sin() * lat2.sin());
        let point = LatLng {
            lat: lat2.to_degrees(),
            lng: lng2.to_degrees(),
        };
        assert!(city.zone.contains(city.center, point), "{point:?}");

        assert_eq!(names_around(&store, point).await, ["Berlin"], "{point:?}");
    }
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn disabled_cities_and_cities_of_disabled_countries_are_not_around(pool: PgPool) {
    let store = PgStore::new(pool.clone());
    store
        .create_city(&City {
            enabled: false,
            ..berlin()
        })
        .await
        .expect("created");
    store.create_city(&munich()).await.expect("created");
    sqlx::query("update geo.countries set enabled = false where code = 'DE'")
        .execute(&pool)
        .await
        .expect("disabled");

    assert!(names_around(&store, BERLIN).await.is_empty());
    assert!(names_around(&store, munich().center).await.is_empty());
}
