//! The commands of the CLI beyond serving: `import-rates`, `quote`,
//! `watchdog`, `recompute-stats`, `remind-reviews`, `demo`, `gen-bench-data`,
//! `check`, `backup` and `restore`.

use crate::db::DbConnection;
use crate::domain::country::CountryCode;
use crate::domain::money::UsdCents;
use crate::domain::quote::{Dimensions, Options, Parcel, SortBy};
use crate::domain::rate_sheet::SheetError;
use crate::domain::route::Attributes;
use crate::domain::spreadsheet::MAX_LISTED_PROBLEMS;
use crate::i18n::{self, Lang};
use crate::services::quote::QuoteAnswer;
use crate::services::rates::{self, ImportError, Importer};
use crate::services::{ServiceError, quote};
use std::path::Path;

/// A failure the CLI reports: bad input exits 2, anything else 1.
pub enum CliError {
    BadInput(String),
    Failed(String),
}

impl From<String> for CliError {
    fn from(message: String) -> CliError {
        CliError::Failed(message)
    }
}

impl From<ServiceError> for CliError {
    fn from(error: ServiceError) -> CliError {
        CliError::Failed(error.to_string())
    }
}

/// One sheet problem as a line: `row 3, column transport: unknown transport "boat"`.
pub fn describe_sheet_error(error: &SheetError, lang: Lang) -> String {
    let mut text = String::new();
    if error.row > 0 {
        text.push_str(&i18n::t(lang, "sheet.row").replace("{row}", &error.row.to_string()));
    }
    if !error.column.is_empty() {
        if !text.is_empty() {
            text.push_str(", ");
        }
        text.push_str(&i18n::t(lang, "sheet.column").replace("{column}", &error.column));
    }
    if !text.is_empty() {
        text.push_str(": ");
    }
    text.push_str(i18n::t(lang, error.problem.message_key()));
    if let Some(detail) = error.problem.detail() {
        text.push_str(&format!(" ({detail})"));
    }
    text
}

/// `samplepost import-rates FILE`: same validation as the admin page.
pub fn import_rates(conn: &mut DbConnection, path: &Path) -> Result<String, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::BadInput(format!("cannot read {}: {e}", path.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match rates::import(conn, Importer::System("command line"), &name, &bytes) {
        Ok(summary) => Ok(format!(
            "Imported {} rows as rate sheet version {} (routes created: {}; updated: {}).",
            summary.rows,
            summary.sheet_id,
            summary.routes_created.join(", "),
            summary.routes_updated.join(", ")
        )),
        Err(ImportError::Sheet(errors)) => {
            let mut lines: Vec<String> = errors
                .iter()
                .take(MAX_LISTED_PROBLEMS)
                .map(|e| describe_sheet_error(e, Lang::En))
                .collect();
            if errors.len() > lines.len() {
                let more = (errors.len() - lines.len()).to_string();
                lines.push(i18n::t(Lang::En, "hostile.more_problems").replace("{count}", &more));
            }
            Err(CliError::BadInput(format!(
                "nothing imported; {} problem(s):\n{}",
                errors.len(),
                lines.join("\n")
            )))
        }
        Err(ImportError::Service(error)) => Err(error.into()),
    }
}

/// The raw `quote` arguments.
pub struct QuoteArgs {
    pub to: String,
    pub postcode: String,
    pub weight_g: i64,
    pub dims_mm: Option<String>,
    pub attributes: Attributes,
    pub declared_usd: Option<String>,
    pub json: bool,
}

/// Parses `300x200x100` (millimetres, each above zero).
pub fn parse_dims(text: &str) -> Result<Dimensions, String> {
    let parts: Vec<&str> = text.trim().split(['x', 'X', '×']).collect();
    let numbers: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            p.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0 && *n <= 10_000)
        })
        .collect();
    match numbers.as_deref() {
        Some([l, w, h]) => Ok(Dimensions {
            length_mm: *l,
            width_mm: *w,
            height_mm: *h,
        }),
        _ => Err(format!(
            "malformed dimensions {text:?}: expected LxWxH in millimetres, e.g. 300x200x100"
        )),
    }
}

pub fn parcel_from(args: &QuoteArgs) -> Result<Parcel, String> {
    let country =
        CountryCode::parse(&args.to).map_err(|_| format!("unknown country {:?}", args.to))?;
    if args.weight_g <= 0 || args.weight_g > 1_000_000 {
        return Err(format!(
            "weight must be between 1 and 1000000 grams, got {}",
            args.weight_g
        ));
    }
    let dimensions = args.dims_mm.as_deref().map(parse_dims).transpose()?;
    let declared = args
        .declared_usd
        .as_deref()
        .map(|v| UsdCents::parse(v).map_err(|_| format!("malformed declared value {v:?}")))
        .transpose()?;
    Ok(Parcel {
        country,
        postcode: args.postcode.clone(),
        weight_g: args.weight_g as u32,
        dimensions,
        attributes: args.attributes,
        declared,
    })
}

