//! Building and running the server: wiring adapters into use cases, the middleware stack,
//! listeners (gateway and per-service ports), background tasks and graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::get;
use axum::{Json, Router, middleware};
use mercato_core::catalog::{CatalogPorts, CatalogService, EtaModel};
use mercato_core::clock::SystemClock;
use mercato_core::events::EventHandler;
use mercato_core::geo::{GeoService, GeoStore, PointLocator};
use mercato_core::identity::{
    IdentityPolicy, IdentityPorts, IdentityService, SESSION_CACHE_CAPACITY, SessionCache,
    StaffDirectory,
};
use mercato_core::ordering::{
    CartService, CourierStore as _, OrderPorts, OrderService, TRACKING_RETENTION,
};
use mercato_store_postgres::{OutboxDispatcher, PgStore, PoolSettings};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

use crate::access::hear_access_changes;
use crate::config::{Config, RunMode};
use crate::error::{not_found, problem_for_bare_errors};
use crate::events::{CatalogReviews, EventLog};
use crate::geo_cache::{CITY_CACHE_TTL, CachedGeoStore};
use crate::http::openapi_responses::StandardResponses;
use crate::http::{RouteLimits, Service, gateway, health};
use crate::live::{LiveHub, UpdateFeed};
use crate::middleware::{
    MakeRequestUuidV7, REQUEST_ID_HEADER, drop_unacceptable_request_id, record_metrics, time_limit,
};
use crate::security::{Argon2Hasher, JwtSessionTokens};
use crate::state::{AppState, WebSettings};
use crate::{demo, seed, telemetry};

/// The most event streams (`GET /api/orders/{id}/events`) one process serves at once.
pub const MAX_EVENT_STREAMS: usize = 10_000;

/// How often every process dispatches the orders still waiting for a courier.
const DISPATCH_INTERVAL: Duration = Duration::from_secs(15);

/// How many waiting orders one dispatch sweep handles.
const DISPATCH_BATCH: u32 = 100;

/// A built server: listeners bound, database migrated, ready to run.
pub struct Application {
    listeners: Vec<(&'static str, TcpListener, Router)>,
    port: u16,
    state: AppState,
}

/// Wires the identity use cases over the store and the security adapters; `locator` tells
/// which city serves a reported location.
///
/// # Errors
/// When the password hasher cannot be set up.
pub fn identity_service(
    config: &Config,
    store: &PgStore,
    secret: &[u8],
    locator: Arc<dyn PointLocator>,
) -> anyhow::Result<IdentityService> {
    let hash_concurrency = config
        .hash_concurrency
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from));
    let store = Arc::new(store.clone());
    let ports = IdentityPorts {
        users: store.clone(),
        sessions: store.clone(),
        addresses: store.clone(),
        throttle: store.clone(),
        hasher: Arc::new(Argon2Hasher::new(hash_concurrency)?),
        tokens: Arc::new(JwtSessionTokens::new(secret)),
        countries: store.clone(),
        locator,
        clock: Arc::new(SystemClock),
    };
    let policy = IdentityPolicy {
        access_ttl: Duration::from_secs(config.access_token_ttl_secs),
        session_ttl: Duration::from_secs(config.session_ttl_days * 24 * 3600),
        login_failures_per_account: config.login_failures_per_account,
        login_failures_per_client: config.login_failures_per_client,
        refresh_reuse_grace: Duration::from_secs(config.refresh_reuse_grace_secs),
        ..IdentityPolicy::default()
    };
    Ok(IdentityService::new(ports, policy))
}

/// Wires geography and the catalog over the store.
#[must_use]
pub fn catalog_services(store: &PgStore) -> (GeoService, CatalogService) {
    let (geo, catalog, _) = geo_and_catalog(store, Arc::new(store.clone()));
    (geo, catalog)
}

