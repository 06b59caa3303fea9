//! Typed configuration from flags and environment variables. Every setting has both; the
//! README lists them.

use std::fmt;
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

/// Settings of `mercato serve` (also accepted before any subcommand). Its `Debug` hides the
/// signing secret and the database password.
#[derive(Clone, Args)]
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

    /// Allow development mode — demo accounts with a published password — to listen on a
    /// non-loopback address. Off: development listens on loopback addresses only.
    #[arg(long, env = "MERCATO_ALLOW_PUBLIC_DEV", global = true)]
    pub allow_public_dev: bool,

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

    /// Seconds after a refresh during which presenting the spent refresh token again answers
    /// 409 `auth.refresh_in_progress` (two tabs, a retried request) instead of revoking the
    /// session as stolen.
    #[arg(
        long,
        env = "MERCATO_REFRESH_REUSE_GRACE_SECS",
        default_value_t = 10,
        global = true
    )]
    pub refresh_reuse_grace_secs: u64,

    /// Seconds (at most 600) a process trusts a session it checked without reading it again
    /// (0: read it on every request). A process forgets a session the moment any process
    /// ends it, as long as it hears the database's announcements; this bounds the rest
    /// (expiry).
    #[arg(
        long,
        env = "MERCATO_SESSION_CACHE_SECS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(0..=600),
        global = true
    )]
    pub session_cache_secs: u64,

    /// Session lifetime since the last refresh, in days.
    #[arg(
        long,
        env = "MERCATO_SESSION_TTL_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub session_ttl_days: u64,

    /// Browser origins allowed by CORS and by the CSRF check, comma-separated
    /// (e.g. `https://app.example.com`): `scheme://host[:port]`, no path, no wildcard.
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

    /// Most connections in the database pool. A few per database core is the sweet spot;
    /// more only adds queueing inside PostgreSQL.
    #[arg(
        long,
        env = "MERCATO_DB_MAX_CONNECTIONS",
        default_value_t = 10,
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
    /// Development mode on an address other machines can reach.
    #[error(
        "refusing to listen on {0} in development mode: it serves demo accounts whose password \
         is published. Listen on a loopback address (--listen 127.0.0.1:3000), run with \
         --env production, or pass --allow-public-dev (MERCATO_ALLOW_PUBLIC_DEV=true) to \
         expose it anyway"
    )]
    PublicDevelopment(SocketAddr),
    /// A CORS origin that is not `scheme://host[:port]`.
    #[error(
        "MERCATO_CORS_ORIGINS entry {0:?} is not an origin: expected http(s)://host[:port], \
         with no path and no wildcard"
    )]
    InvalidOrigin(String),
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

    /// Refuses development mode on a non-loopback listen address (the per-service ports
    /// bind the same IP) unless explicitly allowed: its demo accounts' password is public.
    ///
    /// # Errors
    /// [`ConfigError::PublicDevelopment`].
    pub fn check_exposure(&self) -> Result<(), ConfigError> {
        if self.mode == RunMode::Development
            && !self.listen.ip().is_loopback()
            && !self.allow_public_dev
        {
            return Err(ConfigError::PublicDevelopment(self.listen));
        }
        Ok(())
    }

    /// The allowed browser origins, normalized (lower case, no trailing slash) the way
    /// browsers send them in `Origin`. Empty entries are skipped.
    ///
    /// # Errors
    /// [`ConfigError::InvalidOrigin`] for a wildcard, a path, or anything but
    /// `http(s)://host[:port]`.
    pub fn allowed_origins(&self) -> Result<Vec<String>, ConfigError> {
        self.cors_origins
            .iter()
            .map(|origin| origin.trim())
            .filter(|origin| !origin.is_empty())
            .map(parse_origin)
            .collect()
    }
}

/// Normalizes one configured origin: `scheme://host[:port]`, scheme http or https.
fn parse_origin(raw: &str) -> Result<String, ConfigError> {
    let invalid = || ConfigError::InvalidOrigin(raw.to_owned());
    let origin = raw.strip_suffix('/').unwrap_or(raw);
    let (scheme, authority) = origin.split_once("://").ok_or_else(invalid)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(invalid());
    }
    let (host, port) = match authority.strip_prefix('[') {
        // An IPv6 literal: `[::1]` or `[::1]:8080`.
        Some(rest) => {
            let (address, after) = rest.split_once(']').ok_or_else(invalid)?;
            let valid =
                !address.is_empty() && address.chars().all(|c| c.is_ascii_hexdigit() || c == ':');
            if !valid {
                return Err(invalid());
            }
            (
                format!("[{address}]"),
                after.strip_prefix(':').map(str::to_owned),
            )
        }
        None => {
            let (host, port) = match authority.split_once(':') {
                Some((host, port)) => (host, Some(port.to_owned())),
                None => (authority, None),
            };
            let valid = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
            if !valid {
                return Err(invalid());
            }
            (host.to_ascii_lowercase(), port)
        }
    };
    let port = match port {
        Some(port) => {
            let number = port
                .chars()
                .all(|c| c.is_ascii_digit())
                .then(|| port.parse::<u16>().ok())
                .flatten()
                .ok_or_else(invalid)?;
            // Browsers leave the scheme's default port out of `Origin`.
            match (scheme.as_str(), number) {
                ("http", 80) | ("https", 443) => String::new(),
                _ => format!(":{number}"),
            }
        }
        None if authority.starts_with('[') && !authority.ends_with(']') => {
            return Err(invalid());
        }
        None => String::new(),
    };
    Ok(format!("{scheme}://{host}{port}"))
}

