//! A sample order as the seller types it (DESIGN.md §5, issue #4): the form,
//! the draft it saves (anything may still be missing, but what is there is
//! well-formed), and the complete order that may be submitted.

use super::customs::{self, Battery, CustomsItem, Declared, ItemFields};
use super::field_errors::FieldErrors;
use super::measure;
use super::money::UsdCents;
use super::quote::Dimensions;
use super::recipient::{Recipient, RecipientFields};
use super::route::RouteCode;
use super::status::text_enum;

text_enum!(
    /// Why the sample is sent; printed on the proforma invoice.
    Purpose {
        Sample => "sample",
        Influencer => "influencer",
        BuyerEvaluation => "buyer_evaluation",
        Internal => "internal",
    }
);

/// Longest campaign or SKU reference kept.
pub const MAX_REFERENCE: usize = 100;
/// Longest text kept in any one field of a draft.
pub const MAX_FIELD: usize = 200;

/// Services the seller may add to the carriage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Services {
    pub signature: bool,
    pub insurance: bool,
    pub expedited: bool,
    pub ddp: bool,
}

/// The order form as typed, or one import row. Item rows are numbered from 0.
#[derive(Clone, Debug, Default)]
pub struct OrderForm {
    /// Empty for the company's own sender address, else an address-book id.
    pub sender: String,
    pub recipient: RecipientFields,
    pub purpose: String,
    pub reference: String,
    pub weight_kg: String,
    pub length_cm: String,
    pub width_cm: String,
    pub height_cm: String,
    pub battery: String,
    pub liquid: bool,
    pub magnetic: bool,
    pub powder: bool,
    pub items: Vec<ItemFields>,
    pub route: String,
    pub backup_route: String,
    pub services: Services,
}

/// One item of a draft; numbers are read, words kept as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftItem {
    pub description_en: String,
    pub description_zh: String,
    pub quantity: Option<u32>,
    pub unit_value: Option<UsdCents>,
    pub hs_code: String,
    pub origin: String,
}

/// What a draft holds: complete or not, every number in it is well-formed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub sender_address_id: Option<i64>,
    pub recipient: RecipientFields,
    pub purpose: Purpose,
    pub reference: String,
    pub weight_g: Option<u32>,
    pub length_mm: Option<u32>,
    pub width_mm: Option<u32>,
    pub height_mm: Option<u32>,
    pub declared: Declared,
    pub items: Vec<DraftItem>,
    pub route: Option<RouteCode>,
    pub backup_route: Option<RouteCode>,
    pub services: Services,
}

/// An order with everything a submission needs, each part valid on its own.
/// Whether the route takes it is the quote's business (see `services::orders`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompleteOrder {
    pub recipient: Recipient,
    pub weight_g: u32,
    pub dimensions: Option<Dimensions>,
    pub declared: Declared,
    pub items: Vec<CustomsItem>,
    pub route: RouteCode,
    pub backup_route: Option<RouteCode>,
}

#[expect(
    clippy::derivable_impls,
    reason = "text_enum! cannot mark a variant #[default]"
)]
impl Default for Purpose {
    fn default() -> Purpose {
        Purpose::Sample
    }
}

/// The form field of item `row`: `item3_hs_code`.
pub fn item_field(row: usize, field: &str) -> String {
    format!("item{row}_{field}")
}

fn optional<T>(
    errors: &mut FieldErrors,
    field: &'static str,
    input: &str,
    parse: impl Fn(&str) -> Result<T, &'static str>,
) -> Option<T> {
    if input.trim().is_empty() {
        return None;
    }
    errors.check(field, parse(input.trim()), |e| e)
}

/// Text as typed, trimmed; too long is an error rather than silently cut.
fn kept(errors: &mut FieldErrors, field: impl Into<String>, input: &str, max: usize) -> String {
    let value = input.trim();
    if value.chars().count() > max {
        errors.add(field.into(), "error.too_long");
    }
    value.to_owned()
}

