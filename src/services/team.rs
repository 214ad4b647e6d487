//! The company's team (issue #5): the owner invites managers and sellers by
//! a one-time link, changes roles, disables members and hands ownership on.
//! There is always exactly one owner.

use super::accounts::HashedPassword;
use super::audit::{self, By, Event};
use super::notifications::{self, notify_owner};
use super::{Actor, ServiceError, ServiceResult, now, sessions, tokens};
use crate::db::models::{Invitation, NewUser, User};
use crate::db::schema::{audit_log, companies, invitations, users};
use crate::db::{DbConnection, write_tx};
use crate::domain::email::Email;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::status::Role;
use chrono::Duration;
use diesel::prelude::*;

/// How long an invitation link works.
pub const VALID_DAYS: i64 = 7;

/// The roles an owner can give.
fn member_role(role: &str) -> Result<Role, FieldErrors> {
    match Role::parse(role.trim()) {
        Ok(role @ (Role::Manager | Role::Seller)) => Ok(role),
        _ => Err(FieldErrors::single("role", "error.team.role")),
    }
}

fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    company: CompanyId,
    target: String,
    detail: String,
) -> QueryResult<()> {
    audit::record(
        conn,
        actor,
        Event {
            action,
            company: Some(company),
            target_type: "user",
            target_id: target,
            detail,
        },
    )
}

/// The company's members (owner first) and its invitations, newest first.
pub fn overview(
    conn: &mut DbConnection,
    actor: &Actor,
) -> ServiceResult<(Vec<User>, Vec<Invitation>)> {
    let company = actor.require_owner()?;
    let mut members: Vec<User> = users::table
        .filter(users::company_id.eq(company.0))
        .order(users::created_at.asc())
        .load(conn)?;
    members.sort_by_key(|user| user.role != Role::Owner);
    let invitations = invitations::table
        .filter(invitations::company_id.eq(company.0))
        .order(invitations::created_at.desc())
        .limit(200)
        .load(conn)?;
    Ok((members, invitations))
}

/// Invites `email` as a manager or seller; returns the link's token, which
/// is shown to the owner once (only its hash is kept).
pub fn invite(
    conn: &mut DbConnection,
    actor: &Actor,
    email: &str,
    role: &str,
    per_day: u32,
) -> ServiceResult<String> {
    let company = actor.require_owner()?;
    let mut errors = FieldErrors::new();
    let email = errors.check("email", Email::parse(email), |e| e.message_key());
    let role = match member_role(role) {
        Ok(role) => Some(role),
        Err(role_errors) => {
            errors.merge_prefixed("", role_errors);
            None
        }
    };
    let (Some(email), Some(role)) = (email, role) else {
        return Err(ServiceError::Invalid(errors));
    };
    write_tx(conn, |conn| {
        within_daily_limit(conn, company, per_day, "email")?;
        let taken: bool = diesel::select(diesel::dsl::exists(
            users::table.filter(users::email.eq(email.as_str())),
        ))
        .get_result(conn)?;
        if taken {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "email",
                "error.team.has_account",
            )));
        }
        let pending: bool = diesel::select(diesel::dsl::exists(
            invitations::table
                .filter(invitations::company_id.eq(company.0))
                .filter(invitations::email.eq(email.as_str()))
                .filter(invitations::accepted_at.is_null())
                .filter(invitations::revoked_at.is_null())
                .filter(invitations::expires_at.gt(now())),
        ))
        .get_result(conn)?;
        if pending {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "email",
                "error.team.already_invited",
            )));
        }
        let token = tokens::generate();
        let at = now();
        diesel::insert_into(invitations::table)
            .values((
                invitations::company_id.eq(company.0),
                invitations::email.eq(email.as_str()),
                invitations::role.eq(role.as_str()),
                invitations::token_sha256.eq(tokens::digest(&token)),
                invitations::invited_by.eq(actor.user_id.0),
                invitations::created_at.eq(at),
                invitations::expires_at.eq(at + Duration::days(VALID_DAYS)),
            ))
            .execute(conn)?;
        record(
            conn,
            actor,
            "team.invite",
            company,
            email.as_str().to_owned(),
            role.as_str().to_owned(),
        )?;
        mail_invitation(conn, company, email.as_str(), &token)?;
        Ok(token)
    })
}

