//! The admin's route list and route settings.

use crate::db::catalogue::Route;
use crate::domain::field_errors::FieldErrors;
use crate::domain::measure::mm_from_cm;
use crate::domain::route::RouteStatus;
use crate::domain::silence;
use crate::domain::text;
use crate::services::ServiceError;
use crate::services::routes::{self, RouteSettings};
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
    cfg.route("/admin/routes", web::get().to(list))
        .route("/admin/routes/{code}", web::get().to(edit_form))
        .route("/admin/routes/{code}", web::post().to(update));
}

#[derive(Template)]
#[template(path = "admin/routes.html")]
struct ListPage {
    ctx: PageCtx,
    routes: Vec<Route>,
}

/// Handles GET /admin/routes.
async fn list(
    ctx: PageCtx,
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let routes = run(&state, |conn| Ok(routes::list(conn)?)).await?;
    render(&ListPage { ctx, routes })
}

/// The route settings form as typed.
#[derive(Deserialize, Default)]
pub struct RouteForm {
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    max_longest_side_cm: String,
    #[serde(default)]
    ddp_offered: Option<String>,
    #[serde(default)]
    returns_offered: Option<String>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    notice: String,
    /// Absent (a client that predates the field): the route keeps its days.
    #[serde(default)]
    silence_days: Option<String>,
}

impl RouteForm {
    fn from_route(route: &Route) -> RouteForm {
        RouteForm {
            name_zh: route.name_zh.clone(),
            name_en: route.name_en.clone(),
            max_longest_side_cm: route
                .max_longest_side_mm
                .map(|mm| format!("{}", mm as f64 / 10.0))
                .unwrap_or_default(),
            ddp_offered: route.ddp_offered.then(|| "on".to_owned()),
            returns_offered: route.returns_offered.then(|| "on".to_owned()),
            status: route.status.as_str().to_owned(),
            notice: route.notice.clone(),
            silence_days: Some(route.silence_days.to_string()),
        }
    }

    fn parse(&self) -> Result<RouteSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name_zh = errors.check("name_zh", text::required(&self.name_zh, 100), |e| e);
        let name_en = errors.check("name_en", text::required_latin(&self.name_en, 100), |e| e);
        let max_side = if self.max_longest_side_cm.trim().is_empty() {
            Some(None)
        } else {
            errors
                .check(
                    "max_longest_side_cm",
                    mm_from_cm(&self.max_longest_side_cm),
                    |e| e,
                )
                .map(|mm| Some(i64::from(mm)))
        };
        let status = errors.check(
            "status",
            RouteStatus::parse(&self.status),
            |_| "error.route.status",
        );
        let silence_days = match &self.silence_days {
            Some(days) => errors
                .check("silence_days", silence::parse_days(days), |e| e)
                .map(Some),
            None => Some(None),
        };
        let notice = self.notice.trim().chars().take(300).collect::<String>();
        if status == Some(RouteStatus::Suspended) && notice.is_empty() {
            errors.add("notice", "error.route.notice_required");
        }
        match (name_zh, name_en, max_side, status, silence_days) {
            (
                Some(name_zh),
                Some(name_en),
                Some(max_longest_side_mm),
                Some(status),
                Some(silence_days),
            ) if errors.is_empty() => Ok(RouteSettings {
                name_zh,
                name_en,
                max_longest_side_mm,
                ddp_offered: self.ddp_offered.is_some(),
                returns_offered: self.returns_offered.is_some(),
                status,
                notice,
                silence_days,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/route.html")]
struct EditPage {
    ctx: PageCtx,
    route: Route,
    form: RouteForm,
    errors: FieldErrors,
    statuses: &'static [RouteStatus],
}

/// Handles GET /admin/routes/{code}.
async fn edit_form(
    ctx: PageCtx,
    _admin: Admin,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let route = run(&state, move |conn| routes::get(conn, &code)).await?;
    render(&EditPage {
        ctx,
        form: RouteForm::from_route(&route),
        route,
        errors: FieldErrors::new(),
        statuses: RouteStatus::ALL,
    })
}

/// Handles POST /admin/routes/{code}: DDP, returns, size limit, suspension notice.
async fn update(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<RouteForm>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let form = form.into_inner();
    let result = match form.parse() {
        Ok(settings) => {
            let actor = admin.0.actor();
            let code = code.clone();
            run(&state, move |conn| {
                routes::update(conn, &actor, &code, settings)
            })
            .await
        }
        Err(errors) => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.route_saved");
            Ok(redirect("/admin/routes"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let route = run(&state, move |conn| routes::get(conn, &code)).await?;
            render_with(
                &EditPage {
                    ctx,
                    route,
                    form,
                    errors,
                    statuses: RouteStatus::ALL,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(error) => Err(error),
    }
}
