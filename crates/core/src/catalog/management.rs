//! Managing the catalog: merchants and their staff (admins), hours, pause and menus
//! (the merchant's staff), each input checked field by field.

use super::delivery::FeeBand;
use super::error::CatalogError;
use super::hours::OpeningHours;
use super::model::{
    AvailabilityInput, ItemInput, MenuItem, MenuOption, MenuSection, Merchant, MerchantDetails,
    MerchantInput, OptionGroup, PauseInput, Rating, SectionInput, StaffAssignment,
};
use super::service::*;
use crate::error::ValidationErrors;
use crate::ids::{ItemId, MerchantId, OptionGroupId, OptionId, SectionId, UserId};
use crate::money::Money;
use crate::principal::Principal;

impl CatalogService {
    /// Admin: creates a merchant in a city.
    ///
    /// # Errors
    /// `AdminOnly`, `Invalid`.
    pub async fn create_merchant(
        &self,
        principal: &Principal,
        input: MerchantInput,
    ) -> Result<Merchant> {
        require_admin(principal)?;
        let merchant = self.merchant_from(MerchantId::new(), input, None).await?;
        let schedule = self.schedule(&merchant.hours, &merchant.time_zone);
        self.ports
            .store
            .create_merchant(&merchant, &schedule)
            .await?;
        Ok(merchant)
    }

    /// Admin: replaces a merchant's details (not its rating, pause or busy flags).
    ///
    /// # Errors
    /// `AdminOnly`, `MerchantNotFound`, `Invalid`.
    pub async fn update_merchant(
        &self,
        principal: &Principal,
        id: MerchantId,
        input: MerchantInput,
    ) -> Result<Merchant> {
        require_admin(principal)?;
        let now = self.ports.clock.now();
        let (existing, _, _) = self
            .ports
            .store
            .merchant(id, now)
            .await?
            .ok_or(CatalogError::MerchantNotFound)?;
        let merchant = self.merchant_from(id, input, Some(&existing)).await?;
        if merchant.currency != existing.currency {
            // Prices are stored in minor units of the merchant's currency; moving it to a
            // country with another currency would silently reinterpret every price.
            let mut errors = ValidationErrors::default();
            errors.add(
                "cityId",
                format!(
                    "must be a city of a country using {}, the currency of this merchant's prices",
                    existing.currency
                ),
            );
            return Err(errors.into());
        }
        let schedule = self.schedule(&merchant.hours, &merchant.time_zone);
        if self
            .ports
            .store
            .update_merchant(&merchant, &schedule)
            .await?
        {
            Ok(merchant)
        } else {
            Err(CatalogError::MerchantNotFound)
        }
    }

    /// Admin: makes a user staff of a merchant.
    ///
    /// # Errors
    /// `AdminOnly`, `MerchantNotFound`, `UserNotFound`.
    pub async fn add_staff(
        &self,
        principal: &Principal,
        id: MerchantId,
        assignment: StaffAssignment,
    ) -> Result<()> {
        require_admin(principal)?;
        self.require_merchant(id).await?;
        if self.ports.staff.add_staff(assignment.user_id, id).await? {
            Ok(())
        } else {
            Err(CatalogError::UserNotFound)
        }
    }

    /// Admin: ends a staff membership.
    ///
    /// # Errors
    /// `AdminOnly`, `MembershipNotFound`.
    pub async fn remove_staff(
        &self,
        principal: &Principal,
        id: MerchantId,
        user: UserId,
    ) -> Result<()> {
        require_admin(principal)?;
        if self.ports.staff.remove_staff(user, id).await? {
            Ok(())
        } else {
            Err(CatalogError::MembershipNotFound)
        }
    }

    /// Staff: replaces the merchant's opening hours.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`, `Invalid`.
    pub async fn set_hours(
        &self,
        principal: &Principal,
        id: MerchantId,
        hours: OpeningHours,
    ) -> Result<MerchantDetails> {
        require_staff(principal, id)?;
        let mut errors = ValidationErrors::default();
        check_hours(&mut errors, "", &hours);
        errors.into_result()?;
        let current = self.merchant(id).await?;
        let schedule = self.schedule(&hours, &current.merchant.time_zone);
        if !self.ports.store.set_hours(id, &hours, &schedule).await? {
            return Err(CatalogError::MerchantNotFound);
        }
        self.merchant(id).await
    }

    /// Staff: pauses or resumes taking orders, and sets the busy flag.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`.
    pub async fn set_pause(
        &self,
        principal: &Principal,
        id: MerchantId,
        input: PauseInput,
    ) -> Result<MerchantDetails> {
        require_staff(principal, id)?;
        if !self
            .ports
            .store
            .set_pause(id, input.paused, input.busy)
            .await?
        {
            return Err(CatalogError::MerchantNotFound);
        }
        self.merchant(id).await
    }

