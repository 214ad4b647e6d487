//! The order form (`/app/orders/new`, `/app/orders/{no}/edit`): one page
//! that works without JavaScript. Its buttons either save (draft or
//! submit) or only redraw the form (add or remove an item row, take a
//! recipient from the address book, refresh the routes) keeping all that
//! was typed.

use super::super::auth::Member;
use super::super::ctx::{self, PageCtx};
use super::super::errors::AppError;
use super::super::{AppState, redirect, render_with, run};
use crate::db::addresses::Address;
use crate::domain::customs::{self, Battery, ItemFields, Warning};
use crate::domain::field_errors::FieldErrors;
use crate::domain::order::{Draft, OrderForm, Purpose, item_field};
use crate::domain::quote::RouteQuote;
use crate::services::orders::{self, Start, Submission};
use crate::services::{ServiceError, addresses};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

/// What the buttons of the form ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Save,
    Submit,
    AddItem,
    RemoveItem(usize),
    PickAddress,
    Refresh,
}

/// The posted form: the order's fields plus what the page itself needs.
pub struct Posted {
    pub form: OrderForm,
    pub action: Action,
    pub form_token: String,
    pub save_recipient: bool,
    pub recipient_link: bool,
    pub acknowledge: bool,
    pub address_id: Option<i64>,
    /// Narrows the address-book picker (name, company, city or country).
    pub address_q: String,
}

fn flag(value: &str) -> bool {
    matches!(value, "on" | "yes" | "true" | "1")
}

impl Posted {
    /// Reads the url-encoded pairs; unknown names are ignored.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Posted {
        let mut posted = Posted {
            form: OrderForm::default(),
            action: Action::Save,
            form_token: String::new(),
            save_recipient: false,
            recipient_link: false,
            acknowledge: false,
            address_id: None,
            address_q: String::new(),
        };
        let mut rows = 0usize;
        let mut items: Vec<ItemFields> = Vec::new();
        for (name, value) in pairs {
            let form = &mut posted.form;
            let recipient = &mut form.recipient;
            match name.as_str() {
                "sender" => form.sender = value,
                "name" => recipient.name = value,
                "company" => recipient.company = value,
                "line1" => recipient.line1 = value,
                "line2" => recipient.line2 = value,
                "city" => recipient.city = value,
                "state" => recipient.state = value,
                "postcode" => recipient.postcode = value,
                "country" => recipient.country = value,
                "phone" => recipient.phone = value,
                "email" => recipient.email = value,
                "tax_id" => recipient.tax_id = value,
                "purpose" => form.purpose = value,
                "reference" => form.reference = value,
                "weight_kg" => form.weight_kg = value,
                "length_cm" => form.length_cm = value,
                "width_cm" => form.width_cm = value,
                "height_cm" => form.height_cm = value,
                "battery" => form.battery = value,
                "liquid" => form.liquid = flag(&value),
                "magnetic" => form.magnetic = flag(&value),
                "powder" => form.powder = flag(&value),
                "route" => form.route = value,
                "backup_route" => form.backup_route = value,
                "signature" => form.services.signature = flag(&value),
                "insurance" => form.services.insurance = flag(&value),
                "expedited" => form.services.expedited = flag(&value),
                "ddp" => form.services.ddp = flag(&value),
                "form_token" => posted.form_token = value,
                "save_recipient" => posted.save_recipient = flag(&value),
                "recipient_link" => posted.recipient_link = flag(&value),
                "acknowledge" => posted.acknowledge = flag(&value),
                "address_id" => posted.address_id = value.trim().parse().ok(),
                "address_q" => posted.address_q = value,
                "item_count" => rows = value.trim().parse().unwrap_or(0),
                "action" => {
                    posted.action = match value.as_str() {
                        "submit" => Action::Submit,
                        "add_item" => Action::AddItem,
                        "pick_address" => Action::PickAddress,
                        "find_address" => Action::Refresh,
                        "refresh" => Action::Refresh,
                        other => match other.strip_prefix("remove_item:") {
                            Some(row) => row
                                .parse()
                                .map(Action::RemoveItem)
                                .unwrap_or(Action::Refresh),
                            None => Action::Save,
                        },
                    }
                }
                other => {
                    if let Some((row, field)) = item_name(other)
                        && row < customs::MAX_ITEMS * 2
                    {
                        if items.len() <= row {
                            items.resize(row + 1, ItemFields::default());
                        }
                        let item = &mut items[row];
                        match field {
                            "description_en" => item.description_en = value,
                            "description_zh" => item.description_zh = value,
                            "quantity" => item.quantity = value,
                            "unit_value_usd" => item.unit_value_usd = value,
                            "hs_code" => item.hs_code = value,
                            "origin" => item.origin = value,
                            _ => {}
                        }
                    }
                }
            }
        }
        // Rows the page showed stay shown, even left blank.
        let rows = rows.clamp(1, customs::MAX_ITEMS);
        if items.len() < rows {
            items.resize(rows, ItemFields::default());
        }
        posted.form.items = items;
        posted
    }
}

