//! `/api/locations/...` end to end: countries, cities, resolving a point, and the
//! administrators' geography writes.

use mercato::client::Client;
use mercato::core::geo::{
    City, CityInput, Country, CountryInput, DeliveryZone, LatLng, ServiceCategory, TaxClass,
    TaxRate, TaxRegime,
};
use mercato::core::ids::CityId;
use mercato::server::seed::demo_cities;
use reqwest::{Method, StatusCode};

use crate::support::{TestApp, code, demo_city, invalid_fields, problem_of};

use ServiceCategory::{Alcohol, Food, Grocery, Pharmacy};

/// The launch markets and their currencies with the decimals of the minor unit.
const MARKETS: [(&str, &str, u8); 4] = [
    ("US", "USD", 2),
    ("DE", "EUR", 2),
    ("JP", "JPY", 0),
    ("KW", "KWD", 3),
];

/// Far out in the South Pacific: no city anywhere delivers there.
const OCEAN: LatLng = LatLng {
    lat: -40.0,
    lng: -130.0,
};

fn country<'a>(countries: &'a [Country], code: &str) -> &'a Country {
    countries
        .iter()
        .find(|c| c.code.as_str() == code)
        .unwrap_or_else(|| panic!("{code} is listed"))
}

/// The rate of `class`, normalised (`"0.1"`, not `"0.10"`), `None` when untaxed.
fn rate(country: &Country, class: TaxClass) -> Option<String> {
    country
        .tax_rates
        .iter()
        .find(|r| r.class == class)
        .map(|r| r.rate.normalize().to_string())
}

/// A new market. Its code is one ISO 3166 leaves to private use, so no test picking a
/// real country Mercato does not serve (France, say) finds it served once this exists.
fn new_market() -> CountryInput {
    CountryInput {
        code: "XF".to_owned(),
        name: "Testland".to_owned(),
        currency: "EUR".to_owned(),
        currency_exponent: 2,
        default_locale: "fr-FR".to_owned(),
        time_zones: vec!["Europe/Paris".to_owned()],
        tax_regime: TaxRegime::Inclusive,
        tax_rates: vec![
            TaxRate {
                class: TaxClass::Food,
                rate: "0.10".parse().expect("a decimal"),
            },
            TaxRate {
                class: TaxClass::General,
                rate: "0.20".parse().expect("a decimal"),
            },
        ],
        enabled: true,
    }
}

/// A German city with a 5 km radius zone around `center`, away from the demo cities.
fn city_input(name: &str, center: LatLng) -> CityInput {
    CityInput {
        name: name.to_owned(),
        center,
        time_zone: "Europe/Berlin".to_owned(),
        zone: DeliveryZone::Radius { radius_m: 5_000 },
        categories: vec![Food, Grocery, Pharmacy],
        enabled: true,
    }
}

fn dresden() -> CityInput {
    city_input(
        "Dresden",
        LatLng {
            lat: 51.0504,
            lng: 13.7373,
        },
    )
}

/// Coordinates agree to well below a metre (JSON round trips may move the last bit).
fn assert_same_point(actual: LatLng, expected: LatLng) {
    assert!(
        (actual.lat - expected.lat).abs() < 1e-9 && (actual.lng - expected.lng).abs() < 1e-9,
        "{actual:?} is {expected:?}"
    );
}

/// Compares a city from the API with the seed's, coordinates within rounding.
fn assert_same_city(actual: &City, expected: &City) {
    assert_eq!(
        (
            actual.id,
            &actual.country_code,
            &actual.name,
            &actual.time_zone,
            &actual.categories,
            actual.enabled
        ),
        (
            expected.id,
            &expected.country_code,
            &expected.name,
            &expected.time_zone,
            &expected.categories,
            expected.enabled
        )
    );
    assert_same_point(actual.center, expected.center);
    match (&actual.zone, &expected.zone) {
        (DeliveryZone::Radius { radius_m: a }, DeliveryZone::Radius { radius_m: e }) => {
            assert_eq!(a, e, "{}", expected.name);
        }
        (DeliveryZone::Polygon { points: a }, DeliveryZone::Polygon { points: e }) => {
            assert_eq!(a.len(), e.len(), "{}", expected.name);
            for (a, e) in a.iter().zip(e) {
                assert_same_point(*a, *e);
            }
        }
        (actual, expected) => panic!("zone {actual:?} is {expected:?}"),
    }
}

