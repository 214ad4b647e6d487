//! The company's address book of recipients abroad.

use super::auth::Member;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, PageQuery, Pager, redirect, render, render_with, run};
use crate::db::addresses::Address;
use crate::domain::field_errors::FieldErrors;
use crate::domain::recipient::RecipientFields;
use crate::services::{ServiceError, addresses};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/addresses", web::get().to(list))
        .route("/app/addresses", web::post().to(create))
        .route("/app/addresses/new", web::get().to(new_form))
        .route("/app/addresses/{id}", web::get().to(edit_form))
        .route("/app/addresses/{id}", web::post().to(update))
        .route("/app/addresses/{id}/delete", web::post().to(delete));
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "app/addresses.html")]
struct ListPage {
    ctx: PageCtx,
    addresses: Vec<Address>,
    q: String,
    pager: Pager,
}

/// Handles GET /app/addresses: the book, searchable by name, company, city or country.
async fn list(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let page = PageQuery { page: query.page }.number();
    let actor = member.0.actor();
    let search = query.q.clone();
    let result = run(&state, move |conn| {
        addresses::list(conn, &actor, &search, page)
    })
    .await?;
    render(&ListPage {
        ctx,
        pager: Pager::new(
            "/app/addresses",
            &[("q", &query.q)],
            result.page,
            result.has_next,
        ),
        addresses: result.items,
        q: query.q,
    })
}

#[derive(Template)]
#[template(path = "app/address.html")]
struct FormPage {
    ctx: PageCtx,
    /// `None` for a new address.
    id: Option<i64>,
    form: RecipientFields,
    errors: FieldErrors,
}

impl FormPage {
    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/app/addresses/{id}"),
            None => "/app/addresses".to_owned(),
        }
    }
}

fn form_page(
    ctx: PageCtx,
    id: Option<i64>,
    form: RecipientFields,
    errors: FieldErrors,
) -> FormPage {
    FormPage {
        ctx,
        id,
        form,
        errors,
    }
}

/// Handles GET /app/addresses/new.
async fn new_form(ctx: PageCtx, _member: Member) -> Result<HttpResponse, AppError> {
    render(&form_page(
        ctx,
        None,
        RecipientFields::default(),
        FieldErrors::new(),
    ))
}

/// Handles GET /app/addresses/{id}.
async fn edit_form(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let id = id.into_inner();
    let address = run(&state, move |conn| addresses::get(conn, &actor, id)).await?;
    render(&form_page(
        ctx,
        Some(id),
        addresses::to_fields(&address),
        FieldErrors::new(),
    ))
}

/// Saves a new address (`id == None`) or an edit, or shows the form again with its errors.
async fn save(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: Option<i64>,
    form: RecipientFields,
) -> Result<HttpResponse, AppError> {
    let result = match form.parse() {
        Ok(recipient) => {
            let actor = member.0.actor();
            run(&state, move |conn| match id {
                Some(id) => addresses::update(conn, &actor, id, recipient),
                None => addresses::create(conn, &actor, recipient).map(|_| ()),
            })
            .await
        }
        Err(errors) => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.address_saved");
            Ok(redirect("/app/addresses"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => render_with(
            &form_page(ctx, id, form, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => Err(error),
    }
}

/// Handles POST /app/addresses.
async fn create(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<RecipientFields>,
) -> Result<HttpResponse, AppError> {
    save(ctx, member, session, state, None, form.into_inner()).await
}

/// Handles POST /app/addresses/{id}.
async fn update(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<RecipientFields>,
) -> Result<HttpResponse, AppError> {
    save(
        ctx,
        member,
        session,
        state,
        Some(id.into_inner()),
        form.into_inner(),
    )
    .await
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// Handles POST /app/addresses/{id}/delete: only with the confirmation ticked.
async fn delete(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if form.confirm != "yes" {
        ctx::flash(&session, "error", "flash.confirm_delete");
        return Ok(redirect(&format!("/app/addresses/{id}")));
    }
    let actor = member.0.actor();
    run(&state, move |conn| addresses::delete(conn, &actor, id)).await?;
    ctx::flash(&session, "success", "flash.address_deleted");
    Ok(redirect("/app/addresses"))
}
