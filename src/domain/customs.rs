//! The customs items of a sample order (DESIGN.md §5): the rows as typed
//! turned into items, the documents sensitive goods need, the warnings a
//! seller must acknowledge, and the goods a destination prohibits.

use super::country::CountryCode;
use super::field_errors::FieldErrors;
use super::hs::HsCode;
use super::money::UsdCents;
use super::route::{Attribute, Attributes};
use super::status::text_enum;
use super::text;

/// At most this many items in one parcel.
pub const MAX_ITEMS: usize = 20;
const MAX_QUANTITY: u32 = 9999;
const MAX_UNIT_VALUE: UsdCents = UsdCents(1_000_000);
/// A total declared value above this is warned about: duty may be charged.
pub const DECLARED_WARNING: UsdCents = UsdCents(1000);
/// A unit value above this is warned about: unusual for a sample.
pub const UNIT_WARNING: UsdCents = UsdCents(500);

/// Words that say nothing about what the goods are: a description made of
/// these alone (after [`STOP_WORDS`] and numbers) is refused. "clothes",
/// "toys", "shoes" and the like are not here: customs can classify them.
#[rustfmt::skip]
pub const VAGUE_WORDS: &[&str] = &[
    "accessories", "article", "articles", "belongings", "commodities", "commodity",
    "gift", "gifts", "goods", "item", "items", "merchandise", "package", "packages",
    "parcel", "parcels", "parts", "present", "presents", "product", "products",
    "sample", "samples", "stuff", "thing", "things",
];

/// Vague phrases whose words are not vague on their own ("spare wheel" is fine).
const VAGUE_PHRASES: &[&[&str]] = &[
    &["personal", "effects"],
    &["personal", "belongings"],
    &["spare", "parts"],
    &["no", "commercial", "value"],
];

/// Words that add nothing to a description, left out before the vague check,
/// together with numbers and counts such as "10pcs" or "2x".
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "assorted", "for", "free", "general", "misc", "miscellaneous",
    "mixed", "new", "of", "other", "pc", "pcs", "piece", "pieces", "some", "the",
    "various", "with", "x",
];

/// Keywords in a description that suggest a sensitive attribute. English
/// ones match whole words (so "oil" does not fire on "foil"), also with a
/// plural "s"/"es"; Chinese ones match anywhere, as Chinese has no spaces.
#[rustfmt::skip]
pub const ATTRIBUTE_KEYWORDS: &[(Attribute, &[&str])] = &[
    (Attribute::Battery, &[
        "battery", "batteries", "power bank", "powerbank", "lithium", "rechargeable",
        "wireless earbuds", "bluetooth", "e-cigarette", "vape",
        "电池", "充电宝", "移动电源", "锂",
    ]),
    (Attribute::Liquid, &[
        "perfume", "liquid", "oil", "lotion", "serum", "shampoo", "nail polish", "ink",
        "gel", "spray",
        "香水", "液体", "精华", "洗发", "指甲油",
    ]),
    (Attribute::Magnetic, &["magnet", "magnetic", "speaker", "磁"]),
    (Attribute::Powder, &["powder", "protein", "pigment", "粉"]),
];

/// Colour words taken out before the attribute check: pink (粉色, 粉红) is not powder.
const NOT_KEYWORDS: &[&str] = &["粉色", "粉红"];

/// One customs item as typed in the order form or an import row.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ItemFields {
    pub description_en: String,
    pub description_zh: String,
    pub quantity: String,
    pub unit_value_usd: String,
    pub hs_code: String,
    /// Empty means CN.
    pub origin: String,
}

/// A valid customs item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomsItem {
    pub description_en: String,
    pub description_zh: Option<String>,
    pub quantity: u32,
    pub unit_value: UsdCents,
    /// 6 to 10 digits, without dots or spaces.
    pub hs_code: String,
    pub origin: CountryCode,
}

impl CustomsItem {
    /// Quantity times unit value.
    pub fn total(&self) -> UsdCents {
        UsdCents(self.unit_value.0 * i64::from(self.quantity))
    }
}

