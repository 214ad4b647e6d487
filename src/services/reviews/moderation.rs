//! Reports and moderation: anyone signed in reports a review (it stays
//! visible); staff hide it for a listed reason only, unhide it, dismiss its
//! reports and write the one public reply. Staff never change what the
//! reviewer wrote. Every staff action is audited.

use crate::db::reviews::Review;
use crate::db::schema::{review_replies, review_reports, reviews};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use crate::domain::review::{HideReason, ReportReason};
use crate::services::audit::{self, Event};
use crate::services::route_stats::{self, ReviewFacts};
use crate::services::{Actor, ServiceError, ServiceResult, now};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// Longest note with a report, in characters.
pub const MAX_NOTE: usize = 500;
/// Longest platform reply, in characters.
pub const MAX_REPLY: usize = 2000;

/// A free text of at most `max` characters (line breaks allowed), trimmed;
/// `Err` is the message key.
fn free_text(input: &str, max: usize) -> Result<String, &'static str> {
    let text = input.trim();
    if text.chars().count() > max {
        return Err("route_review.text_long");
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("error.control_characters");
    }
    Ok(text.replace("\r\n", "\n"))
}

/// A visible or hidden review, by id (404 when there is none).
pub(super) fn find(conn: &mut DbConnection, id: i64) -> ServiceResult<Review> {
    Ok(reviews::table
        .find(id)
        .select(Review::as_select())
        .first(conn)?)
}

/// What the report page shows of the review.
pub fn for_report(conn: &mut DbConnection, id: i64) -> ServiceResult<Review> {
    find(conn, id)
}

/// The actor reports review `id` (once per user; the review stays visible).
pub fn report(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    reason: ReportReason,
    note: &str,
) -> ServiceResult<()> {
    let note = free_text(note, MAX_NOTE)
        .map_err(|key| ServiceError::Invalid(FieldErrors::single("note", key)))?;
    let result = write_tx(conn, |conn| {
        find(conn, id)?;
        let already: bool = diesel::select(diesel::dsl::exists(
            review_reports::table
                .filter(review_reports::review_id.eq(id))
                .filter(review_reports::reporter_id.eq(actor.user_id.0)),
        ))
        .get_result(conn)?;
        if already {
            return Err(ServiceError::Conflict("route_review.already_reported"));
        }
        diesel::insert_into(review_reports::table)
            .values((
                review_reports::review_id.eq(id),
                review_reports::reporter_id.eq(actor.user_id.0),
                review_reports::reason.eq(reason.as_str()),
                review_reports::note.eq(&note),
                review_reports::status.eq("open"),
                review_reports::created_at.eq(now()),
            ))
            .execute(conn)?;
        diesel::update(reviews::table.find(id))
            .set(reviews::open_reports.eq(reviews::open_reports + 1))
            .execute(conn)?;
        Ok(())
    });
    match result {
        Err(ServiceError::Db(DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Err(ServiceError::Conflict("route_review.already_reported")),
        other => other,
    }
}

fn audit_staff(
    conn: &mut DbConnection,
    actor: &Actor,
    review: &Review,
    action: &str,
    detail: String,
) -> QueryResult<()> {
    audit::record(
        conn,
        actor,
        Event {
            action,
            company: Some(CompanyId(review.company_id)),
            target_type: "review",
            target_id: review.id.to_string(),
            detail,
        },
    )
}

/// Closes the review's open reports as `status` (upheld or dismissed).
fn close_reports(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    status: &str,
) -> QueryResult<usize> {
    let closed = diesel::update(
        review_reports::table
            .filter(review_reports::review_id.eq(id))
            .filter(review_reports::status.eq("open")),
    )
    .set((
        review_reports::status.eq(status),
        review_reports::handled_by.eq(Some(actor.user_id.0)),
        review_reports::handled_at.eq(Some(now())),
    ))
    .execute(conn)?;
    diesel::update(reviews::table.find(id))
        .set(reviews::open_reports.eq(0_i64))
        .execute(conn)?;
    Ok(closed)
}

/// Hides review `id` for `reason` (its open reports are upheld); it stops
/// counting in the route's figures. The text stays as written.
pub fn hide(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    reason: HideReason,
) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let old = find(conn, id)?;
        if !old.is_visible() {
            return Err(ServiceError::Conflict("route_review.already_hidden"));
        }
        diesel::update(
            reviews::table
                .find(id)
                .filter(reviews::status.eq("visible")),
        )
        .set((
            reviews::status.eq("hidden"),
            reviews::hide_reason.eq(Some(reason.as_str())),
            reviews::hidden_by.eq(Some(actor.user_id.0)),
            reviews::hidden_at.eq(Some(now())),
        ))
        .execute(conn)?;
        close_reports(conn, actor, id, "upheld")?;
        route_stats::review_changed(conn, ReviewFacts::of(&old).as_ref(), None)?;
        audit_staff(conn, actor, &old, "route_review.hide", reason.to_string())?;
        Ok(())
    })
}

