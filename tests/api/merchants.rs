//! `/api/merchants/...` end to end: discovery with its filters, sorts and pages, opening
//! state, merchant pages, menus with their ETags, reviews, and who may change what.
//!
//! Tests that change merchants or need exact control create their own merchants in Tokyo,
//! ten kilometres north of the centre with a small delivery radius, so the demo merchants
//! other tests look at are never touched. Tokyo keeps UTC+9 all year, so wall-clock hours
//! there are plain arithmetic on the Unix time.

use std::collections::HashSet;
use std::time::{SystemTime, UNIX_EPOCH};

use mercato::client::{Client, ClientError};
use mercato::core::catalog::{
    ClockTime, DiscoveryParams, DiscoverySort, EtaModel, FeeBand, ItemInput, MAX_PAGE_SIZE,
    MerchantInput, MerchantSummary, OpeningHours, OpeningInterval, OptionGroupInput, OptionInput,
    PageParams, PauseInput, SectionInput, Weekday, delivery_fee_minor,
};
use mercato::core::geo::{LatLng, ServiceCategory, TaxClass, distance_m};
use mercato::core::ids::{CityId, ItemId, MerchantId, SectionId};
use mercato::core::money::Money;
use reqwest::{Method, StatusCode};

use crate::support::{TestApp, code, demo_city, invalid_fields, problem_of, staff_of};

/// Far out in the South Pacific: no city anywhere delivers there.
const OCEAN: LatLng = LatLng {
    lat: -40.0,
    lng: -130.0,
};

/// Tokyo's offset from UTC; Japan has no daylight saving time.
const TOKYO_UTC_OFFSET_S: i64 = 9 * 3600;

/// Where this file's own merchants trade: inside Tokyo's zone, ten kilometres north of the
/// centre, beyond the reach of their 1.5 km delivery radius from any demo city centre.
fn test_spot() -> LatLng {
    let tokyo = demo_city("Tokyo").center;
    LatLng {
        lat: tokyo.lat + 0.09,
        lng: tokyo.lng,
    }
}

/// A token no merchant or dish name contains by chance.
fn unique_token() -> String {
    format!("zq{}", &uuid::Uuid::now_v7().simple().to_string()[20..])
}

fn merchant_input(name: &str) -> MerchantInput {
    MerchantInput {
        name: name.to_owned(),
        description: Some("Noodles made to order".to_owned()),
        city_id: demo_city("Tokyo").id,
        categories: vec![ServiceCategory::Food],
        cuisines: vec!["ramen".to_owned()],
        address: "1-1 Test-dori, Kita-ku".to_owned(),
        location: test_spot(),
        delivery_radius_m: 1_500,
        avg_prep_minutes: 15,
        minimum_order_minor: 1_000,
        delivery_fee_bands: vec![
            FeeBand {
                up_to_m: 1_000,
                fee_minor: 200,
            },
            FeeBand {
                up_to_m: 1_500,
                fee_minor: 300,
            },
        ],
        time_zone: None,
        hours: OpeningHours::always_open(),
        image_url: None,
    }
}

fn section_input(name: &str) -> SectionInput {
    SectionInput {
        name: name.to_owned(),
        position: None,
    }
}

fn item_input(name: &str, price_minor: i64) -> ItemInput {
    ItemInput {
        name: name.to_owned(),
        description: Some("Pork broth, noodles, egg".to_owned()),
        price_minor,
        tax_class: TaxClass::Food,
        dietary_tags: Vec::new(),
        image_url: None,
        available: true,
        option_groups: vec![OptionGroupInput {
            name: "Size".to_owned(),
            min_selections: 1,
            max_selections: 1,
            options: vec![
                OptionInput {
                    name: "Regular".to_owned(),
                    price_delta_minor: 0,
                    available: true,
                },
                OptionInput {
                    name: "Large".to_owned(),
                    price_delta_minor: 200,
                    available: true,
                },
            ],
        }],
    }
}

/// A merchant of this file's own, open around the clock, with one section and one item.
struct Shop {
    id: MerchantId,
    section: SectionId,
    item: ItemId,
}

async fn open_shop(admin: &Client, name: &str) -> Shop {
    let merchant = admin
        .create_merchant(&merchant_input(name))
        .await
        .expect("merchant created");
    let section = admin
        .create_section(merchant.id, &section_input("Ramen"))
        .await
        .expect("section created");
    let item = admin
        .create_item(merchant.id, section.id, &item_input("Shoyu ramen", 950))
        .await
        .expect("item created");
    Shop {
        id: merchant.id,
        section: section.id,
        item: item.id,
    }
}

fn near(point: LatLng) -> DiscoveryParams {
    DiscoveryParams {
        lat: point.lat,
        lng: point.lng,
        limit: Some(MAX_PAGE_SIZE),
        ..DiscoveryParams::default()
    }
}

/// The one page holding every result; fails when there would be a next page.
async fn everything(client: &Client, params: &DiscoveryParams) -> Vec<MerchantSummary> {
    let page = client
        .discover(&DiscoveryParams {
            limit: Some(MAX_PAGE_SIZE),
            ..params.clone()
        })
        .await
        .expect("discovery");
    assert_eq!(
        page.next_cursor, None,
        "fewer than {MAX_PAGE_SIZE} results fit one page"
    );
    page.items
}

/// Every page of `limit` results, following the cursors, with the number of pages.
async fn every_page(
    client: &Client,
    params: &DiscoveryParams,
    limit: u32,
) -> (Vec<MerchantSummary>, usize) {
    let mut items = Vec::new();
    let mut cursor = None;
    for pages in 1..=100 {
        let page = client
            .discover(&DiscoveryParams {
                limit: Some(limit),
                cursor,
                ..params.clone()
            })
            .await
            .expect("a page");
        assert!(page.items.len() <= limit as usize);
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return (items, pages),
        }
    }
    panic!("the cursors never ended");
}