    /// Staff: adds a menu section.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`, `Invalid`.
    pub async fn create_section(
        &self,
        principal: &Principal,
        id: MerchantId,
        input: SectionInput,
    ) -> Result<MenuSection> {
        require_staff(principal, id)?;
        let section = section_from(SectionId::new(), input)?;
        match self.ports.store.create_section(id, &section).await? {
            Some(position) => Ok(MenuSection {
                position,
                ..section
            }),
            None => Err(CatalogError::MerchantNotFound),
        }
    }

    /// Staff: renames or moves a section.
    ///
    /// # Errors
    /// `NotStaff`, `SectionNotFound`, `Invalid`.
    pub async fn update_section(
        &self,
        principal: &Principal,
        id: MerchantId,
        section_id: SectionId,
        input: SectionInput,
    ) -> Result<MenuSection> {
        require_staff(principal, id)?;
        let section = section_from(section_id, input)?;
        match self.ports.store.update_section(id, &section).await? {
            Some(position) => Ok(MenuSection {
                position,
                ..section
            }),
            None => Err(CatalogError::SectionNotFound),
        }
    }

    /// Staff: deletes a section and its items.
    ///
    /// # Errors
    /// `NotStaff`, `SectionNotFound`.
    pub async fn delete_section(
        &self,
        principal: &Principal,
        id: MerchantId,
        section: SectionId,
    ) -> Result<()> {
        require_staff(principal, id)?;
        if self.ports.store.delete_section(id, section).await? {
            Ok(())
        } else {
            Err(CatalogError::SectionNotFound)
        }
    }

    /// Staff: adds an item to a section.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`, `SectionNotFound`, `Invalid`.
    pub async fn create_item(
        &self,
        principal: &Principal,
        id: MerchantId,
        section: SectionId,
        input: ItemInput,
    ) -> Result<MenuItem> {
        require_staff(principal, id)?;
        let currency = self.merchant(id).await?.merchant.currency;
        let item = item_from(ItemId::new(), input, &currency)?;
        if self.ports.store.create_item(id, section, &item).await? {
            Ok(item)
        } else {
            Err(CatalogError::SectionNotFound)
        }
    }

    /// Staff: replaces an item with its option groups. Groups and options keep their ids
    /// where their names are unchanged, so carts holding them stay valid.
    ///
    /// # Errors
    /// `NotStaff`, `MerchantNotFound`, `ItemNotFound`, `Invalid`.
    pub async fn replace_item(
        &self,
        principal: &Principal,
        id: MerchantId,
        item_id: ItemId,
        input: ItemInput,
    ) -> Result<MenuItem> {
        require_staff(principal, id)?;
        let (merchant, menu) = self.merchant_with_menu(id).await?;
        let mut item = item_from(item_id, input, &merchant.merchant.currency)?;
        if let Some(current) = menu.item(item_id) {
            keep_option_ids(&mut item, current);
        }
        if self.ports.store.replace_item(id, &item).await? {
            Ok(item)
        } else {
            Err(CatalogError::ItemNotFound)
        }
    }

    /// Staff: deletes an item.
    ///
    /// # Errors
    /// `NotStaff`, `ItemNotFound`.
    pub async fn delete_item(
        &self,
        principal: &Principal,
        id: MerchantId,
        item: ItemId,
    ) -> Result<()> {
        require_staff(principal, id)?;
        if self.ports.store.delete_item(id, item).await? {
            Ok(())
        } else {
            Err(CatalogError::ItemNotFound)
        }
    }

    /// Staff: marks an item (un)available.
    ///
    /// # Errors
    /// `NotStaff`, `ItemNotFound`.
    pub async fn set_item_availability(
        &self,
        principal: &Principal,
        id: MerchantId,
        item: ItemId,
        input: AvailabilityInput,
    ) -> Result<()> {
        require_staff(principal, id)?;
        if self
            .ports
            .store
            .set_item_availability(id, item, input.available)
            .await?
        {
            Ok(())
        } else {
            Err(CatalogError::ItemNotFound)
        }
    }