impl OrderForm {
    /// The draft this form saves, or the fields whose content is malformed
    /// (a weight that is not a number, say). Empty fields are fine.
    pub fn draft(&self) -> Result<Draft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let sender_address_id = match self.sender.trim() {
            "" | "company" => None,
            id => errors.check("sender", id.parse::<i64>(), |_| "error.order.sender"),
        };
        let mut recipient = self.recipient.clone();
        for (field, value) in [
            ("name", &mut recipient.name),
            ("company", &mut recipient.company),
            ("line1", &mut recipient.line1),
            ("line2", &mut recipient.line2),
            ("city", &mut recipient.city),
            ("state", &mut recipient.state),
            ("postcode", &mut recipient.postcode),
            ("country", &mut recipient.country),
            ("phone", &mut recipient.phone),
            ("email", &mut recipient.email),
            ("tax_id", &mut recipient.tax_id),
        ] {
            *value = kept(&mut errors, field, value, MAX_FIELD);
        }
        let purpose = match self.purpose.trim() {
            "" => Some(Purpose::Sample),
            value => errors.check("purpose", Purpose::parse(value), |_| "error.order.purpose"),
        };
        let reference = kept(&mut errors, "reference", &self.reference, MAX_REFERENCE);
        let weight_g = optional(
            &mut errors,
            "weight_kg",
            &self.weight_kg,
            measure::grams_from_kg,
        );
        let length_mm = optional(
            &mut errors,
            "length_cm",
            &self.length_cm,
            measure::mm_from_cm,
        );
        let width_mm = optional(&mut errors, "width_cm", &self.width_cm, measure::mm_from_cm);
        let height_mm = optional(
            &mut errors,
            "height_cm",
            &self.height_cm,
            measure::mm_from_cm,
        );
        let battery = match self.battery.trim() {
            "" => Some(Battery::None),
            value => errors.check("battery", Battery::parse(value), |_| "error.order.battery"),
        };
        let items = self.draft_items(&mut errors);
        let route = optional(&mut errors, "route", &self.route, RouteCode::parse);
        let backup_route = optional(
            &mut errors,
            "backup_route",
            &self.backup_route,
            RouteCode::parse,
        );
        match (purpose, battery) {
            (Some(purpose), Some(battery)) if errors.is_empty() => Ok(Draft {
                sender_address_id,
                recipient,
                purpose,
                reference,
                weight_g,
                length_mm,
                width_mm,
                height_mm,
                declared: Declared {
                    battery,
                    liquid: self.liquid,
                    magnetic: self.magnetic,
                    powder: self.powder,
                },
                items,
                route,
                backup_route,
                services: self.services,
            }),
            _ => Err(errors),
        }
    }

    /// The item rows that hold anything, numbers read; blank rows dropped.
    fn draft_items(&self, errors: &mut FieldErrors) -> Vec<DraftItem> {
        let filled: Vec<(usize, &ItemFields)> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| !item.is_blank())
            .collect();
        if filled.len() > customs::MAX_ITEMS {
            errors.add("items", "error.items.too_many");
        }
        filled
            .into_iter()
            .map(|(row, item)| {
                let quantity = if item.quantity.trim().is_empty() {
                    None
                } else {
                    errors.check(
                        item_field(row, "quantity"),
                        customs::quantity(&item.quantity),
                        |e| e,
                    )
                };
                let unit_value = if item.unit_value_usd.trim().is_empty() {
                    None
                } else {
                    errors.check(
                        item_field(row, "unit_value_usd"),
                        customs::unit_value(&item.unit_value_usd),
                        |e| e,
                    )
                };
                DraftItem {
                    description_en: kept(
                        errors,
                        item_field(row, "description_en"),
                        &item.description_en,
                        MAX_FIELD,
                    ),
                    description_zh: kept(
                        errors,
                        item_field(row, "description_zh"),
                        &item.description_zh,
                        MAX_FIELD,
                    ),
                    quantity,
                    unit_value,
                    hs_code: kept(errors, item_field(row, "hs_code"), &item.hs_code, 20),
                    origin: kept(errors, item_field(row, "origin"), &item.origin, 2),
                }
            })
            .collect()
    }
}

