//! Reading and writing the aggregate tables for [`Aggregates`]: the rows a
//! change touches (locked first), or all of them for the rebuild.
//!
//! BACKEND: on PostgreSQL two transactions changing the same route would
//! each read the other's rows before it commits; every change therefore
//! first locks its scope rows in one order (sorted), so changes to one route
//! queue. On SQLite `BEGIN IMMEDIATE` already lets one writer in at a time.

use super::aggregates::{Aggregates, Scope, kind_name};
use crate::db::DbConnection;
use crate::db::route_stats::{
    OrderFacts, RouteCompanyWeight, RouteFacts, RouteHistogram, RouteMonth, RouteStats,
};
use crate::db::schema::{
    order_facts, route_company_weights, route_facts, route_histograms, route_months, route_stats,
};
use diesel::prelude::*;
use std::collections::BTreeSet;

/// BACKEND: a multi-row INSERT, which diesel builds for each backend but
/// not through the multi-backend connection.
macro_rules! batch_insert {
    ($conn:expr, $table:expr, $rows:expr) => {
        crate::with_backend!(&mut *$conn, |c| diesel::insert_into($table)
            .values($rows)
            .execute(c))?
    };
}

/// BACKEND: makes sure the rows of `keys` exist in `$table` and, on
/// PostgreSQL, holds them until commit.
macro_rules! lock_rows {
    ($conn:expr, $keys:expr, $table:ident) => {{
        for (route, country) in $keys {
            crate::with_backend!(&mut *$conn, |c| diesel::insert_into($table::table)
                .values(($table::route_code.eq(route), $table::country.eq(country)))
                .on_conflict_do_nothing()
                .execute(c))?;
            if let DbConnection::Postgresql(pg) = $conn {
                $table::table
                    .find((route, country))
                    .select($table::route_code)
                    .for_update()
                    .first::<String>(pg)?;
            }
        }
        Ok(())
    }};
}

/// Makes sure the review rows of `keys` exist and holds them until commit.
pub fn lock_stats(conn: &mut DbConnection, keys: &BTreeSet<Scope>) -> QueryResult<()> {
    lock_rows!(conn, keys, route_stats)
}

/// Makes sure the facts rows of `keys` exist and holds them until commit.
pub fn lock_facts(conn: &mut DbConnection, keys: &BTreeSet<Scope>) -> QueryResult<()> {
    lock_rows!(conn, keys, route_facts)
}

/// Loads the review rows of `keys`, every company row of the route scopes
/// among them (the cap needs them all) and the given months.
pub fn load_reviews(
    conn: &mut DbConnection,
    keys: &BTreeSet<Scope>,
    months: &BTreeSet<(String, String)>,
) -> QueryResult<Aggregates> {
    let mut agg = Aggregates::default();
    for (route, country) in keys {
        let row: RouteStats = route_stats::table
            .find((route, country))
            .select(RouteStats::as_select())
            .first(conn)?;
        agg.stats.insert((route.clone(), country.clone()), row);
        if !route.is_empty() {
            let companies: Vec<RouteCompanyWeight> = route_company_weights::table
                .filter(route_company_weights::route_code.eq(route))
                .filter(route_company_weights::country.eq(country))
                .select(RouteCompanyWeight::as_select())
                .load(conn)?;
            companies.into_iter().for_each(|row| agg.put_company(row));
        }
    }
    for (route, month) in months {
        let row: Option<RouteMonth> = route_months::table
            .find((route, month))
            .select(RouteMonth::as_select())
            .first(conn)
            .optional()?;
        row.into_iter().for_each(|row| agg.put_month(row));
    }
    Ok(agg)
}

