//! Staff add a tracking event by hand on the order's staff page, e.g. from
//! a carrier's phone call or its website.

use super::{NewEvent, Recorded, order_by_no, record};
use crate::db::{DbConnection, write_tx};
use crate::domain::country::CountryCode;
use crate::domain::field_errors::FieldErrors;
use crate::domain::tracking::{ExceptionReason, Milestone, Source, parse_offset};
use crate::services::orders::By;
use crate::services::{Actor, ServiceError, ServiceResult};
use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use serde::Deserialize;

/// The staff form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct StaffEvent {
    pub milestone: String,
    /// Local date and time of the place, `2026-12-02T10:00` (a `datetime-local` input).
    pub local_time: String,
    /// The place's UTC offset, `+08:00`.
    pub utc_offset: String,
    pub city: String,
    pub country: String,
    pub text: String,
    #[serde(default)]
    pub reason: String,
}

impl StaffEvent {
    fn parse(&self) -> Result<NewEvent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let milestone = Milestone::parse(self.milestone.trim())
            .map_err(|_| errors.add("milestone", "error.tracking.milestone_unknown"))
            .ok();
        let offset = parse_offset(&self.utc_offset)
            .and_then(|minutes| FixedOffset::east_opt(i32::try_from(minutes * 60).ok()?));
        if offset.is_none() {
            errors.add("utc_offset", "error.tracking.offset_invalid");
        }
        let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(self.local_time.trim(), format).ok());
        if local.is_none() {
            errors.add("local_time", "error.tracking.time_invalid");
        }
        let country = match self.country.trim() {
            "" => Some(String::new()),
            code => CountryCode::parse(code)
                .map(|code| code.as_str().to_owned())
                .map_err(|_| errors.add("country", "error.tracking.country_invalid"))
                .ok(),
        };
        if self.city.trim().chars().count() > 100 {
            errors.add("city", "error.tracking.text_too_long");
        }
        if self.text.trim().chars().count() > 500 {
            errors.add("text", "error.tracking.text_too_long");
        }
        let reason = match (self.reason.trim(), milestone) {
            ("", _) => None,
            (reason, Some(Milestone::Exception)) => ExceptionReason::parse(reason)
                .map_err(|_| errors.add("reason", "error.tracking.reason_invalid"))
                .ok(),
            _ => {
                errors.add("reason", "error.tracking.reason_invalid");
                None
            }
        };
        let at = match (local, offset) {
            (Some(local), Some(offset)) => offset.from_local_datetime(&local).single(),
            _ => None,
        };
        match (milestone, at, country) {
            (Some(milestone), Some(at), Some(country)) if errors.is_empty() => Ok(NewEvent {
                milestone,
                reason,
                at,
                city: self.city.trim().to_owned(),
                country,
                text: self.text.trim().to_owned(),
                source: Source::Staff,
                carrier: None,
                carrier_event_id: None,
                raw: serde_json::json!({
                    "milestone": self.milestone,
                    "local_time": self.local_time,
                    "utc_offset": self.utc_offset,
                    "city": self.city,
                    "country": self.country,
                    "text": self.text,
                    "reason": self.reason,
                })
                .to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// Records the staff member's event on the order `order_no`.
pub fn add_by_staff(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    form: &StaffEvent,
) -> ServiceResult<Recorded> {
    actor.require_staff()?;
    let event = form.parse().map_err(ServiceError::Invalid)?;
    write_tx(conn, |conn| {
        let order = order_by_no(conn, order_no)?
            .ok_or(ServiceError::Db(diesel::result::Error::NotFound))?;
        record(conn, By::Staff(actor), &order, &event)
    })
}
