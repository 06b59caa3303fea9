//! The four demo markets: how each prices, names, reviews and closes, and the menus only
//! one of them serves (ramen in yen, currywurst in cents, machboos in fils).

use mercato_core::geo::ServiceCategory;

use super::menus::{
    ALCOHOL, BAKERY, BURGERS, CHINESE, CONVENIENCE_BEER, CONVENIENCE_DRINKS,
    CONVENIENCE_ESSENTIALS, CONVENIENCE_SNACKS, FLOWERS, GF, GROCERY, HALAL, INDIAN, PHARMACY,
    PIZZA, SALADS, SUSHI, THAI, V, V_GF, VEGAN, VEGAN_GF,
};
use super::templates::{
    Basis, Concept, GroupTemplate, HoursStyle, MenuTemplate, SectionTemplate, group, item,
    local_group, local_section, section,
};

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

// United States.

const US_DRINKS: SectionTemplate = local_section(
    "Drinks",
    &[
        item("Coca-Cola", "12 oz can.", 250).tags(VEGAN_GF),
        item("Diet Coke", "12 oz can.", 250).tags(VEGAN_GF),
        item("Sprite", "12 oz can.", 250).tags(VEGAN_GF),
        item("Fresh lemonade", "16 oz.", 395).tags(VEGAN_GF),
        item("Unsweetened iced tea", "16 oz.", 325).tags(VEGAN_GF),
        item("Sparkling water", "500 ml.", 275).tags(VEGAN_GF),
        item("Brooklyn Lager", "12 oz bottle. 21+ only.", 650).alcohol(),
    ],
);