/// Geography and the catalog changing staff memberships through `staff`, and the cached
/// geography store they share (for the other use cases that read countries).
fn geo_and_catalog(
    store: &PgStore,
    staff: Arc<dyn StaffDirectory>,
) -> (GeoService, CatalogService, Arc<dyn GeoStore>) {
    let store = Arc::new(store.clone());
    // One cache of the countries and served cities for every use of geography in this
    // process.
    let cached: Arc<dyn GeoStore> = Arc::new(CachedGeoStore::new(store.clone(), CITY_CACHE_TTL));
    let geo = GeoService::new(cached.clone());
    let ports = CatalogPorts {
        store: store.clone(),
        geo: cached.clone(),
        locator: Arc::new(geo.clone()),
        staff,
        clock: Arc::new(SystemClock),
    };
    (geo, CatalogService::new(ports, EtaModel::default()), cached)
}

/// Wires every use case over `store` into the state the handlers share (no I/O: the
/// database is only used once requests arrive).
///
/// # Errors
/// When the password hasher cannot be set up.
pub fn app_state(
    config: &Config,
    store: PgStore,
    secret: &[u8],
    allowed_origins: Vec<String>,
) -> anyhow::Result<AppState> {
    // One cache of checked sessions: identity reads through it, and a change of staff
    // memberships forgets there at once (the listener task keeps it told of the rest).
    let sessions = Arc::new(SessionCache::new(
        SESSION_CACHE_CAPACITY,
        Duration::from_secs(config.session_cache_secs),
    ));
    let (geo, catalog, cached_geo) =
        geo_and_catalog(&store, sessions.forgetting_staff(Arc::new(store.clone())));
    let carts = CartService::new(
        Arc::new(store.clone()),
        catalog.clone(),
        cached_geo,
        Arc::new(SystemClock),
    );
    let orders = OrderService::new(
        OrderPorts {
            orders: Arc::new(store.clone()),
            couriers: Arc::new(store.clone()),
            insights: Arc::new(store.clone()),
            addresses: Arc::new(store.clone()),
            users: Arc::new(store.clone()),
            clock: Arc::new(SystemClock),
        },
        carts.clone(),
        catalog.clone(),
    );
    let identity = identity_service(config, &store, secret, Arc::new(geo.clone()))?
        .with_session_cache(sessions);
    Ok(AppState {
        identity,
        geo,
        catalog,
        carts,
        orders,
        live: LiveHub::new(MAX_EVENT_STREAMS),
        store,
        web: Arc::new(WebSettings {
            allowed_origins,
            cookie_secure: config.cookies_secure(),
            trust_forwarded_for: config.trust_forwarded_for,
        }),
        metrics: telemetry::metrics_handle(),
    })
}

/// Loads the demo dataset at `scale`: the demo accounts, then geography and merchants.
/// Idempotent — only what is missing is added — so processes starting together on one empty
/// database, or a larger scale over a loaded dataset, are both fine.
///
/// # Errors
/// Any failure creating the data.
pub async fn load_demo_data(
    store: &PgStore,
    identity: &IdentityService,
    scale: u32,
) -> anyhow::Result<()> {
    demo::load(identity, scale)
        .await
        .context("loading the demo accounts")?;
    let report = seed::seed_demo(
        store,
        store,
        store,
        store,
        scale,
        time::OffsetDateTime::now_utc(),
    )
    .await
    .context("loading the demo catalog")?;
    tracing::info!(?report, scale, "loaded the demo dataset");
    Ok(())
}

