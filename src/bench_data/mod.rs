//! Generated data for the board: `samplepost gen-bench-data` (deterministic,
//! up to millions of reviews, for the benchmark) and the small labelled set
//! of `samplepost demo` (src/demo) share this generator.
//!
//! Every row is one the application could have written: verified companies
//! with the module active, their owners, finished orders with their
//! recipient, timeline and tracking events, what was measured of them
//! (`order_facts`) and reviews. Rows go in as multi-row INSERTs inside
//! transactions ([`batch`]); the aggregates are then built by
//! `route_stats::rebuild`, the same code `recompute-stats` runs.

mod batch;
mod bulk;
mod orders;
mod sheet;
pub mod world;

pub use bulk::TABLES as BULK_TABLES;

use crate::db::DbConnection;
use crate::db::schema::{orders as orders_table, rate_rows, routes};
use crate::services::route_stats;
use batch::{Batch, V};
use diesel::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

/// What `gen-bench-data` was asked for.
pub struct Params {
    /// New routes to import (variations of the demo routes), beside the existing ones.
    pub routes: usize,
    pub companies: usize,
    pub reviews: usize,
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub routes: usize,
    pub companies: usize,
    pub orders: u64,
    pub reviews: u64,
    /// Timeline and tracking events.
    pub events: u64,
    /// What the first `rebuild` after the insert reported (expected: nothing).
    pub differences: Vec<String>,
    /// Time spent writing rows, building the indexes again (dropped while
    /// writing) and rebuilding the aggregates.
    pub insert_time: std::time::Duration,
    pub index_time: std::time::Duration,
    pub rebuild_time: std::time::Duration,
}

/// How [`fill`] labels and decorates what it writes.
pub(crate) struct Plan {
    /// Marks reviews as demo data.
    pub demo: bool,
    /// Start of the orders' form tokens (`demo` marks the demo's orders).
    pub token_prefix: &'static str,
    /// Unreviewed orders per reviewed one.
    pub unreviewed_share: f64,
    /// Recipient confirmations, parcel checks and tickets (the demo's).
    pub extras: bool,
    /// Company names: `(zh, en)` for the n-th company.
    pub company_name: fn(usize) -> (String, String),
    /// The account of parcel checks and ticket answers, when `extras`.
    pub staff_id: Option<i64>,
    /// A bulk load ([`bulk`]: indexes dropped while writing, fast settings)
    /// with each step's time on stderr. Not for the demo's few hundred
    /// orders, which may go into a database a server is using.
    pub bulk: bool,
}

/// A route orders can go on, with one destination it serves.
#[derive(Clone)]
pub(crate) struct Lane {
    pub route: String,
    pub country: String,
    pub min_days: i64,
    pub max_days: i64,
}

/// Fills a database without orders with the benchmark's data.
pub fn generate(conn: &mut DbConnection, params: &Params) -> Result<Summary, String> {
    refuse_if_orders(conn)?;
    let mut rng = StdRng::seed_from_u64(params.seed);
    if params.routes > 0 {
        let bytes = sheet::sheet(params.routes, &mut rng)?;
        sheet::import(conn, &bytes)?;
    }
    let plan = Plan {
        demo: false,
        token_prefix: "generated",
        unreviewed_share: 0.1,
        extras: false,
        company_name: |n| {
            (
                format!("基准测试卖家 {n:04}"),
                format!("Benchmark seller {n:04}"),
            )
        },
        staff_id: None,
        bulk: true,
    };
    let mut summary = fill(conn, &mut rng, params.companies, params.reviews, &plan)?;
    summary.routes = params.routes;
    Ok(summary)
}

/// Refuses a database that has orders already: generated ids start after
/// the existing ones, but the data set is meant to be the whole picture.
fn refuse_if_orders(conn: &mut DbConnection) -> Result<(), String> {
    let orders: i64 = orders_table::table
        .count()
        .get_result(conn)
        .map_err(|e| e.to_string())?;
    if orders > 0 {
        return Err(format!(
            "the database has {orders} order(s) already; generate into an empty one"
        ));
    }
    Ok(())
}

