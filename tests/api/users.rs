//! `/api/users/...` end to end.

use mercato::core::Role;
use mercato::core::geo::CountryCode;
use mercato::core::identity::{
    Address, AddressInput, ChangePasswordRequest, ChannelOptIns, DietaryTag, LocationUpdate,
    Preferences, ProfileUpdate, User,
};
use mercato::core::ids::AddressId;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{PASSWORD, TestApp, code, invalid_fields, problem_of};

const NEW_PASSWORD: &str = "copper-lantern-meadow-47";

fn home() -> AddressInput {
    AddressInput {
        label: "Home".to_owned(),
        line1: "Torstraße 1".to_owned(),
        line2: None,
        city: "Berlin".to_owned(),
        postal_code: Some("10119".to_owned()),
        country_code: "DE".to_owned(),
        lat: 52.5298,
        lng: 13.4015,
        instructions: None,
        is_default: false,
    }
}

fn address(label: &str) -> AddressInput {
    AddressInput {
        label: label.to_owned(),
        ..home()
    }
}

fn labels_and_defaults(addresses: &[Address]) -> Vec<(&str, bool)> {
    addresses
        .iter()
        .map(|a| (a.label.as_str(), a.is_default))
        .collect()
}

// --- profile --------------------------------------------------------------------------

#[tokio::test]
async fn profile_shows_the_callers_account() {
    let app = TestApp::spawn().await;
    let (client, session) = app.customer().await;

    let me = client.profile().await.expect("profile");

    assert_eq!(me, session.user);
    assert_eq!(me.roles, [Role::Customer]);
}

#[tokio::test]
async fn profile_update_replaces_the_editable_fields() {
    let app = TestApp::spawn().await;
    let (client, session) = app.customer().await;
    let update = ProfileUpdate {
        name: "  Kenji Tanaka ".to_owned(),
        phone: Some("+81 3-1234-5678".to_owned()),
        locale: "ja_jp".to_owned(),
        country_code: "jp".to_owned(),
    };

    let updated = client.update_profile(&update).await.expect("updated");

    let expected = User {
        name: "Kenji Tanaka".to_owned(),
        phone: Some("+81312345678".to_owned()),
        locale: "ja-JP".to_owned(),
        country_code: CountryCode::parse("JP").expect("valid"),
        ..session.user
    };
    assert_eq!(updated, expected);
    assert_eq!(client.profile().await.expect("profile"), expected);
}

#[tokio::test]
async fn profile_update_without_a_phone_removes_it() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let update = ProfileUpdate {
        name: "Test Customer".to_owned(),
        phone: None,
        locale: "de-DE".to_owned(),
        country_code: "DE".to_owned(),
    };

    client.update_profile(&update).await.expect("updated");

    assert_eq!(client.profile().await.expect("profile").phone, None);
}

#[tokio::test]
async fn profile_update_refuses_protected_fields_and_applies_nothing() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let before = client.profile().await.expect("profile");
    let protected = [
        ("id", json!(uuid::Uuid::now_v7())),
        ("email", json!("mallory@example.com")),
        ("roles", json!(["admin"])),
    ];

    for (field, value) in protected {
        let mut body = json!({
            "name": "Mallory",
            "locale": "en",
            "countryCode": "US",
        });
        body[field] = value;

        let (status, problem) = problem_of(
            client
                .request(Method::PUT, "/api/users/profile")
                .json(&body),
        )
        .await;

        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(problem.errors.len(), 1, "{field}: {problem:?}");
        assert_eq!(problem.errors[0].field, field);
        assert_eq!(client.profile().await.expect("profile"), before, "{field}");
    }
}

#[tokio::test]
async fn profile_update_names_every_invalid_field() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let update = ProfileUpdate {
        name: String::new(),
        phone: Some("030 123".to_owned()),
        locale: "english".to_owned(),
        country_code: "Germany".to_owned(),
    };

    let result = client.update_profile(&update).await;

    assert_eq!(
        invalid_fields(result),
        ["countryCode", "locale", "name", "phone"]
    );
}

#[tokio::test]
async fn profile_update_refuses_a_country_mercato_does_not_serve() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let update = ProfileUpdate {
        name: "Test Customer".to_owned(),
        phone: None,
        locale: "fr-FR".to_owned(),
        country_code: "FR".to_owned(),
    };

    let result = client.update_profile(&update).await;

    assert_eq!(invalid_fields(result), ["countryCode"]);
}

// --- password -------------------------------------------------------------------------

