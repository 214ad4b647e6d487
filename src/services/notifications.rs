//! The in-app notification centre. Notifications are written in the same
//! transaction as the change they announce.

use super::{Page, ServiceResult};
use crate::db::DbConnection;
use crate::db::models::{NewNotification, Notification};
use crate::db::schema::{notifications, users};
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::status::Role;
use diesel::prelude::*;

/// Tells every owner of `company` (there is one) about `kind`.
pub fn notify_owner(
    conn: &mut DbConnection,
    company: CompanyId,
    kind: &str,
    detail: &str,
    link: &str,
) -> QueryResult<()> {
    let owners: Vec<i64> = users::table
        .filter(users::company_id.eq(company.0))
        .filter(users::role.eq(Role::Owner.as_str()))
        .select(users::id)
        .load(conn)?;
    for user_id in owners {
        diesel::insert_into(notifications::table)
            .values(NewNotification {
                user_id,
                kind,
                detail,
                link,
                created_at: super::now(),
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Tells one user about `kind`.
pub fn notify_user(
    conn: &mut DbConnection,
    user: UserId,
    kind: &str,
    detail: &str,
    link: &str,
) -> QueryResult<()> {
    diesel::insert_into(notifications::table)
        .values(NewNotification {
            user_id: user.0,
            kind,
            detail,
            link,
            created_at: super::now(),
        })
        .execute(conn)?;
    Ok(())
}

pub fn unread_count(conn: &mut DbConnection, user: UserId) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user.0))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

/// The user's notifications, newest first.
pub fn list(conn: &mut DbConnection, user: UserId, page: i64) -> ServiceResult<Page<Notification>> {
    let rows = notifications::table
        .filter(notifications::user_id.eq(user.0))
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .offset(Page::<Notification>::offset(page))
        .limit(Page::<Notification>::SIZE + 1)
        .load(conn)?;
    Ok(Page::from_rows(rows, page))
}

pub fn mark_all_read(conn: &mut DbConnection, user: UserId) -> ServiceResult<()> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user.0))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(super::now())))
    .execute(conn)?;
    Ok(())
}