fn ids(summaries: &[MerchantSummary]) -> Vec<MerchantId> {
    summaries.iter().map(|s| s.id).collect()
}

fn unix_now() -> i64 {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since_epoch.as_secs()).expect("seconds fit i64")
}

/// A weekly Tokyo interval of `minutes` opening at the wall-clock minute of the instant
/// `opens` (Unix seconds), with the instant it opens at (the start of that minute).
fn tokyo_interval(opens: i64, minutes: u16) -> (OpeningInterval, i64) {
    let local = (opens + TOKYO_UTC_OFFSET_S).div_euclid(60) * 60;
    let day = local.div_euclid(86_400);
    let minute_of_day = u16::try_from(local.rem_euclid(86_400) / 60).expect("< 1440");
    let closing_minute = (minute_of_day + minutes) % (24 * 60);
    let clock = |minute: u16| ClockTime::new(minute / 60, minute % 60).expect("a time of day");
    // 1970-01-01 was a Thursday.
    let weekday = Weekday::ALL[usize::try_from((day + 3).rem_euclid(7)).expect("< 7")];
    let interval = OpeningInterval {
        day: weekday,
        opens: clock(minute_of_day),
        closes: clock(closing_minute),
    };
    (interval, local - TOKYO_UTC_OFFSET_S)
}

fn weekly(interval: OpeningInterval) -> OpeningHours {
    OpeningHours {
        intervals: vec![interval],
        closures: Vec::new(),
    }
}

// --- discovery per country ------------------------------------------------------------

/// Discovery at the centre of `city` lists merchants, each of which delivers that far and
/// quotes its fee, by its own bands, in `currency`.
async fn assert_discovery_at_centre_covers_the_point(city: &str, currency: &str) {
    let app = TestApp::spawn().await;
    let client = app.client();
    let point = demo_city(city).center;

    let found = everything(&client, &near(point)).await;

    assert!(
        !found.is_empty(),
        "merchants deliver to the centre of {city}"
    );
    for summary in &found {
        let merchant = client
            .merchant(summary.id)
            .await
            .expect("merchant details")
            .merchant;
        let distance = distance_m(merchant.location, point);
        assert!(
            distance <= f64::from(merchant.delivery_radius_m),
            "{} delivers {distance} m, its radius being {} m",
            merchant.name,
            merchant.delivery_radius_m
        );
        assert!(
            (distance - f64::from(summary.distance_m)).abs() <= 1.0,
            "{} is {distance} m away, quoted {} m",
            merchant.name,
            summary.distance_m
        );
        let fee = delivery_fee_minor(&merchant.delivery_fee_bands, distance);
        assert_eq!(
            (
                &summary.delivery_fee,
                summary.minimum_order.currency.as_str()
            ),
            (&Money::new(fee, merchant.currency.clone()), currency),
            "{}",
            merchant.name
        );
        assert_eq!(merchant.currency.as_str(), currency, "{}", merchant.name);
    }
}

#[tokio::test]
async fn discovery_in_new_york_finds_merchants_covering_the_point_priced_in_dollars() {
    assert_discovery_at_centre_covers_the_point("New York", "USD").await;
}

#[tokio::test]
async fn discovery_in_berlin_finds_merchants_covering_the_point_priced_in_euros() {
    assert_discovery_at_centre_covers_the_point("Berlin", "EUR").await;
}

#[tokio::test]
async fn discovery_in_tokyo_finds_merchants_covering_the_point_priced_in_yen() {
    assert_discovery_at_centre_covers_the_point("Tokyo", "JPY").await;
}

#[tokio::test]
async fn discovery_in_kuwait_city_finds_merchants_covering_the_point_priced_in_dinars() {
    assert_discovery_at_centre_covers_the_point("Kuwait City", "KWD").await;
}

#[tokio::test]
async fn discovery_in_kuwait_never_offers_alcohol() {
    let app = TestApp::spawn().await;
    let client = app.client();

    for city in ["Kuwait City", "Hawalli", "Salmiya", "Al Ahmadi"] {
        let point = demo_city(city).center;
        let found = everything(&client, &near(point)).await;
        let alcohol = everything(
            &client,
            &DiscoveryParams {
                category: Some(ServiceCategory::Alcohol),
                ..near(point)
            },
        )
        .await;

        assert!(!found.is_empty(), "{city} has merchants");
        assert!(
            found
                .iter()
                .all(|m| !m.categories.contains(&ServiceCategory::Alcohol)),
            "{city}"
        );
        assert_eq!(alcohol, [], "{city}");
    }
}

#[tokio::test]
async fn discovery_where_no_city_delivers_is_an_empty_page_marked_not_deliverable() {
    let app = TestApp::spawn().await;

    let page = app
        .client()
        .discover(&near(OCEAN))
        .await
        .expect("discovery");

    assert!(!page.deliverable);
    assert_eq!(page.city_id, None);
    assert_eq!((page.items, page.next_cursor), (Vec::new(), None));
}

#[tokio::test]
async fn discovery_names_the_city_serving_the_point() {
    let app = TestApp::spawn().await;
    let berlin = demo_city("Berlin");

    let page = app
        .client()
        .discover(&near(berlin.center))
        .await
        .expect("discovery");

    assert!(page.deliverable);
    assert_eq!(page.city_id, Some(berlin.id));
}

