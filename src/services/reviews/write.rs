//! Writing and editing a review: once per finished order, by a member of
//! the ordering company, within 90 days of the finish; changes within 30
//! days of writing keep the earlier wording in `review_versions`. The
//! route's aggregates move in the same transaction.

use super::{ALREADY_WRITTEN, finished_at, of_order, photos_of};
use crate::db::orders::Order;
use crate::db::reviews::{NewReview, Review};
use crate::db::schema::{companies, order_recipients, review_photos, review_versions, reviews};
use crate::db::{DbConnection, ledger, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use crate::domain::rating::epoch_weight;
use crate::domain::review::{self, Dimension, MAX_PHOTOS, WeightBand};
use crate::domain::status::UploadKind;
use crate::domain::upload::{self, UploadQuota};
use crate::domain::warehouse::CheckOutcome;
use crate::services::audit::{self, Event};
use crate::services::route_stats::{self, ReviewFacts};
use crate::services::uploads::{NewFile, PendingFile, record};
use crate::services::{Actor, ServiceError, ServiceResult, module, orders};
use crate::storage::Storage;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// The order a review is written about, as the form needs it.
#[derive(Clone, Debug)]
pub struct ReviewContext {
    pub order: Order,
    pub country: String,
    pub finished_at: NaiveDateTime,
    /// The review already written (the form edits it).
    pub existing: Option<Review>,
    /// Its photos (upload ids).
    pub photos: Vec<i64>,
}

/// A photo brought with the form.
#[derive(Clone, Copy)]
pub struct Photo<'a> {
    pub bytes: &'a [u8],
    pub name: &'a str,
}

/// The order `order_no` of the actor's company, if a review of it may be
/// written or changed at `now`. Staff have no company (403); another
/// company's order is not found (404); a closed window is a conflict (409).
pub fn context(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    now: NaiveDateTime,
) -> ServiceResult<ReviewContext> {
    actor.company()?;
    let order = orders::find(conn, actor, order_no)?;
    load(conn, order, now)
}

fn load(conn: &mut DbConnection, order: Order, now: NaiveDateTime) -> ServiceResult<ReviewContext> {
    let finished = finished_at(conn, order.id, order.status)?;
    let existing = of_order(conn, order.id)?;
    match &existing {
        Some(written) => review::may_edit(written.created_at, now),
        None => review::may_write(finished, now),
    }
    .map_err(|closed| ServiceError::Conflict(closed.message_key()))?;
    let country = order_recipients::table
        .find(order.id)
        .select(order_recipients::country)
        .first(conn)?;
    let photos = match &existing {
        Some(written) => photos_of(conn, written.id)?,
        None => Vec::new(),
    };
    Ok(ReviewContext {
        finished_at: finished.ok_or(ServiceError::Conflict("error.route_review.not_finished"))?,
        order,
        country,
        existing,
        photos,
    })
}

