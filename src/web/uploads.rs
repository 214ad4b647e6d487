//! Serving uploaded files (`/uploads/{id}`): to those who may see them, as
//! the type sniffed at upload, sandboxed, and as a download unless an image.

use super::auth::SignedIn;
use super::errors::AppError;
use super::{AppState, run};
use crate::db::models::Upload;
use crate::domain::ids::UploadId;
use crate::domain::upload;
use crate::services::company;
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/uploads/{id}", web::get().to(download));
}

/// The policy on every user file: a sandbox, so that a file that does make a
/// browser run it (an SVG, HTML posing as a PDF) gets no origin, no script
/// and no forms; images may still show.
const USER_FILE_CSP: &str = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/// Handles GET /uploads/{id}: the company's documents for those who may see
/// them and platform staff. Served as the type sniffed at upload (never what
/// a request says); images inline, anything else as a download.
async fn download(
    user: SignedIn,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let actor = user.0.actor();
    let id = UploadId(id.into_inner());
    let upload = run(&state, move |conn| company::find_upload(conn, &actor, id)).await?;
    serve(&state, upload, "private, max-age=300").await
}

/// Answers with an upload's bytes under the user-file policy; `cache` is the
/// Cache-Control value (private for company files, public for review photos).
pub async fn serve(
    state: &AppState,
    upload: Upload,
    cache: &'static str,
) -> Result<HttpResponse, AppError> {
    let id = UploadId(upload.id);
    let storage = state.storage.clone();
    let key = upload.sha256.clone();
    let bytes = web::block(move || storage.get(&key))
        .await?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = ContentDisposition {
        disposition: if upload::is_inline_image(&upload.mime) {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: file_name_params(id, &upload.mime, &upload.original_name),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, upload.mime))
        .insert_header(disposition)
        .insert_header((header::CONTENT_SECURITY_POLICY, USER_FILE_CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, cache))
        .body(bytes))
}

/// `filename` as plain ASCII (`upload-12.pdf`), and the name as uploaded in
/// `filename*` (percent-encoded UTF-8) when there is one: an uploaded name
/// can hold quotes, line breaks or anything else, and must not shape the header.
fn file_name_params(id: UploadId, mime: &str, original: &str) -> Vec<DispositionParam> {
    let extension = upload::extension(mime);
    let mut params = vec![DispositionParam::Filename(format!(
        "upload-{}.{extension}",
        id.0
    ))];
    let name: String = original
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .take(200)
        .collect();
    if !name.trim().is_empty() {
        params.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".to_owned()),
            language_tag: None,
            value: name.into_bytes(),
        }));
    }
    params
}
