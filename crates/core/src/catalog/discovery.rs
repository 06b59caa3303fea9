//! Discovery: the merchants delivering to a point, filtered, sorted and paged by a cursor
//! that names the last position seen.

use super::model::{DiscoveryPage, DiscoveryParams, DiscoverySort};
use super::ports::{CandidateQuery, SortPosition};
use super::service::*;
use crate::error::ValidationErrors;
use crate::geo::{LatLng, ServiceCategory};

impl CatalogService {
    /// Merchants that deliver to a point, filtered, sorted and paginated.
    ///
    /// # Errors
    /// `Invalid` for bad coordinates, page sizes, search text or cursors.
    pub async fn discover(&self, params: DiscoveryParams) -> Result<DiscoveryPage> {
        let mut errors = ValidationErrors::default();
        crate::fields::point(&mut errors, "", params.lat, params.lng);
        let limit = page_size(&mut errors, params.limit);
        let sort = params.sort.unwrap_or_default();
        let after = match params.cursor.as_deref() {
            Some(cursor) => errors.check("cursor", decode_position(sort, cursor)),
            None => None,
        };
        let text = match params.q.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(q) if !(2..=100).contains(&q.chars().count()) => {
                errors.add("q", "must be 2 to 100 characters");
                None
            }
            // Case is folded by the store, on both sides of the comparison alike.
            Some(q) => Some(q.to_owned()),
        };
        let cuisine = params
            .cuisine
            .as_deref()
            .map(|c| c.trim().to_lowercase())
            .filter(|c| !c.is_empty());
        if cuisine.as_ref().is_some_and(|c| c.chars().count() > 40) {
            errors.add("cuisine", "must be at most 40 characters");
        }
        errors.into_result()?;

        let point = LatLng {
            lat: params.lat,
            lng: params.lng,
        };
        let Some(area) = self.ports.locator.locate(point).await? else {
            return Ok(DiscoveryPage {
                deliverable: false,
                city_id: None,
                items: Vec::new(),
                next_cursor: None,
            });
        };
        let city_id = area.city_id;
        let categories: Vec<ServiceCategory> = match params.category {
            Some(wanted) => area
                .categories
                .into_iter()
                .filter(|c| *c == wanted)
                .collect(),
            None => area.categories,
        };
        if categories.is_empty() {
            return Ok(DiscoveryPage {
                deliverable: true,
                city_id: Some(city_id),
                items: Vec::new(),
                next_cursor: None,
            });
        }
        let query = CandidateQuery {
            point,
            city: city_id,
            categories,
            cuisine,
            text,
            open_now: params.open_now.unwrap_or(false),
            sort,
            after,
            limit: limit + 1,
            now: self.ports.clock.now(),
            eta: self.eta,
        };
        let mut candidates = self.ports.store.discover(&query).await?;
        let next_cursor = if candidates.len() > limit as usize {
            candidates.truncate(limit as usize);
            candidates.last().map(|c| encode_position(sort, c.position))
        } else {
            None
        };
        Ok(DiscoveryPage {
            deliverable: true,
            city_id: Some(city_id),
            items: candidates.into_iter().map(|c| c.summary).collect(),
            next_cursor,
        })
    }
}

fn sort_tag(sort: DiscoverySort) -> char {
    match sort {
        DiscoverySort::Distance => 'd',
        DiscoverySort::Rating => 'r',
        DiscoverySort::Eta => 'e',
        DiscoverySort::Fee => 'f',
    }
}

/// Cursors are `{sort}~{key}~{id}`: opaque to clients, tied to the sort they came from.
pub(super) fn encode_position(sort: DiscoverySort, position: SortPosition) -> String {
    format!("{}~{}~{}", sort_tag(sort), position.key, position.id)
}

pub(super) fn decode_position(
    sort: DiscoverySort,
    cursor: &str,
) -> Result<SortPosition, &'static str> {
    let invalid = "is not a cursor from this listing and sort order";
    let mut parts = cursor.splitn(3, '~');
    let (Some(tag), Some(key), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid);
    };
    if tag.chars().ne(std::iter::once(sort_tag(sort))) {
        return Err(invalid);
    }
    let key: f64 = key.parse().map_err(|_| invalid)?;
    if !key.is_finite() {
        return Err(invalid);
    }
    Ok(SortPosition {
        key,
        id: id.parse().map_err(|_| invalid)?,
    })
}
