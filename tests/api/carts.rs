//! `/api/carts/...` end to end: opening a cart once per merchant, adding, changing and
//! removing lines with their validation, pricing from the current menu, the warnings that
//! would stop checkout, and that a cart is its owner's alone.
//!
//! Tests that need exact prices, minimums or menu changes create their own merchant in
//! Tokyo, ten kilometres south of the centre (away from the merchants of `merchants.rs`),
//! with a small delivery radius; the rest use demo merchants in Berlin.

use mercato::client::Client;
use mercato::core::catalog::{
    DiscoveryParams, FeeBand, ItemInput, MenuItem, MerchantInput, OpeningHours, OptionGroupInput,
    OptionInput, SectionInput,
};
use mercato::core::geo::{LatLng, ServiceCategory, TaxClass};
use mercato::core::ids::{MerchantId, OptionId, SectionId};
use mercato::core::ordering::{AddCartItem, Cart, CartWarning, MAX_CART_LINES, UpdateCartItem};
use reqwest::StatusCode;

use crate::support::{TestApp, code, demo_city, invalid_fields, staff_of};

/// The demo courier: signed in, but no customer.
const DEMO_COURIER: &str = "courier@demo.mercato.dev";

/// Where this file's own merchants trade: inside Tokyo's zone, ten kilometres south of the
/// centre, beyond the reach of their 1.5 km delivery radius from any demo city centre.
fn shop_spot() -> LatLng {
    let tokyo = demo_city("Tokyo").center;
    LatLng {
        lat: tokyo.lat - 0.09,
        lng: tokyo.lng,
    }
}

