//! Mercato: the customer-side backend of a multi-country delivery marketplace.
//!
//! This facade re-exports the workspace's crates so a program can depend on one package:
//! [`core`] (domain and use cases, no I/O), [`store`] (PostgreSQL), [`server`] (HTTP),
//! [`client`] (typed HTTP client) and [`demo_data`] (the demo dataset and accounts).

pub use mercato_client as client;
pub use mercato_core as core;
pub use mercato_demo as demo_data;
pub use mercato_server as server;
pub use mercato_store_postgres as store;
