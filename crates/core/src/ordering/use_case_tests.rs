//! Use-case tests of checkout, fulfilment and insights over mocked ports: who may do what,
//! what is handed to the store, and how store outcomes become answers.

use std::sync::Arc;

use time::OffsetDateTime;

use super::*;
use crate::catalog::{
    CatalogPorts, CatalogService, EtaModel, FeeBand, Menu, MenuItem, MenuRead, MenuSection,
    Merchant, MerchantRead, MockCatalogStore, OpeningHours, Rating,
};
use crate::clock::MockClock;
use crate::events::DomainEvent;
use crate::geo::{CountryCode, LatLng, MockGeoStore, MockPointLocator, ServiceCategory, TaxClass};
use crate::identity::{Email, MockAddressStore, MockStaffDirectory, MockUserStore, User};
use crate::ids::{
    CartId, CartLineId, CityId, ItemId, MerchantId, OrderId, SectionId, SessionId, UserId,
};
use crate::money::{CurrencyCode, Money};
use crate::pricing::PriceSummary;
use crate::principal::{Principal, Role};
use crate::{DomainError, StoreError};

const SHOP: LatLng = LatLng {
    lat: 52.52,
    lng: 13.405,
};

fn now() -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000)
}

fn principal(user: UserId, roles: &[Role], merchants: &[MerchantId]) -> Principal {
    Principal {
        user_id: user,
        session_id: SessionId::new(),
        roles: roles.to_vec(),
        merchant_ids: merchants.to_vec(),
    }
}

fn merchant(id: MerchantId) -> Merchant {
    Merchant {
        id,
        name: "Pizzeria".to_owned(),
        description: None,
        country_code: CountryCode::parse("DE").expect("country"),
        city_id: CityId::new(),
        currency: CurrencyCode::parse("EUR").expect("currency"),
        categories: vec![ServiceCategory::Food],
        cuisines: Vec::new(),
        address: "Street 1".to_owned(),
        location: SHOP,
        delivery_radius_m: 5_000,
        avg_prep_minutes: 20,
        minimum_order: Money {
            amount_minor: 0,
            currency: CurrencyCode::parse("EUR").expect("currency"),
        },
        delivery_fee_bands: vec![FeeBand {
            up_to_m: 5_000,
            fee_minor: 199,
        }],
        time_zone: "Europe/Berlin".to_owned(),
        hours: OpeningHours::always_open(),
        paused: false,
        busy: false,
        rating: Rating {
            average: 0.0,
            count: 0,
        },
        image_url: None,
    }
}

fn order(
    customer: UserId,
    merchant: MerchantId,
    status: OrderStatus,
    courier: Option<UserId>,
) -> Order {
    let summary: PriceSummary = serde_json::from_value(serde_json::json!({
        "lines": [], "subtotal": {"amountMinor": 0, "currency": "EUR"},
        "deliveryFee": {"amountMinor": 0, "currency": "EUR"},
        "serviceFee": {"amountMinor": 0, "currency": "EUR"},
        "smallOrderFee": {"amountMinor": 0, "currency": "EUR"},
        "discount": {"amountMinor": 0, "currency": "EUR"},
        "tip": {"amountMinor": 0, "currency": "EUR"},
        "tax": {"amountMinor": 0, "currency": "EUR"},
        "taxIncluded": true, "taxBreakdown": [],
        "total": {"amountMinor": 0, "currency": "EUR"}
    }))
    .expect("summary");
    Order {
        id: OrderId::new(),
        customer_id: customer,
        merchant_id: merchant,
        merchant_name: "Pizzeria".to_owned(),
        status,
        items: Vec::new(),
        delivery: DeliveryDetails {
            address: "Door 1".to_owned(),
            lat: SHOP.lat + 0.01,
            lng: SHOP.lng,
            instructions: None,
            contact_phone: "+4930123456".to_owned(),
        },
        payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
        summary,
        scheduled_for: None,
        courier_id: courier,
        created_at: now(),
        updated_at: now(),
    }
}