    async fn merchant_from(
        &self,
        id: MerchantId,
        input: MerchantInput,
        existing: Option<&Merchant>,
    ) -> Result<Merchant> {
        let mut errors = ValidationErrors::default();
        let name = text(&mut errors, "name", &input.name, 1, 100);
        let description = optional_text(
            &mut errors,
            "description",
            input.description.as_deref(),
            500,
        );
        let address = text(&mut errors, "address", &input.address, 1, 200);
        crate::fields::point(
            &mut errors,
            "location.",
            input.location.lat,
            input.location.lng,
        );
        if input.categories.is_empty() {
            errors.add("categories", "must name at least one category");
        }
        let cuisines = cuisines(&mut errors, &input.cuisines);
        if !(100..=30_000).contains(&input.delivery_radius_m) {
            errors.add("deliveryRadiusM", "must be from 100 to 30000 metres");
        }
        if !(1..=180).contains(&input.avg_prep_minutes) {
            errors.add("avgPrepMinutes", "must be from 1 to 180 minutes");
        }
        if !(0..=100_000_000).contains(&input.minimum_order_minor) {
            errors.add("minimumOrderMinor", "must be from 0 to 100000000");
        }
        check_bands(&mut errors, &input.delivery_fee_bands);
        check_hours(&mut errors, "hours.", &input.hours);
        let image_url = image_url(&mut errors, "imageUrl", input.image_url.as_deref());
        let city = self.ports.geo.city(input.city_id).await?;
        let country = match &city {
            Some(city) => self.ports.geo.country(&city.country_code).await?,
            None => {
                errors.add("cityId", "is not a known city");
                None
            }
        };
        let time_zone = input
            .time_zone
            .clone()
            .or_else(|| city.as_ref().map(|c| c.time_zone.clone()));
        if let Some(zone) = &input.time_zone
            && crate::fields::TimeZoneName::parse(zone).is_err()
        {
            errors.add(
                "timeZone",
                "must be an IANA time zone such as Europe/Berlin",
            );
        }
        errors.into_result()?;
        let (Some(city), Some(country), Some(time_zone)) = (city, country, time_zone) else {
            let mut errors = ValidationErrors::default();
            errors.add("cityId", "is not a known city");
            return Err(errors.into());
        };
        let mut categories = input.categories;
        categories.sort_unstable();
        categories.dedup();
        Ok(Merchant {
            id,
            name,
            description,
            country_code: country.code,
            city_id: city.id,
            minimum_order: Money::new(input.minimum_order_minor, country.currency.clone()),
            currency: country.currency,
            categories,
            cuisines,
            address,
            location: input.location,
            delivery_radius_m: input.delivery_radius_m,
            avg_prep_minutes: input.avg_prep_minutes,
            delivery_fee_bands: input.delivery_fee_bands,
            time_zone,
            hours: input.hours,
            paused: existing.is_some_and(|m| m.paused),
            busy: existing.is_some_and(|m| m.busy),
            rating: existing.map_or(
                Rating {
                    average: 0.0,
                    count: 0,
                },
                |m| m.rating,
            ),
            image_url,
        })
    }
}

fn text(errors: &mut ValidationErrors, field: &str, value: &str, min: usize, max: usize) -> String {
    let trimmed = value.trim();
    let chars = trimmed.chars().count();
    if chars < min || chars > max || trimmed.chars().any(char::is_control) {
        errors.add(
            field,
            format!("must be {min} to {max} characters without control characters"),
        );
    }
    trimmed.to_owned()
}

fn optional_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    match value.map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(text(errors, field, v, 1, max)),
    }
}

fn image_url(errors: &mut ValidationErrors, field: &str, value: Option<&str>) -> Option<String> {
    let url = value.map(str::trim).filter(|v| !v.is_empty())?;
    if !url.starts_with("https://") || url.len() > 500 || url.chars().any(char::is_whitespace) {
        errors.add(field, "must be an https URL of at most 500 characters");
    }
    Some(url.to_owned())
}

