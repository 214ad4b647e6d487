//! The seller dashboard and company verification.

use super::auth::{Owner, SignedIn};
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, redirect, render, render_with, run};
use crate::db::models::{Company, ModuleApplication};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::UploadId;
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::domain::status::{CompanyStatus, ModuleStatus};
use crate::domain::text;
use crate::domain::upload;
use crate::domain::uscc::Uscc;
use crate::services::company::{Document, SenderAddress, Verification};
use crate::services::{ServiceError, company, module};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_multipart::form::text::Text;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app", web::get().to(dashboard))
        .route("/app/company", web::get().to(verification_page))
        .route("/app/company", web::post().to(submit_verification));
}

#[derive(Template)]
#[template(path = "app/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    company: Company,
    application: Option<ModuleApplication>,
    /// A few finished orders waiting for a route review.
    waiting_reviews: Vec<crate::services::reviews::Waiting>,
}

impl DashboardPage {
    /// The one thing the company should do next, as a message key and a link.
    fn next_step(&self) -> (&'static str, &'static str) {
        match (self.company.status, self.company.module_status) {
            (CompanyStatus::Unverified, _) => ("dashboard.next.verify", "/app/company"),
            (CompanyStatus::Submitted, _) => ("dashboard.next.wait_verification", "/app/company"),
            (CompanyStatus::Rejected, _) => ("dashboard.next.fix_verification", "/app/company"),
            (CompanyStatus::Verified, ModuleStatus::None) => {
                ("dashboard.next.apply", "/app/module")
            }
            (CompanyStatus::Verified, ModuleStatus::Applied) => {
                ("dashboard.next.wait_module", "/app/module")
            }
            (CompanyStatus::Verified, ModuleStatus::Declined) => {
                ("dashboard.next.reapply", "/app/module")
            }
            (CompanyStatus::Verified, ModuleStatus::Suspended) => {
                ("dashboard.next.suspended", "/app/module")
            }
            (CompanyStatus::Verified, ModuleStatus::Active) => {
                ("dashboard.next.ready", "/app/orders/new")
            }
        }
    }
}

/// Handles GET /app: where the company stands and what to do next.
async fn dashboard(
    ctx: PageCtx,
    user: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(company_id) = user.0.company_id else {
        return Ok(redirect("/admin"));
    };
    let (company, application, waiting_reviews) = run(&state, move |conn| {
        Ok((
            company::get(conn, company_id)?,
            module::latest(conn, company_id)?,
            crate::services::reviews::waiting(conn, company_id, crate::services::now(), 3, 0)?,
        ))
    })
    .await?;
    render(&DashboardPage {
        ctx,
        company,
        application,
        waiting_reviews,
    })
}

/// The verification form's text fields as typed, for re-display.
#[derive(Default)]
pub struct VerificationFields {
    pub name_zh: String,
    pub name_en: String,
    pub uscc: String,
    pub legal_rep_name: String,
    pub legal_rep_id: String,
    pub contact_phone: String,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_province: String,
    pub sender_city: String,
    pub sender_address: String,
    pub sender_name_en: String,
    pub sender_address_en: String,
    pub sender_postcode: String,
    /// Documents already stored (from an earlier try or submission).
    pub licence_id: Option<i64>,
    pub id_front_id: Option<i64>,
    pub id_back_id: Option<i64>,
}

impl VerificationFields {
    fn from_company(company: &Company) -> VerificationFields {
        VerificationFields {
            name_zh: company.name_zh.clone(),
            name_en: company.name_en.clone(),
            uscc: company.uscc.clone(),
            legal_rep_name: company.legal_rep_name.clone(),
            // Never sent back to the browser in full; left blank, it keeps the stored number.
            legal_rep_id: String::new(),
            contact_phone: company.contact_phone.clone(),
            sender_name: company.sender_name.clone(),
            sender_phone: company.sender_phone.clone(),
            sender_province: company.sender_province.clone(),
            sender_city: company.sender_city.clone(),
            sender_address: company.sender_address.clone(),
            sender_name_en: company.sender_name_en.clone(),
            sender_address_en: company.sender_address_en.clone(),
            sender_postcode: company.sender_postcode.clone(),
            licence_id: company.licence_upload_id,
            id_front_id: company.id_front_upload_id,
            id_back_id: company.id_back_upload_id,
        }
    }
}