/// A minimum order of ¥1,000; delivery ¥200 within a kilometre, ¥300 up to 1.5 km.
fn merchant_input(name: &str) -> MerchantInput {
    MerchantInput {
        name: name.to_owned(),
        description: None,
        city_id: demo_city("Tokyo").id,
        categories: vec![ServiceCategory::Food],
        cuisines: vec!["ramen".to_owned()],
        address: "2-2 Test-dori, Ota-ku".to_owned(),
        location: shop_spot(),
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

/// An item with one required "Size" group: Regular (+0) or Large (+200).
fn item_input(name: &str, price_minor: i64) -> ItemInput {
    ItemInput {
        name: name.to_owned(),
        description: None,
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

/// An item without options.
fn plain_item_input(name: &str, price_minor: i64) -> ItemInput {
    ItemInput {
        option_groups: Vec::new(),
        ..item_input(name, price_minor)
    }
}

/// A merchant of this file's own with two ramen dishes (¥950 and ¥1,200).
struct Shop {
    id: MerchantId,
    section: SectionId,
    shoyu: MenuItem,
    miso: MenuItem,
}

impl Shop {
    /// The item's "Regular" option.
    fn regular(item: &MenuItem) -> OptionId {
        item.option_groups[0].options[0].id
    }

    /// The item's "Large" option.
    fn large(item: &MenuItem) -> OptionId {
        item.option_groups[0].options[1].id
    }
}

async fn open_shop(admin: &Client) -> Shop {
    let merchant = admin
        .create_merchant(&merchant_input("Cart Test Ramen"))
        .await
        .expect("merchant created");
    let section = admin
        .create_section(
            merchant.id,
            &SectionInput {
                name: "Ramen".to_owned(),
                position: None,
            },
        )
        .await
        .expect("section created");
    let shoyu = admin
        .create_item(merchant.id, section.id, &item_input("Shoyu ramen", 950))
        .await
        .expect("item created");
    let miso = admin
        .create_item(merchant.id, section.id, &item_input("Miso ramen", 1_200))
        .await
        .expect("item created");
    Shop {
        id: merchant.id,
        section: section.id,
        shoyu,
        miso,
    }
}

fn add(item: &MenuItem, quantity: u32, options: Vec<OptionId>) -> AddCartItem {
    AddCartItem {
        menu_item_id: item.id,
        quantity,
        options,
        note: None,
    }
}

/// A demo merchant delivering to Berlin's centre, with an orderable item and the options
/// that satisfy it: the first `min_selections` available options of every group.
struct Pick {
    merchant: MerchantId,
    item: MenuItem,
    options: Vec<OptionId>,
}

fn satisfying_options(item: &MenuItem) -> Option<Vec<OptionId>> {
    let mut chosen = Vec::new();
    for group in &item.option_groups {
        let available: Vec<OptionId> = group
            .options
            .iter()
            .filter(|o| o.available)
            .map(|o| o.id)
            .take(usize::from(group.min_selections))
            .collect();
        if available.len() < usize::from(group.min_selections) {
            return None;
        }
        chosen.extend(available);
    }
    Some(chosen)
}

/// The orderable picks of the first `count` demo merchants near Berlin's centre that have one.
async fn berlin_picks(client: &Client, count: usize) -> Vec<Pick> {
    let centre = demo_city("Berlin").center;
    let page = client
        .discover(&DiscoveryParams {
            lat: centre.lat,
            lng: centre.lng,
            ..DiscoveryParams::default()
        })
        .await
        .expect("discovery");
    let mut picks = Vec::new();
    for merchant in page.items {
        let menu = client.menu(merchant.id).await.expect("menu").menu;
        let pick = menu
            .sections
            .into_iter()
            .flat_map(|s| s.items)
            .filter(|item| item.available)
            .find_map(|item| satisfying_options(&item).map(|options| (item, options)));
        if let Some((item, options)) = pick {
            picks.push(Pick {
                merchant: merchant.id,
                item,
                options,
            });
        }
        if picks.len() == count {
            return picks;
        }
    }
    panic!("fewer than {count} Berlin demo merchants have an orderable item");
}

fn has_warning(cart: &Cart, wanted: impl Fn(&CartWarning) -> bool) -> bool {
    cart.warnings.iter().any(wanted)
}

// --- opening and ownership -------------------------------------------------------------

#[tokio::test]
async fn opening_a_cart_twice_creates_it_then_returns_the_same_cart() {
    let app = TestApp::spawn().await;
    let (customer, _) = app.customer().await;
    let pick = berlin_picks(&customer, 1).await.remove(0);

    let (first, created) = customer.create_cart(pick.merchant).await.expect("opened");
    let (second, created_again) = customer.create_cart(pick.merchant).await.expect("opened");

    assert!(created, "the first open creates (201)");
    assert!(!created_again, "the second open finds it (200)");
    assert_eq!(first.id, second.id);
    assert!(first.lines.is_empty() && first.summary.is_none());
    let listed: Vec<_> = customer
        .carts()
        .await
        .expect("listed")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(listed, vec![first.id]);
}

#[tokio::test]
async fn another_customers_cart_is_not_found_for_every_call() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.customer().await;
    let (stranger, _) = app.customer().await;
    let pick = berlin_picks(&owner, 1).await.remove(0);
    let (cart, _) = owner.create_cart(pick.merchant).await.expect("opened");
    let request = add(&pick.item, 1, pick.options.clone());
    let line = owner
        .add_cart_item(cart.id, &request)
        .await
        .expect("added")
        .lines[0]
        .id;
    let not_found = (Some(StatusCode::NOT_FOUND), "cart.not_found".to_owned());

    assert_eq!(code(stranger.cart(cart.id, None).await), not_found);
    assert_eq!(
        code(stranger.add_cart_item(cart.id, &request).await),
        not_found
    );
    let update = UpdateCartItem {
        quantity: Some(2),
        ..UpdateCartItem::default()
    };
    assert_eq!(
        code(stranger.update_cart_item(cart.id, line, &update).await),
        not_found
    );
    assert_eq!(
        code(stranger.remove_cart_item(cart.id, line).await),
        not_found
    );
    assert_eq!(code(stranger.clear_cart(cart.id).await), not_found);
    assert!(stranger.carts().await.expect("listed").is_empty());
    assert_eq!(
        owner
            .cart(cart.id, None)
            .await
            .expect("still mine")
            .lines
            .len(),
        1
    );
}

#[tokio::test]
async fn only_customers_open_carts() {
    let app = TestApp::spawn().await;
    let courier = app.demo_account(DEMO_COURIER).await;
    let pick = berlin_picks(&courier, 1).await.remove(0);

    assert_eq!(
        code(courier.create_cart(pick.merchant).await),
        (
            Some(StatusCode::FORBIDDEN),
            "cart.customers_only".to_owned()
        )
    );
}

// --- adding and validation ---------------------------------------------------------------

#[tokio::test]
async fn an_added_item_is_priced_with_its_options_in_the_merchants_currency() {
    let app = TestApp::spawn().await;
    let (customer, _) = app.customer().await;
    let pick = berlin_picks(&customer, 1).await.remove(0);
    let (cart, _) = customer.create_cart(pick.merchant).await.expect("opened");

    let cart = customer
        .add_cart_item(cart.id, &add(&pick.item, 2, pick.options.clone()))
        .await
        .expect("added");

    let deltas: i64 = pick
        .item
        .option_groups
        .iter()
        .flat_map(|g| &g.options)
        .filter(|o| pick.options.contains(&o.id))
        .map(|o| o.price_delta.amount_minor)
        .sum();
    let unit = pick.item.price.amount_minor + deltas;
    let line = &cart.lines[0];
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(line.menu_item_id, pick.item.id);
    assert_eq!(line.quantity, 2);
    assert!(line.available);
    assert_eq!(line.unit_price.amount_minor, unit);
    assert_eq!(line.line_total.amount_minor, unit * 2);
    let summary = cart.summary.as_ref().expect("a priced summary");
    assert_eq!(summary.subtotal.amount_minor, unit * 2);
    assert_eq!(summary.subtotal.currency.as_str(), "EUR");
    assert_eq!(summary.total.currency.as_str(), "EUR");
    assert!(!has_warning(&cart, |w| matches!(
        w,
        CartWarning::PriceChanged { .. } | CartWarning::ItemUnavailable { .. }
    )));
}

#[tokio::test]
async fn quantities_outside_one_to_ninety_nine_are_refused_naming_quantity() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    let regular = Shop::regular(&shop.shoyu);

    for quantity in [0, 100] {
        assert_eq!(
            invalid_fields(
                customer
                    .add_cart_item(cart.id, &add(&shop.shoyu, quantity, vec![regular]))
                    .await
            ),
            ["quantity"],
            "quantity {quantity}"
        );
    }
}

#[tokio::test]
async fn options_breaking_a_groups_minimum_or_maximum_are_refused() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    let both = vec![Shop::regular(&shop.shoyu), Shop::large(&shop.shoyu)];

    let too_few = customer
        .add_cart_item(cart.id, &add(&shop.shoyu, 1, Vec::new()))
        .await;
    let too_many = customer
        .add_cart_item(cart.id, &add(&shop.shoyu, 1, both))
        .await;

    assert_eq!(invalid_fields(too_few), ["options"]);
    assert_eq!(invalid_fields(too_many), ["options"]);
}

#[tokio::test]
async fn an_option_of_another_item_is_refused() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");

    let result = customer
        .add_cart_item(
            cart.id,
            &add(&shop.shoyu, 1, vec![Shop::regular(&shop.miso)]),
        )
        .await;

    assert!(invalid_fields(result).contains(&"options[0]".to_owned()));
}

