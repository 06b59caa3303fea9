//! `/api/users/...`: the caller's profile, password, location, preferences and addresses.
//! Every route acts on the caller's own data only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mercato_core::identity::{
    Address, AddressInput, ChangePasswordRequest, LocationUpdate, Preferences, ProfileUpdate, User,
    UserLocation,
};
use mercato_core::ids::AddressId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::state::AppState;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(change_password))
        .routes(routes!(set_location))
        .routes(routes!(get_preferences, put_preferences))
        .routes(routes!(list_addresses, create_address))
        .routes(routes!(update_address, delete_address))
}

/// The caller's profile.
#[utoipa::path(get, path = "/api/users/profile", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The profile", body = User),
        (status = 401, description = "`auth.unauthenticated`")
    ))]
async fn get_profile(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<Json<User>, ApiError> {
    Ok(Json(state.identity.profile(&principal).await?))
}

/// Replace the caller's name, phone, locale and country. Other fields (`id`, `email`,
/// `roles`…) are refused with 422.
#[utoipa::path(put, path = "/api/users/profile", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The updated profile", body = User),
        (status = 422, description = "`validation.failed`")
    ))]
async fn put_profile(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(update): ApiJson<ProfileUpdate>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(
        state.identity.update_profile(&principal, update).await?,
    ))
}

/// Change the password. Requires the current one; ends every other session. Wrong current
/// passwords are limited per user like failed logins.
#[utoipa::path(post, path = "/api/users/password", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 422, description = "`validation.failed`: `newPassword` is weak, or `currentPassword` is incorrect"),
        (status = 429, description = "`auth.too_many_attempts` (too many wrong current passwords), with `Retry-After`"),
        (status = 503, description = "`auth.busy` (password hashing saturated), with `Retry-After`")
    ))]
async fn change_password(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    state.identity.change_password(&principal, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Report the customer's current position (used by discovery).
#[utoipa::path(post, path = "/api/users/location", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    request_body = LocationUpdate,
    responses(
        (status = 200, description = "Recorded", body = UserLocation),
        (status = 422, description = "`validation.failed` (coordinates out of range)")
    ))]
async fn set_location(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(update): ApiJson<LocationUpdate>,
) -> Result<Json<UserLocation>, ApiError> {
    Ok(Json(state.identity.set_location(&principal, update).await?))
}

/// The caller's preferences.
#[utoipa::path(get, path = "/api/users/preferences", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Preferences", body = Preferences)))]
async fn get_preferences(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<Json<Preferences>, ApiError> {
    Ok(Json(state.identity.preferences(&principal).await?))
}

/// Replace the caller's preferences.
#[utoipa::path(put, path = "/api/users/preferences", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    request_body = Preferences,
    responses(
        (status = 200, description = "Stored preferences", body = Preferences),
        (status = 422, description = "`validation.failed`")
    ))]
async fn put_preferences(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(preferences): ApiJson<Preferences>,
) -> Result<Json<Preferences>, ApiError> {
    Ok(Json(
        state
            .identity
            .put_preferences(&principal, preferences)
            .await?,
    ))
}

/// The caller's saved delivery addresses, default first.
#[utoipa::path(get, path = "/api/users/addresses", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Addresses", body = Vec<Address>)))]
async fn list_addresses(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<Json<Vec<Address>>, ApiError> {
    Ok(Json(state.identity.list_addresses(&principal).await?))
}

/// Save a delivery address. The first one becomes the default.
#[utoipa::path(post, path = "/api/users/addresses", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    request_body = AddressInput,
    responses(
        (status = 201, description = "Saved", body = Address),
        (status = 409, description = "`addresses.limit_reached`"),
        (status = 422, description = "`validation.failed`")
    ))]
async fn create_address(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiJson(input): ApiJson<AddressInput>,
) -> Result<(StatusCode, Json<Address>), ApiError> {
    let address = state.identity.create_address(&principal, input).await?;
    Ok((StatusCode::CREATED, Json(address)))
}

/// Replace one of the caller's addresses.
#[utoipa::path(put, path = "/api/users/addresses/{id}", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = AddressId, Path, description = "Address id")),
    request_body = AddressInput,
    responses(
        (status = 200, description = "Updated", body = Address),
        (status = 404, description = "`addresses.not_found` (also for other users' addresses)"),
        (status = 422, description = "`validation.failed`")
    ))]
async fn update_address(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<AddressId>,
    ApiJson(input): ApiJson<AddressInput>,
) -> Result<Json<Address>, ApiError> {
    Ok(Json(
        state.identity.update_address(&principal, id, input).await?,
    ))
}

/// Delete one of the caller's addresses.
#[utoipa::path(delete, path = "/api/users/addresses/{id}", tag = "users",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = AddressId, Path, description = "Address id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "`addresses.not_found`")
    ))]
async fn delete_address(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<AddressId>,
) -> Result<StatusCode, ApiError> {
    state.identity.delete_address(&principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