const MEXICAN: MenuTemplate = MenuTemplate {
    cuisines: &["mexican", "tacos"],
    descriptions: &[
        "Tacos on hand-pressed corn tortillas, salsas made daily.",
        "Mission-style burritos and street tacos.",
        "Mexico City street food.",
    ],
    sections: &[
        &section(
            "Tacos",
            &[
                item("Carne asada taco", "Grilled steak, onion, cilantro.", 449)
                    .tags(GF)
                    .groups(&[&SALSAS]),
                item("Al pastor taco", "Marinated pork, pineapple.", 449)
                    .pork()
                    .groups(&[&SALSAS]),
                item("Chicken tinga taco", "Chipotle-stewed chicken.", 399)
                    .tags(GF)
                    .groups(&[&SALSAS]),
                item("Baja fish taco", "Beer-battered fish, cabbage, crema.", 499)
                    .groups(&[&SALSAS]),
                item("Carnitas taco", "Slow-cooked pork shoulder.", 449)
                    .pork()
                    .groups(&[&SALSAS]),
                item("Mushroom taco", "Roasted mushrooms, salsa macha.", 399)
                    .tags(VEGAN_GF)
                    .groups(&[&SALSAS]),
            ],
        ),
        &section(
            "Burritos & bowls",
            &[
                item("Burrito", "Rice, beans, cheese, your protein.", 1349)
                    .groups(&[&BURRITO_PROTEIN, &SALSAS]),
                item("Burrito bowl", "Everything but the tortilla.", 1349)
                    .tags(GF)
                    .groups(&[&BURRITO_PROTEIN, &SALSAS]),
                item("Quesadilla", "Flour tortilla, Oaxaca cheese.", 1099)
                    .groups(&[&BURRITO_PROTEIN]),
                item("Bean & cheese burrito", "Refried beans, cheddar.", 999).tags(V),
                item("Nachos grande", "Cheese, beans, jalapeños, pico.", 1199).tags(V),
            ],
        ),
        &section(
            "Sides",
            &[
                item("Chips & guacamole", "Made to order.", 699).tags(VEGAN_GF),
                item("Chips & salsa", "Roasted tomato salsa.", 399).tags(VEGAN_GF),
                item("Elote", "Grilled corn, cotija, chilli-lime mayo.", 549).tags(V_GF),
                item("Mexican rice", "Tomato rice.", 349).tags(VEGAN_GF),
                item("Black beans", "Slow-cooked.", 349).tags(VEGAN_GF),
                item("Churros", "With chocolate sauce.", 599).tags(V),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Restaurant,
};

const SALSAS: GroupTemplate = group(
    "Salsas",
    0,
    3,
    &[
        ("Salsa verde", 0),
        ("Salsa roja", 0),
        ("Pico de gallo", 0),
        ("Guacamole", 200),
        ("Sour cream", 75),
    ],
);
const BURRITO_PROTEIN: GroupTemplate = group(
    "Protein",
    1,
    1,
    &[
        ("Chicken", 0),
        ("Sofritas", 0),
        ("Veggie", 0),
        ("Carne asada", 150),
        ("Barbacoa", 150),
    ],
);
const BBQ_SAUCE: GroupTemplate = group(
    "Sauce",
    1,
    1,
    &[
        ("House original", 0),
        ("Spicy", 0),
        ("Carolina mustard", 0),
        ("Kansas City sweet", 0),
    ],
);
const BBQ_PORTION: GroupTemplate =
    group("Portion", 1, 1, &[("Half pound", 0), ("One pound", 1100)]);

const BBQ: MenuTemplate = MenuTemplate {
    cuisines: &["bbq", "american"],
    descriptions: &[
        "Texas-style brisket smoked 14 hours over post oak.",
        "Low and slow barbecue, scratch-made sides.",
        "Smokehouse and beer garden.",
    ],
    sections: &[
        &section(
            "Smoked meats",
            &[
                item("Brisket", "Salt-and-pepper bark, sliced to order.", 1899)
                    .tags(GF)
                    .groups(&[&BBQ_PORTION, &BBQ_SAUCE]),
                item("Pulled pork", "Carolina-style shoulder.", 1599)
                    .pork()
                    .groups(&[&BBQ_PORTION, &BBQ_SAUCE]),
                item("Baby back ribs", "Half rack, sticky glaze.", 2199)
                    .pork()
                    .groups(&[&BBQ_SAUCE]),
                item("Smoked half chicken", "Brined and hickory-smoked.", 1699)
                    .tags(GF)
                    .groups(&[&BBQ_SAUCE]),
                item("Burnt ends", "Caramelised brisket point.", 1999).groups(&[&BBQ_SAUCE]),
                item("Smoked turkey", "Sliced breast.", 1699)
                    .tags(GF)
                    .groups(&[&BBQ_PORTION]),
            ],
        ),
        &section(
            "Sandwiches",
            &[
                item("Brisket sandwich", "Pickles, onion, brioche bun.", 1499)
                    .groups(&[&BBQ_SAUCE]),
                item("Pulled pork sandwich", "With slaw.", 1299)
                    .pork()
                    .groups(&[&BBQ_SAUCE]),
                item("Smoked chicken sandwich", "Alabama white sauce.", 1299),
                item("Jackfruit sandwich", "Smoked jackfruit, vegan slaw.", 1199).tags(VEGAN),
            ],
        ),
        &section(
            "Sides",
            &[
                item("Mac & cheese", "Baked, crusty top.", 549).tags(V),
                item("Coleslaw", "Vinegar slaw.", 399).tags(V_GF),
                item("Cornbread", "With honey butter.", 349).tags(V),
                item("Baked beans", "With burnt ends.", 449),
                item("Collard greens", "Slow-braised.", 449),
                item("Potato salad", "Mustard and dill.", 449).tags(V_GF),
            ],
        ),
        &section(
            "Desserts",
            &[
                item("Banana pudding", "Vanilla wafers, whipped cream.", 599).tags(V),
                item("Peach cobbler", "With vanilla ice cream.", 649).tags(V),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Restaurant,
};

const US_HOT_FOOD: SectionTemplate = local_section(
    "Hot food & deli",
    &[
        item("Bacon, egg & cheese", "On a kaiser roll.", 599).pork(),
        item("Turkey club", "Triple-decker sandwich.", 899),
        item("Pizza slice", "Cheese, New York style.", 399).tags(V),
        item("Hot dog", "All-beef, mustard and onions.", 349),
        item("Chicken tenders & fries", "Four tenders.", 899),
        item("Drip coffee", "16 oz.", 249).tags(VEGAN_GF),
    ],
);

const US_CONVENIENCE: MenuTemplate = MenuTemplate {
    cuisines: &[],
    descriptions: &[
        "Your corner bodega: snacks, drinks and essentials, day and night.",
        "Deli sandwiches, cold drinks and everyday essentials.",
    ],
    sections: &[
        &US_HOT_FOOD,
        &CONVENIENCE_SNACKS,
        &CONVENIENCE_DRINKS,
        &CONVENIENCE_ESSENTIALS,
        &CONVENIENCE_BEER,
    ],
    has_desserts: true,
    hours: HoursStyle::Convenience,
};

pub(super) const UNITED_STATES: Market = Market {
    country: "US",
    currency: "USD",
    kind: Country::UnitedStates,
    restaurants: &[
        Concept {
            menu: &PIZZA,
            names: &[
                "{hood} Slice Co.",
                "Tony's Pizzeria",
                "{hood} Pie Shop",
                "Mama Lucia's",
                "Crust & Co.",
            ],
        },
        Concept {
            menu: &BURGERS,
            names: &[
                "{hood} Burger Joint",
                "Smash Bros. Burgers",
                "Patty Wagon",
                "The Burger Barn",
                "Big Bun Diner",
            ],
        },
        Concept {
            menu: &MEXICAN,
            names: &[
                "Taqueria El Sol",
                "{hood} Taco Co.",
                "La Cocina de Rosa",
                "Burrito Bandito",
                "Casa Azul",
            ],
        },
        Concept {
            menu: &CHINESE,
            names: &[
                "Golden Dragon",
                "Lucky Panda",
                "{hood} Dumpling House",
                "Jade Garden",
                "Wok & Roll",
            ],
        },
        Concept {
            menu: &SUSHI,
            names: &["Sushi Zen", "Blue Fin {hood}", "Koi Sushi Bar", "Umi Sushi"],
        },
        Concept {
            menu: &THAI,
            names: &[
                "Thai Basil",
                "Bangkok Street Kitchen",
                "Lemongrass {hood}",
                "Siam Orchid",
            ],
        },
        Concept {
            menu: &INDIAN,
            names: &[
                "Curry House {hood}",
                "Tandoori Nights",
                "Bombay Spice",
                "Masala Junction",
            ],
        },
        Concept {
            menu: &SALADS,
            names: &[
                "Green Fork",
                "Leaf & Grain",
                "{hood} Salad Co.",
                "Bowl Theory",
            ],
        },
        Concept {
            menu: &BBQ,
            names: &[
                "Smokestack BBQ",
                "Hickory Pit",
                "{hood} Smokehouse",
                "Low & Slow BBQ",
            ],
        },
        Concept {
            menu: &BAKERY,
            names: &[
                "{hood} Bagel Bakery",
                "Rise & Shine Bakery",
                "Morning Crumb",
                "The Daily Loaf",
            ],
        },
    ],
    all_night: &[
        Concept {
            menu: &BURGERS,
            names: &[
                "All-Nite Diner",
                "{hood} 24 Hour Burgers",
                "Night Owl Grill",
            ],
        },
        Concept {
            menu: &PIZZA,
            names: &["2 AM Slice", "{hood} Late Night Pizza"],
        },
        Concept {
            menu: &MEXICAN,
            names: &["Taqueria 24", "Midnight Burrito {hood}"],
        },
    ],
    grocery: Concept {
        menu: &GROCERY,
        names: &[
            "{hood} Market",
            "FreshMart",
            "Green Valley Grocers",
            "Corner Grocer",
        ],
    },
    pharmacy: Concept {
        menu: &PHARMACY,
        names: &[
            "{hood} Pharmacy",
            "CareRx Drugstore",
            "HealthPlus Pharmacy",
            "Main Street Apothecary",
        ],
    },
    convenience: Concept {
        menu: &US_CONVENIENCE,
        names: &[
            "{hood} Deli & Grocery",
            "{hood} Bodega",
            "24/7 Corner Store",
            "QuickStop",
        ],
    },
    flowers: Concept {
        menu: &FLOWERS,
        names: &["{hood} Flower Shop", "Petal & Stem", "The Bloom Room"],
    },
    alcohol: Some(Concept {
        menu: &ALCOHOL,
        names: &[
            "{hood} Wine & Spirits",
            "Bottle King",
            "The Liquor Cabinet",
            "Vine & Barrel",
        ],
    }),
    drinks: &US_DRINKS,
    minimum_orders: &[0, 1000, 1200, 1500, 2000],
    fee_bases: &[0, 99, 149, 199, 249],
    fee_steps: &[100, 150],
    reviewers: &[
        "Emily", "Michael", "Sarah", "David", "Jessica", "Chris", "Ashley", "Daniel", "Olivia",
        "Marcus", "Priya", "José",
    ],
    food_comments: [
        &[
            "Arrived hot and fast. Will order again!",
            "Best delivery in the neighborhood, hands down.",
            "Generous portions and a friendly courier.",
            "Consistently great, my go-to on Friday nights.",
            "Everything was perfect, packed with care.",
        ],
        &[
            "Tasty, but delivery took a while.",
            "Decent, a bit pricey for the portion.",
            "Good food, the packaging could be better.",
        ],
        &[
            "Order arrived cold.",
            "Missing an item; support refunded it though.",
            "Not what it used to be.",
        ],
    ],
    shop_comments: [
        &[
            "Everything in stock and well packed.",
            "Super quick, exactly what I ordered.",
            "Lifesaver at 11 pm. Thank you!",
        ],
        &[
            "One item was substituted without asking.",
            "Fine, but the delivery window slipped.",
        ],
        &["Half my order was missing.", "Items arrived damaged."],
    ],
    holidays: &["2026-11-26", "2026-12-25", "2027-01-01"],
};

// Germany.

const DE_DRINKS: SectionTemplate = local_section(
    "Getränke",
    &[
        item("Coca-Cola", "0,33 l.", 290).tags(VEGAN_GF),
        item("fritz-kola", "0,33 l.", 330).tags(VEGAN_GF),
        item("Club-Mate", "0,5 l.", 350).tags(VEGAN_GF),
        item("Apfelschorle", "0,5 l.", 320).tags(VEGAN_GF),
        item("Spezi", "0,33 l.", 290).tags(VEGAN_GF),
        item("Mineralwasser", "0,5 l, still oder sprudelnd.", 250).tags(VEGAN_GF),
        item("Pils", "0,33 l. Ab 16 Jahren.", 350).alcohol(),
        item("Radler", "0,5 l. Ab 16 Jahren.", 380).alcohol(),
    ],
);

const SOSSEN: GroupTemplate = local_group(
    "Soßen",
    1,
    3,
    &[
        ("Knoblauch", 0),
        ("Kräuter", 0),
        ("Scharf", 0),
        ("Cocktail", 0),
    ],
);
const DOENER_EXTRAS: GroupTemplate = local_group(
    "Extras",
    0,
    3,
    &[
        ("Extra Fleisch", 200),
        ("Schafskäse", 100),
        ("Halloumi", 150),
        ("Ohne Zwiebeln", 0),
    ],
);
const SCHAERFE: GroupTemplate = local_group(
    "Schärfe",
    1,
    1,
    &[
        ("Mild", 0),
        ("Mittel", 0),
        ("Scharf", 0),
        ("Höllisch scharf", 50),
    ],
);
const POMMES_SOSSE: GroupTemplate = local_group(
    "Soße",
    0,
    2,
    &[
        ("Ketchup", 30),
        ("Mayo", 30),
        ("Rot-Weiß", 50),
        ("Trüffelmayo", 90),
    ],
);

const KEBAB: MenuTemplate = MenuTemplate {
    cuisines: &["kebab", "turkish"],
    descriptions: &[
        "Döner vom Spieß, Brot aus dem eigenen Ofen.",
        "Kebap, Dürüm und Pide seit 1998.",
        "Frisches Gemüse, hausgemachte Soßen, Fleisch halal.",
    ],
    sections: &[
        &local_section(
            "Döner & Dürüm",
            &[
                item(
                    "Döner im Brot",
                    "Kalbfleisch, Salat, Tomaten, Zwiebeln, Rotkohl.",
                    700,
                )
                .tags(HALAL)
                .groups(&[&SOSSEN, &DOENER_EXTRAS]),
                item("Dürüm Döner", "Im Yufka gerollt.", 800)
                    .tags(HALAL)
                    .groups(&[&SOSSEN, &DOENER_EXTRAS]),
                item(
                    "Döner-Teller mit Pommes",
                    "Fleisch, Pommes, Salat, Soße.",
                    1250,
                )
                .tags(HALAL)
                .groups(&[&SOSSEN]),
                item("Dönerbox", "Fleisch und Pommes in der Box.", 650)
                    .tags(HALAL)
                    .groups(&[&SOSSEN]),
                item("Hähnchen-Döner", "Hähnchenfleisch im Brot.", 700)
                    .tags(HALAL)
                    .groups(&[&SOSSEN, &DOENER_EXTRAS]),
                item(
                    "Veggie-Döner mit Halloumi",
                    "Gegrillter Halloumi, Gemüse.",
                    700,
                )
                .tags(V)
                .groups(&[&SOSSEN, &DOENER_EXTRAS]),
                item("Falafel-Dürüm", "Falafel, Hummus, Salat.", 750)
                    .tags(VEGAN)
                    .groups(&[&SOSSEN]),
                item(
                    "Lahmacun",
                    "Türkische Pizza mit Hackfleisch, Salat und Zitrone.",
                    600,
                )
                .tags(HALAL)
                .groups(&[&SOSSEN]),
            ],
        ),
        &local_section(
            "Pide",
            &[
                item("Pide mit Käse", "Aus dem Steinofen.", 950).tags(V),
                item("Pide mit Sucuk und Ei", "Knoblauchwurst vom Rind.", 1100).tags(HALAL),
                item("Pide mit Spinat und Schafskäse", "Mit Sesam.", 1000).tags(V),
                item(
                    "Pide mit Hackfleisch",
                    "Rinderhack, Paprika, Zwiebeln.",
                    1050,
                )
                .tags(HALAL),
            ],
        ),
        &local_section(
            "Beilagen & Salate",
            &[
                item("Pommes", "Goldgelb.", 400)
                    .tags(VEGAN_GF)
                    .groups(&[&POMMES_SOSSE]),
                item("Hirtensalat", "Tomaten, Gurken, Zwiebeln, Schafskäse.", 750).tags(V_GF),
                item("Hummus mit Fladenbrot", "Hausgemacht.", 550).tags(VEGAN),
                item("Cacık", "Joghurt, Gurke, Knoblauch.", 450).tags(V_GF),
                item("Sigara Börek", "Vier Röllchen mit Schafskäse.", 450).tags(V),
                item("Linsensuppe", "Mercimek, mit Zitrone.", 500).tags(VEGAN_GF),
            ],
        ),
        &local_section(
            "Süßes",
            &[
                item("Baklava", "Drei Stück, mit Pistazien.", 450).tags(V),
                item("Künefe", "Warm, mit Käse und Sirup.", 650).tags(V),
                item("Sütlaç", "Ofen-Milchreis.", 400).tags(V_GF),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::LateNight,
};

const GERMAN: MenuTemplate = MenuTemplate {
    cuisines: &["german", "currywurst"],
    descriptions: &[
        "Currywurst wie früher, Pommes doppelt frittiert.",
        "Imbiss-Klassiker und Hausmannskost.",
        "Deftig, ehrlich, schnell.",
    ],
    sections: &[
        &local_section(
            "Currywurst",
            &[
                item("Currywurst", "Mit hausgemachter Currysoße.", 450)
                    .pork()
                    .groups(&[&SCHAERFE]),
                item("Currywurst mit Pommes", "Der Klassiker.", 750)
                    .pork()
                    .groups(&[&SCHAERFE, &POMMES_SOSSE]),
                item("Currywurst ohne Darm", "Berliner Art.", 500)
                    .pork()
                    .groups(&[&SCHAERFE]),
                item("Vegane Currywurst", "Auf Erbsenbasis.", 550)
                    .tags(VEGAN)
                    .groups(&[&SCHAERFE]),
                item("Geflügel-Currywurst", "Aus Hähnchen und Pute.", 500).groups(&[&SCHAERFE]),
            ],
        ),
        &local_section(
            "Klassiker",
            &[
                item(
                    "Schnitzel Wiener Art",
                    "Vom Schwein, mit Pommes und Zitrone.",
                    1450,
                )
                .pork(),
                item("Hähnchenschnitzel", "Mit Pommes und Salat.", 1390),
                item("Frikadelle mit Kartoffelsalat", "Nach Omas Rezept.", 990).pork(),
                item("Bratwurst im Brötchen", "Mit Senf.", 450).pork(),
                item("Leberkässemmel", "Mit süßem Senf.", 450).pork(),
                item("Käsespätzle", "Mit Röstzwiebeln.", 1190).tags(V),
                item("Kartoffelpuffer", "Drei Stück, mit Apfelmus.", 790).tags(V),
            ],
        ),
        &local_section(
            "Beilagen",
            &[
                item("Pommes Schranke", "Mit Ketchup und Mayo.", 400)
                    .tags(V)
                    .groups(&[&POMMES_SOSSE]),
                item("Kartoffelsalat", "Berliner Art, mit Gurke.", 350).tags(V_GF),
                item("Krautsalat", "Mit Kümmel.", 300).tags(VEGAN_GF),
                item("Brötchen", "Frisch gebacken.", 80).tags(VEGAN),
                item("Gurkensalat", "Mit Dill.", 350).tags(VEGAN_GF),
            ],
        ),
        &local_section(
            "Nachtisch",
            &[
                item("Apfelstrudel", "Mit Vanillesoße.", 550).tags(V),
                item("Rote Grütze", "Mit Vanillesoße.", 450).tags(V_GF),
                item("Kaiserschmarrn", "Mit Apfelmus und Puderzucker.", 790).tags(V),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Restaurant,
};

const DE_HOT_FOOD: SectionTemplate = local_section(
    "Snacks & Kaffee",
    &[
        item("Käsebrötchen", "Mit Gouda und Gurke.", 290).tags(V),
        item("Bockwurst mit Brötchen", "Und Senf.", 350).pork(),
        item("Laugenbrezel", "Frisch aufgebacken.", 150).tags(VEGAN),
        item("Franzbrötchen", "Zimt und Zucker.", 180).tags(V),
        item("Kaffee to go", "0,3 l.", 220).tags(VEGAN_GF),
        item("Wegbier", "Pils, 0,5 l. Ab 16 Jahren.", 150).alcohol(),
    ],
);

const DE_CONVENIENCE: MenuTemplate = MenuTemplate {
    cuisines: &[],
    descriptions: &[
        "Der Späti um die Ecke: Getränke, Snacks und alles Wichtige.",
        "Kiosk mit Herz, bis spät in die Nacht.",
    ],
    sections: &[
        &DE_HOT_FOOD,
        &CONVENIENCE_SNACKS,
        &CONVENIENCE_DRINKS,
        &CONVENIENCE_ESSENTIALS,
        &CONVENIENCE_BEER,
    ],
    has_desserts: true,
    hours: HoursStyle::Convenience,
};

pub(super) const GERMANY: Market = Market {
    country: "DE",
    currency: "EUR",
    kind: Country::Germany,
    restaurants: &[
        Concept {
            menu: &KEBAB,
            names: &[
                "Mustafa's Gemüse Kebap",
                "Döner {hood}",
                "Istanbul Grill",
                "Bosporus Imbiss",
                "Antalya Kebap Haus",
            ],
        },
        Concept {
            menu: &GERMAN,
            names: &[
                "Currywurst Eck",
                "Wurstbude {hood}",
                "Imbiss Schmidt",
                "Gasthaus Zum Löwen",
                "Curry & Co.",
            ],
        },
        Concept {
            menu: &PIZZA,
            names: &[
                "Pizzeria Da Mario",
                "La Piazza {hood}",
                "Pizzeria Bella Napoli",
                "Trattoria Roma",
                "Il Forno",
            ],
        },
        Concept {
            menu: &BURGERS,
            names: &[
                "Burgerei {hood}",
                "Bun Bun Burger",
                "Grill & Patty",
                "Kiezburger",
            ],
        },
        Concept {
            menu: &SUSHI,
            names: &[
                "Sushi Bar Kyoto",
                "Sakura Sushi {hood}",
                "Maki Maki",
                "Sushi Yuki",
            ],
        },
        Concept {
            menu: &THAI,
            names: &[
                "Thai Orchidee",
                "Bangkok Imbiss",
                "Sawasdee {hood}",
                "Lotus Thai",
            ],
        },
        Concept {
            menu: &INDIAN,
            names: &[
                "Ganesha",
                "Taj Mahal {hood}",
                "Masala Haus",
                "Namaste India",
            ],
        },
        Concept {
            menu: &SALADS,
            names: &[
                "Salatbar {hood}",
                "Grünzeug",
                "Bowl & Blatt",
                "Das Grüne Glück",
            ],
        },
        Concept {
            menu: &BAKERY,
            names: &[
                "Bäckerei Müller",
                "Backstube {hood}",
                "Brotzeit",
                "Konditorei Sommer",
                "Kaffee & Kuchen",
            ],
        },
    ],
    all_night: &[
        Concept {
            menu: &KEBAB,
            names: &["Nacht-Döner {hood}", "Kebap 24", "Sultan Döner"],
        },
        Concept {
            menu: &GERMAN,
            names: &["Currywurst 24", "Imbiss Nachteule"],
        },
        Concept {
            menu: &PIZZA,
            names: &["Pizza Nonstop", "Nachtpizza {hood}"],
        },
    ],
    grocery: Concept {
        menu: &GROCERY,
        names: &[
            "Frischemarkt {hood}",
            "Bioladen Grünkorn",
            "Kiezmarkt {hood}",
            "Markthalle Sonnenschein",
        ],
    },
    pharmacy: Concept {
        menu: &PHARMACY,
        names: &[
            "Löwen-Apotheke",
            "Stern-Apotheke",
            "Apotheke am {hood}",
            "Rosen-Apotheke",
        ],
    },
    convenience: Concept {
        menu: &DE_CONVENIENCE,
        names: &["Späti {hood}", "Kiosk am Eck", "Spätkauf 24"],
    },
    flowers: Concept {
        menu: &FLOWERS,
        names: &["Blumen {hood}", "Blumenhaus Rosa", "Blütenzauber"],
    },
    alcohol: Some(Concept {
        menu: &ALCOHOL,
        names: &[
            "Weinhandlung {hood}",
            "Getränkemarkt Fass",
            "Weinkeller Vogel",
            "Bier & Wein {hood}",
        ],
    }),
    drinks: &DE_DRINKS,
    minimum_orders: &[0, 1000, 1200, 1500],
    fee_bases: &[0, 99, 149, 199],
    fee_steps: &[100, 50],
    reviewers: &[
        "Lena", "Jonas", "Anna", "Lukas", "Sophie", "Felix", "Marie", "Paul", "Laura", "Tim",
        "Leonie", "Emre",
    ],
    food_comments: [
        &[
            "Super lecker und schnell geliefert!",
            "Alles kam noch heiß an. Gerne wieder.",
            "Top Qualität, faire Preise.",
            "Unser Lieblingsladen im Kiez.",
            "Great food, very friendly driver.",
        ],
        &[
            "Gut, aber die Lieferung hat gedauert.",
            "Ganz okay, Portion etwas klein.",
            "Lecker, aber lauwarm.",
        ],
        &[
            "Leider kalt angekommen.",
            "Bestellung war unvollständig.",
            "Früher war es besser.",
        ],
    ],
    shop_comments: [
        &[
            "Alles da und ordentlich verpackt.",
            "Blitzschnell geliefert, danke!",
            "Sehr freundlicher Service.",
        ],
        &[
            "Ein Artikel wurde ersetzt, ohne zu fragen.",
            "In Ordnung, aber später als angekündigt.",
        ],
        &["Die Hälfte fehlte.", "Ware kam beschädigt an."],
    ],
    holidays: &["2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01"],
};

// Japan.

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

pub(super) const JAPAN: Market = Market {
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

// Kuwait: no alcohol, no pork, Friday weekend.

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

pub(super) const KUWAIT: Market = Market {
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

/// Every demo market.
pub(super) const MARKETS: [&Market; 4] = [&UNITED_STATES, &GERMANY, &JAPAN, &KUWAIT];