fn user(id: UserId, name: &str) -> User {
    User {
        id,
        email: Email::parse("someone@example.com").expect("email"),
        name: name.to_owned(),
        phone: None,
        country_code: CountryCode::parse("DE").expect("country"),
        locale: "de-DE".to_owned(),
        roles: vec![Role::Customer],
        location: None,
        created_at: now(),
    }
}

/// The mocks a test programs; everything else answers nothing.
#[derive(Default)]
struct Mocks {
    carts: MockCartStore,
    geo: MockGeoStore,
    orders: MockOrderStore,
    couriers: MockCourierStore,
    insights: MockInsightStore,
    users: MockUserStore,
    catalog: MockCatalogStore,
}

impl Mocks {
    fn with_order(mut self, order: &Order) -> Self {
        let stored = order.clone();
        self.orders
            .expect_order()
            .returning(move |_| Ok(Some(stored.clone())));
        self
    }

    fn with_merchant(mut self) -> Self {
        self.catalog
            .expect_merchant()
            .returning(|id, _| Ok(Some((merchant(id), true, None))));
        self
    }

    /// The cart use cases over these mocks.
    fn cart_service(self) -> CartService {
        carts_over(self.catalog, self.carts, self.geo).0
    }

    fn service(self) -> OrderService {
        let (carts, catalog, clock) = carts_over(self.catalog, self.carts, self.geo);
        OrderService::new(
            OrderPorts {
                orders: Arc::new(self.orders),
                couriers: Arc::new(self.couriers),
                insights: Arc::new(self.insights),
                addresses: Arc::new(MockAddressStore::new()),
                users: Arc::new(self.users),
                clock,
            },
            carts,
            catalog,
        )
    }
}

/// The cart use cases over mocked stores, with the catalog and clock (at [`now`]) they use.
fn carts_over(
    catalog: MockCatalogStore,
    carts: MockCartStore,
    geo: MockGeoStore,
) -> (CartService, CatalogService, Arc<dyn crate::clock::Clock>) {
    let mut clock = MockClock::new();
    clock.expect_now().returning(now);
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(clock);
    let catalog = CatalogService::new(
        CatalogPorts {
            store: Arc::new(catalog),
            geo: Arc::new(MockGeoStore::new()),
            locator: Arc::new(MockPointLocator::new()),
            staff: Arc::new(MockStaffDirectory::new()),
            clock: clock.clone(),
        },
        EtaModel::default(),
    );
    let carts = CartService::new(
        Arc::new(carts),
        catalog.clone(),
        Arc::new(geo),
        clock.clone(),
    );
    (carts, catalog, clock)
}

fn review_request(merchant_rating: u8, courier_rating: Option<u8>) -> ReviewRequest {
    ReviewRequest {
        merchant_rating,
        courier_rating,
        comment: Some("  Hot and fast  ".to_owned()),
    }
}

#[tokio::test]
async fn a_review_records_the_event_the_catalog_applies() {
    let customer = UserId::new();
    let shop = MerchantId::new();
    let courier = UserId::new();
    let delivered = order(customer, shop, OrderStatus::Delivered, Some(courier));
    let mut mocks = Mocks::default().with_order(&delivered);
    mocks
        .users
        .expect_get_user()
        .returning(|id| Ok(Some(user(id, "Carla Customer"))));
    let order_id = delivered.id;
    mocks
        .insights
        .expect_add_review()
        .withf(move |review, events| {
            review.order_id == order_id
                && review.courier_id == Some(courier)
                && review.comment.as_deref() == Some("Hot and fast")
                && matches!(
                    events,
                    [e] if matches!(&e.event, DomainEvent::OrderReviewed {
                        author_name, rating: 4, merchant_id, ..
                    } if author_name == "Carla" && *merchant_id == shop)
                )
        })
        .times(1)
        .returning(|_, _| Ok(true));
    let service = mocks.service();
    let review = service
        .review(
            &principal(customer, &[Role::Customer], &[]),
            delivered.id,
            review_request(4, Some(5)),
        )
        .await
        .expect("reviewed");
    assert_eq!(
        (review.merchant_rating, review.courier_rating),
        (4, Some(5))
    );
}

