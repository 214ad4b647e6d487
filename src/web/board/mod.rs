//! The public review board's pages (issue #12): `/`, `/routes/{code}` and
//! `/compare`. Each renders to a string and goes out through
//! [`cache::send`], which adds `Cache-Control` and a strong `ETag` and
//! answers a matching `If-None-Match` with 304.

pub mod cache;
mod compare;
mod home;
pub mod kept;
mod route;

use super::ctx::PageCtx;
use crate::domain::review::Dimension;
use crate::i18n::Lang;
use crate::services::board::figures::{Figures, Rating};
use crate::services::board::standing::Standing;
use actix_web::web;
use std::borrow::Borrow;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::board))
        .route("/routes/{code}", web::get().to(route::page))
        .route("/compare", web::get().to(compare::page));
}

/// How the board's pages write numbers: every figure as text (stars too),
/// "—" where nothing was measured.
pub trait BoardText {
    fn ctx(&self) -> &PageCtx;

    /// One decimal ("4.3"), or "—".
    fn one(&self, value: impl Borrow<Option<f64>>) -> String {
        value
            .borrow()
            .map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))
    }

    /// A share as a whole percentage ("87 %"), or "—".
    fn pct(&self, value: impl Borrow<Option<f64>>) -> String {
        value
            .borrow()
            .map_or_else(|| "—".to_owned(), |v| format!("{:.0} %", v * 100.0))
    }

    /// A whole number with its unit key (`board.unit.days`), or "—".
    fn amount(&self, value: impl Borrow<Option<i64>>, unit: &str) -> String {
        match value.borrow() {
            Some(v) => format!("{v} {}", self.ctx().t(unit)),
            None => "—".to_owned(),
        }
    }

    /// A score 1–5 as five text stars, filled to the nearest whole star.
    fn stars(&self, value: impl Borrow<f64>) -> String {
        stars_text(*value.borrow())
    }

    /// A rating as stars and its number, or why there is none.
    fn rating(&self, figures: &Figures) -> String {
        match figures.rating {
            Rating::Rated(value) => format!("{} {value:.2} / 5", self.stars(value)),
            Rating::TooFew => self.ctx().t("board.too_few").replace(
                "{country}",
                &self.ctx().country_name(&figures.stats.country),
            ),
            Rating::NoReviews => self.ctx().t("board.no_reviews").to_owned(),
        }
    }

    fn dimensions(&self) -> &'static [Dimension] {
        Dimension::ALL
    }

    /// A route's name in the page's language.
    fn route_name(&self, route: &crate::db::catalogue::Route) -> String {
        match self.ctx().lang {
            Lang::ZhCn => route.name_zh.clone(),
            Lang::En => route.name_en.clone(),
        }
    }
}

/// A route's standing beside a price (`/rates`, the order form): stars and
/// rating for the destination (or over all destinations, said so) and the
/// measured median days; the transit column itself switches to measured
/// days once there are enough deliveries (`services::board::standing`).
pub fn standing_text(ctx: &PageCtx, standing: Option<&Standing>) -> String {
    let Some(standing) = standing else {
        return ctx.t("board.no_reviews").to_owned();
    };
    let rating = match standing.shown() {
        Some((value, overall)) => {
            let stars = stars_text(value);
            let scope = if overall {
                format!(" {}", ctx.t("board.all_destinations"))
            } else {
                String::new()
            };
            format!("{stars} {value:.2}{scope}")
        }
        None => ctx.t("board.no_reviews").to_owned(),
    };
    match standing.median_days {
        Some(days) => format!(
            "{rating} · {} {days} {}",
            ctx.t("board.measured_median"),
            ctx.t("board.unit.days")
        ),
        None => rating,
    }
}

/// A score 1–5 as five text stars, filled to the nearest whole star.
pub fn stars_text(value: f64) -> String {
    let full = value.round().clamp(0.0, 5.0) as usize;
    format!("{}{}", "★".repeat(full), "☆".repeat(5 - full))
}