#[tokio::test]
async fn an_item_of_another_merchant_is_not_on_the_menu() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let pick = berlin_picks(&customer, 1).await.remove(0);
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");

    assert_eq!(
        code(
            customer
                .add_cart_item(cart.id, &add(&pick.item, 1, pick.options))
                .await
        ),
        (
            Some(StatusCode::UNPROCESSABLE_ENTITY),
            "cart.item_not_on_menu".to_owned()
        )
    );
}

#[tokio::test]
async fn a_cart_holds_at_most_fifty_lines() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    let line = add(&shop.shoyu, 1, vec![Shop::regular(&shop.shoyu)]);
    for _ in 0..MAX_CART_LINES {
        customer.add_cart_item(cart.id, &line).await.expect("added");
    }

    assert_eq!(
        code(customer.add_cart_item(cart.id, &line).await),
        (Some(StatusCode::CONFLICT), "cart.too_many_lines".to_owned())
    );
}

// --- changing lines ------------------------------------------------------------------------

#[tokio::test]
async fn changing_a_lines_quantity_and_options_reprices_it() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    let added = customer
        .add_cart_item(
            cart.id,
            &add(&shop.shoyu, 1, vec![Shop::regular(&shop.shoyu)]),
        )
        .await
        .expect("added");
    let line = added.lines[0].id;

    let cart = customer
        .update_cart_item(
            cart.id,
            line,
            &UpdateCartItem {
                quantity: Some(3),
                options: Some(vec![Shop::large(&shop.shoyu)]),
                note: None,
            },
        )
        .await
        .expect("updated");

    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].id, line);
    assert_eq!(cart.lines[0].quantity, 3);
    assert_eq!(cart.lines[0].unit_price.amount_minor, 1_150);
    assert_eq!(cart.lines[0].line_total.amount_minor, 3_450);
    assert_eq!(
        cart.summary.as_ref().expect("priced").subtotal.amount_minor,
        3_450
    );
    assert!(!has_warning(&cart, |w| matches!(
        w,
        CartWarning::PriceChanged { .. }
    )));
}