#[tokio::test]
async fn a_second_review_is_a_conflict() {
    let customer = UserId::new();
    let delivered = order(customer, MerchantId::new(), OrderStatus::Delivered, None);
    let mut mocks = Mocks::default().with_order(&delivered);
    mocks
        .users
        .expect_get_user()
        .returning(|id| Ok(Some(user(id, "Carla"))));
    mocks
        .insights
        .expect_add_review()
        .returning(|_, _| Ok(false));
    let err = mocks
        .service()
        .review(
            &principal(customer, &[Role::Customer], &[]),
            delivered.id,
            review_request(5, None),
        )
        .await
        .expect_err("already reviewed");
    assert_eq!(err.code(), "reviews.already_reviewed");
}

#[tokio::test]
async fn reviews_need_a_delivered_order_its_customer_and_valid_ratings() {
    let customer = UserId::new();
    let shop = MerchantId::new();
    let cases = [
        // (status, caller is staff, merchant rating, courier rating, expected code)
        (
            OrderStatus::PickedUp,
            false,
            5,
            None,
            "reviews.not_delivered",
        ),
        (
            OrderStatus::Delivered,
            true,
            5,
            None,
            "reviews.customers_only",
        ),
        (OrderStatus::Delivered, false, 0, None, "validation.failed"),
        (OrderStatus::Delivered, false, 6, None, "validation.failed"),
        // No courier delivered it: nobody to rate.
        (
            OrderStatus::Delivered,
            false,
            5,
            Some(4),
            "validation.failed",
        ),
    ];
    for (status, staff, rating, courier_rating, expected) in cases {
        let o = order(customer, shop, status, None);
        // No add_review expectation: the store must not be asked.
        let service = Mocks::default().with_order(&o).service();
        let caller = if staff {
            principal(UserId::new(), &[Role::MerchantStaff], &[shop])
        } else {
            principal(customer, &[Role::Customer], &[])
        };
        let err = service
            .review(&caller, o.id, review_request(rating, courier_rating))
            .await
            .expect_err("refused");
        assert_eq!(err.code(), expected, "{status:?} staff={staff} {rating}");
    }
}

#[tokio::test]
async fn an_order_becoming_ready_is_dispatched_to_the_nearest_courier() {
    let shop = MerchantId::new();
    let staff = principal(UserId::new(), &[Role::MerchantStaff], &[shop]);
    let preparing = order(UserId::new(), shop, OrderStatus::Preparing, None);
    let courier = UserId::new();
    let mut mocks = Mocks::default().with_order(&preparing).with_merchant();
    mocks
        .orders
        .expect_change_status()
        .returning(|_, _, _, _| Ok(true));
    let order_id = preparing.id;
    mocks
        .couriers
        .expect_assign_courier()
        .withf(move |choice, pending| {
            pending.order_id == order_id
                && matches!(choice, CourierChoice::Nearest { near, radius_m, fresh_since }
                    if *near == SHOP
                        && (*radius_m - DISPATCH_RADIUS_M).abs() < f64::EPSILON
                        && *fresh_since == now() - COURIER_POSITION_FRESH)
        })
        .times(1)
        .returning(move |_, pending| {
            assert!(matches!(
                pending.into_event(courier).event,
                DomainEvent::CourierAssigned { courier_id, .. } if courier_id == courier
            ));
            Ok(AssignOutcome::Assigned(CourierStatus {
                courier_id: courier,
                first_name: "Cody".to_owned(),
                online: true,
                position: None,
                active_order_id: Some(order_id),
                updated_at: now(),
            }))
        });
    let ready = mocks
        .service()
        .update_status(
            &staff,
            preparing.id,
            StatusUpdate::to(OrderStatus::ReadyForPickup),
        )
        .await
        .expect("ready");
    assert_eq!(ready.status, OrderStatus::ReadyForPickup);
    assert_eq!(ready.courier_id, Some(courier));
}

