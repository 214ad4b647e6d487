//! The public review board (issue #12, DESIGN.md §6): every active route
//! with its rating and measured facts, for all destinations or one, read
//! from the aggregate rows only (never from `reviews`).

pub mod compare;
pub mod figures;
pub mod route;
pub mod standing;

use super::quote::{self, Catalogue};
use crate::db::catalogue::Route;
use crate::db::route_stats::ALL;
use crate::domain::country::CountryCode;
use crate::domain::money::Fen;
use crate::domain::quote::{Dimensions, Options, Parcel, SortBy, Unavailable};
use crate::domain::route::{Attributes, RouteStatus, Transport};
use chrono::NaiveDateTime;
use figures::Figures;
use std::cmp::Ordering;
use std::collections::HashMap;

/// The reference parcel prices are compared on: 0.5 kg, 20 × 15 × 10 cm.
pub const REFERENCE_WEIGHT_G: u32 = 500;
pub const REFERENCE_DIMENSIONS: Dimensions = Dimensions {
    length_mm: 200,
    width_mm: 150,
    height_mm: 100,
};

/// How the board is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Rating,
    /// Median measured transit days, fastest first.
    Speed,
    /// Price of the reference parcel to the chosen country, cheapest first.
    Price,
}

impl Sort {
    pub fn parse(input: &str) -> Sort {
        match input {
            "speed" => Sort::Speed,
            "price" => Sort::Price,
            _ => Sort::Rating,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Rating => "rating",
            Sort::Speed => "speed",
            Sort::Price => "price",
        }
    }
}

/// What the visitor asked the board for, parsed.
#[derive(Clone, Debug, Default)]
pub struct BoardQuery {
    pub country: Option<CountryCode>,
    pub transport: Option<Transport>,
    /// Routes must accept every one of these.
    pub accepts: Attributes,
    pub ddp: bool,
    pub sort: Sort,
}

/// The price of the reference parcel on one route, or why it cannot go.
pub type Price = Result<Fen, Unavailable>;

/// One line of the board.
#[derive(Clone, Debug)]
pub struct BoardRow {
    pub route: Route,
    pub figures: Figures,
    /// Only with a country chosen.
    pub price: Option<Price>,
}

/// The board as asked for.
pub struct Board {
    pub rows: Vec<BoardRow>,
    /// Reviews on the whole board in the scope (the board row's count).
    pub reviews: i64,
    /// Active routes before the filters (0: the empty board).
    pub active_routes: usize,
}

/// Routes on one page of the board: 200 routes at once were too many to
/// read (and to send).
pub const PAGE_SIZE: usize = 50;

/// Which slice of the matching routes a page of the board shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// 1-based; a page past the end shows the last one.
    pub page: usize,
    pub pages: usize,
    /// Routes matching the filters, on all pages.
    pub matching: usize,
    /// 1-based position of the page's first route (0 when none match).
    pub first: usize,
    /// Position of its last route.
    pub last: usize,
}

impl Board {
    /// Keeps only the rows of page `page` (1-based, clamped to the pages
    /// there are) and says which they are.
    pub fn keep_page(&mut self, page: usize) -> Paging {
        let matching = self.rows.len();
        let pages = matching.div_ceil(PAGE_SIZE).max(1);
        let page = page.clamp(1, pages);
        let skip = (page - 1) * PAGE_SIZE;
        self.rows = self.rows.drain(..).skip(skip).take(PAGE_SIZE).collect();
        Paging {
            page,
            pages,
            matching,
            first: if self.rows.is_empty() { 0 } else { skip + 1 },
            last: skip + self.rows.len(),
        }
    }
}

/// The board for `query` as of `now`, from the kept catalogue's routes,
/// aggregate rows and prices: a fresh catalogue answers without the
/// database (README, "Speed at scale").
pub fn board(catalogue: &Catalogue, query: &BoardQuery, now: NaiveDateTime) -> Board {
    let scope = query.country.as_ref().map_or(ALL, CountryCode::as_str);
    let active: Vec<Route> = catalogue
        .routes()
        .iter()
        .filter(|r| r.status == RouteStatus::Active)
        .cloned()
        .collect();
    let active_routes = active.len();
    let prices = query
        .country
        .as_ref()
        .map(|country| reference_prices(catalogue, country, query.accepts, query.ddp));
    let board_row = catalogue.stats(scope, ALL);
    let mut rows: Vec<BoardRow> = active
        .into_iter()
        .filter(|r| query.transport.is_none_or(|t| r.transport == t))
        .filter(|r| query.accepts.iter().all(|a| r.accepted().contains(a)))
        .filter(|r| !query.ddp || r.ddp_offered)
        .filter_map(|route| {
            let price = match &prices {
                Some(prices) => match prices.get(&route.code) {
                    // A route without a rate to the country does not go there.
                    Some(Err(Unavailable::NoRate { .. })) | None => return None,
                    Some(price) => Some(price.clone()),
                },
                None => None,
            };
            let figures = Figures::new(
                catalogue.stats(scope, &route.code),
                catalogue.facts(scope, &route.code),
                board_row,
                &route.code,
                scope,
                now,
            );
            Some(BoardRow {
                route,
                figures,
                price,
            })
        })
        .collect();
    sort(&mut rows, query.sort);
    Board {
        reviews: board_row.map_or(0, |b| b.reviews),
        rows,
        active_routes,
    }
}

/// Orders the board. Whatever has no number for the sort (too few reviews,
/// nothing measured, cannot carry the parcel) goes last; ties by reviews,
/// then by code, so the order is stable.
pub fn sort(rows: &mut [BoardRow], by: Sort) {
    fn last_if_none(a: Option<f64>, b: Option<f64>, ascending: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) if ascending => a.total_cmp(&b),
            (Some(a), Some(b)) => b.total_cmp(&a),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    rows.sort_by(|a, b| {
        let key = |row: &BoardRow| match by {
            Sort::Rating => row.figures.rating.value(),
            Sort::Speed => row.figures.facts.transit_median.map(|d| d as f64),
            Sort::Price => row
                .price
                .as_ref()
                .and_then(|p| p.as_ref().ok())
                .map(|fen| fen.0 as f64),
        };
        last_if_none(key(a), key(b), by != Sort::Rating)
            .then_with(|| b.figures.stats.reviews.cmp(&a.figures.stats.reviews))
            .then_with(|| a.route.code.cmp(&b.route.code))
    });
}

/// The reference parcel (with the sensitive attributes asked for) priced on
/// every route to `country` through the quote engine and kept catalogue
/// `/rates` uses.
pub fn reference_prices(
    catalogue: &Catalogue,
    country: &CountryCode,
    attributes: Attributes,
    ddp: bool,
) -> HashMap<String, Price> {
    let parcel = Parcel {
        country: country.clone(),
        postcode: String::new(),
        weight_g: REFERENCE_WEIGHT_G,
        dimensions: Some(REFERENCE_DIMENSIONS),
        attributes,
        declared: None,
    };
    let options = Options {
        ddp,
        ..Options::default()
    };
    quote::quote_from(catalogue, &parcel, &options, SortBy::Price)
        .quotes
        .into_iter()
        .map(|q| {
            let price = q.result.map(|priced| priced.total);
            (q.route.as_str().to_owned(), price)
        })
        .collect()
}
