//! The international cuisines every market serves, priced in reference cents.

use super::{
    ADD_PROTEIN, ASIAN_PROTEIN, BURGER_EXTRAS, BURGER_MEAL, COFFEE_EXTRAS, COFFEE_SIZE,
    DESSERT_EXTRAS, DIM_SUM_PORTION, DRESSING, GF, MILK, NIGIRI_PIECES, PIZZA_SIZE, PIZZA_TOPPINGS,
    RICE_OR_NAAN, SHAKE_SIZE, SPICE, SUSHI_EXTRAS, V, V_GF, VEGAN, VEGAN_GF,
};
use crate::templates::{HoursStyle, MenuTemplate, item, section};

pub(crate) const PIZZA: MenuTemplate = MenuTemplate {
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

pub(crate) const BURGERS: MenuTemplate = MenuTemplate {
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

pub(crate) const SUSHI: MenuTemplate = MenuTemplate {
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

pub(crate) const THAI: MenuTemplate = MenuTemplate {
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

pub(crate) const INDIAN: MenuTemplate = MenuTemplate {
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

pub(crate) const SALADS: MenuTemplate = MenuTemplate {
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

pub(crate) const BAKERY: MenuTemplate = MenuTemplate {
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

pub(crate) const CHINESE: MenuTemplate = MenuTemplate {
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