#[tokio::test]
async fn a_ready_order_without_a_free_courier_waits_for_the_sweep() {
    let shop = MerchantId::new();
    let staff = principal(UserId::new(), &[Role::MerchantStaff], &[shop]);
    let preparing = order(UserId::new(), shop, OrderStatus::Preparing, None);
    let mut mocks = Mocks::default().with_order(&preparing).with_merchant();
    mocks
        .orders
        .expect_change_status()
        .returning(|_, _, _, _| Ok(true));
    mocks
        .couriers
        .expect_assign_courier()
        .returning(|_, _| Ok(AssignOutcome::NoCourier));
    let ready = mocks
        .service()
        .update_status(
            &staff,
            preparing.id,
            StatusUpdate::to(OrderStatus::ReadyForPickup),
        )
        .await
        .expect("the status change stands without a courier");
    assert_eq!(
        (ready.status, ready.courier_id),
        (OrderStatus::ReadyForPickup, None)
    );
}

#[tokio::test]
async fn explicit_assignment_is_for_the_merchant_and_maps_outcomes() {
    let customer = UserId::new();
    let shop = MerchantId::new();
    let accepted = order(customer, shop, OrderStatus::Accepted, None);

    // The customer sees the order but may not choose its courier.
    let err = Mocks::default()
        .with_order(&accepted)
        .service()
        .assign_courier(
            &principal(customer, &[Role::Customer], &[]),
            accepted.id,
            AssignCourierRequest::default(),
        )
        .await
        .expect_err("forbidden");
    assert_eq!(err.code(), "couriers.assign_forbidden");

    // Another merchant's staff does not see it at all.
    let err = Mocks::default()
        .with_order(&accepted)
        .service()
        .assign_courier(
            &principal(UserId::new(), &[Role::MerchantStaff], &[MerchantId::new()]),
            accepted.id,
            AssignCourierRequest::default(),
        )
        .await
        .expect_err("invisible");
    assert_eq!(err.code(), "orders.not_found");

    let staff = principal(UserId::new(), &[Role::MerchantStaff], &[shop]);
    let given = UserId::new();
    let courier_at = |lat_offset: f64| {
        move |_| {
            Ok(Some(CourierStatus {
                courier_id: given,
                first_name: "Cody".to_owned(),
                online: true,
                position: Some(CourierPosition {
                    lat: SHOP.lat + lat_offset,
                    lng: SHOP.lng,
                    heading_deg: None,
                    speed_kmh: None,
                    at: now(),
                }),
                active_order_id: None,
                updated_at: now(),
            }))
        }
    };

    // A courier 22 km away cannot fetch it: refused before the store is asked to assign.
    let mut mocks = Mocks::default().with_order(&accepted).with_merchant();
    mocks.couriers.expect_courier().returning(courier_at(0.2));
    let err = mocks
        .service()
        .assign_courier(
            &staff,
            accepted.id,
            AssignCourierRequest {
                courier_id: Some(given),
            },
        )
        .await
        .expect_err("too far");
    assert_eq!(err.code(), "couriers.unavailable");

    for (outcome, code) in [
        (AssignOutcome::CourierUnavailable, "couriers.unavailable"),
        (AssignOutcome::OrderNotAssignable, "orders.not_assignable"),
        (AssignOutcome::NoCourier, "couriers.none_available"),
    ] {
        let mut mocks = Mocks::default().with_order(&accepted).with_merchant();
        mocks.couriers.expect_courier().returning(courier_at(0.01));
        mocks
            .couriers
            .expect_assign_courier()
            .withf(move |choice, _| *choice == CourierChoice::Given(given))
            .return_once(move |_, _| Ok(outcome));
        let err = mocks
            .service()
            .assign_courier(
                &staff,
                accepted.id,
                AssignCourierRequest {
                    courier_id: Some(given),
                },
            )
            .await
            .expect_err("refused");
        assert_eq!(err.code(), code);
    }

    // An order that already has a courier is refused without asking the store.
    let taken = order(customer, shop, OrderStatus::Accepted, Some(UserId::new()));
    let err = Mocks::default()
        .with_order(&taken)
        .service()
        .assign_courier(&staff, taken.id, AssignCourierRequest::default())
        .await
        .expect_err("taken");
    assert_eq!(err.code(), "orders.not_assignable");
}

