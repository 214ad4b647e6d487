//! Route reviews on the seller side (`/app/reviews`, the review form of an
//! order) and reporting a review (`/reviews/{id}/report`, `report`).

mod report;

use super::auth::Member;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::tickets::text;
use super::{AppState, PageQuery, Pager, redirect, render, render_with, run};
use crate::domain::field_errors::FieldErrors;
use crate::domain::review::{Dimension, MAX_PHOTOS, ReviewForm, Tag};
use crate::services::reviews::{self, CompanyReviews, Photo, ReviewContext};
use crate::services::{ServiceError, now};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_multipart::form::text::Text;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/reviews", web::get().to(list))
        .route("/app/orders/{no}/review", web::get().to(form))
        .route("/app/orders/{no}/review", web::post().to(save))
        .route("/reviews/{id}/photos/{n}", web::get().to(photo));
    report::routes(cfg);
}

#[derive(Template)]
#[template(path = "app/reviews.html")]
struct ListPage {
    ctx: PageCtx,
    reviews: CompanyReviews,
    pager: Pager,
}

/// Handles GET /app/reviews: orders waiting for a review and the reviews
/// the company wrote (editable for 30 days).
async fn list(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = query.number();
    let actor = member.0.actor();
    let reviews = run(&state, move |conn| {
        reviews::for_company(conn, &actor, page, now())
    })
    .await?;
    let pager = Pager::new("/app/reviews", &[], page, reviews.written.has_next);
    render(&ListPage {
        ctx,
        reviews,
        pager,
    })
}

#[derive(Template)]
#[template(path = "app/review_form.html")]
struct FormPage {
    ctx: PageCtx,
    context: ReviewContext,
    typed: ReviewForm,
    errors: FieldErrors,
}

impl FormPage {
    fn new(ctx: PageCtx, context: ReviewContext) -> FormPage {
        let typed = match &context.existing {
            Some(written) => ReviewForm {
                scores: Dimension::ALL
                    .iter()
                    .zip(written.scores())
                    .map(|(d, s)| (d.as_str().to_owned(), s.to_string()))
                    .collect(),
                text: written.body.clone(),
                tags: written
                    .tags
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
            None => ReviewForm::default(),
        };
        FormPage {
            ctx,
            context,
            typed,
            errors: FieldErrors::new(),
        }
    }

    fn no(&self) -> &str {
        &self.context.order.order_no
    }

    fn route(&self) -> &str {
        self.context.order.route_code.as_deref().unwrap_or_default()
    }

    fn dimensions(&self) -> &'static [Dimension] {
        Dimension::ALL
    }

    fn tags(&self) -> &'static [Tag] {
        Tag::ALL
    }

    /// The form field of a dimension's score (`score_overall`).
    fn field(&self, dimension: &Dimension) -> String {
        format!("score_{dimension}")
    }

    fn stars(&self) -> [u8; 5] {
        [1, 2, 3, 4, 5]
    }

    /// Is `stars` the typed score of `dimension`?
    fn chosen(&self, dimension: &Dimension, stars: &u8) -> bool {
        self.typed
            .scores
            .iter()
            .any(|(d, s)| d == dimension.as_str() && s.trim() == stars.to_string())
    }

    fn tagged(&self, tag: &Tag) -> bool {
        self.typed.tags.iter().any(|t| t == tag.as_str())
    }

    /// Photos that may still be added.
    fn photo_slots(&self) -> usize {
        MAX_PHOTOS.saturating_sub(self.context.photos.len())
    }

    fn editing(&self) -> bool {
        self.context.existing.is_some()
    }
}

/// Handles GET /app/orders/{no}/review: the form, empty or with the
/// review written (while it may still change).
async fn form(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let actor = member.0.actor();
    let context = run(&state, move |conn| {
        reviews::context(conn, &actor, &no, now())
    })
    .await?;
    render(&FormPage::new(ctx, context))
}

/// The review form as posted (multipart: it may bring photos).
#[derive(MultipartForm)]
pub struct ReviewUpload {
    score_overall: Option<Text<String>>,
    score_timeliness: Option<Text<String>>,
    score_service: Option<Text<String>>,
    score_customs: Option<Text<String>>,
    score_tracking: Option<Text<String>>,
    score_packaging: Option<Text<String>>,
    text: Option<Text<String>>,
    tags: Vec<Text<String>>,
    photos: Vec<FilePart>,
    /// "yes" when the form changes a review already written.
    editing: Option<Text<String>>,
}

impl ReviewUpload {
    /// The typed fields, and the photos chosen.
    fn split(self) -> (ReviewForm, bool, Vec<(Vec<u8>, String)>) {
        let scores = [
            self.score_overall,
            self.score_timeliness,
            self.score_service,
            self.score_customs,
            self.score_tracking,
            self.score_packaging,
        ];
        let typed = ReviewForm {
            scores: Dimension::ALL
                .iter()
                .zip(scores)
                .map(|(d, s)| (d.as_str().to_owned(), text(s)))
                .collect(),
            text: text(self.text),
            tags: self.tags.into_iter().map(Text::into_inner).collect(),
        };
        let photos = self
            .photos
            .into_iter()
            .filter_map(|f| super::tickets::chosen(Some(f)))
            .collect();
        (typed, text(self.editing) == "yes", photos)
    }
}

/// Handles POST /app/orders/{no}/review: writes or changes the review; a
/// refused form comes back with the errors beside the fields and what was
/// typed (photos must be chosen again).
async fn save(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    upload: MultipartForm<ReviewUpload>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let (typed, editing, photos) = upload.into_inner().split();
    let result = match typed.check() {
        Ok(written) => {
            let (actor, order_no) = (member.0.actor(), no.clone());
            let storage = state.storage.clone();
            let quota = state.settings.upload_quota();
            run(&state, move |conn| {
                let photos: Vec<Photo> = photos
                    .iter()
                    .map(|(bytes, name)| Photo { bytes, name })
                    .collect();
                reviews::save(
                    conn,
                    storage.as_ref(),
                    quota,
                    &actor,
                    &order_no,
                    &written,
                    editing,
                    &photos,
                    now(),
                )
            })
            .await
        }
        Err(errors) => Err(ServiceError::Invalid(errors).into()),
    };
    match result {
        Ok(_) => {
            let key = if editing {
                "flash.route_review.changed"
            } else {
                "flash.route_review.written"
            };
            ctx::flash(&session, "success", key);
            Ok(redirect("/app/reviews"))
        }
        Err(AppError::Service(ServiceError::Conflict(reviews::ALREADY_WRITTEN))) => {
            ctx::flash(&session, "info", "route_review.already_written");
            Ok(redirect("/app/reviews"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let actor = member.0.actor();
            let context = run(&state, move |conn| {
                reviews::context(conn, &actor, &no, now())
            })
            .await?;
            let mut page = FormPage::new(ctx, context);
            page.typed = typed;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

/// Handles GET /reviews/{id}/photos/{n}: photo `n` of a visible review, for
/// everyone (the route page shows them); 404 once the review is hidden.
async fn photo(
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, n) = path.into_inner();
    let upload = run(&state, move |conn| reviews::public_photo(conn, id, n)).await?;
    crate::web::uploads::serve(&state, upload, "public, max-age=300").await
}
