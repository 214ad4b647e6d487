//! The public rate calculator: a GET form, so a result can be linked.

use super::ctx::PageCtx;
use super::errors::AppError;
use super::{AppState, render, render_with, run};
use crate::domain::country::CountryCode;
use crate::domain::field_errors::FieldErrors;
use crate::domain::measure::{grams_from_kg, mm_from_cm};
use crate::domain::money::UsdCents;
use crate::domain::quote::{
    Dimensions, Options, Parcel, QuoteLine, RouteQuote, SortBy, Unavailable,
};
use crate::domain::route::{Attribute, Attributes};
use crate::i18n::Lang;
use crate::services::board::standing::{self, Standing};
use crate::services::quote::{self, QuoteAnswer};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/rates", web::get().to(calculator));
}

/// The calculator's query string as typed.
#[derive(Deserialize, Default)]
pub struct RateQuery {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub weight_kg: String,
    #[serde(default)]
    pub length_cm: String,
    #[serde(default)]
    pub width_cm: String,
    #[serde(default)]
    pub height_cm: String,
    #[serde(flatten)]
    pub attributes: AttributeBoxes,
    #[serde(default)]
    pub declared_usd: String,
    #[serde(default)]
    pub signature: Option<String>,
    #[serde(default)]
    pub insurance: Option<String>,
    #[serde(default)]
    pub expedited: Option<String>,
    #[serde(default)]
    pub ddp: Option<String>,
    #[serde(default)]
    pub promo: String,
    #[serde(default)]
    pub sort: String,
}

/// The sensitive-goods checkboxes of a GET form (`/rates`, the board): a
/// ticked one is present in the query string, whatever its value.
#[derive(Deserialize, Default)]
pub struct AttributeBoxes {
    #[serde(default)]
    pub battery: Option<String>,
    #[serde(default)]
    pub liquid: Option<String>,
    #[serde(default)]
    pub magnetic: Option<String>,
    #[serde(default)]
    pub powder: Option<String>,
}

impl AttributeBoxes {
    pub fn has(&self, attribute: &Attribute) -> bool {
        match attribute {
            Attribute::Battery => self.battery.is_some(),
            Attribute::Liquid => self.liquid.is_some(),
            Attribute::Magnetic => self.magnetic.is_some(),
            Attribute::Powder => self.powder.is_some(),
        }
    }

    /// The ticked attributes.
    pub fn ticked(&self) -> Attributes {
        let mut attributes = Attributes::default();
        for attribute in Attribute::ALL {
            if self.has(attribute) {
                attributes.insert(*attribute);
            }
        }
        attributes
    }
}

impl RateQuery {
    fn submitted(&self) -> bool {
        !self.to.is_empty() || !self.weight_kg.is_empty()
    }

    pub fn has(&self, attribute: &Attribute) -> bool {
        self.attributes.has(attribute)
    }

    /// Services and DDP as the quote engine takes them.
    fn options(&self) -> Options {
        Options {
            signature: self.signature.is_some(),
            insurance: self.insurance.is_some(),
            expedited: self.expedited.is_some(),
            ddp: self.ddp.is_some(),
            ..Options::default()
        }
    }

    fn sort_by(&self) -> SortBy {
        if self.sort == "speed" {
            SortBy::Speed
        } else {
            SortBy::Price
        }
    }