/// Loads the demo dataset at scale 1 in a child process, `<this executable> seed demo`, with
/// this process's database, pool, hashing and logging settings (given through the
/// environment, so that a database password stays off the command line). Falls back to
/// [`load_demo_data`] in this process when the child cannot be started.
///
/// # Errors
/// When the child fails (it reports why on its standard error), or loading in process does.
async fn load_demo_data_in_child(
    config: &Config,
    store: &PgStore,
    identity: &IdentityService,
) -> anyhow::Result<()> {
    let mut command = match std::env::current_exe() {
        Ok(exe) => std::process::Command::new(exe),
        Err(err) => {
            tracing::warn!(error = %err, "cannot find this executable; loading the demo dataset in process");
            return load_demo_data(store, identity, 1).await;
        }
    };
    command
        .args(["seed", "demo", "--scale", "1"])
        .env("DATABASE_URL", &config.database_url)
        .env("MERCATO_ENV", "development")
        .env(
            "MERCATO_DB_MAX_CONNECTIONS",
            config.db_max_connections.to_string(),
        )
        .env("MERCATO_LOG_FORMAT", value_name(config.log_format))
        .env("RUST_LOG", &config.log)
        .stdin(std::process::Stdio::null());
    match config.hash_concurrency {
        Some(count) => command.env("MERCATO_HASH_CONCURRENCY", count.to_string()),
        None => command.env_remove("MERCATO_HASH_CONCURRENCY"),
    };
    tracing::info!("loading the demo dataset in a child process (`mercato seed demo`)");
    let status = match tokio::task::spawn_blocking(move || command.status()).await? {
        Ok(status) => status,
        Err(err) => {
            tracing::warn!(error = %err, "cannot start a child process; loading the demo dataset in process");
            return load_demo_data(store, identity, 1).await;
        }
    };
    anyhow::ensure!(
        status.success(),
        "loading the demo dataset in a child process (`mercato seed demo`) failed: {status}"
    );
    Ok(())
}

/// The name a `clap` value has on the command line and in the environment.
fn value_name(value: impl clap::ValueEnum) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

/// Connects to the database (creating and migrating it as needed).
///
/// # Errors
/// When PostgreSQL is unreachable or a migration fails.
pub async fn connect(config: &Config) -> anyhow::Result<PgStore> {
    let settings = PoolSettings {
        max_connections: config.db_max_connections,
        ..PoolSettings::default()
    };
    PgStore::connect_and_migrate(&config.database_url, &settings)
        .await
        .context("preparing the database")
}

/// Where [`Application::build_with`] loads the demo dataset into an empty development
/// database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DemoLoading {
    /// In the server's own process: what [`Application::build`] does (tests, embedding
    /// programs).
    #[default]
    InProcess,
    /// In a short-lived child process, `mercato seed demo`, of the running executable: what
    /// `mercato serve` does. Creating the demo accounts computes a dozen argon2 hashes of
    /// 19 MiB each, and the allocator keeps every one of those buffers once freed (about
    /// 270 MiB), so the server leaves that work to a process that exits. If the child cannot
    /// be started, the dataset is loaded in process.
    ChildProcess,
}

