//! Route reviews (DESIGN.md §6, issue #12): the scores, tags and text a
//! member writes about a finished order, when they may write or change it,
//! and the facts shown beside it. Pure rules; `services::reviews` stores.

use super::field_errors::FieldErrors;
use super::status::text_enum;
use chrono::{Duration, NaiveDateTime};

/// A review may be written this long after the order reached its final state.
pub const WRITE_WINDOW_DAYS: i64 = 90;
/// A review may be changed this long after it was first written.
pub const EDIT_WINDOW_DAYS: i64 = 30;
/// Longest review text, in characters.
pub const MAX_TEXT: usize = 2000;
/// Most photos on one review.
pub const MAX_PHOTOS: usize = 4;

text_enum!(
    /// What a review scores, 1–5 each (`review_dimension.*` in the catalogue).
    Dimension {
        Overall => "overall",
        Timeliness => "timeliness",
        Service => "service",
        Customs => "customs",
        Tracking => "tracking",
        Packaging => "packaging",
    }
);

text_enum!(
    /// The fixed tags a reviewer may add (`review_tag.*`).
    Tag {
        DdpWorked => "ddp_worked",
        FastClearance => "fast_clearance",
        CustomsDelay => "customs_delay",
        AccurateTracking => "accurate_tracking",
        SlowUpdates => "slow_updates",
        HelpfulService => "helpful_service",
        BoxDamaged => "box_damaged",
        WellPacked => "well_packed",
        PriceAsQuoted => "price_as_quoted",
        ExtraCharges => "extra_charges",
    }
);

text_enum!(
    /// The only reasons staff may hide a review for (`review_hide.*`).
    HideReason {
        Abuse => "abuse",
        PersonalData => "personal_data",
        NotAboutService => "not_about_service",
    }
);

text_enum!(
    /// Why someone reports a review (`review_report.*`).
    ReportReason {
        Abuse => "abuse",
        PersonalData => "personal_data",
        NotAboutService => "not_about_service",
        False => "false",
        Other => "other",
    }
);

/// One score, 1 to 5 stars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stars(u8);

impl Stars {
    pub fn parse(input: &str) -> Option<Stars> {
        match input.trim().parse::<u8>() {
            Ok(value @ 1..=5) => Some(Stars(value)),
            _ => None,
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// The six scores of a review, in [`Dimension::ALL`] order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scores([Stars; 6]);

impl Scores {
    pub fn get(&self, dimension: Dimension) -> Stars {
        let at = Dimension::ALL
            .iter()
            .position(|d| *d == dimension)
            .unwrap_or(0);
        self.0[at]
    }

    pub fn overall(&self) -> Stars {
        self.get(Dimension::Overall)
    }
}

/// What the review form sends, as typed.
#[derive(Clone, Debug, Default)]
pub struct ReviewForm {
    /// One value per [`Dimension`], by its name.
    pub scores: Vec<(String, String)>,
    pub text: String,
    pub tags: Vec<String>,
}

/// A review as the rules accept it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub scores: Scores,
    pub text: String,
    pub tags: Vec<Tag>,
}

impl ReviewForm {
    /// Checks every field; the errors name the field (`score_<dimension>`, `text`, `tags`).
    pub fn check(&self) -> Result<Review, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut stars = [Stars(1); 6];
        for (at, dimension) in Dimension::ALL.iter().enumerate() {
            let typed = self
                .scores
                .iter()
                .find(|(name, _)| name == dimension.as_str())
                .map(|(_, value)| value.as_str())
                .unwrap_or("");
            match Stars::parse(typed) {
                Some(value) => stars[at] = value,
                None => errors.add(format!("score_{dimension}"), "error.route_review.stars"),
            }
        }
        let text = self.text.trim();
        if text.chars().count() > MAX_TEXT {
            errors.add("text", "error.route_review.text_too_long");
        } else if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            errors.add("text", "error.control_characters");
        }
        let mut tags = Vec::new();
        for typed in &self.tags {
            match Tag::parse(typed) {
                Ok(tag) if !tags.contains(&tag) => tags.push(tag),
                Ok(_) => {}
                Err(_) => errors.add("tags", "error.route_review.unknown_tag"),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Review {
            scores: Scores(stars),
            text: text.replace("\r\n", "\n"),
            tags,
        })
    }
}

/// Why a review cannot be written or changed now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    /// The order has not reached delivered, returned or lost.
    NotFinished,
    /// More than [`WRITE_WINDOW_DAYS`] since it did.
    TooLate,
    /// More than [`EDIT_WINDOW_DAYS`] since the review was written.
    EditWindowOver,
}

impl Closed {
    pub fn message_key(self) -> &'static str {
        match self {
            Closed::NotFinished => "error.route_review.not_finished",
            Closed::TooLate => "error.route_review.too_late",
            Closed::EditWindowOver => "error.route_review.edit_window_over",
        }
    }
}