#[tokio::test]
async fn a_category_not_offered_at_a_served_point_is_deliverable_but_empty() {
    let app = TestApp::spawn().await;
    let kuwait = demo_city("Kuwait City");

    let page = app
        .client()
        .discover(&DiscoveryParams {
            category: Some(ServiceCategory::Alcohol),
            ..near(kuwait.center)
        })
        .await
        .expect("discovery");

    assert!(page.deliverable);
    assert_eq!(page.city_id, Some(kuwait.id));
    assert!(page.items.is_empty());
}

// --- filters --------------------------------------------------------------------------
//
// Filters of the demo data are checked at Kyoto's centre: fewer than fifty merchants of
// several categories and cuisines, where no test adds merchants.

#[tokio::test]
async fn the_category_filter_keeps_exactly_the_merchants_of_that_category() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let kyoto = demo_city("Kyoto").center;
    let all = everything(&client, &near(kyoto)).await;

    let pharmacies = everything(
        &client,
        &DiscoveryParams {
            category: Some(ServiceCategory::Pharmacy),
            ..near(kyoto)
        },
    )
    .await;

    let expected: Vec<MerchantSummary> = all
        .iter()
        .filter(|m| m.categories.contains(&ServiceCategory::Pharmacy))
        .cloned()
        .collect();
    assert!(!expected.is_empty(), "Kyoto's centre has pharmacies");
    assert!(expected.len() < all.len(), "and other merchants");
    assert_eq!(ids(&pharmacies), ids(&expected));
}

#[tokio::test]
async fn the_cuisine_filter_keeps_exactly_the_merchants_listing_that_cuisine() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let kyoto = demo_city("Kyoto").center;
    let all = everything(&client, &near(kyoto)).await;
    let cuisine = all
        .iter()
        .find_map(|m| m.cuisines.first())
        .expect("a merchant at Kyoto's centre names a cuisine")
        .clone();

    let filtered = everything(
        &client,
        &DiscoveryParams {
            cuisine: Some(cuisine.to_uppercase()),
            ..near(kyoto)
        },
    )
    .await;

    let expected: Vec<MerchantSummary> = all
        .iter()
        .filter(|m| m.cuisines.contains(&cuisine))
        .cloned()
        .collect();
    assert!(expected.len() < all.len(), "some merchants lack {cuisine}");
    assert_eq!(ids(&filtered), ids(&expected));
}

#[tokio::test]
async fn text_search_finds_a_merchant_by_part_of_its_name_in_any_case() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let token = unique_token();
    let shop = open_shop(&admin, &format!("Noodle Bar {token}")).await;

    let found = everything(
        &app.client(),
        &DiscoveryParams {
            q: Some(token.to_uppercase()),
            ..near(test_spot())
        },
    )
    .await;

    assert_eq!(ids(&found), [shop.id]);
}

#[tokio::test]
async fn text_search_finds_a_merchant_by_a_dish_name_alone() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let token = unique_token();
    let shop = open_shop(&admin, "Dumpling House").await;
    let search = DiscoveryParams {
        q: Some(token.clone()),
        ..near(test_spot())
    };
    assert_eq!(everything(&app.client(), &search).await, []);

    admin
        .create_item(
            shop.id,
            shop.section,
            &item_input(&format!("Smoked {token} dumplings"), 700),
        )
        .await
        .expect("item created");

    let found = everything(&app.client(), &search).await;
    assert_eq!(ids(&found), [shop.id]);
}

#[tokio::test]
async fn search_wildcards_match_only_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    open_shop(&admin, "Wildcard Ramen").await;

    let found = everything(
        &app.client(),
        &DiscoveryParams {
            q: Some("%_".to_owned()),
            ..near(test_spot())
        },
    )
    .await;

    assert_eq!(found, []);
}

#[tokio::test]
async fn a_renamed_merchant_is_found_by_its_new_name_only() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (old, new) = (unique_token(), unique_token());
    let shop = open_shop(&admin, &format!("Ramen {old}")).await;

    admin
        .update_merchant(shop.id, &merchant_input(&format!("Ramen {new}")))
        .await
        .expect("renamed");

    let client = app.client();
    let search = |q: &str| DiscoveryParams {
        q: Some(q.to_owned()),
        ..near(test_spot())
    };
    assert_eq!(ids(&everything(&client, &search(&new)).await), [shop.id]);
    assert_eq!(everything(&client, &search(&old)).await, []);
}

#[tokio::test]
async fn the_open_now_filter_leaves_out_closed_merchants() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let never_open = admin
        .create_merchant(&MerchantInput {
            hours: OpeningHours::default(),
            ..merchant_input("Closed For Good")
        })
        .await
        .expect("merchant created");
    let everyone = everything(&app.client(), &near(test_spot())).await;
    assert!(
        everyone
            .iter()
            .any(|m| m.id == never_open.id && !m.open_now),
        "listed, as closed, without the filter"
    );

    let open = everything(
        &app.client(),
        &DiscoveryParams {
            open_now: Some(true),
            ..near(test_spot())
        },
    )
    .await;

    assert!(!open.is_empty(), "round-the-clock demo merchants are open");
    assert!(open.iter().all(|m| m.open_now), "{open:?}");
    assert!(!ids(&open).contains(&never_open.id));
}

// --- query validation -----------------------------------------------------------------

#[tokio::test]
async fn discovery_refuses_an_unknown_category_naming_it() {
    let app = TestApp::spawn().await;
    let tokyo = demo_city("Tokyo").center;

    let (status, problem) =
        problem_of(app.client().request(Method::GET, "/api/merchants").query(&[
            ("lat", tokyo.lat.to_string()),
            ("lng", tokyo.lng.to_string()),
            ("category", "weapons".to_owned()),
        ]))
        .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        (problem.code.as_str(), fields),
        ("validation.failed", vec!["category"])
    );
}