#[tokio::test]
async fn removing_a_line_keeps_the_others() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    customer
        .add_cart_item(
            cart.id,
            &add(&shop.shoyu, 1, vec![Shop::regular(&shop.shoyu)]),
        )
        .await
        .expect("added");
    let both = customer
        .add_cart_item(
            cart.id,
            &add(&shop.miso, 1, vec![Shop::regular(&shop.miso)]),
        )
        .await
        .expect("added");

    let cart = customer
        .remove_cart_item(cart.id, both.lines[0].id)
        .await
        .expect("removed");

    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].id, both.lines[1].id);
    assert_eq!(cart.summary.expect("priced").subtotal.amount_minor, 1_200);
}

#[tokio::test]
async fn clearing_a_cart_leaves_it_empty_without_a_summary() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    customer
        .add_cart_item(
            cart.id,
            &add(&shop.shoyu, 2, vec![Shop::regular(&shop.shoyu)]),
        )
        .await
        .expect("added");

    customer.clear_cart(cart.id).await.expect("cleared");

    let cart = customer.cart(cart.id, None).await.expect("still open");
    assert!(cart.lines.is_empty());
    assert!(cart.summary.is_none());
}

// --- warnings --------------------------------------------------------------------------------

#[tokio::test]
async fn a_cart_below_the_minimum_order_is_warned() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");

    let small = customer
        .add_cart_item(
            cart.id,
            &add(&shop.shoyu, 1, vec![Shop::regular(&shop.shoyu)]),
        )
        .await
        .expect("added");
    let enough = customer
        .add_cart_item(
            cart.id,
            &add(&shop.shoyu, 1, vec![Shop::regular(&shop.shoyu)]),
        )
        .await
        .expect("added");

    assert!(has_warning(&small, |w| matches!(
        w,
        CartWarning::BelowMinimumOrder { minimum } if minimum.amount_minor == 1_000
    )));
    assert!(!has_warning(&enough, |w| matches!(
        w,
        CartWarning::BelowMinimumOrder { .. }
    )));
}