#[tokio::test]
async fn only_the_assigned_courier_posts_positions_of_an_active_order() {
    let customer = UserId::new();
    let courier = UserId::new();
    let shop = MerchantId::new();
    let update = PositionUpdate {
        lat: SHOP.lat,
        lng: SHOP.lng,
        heading_deg: Some(90.0),
        speed_kmh: Some(20.0),
    };
    let moving = order(customer, shop, OrderStatus::PickedUp, Some(courier));
    let courier_principal = principal(courier, &[Role::Courier], &[]);

    let err = Mocks::default()
        .with_order(&moving)
        .service()
        .post_location(
            &principal(customer, &[Role::Customer], &[]),
            moving.id,
            update,
        )
        .await
        .expect_err("the customer does not post");
    assert_eq!(err.code(), "tracking.not_assigned_courier");

    let err = Mocks::default()
        .with_order(&moving)
        .service()
        .post_location(
            &principal(UserId::new(), &[Role::Courier], &[]),
            moving.id,
            update,
        )
        .await
        .expect_err("another courier does not see it");
    assert_eq!(err.code(), "orders.not_found");

    let done = order(customer, shop, OrderStatus::Delivered, Some(courier));
    let err = Mocks::default()
        .with_order(&done)
        .service()
        .post_location(&courier_principal, done.id, update)
        .await
        .expect_err("finished");
    assert_eq!(err.code(), "tracking.order_not_active");

    let bad = PositionUpdate {
        lat: 91.0,
        heading_deg: Some(400.0),
        speed_kmh: Some(-1.0),
        ..update
    };
    let err = Mocks::default()
        .with_order(&moving)
        .service()
        .post_location(&courier_principal, moving.id, bad)
        .await
        .expect_err("invalid");
    let mut fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["headingDeg", "lat", "speedKmh"]);

    let moving_id = moving.id;
    let mut mocks = Mocks::default().with_order(&moving);
    mocks
        .couriers
        .expect_record_position()
        .withf(move |c, o, p, interval| {
            *c == courier
                && p.heading_deg == Some(90.0)
                && p.at == now()
                && *interval == POSITION_MIN_INTERVAL
                && *o == moving_id
        })
        .return_once(|_, _, _, _| Ok(PositionOutcome::TooFrequent));
    let err = mocks
        .service()
        .post_location(&courier_principal, moving.id, update)
        .await
        .expect_err("throttled");
    assert_eq!(err.code(), "tracking.too_frequent");
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(1)));
}

#[tokio::test]
async fn statistics_are_for_the_merchants_staff_and_admins() {
    let shop = MerchantId::new();
    let customer = principal(UserId::new(), &[Role::Customer], &[]);
    let staff = principal(UserId::new(), &[Role::MerchantStaff], &[shop]);
    let params = |merchant_id| StatsParams {
        merchant_id,
        from: None,
        to: None,
    };

    let service = Mocks::default().service();
    let code = |r: Result<OrderStats, OrderError>| r.expect_err("refused").code();
    assert_eq!(
        code(service.stats(&customer, params(Some(shop))).await),
        "orders.stats_forbidden"
    );
    assert_eq!(
        code(service.stats(&staff, params(Some(MerchantId::new()))).await),
        "merchants.not_found"
    );
    assert_eq!(
        code(service.stats(&staff, params(None)).await),
        "validation.failed"
    );
    let backwards = StatsParams {
        merchant_id: Some(shop),
        from: Some(now()),
        to: Some(now() - time::Duration::hours(1)),
    };
    assert_eq!(
        code(service.stats(&staff, backwards).await),
        "validation.failed"
    );

    let mut mocks = Mocks::default();
    mocks
        .insights
        .expect_stats()
        .withf(|merchant, from, to| {
            merchant.is_none() && *to == now() && *from == now() - DEFAULT_STATS_PERIOD
        })
        .return_once(|_, _, _| Ok(StatsRows::default()));
    let admin = principal(UserId::new(), &[Role::Admin], &[]);
    let stats = mocks
        .service()
        .stats(&admin, params(None))
        .await
        .expect("admins see the whole marketplace");
    assert_eq!(stats.total_orders, 0);
}

