//! Registration, sign-in (with throttling kept in the database), password
//! change, and the platform admin created on first start.
//!
//! argon2 costs tens of milliseconds of CPU and 19 MiB, so it never runs
//! while a pooled connection is held: callers hash first ([`HashedPassword`],
//! [`OneTimePassword`]) or split a check into a read, the hash on the
//! blocking pool ([`PendingSignIn::check`], [`PasswordChange::check`]), and a write.

use super::audit::{self, By, Event};
use super::{Actor, ServiceError, ServiceResult, now, sessions};
use crate::db::models::{NewCompany, NewUser, User};
use crate::db::schema::users;
use crate::db::{DbConnection, write_tx};
use crate::domain::email::Email;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, SessionId, UserId};
use crate::domain::password::NewPassword;
use crate::domain::status::{CompanyStatus, ModuleStatus, Role};
use crate::with_backend;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use diesel::prelude::*;
use rand::Rng;

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

mod sign_in;
pub use sign_in::{
    CheckedSignIn, PendingSignIn, SignIn, SignInStart, finish_sign_in, lift_lock, start_sign_in,
};

/// A password hashed with argon2id, ready to store.
pub struct HashedPassword(String);

impl HashedPassword {
    /// Hashes `password` (CPU only: call it on the blocking pool, without a connection).
    pub fn new(password: &NewPassword) -> HashedPassword {
        HashedPassword(hash_password(password.expose()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A generated password for an account someone else creates, with its hash.
pub struct OneTimePassword {
    /// Shown once to whoever created the account; never stored in clear.
    pub clear: String,
    hashed: String,
}

impl OneTimePassword {
    /// Generates and hashes a password (CPU only, like [`HashedPassword::new`]).
    pub fn generate() -> OneTimePassword {
        let clear = generate_password();
        let hashed = hash_password(&clear);
        OneTimePassword { clear, hashed }
    }
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

/// What `/register` collects, already parsed (and the password hashed).
pub struct Registration {
    pub email: Email,
    pub password: HashedPassword,
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
                password_hash: form.password.as_str(),
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
            By::user(&user, ip),
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

/// The stored hash of the actor's password, the first step of a change.
pub fn password_hash_of(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<String> {
    Ok(users::table
        .find(actor.user_id.0)
        .select(users::password_hash)
        .first(conn)?)
}

/// The name of the user's company, or nothing for platform staff: a new
/// password may not contain it.
pub fn company_name_of(conn: &mut DbConnection, user: UserId) -> ServiceResult<String> {
    use crate::db::schema::companies;
    let name: Option<String> = users::table
        .inner_join(companies::table)
        .filter(users::id.eq(user.0))
        .select(companies::name)
        .first(conn)
        .optional()?;
    Ok(name.unwrap_or_default())
}

/// A password change whose current password was checked and new one hashed.
pub struct PasswordChange {
    old_hash: String,
    new_hash: HashedPassword,
}

impl PasswordChange {
    /// Checks `current` against `stored_hash`, refuses reusing it, hashes the
    /// new one (CPU only: call it on the blocking pool, without a connection).
    pub fn check(
        stored_hash: String,
        current: &str,
        new_password: &NewPassword,
    ) -> ServiceResult<PasswordChange> {
        if !verify_password(&stored_hash, current) {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "current_password",
                "error.password.wrong_current",
            )));
        }
        if verify_password(&stored_hash, new_password.expose()) {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "new_password",
                "error.password.same_as_current",
            )));
        }
        Ok(PasswordChange {
            old_hash: stored_hash,
            new_hash: HashedPassword::new(new_password),
        })
    }
}

/// Stores the new password and ends every other session of the actor; the
/// session `keep` (the one that made the change) stays signed in.
pub fn change_password(
    conn: &mut DbConnection,
    actor: &Actor,
    keep: SessionId,
    change: PasswordChange,
) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        // Guarded by the hash that was checked: a change made meanwhile elsewhere is not overwritten.
        let updated = diesel::update(
            users::table
                .find(actor.user_id.0)
                .filter(users::password_hash.eq(&change.old_hash)),
        )
        .set((
            users::password_hash.eq(change.new_hash.as_str()),
            users::must_change_password.eq(false),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(ServiceError::Conflict("sessions.error_password_changed"));
        }
        sessions::end_all(conn, actor.user_id, Some(keep))?;
        audit::record(
            conn,
            actor,
            Event {
                action: "account.password_change",
                company: actor.company_id,
                target_type: "user",
                target_id: actor.user_id.to_string(),
                detail: String::new(),
            },
        )?;
        Ok(())
    })
}

/// Creates a platform account with a generated one-time password, hashed
/// while `conn` is held: for the command line, first start and tests, which
/// own their connection. Returns the password, shown once, never stored in clear.
pub fn create_staff_account(
    conn: &mut DbConnection,
    email: &Email,
    display_name: &str,
    role: Role,
) -> ServiceResult<(User, String)> {
    let password = OneTimePassword::generate();
    let user = insert_staff_account(conn, email, display_name, role, &password)?;
    Ok((user, password.clear))
}

/// Creates a platform account whose one-time password was made beforehand.
pub fn insert_staff_account(
    conn: &mut DbConnection,
    email: &Email,
    display_name: &str,
    role: Role,
    password: &OneTimePassword,
) -> ServiceResult<User> {
    if !role.is_staff() {
        return Err(ServiceError::Forbidden);
    }
    write_tx(conn, |conn| {
        if email_taken(conn, email)? {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "email",
                "error.email.taken",
            )));
        }
        insert_user(
            conn,
            NewUser {
                email: email.as_str(),
                password_hash: &password.hashed,
                display_name,
                role: role.as_str(),
                company_id: None,
                disabled: false,
                session_epoch: 0,
                must_change_password: true,
                created_at: now(),
            },
        )
        .map_err(ServiceError::from)
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
