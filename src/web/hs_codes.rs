//! HS code suggestions for the customs items of an order: JSON for the form's
//! small script (and ERPs), from the built-in keyword table.

use super::auth::Member;
use crate::domain::hs;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/hs-codes", web::get().to(suggest));
}

/// How many suggestions one query returns.
const LIMIT: usize = 8;

#[derive(Deserialize)]
pub struct SuggestQuery {
    #[serde(default)]
    q: String,
}

#[derive(Serialize)]
struct Suggestion<'a> {
    hs6: &'a str,
    description_en: &'a str,
    description_zh: &'a str,
}

/// Handles GET /app/hs-codes?q=power+bank: the best matches first, `[]` when nothing fits.
async fn suggest(_member: Member, query: web::Query<SuggestQuery>) -> HttpResponse {
    let suggestions: Vec<Suggestion> = hs::suggest(&query.q, LIMIT)
        .into_iter()
        .map(|entry| Suggestion {
            hs6: &entry.hs6,
            description_en: &entry.description_en,
            description_zh: &entry.description_zh,
        })
        .collect();
    HttpResponse::Ok().json(suggestions)
}
