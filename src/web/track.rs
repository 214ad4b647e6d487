//! `/track` and `/track/{order_no}`: the public tracking page for anyone
//! with the order number and the recipient's postcode (a seller's KOL, the
//! recipient). It shows milestones, progress and the estimate, and of the
//! recipient only the destination city and country. A wrong number and a
//! wrong postcode get the same answer. The recipient's link opens it without
//! the postcode (never the order number alone). In the visitor's language.

use super::ctx::{OutsiderCtx, PageCtx};
use super::errors::AppError;
use super::rate_limit::{self, RateLimit};
use super::{AppState, redirect, render, render_with, run};
use crate::services::tracking::{self, TrackingView};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/track", web::get().to(form))
        .route(
            "/track",
            web::post()
                .to(look_up)
                .wrap(RateLimit(&rate_limit::TRACKING)),
        )
        .route(
            "/track/{order_no}",
            web::get().to(show).wrap(RateLimit(&rate_limit::TRACKING)),
        );
}

/// The session key of the order numbers this browser gave the right postcode for.
const SESSION_TRACKED: &str = "tracked";
/// Orders remembered per browser session; the oldest is forgotten first.
const MAX_TRACKED: usize = 20;

#[derive(Template)]
#[template(path = "public/track_form.html")]
struct FormPage {
    ctx: PageCtx,
    order_no: String,
    /// The lookup failed (unknown number or wrong postcode alike).
    not_found: bool,
}

#[derive(Template)]
#[template(path = "public/track.html")]
struct TrackPage {
    ctx: PageCtx,
    tracking: TrackingView,
}

#[derive(Deserialize)]
pub struct LookUp {
    #[serde(default)]
    order_no: String,
    #[serde(default)]
    postcode: String,
}

fn tracked(session: &Session) -> Vec<(String, String)> {
    session
        .get::<Vec<(String, String)>>(SESSION_TRACKED)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Handles GET /track: the form.
async fn form(OutsiderCtx(ctx): OutsiderCtx) -> Result<HttpResponse, AppError> {
    render(&FormPage {
        ctx,
        order_no: String::new(),
        not_found: false,
    })
}

/// Handles POST /track: the number and postcode; the right pair opens the
/// parcel's page and is remembered for this browser session.
async fn look_up(
    OutsiderCtx(ctx): OutsiderCtx,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<LookUp>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (number, postcode) = (form.order_no.clone(), form.postcode.clone());
    let found = run(&state, move |conn| {
        tracking::public_view(conn, &number, &postcode)
    })
    .await?;
    let Some(view) = found else {
        return render_with(
            &FormPage {
                ctx,
                order_no: form.order_no,
                not_found: true,
            },
            StatusCode::NOT_FOUND,
        );
    };
    remember(&session, &view.order_no, form.postcode);
    Ok(redirect(&format!("/track/{}", view.order_no)))
}

/// Lets this browser session open `/track/{order_no}`: after the right
/// postcode, or from the recipient's own link (which knows it).
pub(crate) fn remember(session: &Session, order_no: &str, postcode: String) {
    let mut remembered = tracked(session);
    remembered.retain(|(no, _)| no != order_no);
    remembered.push((order_no.to_owned(), postcode));
    if remembered.len() > MAX_TRACKED {
        remembered.remove(0);
    }
    if let Err(error) = session.insert(SESSION_TRACKED, &remembered) {
        tracing::warn!(%error, "could not remember a tracked order");
    }
}

/// Handles GET /track/{order_no}: the parcel's journey when this browser
/// gave the right postcode (checked again, in case the order changed), else
/// the form with the number filled in.
async fn show(
    OutsiderCtx(ctx): OutsiderCtx,
    session: Session,
    state: web::Data<AppState>,
    order_no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let order_no = order_no.into_inner().trim().to_ascii_uppercase();
    let postcode = tracked(&session)
        .into_iter()
        .find(|(no, _)| *no == order_no)
        .map(|(_, postcode)| postcode);
    let view = match postcode {
        Some(postcode) => {
            let number = order_no.clone();
            run(&state, move |conn| {
                tracking::public_view(conn, &number, &postcode)
            })
            .await?
        }
        None => None,
    };
    match view {
        Some(tracking) => render(&TrackPage { ctx, tracking }),
        None => render(&FormPage {
            ctx,
            order_no,
            not_found: false,
        }),
    }
}