#[tokio::test]
async fn tracking_hides_the_courier_from_the_customer_until_pickup() {
    let customer = UserId::new();
    let courier = UserId::new();
    let shop = MerchantId::new();
    for (status, customer_sees) in [
        (OrderStatus::ReadyForPickup, false),
        (OrderStatus::PickedUp, true),
    ] {
        let o = order(customer, shop, status, Some(courier));
        let mut mocks = Mocks::default().with_order(&o).with_merchant();
        mocks.orders.expect_history().returning(|_| Ok(Vec::new()));
        mocks.couriers.expect_courier().returning(move |_| {
            Ok(Some(CourierStatus {
                courier_id: courier,
                first_name: "Cody".to_owned(),
                online: true,
                position: None,
                active_order_id: None,
                updated_at: now(),
            }))
        });
        mocks.couriers.expect_last_position().returning(|_| {
            Ok(Some(CourierPosition {
                lat: SHOP.lat + 0.005,
                lng: SHOP.lng,
                heading_deg: None,
                speed_kmh: None,
                at: now(),
            }))
        });
        let service = mocks.service();
        let seen = service
            .tracking(&principal(customer, &[Role::Customer], &[]), o.id)
            .await
            .expect("tracking");
        let courier_view = seen.courier.expect("the courier is named");
        assert_eq!(courier_view.first_name, "Cody");
        assert_eq!(courier_view.position.is_some(), customer_sees, "{status:?}");
        assert!(seen.eta_minutes.is_some() && seen.distance_left_m.is_some());
        let staff_view = service
            .tracking(
                &principal(UserId::new(), &[Role::MerchantStaff], &[shop]),
                o.id,
            )
            .await
            .expect("tracking");
        assert!(staff_view.courier.and_then(|c| c.position).is_some());
    }
}

#[tokio::test]
async fn a_courier_with_an_active_order_cannot_go_offline() {
    let courier = UserId::new();
    let active = OrderId::new();
    let mut mocks = Mocks::default();
    mocks
        .users
        .expect_get_user()
        .returning(|id| Ok(Some(user(id, "Cody Courier"))));
    mocks.couriers.expect_courier().returning(move |_| {
        Ok(Some(CourierStatus {
            courier_id: courier,
            first_name: "Cody".to_owned(),
            online: true,
            position: None,
            active_order_id: Some(active),
            updated_at: now(),
        }))
    });
    // No set_courier_status expectation: nothing may be written.
    let err = mocks
        .service()
        .set_courier_status(
            &principal(courier, &[Role::Courier], &[]),
            CourierStatusUpdate {
                online: false,
                lat: None,
                lng: None,
            },
        )
        .await
        .expect_err("refused");
    assert_eq!(err.code(), "couriers.has_active_order");
}

// --- checkout ------------------------------------------------------------------------------

const MARGHERITA_MINOR: i64 = 900;

fn eur(minor: i64) -> Money {
    Money::new(minor, CurrencyCode::parse("EUR").expect("currency"))
}

/// A menu of one available dish, `item`, at [`MARGHERITA_MINOR`].
fn menu_of(merchant: MerchantId, item: ItemId) -> Menu {
    Menu {
        merchant_id: merchant,
        currency: CurrencyCode::parse("EUR").expect("currency"),
        version: 7,
        sections: vec![MenuSection {
            id: SectionId::new(),
            name: "Pizzas".to_owned(),
            position: 0,
            items: vec![MenuItem {
                id: item,
                name: "Margherita".to_owned(),
                description: None,
                price: eur(MARGHERITA_MINOR),
                tax_class: TaxClass::Food,
                dietary_tags: Vec::new(),
                image_url: None,
                available: true,
                option_groups: Vec::new(),
            }],
        }],
    }
}

/// An open cart of `customer` at `merchant` with two of `item`.
fn cart_of(customer: UserId, merchant: MerchantId, item: ItemId) -> StoredCart {
    StoredCart {
        id: CartId::new(),
        customer,
        merchant_id: merchant,
        lines: vec![StoredLine {
            id: CartLineId::new(),
            item_id: item,
            quantity: 2,
            option_ids: Vec::new(),
            note: None,
            seen_unit_price_minor: MARGHERITA_MINOR,
        }],
        created_at: now(),
        updated_at: now(),
        revision: 3,
    }
}

