//! Tests of the customs-item rules.
use super::*;

fn row(description_en: &str, quantity: &str, unit_value_usd: &str) -> ItemFields {
    ItemFields {
        description_en: description_en.into(),
        quantity: quantity.into(),
        unit_value_usd: unit_value_usd.into(),
        hs_code: "6109.10".into(),
        ..ItemFields::default()
    }
}

fn item(description_en: &str) -> CustomsItem {
    parse_items(&[row(description_en, "1", "2.00")]).expect("valid")[0].clone()
}

/// The message key and detail for `field` of a single bad row.
fn error(fields: ItemFields, field: &str) -> (Option<&'static str>, Option<String>) {
    let errors = parse_items(&[fields]).expect_err("invalid");
    let (_, row) = &errors[0];
    (row.get(field), row.detail(field).map(str::to_owned))
}

#[test]
fn a_complete_row_becomes_an_item_from_china() {
    let items = parse_items(&[ItemFields {
        description_zh: "棉质T恤".into(),
        ..row("Cotton T-shirt", "3", "2.50")
    }])
    .expect("valid");
    assert_eq!(
        items,
        vec![CustomsItem {
            description_en: "Cotton T-shirt".into(),
            description_zh: Some("棉质T恤".into()),
            quantity: 3,
            unit_value: UsdCents(250),
            hs_code: "610910".into(),
            origin: CountryCode::parse("CN").expect("CN"),
        }]
    );
    assert_eq!(items[0].total(), UsdCents(750));
}

#[test]
fn blank_rows_are_ignored_and_errors_keep_their_row_number() {
    let blank_with_origin = ItemFields {
        origin: "CN".into(),
        ..ItemFields::default()
    };
    let rows = [
        blank_with_origin,
        row("Cotton T-shirt", "1", "2"),
        row("Ceramic mug", "0", "2"),
    ];
    let errors = parse_items(&rows).expect_err("quantity 0");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, 2);
    assert_eq!(errors[0].1.get("quantity"), Some("error.items.quantity"));
}

#[test]
fn an_order_without_items_is_refused() {
    let errors = parse_items(&[ItemFields::default()]).expect_err("no items");
    assert_eq!(errors[0].0, 0);
    assert_eq!(errors[0].1.get("items"), Some("error.items.none"));
}

#[test]
fn twenty_items_are_accepted_and_twenty_one_refused() {
    let mut rows = vec![row("Ceramic mug", "1", "1"); 20];
    assert_eq!(parse_items(&rows).expect("20 items").len(), 20);
    rows.push(row("Ceramic mug", "1", "1"));
    let errors = parse_items(&rows).expect_err("21 items");
    assert_eq!(errors[0].1.get("items"), Some("error.items.too_many"));
}

#[test]
fn gift_alone_is_refused_as_vague() {
    let (key, detail) = error(row("Gift", "1", "1"), "description_en");
    assert_eq!(key, Some("error.items.vague"));
    assert_eq!(detail.as_deref(), Some("gift"));
}

#[test]
fn free_samples_and_other_filler_around_vague_words_are_refused() {
    for (description, vague) in [
        ("free samples", "samples"),
        ("New gift, 2 pcs", "gift"),
        ("Assorted goods & accessories", "goods accessories"),
        ("Personal effects", "personal effects"),
        (
            "Sample of no commercial value",
            "sample no commercial value",
        ),
        ("10pcs spare parts", "spare parts"),
        ("The 3 of some", "The 3 of some"),
    ] {
        let (key, detail) = error(row(description, "1", "1"), "description_en");
        assert_eq!(key, Some("error.items.vague"), "{description}");
        assert_eq!(detail.as_deref(), Some(vague), "{description}");
    }
}

#[test]
fn a_vague_word_next_to_a_specific_one_is_accepted() {
    for description in ["cotton T-shirt sample", "Clothes", "Phone case samples"] {
        assert_eq!(item(description).description_en, description);
    }
}

#[test]
fn chinese_in_the_english_description_is_refused_naming_the_characters() {
    let (key, detail) = error(row("Cotton 衬衫", "1", "1"), "description_en");
    assert_eq!(key, Some("error.latin_chars"));
    assert_eq!(detail.as_deref(), Some("衬衫"));
}

#[test]
fn the_english_description_is_required_with_3_to_200_characters() {
    let required = error(row("  ", "1", "1"), "description_en");
    assert_eq!(required.0, Some("error.required"));
    for description in ["Mu".to_owned(), "a".repeat(201)] {
        let (key, _) = error(row(&description, "1", "1"), "description_en");
        assert_eq!(key, Some("error.items.description_length"));
    }
    assert_eq!(item("Mug").description_en, "Mug");
}

