//! Typed configuration from flags and environment variables. Every setting has both; the
//! README lists them.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, ValueEnum};

/// How the server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunMode {
    /// Loads demo data into an empty database; may generate a signing key; plain-HTTP
    /// cookies allowed.
    Development,
    /// Refuses to start without explicit secrets; never loads demo data.
    Production,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Settings of `mercato serve` (also accepted before any subcommand).
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// PostgreSQL URL; the database is created if it does not exist.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/mercato",
        global = true
    )]
    pub database_url: String,

    /// `development` or `production`.
    #[arg(long = "env", env = "MERCATO_ENV", value_enum, default_value_t = RunMode::Development, global = true)]
    pub mode: RunMode,

    /// Address of the gateway listener serving every context.
    #[arg(
        long,
        env = "MERCATO_LISTEN",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub listen: SocketAddr,

    /// Also bind the per-service ports (3001 location, 3002 merchant, 3003 user,
    /// 3004 notification, 3006 order, 3007 payment) on the listen address's IP.
    #[arg(long, env = "MERCATO_SERVICE_PORTS", global = true)]
    pub service_ports: bool,

    /// Secret signing access tokens (at least 32 bytes). Required in production.
    #[arg(
        long,
        env = "MERCATO_JWT_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub jwt_secret: Option<String>,

    /// Access-token lifetime in seconds.
    #[arg(
        long,
        env = "MERCATO_ACCESS_TOKEN_TTL_SECS",
        default_value_t = 900,
        global = true
    )]
    pub access_token_ttl_secs: u64,

    /// Session lifetime since the last refresh, in days.
    #[arg(
        long,
        env = "MERCATO_SESSION_TTL_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub session_ttl_days: u64,

    /// Browser origins allowed by CORS and by the CSRF check, comma-separated
    /// (e.g. `https://app.example.com`).
    #[arg(
        long,
        env = "MERCATO_CORS_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub cors_origins: Vec<String>,

    /// Mark cookies `Secure` (HTTPS only). Defaults to on in production, off in development.
    #[arg(long, env = "MERCATO_COOKIE_SECURE", global = true)]
    pub cookie_secure: Option<bool>,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "MERCATO_BODY_LIMIT", default_value_t = 64 * 1024, global = true)]
    pub body_limit: usize,

    /// Longest a request may take, in seconds.
    #[arg(
        long,
        env = "MERCATO_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Requests per minute per client to register, login and refresh (0 disables).
    #[arg(
        long,
        env = "MERCATO_AUTH_RATE_PER_MINUTE",
        default_value_t = 60,
        global = true
    )]
    pub auth_rate_per_minute: u32,

    /// Failed logins per account within 15 minutes before logins to it are refused.
    #[arg(
        long,
        env = "MERCATO_LOGIN_FAILURES_PER_ACCOUNT",
        default_value_t = 5,
        global = true
    )]
    pub login_failures_per_account: u32,

    /// Failed logins per client address within 15 minutes before its logins are refused.
    #[arg(
        long,
        env = "MERCATO_LOGIN_FAILURES_PER_CLIENT",
        default_value_t = 50,
        global = true
    )]
    pub login_failures_per_client: u32,

    /// Take the client address from the last `X-Forwarded-For` hop (behind a trusted proxy).
    #[arg(long, env = "MERCATO_TRUST_FORWARDED_FOR", global = true)]
    pub trust_forwarded_for: bool,

    /// Most connections in the database pool.
    #[arg(
        long,
        env = "MERCATO_DB_MAX_CONNECTIONS",
        default_value_t = 20,
        global = true
    )]
    pub db_max_connections: u32,

    /// Password hashes computed at once (each takes 19 MiB); defaults to the CPU count.
    #[arg(long, env = "MERCATO_HASH_CONCURRENCY", global = true)]
    pub hash_concurrency: Option<usize>,

    /// Log format.
    #[arg(long, env = "MERCATO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// Log filter (tracing `EnvFilter` syntax).
    #[arg(
        long,
        env = "RUST_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Production without a signing secret.
    #[error("MERCATO_ENV=production requires MERCATO_JWT_SECRET (at least 32 bytes)")]
    MissingSecret,
    /// A secret too short to be safe.
    #[error("MERCATO_JWT_SECRET must be at least 32 bytes")]
    WeakSecret,
}

impl Config {
    /// Parses settings from environment variables and defaults only (for embedding and
    /// tests), then applies `overrides` as command-line flags.
    ///
    /// # Errors
    /// A clap error for invalid values.
    pub fn from_env_and_args<I, T>(overrides: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        #[derive(clap::Parser)]
        struct Wrapper {
            #[command(flatten)]
            config: Config,
        }
        let args = std::iter::once(std::ffi::OsString::from("mercato"))
            .chain(overrides.into_iter().map(Into::into));
        <Wrapper as clap::Parser>::try_parse_from(args).map(|w| w.config)
    }

    /// The signing secret: the configured one, or in development a random one (sessions
    /// then end when the process restarts).
    ///
    /// # Errors
    /// [`ConfigError`] in production without a strong secret.
    pub fn signing_secret(&self) -> Result<Vec<u8>, ConfigError> {
        match (&self.jwt_secret, self.mode) {
            (Some(secret), _) if secret.len() >= 32 => Ok(secret.as_bytes().to_vec()),
            (Some(_), _) => Err(ConfigError::WeakSecret),
            (None, RunMode::Production) => Err(ConfigError::MissingSecret),
            (None, RunMode::Development) => {
                tracing::warn!(
                    "no MERCATO_JWT_SECRET set: generated a random signing key for this process"
                );
                let mut secret = vec![0_u8; 32];
                rand::RngCore::fill_bytes(&mut rand::rng(), &mut secret);
                Ok(secret)
            }
        }
    }

    /// Whether cookies carry `Secure`.
    #[must_use]
    pub fn cookies_secure(&self) -> bool {
        self.cookie_secure
            .unwrap_or(self.mode == RunMode::Production)
    }

    /// The request timeout.
    #[must_use]
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}
