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

/// The generated document as JSON, for looking at single operations.
fn spec() -> serde_json::Value {
    serde_json::to_value(mercato::server::openapi()).expect("spec serializes")
}

/// The schema of `operation`'s parameter `name`.
fn parameter_schema(operation: &serde_json::Value, name: &str) -> serde_json::Value {
    operation["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("parameter {name}"))["schema"]
        .clone()
}

#[test]
fn discovery_parameters_declare_their_bounds() {
    let spec = spec();
    let discover = &spec["paths"]["/api/merchants"]["get"];

    let bounds = |name: &str, keys: &[&str]| {
        let schema = parameter_schema(discover, name);
        keys.iter().map(|k| schema[*k].clone()).collect::<Vec<_>>()
    };

    assert_eq!(bounds("lat", &["minimum", "maximum"]), [-90, 90]);
    assert_eq!(bounds("lng", &["minimum", "maximum"]), [-180, 180]);
    assert_eq!(
        bounds("limit", &["minimum", "maximum", "default"]),
        [1, 50, 20]
    );
    assert_eq!(bounds("q", &["minLength", "maxLength"]), [2, 100]);
    assert_eq!(bounds("cuisine", &["maxLength"]), [40]);
}

#[test]
fn an_operation_by_id_declares_the_malformed_id_response() {
    let spec = spec();

    let merchant = &spec["paths"]["/api/merchants/{id}"]["get"]["responses"]["400"];

    assert_eq!(
        merchant["description"],
        "`http.invalid_path` (a malformed id)"
    );
}

#[test]
fn an_operation_with_query_parameters_declares_validation_failures() {
    let spec = spec();

    let reviews = &spec["paths"]["/api/merchants/{id}/reviews"]["get"]["responses"];

    assert!(reviews["422"].is_object(), "{reviews}");
}

#[test]
fn a_not_modified_menu_declares_its_etag() {
    let spec = spec();

    let not_modified = &spec["paths"]["/api/merchants/{id}/menu"]["get"]["responses"]["304"];

    assert!(
        not_modified["headers"]["ETag"].is_object(),
        "{not_modified}"
    );
}

/// Every `$ref` in `value`, depth first.
fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, member) in map {
                match (key.as_str(), member) {
                    ("$ref", serde_json::Value::String(target)) => found.push(target.clone()),
                    _ => refs(member, found),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

#[test]
fn every_reference_in_the_spec_resolves() {
    let spec = spec();
    let mut found = Vec::new();
    refs(&spec, &mut found);
    assert!(found.len() > 100, "the document refers to its schemas");

    let unresolved: std::collections::BTreeSet<&String> = found
        .iter()
        .filter(|target| {
            let pointer = target.strip_prefix('#').unwrap_or(target);
            spec.pointer(pointer).is_none()
        })
        .collect();

    assert!(
        unresolved.is_empty(),
        "unresolved references: {unresolved:?}"
    );
}

#[test]
fn the_committed_spec_resolves_every_reference_too() {
    let committed: serde_json::Value =
        serde_json::from_str(include_str!("../../openapi/openapi.json")).expect("JSON");
    let mut found = Vec::new();
    refs(&committed, &mut found);

    let unresolved: Vec<&String> = found
        .iter()
        .filter(|target| committed.pointer(target.trim_start_matches('#')).is_none())
        .collect();

    assert!(
        unresolved.is_empty(),
        "unresolved references: {unresolved:?}"
    );
}
