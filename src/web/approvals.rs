//! `/app/approvals` (managers and the owner decide on their team's orders)
//! and `/app/settings/approval` (the owner's policy).

use super::auth::{Member, Owner};
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, redirect, render, render_with, run};
use crate::db::models::User;
use crate::domain::approval::Policy;
use crate::domain::field_errors::FieldErrors;
use crate::domain::money::Fen;
use crate::domain::status::Role;
use crate::services::ServiceError;
use crate::services::approvals::{self, Pending};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/approvals", web::get().to(queue))
        .route("/app/approvals/bulk", web::post().to(bulk))
        .route("/app/approvals/{no}", web::post().to(decide))
        .route("/app/settings/approval", web::get().to(settings))
        .route("/app/settings/approval", web::post().to(save_settings));
}

fn require_approver(member: &Member) -> Result<(), AppError> {
    match member.0.role {
        Role::Owner | Role::Manager => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

#[derive(Template)]
#[template(path = "app/approvals.html")]
struct QueuePage {
    ctx: PageCtx,
    pending: Vec<Pending>,
}

impl QueuePage {
    fn usd(&self, cents: &Option<i64>) -> String {
        cents
            .map(|c| crate::domain::money::UsdCents(c).to_string())
            .unwrap_or_default()
    }

    fn money(&self, fen: &Fen) -> String {
        fen.to_string()
    }

    fn total(&self, fen: &Option<i64>) -> String {
        fen.map(|f| Fen(f).to_string()).unwrap_or_default()
    }
}

/// Handles GET /app/approvals.
async fn queue(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    require_approver(&member)?;
    let actor = member.0.actor();
    let pending = run(&state, move |conn| approvals::queue(conn, &actor)).await?;
    render(&QueuePage { ctx, pending })
}

#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    comment: String,
}

/// Handles POST /app/approvals/{no}: approve, or reject with a comment.
async fn decide(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    require_approver(&member)?;
    let actor = member.0.actor();
    let approve = form.decision == "approve";
    let comment = form.comment.clone();
    let no = no.into_inner();
    match run(&state, move |conn| {
        approvals::decide(conn, &actor, &no, approve, &comment)
    })
    .await
    {
        Ok(()) => ctx::flash(
            &session,
            "success",
            if approve {
                "flash.order_approved"
            } else {
                "flash.order_rejected"
            },
        ),
        Err(AppError::Service(ServiceError::Invalid(_))) => {
            ctx::flash(&session, "error", "error.order.comment_required")
        }
        Err(error) => return Err(error),
    }
    Ok(redirect("/app/approvals"))
}

/// Handles POST /app/approvals/bulk: approves every ticked order.
async fn bulk(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    require_approver(&member)?;
    let numbers: Vec<String> = form
        .into_inner()
        .into_iter()
        .filter(|(name, _)| name == "order")
        .map(|(_, value)| value)
        .collect();
    if numbers.is_empty() {
        ctx::flash(&session, "error", "flash.approvals_none_selected");
        return Ok(redirect("/app/approvals"));
    }
    let actor = member.0.actor();
    run(&state, move |conn| {
        for no in &numbers {
            approvals::decide(conn, &actor, no, true, "")?;
        }
        Ok(())
    })
    .await?;
    ctx::flash(&session, "success", "flash.order_approved");
    Ok(redirect("/app/approvals"))
}

#[derive(Template)]
#[template(path = "app/approval_settings.html")]
struct SettingsPage {
    ctx: PageCtx,
    form: SettingsForm,
    members: Vec<User>,
    errors: FieldErrors,
}

impl SettingsPage {
    fn budget_of(&self, user: &User) -> String {
        self.form
            .budgets
            .iter()
            .find(|(id, _)| *id == user.id)
            .map(|(_, b)| b.clone())
            .unwrap_or_default()
    }

    fn budget_field(&self, user: &User) -> String {
        format!("budget_{}", user.id)
    }
}

/// Members' budgets: (user id, budget or none).
type MemberBudgets = Vec<(i64, Option<Fen>)>;

/// The settings form as typed; amounts in yuan.
#[derive(Default)]
pub struct SettingsForm {
    always: bool,
    above: String,
    sensitive_goods: bool,
    new_destination: bool,
    monthly_budget: String,
    require_backup_route: bool,
    /// (user id, budget as typed)
    budgets: Vec<(i64, String)>,
}

fn yuan(fen: Option<Fen>) -> String {
    fen.map(|f| f.to_string()).unwrap_or_default()
}

impl SettingsForm {
    fn of(settings: &approvals::Settings) -> SettingsForm {
        let p = &settings.policy;
        SettingsForm {
            always: p.always,
            above: yuan(p.above),
            sensitive_goods: p.sensitive_goods,
            new_destination: p.new_destination,
            monthly_budget: yuan(p.monthly_budget),
            require_backup_route: settings.require_backup_route,
            budgets: settings
                .members
                .iter()
                .map(|u| (u.id, yuan(u.monthly_budget_fen.map(Fen))))
                .collect(),
        }
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> SettingsForm {
        let mut form = SettingsForm::default();
        for (name, value) in pairs {
            let on = value == "yes";
            match name.as_str() {
                "always" => form.always = on,
                "above" => form.above = value,
                "sensitive_goods" => form.sensitive_goods = on,
                "new_destination" => form.new_destination = on,
                "monthly_budget" => form.monthly_budget = value,
                "require_backup_route" => form.require_backup_route = on,
                other => {
                    if let Some(id) = other.strip_prefix("budget_").and_then(|id| id.parse().ok()) {
                        form.budgets.push((id, value));
                    }
                }
            }
        }
        form
    }

    /// An amount in yuan above zero, or nothing when left empty.
    fn amount(errors: &mut FieldErrors, field: String, input: &str) -> Option<Fen> {
        if input.trim().is_empty() {
            return None;
        }
        match Fen::parse(input.trim()) {
            Ok(fen) if fen > Fen(0) => Some(fen),
            _ => {
                errors.add(field, "error.approval.amount");
                None
            }
        }
    }

    fn parse(&self) -> Result<(Policy, MemberBudgets), FieldErrors> {
        let mut errors = FieldErrors::new();
        let policy = Policy {
            always: self.always,
            above: Self::amount(&mut errors, "above".into(), &self.above),
            sensitive_goods: self.sensitive_goods,
            new_destination: self.new_destination,
            monthly_budget: Self::amount(
                &mut errors,
                "monthly_budget".into(),
                &self.monthly_budget,
            ),
        };
        let budgets = self
            .budgets
            .iter()
            .map(|(id, value)| {
                (
                    *id,
                    Self::amount(&mut errors, format!("budget_{id}"), value),
                )
            })
            .collect();
        if errors.is_empty() {
            Ok((policy, budgets))
        } else {
            Err(errors)
        }
    }
}

/// Handles GET /app/settings/approval.
async fn settings(
    ctx: PageCtx,
    owner: Owner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let actor = owner.0.actor();
    let settings = run(&state, move |conn| approvals::settings(conn, &actor)).await?;
    render(&SettingsPage {
        ctx,
        form: SettingsForm::of(&settings),
        members: settings.members,
        errors: FieldErrors::new(),
    })
}

/// Handles POST /app/settings/approval.
async fn save_settings(
    ctx: PageCtx,
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = SettingsForm::from_pairs(body.into_inner());
    let actor = owner.0.actor();
    match form.parse() {
        Ok((policy, budgets)) => {
            let backup = form.require_backup_route;
            run(&state, move |conn| {
                approvals::save_settings(conn, &actor, &policy, backup, &budgets)
            })
            .await?;
            ctx::flash(&session, "success", "flash.approval_saved");
            Ok(redirect("/app/settings/approval"))
        }
        Err(errors) => {
            let members = run(&state, move |conn| approvals::settings(conn, &actor))
                .await?
                .members;
            render_with(
                &SettingsPage {
                    ctx,
                    form,
                    members,
                    errors,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}