/// Writes back the review rows of `keys` and the touched company and month rows.
pub fn save_reviews(
    conn: &mut DbConnection,
    agg: &Aggregates,
    touched: &Aggregates,
) -> QueryResult<()> {
    for row in agg.stats.values() {
        diesel::update(route_stats::table.find((&row.route_code, &row.country)))
            .set(row)
            .execute(conn)?;
    }
    for ((key, company_id), _) in touched.companies.iter() {
        diesel::delete(route_company_weights::table.find((&key.0, &key.1, company_id)))
            .execute(conn)?;
    }
    let companies: Vec<RouteCompanyWeight> = agg
        .company_rows()
        .filter(|row| {
            let key = (
                (row.route_code.clone(), row.country.clone()),
                row.company_id,
            );
            touched.companies.contains_key(&key)
        })
        .collect();
    if !companies.is_empty() {
        batch_insert!(conn, route_company_weights::table, &companies);
    }
    for (route, month) in touched.months.keys() {
        diesel::delete(route_months::table.find((route, month))).execute(conn)?;
    }
    let months: Vec<RouteMonth> = agg
        .month_rows()
        .filter(|row| {
            touched
                .months
                .contains_key(&(row.route_code.clone(), row.month.clone()))
        })
        .collect();
    if !months.is_empty() {
        batch_insert!(conn, route_months::table, &months);
    }
    Ok(())
}

/// Loads the facts rows of `keys` with every all-time histogram bar of them
/// (the medians need them all) and the bars of the given months.
pub fn load_facts(
    conn: &mut DbConnection,
    keys: &BTreeSet<Scope>,
    months: &BTreeSet<(String, String)>,
) -> QueryResult<Aggregates> {
    let mut agg = Aggregates::default();
    for (route, country) in keys {
        let row: RouteFacts = route_facts::table
            .find((route, country))
            .select(RouteFacts::as_select())
            .first(conn)?;
        agg.facts.insert((route.clone(), country.clone()), row);
        let bars: Vec<RouteHistogram> = route_histograms::table
            .filter(route_histograms::route_code.eq(route))
            .filter(route_histograms::country.eq(country))
            .filter(route_histograms::month.eq(""))
            .select(RouteHistogram::as_select())
            .load(conn)?;
        bars.into_iter().for_each(|bar| agg.put_histogram(bar));
    }
    for (route, month) in months {
        let bars: Vec<RouteHistogram> = route_histograms::table
            .filter(route_histograms::route_code.eq(route))
            .filter(route_histograms::month.eq(month))
            .select(RouteHistogram::as_select())
            .load(conn)?;
        bars.into_iter().for_each(|bar| agg.put_histogram(bar));
    }
    Ok(agg)
}

/// Writes back the facts rows of `keys` and the touched histogram bars.
pub fn save_facts(
    conn: &mut DbConnection,
    agg: &Aggregates,
    touched: &Aggregates,
) -> QueryResult<()> {
    for row in agg.facts.values() {
        diesel::update(route_facts::table.find((&row.route_code, &row.country)))
            .set(row)
            .execute(conn)?;
    }
    for (key, kind, month, value) in touched.histograms.keys() {
        diesel::delete(route_histograms::table.find((&key.0, &key.1, *kind, month, value)))
            .execute(conn)?;
    }
    let bars: Vec<RouteHistogram> = agg
        .histogram_rows()
        .filter(|bar| {
            kind_name(&bar.kind).is_some_and(|kind| {
                touched.histograms.contains_key(&(
                    (bar.route_code.clone(), bar.country.clone()),
                    kind,
                    bar.month.clone(),
                    bar.value,
                ))
            })
        })
        .collect();
    if !bars.is_empty() {
        batch_insert!(conn, route_histograms::table, &bars);
    }
    Ok(())
}

/// Replaces the stored facts of one order.
pub fn put_order_facts(
    conn: &mut DbConnection,
    order_id: i64,
    facts: Option<&OrderFacts>,
) -> QueryResult<()> {
    diesel::delete(order_facts::table.find(order_id)).execute(conn)?;
    if let Some(facts) = facts {
        batch_insert!(conn, order_facts::table, facts);
    }
    Ok(())
}

/// The stored facts of one order.
pub fn order_facts_of(conn: &mut DbConnection, order_id: i64) -> QueryResult<Option<OrderFacts>> {
    order_facts::table
        .find(order_id)
        .select(OrderFacts::as_select())
        .first(conn)
        .optional()
}

