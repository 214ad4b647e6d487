//! `/`: the board itself, with its GET filter form.

use super::kept::{Key, Page};
use super::{BoardText, cache};
use crate::domain::country::CountryCode;
use crate::domain::rating::{COMPANY_SHARE, HALF_LIFE_DAYS, MIN_COUNTRY_REVIEWS, PRIOR_WEIGHT};
use crate::domain::route::{Attribute, Transport};
use crate::services::board::{self, Board, BoardQuery, BoardRow, Paging, Sort};
use crate::services::now;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::rates::AttributeBoxes;
use crate::web::{AppState, PageQuery, Pager, run};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use std::sync::Arc;

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
    #[serde(flatten)]
    pub page: PageQuery,
}

impl BoardParams {
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

/// The query as the board understood it, without the page: the pager's
/// links keep it, and with the page it names a kept variant, so two query
/// strings that mean the same board share one.
fn normalised(query: &BoardQuery) -> Vec<(&'static str, String)> {
    let mut pairs = vec![
        (
            "country",
            query
                .country
                .as_ref()
                .map_or_else(String::new, |c| c.as_str().to_owned()),
        ),
        (
            "transport",
            query.transport.map_or_else(String::new, |t| t.to_string()),
        ),
    ];
    for attribute in Attribute::ALL {
        if query.accepts.contains(*attribute) {
            pairs.push((attribute.as_str(), "on".to_owned()));
        }
    }
    if query.ddp {
        pairs.push(("ddp", "on".to_owned()));
    }
    if query.sort != Sort::Rating {
        pairs.push(("sort", query.sort.as_str().to_owned()));
    }
    pairs.retain(|(_, value)| !value.is_empty());
    pairs
}

/// The whole page: the hero (which differs for signed-in visitors) around
/// the route list.
#[derive(Template)]
#[template(path = "public/board.html")]
struct BoardPage {
    ctx: PageCtx,
    list: Arc<str>,
}

/// The route list, its filters, pager and formula: the same for every
/// visitor of one variant (`kept::Key`).
#[derive(Template)]
#[template(path = "public/board_list.html")]
struct BoardList<'a> {
    ctx: &'a PageCtx,
    query: &'a BoardQuery,
    board: &'a Board,
    paging: Paging,
    pager: Pager,
}

impl BoardText for BoardList<'_> {
    fn ctx(&self) -> &PageCtx {
        self.ctx
    }
}

impl BoardList<'_> {
    fn transports(&self) -> &'static [Transport] {
        Transport::ALL
    }

    fn attributes(&self) -> &'static [Attribute] {
        Attribute::ALL
    }

    fn chosen_country(&self) -> Option<&str> {
        self.query.country.as_ref().map(CountryCode::as_str)
    }

    /// "Routes 51–100 of 200".
    fn shown(&self) -> String {
        self.ctx
            .t("board.shown")
            .replace("{from}", &self.paging.first.to_string())
            .replace("{to}", &self.paging.last.to_string())
            .replace("{total}", &self.paging.matching.to_string())
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
/// filtered, sorted and paged as asked (public, no sign-in). A variant's
/// page is rendered once per catalogue read and kept (`kept`): anonymous
/// visitors get the kept page, signed-in ones the kept route list in their
/// own page.
pub async fn board(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    params: web::Query<BoardParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let query = params.parse();
    let page = usize::try_from(params.page.number()).unwrap_or(1);
    // A fresh kept catalogue holds all the board shows: no database, no
    // thread hop (README, "Speed at scale").
    let catalogue = match state.catalogue.fresh() {
        Some(catalogue) => catalogue,
        None => {
            let cache = state.catalogue.clone();
            run(&state, move |conn| cache.current(conn)).await?
        }
    };
    let serial = catalogue.serial();
    let pairs = normalised(&query);
    let key = Key {
        lang: ctx.lang.code(),
        demo: ctx.demo,
        query: format!(
            "{}&page={page}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        ),
    };
    let kept = state.board_pages.get(serial, &key);
    // A flash message is one visitor's: that page is not kept.
    let anonymous = ctx.user.is_none() && ctx.flash.is_none();
    if anonymous && let Some(page) = kept.page {
        return Ok(cache::send_kept(&req, &page));
    }
    let list = match kept.list {
        Some(list) => list,
        None => {
            let mut board = board::board(&catalogue, &query, now());
            let paging = board.keep_page(page);
            let links: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let list: Arc<str> = BoardList {
                ctx: &ctx,
                query: &query,
                board: &board,
                pager: Pager::new("/", &links, paging.page as i64, paging.page < paging.pages),
                paging,
            }
            .render()?
            .into();
            state.board_pages.keep_list(serial, &key, Arc::clone(&list));
            list
        }
    };
    let signed_in = ctx.user.is_some();
    let body = BoardPage { ctx, list }.render()?;
    if anonymous {
        let page = Arc::new(Page::new(body));
        state.board_pages.keep_page(serial, &key, Arc::clone(&page));
        return Ok(cache::send_kept(&req, &page));
    }
    Ok(cache::send(&req, signed_in, StatusCode::OK, body))
}