/// `item3_hs_code` → (3, "hs_code").
fn item_name(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("item")?;
    let (row, field) = rest.split_once('_')?;
    Some((row.parse().ok()?, field))
}

/// A route as the form lists it.
pub struct RouteChoice {
    pub code: String,
    pub name: String,
    pub quote: RouteQuote,
    /// Its rating and measured days to the destination (the review board).
    pub standing: Option<crate::services::board::standing::Standing>,
}

#[derive(Template)]
#[template(path = "app/order_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    /// `None` for a new order.
    pub order_no: Option<String>,
    pub form: OrderForm,
    pub errors: FieldErrors,
    pub warnings: Vec<Warning>,
    pub form_token: String,
    pub save_recipient: bool,
    pub recipient_link: bool,
    pub awaiting_address: bool,
    pub book: Vec<Address>,
    /// What the company must finish before an order can be saved, said
    /// before anything is typed.
    pub not_ready: Option<orders::NotReady>,
    /// The book's addresses in China, which may send (the search does not narrow them).
    pub senders: Vec<Address>,
    pub address_q: String,
    pub routes: Vec<RouteChoice>,
    pub documents: Vec<&'static str>,
}

impl FormPage {
    pub fn action(&self) -> String {
        match &self.order_no {
            Some(no) => format!("/app/orders/{no}"),
            None => "/app/orders".to_owned(),
        }
    }

    pub fn purposes(&self) -> &'static [Purpose] {
        Purpose::ALL
    }

    pub fn batteries(&self) -> &'static [Battery] {
        Battery::ALL
    }

    pub fn field(&self, row: &usize, name: &str) -> String {
        item_field(*row, name)
    }

    /// Items come from China unless the seller says otherwise.
    pub fn origin<'a>(&self, item: &'a ItemFields) -> &'a str {
        if item.origin.trim().is_empty() {
            "CN"
        } else {
            &item.origin
        }
    }

    pub fn can_add_item(&self) -> bool {
        self.form.items.len() < customs::MAX_ITEMS
    }

    pub fn not_ready_code(&self) -> &'static str {
        match self.not_ready {
            Some(orders::NotReady::Verification) => "verification",
            Some(orders::NotReady::Module) => "module",
            None => "",
        }
    }

    pub fn is_sender(&self, id: &i64) -> bool {
        self.form.sender.trim() == id.to_string()
    }

    /// The route's rating and measured median days, as the board writes them.
    pub fn standing(&self, choice: &RouteChoice) -> String {
        crate::web::board::standing_text(&self.ctx, choice.standing.as_ref())
    }

    pub fn fen(&self, quote: &RouteQuote) -> String {
        quote.total().map(|t| t.to_string()).unwrap_or_default()
    }
}

