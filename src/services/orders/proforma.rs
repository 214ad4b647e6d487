//! The proforma invoice of an order, as the PDF and the print page show it.

use super::view;
use crate::db::DbConnection;
use crate::db::models::Company;
use crate::db::schema::{addresses, companies};
use crate::domain::phone;
use crate::i18n::{self, Lang};
use crate::pdf::{InvoiceItem, Party, ProformaInvoice};
use crate::services::{Actor, ServiceResult};
use diesel::prelude::*;

/// The invoice of one of the actor's orders, drafts included (a seller may
/// print it to check before submitting).
pub fn proforma(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
) -> ServiceResult<ProformaInvoice> {
    let view = view(conn, actor, order_no)?;
    let order = &view.order;
    let sender = match order.sender_address_id {
        Some(id) => {
            let address: crate::db::addresses::Address = addresses::table.find(id).first(conn)?;
            Party {
                name: address.name,
                company: address.company,
                lines: [
                    Some(address.line1),
                    address.line2,
                    Some(join(&[
                        &address.city,
                        address.state.as_deref().unwrap_or(""),
                        &address.postcode,
                    ])),
                ]
                .into_iter()
                .flatten()
                .filter(|l| !l.is_empty())
                .collect(),
                phone: address.phone,
                country: address.country,
            }
        }
        None => {
            let company: Company = companies::table.find(order.company_id).first(conn)?;
            // The Latin-letter sender given at verification; companies verified
            // before it was asked for still print their Chinese address.
            let (name, lines) = if company.sender_address_en.is_empty() {
                (
                    company.sender_name,
                    vec![
                        company.sender_address,
                        join(&[
                            &company.sender_city,
                            &company.sender_province,
                            &company.sender_postcode,
                        ]),
                    ],
                )
            } else {
                (company.sender_name_en, vec![company.sender_address_en])
            };
            Party {
                name,
                company: Some(company.name_en).filter(|n| !n.is_empty()),
                lines,
                phone: phone::international(&company.sender_phone),
                country: "CN".to_owned(),
            }
        }
    };
    let r = &view.draft.recipient;
    let recipient = Party {
        name: r.name.clone(),
        company: Some(r.company.clone()).filter(|c| !c.is_empty()),
        lines: [
            r.line1.clone(),
            r.line2.clone(),
            join(&[&r.city, &r.state, &r.postcode]),
        ]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect(),
        phone: r.phone.clone(),
        country: r.country.clone(),
    };
    let route_name = match (&order.route_code, &view.route_names) {
        (Some(code), Some((_, name_en))) => format!("{name_en} ({code})"),
        (Some(code), None) => code.clone(),
        (None, _) => String::new(),
    };
    let purpose_key = format!("purpose.{}", order.purpose);
    let purpose = format!(
        "{} {}",
        i18n::t(Lang::En, &purpose_key),
        i18n::t(Lang::ZhCn, &purpose_key)
    );
    let date =
        crate::domain::china_time::local(order.submitted_at.unwrap_or(order.created_at)).date();
    Ok(ProformaInvoice {
        order_no: order.order_no.clone(),
        date,
        sender,
        recipient,
        items: view
            .items
            .iter()
            .map(|item| InvoiceItem {
                description_en: item.description_en.clone(),
                description_zh: Some(item.description_zh.clone()).filter(|d| !d.is_empty()),
                hs_code: item.hs_code.clone(),
                origin: if item.origin.is_empty() {
                    "CN".to_owned()
                } else {
                    item.origin.clone()
                },
                quantity: item
                    .quantity
                    .and_then(|q| u32::try_from(q).ok())
                    .unwrap_or(0),
                unit_value_cents: item.unit_value_cents.unwrap_or(0),
            })
            .collect(),
        currency: "USD",
        route_name,
        purpose,
        weight_g: order
            .weight_g
            .and_then(|w| u32::try_from(w).ok())
            .unwrap_or(0),
        draft: order.status.is_editable(),
    })
}

/// Non-empty parts joined by ", ".
fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}
