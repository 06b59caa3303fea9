//! Japan: prices like ¥1,260, ramen, izakaya and curry.

use super::{Country, Market};
use crate::menus::{
    ALCOHOL, BAKERY, BURGERS, CHINESE, CONVENIENCE_BEER, CONVENIENCE_DRINKS,
    CONVENIENCE_ESSENTIALS, CONVENIENCE_SNACKS, FLOWERS, GF, GROCERY, INDIAN, PHARMACY, PIZZA,
    SUSHI, V, V_GF, VEGAN, VEGAN_GF,
};
use crate::templates::{
    Concept, GroupTemplate, HoursStyle, MenuTemplate, SectionTemplate, item, local_group,
    local_section,
};

const JP_DRINKS: SectionTemplate = local_section(
    "Drinks",
    &[
        item("Oolong tea", "500 ml.", 250).tags(VEGAN_GF),
        item("Green tea", "500 ml, unsweetened.", 250).tags(VEGAN_GF),
        item("Calpis soda", "500 ml.", 280).tags(V_GF),
        item("Ramune", "Marble soda, 200 ml.", 300).tags(VEGAN_GF),
        item("Coca-Cola", "500 ml.", 280).tags(VEGAN_GF),
        item("Asahi Super Dry", "500 ml can. 20+ only.", 450).alcohol(),
        item("Lemon sour", "350 ml can. 20+ only.", 400).alcohol(),
    ],
);

const NOODLE_FIRMNESS: GroupTemplate = local_group(
    "Noodle firmness",
    1,
    1,
    &[
        ("Soft", 0),
        ("Regular", 0),
        ("Firm (katame)", 0),
        ("Extra firm (barikata)", 0),
    ],
);
const RAMEN_TOPPINGS: GroupTemplate = local_group(
    "Extra toppings",
    0,
    4,
    &[
        ("Ajitama egg", 150),
        ("Chashu, 2 slices", 250),
        ("Nori", 100),
        ("Sweet corn", 100),
        ("Butter", 100),
        ("Menma", 120),
        ("Kaedama (extra noodles)", 150),
    ],
);
const YAKITORI_SEASONING: GroupTemplate = local_group(
    "Seasoning",
    1,
    1,
    &[("Tare (sweet soy)", 0), ("Shio (salt)", 0)],
);
const CURRY_RICE: GroupTemplate = local_group(
    "Rice",
    1,
    1,
    &[
        ("Small (200 g)", 0),
        ("Regular (300 g)", 100),
        ("Large (400 g)", 200),
    ],
);
const CURRY_SPICE: GroupTemplate = local_group(
    "Spice level",
    1,
    1,
    &[
        ("Mild", 0),
        ("Regular", 0),
        ("Level 3", 50),
        ("Level 5", 100),
        ("Level 10", 200),
    ],
);
const CURRY_TOPPINGS: GroupTemplate = local_group(
    "Toppings",
    0,
    3,
    &[
        ("Cheese", 150),
        ("Boiled egg", 80),
        ("Spinach", 100),
        ("Natto", 100),
        ("Fried chicken", 250),
    ],
);

