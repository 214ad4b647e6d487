//! Rows of route reviews (issue #12).

use super::schema::reviews;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A review as stored: one per finished order. Route, destination, company
/// and weight band are copied from the order when it is written.
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = reviews)]
pub struct Review {
    pub id: i64,
    pub order_id: i64,
    pub route_code: String,
    pub country: String,
    pub company_id: i64,
    pub author_id: i64,
    pub overall: i64,
    pub timeliness: i64,
    pub service: i64,
    pub customs: i64,
    pub tracking: i64,
    pub packaging: i64,
    pub body: String,
    /// Comma-separated `domain::review::Tag` values.
    pub tags: String,
    pub has_text: bool,
    pub photo_count: i64,
    pub reviewer_city: String,
    pub reviewer_category: String,
    pub weight_band: String,
    /// Recency weight at the scale of `domain::rating::epoch`.
    pub weight: f64,
    /// `visible` or `hidden`.
    pub status: String,
    pub hide_reason: Option<String>,
    pub hidden_by: Option<i64>,
    pub hidden_at: Option<NaiveDateTime>,
    pub open_reports: i64,
    pub demo: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Review {
    pub fn is_visible(&self) -> bool {
        self.status == "visible"
    }

    /// The six scores in the order of `domain::review::Dimension::ALL`.
    pub fn scores(&self) -> [i64; 6] {
        [
            self.overall,
            self.timeliness,
            self.service,
            self.customs,
            self.tracking,
            self.packaging,
        ]
    }
}

#[derive(Insertable)]
#[diesel(table_name = reviews)]
pub struct NewReview<'a> {
    pub order_id: i64,
    pub route_code: &'a str,
    pub country: &'a str,
    pub company_id: i64,
    pub author_id: i64,
    pub overall: i64,
    pub timeliness: i64,
    pub service: i64,
    pub customs: i64,
    pub tracking: i64,
    pub packaging: i64,
    pub body: &'a str,
    pub tags: &'a str,
    pub has_text: bool,
    pub photo_count: i64,
    pub reviewer_city: &'a str,
    pub reviewer_category: &'a str,
    pub weight_band: &'a str,
    pub weight: f64,
    pub demo: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
