//! Forgotten passwords (issue #9): a one-time link by e-mail (30 minutes,
//! only its SHA-256 stored, a newer request replaces it) that sets a new
//! password, ends every session of the account and lifts its sign-in lock.
//!
//! Asking never says whether an account exists: [`request`] answers the
//! same for any e-mail, and only an enabled account gets a mail.

use super::accounts::{self, HashedPassword};
use super::audit::{self, By, Event};
use super::{LinkProblem, ServiceResult, notifications, now, sessions, tokens};
use crate::db::models::User;
use crate::db::password_resets::{self as rows, NewPasswordReset, PasswordReset};
use crate::db::schema::users;
use crate::db::{DbConnection, write_tx};
use crate::domain::email::Email;
use crate::domain::ids::{CompanyId, UserId};
use chrono::Duration;
use diesel::prelude::*;

/// How long a link works.
pub const VALID_MINUTES: i64 = 30;

/// Most links one account is sent in an hour, so the form (limited per
/// address) cannot fill one inbox from many addresses either.
pub const MAILS_PER_HOUR: i64 = 5;

/// The outbox kind of the mail; `notify.account.password_reset` words it.
pub const MAIL_KIND: &str = "account.password_reset";

/// Rows older than this are deleted when the same account asks again.
const KEEP_HOURS: i64 = 24;

/// The path of the link in the mail.
pub fn link(token: &str) -> String {
    format!("/password/reset/{token}")
}

/// Asks for a link for `email`. An enabled account with that e-mail gets a
/// new link by mail (unless it had [`MAILS_PER_HOUR`] already); any other
/// e-mail gets nothing, and the caller cannot tell the difference.
pub fn request(conn: &mut DbConnection, email: &Email, ip: &str) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let user: Option<User> = users::table
            .filter(users::email.eq(email.as_str()))
            .first(conn)
            .optional()?;
        let Some(user) = user.filter(|user| !user.disabled) else {
            return Ok(());
        };
        let at = now();
        if rows::count_since(conn, user.id, at - Duration::hours(1))? >= MAILS_PER_HOUR {
            tracing::info!(user = user.id, "password reset: mails per hour reached");
            return Ok(());
        }
        rows::replace_open(conn, user.id, at, at - Duration::hours(KEEP_HOURS))?;
        let token = tokens::generate();
        rows::insert(
            conn,
            &NewPasswordReset {
                user_id: user.id,
                token_sha256: &tokens::digest(&token),
                created_at: at,
                expires_at: at + Duration::minutes(VALID_MINUTES),
            },
        )?;
        audit::record(
            conn,
            By::user(&user, ip),
            Event {
                action: "account.password_reset_request",
                company: user.company_id.map(CompanyId),
                target_type: "user",
                target_id: user.id.to_string(),
                detail: String::new(),
            },
        )?;
        notifications::mail(
            conn,
            Some(UserId(user.id)),
            &user.email,
            MAIL_KIND,
            "",
            &link(&token),
        )?;
        Ok(())
    })
}

/// Whose password a link sets: a new password may not contain the e-mail
/// or the company name, so the form needs them.
#[derive(Clone, Debug)]
pub struct ResetTarget {
    pub email: String,
    pub company: String,
}

/// The link's row and user while it works, or why it does not.
fn usable(
    conn: &mut DbConnection,
    token: &str,
) -> QueryResult<Result<(PasswordReset, User), LinkProblem>> {
    let Some((reset, user)) = rows::find_by_digest(conn, &tokens::digest(token))? else {
        return Ok(Err(LinkProblem::Unknown));
    };
    // A used or replaced link, or one of an account disabled since, is gone
    // for good; only an unused one that ran out of time is "expired".
    if reset.used_at.is_some() || reset.replaced_at.is_some() || user.disabled {
        return Ok(Err(LinkProblem::Unknown));
    }
    if reset.expires_at <= now() {
        return Ok(Err(LinkProblem::Expired));
    }
    Ok(Ok((reset, user)))
}

/// Opens a link: whose password it sets, or why it does not work.
pub fn open(
    conn: &mut DbConnection,
    token: &str,
) -> ServiceResult<Result<ResetTarget, LinkProblem>> {
    let (_, user) = match usable(conn, token)? {
        Ok(found) => found,
        Err(problem) => return Ok(Err(problem)),
    };
    let company = accounts::company_name_of(conn, UserId(user.id))?;
    Ok(Ok(ResetTarget {
        email: user.email,
        company,
    }))
}

/// Sets the new password (hashed beforehand, off the connection), uses up
/// the link, ends every session of the account, lifts its sign-in lock and
/// clears a pending "must change password".
pub fn complete(
    conn: &mut DbConnection,
    token: &str,
    password: &HashedPassword,
    ip: &str,
) -> ServiceResult<Result<(), LinkProblem>> {
    write_tx(conn, |conn| {
        let (reset, user) = match usable(conn, token)? {
            Ok(found) => found,
            Err(problem) => return Ok(Err(problem)),
        };
        let at = now();
        // Guarded: of two tabs submitting the same link, one wins.
        if rows::mark_used(conn, reset.id, at)? == 0 {
            return Ok(Err(LinkProblem::Unknown));
        }
        diesel::update(users::table.find(user.id))
            .set((
                users::password_hash.eq(password.as_str()),
                users::must_change_password.eq(false),
            ))
            .execute(conn)?;
        sessions::end_all(conn, UserId(user.id), None)?;
        accounts::lift_lock(conn, &user.email)?;
        audit::record(
            conn,
            By::user(&user, ip),
            Event {
                action: "account.password_reset",
                company: user.company_id.map(CompanyId),
                target_type: "user",
                target_id: user.id.to_string(),
                detail: String::new(),
            },
        )?;
        Ok(Ok(()))
    })
}