const RAMEN: MenuTemplate = MenuTemplate {
    cuisines: &["ramen", "japanese"],
    descriptions: &[
        "Hakata tonkotsu simmered for 18 hours.",
        "Hand-pulled noodles and a clear, deep shoyu broth.",
        "Neighbourhood ramen counter, open late.",
    ],
    sections: &[
        &local_section(
            "Ramen",
            &[
                item(
                    "Tonkotsu ramen",
                    "Rich pork-bone broth, chashu, kikurage, spring onion.",
                    980,
                )
                .pork()
                .groups(&[&NOODLE_FIRMNESS, &RAMEN_TOPPINGS]),
                item("Shoyu ramen", "Soy-sauce broth, chashu, menma, nori.", 880)
                    .pork()
                    .groups(&[&NOODLE_FIRMNESS, &RAMEN_TOPPINGS]),
                item("Miso ramen", "Sapporo-style miso, corn, butter.", 950)
                    .pork()
                    .groups(&[&NOODLE_FIRMNESS, &RAMEN_TOPPINGS]),
                item("Shio ramen", "Light salt broth, yuzu.", 850)
                    .pork()
                    .groups(&[&NOODLE_FIRMNESS, &RAMEN_TOPPINGS]),
                item(
                    "Tsukemen",
                    "Thick dipping noodles, rich fish-pork broth.",
                    1050,
                )
                .pork()
                .groups(&[&NOODLE_FIRMNESS, &RAMEN_TOPPINGS]),
                item("Tantanmen", "Sesame and chilli broth, minced pork.", 1080)
                    .pork()
                    .groups(&[&NOODLE_FIRMNESS, &RAMEN_TOPPINGS]),
                item(
                    "Chicken paitan ramen",
                    "Creamy chicken broth, chicken chashu.",
                    1000,
                )
                .groups(&[&NOODLE_FIRMNESS, &RAMEN_TOPPINGS]),
                item(
                    "Vegan miso ramen",
                    "Kombu-shiitake broth, tofu, greens.",
                    1100,
                )
                .tags(VEGAN)
                .groups(&[&NOODLE_FIRMNESS, &RAMEN_TOPPINGS]),
            ],
        ),
        &local_section(
            "Rice & sides",
            &[
                item("Gyoza", "Six pan-fried pork dumplings.", 380).pork(),
                item("Chashu don", "Torched pork belly over rice.", 450).pork(),
                item("Karaage", "Five pieces of fried chicken.", 480),
                item("Edamame", "Salted.", 300).tags(VEGAN_GF),
                item("Ajitama", "Soy-marinated soft-boiled egg.", 150).tags(V),
                item("Rice", "Small bowl.", 150).tags(VEGAN_GF),
            ],
        ),
    ],
    has_desserts: false,
    hours: HoursStyle::Restaurant,
};

const IZAKAYA: MenuTemplate = MenuTemplate {
    cuisines: &["izakaya", "yakitori", "japanese"],
    descriptions: &[
        "Charcoal-grilled yakitori and small plates.",
        "Binchotan grill, cold beer, good company.",
        "Izakaya classics to share.",
    ],
    sections: &[
        &local_section(
            "Yakitori (per skewer)",
            &[
                item("Momo", "Chicken thigh.", 180).groups(&[&YAKITORI_SEASONING]),
                item("Negima", "Chicken thigh and leek.", 190).groups(&[&YAKITORI_SEASONING]),
                item("Tsukune", "Chicken meatball with egg yolk.", 220)
                    .groups(&[&YAKITORI_SEASONING]),
                item("Kawa", "Crispy chicken skin.", 160).groups(&[&YAKITORI_SEASONING]),
                item("Butabara", "Pork belly.", 200)
                    .pork()
                    .groups(&[&YAKITORI_SEASONING]),
                item("Shiitake", "Whole mushroom.", 160)
                    .tags(VEGAN)
                    .groups(&[&YAKITORI_SEASONING]),
                item("Asparagus bacon", "Asparagus wrapped in bacon.", 230).pork(),
                item("Ginnan", "Ginkgo nuts.", 180).tags(VEGAN_GF),
            ],
        ),
        &local_section(
            "Small plates",
            &[
                item("Edamame", "Salted.", 380).tags(VEGAN_GF),
                item("Agedashi tofu", "Fried tofu in dashi.", 480),
                item("Karaage", "Japanese fried chicken.", 580),
                item("Takoyaki", "Six octopus balls.", 550),
                item("Potato salad", "With mustard and cucumber.", 420).tags(V),
                item("Tamagoyaki", "Sweet rolled omelette.", 450).tags(V),
                item("Sashimi trio", "Tuna, salmon, yellowtail.", 1280).tags(GF),
            ],
        ),
        &local_section(
            "Rice & noodles",
            &[
                item("Yaki onigiri", "Two grilled rice balls.", 380).tags(VEGAN),
                item("Salmon ochazuke", "Rice in green tea broth.", 580),
                item("Yakisoba", "Stir-fried noodles with pork.", 680).pork(),
                item("Kamameshi", "Pot rice with chicken and mushrooms.", 980),
            ],
        ),
    ],
    has_desserts: false,
    hours: HoursStyle::LateNight,
};

