//! `/r/{token}` once the parcel is on its way: the recipient follows it (as
//! the public tracking page shows it, without the postcode) and confirms
//! receipt with the parcel's condition, a comment and a photo (issue #11).

use super::super::ctx::{OutsiderCtx, PageCtx};
use super::super::errors::AppError;
use super::super::rate_limit::{self, RateLimit};
use super::super::tickets::{chosen, text};
use super::super::{AppState, redirect, render_with, run};
use super::link::problem_page;
use crate::db::confirmations::RecipientConfirmation;
use crate::domain::field_errors::FieldErrors;
use crate::domain::receipt::{Condition, ReceiptFields};
use crate::services::ServiceError;
use crate::services::orders::link::{self, Opened};
use crate::services::orders::receipt::{self, Followed, Photo};
use crate::services::tracking::TrackingView;
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_multipart::form::text::Text;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/r/{token}/receipt",
        web::post()
            .to(confirm)
            .wrap(RateLimit(&rate_limit::RECIPIENT_LINK)),
    );
}

#[derive(Template)]
#[template(path = "public/recipient_parcel.html")]
pub(super) struct ParcelPage {
    ctx: PageCtx,
    token: String,
    sender_company: String,
    tracking: TrackingView,
    confirmation: Option<RecipientConfirmation>,
    may_confirm: bool,
    form: ReceiptFields,
    errors: FieldErrors,
}

impl ParcelPage {
    pub(super) fn new(ctx: PageCtx, token: String, followed: Followed) -> ParcelPage {
        ParcelPage {
            ctx,
            token,
            sender_company: followed.sender_company,
            tracking: followed.tracking,
            confirmation: followed.confirmation,
            may_confirm: followed.may_confirm,
            form: ReceiptFields::default(),
            errors: FieldErrors::new(),
        }
    }

    fn conditions(&self) -> [u8; 5] {
        Condition::ALL
    }
}

/// The multipart body of the confirmation.
#[derive(MultipartForm)]
pub struct ReceiptUpload {
    condition: Option<Text<String>>,
    comment: Option<Text<String>>,
    photo: Option<FilePart>,
}

/// Handles POST /r/{token}/receipt: stores the confirmation (once) and
/// shows the thank-you state, or the form again with what to fix.
async fn confirm(
    OutsiderCtx(ctx): OutsiderCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    upload: MultipartForm<ReceiptUpload>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let upload = upload.into_inner();
    let form = ReceiptFields {
        condition: text(upload.condition),
        comment: text(upload.comment),
    };
    let result = match form.parse() {
        Ok(parsed) => {
            let file = chosen(upload.photo);
            let storage = state.storage.clone();
            let lookup = token.clone();
            run(&state, move |conn| {
                let photo = file.as_ref().map(|(bytes, name)| Photo { bytes, name });
                receipt::confirm(conn, storage.as_ref(), &lookup, &parsed, photo)
            })
            .await
        }
        Err(errors) => Err(ServiceError::Invalid(errors).into()),
    };
    match result {
        Ok(Ok(_)) => Ok(redirect(&format!("/r/{token}"))),
        Ok(Err(problem)) => problem_page(ctx, problem),
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let lookup = token.clone();
            match run(&state, move |conn| link::open_any(conn, &lookup)).await? {
                Ok(Opened::Parcel(followed)) => {
                    let mut page = ParcelPage::new(ctx, token, *followed);
                    page.form = form;
                    page.errors = errors;
                    render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
                }
                Ok(Opened::Address(_)) => Ok(redirect(&format!("/r/{token}"))),
                Err(problem) => problem_page(ctx, problem),
            }
        }
        Err(error) => Err(error),
    }
}