impl Application {
    /// Prepares the database, loads demo data when in development on an empty database, and
    /// binds the listeners.
    ///
    /// # Errors
    /// Configuration, database or bind failures.
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        Self::build_with(config, DemoLoading::InProcess).await
    }

    /// [`Application::build`], loading the demo data (when in development on an empty
    /// database) as `demo` says.
    ///
    /// # Errors
    /// Configuration, database or bind failures.
    pub async fn build_with(config: &Config, demo: DemoLoading) -> anyhow::Result<Self> {
        // Refuse a bad configuration before touching the database.
        let secret = config.signing_secret()?;
        config.check_exposure()?;
        let allowed_origins = config.allowed_origins()?;
        let store = connect(config).await?;
        if !store.autovacuum_enabled().await? {
            tracing::warn!(
                "PostgreSQL runs without autovacuum: the outbox, orders and couriers tables \
                 will bloat and slow down; turn it on (ALTER SYSTEM SET autovacuum = on)"
            );
        }
        let state = app_state(config, store, &secret, allowed_origins)?;
        if config.mode == RunMode::Development
            && (state.store.has_no_users().await? || state.store.has_no_merchants().await?)
        {
            match demo {
                DemoLoading::InProcess => load_demo_data(&state.store, &state.identity, 1).await?,
                DemoLoading::ChildProcess => {
                    load_demo_data_in_child(config, &state.store, &state.identity).await?;
                }
            }
        }
        let limits = RouteLimits {
            auth_per_minute: config.auth_rate_per_minute,
            trust_forwarded_for: config.trust_forwarded_for,
        };
        let gateway_listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("binding {}", config.listen))?;
        let port = gateway_listener.local_addr()?.port();
        let mut listeners = vec![(
            "gateway",
            gateway_listener,
            into_router(gateway(&limits), &state, config),
        )];
        if config.service_ports {
            for service in Service::ALL {
                let addr = SocketAddr::new(config.listen.ip(), service.port());
                let listener = TcpListener::bind(addr).await.with_context(|| {
                    format!("binding the {} service port {addr}", service.name())
                })?;
                let routes = service.routes(&limits).merge(health::routes());
                listeners.push((
                    service.name(),
                    listener,
                    into_router(routes, &state, config),
                ));
            }
        }
        Ok(Self {
            listeners,
            port,
            state,
        })
    }

    /// The gateway's port (useful when bound to port 0).
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state (for embedding programs and tests).
    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests.
    ///
    /// # Errors
    /// When a listener fails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests and stops the
    /// background tasks.
    ///
    /// # Errors
    /// When a listener fails.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
        let stopped = move |mut rx: watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };

        let handlers: Vec<Arc<dyn EventHandler>> = vec![
            Arc::new(EventLog),
            Arc::new(CatalogReviews {
                catalog: self.state.catalog.clone(),
            }),
        ];
        let dispatcher = OutboxDispatcher::new(self.state.store.pool().clone(), handlers);
        let dispatcher_task = tokio::spawn(dispatcher.run(stopped(stop_rx.clone())));

        let metrics = self.state.metrics.clone();
        let upkeep_stop = stopped(stop_rx.clone());
        let upkeep = tokio::spawn(async move {
            tokio::pin!(upkeep_stop);
            let mut every = tokio::time::interval(Duration::from_secs(10));
            loop {
                tokio::select! {
                    () = &mut upkeep_stop => return,
                    _ = every.tick() => metrics.run_upkeep(),
                }
            }
        });

        let store = self.state.store.clone();
        let maintenance_stop = stopped(stop_rx.clone());
        let maintenance = tokio::spawn(async move {
            tokio::pin!(maintenance_stop);
            let mut every = tokio::time::interval(Duration::from_secs(3600));
            loop {
                tokio::select! {
                    () = &mut maintenance_stop => return,
                    _ = every.tick() => purge_stale_rows(&store).await,
                }
            }
        });

        let catalog = self.state.catalog.clone();
        let schedule_stop = stopped(stop_rx.clone());
        let schedules = tokio::spawn(async move {
            tokio::pin!(schedule_stop);
            let mut every = tokio::time::interval(Duration::from_secs(600));
            loop {
                tokio::select! {
                    () = &mut schedule_stop => return,
                    _ = every.tick() => extend_schedules(&catalog).await,
                }
            }
        });

        let access = tokio::spawn(hear_access_changes(
            self.state.store.clone(),
            self.state.identity.session_cache().clone(),
            stopped(stop_rx.clone()),
        ));

        let feed: Arc<dyn UpdateFeed> = Arc::new(self.state.store.clone());
        let live = tokio::spawn(self.state.live.clone().run(feed, stopped(stop_rx.clone())));

        let orders = self.state.orders.clone();
        let dispatch_stop = stopped(stop_rx.clone());
        let dispatch = tokio::spawn(async move {
            tokio::pin!(dispatch_stop);
            let mut every = tokio::time::interval(DISPATCH_INTERVAL);
            loop {
                tokio::select! {
                    () = &mut dispatch_stop => return,
                    _ = every.tick() => dispatch_waiting_orders(&orders).await,
                }
            }
        });

        let mut servers = Vec::new();
        for (name, listener, router) in self.listeners {
            tracing::info!(service = name, addr = %listener.local_addr()?, "listening");
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            let stop = stopped(stop_rx.clone());
            servers.push(tokio::spawn(async move {
                axum::serve(listener, service)
                    .with_graceful_shutdown(stop)
                    .await
            }));
        }
        for server in servers {
            server.await??;
        }
        let _ = dispatcher_task.await;
        let _ = live.await;
        let _ = access.await;
        let _ = dispatch.await;
        let _ = maintenance.await;
        let _ = schedules.await;
        let _ = upkeep.await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// The gateway router over `state`: every context, the operations endpoints and the
