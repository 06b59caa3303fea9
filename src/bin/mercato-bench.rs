//! `mercato-bench`: a load generator for a running Mercato server. Prints throughput and
//! latency percentiles per scenario. Not a test: numbers depend on the machine.
//!
//! ```text
//! cargo run --release --bin mercato-bench -- --connections 64 --seconds 10 profile login discover menu
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Parser, ValueEnum};
use mercato::client::Client;
use mercato::core::catalog::DiscoveryParams;
use mercato::core::identity::RegisterRequest;
use reqwest::Method;

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
    /// Latitude of the discovery point (default: Berlin centre).
    #[arg(long, default_value_t = 52.52, allow_negative_numbers = true)]
    lat: f64,
    /// Longitude of the discovery point.
    #[arg(long, default_value_t = 13.405, allow_negative_numbers = true)]
    lng: f64,
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
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    errors: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
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
        let mut clients = Vec::with_capacity(args.connections);
        for connection in 0..args.connections {
            let client = Client::with_http(&args.base_url, http.clone());
            let email = format!("bench-{run_id}-{connection}@bench.mercato.dev");
            if matches!(scenario, Scenario::Profile | Scenario::Login) {
                account(&client, &email, password).await?;
            }
            clients.push((client, email));
        }
        let tally = run(*scenario, clients, password, &paths, &args).await;
        report(*scenario, args.connections, &tally, args.seconds);
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

/// The request paths of the catalog scenarios.
struct Paths {
    discovery: String,
    menus: Vec<String>,
}

async fn run(
    scenario: Scenario,
    clients: Vec<(Client, String)>,
    password: &str,
    paths: &Arc<Paths>,
    args: &Args,
) -> Tally {
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for (worker, (client, email)) in clients.into_iter().enumerate() {
        let (measuring, stop, paths) = (measuring.clone(), stop.clone(), paths.clone());
        let body = serde_json::json!({ "email": email, "password": password });
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut turn = worker;
            while !stop.load(Ordering::Relaxed) {
                turn += 1;
                let request = match scenario {
                    Scenario::Profile => client.request(Method::GET, "/api/users/profile"),
                    Scenario::Login => client.request(Method::POST, "/api/auth/login").json(&body),
                    Scenario::Discover => client.request(Method::GET, &paths.discovery),
                    Scenario::Menu => {
                        client.request(Method::GET, &paths.menus[turn % paths.menus.len()])
                    }
                };
                let started = Instant::now();
                let ok = match request.send().await {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        ok && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                if measuring.load(Ordering::Relaxed) {
                    if ok {
                        tally
                            .latencies_us
                            .push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
                    } else {
                        tally.errors += 1;
                    }
                }
            }
            tally
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.warmup)).await;
    measuring.store(true, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    measuring.store(false, Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    let mut total = Tally::default();
    for worker in workers {
        if let Ok(tally) = worker.await {
            total.latencies_us.extend(tally.latencies_us);
            total.errors += tally.errors;
        }
    }
    total
}

fn report(scenario: Scenario, connections: usize, tally: &Tally, seconds: u64) {
    let mut latencies = tally.latencies_us.clone();
    latencies.sort_unstable();
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * latencies.len() as f64).ceil() as usize;
        latencies[rank.clamp(1, latencies.len()) - 1] as f64 / 1000.0
    };
    let name = match scenario {
        Scenario::Profile => "profile",
        Scenario::Login => "login",
        Scenario::Discover => "discover",
        Scenario::Menu => "menu",
    };
    println!(
        "{:<10} {:>6} {:>9} {:>7} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
        name,
        connections,
        latencies.len(),
        tally.errors,
        latencies.len() as f64 / seconds as f64,
        percentile(50.0),
        percentile(90.0),
        percentile(99.0),
        latencies.last().map_or(0.0, |&max| max as f64 / 1000.0),
    );
    if tally.errors > 0 && latencies.is_empty() {
        eprintln!("every {name} request failed");
    }
}
