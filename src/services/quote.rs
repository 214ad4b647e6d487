//! Quoting a parcel against the current catalogue.

use super::{ServiceResult, pricing, rates};
use crate::db::DbConnection;
use crate::db::catalogue::{RateRowRecord, Route};
use crate::db::route_stats::{ALL, RouteFacts, RouteStats};
use crate::db::schema::{rate_rows, route_facts, route_stats, routes};
use crate::domain::quote::{
    self, MeasuredTransit, Options, Parcel, PricingRules, RouteOffer, RouteQuote, SortBy,
};
use crate::domain::rate_sheet::RateRow;
use crate::domain::route::{RouteCode, RouteStatus};
use diesel::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// What the seller asked and what every route answered.
pub struct QuoteAnswer {
    pub quotes: Vec<RouteQuote>,
    pub routes: Vec<Route>,
    /// A code was given but no active promotion has it.
    pub unknown_promotion: bool,
    /// The rules and discount inputs every route was priced with (frozen with an order's quote).
    pub basis: quote::QuoteBasis,
}

impl QuoteAnswer {
    pub fn route(&self, code: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.code == code)
    }
}

/// Quotes the parcel on every route (suspended ones are listed with their
/// notice), reading the catalogue afresh: the path of an order's submission,
/// whose quote is charged.
pub fn quote(
    conn: &mut DbConnection,
    parcel: &Parcel,
    options: &Options,
    promotion_code: Option<&str>,
    sort: SortBy,
) -> ServiceResult<QuoteAnswer> {
    let catalogue = Catalogue::load(conn, Some(parcel.country.as_str()))?;
    quote_with(conn, &catalogue, parcel, options, promotion_code, sort)
}

/// The answer from a fresh kept catalogue without the database: a parcel
/// without a promotion code needs nothing else.
pub fn quote_from(
    catalogue: &Catalogue,
    parcel: &Parcel,
    options: &Options,
    sort: SortBy,
) -> QuoteAnswer {
    answer(catalogue, parcel, options, None, sort)
}

/// The answer from `catalogue`, reading only the promotion code's
/// promotion, when one was typed.
pub fn quote_with(
    conn: &mut DbConnection,
    catalogue: &Catalogue,
    parcel: &Parcel,
    options: &Options,
    promotion_code: Option<&str>,
    sort: SortBy,
) -> ServiceResult<QuoteAnswer> {
    let promotion = match promotion_code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(pricing::find_promotion(conn, code)?),
        None => None,
    };
    Ok(answer(catalogue, parcel, options, promotion, sort))
}

/// `promotion`: none asked, or the code's promotion if active.
fn answer(
    catalogue: &Catalogue,
    parcel: &Parcel,
    options: &Options,
    promotion: Option<Option<quote::Promotion>>,
    sort: SortBy,
) -> QuoteAnswer {
    let routes = &catalogue.routes;
    let rows: &[RateRow] = catalogue
        .rows
        .get(parcel.country.as_str())
        .map_or(&[], Vec::as_slice);
    let rules = &catalogue.rules;
    // Codes are validated when sheets are imported; a row that does not read
    // back as a code is skipped rather than quoted under a made-up name.
    let offers: Vec<RouteOffer> = routes
        .iter()
        .filter_map(|route| Some((route, RouteCode::parse(&route.code).ok()?)))
        .map(|(route, code)| RouteOffer {
            code,
            transit_min_days: u32::try_from(route.transit_min_days).unwrap_or(0),
            transit_max_days: u32::try_from(route.transit_max_days).unwrap_or(0),
            max_longest_side_mm: route
                .max_longest_side_mm
                .and_then(|v| u32::try_from(v).ok()),
            ddp_offered: route.ddp_offered,
            suspended: (route.status == RouteStatus::Suspended).then(|| route.notice.clone()),
            row: rows.iter().find(|r| r.route_code.as_str() == route.code),
            measured: catalogue
                .facts(parcel.country.as_str(), &route.code)
                .and_then(measured),
        })
        .collect();
    let quotes = quote::quote_all(
        parcel,
        options,
        rules,
        promotion.as_ref().and_then(Option::as_ref),
        pricing::today(),
        &offers,
        sort,
    );
    QuoteAnswer {
        basis: quote::QuoteBasis::new(rules, options),
        quotes,
        unknown_promotion: matches!(promotion, Some(None)),
        routes: routes.clone(),
    }
}