    /// The parcel, or every problem by field.
    fn parse(&self) -> Result<Parcel, FieldErrors> {
        let mut errors = FieldErrors::new();
        let country = errors.check(
            "to",
            CountryCode::parse(&self.to),
            |_| "error.rates.country",
        );
        let weight = errors.check("weight_kg", grams_from_kg(&self.weight_kg), |e| e);
        let sides = [&self.length_cm, &self.width_cm, &self.height_cm];
        let dimensions = if sides.iter().all(|s| s.trim().is_empty()) {
            None
        } else {
            let length = errors.check("length_cm", mm_from_cm(&self.length_cm), |e| e);
            let width = errors.check("width_cm", mm_from_cm(&self.width_cm), |e| e);
            let height = errors.check("height_cm", mm_from_cm(&self.height_cm), |e| e);
            match (length, width, height) {
                (Some(length_mm), Some(width_mm), Some(height_mm)) => Some(Dimensions {
                    length_mm,
                    width_mm,
                    height_mm,
                }),
                _ => None,
            }
        };
        let declared = if self.declared_usd.trim().is_empty() {
            None
        } else {
            errors.check("declared_usd", UsdCents::parse(&self.declared_usd), |e| {
                e.message_key()
            })
        };
        let attributes = self.attributes.ticked();
        match (country, weight) {
            (Some(country), Some(weight_g)) if errors.is_empty() => Ok(Parcel {
                country,
                postcode: self.postcode.trim().to_owned(),
                weight_g,
                dimensions,
                attributes,
                declared,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "public/rates.html")]
struct CalculatorPage {
    ctx: PageCtx,
    query: RateQuery,
    errors: FieldErrors,
    answer: Option<QuoteAnswer>,
    /// Each route's rating and measured days to the destination.
    standings: HashMap<String, Standing>,
    attributes: &'static [Attribute],
}

impl CalculatorPage {
    /// The order form refuses a postcode without the destination's format;
    /// the calculator still prices it but says so, with an example.
    fn postcode_warning(&self) -> Option<String> {
        let country = crate::domain::country::find(self.query.to.trim())?;
        if self.query.postcode.trim().is_empty() {
            return None;
        }
        let error = crate::domain::postcode::check(country, &self.query.postcode).err()?;
        let text = self.ctx.t("rates.postcode_warning");
        Some(match error.example() {
            Some(example) => format!("{text} {} {example}", self.ctx.t("rates.for_example")),
            None => text.to_owned(),
        })
    }

    /// The destination picker's options, the typed country selected
    /// (escaped once per language: `web::picker`).
    fn country_options(&self) -> String {
        super::picker::by_code(self.ctx.lang).with_selected(&self.query.to)
    }

    fn route_name(&self, q: &RouteQuote) -> String {
        let route = self.answer.as_ref().and_then(|a| a.route(q.route.as_str()));
        match (route, self.ctx.lang) {
            (Some(r), Lang::ZhCn) => r.name_zh.clone(),
            (Some(r), Lang::En) => r.name_en.clone(),
            (None, _) => q.route.to_string(),
        }
    }

    /// The route's rating and measured median days, as the board writes them.
    fn standing(&self, q: &RouteQuote) -> String {
        super::board::standing_text(&self.ctx, self.standings.get(q.route.as_str()))
    }

    fn kg(&self, grams: &u32) -> String {
        crate::domain::measure::kg_text(*grams)
    }

    fn line_label(&self, line: &QuoteLine) -> String {
        self.ctx.tv("quote.line", line.kind.as_str())
    }

    fn available(&self) -> Vec<&RouteQuote> {
        self.answer
            .iter()
            .flat_map(|a| a.quotes.iter())
            .filter(|q| q.is_available())
            .collect()
    }

    fn unavailable(&self) -> Vec<(&RouteQuote, &Unavailable)> {
        self.answer
            .iter()
            .flat_map(|a| a.quotes.iter())
            .filter_map(|q| q.result.as_ref().err().map(|why| (q, why)))
            .collect()
    }
}

/// Handles GET /rates: the calculator, and with a query the prices of every route.
async fn calculator(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<RateQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let mut page = CalculatorPage {
        ctx,
        query,
        errors: FieldErrors::new(),
        answer: None,
        standings: HashMap::new(),
        attributes: Attribute::ALL,
    };
    if !page.query.submitted() {
        return render(&page);
    }
    match page.query.parse() {
        Ok(parcel) => {
            let sort = page.query.sort_by();
            let options = page.query.options();
            let promo = page.query.promo.clone();
            // A fresh kept catalogue and no promotion code: priced, and the
            // routes' standings read, without the database (README, "Speed
            // at scale").
            let country = parcel.country.as_str().to_owned();
            let (answer, catalogue) = match state.catalogue.fresh() {
                Some(catalogue) if promo.trim().is_empty() => (
                    quote::quote_from(&catalogue, &parcel, &options, sort),
                    catalogue,
                ),
                _ => {
                    let cache = state.catalogue.clone();
                    run(&state, move |conn| {
                        let catalogue = cache.current(conn)?;
                        let answer = quote::quote_with(
                            conn,
                            &catalogue,
                            &parcel,
                            &options,
                            Some(&promo),
                            sort,
                        )?;
                        Ok((answer, catalogue))
                    })
                    .await?
                }
            };
            let standings = standing::standings(&catalogue, &country, crate::services::now());
            page.answer = Some(answer);
            page.standings = standings;
            render(&page)
        }
        Err(errors) => {
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