#[test]
fn the_chinese_description_is_optional_with_at_most_100_characters() {
    assert_eq!(item("Ceramic mug").description_zh, None);
    let long = ItemFields {
        description_zh: "杯".repeat(101),
        ..row("Ceramic mug", "1", "1")
    };
    assert_eq!(error(long, "description_zh").0, Some("error.too_long"));
}

#[test]
fn the_quantity_is_a_whole_number_from_1_to_9999() {
    for bad in ["0", "10000", "1.5", "-1", "", "two", "99999999999"] {
        let (key, _) = error(row("Ceramic mug", bad, "1"), "quantity");
        assert_eq!(key, Some("error.items.quantity"), "{bad:?}");
    }
    let items = parse_items(&[row("Ceramic mug", " 9999 ", "1")]).expect("valid");
    assert_eq!(items[0].quantity, 9999);
}

#[test]
fn the_unit_value_is_above_zero_with_two_decimals_up_to_10000_usd() {
    for bad in ["0", "0.00", "1.234", "-2", "10000.01", "", "1,5"] {
        let (key, _) = error(row("Ceramic mug", "1", bad), "unit_value_usd");
        assert_eq!(key, Some("error.items.unit_value"), "{bad:?}");
    }
    for (good, cents) in [("8.50", 850), ("0.01", 1), ("10000", 1_000_000)] {
        let items = parse_items(&[row("Ceramic mug", "1", good)]).expect("valid");
        assert_eq!(items[0].unit_value, UsdCents(cents));
    }
}

#[test]
fn full_width_digits_from_a_chinese_keyboard_are_read() {
    let items = parse_items(&[ItemFields {
        hs_code: "６１０９．１０".into(),
        ..row("Ｃｏｔｔｏｎ　T-shirt", "１２", "３．５０")
    }])
    .expect("valid");
    assert_eq!(items[0].description_en, "Cotton T-shirt");
    assert_eq!(items[0].quantity, 12);
    assert_eq!(items[0].unit_value, UsdCents(350));
    assert_eq!(items[0].hs_code, "610910");
}

#[test]
fn the_hs_code_has_6_to_10_digits_dots_and_spaces_aside() {
    let ten_digits = ItemFields {
        hs_code: "6109.10.00 10".into(),
        ..row("Ceramic mug", "1", "1")
    };
    let items = parse_items(&[ten_digits]).expect("valid");
    assert_eq!(items[0].hs_code, "6109100010");
    for bad in ["61091", "61091000101", "6109-10", "", "abcdef"] {
        let fields = ItemFields {
            hs_code: bad.into(),
            ..row("Ceramic mug", "1", "1")
        };
        assert_eq!(
            error(fields, "hs_code").0,
            Some("error.hs.format"),
            "{bad:?}"
        );
    }
}

#[test]
fn the_origin_is_a_known_country_and_china_when_empty() {
    let vietnam = ItemFields {
        origin: "vn".into(),
        ..row("Ceramic mug", "1", "1")
    };
    let items = parse_items(&[vietnam]).expect("valid");
    assert_eq!(items[0].origin.as_str(), "VN");
    let unknown = ItemFields {
        origin: "XX".into(),
        ..row("Ceramic mug", "1", "1")
    };
    assert_eq!(error(unknown, "origin").0, Some("error.items.origin"));
}

#[test]
fn battery_kinds_have_text_names() {
    for battery in Battery::ALL {
        assert_eq!(Battery::parse(battery.as_str()).ok(), Some(*battery));
    }
    assert_eq!(Battery::InEquipment.as_str(), "in_equipment");
    assert!(Battery::parse("loose").is_err());
    assert_eq!(Battery::default(), Battery::None);
}

#[test]
fn declared_attributes_leave_out_a_battery_of_none() {
    let nothing = Declared::default();
    assert!(nothing.attributes().is_empty());
    assert!(nothing.documents().is_empty());
    let magnetic = Declared {
        battery: Battery::Standalone,
        magnetic: true,
        ..Declared::default()
    };
    assert_eq!(magnetic.attributes().to_string(), "battery;magnetic");
}

#[test]
fn a_battery_and_a_liquid_need_un38_3_the_test_summary_and_a_safety_data_sheet() {
    let declared = Declared {
        battery: Battery::InEquipment,
        liquid: true,
        powder: true,
        ..Declared::default()
    };
    assert_eq!(
        declared.documents(),
        vec![
            "document.un38_3",
            "document.battery_test_summary",
            "document.msds"
        ]
    );
    let magnetic = Declared {
        magnetic: true,
        ..Declared::default()
    };
    assert_eq!(magnetic.documents(), vec!["document.magnetic_test"]);
}