/// What quotes are priced from: the routes, their current rate rows by
/// destination and the pricing rules; and the board's aggregate rows of
/// every scope (ratings, review counts, measured facts), which the price
/// lists show beside each route and whose measured transit the quote engine
/// uses. All as fresh as the catalogue (README, "Speed at scale").
pub struct Catalogue {
    routes: Vec<Route>,
    rows: HashMap<String, Vec<RateRow>>,
    rules: PricingRules,
    /// Review aggregates by scope (`ALL` or a country), then route (`ALL`: the board's row).
    stats: HashMap<String, HashMap<String, RouteStats>>,
    /// Measured facts by scope, then route.
    facts: HashMap<String, HashMap<String, RouteFacts>>,
    /// Which read this is: a catalogue read later has a larger serial.
    serial: u64,
}

/// Counts the catalogues read in this process (`Catalogue::serial`).
static READS: AtomicU64 = AtomicU64::new(0);

impl Catalogue {
    /// Reads the catalogue, with the rows and aggregates of one destination
    /// (and of all destinations) or of every one.
    fn load(conn: &mut DbConnection, country: Option<&str>) -> ServiceResult<Catalogue> {
        let routes: Vec<Route> = routes::table.order(routes::code.asc()).load(conn)?;
        let mut query = rate_rows::table
            .inner_join(routes::table.on(routes::code.eq(rate_rows::route_code)))
            .filter(routes::current_sheet_id.eq(rate_rows::sheet_id.nullable()))
            .select(rate_rows::all_columns)
            .into_boxed();
        let mut stats_query = route_stats::table
            .select(RouteStats::as_select())
            .into_boxed();
        let mut facts_query = route_facts::table
            .select(RouteFacts::as_select())
            .into_boxed();
        if let Some(country) = country {
            query = query.filter(rate_rows::country.eq(country));
            stats_query = stats_query.filter(route_stats::country.eq_any([country, ALL]));
            facts_query = facts_query.filter(route_facts::country.eq_any([country, ALL]));
        }
        let records: Vec<RateRowRecord> = query.load(conn)?;
        let mut rows: HashMap<String, Vec<RateRow>> = HashMap::new();
        for row in rates::rows_from(&records)? {
            rows.entry(row.country.as_str().to_owned())
                .or_default()
                .push(row);
        }
        let mut stats: HashMap<String, HashMap<String, RouteStats>> = HashMap::new();
        for row in stats_query.load::<RouteStats>(conn)? {
            stats
                .entry(row.country.clone())
                .or_default()
                .insert(row.route_code.clone(), row);
        }
        let mut facts: HashMap<String, HashMap<String, RouteFacts>> = HashMap::new();
        for row in facts_query.load::<RouteFacts>(conn)? {
            facts
                .entry(row.country.clone())
                .or_default()
                .insert(row.route_code.clone(), row);
        }
        Ok(Catalogue {
            routes,
            rows,
            rules: pricing::rules(conn)?,
            stats,
            facts,
            serial: READS.fetch_add(1, Ordering::SeqCst) + 1,
        })
    }

    /// Which read of the catalogue this is, larger for later reads: what is
    /// derived from one catalogue (the board's rendered pages) may be kept
    /// while it is the current one and must go when a later one is read.
    pub fn serial(&self) -> u64 {
        self.serial
    }

