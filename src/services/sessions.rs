//! Server-side sessions (issue #8): started at sign-in, checked on every
//! request, ended by signing out, from `/account/sessions`, by a password
//! change or a disabled account, and by the idle and absolute limits.

use super::audit::{self, By, Event};
use super::{Actor, ServiceError, ServiceResult, now, tokens};
use crate::config::SessionLifetime;
use crate::db::models::User;
use crate::db::sessions::{self as rows, NewSession, Session};
use crate::db::{DbConnection, write_tx};
use crate::domain::ids::{CompanyId, SessionId, UserId};
use crate::domain::user_agent;
use chrono::Duration;
use diesel::QueryResult;

/// `last_seen_at` is written at most this often per session, so pages do not
/// write on every request; against an idle limit of hours a minute is noise.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

/// Ended sessions stay this long (a month of "where was I signed in"), then go.
const KEEP_DAYS: i64 = 30;

/// Starts a session for `user` and returns its token for the cookie; the
/// database keeps only the token's SHA-256. `previous`, the token this
/// browser carried before (signing in again, registering while signed in),
/// ends, so it does not linger in a session list until it times out.
pub fn start(
    conn: &mut DbConnection,
    user: UserId,
    previous: Option<&str>,
    user_agent_header: &str,
    ip: &str,
    lifetime: &SessionLifetime,
) -> QueryResult<String> {
    let token = tokens::generate();
    let at = now();
    if let Some((old, _)) = previous
        .map(|previous| rows::find_by_digest(conn, &tokens::digest(previous)))
        .transpose()?
        .flatten()
    {
        rows::end_one(conn, old.user_id, old.id, at)?;
    }
    // Pruning one user's old rows at sign-in keeps the table small for free.
    rows::prune_user(conn, user.0, at - Duration::days(KEEP_DAYS))?;
    rows::insert(
        conn,
        &NewSession {
            token_sha256: &tokens::digest(&token),
            user_id: user.0,
            created_at: at,
            last_seen_at: at,
            expires_at: at + lifetime.max(),
            user_agent: &user_agent::clean(user_agent_header),
            ip,
        },
    )?;
    Ok(token)
}

/// The live session behind `token` and its user, or `None`. A session past
/// its idle or absolute limit, or of a disabled user, is ended on the way.
pub fn check(
    conn: &mut DbConnection,
    token: &str,
    lifetime: &SessionLifetime,
) -> QueryResult<Option<(SessionId, User)>> {
    let Some((session, user)) = rows::find_by_digest(conn, &tokens::digest(token))? else {
        return Ok(None);
    };
    if session.ended_at.is_some() {
        return Ok(None);
    }
    let at = now();
    let idle = at - session.last_seen_at >= lifetime.idle();
    // Both limits, so lowering SESSION_MAX_DAYS also shortens sessions already running.
    let expired = at >= session.expires_at || at - session.created_at >= lifetime.max();
    if idle || expired || user.disabled {
        rows::end_one(conn, user.id, session.id, at)?;
        return Ok(None);
    }
    if at - session.last_seen_at >= Duration::seconds(TOUCH_EVERY_SECONDS) {
        rows::touch(conn, session.id, at)?;
    }
    Ok(Some((SessionId(session.id), user)))
}

/// Ends the session behind `token` (signing out); audited when it was alive.
pub fn sign_out(conn: &mut DbConnection, token: &str, ip: &str) -> QueryResult<()> {
    let Some((session, user)) = rows::find_by_digest(conn, &tokens::digest(token))? else {
        return Ok(());
    };
    if rows::end_one(conn, user.id, session.id, now())? == 0 {
        return Ok(());
    }
    audit::record(
        conn,
        By::user(&user, ip),
        Event {
            action: "auth.sign_out",
            company: user.company_id.map(CompanyId),
            target_type: "session",
            target_id: session.id.to_string(),
            detail: String::new(),
        },
    )
}

/// The actor's live sessions, most recently used first.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    lifetime: &SessionLifetime,
) -> ServiceResult<Vec<Session>> {
    let at = now();
    Ok(rows::alive_of_user(
        conn,
        actor.user_id.0,
        at - lifetime.idle(),
        at,
    )?)
}

/// Ends another of the actor's sessions ("end this one"); the current one
/// ends by signing out.
pub fn end_other(
    conn: &mut DbConnection,
    actor: &Actor,
    current: SessionId,
    target: SessionId,
) -> ServiceResult<()> {
    if target == current {
        return Err(ServiceError::Conflict("sessions.error_current"));
    }
    write_tx(conn, |conn| {
        // Someone else's session or one already ended: nothing of the actor's to end.
        if rows::end_one(conn, actor.user_id.0, target.0, now())? == 0 {
            return Err(diesel::result::Error::NotFound.into());
        }
        audit::record(
            conn,
            actor,
            Event {
                action: "session.end",
                company: actor.company_id,
                target_type: "session",
                target_id: target.to_string(),
                detail: String::new(),
            },
        )?;
        Ok(())
    })
}

/// Ends every session of the actor but the current one; returns how many.
pub fn end_others(
    conn: &mut DbConnection,
    actor: &Actor,
    current: SessionId,
) -> ServiceResult<usize> {
    write_tx(conn, |conn| {
        let ended = end_all(conn, actor.user_id, Some(current))?;
        audit::record(
            conn,
            actor,
            Event {
                action: "session.end_others",
                company: actor.company_id,
                target_type: "user",
                target_id: actor.user_id.to_string(),
                detail: ended.to_string(),
            },
        )?;
        Ok(ended)
    })
}

/// Ends every open session of `user` but `except`: a password change keeps
/// the session that made it, disabling an account keeps none. The caller
/// audits its own action in the same transaction.
pub fn end_all(
    conn: &mut DbConnection,
    user: UserId,
    except: Option<SessionId>,
) -> QueryResult<usize> {
    rows::end_all(conn, user.0, except.map(|id| id.0), now())
}
