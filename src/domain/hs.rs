//! HS (Harmonized System) codes of customs items: the code a seller types, and
//! suggestions from the built-in table `reference/hs-codes.csv`.
//!
//! The table lists common sample categories with their six-digit HS 2022
//! subheading. Its codes and English descriptions are checked against the
//! published nomenclature by `scripts/gen-hs-codes.py` (sources and licences in
//! `reference/LICENSES.md`); its keywords and Chinese text are ours.

use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

/// Fewest digits an HS code may have (a six-digit subheading).
const MIN_DIGITS: usize = 6;
/// Most digits an HS code may have (a ten-digit national tariff line).
const MAX_DIGITS: usize = 10;
/// Longest query looked at, in characters; the rest is ignored.
const MAX_QUERY_CHARS: usize = 200;
/// Most keywords of one entry that a partial clue counts.
const MAX_CLUE_KEYWORDS: usize = 10;

/// An HS code as declared on a customs item: 6 to 10 digits, stored without
/// dots or spaces (e.g. `850760` or `8507600000`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HsCode(String);

/// Why a string is not an HS code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HsCodeError {
    /// Not 6 to 10 digits once dots and spaces are removed.
    #[error("an HS code has 6 to 10 digits")]
    Format,
}

impl HsCodeError {
    /// Key of the message shown to the user in the message catalogue.
    pub fn message_key(&self) -> &'static str {
        match self {
            HsCodeError::Format => "error.hs.format",
        }
    }
}

impl HsCode {
    /// Parses a code as typed by a person: dots and spaces are ignored, so
    /// `8507.60`, `8507 60 00` and `8507600000` are all accepted.
    pub fn parse(input: &str) -> Result<HsCode, HsCodeError> {
        let digits: String = input
            .chars()
            .filter(|c| *c != '.' && !c.is_whitespace())
            .collect();
        let valid = (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit());
        if valid {
            Ok(HsCode(digits))
        } else {
            Err(HsCodeError::Format)
        }
    }

    /// The digits, without dots or spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first six digits: the internationally shared subheading.
    pub fn hs6(&self) -> &str {
        &self.0[..MIN_DIGITS]
    }

    /// The built-in table's entry for this code's subheading, if it has one.
    pub fn entry(&self) -> Option<&'static HsEntry> {
        find(self.hs6())
    }
}

impl fmt::Display for HsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One row of the built-in table: a six-digit subheading with the words
/// sellers use for the goods in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HsEntry {
    /// Six-digit HS 2022 subheading, e.g. `850760`.
    pub hs6: String,
    /// Official English description (or a shortening of it at a clause boundary).
    pub description_en: String,
    /// Short Chinese description.
    pub description_zh: String,
    /// Lower-case English keywords and phrases, e.g. `power bank`.
    pub keywords_en: Vec<String>,
    /// Chinese keywords, e.g. `充电宝`.
    pub keywords_zh: Vec<String>,
}

/// One record of `reference/hs-codes.csv`.
#[derive(Deserialize)]
struct Record {
    hs6: String,
    description_en: String,
    description_zh: String,
    keywords_en: String,
    keywords_zh: String,
}

/// An entry with what the ranking needs, computed once.
struct Indexed {
    entry: HsEntry,
    /// Each English keyword as its normalised words, sorted and without repeats.
    phrases: Vec<Vec<String>>,
    /// Every normalised word of the English keywords.
    keyword_words: HashSet<String>,
    /// Normalised words of the English description, less stop words.
    description_words: HashSet<String>,
    /// Chinese keywords, normalised like a query.
    chinese: Vec<String>,
    /// Chinese description, normalised like a query.
    description_zh: String,
}

static TABLE: LazyLock<Vec<Indexed>> = LazyLock::new(|| {
    // Compiled in and checked by the unit tests below, so this cannot fail at run time.
    let mut reader =
        csv::Reader::from_reader(include_str!("../../reference/hs-codes.csv").as_bytes());
    let mut table: Vec<Indexed> = reader
        .deserialize::<Record>()
        .map(|record| index(record.expect("reference/hs-codes.csv is valid")))
        .collect();
    table.sort_by(|a, b| a.entry.hs6.cmp(&b.entry.hs6));
    table
});