#[tokio::test]
async fn discovery_refuses_out_of_range_coordinates_naming_both() {
    let app = TestApp::spawn().await;

    let result = app
        .client()
        .discover(&near(LatLng {
            lat: 91.0,
            lng: 181.0,
        }))
        .await;

    assert_eq!(invalid_fields(result), ["lat", "lng"]);
}

#[tokio::test]
async fn discovery_pages_hold_one_to_fifty_merchants() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let tokyo = demo_city("Tokyo").center;

    for limit in [0, MAX_PAGE_SIZE + 1] {
        let result = client
            .discover(&DiscoveryParams {
                limit: Some(limit),
                ..near(tokyo)
            })
            .await;

        assert_eq!(invalid_fields(result), ["limit"], "limit {limit}");
    }
}

#[tokio::test]
async fn a_one_character_search_is_refused_naming_q() {
    let app = TestApp::spawn().await;

    let result = app
        .client()
        .discover(&DiscoveryParams {
            q: Some("r".to_owned()),
            ..near(demo_city("Tokyo").center)
        })
        .await;

    assert_eq!(invalid_fields(result), ["q"]);
}

#[tokio::test]
async fn a_garbage_cursor_is_refused_naming_cursor() {
    let app = TestApp::spawn().await;

    let result = app
        .client()
        .discover(&DiscoveryParams {
            cursor: Some("not-a-cursor".to_owned()),
            ..near(demo_city("Tokyo").center)
        })
        .await;

    assert_eq!(invalid_fields(result), ["cursor"]);
}

#[tokio::test]
async fn a_cursor_from_another_sort_order_is_refused_naming_cursor() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let point = demo_city("San Francisco").center;
    let by_distance = client
        .discover(&DiscoveryParams {
            limit: Some(2),
            ..near(point)
        })
        .await
        .expect("first page");
    let cursor = by_distance.next_cursor.expect("more than two merchants");

    let result = client
        .discover(&DiscoveryParams {
            sort: Some(DiscoverySort::Rating),
            cursor: Some(cursor),
            ..near(point)
        })
        .await;

    assert_eq!(invalid_fields(result), ["cursor"]);
}

// --- sorting and pagination -----------------------------------------------------------

/// San Francisco's centre is served by more than seven and fewer than fifty merchants.
async fn sorted_at_san_francisco(sort: DiscoverySort) -> Vec<MerchantSummary> {
    let app = TestApp::spawn().await;
    everything(
        &app.client(),
        &DiscoveryParams {
            sort: Some(sort),
            ..near(demo_city("San Francisco").center)
        },
    )
    .await
}

/// Asserts `keys` are in order and not all equal, so the order was observable.
fn assert_ordered<K: PartialOrd + std::fmt::Debug>(keys: &[K]) {
    assert!(keys.is_sorted(), "{keys:?}");
    assert!(
        keys.first() < keys.last(),
        "the keys differ, so order shows: {keys:?}"
    );
}

#[tokio::test]
async fn the_distance_sort_lists_the_nearest_first() {
    let found = sorted_at_san_francisco(DiscoverySort::Distance).await;

    let distances: Vec<u32> = found.iter().map(|m| m.distance_m).collect();
    assert_ordered(&distances);
}

#[tokio::test]
async fn the_rating_sort_lists_the_best_rated_first() {
    let found = sorted_at_san_francisco(DiscoverySort::Rating).await;

    let negated_ratings: Vec<f64> = found.iter().map(|m| -m.rating.average).collect();
    assert_ordered(&negated_ratings);
}

#[tokio::test]
async fn the_eta_sort_lists_the_fastest_first() {
    let found = sorted_at_san_francisco(DiscoverySort::Eta).await;

    let etas: Vec<u32> = found.iter().map(|m| m.eta_minutes).collect();
    assert_ordered(&etas);
}

#[tokio::test]
async fn the_fee_sort_lists_the_cheapest_delivery_first() {
    let found = sorted_at_san_francisco(DiscoverySort::Fee).await;

    let fees: Vec<i64> = found.iter().map(|m| m.delivery_fee.amount_minor).collect();
    assert_ordered(&fees);
}

#[tokio::test]
async fn pages_of_seven_visit_what_one_page_of_fifty_holds_in_every_sort() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let point = near(demo_city("San Francisco").center);

    for sort in [
        DiscoverySort::Distance,
        DiscoverySort::Rating,
        DiscoverySort::Eta,
        DiscoverySort::Fee,
    ] {
        let params = DiscoveryParams {
            sort: Some(sort),
            ..point.clone()
        };
        let one_page = everything(&client, &params).await;

        let (walked, pages) = every_page(&client, &params, 7).await;

        assert!(pages > 1, "{sort:?}: more than one page of seven");
        let unique: HashSet<MerchantId> = ids(&walked).into_iter().collect();
        assert_eq!(unique.len(), walked.len(), "{sort:?}: no duplicates");
        assert_eq!(
            ids(&walked),
            ids(&one_page),
            "{sort:?}: no gaps, same order"
        );
    }
}

// --- open now -------------------------------------------------------------------------

#[tokio::test]
async fn an_always_open_merchant_is_open_with_no_next_opening() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Night Owl Ramen").await;

    let details = app.client().merchant(shop.id).await.expect("details");

    assert_eq!((details.open_now, details.next_opening_at), (true, None));
}

#[tokio::test]
async fn a_merchant_within_its_hours_is_open_with_no_next_opening() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Lunch Counter").await;
    let (interval, _) = tokyo_interval(unix_now() - 3600, 120);

    admin
        .set_hours(shop.id, &weekly(interval))
        .await
        .expect("hours set");

    let details = app.client().merchant(shop.id).await.expect("details");
    assert_eq!((details.open_now, details.next_opening_at), (true, None));
}

