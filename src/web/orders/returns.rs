//! Returns on the order page: "Send it back" for a parcel the carrier could
//! not deliver, "Ask for it back" for a delivered sample. Both create a
//! paid return order; the second also gives a link for the recipient.

use super::{ConfirmForm, unconfirmed};
use crate::services::returns::{self, Requested};
use crate::web::auth::Member;
use crate::web::ctx;
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, run};
use actix_session::Session;
use actix_web::{HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/orders/{no}/send-back", web::post().to(send_back));
}

/// The session key under which a new return link waits to be shown once
/// on the return order's page (only its hash is stored).
pub(super) fn link_key(order_no: &str) -> String {
    format!("return_link:{order_no}")
}

/// Handles POST /app/orders/{no}/send-back: creates and pays the return
/// order, only with the confirmation ticked; a short balance writes nothing.
async fn send_back(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    if let Some(back) = unconfirmed(&session, &form, &no, "returns.confirm_first") {
        return Ok(back);
    }
    let actor = member.0.actor();
    let target = no.clone();
    match run(&state, move |conn| returns::request(conn, &actor, &target)).await? {
        Requested::Created {
            return_no,
            link_token,
        } => {
            if let Some(token) = link_token
                && let Err(error) = session.insert(link_key(&return_no), token)
            {
                tracing::warn!(%error, "could not keep the return link for display");
            }
            ctx::flash(&session, "success", "returns.created");
            Ok(redirect(&format!("/app/orders/{return_no}")))
        }
        Requested::Short { .. } => {
            ctx::flash(&session, "error", "returns.balance_short");
            Ok(redirect(&format!("/app/orders/{no}")))
        }
    }
}
