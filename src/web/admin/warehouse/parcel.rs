//! `/admin/warehouse/{no}`: one scanned parcel — its declaration beside the
//! measurement form (receive, or refuse with a reason), the quote and every
//! bill, and the hand-over to the carrier.

use crate::db::warehouse::ParcelCheck;
use crate::domain::field_errors::FieldErrors;
use crate::domain::measure::{grams_from_kg, mm_from_cm};
use crate::domain::money::Fen;
use crate::domain::order_state::OrderStatus;
use crate::domain::quote::Dimensions;
use crate::domain::warehouse::{RefusalReason, Settlement};
use crate::services::ServiceError;
use crate::services::warehouse::{self, Measured, ParcelView, Refusal};
use crate::web::auth::Staff;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, render_with, run};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_multipart::form::text::Text;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/warehouse/{no}", web::get().to(page))
        .route("/admin/warehouse/{no}", web::post().to(measure))
        .route("/admin/warehouse/{no}/dispatch", web::post().to(dispatch));
}

/// The measurement form as typed (kept when refused).
#[derive(Default)]
struct MeasureForm {
    weight_kg: String,
    length_cm: String,
    width_cm: String,
    height_cm: String,
    contents_match: bool,
    reason: String,
    note: String,
}

#[derive(Template)]
#[template(path = "admin/warehouse_parcel.html")]
struct ParcelPage {
    ctx: PageCtx,
    view: ParcelView,
    form: MeasureForm,
    carrier: String,
    waybill: String,
    errors: FieldErrors,
    reasons: &'static [RefusalReason],
}

impl ParcelPage {
    fn no(&self) -> &str {
        &self.view.order.order_no
    }

    fn awaiting(&self) -> bool {
        self.view.order.status == OrderStatus::Paid
    }

    fn dispatchable(&self) -> bool {
        self.view.order.status == OrderStatus::Received
    }

    fn kg(&self, grams: &i64) -> String {
        crate::domain::measure::kg_text(u32::try_from(*grams).unwrap_or(0))
    }

    fn cm(&self, mm: &i64) -> String {
        crate::domain::measure::cm_text(u32::try_from(*mm).unwrap_or(0))
    }

    fn declared_weight(&self) -> String {
        self.view
            .order
            .weight_g
            .map(|g| self.kg(&g))
            .unwrap_or_default()
    }

    fn declared_size(&self) -> String {
        let o = &self.view.order;
        match (o.length_mm, o.width_mm, o.height_mm) {
            (Some(l), Some(w), Some(h)) => {
                format!("{}×{}×{} cm", self.cm(&l), self.cm(&w), self.cm(&h))
            }
            _ => String::new(),
        }
    }

    fn attributes(&self) -> Vec<&'static str> {
        self.view
            .order
            .declared()
            .attributes()
            .iter()
            .map(|a| a.as_str())
            .collect()
    }

    fn money(&self, fen: &i64) -> String {
        Fen(*fen).to_string()
    }

    fn bill(&self, check: &ParcelCheck) -> String {
        check
            .bill_total_fen
            .map(|f| Fen(f).to_string())
            .unwrap_or_default()
    }

    fn is_selected(&self, reason: &RefusalReason) -> bool {
        self.form.reason == reason.as_str()
    }
}

async fn load(
    ctx: PageCtx,
    state: &AppState,
    staff: &Staff,
    no: String,
) -> Result<ParcelPage, AppError> {
    let actor = staff.0.actor();
    let view = run(state, move |conn| {
        warehouse::parcel(conn, &actor, &no).map_err(|error| match error {
            // An order number in the path that does not parse or exist is a 404 here.
            ServiceError::Invalid(_) => ServiceError::Db(diesel::result::Error::NotFound),
            other => other,
        })
    })
    .await?;
    Ok(ParcelPage {
        ctx,
        view,
        form: MeasureForm {
            contents_match: false,
            ..MeasureForm::default()
        },
        carrier: String::new(),
        waybill: String::new(),
        errors: FieldErrors::new(),
        reasons: RefusalReason::ALL,
    })
}

/// Handles GET /admin/warehouse/{no}: the scanned parcel.
async fn page(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render(&load(ctx, &state, &staff, no.into_inner()).await?)
}

#[derive(MultipartForm)]
pub struct MeasureUpload {
    weight_kg: Option<Text<String>>,
    length_cm: Option<Text<String>>,
    width_cm: Option<Text<String>>,
    height_cm: Option<Text<String>>,
    contents_match: Option<Text<String>>,
    reason: Option<Text<String>>,
    note: Option<Text<String>>,
    action: Option<Text<String>>,
    photo: Option<FilePart>,
}

