//! Menus served in every market, priced in reference cents: the international cuisines,
//! the shops, and the shared desserts. Market-specific menus live in [`super::markets`].

use mercato_core::identity::DietaryTag::{self, DairyFree, GlutenFree, Halal, Vegan, Vegetarian};

use super::templates::{GroupTemplate, group};

mod cuisines;
mod shops;

pub(super) use cuisines::{BAKERY, BURGERS, CHINESE, INDIAN, PIZZA, SALADS, SUSHI, THAI};
pub(super) use shops::{
    ALCOHOL, CONVENIENCE_BEER, CONVENIENCE_DRINKS, CONVENIENCE_ESSENTIALS, CONVENIENCE_SNACKS,
    DESSERTS, FLOWERS, GROCERY, PHARMACY,
};

pub(super) const V: &[DietaryTag] = &[Vegetarian];
pub(super) const V_GF: &[DietaryTag] = &[Vegetarian, GlutenFree];
pub(super) const VEGAN: &[DietaryTag] = &[Vegetarian, Vegan, DairyFree];
pub(super) const VEGAN_GF: &[DietaryTag] = &[Vegetarian, Vegan, DairyFree, GlutenFree];
pub(super) const GF: &[DietaryTag] = &[GlutenFree];
pub(super) const HALAL: &[DietaryTag] = &[Halal];

// Option groups.

const PIZZA_SIZE: GroupTemplate = group(
    "Size",
    1,
    1,
    &[("Medium", 0), ("Large", 400), ("Family size", 900)],
);
const PIZZA_TOPPINGS: GroupTemplate = group(
    "Extra toppings",
    0,
    4,
    &[
        ("Extra mozzarella", 150),
        ("Mushrooms", 100),
        ("Black olives", 100),
        ("Red onion", 100),
        ("Jalapeños", 100),
        ("Roasted peppers", 100),
        ("Rocket", 100),
        ("Buffalo mozzarella", 250),
    ],
);
const BURGER_EXTRAS: GroupTemplate = group(
    "Extras",
    0,
    3,
    &[
        ("Extra patty", 300),
        ("Cheddar", 100),
        ("Fried egg", 150),
        ("Avocado", 200),
        ("Jalapeños", 75),
        ("Caramelised onions", 100),
    ],
);
const BURGER_MEAL: GroupTemplate = group(
    "Make it a meal",
    0,
    1,
    &[
        ("Fries & soft drink", 450),
        ("Sweet potato fries & soft drink", 550),
    ],
);
const SHAKE_SIZE: GroupTemplate = group("Size", 1, 1, &[("Regular", 0), ("Large", 150)]);
const NIGIRI_PIECES: GroupTemplate = group("Portion", 1, 1, &[("2 pieces", 0), ("4 pieces", 500)]);
const SUSHI_EXTRAS: GroupTemplate = group(
    "Extras",
    0,
    3,
    &[
        ("Extra wasabi", 0),
        ("Extra ginger", 0),
        ("Spicy mayo", 75),
        ("Eel sauce", 75),
        ("Soy paper instead of nori", 50),
    ],
);
const ASIAN_PROTEIN: GroupTemplate = group(
    "Protein",
    1,
    1,
    &[
        ("Tofu", 0),
        ("Chicken", 0),
        ("Mixed vegetables", 0),
        ("Beef", 200),
        ("Prawns", 300),
    ],
);
const SPICE: GroupTemplate = group(
    "Spice level",
    1,
    1,
    &[("Mild", 0), ("Medium", 0), ("Hot", 0), ("Extra hot", 0)],
);
const RICE_OR_NAAN: GroupTemplate = group(
    "Served with",
    1,
    1,
    &[
        ("Basmati rice", 0),
        ("Plain naan", 0),
        ("Garlic naan", 100),
        ("Pilau rice", 100),
    ],
);
const DRESSING: GroupTemplate = group(
    "Dressing",
    1,
    1,
    &[
        ("Lemon vinaigrette", 0),
        ("Caesar", 0),
        ("Sesame ginger", 0),
        ("Tahini", 0),
        ("No dressing", 0),
    ],
);
const ADD_PROTEIN: GroupTemplate = group(
    "Add protein",
    0,
    1,
    &[
        ("Grilled chicken", 300),
        ("Salmon", 450),
        ("Crispy tofu", 250),
        ("Boiled egg", 100),
        ("Falafel", 250),
    ],
);
const MILK: GroupTemplate = group(
    "Milk",
    1,
    1,
    &[
        ("Whole milk", 0),
        ("Oat milk", 60),
        ("Soy milk", 60),
        ("Almond milk", 60),
        ("Lactose-free milk", 40),
    ],
);
const COFFEE_SIZE: GroupTemplate = group(
    "Size",
    1,
    1,
    &[("Small", 0), ("Medium", 50), ("Large", 100)],
);
const COFFEE_EXTRAS: GroupTemplate = group(
    "Extras",
    0,
    2,
    &[
        ("Extra shot", 80),
        ("Vanilla syrup", 60),
        ("Caramel syrup", 60),
    ],
);
const DIM_SUM_PORTION: GroupTemplate =
    group("Portion", 1, 1, &[("4 pieces", 0), ("8 pieces", 550)]);
const DESSERT_EXTRAS: GroupTemplate = group(
    "Add",
    0,
    2,
    &[("Vanilla ice cream", 200), ("Whipped cream", 100)],
);
const PACK_SIZE: GroupTemplate = group(
    "Pack size",
    1,
    1,
    &[("Standard pack", 0), ("Large pack", 400)],
);
const BOUQUET_SIZE: GroupTemplate = group(
    "Size",
    1,
    1,
    &[("Classic", 0), ("Deluxe", 1500), ("Grand", 3000)],
);
const FLOWER_EXTRAS: GroupTemplate = group(
    "Add-ons",
    0,
    3,
    &[
        ("Greeting card", 300),
        ("Glass vase", 1200),
        ("Chocolates", 900),
        ("Gift wrap", 300),
    ],
);
const WEIGHT: GroupTemplate = group("Weight", 1, 1, &[("500 g", 0), ("1 kg", 350)]);
const GIFT_BOX: GroupTemplate = group("Gift wrap", 0, 1, &[("Gift box", 500)]);
