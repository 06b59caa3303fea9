//! The `mercato` binary: parses the command line and hands it to the server crate.

use clap::Parser as _;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    mercato_server::cli::run(mercato_server::cli::Cli::parse()).await
}
