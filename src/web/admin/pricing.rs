//! The admin's pricing rules (exchange rate, services, DDP, discounts) and promotion codes.

use crate::db::catalogue::{PromotionRecord, parse_tiers};
use crate::domain::field_errors::FieldErrors;
use crate::domain::money::{BasisPoints, Fen, UsdCnyRate};
use crate::domain::quote::{PricingRules, Promotion, PromotionDiscount};
use crate::domain::route::RouteCode;
use crate::services::{ServiceError, pricing};
use crate::web::auth::Admin;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/pricing", web::get().to(page))
        .route("/admin/pricing", web::post().to(update_rules))
        .route(
            "/admin/pricing/promotions",
            web::post().to(create_promotion),
        )
        .route(
            "/admin/pricing/promotions/{id}",
            web::post().to(toggle_promotion),
        );
}

/// The rules form as typed (amounts in CNY, rates in %).
#[derive(Deserialize, Default)]
pub struct RulesForm {
    #[serde(default)]
    usd_cny: String,
    #[serde(default)]
    signature_fee: String,
    #[serde(default)]
    insurance_pct: String,
    #[serde(default)]
    insurance_min: String,
    #[serde(default)]
    expedited_fee: String,
    #[serde(default)]
    ddp_pct: String,
    #[serde(default)]
    ddp_min: String,
    #[serde(default)]
    erp_pct: String,
    /// `100:3;500:6` — parcels per month : discount %.
    #[serde(default)]
    volume_tiers: String,
}

impl RulesForm {
    fn from_rules(rules: &PricingRules) -> RulesForm {
        RulesForm {
            usd_cny: rules.usd_cny.to_string(),
            signature_fee: rules.signature_fee.to_string(),
            insurance_pct: rules.insurance_rate.to_string(),
            insurance_min: rules.insurance_min.to_string(),
            expedited_fee: rules.expedited_fee.to_string(),
            ddp_pct: rules.ddp_rate.to_string(),
            ddp_min: rules.ddp_min.to_string(),
            erp_pct: rules.erp_discount.to_string(),
            volume_tiers: rules
                .volume_tiers
                .iter()
                .map(|t| format!("{}:{}", t.min_parcels, t.discount))
                .collect::<Vec<_>>()
                .join(";"),
        }
    }

    fn parse(&self) -> Result<PricingRules, FieldErrors> {
        let mut errors = FieldErrors::new();
        let money = |errors: &mut FieldErrors, field, value: &str| {
            errors.check(field, Fen::parse(value), |e| e.message_key())
        };
        let percent = |errors: &mut FieldErrors, field, value: &str| {
            errors.check(
                field,
                BasisPoints::parse_percent(value).and_then(|bp| {
                    if bp.0 > 10_000 {
                        Err(crate::domain::money::AmountError::TooLarge)
                    } else {
                        Ok(bp)
                    }
                }),
                |e| e.message_key(),
            )
        };
        let usd_cny = errors.check(
            "usd_cny",
            UsdCnyRate::parse(&self.usd_cny),
            |_| "error.pricing.rate",
        );
        let signature_fee = money(&mut errors, "signature_fee", &self.signature_fee);
        let insurance_rate = percent(&mut errors, "insurance_pct", &self.insurance_pct);
        let insurance_min = money(&mut errors, "insurance_min", &self.insurance_min);
        let expedited_fee = money(&mut errors, "expedited_fee", &self.expedited_fee);
        let ddp_rate = percent(&mut errors, "ddp_pct", &self.ddp_pct);
        let ddp_min = money(&mut errors, "ddp_min", &self.ddp_min);
        let erp_discount = percent(&mut errors, "erp_pct", &self.erp_pct);
        // Tiers are typed in %, stored in basis points.
        let tiers_in_bp: Option<String> = self
            .volume_tiers
            .split(';')
            .filter(|t| !t.trim().is_empty())
            .map(|tier| {
                let (parcels, pct) = tier.split_once(':')?;
                let bp = BasisPoints::parse_percent(pct)
                    .ok()
                    .filter(|bp| bp.0 <= 10_000)?;
                Some(format!("{}:{}", parcels.trim(), bp.0))
            })
            .collect::<Option<Vec<_>>>()
            .map(|t| t.join(";"));
        let volume_tiers = tiers_in_bp.and_then(|t| parse_tiers(&t));
        if volume_tiers.is_none() {
            errors.add("volume_tiers", "error.pricing.tiers");
        }
        let rules = (|| {
            Some(PricingRules {
                usd_cny: usd_cny?,
                signature_fee: signature_fee?,
                insurance_rate: insurance_rate?,
                insurance_min: insurance_min?,
                expedited_fee: expedited_fee?,
                ddp_rate: ddp_rate?,
                ddp_min: ddp_min?,
                volume_tiers: volume_tiers?,
                erp_discount: erp_discount?,
            })
        })();
        match rules {
            Some(rules) if errors.is_empty() => Ok(rules),
            _ => Err(errors),
        }
    }
}

