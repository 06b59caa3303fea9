//! Kuwait: prices in fils like 3.900 KWD; no alcohol, no pork, Friday weekend.

use super::{Country, Market};
use crate::menus::{
    BAKERY, BURGERS, CONVENIENCE_DRINKS, CONVENIENCE_ESSENTIALS, CONVENIENCE_SNACKS, FLOWERS,
    GROCERY, INDIAN, PHARMACY, PIZZA, SALADS, SUSHI, V, V_GF, VEGAN, VEGAN_GF,
};
use crate::templates::{
    Concept, GroupTemplate, HoursStyle, MenuTemplate, SectionTemplate, item, local_group,
    local_section,
};

const KW_DRINKS: SectionTemplate = local_section(
    "Drinks",
    &[
        item("Pepsi", "330 ml can.", 250).tags(VEGAN_GF),
        item("7UP", "330 ml can.", 250).tags(VEGAN_GF),
        item("Vimto", "330 ml can.", 300).tags(VEGAN_GF),
        item("Laban", "Salted yoghurt drink.", 300).tags(V_GF),
        item("Fresh orange juice", "Squeezed to order.", 1250).tags(VEGAN_GF),
        item("Lemon & mint", "Blended with ice.", 1500).tags(VEGAN_GF),
        item("Water", "500 ml.", 150).tags(VEGAN_GF),
    ],
);

const SHAWARMA_BREAD: GroupTemplate = local_group(
    "Bread",
    1,
    1,
    &[("Saj", 0), ("Arabic bread", 0), ("Samoon", 0)],
);
const SHAWARMA_EXTRAS: GroupTemplate = local_group(
    "Extras",
    0,
    3,
    &[
        ("Extra garlic sauce", 100),
        ("Cheese", 150),
        ("Fries inside", 100),
        ("Pickles", 0),
        ("Make it spicy", 0),
    ],
);
const GRILL_SIDE: GroupTemplate = local_group(
    "Served with",
    1,
    1,
    &[
        ("Rice", 0),
        ("Fries", 0),
        ("Arabic salad", 0),
        ("Grilled vegetables", 250),
    ],
);
const MACHBOOS_PORTION: GroupTemplate = local_group(
    "Portion",
    1,
    1,
    &[("Single", 0), ("For two", 2000), ("Family (4)", 5500)],
);
const MACHBOOS_EXTRAS: GroupTemplate = local_group(
    "Extras",
    0,
    2,
    &[
        ("Daqqus", 250),
        ("Extra hashu (onion & raisin)", 500),
        ("Extra rice", 750),
    ],
);

