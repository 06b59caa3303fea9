//! Catalog entities — merchants, menus, reviews — and their wire shapes.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::delivery::FeeBand;
use super::hours::OpeningHours;
use crate::geo::{CountryCode, LatLng, ServiceCategory, TaxClass};
use crate::identity::DietaryTag;
use crate::ids::{
    CityId, ItemId, MerchantId, OptionGroupId, OptionId, ReviewId, SectionId, UserId,
};
use crate::money::{CurrencyCode, Money};

/// Average rating and how many reviews it is made of.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rating {
    /// Average of merchant ratings, 1–5, rounded to two decimals; 0 without reviews.
    pub average: f64,
    /// Number of reviews.
    pub count: u32,
}

/// A merchant as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Merchant {
    /// The merchant's id.
    pub id: MerchantId,
    /// Public name.
    pub name: String,
    /// Short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Country (from its city).
    pub country_code: CountryCode,
    /// City.
    pub city_id: CityId,
    /// Currency of its prices (the country's).
    pub currency: CurrencyCode,
    /// Categories it trades in.
    pub categories: Vec<ServiceCategory>,
    /// Cuisines (lower-case words such as `pizza`, `ramen`).
    pub cuisines: Vec<String>,
    /// Street address.
    pub address: String,
    /// Where couriers collect.
    pub location: LatLng,
    /// Furthest delivery distance in metres.
    pub delivery_radius_m: u32,
    /// Average preparation time in minutes.
    pub avg_prep_minutes: u16,
    /// Smallest subtotal accepted.
    pub minimum_order: Money,
    /// Delivery fee by distance band, ascending.
    pub delivery_fee_bands: Vec<FeeBand>,
    /// IANA time zone of its hours.
    pub time_zone: String,
    /// Weekly hours and closures.
    pub hours: OpeningHours,
    /// Not taking orders.
    pub paused: bool,
    /// Taking orders with longer preparation.
    pub busy: bool,
    /// Rating aggregate.
    pub rating: Rating,
    /// Picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

/// `GET /api/merchants/{id}`: the merchant and whether it is open now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MerchantDetails {
    /// The merchant.
    #[serde(flatten)]
    pub merchant: Merchant,
    /// Open at the time of the request (and not paused).
    pub open_now: bool,
    /// When it next opens, if closed now.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub next_opening_at: Option<OffsetDateTime>,
}

/// One result of discovery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MerchantSummary {
    /// The merchant's id.
    pub id: MerchantId,
    /// Name.
    pub name: String,
    /// Categories.
    pub categories: Vec<ServiceCategory>,
    /// Cuisines.
    pub cuisines: Vec<String>,
    /// Rating.
    pub rating: Rating,
    /// Distance from the searched point, metres.
    pub distance_m: u32,
    /// Estimated minutes to the door.
    pub eta_minutes: u32,
    /// Delivery fee to the searched point.
    pub delivery_fee: Money,
    /// Smallest subtotal accepted.
    pub minimum_order: Money,
    /// Open now (and not paused).
    pub open_now: bool,
    /// When it next opens, if closed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub next_opening_at: Option<OffsetDateTime>,
    /// Paused by the merchant.
    pub paused: bool,
    /// Picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

/// `GET /api/merchants`: one page of merchants delivering to the point, and whether any
/// city serves the point at all (an empty page of a served point means "nothing matches",
/// of an unserved one "we do not deliver here").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryPage {
    /// Whether a city Mercato serves delivers to the point.
    pub deliverable: bool,
    /// The city serving the point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_id: Option<CityId>,
    /// The merchants of this page.
    pub items: Vec<MerchantSummary>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// An option of an option group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MenuOption {
    /// The option's id.
    pub id: OptionId,
    /// Name ("Extra cheese").
    pub name: String,
    /// Added to the item's price (may be zero or negative).
    pub price_delta: Money,
    /// Can be chosen now.
    pub available: bool,
}

/// A group of options of an item ("Size", "Toppings").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OptionGroup {
    /// The group's id.
    pub id: OptionGroupId,
    /// Name.
    pub name: String,
    /// At least this many options must be chosen (≥ 1 means required).
    pub min_selections: u16,
    /// At most this many.
    pub max_selections: u16,
    /// The options.
    pub options: Vec<MenuOption>,
}

/// A menu item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MenuItem {
    /// The item's id.
    pub id: ItemId,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Price, in the country's convention (tax included or not per its regime).
    pub price: Money,
    /// Tax class.
    pub tax_class: TaxClass,
    /// Dietary tags.
    pub dietary_tags: Vec<DietaryTag>,
    /// Picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Can be ordered now.
    pub available: bool,
    /// Option groups, in display order.
    pub option_groups: Vec<OptionGroup>,
}

/// A menu section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MenuSection {
    /// The section's id.
    pub id: SectionId,
    /// Name ("Pizzas").
    pub name: String,
    /// Display order, ascending.
    pub position: i32,
    /// Items in display order.
    pub items: Vec<MenuItem>,
}

/// `GET /api/merchants/{id}/menu`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Menu {
    /// The merchant.
    pub merchant_id: MerchantId,
    /// Currency of every price.
    pub currency: CurrencyCode,
    /// Increases with every change; the `ETag` is derived from it.
    pub version: i64,
    /// Sections in display order.
    pub sections: Vec<MenuSection>,
}

impl Menu {
    /// The item `id`, in whichever section.
    #[must_use]
    pub fn item(&self, id: ItemId) -> Option<&MenuItem> {
        self.items().find(|item| item.id == id)
    }

    /// Every item, section by section.
    pub fn items(&self) -> impl Iterator<Item = &MenuItem> {
        self.sections
            .iter()
            .flat_map(|section| section.items.iter())
    }
}

