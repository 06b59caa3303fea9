//! End-to-end tests: the real server on port 0, the real PostgreSQL, the typed client.

mod auth;
mod carts;
mod cli;
mod conventions;
mod examples;
mod fulfilment;
mod locations;
mod merchant_apps;
mod merchants;
mod openapi;
mod orders;
mod support;
mod users;