/// Everything stored, for the rebuild's comparison.
pub fn load_all(conn: &mut DbConnection) -> QueryResult<(Aggregates, Vec<OrderFacts>)> {
    let mut agg = Aggregates::default();
    for row in route_stats::table
        .select(RouteStats::as_select())
        .load::<RouteStats>(conn)?
    {
        agg.stats
            .insert((row.route_code.clone(), row.country.clone()), row);
    }
    for row in route_facts::table
        .select(RouteFacts::as_select())
        .load::<RouteFacts>(conn)?
    {
        agg.facts
            .insert((row.route_code.clone(), row.country.clone()), row);
    }
    for row in route_company_weights::table
        .select(RouteCompanyWeight::as_select())
        .load::<RouteCompanyWeight>(conn)?
    {
        agg.put_company(row);
    }
    for row in route_histograms::table
        .select(RouteHistogram::as_select())
        .load::<RouteHistogram>(conn)?
    {
        agg.put_histogram(row);
    }
    for row in route_months::table
        .select(RouteMonth::as_select())
        .load::<RouteMonth>(conn)?
    {
        agg.put_month(row);
    }
    let facts = order_facts::table
        .order(order_facts::order_id)
        .select(OrderFacts::as_select())
        .load(conn)?;
    Ok((agg, facts))
}

/// Rows per multi-row INSERT: well under SQLite's limit on bound values.
const BATCH: usize = 500;

/// Empties `$table` and writes `$rows` (a slice or `Vec`) into it, when the
/// rebuild found it different.
macro_rules! refill {
    ($conn:expr, $tables:expr, $table:ident, $rows:expr, $per_statement:expr) => {
        if $tables.contains(stringify!($table)) {
            diesel::delete($table::table).execute(&mut *$conn)?;
            let rows = $rows;
            for chunk in rows.chunks($per_statement) {
                batch_insert!($conn, $table::table, chunk);
            }
        }
    };
}

/// Replaces the stored rows of `tables` (aggregate tables and
/// `order_facts`) with the rebuilt ones; the others are left alone.
pub fn replace(
    conn: &mut DbConnection,
    tables: &BTreeSet<&'static str>,
    agg: &Aggregates,
    facts: &[OrderFacts],
) -> QueryResult<()> {
    let stats: Vec<RouteStats> = agg.stats.values().cloned().collect();
    refill!(conn, tables, route_stats, stats, BATCH / 4);
    let route_facts_rows: Vec<RouteFacts> = agg.facts.values().cloned().collect();
    refill!(conn, tables, route_facts, route_facts_rows, BATCH / 4);
    refill!(
        conn,
        tables,
        route_company_weights,
        agg.company_rows().collect::<Vec<_>>(),
        BATCH
    );
    refill!(
        conn,
        tables,
        route_histograms,
        agg.histogram_rows().collect::<Vec<_>>(),
        BATCH
    );
    refill!(
        conn,
        tables,
        route_months,
        agg.month_rows().collect::<Vec<_>>(),
        BATCH
    );
    refill!(conn, tables, order_facts, facts, BATCH);
    Ok(())
}

/// Holds every aggregate table for the rebuild: changes wait until it commits.
pub fn lock_all(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query(
            "LOCK TABLE route_stats, route_facts, route_company_weights, route_histograms, \
             route_months, order_facts IN EXCLUSIVE MODE",
        )
        .execute(pg)?;
    }
    Ok(())
}

/// Every visible review's contribution.
pub fn visible_reviews(conn: &mut DbConnection) -> QueryResult<Vec<super::ReviewFacts>> {
    use crate::db::schema::reviews;
    let rows: Vec<ReviewRow> = reviews::table
        .filter(reviews::status.eq("visible"))
        .select((
            reviews::route_code,
            reviews::country,
            reviews::company_id,
            (
                reviews::overall,
                reviews::timeliness,
                reviews::service,
                reviews::customs,
                reviews::tracking,
                reviews::packaging,
            ),
            reviews::weight,
            reviews::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(route_code, country, company_id, (o, t, s, c, k, p), weight, at)| {
                super::ReviewFacts {
                    route_code,
                    country,
                    company_id,
                    scores: [o, t, s, c, k, p],
                    weight,
                    month: at.format("%Y-%m").to_string(),
                }
            },
        )
        .collect())
}

type ReviewRow = (
    String,
    String,
    i64,
    (i64, i64, i64, i64, i64, i64),
    f64,
    chrono::NaiveDateTime,
);
