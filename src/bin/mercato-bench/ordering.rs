//! The `create`, `cart-checkout` and `journey` scenarios.

use super::*;

/// How many open merchants `create` spreads its carts over (a customer has one open cart
/// per merchant, so this many carts per customer).
const CREATE_SHOPS: usize = 64;

/// Argon2-bound setup requests (register, login) in flight at once.
const SETUP_CONCURRENCY: usize = 8;
/// How far from its merchant each order is delivered.
const DELIVERY_OFFSET_M: f64 = 300.0;
/// Give up an order when no courier could be assigned for this long.
const ASSIGN_PATIENCE: Duration = Duration::from_secs(10);

/// Steps, in the order they are reported.
#[derive(Debug, Clone, Copy)]
enum Step {
    Discover,
    Menu,
    Cart,
    AddItem,
    Checkout,
    Accept,
    Prepare,
    Ready,
    Assign,
    PickUp,
    Deliver,
}

const STEPS: usize = 11;

impl Step {
    fn name(self) -> &'static str {
        match self {
            Self::Discover => "  discover",
            Self::Menu => "  menu",
            Self::Cart => "  cart",
            Self::AddItem => "  add-item",
            Self::Checkout => "  checkout",
            Self::Accept => "  accept",
            Self::Prepare => "  prepare",
            Self::Ready => "  ready",
            Self::Assign => "  assign",
            Self::PickUp => "  pickup",
            Self::Deliver => "  deliver",
        }
    }

    const ALL: [Step; STEPS] = [
        Self::Discover,
        Self::Menu,
        Self::Cart,
        Self::AddItem,
        Self::Checkout,
        Self::Accept,
        Self::Prepare,
        Self::Ready,
        Self::Assign,
        Self::PickUp,
        Self::Deliver,
    ];
}

/// A staffed merchant an order can go to, with what the order needs.
struct Shop {
    id: MerchantId,
    location: LatLng,
    delivery: LatLng,
    /// Three lines (item, quantity) reaching the merchant's minimum.
    lines: Vec<(ItemId, u32)>,
    discovery: String,
    menu: String,
}

struct Shared {
    shops: Vec<Shop>,
    staff: Client,
    couriers: HashMap<UserId, Client>,
    measuring: AtomicBool,
    stop: AtomicBool,
}

/// What a worker saw, per step, plus whole orders.
struct Seen {
    steps: Vec<Tally>,
    orders: Tally,
}

impl Seen {
    fn new() -> Self {
        Self {
            steps: (0..STEPS).map(|_| Tally::default()).collect(),
            orders: Tally::default(),
        }
    }
}