#[test]
fn a_total_over_ten_dollars_warns_but_ten_exactly_does_not() {
    let items = parse_items(&[row("Ceramic mug", "4", "2.50")]).expect("valid");
    assert!(warnings(&items, &Declared::default()).is_empty());
    let items = parse_items(&[row("Ceramic mug", "4", "2.50"), row("Mug lid", "1", "0.01")])
        .expect("valid");
    let warnings = warnings(&items, &Declared::default());
    assert_eq!(
        warnings,
        vec![Warning::DeclaredOver {
            total: UsdCents(1001)
        }]
    );
    assert_eq!(warnings[0].message_key(), "warning.declared_over_10");
    assert_eq!(warnings[0].detail(), "USD 10.01");
}

#[test]
fn a_unit_value_over_five_dollars_warns_for_its_item() {
    let items = parse_items(&[
        row("Ceramic mug", "1", "5.00"),
        row("Silk scarf", "1", "5.01"),
    ])
    .expect("valid");
    let warnings = warnings(&items, &Declared::default());
    assert_eq!(
        warnings,
        vec![
            Warning::DeclaredOver {
                total: UsdCents(1001)
            },
            Warning::UnitValueOver {
                row: 1,
                value: UsdCents(501)
            }
        ]
    );
    assert_eq!(warnings[1].message_key(), "warning.unit_over_5");
    assert_eq!(warnings[1].detail(), "#2: USD 5.01");
}

#[test]
fn a_power_bank_without_a_declared_battery_warns() {
    let items = [item("Power bank 10000mAh")];
    let warnings = warnings(&items, &Declared::default());
    assert_eq!(
        warnings,
        vec![Warning::UndeclaredAttribute {
            row: 0,
            attribute: Attribute::Battery,
            keyword: "power bank".into()
        }]
    );
    assert_eq!(warnings[0].message_key(), "warning.undeclared_attribute");
    assert_eq!(warnings[0].detail(), "#1: \"power bank\"");
    let declared = Declared {
        battery: Battery::Standalone,
        ..Declared::default()
    };
    assert!(super::warnings(&items, &declared).is_empty());
}

#[test]
fn a_denied_attribute_raises_no_warning() {
    for description in [
        "Wireless mouse, no battery",
        "Toy car without batteries",
        "Battery-free doorbell",
        "Battery free kitchen scale",
    ] {
        assert!(
            warnings(&[item(description)], &Declared::default()).is_empty(),
            "{description}"
        );
    }
    let denied_zh = CustomsItem {
        description_zh: Some("不含电池的玩具车".into()),
        ..item("Toy car")
    };
    assert!(warnings(&[denied_zh], &Declared::default()).is_empty());
    // A denial elsewhere does not hide a real mention.
    let both = warnings(&[item("Power bank, no cable")], &Declared::default());
    assert_eq!(both.len(), 1);
    let plain = warnings(&[item("Spare battery for a mouse")], &Declared::default());
    assert_eq!(plain.len(), 1, "an affirmed battery still warns");
}

#[test]
fn keywords_match_whole_words_so_aluminium_foil_is_not_a_liquid() {
    for description in ["Aluminium foil", "Toilet brush", "Pink angel figurine"] {
        assert!(warnings(&[item(description)], &Declared::default()).is_empty());
    }
    let magnets = warnings(&[item("Fridge magnets, set of 6")], &Declared::default());
    assert!(matches!(
        magnets[..],
        [Warning::UndeclaredAttribute {
            attribute: Attribute::Magnetic,
            ..
        }]
    ));
}

#[test]
fn chinese_descriptions_are_searched_but_pink_is_not_powder() {
    let perfume = CustomsItem {
        description_zh: Some("香水小样".into()),
        ..item("Fragrance tester")
    };
    let found = warnings(&[perfume], &Declared::default());
    assert!(matches!(
        &found[..],
        [Warning::UndeclaredAttribute { attribute: Attribute::Liquid, keyword, .. }]
            if keyword == "香水"
    ));
    let pink = CustomsItem {
        description_zh: Some("粉色T恤".into()),
        ..item("Pink T-shirt")
    };
    assert!(warnings(&[pink], &Declared::default()).is_empty());
}

#[test]
fn a_laser_pointer_pen_is_prohibited_where_laser_pointers_are() {
    let items = [item("Ceramic mug"), item("Laser pointer pen")];
    assert_eq!(
        prohibited(&items, &["knife", "laser pointer"]),
        Some((1, "laser pointer".to_owned()))
    );
    assert_eq!(
        prohibited(&items, &["laser", "pen"]),
        Some((1, "laser".to_owned()))
    );
}

#[test]
fn prohibited_keywords_match_whole_words_and_chinese_anywhere() {
    let items = [item("Burgundy velvet pouch")];
    assert_eq!(prohibited(&items, &["gun"]), None);
    let cigarettes = CustomsItem {
        description_zh: Some("电子香烟配件".into()),
        ..item("Cigarette case")
    };
    assert_eq!(
        prohibited(&[cigarettes], &["香烟"]),
        Some((0, "香烟".to_owned()))
    );
}