/// Parses the item rows of an order. Fully blank rows (the origin aside,
/// which the form fills in) are left out; 1 to [`MAX_ITEMS`] must remain.
/// Errors carry the index of their row in `rows`, blank ones counted, so
/// the form can show each message beside its field; a missing or excess
/// number of items is reported on row 0, field `items`.
pub fn parse_items(rows: &[ItemFields]) -> Result<Vec<CustomsItem>, Vec<(usize, FieldErrors)>> {
    let filled: Vec<(usize, &ItemFields)> = rows
        .iter()
        .enumerate()
        .filter(|(_, fields)| !fields.is_blank())
        .collect();
    if filled.is_empty() {
        return Err(vec![(0, FieldErrors::single("items", "error.items.none"))]);
    }
    if filled.len() > MAX_ITEMS {
        return Err(vec![(
            0,
            FieldErrors::single("items", "error.items.too_many"),
        )]);
    }
    let mut items = Vec::with_capacity(filled.len());
    let mut errors = Vec::new();
    for (row, fields) in filled {
        match fields.parse() {
            Ok(item) => items.push(item),
            Err(row_errors) => errors.push((row, row_errors)),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

impl ItemFields {
    fn is_blank(&self) -> bool {
        [
            &self.description_en,
            &self.description_zh,
            &self.quantity,
            &self.unit_value_usd,
            &self.hs_code,
        ]
        .iter()
        .all(|field| field.trim().is_empty())
    }

    fn parse(&self) -> Result<CustomsItem, FieldErrors> {
        let mut errors = FieldErrors::new();
        let description_en = description_en(&mut errors, &halfwidth(&self.description_en));
        let description_zh = description_zh(&mut errors, &self.description_zh);
        let quantity = errors.check("quantity", quantity(&self.quantity), |e| e);
        let unit_value = errors.check("unit_value_usd", unit_value(&self.unit_value_usd), |e| e);
        let hs_code = errors.check("hs_code", hs_code(&self.hs_code), |e| e);
        let origin = errors.check("origin", origin(&self.origin), |e| e);
        match (
            description_en,
            description_zh,
            quantity,
            unit_value,
            hs_code,
            origin,
        ) {
            (
                Some(description_en),
                Some(description_zh),
                Some(quantity),
                Some(unit_value),
                Some(hs_code),
                Some(origin),
            ) => Ok(CustomsItem {
                description_en,
                description_zh,
                quantity,
                unit_value,
                hs_code,
                origin,
            }),
            _ => Err(errors),
        }
    }
}

fn description_en(errors: &mut FieldErrors, input: &str) -> Option<String> {
    const FIELD: &str = "description_en";
    if let Some(characters) = text::non_latin(input) {
        errors.add_detail(FIELD, "error.latin_chars", characters);
        return None;
    }
    let value = match text::required(input, 200) {
        Ok(value) if value.chars().count() >= 3 => value,
        Ok(_) | Err("error.too_long") => {
            errors.add(FIELD, "error.items.description_length");
            return None;
        }
        Err(key) => {
            errors.add(FIELD, key);
            return None;
        }
    };
    if let Some(vague) = vague(&value) {
        errors.add_detail(FIELD, "error.items.vague", vague);
        return None;
    }
    Some(value)
}

/// `Some(None)` when left empty, `None` after recording an error.
fn description_zh(errors: &mut FieldErrors, input: &str) -> Option<Option<String>> {
    if input.trim().is_empty() {
        return Some(None);
    }
    errors
        .check("description_zh", text::required(input, 100), |e| e)
        .map(Some)
}

fn quantity(input: &str) -> Result<u32, &'static str> {
    let digits = halfwidth(input);
    let digits = digits.trim();
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(quantity @ 1..=MAX_QUANTITY) = digits.parse()
    {
        return Ok(quantity);
    }
    Err("error.items.quantity")
}

fn unit_value(input: &str) -> Result<UsdCents, &'static str> {
    match UsdCents::parse(&halfwidth(input)) {
        Ok(value) if value > UsdCents(0) && value <= MAX_UNIT_VALUE => Ok(value),
        _ => Err("error.items.unit_value"),
    }
}

/// The digits of an HS code typed as "6109.10.00" or "6109 10": 6 to 10.
fn hs_code(input: &str) -> Result<String, &'static str> {
    HsCode::parse(&halfwidth(input))
        .map(|code| code.as_str().to_owned())
        .map_err(|error| error.message_key())
}

