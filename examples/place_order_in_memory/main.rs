//! Mercato's core use cases embedded in a Rust program, over in-memory adapters — no
//! database, no server, no network.
//!
//! ```text
//! cargo run --example place_order_in_memory
//! ```
//!
//! The use cases (`GeoService`, `CatalogService`, `CartService`, `OrderService`) run behind
//! ports: store traits, a clock, a point locator, a staff directory. [`memory::Memory`]
//! implements every store trait with `Mutex`-guarded `HashMap`s, and a
//! [`memory::SteppingClock`] lets the story move in minutes without waiting. The program
//! builds Germany and Berlin, a pizzeria with a menu, a customer and a courier; the customer
//! fills a cart and checks out (cash); the merchant accepts, prepares and marks the order
//! ready, which dispatches it to the nearest courier; the courier picks it up, reports
//! where they are and delivers. Every step goes through the same use case the HTTP server
//! calls, with the same authorization and the same lifecycle rules.
//!
//! Who acts is a [`Principal`] — here made from the users the program inserted, in a real
//! program from its own authentication.

mod memory;

use std::sync::Arc;

use anyhow::Context as _;
use memory::{Memory, SteppingClock};
use mercato::core::catalog::{
    CatalogPorts, CatalogService, DiscoveryParams, EtaModel, FeeBand, ItemInput, Menu, MenuFetch,
    MenuItem, MerchantInput, OpeningHours, OptionGroupInput, OptionInput, SectionInput,
    StaffAssignment,
};
use mercato::core::clock::Clock;
use mercato::core::geo::{
    CityInput, CountryCode, CountryInput, DeliveryZone, GeoService, LatLng, ServiceCategory,
    TaxClass, TaxRate, TaxRegime,
};
use mercato::core::identity::{Email, User};
use mercato::core::ids::{MerchantId, OptionId, UserId};
use mercato::core::money::Money;
use mercato::core::ordering::{
    AddCartItem, Cart, CartQuery, CartService, CheckoutRequest, CourierStatusUpdate, CreateCart,
    DeliveryDetails, LiveView, Order, OrderPorts, OrderService, OrderStatus, OrderUpdate,
    PaymentChoice, PaymentKeyword, PositionUpdate, StatusChange, StatusUpdate,
};
use mercato::core::pricing::PriceSummary;
use mercato::core::{DomainError as _, Principal, Role};
use time::OffsetDateTime;
use time::macros::datetime;

/// Where the pizzeria is (Berlin Mitte).
const SHOP: LatLng = LatLng {
    lat: 52.5246,
    lng: 13.4020,
};

/// The customer's door, about 1.2 km north-east of the shop.
const DOOR: LatLng = LatLng {
    lat: 52.5340,
    lng: 13.4120,
};

/// What the story ended with, for whoever runs it (the end-to-end tests check it).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The order as its customer reads it at the end.
    pub order: Order,
    /// The order a repeated checkout with the same idempotency key answered.
    pub replayed: Order,
    /// The courier who delivered it.
    pub courier: UserId,
    /// The order's status timeline.
    pub timeline: Vec<StatusChange>,
    /// The live updates the customer's view presented, in order.
    pub live: Vec<OrderUpdate>,
    /// The code of the status change the lifecycle refused the customer.
    pub refused: String,
    /// The topics of the domain events the use cases recorded, in order.
    pub events: Vec<&'static str>,
}

/// The use cases wired to one [`Memory`].
struct Marketplace {
    memory: Arc<Memory>,
    clock: Arc<SteppingClock>,
    geo: GeoService,
    catalog: CatalogService,
    carts: CartService,
    orders: OrderService,
}

impl Marketplace {
    /// Every service over `memory`; the clock starts at `start`.
    fn new(memory: Arc<Memory>, start: OffsetDateTime) -> Self {
        let clock = Arc::new(SteppingClock::starting_at(start));
        let time: Arc<dyn Clock> = clock.clone();
        let geo = GeoService::new(memory.clone());
        let catalog = CatalogService::new(
            CatalogPorts {
                store: memory.clone(),
                geo: memory.clone(),
                // Geography's use cases answer "which city serves this point" themselves.
                locator: Arc::new(geo.clone()),
                staff: memory.clone(),
                clock: time.clone(),
            },
            EtaModel::default(),
        );
        let carts = CartService::new(
            memory.clone(),
            catalog.clone(),
            memory.clone(),
            time.clone(),
        );
        let orders = OrderService::new(
            OrderPorts {
                orders: memory.clone(),
                couriers: memory.clone(),
                insights: memory.clone(),
                addresses: memory.clone(),
                users: memory.clone(),
                clock: time,
            },
            carts.clone(),
            catalog.clone(),
        );
        Self {
            memory,
            clock,
            geo,
            catalog,
            carts,
            orders,
        }
    }

