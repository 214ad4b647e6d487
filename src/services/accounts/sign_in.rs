//! Signing in: the per-account-and-address lock, the password check off the
//! connection, and every attempt recorded (login_attempts and the audit log).

use super::super::audit::{self, By, Event};
use super::super::{ServiceResult, now};
use super::verify_password;
use crate::db::DbConnection;
use crate::db::models::{NewLoginAttempt, User};
use crate::db::schema::{login_attempts, users};
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::status::LoginOutcome;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Failed attempts that lock an account for one address (IP), and for how long.
/// Per address, so a stranger guessing cannot lock the real owner out.
pub const MAX_FAILURES: usize = 5;
pub const LOCK_MINUTES: i64 = 15;

/// How a sign-in attempt ended.
#[derive(Debug)]
pub enum SignIn {
    Success(User),
    BadCredentials,
    /// Locked; try again after this many minutes.
    Throttled {
        minutes: i64,
    },
    Disabled,
}

/// The first step of a sign-in: the lock is checked and the stored hash read.
pub enum SignInStart {
    /// Locked for this address; try again after this many minutes (recorded already).
    Throttled { minutes: i64 },
    /// The password is to be checked, then the outcome recorded.
    Check(PendingSignIn),
}

/// A sign-in between reading the account and checking its password.
pub struct PendingSignIn {
    email: String,
    ip: String,
    user: Option<User>,
}

impl PendingSignIn {
    /// Compares the password with the stored hash (CPU only: call it on the
    /// blocking pool, without a connection). Unknown accounts still cost one
    /// hash, so timing does not reveal which e-mails exist.
    pub fn check(self, password: &str) -> CheckedSignIn {
        let password_ok = match &self.user {
            Some(user) => verify_password(&user.password_hash, password),
            None => {
                verify_password(&dummy_hash(), password);
                false
            }
        };
        CheckedSignIn {
            pending: self,
            password_ok,
        }
    }
}

/// A sign-in whose password was checked, to be recorded by [`finish_sign_in`].
pub struct CheckedSignIn {
    pending: PendingSignIn,
    password_ok: bool,
}

/// Reads the account unless `email` is locked for `ip`, which is recorded.
pub fn start_sign_in(
    conn: &mut DbConnection,
    email_input: &str,
    ip: &str,
) -> ServiceResult<SignInStart> {
    let email = email_input.trim().to_lowercase();
    let at = now();
    if let Some(until) = locked_until(conn, &email, ip)?.filter(|until| *until > at) {
        record_attempt(conn, &email, ip, LoginOutcome::Throttled, None)?;
        let minutes = (until - at).num_seconds().div_euclid(60) + 1;
        return Ok(SignInStart::Throttled { minutes });
    }
    let user: Option<User> = users::table
        .filter(users::email.eq(&email))
        .first(conn)
        .optional()?;
    Ok(SignInStart::Check(PendingSignIn {
        email,
        ip: ip.to_owned(),
        user,
    }))
}

/// Records the attempt and says how it ended.
pub fn finish_sign_in(conn: &mut DbConnection, checked: CheckedSignIn) -> ServiceResult<SignIn> {
    let CheckedSignIn {
        pending: PendingSignIn { email, ip, user },
        password_ok,
    } = checked;
    let outcome = match user {
        Some(user) if password_ok && !user.disabled => {
            record_attempt(conn, &email, &ip, LoginOutcome::Success, Some(&user))?;
            SignIn::Success(user)
        }
        Some(user) if password_ok => {
            record_attempt(conn, &email, &ip, LoginOutcome::Failure, Some(&user))?;
            SignIn::Disabled
        }
        user => {
            record_attempt(conn, &email, &ip, LoginOutcome::Failure, user.as_ref())?;
            SignIn::BadCredentials
        }
    };
    Ok(outcome)
}

fn dummy_hash() -> String {
    "$argon2id$v=19$m=19456,t=2,p=1$c2FtcGxlcG9zdHNhbHQ$CzNj0w0ylvNQsS1WbOrzJz/3xgYMbfwi6NHYlkGnwts"
        .to_owned()
}

/// When the account is locked for `ip`: five failures from that address since
/// its last success there, the first and fifth within 15 minutes, lock the
/// account for that address for 15 minutes after the fifth. Other addresses
/// (the real owner at home) are not locked; the per-address rate limit
/// (`web::rate_limit`) bounds guessing across accounts.
fn locked_until(
    conn: &mut DbConnection,
    email: &str,
    ip: &str,
) -> QueryResult<Option<NaiveDateTime>> {
    let since = now() - Duration::hours(1);
    let last_success: Option<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::outcome.eq(LoginOutcome::Success.as_str()))
        .filter(login_attempts::at.gt(since))
        .select(diesel::dsl::max(login_attempts::at))
        .first(conn)?;
    let failures: Vec<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::outcome.eq(LoginOutcome::Failure.as_str()))
        .filter(login_attempts::at.gt(last_success.unwrap_or(since).max(since)))
        .select(login_attempts::at)
        .order(login_attempts::at.desc())
        .limit(MAX_FAILURES as i64)
        .load(conn)?;
    let (Some(newest), Some(oldest)) = (failures.first(), failures.get(MAX_FAILURES - 1)) else {
        return Ok(None);
    };
    if *newest - *oldest <= Duration::minutes(LOCK_MINUTES) {
        Ok(Some(*newest + Duration::minutes(LOCK_MINUTES)))
    } else {
        Ok(None)
    }
}

/// Lifts the lock from every address: the failed attempts on `email` are
/// forgotten (the audit log keeps them). For a password reset, after which
/// the old guesses mean nothing.
pub fn lift_lock(conn: &mut DbConnection, email: &str) -> QueryResult<usize> {
    diesel::delete(
        login_attempts::table
            .filter(login_attempts::email.eq(email))
            .filter(login_attempts::outcome.eq(LoginOutcome::Failure.as_str())),
    )
    .execute(conn)
}

fn record_attempt(
    conn: &mut DbConnection,
    email: &str,
    ip: &str,
    outcome: LoginOutcome,
    user: Option<&User>,
) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values(NewLoginAttempt {
            email,
            ip,
            outcome: outcome.as_str(),
            at: now(),
        })
        .execute(conn)?;
    audit::record(
        conn,
        By {
            user_id: user.map(|u| UserId(u.id)),
            email,
            ip,
        },
        Event {
            action: match outcome {
                LoginOutcome::Success => "auth.sign_in",
                LoginOutcome::Failure => "auth.sign_in_failed",
                LoginOutcome::Throttled => "auth.sign_in_throttled",
            },
            company: user.and_then(|u| u.company_id).map(CompanyId),
            target_type: "user",
            target_id: user.map(|u| u.id.to_string()).unwrap_or_default(),
            detail: String::new(),
        },
    )
}