/// Writes the review of `order_no` or, when `editing` and one exists,
/// changes it; returns its id. A "new review" post for an order already
/// reviewed (a double post) is the conflict [`ALREADY_WRITTEN`].
#[expect(clippy::too_many_arguments, reason = "one use case, its inputs")]
#[tracing::instrument(skip(conn, storage, written, photos))]
pub fn save(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    quota: UploadQuota,
    actor: &Actor,
    order_no: &str,
    written: &review::Review,
    editing: bool,
    photos: &[Photo],
    now: NaiveDateTime,
) -> ServiceResult<i64> {
    let company = actor.company()?;
    let result = write_tx(conn, |conn| {
        // Two posts of one form queue here; the second sees the first's review.
        ledger::lock_company(conn, company.0)?;
        let order = orders::find(conn, actor, order_no)?;
        let context = load(conn, order, now)?;
        let (review, pending) = match &context.existing {
            Some(_) if !editing => return Err(ServiceError::Conflict(ALREADY_WRITTEN)),
            Some(old) => edit(conn, actor, quota, old, &context, written, photos, now)?,
            None => create(conn, actor, quota, company, &context, written, photos, now)?,
        };
        for file in pending {
            file.write(storage)?;
        }
        Ok(review)
    });
    match result {
        Err(ServiceError::Db(DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Err(ServiceError::Conflict(ALREADY_WRITTEN)),
        other => other,
    }
}

fn tags_text(written: &review::Review) -> String {
    written
        .tags
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn score(written: &review::Review, dimension: Dimension) -> i64 {
    i64::from(written.scores.get(dimension).get())
}

#[expect(clippy::too_many_arguments, reason = "one step of `save`")]
fn create<'a>(
    conn: &mut DbConnection,
    actor: &Actor,
    quota: UploadQuota,
    company: CompanyId,
    context: &ReviewContext,
    written: &review::Review,
    photos: &[Photo<'a>],
    now: NaiveDateTime,
) -> ServiceResult<(i64, Vec<PendingFile<'a>>)> {
    let order = &context.order;
    let city: String = companies::table
        .find(company.0)
        .select(companies::sender_city)
        .first(conn)?;
    // The pseudonym's trade: the first category the company applied with.
    let category = module::latest(conn, company)?
        .and_then(|a| a.categories.split(',').next().map(str::to_owned))
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "other".to_owned());
    let grams = crate::db::warehouse::latest_check(conn, order.id)?
        .filter(|c| c.outcome == CheckOutcome::Accepted)
        .map(|c| c.weight_g)
        .or(order.weight_g)
        .unwrap_or_default();
    let tags = tags_text(written);
    diesel::insert_into(reviews::table)
        .values(NewReview {
            order_id: order.id,
            route_code: order.route_code.as_deref().unwrap_or_default(),
            country: &context.country,
            company_id: company.0,
            author_id: actor.user_id.0,
            overall: score(written, Dimension::Overall),
            timeliness: score(written, Dimension::Timeliness),
            service: score(written, Dimension::Service),
            customs: score(written, Dimension::Customs),
            tracking: score(written, Dimension::Tracking),
            packaging: score(written, Dimension::Packaging),
            body: &written.text,
            tags: &tags,
            has_text: !written.text.is_empty(),
            photo_count: 0,
            reviewer_city: &city,
            reviewer_category: &category,
            weight_band: WeightBand::of_grams(grams).as_str(),
            weight: epoch_weight(now),
            demo: false,
            created_at: now,
            updated_at: now,
        })
        .execute(conn)?;
    let stored = of_order(conn, order.id)?.ok_or(DieselError::NotFound)?;
    let pending = add_photos(conn, actor, quota, stored.id, 0, photos)?;
    let stored = reviews::table
        .find(stored.id)
        .select(Review::as_select())
        .first(conn)?;
    route_stats::review_changed(conn, None, ReviewFacts::of(&stored).as_ref())?;
    audit_write(conn, actor, &stored, &order.order_no, "route_review.write")?;
    Ok((stored.id, pending))
}

#[expect(clippy::too_many_arguments, reason = "one step of `save`")]
fn edit<'a>(
    conn: &mut DbConnection,
    actor: &Actor,
    quota: UploadQuota,
    old: &Review,
    context: &ReviewContext,
    written: &review::Review,
    photos: &[Photo<'a>],
    now: NaiveDateTime,
) -> ServiceResult<(i64, Vec<PendingFile<'a>>)> {
    diesel::insert_into(review_versions::table)
        .values((
            review_versions::review_id.eq(old.id),
            review_versions::overall.eq(old.overall),
            review_versions::timeliness.eq(old.timeliness),
            review_versions::service.eq(old.service),
            review_versions::customs.eq(old.customs),
            review_versions::tracking.eq(old.tracking),
            review_versions::packaging.eq(old.packaging),
            review_versions::body.eq(&old.body),
            review_versions::tags.eq(&old.tags),
            review_versions::written_at.eq(old.updated_at),
            review_versions::replaced_at.eq(now),
        ))
        .execute(conn)?;
    let pending = add_photos(conn, actor, quota, old.id, context.photos.len(), photos)?;
    diesel::update(reviews::table.find(old.id))
        .set((
            reviews::overall.eq(score(written, Dimension::Overall)),
            reviews::timeliness.eq(score(written, Dimension::Timeliness)),
            reviews::service.eq(score(written, Dimension::Service)),
            reviews::customs.eq(score(written, Dimension::Customs)),
            reviews::tracking.eq(score(written, Dimension::Tracking)),
            reviews::packaging.eq(score(written, Dimension::Packaging)),
            reviews::body.eq(&written.text),
            reviews::tags.eq(tags_text(written)),
            reviews::has_text.eq(!written.text.is_empty()),
            reviews::updated_at.eq(now),
        ))
        .execute(conn)?;
    let stored = reviews::table
        .find(old.id)
        .select(Review::as_select())
        .first(conn)?;
    route_stats::review_changed(
        conn,
        ReviewFacts::of(old).as_ref(),
        ReviewFacts::of(&stored).as_ref(),
    )?;
    let no = &context.order.order_no;
    audit_write(conn, actor, &stored, no, "route_review.edit")?;
    Ok((stored.id, pending))
}

/// Records new photos after the `kept` ones (images only, within the
/// company's quota, at most [`MAX_PHOTOS`] in all) and counts them.
fn add_photos<'a>(
    conn: &mut DbConnection,
    actor: &Actor,
    quota: UploadQuota,
    review_id: i64,
    kept: usize,
    photos: &[Photo<'a>],
) -> ServiceResult<Vec<PendingFile<'a>>> {
    let refuse = |key| ServiceError::Invalid(FieldErrors::single("photos", key));
    if kept + photos.len() > MAX_PHOTOS {
        return Err(refuse("route_review.too_many_photos"));
    }
    let mut pending = Vec::new();
    for (at, photo) in photos.iter().enumerate() {
        if let Ok(mime) = upload::check(photo.bytes)
            && !upload::is_inline_image(mime)
        {
            return Err(refuse("route_review.photo_type"));
        }
        let file = record(
            conn,
            actor,
            quota,
            NewFile {
                kind: UploadKind::ReviewPhoto,
                field: "photos",
                bytes: photo.bytes,
                original_name: photo.name,
            },
        )?;
        diesel::insert_into(review_photos::table)
            .values((
                review_photos::review_id.eq(review_id),
                review_photos::upload_id.eq(file.id.0),
                review_photos::position.eq(i64::try_from(kept + at).unwrap_or(i64::MAX)),
            ))
            .execute(conn)?;
        pending.push(file);
    }
    diesel::update(reviews::table.find(review_id))
        .set(reviews::photo_count.eq(i64::try_from(kept + photos.len()).unwrap_or(i64::MAX)))
        .execute(conn)?;
    Ok(pending)
}

fn audit_write(
    conn: &mut DbConnection,
    actor: &Actor,
    stored: &Review,
    order_no: &str,
    action: &str,
) -> QueryResult<()> {
    audit::record(
        conn,
        actor,
        Event {
            action,
            company: Some(CompanyId(stored.company_id)),
            target_type: "review",
            target_id: stored.id.to_string(),
            detail: format!("{order_no} · {}★", stored.overall),
        },
    )
}