/// May a review be written for an order that finished at `finished_at` (if it did)?
pub fn may_write(finished_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Result<(), Closed> {
    let finished_at = finished_at.ok_or(Closed::NotFinished)?;
    if now - finished_at > Duration::days(WRITE_WINDOW_DAYS) {
        return Err(Closed::TooLate);
    }
    Ok(())
}

/// May a review first written at `written_at` still be changed?
pub fn may_edit(written_at: NaiveDateTime, now: NaiveDateTime) -> Result<(), Closed> {
    if now - written_at > Duration::days(EDIT_WINDOW_DAYS) {
        return Err(Closed::EditWindowOver);
    }
    Ok(())
}

text_enum!(
    /// The parcel's weight, in the bands a review shows (`weight_band.*`).
    WeightBand {
        UpToHalf => "0-0.5",
        UpToOne => "0.5-1",
        UpToTwo => "1-2",
        UpToFive => "2-5",
        Over => "5+",
    }
);

impl WeightBand {
    pub fn of_grams(grams: i64) -> WeightBand {
        match grams {
            ..=500 => WeightBand::UpToHalf,
            501..=1000 => WeightBand::UpToOne,
            1001..=2000 => WeightBand::UpToTwo,
            2001..=5000 => WeightBand::UpToFive,
            _ => WeightBand::Over,
        }
    }
}

/// The reviewer as the board shows them: the sender's city and what the
/// company sells ("深圳 · 电子产品卖家"), never anything that names the company.
/// `city` is the company's sender city (e.g. 深圳市), `category` its first
/// product category's name in the page's language.
pub fn pseudonym(city: &str, category: &str, seller_word: &str) -> String {
    let city = city.trim();
    let city = city.strip_suffix('市').unwrap_or(city);
    let city = if city.is_empty() { "—" } else { city };
    format!("{city} · {category}{seller_word}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("date")
    }

    fn form(overall: &str) -> ReviewForm {
        ReviewForm {
            scores: Dimension::ALL
                .iter()
                .map(|d| {
                    let value = if *d == Dimension::Overall {
                        overall
                    } else {
                        "4"
                    };
                    (d.as_str().to_owned(), value.to_owned())
                })
                .collect(),
            text: "  Fast and well packed.\r\nWould use again. ".into(),
            tags: vec!["fast_clearance".into(), "fast_clearance".into()],
        }
    }

    #[test]
    fn a_complete_form_is_accepted_and_tidied() {
        let review = form("5").check().expect("valid");
        assert_eq!(review.scores.overall().get(), 5);
        assert_eq!(review.scores.get(Dimension::Packaging).get(), 4);
        assert_eq!(review.text, "Fast and well packed.\nWould use again.");
        assert_eq!(review.tags, [Tag::FastClearance], "a tag counts once");
    }

    #[test]
    fn every_score_must_be_one_to_five() {
        for bad in ["0", "6", "", "4.5", "五"] {
            let errors = form(bad).check().expect_err(bad);
            assert_eq!(
                errors.get("score_overall"),
                Some("error.route_review.stars"),
                "{bad}"
            );
        }
    }

    #[test]
    fn text_is_limited_and_tags_come_from_the_list() {
        let mut long = form("3");
        long.text = "好".repeat(MAX_TEXT + 1);
        long.tags = vec!["five_stars_from_me".into()];
        let errors = long.check().expect_err("too long");
        assert_eq!(errors.get("text"), Some("error.route_review.text_too_long"));
        assert_eq!(errors.get("tags"), Some("error.route_review.unknown_tag"));
        let mut exact = form("3");
        exact.text = "好".repeat(MAX_TEXT);
        assert!(exact.check().is_ok(), "2,000 characters, not bytes");
        let mut nul = form("3");
        nul.text = "a\u{0}b".into();
        assert_eq!(
            nul.check().expect_err("NUL").get("text"),
            Some("error.control_characters")
        );
    }

    #[test]
    fn reviews_open_for_ninety_days_and_edits_for_thirty() {
        assert_eq!(may_write(None, day(1)), Err(Closed::NotFinished));
        let finished = day(1);
        assert_eq!(
            may_write(Some(finished), finished + Duration::days(90)),
            Ok(())
        );
        assert_eq!(
            may_write(Some(finished), finished + Duration::days(91)),
            Err(Closed::TooLate)
        );
        assert_eq!(may_edit(day(2), day(2) + Duration::days(30)), Ok(()));
        assert_eq!(
            may_edit(day(2), day(2) + Duration::days(31)),
            Err(Closed::EditWindowOver)
        );
    }

    #[test]
    fn weight_bands_cover_every_weight() {
        assert_eq!(WeightBand::of_grams(480), WeightBand::UpToHalf);
        assert_eq!(WeightBand::of_grams(501), WeightBand::UpToOne);
        assert_eq!(WeightBand::of_grams(2000), WeightBand::UpToTwo);
        assert_eq!(WeightBand::of_grams(30_000), WeightBand::Over);
    }

    #[test]
    fn a_pseudonym_is_city_and_trade() {
        assert_eq!(
            pseudonym("深圳市", "电子产品", "卖家"),
            "深圳 · 电子产品卖家"
        );
        assert_eq!(pseudonym("", "Toys", " seller"), "— · Toys seller");
    }
}
