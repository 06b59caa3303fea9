//! Carts: a customer's open basket at one merchant, priced from the *current* catalog every
//! time it is read, with warnings for whatever would stop checkout.

use std::sync::Arc;

use super::error::*;
use super::model::*;
use super::ports::*;
use crate::catalog::{CatalogService, Menu, MenuItem, MerchantDetails};
use crate::clock::Clock;
use crate::error::ValidationErrors;
use crate::geo::{GeoStore, LatLng, TaxClass, distance_m};
use crate::ids::{CartId, CartLineId, MerchantId, OptionId, UserId};
use crate::money::Money;
use crate::pricing::{DeliveryCharge, PricedLine, PricingInput, PricingPolicy, price};
use crate::principal::Principal;

type Result<T, E = CartError> = std::result::Result<T, E>;

/// Cart use cases.
#[derive(Clone)]
pub struct CartService {
    carts: Arc<dyn CartStore>,
    catalog: CatalogService,
    geo: Arc<dyn GeoStore>,
    clock: Arc<dyn Clock>,
    /// The customer and merchant of carts seen lately: a cart's never change, so this never
    /// goes stale (whether it is still open is the store's to say).
    owners: Arc<quick_cache::sync::Cache<CartId, (UserId, MerchantId)>>,
}

/// How many carts' owners and merchants a process remembers.
const CART_OWNERS_CAPACITY: usize = 50_000;

