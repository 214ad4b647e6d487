//! The company's address book: recipients abroad, checked like the order form checks them.

use super::audit::{self, Event};
use super::{Actor, Page, ServiceResult, now};
use crate::db::addresses::{Address, AddressFields};
use crate::db::schema::addresses;
use crate::db::{DbConnection, contains_pattern, lower, write_tx};
use crate::domain::ids::CompanyId;
use crate::domain::recipient::{Recipient, RecipientFields};
use diesel::prelude::*;

fn fields(recipient: Recipient) -> AddressFields {
    AddressFields {
        name: recipient.name,
        company: recipient.company,
        line1: recipient.line1,
        line2: recipient.line2,
        city: recipient.city,
        state: recipient.state,
        postcode: recipient.postcode,
        country: recipient.country.as_str().to_owned(),
        phone: recipient.phone.as_str().to_owned(),
        email: recipient.email.map(|e| e.as_str().to_owned()),
        tax_id: recipient.tax_id,
        updated_at: now(),
    }
}

/// The address as the form shows it for editing.
pub fn to_fields(address: &Address) -> RecipientFields {
    RecipientFields {
        name: address.name.clone(),
        company: address.company.clone().unwrap_or_default(),
        line1: address.line1.clone(),
        line2: address.line2.clone().unwrap_or_default(),
        city: address.city.clone(),
        state: address.state.clone().unwrap_or_default(),
        postcode: address.postcode.clone(),
        country: address.country.clone(),
        phone: address.phone.clone(),
        email: address.email.clone().unwrap_or_default(),
        tax_id: address.tax_id.clone().unwrap_or_default(),
    }
}

/// One address of the actor's company; another company's id is "not found".
pub fn get(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<Address> {
    let company = actor.company()?;
    Ok(addresses::table
        .filter(addresses::id.eq(id))
        .filter(addresses::company_id.eq(company.0))
        .first(conn)?)
}

/// Every address of the company by name, for the order form's pickers.
pub fn all(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<Address>> {
    let company = actor.company()?;
    Ok(addresses::table
        .filter(addresses::company_id.eq(company.0))
        .order((addresses::name.asc(), addresses::id.asc()))
        .limit(1000)
        .load(conn)?)
}

/// The company's addresses by name; `search` matches name, company, city and country.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    search: &str,
    page: i64,
) -> ServiceResult<Page<Address>> {
    let company = actor.company()?;
    let mut query = addresses::table
        .filter(addresses::company_id.eq(company.0))
        .into_boxed();
    let search = search.trim();
    if !search.is_empty() {
        let pattern = contains_pattern(search);
        query = query.filter(
            lower(addresses::name)
                .like(pattern.clone())
                .or(lower(addresses::company.assume_not_null()).like(pattern.clone()))
                .or(lower(addresses::city).like(pattern.clone()))
                .or(addresses::country.eq(search.to_uppercase())),
        );
    }
    let rows = query
        .order((addresses::name.asc(), addresses::id.asc()))
        .offset(Page::<Address>::offset(page))
        .limit(Page::<Address>::SIZE + 1)
        .load(conn)?;
    Ok(Page::from_rows(rows, page))
}

fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    company: CompanyId,
    id: i64,
    name: &str,
) -> QueryResult<()> {
    audit::record(
        conn,
        actor,
        Event {
            action,
            company: Some(company),
            target_type: "address",
            target_id: id.to_string(),
            detail: name.to_owned(),
        },
    )
}

pub fn create(conn: &mut DbConnection, actor: &Actor, recipient: Recipient) -> ServiceResult<i64> {
    write_tx(conn, |conn| insert(conn, actor, recipient))
}

/// Adds an address inside the caller's transaction (the order form saves
/// its recipient to the book this way).
pub(crate) fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    recipient: Recipient,
) -> ServiceResult<i64> {
    let company = actor.company()?;
    let row = fields(recipient);
    let id: i64 = crate::with_backend!(conn, |c| diesel::insert_into(addresses::table)
        .values((
            &row,
            addresses::company_id.eq(company.0),
            addresses::created_by.eq(actor.user_id.0),
            addresses::created_at.eq(now()),
        ))
        .returning(addresses::id)
        .get_result(c))?;
    record(conn, actor, "address.create", company, id, &row.name)?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    recipient: Recipient,
) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let existing = get(conn, actor, id)?;
        let row = fields(recipient);
        diesel::update(addresses::table.find(existing.id))
            .set(&row)
            .execute(conn)?;
        record(
            conn,
            actor,
            "address.update",
            CompanyId(existing.company_id),
            id,
            &row.name,
        )?;
        Ok(())
    })
}

pub fn delete(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let existing = get(conn, actor, id)?;
        diesel::delete(addresses::table.find(existing.id)).execute(conn)?;
        record(
            conn,
            actor,
            "address.delete",
            CompanyId(existing.company_id),
            id,
            &existing.name,
        )?;
        Ok(())
    })
}
