//! A lease on a background job shared by every instance (`job_leases`): the
//! instance that takes it runs the round, the others skip. One guarded
//! UPDATE decides, so it works the same on PostgreSQL and SQLite.

use crate::db::DbConnection;
use crate::db::schema::job_leases;
use crate::with_backend;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// One instance's claim on a named job.
#[derive(Clone, Debug)]
pub struct Lease {
    name: &'static str,
    holder: String,
}

/// When the job last finished a round, and what the round counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastRound {
    pub at: NaiveDateTime,
    pub count: i64,
}

impl Lease {
    /// A claim on `name` by this process (its id and a random tag, so two
    /// processes on one machine differ).
    pub fn new(name: &'static str) -> Lease {
        Lease {
            name,
            holder: format!("{}-{:08x}", std::process::id(), rand::random::<u32>()),
        }
    }

    /// Takes the lease until `now + hold_for` when nobody holds it. With
    /// `every`, only when the last round finished at least that long ago
    /// (the periodic loop; a round asked for by hand passes `None`).
    pub fn take(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
        hold_for: Duration,
        every: Option<Duration>,
    ) -> QueryResult<bool> {
        self.ensure_row(conn)?;
        let free = job_leases::table
            .filter(job_leases::name.eq(self.name))
            .filter(job_leases::leased_until.le(now));
        let claim = (
            job_leases::holder.eq(&self.holder),
            job_leases::leased_until.eq(now + hold_for),
        );
        let taken = match every {
            Some(every) => diesel::update(
                free.filter(
                    job_leases::last_round_at
                        .is_null()
                        .or(job_leases::last_round_at.le(now - every)),
                ),
            )
            .set(claim)
            .execute(conn)?,
            None => diesel::update(free).set(claim).execute(conn)?,
        };
        Ok(taken == 1)
    }

    /// Gives the lease back and records the round, if this instance still holds it.
    pub fn finish(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
        count: i64,
    ) -> QueryResult<()> {
        diesel::update(
            job_leases::table
                .filter(job_leases::name.eq(self.name))
                .filter(job_leases::holder.eq(&self.holder)),
        )
        .set((
            job_leases::leased_until.eq(now),
            job_leases::last_round_at.eq(Some(now)),
            job_leases::last_round_count.eq(count),
        ))
        .execute(conn)?;
        Ok(())
    }

    /// The job's row, created free the first time; two instances creating
    /// it at once is fine (the second insert does nothing).
    fn ensure_row(&self, conn: &mut DbConnection) -> QueryResult<()> {
        with_backend!(&mut *conn, |c| diesel::insert_into(job_leases::table)
            .values((
                job_leases::name.eq(self.name),
                job_leases::holder.eq(""),
                job_leases::leased_until.eq(NaiveDateTime::default()),
                job_leases::last_round_count.eq(0_i64),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        Ok(())
    }
}

/// The last finished round of job `name`, if it ever ran.
pub fn last_round(conn: &mut DbConnection, name: &str) -> QueryResult<Option<LastRound>> {
    let row: Option<(Option<NaiveDateTime>, i64)> = job_leases::table
        .filter(job_leases::name.eq(name))
        .select((job_leases::last_round_at, job_leases::last_round_count))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(at, count)| at.map(|at| LastRound { at, count })))
}
