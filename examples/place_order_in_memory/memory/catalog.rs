//! The catalog in memory: merchants, menus, reviews and discovery.

use super::*;

#[async_trait]
impl CatalogStore for Memory {
    async fn discover(&self, query: &CandidateQuery) -> Result<Vec<Candidate>, StoreError> {
        let catalog = lock(&self.catalog);
        let text = query.text.as_ref().map(|t| t.to_lowercase());
        let mut found: Vec<Candidate> = catalog
            .values()
            .filter_map(|row| {
                let m = &row.merchant;
                let distance = distance_m(m.location, query.point);
                let (open, next_opening_at) = row.open_at(query.now);
                let open_now = open && !m.paused;
                let matches = m.city_id == query.city
                    && distance <= f64::from(m.delivery_radius_m)
                    && m.categories.iter().any(|c| query.categories.contains(c))
                    && query
                        .cuisine
                        .as_ref()
                        .is_none_or(|c| m.cuisines.contains(c))
                    && text.as_ref().is_none_or(|t| {
                        m.name.to_lowercase().contains(t)
                            || row
                                .sections
                                .iter()
                                .flat_map(|s| &s.items)
                                .any(|i| i.name.to_lowercase().contains(t))
                    })
                    && (open_now || !query.open_now);
                if !matches {
                    return None;
                }
                let eta = query.eta.eta_minutes(m.avg_prep_minutes, m.busy, distance);
                let fee = delivery_fee_minor(&m.delivery_fee_bands, distance);
                let key = match query.sort {
                    DiscoverySort::Distance => distance,
                    DiscoverySort::Rating => -m.rating.average,
                    DiscoverySort::Eta => f64::from(eta),
                    // Fees are far below 2^53 minor units: exact as a float.
                    #[allow(clippy::cast_precision_loss)]
                    DiscoverySort::Fee => fee as f64,
                };
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let distance_m = distance.round() as u32;
                Some(Candidate {
                    summary: MerchantSummary {
                        id: m.id,
                        name: m.name.clone(),
                        categories: m.categories.clone(),
                        cuisines: m.cuisines.clone(),
                        rating: m.rating,
                        distance_m,
                        eta_minutes: eta,
                        delivery_fee: Money::new(fee, m.currency.clone()),
                        minimum_order: m.minimum_order.clone(),
                        open_now,
                        next_opening_at,
                        paused: m.paused,
                        image_url: m.image_url.clone(),
                    },
                    position: SortPosition { key, id: m.id },
                })
            })
            .filter(|c| {
                query
                    .after
                    .is_none_or(|after| (c.position.key, c.position.id) > (after.key, after.id))
            })
            .collect();
        found.sort_by(|a, b| {
            a.position
                .key
                .total_cmp(&b.position.key)
                .then(a.position.id.cmp(&b.position.id))
        });
        found.truncate(query.limit as usize);
        Ok(found)
    }

    async fn merchants(
        &self,
        query: &MerchantQuery,
        now: OffsetDateTime,
    ) -> Result<Vec<(Merchant, bool, Option<OffsetDateTime>)>, StoreError> {
        let catalog = lock(&self.catalog);
        let needle = query.name_contains.as_ref().map(|t| t.to_lowercase());
        let mut found: Vec<_> = catalog
            .values()
            .filter(|row| {
                let m = &row.merchant;
                query.only.as_ref().is_none_or(|ids| ids.contains(&m.id))
                    && query.city.is_none_or(|c| m.city_id == c)
                    && needle
                        .as_ref()
                        .is_none_or(|t| m.name.to_lowercase().contains(t))
                    && query.after.is_none_or(|after| m.id > after)
            })
            .map(|row| {
                let (open, next) = row.open_at(now);
                (row.merchant.clone(), open, next)
            })
            .collect();
        found.sort_by_key(|(m, ..)| m.id);
        found.truncate(query.limit as usize);
        Ok(found)
    }

    async fn merchant(
        &self,
        id: MerchantId,
        now: OffsetDateTime,
    ) -> Result<Option<(Merchant, bool, Option<OffsetDateTime>)>, StoreError> {
        Ok(lock(&self.catalog).get(&id).map(|row| {
            let (open, next) = row.open_at(now);
            (row.merchant.clone(), open, next)
        }))
    }

    async fn create_merchant(
        &self,
        merchant: &Merchant,
        schedule: &OpenSchedule,
    ) -> Result<(), StoreError> {
        let mut catalog = lock(&self.catalog);
        if catalog.contains_key(&merchant.id) {
            return Err(StoreError::UniqueViolation("merchants_pkey".to_owned()));
        }
        catalog.insert(
            merchant.id,
            MerchantRow {
                merchant: merchant.clone(),
                schedule: schedule.clone(),
                sections: Vec::new(),
                menu_version: 1,
            },
        );
        Ok(())
    }

