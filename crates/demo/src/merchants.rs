//! One demo merchant, generated from its city and its number alone: its own random stream,
//! its own ids, so merchant 7 of Berlin is the same at every scale and on every machine.

use mercato_core::catalog::{
    FeeBand, MenuItem, MenuOption, MenuSection, Merchant, MerchantImport, OpeningHours,
    OptionGroup, Rating, Review, schedule_from,
};
use mercato_core::geo::{City, CountryCode, DeliveryZone, LatLng, ServiceCategory, TaxClass};
use mercato_core::identity::DietaryTag;
use mercato_core::money::{CurrencyCode, Money};
use time::{Duration, OffsetDateTime};

use super::cities::{CitySpec, ZoneSpec};
use super::ids::{self, MerchantIds};
use super::markets::{Country, Market};
use super::menus::DESSERTS;
use super::opening::{holiday_closures, weekly_hours};
use super::rng::SplitMix64;
use super::templates::{
    Basis, Concept, GroupTemplate, HoursStyle, ItemTemplate, MenuTemplate, SectionTemplate,
};

/// Menus have 3–6 sections and 15–35 items.
const MIN_ITEMS: usize = 15;
const MAX_ITEMS: usize = 35;
const MAX_SECTIONS: usize = 6;
/// Merchants sit within this share of the city zone's extent around its centre, so
/// every one of them is well inside the zone.
const PLACEMENT_SHARE: f64 = 0.7;
/// Metres per degree of latitude on the sphere `mercato_core::geo` measures with.
const METRES_PER_DEGREE: f64 = mercato_core::geo::EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// Reviews are dated before this instant (or before `now`, if that is earlier), so
/// they do not change with the clock.
const REVIEWS_UNTIL: OffsetDateTime = time::macros::datetime!(2026-11-01 00:00 UTC);

/// What every merchant of one city shares.
pub(super) struct CityContext {
    pub spec: &'static CitySpec,
    pub city: City,
    pub country: CountryCode,
    pub currency: CurrencyCode,
    /// The placement area: the zone shrunk around the centre.
    placement: Placement,
}

enum Placement {
    /// A disc of this many metres; `metres_per_degree_lng` at the centre's latitude.
    Disc {
        radius_m: f64,
        metres_per_degree_lng: f64,
    },
    /// The polygon scaled towards the centre, and its bounding box (south, west, north,
    /// east).
    Polygon {
        zone: DeliveryZone,
        bounds: (f64, f64, f64, f64),
    },
}

impl CityContext {
    pub(super) fn new(spec: &'static CitySpec) -> Self {
        let city = spec.city();
        let (lat, lng) = spec.center;
        let placement = match spec.zone {
            ZoneSpec::Radius(radius_m) => Placement::Disc {
                radius_m: f64::from(radius_m) * PLACEMENT_SHARE,
                metres_per_degree_lng: METRES_PER_DEGREE * cos(lat.to_radians()),
            },
            ZoneSpec::Polygon(points) => {
                let scaled: Vec<LatLng> = points
                    .iter()
                    .map(|&(p_lat, p_lng)| LatLng {
                        lat: lat + (p_lat - lat) * PLACEMENT_SHARE,
                        lng: lng + (p_lng - lng) * PLACEMENT_SHARE,
                    })
                    .collect();
                let bounds = scaled.iter().fold(
                    (
                        f64::INFINITY,
                        f64::INFINITY,
                        f64::NEG_INFINITY,
                        f64::NEG_INFINITY,
                    ),
                    |(s, w, n, e), p| (s.min(p.lat), w.min(p.lng), n.max(p.lat), e.max(p.lng)),
                );
                Placement::Polygon {
                    zone: DeliveryZone::Polygon { points: scaled },
                    bounds,
                }
            }
        };
        Self {
            country: city.country_code.clone(),
            currency: CurrencyCode::parse(spec.market.currency)
                .expect("demo currency codes are valid"),
            city,
            spec,
            placement,
        }
    }

    /// The first merchants are round-the-clock anchors, two per enabled category.
    pub(super) fn anchor_count(&self) -> u32 {
        // At most six categories.
        #[allow(clippy::cast_possible_truncation)]
        let categories = self.spec.categories.len() as u32;
        2 * categories
    }
}

/// Cosine by its Taylor series: only `+` and `×`, so it gives the same bits on every
/// platform, which the system `cos` does not promise. Exact to 1e-9 for city latitudes.
fn cos(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=8u32 {
        let k = f64::from(2 * n);
        term *= -x2 / (k * (k - 1.0));
        sum += term;
    }
    sum
}

/// Rounds degrees to six decimals (about 10 cm), as coordinates are usually written.
fn round6(degrees: f64) -> f64 {
    (degrees * 1e6).round() / 1e6
}

