//! `/return/{token}`: the recipient of a sample the seller wants back reads
//! how to send it and prints the return label, without an account, in the
//! browser's language (`ctx::OutsiderCtx`).

use super::ctx::{OutsiderCtx, PageCtx};
use super::errors::AppError;
use super::{AppState, link_problem_status, render, render_with, run};
use crate::services::LinkProblem;
use crate::services::returns::{self, ReturnLink};
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/return/{token}", web::get().to(show))
        .route("/return/{token}/label.pdf", web::get().to(label));
}

#[derive(Template)]
#[template(path = "public/return_link.html")]
struct ReturnPage {
    ctx: PageCtx,
    token: String,
    /// `Err`: why the link does not open (a message key).
    link: Result<ReturnLink, &'static str>,
}

fn problem_key(problem: LinkProblem) -> &'static str {
    match problem {
        LinkProblem::Unknown => "returns.link_unknown",
        LinkProblem::Expired => "returns.link_expired",
    }
}

/// Handles GET /return/{token}: how to send the parcel back, and its label.
async fn show(
    OutsiderCtx(ctx): OutsiderCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    match run(&state, move |conn| returns::open(conn, &lookup)).await? {
        Ok(link) => render(&ReturnPage {
            ctx,
            token,
            link: Ok(link),
        }),
        Err(problem) => render_with(
            &ReturnPage {
                ctx,
                token: String::new(),
                link: Err(problem_key(problem)),
            },
            link_problem_status(problem),
        ),
    }
}

/// Handles GET /return/{token}/label.pdf: the return label (A6).
async fn label(
    OutsiderCtx(ctx): OutsiderCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    match run(&state, move |conn| returns::label(conn, &token)).await? {
        Ok(label) => {
            let name = format!("return-{}.pdf", label.order_no);
            super::labels::pdf_response(name, move || {
                crate::pdf::render_labels(&[label], crate::pdf::LabelPaper::A6)
            })
            .await
        }
        Err(problem) => render_with(
            &ReturnPage {
                ctx,
                token: String::new(),
                link: Err(problem_key(problem)),
            },
            link_problem_status(problem),
        ),
    }
}
