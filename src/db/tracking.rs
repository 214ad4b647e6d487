//! Rows of tracking (issue #11): the parcel's normalised events and the
//! carriers' webhook secrets.

use super::schema::{carrier_secrets, tracking_events};
use crate::domain::tracking::{ExceptionReason, Milestone, Source};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// One stored tracking event.
#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = tracking_events)]
pub struct TrackingEvent {
    pub id: i64,
    pub order_id: i64,
    #[diesel(deserialize_as = String)]
    pub milestone: Milestone,
    pub reason: Option<String>,
    /// UTC.
    pub event_at: NaiveDateTime,
    /// The offset of the place the event happened, to show its local time.
    pub utc_offset_minutes: i64,
    pub city: String,
    pub country: String,
    pub carrier_text: String,
    #[diesel(deserialize_as = String)]
    pub source: Source,
    pub carrier: Option<String>,
    pub carrier_event_id: Option<String>,
    pub raw_payload: String,
    pub recorded_by: Option<i64>,
    /// The event moved the order's state.
    pub moved: bool,
    pub created_at: NaiveDateTime,
}

impl TrackingEvent {
    pub fn reason(&self) -> Option<ExceptionReason> {
        self.reason
            .as_deref()
            .and_then(|r| ExceptionReason::parse(r).ok())
    }
}

#[derive(Insertable)]
#[diesel(table_name = tracking_events)]
pub struct NewTrackingEvent<'a> {
    pub order_id: i64,
    pub milestone: &'a str,
    pub reason: Option<&'a str>,
    pub event_at: NaiveDateTime,
    pub utc_offset_minutes: i64,
    pub city: &'a str,
    pub country: &'a str,
    pub carrier_text: &'a str,
    pub source: &'a str,
    pub carrier: Option<&'a str>,
    pub carrier_event_id: Option<&'a str>,
    pub raw_payload: &'a str,
    pub recorded_by: Option<i64>,
    pub moved: bool,
    pub created_at: NaiveDateTime,
}

/// A carrier's webhook secret, and the previous one during the overlap.
#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = carrier_secrets)]
pub struct CarrierSecret {
    pub carrier: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_until: Option<NaiveDateTime>,
    pub rotated_by: i64,
    pub rotated_at: NaiveDateTime,
}

impl std::fmt::Debug for CarrierSecret {
    // Secrets never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CarrierSecret")
            .field("carrier", &self.carrier)
            .field("rotated_at", &self.rotated_at)
            .finish_non_exhaustive()
    }
}

/// The order's events, newest first.
pub fn timeline(conn: &mut super::DbConnection, order_id: i64) -> QueryResult<Vec<TrackingEvent>> {
    tracking_events::table
        .filter(tracking_events::order_id.eq(order_id))
        .order((tracking_events::event_at.desc(), tracking_events::id.desc()))
        .select(TrackingEvent::as_select())
        .load(conn)
}