#[tokio::test]
async fn a_merchant_that_closed_an_hour_ago_next_opens_at_the_same_time_next_week() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Breakfast Club").await;
    let (interval, opened_at) = tokyo_interval(unix_now() - 3 * 3600, 120);

    let updated = admin
        .set_hours(shop.id, &weekly(interval))
        .await
        .expect("hours set");

    let next_week = opened_at + 7 * 86_400;
    let details = app.client().merchant(shop.id).await.expect("details");
    for (open_now, next_opening_at) in [
        (updated.open_now, updated.next_opening_at),
        (details.open_now, details.next_opening_at),
    ] {
        assert_eq!(
            (open_now, next_opening_at.map(|t| t.unix_timestamp())),
            (false, Some(next_week))
        );
    }
    let listed = everything(&app.client(), &near(test_spot())).await;
    let summary = listed
        .iter()
        .find(|m| m.id == shop.id)
        .expect("still listed");
    assert_eq!(
        (
            summary.open_now,
            summary.next_opening_at.map(|t| t.unix_timestamp())
        ),
        (false, Some(next_week))
    );
}

#[tokio::test]
async fn a_paused_merchant_is_closed_and_left_out_of_open_now_discovery() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Paused Noodles").await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let open_now_here = DiscoveryParams {
        open_now: Some(true),
        ..near(test_spot())
    };
    let open = everything(&app.client(), &open_now_here).await;
    assert!(ids(&open).contains(&shop.id), "listed as open before");

    let paused = staff
        .set_pause(
            shop.id,
            &PauseInput {
                paused: true,
                busy: None,
            },
        )
        .await
        .expect("paused");

    assert_eq!((paused.merchant.paused, paused.open_now), (true, false));
    let open = everything(&app.client(), &open_now_here).await;
    assert!(!ids(&open).contains(&shop.id));
    let everyone = everything(&app.client(), &near(test_spot())).await;
    let summary = everyone
        .iter()
        .find(|m| m.id == shop.id)
        .expect("listed without the filter");
    assert_eq!((summary.paused, summary.open_now), (true, false));
}

#[tokio::test]
async fn a_busy_merchant_stays_open_and_quotes_a_longer_eta() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Busy Ramen").await;
    let quoted = |summaries: Vec<MerchantSummary>| {
        summaries
            .into_iter()
            .find(|m| m.id == shop.id)
            .map(|m| (m.open_now, m.eta_minutes))
            .expect("listed")
    };
    let (_, calm_eta) = quoted(everything(&app.client(), &near(test_spot())).await);

    admin
        .set_pause(
            shop.id,
            &PauseInput {
                paused: false,
                busy: Some(true),
            },
        )
        .await
        .expect("flagged busy");

    let busy_extra = u32::from(EtaModel::default().busy_extra_minutes);
    assert_eq!(
        quoted(everything(&app.client(), &near(test_spot())).await),
        (true, calm_eta + busy_extra)
    );
}

#[tokio::test]
async fn replacing_a_merchants_details_keeps_it_paused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Resting Ramen").await;
    admin
        .set_pause(
            shop.id,
            &PauseInput {
                paused: true,
                busy: None,
            },
        )
        .await
        .expect("paused");

    let updated = admin
        .update_merchant(shop.id, &merchant_input("Resting Ramen Renamed"))
        .await
        .expect("updated");

    assert!(updated.paused);
    let details = app.client().merchant(shop.id).await.expect("details");
    assert_eq!((details.merchant.paused, details.open_now), (true, false));
}

// --- merchant page, menu, reviews -----------------------------------------------------

#[tokio::test]
async fn a_merchant_page_shows_the_merchant_as_created() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = admin
        .create_merchant(&merchant_input("Page Test Ramen"))
        .await
        .expect("created");

    let details = app.client().merchant(created.id).await.expect("details");

    assert_eq!(details.merchant, created);
    assert_eq!(
        (
            created.country_code.as_str(),
            created.currency.as_str(),
            created.time_zone.as_str()
        ),
        ("JP", "JPY", "Asia/Tokyo"),
        "country, currency and time zone follow the city"
    );
}

#[tokio::test]
async fn an_admin_replaces_a_merchants_details() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Old Name Ramen").await;
    let replacement = MerchantInput {
        delivery_radius_m: 2_000,
        cuisines: vec!["Ramen".to_owned(), "Gyoza".to_owned()],
        ..merchant_input("New Name Ramen")
    };

    let updated = admin
        .update_merchant(shop.id, &replacement)
        .await
        .expect("updated");

    assert_eq!(
        (
            updated.name.as_str(),
            updated.delivery_radius_m,
            updated.cuisines.clone()
        ),
        (
            "New Name Ramen",
            2_000,
            vec!["ramen".to_owned(), "gyoza".to_owned()]
        )
    );
    let details = app.client().merchant(shop.id).await.expect("details");
    assert_eq!(details.merchant, updated);
}