fn split_list(field: &str) -> Vec<String> {
    field
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn index(record: Record) -> Indexed {
    let entry = HsEntry {
        hs6: record.hs6,
        description_en: record.description_en,
        description_zh: record.description_zh,
        keywords_en: split_list(&record.keywords_en),
        keywords_zh: split_list(&record.keywords_zh),
    };
    let mut phrases: Vec<Vec<String>> = Vec::new();
    for keyword in &entry.keywords_en {
        let mut words = english_words(&normalise(keyword));
        words.sort();
        words.dedup();
        if !words.is_empty() && !phrases.contains(&words) {
            phrases.push(words);
        }
    }
    let keyword_words = phrases.iter().flatten().cloned().collect();
    let description_words = english_words(&normalise(&entry.description_en))
        .into_iter()
        .filter(|w| is_content_word(w))
        .collect();
    let chinese = entry.keywords_zh.iter().map(|k| normalise(k)).collect();
    let description_zh = normalise(&entry.description_zh);
    Indexed {
        entry,
        phrases,
        keyword_words,
        description_words,
        chinese,
        description_zh,
    }
}

/// The table's entry for a six-digit subheading (digits only, e.g. `850760`).
pub fn find(hs6: &str) -> Option<&'static HsEntry> {
    TABLE
        .binary_search_by(|indexed| indexed.entry.hs6.as_str().cmp(hs6))
        .ok()
        .map(|i| &TABLE[i].entry)
}

/// Every entry of the table, sorted by code.
pub fn entries() -> impl ExactSizeIterator<Item = &'static HsEntry> {
    TABLE.iter().map(|indexed| &indexed.entry)
}

/// Up to `limit` entries that match a seller's description of the goods, best first.
///
/// English is matched word by word, ignoring case, apostrophes and simple plurals
/// ("Phone Cases" finds the keyword "phone case"); Chinese keywords are matched as
/// substrings of the query ("蓝牙耳机" finds "耳机"). The best entry has the longest
/// keyword found whole in the query (all its words, in any order), then the most
/// of the query covered by such keywords. Weaker clues add a few points: a query
/// word that is only part of a keyword ("yoga" of "yoga mat"), a word typed
/// half-way ("headph"), Chinese typed half-way ("充电" of "充电宝") and words of the
/// descriptions; entries with nothing but weaker clues are listed only when no
/// entry has a keyword found whole. A query of digits (dots and spaces allowed, at
/// least two digits) lists the entries whose code starts with them. Ties go to the
/// lower code.
pub fn suggest(query: &str, limit: usize) -> Vec<&'static HsEntry> {
    if limit == 0 {
        return Vec::new();
    }
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    if let Some(prefix) = digit_prefix(&query) {
        return TABLE
            .iter()
            .map(|indexed| &indexed.entry)
            .filter(|entry| entry.hs6.starts_with(&prefix))
            .take(limit)
            .collect();
    }

    let query = Query::new(&query);
    if query.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(Score, &'static Indexed)> = TABLE
        .iter()
        .map(|indexed| (query.score(indexed), indexed))
        .filter(|(score, _)| score.value > 0)
        .collect();
    if scored.iter().any(|(score, _)| score.whole) {
        scored.retain(|(score, _)| score.whole);
    }
    scored.sort_by(|(sa, a), (sb, b)| {
        sb.value
            .cmp(&sa.value)
            .then_with(|| a.entry.hs6.cmp(&b.entry.hs6))
    });
    scored
        .into_iter()
        .take(limit)
        .map(|(_, indexed)| &indexed.entry)
        .collect()
}

/// The first (up to six) digits of a query made only of digits, dots and spaces.
fn digit_prefix(query: &str) -> Option<String> {
    let compact: String = query
        .chars()
        .filter(|c| *c != '.' && !c.is_whitespace())
        .collect();
    let digits = compact.len() >= 2 && compact.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| compact.chars().take(MIN_DIGITS).collect())
}

/// How well an entry matches a query.
struct Score {
    /// Whether one of its keywords was found whole in the query.
    whole: bool,
    /// Higher is better; zero is no match at all.
    value: u32,
}