const SHAWARMA: MenuTemplate = MenuTemplate {
    cuisines: &["shawarma", "lebanese"],
    descriptions: &[
        "Chicken and meat shawarma off the spit, garlic sauce made fresh.",
        "Saj, shawarma and manakish, baked to order.",
        "Beirut street food since 2004.",
    ],
    sections: &[
        &local_section(
            "Shawarma",
            &[
                item(
                    "Chicken shawarma sandwich",
                    "Garlic sauce, pickles, fries.",
                    750,
                )
                .groups(&[&SHAWARMA_BREAD, &SHAWARMA_EXTRAS]),
                item(
                    "Meat shawarma sandwich",
                    "Tahini, tomato, onion, parsley.",
                    850,
                )
                .groups(&[&SHAWARMA_BREAD, &SHAWARMA_EXTRAS]),
                item(
                    "Arabic chicken shawarma",
                    "Cut in pieces with fries, garlic sauce and pickles.",
                    1750,
                )
                .groups(&[&SHAWARMA_EXTRAS]),
                item("Shawarma box", "Shawarma, fries, salad, sauces.", 1500),
                item("Saj shawarma", "Thin saj bread, grilled.", 950).groups(&[&SHAWARMA_EXTRAS]),
                item(
                    "Shawarma fatteh",
                    "Crispy bread, yoghurt, chickpeas, shawarma.",
                    2250,
                ),
            ],
        ),
        &local_section(
            "Falafel & mezze",
            &[
                item("Falafel sandwich", "Tahini, pickles, parsley.", 400).tags(VEGAN),
                item("Falafel plate", "Eight pieces with hummus.", 1250).tags(VEGAN),
                item("Hummus", "With olive oil and paprika.", 750).tags(VEGAN_GF),
                item("Mutabbal", "Smoky aubergine and tahini.", 850).tags(V_GF),
                item("Fattoush", "Crispy bread, sumac.", 1000).tags(VEGAN),
                item("Tabbouleh", "Parsley, bulgur, lemon.", 950).tags(VEGAN),
                item("Fries", "With garlic sauce.", 500).tags(V),
                item("Cheese rolls", "Four pieces.", 900).tags(V),
            ],
        ),
        &local_section(
            "Manakish",
            &[
                item("Zaatar manakish", "Thyme, sesame, olive oil.", 350).tags(VEGAN),
                item("Cheese manakish", "Akkawi cheese.", 550).tags(V),
                item("Lahm bi ajeen", "Spiced minced lamb.", 650),
                item("Zaatar & cheese", "Half and half.", 600).tags(V),
                item("Muhammara manakish", "Red pepper and walnut.", 500).tags(VEGAN),
            ],
        ),
    ],
    has_desserts: false,
    hours: HoursStyle::LateNight,
};

const GRILLS: MenuTemplate = MenuTemplate {
    cuisines: &["grills", "lebanese", "arabic"],
    descriptions: &[
        "Charcoal mashawi and Lebanese mezze.",
        "Family grill house, generous platters.",
        "Grilled over charcoal since 1995.",
    ],
    sections: &[
        &local_section(
            "Mashawi",
            &[
                item("Shish tawook", "Marinated chicken skewers.", 2750).groups(&[&GRILL_SIDE]),
                item("Lamb kebab", "Minced lamb with parsley and onion.", 3250)
                    .groups(&[&GRILL_SIDE]),
                item("Lamb chops", "Six chops.", 4750).groups(&[&GRILL_SIDE]),
                item("Mixed grill", "Tawook, kebab, kofta and lamb tikka.", 5500)
                    .groups(&[&GRILL_SIDE]),
                item("Kofta", "With tomato and onion.", 2750).groups(&[&GRILL_SIDE]),
                item("Grilled half chicken", "With garlic sauce.", 2500).groups(&[&GRILL_SIDE]),
                item("Beef tikka", "Tender beef cubes.", 3250).groups(&[&GRILL_SIDE]),
            ],
        ),
        &local_section(
            "Cold mezze",
            &[
                item("Hummus", "With olive oil.", 1000).tags(VEGAN_GF),
                item("Mutabbal", "Smoky aubergine.", 1000).tags(V_GF),
                item("Tabbouleh", "Parsley and bulgur.", 1250).tags(VEGAN),
                item("Vine leaves", "Stuffed with rice.", 1250).tags(VEGAN_GF),
                item("Muhammara", "Red pepper and walnut dip.", 1250).tags(VEGAN),
            ],
        ),
        &local_section(
            "Hot mezze",
            &[
                item("Kibbeh", "Four fried kibbeh.", 1500),
                item("Cheese sambousek", "Four pastries.", 1250).tags(V),
                item("Batata harra", "Spicy potatoes, coriander.", 1000).tags(VEGAN_GF),
                item("Hummus with meat", "Topped with sautéed lamb.", 1750),
            ],
        ),
        &local_section(
            "Bread & rice",
            &[
                item("Arabic bread", "Two loaves.", 150).tags(VEGAN),
                item("Vermicelli rice", "With butter.", 600).tags(V),
                item("Garlic sauce", "Toum.", 250).tags(VEGAN_GF),
            ],
        ),
    ],
    has_desserts: false,
    hours: HoursStyle::Restaurant,
};