fn change_to(new_password: &str) -> ChangePasswordRequest {
    ChangePasswordRequest {
        current_password: PASSWORD.to_owned(),
        new_password: new_password.to_owned(),
    }
}

#[tokio::test]
async fn changing_the_password_requires_the_current_one() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let request = ChangePasswordRequest {
        current_password: "not-my-password-at-all".to_owned(),
        new_password: NEW_PASSWORD.to_owned(),
    };

    let result = client.change_password(&request).await;

    let err = result.expect_err("refused");
    assert_eq!(
        (err.status(), err.code()),
        (
            Some(StatusCode::UNPROCESSABLE_ENTITY),
            Some("validation.failed")
        )
    );
    let errors = &err.problem().expect("a problem").errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].field.as_str(), errors[0].message.as_str()),
        ("currentPassword", "is incorrect")
    );
}

#[tokio::test]
async fn wrong_current_passwords_are_throttled_even_against_the_right_one() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    for attempt in 1..=5 {
        let guess = ChangePasswordRequest {
            current_password: format!("guessed-password-{attempt}"),
            new_password: NEW_PASSWORD.to_owned(),
        };
        assert_eq!(
            invalid_fields(client.change_password(&guess).await),
            ["currentPassword"],
            "attempt {attempt}"
        );
    }

    let result = client.change_password(&change_to(NEW_PASSWORD)).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::TOO_MANY_REQUESTS),
            "auth.too_many_attempts".to_owned()
        )
    );
}

#[tokio::test]
async fn changing_to_a_weak_password_is_refused() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    let result = client.change_password(&change_to("password123")).await;

    assert_eq!(invalid_fields(result), ["newPassword"]);
}

#[tokio::test]
async fn after_a_password_change_only_the_new_password_logs_in() {
    let app = TestApp::spawn().await;
    let (client, session) = app.customer().await;
    let email = session.user.email.as_str();

    client
        .change_password(&change_to(NEW_PASSWORD))
        .await
        .expect("changed");

    assert_eq!(
        code(app.client().login(email, PASSWORD).await).1,
        "auth.invalid_credentials"
    );
    app.client()
        .login(email, NEW_PASSWORD)
        .await
        .expect("the new password logs in");
}

#[tokio::test]
async fn a_password_change_keeps_the_current_session() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    client
        .change_password(&change_to(NEW_PASSWORD))
        .await
        .expect("changed");

    client.profile().await.expect("still logged in");
}

#[tokio::test]
async fn a_password_change_ends_the_users_other_sessions() {
    let app = TestApp::spawn().await;
    let (client, session) = app.customer().await;
    let elsewhere = app.client();
    elsewhere
        .login(session.user.email.as_str(), PASSWORD)
        .await
        .expect("second login");

    client
        .change_password(&change_to(NEW_PASSWORD))
        .await
        .expect("changed");

    assert_eq!(
        code(elsewhere.profile().await),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.session_ended".to_owned()
        )
    );
}

// --- location -------------------------------------------------------------------------

#[tokio::test]
async fn a_reported_location_is_recorded_and_echoed() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let update = LocationUpdate {
        lat: 52.52,
        lng: 13.405,
        accuracy_m: Some(25.0),
    };

    let echoed = client.set_location(&update).await.expect("recorded");

    assert_eq!(
        (echoed.lat, echoed.lng, echoed.accuracy_m),
        (52.52, 13.405, Some(25.0))
    );
    let stored = client.profile().await.expect("profile").location;
    assert_eq!(stored, Some(echoed));
}

#[tokio::test]
async fn a_reported_location_is_resolved_to_the_city_serving_it() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let berlin = LocationUpdate {
        lat: 52.52,
        lng: 13.405,
        accuracy_m: None,
    };

    let located = client.set_location(&berlin).await.expect("recorded");

    assert!(located.deliverable);
    assert_eq!(
        located.country_code.as_ref().map(|c| c.as_str()),
        Some("DE")
    );
    let city = client
        .city(located.city_id.expect("a city"))
        .await
        .expect("the city exists");
    assert_eq!(city.name, "Berlin");
}

#[tokio::test]
async fn a_location_no_city_serves_is_recorded_as_not_deliverable() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let mid_atlantic = LocationUpdate {
        lat: 30.0,
        lng: -40.0,
        accuracy_m: None,
    };

    let located = client.set_location(&mid_atlantic).await.expect("recorded");

    assert!(!located.deliverable);
    assert_eq!((located.country_code, located.city_id), (None, None));
}

#[tokio::test]
async fn an_out_of_range_location_names_every_bad_field() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let update = LocationUpdate {
        lat: 91.0,
        lng: 200.0,
        accuracy_m: Some(-1.0),
    };

    let result = client.set_location(&update).await;

    assert_eq!(invalid_fields(result), ["accuracyM", "lat", "lng"]);
}

