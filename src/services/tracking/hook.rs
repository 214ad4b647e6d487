//! The carrier webhook (`POST /hooks/carrier/{carrier}`): the signature
//! check (HMAC-SHA256 over `timestamp + "." + body` with the carrier's
//! secret, or the previous one during a rotation's overlap) and the events
//! of the body, stored through [`super::record`] all or nothing.

use super::{NewEvent, Recorded, order_by_waybill, record};
use crate::db::schema::{carrier_secrets, carriers};
use crate::db::tracking::CarrierSecret;
use crate::db::{DbConnection, write_tx};
use crate::domain::country::CountryCode;
use crate::domain::tracking::{ExceptionReason, Milestone, Source};
use crate::domain::warehouse::Waybill;
use crate::services::ServiceError;
use crate::services::orders::By;
use crate::services::orders::transition::CHANGED_MEANWHILE;
use chrono::{DateTime, NaiveDateTime};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// A signed request older (or newer) than this is refused: a captured
/// request cannot be replayed later.
pub const MAX_SKEW_SECONDS: i64 = 300;
/// Most events one request may carry.
const MAX_EVENTS: usize = 500;

/// Why a webhook request was refused; `code` goes into the JSON answer.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// 401: unsigned, badly signed, stale, or no secret set for the carrier.
    #[error("{message}")]
    Unauthorized {
        code: &'static str,
        message: &'static str,
    },
    /// 404: no such active carrier.
    #[error("unknown carrier")]
    UnknownCarrier,
    /// 422: the body cannot be used; `message` names the event and field.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<DieselError> for HookError {
    fn from(error: DieselError) -> HookError {
        HookError::Service(error.into())
    }
}

fn unauthorized(code: &'static str, message: &'static str) -> HookError {
    HookError::Unauthorized { code, message }
}

fn invalid(code: &'static str, index: usize, message: &str) -> HookError {
    HookError::Invalid {
        code,
        message: format!("event {index}: {message}"),
    }
}

/// Checks the request's signature headers against the carrier's secret(s).
pub fn verify_signature(
    conn: &mut DbConnection,
    carrier: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: NaiveDateTime,
) -> Result<String, HookError> {
    let code = carrier.trim().to_ascii_uppercase();
    let known: bool = diesel::select(diesel::dsl::exists(
        carriers::table
            .filter(carriers::code.eq(&code))
            .filter(carriers::active.eq(true)),
    ))
    .get_result(conn)?;
    if !known {
        return Err(HookError::UnknownCarrier);
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(unauthorized(
            "unsigned",
            "X-Samplepost-Timestamp and X-Samplepost-Signature are required",
        ));
    };
    let seconds: i64 = timestamp.trim().parse().map_err(|_| {
        unauthorized(
            "bad_timestamp",
            "X-Samplepost-Timestamp must be unix seconds",
        )
    })?;
    if (now.and_utc().timestamp() - seconds).abs() > MAX_SKEW_SECONDS {
        return Err(unauthorized(
            "stale_timestamp",
            "the timestamp is more than 5 minutes away from now",
        ));
    }
    let secret: Option<CarrierSecret> = carrier_secrets::table
        .find(&code)
        .select(CarrierSecret::as_select())
        .first(conn)
        .optional()?;
    let Some(secret) = secret else {
        return Err(unauthorized(
            "no_secret",
            "no webhook secret is set for this carrier",
        ));
    };
    let given = hex::decode(signature.trim())
        .map_err(|_| unauthorized("bad_signature", "the signature is not the expected HMAC"))?;
    let previous = secret
        .previous_secret
        .as_deref()
        .filter(|_| secret.previous_until.is_some_and(|until| until > now));
    let valid = std::iter::once(secret.secret.as_str())
        .chain(previous)
        .any(|key| signs(key, timestamp.trim(), body, &given));
    if valid {
        Ok(code)
    } else {
        Err(unauthorized(
            "bad_signature",
            "the signature is not the expected HMAC",
        ))
    }
}

/// HMAC-SHA256 of `timestamp.body` under `key` equals `given` (constant time).
fn signs(key: &str, timestamp: &str, body: &[u8], given: &[u8]) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else {
        return false;
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(given).is_ok()
}

/// What the carrier sent, before it is checked.
#[derive(Deserialize)]
pub struct HookEvent {
    event_id: Option<String>,
    waybill: String,
    milestone: String,
    time: String,
    location: Option<Location>,
    text: Option<String>,
    reason: Option<String>,
}

impl HookEvent {
    /// The waybill as sent (anything, NUL too, until `Waybill::parse`).
    pub fn waybill(&self) -> &str {
        &self.waybill
    }
}

#[derive(Deserialize)]
struct Location {
    city: Option<String>,
    country: Option<String>,
}

/// What each event of the body became.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HookAnswer {
    /// One entry per event: stored (true) or a duplicate (false).
    pub stored: Vec<bool>,
    /// The body was a list under `"events"` rather than one object.
    pub list: bool,
}

/// A body's events as sent, each with its JSON text (kept as received);
/// nothing is looked up yet.
pub struct Body {
    pub events: Vec<(HookEvent, String)>,
    /// The body was a list under `"events"` rather than one object.
    pub list: bool,
}

