//! Platform accounts: the admin creates operators and disables accounts.

use super::accounts::OneTimePassword;
use super::audit::{self, Event};
use super::{Actor, Page, ServiceError, ServiceResult};
use crate::db::models::User;
use crate::db::schema::users;
use crate::db::{DbConnection, contains_pattern, lower, write_tx};
use crate::domain::email::Email;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::status::Role;
use diesel::prelude::*;

/// Creates an operator with a one-time password made beforehand (off the
/// connection; the caller shows it once).
pub fn create_operator(
    conn: &mut DbConnection,
    actor: &Actor,
    email: &Email,
    display_name: &str,
    password: &OneTimePassword,
) -> ServiceResult<User> {
    actor.require_admin()?;
    let user =
        super::accounts::insert_staff_account(conn, email, display_name, Role::Operator, password)?;
    audit::record(
        conn,
        actor,
        Event {
            action: "staff.create_operator",
            company: None,
            target_type: "user",
            target_id: user.id.to_string(),
            detail: user.email.clone(),
        },
    )?;
    Ok(user)
}

/// Disables or re-enables an account. Disabling ends every session of that
/// user, so each of their cookies is void at its next request.
pub fn set_disabled(
    conn: &mut DbConnection,
    actor: &Actor,
    target: UserId,
    disabled: bool,
) -> ServiceResult<()> {
    actor.require_admin()?;
    if target == actor.user_id {
        return Err(ServiceError::Conflict("error.staff.not_yourself"));
    }
    write_tx(conn, |conn| {
        let user: User = users::table.find(target.0).first(conn)?;
        diesel::update(users::table.find(target.0))
            .set(users::disabled.eq(disabled))
            .execute(conn)?;
        if disabled {
            super::sessions::end_all(conn, target, None)?;
        }
        audit::record(
            conn,
            actor,
            Event {
                action: if disabled {
                    "staff.disable_user"
                } else {
                    "staff.enable_user"
                },
                company: user.company_id.map(CompanyId),
                target_type: "user",
                target_id: target.to_string(),
                detail: user.email,
            },
        )?;
        Ok(())
    })
}

/// All accounts, staff first, filtered by e-mail or name.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    search: &str,
    page: i64,
) -> ServiceResult<Page<User>> {
    actor.require_admin()?;
    let mut query = users::table.into_boxed();
    let search = search.trim();
    if !search.is_empty() {
        let pattern = contains_pattern(search);
        query = query.filter(
            users::email
                .like(pattern.clone())
                .or(lower(users::display_name).like(pattern)),
        );
    }
    let rows = query
        .order((users::company_id.is_not_null(), users::id.asc()))
        .offset(Page::<User>::offset(page))
        .limit(Page::<User>::SIZE + 1)
        .load(conn)?;
    Ok(Page::from_rows(rows, page))
}

pub fn get(conn: &mut DbConnection, actor: &Actor, id: UserId) -> ServiceResult<User> {
    actor.require_admin()?;
    Ok(users::table.find(id.0).first(conn)?)
}
