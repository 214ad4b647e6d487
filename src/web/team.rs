//! `/app/team` (the owner's page for members and invitations) and
//! `/invite/{token}` (where an invitee sets a password and joins).

use super::auth::Owner;
use super::ctx::{self, PageCtx, client_ip};
use super::errors::AppError;
use super::rate_limit::{self, RateLimit};
use super::share::ShareLink;
use super::{AppState, redirect, render, render_with, run};
use crate::db::models::{Invitation, User};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::UserId;
use crate::domain::password::{self, NewPassword, Personal};
use crate::domain::status::Role;
use crate::services::accounts::HashedPassword;
use crate::services::team::{self, LinkProblem};
use crate::services::{ServiceError, now};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/team", web::get().to(page))
        .route("/app/team/invitations", web::post().to(invite))
        .route("/app/team/invitations/{id}/resend", web::post().to(resend))
        .route("/app/team/invitations/{id}/revoke", web::post().to(revoke))
        .route("/app/team/members/{id}", web::post().to(member_action))
        .route("/invite/{token}", web::get().to(invitation))
        .route(
            "/invite/{token}",
            web::post()
                .to(accept)
                .wrap(RateLimit(&rate_limit::INVITATION)),
        );
}

const NEW_LINK: &str = "team_invitation_link";

#[derive(Deserialize, Default, Clone)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

#[derive(Template)]
#[template(path = "app/team.html")]
struct TeamPage {
    ctx: PageCtx,
    members: Vec<User>,
    invitations: Vec<Invitation>,
    form: InviteForm,
    errors: FieldErrors,
    /// An invitation link made just now, shown once.
    new_link: Option<ShareLink>,
}

impl TeamPage {
    fn state(&self, invitation: &Invitation) -> &'static str {
        invitation.state(now())
    }

    fn is_owner(&self, user: &User) -> bool {
        user.role == Role::Owner
    }

    fn member_roles(&self) -> [Role; 2] {
        [Role::Manager, Role::Seller]
    }

    fn transferable(&self) -> Vec<&User> {
        self.members
            .iter()
            .filter(|u| u.role != Role::Owner && !u.disabled)
            .collect()
    }
}

async fn team_page(
    ctx: PageCtx,
    owner: &Owner,
    session: &Session,
    state: &AppState,
    form: InviteForm,
    errors: FieldErrors,
) -> Result<TeamPage, AppError> {
    let actor = owner.0.actor();
    let (members, invitations) = run(state, move |conn| team::overview(conn, &actor)).await?;
    let new_link = session
        .remove_as::<String>(NEW_LINK)
        .and_then(Result::ok)
        .map(|path| ShareLink::new(&state.settings.public_url, &path));
    Ok(TeamPage {
        ctx,
        members,
        invitations,
        form,
        errors,
        new_link,
    })
}

/// Handles GET /app/team.
async fn page(
    ctx: PageCtx,
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = InviteForm {
        role: Role::Seller.as_str().to_owned(),
        ..InviteForm::default()
    };
    render(&team_page(ctx, &owner, &session, &state, form, FieldErrors::new()).await?)
}

fn keep_link(session: &Session, token: &str) -> Result<(), AppError> {
    session
        .insert(NEW_LINK, format!("/invite/{token}"))
        .map_err(|error| AppError::Internal(error.to_string()))
}