/// `samplepost quote …`: every route serving the country, cheapest available first.
pub fn quote(conn: &mut DbConnection, args: &QuoteArgs) -> Result<String, CliError> {
    let parcel = parcel_from(args).map_err(CliError::BadInput)?;
    let answer = quote::quote(conn, &parcel, &Options::default(), None, SortBy::Price)?;
    Ok(if args.json {
        serde_json::to_string(&quote_json(&answer)).map_err(|e| CliError::Failed(e.to_string()))?
    } else {
        quote_table(&answer)
    })
}

/// One priced line of a route's quote.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct QuoteLineJson {
    /// `freight`, `fuel`, `battery`, `remote_area`, …
    pub kind: &'static str,
    /// CNY as a decimal string, e.g. `"54.60"`.
    pub amount: String,
}

/// The route's transit estimate.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TransitJson {
    pub min_days: u32,
    pub max_days: u32,
    /// `nominal` (the rate sheet's) or `measured` (median–p90 from ≥ 20 deliveries).
    pub source: &'static str,
}

/// One route's answer in the JSON form of issue #3 (`samplepost quote
/// --json` and `POST /api/v1/quote`): amounts as decimal strings.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RouteQuoteJson {
    pub route: String,
    pub available: bool,
    /// Why the route cannot take the parcel (English); null when available.
    pub reason: Option<String>,
    pub chargeable_weight_g: Option<u32>,
    /// Always `CNY`.
    pub currency: &'static str,
    /// CNY as a decimal string; null when unavailable.
    pub total: Option<String>,
    pub lines: Vec<QuoteLineJson>,
    pub transit: TransitJson,
}

/// The JSON form of issue #3, one entry per route, cheapest available first.
pub fn quote_json(answer: &QuoteAnswer) -> Vec<RouteQuoteJson> {
    answer
        .quotes
        .iter()
        .map(|q| {
            let (reason, weight, total, lines) = match &q.result {
                Ok(priced) => (
                    None,
                    Some(priced.chargeable_weight_g),
                    Some(priced.total.to_string()),
                    priced
                        .lines
                        .iter()
                        .map(|l| QuoteLineJson {
                            kind: l.kind.as_str(),
                            amount: l.amount.to_string(),
                        })
                        .collect(),
                ),
                Err(why) => (Some(why.english()), None, None, Vec::new()),
            };
            RouteQuoteJson {
                route: q.route.as_str().to_owned(),
                available: q.is_available(),
                reason,
                chargeable_weight_g: weight,
                currency: "CNY",
                total,
                lines,
                transit: TransitJson {
                    min_days: q.transit.min_days,
                    max_days: q.transit.max_days,
                    source: q.transit.source.as_str(),
                },
            }
        })
        .collect()
}

fn quote_table(answer: &QuoteAnswer) -> String {
    let mut out = format!(
        "{:<14} {:>10} {:>8} {:>9}  {}\n",
        "route", "total CNY", "weight", "days", "details"
    );
    for q in &answer.quotes {
        let days = format!("{}-{}", q.transit.min_days, q.transit.max_days);
        match &q.result {
            Ok(priced) => {
                let lines: Vec<String> = priced
                    .lines
                    .iter()
                    .map(|l| format!("{} {}", l.kind.as_str(), l.amount))
                    .collect();
                out.push_str(&format!(
                    "{:<14} {:>10} {:>7}g {:>9}  {}\n",
                    q.route.as_str(),
                    priced.total.to_string(),
                    priced.chargeable_weight_g,
                    days,
                    lines.join(", ")
                ));
            }
            Err(why) => out.push_str(&format!(
                "{:<14} {:>10} {:>8} {:>9}  unavailable: {}\n",
                q.route.as_str(),
                "-",
                "-",
                days,
                why.english()
            )),
        }
    }
    out
}

/// `samplepost watchdog`: one round now, under the shared lease (a round
/// running on a server at this moment is not run twice). Prints one line
/// per ticket opened.
pub fn watchdog(conn: &mut DbConnection) -> Result<String, CliError> {
    use crate::jobs::{lease::Lease, watchdog};
    let Some(opened) = watchdog::run_once(conn, &Lease::new(watchdog::JOB), None)? else {
        return Ok("Another instance is running a watchdog round; nothing done.".to_owned());
    };
    let mut out = format!("Watchdog round: {} ticket(s) opened.", opened.len());
    for ticket in &opened {
        out.push_str(&format!(
            "\n#{} {} {} ({} days)",
            ticket.ticket_id, ticket.order_no, ticket.category, ticket.days
        ));
    }
    Ok(out)
}