impl CartService {
    /// Builds the service.
    #[must_use]
    pub fn new(
        carts: Arc<dyn CartStore>,
        catalog: CatalogService,
        geo: Arc<dyn GeoStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            carts,
            catalog,
            geo,
            clock,
            owners: Arc::new(quick_cache::sync::Cache::new(CART_OWNERS_CAPACITY)),
        }
    }

    /// The caller's open cart at a merchant, created if needed; `true` when created.
    ///
    /// # Errors
    /// `NotCustomer`, `MerchantNotFound`.
    pub async fn open(&self, principal: &Principal, request: CreateCart) -> Result<(Cart, bool)> {
        require_customer(principal)?;
        let (merchant, menu) = self.catalog.merchant_with_menu(request.merchant_id).await?;
        let now = self.clock.now();
        let new = StoredCart {
            id: CartId::new(),
            customer: principal.user_id,
            merchant_id: merchant.merchant.id,
            lines: Vec::new(),
            created_at: now,
            updated_at: now,
            revision: 0,
        };
        let (stored, created) = self.carts.open_cart(&new).await?;
        self.remember(&stored);
        Ok((
            self.priced(stored, None, None, &merchant, &menu).await?,
            created,
        ))
    }

    /// The caller's open carts.
    ///
    /// # Errors
    /// Storage failures.
    pub async fn list(&self, principal: &Principal) -> Result<Vec<Cart>> {
        let mut carts = Vec::new();
        for stored in self.carts.open_carts(principal.user_id).await? {
            carts.push(self.view(stored, None).await?);
        }
        Ok(carts)
    }

    /// One of the caller's carts, priced for an optional delivery point.
    ///
    /// # Errors
    /// `CartNotFound` (also for another customer's cart); `Invalid` point.
    pub async fn get(&self, principal: &Principal, id: CartId, query: CartQuery) -> Result<Cart> {
        let point = delivery_point(query)?;
        let stored = self.owned(principal, id).await?;
        self.view(stored, point).await
    }

    /// Adds an item with options to one of the caller's carts.
    ///
    /// # Errors
    /// `CartNotFound`, `ItemNotOnMenu`, `ItemUnavailable`, `TooManyLines`, `Invalid`.
    pub async fn add_item(
        &self,
        principal: &Principal,
        id: CartId,
        request: AddCartItem,
    ) -> Result<Cart> {
        let (merchant, menu) = self
            .catalog
            .merchant_with_menu(self.merchant_of(principal, id).await?)
            .await?;
        let item = menu
            .item(request.menu_item_id)
            .ok_or(CartError::ItemNotOnMenu)?;
        let mut errors = ValidationErrors::default();
        check_quantity(&mut errors, request.quantity);
        let note = check_note(&mut errors, request.note.as_deref());
        let unit = check_options(&mut errors, item, &request.options);
        errors.into_result()?;
        let unit = unit.ok_or(CartError::ItemUnavailable)?;
        let line = StoredLine {
            id: CartLineId::new(),
            item_id: item.id,
            quantity: request.quantity,
            option_ids: dedup(request.options),
            note,
            seen_unit_price_minor: unit,
        };
        let stored = match self
            .carts
            .add_line(
                id,
                principal.user_id,
                &line,
                MAX_CART_LINES,
                self.clock.now(),
            )
            .await?
        {
            LineAdded::Added(stored) => stored,
            LineAdded::LimitReached => return Err(CartError::TooManyLines),
            LineAdded::NoCart => return Err(CartError::CartNotFound),
        };
        // The answer is priced with the merchant and menu just read: one catalog read.
        self.priced(stored, None, None, &merchant, &menu).await
    }

    /// Changes a line's quantity, options or note.
    ///
    /// # Errors
    /// `CartNotFound`, `LineNotFound`, `ItemUnavailable`, `Invalid`.
    pub async fn update_item(
        &self,
        principal: &Principal,
        id: CartId,
        line_id: CartLineId,
        request: UpdateCartItem,
    ) -> Result<Cart> {
        let stored = self.owned(principal, id).await?;
        let (merchant, menu) = self.catalog.merchant_with_menu(stored.merchant_id).await?;
        let mut line = stored
            .lines
            .iter()
            .find(|l| l.id == line_id)
            .cloned()
            .ok_or(CartError::LineNotFound)?;
        let mut errors = ValidationErrors::default();
        if let Some(quantity) = request.quantity {
            check_quantity(&mut errors, quantity);
            line.quantity = quantity;
        }
        if let Some(note) = request.note.as_deref() {
            line.note = check_note(&mut errors, Some(note));
        }
        if let Some(options) = request.options {
            let item = menu.item(line.item_id).ok_or(CartError::ItemUnavailable)?;
            let unit = check_options(&mut errors, item, &options);
            line.option_ids = dedup(options);
            errors.into_result()?;
            line.seen_unit_price_minor = unit.ok_or(CartError::ItemUnavailable)?;
        } else {
            errors.into_result()?;
        }
        if !self.carts.replace_line(id, &line, self.clock.now()).await? {
            return Err(CartError::LineNotFound);
        }
        let stored = self.owned(principal, id).await?;
        self.priced(stored, None, None, &merchant, &menu).await
    }

    /// Removes a line.
    ///
    /// # Errors
    /// `CartNotFound`, `LineNotFound`.
    pub async fn remove_item(
        &self,
        principal: &Principal,
        id: CartId,
        line: CartLineId,
    ) -> Result<Cart> {
        self.owned(principal, id).await?;
        if !self.carts.remove_line(id, line, self.clock.now()).await? {
            return Err(CartError::LineNotFound);
        }
        self.get(principal, id, CartQuery::default()).await
    }

    /// Removes every line.
    ///
    /// # Errors
    /// `CartNotFound`.
    pub async fn clear(&self, principal: &Principal, id: CartId) -> Result<()> {
        self.owned(principal, id).await?;
        if self.carts.clear(id, self.clock.now()).await? {
            Ok(())
        } else {
            Err(CartError::CartNotFound)
        }
    }

    async fn owned(&self, principal: &Principal, id: CartId) -> Result<StoredCart> {
        match self.carts.cart(id).await? {
            Some(cart) if cart.customer == principal.user_id => {
                self.remember(&cart);
                Ok(cart)
            }
            _ => Err(CartError::CartNotFound),
        }
    }

    /// The merchant of the caller's cart `id`, as remembered or read.
    async fn merchant_of(&self, principal: &Principal, id: CartId) -> Result<MerchantId> {
        match self.owners.get(&id) {
            Some((owner, merchant)) if owner == principal.user_id => Ok(merchant),
            Some(_) => Err(CartError::CartNotFound),
            None => Ok(self.owned(principal, id).await?.merchant_id),
        }
    }

    fn remember(&self, cart: &StoredCart) {
        self.owners
            .insert(cart.id, (cart.customer, cart.merchant_id));
    }

    /// The caller's stored cart (`CartNotFound` for another customer's).
    pub(crate) async fn stored(&self, principal: &Principal, id: CartId) -> Result<StoredCart> {
        self.owned(principal, id).await
    }

    /// The caller's cart priced for checkout — delivered to `point`, with `tip` — with its
    /// merchant and menu already read. The caller validates the tip (currency, range) first.
    ///
    /// # Errors
    /// As [`CartService::get`].
    pub(crate) async fn quote_stored(
        &self,
        stored: StoredCart,
        point: LatLng,
        tip: Option<Money>,
        merchant: &MerchantDetails,
        menu: &Menu,
    ) -> Result<Cart> {
        self.priced(stored, Some(point), tip, merchant, menu).await
    }

    async fn view(&self, stored: StoredCart, point: Option<LatLng>) -> Result<Cart> {
        let (merchant, menu) = self.catalog.merchant_with_menu(stored.merchant_id).await?;
        self.priced(stored, point, None, &merchant, &menu).await
    }

    /// Prices a stored cart with its merchant and that merchant's current menu, and lists
    /// its warnings.
    async fn priced(
        &self,
        stored: StoredCart,
        point: Option<LatLng>,
        tip: Option<Money>,
        details: &MerchantDetails,
        menu: &Menu,
    ) -> Result<Cart> {
        let merchant = &details.merchant;
        let currency = merchant.currency.clone();
        let mut lines = Vec::with_capacity(stored.lines.len());
        let mut warnings = Vec::new();
        let mut priced = Vec::new();
        for line in &stored.lines {
            let item = menu.item(line.item_id);
            let options: Vec<_> = item
                .map(|item| {
                    item.option_groups
                        .iter()
                        .flat_map(|g| g.options.iter())
                        .filter(|o| line.option_ids.contains(&o.id))
                        .collect()
                })
                .unwrap_or_default();
            let available = item.is_some_and(|i| i.available)
                && options.len() == line.option_ids.len()
                && options.iter().all(|o| o.available);
            let unit_minor = item.map_or(0, |i| i.price.amount_minor)
                + options
                    .iter()
                    .map(|o| o.price_delta.amount_minor)
                    .sum::<i64>();
            let unit_price = Money::new(unit_minor, currency.clone());
            if !available {
                warnings.push(CartWarning::ItemUnavailable { line_id: line.id });
            } else {
                if unit_minor != line.seen_unit_price_minor {
                    warnings.push(CartWarning::PriceChanged {
                        line_id: line.id,
                        was: Money::new(line.seen_unit_price_minor, currency.clone()),
                        now: unit_price.clone(),
                    });
                }
                if let Some(item) = item {
                    priced.push(PricedLine {
                        unit_price: item.price.clone(),
                        option_deltas: options.iter().map(|o| o.price_delta.clone()).collect(),
                        quantity: line.quantity,
                        tax_class: item.tax_class,
                    });
                }
            }
            lines.push(CartLine {
                id: line.id,
                menu_item_id: line.item_id,
                name: item.map(|i| i.name.clone()).unwrap_or_default(),
                quantity: line.quantity,
                options: options
                    .iter()
                    .map(|o| CartLineOption {
                        id: o.id,
                        name: o.name.clone(),
                        price_delta: o.price_delta.clone(),
                    })
                    .collect(),
                note: line.note.clone(),
                tax_class: item.map_or(TaxClass::General, |i| i.tax_class),
                line_total: Money::new(
                    unit_minor.saturating_mul(i64::from(line.quantity)),
                    currency.clone(),
                ),
                unit_price,
                available,
            });
        }
        if !details.open_now {
            warnings.push(CartWarning::MerchantClosed {
                next_opening_at: details.next_opening_at,
            });
        }
        let distance = point.map(|p| distance_m(merchant.location, p));
        if distance.is_some_and(|d| d > f64::from(merchant.delivery_radius_m)) {
            warnings.push(CartWarning::OutsideDeliveryArea);
        }
        let summary = if priced.is_empty() {
            None
        } else {
            let country = self
                .geo
                .country(&merchant.country_code)
                .await?
                .ok_or_else(|| {
                    CartError::Pricing(format!("country {} is unknown", merchant.country_code))
                })?;
            let mut input = PricingInput::for_country(&country);
            input.lines = priced;
            input.delivery = match distance {
                Some(distance_m) => DeliveryCharge::ByDistance {
                    bands: merchant.delivery_fee_bands.clone(),
                    distance_m,
                },
                None => DeliveryCharge::None,
            };
            if let Some(tip) = tip {
                input.tip = tip;
            }
            let policy = PricingPolicy::for_currency(&currency)
                .map_err(|e| CartError::Pricing(e.to_string()))?;
            Some(price(&input, &policy).map_err(|e| CartError::Pricing(e.to_string()))?)
        };
        if let Some(summary) = &summary
            && summary.subtotal.amount_minor < merchant.minimum_order.amount_minor
        {
            warnings.push(CartWarning::BelowMinimumOrder {
                minimum: merchant.minimum_order.clone(),
            });
        }
        Ok(Cart {
            id: stored.id,
            merchant_id: stored.merchant_id,
            merchant_name: merchant.name.clone(),
            lines,
            summary,
            warnings,
            updated_at: stored.updated_at,
        })
    }
}

