//! Deterministic ids for the demo dataset.
//!
//! Every id is a UUID version 8 ("custom", RFC 9562 §5.8) laid out as
//!
//! ```text
//! 48 bits  namespace 5eedde70da7a ("seed demo data")
//!  4 bits  version 8
//! 12 bits  kind (city, merchant, section, …)
//!  2 bits  variant 0b10
//!  8 bits  city key
//! 24 bits  merchant number within the city
//! 30 bits  running number within the merchant
//! ```
//!
//! so an id depends only on where its entity sits in the dataset: the same scale gives the
//! same ids on every run, a larger scale only adds merchants, and demo rows are easy to
//! spot (`5eedde70-da7a-8…`).

use mercato_core::ids::{CityId, ItemId, MerchantId, OptionGroupId, OptionId, ReviewId, SectionId};
use uuid::Uuid;

const NAMESPACE: u128 = 0x5eed_de70_da7a;

/// The most merchants one city can have: the 24-bit merchant number.
pub(super) const MAX_MERCHANTS_PER_CITY: u32 = 1 << 24;

#[derive(Debug, Clone, Copy)]
#[repr(u16)]
enum Kind {
    City = 1,
    Merchant = 2,
    Section = 3,
    Item = 4,
    OptionGroup = 5,
    Option = 6,
    Review = 7,
}

fn demo_uuid(kind: Kind, city: u8, merchant: u32, running: u32) -> Uuid {
    debug_assert!(merchant < MAX_MERCHANTS_PER_CITY && running < (1 << 30));
    let bits = NAMESPACE << 80
        | 0x8 << 76
        | u128::from(kind as u16 & 0xfff) << 64
        | 0b10 << 62
        | u128::from(city) << 54
        | u128::from(merchant & 0xff_ffff) << 30
        | u128::from(running & 0x3fff_ffff);
    Uuid::from_u128(bits)
}

/// The id of the demo city with `key`.
pub(super) fn city_id(key: u8) -> CityId {
    CityId(demo_uuid(Kind::City, key, 0, 0))
}

/// The id of merchant number `index` of the demo city with `key`.
pub(super) fn merchant_id(city: u8, index: u32) -> MerchantId {
    MerchantId(demo_uuid(Kind::Merchant, city, index, 0))
}

/// Hands out the ids of one merchant's sections, items, options and reviews in order.
#[derive(Debug)]
pub(super) struct MerchantIds {
    city: u8,
    merchant: u32,
    next: u32,
}

impl MerchantIds {
    pub(super) fn new(city: u8, merchant: u32) -> Self {
        Self {
            city,
            merchant,
            next: 0,
        }
    }

    fn next(&mut self, kind: Kind) -> Uuid {
        self.next += 1;
        demo_uuid(kind, self.city, self.merchant, self.next)
    }

    pub(super) fn section(&mut self) -> SectionId {
        SectionId(self.next(Kind::Section))
    }

    pub(super) fn item(&mut self) -> ItemId {
        ItemId(self.next(Kind::Item))
    }

    pub(super) fn option_group(&mut self) -> OptionGroupId {
        OptionGroupId(self.next(Kind::OptionGroup))
    }

    pub(super) fn option(&mut self) -> OptionId {
        OptionId(self.next(Kind::Option))
    }

    pub(super) fn review(&mut self) -> ReviewId {
        ReviewId(self.next(Kind::Review))
    }
}

#[cfg(test)]
mod tests {
    use uuid::{Variant, Version};

    use super::*;

    #[test]
    fn ids_are_version_8_rfc_variant_in_the_demo_namespace() {
        let id = merchant_id(200, MAX_MERCHANTS_PER_CITY - 1).0;
        assert_eq!(id.get_version(), Some(Version::Custom));
        assert_eq!(id.get_variant(), Variant::RFC4122);
        assert!(id.to_string().starts_with("5eedde70-da7a-8"), "{id}");
    }

    #[test]
    fn ids_are_pinned() {
        assert_eq!(
            city_id(1).to_string(),
            "5eedde70-da7a-8001-8040-000000000000"
        );
        assert_eq!(
            merchant_id(1, 2).to_string(),
            "5eedde70-da7a-8002-8040-000080000000"
        );
    }

    #[test]
    fn kinds_cities_and_merchants_do_not_collide() {
        let mut ids = MerchantIds::new(1, 0);
        let section = ids.section().0;
        assert_ne!(city_id(1).0, merchant_id(1, 0).0);
        assert_ne!(merchant_id(1, 0).0, merchant_id(2, 0).0);
        assert_ne!(section, MerchantIds::new(1, 1).section().0);
    }
}