/// Writes `companies` companies and `reviews` reviewed orders (plus the
/// unreviewed share) over every active route's destinations, then rebuilds
/// the aggregates.
pub(crate) fn fill(
    conn: &mut DbConnection,
    rng: &mut StdRng,
    companies: usize,
    reviews: usize,
    plan: &Plan,
) -> Result<Summary, String> {
    let lanes = lanes(conn).map_err(|e| e.to_string())?;
    if lanes.is_empty() {
        return Err("no active route has a rate sheet; nothing to ship on".to_owned());
    }
    let started = std::time::Instant::now();
    let companies = companies.max(1);
    let sellers = crate::db::write_tx(conn, |conn| sellers(conn, rng, companies, plan))
        .map_err(|e: diesel::result::Error| e.to_string())?;
    let load = if plan.bulk {
        Some(bulk::begin(conn).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let written = orders::write(conn, rng, &lanes, &sellers, reviews, plan);
    let insert_time = started.elapsed();
    plan.phase("rows", insert_time);
    // The indexes come back even when the writing failed.
    let indexing = std::time::Instant::now();
    let restored = load.map_or(Ok(()), |load| bulk::end(conn, load));
    let mut summary = written.map_err(|e| e.to_string())?;
    restored.map_err(|e| e.to_string())?;
    summary.index_time = indexing.elapsed();
    plan.phase("indexes", summary.index_time);
    summary.insert_time = insert_time;
    summary.companies = companies;
    reset_sequences(conn).map_err(|e| e.to_string())?;
    let rebuilding = std::time::Instant::now();
    summary.differences = route_stats::rebuild(conn).map_err(|e| e.to_string())?;
    summary.rebuild_time = rebuilding.elapsed();
    plan.phase("rebuild", summary.rebuild_time);
    Ok(summary)
}

impl Plan {
    /// A bulk load's step time on stderr as it ends: a million reviews take minutes.
    fn phase(&self, name: &str, took: std::time::Duration) {
        if self.bulk {
            eprintln!("gen-bench-data: {name} {:.1} s", took.as_secs_f64());
        }
    }
}

/// Every active route × destination of the routes' current sheets.
fn lanes(conn: &mut DbConnection) -> QueryResult<Vec<Lane>> {
    let rows: Vec<(String, String, i64, i64)> = routes::table
        .inner_join(rate_rows::table.on(rate_rows::route_code.eq(routes::code)))
        .filter(routes::current_sheet_id.eq(rate_rows::sheet_id.nullable()))
        .filter(routes::status.eq("active"))
        .select((
            routes::code,
            rate_rows::country,
            routes::transit_min_days,
            routes::transit_max_days,
        ))
        .order((routes::code.asc(), rate_rows::country.asc()))
        .load(conn)?;
    let mut lanes: Vec<Lane> = rows
        .into_iter()
        .map(|(route, country, min_days, max_days)| Lane {
            route,
            country,
            min_days,
            max_days,
        })
        .collect();
    lanes.dedup_by(|a, b| a.route == b.route && a.country == b.country);
    Ok(lanes)
}

/// A seller company as the orders need it.
pub(crate) struct Seller {
    pub company_id: i64,
    pub owner_id: i64,
    pub city: &'static str,
    pub category: &'static str,
}

/// Verified companies with the module active, each with its owner.
fn sellers(
    conn: &mut DbConnection,
    rng: &mut StdRng,
    count: usize,
    plan: &Plan,
) -> QueryResult<Vec<Seller>> {
    use rand::Rng;
    let first_company = next_id(conn, "companies")?;
    let first_user = next_id(conn, "users")?;
    let first_application = next_id(conn, "module_applications")?;
    let at = crate::services::now() - chrono::Duration::days(500);
    // One hash for all: the accounts can sign in (benchmarks of signed-in pages).
    let hash = crate::services::accounts::hash_password(SELLER_PASSWORD);
    let mut companies = Batch::new(
        "companies",
        &[
            "id",
            "name",
            "status",
            "name_zh",
            "name_en",
            "uscc",
            "sender_name",
            "sender_province",
            "sender_city",
            "module_status",
            "submitted_at",
            "created_at",
            "updated_at",
        ],
    );
    let mut users = Batch::new(
        "users",
        &[
            "id",
            "email",
            "password_hash",
            "display_name",
            "role",
            "company_id",
            "disabled",
            "created_at",
        ],
    );
    let mut applications = Batch::new(
        "module_applications",
        &[
            "id",
            "company_id",
            "status",
            "expected_monthly_parcels",
            "destinations",
            "categories",
            "agreement_version",
            "accepted_by",
            "accepted_at",
            "accepted_ip",
            "decided_at",
        ],
    );
    let mut sellers = Vec::with_capacity(count);
    for n in 0..count {
        let (company_id, owner_id) = (first_company + n as i64, first_user + n as i64);
        let (province, city) = world::CITIES[rng.gen_range(0..world::CITIES.len())];
        let category = world::CATEGORIES[rng.gen_range(0..world::CATEGORIES.len())];
        let (name_zh, name_en) = (plan.company_name)(n + 1);
        companies.row(&[
            V::Int(company_id),
            V::Text(&name_zh),
            V::Text("verified"),
            V::Text(&name_zh),
            V::Text(&name_en),
            V::Owned(format!("91440300MA{company_id:08}")),
            V::Text(&name_zh),
            V::Text(province),
            V::Text(city),
            V::Text("active"),
            V::Time(at),
            V::Time(at),
            V::Time(at),
        ]);
        let email = if plan.demo {
            format!("demo-seller-{n}@samplepost.demo")
        } else {
            format!("bench-seller-{n}@samplepost.test")
        };
        users.row(&[
            V::Int(owner_id),
            V::Owned(email),
            V::Text(&hash),
            V::Owned(format!("{name_zh} 店主")),
            V::Text("owner"),
            V::Int(company_id),
            V::Bool(false),
            V::Time(at),
        ]);
        applications.row(&[
            V::Int(first_application + n as i64),
            V::Int(company_id),
            V::Text("active"),
            V::Int(20),
            V::Text("US,DE,GB"),
            V::Text(category),
            V::Text("2026-11"),
            V::Int(owner_id),
            V::Time(at),
            V::Text("127.0.0.1"),
            V::Time(at),
        ]);
        if companies.full() {
            companies.flush(conn)?;
            users.flush(conn)?;
            applications.flush(conn)?;
        }
        sellers.push(Seller {
            company_id,
            owner_id,
            city,
            category,
        });
    }
    // Users refer to companies and applications to users: write in that order.
    companies.flush(conn)?;
    users.flush(conn)?;
    applications.flush(conn)?;
    Ok(sellers)
}

/// The password of every generated seller account.
pub const SELLER_PASSWORD: &str = "Bench-Seller-Password-42";

/// The id after the largest one in `table`.
pub(crate) fn next_id(conn: &mut DbConnection, table: &str) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Max {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
        id: Option<i64>,
    }
    let found: Max =
        diesel::sql_query(format!("SELECT MAX(id) AS id FROM {table}")).get_result(conn)?;
    Ok(found.id.unwrap_or(0) + 1)
}

/// BACKEND: PostgreSQL's id sequences do not see explicit ids; they are
/// moved past the generated rows so the application's next insert works.
fn reset_sequences(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Postgresql(_) = conn {
        use diesel::connection::SimpleConnection;
        for table in GENERATED_TABLES {
            conn.batch_execute(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))?;
        }
    }
    Ok(())
}

/// Tables the generators write explicit ids into.
const GENERATED_TABLES: &[&str] = &[
    "companies",
    "users",
    "module_applications",
    "orders",
    "order_events",
    "tracking_events",
    "reviews",
    "recipient_confirmations",
    "parcel_checks",
    "tickets",
    "ticket_messages",
];
