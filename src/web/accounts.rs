//! Register, sign in, change password (signing out: `web::logout`).

use super::auth::SignedIn;
use super::ctx::{self, PageCtx, client_ip};
use super::edge::local_path;
use super::errors::AppError;
use super::rate_limit::{self, RateLimit};
use super::{AppState, redirect, render, render_with, run};
use crate::domain::email::Email;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::UserId;
use crate::domain::password::{self, NewPassword, Personal};
use crate::domain::text;
use crate::services::ServiceError;
use crate::services::accounts::{
    self, HashedPassword, PasswordChange, Registration, SignIn, SignInStart,
};
use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/register", web::get().to(register_form))
        .route(
            "/register",
            web::post()
                .to(register)
                .wrap(RateLimit(&rate_limit::REGISTER)),
        )
        .route("/login", web::get().to(login_form))
        .route(
            "/login",
            web::post().to(login).wrap(RateLimit(&rate_limit::SIGN_IN)),
        )
        .route("/account/password", web::get().to(password_form))
        .route(
            "/account/password",
            web::post()
                .to(change_password)
                .wrap(RateLimit(&rate_limit::PASSWORD_CHANGE)),
        );
}

#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    company_name: String,
}

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    ctx: PageCtx,
    form: RegisterForm,
    errors: FieldErrors,
}

/// Handles GET /register.
async fn register_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    render(&RegisterPage {
        ctx,
        form: RegisterForm::default(),
        errors: FieldErrors::new(),
    })
}

/// A registration form that passed its checks, password not yet hashed.
struct ParsedRegistration {
    email: Email,
    password: NewPassword,
    display_name: String,
    company_name: String,
}

