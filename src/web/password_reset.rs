//! Forgot password (issue #9): `/password/forgot` asks for the e-mail and
//! always answers the same page; the mailed link `/password/reset/{token}`
//! sets a new password under the same rules as registration.

use super::ctx::{self, PageCtx, client_ip};
use super::errors::AppError;
use super::rate_limit::{self, RateLimit};
use super::{AppState, link_problem_status, redirect, render, render_with, run};
use crate::domain::email::Email;
use crate::domain::field_errors::FieldErrors;
use crate::domain::password::{self, NewPassword, Personal};
use crate::i18n;
use crate::services::LinkProblem;
use crate::services::accounts::HashedPassword;
use crate::services::password_reset::{self, ResetTarget};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// The forgot form answers no sooner than this, whether or not a mail was
/// queued, so its timing does not tell which e-mails have an account.
const FORGOT_ANSWER_FLOOR: Duration = Duration::from_millis(300);

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/password/forgot", web::get().to(forgot_form))
        .route(
            "/password/forgot",
            web::post()
                .to(forgot)
                .wrap(RateLimit(&rate_limit::PASSWORD_FORGOT)),
        )
        .route("/password/reset/{token}", web::get().to(reset_form))
        .route(
            "/password/reset/{token}",
            // Each try costs an argon2 run, like a password change.
            web::post()
                .to(reset)
                .wrap(RateLimit(&rate_limit::PASSWORD_CHANGE)),
        );
}

#[derive(Deserialize, Default)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    ctx: PageCtx,
    email: String,
    errors: FieldErrors,
    /// The request was taken: "if an account exists, we sent a link".
    sent: bool,
}

/// Handles GET /password/forgot.
async fn forgot_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    render(&ForgotPage {
        ctx,
        email: String::new(),
        errors: FieldErrors::new(),
        sent: false,
    })
}

/// Handles POST /password/forgot: the same page whether or not the e-mail
/// has an account (only a malformed address is refused, beside the field).
async fn forgot(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let started = Instant::now();
    let typed = form.into_inner().email;
    let email = match Email::parse(&typed) {
        Ok(email) => email,
        Err(error) => {
            return render_with(
                &ForgotPage {
                    ctx,
                    email: typed.trim().to_owned(),
                    errors: FieldErrors::single("email", error.message_key()),
                    sent: false,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let ip = client_ip(&req);
    let shown = email.as_str().to_owned();
    run(&state, move |conn| {
        password_reset::request(conn, &email, &ip)
    })
    .await?;
    if let Some(rest) = FORGOT_ANSWER_FLOOR.checked_sub(started.elapsed()) {
        actix_web::rt::time::sleep(rest).await;
    }
    render(&ForgotPage {
        ctx,
        email: shown,
        errors: FieldErrors::new(),
        sent: true,
    })
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    ctx: PageCtx,
    token: String,
    email: String,
    errors: FieldErrors,
    /// Why the link does not work (in the page's language, then the other), instead of the form.
    problem: Option<(&'static str, &'static str)>,
}

/// The 404 (unknown or used) or 410 (expired) page, in both languages,
/// with a link to ask for a new one.
fn problem_page(ctx: PageCtx, problem: LinkProblem) -> Result<HttpResponse, AppError> {
    let key = match problem {
        LinkProblem::Unknown => "password_reset.link_unknown",
        LinkProblem::Expired => "password_reset.link_expired",
    };
    let texts = (i18n::t(ctx.lang, key), i18n::t(ctx.lang.other(), key));
    render_with(
        &ResetPage {
            ctx,
            token: String::new(),
            email: String::new(),
            errors: FieldErrors::new(),
            problem: Some(texts),
        },
        link_problem_status(problem),
    )
}

/// Handles GET /password/reset/{token}.
async fn reset_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    match run(&state, move |conn| password_reset::open(conn, &lookup)).await? {
        Ok(target) => render(&ResetPage {
            ctx,
            token,
            email: target.email,
            errors: FieldErrors::new(),
            problem: None,
        }),
        Err(problem) => problem_page(ctx, problem),
    }
}

/// Checks the new password against the rules and the account's own data.
fn parse(form: &ResetForm, target: &ResetTarget) -> Result<NewPassword, FieldErrors> {
    let mut errors = FieldErrors::new();
    let personal = Personal {
        email: &target.email,
        company: &target.company,
    };
    let password = password::check(
        &mut errors,
        "password",
        NewPassword::parse(&form.password, personal),
    );
    if form.password != form.password_confirm {
        errors.add("password_confirm", "error.password.mismatch");
    }
    match password {
        Some(password) if errors.is_empty() => Ok(password),
        _ => Err(errors),
    }
}

/// Handles POST /password/reset/{token}: sets the password, uses up the
/// link, signs the account out everywhere, then sends to /login.
async fn reset(
    req: HttpRequest,
    ctx: PageCtx,
    session: Session,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let target = match run(&state, move |conn| password_reset::open(conn, &lookup)).await? {
        Ok(target) => target,
        Err(problem) => return problem_page(ctx, problem),
    };
    let new_password = match parse(&form, &target) {
        Ok(password) => password,
        Err(errors) => {
            return render_with(
                &ResetPage {
                    ctx,
                    token,
                    email: target.email,
                    errors,
                    problem: None,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    // Hashed before a connection is taken (see services::accounts).
    let hashed = web::block(move || HashedPassword::new(&new_password)).await?;
    let ip = client_ip(&req);
    let same_account = ctx.user.as_ref().is_some_and(|u| u.email == target.email);
    let done = run(&state, move |conn| {
        password_reset::complete(conn, &token, &hashed, &ip)
    })
    .await?;
    match done {
        Ok(()) => {
            if same_account {
                // Its server-side session ended with the others; without
                // the stale token the sign-in page shows "password reset"
                // rather than "your session ended".
                session.clear();
            }
            ctx::flash(&session, "success", "password_reset.done");
            Ok(redirect("/login"))
        }
        Err(problem) => problem_page(ctx, problem),
    }
}
