//! Rows of password-reset links. A row is usable while `used_at` and
//! `replaced_at` are NULL and `expires_at` has not passed; the mail holds the
//! token, the row only its SHA-256.

use super::DbConnection;
use super::models::User;
use super::schema::{password_resets, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = password_resets)]
pub struct PasswordReset {
    pub id: i64,
    pub user_id: i64,
    pub token_sha256: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub replaced_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = password_resets)]
pub struct NewPasswordReset<'a> {
    pub user_id: i64,
    pub token_sha256: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &NewPasswordReset) -> QueryResult<usize> {
    diesel::insert_into(password_resets::table)
        .values(row)
        .execute(conn)
}

/// The link with this token digest and its user, whatever its state.
pub fn find_by_digest(
    conn: &mut DbConnection,
    digest: &str,
) -> QueryResult<Option<(PasswordReset, User)>> {
    password_resets::table
        .inner_join(users::table)
        .filter(password_resets::token_sha256.eq(digest))
        .select((PasswordReset::as_select(), users::all_columns))
        .first::<(PasswordReset, User)>(conn)
        .optional()
}

/// How many links the user was sent since `since`.
pub fn count_since(
    conn: &mut DbConnection,
    user_id: i64,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    password_resets::table
        .filter(password_resets::user_id.eq(user_id))
        .filter(password_resets::created_at.gt(since))
        .count()
        .get_result(conn)
}

/// Retires the user's open links (a newer one replaces them) and deletes
/// rows made before `prune_before`.
pub fn replace_open(
    conn: &mut DbConnection,
    user_id: i64,
    at: NaiveDateTime,
    prune_before: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        password_resets::table
            .filter(password_resets::user_id.eq(user_id))
            .filter(password_resets::created_at.lt(prune_before)),
    )
    .execute(conn)?;
    diesel::update(
        password_resets::table
            .filter(password_resets::user_id.eq(user_id))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::replaced_at.is_null()),
    )
    .set(password_resets::replaced_at.eq(Some(at)))
    .execute(conn)?;
    Ok(())
}

/// Marks the link used; 0 when it was used or replaced meanwhile.
pub fn mark_used(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        password_resets::table
            .find(id)
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::replaced_at.is_null()),
    )
    .set(password_resets::used_at.eq(Some(at)))
    .execute(conn)
}