#[tokio::test]
async fn a_menu_lists_sections_items_and_option_groups_under_an_etag() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Menu Test Ramen").await;

    let tagged = app.client().menu(shop.id).await.expect("menu");

    assert!(
        tagged.etag.starts_with('"') && tagged.etag.ends_with('"') && tagged.etag.len() > 2,
        "a strong entity tag: {}",
        tagged.etag
    );
    let menu = tagged.menu;
    assert_eq!((menu.merchant_id, menu.currency.as_str()), (shop.id, "JPY"));
    let [section] = menu.sections.as_slice() else {
        panic!("one section: {:?}", menu.sections)
    };
    let [item] = section.items.as_slice() else {
        panic!("one item: {:?}", section.items)
    };
    assert_eq!(
        (
            section.id,
            section.name.as_str(),
            item.id,
            item.name.as_str()
        ),
        (shop.section, "Ramen", shop.item, "Shoyu ramen")
    );
    assert_eq!(item.price, Money::new(950, menu.currency.clone()));
    let [size] = item.option_groups.as_slice() else {
        panic!("one option group: {:?}", item.option_groups)
    };
    let options: Vec<(&str, i64)> = size
        .options
        .iter()
        .map(|o| (o.name.as_str(), o.price_delta.amount_minor))
        .collect();
    assert_eq!(
        (size.name.as_str(), size.min_selections, size.max_selections),
        ("Size", 1, 1)
    );
    assert_eq!(options, [("Regular", 0), ("Large", 200)]);
}

#[tokio::test]
async fn a_menu_request_with_the_current_etag_is_not_modified() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Cached Ramen").await;
    let client = app.client();
    let tagged = client.menu(shop.id).await.expect("menu");

    let revalidated = client
        .menu_if_changed(shop.id, Some(&tagged.etag))
        .await
        .expect("revalidated");

    assert_eq!(revalidated, None);
}

#[tokio::test]
async fn a_weak_or_wildcard_if_none_match_also_finds_the_copy_current() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Weakly Cached Ramen").await;
    let client = app.client();
    let tagged = client.menu(shop.id).await.expect("menu");

    for header in [
        format!("W/{}", tagged.etag),
        format!("\"stale\", {}", tagged.etag),
        "*".to_owned(),
    ] {
        let revalidated = client
            .menu_if_changed(shop.id, Some(&header))
            .await
            .expect("revalidated");

        assert_eq!(revalidated, None, "{header}");
    }
}

#[tokio::test]
async fn a_menu_change_by_staff_retires_the_old_etag() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Changing Ramen").await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let client = app.client();
    let before = client.menu(shop.id).await.expect("menu");

    staff
        .replace_item(shop.id, shop.item, &item_input("Miso ramen", 1_100))
        .await
        .expect("replaced");

    let after = client
        .menu_if_changed(shop.id, Some(&before.etag))
        .await
        .expect("revalidated")
        .expect("the cached copy is stale");
    assert_ne!(after.etag, before.etag);
    assert!(after.menu.version > before.menu.version);
    let item = &after.menu.sections[0].items[0];
    assert_eq!(
        (item.id, item.name.as_str(), item.price.amount_minor),
        (shop.item, "Miso ramen", 1_100)
    );
}

#[tokio::test]
async fn reviews_come_newest_first_across_pages_without_duplicates() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let berlin = everything(&client, &near(demo_city("Berlin").center)).await;
    let mut reviewed = None;
    for merchant in &berlin {
        let all = client
            .reviews(
                merchant.id,
                &PageParams {
                    limit: Some(MAX_PAGE_SIZE),
                    cursor: None,
                },
            )
            .await
            .expect("reviews");
        if all.items.len() >= 4 {
            assert_eq!(all.next_cursor, None);
            reviewed = Some((merchant.id, all.items));
            break;
        }
    }
    let (merchant, all) = reviewed.expect("a merchant at Berlin's centre has four reviews");

    let mut walked = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let page = client
            .reviews(
                merchant,
                &PageParams {
                    limit: Some(2),
                    cursor,
                },
            )
            .await
            .expect("a page");
        pages += 1;
        assert!(page.items.len() <= 2 && pages <= all.len());
        walked.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }

    assert_eq!(walked, all);
    assert!(pages >= 2);
    assert!(
        walked
            .windows(2)
            .all(|pair| pair[0].created_at >= pair[1].created_at),
        "newest first"
    );
    let unique: HashSet<_> = walked.iter().map(|r| r.id).collect();
    assert_eq!(unique.len(), walked.len());
}

#[tokio::test]
async fn review_pages_hold_one_to_fifty_and_resume_only_from_review_cursors() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Unreviewed Ramen").await;
    let client = app.client();
    let page = |limit: u32, cursor: Option<&str>| PageParams {
        limit: Some(limit),
        cursor: cursor.map(str::to_owned),
    };

    let outcomes = vec![
        invalid_fields(client.reviews(shop.id, &page(0, None)).await),
        invalid_fields(
            client
                .reviews(shop.id, &page(MAX_PAGE_SIZE + 1, None))
                .await,
        ),
        invalid_fields(client.reviews(shop.id, &page(10, Some("garbage"))).await),
    ];

    assert_eq!(outcomes, [vec!["limit"], vec!["limit"], vec!["cursor"]]);
}

#[tokio::test]
async fn an_unknown_merchant_is_not_found_for_details_menu_and_reviews() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let unknown = MerchantId::new();

    let outcomes = vec![
        code(client.merchant(unknown).await.map(drop)),
        code(client.menu(unknown).await.map(drop)),
        code(
            client
                .reviews(unknown, &PageParams::default())
                .await
                .map(drop),
        ),
    ];

    let not_found = (
        Some(StatusCode::NOT_FOUND),
        "merchants.not_found".to_owned(),
    );
    assert_eq!(outcomes, vec![not_found; 3]);
}

// --- who may change a merchant ----------------------------------------------------------