    async fn update_merchant(
        &self,
        _merchant: &Merchant,
        _schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        unsupported("editing merchants")
    }

    async fn set_hours(
        &self,
        _id: MerchantId,
        _hours: &OpeningHours,
        _schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        unsupported("changing opening hours")
    }

    async fn set_pause(
        &self,
        _id: MerchantId,
        _paused: bool,
        _busy: Option<bool>,
    ) -> Result<bool, StoreError> {
        unsupported("pausing merchants")
    }

    async fn menu_version(&self, id: MerchantId) -> Result<Option<i64>, StoreError> {
        Ok(lock(&self.catalog).get(&id).map(|row| row.menu_version))
    }

    async fn current_menu(
        &self,
        id: MerchantId,
        held: Option<HeldMenu>,
    ) -> Result<Option<MenuRead>, StoreError> {
        Ok(lock(&self.catalog)
            .get(&id)
            .map(|row| row.menu_read(held.as_ref())))
    }

    async fn merchant_with_menu(
        &self,
        id: MerchantId,
        now: OffsetDateTime,
        held: Option<HeldMenu>,
    ) -> Result<Option<MerchantRead>, StoreError> {
        Ok(lock(&self.catalog).get(&id).map(|row| {
            let (open, next_opening_at) = row.open_at(now);
            MerchantRead {
                merchant: row.merchant.clone(),
                open,
                next_opening_at,
                menu: row.menu_read(held.as_ref()),
            }
        }))
    }

    async fn create_section(
        &self,
        merchant: MerchantId,
        section: &MenuSection,
    ) -> Result<Option<i32>, StoreError> {
        let mut catalog = lock(&self.catalog);
        let Some(row) = catalog.get_mut(&merchant) else {
            return Ok(None);
        };
        let position = if section.position == i32::MAX {
            row.sections
                .iter()
                .map(|s| s.position + 1)
                .max()
                .unwrap_or(0)
        } else {
            section.position
        };
        row.sections.push(MenuSection {
            position,
            ..section.clone()
        });
        row.menu_changed();
        Ok(Some(position))
    }

    async fn update_section(
        &self,
        _merchant: MerchantId,
        _section: &MenuSection,
    ) -> Result<Option<i32>, StoreError> {
        unsupported("editing menu sections")
    }

    async fn delete_section(
        &self,
        _merchant: MerchantId,
        _section: SectionId,
    ) -> Result<bool, StoreError> {
        unsupported("deleting menu sections")
    }

    async fn create_item(
        &self,
        merchant: MerchantId,
        section: SectionId,
        item: &MenuItem,
    ) -> Result<bool, StoreError> {
        let mut catalog = lock(&self.catalog);
        let Some(row) = catalog.get_mut(&merchant) else {
            return Ok(false);
        };
        let Some(stored) = row.sections.iter_mut().find(|s| s.id == section) else {
            return Ok(false);
        };
        stored.items.push(item.clone());
        row.menu_changed();
        Ok(true)
    }

    async fn replace_item(
        &self,
        _merchant: MerchantId,
        _item: &MenuItem,
    ) -> Result<bool, StoreError> {
        unsupported("editing menu items")
    }

    async fn delete_item(&self, _merchant: MerchantId, _item: ItemId) -> Result<bool, StoreError> {
        unsupported("deleting menu items")
    }

    async fn set_item_availability(
        &self,
        _merchant: MerchantId,
        _item: ItemId,
        _available: bool,
    ) -> Result<bool, StoreError> {
        unsupported("marking items unavailable")
    }

    /// None: this store takes no reviews ([`CatalogStore::add_review`]).
    async fn reviews(
        &self,
        _merchant: MerchantId,
        _after: Option<ReviewId>,
        _limit: u32,
    ) -> Result<Vec<Review>, StoreError> {
        Ok(Vec::new())
    }

    async fn add_review(
        &self,
        _merchant: MerchantId,
        _review: &Review,
    ) -> Result<bool, StoreError> {
        unsupported("reviews")
    }

    /// The periodic refresh of open windows (`CatalogService::refresh_open_windows`) is not
    /// run: a merchant's windows cover the next `SCHEDULE_DAYS` (8) days, far more than the
    /// example needs.
    async fn hours_needing_windows(
        &self,
        _horizon: OffsetDateTime,
        _limit: u32,
    ) -> Result<Vec<MerchantHours>, StoreError> {
        unsupported("refreshing open windows")
    }

    async fn replace_windows(
        &self,
        _merchant: &MerchantHours,
        _schedule: &OpenSchedule,
    ) -> Result<bool, StoreError> {
        unsupported("refreshing open windows")
    }
}