/// `samplepost demo`: the labelled demo data set (refused with real orders).
pub fn demo(conn: &mut DbConnection) -> Result<String, CliError> {
    Ok(crate::demo::run(conn)?)
}

/// `samplepost gen-bench-data`: generated data, then the aggregates rebuilt;
/// prints what was written and how long each step took.
pub fn gen_bench_data(
    conn: &mut DbConnection,
    params: &crate::bench_data::Params,
) -> Result<String, CliError> {
    let started = std::time::Instant::now();
    let summary = crate::bench_data::generate(conn, params)?;
    let mut out = format!(
        "Generated {} routes, {} companies, {} orders, {} reviews, {} events in {:.1} s \
         (rows {:.1} s, indexes {:.1} s, rebuild {:.1} s).",
        summary.routes,
        summary.companies,
        summary.orders,
        summary.reviews,
        summary.events,
        started.elapsed().as_secs_f64(),
        summary.insert_time.as_secs_f64(),
        summary.index_time.as_secs_f64(),
        summary.rebuild_time.as_secs_f64(),
    );
    // The generator writes raw rows and measured facts; rebuild makes the
    // aggregates, so only a difference in the facts would be the generator's.
    let facts: Vec<&String> = summary
        .differences
        .iter()
        .filter(|line| line.starts_with("order_facts"))
        .collect();
    if let Some(first) = facts.first() {
        out.push_str(&format!(
            "\n{} generated order facts differed from what rebuild measured (rebuild kept its own), e.g. {first}",
            facts.len()
        ));
    }
    Ok(out)
}

/// `samplepost recompute-stats`: rebuilds the board's statistics from raw
/// rows; every difference from the stored ones is listed and makes the
/// command fail (exit 1), so a check can run it.
pub fn recompute_stats(conn: &mut DbConnection) -> Result<String, CliError> {
    let differences = crate::services::route_stats::rebuild(conn)
        .map_err(|error| CliError::Failed(error.to_string()))?;
    if differences.is_empty() {
        return Ok("The board's statistics equal a recompute from raw rows.".to_owned());
    }
    Err(CliError::Failed(format!(
        "{}\nthe stored statistics differed from a recompute (listed above); they were rebuilt.",
        differences.join("\n")
    )))
}

/// `samplepost remind-reviews`: one round of review reminders now, under
/// the shared lease. Prints one line per reminder sent.
pub fn remind_reviews(conn: &mut DbConnection) -> Result<String, CliError> {
    use crate::jobs::{lease::Lease, review_reminders};
    let Some(sent) = review_reminders::run_once(conn, &Lease::new(review_reminders::JOB), None)?
    else {
        return Ok("Another instance is sending review reminders; nothing done.".to_owned());
    };
    let mut out = format!("Review reminders: {} sent.", sent.len());
    for reminder in &sent {
        out.push_str(&format!(
            "\n{} reminder {}",
            reminder.order_no, reminder.nth
        ));
    }
    Ok(out)
}

/// `samplepost check`: every broken invariant, one line each (exit 1), or
/// one line saying all hold.
pub fn check(conn: &mut DbConnection) -> Result<String, CliError> {
    let findings =
        crate::services::check::findings(conn).map_err(|e| CliError::Failed(e.to_string()))?;
    if findings.is_empty() {
        return Ok("All invariants hold: balances, order states, statistics.".to_owned());
    }
    Err(CliError::Failed(format!(
        "{}\n{} invariant(s) broken.",
        findings.join("\n"),
        findings.len()
    )))
}

/// PostgreSQL has its own tools; the SQLite commands say which.
fn sqlite_only(url: &str) -> Result<(), CliError> {
    match crate::db::Backend::from_url(url) {
        crate::db::Backend::Sqlite => Ok(()),
        crate::db::Backend::Postgres => Err(CliError::BadInput(
            "backup and restore are for SQLite; for PostgreSQL use pg_dump and pg_restore \
             (see the README, \"Backups\")"
                .to_owned(),
        )),
    }
}

/// `samplepost backup --to FILE`.
pub fn backup(url: &str, to: &Path) -> Result<String, CliError> {
    sqlite_only(url)?;
    crate::db::backup::backup(url, to).map_err(CliError::BadInput)?;
    Ok(format!("Backed up {url} to {}.", to.display()))
}

/// `samplepost restore --from FILE`.
pub fn restore(url: &str, from: &Path) -> Result<String, CliError> {
    sqlite_only(url)?;
    crate::db::backup::restore(url, from).map_err(CliError::BadInput)?;
    Ok(format!("Restored {url} from {}.", from.display()))
}
