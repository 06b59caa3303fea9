//! The country directory against a real PostgreSQL, with the launch markets the migrations
//! seed.

use mercato_core::geo::{CountryCode, CountryDirectory};
use mercato_store_postgres::PgStore;
use sqlx::PgPool;

fn code(code: &str) -> CountryCode {
    CountryCode::parse(code).expect("valid country code")
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_launch_market_is_served(pool: PgPool) {
    let store = PgStore::new(pool);

    assert!(store.is_served(&code("DE")).await.expect("query"));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_country_outside_the_directory_is_not_served(pool: PgPool) {
    let store = PgStore::new(pool);

    assert!(!store.is_served(&code("FR")).await.expect("query"));
}

#[sqlx::test(migrator = "mercato_store_postgres::MIGRATOR")]
async fn a_disabled_country_is_not_served(pool: PgPool) {
    sqlx::query("update geo.countries set enabled = false where code = 'JP'")
        .execute(&pool)
        .await
        .expect("disabled");
    let store = PgStore::new(pool);

    assert!(!store.is_served(&code("JP")).await.expect("query"));
}