impl DraftItem {
    /// The item as the form shows it again.
    pub fn fields(&self) -> ItemFields {
        ItemFields {
            description_en: self.description_en.clone(),
            description_zh: self.description_zh.clone(),
            quantity: self.quantity.map(|q| q.to_string()).unwrap_or_default(),
            unit_value_usd: self.unit_value.map(|v| v.to_string()).unwrap_or_default(),
            hs_code: self.hs_code.clone(),
            origin: self.origin.clone(),
        }
    }
}

impl Draft {
    /// The form that shows this draft again (one empty item row when it has none).
    pub fn form(&self) -> OrderForm {
        let text =
            |value: Option<u32>, convert: fn(u32) -> String| value.map(convert).unwrap_or_default();
        let mut items: Vec<ItemFields> = self.items.iter().map(DraftItem::fields).collect();
        if items.is_empty() {
            items.push(ItemFields::default());
        }
        OrderForm {
            sender: self
                .sender_address_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            recipient: self.recipient.clone(),
            purpose: self.purpose.as_str().to_owned(),
            reference: self.reference.clone(),
            weight_kg: text(self.weight_g, measure::kg_text),
            length_cm: text(self.length_mm, measure::cm_text),
            width_cm: text(self.width_mm, measure::cm_text),
            height_cm: text(self.height_mm, measure::cm_text),
            battery: self.declared.battery.as_str().to_owned(),
            liquid: self.declared.liquid,
            magnetic: self.declared.magnetic,
            powder: self.declared.powder,
            items,
            route: self
                .route
                .as_ref()
                .map(|r| r.as_str().to_owned())
                .unwrap_or_default(),
            backup_route: self
                .backup_route
                .as_ref()
                .map(|r| r.as_str().to_owned())
                .unwrap_or_default(),
            services: self.services,
        }
    }

    /// Everything as the submission needs it, or every missing or invalid
    /// field. Item errors are named `item{row}_{field}`.
    pub fn complete(&self) -> Result<CompleteOrder, FieldErrors> {
        let mut errors = FieldErrors::new();
        let recipient = match self.recipient.parse() {
            Ok(recipient) => Some(recipient),
            Err(recipient_errors) => {
                errors.merge_prefixed("", recipient_errors);
                None
            }
        };
        if self.weight_g.is_none() {
            errors.add("weight_kg", "error.measure.weight");
        }
        let dimensions = match (self.length_mm, self.width_mm, self.height_mm) {
            (Some(length_mm), Some(width_mm), Some(height_mm)) => Some(Dimensions {
                length_mm,
                width_mm,
                height_mm,
            }),
            (None, None, None) => None,
            _ => {
                errors.add("length_cm", "error.order.dimensions");
                None
            }
        };
        let rows: Vec<ItemFields> = self.items.iter().map(DraftItem::fields).collect();
        let items = match customs::parse_items(&rows) {
            Ok(items) => Some(items),
            Err(item_errors) => {
                for (row, row_errors) in item_errors {
                    if row_errors.get("items").is_some() {
                        errors.merge_prefixed("", row_errors);
                    } else {
                        errors.merge_prefixed(&item_field(row, ""), row_errors);
                    }
                }
                None
            }
        };
        if self.route.is_none() {
            errors.add("route", "error.order.route_required");
        }
        if self.route.is_some() && self.route == self.backup_route {
            errors.add("backup_route", "error.order.backup_same");
        }
        match (recipient, self.weight_g, items, &self.route) {
            (Some(recipient), Some(weight_g), Some(items), Some(route)) if errors.is_empty() => {
                Ok(CompleteOrder {
                    recipient,
                    weight_g,
                    dimensions,
                    declared: self.declared,
                    items,
                    route: route.clone(),
                    backup_route: self.backup_route.clone(),
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests;