impl RegisterForm {
    fn parse(&self) -> Result<ParsedRegistration, FieldErrors> {
        // In the form's order: the error summary lists them so.
        let mut errors = FieldErrors::new();
        let company_name = errors.check(
            "company_name",
            text::required(&self.company_name, 100),
            |e| e,
        );
        let display_name = errors.check(
            "display_name",
            text::required(&self.display_name, 60),
            |e| e,
        );
        let email = errors.check("email", Email::parse(&self.email), |e| e.message_key());
        let personal = Personal {
            email: self.email.trim(),
            company: self.company_name.trim(),
        };
        let password = password::check(
            &mut errors,
            "password",
            NewPassword::parse(&self.password, personal),
        );
        if self.password != self.password_confirm {
            errors.add("password_confirm", "error.password.mismatch");
        }
        match (email, password, display_name, company_name) {
            (Some(email), Some(password), Some(display_name), Some(company_name))
                if errors.is_empty() =>
            {
                Ok(ParsedRegistration {
                    email,
                    password,
                    display_name,
                    company_name,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Handles POST /register: creates the company and its owner, signs in.
async fn register(
    req: HttpRequest,
    ctx: PageCtx,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    let mut form = form.into_inner();
    let invalid = |ctx, mut form: RegisterForm, errors| {
        form.password.clear();
        form.password_confirm.clear();
        render_with(
            &RegisterPage { ctx, form, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let parsed = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return invalid(ctx, form, errors),
    };
    let password = parsed.password;
    let registration = Registration {
        email: parsed.email,
        password: web::block(move || HashedPassword::new(&password)).await?,
        display_name: parsed.display_name,
        company_name: parsed.company_name,
    };
    let ip = client_ip(&req);
    match run(&state, move |conn| {
        accounts::register(conn, registration, &ip)
    })
    .await
    {
        Ok(user) => {
            ctx::sign_in(&req, &session, UserId(user.id)).await?;
            ctx::flash(&session, "success", "flash.registered");
            Ok(redirect("/app"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            form.email = form.email.trim().to_owned();
            invalid(ctx, form, errors)
        }
        Err(error) => Err(error),
    }
}

#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ctx: PageCtx,
    email: String,
    next: String,
    /// A message about the whole form, already in the page's language.
    problem: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Handles GET /login.
async fn login_form(ctx: PageCtx, query: web::Query<NextQuery>) -> Result<HttpResponse, AppError> {
    if ctx.user.is_some() {
        return Ok(redirect("/app"));
    }
    let next = query
        .next
        .as_deref()
        .and_then(local_path)
        .unwrap_or_default();
    render(&LoginPage {
        ctx,
        email: String::new(),
        next,
        problem: None,
    })
}

/// Handles POST /login: throttling, the argon2 check (without holding a
/// connection, so a flood of sign-ins cannot starve the pool), a new session.
async fn login(
    req: HttpRequest,
    ctx: PageCtx,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let LoginForm {
        email,
        password,
        next,
    } = form.into_inner();
    let ip = client_ip(&req);
    let email_for_service = email.clone();
    let start = run(&state, move |conn| {
        accounts::start_sign_in(conn, &email_for_service, &ip)
    })
    .await?;
    let outcome = match start {
        SignInStart::Throttled { minutes } => SignIn::Throttled { minutes },
        SignInStart::Check(pending) => {
            let checked = web::block(move || pending.check(&password)).await?;
            run(&state, move |conn| accounts::finish_sign_in(conn, checked)).await?
        }
    };
    let (problem, status) = match outcome {
        SignIn::Success(user) => {
            ctx::sign_in(&req, &session, UserId(user.id)).await?;
            let home = if user.role.is_staff() {
                "/admin"
            } else {
                "/app"
            };
            let target = local_path(&next).unwrap_or_else(|| home.to_owned());
            return Ok(redirect(&target));
        }
        SignIn::BadCredentials => (
            ctx.t("error.login.bad_credentials").to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        SignIn::Disabled => (
            ctx.t("error.login.disabled").to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        SignIn::Throttled { minutes } => {
            let page = LoginPage {
                problem: Some(
                    ctx.t("error.login.throttled")
                        .replace("{minutes}", &minutes.to_string()),
                ),
                ctx,
                email,
                next: local_path(&next).unwrap_or_default(),
            };
            let mut response = render_with(&page, StatusCode::TOO_MANY_REQUESTS)?;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(minutes * 60));
            return Ok(response);
        }
    };
    render_with(
        &LoginPage {
            ctx,
            email,
            next: local_path(&next).unwrap_or_default(),
            problem: Some(problem),
        },
        status,
    )
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_confirm: String,
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
struct PasswordPage {
    ctx: PageCtx,
    must_change: bool,
    errors: FieldErrors,
}

/// Handles GET /account/password.
async fn password_form(ctx: PageCtx, user: SignedIn) -> Result<HttpResponse, AppError> {
    render(&PasswordPage {
        ctx,
        must_change: user.0.must_change_password,
        errors: FieldErrors::new(),
    })
}

/// Reads the stored hash, checks and hashes on the blocking pool without a
/// connection, then writes: three short steps instead of one long hold.
async fn change(
    state: &AppState,
    user: &SignedIn,
    current: String,
    new_password: NewPassword,
) -> Result<(), AppError> {
    let actor = user.0.actor();
    let keep = user.0.session;
    let lookup = actor.clone();
    let stored = run(state, move |conn| accounts::password_hash_of(conn, &lookup)).await?;
    let change = web::block(move || PasswordChange::check(stored, &current, &new_password))
        .await?
        .map_err(AppError::Service)?;
    run(state, move |conn| {
        accounts::change_password(conn, &actor, keep, change)
    })
    .await
}

/// Handles POST /account/password: every other session of the user ends.
async fn change_password(
    ctx: PageCtx,
    user: SignedIn,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let must_change = user.0.must_change_password;
    let lookup = user.0.id;
    let company = run(&state, move |conn| accounts::company_name_of(conn, lookup)).await?;
    let personal = Personal {
        email: &user.0.email,
        company: &company,
    };
    let mut errors = FieldErrors::new();
    let new_password = password::check(
        &mut errors,
        "new_password",
        NewPassword::parse(&form.new_password, personal),
    );
    if form.new_password != form.new_password_confirm {
        errors.add("new_password_confirm", "error.password.mismatch");
    }
    let result = match new_password {
        Some(new_password) if errors.is_empty() => {
            change(&state, &user, form.current_password, new_password).await
        }
        _ => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.password_changed");
            let home = if user.0.is_staff() { "/admin" } else { "/app" };
            Ok(redirect(home))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => render_with(
            &PasswordPage {
                ctx,
                must_change,
                errors,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => Err(error),
    }
}