    /// Every route of the catalogue, by code.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// One route by its code.
    pub fn route(&self, code: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.code == code)
    }

    /// The review aggregates of every route in `scope` (`ALL` or a country),
    /// the board's row (route `ALL`) among them.
    pub fn stats_in(&self, scope: &str) -> Option<&HashMap<String, RouteStats>> {
        self.stats.get(scope)
    }

    /// The measured facts of every route in `scope`, the board's among them.
    pub fn facts_in(&self, scope: &str) -> Option<&HashMap<String, RouteFacts>> {
        self.facts.get(scope)
    }

    /// The review aggregates of one route (or the board, `ALL`) in `scope`.
    pub fn stats(&self, scope: &str, route: &str) -> Option<&RouteStats> {
        self.stats_in(scope)?.get(route)
    }

    /// Every scope with review aggregates or measured facts of route `code`
    /// (a scope may come twice).
    pub fn scopes_of<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let stats = self
            .stats
            .iter()
            .filter(move |(_, by_route)| by_route.contains_key(code))
            .map(|(scope, _)| scope.as_str());
        let facts = self
            .facts
            .iter()
            .filter(move |(_, by_route)| by_route.contains_key(code))
            .map(|(scope, _)| scope.as_str());
        stats.chain(facts)
    }

    /// The measured facts of one route (or the board) in `scope`.
    pub fn facts(&self, scope: &str, route: &str) -> Option<&RouteFacts> {
        self.facts_in(scope)?.get(route)
    }
}

/// The measured transit (median–p90 and deliveries) the quote engine
/// switches to at enough deliveries.
fn measured(facts: &RouteFacts) -> Option<MeasuredTransit> {
    Some(MeasuredTransit {
        median_days: u32::try_from(facts.transit_median?).ok()?,
        p90_days: u32::try_from(facts.transit_p90?).ok()?,
        deliveries: u32::try_from(facts.delivered).ok()?,
    })
}

/// Bumped after every committed change of routes, rate sheets or pricing
/// rules in this process, and by `route_stats` when the board's aggregates
/// change: a kept catalogue of an older generation is stale.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Call after committing a change of routes, rate sheets or pricing rules.
pub fn catalogue_changed() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// How long a kept catalogue is trusted without a change seen in this
/// process: another instance's (or the CLI's) import shows within a second.
const MAX_AGE: Duration = Duration::from_secs(1);

struct Kept {
    generation: u64,
    loaded: Instant,
    catalogue: Arc<Catalogue>,
}

/// The catalogue of one database, shared by the requests of an instance.
#[derive(Default)]
pub struct CatalogueCache {
    kept: RwLock<Option<Kept>>,
    /// Held while one request reads the catalogue again: when it goes
    /// stale under load, the others wait for that read instead of each
    /// reading the whole catalogue at once.
    loading: Mutex<()>,
}

impl CatalogueCache {
    /// The kept catalogue while it is fresh (no database needed).
    pub fn fresh(&self) -> Option<Arc<Catalogue>> {
        let guard = self.kept.read().ok()?;
        let kept = guard.as_ref()?;
        (kept.generation == GENERATION.load(Ordering::SeqCst) && kept.loaded.elapsed() < MAX_AGE)
            .then(|| Arc::clone(&kept.catalogue))
    }

    /// The catalogue as of now: the kept one while fresh, else read again.
    pub fn current(&self, conn: &mut DbConnection) -> ServiceResult<Arc<Catalogue>> {
        if let Some(catalogue) = self.fresh() {
            return Ok(catalogue);
        }
        let _loading = self.loading.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(catalogue) = self.fresh() {
            return Ok(catalogue);
        }
        // The generation before reading: a change committed meanwhile makes
        // what was read stale at once.
        let generation = GENERATION.load(Ordering::SeqCst);
        let catalogue = Arc::new(Catalogue::load(conn, None)?);
        if let Ok(mut guard) = self.kept.write() {
            *guard = Some(Kept {
                generation,
                loaded: Instant::now(),
                catalogue: Arc::clone(&catalogue),
            });
        }
        Ok(catalogue)
    }
}