/// The new-promotion form as typed.
#[derive(Deserialize, Default)]
pub struct PromotionForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_until: String,
    #[serde(default)]
    routes: String,
}

impl PromotionForm {
    fn parse(&self) -> Result<Promotion, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = self.code.trim().to_uppercase();
        let code_ok = (3..=20).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !code_ok {
            errors.add("code", "error.promotion.code");
        }
        let discount = match self.kind.as_str() {
            "fixed" => errors
                .check("amount", Fen::parse(&self.amount), |e| e.message_key())
                .map(PromotionDiscount::Fixed),
            "percent" => errors
                .check(
                    "amount",
                    BasisPoints::parse_percent(&self.amount)
                        .ok()
                        .filter(|bp| bp.0 <= 10_000)
                        .ok_or(()),
                    |_| "error.promotion.percent",
                )
                .map(PromotionDiscount::Percent),
            _ => {
                errors.add("kind", "error.promotion.kind");
                None
            }
        };
        let date = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d");
        let valid_from = errors.check(
            "valid_from",
            date(&self.valid_from),
            |_| "error.promotion.date",
        );
        let valid_until = errors.check(
            "valid_until",
            date(&self.valid_until),
            |_| "error.promotion.date",
        );
        if let (Some(from), Some(until)) = (valid_from, valid_until)
            && until < from
        {
            errors.add("valid_until", "error.promotion.window");
        }
        let routes: Result<Vec<RouteCode>, _> = self
            .routes
            .split([';', ',', ' '])
            .filter(|c| !c.trim().is_empty())
            .map(RouteCode::parse)
            .collect();
        let routes = errors.check("routes", routes, |_| "error.promotion.routes");
        match (discount, valid_from, valid_until, routes) {
            (Some(discount), Some(valid_from), Some(valid_until), Some(routes))
                if errors.is_empty() =>
            {
                Ok(Promotion {
                    code,
                    discount,
                    valid_from,
                    valid_until,
                    routes,
                })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/pricing.html")]
struct PricingPage {
    ctx: PageCtx,
    form: RulesForm,
    errors: FieldErrors,
    promotions: Vec<PromotionRecord>,
    promotion: PromotionForm,
    promotion_errors: FieldErrors,
}

impl PricingPage {
    fn promotion_amount(&self, p: &PromotionRecord) -> String {
        if p.kind == "percent" {
            format!("{} %", BasisPoints(p.amount))
        } else {
            format!("¥{}", Fen(p.amount))
        }
    }
}

async fn load(ctx: PageCtx, state: &AppState) -> Result<PricingPage, AppError> {
    let (rules, promotions) = run(state, |conn| {
        Ok((pricing::rules(conn)?, pricing::promotions(conn)?))
    })
    .await?;
    Ok(PricingPage {
        ctx,
        form: RulesForm::from_rules(&rules),
        errors: FieldErrors::new(),
        promotions,
        promotion: PromotionForm::default(),
        promotion_errors: FieldErrors::new(),
    })
}

/// Handles GET /admin/pricing.
async fn page(
    ctx: PageCtx,
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    render(&load(ctx, &state).await?)
}

/// Handles POST /admin/pricing: exchange rate, services, DDP and discounts.
async fn update_rules(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<RulesForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let result = match form.parse() {
        Ok(rules) => {
            let actor = admin.0.actor();
            run(&state, move |conn| {
                pricing::update_rules(conn, &actor, &rules)
            })
            .await
        }
        Err(errors) => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.pricing_saved");
            Ok(redirect("/admin/pricing"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = load(ctx, &state).await?;
            page.form = form;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

/// Handles POST /admin/pricing/promotions: a new promotion code.
async fn create_promotion(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<PromotionForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let result = match form.parse() {
        Ok(promotion) => {
            let actor = admin.0.actor();
            run(&state, move |conn| {
                pricing::create_promotion(conn, &actor, &promotion)
            })
            .await
        }
        Err(errors) => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.promotion_saved");
            Ok(redirect("/admin/pricing"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = load(ctx, &state).await?;
            page.promotion = form;
            page.promotion_errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

#[derive(Deserialize)]
pub struct ToggleForm {
    #[serde(default)]
    active: String,
}

/// Handles POST /admin/pricing/promotions/{id}: switch a promotion on or off.
async fn toggle_promotion(
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ToggleForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let active = form.active == "yes";
    let actor = admin.0.actor();
    run(&state, move |conn| {
        pricing::set_promotion_active(conn, &actor, id, active)
    })
    .await?;
    ctx::flash(&session, "success", "flash.promotion_saved");
    Ok(redirect("/admin/pricing"))
}