fn require_customer(principal: &Principal) -> Result<()> {
    if principal.has_role(crate::principal::Role::Customer) {
        Ok(())
    } else {
        Err(CartError::NotCustomer)
    }
}

fn delivery_point(query: CartQuery) -> Result<Option<LatLng>> {
    let mut errors = ValidationErrors::default();
    let point = match (query.lat, query.lng) {
        (None, None) => None,
        (Some(lat), Some(lng)) => crate::fields::point(&mut errors, "", lat, lng).map(LatLng::from),
        (None, Some(_)) => {
            errors.add("lat", "is required with lng");
            None
        }
        (Some(_), None) => {
            errors.add("lng", "is required with lat");
            None
        }
    };
    errors.into_result()?;
    Ok(point)
}

fn check_quantity(errors: &mut ValidationErrors, quantity: u32) {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        errors.add("quantity", format!("must be from 1 to {MAX_QUANTITY}"));
    }
}

fn check_note(errors: &mut ValidationErrors, note: Option<&str>) -> Option<String> {
    let note = note.map(str::trim).filter(|n| !n.is_empty())?;
    if note.chars().count() > 200 || note.chars().any(|c| c.is_control() && c != '\n') {
        errors.add(
            "note",
            "must be at most 200 characters without control characters",
        );
    }
    Some(note.to_owned())
}

