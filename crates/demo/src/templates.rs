//! The shapes the demo's content tables are written in: menus, sections, items and option
//! groups as `const` data, priced either in a reference unit or in local money.

use mercato_core::geo::TaxClass;
use mercato_core::identity::DietaryTag;

/// What a template's amounts are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Basis {
    /// US cents, converted to each market's money with its price conventions (so one pizza
    /// menu serves New York, Berlin, Tokyo and Kuwait).
    Reference,
    /// Minor units of the one market the template is written for (yen for ramen, fils
    /// for machboos).
    Local,
}

/// An option group: `min`/`max` selections of `options` (name, price delta).
#[derive(Debug)]
pub(super) struct GroupTemplate {
    pub name: &'static str,
    pub min: u16,
    pub max: u16,
    pub basis: Basis,
    pub options: &'static [(&'static str, u32)],
}

/// A group priced in reference cents.
pub(super) const fn group(
    name: &'static str,
    min: u16,
    max: u16,
    options: &'static [(&'static str, u32)],
) -> GroupTemplate {
    GroupTemplate {
        name,
        min,
        max,
        basis: Basis::Reference,
        options,
    }
}

/// A group priced in local money.
pub(super) const fn local_group(
    name: &'static str,
    min: u16,
    max: u16,
    options: &'static [(&'static str, u32)],
) -> GroupTemplate {
    GroupTemplate {
        name,
        min,
        max,
        basis: Basis::Local,
        options,
    }
}

/// A menu item.
#[derive(Debug)]
pub(super) struct ItemTemplate {
    pub name: &'static str,
    pub description: &'static str,
    /// In the section's basis.
    pub price: u32,
    pub tags: &'static [DietaryTag],
    pub groups: &'static [&'static GroupTemplate],
    /// Contains pork: left out in Kuwait.
    pub pork: bool,
    /// Overrides the tax class the merchant's category implies.
    pub tax: Option<TaxClass>,
}

/// An item with no tags, groups or overrides; refine with the builder methods.
pub(super) const fn item(
    name: &'static str,
    description: &'static str,
    price: u32,
) -> ItemTemplate {
    ItemTemplate {
        name,
        description,
        price,
        tags: &[],
        groups: &[],
        pork: false,
        tax: None,
    }
}

impl ItemTemplate {
    pub(super) const fn tags(mut self, tags: &'static [DietaryTag]) -> Self {
        self.tags = tags;
        self
    }

    pub(super) const fn groups(mut self, groups: &'static [&'static GroupTemplate]) -> Self {
        self.groups = groups;
        self
    }

    pub(super) const fn pork(mut self) -> Self {
        self.pork = true;
        self
    }

    pub(super) const fn tax(mut self, tax: TaxClass) -> Self {
        self.tax = Some(tax);
        self
    }

    /// An alcoholic drink: taxed as alcohol, and never offered in Kuwait.
    pub(super) const fn alcohol(self) -> Self {
        self.tax(TaxClass::Alcohol)
    }

    /// Whether Kuwait may sell it.
    pub(super) fn allowed_in_kuwait(&self) -> bool {
        !self.pork && self.tax != Some(TaxClass::Alcohol)
    }
}

/// A menu section.
#[derive(Debug)]
pub(super) struct SectionTemplate {
    pub name: &'static str,
    pub basis: Basis,
    pub items: &'static [ItemTemplate],
}

/// A section priced in reference cents.
pub(super) const fn section(name: &'static str, items: &'static [ItemTemplate]) -> SectionTemplate {
    SectionTemplate {
        name,
        basis: Basis::Reference,
        items,
    }
}

/// A section priced in local money.
pub(super) const fn local_section(
    name: &'static str,
    items: &'static [ItemTemplate],
) -> SectionTemplate {
    SectionTemplate {
        name,
        basis: Basis::Local,
        items,
    }
}

/// A kind of restaurant or shop: its cuisines, blurbs and menu.
#[derive(Debug)]
pub(super) struct MenuTemplate {
    /// Lower-case cuisine words; empty for shops.
    pub cuisines: &'static [&'static str],
    /// Merchant descriptions to pick from.
    pub descriptions: &'static [&'static str],
    pub sections: &'static [&'static SectionTemplate],
    /// Whether the menu has its own sweets (otherwise the shared desserts may be added).
    pub has_desserts: bool,
    /// How its hours usually look.
    pub hours: HoursStyle,
}

/// The usual shape of a kind of merchant's week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HoursStyle {
    /// Restaurants: lunch and dinner, all day, or late into the night.
    Restaurant,
    /// Evenings into the night (izakaya, kebab shops).
    LateNight,
    /// Early morning to late afternoon (bakeries, salad bars).
    Daytime,
    /// Supermarkets.
    Grocery,
    /// Pharmacies.
    Pharmacy,
    /// Convenience stores.
    Convenience,
    /// Florists.
    Flowers,
    /// Wine and spirits shops.
    Alcohol,
}

/// A restaurant or shop concept in one market: the menu it serves and what such places
/// are called there (`{hood}` is replaced by a neighbourhood of the city).
#[derive(Debug)]
pub(super) struct Concept {
    pub menu: &'static MenuTemplate,
    pub names: &'static [&'static str],
}
