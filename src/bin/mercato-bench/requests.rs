//! The scenarios of single requests in a loop: `profile`, `login`, `discover`, `menu`.

use super::*;

/// The request paths of the catalog scenarios.
pub(crate) struct Paths {
    pub(crate) discovery: String,
    pub(crate) menus: Vec<String>,
}

/// Runs one of the single-request scenarios on every connection; what it measured.
pub(crate) async fn run(
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
                    Scenario::Create | Scenario::CartCheckout | Scenario::Journey => {
                        unreachable!("run by `ordering`")
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
                        tally.record(started);
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
            total.absorb(tally);
        }
    }
    total
}
