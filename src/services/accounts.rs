//! Registration, sign-in (with throttling kept in the database), password
//! change, and the platform admin created on first start.

use super::audit::{self, By, Event};
use super::{Actor, ServiceError, ServiceResult, now};
use crate::db::models::{NewCompany, NewLoginAttempt, NewUser, User};
use crate::db::schema::{login_attempts, users};
use crate::db::{DbConnection, write_tx};
use crate::domain::email::Email;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::password::NewPassword;
use crate::domain::status::{CompanyStatus, LoginOutcome, ModuleStatus, Role};
use crate::with_backend;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;

/// Failed attempts that lock an account, and for how long.
pub const MAX_FAILURES: usize = 5;
pub const LOCK_MINUTES: i64 = 15;

/// argon2id with the OWASP minimum: 19 MiB, 2 iterations, 1 lane.
fn hasher() -> Argon2<'static> {
    // The parameters are constants inside the documented limits, so this cannot fail.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        // Hashing with a fresh salt and fixed parameters has no failure mode left.
        .expect("argon2 hashing")
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random password for accounts created by someone else; changed at first sign-in.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// What `/register` collects, already parsed.
pub struct Registration {
    pub email: Email,
    pub password: NewPassword,
    pub display_name: String,
    pub company_name: String,
}

fn email_taken(conn: &mut DbConnection, email: &Email) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::email.eq(email.as_str())),
    ))
    .get_result(conn)
}

/// Creates a seller company and its owner; returns the owner.
pub fn register(conn: &mut DbConnection, form: Registration, ip: &str) -> ServiceResult<User> {
    let password_hash = hash_password(form.password.expose());
    write_tx(conn, |conn| {
        if email_taken(conn, &form.email)? {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "email",
                "error.email.taken",
            )));
        }
        let at = now();
        let company_id: i64 = with_backend!(conn, |c| diesel::insert_into(
            crate::db::schema::companies::table
        )
        .values(NewCompany {
            name: &form.company_name,
            status: CompanyStatus::Unverified.as_str(),
            module_status: ModuleStatus::None.as_str(),
            created_at: at,
            updated_at: at,
        })
        .returning(crate::db::schema::companies::id)
        .get_result(c))?;
        let user = insert_user(
            conn,
            NewUser {
                email: form.email.as_str(),
                password_hash: &password_hash,
                display_name: &form.display_name,
                role: Role::Owner.as_str(),
                company_id: Some(company_id),
                disabled: false,
                session_epoch: 0,
                must_change_password: false,
                created_at: at,
            },
        )?;
        audit::record(
            conn,
            By {
                user_id: Some(UserId(user.id)),
                email: &user.email,
                ip,
            },
            Event {
                action: "account.register",
                company: Some(CompanyId(company_id)),
                target_type: "company",
                target_id: company_id.to_string(),
                detail: form.company_name.clone(),
            },
        )?;
        Ok(user)
    })
}

fn insert_user(conn: &mut DbConnection, user: NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(&user)
        .execute(conn)?;
    users::table.filter(users::email.eq(user.email)).first(conn)
}

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

/// Checks the password unless the account is locked, and records the attempt.
pub fn sign_in(
    conn: &mut DbConnection,
    email_input: &str,
    password: &str,
    ip: &str,
) -> ServiceResult<SignIn> {
    let email = email_input.trim().to_lowercase();
    let at = now();
    if let Some(until) = locked_until(conn, &email)?.filter(|until| *until > at) {
        record_attempt(conn, &email, ip, LoginOutcome::Throttled, None)?;
        let minutes = (until - at).num_seconds().div_euclid(60) + 1;
        return Ok(SignIn::Throttled { minutes });
    }
    let user: Option<User> = users::table
        .filter(users::email.eq(&email))
        .first(conn)
        .optional()?;
    // Unknown accounts still cost one hash, so timing does not reveal which e-mails exist.
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(dummy_hash);
    let password_ok = verify_password(&hash, password);
    let outcome = match user {
        Some(user) if password_ok && !user.disabled => {
            record_attempt(conn, &email, ip, LoginOutcome::Success, Some(&user))?;
            SignIn::Success(user)
        }
        Some(user) if password_ok => {
            record_attempt(conn, &email, ip, LoginOutcome::Failure, Some(&user))?;
            SignIn::Disabled
        }
        user => {
            record_attempt(conn, &email, ip, LoginOutcome::Failure, user.as_ref())?;
            SignIn::BadCredentials
        }
    };
    Ok(outcome)
}

