//! ERP API tokens (issue #13): the owner creates them with a name and
//! scopes, sees the secret once, and revokes them; every API request is
//! authenticated here by the secret's SHA-256.

use super::audit::{self, Event};
use super::{Actor, ServiceError, ServiceResult, now, tokens};
use crate::db::schema::api_tokens;
use crate::db::{DbConnection, write_tx};
use crate::domain::api_scope::Scopes;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::status::Role;
use crate::domain::text;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// What a secret starts with, so a leaked one is recognisable in logs and scanners.
pub const SECRET_PREFIX: &str = "sp_";
/// The most active tokens a company may hold.
pub const MAX_ACTIVE: i64 = 20;
/// `last_used_at` is written at most this often per token.
const TOUCH_EVERY_SECONDS: i64 = 60;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub company_id: i64,
    pub created_by: i64,
    pub name: String,
    pub scopes: String,
    pub prefix: String,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl ApiToken {
    pub fn scope_set(&self) -> Option<Scopes> {
        Scopes::parse(self.scopes.split(','))
    }
}

/// The token form as typed.
#[derive(Clone, Debug, Default)]
pub struct TokenForm {
    pub name: String,
    pub scopes: Vec<String>,
}

/// The machine an API request comes from: the token, its company and the
/// member who made it (whose approval rules its orders follow).
#[derive(Clone, Debug)]
pub struct ApiClient {
    pub token_id: i64,
    pub name: String,
    pub company_id: CompanyId,
    pub created_by: UserId,
    pub scopes: Scopes,
}

fn owner_company(actor: &Actor) -> ServiceResult<CompanyId> {
    if actor.role != Role::Owner {
        return Err(ServiceError::Forbidden);
    }
    actor.company()
}

/// The company's tokens, newest first, revoked ones included.
pub fn list(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<ApiToken>> {
    let company = owner_company(actor)?;
    Ok(api_tokens::table
        .filter(api_tokens::company_id.eq(company.0))
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)?)
}

/// Creates a token and returns it with its secret, which is never shown again.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &TokenForm,
) -> ServiceResult<(ApiToken, String)> {
    let company = owner_company(actor)?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", text::required(&form.name, 60), |e| e);
    let scopes = Scopes::parse(form.scopes.iter().map(String::as_str));
    if scopes.is_none() {
        errors.add("scopes", "error.api.scopes");
    }
    let (Some(name), Some(scopes)) = (name, scopes) else {
        return Err(ServiceError::Invalid(errors));
    };
    let secret = format!("{SECRET_PREFIX}{}", tokens::generate());
    write_tx(conn, |conn| {
        let active: i64 = api_tokens::table
            .filter(api_tokens::company_id.eq(company.0))
            .filter(api_tokens::revoked_at.is_null())
            .count()
            .get_result(conn)?;
        if active >= MAX_ACTIVE {
            let mut errors = FieldErrors::new();
            errors.add("name", "error.api.too_many_tokens");
            return Err(ServiceError::Invalid(errors));
        }
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::company_id.eq(company.0),
                api_tokens::created_by.eq(actor.user_id.0),
                api_tokens::name.eq(&name),
                api_tokens::scopes.eq(scopes.stored()),
                api_tokens::token_sha256.eq(tokens::digest(&secret)),
                api_tokens::prefix.eq(&secret[..SECRET_PREFIX.len() + 6]),
                api_tokens::created_at.eq(now()),
            ))
            .execute(conn)?;
        let token: ApiToken = api_tokens::table
            .filter(api_tokens::token_sha256.eq(tokens::digest(&secret)))
            .select(ApiToken::as_select())
            .first(conn)?;
        audit::record(
            conn,
            actor,
            Event {
                action: "api_token.create",
                company: Some(company),
                target_type: "api_token",
                target_id: token.id.to_string(),
                detail: format!("{name} [{}]", scopes.stored()),
            },
        )?;
        Ok((token, secret))
    })
}

/// Revokes one of the company's tokens; it stops working at once.
pub fn revoke(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    let company = owner_company(actor)?;
    write_tx(conn, |conn| {
        let token: ApiToken = api_tokens::table
            .filter(api_tokens::id.eq(id))
            .filter(api_tokens::company_id.eq(company.0))
            .select(ApiToken::as_select())
            .first(conn)?;
        if token.revoked_at.is_some() {
            return Ok(());
        }
        diesel::update(api_tokens::table.find(id))
            .set((
                api_tokens::revoked_at.eq(now()),
                api_tokens::revoked_by.eq(actor.user_id.0),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Event {
                action: "api_token.revoke",
                company: Some(company),
                target_type: "api_token",
                target_id: id.to_string(),
                detail: token.name,
            },
        )?;
        Ok(())
    })
}

/// The client a bearer secret belongs to, if it is a live token.
pub fn authenticate(conn: &mut DbConnection, secret: &str) -> QueryResult<Option<ApiClient>> {
    let token: Option<ApiToken> = api_tokens::table
        .filter(api_tokens::token_sha256.eq(tokens::digest(secret)))
        .filter(api_tokens::revoked_at.is_null())
        .select(ApiToken::as_select())
        .first(conn)
        .optional()?;
    let Some(token) = token else {
        return Ok(None);
    };
    let at = now();
    if token
        .last_used_at
        .is_none_or(|used| at - used > Duration::seconds(TOUCH_EVERY_SECONDS))
    {
        diesel::update(api_tokens::table.find(token.id))
            .set(api_tokens::last_used_at.eq(at))
            .execute(conn)?;
    }
    Ok(token.scope_set().map(|scopes| ApiClient {
        token_id: token.id,
        name: token.name,
        company_id: CompanyId(token.company_id),
        created_by: UserId(token.created_by),
        scopes,
    }))
}

/// Records one API call in the company's audit log under the token's name.
pub fn audit_call(
    conn: &mut DbConnection,
    client: &ApiClient,
    ip: &str,
    action: &str,
    target: String,
) -> QueryResult<()> {
    let email = format!("api:{}", client.name);
    audit::record(
        conn,
        audit::By {
            user_id: Some(client.created_by),
            email: &email,
            ip,
        },
        Event {
            action,
            company: Some(client.company_id),
            target_type: "api",
            target_id: target,
            detail: format!("token #{}", client.token_id),
        },
    )
}
