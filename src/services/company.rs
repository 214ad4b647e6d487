//! Company verification: the owner submits, staff approve or reject.

use super::audit::{self, Event};
use super::notifications::notify_owner;
use super::{Actor, Page, ServiceError, ServiceResult, now};
use crate::db::models::{Company, CompanyVerificationChanges, NewUpload, Upload};
use crate::db::schema::{companies, uploads};
use crate::db::{DbConnection, contains_pattern, lower, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UploadId};
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::domain::status::{CompanyStatus, UploadKind};
use crate::domain::upload;
use crate::domain::uscc::Uscc;
use crate::storage::Storage;
use crate::with_backend;
use diesel::prelude::*;

pub fn get(conn: &mut DbConnection, id: CompanyId) -> ServiceResult<Company> {
    Ok(companies::table.find(id.0).first(conn)?)
}

/// The default sender address (where parcels are collected).
pub struct SenderAddress {
    pub name: String,
    pub phone: Phone,
    pub province: String,
    pub city: String,
    pub address: String,
    pub postcode: String,
}

/// The verification data, already parsed into domain types.
pub struct Verification {
    pub name_zh: String,
    pub name_en: String,
    pub uscc: Uscc,
    pub legal_rep_name: String,
    pub legal_rep_id: ResidentId,
    pub contact_phone: Phone,
    pub sender: SenderAddress,
    pub licence: UploadId,
    pub id_front: Option<UploadId>,
    pub id_back: Option<UploadId>,
}

/// Stores one document for the actor's company. A bad file is reported on
/// the form field named like its kind.
pub fn store_upload(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    actor: &Actor,
    kind: UploadKind,
    bytes: &[u8],
    original_name: &str,
) -> ServiceResult<UploadId> {
    actor.require_owner()?;
    put_upload(
        conn,
        storage,
        actor,
        kind,
        kind.as_str(),
        bytes,
        original_name,
    )
}

/// Stores a file of the actor's company after checking its type and size by
/// content; a refusal is reported beside `field`.
pub(crate) fn put_upload(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    actor: &Actor,
    kind: UploadKind,
    field: &'static str,
    bytes: &[u8],
    original_name: &str,
) -> ServiceResult<UploadId> {
    let company = actor.company()?;
    let mime = upload::check(bytes)
        .map_err(|error| ServiceError::Invalid(FieldErrors::single(field, error.message_key())))?;
    let key = storage.put(bytes)?;
    let name: String = original_name.chars().take(200).collect();
    let id: i64 = with_backend!(conn, |c| diesel::insert_into(uploads::table)
        .values(NewUpload {
            company_id: Some(company.0),
            uploaded_by: actor.user_id.0,
            kind: kind.as_str(),
            sha256: &key,
            mime,
            size_bytes: bytes.len() as i64,
            original_name: &name,
            created_at: now(),
        })
        .returning(uploads::id)
        .get_result(c))?;
    Ok(UploadId(id))
}

/// An upload the actor may see: staff see all, an owner their company's,
/// managers also the top-up receipts, other members their company's order
/// files (not the verification papers). Anyone else gets "not found", so
/// ids cannot be probed.
pub fn find_upload(conn: &mut DbConnection, actor: &Actor, id: UploadId) -> ServiceResult<Upload> {
    use crate::domain::status::Role;
    let upload: Upload = uploads::table.find(id.0).first(conn)?;
    let same_company =
        upload.company_id.is_some() && actor.company_id.map(|c| c.0) == upload.company_id;
    let member_may_see = match upload.kind {
        UploadKind::ItemPhoto | UploadKind::OrderDocument => true,
        UploadKind::TopupReceipt => matches!(actor.role, Role::Owner | Role::Manager),
        UploadKind::Licence | UploadKind::IdFront | UploadKind::IdBack => actor.role == Role::Owner,
    };
    let visible = actor.role.is_staff() || (same_company && member_may_see);
    if visible {
        Ok(upload)
    } else {
        Err(ServiceError::Db(diesel::result::Error::NotFound))
    }
}

/// Whether `id` is an upload of `company` of the given kind.
fn owns_upload(
    conn: &mut DbConnection,
    company: CompanyId,
    id: UploadId,
    kind: UploadKind,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        uploads::table
            .filter(uploads::id.eq(id.0))
            .filter(uploads::company_id.eq(company.0))
            .filter(uploads::kind.eq(kind.as_str())),
    ))
    .get_result(conn)
}