// --- countries ------------------------------------------------------------------------

#[tokio::test]
async fn countries_list_the_four_markets_with_their_currency_and_its_decimals() {
    let app = TestApp::spawn().await;

    let countries = app.client().countries().await.expect("countries");

    for (code, currency, exponent) in MARKETS {
        let country = country(&countries, code);
        assert_eq!(
            (country.currency.as_str(), country.currency_exponent),
            (currency, exponent),
            "{code}"
        );
        assert!(country.enabled, "{code}");
    }
}

#[tokio::test]
async fn the_us_adds_sales_tax_on_top_while_germany_and_japan_include_it() {
    let app = TestApp::spawn().await;

    let countries = app.client().countries().await.expect("countries");

    let regimes: Vec<TaxRegime> = ["US", "DE", "JP"]
        .iter()
        .map(|code| country(&countries, code).tax_regime)
        .collect();
    assert_eq!(
        regimes,
        [
            TaxRegime::Exclusive,
            TaxRegime::Inclusive,
            TaxRegime::Inclusive
        ]
    );
}

#[tokio::test]
async fn countries_carry_their_tax_rates_per_class() {
    let app = TestApp::spawn().await;

    let countries = app.client().countries().await.expect("countries");

    let rates: Vec<(&str, TaxClass, Option<String>)> = [
        ("US", TaxClass::Food),
        ("DE", TaxClass::Food),
        ("DE", TaxClass::General),
        ("JP", TaxClass::Food),
        ("JP", TaxClass::General),
        ("KW", TaxClass::Food),
    ]
    .into_iter()
    .map(|(code, class)| (code, class, rate(country(&countries, code), class)))
    .collect();
    let expected = |rate: &str| Some(rate.to_owned());
    assert_eq!(
        rates,
        [
            ("US", TaxClass::Food, expected("0.0875")),
            ("DE", TaxClass::Food, expected("0.07")),
            ("DE", TaxClass::General, expected("0.19")),
            ("JP", TaxClass::Food, expected("0.08")),
            ("JP", TaxClass::General, expected("0.1")),
            ("KW", TaxClass::Food, expected("0")),
        ]
    );
}

// --- cities ---------------------------------------------------------------------------

#[tokio::test]
async fn every_country_lists_its_demo_cities_with_zones_and_categories() {
    let app = TestApp::spawn().await;
    let client = app.client();

    for (code, _, _) in MARKETS {
        let cities = client.cities(code).await.expect("cities");

        let demo: Vec<City> = demo_cities()
            .into_iter()
            .filter(|c| c.country_code.as_str() == code)
            .collect();
        assert!(cities.len() >= 3, "{code} has at least three cities");
        for expected in &demo {
            let listed = cities
                .iter()
                .find(|c| c.id == expected.id)
                .unwrap_or_else(|| panic!("{} is listed under {code}", expected.name));
            assert_same_city(listed, expected);
        }
        assert!(
            cities.iter().all(|c| c.country_code.as_str() == code),
            "{code} lists only its own cities"
        );
    }
}

#[tokio::test]
async fn cities_of_an_unknown_country_are_not_found() {
    let app = TestApp::spawn().await;

    let result = app.client().cities("ZZ").await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::NOT_FOUND),
            "locations.country_not_found".to_owned()
        )
    );
}

#[tokio::test]
async fn a_country_code_with_url_syntax_stays_one_path_segment() {
    let app = TestApp::spawn().await;

    // Unencoded, `?` would start a query and `/` add segments: another route would answer.
    let result = app.client().cities("DE/x?y=1#z").await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::NOT_FOUND),
            "locations.country_not_found".to_owned()
        )
    );
}

