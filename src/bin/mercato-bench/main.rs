//! `mercato-bench`: a load generator for a running Mercato server. Prints throughput and
//! latency percentiles per scenario. Not a test: numbers depend on the machine.
//!
//! ```text
//! cargo run --release --bin mercato-bench -- --connections 64 --seconds 10 profile login discover menu
//! cargo run --release --bin mercato-bench -- --connections 32 --seconds 15 create journey
//! ```
//!
//! `create` checks out carts it prepares first (unmeasured) at the open merchants that
//! deliver to `--lat`/`--lng`. `cart-checkout` and `journey` need the demo dataset with
//! enough couriers (`mercato seed demo --scale N` creates 8 × N) and use the merchants the
//! demo merchant account is staff of in the demo city nearest the point (Berlin by default).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::{Parser, ValueEnum};
use mercato::client::{Client, ClientError};
use mercato::core::catalog::{DiscoveryParams, Menu, PauseInput};
use mercato::core::geo::LatLng;
use mercato::core::identity::RegisterRequest;
use mercato::core::ids::{CartId, ItemId, MerchantId, OrderId, UserId};
use mercato::core::ordering::{
    AddCartItem, AssignCourierRequest, CheckoutRequest, CourierStatus, CourierStatusUpdate,
    DeliveryDetails, Order, OrderStatus, PaymentChoice, PaymentKeyword, StatusUpdate,
};
use mercato::server::demo::{DEMO_PASSWORD, courier_email};
use mercato::server::seed::{DEMO_MERCHANT_EMAIL, STAFF_MERCHANTS_PER_CITY};
use reqwest::Method;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

mod ordering;
mod report;
mod requests;

use report::{Tally, report};
use requests::Paths;

/// Load generator for a running Mercato server.
#[derive(Debug, Parser)]
#[command(name = "mercato-bench")]
struct Args {
    /// The server's base URL.
    #[arg(
        long,
        env = "MERCATO_BENCH_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    base_url: String,
    /// Concurrent connections (one request in flight on each).
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Measured seconds per scenario.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Unmeasured warm-up seconds per scenario.
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Latitude of the discovery point (default: Berlin centre); `create` and `journey` use
    /// the demo city nearest to it.
    #[arg(long, default_value_t = 52.52, allow_negative_numbers = true)]
    lat: f64,
    /// Longitude of the discovery point.
    #[arg(long, default_value_t = 13.405, allow_negative_numbers = true)]
    lng: f64,
    /// Couriers `journey` puts online per connection (capped by the demo couriers that
    /// exist; at least one per connection is needed).
    #[arg(long, default_value_t = 2)]
    couriers_per_connection: usize,
    /// Carts `create` prepares before it measures (every checkout uses one up): enough for
    /// the warm-up and the measured seconds at the rate expected.
    #[arg(long, default_value_t = 20_000)]
    carts: usize,
    /// Scenarios to run, in order.
    #[arg(value_enum, default_values_t = [Scenario::Profile, Scenario::Login, Scenario::Discover, Scenario::Menu])]
    scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scenario {
    /// Authenticated `GET /api/users/profile` (one session per connection).
    Profile,
    /// `POST /api/auth/login` with the right password (argon2id-bound).
    Login,
    /// `GET /api/merchants` at the discovery point, first page of 20.
    Discover,
    /// `GET /api/merchants/{id}/menu`, cycling over the merchants discovered at the point.
    Menu,
    /// `POST /api/orders/create` alone (cash, inline delivery, a new `Idempotency-Key` each
    /// time): carts of three items are prepared first, unmeasured, at the open merchants
    /// delivering to the point, and checked out one after another on every connection.
    Create,
    /// A fresh 3-item cart then its checkout, over and over: `POST /api/carts/create`, three
    /// `POST /api/carts/{id}/items` and `POST /api/orders/create`, each step reported.
    CartCheckout,
    /// A whole order: discover, menu, cart, checkout, the merchant accepting, preparing and
    /// handing over, the dispatched courier picking up and delivering. Reports completed
    /// orders per second and every step.
    Journey,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Self::Profile => "profile",
            Self::Login => "login",
            Self::Discover => "discover",
            Self::Menu => "menu",
            Self::Create => "create",
            Self::CartCheckout => "cart-checkout",
            Self::Journey => "journey",
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections * 2)
        .timeout(Duration::from_secs(30))
        .build()?;
    let setup = Client::with_http(&args.base_url, http.clone());
    setup
        .ready()
        .await
        .context("the server is not ready; start it with `cargo run --release`")?;
    // Each connection acts for its own account, as real users do: the login throttle counts
    // concurrent attempts on one account against it.
    let run_id = uuid::Uuid::now_v7().simple().to_string();
    let password = "bench-plum-tiger-harbour-91";
    let discovery = format!("/api/merchants?lat={}&lng={}&limit=20", args.lat, args.lng);
    let menus: Vec<String> = if args.scenarios.contains(&Scenario::Menu) {
        let page = setup
            .discover(&DiscoveryParams {
                lat: args.lat,
                lng: args.lng,
                limit: Some(20),
                ..DiscoveryParams::default()
            })
            .await
            .context("discovering merchants for the menu scenario")?;
        if page.items.is_empty() {
            anyhow::bail!(
                "no merchant delivers to {},{}; load the demo data first",
                args.lat,
                args.lng
            );
        }
        page.items
            .iter()
            .map(|m| format!("/api/merchants/{}/menu", m.id))
            .collect()
    } else {
        Vec::new()
    };
    let paths = Arc::new(Paths { discovery, menus });