/// Invitations (and resent links) of the last 24 hours stay under the
/// company's daily limit, so a compromised or careless owner account cannot
/// turn the platform into a mail cannon. Counted from the audit log, which
/// records every invite and resend.
fn within_daily_limit(
    conn: &mut DbConnection,
    company: CompanyId,
    per_day: u32,
    field: &'static str,
) -> ServiceResult<()> {
    let sent: i64 = audit_log::table
        .filter(audit_log::company_id.eq(company.0))
        .filter(audit_log::action.eq_any(["team.invite", "team.invite.resend"]))
        .filter(audit_log::at.gt(now() - Duration::days(1)))
        .count()
        .get_result(conn)?;
    if sent >= i64::from(per_day) {
        return Err(ServiceError::Invalid(FieldErrors::single(
            field,
            "error.team.daily_limit",
        )));
    }
    Ok(())
}

/// Sends the invitation link by e-mail (through the outbox).
fn mail_invitation(
    conn: &mut DbConnection,
    company: CompanyId,
    email: &str,
    token: &str,
) -> QueryResult<()> {
    let name: String = companies::table
        .find(company.0)
        .select(companies::name)
        .first(conn)?;
    notifications::mail(
        conn,
        None,
        email,
        "team.invitation",
        &name,
        &format!("/invite/{token}"),
    )
}

fn pending_invitation(
    conn: &mut DbConnection,
    company: CompanyId,
    id: i64,
) -> ServiceResult<Invitation> {
    let invitation: Invitation = invitations::table
        .filter(invitations::id.eq(id))
        .filter(invitations::company_id.eq(company.0))
        .first(conn)?;
    if invitation.accepted_at.is_some() {
        return Err(ServiceError::Conflict("error.team.invitation_used"));
    }
    Ok(invitation)
}