/// A customer's review of a merchant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    /// The review's id.
    pub id: ReviewId,
    /// The reviewer's first name only.
    pub author_name: String,
    /// 1–5.
    pub rating: u8,
    /// Text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When written.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Discovery's sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiscoverySort {
    /// Nearest first.
    #[default]
    Distance,
    /// Best rated first.
    Rating,
    /// Fastest delivery first.
    Eta,
    /// Cheapest delivery first.
    Fee,
}

/// `GET /api/merchants` query.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiscoveryParams {
    /// Latitude of the delivery point.
    #[param(minimum = -90, maximum = 90)]
    pub lat: f64,
    /// Longitude of the delivery point.
    #[param(minimum = -180, maximum = 180)]
    pub lng: f64,
    /// Only this category.
    #[serde(default)]
    pub category: Option<ServiceCategory>,
    /// Only merchants with this cuisine.
    #[serde(default)]
    #[param(max_length = 40)]
    pub cuisine: Option<String>,
    /// Text search over merchant and dish names (2–100 characters).
    #[serde(default)]
    #[param(min_length = 2, max_length = 100)]
    pub q: Option<String>,
    /// Only merchants open now.
    #[serde(default)]
    pub open_now: Option<bool>,
    /// Sort order.
    #[serde(default)]
    pub sort: Option<DiscoverySort>,
    /// Page size, 1–50 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 50, default = 20)]
    pub limit: Option<u32>,
    /// The `nextCursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// `GET /api/merchants/mine` query: the merchants the caller works for (all merchants for
/// admins), filtered.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MyMerchantsParams {
    /// Only merchants in this city.
    #[serde(default)]
    pub city_id: Option<CityId>,
    /// Only merchants whose name contains this text, ignoring case (2–100 characters).
    #[serde(default)]
    #[param(min_length = 2, max_length = 100)]
    pub q: Option<String>,
    /// Page size, 1–50 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 50, default = 20)]
    pub limit: Option<u32>,
    /// The `nextCursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<MerchantId>,
}

/// `GET /api/merchants/{id}/reviews` query.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1–50 (default 20).
    #[serde(default)]
    #[param(minimum = 1, maximum = 50, default = 20)]
    pub limit: Option<u32>,
    /// The `nextCursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Admin: create or replace a merchant (`POST /api/merchants`, `PUT /api/merchants/{id}`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MerchantInput {
    /// 1–100 characters.
    pub name: String,
    /// Up to 500 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// The city it operates in (its country and currency follow).
    pub city_id: CityId,
    /// At least one.
    pub categories: Vec<ServiceCategory>,
    /// Up to 10 lower-case words.
    #[serde(default)]
    pub cuisines: Vec<String>,
    /// 1–200 characters.
    pub address: String,
    /// Pickup point.
    pub location: LatLng,
    /// 100–30 000 metres.
    pub delivery_radius_m: u32,
    /// 1–180 minutes.
    pub avg_prep_minutes: u16,
    /// Minor units, ≥ 0.
    pub minimum_order_minor: i64,
    /// 1–10 bands, strictly ascending distances, fees ≥ 0.
    pub delivery_fee_bands: Vec<FeeBand>,
    /// IANA time zone; defaults to the city's.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Opening hours.
    pub hours: OpeningHours,
    /// Picture (https URL).
    #[serde(default)]
    pub image_url: Option<String>,
}

/// Staff: `PUT /api/merchants/{id}/pause`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PauseInput {
    /// Stop taking orders.
    pub paused: bool,
    /// Take orders but quote longer preparation (unchanged when absent).
    #[serde(default)]
    pub busy: Option<bool>,
}

/// Admin: `POST /api/merchants/{id}/staff`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StaffAssignment {
    /// The user to make staff of the merchant.
    pub user_id: UserId,
}

/// Staff: create or rename a section.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SectionInput {
    /// 1–100 characters.
    pub name: String,
    /// Display order: when creating, default last; when updating, default unchanged.
    #[serde(default)]
    pub position: Option<i32>,
}

/// An option of an [`OptionGroupInput`].
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OptionInput {
    /// 1–100 characters.
    pub name: String,
    /// Minor units, −1 000 000 to 1 000 000.
    #[serde(default)]
    pub price_delta_minor: i64,
    /// Default true.
    #[serde(default = "yes")]
    pub available: bool,
}

/// An option group of an [`ItemInput`].
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OptionGroupInput {
    /// 1–100 characters.
    pub name: String,
    /// 0 ≤ min ≤ max.
    pub min_selections: u16,
    /// 1 ≤ max ≤ number of options.
    pub max_selections: u16,
    /// 1–50 options.
    pub options: Vec<OptionInput>,
}

/// Staff: create or replace an item, with its option groups.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ItemInput {
    /// 1–120 characters.
    pub name: String,
    /// Up to 1000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// Minor units, 0 to 100 000 000.
    pub price_minor: i64,
    /// Tax class.
    pub tax_class: TaxClass,
    /// Dietary tags.
    #[serde(default)]
    pub dietary_tags: Vec<DietaryTag>,
    /// Picture (https URL).
    #[serde(default)]
    pub image_url: Option<String>,
    /// Default true.
    #[serde(default = "yes")]
    pub available: bool,
    /// Up to 20 groups.
    #[serde(default)]
    pub option_groups: Vec<OptionGroupInput>,
}

/// Staff: `PUT /api/merchants/{id}/menu/items/{itemId}/availability`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AvailabilityInput {
    /// Orderable.
    pub available: bool,
}

fn yes() -> bool {
    true
}
