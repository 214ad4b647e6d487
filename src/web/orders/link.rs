//! `/r/{token}`: the recipient of a sample fills in and confirms their own
//! address, without an account, checked exactly like the order form; after
//! dispatch the same URL follows the parcel (`receipt`). The pages speak the
//! recipient's language (`ctx::lang_for_outsider`).

use super::super::ctx::{OutsiderCtx, PageCtx};
use super::super::errors::AppError;
use super::super::rate_limit::{self, RateLimit};
use super::super::{AppState, render, render_with, run};
use super::receipt;
use crate::domain::field_errors::FieldErrors;
use crate::domain::recipient::RecipientFields;
use crate::services::ServiceError;
use crate::services::orders::link::{self, LinkProblem, Opened};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/r/{token}", web::get().to(show)).route(
        "/r/{token}",
        web::post()
            .to(confirm)
            .wrap(RateLimit(&rate_limit::RECIPIENT_LINK)),
    );
}

#[derive(Template)]
#[template(path = "public/recipient_link.html")]
struct LinkPage {
    ctx: PageCtx,
    token: String,
    sender_company: String,
    order_no: String,
    form: RecipientFields,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "public/recipient_done.html")]
struct DonePage {
    ctx: PageCtx,
    /// `None` when the address was confirmed; else why the link does not work.
    problem: Option<&'static str>,
}

pub(super) fn problem_page(ctx: PageCtx, problem: LinkProblem) -> Result<HttpResponse, AppError> {
    let key = match problem {
        LinkProblem::Unknown => "recipient_link.unknown",
        LinkProblem::Expired => "recipient_link.expired",
    };
    let status = super::super::link_problem_status(problem);
    render_with(
        &DonePage {
            ctx,
            problem: Some(key),
        },
        status,
    )
}

/// The order form's messages, reworded where they speak to a seller in China:
/// the recipient is told "Latin letters", not to write Chinese in pinyin.
fn for_recipient(errors: FieldErrors) -> FieldErrors {
    let mut reworded = FieldErrors::new();
    for (field, key) in errors.iter() {
        let key = match key {
            "error.latin_chars" => "links.latin_chars",
            other => other,
        };
        let field = field.to_owned();
        match errors.detail(&field) {
            Some(detail) => reworded.add_detail(field.clone(), key, detail.to_owned()),
            None => reworded.add(field, key),
        }
    }
    reworded
}

/// Handles GET /r/{token}: the address form, or once the parcel is on its
/// way its journey and the confirmation of receipt (`receipt`).
async fn show(
    OutsiderCtx(ctx): OutsiderCtx,
    session: Session,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    match run(&state, move |conn| link::open_any(conn, &lookup)).await? {
        Ok(Opened::Address(linked)) => render(&LinkPage {
            ctx,
            token,
            sender_company: linked.sender_company,
            order_no: linked.order.order_no,
            form: linked.recipient,
            errors: FieldErrors::new(),
        }),
        Ok(Opened::Parcel(followed)) => {
            super::super::track::remember(&session, &followed.order_no, followed.postcode.clone());
            let page = receipt::ParcelPage::new(ctx, token, *followed);
            render(&page)
        }
        Err(problem) => problem_page(ctx, problem),
    }
}

/// Handles POST /r/{token}: confirms the address, or shows what to fix.
async fn confirm(
    OutsiderCtx(ctx): OutsiderCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<RecipientFields>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let form = form.into_inner();
    let (lookup, fields) = (token.clone(), form.clone());
    match run(&state, move |conn| link::confirm(conn, &lookup, &fields)).await {
        Ok(Ok(_)) => render(&DonePage { ctx, problem: None }),
        Ok(Err(problem)) => problem_page(ctx, problem),
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let lookup = token.clone();
            let linked = run(&state, move |conn| link::open(conn, &lookup)).await?;
            match linked {
                Ok(linked) => render_with(
                    &LinkPage {
                        ctx,
                        token,
                        sender_company: linked.sender_company,
                        order_no: linked.order.order_no,
                        form,
                        errors: for_recipient(errors),
                    },
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                Err(problem) => problem_page(ctx, problem),
            }
        }
        Err(error) => Err(error),
    }
}