fn cuisines(errors: &mut ValidationErrors, input: &[String]) -> Vec<String> {
    if input.len() > 10 {
        errors.add("cuisines", "must list at most 10 cuisines");
    }
    let mut out: Vec<String> = Vec::new();
    for (i, cuisine) in input.iter().enumerate() {
        let c = cuisine.trim().to_lowercase();
        if c.is_empty()
            || c.chars().count() > 40
            || !c
                .chars()
                .all(|ch| ch.is_alphanumeric() || ch == '-' || ch == ' ')
        {
            errors.add(
                format!("cuisines[{i}]"),
                "must be a word of 1 to 40 letters",
            );
        } else if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn check_bands(errors: &mut ValidationErrors, bands: &[FeeBand]) {
    if !(1..=10).contains(&bands.len()) {
        errors.add("deliveryFeeBands", "must have 1 to 10 bands");
    }
    for (i, band) in bands.iter().enumerate() {
        if !(0..=10_000_000).contains(&band.fee_minor) {
            errors.add(
                format!("deliveryFeeBands[{i}].feeMinor"),
                "must be from 0 to 10000000",
            );
        }
        if i > 0 && band.up_to_m <= bands[i - 1].up_to_m {
            errors.add(
                format!("deliveryFeeBands[{i}].upToM"),
                "must be greater than the previous band's",
            );
        }
    }
}

fn check_hours(errors: &mut ValidationErrors, prefix: &str, hours: &OpeningHours) {
    if hours.intervals.len() > 50 {
        errors.add(
            format!("{prefix}intervals"),
            "must have at most 50 intervals",
        );
    }
    if hours.closures.len() > 366 {
        errors.add(format!("{prefix}closures"), "must have at most 366 dates");
    }
    for (i, interval) in hours.intervals.iter().enumerate() {
        if interval.opens == super::hours::ClockTime::END_OF_DAY {
            errors.add(
                format!("{prefix}intervals[{i}].opens"),
                "must be before 24:00 (an interval opening at midnight starts the next day at 00:00)",
            );
        }
    }
}

fn section_from(id: SectionId, input: SectionInput) -> Result<MenuSection> {
    let mut errors = ValidationErrors::default();
    let name = text(&mut errors, "name", &input.name, 1, 100);
    errors.into_result()?;
    Ok(MenuSection {
        id,
        name,
        position: input.position.unwrap_or(i32::MAX),
        items: Vec::new(),
    })
}

/// Gives the groups and options of `replacement` the ids of same-named groups and options of
/// `current` (names compared trimmed and case-insensitively; each current id used once).
pub(super) fn keep_option_ids(replacement: &mut MenuItem, current: &MenuItem) {
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    let mut free_groups: Vec<&OptionGroup> = current.option_groups.iter().collect();
    for group in &mut replacement.option_groups {
        let Some(at) = free_groups.iter().position(|g| same(&g.name, &group.name)) else {
            continue;
        };
        let old = free_groups.remove(at);
        group.id = old.id;
        let mut free_options: Vec<&MenuOption> = old.options.iter().collect();
        for option in &mut group.options {
            if let Some(at) = free_options
                .iter()
                .position(|o| same(&o.name, &option.name))
            {
                option.id = free_options.remove(at).id;
            }
        }
    }
}

pub(super) fn item_from(
    id: ItemId,
    input: ItemInput,
    currency: &crate::money::CurrencyCode,
) -> Result<MenuItem> {
    let mut errors = ValidationErrors::default();
    let name = text(&mut errors, "name", &input.name, 1, 120);
    let description = optional_text(
        &mut errors,
        "description",
        input.description.as_deref(),
        1000,
    );
    if !(0..=100_000_000).contains(&input.price_minor) {
        errors.add("priceMinor", "must be from 0 to 100000000");
    }
    let image_url = image_url(&mut errors, "imageUrl", input.image_url.as_deref());
    if input.option_groups.len() > 20 {
        errors.add("optionGroups", "must have at most 20 groups");
    }
    let mut groups = Vec::with_capacity(input.option_groups.len());
    for (g, group) in input.option_groups.into_iter().enumerate() {
        let prefix = format!("optionGroups[{g}]");
        let group_name = text(&mut errors, &format!("{prefix}.name"), &group.name, 1, 100);
        if !(1..=50).contains(&group.options.len()) {
            errors.add(format!("{prefix}.options"), "must have 1 to 50 options");
        }
        if group.max_selections == 0
            || usize::from(group.max_selections) > group.options.len().max(1)
        {
            errors.add(
                format!("{prefix}.maxSelections"),
                "must be from 1 to the number of options",
            );
        }
        if group.min_selections > group.max_selections {
            errors.add(
                format!("{prefix}.minSelections"),
                "must not exceed maxSelections",
            );
        }
        let options = group
            .options
            .into_iter()
            .enumerate()
            .map(|(o, option)| {
                let option_name = text(
                    &mut errors,
                    &format!("{prefix}.options[{o}].name"),
                    &option.name,
                    1,
                    100,
                );
                if !(-1_000_000..=1_000_000).contains(&option.price_delta_minor) {
                    errors.add(
                        format!("{prefix}.options[{o}].priceDeltaMinor"),
                        "must be from -1000000 to 1000000",
                    );
                }
                MenuOption {
                    id: OptionId::new(),
                    name: option_name,
                    price_delta: Money::new(option.price_delta_minor, currency.clone()),
                    available: option.available,
                }
            })
            .collect();
        groups.push(OptionGroup {
            id: OptionGroupId::new(),
            name: group_name,
            min_selections: group.min_selections,
            max_selections: group.max_selections,
            options,
        });
    }
    errors.into_result()?;
    let mut dietary_tags = input.dietary_tags;
    dietary_tags.sort_unstable();
    dietary_tags.dedup();
    Ok(MenuItem {
        id,
        name,
        description,
        price: Money::new(input.price_minor, currency.clone()),
        tax_class: input.tax_class,
        dietary_tags,
        image_url,
        available: input.available,
        option_groups: groups,
    })
}