/// Every staff write on `shop`, attempted by `client` in an order that succeeds for
/// someone allowed to make them; the outcomes by name. Writes that need a section or item
/// use the ones just created, or the shop's own when creating was refused.
async fn staff_writes(
    client: &Client,
    shop: &Shop,
) -> Vec<(&'static str, Result<(), ClientError>)> {
    let id = shop.id;
    let mut outcomes = Vec::new();
    let pause = PauseInput {
        paused: true,
        busy: Some(true),
    };
    outcomes.push(("set_pause", client.set_pause(id, &pause).await.map(drop)));
    outcomes.push((
        "set_hours",
        client
            .set_hours(id, &OpeningHours::default())
            .await
            .map(drop),
    ));
    let created = client.create_section(id, &section_input("Specials")).await;
    let section = created.as_ref().map_or(shop.section, |s| s.id);
    outcomes.push(("create_section", created.map(drop)));
    outcomes.push((
        "update_section",
        client
            .update_section(id, section, &section_input("Today's specials"))
            .await
            .map(drop),
    ));
    let created = client
        .create_item(id, section, &item_input("Tonkotsu ramen", 1_200))
        .await;
    let item = created.as_ref().map_or(shop.item, |i| i.id);
    outcomes.push(("create_item", created.map(drop)));
    outcomes.push((
        "replace_item",
        client
            .replace_item(id, item, &item_input("Tonkotsu ramen", 1_250))
            .await
            .map(drop),
    ));
    outcomes.push((
        "set_item_availability",
        client.set_item_availability(id, item, false).await,
    ));
    outcomes.push(("delete_item", client.delete_item(id, item).await));
    outcomes.push(("delete_section", client.delete_section(id, section).await));
    outcomes
}

/// A write and how it was answered: `None` for success, else the status and problem code.
type WriteOutcome = (&'static str, Option<(Option<StatusCode>, String)>);

/// The outcomes as [`WriteOutcome`]s.
fn outcome_codes(outcomes: Vec<(&'static str, Result<(), ClientError>)>) -> Vec<WriteOutcome> {
    outcomes
        .into_iter()
        .map(|(write, result)| (write, result.err().map(|e| code(Err::<(), _>(e)))))
        .collect()
}

/// What `outcome_codes` gives when every write answers `status` with `problem_code`.
fn every_write_answers(
    status: Option<StatusCode>,
    problem_code: Option<&str>,
) -> Vec<WriteOutcome> {
    [
        "set_pause",
        "set_hours",
        "create_section",
        "update_section",
        "create_item",
        "replace_item",
        "set_item_availability",
        "delete_item",
        "delete_section",
    ]
    .into_iter()
    .map(|write| (write, problem_code.map(|c| (status, c.to_owned()))))
    .collect()
}

/// Asserts that the shop's menu, hours and pause flag are as `open_shop` left them.
async fn assert_shop_untouched(app: &TestApp, shop: &Shop, menu_version: i64) {
    let client = app.client();
    let details = client.merchant(shop.id).await.expect("details");
    assert_eq!(
        (details.merchant.paused, details.open_now),
        (false, true),
        "still open and not paused"
    );
    let menu = client.menu(shop.id).await.expect("menu").menu;
    assert_eq!(menu.version, menu_version, "the menu did not change");
}

#[tokio::test]
async fn the_merchants_own_staff_may_make_every_staff_write() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Staffed Ramen").await;
    let staff = staff_of(&app, &admin, shop.id).await;

    let outcomes = staff_writes(&staff, &shop).await;

    assert_eq!(outcome_codes(outcomes), every_write_answers(None, None));
}

#[tokio::test]
async fn an_admin_may_make_every_staff_write() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Admin Ramen").await;

    let outcomes = staff_writes(&admin, &shop).await;

    assert_eq!(outcome_codes(outcomes), every_write_answers(None, None));
}

#[tokio::test]
async fn staff_of_another_merchant_are_refused_every_staff_write() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Guarded Ramen").await;
    let other = open_shop(&admin, "Rival Ramen").await;
    let rival_staff = staff_of(&app, &admin, other.id).await;
    let version = app.client().menu(shop.id).await.expect("menu").menu.version;

    let outcomes = staff_writes(&rival_staff, &shop).await;

    assert_eq!(
        outcome_codes(outcomes),
        every_write_answers(Some(StatusCode::FORBIDDEN), Some("merchants.not_staff"))
    );
    assert_shop_untouched(&app, &shop, version).await;
}

#[tokio::test]
async fn a_customer_is_refused_every_staff_write() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Customer-Proof Ramen").await;
    let (customer, _) = app.customer().await;
    let version = app.client().menu(shop.id).await.expect("menu").menu.version;

    let outcomes = staff_writes(&customer, &shop).await;

    assert_eq!(
        outcome_codes(outcomes),
        every_write_answers(Some(StatusCode::FORBIDDEN), Some("merchants.not_staff"))
    );
    assert_shop_untouched(&app, &shop, version).await;
}

#[tokio::test]
async fn staff_writes_require_authentication() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Anonymous-Proof Ramen").await;
    let version = app.client().menu(shop.id).await.expect("menu").menu.version;

    let outcomes = staff_writes(&app.client(), &shop).await;

    assert_eq!(
        outcome_codes(outcomes),
        every_write_answers(Some(StatusCode::UNAUTHORIZED), Some("auth.unauthenticated"))
    );
    assert_shop_untouched(&app, &shop, version).await;
}

#[tokio::test]
async fn removing_a_staff_member_ends_their_access_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Former Staff Ramen").await;
    let (former, session) = app.customer().await;
    admin
        .add_staff(shop.id, session.user.id)
        .await
        .expect("made staff");
    former
        .set_item_availability(shop.id, shop.item, false)
        .await
        .expect("staff may write");

    admin
        .remove_staff(shop.id, session.user.id)
        .await
        .expect("removed");

    let result = former.set_item_availability(shop.id, shop.item, true).await;
    assert_eq!(
        code(result),
        (
            Some(StatusCode::FORBIDDEN),
            "merchants.not_staff".to_owned()
        )
    );
}

