//! `/compare?routes=A,B,C[&country=DE]`: two to four routes side by side.

use super::{BoardText, cache};
use crate::charts::{self, Line};
use crate::db::catalogue::Route;
use crate::domain::country::CountryCode;
use crate::services::board::compare::{self, Column, Problem};
use crate::services::now;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::{AppState, run};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

#[derive(Template)]
#[template(path = "public/compare.html")]
struct ComparePage {
    ctx: PageCtx,
    /// The codes as asked, for the form.
    asked: String,
    country: Option<CountryCode>,
    columns: Vec<Column>,
    problem: Option<Problem>,
    /// Every route, to pick from.
    routes: Vec<Route>,
}

impl BoardText for ComparePage {
    fn ctx(&self) -> &PageCtx {
        &self.ctx
    }
}

impl ComparePage {
    fn problem_text(&self) -> Option<String> {
        let problem = self.problem.as_ref()?;
        let text = self.ctx.t(problem.message_key());
        Some(match problem {
            Problem::Unknown(codes) => text.replace("{codes}", &codes.join(", ")),
            _ => text
                .replace("{min}", &compare::MIN_ROUTES.to_string())
                .replace("{max}", &compare::MAX_ROUTES.to_string()),
        })
    }

    fn chosen_country(&self) -> &str {
        self.country.as_ref().map_or("", CountryCode::as_str)
    }

    fn is_asked(&self, code: &str) -> bool {
        compare::codes(&self.asked).iter().any(|c| c == code)
    }

    fn price(&self, column: &Column) -> String {
        match &column.price {
            Some(Ok(fen)) => format!("¥{fen}"),
            Some(Err(why)) => self.ctx.unavailable(why),
            None => "—".to_owned(),
        }
    }

    /// Every route's share of deliveries per transit day, on one chart.
    fn transit_chart(&self) -> String {
        let (days, lines) = self.transit_shares();
        let labels: Vec<String> = days.iter().map(i64::to_string).collect();
        charts::lines(self.ctx.t("board.chart.transit_compare"), &labels, &lines)
    }

    /// The days any route delivered in, and each route's share (%) per day.
    fn transit_shares(&self) -> (Vec<i64>, Vec<Line>) {
        let mut days: Vec<i64> = self
            .columns
            .iter()
            .flat_map(|c| c.transit.iter().map(|(d, _)| *d))
            .collect();
        days.sort_unstable();
        days.dedup();
        let lines = self
            .columns
            .iter()
            .map(|c| {
                let total: i64 = c.transit.iter().map(|(_, n)| n).sum();
                Line {
                    name: c.route.code.clone(),
                    values: days
                        .iter()
                        .map(|day| {
                            let n = c.transit.iter().find(|(d, _)| d == day).map_or(0, |x| x.1);
                            (total > 0).then(|| n as f64 * 100.0 / total as f64)
                        })
                        .collect(),
                }
            })
            .collect();
        (days, lines)
    }

    fn share_rows(&self) -> Vec<(i64, Vec<String>)> {
        let (days, lines) = self.transit_shares();
        days.iter()
            .enumerate()
            .map(|(at, day)| {
                let cells = lines
                    .iter()
                    .map(|l| self.pct(l.values[at].map(|v| v / 100.0)))
                    .collect();
                (*day, cells)
            })
            .collect()
    }
}

/// Handles GET /compare: the routes of `?routes=A,B` (or one `routes` per
/// checkbox of the board) side by side; a form with the reason when there
/// are too few, too many or unknown ones (400 or 404, never 500).
pub async fn page(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let asked: Vec<String> = query
        .iter()
        .filter(|(k, _)| k == "routes")
        .map(|(_, v)| v.clone())
        .collect();
    let asked = asked.join(",");
    let country = query
        .iter()
        .find(|(k, _)| k == "country")
        .and_then(|(_, v)| CountryCode::parse(v).ok());
    let codes = compare::codes(&asked);
    let scope = country.clone();
    let cache = state.catalogue.clone();
    let (result, routes) = run(&state, move |conn| {
        let catalogue = cache.current(conn)?;
        let result = compare::compare(conn, &catalogue, &codes, scope.as_ref(), now())?;
        Ok((result, catalogue.routes().to_vec()))
    })
    .await?;
    let (columns, problem) = match result {
        Ok(columns) => (columns, None),
        Err(problem) => (Vec::new(), Some(problem)),
    };
    let status = match &problem {
        None => StatusCode::OK,
        Some(Problem::Unknown(_)) => StatusCode::NOT_FOUND,
        Some(_) => StatusCode::BAD_REQUEST,
    };
    let signed_in = ctx.user.is_some();
    let page = ComparePage {
        ctx,
        asked,
        country,
        columns,
        problem,
        routes,
    };
    Ok(cache::send(&req, signed_in, status, page.render()?))
}