/// The owner submits (or resubmits after a rejection) the verification data.
pub fn submit_verification(
    conn: &mut DbConnection,
    actor: &Actor,
    form: Verification,
) -> ServiceResult<()> {
    let company_id = actor.require_owner()?;
    write_tx(conn, |conn| {
        let company = get(conn, company_id)?;
        if !company.status.can_submit() {
            return Err(ServiceError::Conflict("error.company.not_editable"));
        }
        let mut errors = FieldErrors::new();
        let documents = [
            ("licence", Some(form.licence), UploadKind::Licence),
            ("id_front", form.id_front, UploadKind::IdFront),
            ("id_back", form.id_back, UploadKind::IdBack),
        ];
        for (field, id, kind) in documents {
            if let Some(id) = id
                && !owns_upload(conn, company_id, id, kind)?
            {
                errors.add(field, "error.upload.missing");
            }
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let at = now();
        diesel::update(companies::table.find(company_id.0))
            .set(CompanyVerificationChanges {
                status: CompanyStatus::Submitted.into(),
                reject_reason: Some(None),
                name_zh: form.name_zh,
                name_en: form.name_en,
                uscc: form.uscc.as_str().to_owned(),
                legal_rep_name: form.legal_rep_name,
                legal_rep_id: form.legal_rep_id.as_str().to_owned(),
                contact_phone: form.contact_phone.as_str().to_owned(),
                sender_name: form.sender.name,
                sender_phone: form.sender.phone.as_str().to_owned(),
                sender_province: form.sender.province,
                sender_city: form.sender.city,
                sender_address: form.sender.address,
                sender_postcode: form.sender.postcode,
                licence_upload_id: Some(form.licence.0),
                id_front_upload_id: form.id_front.map(|id| id.0),
                id_back_upload_id: form.id_back.map(|id| id.0),
                submitted_at: Some(at),
                updated_at: at,
            })
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Event {
                action: "company.verification.submit",
                company: Some(company_id),
                target_type: "company",
                target_id: company_id.to_string(),
                detail: form.uscc.as_str().to_owned(),
            },
        )?;
        Ok(())
    })
}

/// A staff decision on a submission or application.
#[derive(Clone, Debug)]
pub enum Decision {
    Approve,
    Reject { reason: String },
}

/// Staff approve or reject a submitted verification; the owner is notified.
pub fn review(
    conn: &mut DbConnection,
    actor: &Actor,
    company_id: CompanyId,
    decision: Decision,
) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let company = get(conn, company_id)?;
        if company.status != CompanyStatus::Submitted {
            return Err(ServiceError::Conflict("error.review.not_pending"));
        }
        let (status, reason, action, kind) = match &decision {
            Decision::Approve => (
                CompanyStatus::Verified,
                None,
                "company.verification.approve",
                "company.verified",
            ),
            Decision::Reject { reason } => (
                CompanyStatus::Rejected,
                Some(reason.clone()),
                "company.verification.reject",
                "company.rejected",
            ),
        };
        diesel::update(companies::table.find(company_id.0))
            .set((
                companies::status.eq(status.as_str()),
                companies::reject_reason.eq(&reason),
                companies::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let detail = reason.unwrap_or_default();
        notify_owner(conn, company_id, kind, &detail, "/app/company")?;
        audit::record(
            conn,
            actor,
            Event {
                action,
                company: Some(company_id),
                target_type: "company",
                target_id: company_id.to_string(),
                detail,
            },
        )?;
        Ok(())
    })
}

/// Companies for the staff queue, oldest submission first; `search` matches
/// names and the USCC.
pub fn queue(
    conn: &mut DbConnection,
    actor: &Actor,
    status: Option<CompanyStatus>,
    search: &str,
    page: i64,
) -> ServiceResult<Page<Company>> {
    actor.require_staff()?;
    let mut query = companies::table.into_boxed();
    if let Some(status) = status {
        query = query.filter(companies::status.eq(status.as_str()));
    }
    let search = search.trim();
    if !search.is_empty() {
        let pattern = contains_pattern(search);
        query = query.filter(
            lower(companies::name)
                .like(pattern.clone())
                .or(lower(companies::name_zh).like(pattern.clone()))
                .or(lower(companies::name_en).like(pattern.clone()))
                .or(lower(companies::uscc).like(pattern)),
        );
    }
    let rows = query
        .order((companies::submitted_at.asc(), companies::id.asc()))
        .offset(Page::<Company>::offset(page))
        .limit(Page::<Company>::SIZE + 1)
        .load(conn)?;
    Ok(Page::from_rows(rows, page))
}