/// Everything the form shows beside the typed fields: the address book,
/// the routes for the parcel as typed, the documents its goods need.
pub async fn page(
    ctx: PageCtx,
    member: &Member,
    state: &AppState,
    order_no: Option<String>,
    form: OrderForm,
    errors: FieldErrors,
    extras: Extras,
) -> Result<FormPage, AppError> {
    let actor = member.0.actor();
    let draft_for_quote = form.draft().ok();
    let documents = draft_for_quote
        .as_ref()
        .map(|d| d.declared.documents())
        .unwrap_or_default();
    let address_q = extras.address_q.clone();
    let lang = ctx.lang;
    let catalogue = state.catalogue.clone();
    let (book, senders, routes, not_ready) = run(state, move |conn| {
        let not_ready = orders::readiness(conn, &actor)?;
        let all = addresses::all(conn, &actor)?;
        let senders = all
            .iter()
            .filter(|a| a.country == orders::SENDER_COUNTRY)
            .cloned()
            .collect();
        let book = if address_q.trim().is_empty() {
            all
        } else {
            addresses::list(conn, &actor, &address_q, 1)?.items
        };
        let routes = match draft_for_quote {
            Some(draft) => match orders::quote_for(conn, &actor, &draft)? {
                Some(answer) => {
                    let standings = crate::services::board::standing::standings(
                        &*catalogue.current(conn)?,
                        &draft.recipient.country.trim().to_ascii_uppercase(),
                        crate::services::now(),
                    );
                    answer
                        .quotes
                        .iter()
                        .filter_map(|quote| {
                            let route = answer.route(quote.route.as_str())?;
                            Some(RouteChoice {
                                standing: standings.get(&route.code).copied(),
                                code: route.code.clone(),
                                name: match lang {
                                    crate::i18n::Lang::ZhCn => route.name_zh.clone(),
                                    crate::i18n::Lang::En => route.name_en.clone(),
                                },
                                quote: quote.clone(),
                            })
                        })
                        .collect()
                }
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        Ok((book, senders, routes, not_ready))
    })
    .await?;
    Ok(FormPage {
        ctx,
        order_no,
        form,
        errors,
        warnings: extras.warnings,
        form_token: extras.form_token,
        save_recipient: extras.save_recipient,
        recipient_link: extras.recipient_link,
        awaiting_address: extras.awaiting_address,
        book,
        senders,
        not_ready,
        address_q: extras.address_q,
        routes,
        documents,
    })
}

/// The page state that is not part of the order itself.
#[derive(Default)]
pub struct Extras {
    pub warnings: Vec<Warning>,
    pub form_token: String,
    pub save_recipient: bool,
    pub recipient_link: bool,
    pub awaiting_address: bool,
    pub address_q: String,
}

impl Extras {
    fn of(posted: &Posted) -> Extras {
        Extras {
            warnings: Vec::new(),
            form_token: posted.form_token.clone(),
            save_recipient: posted.save_recipient,
            recipient_link: posted.recipient_link,
            awaiting_address: false,
            address_q: posted.address_q.clone(),
        }
    }
}

/// Handles POST /app/orders (`order_no == None`) and POST /app/orders/{no}.
pub async fn post(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    order_no: Option<String>,
    posted: Posted,
) -> Result<HttpResponse, AppError> {
    let mut posted = posted;
    // Buttons that only redraw the form: nothing is saved, nothing is lost.
    let redraw = match posted.action {
        Action::AddItem => {
            if posted.form.items.len() < customs::MAX_ITEMS {
                posted.form.items.push(ItemFields::default());
            }
            Some(FieldErrors::new())
        }
        Action::RemoveItem(row) => {
            if row < posted.form.items.len() {
                posted.form.items.remove(row);
            }
            if posted.form.items.is_empty() {
                posted.form.items.push(ItemFields::default());
            }
            Some(FieldErrors::new())
        }
        Action::PickAddress => {
            if let Some(id) = posted.address_id {
                let actor = member.0.actor();
                let address = run(&state, move |conn| addresses::get(conn, &actor, id)).await?;
                posted.form.recipient = addresses::to_fields(&address);
            }
            Some(FieldErrors::new())
        }
        Action::Refresh => Some(posted.form.draft().err().unwrap_or_default()),
        Action::Save | Action::Submit => None,
    };
    if let Some(errors) = redraw {
        return show(ctx, member, state, order_no, posted, errors, StatusCode::OK).await;
    }
    let draft = match posted.form.draft() {
        Ok(draft) => draft,
        Err(errors) => {
            return show(
                ctx,
                member,
                state,
                order_no,
                posted,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let actor = member.0.actor();
    let saved = {
        let draft = draft.clone();
        let order_no = order_no.clone();
        let token = posted.form_token.clone();
        let save_recipient = posted.save_recipient;
        let recipient_link = posted.recipient_link;
        run(&state, move |conn| match order_no {
            Some(no) => {
                orders::update(conn, &actor, &no, &draft, save_recipient)?;
                Ok((no, None, true))
            }
            None => {
                let start = if recipient_link {
                    Start::RecipientLink
                } else {
                    Start::Draft { save_recipient }
                };
                let created = orders::create(conn, &actor, &token, &draft, start)?;
                Ok((created.order_no, created.link_token, created.new))
            }
        })
        .await
    };
    let (saved_no, link_token, new) = match saved {
        Ok(saved) => saved,
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            return show(
                ctx,
                member,
                state,
                order_no,
                posted,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        // The company cannot order yet: the form comes back with everything
        // typed and the notice saying what to finish first.
        Err(AppError::Service(ServiceError::Conflict("error.order.module_inactive"))) => {
            return show(
                ctx,
                member,
                state,
                order_no,
                posted,
                FieldErrors::new(),
                StatusCode::CONFLICT,
            )
            .await;
        }
        Err(AppError::Service(ServiceError::Conflict("error.order.not_editable")))
            if posted.action == Action::Submit =>
        {
            // A second click on Submit: the first one went through.
            ctx::flash(&session, "info", "flash.order_already_submitted");
            return Ok(redirect(&format!(
                "/app/orders/{}",
                order_no.unwrap_or_default()
            )));
        }
        Err(error) => return Err(error),
    };
    let location = format!("/app/orders/{saved_no}");
    if let Some(token) = link_token {
        super::remember_link(&session, &saved_no, &token);
        ctx::flash(&session, "success", "flash.order_link_created");
        return Ok(redirect(&location));
    }
    if posted.action == Action::Save || !new {
        ctx::flash(&session, "success", "flash.order_saved");
        return Ok(redirect(&location));
    }
    submit_saved(
        ctx,
        member,
        session,
        state,
        saved_no,
        posted.acknowledge,
        draft,
    )
    .await
}

/// Submits an order just saved; errors and warnings come back on its edit form.
pub async fn submit_saved(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    order_no: String,
    acknowledged: bool,
    draft: Draft,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let no = order_no.clone();
    let result = run(&state, move |conn| {
        orders::submit(conn, &actor, &no, acknowledged)
    })
    .await;
    let (errors, warnings) = match result {
        Ok(Submission::Submitted(_)) => {
            ctx::flash(&session, "success", "flash.order_submitted");
            return Ok(redirect(&format!("/app/orders/{order_no}")));
        }
        Ok(Submission::Unacknowledged(warnings)) => (FieldErrors::new(), warnings),
        Err(AppError::Service(ServiceError::Invalid(errors))) => (errors, Vec::new()),
        Err(error) => return Err(error),
    };
    let extras = Extras {
        warnings,
        form_token: String::new(),
        ..Extras::default()
    };
    let page = page(
        ctx,
        &member,
        &state,
        Some(order_no),
        draft.form(),
        errors,
        extras,
    )
    .await?;
    render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

async fn show(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    order_no: Option<String>,
    posted: Posted,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let extras = Extras::of(&posted);
    let page = page(ctx, &member, &state, order_no, posted.form, errors, extras).await?;
    render_with(&page, status)
}
