//! Rows of server-side sessions. A row is alive while `ended_at` is NULL and
//! neither its idle nor its absolute limit has passed; the cookie holds the
//! token, the row only its SHA-256.

use super::DbConnection;
use super::models::User;
use super::schema::{sessions, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: i64,
    pub token_sha256: String,
    pub user_id: i64,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub user_agent: String,
    pub ip: String,
    pub ended_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub token_sha256: &'a str,
    pub user_id: i64,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub user_agent: &'a str,
    pub ip: &'a str,
}

pub fn insert(conn: &mut DbConnection, row: &NewSession) -> QueryResult<usize> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)
}

/// The session with this token digest and its user, ended or not.
pub fn find_by_digest(
    conn: &mut DbConnection,
    digest: &str,
) -> QueryResult<Option<(Session, User)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::token_sha256.eq(digest))
        .select((Session::as_select(), users::all_columns))
        .first::<(Session, User)>(conn)
        .optional()
}

/// The user's sessions that are neither ended nor past `idle_since` /
/// `now`; most recently used first.
pub fn alive_of_user(
    conn: &mut DbConnection,
    user_id: i64,
    idle_since: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::ended_at.is_null())
        .filter(sessions::last_seen_at.gt(idle_since))
        .filter(sessions::expires_at.gt(now))
        .order((sessions::last_seen_at.desc(), sessions::id.desc()))
        .select(Session::as_select())
        .load(conn)
}

/// Ends one open session of `user_id`; 0 when it is not theirs or already ended.
pub fn end_one(
    conn: &mut DbConnection,
    user_id: i64,
    id: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(id))
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(Some(at)))
    .execute(conn)
}

/// Ends every open session of `user_id` but `except`. Returns how many ended.
pub fn end_all(
    conn: &mut DbConnection,
    user_id: i64,
    except: Option<i64>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::ended_at.is_null())
            // Ids start at 1, so 0 spares nothing.
            .filter(sessions::id.ne(except.unwrap_or(0))),
    )
    .set(sessions::ended_at.eq(Some(at)))
    .execute(conn)
}

pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(at))
        .execute(conn)
}

/// Deletes the user's sessions that ended (or expired) before `before`, so
/// the table holds about one month of history per user.
pub fn prune_user(
    conn: &mut DbConnection,
    user_id: i64,
    before: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(
                sessions::ended_at
                    .lt(before)
                    .or(sessions::expires_at.lt(before))
                    .or(sessions::last_seen_at.lt(before)),
            ),
    )
    .execute(conn)
}
