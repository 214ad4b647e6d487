//! `/app/api-tokens`: the owner's ERP API tokens (issue #13): create with a
//! name and scopes (the secret is shown once, on the answer to the post),
//! see when each was last used, revoke.

use super::auth::Owner;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, redirect, render, render_with, run};
use crate::domain::api_scope::ApiScope;
use crate::domain::field_errors::FieldErrors;
use crate::services::api_tokens::{self, ApiToken, TokenForm};
use crate::services::{Actor, ServiceError};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/api-tokens", web::get().to(list))
        .route("/app/api-tokens", web::post().to(create))
        .route("/app/api-tokens/{id}/revoke", web::post().to(revoke));
}

#[derive(Template)]
#[template(path = "app/api_tokens.html")]
struct TokensPage {
    ctx: PageCtx,
    tokens: Vec<ApiToken>,
    scopes: &'static [ApiScope],
    form: TokenForm,
    errors: FieldErrors,
    /// The secret of the token just made: shown this once.
    secret: Option<String>,
}

impl TokensPage {
    fn chosen(&self, scope: &ApiScope) -> bool {
        self.form.scopes.iter().any(|s| s == scope.as_str())
    }
}

async fn page(
    ctx: PageCtx,
    state: &AppState,
    actor: Actor,
    form: TokenForm,
    errors: FieldErrors,
    secret: Option<String>,
) -> Result<TokensPage, AppError> {
    let tokens = run(state, move |conn| api_tokens::list(conn, &actor)).await?;
    Ok(TokensPage {
        ctx,
        tokens,
        scopes: ApiScope::ALL,
        form,
        errors,
        secret,
    })
}

/// Handles GET /app/api-tokens.
async fn list(
    ctx: PageCtx,
    owner: Owner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = TokenForm {
        name: String::new(),
        scopes: vec![ApiScope::Quote.as_str().to_owned()],
    };
    render(&page(ctx, &state, owner.0.actor(), form, FieldErrors::new(), None).await?)
}

/// Handles POST /app/api-tokens: answers with the page showing the new
/// secret once (no redirect, so it is never in a URL or the history).
async fn create(
    ctx: PageCtx,
    owner: Owner,
    state: web::Data<AppState>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let mut form = TokenForm::default();
    for (key, value) in body.into_inner() {
        match key.as_str() {
            "name" => form.name = value,
            "scopes" => form.scopes.push(value),
            _ => {}
        }
    }
    let actor = owner.0.actor();
    let typed = form.clone();
    let made = run(&state, move |conn| api_tokens::create(conn, &actor, &typed)).await;
    match made {
        Ok((_, secret)) => {
            let page = page(
                ctx,
                &state,
                owner.0.actor(),
                TokenForm::default(),
                FieldErrors::new(),
                Some(secret),
            )
            .await?;
            render(&page)
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let page = page(ctx, &state, owner.0.actor(), form, errors, None).await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

#[derive(serde::Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    confirm: String,
}

/// Handles POST /app/api-tokens/{id}/revoke (with the confirmation ticked).
async fn revoke(
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<RevokeForm>,
) -> Result<HttpResponse, AppError> {
    if form.confirm != "yes" {
        ctx::flash(&session, "error", "api_tokens.confirm_first");
        return Ok(redirect("/app/api-tokens"));
    }
    let actor = owner.0.actor();
    let id = id.into_inner();
    run(&state, move |conn| api_tokens::revoke(conn, &actor, id)).await?;
    ctx::flash(&session, "success", "flash.api_token_revoked");
    Ok(redirect("/app/api-tokens"))
}
