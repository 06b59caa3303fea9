//! The `mercato` binary's commands and run modes.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::support::{TestApp, database_url, postgres_url, unique_email};

fn mercato() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mercato"));
    command
        .env_remove("MERCATO_JWT_SECRET")
        .env_remove("MERCATO_ENV")
        .env_remove("DATABASE_URL")
        .env_remove("MERCATO_LISTEN")
        .env_remove("MERCATO_ALLOW_PUBLIC_DEV")
        .env_remove("MERCATO_CORS_ORIGINS")
        .env("RUST_BACKTRACE", "0");
    command
}

/// A database URL nothing answers at: a command that gets as far as connecting fails there.
const UNREACHABLE_DATABASE: &str = "postgres://nobody@127.0.0.1:1/none";

/// Runs `mercato` with `args` against [`UNREACHABLE_DATABASE`]; it must fail. Its stderr.
fn failing_start(command: &mut Command, args: &[&str]) -> String {
    let output = command
        .args(["--database-url", UNREACHABLE_DATABASE])
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn development_refuses_to_listen_on_a_public_address() {
    let stderr = failing_start(&mut mercato(), &["--listen", "0.0.0.0:0"]);

    assert!(
        stderr.contains("refusing to listen on 0.0.0.0:0"),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-public-dev"), "{stderr}");
}

#[test]
fn allow_public_dev_lets_development_listen_on_a_public_address() {
    let by_flag = failing_start(
        &mut mercato(),
        &["--listen", "0.0.0.0:0", "--allow-public-dev"],
    );
    let by_env = failing_start(
        mercato().env("MERCATO_ALLOW_PUBLIC_DEV", "true"),
        &["--listen", "0.0.0.0:0"],
    );

    for stderr in [by_flag, by_env] {
        // It gets past the check and on to the (unreachable) database.
        assert!(!stderr.contains("refusing to listen"), "{stderr}");
        assert!(stderr.contains("preparing the database"), "{stderr}");
    }
}

#[test]
fn a_wildcard_cors_origin_is_refused_at_startup() {
    let stderr = failing_start(&mut mercato(), &["--cors-origins", "*"]);

    assert!(stderr.contains("MERCATO_CORS_ORIGINS"), "{stderr}");
}

async fn fresh_database(name: &str) -> String {
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(&format!("{}/postgres", postgres_url()))
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "drop database if exists {name} with (force)"
    )))
    .execute(&mut conn)
    .await
    .expect("drop database");
    format!("{}/{name}", postgres_url())
}

#[test]
fn production_refuses_to_start_without_a_signing_secret() {
    let output = mercato()
        .args([
            "--env",
            "production",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ])
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("MERCATO_JWT_SECRET"), "{stderr}");
}

#[test]
fn openapi_prints_the_committed_document() {
    let output = mercato().arg("openapi").output().expect("the binary runs");
    assert!(output.status.success());
    let committed = include_str!("../../openapi/openapi.json");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim_end(),
        committed.trim_end()
    );
}

#[tokio::test]
async fn production_never_loads_demo_data() {
    let database = fresh_database("mercato_e2e_production").await;
    let app = TestApp::spawn_with(&["--env", "production", "--database-url", &database]).await;
    let login = app
        .client()
        .login("admin@demo.mercato.dev", "mercato-demo-2026")
        .await;
    assert_eq!(
        login.expect_err("no demo accounts").code(),
        Some("auth.invalid_credentials")
    );
}

/// Resident memory of process `pid` in KiB (Linux only).
fn resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A child process killed when dropped, so a failing test leaves no server behind.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serve_loads_the_demo_dataset_in_a_child_process_and_stays_small() {
    // A database of this run's own (see `database_url`), so parallel suites do not collide.
    let run = database_url().rsplit('/').next().expect("a database name");
    let database = fresh_database(&format!("{run}_serve")).await;
    let mut server = KillOnDrop(
        mercato()
            .args(["--database-url", &database, "--listen", "127.0.0.1:0"])
            .args(["--log-format", "json", "--log", "info"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary runs"),
    );
    let stdout = server.0.stdout.take().expect("stdout");
    let (addr_tx, addr_rx) = std::sync::mpsc::channel::<String>();
    // Reads the log until the gateway listens, then keeps draining it.
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let Ok(entry) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let fields = &entry["fields"];
            if fields["message"] == "listening" && fields["service"] == "gateway" {
                let _ = addr_tx.send(fields["addr"].as_str().unwrap_or_default().to_owned());
            }
        }
    });
    let addr = tokio::task::spawn_blocking(move || {
        addr_rx.recv_timeout(std::time::Duration::from_secs(120))
    })
    .await
    .expect("joined")
    .expect("the server listens within two minutes");

    // Loading the dataset in the server's own process left about 300 MB resident (argon2
    // buffers the allocator keeps); an unseeded server holds about 20 MB.
    if let Some(kib) = resident_kib(server.0.id()) {
        assert!(kib < 150 * 1024, "the seeded server holds {kib} KiB");
    }
    let session = mercato::client::Client::new(format!("http://{addr}"))
        .login("customer@demo.mercato.dev", "mercato-demo-2026")
        .await
        .expect("the demo customer logs in");
    assert_eq!(session.user.email.as_str(), "customer@demo.mercato.dev");
}

#[tokio::test]
async fn user_create_reads_the_password_from_stdin() {
    let app = TestApp::spawn().await;
    let database = database_url();
    let email = unique_email();
    let mut child = mercato()
        .args([
            "--database-url",
            database,
            "user",
            "create",
            "--email",
            &email,
            "--role",
            "admin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"juniper-anchor-meadow-42\n")
        .expect("password written");
    let output = child.wait_with_output().expect("the command finishes");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );

    let session = app
        .client()
        .login(&email, "juniper-anchor-meadow-42")
        .await
        .expect("the new account logs in");
    assert_eq!(session.user.roles, vec![mercato::core::Role::Admin]);
}

#[test]
fn user_create_refuses_a_weak_password() {
    let mut child = mercato()
        .args(["--database-url", database_url()])
        .args([
            "user",
            "create",
            "--email",
            &unique_email(),
            "--role",
            "courier",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"password\n")
        .expect("written");
    let output = child.wait_with_output().expect("the command finishes");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("password"));
}