const KUWAITI: MenuTemplate = MenuTemplate {
    cuisines: &["kuwaiti", "arabic"],
    descriptions: &[
        "Kuwaiti home cooking: machboos, margoog and fresh fish.",
        "Traditional recipes from the freej.",
        "Machboos like your grandmother makes it.",
    ],
    sections: &[
        &local_section(
            "Machboos",
            &[
                item(
                    "Chicken machboos",
                    "Spiced rice, slow-cooked chicken, hashu.",
                    2750,
                )
                .groups(&[&MACHBOOS_PORTION, &MACHBOOS_EXTRAS]),
                item("Lamb machboos", "Tender local lamb.", 4250)
                    .groups(&[&MACHBOOS_PORTION, &MACHBOOS_EXTRAS]),
                item("Hamour machboos", "Fried grouper over spiced rice.", 4750)
                    .groups(&[&MACHBOOS_PORTION, &MACHBOOS_EXTRAS]),
                item("Machboos rubyan", "Gulf shrimp.", 3750)
                    .groups(&[&MACHBOOS_PORTION, &MACHBOOS_EXTRAS]),
                item(
                    "Zubaidi with rice",
                    "Fried pomfret, Kuwait's favourite.",
                    5500,
                ),
            ],
        ),
        &local_section(
            "Kuwaiti classics",
            &[
                item("Jireesh", "Crushed wheat with chicken.", 1750),
                item("Harees", "Slow-cooked wheat and chicken.", 1750),
                item("Margoog", "Lamb and vegetable stew with thin dough.", 2750),
                item("Mutabbaq samak", "Fish over rice.", 4500),
                item("Gabout", "Stuffed dumplings in tomato stew.", 2500),
                item("Mumawwash", "Rice with mung beans.", 1500).tags(V),
            ],
        ),
        &local_section(
            "Sides",
            &[
                item("Daqqus", "Spiced tomato sauce.", 250).tags(VEGAN_GF),
                item("Arabic salad", "Tomato, cucumber, lemon.", 750).tags(VEGAN_GF),
                item("Lentil soup", "With lemon.", 750).tags(VEGAN_GF),
                item("White rice", "Steamed.", 750).tags(VEGAN_GF),
            ],
        ),
        &local_section(
            "Desserts",
            &[
                item("Lugaimat", "Fried dough with date syrup.", 1250).tags(V),
                item("Balaleet", "Sweet vermicelli with omelette.", 1500).tags(V),
                item("Khabeesa", "Toasted flour, saffron, cardamom.", 1250).tags(V),
                item("Umm Ali", "Warm bread pudding.", 1750).tags(V),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Restaurant,
};

const KW_HOT_FOOD: SectionTemplate = local_section(
    "Hot snacks",
    &[
        item("Cheese fatayer", "Baked this morning.", 250).tags(V),
        item("Zaatar manakish", "Thyme and olive oil.", 200).tags(VEGAN),
        item("Vegetable samosas", "Three pieces.", 300).tags(V),
        item("Chicken sandwich", "Mayo and lettuce.", 500),
        item("Karak tea", "Spiced milk tea.", 150).tags(V_GF),
        item("Cup noodles", "Chicken flavour.", 300),
    ],
);

const KW_CONVENIENCE: MenuTemplate = MenuTemplate {
    cuisines: &[],
    descriptions: &[
        "The neighbourhood baqala: snacks, drinks and essentials.",
        "Mini market open late every day.",
    ],
    sections: &[
        &KW_HOT_FOOD,
        &CONVENIENCE_SNACKS,
        &CONVENIENCE_DRINKS,
        &CONVENIENCE_ESSENTIALS,
    ],
    has_desserts: true,
    hours: HoursStyle::Convenience,
};

pub(crate) const KUWAIT: Market = Market {
    country: "KW",
    currency: "KWD",
    kind: Country::Kuwait,
    restaurants: &[
        Concept {
            menu: &SHAWARMA,
            names: &[
                "Shawarma Al-{hood}",
                "Shawarma Express",
                "Al Sultan Shawarma",
                "Beirut Shawarma",
                "Saj & Shawarma",
            ],
        },
        Concept {
            menu: &GRILLS,
            names: &[
                "Mashawi Al-{hood}",
                "Lebanese Grill House",
                "Al Bustan Grill",
                "Cedar Mashawi",
            ],
        },
        Concept {
            menu: &KUWAITI,
            names: &[
                "Bait Al-Machboos",
                "Freej Kitchen",
                "Mataam Al-{hood}",
                "Al Bahar Seafood",
            ],
        },
        Concept {
            menu: &BURGERS,
            names: &["{hood} Burger Co.", "Smash Station", "Burger Lab Kuwait"],
        },
        Concept {
            menu: &PIZZA,
            names: &["Forno Rosso", "{hood} Pizza House", "Pizza Napoli"],
        },
        Concept {
            menu: &INDIAN,
            names: &[
                "Mughal Mahal",
                "Kerala Kitchen",
                "Spice Route {hood}",
                "Biryani Pot",
            ],
        },
        Concept {
            menu: &SUSHI,
            names: &["Sushi Tokyo", "Maki House {hood}", "Sakura Sushi"],
        },
        Concept {
            menu: &SALADS,
            names: &["Lean & Green", "{hood} Healthy Kitchen", "Fit Bowl"],
        },
        Concept {
            menu: &BAKERY,
            names: &["{hood} Bakery & Café", "Oven Fresh", "Sweet Arabia Bakery"],
        },
    ],
    all_night: &[
        Concept {
            menu: &SHAWARMA,
            names: &["Shawarma 24", "Layali Al-{hood}", "Midnight Shawarma"],
        },
        Concept {
            menu: &BURGERS,
            names: &["{hood} Night Burger", "Burger 24"],
        },
    ],
    grocery: Concept {
        menu: &GROCERY,
        names: &["{hood} Co-op", "Fresh Basket", "Al Mubarakiya Market"],
    },
    pharmacy: Concept {
        menu: &PHARMACY,
        names: &["{hood} Pharmacy", "Al Shifa Pharmacy", "Care Pharmacy"],
    },
    convenience: Concept {
        menu: &KW_CONVENIENCE,
        names: &["{hood} Baqala", "Quick Baqala", "Al Noor Mini Market"],
    },
    flowers: Concept {
        menu: &FLOWERS,
        names: &["{hood} Flowers", "Rose Garden", "Bloom Box"],
    },
    alcohol: None,
    drinks: &KW_DRINKS,
    minimum_orders: &[0, 1000, 2000, 3000],
    fee_bases: &[0, 250, 350, 500],
    fee_steps: &[250, 200],
    reviewers: &[
        "Fatima", "Ahmad", "Noura", "Yousef", "Maryam", "Abdullah", "Sara", "Khaled", "Dana",
        "Faisal", "Hessa", "Omar",
    ],
    food_comments: [
        &[
            "Very tasty, fast delivery!",
            "ممتاز! التوصيل سريع",
            "Good portions, will order again.",
            "أفضل مطعم في المنطقة",
            "Hot and fresh, thank you.",
        ],
        &[
            "Good but a bit late.",
            "الأكل طيب بس التوصيل تأخر",
            "Fine, a little expensive.",
        ],
        &["Food arrived cold.", "الطلب ناقص", "Not like before."],
    ],
    shop_comments: [
        &[
            "Fast and well packed.",
            "خدمة ممتازة",
            "Everything was available.",
        ],
        &["One item was replaced.", "التوصيل تأخر شوي"],
        &["Items were missing.", "Damaged packaging."],
    ],
    holidays: &["2027-02-25", "2027-02-26"],
};
