//! The United States: prices like $13.99, burritos and barbecue.

use super::{Country, Market};
use crate::menus::{
    ALCOHOL, BAKERY, BURGERS, CHINESE, CONVENIENCE_BEER, CONVENIENCE_DRINKS,
    CONVENIENCE_ESSENTIALS, CONVENIENCE_SNACKS, FLOWERS, GF, GROCERY, INDIAN, PHARMACY, PIZZA,
    SALADS, SUSHI, THAI, V, V_GF, VEGAN, VEGAN_GF,
};
use crate::templates::{
    Concept, GroupTemplate, HoursStyle, MenuTemplate, SectionTemplate, group, item, local_section,
    section,
};

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

pub(crate) const UNITED_STATES: Market = Market {
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