#[tokio::test]
async fn a_city_is_fetched_by_its_id() {
    let app = TestApp::spawn().await;
    let kyoto = demo_city("Kyoto");

    let city = app.client().city(kyoto.id).await.expect("the city");

    assert_same_city(&city, &kyoto);
}

#[tokio::test]
async fn an_unknown_city_is_not_found() {
    let app = TestApp::spawn().await;

    let result = app.client().city(CityId::new()).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::NOT_FOUND),
            "locations.city_not_found".to_owned()
        )
    );
}

#[tokio::test]
async fn a_malformed_city_id_is_a_bad_path() {
    let app = TestApp::spawn().await;

    let (status, problem) = problem_of(
        app.client()
            .request(Method::GET, "/api/locations/cities/not-a-uuid"),
    )
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::BAD_REQUEST, "http.invalid_path")
    );
}

// --- resolve --------------------------------------------------------------------------

#[tokio::test]
async fn resolving_each_demo_city_centre_finds_that_city_its_country_and_categories() {
    let app = TestApp::spawn().await;
    let client = app.client();

    for city in demo_cities() {
        let resolution = client
            .resolve(city.center.lat, city.center.lng)
            .await
            .expect("resolved");

        assert!(resolution.deliverable, "{}", city.name);
        assert_eq!(
            resolution.city.as_ref().map(|c| c.id),
            Some(city.id),
            "{}",
            city.name
        );
        assert_eq!(
            resolution.country.as_ref().map(|c| &c.code),
            Some(&city.country_code),
            "{}",
            city.name
        );
        assert_eq!(resolution.categories, city.categories, "{}", city.name);
    }
}

#[tokio::test]
async fn nothing_in_kuwait_offers_alcohol() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let kuwaiti: Vec<City> = client.cities("KW").await.expect("cities");

    for city in &kuwaiti {
        let resolution = client
            .resolve(city.center.lat, city.center.lng)
            .await
            .expect("resolved");

        assert!(!resolution.categories.contains(&Alcohol), "{}", city.name);
        assert!(!city.categories.contains(&Alcohol), "{}", city.name);
    }
}

#[tokio::test]
async fn a_point_in_the_ocean_resolves_as_not_deliverable() {
    let app = TestApp::spawn().await;

    let resolution = app
        .client()
        .resolve(OCEAN.lat, OCEAN.lng)
        .await
        .expect("a point no city serves is not an error");

    assert!(!resolution.deliverable);
    assert_eq!(
        (resolution.country, resolution.city, resolution.categories),
        (None, None, Vec::new())
    );
}

#[tokio::test]
async fn resolving_a_latitude_beyond_the_pole_names_lat() {
    let app = TestApp::spawn().await;

    let result = app.client().resolve(91.0, 13.4).await;

    assert_eq!(invalid_fields(result), ["lat"]);
}

#[tokio::test]
async fn resolving_without_a_longitude_names_lng() {
    let app = TestApp::spawn().await;

    let (status, problem) = problem_of(
        app.client()
            .request(Method::GET, "/api/locations/resolve")
            .query(&[("lat", "52.52")]),
    )
    .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        (problem.code.as_str(), fields),
        ("validation.failed", vec!["lng"])
    );
}

#[tokio::test]
async fn resolving_a_non_numeric_longitude_names_lng() {
    let app = TestApp::spawn().await;

    let (status, problem) = problem_of(
        app.client()
            .request(Method::GET, "/api/locations/resolve")
            .query(&[("lat", "52.52"), ("lng", "abc")]),
    )
    .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        (problem.code.as_str(), fields),
        ("validation.failed", vec!["lng"])
    );
}

// --- administration: countries ----------------------------------------------------------

