//! Reading order sheets: each row into an order form, checked as a draft and
//! as a complete order, the form's errors mapped back to the row's columns.

use super::{COLUMNS, ITEM_FIELDS, ITEM_SLOTS, MAX_ROWS, REQUIRED, SheetError, column_index};
use crate::domain::customs::ItemFields;
use crate::domain::field_errors::FieldErrors;
use crate::domain::order::{Draft, OrderForm, Services};
use crate::domain::recipient::RecipientFields;
use crate::domain::spreadsheet::{self, HeaderProblem, Layout, SheetRow};

/// Reads a CSV or XLSX order sheet (by the file name's extension) into one
/// draft per non-blank row, each a complete order; or every problem found.
/// `routes` are the codes of the routes an order may choose today (active in
/// the catalogue): a row naming another is refused at import, not at submit.
pub fn parse(
    file_name: &str,
    bytes: &[u8],
    routes: &[String],
) -> Result<Vec<Draft>, Vec<SheetError>> {
    let rows = spreadsheet::read(file_name, bytes)
        .map_err(|error| vec![SheetError::file(error.message_key(), error.detail())])?;
    let mut rows = rows.into_iter().filter(|row| !row.is_blank());
    let Some(header) = rows.next() else {
        return Err(vec![SheetError::file("sheet.problem.no_rows", None)]);
    };
    let (layout, problems) = Layout::read(&header, &COLUMNS, |name| REQUIRED.contains(&name));
    if !problems.is_empty() {
        // Against a wrong header every row would fail too: say only what to fix first.
        return Err(clipped(header_errors(&header, problems)));
    }
    let rows: Vec<SheetRow> = rows.collect();
    if rows.is_empty() {
        return Err(vec![SheetError::file("sheet.problem.no_rows", None)]);
    }
    if rows.len() > MAX_ROWS {
        return Err(vec![SheetError::file(
            "sheet.problem.too_many_rows",
            Some(rows.len().to_string()),
        )]);
    }
    let mut drafts = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for row in &rows {
        match check_row(row, &layout, routes) {
            Ok(draft) => drafts.push(draft),
            Err(row_errors) => errors.extend(row_errors),
        }
    }
    if errors.is_empty() {
        Ok(drafts)
    } else {
        let rank = |error: &SheetError| column_index(&error.column).unwrap_or(COLUMNS.len());
        errors.sort_by_key(|error| (error.row, rank(error)));
        Err(clipped(errors))
    }
}

/// The report echoes cells: each one clipped, so that a huge cell does not
/// make a huge page.
fn clipped(mut errors: Vec<SheetError>) -> Vec<SheetError> {
    for error in &mut errors {
        error.column = spreadsheet::clip(&error.column);
        error.detail = error.detail.as_deref().map(spreadsheet::clip);
    }
    errors
}

fn header_errors(header: &SheetRow, problems: Vec<(String, HeaderProblem)>) -> Vec<SheetError> {
    problems
        .into_iter()
        .map(|(column, problem)| {
            let (row, message_key) = match problem {
                HeaderProblem::Unknown => (header.number, "sheet.problem.unknown_column"),
                HeaderProblem::Duplicate => (header.number, "sheet.problem.duplicate_column"),
                HeaderProblem::Missing => (0, "sheet.problem.missing_column"),
            };
            SheetError {
                row,
                column,
                message_key,
                detail: None,
            }
        })
        .collect()
}

/// The cells of one data row, by header name.
struct Cells<'a> {
    row: &'a SheetRow,
    layout: &'a Layout,
    errors: Vec<SheetError>,
}

impl Cells<'_> {
    /// The trimmed cell; empty when the file lacks the (optional) column.
    fn text(&self, column: &str) -> String {
        column_index(column)
            .and_then(|index| self.layout.cell(self.row, index))
            .unwrap_or_default()
            .to_owned()
    }

    fn yes_no(&mut self, column: &str) -> bool {
        let text = self.text(column);
        yes_no(&text).unwrap_or_else(|| {
            self.report(column, "sheet.problem.not_yes_no", Some(text));
            false
        })
    }

    fn report(&mut self, column: &str, message_key: &'static str, detail: Option<String>) {
        self.errors.push(SheetError {
            row: self.row.number,
            column: column.to_owned(),
            message_key,
            detail,
        });
    }

    /// The order form of the row, and for each of its item rows the item
    /// slot (0 for `item1_…`) it came from. Blank item slots are left out.
    fn form(&mut self) -> (OrderForm, Vec<usize>) {
        let mut slots = Vec::new();
        let mut items = Vec::new();
        for slot in 0..ITEM_SLOTS {
            let [
                description_en,
                description_zh,
                quantity,
                unit_value_usd,
                hs_code,
                origin,
            ] = ITEM_FIELDS.map(|field| self.text(&format!("item{}_{field}", slot + 1)));
            let item = ItemFields {
                description_en,
                description_zh,
                quantity,
                unit_value_usd,
                hs_code,
                origin,
            };
            if !item.is_blank() {
                slots.push(slot);
                items.push(item);
            }
        }
        let form = OrderForm {
            sender: String::new(),
            recipient: RecipientFields {
                name: self.text("name"),
                company: self.text("company"),
                line1: self.text("line1"),
                line2: self.text("line2"),
                city: self.text("city"),
                state: self.text("state"),
                postcode: self.text("postcode"),
                country: self.text("country"),
                phone: self.text("phone"),
                email: self.text("email"),
                tax_id: self.text("tax_id"),
            },
            purpose: self.text("purpose"),
            reference: self.text("reference"),
            weight_kg: self.text("weight_kg"),
            length_cm: self.text("length_cm"),
            width_cm: self.text("width_cm"),
            height_cm: self.text("height_cm"),
            battery: self.text("battery"),
            liquid: self.yes_no("liquid"),
            magnetic: self.yes_no("magnetic"),
            powder: self.yes_no("powder"),
            items,
            route: self.text("route"),
            backup_route: self.text("backup_route"),
            services: Services {
                signature: self.yes_no("signature"),
                insurance: self.yes_no("insurance"),
                expedited: self.yes_no("expedited"),
                ddp: self.yes_no("ddp"),
            },
        };
        (form, slots)
    }
}