    println!(
        "{:<10} {:>6} {:>9} {:>7} {:>10} {:>9} {:>9} {:>9} {:>9}",
        "scenario", "conns", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for scenario in &args.scenarios {
        if matches!(
            scenario,
            Scenario::Create | Scenario::CartCheckout | Scenario::Journey
        ) {
            let rows = if *scenario == Scenario::Create {
                ordering::run_create(&args, &http, &run_id, password).await?
            } else {
                ordering::run(*scenario, &args, &http, &run_id, password).await?
            };
            for (name, tally) in &rows {
                report(name, args.connections, tally, args.seconds);
            }
            continue;
        }
        let mut clients = Vec::with_capacity(args.connections);
        for connection in 0..args.connections {
            let client = Client::with_http(&args.base_url, http.clone());
            let email = format!("bench-{run_id}-{connection}@bench.mercato.dev");
            if matches!(scenario, Scenario::Profile | Scenario::Login) {
                account(&client, &email, password).await?;
            }
            clients.push((client, email));
        }
        let tally = requests::run(*scenario, clients, password, &paths, &args).await;
        report(scenario.name(), args.connections, &tally, args.seconds);
    }
    Ok(())
}

/// Registers `email` (or logs it in when a previous run registered it), leaving `client`
/// with a session.
async fn account(client: &Client, email: &str, password: &str) -> anyhow::Result<()> {
    let registered = client
        .register(&RegisterRequest {
            email: email.to_owned(),
            password: password.to_owned(),
            name: "Bench User".to_owned(),
            phone: None,
            country_code: "DE".to_owned(),
            locale: None,
        })
        .await;
    if registered.is_err() {
        client.login(email, password).await.context(
            "registering a bench user (is MERCATO_AUTH_RATE_PER_MINUTE=0 set on the server?)",
        )?;
    }
    Ok(())
}

/// Runs `f` over `items` with at most `limit` at a time; the results in input order.
async fn bounded<I, T, F, Fut>(items: Vec<I>, limit: usize, f: F) -> Vec<T>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let mut tasks = JoinSet::new();
    for (index, item) in items.into_iter().enumerate() {
        let permits = permits.clone();
        let work = f(item);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            (index, work.await)
        });
    }
    let mut out: Vec<(usize, T)> = tasks.join_all().await;
    out.sort_by_key(|(index, _)| *index);
    out.into_iter().map(|(_, value)| value).collect()
}
