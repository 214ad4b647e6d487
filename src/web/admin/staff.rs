//! The admin's account management: create operators, disable accounts.

use crate::db::models::User;
use crate::domain::email::Email;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::UserId;
use crate::domain::text;
use crate::services::accounts::OneTimePassword;
use crate::services::{ServiceError, staff};
use crate::web::auth::Admin;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, Pager, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/staff", web::get().to(list))
        .route("/admin/staff", web::post().to(create_operator))
        .route("/admin/staff/{id}", web::get().to(detail))
        .route("/admin/staff/{id}/access", web::post().to(set_access));
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OperatorForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
}

#[derive(Template)]
#[template(path = "admin/staff.html")]
struct ListPage {
    ctx: PageCtx,
    users: Vec<User>,
    q: String,
    pager: Pager,
    form: OperatorForm,
    errors: FieldErrors,
    /// Shown once, right after an operator was created.
    created: Option<(String, String)>,
}

async fn list_page(
    ctx: PageCtx,
    admin: &Admin,
    state: &AppState,
    q: String,
    page: i64,
) -> Result<ListPage, AppError> {
    let actor = admin.0.actor();
    let search = q.clone();
    let result = run(state, move |conn| staff::list(conn, &actor, &search, page)).await?;
    Ok(ListPage {
        ctx,
        pager: Pager::new("/admin/staff", &[("q", &q)], result.page, result.has_next),
        users: result.items,
        q,
        form: OperatorForm::default(),
        errors: FieldErrors::new(),
        created: None,
    })
}

/// Handles GET /admin/staff: every account, and the form to add an operator.
async fn list(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let page = crate::web::PageQuery {
        page: query.page.clone(),
    }
    .number();
    render(&list_page(ctx, &admin, &state, query.q.clone(), page).await?)
}

/// Handles POST /admin/staff: creates an operator and shows its one-time password once.
async fn create_operator(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    form: web::Form<OperatorForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let email = errors.check("email", Email::parse(&form.email), |e| e.message_key());
    let name = errors.check(
        "display_name",
        text::required(&form.display_name, 60),
        |e| e,
    );
    let result = match (email, name) {
        (Some(email), Some(name)) => {
            let actor = admin.0.actor();
            // Generated and hashed before a connection is taken (see services::accounts).
            let password = web::block(OneTimePassword::generate).await?;
            run(&state, move |conn| {
                let user = staff::create_operator(conn, &actor, &email, &name, &password)?;
                Ok((user, password.clear))
            })
            .await
        }
        _ => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    let mut page = list_page(ctx, &admin, &state, String::new(), 1).await?;
    match result {
        Ok((user, password)) => {
            page.created = Some((user.email, password));
            render(&page)
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            page.form = form;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

#[derive(Template)]
#[template(path = "admin/staff_user.html")]
struct DetailPage {
    ctx: PageCtx,
    user: User,
    is_self: bool,
    errors: FieldErrors,
}

/// Handles GET /admin/staff/{id}: one account, with disable / enable.
async fn detail(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = UserId(id.into_inner());
    let actor = admin.0.actor();
    let user = run(&state, move |conn| staff::get(conn, &actor, id)).await?;
    render(&DetailPage {
        is_self: id == admin.0.id,
        ctx,
        user,
        errors: FieldErrors::new(),
    })
}

#[derive(Deserialize)]
pub struct AccessForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    confirm: String,
}

/// Handles POST /admin/staff/{id}/access: disable (confirmed) or enable an account.
async fn set_access(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<AccessForm>,
) -> Result<HttpResponse, AppError> {
    let id = UserId(id.into_inner());
    let disabled = match form.action.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Err(AppError::BadRequest("error.review.decision")),
    };
    let actor = admin.0.actor();
    if disabled && form.confirm != "yes" {
        let user = run(&state, move |conn| staff::get(conn, &actor, id)).await?;
        return render_with(
            &DetailPage {
                is_self: id == admin.0.id,
                ctx,
                user,
                errors: FieldErrors::single("confirm", "error.staff.confirm"),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    run(&state, move |conn| {
        staff::set_disabled(conn, &actor, id, disabled)
    })
    .await?;
    ctx::flash(
        &session,
        "success",
        if disabled {
            "flash.user_disabled"
        } else {
            "flash.user_enabled"
        },
    );
    Ok(redirect(&format!("/admin/staff/{id}")))
}
