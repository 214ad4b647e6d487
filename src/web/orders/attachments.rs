//! Uploads on the order page: documents for sensitive goods and item photos.
//! A refused file comes back as a message on the order page.

use super::super::auth::Member;
use super::super::ctx;
use super::super::errors::AppError;
use super::super::{AppState, redirect, run};
use crate::services::ServiceError;
use crate::services::orders::attachments;
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_multipart::form::text::Text;
use actix_session::Session;
use actix_web::{HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/orders/{no}/documents", web::post().to(document))
        .route(
            "/app/orders/{no}/items/{position}/photo",
            web::post().to(photo),
        );
}

#[derive(MultipartForm)]
pub struct DocumentUpload {
    document: Option<Text<String>>,
    file: Option<FilePart>,
}

#[derive(MultipartForm)]
pub struct PhotoUpload {
    file: Option<FilePart>,
}

/// Turns the outcome of an upload into a message on the order page.
fn back(
    session: &Session,
    no: &str,
    result: Result<(), AppError>,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(()) => ctx::flash(session, "success", "flash.file_attached"),
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let key = errors
                .iter()
                .next()
                .map(|(_, key)| key)
                .unwrap_or("error.upload.none");
            ctx::flash(session, "error", key);
        }
        Err(error) => return Err(error),
    }
    Ok(redirect(&format!("/app/orders/{no}")))
}

/// Handles POST /app/orders/{no}/documents.
async fn document(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    upload: MultipartForm<DocumentUpload>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let upload = upload.into_inner();
    let Some(file) = upload.file.filter(|f| !f.data.is_empty()) else {
        ctx::flash(&session, "error", "error.upload.none");
        return Ok(redirect(&format!("/app/orders/{no}")));
    };
    let document = upload.document.map(|d| d.into_inner()).unwrap_or_default();
    let actor = member.0.actor();
    let storage = state.storage.clone();
    let quota = state.settings.upload_quota();
    let target = no.clone();
    let name = file.file_name.clone().unwrap_or_default();
    let result = run(&state, move |conn| {
        attachments::attach_document(
            conn,
            storage.as_ref(),
            quota,
            &actor,
            &target,
            &document,
            &file.data,
            &name,
        )
    })
    .await;
    back(&session, &no, result)
}

/// Handles POST /app/orders/{no}/items/{position}/photo.
async fn photo(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    upload: MultipartForm<PhotoUpload>,
) -> Result<HttpResponse, AppError> {
    let (no, position) = path.into_inner();
    let Some(file) = upload.into_inner().file.filter(|f| !f.data.is_empty()) else {
        ctx::flash(&session, "error", "error.upload.none");
        return Ok(redirect(&format!("/app/orders/{no}")));
    };
    let actor = member.0.actor();
    let storage = state.storage.clone();
    let quota = state.settings.upload_quota();
    let target = no.clone();
    let name = file.file_name.clone().unwrap_or_default();
    let result = run(&state, move |conn| {
        attachments::attach_photo(
            conn,
            storage.as_ref(),
            quota,
            &actor,
            &target,
            position,
            &file.data,
            &name,
        )
    })
    .await;
    back(&session, &no, result)
}