/// A database URL fit for logs: its password (in the user info or a `password` query
/// parameter) replaced by `***`.
#[must_use]
pub fn redact_url_password(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let mut redacted = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let authority = match authority.rsplit_once('@') {
                Some((user_info, host)) => match user_info.split_once(':') {
                    Some((user, _password)) => format!("{user}:***@{host}"),
                    None => authority.to_owned(),
                },
                None => authority.to_owned(),
            };
            format!("{scheme}://{authority}{path}")
        }
        None => base.to_owned(),
    };
    if let Some(query) = query {
        let parameters: Vec<String> = query
            .split('&')
            .map(|parameter| match parameter.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => parameter.to_owned(),
            })
            .collect();
        redacted.push('?');
        redacted.push_str(&parameters.join("&"));
    }
    redacted
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url_password(&self.database_url))
            .field("mode", &self.mode)
            .field("listen", &self.listen)
            .field("service_ports", &self.service_ports)
            .field("allow_public_dev", &self.allow_public_dev)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .field("access_token_ttl_secs", &self.access_token_ttl_secs)
            .field("refresh_reuse_grace_secs", &self.refresh_reuse_grace_secs)
            .field("session_cache_secs", &self.session_cache_secs)
            .field("session_ttl_days", &self.session_ttl_days)
            .field("cors_origins", &self.cors_origins)
            .field("cookie_secure", &self.cookie_secure)
            .field("body_limit", &self.body_limit)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("auth_rate_per_minute", &self.auth_rate_per_minute)
            .field(
                "login_failures_per_account",
                &self.login_failures_per_account,
            )
            .field("login_failures_per_client", &self.login_failures_per_client)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("db_max_connections", &self.db_max_connections)
            .field("hash_concurrency", &self.hash_concurrency)
            .field("log_format", &self.log_format)
            .field("log", &self.log)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(args: &[&str]) -> Config {
        Config::from_env_and_args(args.iter().copied()).expect("valid flags")
    }

    #[test]
    fn debug_output_hides_the_signing_secret_and_the_database_password() {
        let config = config(&[
            "--jwt-secret",
            "jwt-secret-jwt-secret-jwt-secret-0123",
            "--database-url",
            "postgres://mercato:db-pass-123@db.internal:5432/mercato?sslmode=require&password=db-pass-456",
        ]);

        let debug = format!("{config:?}");

        for secret in ["jwt-secret-jwt", "db-pass-123", "db-pass-456"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(
            debug.contains("postgres://mercato:***@db.internal:5432/mercato"),
            "{debug}"
        );
        assert!(debug.contains("sslmode=require"), "{debug}");
    }

    #[test]
    fn database_urls_without_a_password_are_left_alone() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/mercato",
            "postgres://127.0.0.1/mercato",
            "postgres:///mercato?host=/var/run/postgresql",
        ] {
            assert_eq!(redact_url_password(url), url);
        }
    }

    #[test]
    fn development_refuses_a_non_loopback_listen_address() {
        for listen in ["0.0.0.0:3000", "[::]:3000", "192.0.2.10:3000"] {
            let result = config(&["--env", "development", "--listen", listen]).check_exposure();

            assert!(
                matches!(result, Err(ConfigError::PublicDevelopment(_))),
                "{listen}: {result:?}"
            );
        }
    }

    #[test]
    fn development_listens_on_loopback_or_anywhere_when_allowed() {
        let allowed = [
            vec!["--listen", "127.0.0.1:3000"],
            vec!["--listen", "[::1]:3000"],
            vec!["--listen", "0.0.0.0:3000", "--allow-public-dev"],
            vec!["--listen", "0.0.0.0:3000", "--env", "production"],
        ];
        for args in allowed {
            assert!(config(&args).check_exposure().is_ok(), "{args:?}");
        }
    }

    #[test]
    fn cors_origins_are_normalized() {
        let config = config(&[
            "--cors-origins",
            "https://App.Example.com/, http://localhost:5173,,http://[::1]:8080,https://shop.example.com:443",
        ]);

        assert_eq!(
            config.allowed_origins().expect("valid origins"),
            [
                "https://app.example.com",
                "http://localhost:5173",
                "http://[::1]:8080",
                "https://shop.example.com"
            ]
        );
    }

    #[test]
    fn cors_origins_that_are_not_plain_origins_are_refused() {
        for origin in [
            "*",
            "https://*.example.com",
            "app.example.com",
            "https://app.example.com/path",
            "https://app.example.com?x=1",
            "ftp://app.example.com",
            "https://user@app.example.com",
            "https://app.example.com:port",
            "https://app.example.com:99999",
            "https://",
            "http://[::1",
        ] {
            let result = config(&["--cors-origins", origin]).allowed_origins();

            assert!(
                matches!(result, Err(ConfigError::InvalidOrigin(_))),
                "{origin}: {result:?}"
            );
        }
    }
}