const JAPANESE_CURRY: MenuTemplate = MenuTemplate {
    cuisines: &["curry", "japanese"],
    descriptions: &[
        "Japanese curry rice, roux cooked for two days.",
        "Katsu curry and toppings, your spice level.",
        "Curry and rice the way Tokyo likes it.",
    ],
    sections: &[
        &local_section(
            "Curry rice",
            &[
                item("Pork katsu curry", "Crisp pork cutlet.", 980)
                    .pork()
                    .groups(&[&CURRY_RICE, &CURRY_SPICE, &CURRY_TOPPINGS]),
                item("Chicken katsu curry", "Crisp chicken cutlet.", 950).groups(&[
                    &CURRY_RICE,
                    &CURRY_SPICE,
                    &CURRY_TOPPINGS,
                ]),
                item("Beef curry", "Slow-cooked beef.", 850).groups(&[
                    &CURRY_RICE,
                    &CURRY_SPICE,
                    &CURRY_TOPPINGS,
                ]),
                item("Vegetable curry", "Seasonal vegetables.", 820)
                    .tags(V)
                    .groups(&[&CURRY_RICE, &CURRY_SPICE, &CURRY_TOPPINGS]),
                item("Hamburg curry", "Beef patty and demi-glace.", 1050)
                    .groups(&[&CURRY_RICE, &CURRY_SPICE]),
                item("Ebi fry curry", "Three fried prawns.", 1100)
                    .groups(&[&CURRY_RICE, &CURRY_SPICE]),
                item("Keema curry", "Minced beef, onsen egg.", 900)
                    .groups(&[&CURRY_RICE, &CURRY_SPICE]),
            ],
        ),
        &local_section(
            "Sides",
            &[
                item("Green salad", "Sesame dressing.", 250).tags(VEGAN),
                item("Karaage", "Three pieces.", 350),
                item("Miso soup", "Tofu and wakame.", 150),
                item("Potato croquette", "One piece.", 200).tags(V),
                item("Fukujinzuke", "Sweet pickles.", 100).tags(VEGAN_GF),
            ],
        ),
        &local_section(
            "Desserts",
            &[
                item("Purin", "Custard pudding.", 300).tags(V_GF),
                item("Matcha ice cream", "Uji matcha.", 320).tags(V_GF),
                item("Mango lassi", "Yoghurt drink.", 350).tags(V_GF),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Restaurant,
};

const JP_HOT_FOOD: SectionTemplate = local_section(
    "Onigiri & hot snacks",
    &[
        item("Onigiri, salmon", "Grilled salmon, nori.", 180),
        item("Onigiri, tuna mayo", "The classic.", 160),
        item("Egg sandwich", "Fluffy milk bread.", 280).tags(V),
        item("Fried chicken bites", "Five pieces.", 240),
        item("Nikuman", "Steamed pork bun.", 180).pork(),
        item("Oden set", "Daikon, egg, konjac, fish cake.", 450),
        item("Hot coffee", "Medium.", 180).tags(VEGAN_GF),
    ],
);

const JP_CONVENIENCE: MenuTemplate = MenuTemplate {
    cuisines: &[],
    descriptions: &[
        "Konbini favourites around the clock.",
        "Onigiri, bento, drinks and daily goods.",
    ],
    sections: &[
        &JP_HOT_FOOD,
        &CONVENIENCE_SNACKS,
        &CONVENIENCE_DRINKS,
        &CONVENIENCE_ESSENTIALS,
        &CONVENIENCE_BEER,
    ],
    has_desserts: true,
    hours: HoursStyle::Convenience,
};

pub(crate) const JAPAN: Market = Market {
    country: "JP",
    currency: "JPY",
    kind: Country::Japan,
    restaurants: &[
        Concept {
            menu: &RAMEN,
            names: &[
                "Ramen Hanabi",
                "Menya {hood}",
                "Ichiban Ramen",
                "Ramen Kaze",
                "Mendokoro Hikari",
            ],
        },
        Concept {
            menu: &IZAKAYA,
            names: &[
                "Izakaya Tanuki",
                "Yakitori {hood}",
                "Tori Hachi",
                "Izakaya Akachochin",
                "Kushiyaki Ren",
            ],
        },
        Concept {
            menu: &JAPANESE_CURRY,
            names: &[
                "Curry House Kokoro",
                "{hood} Curry",
                "Katsu Curry Tora",
                "Curry no Mori",
            ],
        },
        Concept {
            menu: &SUSHI,
            names: &[
                "Sushi Dokoro {hood}",
                "Kaiten Sushi Umi",
                "Sushi Masa",
                "Edomae Sushi Kin",
            ],
        },
        Concept {
            menu: &PIZZA,
            names: &["Pizzeria Sole", "{hood} Pizza Factory", "Napoli no Kamado"],
        },
        Concept {
            menu: &BURGERS,
            names: &["Burger Shack {hood}", "Tokyo Burger Lab", "Patty & Bun"],
        },
        Concept {
            menu: &CHINESE,
            names: &["Gyoza Kobo", "Shanghai Hanten", "{hood} Chuka Soba"],
        },
        Concept {
            menu: &INDIAN,
            names: &[
                "Indian Curry Nan House",
                "Spice Garden {hood}",
                "Himalaya Kitchen",
            ],
        },
        Concept {
            menu: &BAKERY,
            names: &[
                "Boulangerie {hood}",
                "Pan no Ie",
                "Melon Pan Kobo",
                "Bakery Hinata",
            ],
        },
    ],
    all_night: &[
        Concept {
            menu: &RAMEN,
            names: &["Ramen Yoru", "24h Ramen {hood}", "Shinya Ramen Tsuki"],
        },
        Concept {
            menu: &JAPANESE_CURRY,
            names: &["Curry 24 {hood}", "Midnight Katsu Curry"],
        },
        Concept {
            menu: &BURGERS,
            names: &["Night Burger {hood}"],
        },
    ],
    grocery: Concept {
        menu: &GROCERY,
        names: &[
            "Fresh Market {hood}",
            "Yaoya Hanaka",
            "Super Maruhachi",
            "Gourmet Market {hood}",
        ],
    },
    pharmacy: Concept {
        menu: &PHARMACY,
        names: &["Drugstore {hood}", "Sakura Pharmacy", "Kenko Drug"],
    },
    convenience: Concept {
        menu: &JP_CONVENIENCE,
        names: &["Daily Mart {hood}", "Hoshi Mart", "Konbini {hood}"],
    },
    flowers: Concept {
        menu: &FLOWERS,
        names: &["Hanaya Kaori", "Flower Shop Sakura", "Hana no Mise {hood}"],
    },
    alcohol: Some(Concept {
        menu: &ALCOHOL,
        names: &["Sakaya Tanaka", "Liquor Mart Kura", "Sake Shop {hood}"],
    }),
    drinks: &JP_DRINKS,
    minimum_orders: &[0, 1000, 1500, 2000],
    fee_bases: &[0, 150, 200, 250, 300],
    fee_steps: &[100, 150],
    reviewers: &[
        "Yuki", "Haruto", "Sakura", "Ren", "Aoi", "Sota", "Hina", "Kenji", "Mei", "Daiki", "Yui",
        "Takumi",
    ],
    food_comments: [
        &[
            "とても美味しかったです！",
            "配達が早くて、温かいままでした。",
            "Delicious and quick. Highly recommend.",
            "いつもリピートしています。",
        ],
        &[
            "美味しいけど、少し時間がかかりました。",
            "Good, but a little expensive.",
        ],
        &["冷めていて残念でした。", "Part of the order was missing."],
    ],
    shop_comments: [
        &[
            "迅速な配達でした。",
            "丁寧な梱包でした。ありがとうございます。",
            "Fast and exactly as ordered.",
        ],
        &["一部商品が代替品でした。"],
        &["商品が破損していました。"],
    ],
    holidays: &["2027-01-01", "2027-01-02", "2027-01-03"],
};
