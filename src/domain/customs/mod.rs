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
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
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
    pub fn is_blank(&self) -> bool {
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

pub(crate) fn quantity(input: &str) -> Result<u32, &'static str> {
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

pub(crate) fn unit_value(input: &str) -> Result<UsdCents, &'static str> {
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

/// A description of a single word ("clothes"), or with a vague word among
/// specific ones ("phone accessories"): allowed, but customs may ask.
fn broad(description: &str) -> bool {
    let words: Vec<String> = words(description)
        .into_iter()
        .filter(|word| !is_stop_word(word))
        .collect();
    words.len() == 1
        || words
            .iter()
            .any(|word| VAGUE_WORDS.contains(&word.as_str()))
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

/// Words that deny what follows ("no battery", "without magnets").
const NEGATIONS: &[&str] = &["no", "without", "not", "non", "excluding", "excl", "zero"];
/// Chinese prefixes that deny what follows (不含电池, 无磁).
const NEGATIONS_ZH: &[&str] = &["不含", "不带", "没有", "无", "非", "免"];

/// Like [`mentions`], but a mention that is denied ("no battery",
/// "battery-free", "不含电池") does not count: a seller who says there is
/// none should not be warned that there might be one.
fn mentions_affirmed(text: &str, keyword: &str) -> bool {
    if text::non_latin(keyword).is_some() {
        let text = text.to_lowercase();
        let keyword = keyword.to_lowercase();
        return text.match_indices(&keyword).any(|(at, _)| {
            let before = &text[..at];
            !NEGATIONS_ZH.iter().any(|n| before.trim_end().ends_with(n))
        });
    }
    let wanted = words(keyword);
    let Some((last, head)) = wanted.split_last() else {
        return false;
    };
    let all = words(text);
    all.windows(wanted.len())
        .enumerate()
        .any(|(start, window)| {
            let (word, before) = window.split_last().expect("windows are not empty");
            let whole = before == head
                && word
                    .strip_prefix(last.as_str())
                    .is_some_and(|plural| matches!(plural, "" | "s" | "es"));
            let denied_before = start > 0 && NEGATIONS.contains(&all[start - 1].as_str());
            let denied_after = all
                .get(start + wanted.len())
                .is_some_and(|next| next == "free");
            whole && !denied_before && !denied_after
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
    /// A description customs may query: one word, or a vague word beside
    /// specific ones ("phone accessories"). Vague words alone are an error.
    VagueDescription {
        row: usize,
    },
    /// The company sent to this recipient within the last 14 days.
    SameRecipient {
        order_no: String,
    },
}

impl Warning {
    pub fn message_key(&self) -> &'static str {
        match self {
            Warning::DeclaredOver { .. } => "warning.declared_over_10",
            Warning::UnitValueOver { .. } => "warning.unit_over_5",
            Warning::UndeclaredAttribute { .. } => "warning.undeclared_attribute",
            Warning::VagueDescription { .. } => "warning.vague_description",
            Warning::SameRecipient { .. } => "warning.same_recipient",
        }
    }

    /// What the message is about, shown after it; items counted from 1.
    pub fn detail(&self) -> String {
        match self {
            Warning::DeclaredOver { total } => format!("USD {total}"),
            Warning::UnitValueOver { row, value } => format!("#{}: USD {value}", row + 1),
            // The keyword is the seller's own word; the attribute's code would
            // be English on a Chinese page, and the keyword says enough.
            Warning::UndeclaredAttribute { row, keyword, .. } => {
                format!("#{}: \"{keyword}\"", row + 1)
            }
            Warning::VagueDescription { row } => format!("#{}", row + 1),
            Warning::SameRecipient { order_no } => order_no.clone(),
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
        if broad(&item.description_en) {
            warnings.push(Warning::VagueDescription { row });
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
            let found = keywords.iter().find(|keyword| {
                descriptions
                    .iter()
                    .any(|text| mentions_affirmed(text, keyword))
            });
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
mod tests;
