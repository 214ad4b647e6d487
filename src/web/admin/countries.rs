//! The admin's country list: prohibited goods per destination.

use crate::db::catalogue::Country;
use crate::services::{catalogue, pricing};
use crate::web::auth::Admin;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, run};
use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/countries", web::get().to(list))
        .route("/admin/countries/{code}", web::get().to(edit_form))
        .route("/admin/countries/{code}", web::post().to(update));
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "admin/countries.html")]
struct ListPage {
    ctx: PageCtx,
    countries: Vec<Country>,
    q: String,
}

/// Handles GET /admin/countries: names, calling codes, postcode patterns, prohibited goods.
async fn list(
    ctx: PageCtx,
    _admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner().q;
    let search = q.clone();
    let countries = run(&state, move |conn| catalogue::countries(conn, &search)).await?;
    render(&ListPage { ctx, countries, q })
}

#[derive(Template)]
#[template(path = "admin/country.html")]
struct EditPage {
    ctx: PageCtx,
    country: Country,
}

/// Handles GET /admin/countries/{code}.
async fn edit_form(
    ctx: PageCtx,
    _admin: Admin,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let country = run(&state, move |conn| catalogue::country(conn, &code)).await?;
    render(&EditPage { ctx, country })
}

#[derive(Deserialize)]
pub struct ProhibitedForm {
    #[serde(default)]
    prohibited: String,
}

/// Handles POST /admin/countries/{code}: replaces the prohibited keywords.
async fn update(
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<ProhibitedForm>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let actor = admin.0.actor();
    let keywords = form.into_inner().prohibited;
    let target = code.clone();
    run(&state, move |conn| {
        pricing::set_prohibited(conn, &actor, &target, &keywords)
    })
    .await?;
    ctx::flash(&session, "success", "flash.country_saved");
    Ok(redirect(&format!(
        "/admin/countries/{}",
        code.to_uppercase()
    )))
}
