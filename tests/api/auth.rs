//! `/api/auth/...` end to end.

use mercato::client::ClientError;
use reqwest::StatusCode;

use crate::support::{PASSWORD, TestApp, registration, unique_email};

fn code(result: Result<impl std::fmt::Debug, ClientError>) -> (Option<StatusCode>, String) {
    let err = result.expect_err("the call should fail");
    (err.status(), err.code().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn registration_returns_tokens_and_the_normalized_user() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let email = unique_email();
    let session = client
        .register(&registration(&format!("  {}  ", email.to_uppercase())))
        .await
        .expect("registered");
    assert_eq!(session.user.email.as_str(), email);
    assert_eq!(session.user.phone.as_deref(), Some("+49301234567"));
    assert!(!session.access_token.is_empty() && !session.refresh_token.is_empty());
    let me = client.profile().await.expect("profile with the new token");
    assert_eq!(me.id, session.user.id);
}

#[tokio::test]
async fn registering_an_existing_email_is_a_conflict() {
    let app = TestApp::spawn().await;
    let email = unique_email();
    app.client()
        .register(&registration(&email))
        .await
        .expect("first registration");
    let again = app
        .client()
        .register(&registration(&email.to_uppercase()))
        .await;
    assert_eq!(
        code(again),
        (Some(StatusCode::CONFLICT), "auth.email_taken".to_owned())
    );
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_identical_bodies() {
    let app = TestApp::spawn().await;
    let (_, session) = app.customer().await;
    let wrong_password = app
        .client()
        .login(session.user.email.as_str(), "not-the-password-at-all")
        .await;
    let unknown_email = app.client().login(&unique_email(), PASSWORD).await;
    let (wrong, unknown) = (
        wrong_password.expect_err("refused"),
        unknown_email.expect_err("refused"),
    );
    assert_eq!(wrong.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(wrong.problem(), unknown.problem());
}

#[tokio::test]
async fn logout_revokes_the_access_token_everywhere() {
    let app = TestApp::spawn().await;
    let (client, _) = app.customer().await;
    let token = client.access_token();
    client.logout().await.expect("logged out");
    client.set_access_token(token);
    assert_eq!(
        code(client.profile().await),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.session_ended".to_owned()
        )
    );
}

#[tokio::test]
async fn presenting_a_spent_refresh_token_revokes_the_session() {
    let app = TestApp::spawn().await;
    let (client, first) = app.customer().await;
    let second = client.refresh().await.expect("first refresh rotates");
    assert_ne!(second.refresh_token, first.refresh_token);
    let reuse = client.refresh_with(Some(&first.refresh_token)).await;
    assert_eq!(
        code(reuse),
        (
            Some(StatusCode::UNAUTHORIZED),
            "auth.refresh_token_reused".to_owned()
        )
    );
    // The thief's reuse ended the session for the rightful holder too.
    assert_eq!(code(client.profile().await).1, "auth.session_ended");
    assert_eq!(code(client.refresh().await).1, "auth.refresh_token_invalid");
}