#[tokio::test]
async fn a_delivery_point_beyond_the_radius_is_warned_and_one_within_is_charged_its_band() {
    let app = TestApp::spawn().await;
    let shop = open_shop(&app.admin().await).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    customer
        .add_cart_item(
            cart.id,
            &add(&shop.shoyu, 2, vec![Shop::regular(&shop.shoyu)]),
        )
        .await
        .expect("added");
    let spot = shop_spot();
    let tokyo = demo_city("Tokyo").center;

    let far = customer
        .cart(cart.id, Some((tokyo.lat, tokyo.lng)))
        .await
        .expect("priced far away");
    let near = customer
        .cart(cart.id, Some((spot.lat + 0.001, spot.lng)))
        .await
        .expect("priced nearby");

    assert!(has_warning(&far, |w| *w == CartWarning::OutsideDeliveryArea));
    assert!(!has_warning(&near, |w| *w == CartWarning::OutsideDeliveryArea));
    assert_eq!(near.summary.expect("priced").delivery_fee.amount_minor, 200);
}

#[tokio::test]
async fn an_item_made_unavailable_by_staff_is_warned_and_left_out_of_the_summary() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin).await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    let added = customer
        .add_cart_item(
            cart.id,
            &add(&shop.shoyu, 1, vec![Shop::regular(&shop.shoyu)]),
        )
        .await
        .expect("added");
    customer
        .add_cart_item(
            cart.id,
            &add(&shop.miso, 1, vec![Shop::regular(&shop.miso)]),
        )
        .await
        .expect("added");

    staff
        .set_item_availability(shop.id, shop.shoyu.id, false)
        .await
        .expect("sold out");

    let cart = customer.cart(cart.id, None).await.expect("priced");
    let shoyu_line = added.lines[0].id;
    assert!(has_warning(&cart, |w| *w
        == CartWarning::ItemUnavailable {
            line_id: shoyu_line
        }));
    assert!(!cart.lines[0].available);
    let summary = cart.summary.expect("the miso line is priced");
    assert_eq!(summary.lines.len(), 1);
    assert_eq!(summary.subtotal.amount_minor, 1_200);
}

#[tokio::test]
async fn a_price_change_by_staff_is_warned_with_both_prices() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin).await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    let gyoza = admin
        .create_item(shop.id, shop.section, &plain_item_input("Gyoza", 950))
        .await
        .expect("item created");
    let added = customer
        .add_cart_item(cart.id, &add(&gyoza, 1, Vec::new()))
        .await
        .expect("added");

    staff
        .replace_item(shop.id, gyoza.id, &plain_item_input("Gyoza", 1_050))
        .await
        .expect("repriced");

    let cart = customer.cart(cart.id, None).await.expect("priced");
    let line_id = added.lines[0].id;
    assert!(has_warning(&cart, |w| matches!(
        w,
        CartWarning::PriceChanged { line_id: id, was, now }
            if *id == line_id && was.amount_minor == 950 && now.amount_minor == 1_050
    )));
    assert_eq!(cart.lines[0].unit_price.amount_minor, 1_050);
}

#[tokio::test]
async fn a_repriced_item_keeps_the_options_a_cart_chose() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = open_shop(&admin).await;
    let staff = staff_of(&app, &admin, shop.id).await;
    let (customer, _) = app.customer().await;
    let (cart, _) = customer.create_cart(shop.id).await.expect("opened");
    let ramen = admin
        .create_item(shop.id, shop.section, &item_input("Shoyu Ramen", 950))
        .await
        .expect("item created");
    let large = ramen.option_groups[0].options[1].id;
    let added = customer
        .add_cart_item(cart.id, &add(&ramen, 1, vec![large]))
        .await
        .expect("added");

    staff
        .replace_item(shop.id, ramen.id, &item_input("Shoyu Ramen", 1_050))
        .await
        .expect("repriced");

    let cart = customer.cart(cart.id, None).await.expect("priced");
    let line_id = added.lines[0].id;
    assert!(
        cart.lines[0].available,
        "the chosen option survived the edit"
    );
    assert!(has_warning(&cart, |w| matches!(
        w,
        CartWarning::PriceChanged { line_id: id, was, now }
            if *id == line_id && was.amount_minor == 1_150 && now.amount_minor == 1_250
    )));
}