#[tokio::test]
async fn an_admin_adds_a_country_and_then_replaces_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    let created = admin.create_country(&new_market()).await.expect("created");
    let listed = app.client().countries().await.expect("countries");
    assert_eq!(country(&listed, "XF"), &created);
    assert_eq!(
        (created.currency.as_str(), created.currency_exponent),
        ("EUR", 2)
    );

    let replacement = CountryInput {
        name: "Republic of Testland".to_owned(),
        tax_rates: vec![TaxRate {
            class: TaxClass::Food,
            rate: "0.055".parse().expect("a decimal"),
        }],
        ..new_market()
    };
    let updated = admin
        .update_country("XF", &replacement)
        .await
        .expect("updated");

    let listed = app.client().countries().await.expect("countries");
    assert_eq!(country(&listed, "XF"), &updated);
    assert_eq!(updated.name, "Republic of Testland");
    assert_eq!(rate(&updated, TaxClass::Food).as_deref(), Some("0.055"));
    assert_eq!(rate(&updated, TaxClass::General), None);
}

#[tokio::test]
async fn adding_an_existing_country_is_a_conflict() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let united_states = CountryInput {
        code: "US".to_owned(),
        name: "United States".to_owned(),
        currency: "USD".to_owned(),
        default_locale: "en-US".to_owned(),
        time_zones: vec!["America/New_York".to_owned()],
        tax_regime: TaxRegime::Exclusive,
        ..new_market()
    };

    let result = admin.create_country(&united_states).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::CONFLICT),
            "locations.country_exists".to_owned()
        )
    );
}

#[tokio::test]
async fn replacing_an_unknown_country_is_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let input = CountryInput {
        code: "QZ".to_owned(),
        ..new_market()
    };

    let result = admin.update_country("QZ", &input).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::NOT_FOUND),
            "locations.country_not_found".to_owned()
        )
    );
}

/// Every geography write, attempted by `client`; the outcomes in order.
async fn geography_writes(client: &Client) -> Vec<Result<(), mercato::client::ClientError>> {
    let berlin = demo_city("Berlin");
    let berlin_input = CityInput {
        name: berlin.name.clone(),
        center: berlin.center,
        time_zone: berlin.time_zone.clone(),
        zone: berlin.zone.clone(),
        categories: berlin.categories.clone(),
        enabled: true,
    };
    vec![
        client.create_country(&new_market()).await.map(drop),
        client
            .update_country(
                "DE",
                &CountryInput {
                    code: "DE".to_owned(),
                    ..new_market()
                },
            )
            .await
            .map(drop),
        client.create_city("DE", &dresden()).await.map(drop),
        client.update_city(berlin.id, &berlin_input).await.map(drop),
        client
            .set_city_category(berlin.id, Food, false)
            .await
            .map(drop),
    ]
}

#[tokio::test]
async fn only_administrators_change_geography() {
    let app = TestApp::spawn().await;
    let (customer, _) = app.customer().await;

    let outcomes = geography_writes(&customer).await;

    let codes: Vec<_> = outcomes.into_iter().map(code).collect();
    let forbidden = (
        Some(StatusCode::FORBIDDEN),
        "locations.admin_only".to_owned(),
    );
    assert_eq!(codes, vec![forbidden; 5]);
}

#[tokio::test]
async fn geography_writes_require_authentication() {
    let app = TestApp::spawn().await;

    let outcomes = geography_writes(&app.client()).await;

    let codes: Vec<_> = outcomes.into_iter().map(code).collect();
    let unauthenticated = (
        Some(StatusCode::UNAUTHORIZED),
        "auth.unauthenticated".to_owned(),
    );
    assert_eq!(codes, vec![unauthenticated; 5]);
}

// --- administration: cities -------------------------------------------------------------