fn origin(input: &str) -> Result<CountryCode, &'static str> {
    let code = halfwidth(input);
    let code = if code.trim().is_empty() { "CN" } else { &code };
    CountryCode::parse(code).map_err(|_| "error.items.origin")
}

/// Full-width letters, digits and punctuation (and the ideographic space), as
/// a Chinese keyboard types them, turned into their ASCII forms.
fn halfwidth(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The lower-case Latin words of `text`: apostrophes dropped ("men's" is
/// "mens"), anything else that is not a Latin letter or digit splits words.
fn words(text: &str) -> Vec<String> {
    let normalised: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !matches!(c, '\'' | '\u{2019}'))
        .map(|c| {
            // Alphanumerics up to U+024F are Latin (as in `text::non_latin`).
            if c.is_alphanumeric() && u32::from(c) <= 0x024F {
                c
            } else {
                ' '
            }
        })
        .collect();
    normalised.split_whitespace().map(str::to_owned).collect()
}

fn is_stop_word(word: &str) -> bool {
    let after_number = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let counted =
        after_number.len() < word.len() && matches!(after_number, "" | "pc" | "pcs" | "x");
    counted || STOP_WORDS.contains(&word)
}

/// When `description` says nothing but vague words, those words (or the whole
/// description when nothing at all is left); `None` when it is specific.
fn vague(description: &str) -> Option<String> {
    let words: Vec<String> = words(description)
        .into_iter()
        .filter(|word| !is_stop_word(word))
        .collect();
    let mut found: Vec<&str> = Vec::new();
    let mut rest = &words[..];
    while let Some(first) = rest.first() {
        let phrase = VAGUE_PHRASES.iter().find(|phrase| {
            phrase.len() <= rest.len() && phrase.iter().zip(rest).all(|(p, w)| p == w)
        });
        if let Some(phrase) = phrase {
            found.extend(phrase.iter().copied());
            rest = &rest[phrase.len()..];
        } else if VAGUE_WORDS.contains(&first.as_str()) {
            found.push(first);
            rest = &rest[1..];
        } else {
            return None;
        }
    }
    Some(if found.is_empty() {
        description.to_owned()
    } else {
        found.join(" ")
    })
}

/// Whether `text` mentions `keyword`: as whole words (case-insensitive, a
/// plural "s"/"es" allowed) for a Latin keyword, anywhere for a Chinese one.
fn mentions(text: &str, keyword: &str) -> bool {
    if text::non_latin(keyword).is_some() {
        return text.to_lowercase().contains(&keyword.to_lowercase());
    }
    let wanted = words(keyword);
    let Some((last, head)) = wanted.split_last() else {
        return false;
    };
    words(text).windows(wanted.len()).any(|window| {
        let (word, before) = window.split_last().expect("windows are not empty");
        before == head
            && word
                .strip_prefix(last.as_str())
                .is_some_and(|plural| matches!(plural, "" | "s" | "es"))
    })
}

text_enum!(
    /// Whether the parcel holds lithium batteries and how.
    Battery {
        None => "none",
        InEquipment => "in_equipment",
        WithEquipment => "with_equipment",
        Standalone => "standalone",
    }
);

#[expect(
    clippy::derivable_impls,
    reason = "text_enum! cannot mark a variant #[default]"
)]
impl Default for Battery {
    fn default() -> Battery {
        Battery::None
    }
}

/// The sensitive goods a seller declares for a parcel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Declared {
    pub battery: Battery,
    pub liquid: bool,
    pub magnetic: bool,
    pub powder: bool,
}

impl Declared {
    /// The attributes a route must accept for this parcel.
    pub fn attributes(&self) -> Attributes {
        Attributes {
            battery: self.battery != Battery::None,
            liquid: self.liquid,
            magnetic: self.magnetic,
            powder: self.powder,
        }
    }