pub(super) async fn run(
    scenario: Scenario,
    args: &Args,
    http: &reqwest::Client,
    run_id: &str,
    password: &str,
) -> anyhow::Result<Vec<(String, Tally)>> {
    let staff = Client::with_http(&args.base_url, http.clone());
    staff
        .login(DEMO_MERCHANT_EMAIL, DEMO_PASSWORD)
        .await
        .context("logging in the demo merchant account (load the demo data first)")?;
    let shops = staffed_shops(&staff, args).await?;

    // One customer per connection.
    let emails: Vec<String> = (0..args.connections)
        .map(|c| format!("bench-{run_id}-{}-{c}@bench.mercato.dev", scenario.name()))
        .collect();
    let customers = signed_in(args, http, emails, password).await?;

    let couriers = if scenario == Scenario::Journey {
        let wanted = args.connections * args.couriers_per_connection.max(1);
        online_couriers(args, http, wanted, &shops).await?
    } else {
        HashMap::new()
    };

    let shared = Arc::new(Shared {
        shops,
        staff,
        couriers,
        measuring: AtomicBool::new(false),
        stop: AtomicBool::new(false),
    });
    let mut workers = JoinSet::new();
    for (worker, customer) in customers.into_iter().enumerate() {
        let shared = shared.clone();
        workers.spawn(async move {
            let mut seen = Seen::new();
            let mut turn = worker;
            while !shared.stop.load(Ordering::Relaxed) {
                let shop = &shared.shops[worker % shared.shops.len()];
                turn += 1;
                let completed = match scenario {
                    Scenario::Journey => journey(&shared, &customer, shop, turn, &mut seen).await,
                    _ => create(&shared, &customer, shop, turn, &mut seen).await,
                };
                if completed.is_none() {
                    // Keep a failing server from being hammered in a tight loop.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            seen
        });
    }
    tokio::time::sleep(Duration::from_secs(args.warmup)).await;
    shared.measuring.store(true, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    shared.measuring.store(false, Ordering::Relaxed);
    shared.stop.store(true, Ordering::Relaxed);
    let mut steps: Vec<Tally> = (0..STEPS).map(|_| Tally::default()).collect();
    let mut orders = Tally::default();
    while let Some(done) = workers.join_next().await {
        if let Ok(seen) = done {
            for (total, tally) in steps.iter_mut().zip(seen.steps) {
                total.absorb(tally);
            }
            orders.absorb(seen.orders);
        }
    }

    if scenario == Scenario::Journey {
        let couriers: Vec<Client> = shared.couriers.values().cloned().collect();
        let offline = CourierStatusUpdate {
            online: false,
            lat: None,
            lng: None,
        };
        bounded(couriers, SETUP_CONCURRENCY, move |courier| async move {
            set_status(&courier, &offline).await
        })
        .await;
    }

    let mut rows = Vec::new();
    let steps: Vec<(Step, Tally)> = Step::ALL.into_iter().zip(steps).collect();
    match scenario {
        Scenario::Journey => {
            rows.push(("journey".to_owned(), orders));
            for (step, tally) in steps {
                rows.push((step.name().to_owned(), tally));
            }
        }
        _ => {
            // `cart-checkout`: the checkouts first, then the cart steps.
            let mut create = None;
            let mut rest = Vec::new();
            for (step, tally) in steps {
                match step {
                    Step::Checkout => create = Some(tally),
                    Step::Cart | Step::AddItem => rest.push((step.name().to_owned(), tally)),
                    _ => {}
                }
            }
            rows.push(("checkout".to_owned(), create.unwrap_or_default()));
            rows.extend(rest);
        }
    }
    Ok(rows)
}

/// Times `call` as `step`; `None` (counted as an error) when it failed.
async fn timed<T>(
    shared: &Shared,
    seen: &mut Seen,
    step: Step,
    call: impl Future<Output = Result<T, ClientError>>,
) -> Option<T> {
    let started = Instant::now();
    let outcome = call.await;
    let tally = &mut seen.steps[step as usize];
    match outcome {
        Ok(value) => {
            if shared.measuring.load(Ordering::Relaxed) {
                tally.record(started);
            }
            Some(value)
        }
        Err(err) => {
            if shared.measuring.load(Ordering::Relaxed) {
                tally.errors += 1;
            }
            if tally.errors <= 3 {
                eprintln!("{}: {err}", step.name().trim());
            }
            None
        }
    }
}

/// A raw GET whose body is read and dropped.
async fn get(client: &Client, path: &str) -> Result<(), ClientError> {
    let response = client
        .request(Method::GET, path)
        .send()
        .await?
        .error_for_status()?;
    response.bytes().await?;
    Ok(())
}

/// A client signed in as each of `emails` (registered if new), a few at a time.
async fn signed_in(
    args: &Args,
    http: &reqwest::Client,
    emails: Vec<String>,
    password: &str,
) -> anyhow::Result<Vec<Client>> {
    let (base, http, password) = (args.base_url.clone(), http.clone(), password.to_owned());
    bounded(emails, SETUP_CONCURRENCY, move |email| {
        let client = Client::with_http(&base, http.clone());
        let password = password.clone();
        async move { account(&client, &email, &password).await.map(|()| client) }
    })
    .await
    .into_iter()
    .collect()
}

/// `create`: prepares carts (unmeasured), then checks them out on every connection.
pub(super) async fn run_create(
    args: &Args,
    http: &reqwest::Client,
    run_id: &str,
    password: &str,
) -> anyhow::Result<Vec<(String, Tally)>> {
    let setup = Client::with_http(&args.base_url, http.clone());
    let shops = Arc::new(open_shops(&setup, args).await?);
    // Every customer gets a cart at every shop; as many customers on every connection.
    let connections = args.connections.max(1);
    let customers = args.carts.div_ceil(shops.len()).div_ceil(connections) * connections;
    let emails: Vec<String> = (0..customers)
        .map(|c| format!("bench-{run_id}-create-{c}@bench.mercato.dev"))
        .collect();
    let customers = Arc::new(signed_in(args, http, emails, password).await?);

    let preparing = Instant::now();
    let jobs: Vec<(usize, usize)> = (0..customers.len())
        .flat_map(|c| (0..shops.len()).map(move |s| (c, s)))
        .collect();
    let (who, what) = (customers.clone(), shops.clone());
    let prepared = bounded(jobs, connections, move |(c, s)| {
        let (customer, shops) = (who[c].clone(), what.clone());
        async move {
            prepare_cart(&customer, &shops[s])
                .await
                .map(|cart| (c, s, cart))
        }
    })
    .await;
    // Each connection checks out the carts of its own customers (c ≡ worker).
    let mut queues: Vec<Vec<(usize, usize, CartId)>> = vec![Vec::new(); connections];
    let mut failed = 0;
    for outcome in prepared {
        match outcome {
            Ok((c, s, cart)) => queues[c % connections].push((c, s, cart)),
            Err(err) => {
                failed += 1;
                if failed <= 3 {
                    eprintln!("preparing a cart: {err}");
                }
            }
        }
    }
    let ready: usize = queues.iter().map(Vec::len).sum();
    eprintln!(
        "prepared {ready} carts ({failed} failed) for {} customers at {} merchants in {:.0} s",
        customers.len(),
        shops.len(),
        preparing.elapsed().as_secs_f64()
    );

    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = JoinSet::new();
    for queue in queues {
        let (customers, shops) = (customers.clone(), shops.clone());
        let (measuring, stop) = (measuring.clone(), stop.clone());
        workers.spawn(async move {
            let mut tally = Tally::default();
            for (c, s, cart) in queue {
                if stop.load(Ordering::Relaxed) {
                    return (tally, false);
                }
                let key = uuid::Uuid::now_v7().to_string();
                let request = checkout_of(cart, shops[s].delivery);
                let started = Instant::now();
                let placed = customers[c].place_order(Some(&key), &request).await;
                if measuring.load(Ordering::Relaxed) {
                    match placed {
                        Ok(_) => tally.record(started),
                        Err(err) => {
                            tally.errors += 1;
                            if tally.errors <= 3 {
                                eprintln!("checkout: {err}");
                            }
                        }
                    }
                }
            }
            // Out of carts: a short measurement if it happened while measuring.
            (tally, measuring.load(Ordering::Relaxed))
        });
    }
    tokio::time::sleep(Duration::from_secs(args.warmup)).await;
    measuring.store(true, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    measuring.store(false, Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    let mut total = Tally::default();
    let mut ran_out = 0;
    while let Some(done) = workers.join_next().await {
        if let Ok((tally, out_early)) = done {
            total.absorb(tally);
            ran_out += usize::from(out_early);
        }
    }
    if ran_out > 0 {
        eprintln!(
            "WARNING: {ran_out} connection(s) ran out of carts while measuring; \
             the rate below is too low: raise --carts"
        );
    }
    Ok(vec![("create".to_owned(), total)])
}

/// Open merchants delivering to the point (up to [`CREATE_SHOPS`]), nearest first, each
/// with three menu lines reaching its minimum.
async fn open_shops(client: &Client, args: &Args) -> anyhow::Result<Vec<Shop>> {
    let point = LatLng {
        lat: args.lat,
        lng: args.lng,
    };
    let mut shops = Vec::new();
    let mut cursor = None;
    while shops.len() < CREATE_SHOPS {
        let page = client
            .discover(&DiscoveryParams {
                lat: point.lat,
                lng: point.lng,
                open_now: Some(true),
                limit: Some(50),
                cursor: cursor.take(),
                ..DiscoveryParams::default()
            })
            .await
            .context("discovering open merchants")?;
        for merchant in page.items.iter().filter(|m| m.open_now && !m.paused) {
            let menu = client.menu(merchant.id).await?.menu;
            if let Some(lines) = three_lines(&menu, merchant.minimum_order.amount_minor) {
                shops.push(Shop {
                    id: merchant.id,
                    location: point,
                    delivery: point,
                    lines,
                    discovery: String::new(),
                    menu: String::new(),
                });
            }
            if shops.len() == CREATE_SHOPS {
                break;
            }
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    if shops.is_empty() {
        bail!(
            "no open merchant delivers to {},{}; load the demo data first",
            point.lat,
            point.lng
        );
    }
    Ok(shops)
}

/// An empty cart of the customer at the shop with its three lines.
async fn prepare_cart(customer: &Client, shop: &Shop) -> Result<CartId, ClientError> {
    let (cart, _) = customer.create_cart(shop.id).await?;
    if !cart.lines.is_empty() {
        customer.clear_cart(cart.id).await?;
    }
    for &(item, quantity) in &shop.lines {
        let line = AddCartItem {
            menu_item_id: item,
            quantity,
            options: Vec::new(),
            note: None,
        };
        customer.add_cart_item(cart.id, &line).await?;
    }
    Ok(cart.id)
}

/// A cash checkout of `cart`, delivered to `at`.
fn checkout_of(cart: CartId, at: LatLng) -> CheckoutRequest {
    CheckoutRequest {
        cart_id: cart,
        delivery_address_id: None,
        delivery: Some(DeliveryDetails {
            address: "Benchstraße 1".to_owned(),
            lat: at.lat,
            lng: at.lng,
            instructions: None,
            contact_phone: "+4930901820".to_owned(),
        }),
        scheduled_for: None,
        tip: None,
        payment_method: PaymentChoice::Keyword(PaymentKeyword::Cash),
        expected_total: None,
    }
}

/// Cart, three items, cash checkout; the order.
async fn cart_and_checkout(
    shared: &Shared,
    customer: &Client,
    shop: &Shop,
    seen: &mut Seen,
) -> Option<Order> {
    let (cart, _) = timed(shared, seen, Step::Cart, customer.create_cart(shop.id)).await?;
    if !cart.lines.is_empty() {
        // Left over from an order that failed before checkout.
        customer.clear_cart(cart.id).await.ok()?;
    }
    for &(item, quantity) in &shop.lines {
        let line = AddCartItem {
            menu_item_id: item,
            quantity,
            options: Vec::new(),
            note: None,
        };
        timed(
            shared,
            seen,
            Step::AddItem,
            customer.add_cart_item(cart.id, &line),
        )
        .await?;
    }
    let checkout = checkout_of(cart.id, shop.delivery);
    let key = uuid::Uuid::now_v7().to_string();
    timed(
        shared,
        seen,
        Step::Checkout,
        customer.place_order(Some(&key), &checkout),
    )
    .await
}

async fn create(
    shared: &Shared,
    customer: &Client,
    shop: &Shop,
    _turn: usize,
    seen: &mut Seen,
) -> Option<()> {
    cart_and_checkout(shared, customer, shop, seen)
        .await
        .map(drop)
}

async fn journey(
    shared: &Shared,
    customer: &Client,
    shop: &Shop,
    _turn: usize,
    seen: &mut Seen,
) -> Option<()> {
    let started = Instant::now();
    timed(shared, seen, Step::Discover, get(customer, &shop.discovery)).await?;
    timed(shared, seen, Step::Menu, get(customer, &shop.menu)).await?;
    let order = cart_and_checkout(shared, customer, shop, seen).await?;
    let staff = &shared.staff;
    let mut courier = None;
    for (step, status) in [
        (Step::Accept, OrderStatus::Accepted),
        (Step::Prepare, OrderStatus::Preparing),
        (Step::Ready, OrderStatus::ReadyForPickup),
    ] {
        let update = StatusUpdate::to(status);
        let moved = timed(
            shared,
            seen,
            step,
            staff.update_order_status(order.id, &update),
        )
        .await?;
        courier = moved.courier_id;
    }
    let courier_id = match courier {
        Some(id) => id,
        None => assign(shared, order.id, seen).await?,
    };
    let Some(courier) = shared.couriers.get(&courier_id) else {
        eprintln!(
            "order {} went to courier {courier_id}, not one of ours",
            order.id
        );
        seen.steps[Step::Assign as usize].errors += 1;
        return None;
    };
    for (step, status) in [
        (Step::PickUp, OrderStatus::PickedUp),
        (Step::Deliver, OrderStatus::Delivered),
    ] {
        let update = StatusUpdate::to(status);
        timed(
            shared,
            seen,
            step,
            courier.update_order_status(order.id, &update),
        )
        .await?;
    }
    if shared.measuring.load(Ordering::Relaxed) {
        seen.orders.record(started);
    }
    Some(())
}

/// Assigns the nearest free courier, retrying while all are busy; the courier.
async fn assign(shared: &Shared, order: OrderId, seen: &mut Seen) -> Option<UserId> {
    let deadline = Instant::now() + ASSIGN_PATIENCE;
    let mut backoff = Duration::from_millis(10);
    loop {
        let started = Instant::now();
        let outcome = assign_courier(&shared.staff, order).await;
        let measuring = shared.measuring.load(Ordering::Relaxed);
        match outcome {
            Ok(assigned) if assigned.courier_id.is_some() => {
                if measuring {
                    seen.steps[Step::Assign as usize].record(started);
                }
                return assigned.courier_id;
            }
            // The periodic sweep may have dispatched it meanwhile.
            Err(err) if err.code() == Some("orders.not_assignable") => {
                let current = shared.staff.order(order).await.ok()?;
                if current.courier_id.is_some() {
                    return current.courier_id;
                }
            }
            Err(err) if err.code() == Some("couriers.none_available") => {}
            Ok(_) | Err(_) => {}
        }
        if Instant::now() > deadline {
            if measuring {
                seen.steps[Step::Assign as usize].errors += 1;
            }
            eprintln!("no courier for order {order} within {ASSIGN_PATIENCE:?}");
            return None;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_millis(200));
    }
}

/// `POST /api/orders/{id}/assign-courier` with no courier named: the nearest free one.
async fn assign_courier(staff: &Client, order: OrderId) -> Result<Order, ClientError> {
    staff
        .assign_courier(order, &AssignCourierRequest::default())
        .await
}

/// `PUT /api/couriers/me/status`.
async fn set_status(
    courier: &Client,
    update: &CourierStatusUpdate,
) -> Result<CourierStatus, ClientError> {
    courier.set_courier_status(update).await
}

/// The merchants the demo merchant account is staff of in the demo city nearest the
/// point, checked by a staff-only call (which also makes sure they take orders), with
/// three menu lines each reaching the merchant's minimum.
async fn staffed_shops(staff: &Client, args: &Args) -> anyhow::Result<Vec<Shop>> {
    let point = LatLng {
        lat: args.lat,
        lng: args.lng,
    };
    let city = mercato::server::seed::demo_cities()
        .into_iter()
        .min_by(|a, b| {
            let (da, db) = (
                mercato::core::geo::distance_m(a.center, point),
                mercato::core::geo::distance_m(b.center, point),
            );
            da.total_cmp(&db)
        })
        .context("the demo dataset has no cities")?;
    // The demo merchant account is staff of the first merchants of every demo city;
    // merchant ids depend only on their place in the dataset, not on the scale or time.
    let now = staff.session().await?.session.created_at;
    let candidates: Vec<MerchantId> = mercato::server::seed::demo_merchants(1, now)
        .filter(|m| m.merchant.city_id == city.id)
        .take(STAFF_MERCHANTS_PER_CITY as usize)
        .map(|m| m.merchant.id)
        .collect();
    let mut shops = Vec::new();
    for id in candidates {
        let resumed = staff
            .set_pause(
                id,
                &PauseInput {
                    paused: false,
                    busy: Some(false),
                },
            )
            .await;
        let details = match resumed {
            Ok(details) => details,
            Err(err) => {
                eprintln!("skipping merchant {id}: {err}");
                continue;
            }
        };
        if !details.open_now {
            eprintln!("skipping merchant {id}: closed now");
            continue;
        }
        let merchant = details.merchant;
        let menu = staff.menu(id).await?.menu;
        let lines = three_lines(&menu, merchant.minimum_order.amount_minor)
            .with_context(|| format!("merchant {id} has too few simple items"))?;
        // North of the merchant, well inside its delivery radius.
        let delivery = LatLng {
            lat: merchant.location.lat + DELIVERY_OFFSET_M / 111_320.0,
            lng: merchant.location.lng,
        };
        shops.push(Shop {
            id,
            location: merchant.location,
            delivery,
            lines,
            discovery: format!(
                "/api/merchants?lat={}&lng={}&limit=20",
                delivery.lat, delivery.lng
            ),
            menu: format!("/api/merchants/{id}/menu"),
        });
    }
    if shops.is_empty() {
        bail!(
            "{DEMO_MERCHANT_EMAIL} is staff of no open merchant in {}; load the demo data first",
            city.name
        );
    }
    eprintln!(
        "ordering from {} staffed merchant(s) in {}",
        shops.len(),
        city.name
    );
    Ok(shops)
}

/// Three available items without required options (cheapest first, so every line
/// has room), with the last quantity raised until the merchant's minimum is reached.
fn three_lines(menu: &Menu, minimum_minor: i64) -> Option<Vec<(ItemId, u32)>> {
    let mut simple: Vec<(ItemId, i64)> = menu
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .filter(|item| {
            item.available
                && item.price.amount_minor > 0
                && item.option_groups.iter().all(|g| g.min_selections == 0)
        })
        .map(|item| (item.id, item.price.amount_minor))
        .collect();
    if simple.len() < 3 {
        return None;
    }
    simple.sort_by_key(|&(_, price)| price);
    let picked = &simple[simple.len() / 2 - 1..simple.len() / 2 + 2];
    let mut lines: Vec<(ItemId, u32)> = picked.iter().map(|&(id, _)| (id, 1)).collect();
    let mut total: i64 = picked.iter().map(|&(_, price)| price).sum();
    // A margin over the minimum: fees or discounts do not count towards it.
    while total < minimum_minor + 100 && lines[2].1 < 99 {
        lines[2].1 += 1;
        total += picked[2].1;
    }
    Some(lines)
}

/// Logs in up to `wanted` demo couriers (at least one per connection), finishes orders
/// an earlier run left them with, and puts them online at the shops, spread evenly.
async fn online_couriers(
    args: &Args,
    http: &reqwest::Client,
    wanted: usize,
    shops: &[Shop],
) -> anyhow::Result<HashMap<UserId, Client>> {
    let numbers: Vec<usize> = (1..=wanted).collect();
    let (base, http2) = (args.base_url.clone(), http.clone());
    let logged_in = bounded(numbers, SETUP_CONCURRENCY, move |n| {
        let client = Client::with_http(&base, http2.clone());
        async move {
            let email = courier_email(u32::try_from(n).unwrap_or(u32::MAX));
            match client.login(&email, DEMO_PASSWORD).await {
                Ok(session) => Ok(Some((session.user.id, client))),
                Err(err) if err.code() == Some("auth.invalid_credentials") => Ok(None),
                Err(err) => Err(anyhow::Error::new(err).context(format!("logging in {email}"))),
            }
        }
    })
    .await;
    let mut couriers = Vec::new();
    for outcome in logged_in {
        if let Some(courier) = outcome? {
            couriers.push(courier);
        }
    }
    if couriers.len() < args.connections {
        bail!(
            "journey needs at least one courier per connection ({}), but only {} demo couriers exist; \
             seed with a larger --scale (`mercato seed demo --scale N` creates 8 × N)",
            args.connections,
            couriers.len()
        );
    }
    let spots: Vec<(Client, LatLng)> = couriers
        .iter()
        .enumerate()
        .map(|(i, (_, client))| (client.clone(), shops[i % shops.len()].location))
        .collect();
    let statuses = bounded(spots, SETUP_CONCURRENCY, |(client, at)| async move {
        let update = CourierStatusUpdate {
            online: true,
            lat: Some(at.lat),
            lng: Some(at.lng),
        };
        let status = set_status(&client, &update).await?;
        // A run that was interrupted may have left the courier with an order.
        if let Some(order) = status.active_order_id {
            for status in [OrderStatus::PickedUp, OrderStatus::Delivered] {
                let update = StatusUpdate::to(status);
                let _ = client.update_order_status(order, &update).await;
            }
        }
        Ok::<_, ClientError>(status)
    })
    .await;
    for status in statuses {
        status.context("putting a courier online (PUT /api/couriers/me/status)")?;
    }
    eprintln!("{} couriers online", couriers.len());
    Ok(couriers.into_iter().collect())
}
