//! Germany: prices like 12,90 €, döner and currywurst; shops close on Sundays.

use super::{Country, Market};
use crate::menus::{
    ALCOHOL, BAKERY, BURGERS, CONVENIENCE_BEER, CONVENIENCE_DRINKS, CONVENIENCE_ESSENTIALS,
    CONVENIENCE_SNACKS, FLOWERS, GROCERY, HALAL, INDIAN, PHARMACY, PIZZA, SALADS, SUSHI, THAI, V,
    V_GF, VEGAN, VEGAN_GF,
};
use crate::templates::{
    Concept, GroupTemplate, HoursStyle, MenuTemplate, SectionTemplate, item, local_group,
    local_section,
};

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

pub(crate) const GERMANY: Market = Market {
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
