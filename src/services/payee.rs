//! Where sellers send top-ups: the platform's bank account (set by the
//! admin) and the reference each company writes on its transfer, so the
//! admin can match a transfer to a top-up request.

use super::audit::{self, Event};
use super::{Actor, ServiceError, ServiceResult, now};
use crate::db::schema::payee;
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use diesel::prelude::*;

/// The account top-ups are paid into.
#[derive(Clone, Debug, Default, PartialEq, Eq, Queryable)]
pub struct Payee {
    pub name: String,
    pub bank: String,
    pub account: String,
}

/// The longest name, bank or account the form takes.
const MAX_CHARS: usize = 200;

/// The account, if the admin has set one.
pub fn get(conn: &mut DbConnection) -> QueryResult<Option<Payee>> {
    payee::table
        .find(1)
        .select((payee::name, payee::bank, payee::account))
        .first(conn)
        .optional()
}

/// The admin sets the account; every field is required.
pub fn save(conn: &mut DbConnection, actor: &Actor, form: &Payee) -> ServiceResult<()> {
    actor.require_admin()?;
    let mut errors = FieldErrors::new();
    let fields = [
        ("payee_name", &form.name),
        ("payee_bank", &form.bank),
        ("payee_account", &form.account),
    ];
    for (field, value) in fields {
        if value.trim().is_empty() {
            errors.add(field, "error.payee.required");
        } else if value.chars().count() > MAX_CHARS {
            errors.add(field, "error.payee.too_long");
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let row = (
        payee::name.eq(form.name.trim()),
        payee::bank.eq(form.bank.trim()),
        payee::account.eq(form.account.trim()),
        payee::updated_by.eq(actor.user_id.0),
        payee::updated_at.eq(now()),
    );
    write_tx(conn, |conn| {
        let updated = diesel::update(payee::table.find(1))
            .set(row)
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(payee::table)
                .values((payee::id.eq(1), row))
                .execute(conn)?;
        }
        audit::record(
            conn,
            actor,
            Event {
                action: "settings.payee",
                company: None,
                target_type: "payee",
                target_id: "1".to_owned(),
                detail: format!("{} · {}", form.bank.trim(), form.account.trim()),
            },
        )?;
        Ok(())
    })
}

/// What a company writes in its transfer's memo: short, fixed per company.
pub fn reference(company: CompanyId) -> String {
    format!("SP{:06}", company.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_fixed_per_company_and_short() {
        assert_eq!(reference(CompanyId(42)), "SP000042");
        assert_eq!(reference(CompanyId(1_234_567)), "SP1234567");
    }
}