    /// The documents a route will ask for, as message keys.
    pub fn documents(&self) -> Vec<&'static str> {
        let mut documents = Vec::new();
        if self.battery != Battery::None {
            documents.extend(["document.un38_3", "document.battery_test_summary"]);
        }
        if self.liquid || self.powder {
            documents.push("document.msds");
        }
        if self.magnetic {
            documents.push("document.magnetic_test");
        }
        documents
    }
}

/// Something the seller must acknowledge before submitting; not an error.
/// `row` is the index of the item in the parsed items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    DeclaredOver {
        total: UsdCents,
    },
    UnitValueOver {
        row: usize,
        value: UsdCents,
    },
    UndeclaredAttribute {
        row: usize,
        attribute: Attribute,
        keyword: String,
    },
}

impl Warning {
    pub fn message_key(&self) -> &'static str {
        match self {
            Warning::DeclaredOver { .. } => "warning.declared_over_10",
            Warning::UnitValueOver { .. } => "warning.unit_over_5",
            Warning::UndeclaredAttribute { .. } => "warning.undeclared_attribute",
        }
    }

    /// What the message is about, shown after it; items counted from 1.
    pub fn detail(&self) -> String {
        match self {
            Warning::DeclaredOver { total } => format!("USD {total}"),
            Warning::UnitValueOver { row, value } => format!("#{}: USD {value}", row + 1),
            Warning::UndeclaredAttribute {
                row,
                attribute,
                keyword,
            } => format!("#{}: \"{keyword}\" ({attribute})", row + 1),
        }
    }
}

/// The warnings for these items: the total over [`DECLARED_WARNING`], then
/// per item a unit value over [`UNIT_WARNING`] and each undeclared attribute
/// its description suggests (named by the first keyword found).
pub fn warnings(items: &[CustomsItem], declared: &Declared) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let total = UsdCents(items.iter().map(|item| item.total().0).sum());
    if total > DECLARED_WARNING {
        warnings.push(Warning::DeclaredOver { total });
    }
    let attributes = declared.attributes();
    for (row, item) in items.iter().enumerate() {
        if item.unit_value > UNIT_WARNING {
            warnings.push(Warning::UnitValueOver {
                row,
                value: item.unit_value,
            });
        }
        let descriptions: Vec<String> = [Some(&item.description_en), item.description_zh.as_ref()]
            .into_iter()
            .flatten()
            .map(|text| {
                NOT_KEYWORDS
                    .iter()
                    .fold(text.clone(), |t, w| t.replace(w, " "))
            })
            .collect();
        for (attribute, keywords) in ATTRIBUTE_KEYWORDS {
            if attributes.contains(*attribute) {
                continue;
            }
            let found = keywords
                .iter()
                .find(|keyword| descriptions.iter().any(|text| mentions(text, keyword)));
            if let Some(keyword) = found {
                warnings.push(Warning::UndeclaredAttribute {
                    row,
                    attribute: *attribute,
                    keyword: (*keyword).to_owned(),
                });
            }
        }
    }
    warnings
}

/// The first item (its index) that mentions one of the destination's
/// prohibited keywords, and that keyword: Latin keywords as whole words of
/// either description, Chinese ones anywhere in it.
pub fn prohibited(items: &[CustomsItem], keywords: &[&str]) -> Option<(usize, String)> {
    items.iter().enumerate().find_map(|(row, item)| {
        let descriptions = [Some(&item.description_en), item.description_zh.as_ref()];
        keywords
            .iter()
            .find(|keyword| {
                descriptions
                    .iter()
                    .flatten()
                    .any(|text| mentions(text, keyword))
            })
            .map(|keyword| (row, (*keyword).to_owned()))
    })
}

#[cfg(test)]
mod tests {
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
        assert_eq!(warnings[0].detail(), "#1: \"power bank\" (battery)");
        let declared = Declared {
            battery: Battery::Standalone,
            ..Declared::default()
        };
        assert!(super::warnings(&items, &declared).is_empty());
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
}