/// `yes`/`no` and the other ways a sheet says it; empty is no.
pub(super) fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "no" | "0" | "false" | "否" => Some(false),
        "yes" | "1" | "true" | "是" => Some(true),
        _ => None,
    }
}

/// A row is accepted when it saves as a draft, that draft is a complete
/// order and its routes exist; whether the route takes the parcel is
/// checked at submission.
fn check_row(row: &SheetRow, layout: &Layout, routes: &[String]) -> Result<Draft, Vec<SheetError>> {
    let mut cells = Cells {
        row,
        layout,
        errors: Vec::new(),
    };
    let (form, slots) = cells.form();
    let extra: Vec<String> = layout.unnamed_cells(row).map(str::to_owned).collect();
    for cell in extra {
        cells.report("", "sheet.problem.extra_cell", Some(cell));
    }
    let mut errors = cells.errors;
    for (field, code) in [("route", &form.route), ("backup_route", &form.backup_route)] {
        let code = code.trim();
        if !code.is_empty() && !routes.iter().any(|r| r.eq_ignore_ascii_case(code)) {
            errors.push(SheetError {
                row: row.number,
                column: column_of(field, &slots),
                message_key: "error.order.unknown_route",
                detail: Some(spreadsheet::clip(code)),
            });
        }
    }
    match complete_draft(&form) {
        Ok(draft) if errors.is_empty() => Ok(draft),
        Ok(_) => Err(errors),
        Err(field_errors) => {
            errors.extend(field_errors.iter().map(|(field, message_key)| SheetError {
                row: row.number,
                column: column_of(field, &slots),
                message_key,
                detail: field_errors.detail(field).map(str::to_owned),
            }));
            Err(errors)
        }
    }
}

/// The draft of the form if it is complete, else every error of the form.
fn complete_draft(form: &OrderForm) -> Result<Draft, FieldErrors> {
    match form.draft() {
        Ok(draft) => draft.complete().map(|_| draft),
        Err(mut errors) => {
            // A malformed cell stops the draft before the completeness checks;
            // without it they run too, so the report lists the whole row at once.
            let mut rest = form.clone();
            for (field, _) in errors.iter() {
                blank(&mut rest, field);
            }
            if let Ok(draft) = rest.draft()
                && let Err(more) = draft.complete()
            {
                errors.merge_prefixed("", more);
            }
            Err(errors)
        }
    }
}

/// Empties the form field an error is about.
fn blank(form: &mut OrderForm, field: &str) {
    let recipient = &mut form.recipient;
    let text = match field {
        "name" => &mut recipient.name,
        "company" => &mut recipient.company,
        "line1" => &mut recipient.line1,
        "line2" => &mut recipient.line2,
        "city" => &mut recipient.city,
        "state" => &mut recipient.state,
        "postcode" => &mut recipient.postcode,
        "country" => &mut recipient.country,
        "phone" => &mut recipient.phone,
        "email" => &mut recipient.email,
        "tax_id" => &mut recipient.tax_id,
        "purpose" => &mut form.purpose,
        "reference" => &mut form.reference,
        "weight_kg" => &mut form.weight_kg,
        "length_cm" => &mut form.length_cm,
        "width_cm" => &mut form.width_cm,
        "height_cm" => &mut form.height_cm,
        "battery" => &mut form.battery,
        "route" => &mut form.route,
        "backup_route" => &mut form.backup_route,
        _ => {
            let Some((index, name)) = item_field(field) else {
                return;
            };
            let Some(item) = form.items.get_mut(index) else {
                return;
            };
            match name {
                "description_en" => &mut item.description_en,
                "description_zh" => &mut item.description_zh,
                "quantity" => &mut item.quantity,
                "unit_value_usd" => &mut item.unit_value_usd,
                "hs_code" => &mut item.hs_code,
                "origin" => &mut item.origin,
                _ => return,
            }
        }
    };
    text.clear();
}

/// `item3_hs_code` → (3, "hs_code").
fn item_field(field: &str) -> Option<(usize, &str)> {
    let (number, name) = field.strip_prefix("item")?.split_once('_')?;
    Some((number.parse().ok()?, name))
}

/// The sheet column of a form field. The form numbers its item rows from 0
/// among the filled ones; the sheet from 1 among all three slots.
fn column_of(field: &str, slots: &[usize]) -> String {
    if field == "items" {
        return "item1_description_en".to_owned();
    }
    match item_field(field) {
        Some((index, name)) => {
            let slot = slots.get(index).copied().unwrap_or(index);
            format!("item{}_{name}", slot + 1)
        }
        None => field.to_owned(),
    }
}
