//! `samplepost check`: the invariants no crash may break, read from one
//! snapshot. Each finding is one line; none means the database is whole.
//!
//! - no company's balance is below zero (there is no credit line: a
//!   payment that would overdraw is refused, DESIGN notes "No credit line");
//! - no order was charged while it is still before payment (a payment
//!   entry without its refund on a draft, pending or approved order);
//! - every order's status is the `to_status` of its last event (every
//!   move goes through `orders::transition`, which writes both);
//! - the board's statistics equal a recompute from raw rows.

use crate::db::DbConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

#[derive(QueryableByName)]
struct Overdrawn {
    #[diesel(sql_type = BigInt)]
    company_id: i64,
    #[diesel(sql_type = BigInt)]
    balance: i64,
}

#[derive(QueryableByName)]
struct Mismatch {
    #[diesel(sql_type = Text)]
    order_no: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    last: String,
}

#[derive(QueryableByName)]
struct Charged {
    #[diesel(sql_type = Text)]
    order_no: String,
    #[diesel(sql_type = Text)]
    status: String,
}

/// Every broken invariant, one line each, from one snapshot.
pub fn findings(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    conn.transaction(|conn| {
        // BACKEND: PostgreSQL's default isolation reads each statement's own
        // snapshot; one snapshot for all checks needs REPEATABLE READ. A
        // SQLite read transaction is one snapshot already.
        if let DbConnection::Postgresql(_) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(conn)?;
        }
        let mut found = Vec::new();
        // SUM of a BIGINT is NUMERIC on PostgreSQL; the cast keeps one type.
        let overdrawn: Vec<Overdrawn> = diesel::sql_query(
            "SELECT company_id, CAST(SUM(amount_fen) AS BIGINT) AS balance \
             FROM ledger_entries GROUP BY company_id HAVING SUM(amount_fen) < 0 \
             ORDER BY company_id",
        )
        .load(conn)?;
        found.extend(overdrawn.iter().map(|o| {
            format!(
                "company {}: balance {} fen is below zero",
                o.company_id, o.balance
            )
        }));
        let charged: Vec<Charged> = diesel::sql_query(
            "SELECT o.order_no, o.status FROM orders o \
             WHERE o.status IN ('awaiting_address', 'draft', 'pending_approval', 'approved') \
             AND (SELECT COUNT(*) FROM ledger_entries l \
                  WHERE l.order_id = o.id AND l.kind = 'payment') \
               > (SELECT COUNT(*) FROM ledger_entries l \
                  WHERE l.order_id = o.id AND l.kind = 'refund') \
             ORDER BY o.id",
        )
        .load(conn)?;
        found.extend(charged.iter().map(|c| {
            format!(
                "order {}: charged but still {} (a payment without its move to paid)",
                c.order_no, c.status
            )
        }));
        let mismatched: Vec<Mismatch> = diesel::sql_query(
            "SELECT o.order_no, o.status, e.to_status AS last FROM orders o \
             JOIN order_events e ON e.id = \
               (SELECT MAX(id) FROM order_events WHERE order_id = o.id) \
             WHERE e.to_status <> o.status ORDER BY o.id",
        )
        .load(conn)?;
        found.extend(mismatched.iter().map(|m| {
            format!(
                "order {}: status {} but its last event moved it to {}",
                m.order_no, m.status, m.last
            )
        }));
        found.extend(
            super::route_stats::differences(conn)?
                .into_iter()
                .map(|line| format!("statistics: {line}")),
        );
        Ok(found)
    })
}
