//! `/compare`: two to four routes side by side, for all destinations or one.

use super::figures::Figures;
use super::{Price, reference_prices};
use crate::db::DbConnection;
use crate::db::board as db;
use crate::db::catalogue::Route;
use crate::db::route_stats::ALL;
use crate::domain::country::CountryCode;
use crate::domain::route::Attributes;
use crate::services::ServiceResult;
use crate::services::quote::Catalogue;
use chrono::NaiveDateTime;

pub const MIN_ROUTES: usize = 2;
pub const MAX_ROUTES: usize = 4;

/// Why a comparison cannot be made as asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Fewer than [`MIN_ROUTES`] distinct codes.
    TooFew,
    /// More than [`MAX_ROUTES`].
    TooMany,
    /// Codes the catalogue does not know.
    Unknown(Vec<String>),
}

impl Problem {
    pub fn message_key(&self) -> &'static str {
        match self {
            Problem::TooFew => "board.compare.too_few",
            Problem::TooMany => "board.compare.too_many",
            Problem::Unknown(_) => "board.compare.unknown",
        }
    }
}

/// One route's column.
pub struct Column {
    pub route: Route,
    pub figures: Figures,
    pub price: Option<Price>,
    /// (days, parcels) of every delivery.
    pub transit: Vec<(i64, i64)>,
}

/// The codes of `?routes=A,B,C`, upper-cased, in order, each once.
pub fn codes(input: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for code in input
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
    {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The columns of routes `codes`, in their order; routes, aggregates and
/// prices from the kept catalogue, the distributions from the database.
pub fn compare(
    conn: &mut DbConnection,
    catalogue: &Catalogue,
    codes: &[String],
    country: Option<&CountryCode>,
    now: NaiveDateTime,
) -> ServiceResult<Result<Vec<Column>, Problem>> {
    if codes.len() < MIN_ROUTES {
        return Ok(Err(Problem::TooFew));
    }
    if codes.len() > MAX_ROUTES {
        return Ok(Err(Problem::TooMany));
    }
    let mut routes = Vec::new();
    let mut unknown = Vec::new();
    for code in codes {
        match catalogue.route(code) {
            Some(route) => routes.push(route.clone()),
            None => unknown.push(code.clone()),
        }
    }
    if !unknown.is_empty() {
        return Ok(Err(Problem::Unknown(unknown)));
    }
    let scope = country.map_or(ALL, CountryCode::as_str);
    let mut wanted: Vec<&str> = codes.iter().map(String::as_str).collect();
    wanted.push(ALL);
    let bars = db::histograms(conn, &wanted, scope, "transit_days", false)?;
    let prices =
        country.map(|country| reference_prices(catalogue, country, Attributes::default(), false));
    let board = catalogue.stats(scope, ALL);
    let columns = routes
        .into_iter()
        .map(|route| {
            let code = route.code.clone();
            let figures = Figures::new(
                catalogue.stats(scope, &code),
                catalogue.facts(scope, &code),
                board,
                &code,
                scope,
                now,
            );
            Column {
                price: prices.as_ref().and_then(|p| p.get(&code).cloned()),
                transit: bars
                    .iter()
                    .filter(|b| b.route_code == code)
                    .map(|b| (b.value, b.count))
                    .collect(),
                figures,
                route,
            }
        })
        .collect();
    Ok(Ok(columns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_tidied_and_counted_once() {
        assert_eq!(codes(" eu-eco, US-BATT,,EU-ECO "), ["EU-ECO", "US-BATT"]);
        assert!(codes("").is_empty());
    }
}
