//! `/api/locations/...`: countries, cities, and what can be delivered to a point. Reads are
//! public; writes are for administrators.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mercato_core::geo::{
    CategoryToggle, City, CityInput, Country, CountryInput, Resolution, ServiceCategory,
};
use mercato_core::ids::CityId;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery, Auth, JsonBody};
use crate::state::AppState;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_countries, create_country))
        .routes(routes!(update_country))
        .routes(routes!(list_cities, create_city))
        .routes(routes!(get_city, update_city))
        .routes(routes!(set_city_category))
        .routes(routes!(resolve))
}

/// `GET /api/locations/resolve` query.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResolveParams {
    /// Latitude, −90 to 90.
    #[param(minimum = -90, maximum = 90)]
    lat: f64,
    /// Longitude, −180 to 180.
    #[param(minimum = -180, maximum = 180)]
    lng: f64,
}

/// The countries Mercato serves, with currency and tax regime.
#[utoipa::path(get, path = "/api/locations/countries", tag = "locations",
    responses((status = 200, description = "Served countries", body = Vec<Country>)))]
async fn list_countries(State(state): State<AppState>) -> Result<Json<Vec<Country>>, ApiError> {
    Ok(Json(state.geo.countries().await?))
}

/// Admin: add a country.
#[utoipa::path(post, path = "/api/locations/countries", tag = "locations",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CountryInput,
    responses(
        (status = 201, description = "Created", body = Country),
        (status = 403, description = "`locations.admin_only`"),
        (status = 409, description = "`locations.country_exists`")
    ))]
async fn create_country(
    State(state): State<AppState>,
    Auth(principal): Auth,
    body: JsonBody<CountryInput>,
) -> Result<(StatusCode, Json<Country>), ApiError> {
    state.geo.authorize_admin(&principal)?;
    let input = body.parse()?;
    Ok((
        StatusCode::CREATED,
        Json(state.geo.create_country(&principal, input).await?),
    ))
}

/// Admin: replace a country.
#[utoipa::path(put, path = "/api/locations/countries/{code}", tag = "locations",
    security(("bearer" = []), ("cookie" = [])),
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code")),
    request_body = CountryInput,
    responses(
        (status = 200, description = "Updated", body = Country),
        (status = 403, description = "`locations.admin_only`"),
        (status = 404, description = "`locations.country_not_found`")
    ))]
async fn update_country(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(code): ApiPath<String>,
    body: JsonBody<CountryInput>,
) -> Result<Json<Country>, ApiError> {
    state.geo.authorize_admin(&principal)?;
    let input = body.parse()?;
    Ok(Json(
        state.geo.update_country(&principal, &code, input).await?,
    ))
}

/// The cities of a served country, with their enabled categories.
#[utoipa::path(get, path = "/api/locations/countries/{code}/cities", tag = "locations",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code")),
    responses(
        (status = 200, description = "Cities", body = Vec<City>),
        (status = 404, description = "`locations.country_not_found`")
    ))]
async fn list_cities(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Vec<City>>, ApiError> {
    Ok(Json(state.geo.cities(&code).await?))
}

/// Admin: add a city to a country.
#[utoipa::path(post, path = "/api/locations/countries/{code}/cities", tag = "locations",
    security(("bearer" = []), ("cookie" = [])),
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code")),
    request_body = CityInput,
    responses(
        (status = 201, description = "Created", body = City),
        (status = 403, description = "`locations.admin_only`"),
        (status = 404, description = "`locations.country_not_found`")
    ))]
async fn create_city(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(code): ApiPath<String>,
    body: JsonBody<CityInput>,
) -> Result<(StatusCode, Json<City>), ApiError> {
    state.geo.authorize_admin(&principal)?;
    let input = body.parse()?;
    Ok((
        StatusCode::CREATED,
        Json(state.geo.create_city(&principal, &code, input).await?),
    ))
}

/// A city with its delivery zone and enabled categories.
#[utoipa::path(get, path = "/api/locations/cities/{id}", tag = "locations",
    params(("id" = CityId, Path, description = "City id")),
    responses(
        (status = 200, description = "The city", body = City),
        (status = 404, description = "`locations.city_not_found`")
    ))]
async fn get_city(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<CityId>,
) -> Result<Json<City>, ApiError> {
    Ok(Json(state.geo.city(id).await?))
}

/// Admin: replace a city.
#[utoipa::path(put, path = "/api/locations/cities/{id}", tag = "locations",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = CityId, Path, description = "City id")),
    request_body = CityInput,
    responses(
        (status = 200, description = "Updated", body = City),
        (status = 403, description = "`locations.admin_only`"),
        (status = 404, description = "`locations.city_not_found`")
    ))]
async fn update_city(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath(id): ApiPath<CityId>,
    body: JsonBody<CityInput>,
) -> Result<Json<City>, ApiError> {
    state.geo.authorize_admin(&principal)?;
    let input = body.parse()?;
    Ok(Json(state.geo.update_city(&principal, id, input).await?))
}

/// Admin: enable or disable a service category in a city.
#[utoipa::path(put, path = "/api/locations/cities/{id}/categories/{category}", tag = "locations",
    security(("bearer" = []), ("cookie" = [])),
    params(
        ("id" = CityId, Path, description = "City id"),
        ("category" = ServiceCategory, Path, description = "Service category")
    ),
    request_body = CategoryToggle,
    responses(
        (status = 200, description = "The updated city", body = City),
        (status = 403, description = "`locations.admin_only`"),
        (status = 404, description = "`locations.city_not_found`")
    ))]
async fn set_city_category(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiPath((id, category)): ApiPath<(CityId, ServiceCategory)>,
    body: JsonBody<CategoryToggle>,
) -> Result<Json<City>, ApiError> {
    state.geo.authorize_admin(&principal)?;
    let toggle = body.parse()?;
    Ok(Json(
        state
            .geo
            .set_city_category(&principal, id, category, toggle)
            .await?,
    ))
}

/// What can be delivered to a point: its city, country and enabled categories. A point no
/// city serves answers 200 with `deliverable: false`.
#[utoipa::path(get, path = "/api/locations/resolve", tag = "locations",
    params(ResolveParams),
    responses(
        (status = 200, description = "Resolution", body = Resolution),
        (status = 422, description = "`validation.failed` (coordinates out of range)")
    ))]
async fn resolve(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ResolveParams>,
) -> Result<Json<Resolution>, ApiError> {
    Ok(Json(state.geo.resolve(params.lat, params.lng).await?))
}
