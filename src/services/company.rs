//! Company verification: the owner submits, staff approve or reject.

use super::audit::{self, Event};
use super::notifications::notify_owner;
use super::{Actor, Page, ServiceError, ServiceResult, now};
use crate::db::models::{Company, CompanyVerificationChanges, Upload};
use crate::db::schema::{companies, uploads};
use crate::db::{DbConnection, contains_pattern, lower, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UploadId};
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::domain::status::{CompanyStatus, UploadKind};
use crate::domain::upload::UploadQuota;
use crate::domain::uscc::Uscc;
use crate::services::uploads::{self as files, NewFile};
use crate::storage::Storage;
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
    /// Name and address in Latin letters, as the invoice prints them.
    pub name_en: String,
    pub address_en: String,
}

/// A document of the verification form.
pub enum Document {
    /// Stored with an earlier submission, kept by its id.
    Stored(UploadId),
    /// Chosen with this submission: recorded and written to storage only
    /// when the submission is accepted.
    New { bytes: Vec<u8>, name: String },
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
    pub licence: Document,
    pub id_front: Option<Document>,
    pub id_back: Option<Document>,
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
        UploadKind::ItemPhoto
        | UploadKind::OrderDocument
        | UploadKind::ParcelPhoto
        | UploadKind::TicketAttachment
        | UploadKind::RecipientPhoto
        | UploadKind::ReviewPhoto => true,
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
/// New documents are checked and recorded with everything else, and reach
/// storage last: a refused submission leaves no file behind.
pub fn submit_verification(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    quota: UploadQuota,
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
        let mut pending = Vec::new();
        let documents = [
            ("licence", Some(&form.licence), UploadKind::Licence),
            ("id_front", form.id_front.as_ref(), UploadKind::IdFront),
            ("id_back", form.id_back.as_ref(), UploadKind::IdBack),
        ];
        let mut ids: [Option<i64>; 3] = [None; 3];
        for ((field, document, kind), slot) in documents.into_iter().zip(&mut ids) {
            let id = match document {
                None => None,
                Some(Document::Stored(id)) => {
                    if !owns_upload(conn, company_id, *id, kind)? {
                        errors.add(field, "error.upload.missing");
                    }
                    Some(*id)
                }
                Some(Document::New { bytes, name }) => {
                    let file = NewFile {
                        kind,
                        field,
                        bytes,
                        original_name: name,
                    };
                    match files::record(conn, actor, quota, file) {
                        Ok(file) => {
                            let id = file.id;
                            pending.push(file);
                            Some(id)
                        }
                        Err(ServiceError::Invalid(refused)) => {
                            errors.add(field, refused.get(field).unwrap_or("error.upload.none"));
                            None
                        }
                        Err(error) => return Err(error),
                    }
                }
            };
            *slot = id.map(|id| id.0);
        }
        if !errors.is_empty() {
            // Rolls back the rows recorded above; no file was written.
            return Err(ServiceError::Invalid(errors));
        }
        let [licence, id_front, id_back] = ids;
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
                sender_name_en: form.sender.name_en,
                sender_address_en: form.sender.address_en,
                licence_upload_id: licence,
                id_front_upload_id: id_front,
                id_back_upload_id: id_back,
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
        // The reviewer sees the same warning; the log keeps that it was seen at submission.
        let submitted = get(conn, company_id)?;
        for duplicate in duplicates(conn, &submitted)? {
            audit::record(
                conn,
                actor,
                Event {
                    action: "company.verification.duplicate",
                    company: Some(company_id),
                    target_type: "company",
                    target_id: duplicate.company_id.to_string(),
                    detail: duplicate.field.to_owned(),
                },
            )?;
        }
        for file in pending {
            file.write(storage)?;
        }
        Ok(())
    })
}

/// Another company that gave the same identifier: its id, its name, and
/// which identifier (`uscc` or `legal_rep_id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub company_id: i64,
    pub name: String,
    pub field: &'static str,
}

/// Other companies with this company's credit code or legal representative's
/// ID: one licence used twice is a reviewer's question, not a rule of ours.
pub fn duplicates(conn: &mut DbConnection, company: &Company) -> QueryResult<Vec<Duplicate>> {
    let mut found = Vec::new();
    for (field, value) in [
        ("uscc", &company.uscc),
        ("legal_rep_id", &company.legal_rep_id),
    ] {
        if value.is_empty() {
            continue;
        }
        let query = companies::table
            .filter(companies::id.ne(company.id))
            .select((companies::id, companies::name))
            .order(companies::id.asc())
            .into_boxed();
        let query = match field {
            "uscc" => query.filter(companies::uscc.eq(value)),
            _ => query.filter(companies::legal_rep_id.eq(value)),
        };
        let others: Vec<(i64, String)> = query.load(conn)?;
        found.extend(others.into_iter().map(|(company_id, name)| Duplicate {
            company_id,
            name,
            field,
        }));
    }
    Ok(found)
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