    /// Adds a user and returns their id.
    fn user(&self, email: &str, name: &str, phone: Option<&str>, roles: &[Role]) -> UserId {
        let id = UserId::new();
        self.memory.insert_user(User {
            id,
            email: Email::parse(email).expect("a valid email"),
            name: name.to_owned(),
            phone: phone.map(str::to_owned),
            country_code: CountryCode::parse("DE").expect("a country code"),
            locale: "de-DE".to_owned(),
            roles: roles.to_vec(),
            location: None,
            created_at: self.clock.now(),
        });
        id
    }

    /// Who `user` acts as, read afresh (roles and staff memberships change).
    fn principal(&self, user: UserId) -> Principal {
        self.memory.principal(user).expect("a known user")
    }

    fn at(&self) -> String {
        let now = self.clock.now();
        format!("{:02}:{:02}", now.hour(), now.minute())
    }
}

fn euros(money: &Money) -> String {
    let minor = money.amount_minor;
    format!("€{}.{:02}", minor / 100, minor.rem_euclid(100))
}

fn summary_lines(summary: &PriceSummary) -> Vec<String> {
    let mut lines = vec![
        format!("    subtotal {}", euros(&summary.subtotal)),
        format!("    delivery fee {}", euros(&summary.delivery_fee)),
        format!("    service fee {}", euros(&summary.service_fee)),
    ];
    if summary.small_order_fee.amount_minor != 0 {
        lines.push(format!(
            "    small-order fee {}",
            euros(&summary.small_order_fee)
        ));
    }
    if summary.tip.amount_minor != 0 {
        lines.push(format!("    tip {}", euros(&summary.tip)));
    }
    lines.push(format!(
        "    total {} (VAT included: {})",
        euros(&summary.total),
        euros(&summary.tax)
    ));
    lines
}

fn cart_lines(cart: &Cart) -> Vec<String> {
    let mut lines: Vec<String> = cart
        .lines
        .iter()
        .map(|line| {
            let options: Vec<&str> = line.options.iter().map(|o| o.name.as_str()).collect();
            let options = if options.is_empty() {
                String::new()
            } else {
                format!(" ({})", options.join(", "))
            };
            format!(
                "    {} × {}{options} @ {} = {}",
                line.quantity,
                line.name,
                euros(&line.unit_price),
                euros(&line.line_total)
            )
        })
        .collect();
    if let Some(summary) = &cart.summary {
        lines.extend(summary_lines(summary));
    }
    lines
}

