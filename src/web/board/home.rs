//! `/`: the board itself, with its GET filter form.

use super::{BoardText, cache};
use crate::domain::country::CountryCode;
use crate::domain::rating::{COMPANY_SHARE, HALF_LIFE_DAYS, MIN_COUNTRY_REVIEWS, PRIOR_WEIGHT};
use crate::domain::route::{Attribute, Transport};
use crate::services::board::{self, Board, BoardQuery, BoardRow, Sort};
use crate::services::now;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::rates::AttributeBoxes;
use crate::web::{AppState, run};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// The board's query string as typed.
#[derive(Deserialize, Default)]
pub struct BoardParams {
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub transport: String,
    #[serde(flatten)]
    pub attributes: AttributeBoxes,
    #[serde(default)]
    pub ddp: Option<String>,
    #[serde(default)]
    pub sort: String,
}

impl BoardParams {
    pub fn has(&self, attribute: &Attribute) -> bool {
        self.attributes.has(attribute)
    }

    /// The query as the service takes it; values that mean nothing (an
    /// unknown country or transport) filter nothing.
    fn parse(&self) -> BoardQuery {
        let accepts = self.attributes.ticked();
        BoardQuery {
            country: CountryCode::parse(&self.country).ok(),
            transport: Transport::parse(self.transport.trim()).ok(),
            accepts,
            ddp: self.ddp.is_some(),
            sort: Sort::parse(self.sort.trim()),
        }
    }
}

#[derive(Template)]
#[template(path = "public/board.html")]
struct BoardPage {
    ctx: PageCtx,
    params: BoardParams,
    query: BoardQuery,
    board: Board,
}

impl BoardText for BoardPage {
    fn ctx(&self) -> &PageCtx {
        &self.ctx
    }
}

impl BoardPage {
    fn transports(&self) -> &'static [Transport] {
        Transport::ALL
    }

    fn attributes(&self) -> &'static [Attribute] {
        Attribute::ALL
    }

    fn chosen_country(&self) -> Option<&str> {
        self.query.country.as_ref().map(CountryCode::as_str)
    }

    /// The price of the reference parcel, or why the route cannot carry it.
    fn price(&self, row: &BoardRow) -> String {
        match &row.price {
            Some(Ok(fen)) => format!("¥{fen}"),
            Some(Err(why)) => self.ctx.unavailable(why),
            None => "—".to_owned(),
        }
    }

    /// The formula's constants, as the fairness note states them.
    fn fairness(&self) -> String {
        self.ctx
            .t("board.fairness")
            .replace("{m}", &format!("{PRIOR_WEIGHT:.0}"))
            .replace("{half_life}", &format!("{:.0}", HALF_LIFE_DAYS / 30.4))
            .replace("{share}", &format!("{:.0}", COMPANY_SHARE * 100.0))
            .replace("{min}", &MIN_COUNTRY_REVIEWS.to_string())
    }

    /// The formula's terms explained, with the constants in force.
    fn formula(&self) -> String {
        self.ctx
            .t("board.formula_text")
            .replace("{m}", &format!("{PRIOR_WEIGHT:.0}"))
            .replace("{half_life}", &format!("{HALF_LIFE_DAYS}"))
            .replace("{share}", &format!("{:.0}", COMPANY_SHARE * 100.0))
    }

    fn sort_is(&self, sort: &str) -> bool {
        self.query.sort.as_str() == sort
    }
}

/// Handles GET /: every active route with its rating and measured facts,
/// filtered and sorted as asked (public, no sign-in).
pub async fn board(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    params: web::Query<BoardParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let query = params.parse();
    // A fresh kept catalogue holds all the board shows: no database, no
    // thread hop (README, "Speed at scale").
    let catalogue = match state.catalogue.fresh() {
        Some(catalogue) => catalogue,
        None => {
            let cache = state.catalogue.clone();
            run(&state, move |conn| cache.current(conn)).await?
        }
    };
    let board = board::board(&catalogue, &query, now());
    let signed_in = ctx.user.is_some();
    let page = BoardPage {
        ctx,
        params,
        query,
        board,
    };
    Ok(cache::send(&req, signed_in, StatusCode::OK, page.render()?))
}
