//! Identity's entities and the shapes they take on the wire.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::geo::CountryCode;
use crate::ids::{AddressId, CityId, SessionId, UserId};
use crate::principal::Role;

use super::email::Email;

/// A user account as its owner (and admins) see it. Never carries the password hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// Normalized email address; unique.
    pub email: Email,
    /// Display name.
    pub name: String,
    /// Phone number in E.164 form, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Home country, one the marketplace serves.
    pub country_code: CountryCode,
    /// Preferred locale (BCP 47), e.g. `de-DE`.
    pub locale: String,
    /// Roles held.
    pub roles: Vec<Role>,
    /// Last position reported by the user's device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<UserLocation>,
    /// When the account was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The customer's current position, as reported by their device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserLocation {
    /// Latitude in degrees, −90 to 90.
    pub lat: f64,
    /// Longitude in degrees, −180 to 180.
    pub lng: f64,
    /// Horizontal accuracy in metres, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
    /// Whether a city Mercato serves delivers to this position.
    pub deliverable: bool,
    /// The country serving the position, when deliverable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<CountryCode>,
    /// The city serving the position, when deliverable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_id: Option<CityId>,
    /// When it was reported.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Tokens handed out on registration, login and refresh. Its `Debug` hides the tokens.
#[derive(Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthSession {
    /// The authenticated user.
    pub user: User,
    /// Short-lived bearer token (JWT).
    pub access_token: String,
    /// Opaque single-use token that obtains the next access token.
    pub refresh_token: String,
    /// When the access token expires.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// A login session: one refresh-token family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The session's id.
    pub id: SessionId,
    /// When the session started (login or registration).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the session ends unless refreshed.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// The caller and their current session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// The authenticated user.
    pub user: User,
    /// The session the presented access token belongs to.
    pub session: Session,
}

/// `POST /api/auth/register`. Its `Debug` hides the password.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterRequest {
    /// Email address; normalized to lower case.
    pub email: String,
    /// 8–128 characters; common or guessable passwords are refused.
    pub password: String,
    /// Display name, 1–100 characters.
    pub name: String,
    /// Phone number in E.164 form (`+4930123456`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A country the marketplace serves (ISO 3166-1 alpha-2).
    pub country_code: String,
    /// Preferred locale (BCP 47); defaults to `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// `POST /api/auth/login`. Its `Debug` hides the password.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    /// Email address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// `POST /api/auth/refresh`. The token may instead come from the refresh cookie. Its `Debug`
/// hides the token.
#[derive(Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// `POST /api/auth/logout`, for a client whose access token has expired: the refresh token
/// names the session to end. Browsers send nothing; the refresh cookie does the same. Its
/// `Debug` hides the token.
#[derive(Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogoutRequest {
    /// The refresh token from the last login or refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// `PUT /api/users/profile`: replaces the editable profile fields. Anything else — `id`,
/// `email`, `roles` — is refused.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileUpdate {
    /// Display name, 1–100 characters.
    pub name: String,
    /// Phone number in E.164 form; absent or null removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Preferred locale (BCP 47).
    pub locale: String,
    /// A country the marketplace serves.
    pub country_code: String,
}

/// `POST /api/users/password`. Its `Debug` hides both passwords.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePasswordRequest {
    /// The password in use now.
    pub current_password: String,
    /// The new password; same policy as registration.
    pub new_password: String,
}

/// `POST /api/users/location`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocationUpdate {
    /// Latitude in degrees, −90 to 90.
    pub lat: f64,
    /// Longitude in degrees, −180 to 180.
    pub lng: f64,
    /// Horizontal accuracy in metres (0–100 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
}

/// A dietary tag, shared by customer preferences and menu items.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DietaryTag {
    /// No meat or fish.
    Vegetarian,
    /// No animal products.
    Vegan,
    /// No gluten.
    GlutenFree,
    /// No dairy.
    DairyFree,
    /// No nuts.
    NutFree,
    /// Halal.
    Halal,
    /// Kosher.
    Kosher,
}

/// Per-channel notification opt-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChannelOptIns {
    /// Mobile push notifications.
    pub push: bool,
    /// Email.
    pub email: bool,
    /// SMS.
    pub sms: bool,
    /// The in-app inbox.
    pub in_app: bool,
}