#[derive(Template)]
#[template(path = "app/company.html")]
struct VerificationPage {
    ctx: PageCtx,
    company: Company,
    form: VerificationFields,
    errors: FieldErrors,
    /// The stored resident ID, masked, for the read-only view and as a hint.
    masked_id: String,
    /// Files were chosen but the form was refused: they were not kept.
    choose_again: bool,
}

impl VerificationPage {
    fn editable(&self) -> bool {
        self.company.status.can_submit()
    }

    /// Field name, label key and stored upload of each document input.
    fn documents(&self) -> Vec<(&'static str, &'static str, Option<i64>)> {
        vec![
            ("licence", "field.licence", self.form.licence_id),
            ("id_front", "field.id_front", self.form.id_front_id),
            ("id_back", "field.id_back", self.form.id_back_id),
        ]
    }
}

fn masked(company: &Company) -> String {
    ResidentId::parse(&company.legal_rep_id)
        .map(|id| id.masked())
        .unwrap_or_default()
}

/// Handles GET /app/company.
async fn verification_page(
    ctx: PageCtx,
    owner: Owner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let company_id = owner.company()?;
    let company = run(&state, move |conn| company::get(conn, company_id)).await?;
    render(&VerificationPage {
        ctx,
        form: VerificationFields::from_company(&company),
        masked_id: masked(&company),
        company,
        errors: FieldErrors::new(),
        choose_again: false,
    })
}

/// The multipart body of the verification form.
#[derive(MultipartForm)]
pub struct VerificationUpload {
    name_zh: Option<Text<String>>,
    name_en: Option<Text<String>>,
    uscc: Option<Text<String>>,
    legal_rep_name: Option<Text<String>>,
    legal_rep_id: Option<Text<String>>,
    contact_phone: Option<Text<String>>,
    sender_name: Option<Text<String>>,
    sender_phone: Option<Text<String>>,
    sender_province: Option<Text<String>>,
    sender_city: Option<Text<String>>,
    sender_address: Option<Text<String>>,
    sender_name_en: Option<Text<String>>,
    sender_address_en: Option<Text<String>>,
    sender_postcode: Option<Text<String>>,
    licence_id: Option<Text<String>>,
    id_front_id: Option<Text<String>>,
    id_back_id: Option<Text<String>>,
    licence: Option<FilePart>,
    id_front: Option<FilePart>,
    id_back: Option<FilePart>,
}

fn text_of(field: Option<Text<String>>) -> String {
    field.map(Text::into_inner).unwrap_or_default()
}

fn id_of(field: Option<Text<String>>) -> Option<i64> {
    field.and_then(|t| t.trim().parse().ok())
}

/// A file part the browser sent with content (an empty file input sends an empty part).
fn chosen(part: Option<FilePart>) -> Option<FilePart> {
    part.filter(|p| !p.data.is_empty())
}