/// A query, normalised once.
struct Query {
    /// The whole query, normalised (for Chinese substring matching).
    text: Vec<char>,
    /// Its English words, normalised and stemmed, without repeats.
    words: Vec<String>,
    /// Its space-separated parts that contain Chinese, for partial matching.
    chinese_parts: Vec<String>,
}

impl Query {
    fn new(raw: &str) -> Query {
        let text = normalise(raw);
        let mut words = english_words(&text);
        words.sort();
        words.dedup();
        let chinese_parts = text
            .split_whitespace()
            .filter(|part| part.chars().any(is_chinese))
            .map(str::to_owned)
            .collect();
        Query {
            text: text.chars().collect(),
            words,
            chinese_parts,
        }
    }

    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.chinese_parts.is_empty()
    }

    /// 100 per unit of the longest keyword found whole (an English word is two
    /// units, a Chinese character one), 10 per unit of the query covered by such
    /// keywords, and a few points for the weaker clues.
    fn score(&self, indexed: &Indexed) -> Score {
        let mut best = 0usize;
        let mut covered_words: HashSet<&str> = HashSet::new();
        for phrase in &indexed.phrases {
            if phrase.iter().all(|word| self.words.contains(word)) {
                best = best.max(2 * phrase.len());
                covered_words.extend(phrase.iter().map(String::as_str));
            }
        }

        let mut covered_chars = vec![false; self.text.len()];
        for keyword in &indexed.chinese {
            let keyword: Vec<char> = keyword.chars().collect();
            if keyword.is_empty() || keyword.len() > self.text.len() {
                continue;
            }
            let mut found = false;
            for start in 0..=self.text.len() - keyword.len() {
                if self.text[start..start + keyword.len()] == keyword[..] {
                    found = true;
                    covered_chars[start..start + keyword.len()].fill(true);
                }
            }
            if found {
                best = best.max(keyword.len());
            }
        }
        let covered = 2 * covered_words.len() + covered_chars.iter().filter(|c| **c).count();

        let mut clues = 0usize;
        for word in &self.words {
            if covered_words.contains(word.as_str()) {
                // Already counted as part of a keyword found whole.
            } else if indexed.keyword_words.contains(word) {
                let phrases = indexed.phrases.iter().filter(|p| p.contains(word)).count();
                clues += 3 * phrases.min(MAX_CLUE_KEYWORDS);
            } else if word.len() >= 3
                && indexed
                    .keyword_words
                    .iter()
                    .any(|k| k.starts_with(word.as_str()))
            {
                clues += 4;
            }
            if is_content_word(word) && indexed.description_words.contains(word) {
                clues += 2;
            }
        }
        for part in &self.chinese_parts {
            let keywords = indexed
                .chinese
                .iter()
                .filter(|k| *k != part && k.contains(part.as_str()))
                .count();
            clues += 3 * part.chars().count() * keywords.min(MAX_CLUE_KEYWORDS);
            if part.chars().count() >= 2 && indexed.description_zh.contains(part.as_str()) {
                clues += 5;
            }
        }

        let value = 100 * best + 10 * covered + clues;
        Score {
            whole: best > 0,
            value: u32::try_from(value).unwrap_or(u32::MAX),
        }
    }
}

/// Lower case, full-width ASCII folded to ASCII, apostrophes removed.
fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| *c != '\'' && *c != '\u{2019}')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The ASCII letter-and-digit words of a normalised text, stemmed; "t-shirt" and
/// "t shirt" become the one word "tshirt", so they do not match "shirt".
fn english_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(stem)
    {
        if word == "shirt" && words.last().is_some_and(|w| w == "t") {
            words.pop();
            words.push("tshirt".to_owned());
        } else {
            words.push(word);
        }
    }
    words
}

/// Strips a simple English plural: "cases" → "case", "batteries" → "battery",
/// "boxes" → "box", "watches" → "watch"; "dress" and "tennis" stay.
fn stem(word: &str) -> String {
    let n = word.len();
    if n <= 3
        || !word.ends_with('s')
        || word.ends_with("ss")
        || word.ends_with("us")
        || word.ends_with("is")
    {
        return word.to_owned();
    }
    if n > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..n - 3]);
    }
    if ["sses", "shes", "ches", "xes", "zes"]
        .iter()
        .any(|end| word.ends_with(end))
    {
        return word[..n - 2].to_owned();
    }
    word[..n - 1].to_owned()
}