fn cash_checkout(cart: CartId) -> CheckoutRequest {
    CheckoutRequest {
        cart_id: cart,
        delivery_address_id: None,
        delivery: Some(DeliveryDetails {
            address: "Door 1".to_owned(),
            lat: SHOP.lat + 0.01,
            lng: SHOP.lng,
            instructions: None,
            contact_phone: "+4930123456".to_owned(),
        }),
        scheduled_for: None,
        tip: None,
        payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
        expected_total: None,
    }
}

impl Mocks {
    /// `cart` is open, and its merchant (open, in Germany) sells `item`.
    fn with_cart(mut self, cart: &StoredCart, item: ItemId) -> Self {
        let stored = cart.clone();
        self.carts
            .expect_cart()
            .returning(move |_| Ok(Some(stored.clone())));
        self.with_shop(item)
    }

    /// Every merchant is open, in Germany, and sells `item`.
    fn with_shop(mut self, item: ItemId) -> Self {
        self.catalog
            .expect_merchant_with_menu()
            .returning(move |id, _, _| {
                Ok(Some(MerchantRead {
                    merchant: merchant(id),
                    open: true,
                    next_opening_at: None,
                    menu: MenuRead::Current(menu_of(id, item)),
                }))
            });
        self.geo
            .expect_country()
            .returning(|_| Ok(Some(crate::pricing::tests::germany())));
        self
    }
}

fn code_of(result: Result<Order, OrderError>) -> &'static str {
    result.expect_err("refused").code()
}

#[tokio::test]
async fn a_checkout_places_the_order_priced_from_the_cart_under_its_key() {
    let (customer, item) = (UserId::new(), ItemId::new());
    let cart = cart_of(customer, MerchantId::new(), item);
    let mut mocks = Mocks::default().with_cart(&cart, item);
    mocks
        .orders
        .expect_place_order()
        .withf(move |p| {
            p.key.key == "k-1"
                && p.key.customer == customer
                && p.order.items.len() == 1
                && p.order.items[0].quantity == 2
                && p.order.summary.subtotal == eur(2 * MARGHERITA_MINOR)
                && p.order.status == OrderStatus::Placed
                && p.response == serde_json::to_value(&p.order).expect("serializable")
        })
        .times(1)
        .returning(|_| Ok(Placed::Placed));
    mocks.orders.expect_known_key().times(0);
    let service = mocks.service();

    let order = service
        .checkout(
            &principal(customer, &[Role::Customer], &[]),
            Some("k-1"),
            cash_checkout(cart.id),
        )
        .await
        .expect("placed");

    assert_eq!(order.customer_id, customer);
    assert_eq!(order.summary.subtotal, eur(2 * MARGHERITA_MINOR));
}

#[tokio::test]
async fn a_repeated_checkout_finds_its_cart_closed_and_answers_the_order_its_key_placed() {
    let customer = UserId::new();
    let placed = order(customer, MerchantId::new(), OrderStatus::Placed, None);
    let stored = serde_json::to_value(&placed).expect("serializable");
    let mut mocks = Mocks::default();
    mocks.carts.expect_cart().returning(|_| Ok(None));
    mocks
        .orders
        .expect_known_key()
        .withf(move |key, _| key.key == "k-1" && key.customer == customer)
        .returning(move |_, _| Ok(Some(KnownKey::Replay(stored.clone()))));
    mocks.orders.expect_place_order().times(0);
    let service = mocks.service();

    let answer = service
        .checkout(
            &principal(customer, &[Role::Customer], &[]),
            Some("k-1"),
            cash_checkout(CartId::new()),
        )
        .await
        .expect("the first answer again");

    assert_eq!(answer, placed);
}