/// middleware stack. Serving it is [`Application`]'s job; tests may drive it directly.
pub fn router(state: &AppState, config: &Config) -> Router {
    let limits = RouteLimits {
        auth_per_minute: config.auth_rate_per_minute,
        trust_forwarded_for: config.trust_forwarded_for,
    };
    into_router(gateway(&limits), state, config)
}

/// Deletes rows nothing needs any more (ended sessions, spent tokens, throttle counters,
/// published events, courier positions past their retention, forgotten checkout keys);
/// hourly, in every process —
/// the deletes are idempotent.
async fn purge_stale_rows(store: &PgStore) {
    let now = time::OffsetDateTime::now_utc();
    let purged = async {
        let identity = store.purge_identity(now).await?;
        let outbox = store.purge_outbox(now).await?;
        let positions = store.purge_positions(now - TRACKING_RETENTION).await?;
        let keys = store.purge_idempotency_keys(now).await?;
        Ok::<_, mercato_core::StoreError>(identity + outbox + positions + keys)
    };
    match purged.await {
        Ok(rows) => tracing::debug!(rows, "purged stale rows"),
        Err(err) => tracing::error!(error = %err, "purging stale rows failed"),
    }
}

/// Gives couriers to the orders ready for pickup that still have none (automatic dispatch
/// at the moment an order becomes ready may have found nobody). Runs in every process:
/// concurrent sweeps cannot assign an order twice.
async fn dispatch_waiting_orders(orders: &OrderService) {
    match orders.dispatch_waiting(DISPATCH_BATCH).await {
        Ok(0) => {}
        Ok(assigned) => tracing::info!(assigned, "dispatched waiting orders"),
        Err(err) => tracing::error!(error = %err, "dispatching waiting orders failed"),
    }
}

/// Extends every merchant's open-window schedule that is about to run out, in batches.
async fn extend_schedules(catalog: &CatalogService) {
    const BATCH: u32 = 500;
    loop {
        match catalog.refresh_open_windows(BATCH).await {
            Ok(done) if done < BATCH as usize => return,
            Ok(_) => {}
            Err(err) => {
                tracing::error!(error = %err, "extending merchant schedules failed");
                return;
            }
        }
    }
}

/// Finishes a router: serves its own OpenAPI document, answers unknown paths with a problem
/// 404, and wraps everything in the cross-cutting middleware.
fn into_router(routes: OpenApiRouter<AppState>, state: &AppState, config: &Config) -> Router {
    let (router, mut doc) = routes.split_for_parts();
    utoipa::Modify::modify(&StandardResponses, &mut doc);
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    let doc = Arc::new(doc);
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    let cors = cors(&state.web.allowed_origins);
    let hsts = (config.mode == RunMode::Production).then(|| {
        SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    let layers = ServiceBuilder::new()
        .layer(middleware::map_request(drop_unacceptable_request_id))
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuidV7))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let id = request
                .extensions()
                .get::<RequestId>()
                .and_then(|id| id.header_value().to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
        }))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(middleware::from_fn(problem_for_bare_errors))
        .layer(CatchPanicLayer::new())
        .layer(cors)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .option_layer(hsts)
        .layer(middleware::from_fn_with_state(config.request_timeout(), time_limit))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(middleware::from_fn(record_metrics));
    router
        .route(
            "/api/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .fallback(not_found)
        .with_state(state.clone())
        .layer(layers)
}

fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static(REQUEST_ID_HEADER),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            header::ETAG,
            HeaderName::from_static(REQUEST_ID_HEADER),
        ])
        .max_age(Duration::from_secs(600))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