/// Words that say nothing about the goods in the official descriptions.
const STOP_WORDS: &[&str] = &[
    "and",
    "any",
    "are",
    "but",
    "chapter",
    "excluding",
    "for",
    "from",
    "heading",
    "including",
    "item",
    "kind",
    "nec",
    "not",
    "note",
    "other",
    "similar",
    "such",
    "than",
    "the",
    "their",
    "thereof",
    "this",
    "used",
    "whether",
    "with",
    "without",
];

fn is_content_word(word: &str) -> bool {
    word.len() >= 3 && !STOP_WORDS.contains(&word)
}

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(query: &str, limit: usize) -> Vec<&'static str> {
        suggest(query, limit)
            .into_iter()
            .map(|e| e.hs6.as_str())
            .collect()
    }

    #[test]
    fn power_bank_suggests_lithium_ion_accumulators_first() {
        assert_eq!(codes("power bank", 5).first(), Some(&"850760"));
        assert_eq!(codes("Power Banks 20000mAh", 5).first(), Some(&"850760"));
    }

    #[test]
    fn lipstick_in_chinese_suggests_lip_make_up_first() {
        assert_eq!(codes("口红", 5).first(), Some(&"330410"));
        assert_eq!(codes("哑光口红 样品", 5).first(), Some(&"330410"));
    }

    #[test]
    fn phone_case_suggests_a_protective_case_code_first() {
        let found = codes("phone case", 5);
        assert!(
            ["392690", "420232", "420231"].contains(&found[0]),
            "first suggestion for phone case was {found:?}"
        );
        assert!(
            found[..3].contains(&"392690") && found[..3].contains(&"420232"),
            "{found:?}"
        );
    }

    #[test]
    fn plurals_case_and_apostrophes_do_not_change_suggestions() {
        assert_eq!(codes("Phone Cases", 10), codes("phone case", 10));
        assert_eq!(codes("women's dresses", 10), codes("women dress", 10));
        assert_eq!(codes("ＬＥＤ　灯带", 10), codes("led 灯带", 10));
    }

    #[test]
    fn common_sample_descriptions_suggest_their_subheading_first() {
        for (query, expected) in [
            ("bluetooth earphones", "851830"),
            ("蓝牙耳机", "851830"),
            ("smart watch", "851762"),
            ("智能手表", "851762"),
            ("usb-c charging cable", "854442"),
            ("wireless charger", "850440"),
            ("cotton t-shirt", "610910"),
            ("men's cotton T shirts", "610910"),
            ("tshirt", "610910"),
            ("men's cotton shirt", "620520"),
            ("yoga mat", "950691"),
            ("drone", "880621"),
            ("neodymium magnets", "850511"),
            ("scented candle", "340600"),
            ("perfume", "330300"),
            ("eyeshadow palette", "330420"),
            ("face mask", "630790"),
            ("口罩", "630790"),
            ("充电宝", "850760"),
            ("mechanical keyboard", "847160"),
            ("human hair wig", "670420"),
            ("usb风扇", "841451"),
            ("stainless steel water bottle", "961700"),
        ] {
            assert_eq!(
                codes(query, 5).first(),
                Some(&expected),
                "query {query:?}: {:?}",
                codes(query, 5)
            );
        }
    }

    #[test]
    fn chinese_typed_half_way_still_suggests() {
        let found = codes("充电", 10);
        assert!(
            found.contains(&"850760") && found.contains(&"850440"),
            "{found:?}"
        );
        assert_eq!(codes("包", 1), vec!["420292"]);
    }

    #[test]
    fn english_typed_half_way_or_part_of_a_keyword_still_suggests() {
        assert!(codes("headph", 5).contains(&"851830"));
        assert_eq!(codes("yoga", 5).first(), Some(&"950691"));
    }

    #[test]
    fn weak_clues_do_not_pad_the_list_when_a_keyword_matches() {
        // "socks" starts "socket" and "glass" is in many descriptions: neither may
        // push plugs or drinking glasses next to a real match.
        assert!(!codes("socks", 10).contains(&"853669"));
        assert_eq!(codes("glasses", 1), vec!["900490"]);
        assert_eq!(codes("glass cup", 1), vec!["701337"]);
        let first = codes("iphone 15 case", 1);
        assert!(first == ["392690"] || first == ["420232"], "{first:?}");
    }

    #[test]
    fn digits_list_the_entries_under_that_code() {
        let found = codes("8507", 10);
        assert!(found.contains(&"850760"), "{found:?}");
        assert!(
            found.iter().all(|code| code.starts_with("8507")),
            "{found:?}"
        );
        assert_eq!(codes("8507.60", 10), vec!["850760"]);
    }

    #[test]
    fn empty_unknown_or_zero_limit_queries_suggest_nothing() {
        assert!(suggest("", 5).is_empty());
        assert!(suggest("   ", 5).is_empty());
        assert!(suggest("xyzzyq", 5).is_empty());
        assert!(suggest("power bank", 0).is_empty());
        assert_eq!(suggest("dress", 3).len(), 3);
    }

    #[test]
    fn parse_accepts_6_to_10_digits_with_dots_and_spaces() {
        assert_eq!(
            HsCode::parse("8507.60").map(|c| c.0),
            Ok("850760".to_owned())
        );
        assert_eq!(
            HsCode::parse("8507600000").map(|c| c.0),
            Ok("8507600000".to_owned())
        );
        assert_eq!(
            HsCode::parse(" 8507 60 00 ").map(|c| c.0),
            Ok("85076000".to_owned())
        );
        let code = HsCode::parse("8507.60.00").unwrap();
        assert_eq!(
            (code.as_str(), code.hs6(), code.to_string()),
            ("85076000", "850760", "85076000".to_owned())
        );
        assert_eq!(code.entry().map(|e| e.hs6.as_str()), Some("850760"));
    }

    #[test]
    fn parse_refuses_too_short_too_long_or_non_digits() {
        for input in [
            "85",
            "abc",
            "",
            "85076",
            "85076000001",
            "8507-60",
            "85０760",
            "8507.6a",
        ] {
            assert_eq!(
                HsCode::parse(input),
                Err(HsCodeError::Format),
                "input {input:?}"
            );
        }
        assert_eq!(HsCodeError::Format.message_key(), "error.hs.format");
    }

    #[test]
    fn the_table_has_at_least_300_unique_rows_and_every_row_parses() {
        let all: Vec<&HsEntry> = entries().collect();
        assert!(all.len() >= 300, "only {} rows", all.len());
        assert!(
            all.windows(2).all(|w| w[0].hs6 < w[1].hs6),
            "codes are unique and sorted"
        );
        for entry in all {
            let code = HsCode::parse(&entry.hs6).unwrap_or_else(|_| panic!("{} parses", entry.hs6));
            assert_eq!(code.as_str(), entry.hs6);
            assert!(
                !entry.description_en.is_empty() && !entry.description_zh.is_empty(),
                "{}",
                entry.hs6
            );
            assert!(
                !entry.keywords_en.is_empty() && !entry.keywords_zh.is_empty(),
                "{}",
                entry.hs6
            );
        }
    }

    #[test]
    fn find_returns_the_entry_for_a_known_subheading_only() {
        let entry = find("850760").expect("power banks are in the table");
        assert!(
            entry
                .description_en
                .starts_with("Electric accumulators; lithium-ion")
        );
        assert!(entry.keywords_zh.iter().any(|k| k == "充电宝"));
        assert_eq!(find("999999"), None);
        assert_eq!(find("8507.60"), None);
    }

    #[test]
    fn stemming_strips_simple_plurals_only() {
        for (word, stemmed) in [
            ("cases", "case"),
            ("batteries", "battery"),
            ("boxes", "box"),
            ("watches", "watch"),
            ("dresses", "dress"),
            ("dress", "dress"),
            ("tennis", "tennis"),
            ("ties", "tie"),
            ("gas", "gas"),
        ] {
            assert_eq!(stem(word), stemmed);
        }
    }
}
