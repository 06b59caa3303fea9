//! The four demo markets: how each prices, names, reviews and closes, and the menus only
//! one of them serves (ramen in yen, currywurst in cents, machboos in fils).

use mercato_core::geo::ServiceCategory;

use super::templates::{Basis, Concept, SectionTemplate};

mod germany;
mod japan;
mod kuwait;
mod united_states;

pub(super) use germany::GERMANY;
pub(super) use japan::JAPAN;
pub(super) use kuwait::KUWAIT;
pub(super) use united_states::UNITED_STATES;

/// The demo's countries, for the conventions that differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Country {
    /// `123 Bedford Ave, New York, NY 11211`; $13.99.
    UnitedStates,
    /// `Oranienstraße 42, 10999 Berlin`; 12,90 €; shops close on Sundays.
    Germany,
    /// `2-14-5 Shibuya, Tokyo`; ¥1,260.
    Japan,
    /// `Block 4, Street 12, Salmiya`; 3.900 KWD; Friday is the weekend, no alcohol, no pork.
    Kuwait,
}

/// One country's conventions and content.
#[derive(Debug)]
pub(super) struct Market {
    pub country: &'static str,
    pub currency: &'static str,
    pub kind: Country,
    /// Restaurants; every menu here is allowed in the market.
    pub restaurants: &'static [Concept],
    /// Restaurants that plausibly never close (the round-the-clock anchors).
    pub all_night: &'static [Concept],
    pub grocery: Concept,
    pub pharmacy: Concept,
    pub convenience: Concept,
    pub flowers: Concept,
    /// `None` where alcohol is not sold.
    pub alcohol: Option<Concept>,
    /// Soft drinks (and beer where allowed) for every restaurant, in local money.
    pub drinks: &'static SectionTemplate,
    /// Smallest orders, local minor units.
    pub minimum_orders: &'static [i64],
    /// First-band delivery fees and the step between bands, local minor units.
    pub fee_bases: &'static [i64],
    pub fee_steps: &'static [i64],
    /// First names of reviewers.
    pub reviewers: &'static [&'static str],
    /// Review texts by sentiment: good (4–5), middling (3), bad (1–2).
    pub food_comments: [&'static [&'static str]; 3],
    pub shop_comments: [&'static [&'static str]; 3],
    /// Public holidays some merchants close on (local dates).
    pub holidays: &'static [&'static str],
}

impl Market {
    /// The shop concept for a non-food category.
    pub(super) fn shop(&self, category: ServiceCategory) -> Option<&Concept> {
        match category {
            ServiceCategory::Food => None,
            ServiceCategory::Grocery => Some(&self.grocery),
            ServiceCategory::Pharmacy => Some(&self.pharmacy),
            ServiceCategory::Convenience => Some(&self.convenience),
            ServiceCategory::Flowers => Some(&self.flowers),
            ServiceCategory::Alcohol => self.alcohol.as_ref(),
        }
    }

    /// A menu price in local minor units, following local pricing habits: $13.99,
    /// 12,90 €, ¥1,260, 3.900 KWD.
    pub(super) fn price(&self, basis: Basis, amount: u32) -> i64 {
        let amount = i64::from(amount);
        match (basis, self.kind) {
            (Basis::Local, _) => amount,
            (Basis::Reference, Country::UnitedStates) => {
                if amount < 100 {
                    amount.max(49)
                } else {
                    round_to(amount, 50) - 1
                }
            }
            (Basis::Reference, Country::Germany) => {
                let cents = round_to(amount * 92 / 100, 50);
                if cents >= 100 && cents % 100 == 0 {
                    cents - 10
                } else {
                    cents.max(50)
                }
            }
            (Basis::Reference, Country::Japan) => round_to(amount * 90 / 100, 10).max(50),
            (Basis::Reference, Country::Kuwait) => round_to(amount * 28 / 10, 50).max(50),
        }
    }

    /// An option's price delta in local minor units (round amounts: +$1.50, +1,40 €,
    /// +¥140, +0.400 KWD).
    pub(super) fn delta(&self, basis: Basis, amount: u32) -> i64 {
        let amount = i64::from(amount);
        match (basis, self.kind) {
            (Basis::Local, _) => amount,
            (Basis::Reference, Country::UnitedStates) => round_to(amount, 25),
            (Basis::Reference, Country::Germany) => round_to(amount * 92 / 100, 10),
            (Basis::Reference, Country::Japan) => round_to(amount * 90 / 100, 10),
            (Basis::Reference, Country::Kuwait) => round_to(amount * 28 / 10, 50),
        }
    }
}

fn round_to(amount: i64, step: i64) -> i64 {
    (amount + step / 2) / step * step
}

/// Every demo market.
pub(super) const MARKETS: [&Market; 4] = [&UNITED_STATES, &GERMANY, &JAPAN, &KUWAIT];