/// Reads a body's JSON into its events, or says why it cannot be used.
/// Everything here is pure, so it is fuzzed on its own (`fuzz/`).
pub fn read_body(body: &[u8]) -> Result<Body, HookError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| HookError::Invalid {
            code: "malformed_json",
            message: "the body is not JSON".to_owned(),
        })?;
    let (raw_events, list) = match value.get("events") {
        Some(serde_json::Value::Array(events)) => (events.clone(), true),
        Some(_) => return Err(invalid("malformed_json", 0, "\"events\" must be a list")),
        None => (vec![value], false),
    };
    if raw_events.is_empty() || raw_events.len() > MAX_EVENTS {
        return Err(invalid(
            "malformed_json",
            0,
            "send between 1 and 500 events",
        ));
    }
    let mut events = Vec::with_capacity(raw_events.len());
    for (index, raw) in raw_events.iter().enumerate() {
        let parsed: HookEvent = serde_json::from_value(raw.clone()).map_err(|error| {
            invalid(
                "malformed_json",
                index,
                &format!("unexpected shape: {error}"),
            )
        })?;
        events.push((parsed, raw.to_string()));
    }
    Ok(Body { events, list })
}

/// Stores the events of a verified body for `carrier`, all or nothing.
pub fn receive_hook(
    conn: &mut DbConnection,
    carrier: &str,
    body: &[u8],
) -> Result<HookAnswer, HookError> {
    let Body { events, list } = read_body(body)?;
    // Two deliveries of one event racing: the loser's transaction fails on
    // the unique key or the guarded status update; once more, it sees the
    // winner's event and answers "duplicate".
    match store(conn, carrier, &events) {
        Err(error) if is_race(&error) => store(conn, carrier, &events),
        other => other,
    }
    .map(|stored| HookAnswer { stored, list })
}

fn store(
    conn: &mut DbConnection,
    carrier: &str,
    events: &[(HookEvent, String)],
) -> Result<Vec<bool>, HookError> {
    write_tx(conn, |conn| {
        let mut stored = Vec::with_capacity(events.len());
        for (index, (event, raw)) in events.iter().enumerate() {
            // A number that cannot be a waybill (it may hold anything, NUL too) names no parcel.
            let waybill = Waybill::parse(&event.waybill).map_err(|_| {
                invalid(
                    "unknown_waybill",
                    index,
                    "no parcel of this carrier has this waybill",
                )
            })?;
            let Some(order) = order_by_waybill(conn, Some(carrier), waybill.as_str())? else {
                return Err(invalid(
                    "unknown_waybill",
                    index,
                    "no parcel of this carrier has this waybill",
                ));
            };
            let new = read_event(index, carrier, event, raw)?;
            let recorded = record(conn, By::System, &order, &new)?;
            stored.push(matches!(recorded, Recorded::Stored { .. }));
        }
        Ok(stored)
    })
}

fn is_race(error: &HookError) -> bool {
    matches!(
        error,
        HookError::Service(ServiceError::Db(DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            _
        ))) | HookError::Service(ServiceError::Conflict(CHANGED_MEANWHILE))
    )
}

/// Reads one event into domain types, or says which field is wrong.
pub fn read_event(
    index: usize,
    carrier: &str,
    event: &HookEvent,
    raw: &str,
) -> Result<NewEvent, HookError> {
    let milestone = Milestone::parse(event.milestone.trim())
        .map_err(|_| invalid("unknown_milestone", index, "unknown milestone"))?;
    let at = DateTime::parse_from_rfc3339(event.time.trim()).map_err(|_| {
        invalid(
            "bad_time",
            index,
            "time must be ISO 8601 with an offset, like 2026-12-02T10:00:00+01:00",
        )
    })?;
    let reason = match event.reason.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(reason) if milestone == Milestone::Exception => Some(
            ExceptionReason::parse(reason)
                .map_err(|_| invalid("bad_reason", index, "unknown reason"))?,
        ),
        Some(_) => {
            return Err(invalid(
                "bad_reason",
                index,
                "a reason goes only with the exception milestone",
            ));
        }
    };
    let (city, country) = match &event.location {
        Some(location) => (
            location.city.clone().unwrap_or_default(),
            location.country.clone().unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    };
    let country = match country.trim() {
        "" => String::new(),
        code => CountryCode::parse(code)
            .map_err(|_| invalid("bad_country", index, "country must be an ISO 3166 code"))?
            .as_str()
            .to_owned(),
    };
    let text = event.text.clone().unwrap_or_default();
    let event_id = event
        .event_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty());
    for (value, max) in [
        (city.as_str(), 100),
        (text.as_str(), 500),
        (event_id.unwrap_or(""), 100),
    ] {
        if value.chars().count() > max || value.chars().any(char::is_control) {
            return Err(invalid(
                "bad_text",
                index,
                "a text field is too long or holds control characters",
            ));
        }
    }
    Ok(NewEvent {
        milestone,
        reason,
        at,
        city: city.trim().to_owned(),
        country,
        text: text.trim().to_owned(),
        source: Source::Carrier,
        carrier: Some(carrier.to_owned()),
        carrier_event_id: event_id.map(str::to_owned),
        raw: raw.to_owned(),
    })
}