fn dummy_hash() -> String {
    "$argon2id$v=19$m=19456,t=2,p=1$c2FtcGxlcG9zdHNhbHQ$CzNj0w0ylvNQsS1WbOrzJz/3xgYMbfwi6NHYlkGnwts"
        .to_owned()
}

/// When the account is locked: five failures since the last success, the
/// first and fifth within 15 minutes, lock the account for 15 minutes after the fifth.
fn locked_until(conn: &mut DbConnection, email: &str) -> QueryResult<Option<NaiveDateTime>> {
    let since = now() - Duration::hours(1);
    let last_success: Option<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::outcome.eq(LoginOutcome::Success.as_str()))
        .filter(login_attempts::at.gt(since))
        .select(diesel::dsl::max(login_attempts::at))
        .first(conn)?;
    let failures: Vec<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::email.eq(email))
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

/// Looks up the user a session points at.
pub fn find_user(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<User>> {
    users::table.find(id.0).first(conn).optional()
}

/// Changes the actor's password and voids every other session (epoch + 1).
/// Returns the new epoch so the current session stays signed in.
pub fn change_password(
    conn: &mut DbConnection,
    actor: &Actor,
    current: &str,
    new_password: &NewPassword,
) -> ServiceResult<i64> {
    let user: User = users::table.find(actor.user_id.0).first(conn)?;
    if !verify_password(&user.password_hash, current) {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "current_password",
            "error.password.wrong_current",
        )));
    }
    if verify_password(&user.password_hash, new_password.expose()) {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "new_password",
            "error.password.same_as_current",
        )));
    }
    let hash = hash_password(new_password.expose());
    write_tx(conn, |conn| {
        diesel::update(users::table.find(user.id))
            .set((
                users::password_hash.eq(&hash),
                users::must_change_password.eq(false),
                users::session_epoch.eq(users::session_epoch + 1),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Event {
                action: "account.password_change",
                company: actor.company_id,
                target_type: "user",
                target_id: user.id.to_string(),
                detail: String::new(),
            },
        )?;
        Ok(user.session_epoch + 1)
    })
}

/// Creates a platform account with a generated one-time password.
/// Returns the password, which is shown once and never stored in clear.
pub fn create_staff_account(
    conn: &mut DbConnection,
    email: &Email,
    display_name: &str,
    role: Role,
) -> ServiceResult<(User, String)> {
    if !role.is_staff() {
        return Err(ServiceError::Forbidden);
    }
    let password = generate_password();
    let hash = hash_password(&password);
    write_tx(conn, |conn| {
        if email_taken(conn, email)? {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "email",
                "error.email.taken",
            )));
        }
        let user = insert_user(
            conn,
            NewUser {
                email: email.as_str(),
                password_hash: &hash,
                display_name,
                role: role.as_str(),
                company_id: None,
                disabled: false,
                session_epoch: 0,
                must_change_password: true,
                created_at: now(),
            },
        )?;
        Ok((user, password))
    })
}

/// On first start: creates the platform admin unless any admin exists.
/// Returns the e-mail and one-time password when it created one.
pub fn ensure_admin(conn: &mut DbConnection, email: &Email) -> ServiceResult<Option<String>> {
    let admins: i64 = users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .count()
        .get_result(conn)?;
    if admins > 0 {
        return Ok(None);
    }
    let (_, password) = create_staff_account(conn, email, "Platform admin", Role::Admin)?;
    Ok(Some(password))
}
