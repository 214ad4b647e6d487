//! The admin's route settings beyond what rate sheets carry: DDP, returns,
//! size limit, suspension with a public notice, the watchdog's days of silence.

use super::audit::{self, Event};
use super::{Actor, ServiceResult, now};
use crate::db::catalogue::{Route, RouteChanges};
use crate::db::schema::routes;
use crate::db::{DbConnection, write_tx};
use crate::domain::route::RouteStatus;
use diesel::prelude::*;

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Route>> {
    routes::table.order(routes::code.asc()).load(conn)
}

/// The codes of the routes an order may choose today (not suspended).
pub fn active_codes(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    routes::table
        .filter(routes::status.eq(RouteStatus::Active.as_str()))
        .order(routes::code.asc())
        .select(routes::code)
        .load(conn)
}

pub fn get(conn: &mut DbConnection, code: &str) -> ServiceResult<Route> {
    Ok(routes::table
        .filter(routes::code.eq(code.to_uppercase()))
        .first(conn)?)
}

/// The admin's edit of one route, already validated.
pub struct RouteSettings {
    pub name_zh: String,
    pub name_en: String,
    pub max_longest_side_mm: Option<i64>,
    pub ddp_offered: bool,
    pub returns_offered: bool,
    pub status: RouteStatus,
    pub notice: String,
    /// Days without tracking news before the watchdog opens a ticket
    /// (`None`: unchanged).
    pub silence_days: Option<i64>,
}

pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    code: &str,
    settings: RouteSettings,
) -> ServiceResult<()> {
    actor.require_admin()?;
    write_tx(conn, |conn| {
        let route = get(conn, code)?;
        diesel::update(routes::table.find(route.id))
            .set(RouteChanges {
                name_zh: settings.name_zh,
                name_en: settings.name_en,
                max_longest_side_mm: Some(settings.max_longest_side_mm),
                ddp_offered: settings.ddp_offered,
                returns_offered: settings.returns_offered,
                status: settings.status.into(),
                notice: settings.notice.clone(),
                silence_days: settings.silence_days.unwrap_or(route.silence_days),
                updated_at: now(),
            })
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Event {
                action: "route.update",
                company: None,
                target_type: "route",
                target_id: route.code.clone(),
                detail: format!(
                    "{} silence_days={} {}",
                    settings.status,
                    settings.silence_days.unwrap_or(route.silence_days),
                    settings.notice
                ),
            },
        )?;
        Ok::<(), super::ServiceError>(())
    })?;
    super::quote::catalogue_changed();
    Ok(())
}