/// Handles POST /app/company: validates everything, then submits for review
/// and stores the chosen documents with it. A refused form stores nothing:
/// the page asks for the files again.
async fn submit_verification(
    ctx: PageCtx,
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    upload: MultipartForm<VerificationUpload>,
) -> Result<HttpResponse, AppError> {
    let company_id = owner.company()?;
    let actor = owner.0.actor();
    let upload = upload.into_inner();
    let form = VerificationFields {
        name_zh: text_of(upload.name_zh),
        name_en: text_of(upload.name_en),
        uscc: text_of(upload.uscc),
        legal_rep_name: text_of(upload.legal_rep_name),
        legal_rep_id: text_of(upload.legal_rep_id),
        contact_phone: text_of(upload.contact_phone),
        sender_name: text_of(upload.sender_name),
        sender_phone: text_of(upload.sender_phone),
        sender_province: text_of(upload.sender_province),
        sender_city: text_of(upload.sender_city),
        sender_address: text_of(upload.sender_address),
        sender_name_en: text_of(upload.sender_name_en),
        sender_address_en: text_of(upload.sender_address_en),
        sender_postcode: text_of(upload.sender_postcode),
        licence_id: id_of(upload.licence_id),
        id_front_id: id_of(upload.id_front_id),
        id_back_id: id_of(upload.id_back_id),
    };
    let mut errors = FieldErrors::new();
    let mut chosen_file = false;
    let mut document = |field: &'static str, part: Option<FilePart>, stored: Option<i64>| {
        let Some(part) = chosen(part) else {
            return stored.map(|id| Document::Stored(UploadId(id)));
        };
        chosen_file = true;
        if let Err(error) = upload::check(&part.data) {
            errors.add(field, error.message_key());
            return None;
        }
        Some(Document::New {
            bytes: part.data.to_vec(),
            name: part.file_name.unwrap_or_default(),
        })
    };
    let licence = document("licence", upload.licence, form.licence_id);
    let id_front = document("id_front", upload.id_front, form.id_front_id);
    let id_back = document("id_back", upload.id_back, form.id_back_id);
    let company = run(&state, move |conn| company::get(conn, company_id)).await?;
    let verification = parse_verification(&form, &company, licence, id_front, id_back, &mut errors);
    let result = match verification {
        Some(verification) if errors.is_empty() => {
            let storage = state.storage.clone();
            let quota = state.settings.upload_quota();
            run(&state, move |conn| {
                company::submit_verification(conn, storage.as_ref(), quota, &actor, verification)
            })
            .await
        }
        _ => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.verification_submitted");
            Ok(redirect("/app/company"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => render_with(
            &VerificationPage {
                ctx,
                masked_id: masked(&company),
                company,
                form,
                errors,
                choose_again: chosen_file,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => Err(error),
    }
}

/// Turns the typed fields into domain types, noting every problem by field.
fn parse_verification(
    form: &VerificationFields,
    company: &Company,
    licence: Option<Document>,
    id_front: Option<Document>,
    id_back: Option<Document>,
    errors: &mut FieldErrors,
) -> Option<Verification> {
    let name_zh = errors.check("name_zh", text::required(&form.name_zh, 100), |e| e);
    let name_en = errors.check("name_en", text::required_latin(&form.name_en, 150), |e| e);
    let uscc = errors.check("uscc", Uscc::parse(&form.uscc), |e| e.message_key());
    let legal_rep_name = errors.check(
        "legal_rep_name",
        text::required(&form.legal_rep_name, 50),
        |e| e,
    );
    // Left blank on a resubmission, the stored number stands.
    let id_input = if form.legal_rep_id.trim().is_empty() && !company.legal_rep_id.is_empty() {
        company.legal_rep_id.as_str()
    } else {
        form.legal_rep_id.as_str()
    };
    let legal_rep_id = errors.check("legal_rep_id", ResidentId::parse(id_input), |e| {
        e.message_key()
    });
    let contact_phone = errors.check("contact_phone", Phone::parse_cn(&form.contact_phone), |e| {
        e.message_key()
    });
    let sender_name = errors.check("sender_name", text::required(&form.sender_name, 50), |e| e);
    let sender_phone = errors.check("sender_phone", Phone::parse_cn(&form.sender_phone), |e| {
        e.message_key()
    });
    let province = errors.check(
        "sender_province",
        text::required(&form.sender_province, 30),
        |e| e,
    );
    let city = errors.check("sender_city", text::required(&form.sender_city, 30), |e| e);
    let address = errors.check(
        "sender_address",
        text::required(&form.sender_address, 200),
        |e| e,
    );
    let sender_name_en = errors.check(
        "sender_name_en",
        text::required_latin(&form.sender_name_en, 60),
        |e| e,
    );
    let address_en = errors.check(
        "sender_address_en",
        text::required_latin(&form.sender_address_en, 250),
        |e| e,
    );
    let postcode = errors.check(
        "sender_postcode",
        text::cn_postcode(&form.sender_postcode),
        |e| e,
    );
    if licence.is_none() && errors.get("licence").is_none() {
        errors.add("licence", "error.upload.required");
    }
    Some(Verification {
        name_zh: name_zh?,
        name_en: name_en?,
        uscc: uscc?,
        legal_rep_name: legal_rep_name?,
        legal_rep_id: legal_rep_id?,
        contact_phone: contact_phone?,
        sender: SenderAddress {
            name: sender_name?,
            phone: sender_phone?,
            province: province?,
            city: city?,
            address: address?,
            postcode: postcode?,
            name_en: sender_name_en?,
            address_en: address_en?,
        },
        licence: licence?,
        id_front,
        id_back,
    })
}