#[tokio::test]
async fn making_an_unknown_user_staff_is_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Lonely Ramen").await;

    let result = admin
        .add_staff(shop.id, mercato::core::ids::UserId::new())
        .await;

    assert_eq!(
        code(result),
        (Some(StatusCode::NOT_FOUND), "users.not_found".to_owned())
    );
}

#[tokio::test]
async fn removing_someone_who_is_not_staff_is_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Unstaffed Ramen").await;
    let (_, stranger) = app.customer().await;

    let result = admin.remove_staff(shop.id, stranger.user.id).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::NOT_FOUND),
            "merchants.staff_not_found".to_owned()
        )
    );
}

/// Every administrator-only merchant write on `shop`, attempted by `client`.
async fn admin_writes(
    client: &Client,
    shop: &Shop,
    user: mercato::core::ids::UserId,
) -> Vec<(Option<StatusCode>, String)> {
    vec![
        code(
            client
                .create_merchant(&merchant_input("Usurper Ramen"))
                .await,
        ),
        code(
            client
                .update_merchant(shop.id, &merchant_input("Usurper Ramen"))
                .await,
        ),
        code(client.add_staff(shop.id, user).await),
        code(client.remove_staff(shop.id, user).await),
    ]
}

#[tokio::test]
async fn only_administrators_manage_merchants_and_their_staff() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Managed Ramen").await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let (customer, session) = app.customer().await;
    let forbidden = (
        Some(StatusCode::FORBIDDEN),
        "merchants.admin_only".to_owned(),
    );

    for (who, client) in [("customer", &customer), ("the merchant's staff", &staff)] {
        let outcomes = admin_writes(client, &shop, session.user.id).await;

        assert_eq!(outcomes, vec![forbidden.clone(); 4], "{who}");
    }
    let details = app.client().merchant(shop.id).await.expect("details");
    assert_eq!(details.merchant.name, "Managed Ramen");
}

#[tokio::test]
async fn managing_merchants_requires_authentication() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Locked Ramen").await;
    let (_, session) = app.customer().await;

    let outcomes = admin_writes(&app.client(), &shop, session.user.id).await;

    let unauthenticated = (
        Some(StatusCode::UNAUTHORIZED),
        "auth.unauthenticated".to_owned(),
    );
    assert_eq!(outcomes, vec![unauthenticated; 4]);
}

#[tokio::test]
async fn a_section_of_another_merchant_is_not_found_under_this_merchants_path() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Honest Ramen").await;
    let victim = open_shop(&admin, "Victim Ramen").await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let version = app
        .client()
        .menu(victim.id)
        .await
        .expect("menu")
        .menu
        .version;

    let outcomes = vec![
        code(
            staff
                .update_section(shop.id, victim.section, &section_input("Mine now"))
                .await,
        ),
        code(staff.delete_section(shop.id, victim.section).await),
        code(
            staff
                .create_item(shop.id, victim.section, &item_input("Planted", 1))
                .await,
        ),
    ];

    let not_found = (
        Some(StatusCode::NOT_FOUND),
        "menu.section_not_found".to_owned(),
    );
    assert_eq!(outcomes, vec![not_found; 3]);
    assert_shop_untouched(&app, &victim, version).await;
}

#[tokio::test]
async fn an_item_of_another_merchant_is_not_found_under_this_merchants_path() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Honest Udon").await;
    let victim = open_shop(&admin, "Victim Udon").await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let version = app
        .client()
        .menu(victim.id)
        .await
        .expect("menu")
        .menu
        .version;

    let outcomes = vec![
        code(
            staff
                .replace_item(shop.id, victim.item, &item_input("Free udon", 0))
                .await,
        ),
        code(
            staff
                .set_item_availability(shop.id, victim.item, false)
                .await,
        ),
        code(staff.delete_item(shop.id, victim.item).await),
    ];

    let not_found = (
        Some(StatusCode::NOT_FOUND),
        "menu.item_not_found".to_owned(),
    );
    assert_eq!(outcomes, vec![not_found; 3]);
    assert_shop_untouched(&app, &victim, version).await;
}

// --- invalid writes -------------------------------------------------------------------

#[tokio::test]
async fn an_item_with_a_negative_price_and_impossible_option_groups_names_each_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin, "Strict Ramen").await;
    let mut item = item_input("Impossible ramen", -1);
    let mut none_allowed = item.option_groups[0].clone();
    none_allowed.min_selections = 0;
    none_allowed.max_selections = 0;
    let mut more_required_than_allowed = item.option_groups[0].clone();
    more_required_than_allowed.min_selections = 2;
    more_required_than_allowed.max_selections = 1;
    item.option_groups = vec![none_allowed, more_required_than_allowed];

    let result = admin.create_item(shop.id, shop.section, &item).await;

    assert_eq!(
        invalid_fields(result),
        [
            "optionGroups[0].maxSelections",
            "optionGroups[1].minSelections",
            "priceMinor"
        ]
    );
}

#[tokio::test]
async fn a_merchant_in_an_unknown_city_with_a_tiny_radius_and_unordered_fee_bands_names_each_field()
{
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let input = MerchantInput {
        city_id: CityId::new(),
        delivery_radius_m: 50,
        delivery_fee_bands: vec![
            FeeBand {
                up_to_m: 2_000,
                fee_minor: 300,
            },
            FeeBand {
                up_to_m: 1_000,
                fee_minor: 200,
            },
        ],
        ..merchant_input("Nowhere Ramen")
    };

    let result = admin.create_merchant(&input).await;

    assert_eq!(
        invalid_fields(result),
        ["cityId", "deliveryFeeBands[1].upToM", "deliveryRadiusM"]
    );
}