fn text(field: Option<Text<String>>) -> String {
    field.map(Text::into_inner).unwrap_or_default()
}

/// The measurement as typed, or the fields that are wrong.
fn measured(form: &MeasureForm, errors: &mut FieldErrors) -> Option<Measured> {
    let weight = grams_from_kg(&form.weight_kg).map_err(|k| errors.add("weight_kg", k));
    let length = mm_from_cm(&form.length_cm).map_err(|k| errors.add("length_cm", k));
    let width = mm_from_cm(&form.width_cm).map_err(|k| errors.add("width_cm", k));
    let height = mm_from_cm(&form.height_cm).map_err(|k| errors.add("height_cm", k));
    Some(Measured {
        weight_g: weight.ok()?,
        dimensions: Dimensions {
            length_mm: length.ok()?,
            width_mm: width.ok()?,
            height_mm: height.ok()?,
        },
    })
}

/// Handles POST /admin/warehouse/{no}: receive the measured parcel (its
/// contents match the declaration) or refuse it with a reason, a photo and a note.
async fn measure(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    upload: MultipartForm<MeasureUpload>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let upload = upload.into_inner();
    let refusing = text(upload.action) == "refuse";
    let form = MeasureForm {
        weight_kg: text(upload.weight_kg),
        length_cm: text(upload.length_cm),
        width_cm: text(upload.width_cm),
        height_cm: text(upload.height_cm),
        contents_match: upload.contents_match.is_some(),
        reason: text(upload.reason),
        note: text(upload.note),
    };
    let photo = upload.photo.filter(|file| !file.data.is_empty());
    let mut errors = FieldErrors::new();
    let measurement = measured(&form, &mut errors);
    let reason = match RefusalReason::parse(&form.reason) {
        Ok(reason) => Some(reason),
        Err(_) if refusing => {
            errors.add("reason", "error.warehouse.reason_required");
            None
        }
        Err(_) => None,
    };
    if refusing && photo.is_none() {
        errors.add("photo", "error.warehouse.photo_required");
    }
    if !refusing && !form.contents_match {
        errors.add("contents_match", "error.warehouse.contents_must_match");
    }
    let result = match measurement {
        Some(measured) if errors.is_empty() => {
            let actor = staff.0.actor();
            let storage = state.storage.clone();
            let number = no.clone();
            let note = form.note.clone();
            run(&state, move |conn| {
                let photo = photo
                    .as_ref()
                    .map(|f| (f.data.as_ref(), f.file_name.as_deref().unwrap_or("")));
                match (refusing, reason, photo) {
                    (true, Some(reason), Some(photo)) => warehouse::refuse(
                        conn,
                        storage.as_ref(),
                        &actor,
                        &number,
                        Refusal {
                            measured,
                            reason,
                            note: &note,
                            photo,
                        },
                    )
                    .map(|()| None),
                    _ => {
                        warehouse::receive(conn, storage.as_ref(), &actor, &number, measured, photo)
                            .map(Some)
                    }
                }
            })
            .await
        }
        _ => Err(ServiceError::Invalid(errors).into()),
    };
    match result {
        Ok(settlement) => {
            let key = match settlement {
                None => "flash.warehouse.refused",
                Some(Settlement::Even) => "flash.warehouse.received",
                Some(Settlement::Charge(_)) => "flash.warehouse.charged",
                Some(Settlement::Refund(_)) => "flash.warehouse.refunded",
                Some(Settlement::Hold { .. }) => "flash.warehouse.on_hold",
            };
            ctx::flash(&session, "success", key);
            Ok(redirect(&format!("/admin/warehouse/{no}")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = load(ctx, &state, &staff, no).await?;
            page.form = form;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

#[derive(Deserialize)]
pub struct DispatchForm {
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    waybill: String,
}

/// Handles POST /admin/warehouse/{no}/dispatch: hands the parcel to the
/// carrier under its waybill number.
async fn dispatch(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<DispatchForm>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let form = form.into_inner();
    let actor = staff.0.actor();
    let (number, carrier, waybill) = (no.clone(), form.carrier.clone(), form.waybill.clone());
    let result = run(&state, move |conn| {
        warehouse::dispatch(conn, &actor, &number, &carrier, &waybill)
    })
    .await;
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.warehouse.dispatched");
            Ok(redirect(&format!("/admin/warehouse/{no}")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = load(ctx, &state, &staff, no).await?;
            page.carrier = form.carrier;
            page.waybill = form.waybill;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}