/// Handles POST /app/team/invitations.
async fn invite(
    ctx: PageCtx,
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let actor = owner.0.actor();
    let (email, role) = (form.email.clone(), form.role.clone());
    let per_day = state.settings.invitations_per_day;
    match run(&state, move |conn| {
        team::invite(conn, &actor, &email, &role, per_day)
    })
    .await
    {
        Ok(token) => {
            keep_link(&session, &token)?;
            ctx::flash(&session, "success", "flash.team_invited");
            Ok(redirect("/app/team"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => render_with(
            &team_page(ctx, &owner, &session, &state, form, errors).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => Err(error),
    }
}

/// Handles POST /app/team/invitations/{id}/resend: a new link, 7 more days.
async fn resend(
    ctx: PageCtx,
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let actor = owner.0.actor();
    let id = id.into_inner();
    let per_day = state.settings.invitations_per_day;
    match run(&state, move |conn| team::resend(conn, &actor, id, per_day)).await {
        Ok(token) => {
            keep_link(&session, &token)?;
            ctx::flash(&session, "success", "flash.team_invited");
            Ok(redirect("/app/team"))
        }
        // Over the daily limit: the team page says so at its top.
        Err(AppError::Service(ServiceError::Invalid(errors))) => render_with(
            &team_page(ctx, &owner, &session, &state, InviteForm::default(), errors).await?,
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(error) => Err(error),
    }
}

/// Handles POST /app/team/invitations/{id}/revoke.
async fn revoke(
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let actor = owner.0.actor();
    let id = id.into_inner();
    run(&state, move |conn| team::revoke(conn, &actor, id)).await?;
    ctx::flash(&session, "success", "flash.team_revoked");
    Ok(redirect("/app/team"))
}

#[derive(Deserialize)]
pub struct MemberForm {
    action: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    confirm: String,
}

/// Handles POST /app/team/members/{id}: role, disable, enable, transfer
/// ownership. Disabling and transferring need the confirmation ticked.
async fn member_action(
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let id = id.into_inner();
    let needs_confirm = matches!(form.action.as_str(), "disable" | "transfer");
    if needs_confirm && form.confirm != "yes" {
        ctx::flash(&session, "error", "flash.confirm_team_action");
        return Ok(redirect("/app/team"));
    }
    let actor = owner.0.actor();
    let action = form.action.clone();
    let (done, target) = match action.as_str() {
        "role" => ("flash.team_role_changed", "/app/team"),
        "disable" => ("flash.team_disabled", "/app/team"),
        "enable" => ("flash.team_enabled", "/app/team"),
        "transfer" => ("flash.team_transferred", "/app"),
        _ => return Err(AppError::NotFound),
    };
    run(&state, move |conn| match action.as_str() {
        "role" => team::change_role(conn, &actor, id, &form.role),
        "disable" => team::set_disabled(conn, &actor, id, true),
        "enable" => team::set_disabled(conn, &actor, id, false),
        _ => team::transfer_ownership(conn, &actor, id),
    })
    .await?;
    ctx::flash(&session, "success", done);
    Ok(redirect(target))
}

#[derive(Deserialize, Default)]
pub struct AcceptForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

#[derive(Template)]
#[template(path = "public/invitation.html")]
struct InvitationPage {
    ctx: PageCtx,
    token: String,
    email: String,
    company: String,
    /// The role the invitation offers (`manager` or `seller`).
    role: String,
    display_name: String,
    errors: FieldErrors,
    /// Why the link does not work, instead of the form.
    problem: Option<&'static str>,
}

fn problem_page(ctx: PageCtx, problem: LinkProblem) -> Result<HttpResponse, AppError> {
    let key = match problem {
        LinkProblem::Unknown => "team.link_unknown",
        LinkProblem::Expired => "team.link_expired",
    };
    let status = super::link_problem_status(problem);
    render_with(
        &InvitationPage {
            ctx,
            token: String::new(),
            email: String::new(),
            company: String::new(),
            role: String::new(),
            display_name: String::new(),
            errors: FieldErrors::new(),
            problem: Some(key),
        },
        status,
    )
}

/// Handles GET /invite/{token}.
async fn invitation(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    match run(&state, move |conn| team::open(conn, &lookup)).await? {
        Ok((invitation, company)) => render(&InvitationPage {
            ctx,
            token,
            role: invitation.role.as_str().to_owned(),
            email: invitation.email,
            company,
            display_name: String::new(),
            errors: FieldErrors::new(),
            problem: None,
        }),
        Err(problem) => problem_page(ctx, problem),
    }
}

/// Handles POST /invite/{token}: creates the account, signs it in.
async fn accept(
    req: HttpRequest,
    ctx: PageCtx,
    session: Session,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<AcceptForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form = form.into_inner();
    // The invitation first: the password may not contain its e-mail or company name.
    let lookup = token.clone();
    let (invitation, company) = match run(&state, move |conn| team::open(conn, &lookup)).await? {
        Ok(found) => found,
        Err(problem) => return problem_page(ctx, problem),
    };
    let mut errors = FieldErrors::new();
    let personal = Personal {
        email: &invitation.email,
        company: &company,
    };
    let password = password::check(
        &mut errors,
        "password",
        NewPassword::parse(&form.password, personal),
    );
    if form.password != form.password_confirm {
        errors.add("password_confirm", "error.password.mismatch");
    }
    let outcome = match password {
        Some(password) if errors.is_empty() => {
            // Hashed before a connection is taken (see services::accounts).
            let password = web::block(move || HashedPassword::new(&password)).await?;
            let (lookup, name, ip) = (token.clone(), form.display_name.clone(), client_ip(&req));
            run(&state, move |conn| {
                team::accept(conn, &lookup, &name, &password, &ip)
            })
            .await
        }
        _ => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match outcome {
        Ok(Ok(user)) => {
            ctx::sign_in(&req, &session, UserId(user.id)).await?;
            ctx::flash(&session, "success", "flash.team_joined");
            Ok(redirect("/app"))
        }
        Ok(Err(problem)) => problem_page(ctx, problem),
        Err(AppError::Service(ServiceError::Invalid(errors))) => render_with(
            &InvitationPage {
                ctx,
                token,
                role: invitation.role.as_str().to_owned(),
                email: invitation.email,
                company,
                display_name: form.display_name,
                errors,
                problem: None,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => Err(error),
    }
}