#[tokio::test]
async fn a_refused_checkout_with_a_new_key_reports_its_refusal() {
    let mut mocks = Mocks::default();
    mocks.carts.expect_cart().returning(|_| Ok(None));
    mocks.orders.expect_known_key().returning(|_, _| Ok(None));
    let service = mocks.service();

    let refused = service
        .checkout(
            &principal(UserId::new(), &[Role::Customer], &[]),
            Some("k-1"),
            cash_checkout(CartId::new()),
        )
        .await;

    assert_eq!(code_of(refused), "cart.not_found");
}

#[tokio::test]
async fn a_checkout_whose_key_another_request_placed_answers_as_the_key_says() {
    let (customer, item) = (UserId::new(), ItemId::new());
    let cart = cart_of(customer, MerchantId::new(), item);
    let mut mocks = Mocks::default().with_cart(&cart, item);
    mocks
        .orders
        .expect_place_order()
        .returning(|_| Ok(Placed::KeyTaken));
    mocks
        .orders
        .expect_known_key()
        .returning(|_, _| Ok(Some(KnownKey::Mismatch)));
    let service = mocks.service();

    let refused = service
        .checkout(
            &principal(customer, &[Role::Customer], &[]),
            Some("k-1"),
            cash_checkout(cart.id),
        )
        .await;

    assert_eq!(code_of(refused), "idempotency.key_reused");
}

#[tokio::test]
async fn a_storage_failure_is_reported_without_asking_the_key() {
    let mut mocks = Mocks::default();
    mocks
        .carts
        .expect_cart()
        .returning(|_| Err(StoreError::Backend("connection reset".to_owned())));
    mocks.orders.expect_known_key().times(0);
    let service = mocks.service();

    let failed = service
        .checkout(
            &principal(UserId::new(), &[Role::Customer], &[]),
            Some("k-1"),
            cash_checkout(CartId::new()),
        )
        .await;

    assert!(matches!(failed, Err(OrderError::Store(_))), "{failed:?}");
}

// --- carts ---------------------------------------------------------------------------------

fn add_margherita(item: ItemId) -> AddCartItem {
    AddCartItem {
        menu_item_id: item,
        quantity: 1,
        options: Vec::new(),
        note: None,
    }
}

#[tokio::test]
async fn adding_items_reads_the_cart_once_then_goes_straight_to_the_store() {
    let (customer, item) = (UserId::new(), ItemId::new());
    let cart = cart_of(customer, MerchantId::new(), item);
    let mut mocks = Mocks::default().with_shop(item);
    let stored = cart.clone();
    mocks
        .carts
        .expect_cart()
        .times(1)
        .returning(move |_| Ok(Some(stored.clone())));
    let after = cart.clone();
    mocks
        .carts
        .expect_add_line()
        .withf(move |id, owner, _, _, _| *owner == customer && *id == after.id)
        .times(2)
        .returning({
            let after = cart.clone();
            move |_, _, _, _, _| Ok(LineAdded::Added(after.clone()))
        });
    let carts = mocks.cart_service();
    let ann = principal(customer, &[Role::Customer], &[]);

    for _ in 0..2 {
        carts
            .add_item(&ann, cart.id, add_margherita(item))
            .await
            .expect("added");
    }
}

#[tokio::test]
async fn a_remembered_cart_of_another_customer_is_not_found_without_asking_the_store() {
    let (owner, item) = (UserId::new(), ItemId::new());
    let cart = cart_of(owner, MerchantId::new(), item);
    let mut mocks = Mocks::default().with_shop(item);
    let stored = cart.clone();
    mocks
        .carts
        .expect_cart()
        .times(1)
        .returning(move |_| Ok(Some(stored.clone())));
    mocks.carts.expect_add_line().times(0);
    let carts = mocks.cart_service();
    carts
        .get(
            &principal(owner, &[Role::Customer], &[]),
            cart.id,
            CartQuery::default(),
        )
        .await
        .expect("the owner's cart");

    let stranger = carts
        .add_item(
            &principal(UserId::new(), &[Role::Customer], &[]),
            cart.id,
            add_margherita(item),
        )
        .await;

    assert!(
        matches!(stranger, Err(CartError::CartNotFound)),
        "{stranger:?}"
    );
}
