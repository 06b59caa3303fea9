//! The shops every market has (grocery, pharmacy, convenience, flowers, alcohol) and the desserts restaurants share.

use mercato_core::geo::TaxClass;

use super::{
    BOUQUET_SIZE, DESSERT_EXTRAS, FLOWER_EXTRAS, GF, GIFT_BOX, PACK_SIZE, V, V_GF, VEGAN, VEGAN_GF,
    WEIGHT,
};
use crate::templates::{HoursStyle, MenuTemplate, SectionTemplate, item, section};

pub(crate) const GROCERY: MenuTemplate = MenuTemplate {
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

pub(crate) const PHARMACY: MenuTemplate = MenuTemplate {
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
pub(crate) const CONVENIENCE_SNACKS: SectionTemplate = section(
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
pub(crate) const CONVENIENCE_DRINKS: SectionTemplate = section(
    "Cold drinks",
    &[
        item("Cola", "500 ml bottle.", 229).tags(VEGAN_GF),
        item("Energy drink", "250 ml can.", 299).tags(VEGAN_GF),
        item("Still water", "500 ml.", 129).tags(VEGAN_GF),
        item("Iced coffee", "250 ml.", 299).tags(V_GF),
        item("Orange juice", "330 ml.", 249).tags(VEGAN_GF),
    ],
);
pub(crate) const CONVENIENCE_ESSENTIALS: SectionTemplate = section(
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
pub(crate) const CONVENIENCE_BEER: SectionTemplate = section(
    "Beer & wine",
    &[
        item("Lager six-pack", "6 × 330 ml.", 1199).alcohol(),
        item("IPA four-pack", "4 × 440 ml.", 1399).alcohol(),
        item("House red wine", "750 ml.", 1199).alcohol(),
        item("Hard seltzer", "4 × 330 ml, lime.", 1099).alcohol(),
    ],
);

pub(crate) const FLOWERS: MenuTemplate = MenuTemplate {
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

pub(crate) const ALCOHOL: MenuTemplate = MenuTemplate {
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
pub(crate) const DESSERTS: SectionTemplate = section(
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