#[tokio::test]
async fn a_location_given_as_strings_is_refused() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    let (status, problem) = problem_of(
        client
            .request(Method::POST, "/api/users/location")
            .json(&json!({ "lat": "52.52", "lng": 13.405 })),
    )
    .await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation.failed")
    );
    assert_eq!(problem.errors[0].field, "lat");
}

// --- preferences ----------------------------------------------------------------------

fn vegan_preferences() -> Preferences {
    Preferences {
        language: "ja".to_owned(),
        dietary_tags: vec![DietaryTag::Vegan, DietaryTag::NutFree],
        marketing_opt_in: true,
        notifications: ChannelOptIns {
            push: false,
            email: true,
            sms: true,
            in_app: false,
        },
    }
}

#[tokio::test]
async fn a_new_account_starts_with_transactional_channels_on_and_marketing_off() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    let preferences = client.preferences().await.expect("preferences");

    assert_eq!(
        preferences,
        Preferences {
            language: "de-DE".to_owned(),
            dietary_tags: vec![],
            marketing_opt_in: false,
            notifications: ChannelOptIns {
                push: true,
                email: true,
                sms: false,
                in_app: true,
            },
        }
    );
}

#[tokio::test]
async fn put_preferences_replaces_them() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    let stored = client
        .put_preferences(&vegan_preferences())
        .await
        .expect("stored");

    assert_eq!(stored, vegan_preferences());
    assert_eq!(client.preferences().await.expect("read back"), stored);
}

#[tokio::test]
async fn preferences_refuse_an_unknown_dietary_tag() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let mut body = serde_json::to_value(vegan_preferences()).expect("serializes");
    body["dietaryTags"] = json!(["vegan", "paleo"]);

    let (status, problem) = problem_of(
        client
            .request(Method::PUT, "/api/users/preferences")
            .json(&body),
    )
    .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem.errors[0].field, "dietaryTags[1]");
}

#[tokio::test]
async fn preferences_refuse_a_missing_field() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let mut body = serde_json::to_value(vegan_preferences()).expect("serializes");
    body.as_object_mut()
        .expect("an object")
        .remove("marketingOptIn");

    let (status, problem) = problem_of(
        client
            .request(Method::PUT, "/api/users/preferences")
            .json(&body),
    )
    .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem.errors[0].field, "marketingOptIn");
}

#[tokio::test]
async fn preferences_refuse_a_malformed_language() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let preferences = Preferences {
        language: "klingon!".to_owned(),
        ..vegan_preferences()
    };

    let result = client.put_preferences(&preferences).await;

    assert_eq!(invalid_fields(result), ["language"]);
}

// --- addresses ------------------------------------------------------------------------

#[tokio::test]
async fn the_first_address_becomes_the_default() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    let saved = client.create_address(&home()).await.expect("saved");

    assert!(saved.is_default);
    assert_eq!(
        (
            saved.label.as_str(),
            saved.line1.as_str(),
            saved.city.as_str()
        ),
        ("Home", "Torstraße 1", "Berlin")
    );
    assert_eq!(client.addresses().await.expect("listed"), [saved]);
}

#[tokio::test]
async fn a_new_default_address_becomes_the_only_default() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    client.create_address(&address("Home")).await.expect("home");

    client
        .create_address(&AddressInput {
            is_default: true,
            ..address("Office")
        })
        .await
        .expect("office");

    let listed = client.addresses().await.expect("listed");
    assert_eq!(
        labels_and_defaults(&listed),
        [("Office", true), ("Home", false)]
    );
}

#[tokio::test]
async fn addresses_are_listed_default_first() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    for label in ["Home", "Office", "Gym"] {
        client.create_address(&address(label)).await.expect("saved");
    }

    let listed = client.addresses().await.expect("listed");

    assert_eq!(listed[0].label, "Home");
    assert_eq!(
        listed.iter().filter(|a| a.is_default).count(),
        1,
        "{listed:?}"
    );
}

#[tokio::test]
async fn updating_an_address_replaces_its_fields() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let saved = client.create_address(&home()).await.expect("saved");
    let replacement = AddressInput {
        label: "Studio".to_owned(),
        line2: Some("3rd floor".to_owned()),
        postal_code: None,
        instructions: Some("Ring twice".to_owned()),
        ..home()
    };

    let updated = client
        .update_address(saved.id, &replacement)
        .await
        .expect("updated");

    assert_eq!(updated.id, saved.id);
    assert_eq!(
        (
            updated.label.as_str(),
            updated.line2.as_deref(),
            updated.postal_code.as_deref(),
            updated.instructions.as_deref(),
        ),
        ("Studio", Some("3rd floor"), None, Some("Ring twice"))
    );
    assert_eq!(client.addresses().await.expect("listed"), [updated]);
}

