//! The committed OpenAPI document must be exactly what the server generates.

use crate::support::TestApp;

#[test]
fn committed_spec_matches_the_generated_one() {
    let generated = mercato::server::cli::openapi_json().expect("spec generates");
    let committed = include_str!("../../openapi/openapi.json");
    assert!(
        committed.trim_end() == generated.trim_end(),
        "openapi/openapi.json is stale: run `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[tokio::test]
async fn the_served_spec_is_the_generated_one() {
    let app = TestApp::spawn().await;
    let served = app.client().openapi().await.expect("spec served");
    let generated = serde_json::to_value(mercato::server::openapi()).expect("spec serializes");
    assert_eq!(served, generated);
    assert!(served["components"]["securitySchemes"]["bearer"].is_object());
    assert!(served["components"]["securitySchemes"]["cookie"].is_object());
}
