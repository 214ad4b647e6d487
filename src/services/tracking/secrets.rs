//! Carriers' webhook secrets (admin): one per carrier, rotated with an
//! overlap so the carrier can switch without a refused event.

use crate::db::schema::{carrier_secrets, carriers};
use crate::db::{DbConnection, write_tx};
use crate::services::{Actor, ServiceError, ServiceResult, audit, now};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;

/// How long the previous secret stays valid after a rotation.
pub const OVERLAP_HOURS: i64 = 24;

/// A carrier and when its secret was set (the secret itself is never listed).
#[derive(Clone, Debug)]
pub struct CarrierSecretRow {
    pub code: String,
    pub name: String,
    pub rotated_at: Option<NaiveDateTime>,
    /// The previous secret is still accepted until then.
    pub previous_until: Option<NaiveDateTime>,
}

/// Every active carrier with the state of its secret.
pub fn secrets(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<CarrierSecretRow>> {
    actor.require_admin()?;
    let now = now();
    let rows: Vec<(String, String, Option<NaiveDateTime>, Option<NaiveDateTime>)> = carriers::table
        .left_join(carrier_secrets::table)
        .filter(carriers::active.eq(true))
        .order(carriers::code.asc())
        .select((
            carriers::code,
            carriers::name,
            carrier_secrets::rotated_at.nullable(),
            carrier_secrets::previous_until.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(code, name, rotated_at, previous_until)| CarrierSecretRow {
                code,
                name,
                rotated_at,
                previous_until: previous_until.filter(|until| *until > now),
            },
        )
        .collect())
}

/// Sets a new secret for `carrier` and returns it (shown once); the old one
/// stays valid for [`OVERLAP_HOURS`].
pub fn rotate_secret(
    conn: &mut DbConnection,
    actor: &Actor,
    carrier: &str,
) -> ServiceResult<String> {
    actor.require_admin()?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let code = carrier.trim().to_ascii_uppercase();
    write_tx(conn, |conn| {
        let known: bool = diesel::select(diesel::dsl::exists(
            carriers::table
                .filter(carriers::code.eq(&code))
                .filter(carriers::active.eq(true)),
        ))
        .get_result(conn)?;
        if !known {
            return Err(ServiceError::Db(diesel::result::Error::NotFound));
        }
        let at = now();
        let old: Option<String> = carrier_secrets::table
            .find(&code)
            .select(carrier_secrets::secret)
            .first(conn)
            .optional()?;
        match old {
            Some(old) => {
                diesel::update(carrier_secrets::table.find(&code))
                    .set((
                        carrier_secrets::secret.eq(&secret),
                        carrier_secrets::previous_secret.eq(Some(old)),
                        carrier_secrets::previous_until
                            .eq(Some(at + Duration::hours(OVERLAP_HOURS))),
                        carrier_secrets::rotated_by.eq(actor.user_id.0),
                        carrier_secrets::rotated_at.eq(at),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(carrier_secrets::table)
                    .values((
                        carrier_secrets::carrier.eq(&code),
                        carrier_secrets::secret.eq(&secret),
                        carrier_secrets::rotated_by.eq(actor.user_id.0),
                        carrier_secrets::rotated_at.eq(at),
                    ))
                    .execute(conn)?;
            }
        }
        audit::record(
            conn,
            actor,
            audit::Event {
                action: "carrier.secret_rotated",
                company: None,
                target_type: "carrier",
                target_id: code.clone(),
                detail: String::new(),
            },
        )?;
        Ok(())
    })?;
    Ok(secret)
}