fn dedup(mut ids: Vec<OptionId>) -> Vec<OptionId> {
    let mut seen = Vec::with_capacity(ids.len());
    ids.retain(|id| {
        let fresh = !seen.contains(id);
        seen.push(*id);
        fresh
    });
    ids
}

/// Checks a choice of options against the item's groups; the unit price with options when
/// the item and every chosen option are available, `None` when something is unavailable.
fn check_options(
    errors: &mut ValidationErrors,
    item: &MenuItem,
    chosen: &[OptionId],
) -> Option<i64> {
    let chosen = dedup(chosen.to_vec());
    let known: Vec<OptionId> = item
        .option_groups
        .iter()
        .flat_map(|g| g.options.iter().map(|o| o.id))
        .collect();
    for (i, id) in chosen.iter().enumerate() {
        if !known.contains(id) {
            errors.add(format!("options[{i}]"), "is not an option of this item");
        }
    }
    let mut available = item.available;
    let mut unit = item.price.amount_minor;
    for group in &item.option_groups {
        let picked: Vec<_> = group
            .options
            .iter()
            .filter(|o| chosen.contains(&o.id))
            .collect();
        let count = picked.len();
        if count < usize::from(group.min_selections) || count > usize::from(group.max_selections) {
            errors.add(
                "options",
                format!(
                    "choose {} to {} of \"{}\"",
                    group.min_selections, group.max_selections, group.name
                ),
            );
        }
        for option in picked {
            available &= option.available;
            unit = unit.saturating_add(option.price_delta.amount_minor);
        }
    }
    available.then_some(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{MenuOption, OptionGroup};
    use crate::geo::TaxClass;
    use crate::ids::ItemId;
    use crate::ids::OptionGroupId;
    use crate::money::CurrencyCode;

    fn eur(minor: i64) -> Money {
        Money::new(minor, CurrencyCode::parse("EUR").expect("code"))
    }

    fn option(name: &str, delta: i64, available: bool) -> MenuOption {
        MenuOption {
            id: OptionId::new(),
            name: name.to_owned(),
            price_delta: eur(delta),
            available,
        }
    }

    /// A pizza (9.50) with a required size (one of two) and up to two toppings.
    fn pizza() -> MenuItem {
        MenuItem {
            id: ItemId::new(),
            name: "Margherita".to_owned(),
            description: None,
            price: eur(950),
            tax_class: TaxClass::Food,
            dietary_tags: Vec::new(),
            image_url: None,
            available: true,
            option_groups: vec![
                OptionGroup {
                    id: OptionGroupId::new(),
                    name: "Size".to_owned(),
                    min_selections: 1,
                    max_selections: 1,
                    options: vec![option("Regular", 0, true), option("Large", 300, true)],
                },
                OptionGroup {
                    id: OptionGroupId::new(),
                    name: "Toppings".to_owned(),
                    min_selections: 0,
                    max_selections: 2,
                    options: vec![
                        option("Olives", 80, true),
                        option("Basil", 50, true),
                        option("Truffle", 400, false),
                    ],
                },
            ],
        }
    }

    fn ids(item: &MenuItem, names: &[&str]) -> Vec<OptionId> {
        item.option_groups
            .iter()
            .flat_map(|g| g.options.iter())
            .filter(|o| names.contains(&o.name.as_str()))
            .map(|o| o.id)
            .collect()
    }

    #[test]
    fn a_valid_choice_prices_the_item_with_its_options() {
        let item = pizza();
        let mut errors = ValidationErrors::default();
        let unit = check_options(&mut errors, &item, &ids(&item, &["Large", "Olives"]));
        assert_eq!(errors, ValidationErrors::default());
        assert_eq!(unit, Some(950 + 300 + 80));
    }

    #[test]
    fn a_required_group_left_empty_is_refused() {
        let item = pizza();
        let mut errors = ValidationErrors::default();
        check_options(&mut errors, &item, &ids(&item, &["Olives"]));
        assert_eq!(
            errors
                .0
                .iter()
                .map(|e| e.field.as_str())
                .collect::<Vec<_>>(),
            ["options"]
        );
    }

    #[test]
    fn too_many_choices_in_a_group_are_refused() {
        let item = pizza();
        let mut errors = ValidationErrors::default();
        check_options(&mut errors, &item, &ids(&item, &["Regular", "Large"]));
        assert_eq!(errors.0.len(), 1, "{errors:?}");
    }

    #[test]
    fn an_option_of_another_item_is_named() {
        let item = pizza();
        let mut errors = ValidationErrors::default();
        let mut chosen = ids(&item, &["Regular"]);
        chosen.push(OptionId::new());
        check_options(&mut errors, &item, &chosen);
        assert_eq!(
            errors
                .0
                .iter()
                .map(|e| e.field.as_str())
                .collect::<Vec<_>>(),
            ["options[1]"]
        );
    }

    #[test]
    fn an_unavailable_option_makes_the_choice_unavailable_not_invalid() {
        let item = pizza();
        let mut errors = ValidationErrors::default();
        let unit = check_options(&mut errors, &item, &ids(&item, &["Regular", "Truffle"]));
        assert!(errors.0.is_empty());
        assert_eq!(unit, None);
    }

    #[test]
    fn a_repeated_option_counts_once() {
        let item = pizza();
        let regular = ids(&item, &["Regular"]);
        let mut errors = ValidationErrors::default();
        let unit = check_options(&mut errors, &item, &[regular[0], regular[0]]);
        assert!(errors.0.is_empty(), "{errors:?}");
        assert_eq!(unit, Some(950));
    }

    #[test]
    fn a_delivery_point_needs_both_coordinates_in_range() {
        assert_eq!(delivery_point(CartQuery::default()).ok(), Some(None));
        assert!(
            delivery_point(CartQuery {
                lat: Some(52.5),
                lng: None
            })
            .is_err()
        );
        assert!(
            delivery_point(CartQuery {
                lat: Some(91.0),
                lng: Some(0.0)
            })
            .is_err()
        );
        assert_eq!(
            delivery_point(CartQuery {
                lat: Some(52.5),
                lng: Some(13.4)
            })
            .ok(),
            Some(Some(LatLng {
                lat: 52.5,
                lng: 13.4
            }))
        );
    }
}