/// A new link for an invitation (also one that expired or was revoked):
/// the old link stops working and the 7 days start again.
pub fn resend(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    per_day: u32,
) -> ServiceResult<String> {
    let company = actor.require_owner()?;
    write_tx(conn, |conn| {
        let invitation = pending_invitation(conn, company, id)?;
        within_daily_limit(conn, company, per_day, "invitation")?;
        let token = tokens::generate();
        diesel::update(invitations::table.find(invitation.id))
            .set((
                invitations::token_sha256.eq(tokens::digest(&token)),
                invitations::expires_at.eq(now() + Duration::days(VALID_DAYS)),
                invitations::revoked_at.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(conn)?;
        record(
            conn,
            actor,
            "team.invite.resend",
            company,
            invitation.email.clone(),
            String::new(),
        )?;
        mail_invitation(conn, company, &invitation.email, &token)?;
        Ok(token)
    })
}

/// Withdraws an invitation; its link stops working.
pub fn revoke(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    let company = actor.require_owner()?;
    write_tx(conn, |conn| {
        let invitation = pending_invitation(conn, company, id)?;
        diesel::update(invitations::table.find(invitation.id))
            .set(invitations::revoked_at.eq(Some(now())))
            .execute(conn)?;
        record(
            conn,
            actor,
            "team.invite.revoke",
            company,
            invitation.email,
            String::new(),
        )?;
        Ok(())
    })
}

pub use crate::services::LinkProblem;

/// The invitation behind a link, with the company's name, while it works.
pub fn open(
    conn: &mut DbConnection,
    token: &str,
) -> ServiceResult<Result<(Invitation, String), LinkProblem>> {
    let invitation: Option<Invitation> = invitations::table
        .filter(invitations::token_sha256.eq(tokens::digest(token)))
        .first(conn)
        .optional()?;
    let Some(invitation) = invitation else {
        return Ok(Err(LinkProblem::Unknown));
    };
    match invitation.state(now()) {
        "pending" => {}
        "expired" => return Ok(Err(LinkProblem::Expired)),
        _ => return Ok(Err(LinkProblem::Unknown)),
    }
    let company: String = companies::table
        .find(invitation.company_id)
        .select(companies::name)
        .first(conn)?;
    Ok(Ok((invitation, company)))
}

/// The invitee chooses a name and password (hashed beforehand, off the
/// connection) and joins the company.
pub fn accept(
    conn: &mut DbConnection,
    token: &str,
    display_name: &str,
    password: &HashedPassword,
    ip: &str,
) -> ServiceResult<Result<User, LinkProblem>> {
    let display_name = crate::domain::text::required(display_name, 60)
        .map_err(|key| ServiceError::Invalid(FieldErrors::single("display_name", key)))?;
    write_tx(conn, |conn| {
        let (invitation, _) = match open(conn, token)? {
            Ok(found) => found,
            Err(problem) => return Ok(Err(problem)),
        };
        let taken: bool = diesel::select(diesel::dsl::exists(
            users::table.filter(users::email.eq(&invitation.email)),
        ))
        .get_result(conn)?;
        if taken {
            return Err(ServiceError::Conflict("error.team.has_account"));
        }
        let at = now();
        diesel::insert_into(users::table)
            .values(NewUser {
                email: &invitation.email,
                password_hash: password.as_str(),
                display_name: &display_name,
                role: invitation.role.as_str(),
                company_id: Some(invitation.company_id),
                disabled: false,
                session_epoch: 0,
                must_change_password: false,
                created_at: at,
            })
            .execute(conn)?;
        let user: User = users::table
            .filter(users::email.eq(&invitation.email))
            .first(conn)?;
        diesel::update(invitations::table.find(invitation.id))
            .set((
                invitations::accepted_at.eq(Some(at)),
                invitations::accepted_user_id.eq(Some(user.id)),
            ))
            .execute(conn)?;
        let company = CompanyId(invitation.company_id);
        audit::record(
            conn,
            By::user(&user, ip),
            Event {
                action: "team.join",
                company: Some(company),
                target_type: "user",
                target_id: user.id.to_string(),
                detail: invitation.role.as_str().to_owned(),
            },
        )?;
        notify_owner(
            conn,
            company,
            "team.invitation_accepted",
            &user.email,
            "/app/team",
        )?;
        Ok(Ok(user))
    })
}

/// Another member of the owner's company (never the owner themself).
fn other_member(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<User> {
    let company = actor.require_owner()?;
    if id == actor.user_id.0 {
        return Err(ServiceError::Conflict("error.team.not_yourself"));
    }
    Ok(users::table
        .filter(users::id.eq(id))
        .filter(users::company_id.eq(company.0))
        .first(conn)?)
}

/// Makes a member a manager or a seller.
pub fn change_role(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    role: &str,
) -> ServiceResult<()> {
    let role = member_role(role).map_err(ServiceError::Invalid)?;
    write_tx(conn, |conn| {
        let member = other_member(conn, actor, id)?;
        diesel::update(users::table.find(member.id))
            .set(users::role.eq(role.as_str()))
            .execute(conn)?;
        record(
            conn,
            actor,
            "team.role",
            CompanyId(member.company_id.unwrap_or_default()),
            member.id.to_string(),
            format!("{} → {}", member.role, role),
        )?;
        Ok(())
    })
}

/// Disables a member (every session of theirs ends) or enables them again.
pub fn set_disabled(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    disabled: bool,
) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let member = other_member(conn, actor, id)?;
        diesel::update(users::table.find(member.id))
            .set(users::disabled.eq(disabled))
            .execute(conn)?;
        if disabled {
            sessions::end_all(conn, UserId(member.id), None)?;
        }
        record(
            conn,
            actor,
            if disabled {
                "team.disable"
            } else {
                "team.enable"
            },
            CompanyId(member.company_id.unwrap_or_default()),
            member.id.to_string(),
            member.email,
        )?;
        Ok(())
    })
}

/// Hands ownership to an active member; the former owner becomes a manager.
pub fn transfer_ownership(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let member = other_member(conn, actor, id)?;
        if member.disabled {
            return Err(ServiceError::Conflict("error.team.disabled_member"));
        }
        diesel::update(users::table.find(member.id))
            .set(users::role.eq(Role::Owner.as_str()))
            .execute(conn)?;
        diesel::update(users::table.find(actor.user_id.0))
            .set(users::role.eq(Role::Manager.as_str()))
            .execute(conn)?;
        record(
            conn,
            actor,
            "team.transfer_ownership",
            CompanyId(member.company_id.unwrap_or_default()),
            member.id.to_string(),
            member.email,
        )?;
        Ok(())
    })
}
