//! The test harness: the real server on port 0 against the real PostgreSQL, driven through
//! `mercato-client`.

use std::sync::OnceLock;

use mercato::client::{Client, ClientError, Problem};
use mercato::core::Role;
use mercato::core::identity::{AuthSession, IdentityService, RegisterRequest, StaffAccount};
use mercato::core::ids::UserId;
use mercato::server::{Application, Config};
use reqwest::{RequestBuilder, StatusCode};
use tokio::sync::oneshot;

/// The origin the cookie-mode clients claim, allowed by the test servers' CORS/CSRF list.
pub const APP_ORIGIN: &str = "http://app.mercato.test";

/// The signing secret of the test servers (a second process must share it).
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

/// A password that passes the policy.
pub const PASSWORD: &str = "plum-tiger-harbour-91";

/// The PostgreSQL server the tests use.
pub fn postgres_url() -> String {
    std::env::var("MERCATO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// The database of this test run, dropped and recreated once per process so every run
/// starts clean: `mercato_e2e`, or the name in `MERCATO_E2E_DATABASE` (letters, digits and
/// underscores), so that two runs at once on one PostgreSQL need not drop each other's.
pub fn database_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let name =
            std::env::var("MERCATO_E2E_DATABASE").unwrap_or_else(|_| "mercato_e2e".to_owned());
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "MERCATO_E2E_DATABASE must be letters, digits and underscores"
        );
        let admin = format!("{}/postgres", postgres_url());
        let drop = format!("drop database if exists {name} with (force)");
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                use sqlx::Connection as _;
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::query(sqlx::AssertSqlSafe(drop))
                    .execute(&mut conn)
                    .await
                    .expect("drop the test database");
            });
        })
        .join()
        .expect("reset the test database");
        format!("{}/{name}", postgres_url())
    })
}

/// A running server.
pub struct TestApp {
    /// `http://127.0.0.1:{port}`.
    pub base_url: String,
    /// The server's identity service, for accounts no endpoint creates (couriers).
    identity: IdentityService,
    stop: Option<oneshot::Sender<()>>,
}

impl TestApp {
    /// Starts a server with the test defaults.
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    /// Starts a server with extra command-line settings; a flag given here replaces the
    /// harness's default for it.
    pub async fn spawn_with(extra: &[&str]) -> Self {
        let defaults = [
            ("--database-url", database_url()),
            ("--listen", "127.0.0.1:0"),
            ("--env", "development"),
            ("--jwt-secret", JWT_SECRET),
            ("--cors-origins", APP_ORIGIN),
            ("--auth-rate-per-minute", "0"),
            ("--db-max-connections", "5"),
        ];
        let mut args: Vec<&str> = defaults
            .iter()
            .filter(|(flag, _)| !extra.contains(flag))
            .flat_map(|(flag, value)| [*flag, *value])
            .collect();
        args.extend_from_slice(extra);
        let config = Config::from_env_and_args(args).expect("test configuration");
        let app = Application::build(&config).await.expect("server builds");
        let base_url = format!("http://127.0.0.1:{}", app.port());
        let identity = app.state().identity.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Self {
            base_url,
            identity,
            stop: Some(stop),
        }
    }

    /// A bearer-mode client.
    pub fn client(&self) -> Client {
        Client::new(&self.base_url)
    }

    /// A cookie-mode client from the allowed app origin.
    pub fn cookie_client(&self) -> Client {
        Client::with_cookies(&self.base_url, APP_ORIGIN)
    }

    /// Registers a fresh customer, returning a logged-in bearer client.
    pub async fn customer(&self) -> (Client, AuthSession) {
        let client = self.client();
        let session = client
            .register(&registration(&unique_email()))
            .await
            .expect("registration succeeds");
        (client, session)
    }

    /// Creates a fresh courier account (no endpoint creates staff accounts, so through the
    /// server's identity service), returning a logged-in bearer client and the courier's id.
    pub async fn courier(&self) -> (Client, UserId) {
        let email = unique_email();
        let user = self
            .identity
            .create_staff_account(StaffAccount {
                email: email.clone(),
                password: PASSWORD.to_owned(),
                name: "Cody Courier".to_owned(),
                role: Role::Courier,
                country_code: "DE".to_owned(),
            })
            .await
            .expect("courier account created");
        let client = self.client();
        client
            .login(&email, PASSWORD)
            .await
            .expect("the courier logs in");
        (client, user.id)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// An email no other test uses.
pub fn unique_email() -> String {
    format!("user-{}@example.com", uuid::Uuid::now_v7().simple())
}

/// A valid registration for `email`.
pub fn registration(email: &str) -> RegisterRequest {
    RegisterRequest {
        email: email.to_owned(),
        password: PASSWORD.to_owned(),
        name: "Test Customer".to_owned(),
        phone: Some("+49 30 1234567".to_owned()),
        country_code: "DE".to_owned(),
        locale: Some("de-DE".to_owned()),
    }
}

/// The status and problem code of a call that should have failed.
pub fn code(result: Result<impl std::fmt::Debug, ClientError>) -> (Option<StatusCode>, String) {
    let err = result.expect_err("the call should fail");
    (err.status(), err.code().unwrap_or_default().to_owned())
}

/// The fields named by a call that should have failed validation (422
/// `validation.failed`), sorted.
pub fn invalid_fields(result: Result<impl std::fmt::Debug, ClientError>) -> Vec<String> {
    let err = result.expect_err("the call should fail validation");
    assert_eq!(
        (err.status(), err.code()),
        (
            Some(StatusCode::UNPROCESSABLE_ENTITY),
            Some("validation.failed")
        ),
        "{err}"
    );
    let mut fields: Vec<String> = err
        .problem()
        .map(|p| p.errors.iter().map(|e| e.field.clone()).collect())
        .unwrap_or_default();
    fields.sort();
    fields
}

/// Sends a hand-built request and decodes the problem document it must answer with.
pub async fn problem_of(request: RequestBuilder) -> (StatusCode, Problem) {
    let response = request.send().await.expect("request sent");
    let status = response.status();
    let problem = response.json().await.expect("a problem document");
    (status, problem)
}

/// The demo administrator's email (see `mercato::server::demo`).
pub const DEMO_ADMIN: &str = "admin@demo.mercato.dev";

impl TestApp {
    /// A bearer-mode client logged in as the demo account `email`.
    pub async fn demo_account(&self, email: &str) -> Client {
        let client = self.client();
        client
            .login(email, mercato::server::demo::DEMO_PASSWORD)
            .await
            .unwrap_or_else(|err| panic!("logging in as {email}: {err}"));
        client
    }

    /// A bearer-mode client logged in as the demo administrator.
    pub async fn admin(&self) -> Client {
        self.demo_account(DEMO_ADMIN).await
    }
}

/// The demo city named `name`, as the seed defines it (id, centre, zone, categories).
pub fn demo_city(name: &str) -> mercato::core::geo::City {
    mercato::server::seed::demo_cities()
        .into_iter()
        .find(|city| city.name == name)
        .unwrap_or_else(|| panic!("no demo city named {name}"))
}

/// A freshly registered user made staff of `merchant` by `admin`, logged in.
pub async fn staff_of(
    app: &TestApp,
    admin: &Client,
    merchant: mercato::core::ids::MerchantId,
) -> Client {
    let (client, session) = app.customer().await;
    admin
        .add_staff(merchant, session.user.id)
        .await
        .expect("made staff");
    client
}