#[tokio::test]
async fn an_admin_adds_a_city_that_then_serves_its_zone() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let input = dresden();

    let created = admin.create_city("de", &input).await.expect("created");

    assert_eq!(
        (
            created.country_code.as_str(),
            created.name.as_str(),
            &created.zone,
            &created.categories
        ),
        (
            "DE",
            "Dresden",
            &DeliveryZone::Radius { radius_m: 5_000 },
            &vec![Food, Grocery, Pharmacy]
        )
    );
    let client = app.client();
    assert_eq!(client.city(created.id).await.expect("fetched"), created);
    let listed = client.cities("DE").await.expect("cities");
    assert!(listed.contains(&created), "listed under DE");
    let resolution = client
        .resolve(input.center.lat, input.center.lng)
        .await
        .expect("resolved");
    assert_eq!(resolution.city, Some(created));
}

#[tokio::test]
async fn a_city_with_an_unknown_time_zone_and_a_tiny_radius_names_both_fields() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let input = CityInput {
        time_zone: "Europe/Atlantis".to_owned(),
        zone: DeliveryZone::Radius { radius_m: 50 },
        ..dresden()
    };

    let result = admin.create_city("DE", &input).await;

    assert_eq!(invalid_fields(result), ["timeZone", "zone.radiusM"]);
}

#[tokio::test]
async fn a_city_whose_polygon_has_two_points_names_the_points() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let input = CityInput {
        zone: DeliveryZone::Polygon {
            points: vec![
                LatLng {
                    lat: 51.0,
                    lng: 13.7,
                },
                LatLng {
                    lat: 51.1,
                    lng: 13.8,
                },
            ],
        },
        ..dresden()
    };

    let result = admin.create_city("DE", &input).await;

    assert_eq!(invalid_fields(result), ["zone.points"]);
}

#[tokio::test]
async fn disabling_a_category_in_a_city_takes_it_out_of_resolve() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let leipzig = city_input(
        "Leipzig",
        LatLng {
            lat: 51.3397,
            lng: 12.3731,
        },
    );
    let city = admin.create_city("DE", &leipzig).await.expect("created");

    let updated = admin
        .set_city_category(city.id, Pharmacy, false)
        .await
        .expect("toggled");

    assert_eq!(updated.categories, [Food, Grocery]);
    let resolution = app
        .client()
        .resolve(leipzig.center.lat, leipzig.center.lng)
        .await
        .expect("resolved");
    assert_eq!(resolution.categories, [Food, Grocery]);
}

#[tokio::test]
async fn an_unknown_category_in_the_path_is_a_bad_path() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let berlin = demo_city("Berlin");

    let (status, problem) = problem_of(
        admin
            .request(
                Method::PUT,
                &format!("/api/locations/cities/{}/categories/weapons", berlin.id),
            )
            .json(&serde_json::json!({ "enabled": true })),
    )
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::BAD_REQUEST, "http.invalid_path")
    );
}

#[tokio::test]
async fn replacing_a_country_under_another_code_names_code() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let input = CountryInput {
        code: "US".to_owned(),
        ..new_market()
    };

    let result = admin.update_country("JP", &input).await;

    assert_eq!(invalid_fields(result), ["code"]);
}

#[tokio::test]
async fn a_disabled_city_no_longer_serves_its_zone() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let nuremberg = city_input(
        "Nuremberg",
        LatLng {
            lat: 49.4521,
            lng: 11.0767,
        },
    );
    let city = admin.create_city("DE", &nuremberg).await.expect("created");

    admin
        .update_city(
            city.id,
            &CityInput {
                enabled: false,
                ..nuremberg.clone()
            },
        )
        .await
        .expect("disabled");

    let client = app.client();
    let resolution = client
        .resolve(nuremberg.center.lat, nuremberg.center.lng)
        .await
        .expect("resolved");
    assert!(!resolution.deliverable);
    assert_eq!(
        code(client.city(city.id).await),
        (
            Some(StatusCode::NOT_FOUND),
            "locations.city_not_found".to_owned()
        )
    );
}

#[tokio::test]
async fn toggling_a_category_in_an_unknown_city_is_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    let result = admin.set_city_category(CityId::new(), Food, false).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::NOT_FOUND),
            "locations.city_not_found".to_owned()
        )
    );
}