/// The item named `name` on `menu`, and the ids of its options named in `options`.
fn pick(menu: &Menu, name: &str, options: &[&str]) -> anyhow::Result<(MenuItem, Vec<OptionId>)> {
    let item = menu
        .items()
        .find(|i| i.name == name)
        .with_context(|| format!("{name} is on the menu"))?;
    let ids = options
        .iter()
        .map(|wanted| {
            item.option_groups
                .iter()
                .flat_map(|g| &g.options)
                .find(|o| o.name == *wanted)
                .map(|o| o.id)
                .with_context(|| format!("{name} has the option {wanted}"))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok((item.clone(), ids))
}

fn option(name: &str, price_delta_minor: i64) -> OptionInput {
    OptionInput {
        name: name.to_owned(),
        price_delta_minor,
        available: true,
    }
}

fn item(name: &str, price_minor: i64, tax_class: TaxClass) -> ItemInput {
    ItemInput {
        name: name.to_owned(),
        description: None,
        price_minor,
        tax_class,
        dietary_tags: Vec::new(),
        image_url: None,
        available: true,
        option_groups: Vec::new(),
    }
}

/// Builds Germany and Berlin (as the platform's admin), the pizzeria and its menu (the admin
/// creates the merchant and makes `staff` its staff, who writes the menu).
async fn open_pizzeria(
    market: &Marketplace,
    admin: &Principal,
    staff: UserId,
    say: &mut (dyn FnMut(String) + Send),
) -> anyhow::Result<MerchantId> {
    let (reduced, standard) = ("0.07".parse()?, "0.19".parse()?);
    let germany = market
        .geo
        .create_country(
            admin,
            CountryInput {
                code: "DE".to_owned(),
                name: "Germany".to_owned(),
                currency: "EUR".to_owned(),
                currency_exponent: 2,
                default_locale: "de-DE".to_owned(),
                time_zones: vec!["Europe/Berlin".to_owned()],
                tax_regime: TaxRegime::Inclusive,
                tax_rates: TaxClass::ALL
                    .into_iter()
                    .map(|class| TaxRate {
                        class,
                        rate: match class {
                            TaxClass::Food | TaxClass::Grocery => reduced,
                            _ => standard,
                        },
                    })
                    .collect(),
                enabled: true,
            },
        )
        .await?;
    let berlin = market
        .geo
        .create_city(
            admin,
            "DE",
            CityInput {
                name: "Berlin".to_owned(),
                center: LatLng {
                    lat: 52.52,
                    lng: 13.405,
                },
                time_zone: "Europe/Berlin".to_owned(),
                zone: DeliveryZone::Radius { radius_m: 25_000 },
                categories: vec![ServiceCategory::Food, ServiceCategory::Grocery],
                enabled: true,
            },
        )
        .await?;
    say(format!(
        "geo: {} ({}, VAT included) with {} (25 km zone)",
        germany.name, germany.currency, berlin.name
    ));

    let merchant = market
        .catalog
        .create_merchant(
            admin,
            MerchantInput {
                name: "Pizzeria Lina".to_owned(),
                description: Some("Wood-fired pizza".to_owned()),
                city_id: berlin.id,
                categories: vec![ServiceCategory::Food],
                cuisines: vec!["italian".to_owned(), "pizza".to_owned()],
                address: "Rosenthaler Straße 1, Berlin".to_owned(),
                location: SHOP,
                delivery_radius_m: 5_000,
                avg_prep_minutes: 15,
                minimum_order_minor: 1_000,
                delivery_fee_bands: vec![
                    FeeBand {
                        up_to_m: 2_000,
                        fee_minor: 199,
                    },
                    FeeBand {
                        up_to_m: 5_000,
                        fee_minor: 299,
                    },
                ],
                time_zone: None,
                hours: OpeningHours::always_open(),
                image_url: None,
            },
        )
        .await?;
    market
        .catalog
        .add_staff(admin, merchant.id, StaffAssignment { user_id: staff })
        .await?;

    // The staff member writes the menu; the principal is read after the membership exists.
    let staff = market.principal(staff);
    let section = |name: &str| {
        market.catalog.create_section(
            &staff,
            merchant.id,
            SectionInput {
                name: name.to_owned(),
                position: None,
            },
        )
    };
    let pizzas = section("Pizzas").await?;
    let desserts = section("Desserts").await?;
    let drinks = section("Drinks").await?;
    let margherita = ItemInput {
        description: Some("Tomato, fior di latte, basil".to_owned()),
        option_groups: vec![
            OptionGroupInput {
                name: "Size".to_owned(),
                min_selections: 1,
                max_selections: 1,
                options: vec![option("Regular", 0), option("Large", 300)],
            },
            OptionGroupInput {
                name: "Extras".to_owned(),
                min_selections: 0,
                max_selections: 2,
                options: vec![option("Burrata", 250), option("Chili oil", 50)],
            },
        ],
        ..item("Margherita", 950, TaxClass::Food)
    };
    for (section, input) in [
        (pizzas.id, margherita),
        (desserts.id, item("Tiramisu", 550, TaxClass::Food)),
        // Drinks pay the standard VAT rate in Germany: a second rate on the receipt.
        (
            drinks.id,
            item("Sparkling water 0.75 l", 290, TaxClass::General),
        ),
    ] {
        market
            .catalog
            .create_item(&staff, merchant.id, section, input)
            .await?;
    }
    say(format!(
        "catalog: {} at {}, with its staff and a menu",
        merchant.name, merchant.address
    ));
    Ok(merchant.id)
}

/// Moves the order to `status` as `actor`, `minutes` after the previous step.
async fn step(
    market: &Marketplace,
    actor: &Principal,
    who: &str,
    order: &Order,
    status: OrderStatus,
    minutes: i64,
    say: &mut (dyn FnMut(String) + Send),
) -> anyhow::Result<Order> {
    market.clock.advance(time::Duration::minutes(minutes));
    let moved = market
        .orders
        .update_status(actor, order.id, StatusUpdate::to(status))
        .await
        .with_context(|| format!("{who} moves the order to {}", status.as_str()))?;
    say(format!(
        "{} {who}: {} → {}",
        market.at(),
        order.status.as_str(),
        moved.status.as_str()
    ));
    Ok(moved)
}

/// The live updates published since `seen`, as the customer's live view presents them.
fn watch(
    market: &Marketplace,
    view: &mut LiveView,
    seen: &mut usize,
    live: &mut Vec<OrderUpdate>,
    say: &mut (dyn FnMut(String) + Send),
) {
    let updates = market.memory.updates_since(*seen);
    *seen += updates.len();
    for update in updates {
        let Some(shown) = view.present(update) else {
            continue;
        };
        say(match &shown {
            OrderUpdate::Status { status, .. } => {
                format!("      customer sees: status {}", status.as_str())
            }
            OrderUpdate::CourierAssigned { first_name, .. } => {
                format!("      customer sees: courier {first_name} assigned")
            }
            OrderUpdate::Position {
                distance_left_m,
                eta_minutes,
                ..
            } => format!(
                "      customer sees: courier {} m away, about {} min",
                distance_left_m.unwrap_or_default(),
                eta_minutes.unwrap_or_default()
            ),
        });
        live.push(shown);
    }
}

/// Runs the whole story, telling each step to `say`.
///
/// # Errors
/// Any use case refusing a step (none does, unless the core's rules changed).
pub async fn run(say: &mut (dyn FnMut(String) + Send)) -> anyhow::Result<Outcome> {
    let market = Marketplace::new(Arc::new(Memory::new()), datetime!(2026-06-01 11:30 UTC));
    let admin = market.user("ada@example.com", "Ada Admin", None, &[Role::Admin]);
    let mona = market.user("mona@example.com", "Mona Merchant", None, &[]);
    let carla = market.user(
        "carla@example.com",
        "Carla Customer",
        Some("+4930123456"),
        &[Role::Customer],
    );
    let cody = market.user("cody@example.com", "Cody Courier", None, &[Role::Courier]);
    let shop = open_pizzeria(&market, &market.principal(admin), mona, say).await?;
    let (carla, mona, cody) = (
        market.principal(carla),
        market.principal(mona),
        market.principal(cody),
    );

    // The customer finds the pizzeria from her door and reads its menu.
    let page = market
        .catalog
        .discover(DiscoveryParams {
            lat: DOOR.lat,
            lng: DOOR.lng,
            ..DiscoveryParams::default()
        })
        .await?;
    for found in &page.items {
        say(format!(
            "{} discover: {} — {} m, about {} min, delivery {}, open: {}",
            market.at(),
            found.name,
            found.distance_m,
            found.eta_minutes,
            euros(&found.delivery_fee),
            found.open_now
        ));
    }
    anyhow::ensure!(
        page.items.iter().any(|m| m.id == shop),
        "discovery finds the pizzeria"
    );
    let MenuFetch::Menu { menu, .. } = market.catalog.menu(shop, None).await? else {
        anyhow::bail!("a first read of a menu is never `NotModified`");
    };
    say(format!(
        "      menu (version {}): {}",
        menu.version,
        menu.items()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));

    // She fills a cart.
    let (cart, _) = market
        .carts
        .open(&carla, CreateCart { merchant_id: shop })
        .await?;
    for (name, options, quantity) in [
        ("Margherita", &["Large", "Burrata"][..], 2),
        ("Tiramisu", &[][..], 1),
        ("Sparkling water 0.75 l", &[][..], 2),
    ] {
        let (item, options) = pick(&menu, name, options)?;
        market
            .carts
            .add_item(
                &carla,
                cart.id,
                AddCartItem {
                    menu_item_id: item.id,
                    quantity,
                    options,
                    note: None,
                },
            )
            .await?;
    }
    let quoted = market
        .carts
        .get(
            &carla,
            cart.id,
            CartQuery {
                lat: Some(DOOR.lat),
                lng: Some(DOOR.lng),
            },
        )
        .await?;
    say(format!("{} cart, priced for the door:", market.at()));
    cart_lines(&quoted).into_iter().for_each(&mut *say);
    anyhow::ensure!(quoted.warnings.is_empty(), "{:?}", quoted.warnings);
    let quoted_total = quoted.summary.context("a priced cart")?.total;

    // Checkout: cash, a €2 tip, idempotent by its key.
    let tip = Money::new(200, quoted_total.currency.clone());
    let checkout = CheckoutRequest {
        cart_id: cart.id,
        delivery_address_id: None,
        delivery: Some(DeliveryDetails {
            address: "Choriner Straße 20, 10435 Berlin".to_owned(),
            lat: DOOR.lat,
            lng: DOOR.lng,
            instructions: Some("Second floor, ring twice".to_owned()),
            contact_phone: "+4930123456".to_owned(),
        }),
        scheduled_for: None,
        tip: Some(tip.clone()),
        payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
        expected_total: Some(Money::new(
            quoted_total.amount_minor + tip.amount_minor,
            tip.currency.clone(),
        )),
    };
    market.clock.advance(time::Duration::minutes(2));
    let key = "checkout-2026-06-01-carla-1";
    let order = market
        .orders
        .checkout(&carla, Some(key), checkout.clone())
        .await?;
    say(format!(
        "{} checkout (key {key}): order {} {} — total {}",
        market.at(),
        order.id,
        order.status.as_str(),
        euros(&order.summary.total)
    ));
    let replayed = market.orders.checkout(&carla, Some(key), checkout).await?;
    say(format!(
        "      the same checkout again answers order {} (no second order)",
        replayed.id
    ));

    // Follow it as the customer: the live view decides what she may see of each update.
    let mut view = market.orders.watch(&carla, order.id).await?;
    let mut live = vec![view.opening(&order)];
    let mut seen = market.memory.updates_since(0).len();

    // The lifecycle refuses what the customer may not do.
    let refused = market
        .orders
        .update_status(&carla, order.id, StatusUpdate::to(OrderStatus::Delivered))
        .await
        .expect_err("a customer cannot mark her order delivered");
    let allowed: Vec<&str> = refused.allowed_next().iter().map(|s| s.as_str()).collect();
    let refused = refused.code().to_owned();
    say(format!(
        "      customer → delivered refused: {refused} (she may: {})",
        allowed.join(", ")
    ));

    // The kitchen; ready for pickup dispatches the nearest free courier.
    let order = step(
        &market,
        &mona,
        "merchant",
        &order,
        OrderStatus::Accepted,
        1,
        say,
    )
    .await?;
    watch(&market, &mut view, &mut seen, &mut live, say);
    let order = step(
        &market,
        &mona,
        "merchant",
        &order,
        OrderStatus::Preparing,
        2,
        say,
    )
    .await?;
    watch(&market, &mut view, &mut seen, &mut live, say);

    // A courier goes online near the shop (dispatch only considers positions from the last
    // 15 minutes).
    market.clock.advance(time::Duration::minutes(10));
    let courier = market
        .orders
        .set_courier_status(
            &cody,
            CourierStatusUpdate {
                online: true,
                lat: Some(SHOP.lat - 0.003),
                lng: Some(SHOP.lng),
            },
        )
        .await?;
    say(format!(
        "{} courier {} goes online, 330 m from the shop",
        market.at(),
        courier.first_name
    ));

    let order = step(
        &market,
        &mona,
        "merchant",
        &order,
        OrderStatus::ReadyForPickup,
        4,
        say,
    )
    .await?;
    let assigned = order.courier_id.context("dispatch assigned a courier")?;
    say(format!(
        "      dispatched to the nearest free courier: {}",
        if assigned == cody.user_id {
            "Cody"
        } else {
            "someone else"
        }
    ));
    watch(&market, &mut view, &mut seen, &mut live, say);

    // The courier rides.
    let order = step(
        &market,
        &cody,
        "courier",
        &order,
        OrderStatus::PickedUp,
        4,
        say,
    )
    .await?;
    watch(&market, &mut view, &mut seen, &mut live, say);
    for (lat, lng) in [(52.5290, 13.4070), (52.5335, 13.4115)] {
        market.clock.advance(time::Duration::minutes(2));
        market
            .orders
            .post_location(
                &cody,
                order.id,
                PositionUpdate {
                    lat,
                    lng,
                    heading_deg: Some(40.0),
                    speed_kmh: Some(16.0),
                },
            )
            .await?;
        say(format!("{} courier is at {lat}, {lng}", market.at()));
        watch(&market, &mut view, &mut seen, &mut live, say);
    }
    step(
        &market,
        &cody,
        "courier",
        &order,
        OrderStatus::Delivered,
        1,
        say,
    )
    .await?;
    watch(&market, &mut view, &mut seen, &mut live, say);

    let tracking = market.orders.tracking(&carla, order.id).await?;
    say("timeline:".to_owned());
    for change in &tracking.timeline {
        say(format!(
            "    {:02}:{:02} {} by {}",
            change.at.hour(),
            change.at.minute(),
            change.status.as_str(),
            change.actor
        ));
    }
    let events = market.memory.event_topics();
    say(format!("events recorded: {}", events.join(", ")));
    Ok(Outcome {
        order: market.orders.order(&carla, order.id).await?,
        replayed,
        courier: assigned,
        timeline: tracking.timeline,
        live,
        refused,
        events,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let outcome = run(&mut |line| println!("{line}")).await?;
    println!(
        "order {} is {}, delivered by courier {}",
        outcome.order.id,
        outcome.order.status.as_str(),
        outcome.courier
    );
    Ok(())
}
