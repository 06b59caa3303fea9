//! The `mercato` command line: `serve` (the default), `migrate`, `openapi`, `user create`.

use std::io::{BufRead as _, IsTerminal as _};

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use mercato_core::Role;
use mercato_core::identity::StaffAccount;

use crate::app::{Application, DemoLoading, connect, identity_service};
use crate::config::Config;
use crate::http::openapi;
use crate::telemetry;

/// Mercato: the customer-side backend of a multi-country delivery marketplace.
#[derive(Debug, Parser)]
#[command(
    name = "mercato",
    version,
    about = "Mercato: the customer-side backend of a multi-country delivery marketplace"
)]
pub struct Cli {
    /// Settings (also read from the environment).
    #[command(flatten)]
    pub config: Config,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database if needed, migrate, and serve the API (the default).
    Serve,
    /// Create the database if needed and apply pending migrations, then exit.
    Migrate,
    /// Print the OpenAPI document (JSON) to standard output.
    Openapi,
    /// Manage user accounts.
    User {
        /// The user action.
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load data sets.
    Seed {
        /// What to load.
        #[command(subcommand)]
        command: SeedCommand,
    },
}

/// `mercato seed ...`.
#[derive(Debug, Subcommand)]
pub enum SeedCommand {
    /// Load the demo dataset (accounts, cities, merchants with menus and reviews). Idempotent:
    /// only what is missing is added, so a larger scale adds merchants to a loaded dataset.
    Demo {
        /// Multiplies the merchants (1 ≈ 350; 50 ≈ 17,000 for load tests).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        scale: u32,
    },
}

/// `mercato user ...`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account with a given role. The password is prompted for on a terminal, or
    /// read from the first line of standard input.
    Create {
        /// Email address.
        #[arg(long)]
        email: String,
        /// Role: customer, merchant_staff, courier or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Display name; defaults to the email's local part.
        #[arg(long)]
        name: Option<String>,
        /// Home country (ISO 3166-1 alpha-2).
        #[arg(long, default_value = "US")]
        country: String,
    },
}

fn parse_role(name: &str) -> Result<Role, String> {
    Role::parse(name)
        .ok_or_else(|| "expected customer, merchant_staff, courier or admin".to_owned())
}

/// Runs the command line.
///
/// # Errors
/// Whatever the chosen command fails with.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            telemetry::init_logging(config.log_format, &config.log);
            let app = Application::build_with(&config, DemoLoading::ChildProcess).await?;
            app.run_until_stopped().await
        }
        Command::Migrate => {
            telemetry::init_logging(config.log_format, &config.log);
            connect(&config).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Openapi => {
            println!("{}", openapi_json()?);
            Ok(())
        }
        Command::Seed {
            command: SeedCommand::Demo { scale },
        } => {
            telemetry::init_logging(config.log_format, &config.log);
            if config.mode == crate::config::RunMode::Production {
                bail!(
                    "the demo dataset is for development; it is never loaded with MERCATO_ENV=production"
                );
            }
            let store = connect(&config).await?;
            let secret = rand::random::<[u8; 32]>();
            let (geo, _) = crate::app::catalog_services(&store);
            let identity = identity_service(&config, &store, &secret, std::sync::Arc::new(geo))?;
            crate::app::load_demo_data(&store, &identity, scale).await?;
            println!("demo dataset loaded at scale {scale}");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    role,
                    name,
                    country,
                },
        } => {
            telemetry::init_logging(config.log_format, "warn");
            let password = read_password()?;
            let store = connect(&config).await?;
            // This process issues no tokens; any key will do.
            let secret = rand::random::<[u8; 32]>();
            let (geo, _) = crate::app::catalog_services(&store);
            let identity = identity_service(&config, &store, &secret, std::sync::Arc::new(geo))?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_owned());
            let user = identity
                .create_staff_account(StaffAccount {
                    email,
                    password,
                    name,
                    role,
                    country_code: country,
                })
                .await
                .map_err(|err| match err {
                    mercato_core::identity::IdentityError::Invalid(fields) => anyhow::anyhow!(
                        "invalid account: {}",
                        fields
                            .0
                            .iter()
                            .map(|f| format!("{} {}", f.field, f.message))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    other => anyhow::anyhow!(other),
                })?;
            println!(
                "created {} ({}) with role {}",
                user.email,
                user.id,
                role.as_str()
            );
            Ok(())
        }
    }
}

/// The OpenAPI document as pretty JSON, exactly as committed in `openapi/openapi.json`.
///
/// # Errors
/// Serialization failure (not expected).
pub fn openapi_json() -> anyhow::Result<String> {
    serde_json::to_string_pretty(&openapi()).context("serializing the OpenAPI document")
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat password: ")?;
        if first != second {
            bail!("the passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\n', '\r']).to_owned();
        if password.is_empty() {
            bail!("no password on standard input");
        }
        Ok(password)
    }
}
