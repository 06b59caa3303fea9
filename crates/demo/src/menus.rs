//! Menus served in every market, priced in reference cents: the international cuisines,
//! the shops, and the shared desserts. Market-specific menus live in [`super::markets`].

use mercato_core::geo::TaxClass;
use mercato_core::identity::DietaryTag::{self, DairyFree, GlutenFree, Halal, Vegan, Vegetarian};

use super::templates::{
    GroupTemplate, HoursStyle, MenuTemplate, SectionTemplate, group, item, section,
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

// International cuisines.

pub(super) const PIZZA: MenuTemplate = MenuTemplate {
    cuisines: &["pizza", "italian"],
    descriptions: &[
        "Neapolitan-style pizza from a wood-fired oven.",
        "Hand-stretched dough proofed for 48 hours, classic Italian toppings.",
        "Family pizzeria since 1987: pizza, pasta and tiramisu.",
    ],
    sections: &[
        &section(
            "Pizzas",
            &[
                item(
                    "Margherita",
                    "San Marzano tomato, fior di latte, fresh basil.",
                    1399,
                )
                .tags(V)
                .groups(&[&PIZZA_SIZE, &PIZZA_TOPPINGS]),
                item("Pepperoni", "Tomato, mozzarella and spicy pepperoni.", 1599)
                    .pork()
                    .groups(&[&PIZZA_SIZE, &PIZZA_TOPPINGS]),
                item(
                    "Quattro formaggi",
                    "Mozzarella, gorgonzola, fontina and parmesan.",
                    1699,
                )
                .tags(V)
                .groups(&[&PIZZA_SIZE, &PIZZA_TOPPINGS]),
                item(
                    "Diavola",
                    "Spicy salami, chilli, tomato and mozzarella.",
                    1649,
                )
                .pork()
                .groups(&[&PIZZA_SIZE, &PIZZA_TOPPINGS]),
                item(
                    "Funghi",
                    "Roasted mushrooms, garlic, thyme and mozzarella.",
                    1499,
                )
                .tags(V)
                .groups(&[&PIZZA_SIZE, &PIZZA_TOPPINGS]),
                item(
                    "Prosciutto e rucola",
                    "Parma ham, rocket and shaved parmesan.",
                    1799,
                )
                .pork()
                .groups(&[&PIZZA_SIZE]),
                item(
                    "Veggie supreme",
                    "Peppers, red onion, olives, mushrooms and sweetcorn.",
                    1599,
                )
                .tags(V)
                .groups(&[&PIZZA_SIZE, &PIZZA_TOPPINGS]),
                item(
                    "BBQ chicken",
                    "Smoky BBQ sauce, roast chicken, red onion and coriander.",
                    1699,
                )
                .groups(&[&PIZZA_SIZE, &PIZZA_TOPPINGS]),
                item(
                    "Marinara",
                    "Tomato, garlic, oregano and olive oil. No cheese.",
                    1199,
                )
                .tags(VEGAN)
                .groups(&[&PIZZA_SIZE]),
                item(
                    "Tonno e cipolla",
                    "Tuna, red onion, capers and mozzarella.",
                    1599,
                )
                .groups(&[&PIZZA_SIZE]),
            ],
        ),
        &section(
            "Starters",
            &[
                item(
                    "Garlic bread",
                    "Stone-baked with garlic butter and parsley.",
                    599,
                )
                .tags(V),
                item(
                    "Cheesy garlic bread",
                    "Garlic bread under melted mozzarella.",
                    699,
                )
                .tags(V),
                item(
                    "Bruschetta",
                    "Grilled bread, tomato, basil and olive oil.",
                    749,
                )
                .tags(VEGAN),
                item(
                    "Mozzarella sticks",
                    "Six breaded sticks with marinara dip.",
                    799,
                )
                .tags(V),
                item("Chicken wings", "Eight wings, oven-roasted.", 999).groups(&[&SPICE]),
                item(
                    "Caprese salad",
                    "Buffalo mozzarella, tomato and basil.",
                    899,
                )
                .tags(V_GF),
            ],
        ),
        &section(
            "Pasta",
            &[
                item(
                    "Spaghetti carbonara",
                    "Guanciale, egg yolk, pecorino and black pepper.",
                    1499,
                )
                .pork(),
                item("Penne arrabbiata", "Tomato, garlic and chilli.", 1299).tags(VEGAN),
                item(
                    "Lasagne al forno",
                    "Slow-cooked beef ragù and béchamel.",
                    1599,
                ),
                item(
                    "Tagliatelle al pesto",
                    "Basil pesto, pine nuts and parmesan.",
                    1399,
                )
                .tags(V),
                item(
                    "Gnocchi alla sorrentina",
                    "Potato gnocchi baked with tomato and mozzarella.",
                    1399,
                )
                .tags(V),
            ],
        ),
        &section(
            "Desserts",
            &[
                item(
                    "Tiramisu",
                    "Mascarpone, espresso-soaked savoiardi, cocoa.",
                    699,
                )
                .tags(V),
                item("Panna cotta", "Vanilla cream with berry coulis.", 599).tags(V_GF),
                item(
                    "Cannoli",
                    "Two Sicilian cannoli with ricotta and pistachio.",
                    649,
                )
                .tags(V),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Restaurant,
};

pub(super) const BURGERS: MenuTemplate = MenuTemplate {
    cuisines: &["burgers", "american"],
    descriptions: &[
        "Smashed patties, potato buns and hand-cut fries.",
        "Dry-aged beef burgers and thick milkshakes.",
        "Burgers, wings and shakes, made to order.",
    ],
    sections: &[
        &section(
            "Burgers",
            &[
                item(
                    "Classic burger",
                    "Beef patty, lettuce, tomato, pickles and house sauce.",
                    1199,
                )
                .groups(&[&BURGER_EXTRAS, &BURGER_MEAL]),
                item(
                    "Cheeseburger",
                    "Beef patty, double cheddar, onion and pickles.",
                    1299,
                )
                .groups(&[&BURGER_EXTRAS, &BURGER_MEAL]),
                item(
                    "Bacon cheeseburger",
                    "Smoked bacon, cheddar and BBQ mayo.",
                    1449,
                )
                .pork()
                .groups(&[&BURGER_EXTRAS, &BURGER_MEAL]),
                item(
                    "Double smash burger",
                    "Two smashed patties, American cheese, onions.",
                    1599,
                )
                .groups(&[&BURGER_EXTRAS, &BURGER_MEAL]),
                item(
                    "Crispy chicken burger",
                    "Buttermilk fried chicken, slaw and hot honey.",
                    1299,
                )
                .groups(&[&BURGER_EXTRAS, &BURGER_MEAL]),
                item(
                    "Mushroom Swiss burger",
                    "Sautéed mushrooms and melted Swiss cheese.",
                    1399,
                )
                .groups(&[&BURGER_EXTRAS, &BURGER_MEAL]),
                item(
                    "Halloumi burger",
                    "Grilled halloumi, roasted peppers and harissa mayo.",
                    1199,
                )
                .tags(V)
                .groups(&[&BURGER_MEAL]),
                item(
                    "Plant-based burger",
                    "Plant-based patty, vegan cheese and tomato.",
                    1399,
                )
                .tags(VEGAN)
                .groups(&[&BURGER_MEAL]),
                item(
                    "BBQ onion ring burger",
                    "Beef patty, onion rings, cheddar and BBQ sauce.",
                    1449,
                )
                .groups(&[&BURGER_EXTRAS, &BURGER_MEAL]),
            ],
        ),
        &section(
            "Sides",
            &[
                item("Fries", "Hand-cut, skin on, sea salt.", 449).tags(VEGAN_GF),
                item("Sweet potato fries", "With chipotle mayo.", 549).tags(V),
                item("Onion rings", "Beer-battered.", 549).tags(V),
                item("Mac & cheese", "Three-cheese sauce, crunchy crumbs.", 649).tags(V),
                item("Chicken tenders", "Four tenders with honey mustard.", 899),
                item("Coleslaw", "Creamy cabbage and carrot slaw.", 349).tags(V_GF),
            ],
        ),
        &section(
            "Shakes",
            &[
                item("Vanilla shake", "Madagascar vanilla soft-serve.", 649)
                    .tags(V_GF)
                    .groups(&[&SHAKE_SIZE]),
                item("Chocolate shake", "Belgian chocolate.", 649)
                    .tags(V_GF)
                    .groups(&[&SHAKE_SIZE]),
                item("Strawberry shake", "Real strawberries.", 649)
                    .tags(V_GF)
                    .groups(&[&SHAKE_SIZE]),
                item("Salted caramel shake", "House caramel and sea salt.", 699)
                    .tags(V)
                    .groups(&[&SHAKE_SIZE]),
                item("Cookies & cream shake", "Crushed chocolate cookies.", 699)
                    .tags(V)
                    .groups(&[&SHAKE_SIZE]),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Restaurant,
};

pub(super) const SUSHI: MenuTemplate = MenuTemplate {
    cuisines: &["sushi", "japanese"],
    descriptions: &[
        "Nigiri, rolls and sashimi cut to order.",
        "Fresh fish delivered daily, rice seasoned the Edo way.",
        "Sushi bar with generous sets for sharing.",
    ],
    sections: &[
        &section(
            "Nigiri",
            &[
                item("Salmon nigiri", "Norwegian salmon on seasoned rice.", 599)
                    .tags(GF)
                    .groups(&[&NIGIRI_PIECES]),
                item("Tuna nigiri", "Yellowfin tuna.", 699)
                    .tags(GF)
                    .groups(&[&NIGIRI_PIECES]),
                item("Yellowtail nigiri", "Hamachi with a touch of yuzu.", 749)
                    .groups(&[&NIGIRI_PIECES]),
                item("Eel nigiri", "Grilled unagi with sweet tare.", 749).groups(&[&NIGIRI_PIECES]),
                item("Shrimp nigiri", "Poached ebi.", 549)
                    .tags(GF)
                    .groups(&[&NIGIRI_PIECES]),
                item("Tamago nigiri", "Sweet rolled omelette.", 449)
                    .tags(V)
                    .groups(&[&NIGIRI_PIECES]),
                item("Avocado nigiri", "Ripe avocado and sesame.", 449)
                    .tags(VEGAN)
                    .groups(&[&NIGIRI_PIECES]),
            ],
        ),
        &section(
            "Rolls",
            &[
                item(
                    "California roll",
                    "Crab stick, avocado, cucumber, tobiko.",
                    899,
                )
                .groups(&[&SUSHI_EXTRAS]),
                item("Spicy tuna roll", "Tuna, spicy mayo, spring onion.", 999)
                    .groups(&[&SUSHI_EXTRAS]),
                item("Salmon avocado roll", "Salmon and avocado.", 949).groups(&[&SUSHI_EXTRAS]),
                item("Cucumber roll", "Kappa maki.", 599).tags(VEGAN),
                item(
                    "Dragon roll",
                    "Shrimp tempura topped with eel and avocado.",
                    1499,
                )
                .groups(&[&SUSHI_EXTRAS]),
                item(
                    "Rainbow roll",
                    "California roll topped with five kinds of fish.",
                    1599,
                )
                .groups(&[&SUSHI_EXTRAS]),
                item(
                    "Shrimp tempura roll",
                    "Crispy shrimp, cucumber, spicy mayo.",
                    1199,
                )
                .groups(&[&SUSHI_EXTRAS]),
                item(
                    "Veggie futomaki",
                    "Pickled radish, shiitake, cucumber, spinach.",
                    899,
                )
                .tags(VEGAN),
            ],
        ),
        &section(
            "Sets & bowls",
            &[
                item(
                    "Sushi set (12 pieces)",
                    "Chef's selection of nigiri and maki.",
                    2499,
                ),
                item(
                    "Sashimi moriawase",
                    "Fifteen slices of the day's fish.",
                    2799,
                )
                .tags(GF),
                item("Chirashi bowl", "Assorted sashimi over sushi rice.", 2199),
                item("Salmon don", "Salmon sashimi and ikura over rice.", 1799),
                item(
                    "Vegetarian set",
                    "Ten pieces of vegetable nigiri and maki.",
                    1699,
                )
                .tags(V),
            ],
        ),
        &section(
            "Sides",
            &[
                item("Miso soup", "Tofu, wakame and spring onion.", 349),
                item("Edamame", "Steamed, with sea salt.", 499).tags(VEGAN_GF),
                item("Seaweed salad", "Wakame with sesame dressing.", 549).tags(VEGAN),
                item("Chicken gyoza", "Five pan-fried dumplings.", 699),
                item("Chicken karaage", "Japanese fried chicken with lemon.", 899),
            ],
        ),
    ],
    has_desserts: false,
    hours: HoursStyle::Restaurant,
};

pub(super) const THAI: MenuTemplate = MenuTemplate {
    cuisines: &["thai"],
    descriptions: &[
        "Bangkok street food, curries from scratch.",
        "Family recipes from Chiang Mai and Bangkok.",
        "Fresh herbs, fiery woks, coconut curries.",
    ],
    sections: &[
        &section(
            "Curries",
            &[
                item(
                    "Green curry",
                    "Coconut milk, Thai basil, aubergine, bamboo shoots.",
                    1499,
                )
                .tags(GF)
                .groups(&[&ASIAN_PROTEIN, &SPICE]),
                item(
                    "Red curry",
                    "Coconut milk, red chilli paste, bell pepper.",
                    1499,
                )
                .tags(GF)
                .groups(&[&ASIAN_PROTEIN, &SPICE]),
                item("Massaman curry", "Potato, peanuts, warm spices.", 1599)
                    .groups(&[&ASIAN_PROTEIN]),
                item("Panang curry", "Thick, rich, kaffir lime.", 1549)
                    .groups(&[&ASIAN_PROTEIN, &SPICE]),
                item("Jungle curry", "No coconut, lots of heat.", 1549)
                    .groups(&[&ASIAN_PROTEIN, &SPICE]),
            ],
        ),
        &section(
            "Noodles & rice",
            &[
                item(
                    "Pad thai",
                    "Rice noodles, tamarind, peanuts, bean sprouts.",
                    1449,
                )
                .groups(&[&ASIAN_PROTEIN, &SPICE]),
                item(
                    "Pad see ew",
                    "Wide noodles, Chinese broccoli, sweet soy.",
                    1449,
                )
                .groups(&[&ASIAN_PROTEIN]),
                item("Drunken noodles", "Wide noodles, holy basil, chilli.", 1449)
                    .groups(&[&ASIAN_PROTEIN, &SPICE]),
                item("Khao pad", "Thai fried rice with egg and cucumber.", 1349)
                    .groups(&[&ASIAN_PROTEIN]),
                item("Pad kra pao", "Holy basil stir-fry with a fried egg.", 1449)
                    .groups(&[&ASIAN_PROTEIN, &SPICE]),
            ],
        ),
        &section(
            "Starters & soups",
            &[
                item("Fresh spring rolls", "Rice paper, herbs, peanut dip.", 749).tags(VEGAN),
                item("Chicken satay", "Four skewers with peanut sauce.", 899),
                item("Tom yum soup", "Hot and sour lemongrass soup.", 799)
                    .groups(&[&ASIAN_PROTEIN]),
                item("Tom kha soup", "Coconut and galangal soup.", 849).groups(&[&ASIAN_PROTEIN]),
                item("Som tam", "Green papaya salad, lime, chilli.", 899),
                item("Thai fish cakes", "With sweet chilli dip.", 899),
            ],
        ),
        &section(
            "Desserts",
            &[
                item(
                    "Mango sticky rice",
                    "Sweet coconut rice and ripe mango.",
                    799,
                )
                .tags(VEGAN_GF),
                item("Coconut ice cream", "With roasted peanuts.", 599).tags(VEGAN),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Restaurant,
};

pub(super) const INDIAN: MenuTemplate = MenuTemplate {
    cuisines: &["indian"],
    descriptions: &[
        "North Indian curries and a clay tandoor.",
        "Curries, biryanis and fresh naan from the tandoor.",
        "Punjabi home cooking, spiced to your taste.",
    ],
    sections: &[
        &section(
            "Curries",
            &[
                item(
                    "Butter chicken",
                    "Tandoori chicken in a tomato and butter sauce.",
                    1599,
                )
                .tags(GF)
                .groups(&[&RICE_OR_NAAN, &SPICE]),
                item(
                    "Chicken tikka masala",
                    "Charred chicken tikka, creamy masala.",
                    1599,
                )
                .tags(GF)
                .groups(&[&RICE_OR_NAAN, &SPICE]),
                item(
                    "Lamb rogan josh",
                    "Kashmiri chilli, slow-cooked lamb.",
                    1799,
                )
                .groups(&[&RICE_OR_NAAN, &SPICE]),
                item("Lamb vindaloo", "Fiery Goan-style curry.", 1749).groups(&[&RICE_OR_NAAN]),
                item("Palak paneer", "Spinach and fresh cottage cheese.", 1399)
                    .tags(V_GF)
                    .groups(&[&RICE_OR_NAAN, &SPICE]),
                item("Chana masala", "Chickpeas, tomato, ginger.", 1199)
                    .tags(VEGAN_GF)
                    .groups(&[&RICE_OR_NAAN, &SPICE]),
                item("Dal makhani", "Black lentils simmered overnight.", 1299)
                    .tags(V_GF)
                    .groups(&[&RICE_OR_NAAN]),
                item("Prawn korma", "Mild, creamy, with cashews.", 1799).groups(&[&RICE_OR_NAAN]),
            ],
        ),
        &section(
            "From the tandoor",
            &[
                item(
                    "Tandoori chicken",
                    "Half chicken marinated in yoghurt and spices.",
                    1599,
                )
                .tags(GF),
                item("Chicken tikka", "Boneless chicken, mint chutney.", 1399).tags(GF),
                item("Seekh kebab", "Minced lamb skewers.", 1399),
                item("Paneer tikka", "Grilled paneer, peppers and onion.", 1299).tags(V_GF),
            ],
        ),
        &section(
            "Breads & rice",
            &[
                item("Plain naan", "Baked in the tandoor.", 299).tags(V),
                item("Garlic naan", "With garlic and coriander.", 399).tags(V),
                item("Peshawari naan", "Coconut, almond and raisin.", 449).tags(V),
                item("Basmati rice", "Steamed.", 349).tags(VEGAN_GF),
                item("Chicken biryani", "Layered rice, saffron, raita.", 1699).groups(&[&SPICE]),
                item(
                    "Vegetable biryani",
                    "Layered rice, seasonal vegetables, raita.",
                    1399,
                )
                .tags(V),
            ],
        ),
        &section(
            "Starters",
            &[
                item("Vegetable samosas", "Two, with tamarind chutney.", 599).tags(V),
                item("Onion bhaji", "Crispy gram-flour fritters.", 599).tags(VEGAN_GF),
                item("Chicken pakora", "Spiced fried chicken bites.", 799),
                item(
                    "Papadums & chutneys",
                    "Mango chutney, mint raita, lime pickle.",
                    399,
                )
                .tags(V),
            ],
        ),
    ],
    has_desserts: false,
    hours: HoursStyle::Restaurant,
};

pub(super) const SALADS: MenuTemplate = MenuTemplate {
    cuisines: &["salads", "healthy"],
    descriptions: &[
        "Big salads, warm bowls and cold-pressed juices.",
        "Seasonal bowls built to order.",
        "Healthy lunches, delivered fast.",
    ],
    sections: &[
        &section(
            "Salads & bowls",
            &[
                item(
                    "Chicken Caesar",
                    "Romaine, grilled chicken, parmesan, croutons.",
                    1249,
                ),
                item(
                    "Greek salad",
                    "Feta, olives, cucumber, tomato, oregano.",
                    1149,
                )
                .tags(V_GF),
                item(
                    "Cobb salad",
                    "Chicken, bacon, egg, avocado, blue cheese.",
                    1399,
                )
                .pork(),
                item(
                    "Quinoa power bowl",
                    "Quinoa, roasted squash, kale, chickpeas.",
                    1349,
                )
                .tags(VEGAN_GF)
                .groups(&[&DRESSING, &ADD_PROTEIN]),
                item(
                    "Salmon poke bowl",
                    "Salmon, sushi rice, edamame, mango.",
                    1549,
                )
                .groups(&[&DRESSING]),
                item(
                    "Harvest bowl",
                    "Wild rice, roasted sweet potato, goat cheese, apple.",
                    1299,
                )
                .tags(V_GF)
                .groups(&[&DRESSING, &ADD_PROTEIN]),
                item("Kale & avocado salad", "Kale, avocado, seeds, lemon.", 1249)
                    .tags(VEGAN_GF)
                    .groups(&[&DRESSING, &ADD_PROTEIN]),
            ],
        ),
        &section(
            "Wraps",
            &[
                item("Falafel wrap", "Falafel, hummus, pickled red cabbage.", 999).tags(VEGAN),
                item(
                    "Chicken Caesar wrap",
                    "Grilled chicken, romaine, parmesan.",
                    1049,
                ),
                item(
                    "Hummus & roasted veg wrap",
                    "Courgette, peppers, hummus.",
                    949,
                )
                .tags(VEGAN),
                item(
                    "Turkey club wrap",
                    "Roast turkey, tomato, lettuce, mayo.",
                    1099,
                ),
            ],
        ),
        &section(
            "Soups",
            &[
                item("Tomato & basil soup", "With sourdough croutons.", 649).tags(VEGAN),
                item("Red lentil soup", "Cumin and lemon.", 649).tags(VEGAN_GF),
                item("Chicken noodle soup", "Slow-simmered broth.", 699),
            ],
        ),
        &section(
            "Juices & smoothies",
            &[
                item("Green juice", "Kale, apple, cucumber, ginger.", 749).tags(VEGAN_GF),
                item("Berry smoothie", "Mixed berries, banana, yoghurt.", 799).tags(V_GF),
                item("Fresh orange juice", "Pressed to order.", 599).tags(VEGAN_GF),
                item("Açaí bowl", "Açaí, granola, banana, berries.", 1099).tags(VEGAN),
            ],
        ),
    ],
    has_desserts: false,
    hours: HoursStyle::Daytime,
};

pub(super) const BAKERY: MenuTemplate = MenuTemplate {
    cuisines: &["bakery", "coffee"],
    descriptions: &[
        "Sourdough, viennoiserie and specialty coffee.",
        "Baked every morning from 5 am.",
        "Neighbourhood bakery and café.",
    ],
    sections: &[
        &section(
            "Bread",
            &[
                item("Sourdough loaf", "Long-fermented country loaf.", 799).tags(VEGAN),
                item("Baguette", "Crisp crust, open crumb.", 399).tags(VEGAN),
                item("Rye bread", "Dark rye with caraway.", 699).tags(VEGAN),
                item("Multigrain loaf", "Sunflower, flax and pumpkin seeds.", 749).tags(VEGAN),
                item("Pretzel", "Soft, with coarse salt.", 299).tags(VEGAN),
            ],
        ),
        &section(
            "Pastries",
            &[
                item("Butter croissant", "Laminated with French butter.", 375).tags(V),
                item("Pain au chocolat", "Two bars of dark chocolate.", 425).tags(V),
                item("Almond croissant", "Frangipane and flaked almonds.", 495).tags(V),
                item("Cinnamon roll", "With cream-cheese glaze.", 450).tags(V),
                item("Blueberry muffin", "Streusel top.", 395).tags(V),
                item("Ham & cheese croissant", "Ham, gruyère, béchamel.", 595).pork(),
            ],
        ),
        &section(
            "Cakes",
            &[
                item("Cheesecake", "A slice of baked vanilla cheesecake.", 595).tags(V),
                item("Carrot cake", "A slice, with cream-cheese frosting.", 575).tags(V),
                item("Chocolate fudge cake", "A slice of triple chocolate.", 595)
                    .tags(V)
                    .groups(&[&DESSERT_EXTRAS]),
                item("Apple pie", "A slice, with cinnamon.", 525)
                    .tags(V)
                    .groups(&[&DESSERT_EXTRAS]),
            ],
        ),
        &section(
            "Coffee",
            &[
                item("Espresso", "Double shot of our house blend.", 300).tags(VEGAN),
                item("Cappuccino", "Espresso and silky foam.", 450)
                    .tags(V)
                    .groups(&[&MILK, &COFFEE_SIZE, &COFFEE_EXTRAS]),
                item("Latte", "Espresso and steamed milk.", 475)
                    .tags(V)
                    .groups(&[&MILK, &COFFEE_SIZE, &COFFEE_EXTRAS]),
                item("Flat white", "Double ristretto, thin microfoam.", 475)
                    .tags(V)
                    .groups(&[&MILK]),
                item("Chai latte", "Spiced black tea and milk.", 495)
                    .tags(V)
                    .groups(&[&MILK, &COFFEE_SIZE]),
                item("Hot chocolate", "Dark chocolate and milk.", 450)
                    .tags(V)
                    .groups(&[&MILK, &COFFEE_SIZE]),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Daytime,
};

pub(super) const CHINESE: MenuTemplate = MenuTemplate {
    cuisines: &["chinese"],
    descriptions: &[
        "Sichuan and Cantonese classics, hand-made dim sum.",
        "Wok-fired dishes and dumplings folded daily.",
        "Chinese comfort food since 1995.",
    ],
    sections: &[
        &section(
            "Mains",
            &[
                item(
                    "Kung pao chicken",
                    "Peanuts, dried chillies, Sichuan pepper.",
                    1499,
                )
                .groups(&[&SPICE]),
                item(
                    "General Tso's chicken",
                    "Crispy chicken in a sweet-spicy glaze.",
                    1499,
                ),
                item("Sweet & sour pork", "Pineapple, peppers, onion.", 1449).pork(),
                item("Beef with broccoli", "Oyster sauce, ginger, garlic.", 1599),
                item(
                    "Mapo tofu",
                    "Silken tofu, minced pork, chilli bean paste.",
                    1349,
                )
                .pork()
                .groups(&[&SPICE]),
                item(
                    "Fish-fragrant aubergine",
                    "Garlic, ginger, black vinegar.",
                    1249,
                )
                .tags(VEGAN),
                item("Orange chicken", "Crispy chicken, orange zest glaze.", 1449),
            ],
        ),
        &section(
            "Noodles & rice",
            &[
                item(
                    "Chicken chow mein",
                    "Egg noodles, bean sprouts, cabbage.",
                    1299,
                ),
                item(
                    "Dan dan noodles",
                    "Spicy sesame sauce and pork mince.",
                    1349,
                )
                .pork(),
                item("Yangzhou fried rice", "Char siu, shrimp, egg, peas.", 1199).pork(),
                item(
                    "Vegetable fried rice",
                    "Egg-free, with seasonal greens.",
                    1049,
                )
                .tags(VEGAN),
                item("Beef ho fun", "Wide rice noodles, wok hei.", 1449),
            ],
        ),
        &section(
            "Dim sum",
            &[
                item("Har gow", "Shrimp dumplings.", 749).groups(&[&DIM_SUM_PORTION]),
                item("Siu mai", "Pork and shrimp dumplings.", 699)
                    .pork()
                    .groups(&[&DIM_SUM_PORTION]),
                item("Char siu bao", "Three barbecue pork buns.", 699).pork(),
                item("Vegetable spring rolls", "Four, with sweet chilli.", 599).tags(VEGAN),
                item("Pork & chive dumplings", "Six, pan-fried.", 849).pork(),
                item("Xiao long bao", "Six soup dumplings.", 999).pork(),
            ],
        ),
        &section(
            "Soups",
            &[
                item("Hot & sour soup", "Tofu, mushrooms, egg ribbons.", 549),
                item("Wonton soup", "Pork and shrimp wontons.", 649).pork(),
                item("Egg drop soup", "Silky egg ribbons, spring onion.", 499).tags(V),
            ],
        ),
    ],
    has_desserts: false,
    hours: HoursStyle::Restaurant,
};

// Shops.

pub(super) const GROCERY: MenuTemplate = MenuTemplate {
    cuisines: &[],
    descriptions: &[
        "Fresh produce, dairy and pantry staples in under an hour.",
        "Your neighbourhood supermarket, delivered.",
        "Groceries, household and organic essentials.",
    ],
    sections: &[
        &section(
            "Fruit & vegetables",
            &[
                item("Bananas", "1 kg.", 199).tags(VEGAN_GF),
                item("Avocados", "Pack of 2, ready to eat.", 349).tags(VEGAN_GF),
                item("Vine tomatoes", "500 g.", 349).tags(VEGAN_GF),
                item("Baby spinach", "200 g bag.", 299).tags(VEGAN_GF),
                item("Apples", "1 kg, crisp and sweet.", 449).tags(VEGAN_GF),
                item("Strawberries", "400 g punnet.", 499).tags(VEGAN_GF),
                item("Lemons", "Pack of 4.", 249).tags(VEGAN_GF),
                item("Onions", "1 kg net.", 199).tags(VEGAN_GF),
            ],
        ),
        &section(
            "Dairy & eggs",
            &[
                item("Whole milk", "1 l.", 179).tags(V_GF),
                item("Free-range eggs", "Box of 10.", 449).tags(V_GF),
                item("Greek yoghurt", "500 g.", 399).tags(V_GF),
                item("Butter", "250 g, salted.", 449).tags(V_GF),
                item("Mature cheddar", "200 g.", 499).tags(V_GF),
                item("Oat drink", "1 l, barista edition.", 299).tags(VEGAN),
            ],
        ),
        &section(
            "Meat & fish",
            &[
                item("Chicken breast fillets", "Fresh, skinless.", 899)
                    .tags(GF)
                    .groups(&[&WEIGHT]),
                item("Minced beef", "5 % fat.", 799)
                    .tags(GF)
                    .groups(&[&WEIGHT]),
                item("Salmon fillets", "2 skin-on fillets, 250 g.", 1099).tags(GF),
                item("Smoked streaky bacon", "200 g.", 549).pork(),
            ],
        ),
        &section(
            "Bakery",
            &[
                item("Sourdough loaf", "Baked this morning.", 549).tags(VEGAN),
                item("Tortilla wraps", "Pack of 8.", 329).tags(VEGAN),
                item("Croissants", "Pack of 4.", 449).tags(V),
            ],
        ),
        &section(
            "Pantry",
            &[
                item("Spaghetti", "500 g, durum wheat.", 199).tags(VEGAN),
                item("Basmati rice", "1 kg.", 399).tags(VEGAN_GF),
                item("Extra virgin olive oil", "500 ml.", 899).tags(VEGAN_GF),
                item("Coffee beans", "250 g, medium roast.", 899).tags(VEGAN_GF),
                item("Chopped tomatoes", "400 g tin.", 149).tags(VEGAN_GF),
                item("Peanut butter", "Crunchy, 340 g.", 449).tags(VEGAN_GF),
                item("Granola", "500 g, honey and almond.", 499).tags(V),
            ],
        ),
        &section(
            "Drinks & household",
            &[
                item("Sparkling water", "6 × 1 l.", 499).tags(VEGAN_GF),
                item("Orange juice", "1 l, not from concentrate.", 349).tags(VEGAN_GF),
                item("Washing-up liquid", "500 ml.", 349).tax(TaxClass::General),
                item("Toilet paper", "8 rolls.", 699).tax(TaxClass::General),
                item("Laundry detergent", "1.5 l, 30 washes.", 1299).tax(TaxClass::General),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Grocery,
};

pub(super) const PHARMACY: MenuTemplate = MenuTemplate {
    cuisines: &[],
    descriptions: &[
        "Over-the-counter medicines and health essentials, delivered discreetly.",
        "Pharmacist-checked orders, fast delivery.",
        "Medicines, vitamins and personal care.",
    ],
    sections: &[
        &section(
            "Pain & fever",
            &[
                item("Ibuprofen 200 mg", "24 tablets.", 699).groups(&[&PACK_SIZE]),
                item("Paracetamol 500 mg", "20 tablets.", 499).groups(&[&PACK_SIZE]),
                item("Aspirin 300 mg", "16 tablets.", 549),
                item("Naproxen 220 mg", "24 tablets.", 899),
                item("Children's fever syrup", "100 ml, from 3 months.", 899),
            ],
        ),
        &section(
            "Cold, flu & allergy",
            &[
                item("Cough syrup", "150 ml, for dry coughs.", 999),
                item("Throat lozenges", "24 lozenges, honey and lemon.", 599),
                item("Decongestant nasal spray", "15 ml.", 799),
                item("Cetirizine 10 mg", "30 tablets, non-drowsy.", 1099).groups(&[&PACK_SIZE]),
                item("Loratadine 10 mg", "30 tablets.", 1099),
                item("Saline nasal spray", "30 ml.", 699),
            ],
        ),
        &section(
            "Vitamins & supplements",
            &[
                item("Vitamin C 1000 mg", "60 tablets.", 999).tax(TaxClass::General),
                item("Vitamin D3 1000 IU", "90 softgels.", 1199).tax(TaxClass::General),
                item("Multivitamin", "60 tablets.", 1399).tax(TaxClass::General),
                item("Magnesium", "60 tablets.", 1099).tax(TaxClass::General),
                item("Omega-3 fish oil", "90 capsules.", 1599).tax(TaxClass::General),
            ],
        ),
        &section(
            "First aid",
            &[
                item("Assorted plasters", "Box of 40.", 449).tax(TaxClass::General),
                item("Antiseptic cream", "30 g.", 649),
                item("Elastic bandage", "8 cm × 4 m.", 549).tax(TaxClass::General),
                item("Digital thermometer", "Fast 10-second reading.", 1299).tax(TaxClass::General),
                item("Hydrocortisone cream 1 %", "15 g.", 799),
            ],
        ),
        &section(
            "Personal care",
            &[
                item("Toothpaste", "75 ml, fluoride.", 399).tax(TaxClass::General),
                item("Sunscreen SPF 50", "200 ml.", 1499).tax(TaxClass::General),
                item("Hand sanitiser", "100 ml.", 349).tax(TaxClass::General),
                item("Lip balm", "SPF 15.", 299).tax(TaxClass::General),
                item("Oral rehydration salts", "10 sachets.", 799),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Pharmacy,
};

/// The convenience-store sections every market shares; each market adds its hot food.
pub(super) const CONVENIENCE_SNACKS: SectionTemplate = section(
    "Snacks",
    &[
        item("Salted crisps", "150 g bag.", 249).tags(VEGAN_GF),
        item("Milk chocolate bar", "100 g.", 179).tags(V),
        item("Salted peanuts", "200 g.", 229).tags(VEGAN_GF),
        item("Gummy bears", "200 g.", 199),
        item("Protein bar", "Chocolate peanut.", 299).tags(V),
        item("Microwave popcorn", "Butter, 3 bags.", 299).tags(V_GF),
    ],
);
pub(super) const CONVENIENCE_DRINKS: SectionTemplate = section(
    "Cold drinks",
    &[
        item("Cola", "500 ml bottle.", 229).tags(VEGAN_GF),
        item("Energy drink", "250 ml can.", 299).tags(VEGAN_GF),
        item("Still water", "500 ml.", 129).tags(VEGAN_GF),
        item("Iced coffee", "250 ml.", 299).tags(V_GF),
        item("Orange juice", "330 ml.", 249).tags(VEGAN_GF),
    ],
);
pub(super) const CONVENIENCE_ESSENTIALS: SectionTemplate = section(
    "Essentials",
    &[
        item("USB-C charging cable", "1 m.", 1299).tax(TaxClass::General),
        item("AA batteries", "Pack of 4.", 699).tax(TaxClass::General),
        item("Ibuprofen 200 mg", "16 tablets.", 599).tax(TaxClass::Medicine),
        item("Toothbrush", "Medium bristles.", 299).tax(TaxClass::General),
        item("Compact umbrella", "Folding.", 1299).tax(TaxClass::General),
        item("Tissues", "Pocket pack of 10.", 199).tax(TaxClass::General),
        item("Milk", "1 l.", 229).tags(V_GF),
    ],
);
pub(super) const CONVENIENCE_BEER: SectionTemplate = section(
    "Beer & wine",
    &[
        item("Lager six-pack", "6 × 330 ml.", 1199).alcohol(),
        item("IPA four-pack", "4 × 440 ml.", 1399).alcohol(),
        item("House red wine", "750 ml.", 1199).alcohol(),
        item("Hard seltzer", "4 × 330 ml, lime.", 1099).alcohol(),
    ],
);

pub(super) const FLOWERS: MenuTemplate = MenuTemplate {
    cuisines: &[],
    descriptions: &[
        "Hand-tied bouquets and houseplants, same-day delivery.",
        "Seasonal flowers arranged by our florists.",
        "Flowers for every occasion.",
    ],
    sections: &[
        &section(
            "Bouquets",
            &[
                item("Red roses", "Twelve long-stemmed roses.", 5499)
                    .groups(&[&BOUQUET_SIZE, &FLOWER_EXTRAS]),
                item(
                    "Seasonal bouquet",
                    "The florist's choice of the week.",
                    3999,
                )
                .groups(&[&BOUQUET_SIZE, &FLOWER_EXTRAS]),
                item("Tulips", "Twenty tulips in mixed colours.", 3499)
                    .groups(&[&BOUQUET_SIZE, &FLOWER_EXTRAS]),
                item("Sunflowers", "Seven sunflowers with eucalyptus.", 3299)
                    .groups(&[&BOUQUET_SIZE, &FLOWER_EXTRAS]),
                item("Peonies", "Blush peonies, in season.", 5999)
                    .groups(&[&BOUQUET_SIZE, &FLOWER_EXTRAS]),
                item(
                    "Pastel garden bouquet",
                    "Roses, lisianthus and stocks.",
                    4499,
                )
                .groups(&[&BOUQUET_SIZE, &FLOWER_EXTRAS]),
                item("White lilies", "Oriental lilies, fragrant.", 3999)
                    .groups(&[&BOUQUET_SIZE, &FLOWER_EXTRAS]),
                item("Wildflower posy", "Small and charming.", 2499).groups(&[&FLOWER_EXTRAS]),
            ],
        ),
        &section(
            "Plants",
            &[
                item("Phalaenopsis orchid", "Two stems, in a ceramic pot.", 3999)
                    .groups(&[&FLOWER_EXTRAS]),
                item("Monstera", "40 cm, easy care.", 4499),
                item("Peace lily", "Air-purifying.", 2999),
                item("Succulent trio", "Three succulents in concrete pots.", 2499),
                item("Snake plant", "Thrives on neglect.", 3499),
                item("Olive tree", "80 cm, for a sunny spot.", 5999),
            ],
        ),
        &section(
            "Gifts & extras",
            &[
                item("Greeting card", "With your handwritten message.", 399),
                item("Scented candle", "Fig and cedar, 200 g.", 2499),
                item("Box of chocolates", "Twelve pralines.", 1999)
                    .tags(V)
                    .tax(TaxClass::Grocery),
                item("Balloon", "Helium, 'Happy birthday'.", 599),
                item("Glass vase", "Fits every bouquet.", 1599),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Flowers,
};

pub(super) const ALCOHOL: MenuTemplate = MenuTemplate {
    cuisines: &[],
    descriptions: &[
        "Wine, craft beer and spirits, chilled and delivered. ID checked at the door.",
        "A cellar of 400 wines and the city's best beer fridge.",
        "Bottles for dinner and for the party.",
    ],
    sections: &[
        &section(
            "Red wine",
            &[
                item("Malbec, Mendoza", "Plum and dark chocolate.", 1599).groups(&[&GIFT_BOX]),
                item("Pinot noir, Burgundy", "Red cherry and forest floor.", 1999)
                    .groups(&[&GIFT_BOX]),
                item("Cabernet sauvignon, Napa", "Blackcurrant and cedar.", 1799)
                    .groups(&[&GIFT_BOX]),
                item("Rioja Crianza", "Vanilla and red fruit.", 1499),
                item("Chianti Classico", "Sour cherry and herbs.", 1899).groups(&[&GIFT_BOX]),
            ],
        ),
        &section(
            "White & rosé",
            &[
                item("Sauvignon blanc, Marlborough", "Gooseberry and lime.", 1399),
                item("Riesling, Mosel", "Off-dry, peach and slate.", 1499),
                item("Chardonnay, Sonoma", "Oaked, buttery.", 1699),
                item("Rosé, Provence", "Pale, dry, strawberry.", 1799),
                item("Pinot grigio", "Crisp and light.", 1299),
            ],
        ),
        &section(
            "Sparkling",
            &[
                item("Prosecco", "Extra dry.", 1499),
                item("Cava brut", "Toasty and fresh.", 1299),
                item("Champagne brut", "Non-vintage.", 4999).groups(&[&GIFT_BOX]),
            ],
        ),
        &section(
            "Beer & cider",
            &[
                item("Lager", "6 × 330 ml.", 1099),
                item("IPA", "4 × 440 ml, hazy.", 1399),
                item("Wheat beer", "6 × 500 ml.", 1299),
                item("Apple cider", "4 × 330 ml.", 999),
                item("Alcohol-free lager", "6 × 330 ml.", 899).tax(TaxClass::Grocery),
            ],
        ),
        &section(
            "Spirits",
            &[
                item("London dry gin", "700 ml.", 2999).groups(&[&GIFT_BOX]),
                item("Kentucky bourbon", "750 ml.", 3499).groups(&[&GIFT_BOX]),
                item("Japanese whisky", "700 ml.", 5999).groups(&[&GIFT_BOX]),
                item("Vodka", "700 ml.", 2499),
                item("Junmai sake", "720 ml.", 2499),
                item("Dark rum", "700 ml.", 2799),
            ],
        ),
        &section(
            "Mixers & snacks",
            &[
                item("Tonic water", "4 × 200 ml.", 499).tax(TaxClass::Grocery),
                item("Ginger beer", "4 × 200 ml.", 549).tax(TaxClass::Grocery),
                item("Bag of ice", "2 kg.", 399).tax(TaxClass::Grocery),
                item("Salted mixed nuts", "200 g.", 399)
                    .tags(VEGAN_GF)
                    .tax(TaxClass::Grocery),
                item("Kettle chips", "150 g.", 349)
                    .tags(VEGAN_GF)
                    .tax(TaxClass::Grocery),
            ],
        ),
    ],
    has_desserts: true,
    hours: HoursStyle::Alcohol,
};

/// Desserts for restaurants whose own menu has none.
pub(super) const DESSERTS: SectionTemplate = section(
    "Desserts",
    &[
        item("Chocolate brownie", "Warm, with a fudgy centre.", 550)
            .tags(V)
            .groups(&[&DESSERT_EXTRAS]),
        item("Baked cheesecake", "New York style.", 650).tags(V),
        item("Vanilla ice cream", "Two scoops.", 450).tags(V_GF),
        item("Fruit salad", "Seasonal fruit, mint.", 500).tags(VEGAN_GF),
    ],
);