/// `GET/PUT /api/users/preferences`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Preferences {
    /// Language for messages (BCP 47), e.g. `ja`.
    pub language: String,
    /// Dietary needs, used to filter and badge menus.
    pub dietary_tags: Vec<DietaryTag>,
    /// Whether the user agreed to promotional messages.
    pub marketing_opt_in: bool,
    /// Which channels order updates may use.
    pub notifications: ChannelOptIns,
}

impl Preferences {
    /// What a new account starts with: every transactional channel on, marketing off.
    #[must_use]
    pub fn defaults_for(locale: &str) -> Self {
        Self {
            language: locale.to_owned(),
            dietary_tags: Vec::new(),
            marketing_opt_in: false,
            notifications: ChannelOptIns {
                push: true,
                email: true,
                sms: false,
                in_app: true,
            },
        }
    }
}

/// A saved delivery address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// The address's id.
    pub id: AddressId,
    /// The owner's own name for it ("Home", "Office").
    pub label: String,
    /// Street and number.
    pub line1: String,
    /// Flat, floor, building.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// Postal code, where the country has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Country.
    pub country_code: CountryCode,
    /// Latitude of the door.
    pub lat: f64,
    /// Longitude of the door.
    pub lng: f64,
    /// Notes for the courier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Whether checkout proposes this address first. Exactly one address is default while
    /// any exist.
    pub is_default: bool,
    /// When it was saved.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// `POST /api/users/addresses` and `PUT /api/users/addresses/{id}` (full replacement).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddressInput {
    /// 1–50 characters.
    pub label: String,
    /// 1–200 characters.
    pub line1: String,
    /// Up to 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    /// 1–100 characters.
    pub city: String,
    /// Up to 20 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_code: String,
    /// −90 to 90.
    pub lat: f64,
    /// −180 to 180.
    pub lng: f64,
    /// Up to 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Make this the default address (the first address always is).
    #[serde(default)]
    pub is_default: bool,
}

/// The user-facing fields of a new account, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Fresh id.
    pub id: UserId,
    /// Normalized email.
    pub email: Email,
    /// Display name.
    pub name: String,
    /// E.164 phone.
    pub phone: Option<String>,
    /// Served country.
    pub country_code: CountryCode,
    /// Locale.
    pub locale: String,
    /// Roles granted.
    pub roles: Vec<Role>,
}

/// A validated profile replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Display name.
    pub name: String,
    /// E.164 phone.
    pub phone: Option<String>,
    /// Locale.
    pub locale: String,
    /// Served country.
    pub country_code: CountryCode,
}

/// A validated address, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressFields {
    /// Label.
    pub label: String,
    /// Street.
    pub line1: String,
    /// Extra line.
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Country.
    pub country_code: CountryCode,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lng: f64,
    /// Courier notes.
    pub instructions: Option<String>,
    /// Requested default flag.
    pub is_default: bool,
}

/// What `Debug` prints in place of a secret.
pub(super) const REDACTED: &str = "***";

/// A secret that may be absent, for `Debug`: shows whether it is there, never what it is.
fn redacted_option(secret: Option<&String>) -> Option<&'static str> {
    secret.map(|_| REDACTED)
}

impl std::fmt::Debug for AuthSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSession")
            .field("user", &self.user)
            .field("access_token", &REDACTED)
            .field("refresh_token", &REDACTED)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl std::fmt::Debug for RegisterRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterRequest")
            .field("email", &self.email)
            .field("password", &REDACTED)
            .field("name", &self.name)
            .field("phone", &self.phone)
            .field("country_code", &self.country_code)
            .field("locale", &self.locale)
            .finish()
    }
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .field("password", &REDACTED)
            .finish()
    }
}

impl std::fmt::Debug for RefreshRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshRequest")
            .field(
                "refresh_token",
                &redacted_option(self.refresh_token.as_ref()),
            )
            .finish()
    }
}

impl std::fmt::Debug for LogoutRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogoutRequest")
            .field(
                "refresh_token",
                &redacted_option(self.refresh_token.as_ref()),
            )
            .finish()
    }
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangePasswordRequest")
            .field("current_password", &REDACTED)
            .field("new_password", &REDACTED)
            .finish()
    }
}