/// Merchant `index` of the city.
pub(super) fn merchant(ctx: &CityContext, index: u32, now: OffsetDateTime) -> MerchantImport {
    let spec = ctx.spec;
    let market = spec.market;
    let mut rng = SplitMix64::for_stream(&[u64::from(spec.key), u64::from(index)]);
    let mut ids = MerchantIds::new(spec.key, index);

    let anchor = index < ctx.anchor_count();
    let category = if anchor {
        spec.categories[(index / 2) as usize]
    } else {
        weighted_category(&mut rng, spec)
    };
    let concept = concept(&mut rng, market, category, anchor);
    let menu = concept.menu;
    let neighbourhood = *rng.pick(spec.neighbourhoods);
    let name = rng.pick(concept.names).replace("{hood}", neighbourhood);
    let mut description = (*rng.pick(menu.descriptions)).to_owned();
    if anchor {
        description.push_str(" Open 24/7.");
    }

    let location = place(&mut rng, ctx);
    let address = address(&mut rng, spec, neighbourhood);
    let delivery_radius_m = 3000 + 500 * rng.between(0, 10);
    let avg_prep_minutes: u16 = match (category, menu.hours) {
        (ServiceCategory::Food, HoursStyle::Daytime) => 10 + rng.below(11) as u16,
        (ServiceCategory::Food, _) => 15 + rng.below(21) as u16,
        _ => 10 + rng.below(6) as u16,
    };
    let minimum_order = Money::new(*rng.pick(market.minimum_orders), ctx.currency.clone());
    let delivery_fee_bands = fee_bands(&mut rng, market, delivery_radius_m);

    let hours = if anchor {
        OpeningHours::always_open()
    } else {
        let mut hours = weekly_hours(&mut rng, market, menu.hours);
        if rng.chance(15) {
            hours.closures = holiday_closures(&mut rng, market);
        }
        hours
    };
    let paused = !anchor && rng.chance(3);
    let busy = !anchor && rng.chance(8);

    let average_centi = rng.between(320, 490);
    let u = rng.unit();
    // Skewed: most merchants have tens to hundreds of ratings, a few thousands. The
    // product is below 2 600, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let count = 5 + (u * u * 2600.0) as u32;
    let rating = Rating {
        average: f64::from(average_centi) / 100.0,
        count,
    };

    let sections = menu_sections(&mut rng, &mut ids, ctx, category, menu);
    let reviews = reviews(
        &mut rng,
        &mut ids,
        market,
        category,
        average_centi,
        count,
        now,
    );
    let schedule = schedule_from(&hours, spec.time_zone, now);

    MerchantImport {
        merchant: Merchant {
            id: ids::merchant_id(spec.key, index),
            name,
            description: Some(description),
            country_code: ctx.country.clone(),
            city_id: ctx.city.id,
            currency: ctx.currency.clone(),
            categories: vec![category],
            cuisines: menu.cuisines.iter().map(|&c| c.to_owned()).collect(),
            address,
            location,
            delivery_radius_m,
            avg_prep_minutes,
            minimum_order,
            delivery_fee_bands,
            time_zone: spec.time_zone.to_owned(),
            hours,
            paused,
            busy,
            rating,
            image_url: None,
        },
        sections,
        reviews,
        schedule,
    }
}

/// Mostly restaurants, then shops in proportion to how often people order from them.
fn weighted_category(rng: &mut SplitMix64, spec: &CitySpec) -> ServiceCategory {
    let weight = |category: ServiceCategory| -> u64 {
        match category {
            ServiceCategory::Food => 70,
            ServiceCategory::Grocery => 8,
            ServiceCategory::Pharmacy | ServiceCategory::Convenience | ServiceCategory::Alcohol => {
                6
            }
            ServiceCategory::Flowers => 4,
        }
    };
    let total: u64 = spec.categories.iter().map(|&c| weight(c)).sum();
    let mut roll = rng.below(total);
    for &category in spec.categories {
        if roll < weight(category) {
            return category;
        }
        roll -= weight(category);
    }
    ServiceCategory::Food
}

/// The concept a merchant of `category` follows. Every category a city enables has one in
/// its market (the tests check); restaurants stand in for any that would not.
fn concept(
    rng: &mut SplitMix64,
    market: &'static Market,
    category: ServiceCategory,
    anchor: bool,
) -> &'static Concept {
    match market.shop(category) {
        Some(shop) => shop,
        None if anchor => rng.pick(market.all_night),
        None => rng.pick(market.restaurants),
    }
}