/// Shows a hidden review again; it counts again.
pub fn unhide(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let old = find(conn, id)?;
        if old.is_visible() {
            return Err(ServiceError::Conflict("route_review.not_hidden"));
        }
        diesel::update(reviews::table.find(id))
            .set((
                reviews::status.eq("visible"),
                reviews::hide_reason.eq(None::<String>),
                reviews::hidden_by.eq(None::<i64>),
                reviews::hidden_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        let shown = find(conn, id)?;
        route_stats::review_changed(conn, None, ReviewFacts::of(&shown).as_ref())?;
        let was = old.hide_reason.clone().unwrap_or_default();
        audit_staff(conn, actor, &old, "route_review.unhide", was)?;
        Ok(())
    })
}

/// Dismisses the review's open reports; it stays as it is.
pub fn dismiss_reports(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let review = find(conn, id)?;
        let closed = close_reports(conn, actor, id, "dismissed")?;
        if closed == 0 {
            return Err(ServiceError::Conflict("route_review.no_open_reports"));
        }
        audit_staff(
            conn,
            actor,
            &review,
            "route_review.dismiss",
            format!("{closed}"),
        )?;
        Ok(())
    })
}

/// Writes or replaces the platform's one public reply to review `id`.
pub fn reply(conn: &mut DbConnection, actor: &Actor, id: i64, body: &str) -> ServiceResult<()> {
    actor.require_staff()?;
    let body = match free_text(body, MAX_REPLY) {
        Ok(body) if body.is_empty() => Err("route_review.reply_required"),
        other => other,
    }
    .map_err(|key| ServiceError::Invalid(FieldErrors::single("reply", key)))?;
    match write_tx(conn, |conn| write_reply(conn, actor, id, &body)) {
        // Two staff replying at once on PostgreSQL both find no reply and
        // both insert; the loser's retry finds the winner's row and replaces it.
        Err(ServiceError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => write_tx(conn, |conn| write_reply(conn, actor, id, &body)),
        result => result,
    }
}

fn write_reply(conn: &mut DbConnection, actor: &Actor, id: i64, body: &str) -> ServiceResult<()> {
    let review = find(conn, id)?;
    let at = now();
    let changed = diesel::update(review_replies::table.find(id))
        .set((
            review_replies::body.eq(body),
            review_replies::author_id.eq(actor.user_id.0),
            review_replies::updated_at.eq(at),
        ))
        .execute(conn)?;
    let action = if changed == 0 {
        diesel::insert_into(review_replies::table)
            .values((
                review_replies::review_id.eq(id),
                review_replies::body.eq(body),
                review_replies::author_id.eq(actor.user_id.0),
                review_replies::created_at.eq(at),
                review_replies::updated_at.eq(at),
            ))
            .execute(conn)?;
        "route_review.reply"
    } else {
        "route_review.reply_edit"
    };
    let detail: String = body.chars().take(80).collect();
    audit_staff(conn, actor, &review, action, detail)?;
    Ok(())
}
