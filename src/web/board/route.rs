//! `/routes/{code}`: one route's figures, charts and reviews.

use super::{BoardText, cache};
use crate::charts::{self, Line};
use crate::db::board::ReviewFilter;
use crate::db::reviews::Review;
use crate::domain::country::CountryCode;
use crate::domain::review::{Stars, Tag, pseudonym};
use crate::i18n::Lang;
use crate::services::board::route::{self, ReviewItem, RoutePage};
use crate::services::now;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::{AppState, run};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// The review list's filters and position, as typed.
#[derive(Deserialize, Default)]
pub struct ReviewParams {
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub stars: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub photos: Option<String>,
    #[serde(default)]
    pub before: String,
}

impl ReviewParams {
    /// The filter; values that mean nothing filter nothing.
    fn filter(&self) -> ReviewFilter {
        ReviewFilter {
            country: CountryCode::parse(&self.country)
                .ok()
                .map(|c| c.as_str().to_owned()),
            stars: Stars::parse(&self.stars).map(|s| i64::from(s.get())),
            with_text: self.text.is_some(),
            with_photos: self.photos.is_some(),
        }
    }

    fn before(&self) -> Option<i64> {
        self.before.trim().parse::<i64>().ok().filter(|id| *id > 0)
    }
}

#[derive(Template)]
#[template(path = "public/route.html")]
struct RouteView {
    ctx: PageCtx,
    page: RoutePage,
    filter: ReviewFilter,
    /// The page's path with its filters, for the "next" link and the form.
    filter_query: String,
}

impl BoardText for RouteView {
    fn ctx(&self) -> &PageCtx {
        &self.ctx
    }
}

impl RouteView {
    fn star_chart(&self) -> String {
        let labels: Vec<String> = (1..=5).map(|s| format!("{s}★")).collect();
        let values: Vec<f64> = self
            .page
            .overall
            .stats
            .stars()
            .iter()
            .map(|n| *n as f64)
            .collect();
        charts::bars(self.ctx.t("board.chart.stars"), &labels, &values)
    }

    fn transit_chart(&self) -> String {
        let labels: Vec<String> = self
            .page
            .transit
            .iter()
            .map(|(d, _)| d.to_string())
            .collect();
        let values: Vec<f64> = self.page.transit.iter().map(|(_, n)| *n as f64).collect();
        charts::bars(self.ctx.t("board.chart.transit"), &labels, &values)
    }

    fn trend_chart(&self) -> String {
        let labels: Vec<String> = self
            .page
            .trend
            .iter()
            .map(|m| m.month[2..].to_owned())
            .collect();
        charts::lines(
            self.ctx.t("board.chart.trend"),
            &labels,
            &[
                Line {
                    name: self.ctx.t("board.chart.mean_stars").to_owned(),
                    values: self.page.trend.iter().map(|m| m.mean_stars).collect(),
                },
                Line {
                    name: self.ctx.t("board.chart.median_days").to_owned(),
                    values: self
                        .page
                        .trend
                        .iter()
                        .map(|m| m.median_days.map(|d| d as f64))
                        .collect(),
                },
            ],
        )
    }

    /// "深圳 · 电子产品卖家": never the company's name.
    fn reviewer(&self, review: &Review) -> String {
        let category = self.ctx.tv("category", &review.reviewer_category);
        let seller = match self.ctx.lang {
            Lang::ZhCn => "卖家",
            Lang::En => " seller",
        };
        pseudonym(&review.reviewer_city, &category, seller)
    }

    fn tags(&self, review: &Review) -> Vec<String> {
        review
            .tags
            .split(',')
            .filter_map(|t| Tag::parse(t.trim()).ok())
            .map(|t| self.ctx.tv("board.tag", t))
            .collect()
    }

    fn hide_reason(&self, review: &Review) -> String {
        let reason = review
            .hide_reason
            .as_deref()
            .map(|r| self.ctx.tv("board.hide", r))
            .unwrap_or_default();
        self.ctx.t("board.hidden").replace("{reason}", &reason)
    }

    fn measured_days(&self, item: &ReviewItem) -> String {
        self.amount(
            item.facts.as_ref().and_then(|f| f.transit_days),
            "board.unit.days",
        )
    }

    fn customs(&self, item: &ReviewItem) -> &str {
        match item.facts.as_ref().map(|f| f.customs_held) {
            Some(true) => self.ctx.t("board.customs_held"),
            Some(false) => self.ctx.t("board.customs_not_held"),
            None => "—",
        }
    }

    fn next_link(&self) -> Option<String> {
        let before = self.page.next_before?;
        let sep = if self.filter_query.is_empty() {
            ""
        } else {
            "&"
        };
        Some(format!(
            "/routes/{}?{}{sep}before={before}",
            self.page.route.code, self.filter_query
        ))
    }

    fn filter_country(&self) -> &str {
        self.filter.country.as_deref().unwrap_or("")
    }

    fn stars_options(&self) -> [i64; 5] {
        [5, 4, 3, 2, 1]
    }
}

/// Handles GET /routes/{code}: the route's figures overall and per
/// destination, its charts, and its reviews newest first (keyset pages).
pub async fn page(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    code: web::Path<String>,
    params: web::Query<ReviewParams>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner().trim().to_ascii_uppercase();
    let filter = params.filter();
    let before = params.before();
    let asked = filter.clone();
    let cache = state.catalogue.clone();
    let page = run(&state, move |conn| {
        let catalogue = cache.current(conn)?;
        route::page(conn, &catalogue, &code, &asked, before, now())
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(country) = &filter.country {
        pairs.push(("country", country.clone()));
    }
    if let Some(stars) = filter.stars {
        pairs.push(("stars", stars.to_string()));
    }
    if filter.with_text {
        pairs.push(("text", "on".to_owned()));
    }
    if filter.with_photos {
        pairs.push(("photos", "on".to_owned()));
    }
    let filter_query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    let signed_in = ctx.user.is_some();
    let view = RouteView {
        ctx,
        page,
        filter,
        filter_query,
    };
    Ok(cache::send(&req, signed_in, StatusCode::OK, view.render()?))
}