/// A uniformly random point of the placement area (rejection sampling, with only
/// arithmetic that is bit-identical everywhere).
fn place(rng: &mut SplitMix64, ctx: &CityContext) -> LatLng {
    let (lat, lng) = ctx.spec.center;
    for _ in 0..64 {
        let point = match &ctx.placement {
            Placement::Disc {
                radius_m,
                metres_per_degree_lng,
            } => {
                let (x, y) = (rng.unit() * 2.0 - 1.0, rng.unit() * 2.0 - 1.0);
                if x * x + y * y > 1.0 {
                    continue;
                }
                LatLng {
                    lat: lat + y * radius_m / METRES_PER_DEGREE,
                    lng: lng + x * radius_m / metres_per_degree_lng,
                }
            }
            Placement::Polygon {
                zone,
                bounds: (south, west, north, east),
            } => {
                let candidate = LatLng {
                    lat: south + rng.unit() * (north - south),
                    lng: west + rng.unit() * (east - west),
                };
                // Polygon membership is a ray cast: arithmetic only.
                if !zone.contains(LatLng { lat, lng }, candidate) {
                    continue;
                }
                candidate
            }
        };
        return LatLng {
            lat: round6(point.lat),
            lng: round6(point.lng),
        };
    }
    // Unreachable in practice (each try succeeds with probability above one half).
    LatLng { lat, lng }
}

fn address(rng: &mut SplitMix64, spec: &CitySpec, neighbourhood: &str) -> String {
    match spec.market.kind {
        Country::UnitedStates => format!(
            "{} {}, {}, {} {:05}",
            rng.between(1, 2999),
            rng.pick(spec.streets),
            spec.name,
            spec.state,
            rng.between(spec.postal.0, spec.postal.1),
        ),
        Country::Germany => format!(
            "{} {}, {:05} {}",
            rng.pick(spec.streets),
            rng.between(1, 180),
            rng.between(spec.postal.0, spec.postal.1),
            spec.name,
        ),
        Country::Japan => format!(
            "{}-{}-{} {}, {}",
            rng.between(1, 6),
            rng.between(1, 30),
            rng.between(1, 20),
            neighbourhood,
            spec.name,
        ),
        Country::Kuwait => format!(
            "Block {}, Street {}, {}, Kuwait",
            rng.between(1, 12),
            rng.between(1, 120),
            neighbourhood
        ),
    }
}

/// Two or three bands splitting the delivery radius, fees rising by a market step.
fn fee_bands(rng: &mut SplitMix64, market: &Market, radius_m: u32) -> Vec<FeeBand> {
    let bands = rng.between(2, 3);
    let base = *rng.pick(market.fee_bases);
    let step = *rng.pick(market.fee_steps);
    (1..=bands)
        .map(|band| FeeBand {
            up_to_m: if band == bands {
                radius_m
            } else {
                radius_m * band / bands / 100 * 100
            },
            fee_minor: base + step * i64::from(band - 1),
        })
        .collect()
}