#[tokio::test]
async fn deleting_the_default_address_promotes_another() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let home = client.create_address(&address("Home")).await.expect("home");
    client
        .create_address(&address("Office"))
        .await
        .expect("office");

    client.delete_address(home.id).await.expect("deleted");

    let listed = client.addresses().await.expect("listed");
    assert_eq!(labels_and_defaults(&listed), [("Office", true)]);
}

#[tokio::test]
async fn another_customer_cannot_update_my_address() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.customer().await;
    let (other, _) = app.customer().await;
    let saved = owner.create_address(&home()).await.expect("saved");

    let result = other.update_address(saved.id, &address("Mine now")).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::NOT_FOUND),
            "addresses.not_found".to_owned()
        )
    );
    assert_eq!(owner.addresses().await.expect("listed"), [saved]);
}

#[tokio::test]
async fn another_customer_cannot_delete_my_address() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.customer().await;
    let (other, _) = app.customer().await;
    let saved = owner.create_address(&home()).await.expect("saved");

    let result = other.delete_address(saved.id).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::NOT_FOUND),
            "addresses.not_found".to_owned()
        )
    );
    assert_eq!(owner.addresses().await.expect("listed"), [saved]);
}

#[tokio::test]
async fn another_customer_does_not_see_my_addresses() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.customer().await;
    let (other, _) = app.customer().await;
    owner.create_address(&home()).await.expect("saved");

    let listed = other.addresses().await.expect("listed");

    assert_eq!(listed, []);
}

#[tokio::test]
async fn updating_an_address_that_does_not_exist_is_not_found() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    let result = client.update_address(AddressId::new(), &home()).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::NOT_FOUND),
            "addresses.not_found".to_owned()
        )
    );
}

#[tokio::test]
async fn a_malformed_address_id_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;

    let (status, problem) =
        problem_of(client.request(Method::DELETE, "/api/users/addresses/not-a-uuid")).await;

    assert_eq!(
        (status, problem.code.as_str()),
        (StatusCode::BAD_REQUEST, "http.invalid_path")
    );
}

#[tokio::test]
async fn the_twenty_first_address_is_refused() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    for n in 1..=20 {
        client
            .create_address(&address(&format!("Address {n}")))
            .await
            .expect("within the limit");
    }

    let result = client.create_address(&address("One too many")).await;

    assert_eq!(
        code(result),
        (
            Some(StatusCode::CONFLICT),
            "addresses.limit_reached".to_owned()
        )
    );
    assert_eq!(client.addresses().await.expect("listed").len(), 20);
}

#[tokio::test]
async fn an_invalid_address_names_every_bad_field() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let input = AddressInput {
        label: String::new(),
        line1: " ".to_owned(),
        line2: None,
        city: String::new(),
        postal_code: Some("1".repeat(21)),
        country_code: "Germany".to_owned(),
        lat: -90.5,
        lng: 181.0,
        instructions: Some("x".repeat(501)),
        is_default: false,
    };

    let result = client.create_address(&input).await;

    assert_eq!(
        invalid_fields(result),
        [
            "city",
            "countryCode",
            "instructions",
            "label",
            "lat",
            "line1",
            "lng",
            "postalCode"
        ]
    );
}

#[tokio::test]
async fn every_users_route_requires_authentication() {
    let app = TestApp::spawn().await;
    let some_address = format!("/api/users/addresses/{}", AddressId::new());
    let routes = [
        (Method::GET, "/api/users/profile"),
        (Method::PUT, "/api/users/profile"),
        (Method::POST, "/api/users/password"),
        (Method::POST, "/api/users/location"),
        (Method::GET, "/api/users/preferences"),
        (Method::PUT, "/api/users/preferences"),
        (Method::GET, "/api/users/addresses"),
        (Method::POST, "/api/users/addresses"),
        (Method::PUT, some_address.as_str()),
        (Method::DELETE, some_address.as_str()),
    ];

    for (method, path) in routes {
        let (status, problem) = problem_of(app.client().request(method.clone(), path)).await;

        assert_eq!(
            (status, problem.code.as_str()),
            (StatusCode::UNAUTHORIZED, "auth.unauthenticated"),
            "{method} {path}"
        );
    }
}
