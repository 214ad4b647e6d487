//! `/admin/payee`: the bank account sellers pay top-ups into.

use crate::domain::field_errors::FieldErrors;
use crate::services::ServiceError;
use crate::services::payee::{self, Payee};
use crate::web::auth::Admin;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/payee", web::get().to(form))
        .route("/admin/payee", web::post().to(save));
}

#[derive(Deserialize, Default)]
pub struct PayeeForm {
    #[serde(default)]
    payee_name: String,
    #[serde(default)]
    payee_bank: String,
    #[serde(default)]
    payee_account: String,
}

#[derive(Template)]
#[template(path = "admin/payee.html")]
struct PayeePage {
    ctx: PageCtx,
    form: PayeeForm,
    errors: FieldErrors,
}

/// Handles GET /admin/payee.
async fn form(
    ctx: PageCtx,
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let current = run(&state, |conn| Ok(payee::get(conn)?))
        .await?
        .unwrap_or_default();
    render(&PayeePage {
        ctx,
        form: PayeeForm {
            payee_name: current.name,
            payee_bank: current.bank,
            payee_account: current.account,
        },
        errors: FieldErrors::new(),
    })
}

/// Handles POST /admin/payee.
async fn save(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<PayeeForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let payee = Payee {
        name: form.payee_name.clone(),
        bank: form.payee_bank.clone(),
        account: form.payee_account.clone(),
    };
    let actor = admin.0.actor();
    match run(&state, move |conn| payee::save(conn, &actor, &payee)).await {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.payee_saved");
            Ok(redirect("/admin/payee"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => render_with(
            &PayeePage { ctx, form, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => Err(error),
    }
}