/// The menu: the template's sections (and, for restaurants, the market's drinks and
/// perhaps desserts), each item kept with a high probability, within 15–35 items.
fn menu_sections(
    rng: &mut SplitMix64,
    ids: &mut MerchantIds,
    ctx: &CityContext,
    category: ServiceCategory,
    menu: &MenuTemplate,
) -> Vec<MenuSection> {
    let market = ctx.spec.market;
    let kuwait = market.kind == Country::Kuwait;
    let mut templates: Vec<&SectionTemplate> = menu.sections.to_vec();
    if category == ServiceCategory::Food {
        templates.push(market.drinks);
        if !menu.has_desserts && rng.chance(50) {
            templates.push(&DESSERTS);
        }
    }
    templates.truncate(MAX_SECTIONS);

    // Which items of each section to serve.
    let mut chosen: Vec<(&SectionTemplate, Vec<&ItemTemplate>, Vec<&ItemTemplate>)> = templates
        .into_iter()
        .filter_map(|section| {
            let allowed: Vec<&ItemTemplate> = section
                .items
                .iter()
                .filter(|item| !kuwait || item.allowed_in_kuwait())
                .collect();
            if allowed.is_empty() {
                return None;
            }
            let (mut kept, mut left): (Vec<&ItemTemplate>, Vec<&ItemTemplate>) =
                allowed.into_iter().partition(|_| rng.chance(85));
            while kept.len() < 2 && !left.is_empty() {
                kept.push(left.remove(0));
            }
            Some((section, kept, left))
        })
        .collect();
    let mut total: usize = chosen.iter().map(|(_, kept, _)| kept.len()).sum();
    'top_up: while total < MIN_ITEMS {
        for (_, kept, left) in &mut chosen {
            if !left.is_empty() {
                kept.push(left.remove(0));
                total += 1;
                continue 'top_up;
            }
        }
        break;
    }
    while total > MAX_ITEMS {
        let Some((_, kept, _)) = chosen.iter_mut().max_by_key(|(_, kept, _)| kept.len()) else {
            break;
        };
        kept.pop();
        total -= 1;
    }

    let default_tax = match category {
        ServiceCategory::Food => TaxClass::Food,
        ServiceCategory::Grocery | ServiceCategory::Convenience => TaxClass::Grocery,
        ServiceCategory::Pharmacy => TaxClass::Medicine,
        ServiceCategory::Flowers => TaxClass::General,
        ServiceCategory::Alcohol => TaxClass::Alcohol,
    };
    let mut position = 0;
    chosen
        .into_iter()
        .map(|(section, mut kept, _)| {
            // Keep the menu's own order within the section.
            kept.sort_by_key(|item| section.items.iter().position(|t| std::ptr::eq(t, *item)));
            position += 1;
            MenuSection {
                id: ids.section(),
                name: section.name.to_owned(),
                position,
                items: kept
                    .into_iter()
                    .map(|template| {
                        menu_item(
                            rng,
                            ids,
                            ctx,
                            section.basis,
                            template,
                            default_tax,
                            category,
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

fn menu_item(
    rng: &mut SplitMix64,
    ids: &mut MerchantIds,
    ctx: &CityContext,
    basis: Basis,
    template: &ItemTemplate,
    default_tax: TaxClass,
    category: ServiceCategory,
) -> MenuItem {
    let market = ctx.spec.market;
    let tax_class = template.tax.unwrap_or(default_tax);
    let mut dietary_tags = template.tags.to_vec();
    // Everything a Kuwaiti restaurant or grocer sells with meat in it is halal.
    let food_or_grocery = matches!(tax_class, TaxClass::Food | TaxClass::Grocery);
    if market.kind == Country::Kuwait
        && food_or_grocery
        && matches!(category, ServiceCategory::Food | ServiceCategory::Grocery)
        && !dietary_tags.contains(&DietaryTag::Vegetarian)
    {
        dietary_tags.push(DietaryTag::Halal);
    }
    dietary_tags.sort_unstable();
    dietary_tags.dedup();
    MenuItem {
        id: ids.item(),
        name: template.name.to_owned(),
        description: Some(template.description.to_owned()),
        price: Money::new(market.price(basis, template.price), ctx.currency.clone()),
        tax_class,
        dietary_tags,
        image_url: None,
        available: !rng.chance(5),
        option_groups: template
            .groups
            .iter()
            .map(|group| option_group(rng, ids, ctx, group))
            .collect(),
    }
}

fn option_group(
    rng: &mut SplitMix64,
    ids: &mut MerchantIds,
    ctx: &CityContext,
    group: &GroupTemplate,
) -> OptionGroup {
    let market = ctx.spec.market;
    OptionGroup {
        id: ids.option_group(),
        name: group.name.to_owned(),
        min_selections: group.min,
        max_selections: group.max,
        options: group
            .options
            .iter()
            .map(|&(name, delta)| MenuOption {
                id: ids.option(),
                name: name.to_owned(),
                price_delta: Money::new(market.delta(group.basis, delta), ctx.currency.clone()),
                // Only optional extras run out: a required choice always stays possible.
                available: group.min > 0 || !rng.chance(5),
            })
            .collect(),
    }
}

/// A few reviews scattered around the merchant's average.
fn reviews(
    rng: &mut SplitMix64,
    ids: &mut MerchantIds,
    market: &Market,
    category: ServiceCategory,
    average_centi: u32,
    count: u32,
    now: OffsetDateTime,
) -> Vec<Review> {
    let until = REVIEWS_UNTIL.min(now);
    let comments = if category == ServiceCategory::Food {
        &market.food_comments
    } else {
        &market.shop_comments
    };
    (0..rng.between(2, 5).min(count))
        .map(|_| {
            // Average ± 1.5 stars, rounded and clamped to 1–5.
            let stars = ((average_centi + rng.between(0, 300)).saturating_sub(150) + 50) / 100;
            let stars = stars.clamp(1, 5);
            let sentiment = match stars {
                4..=5 => 0,
                3 => 1,
                _ => 2,
            };
            let comment = (!rng.chance(20)).then(|| (*rng.pick(comments[sentiment])).to_owned());
            let age = Duration::days(i64::from(rng.between(1, 400)))
                + Duration::seconds(i64::from(rng.between(0, 86_399)));
            Review {
                id: ids.review(),
                author_name: (*rng.pick(market.reviewers)).to_owned(),
                // Below 6 after clamping.
                #[allow(clippy::cast_possible_truncation)]
                rating: stars as u8,
                comment,
                created_at: until - age,
            }
        })
        .collect()
}
