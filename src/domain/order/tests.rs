use super::*;
use crate::domain::customs::Warning;

fn item(description: &str, quantity: &str, value: &str, hs: &str) -> ItemFields {
    ItemFields {
        description_en: description.to_owned(),
        quantity: quantity.to_owned(),
        unit_value_usd: value.to_owned(),
        hs_code: hs.to_owned(),
        ..ItemFields::default()
    }
}

fn complete_form() -> OrderForm {
    OrderForm {
        recipient: RecipientFields {
            name: "Jane Smith".into(),
            line1: "1 High Street".into(),
            city: "London".into(),
            postcode: "SW1A 1AA".into(),
            country: "GB".into(),
            phone: "020 7946 0958".into(),
            ..RecipientFields::default()
        },
        weight_kg: "0.48".into(),
        length_cm: "30".into(),
        width_cm: "20.5".into(),
        height_cm: "5".into(),
        items: vec![
            item("Cotton T-shirt", "2", "3.50", "6109.10"),
            ItemFields::default(),
        ],
        route: "eu-eco".into(),
        ..OrderForm::default()
    }
}

#[test]
fn an_empty_form_saves_as_a_draft() {
    let draft = OrderForm::default().draft().expect("empty is a draft");
    assert_eq!(draft.purpose, Purpose::Sample);
    assert!(draft.items.is_empty());
    assert_eq!(draft.weight_g, None);
}

#[test]
fn a_draft_refuses_malformed_numbers_beside_their_fields() {
    let mut form = complete_form();
    form.weight_kg = "heavy".into();
    form.items[0].quantity = "two".into();
    let errors = form.draft().expect_err("malformed");
    assert_eq!(errors.get("weight_kg"), Some("error.measure.weight"));
    assert_eq!(errors.get("item0_quantity"), Some("error.items.quantity"));
}

#[test]
fn numbers_are_stored_in_grams_and_millimetres_and_shown_back_in_kg_and_cm() {
    let draft = complete_form().draft().expect("draft");
    assert_eq!(draft.weight_g, Some(480));
    assert_eq!(draft.width_mm, Some(205));
    assert_eq!(draft.items.len(), 1, "the blank row is dropped");
    let form = draft.form();
    assert_eq!(form.weight_kg, "0.48");
    assert_eq!(form.width_cm, "20.5");
    assert_eq!(form.route, "EU-ECO");
    assert_eq!(form.items[0].unit_value_usd, "3.50");
}

#[test]
fn a_complete_draft_becomes_an_order() {
    let order = complete_form()
        .draft()
        .and_then(|d| d.complete())
        .expect("complete");
    assert_eq!(order.recipient.phone.as_str(), "+442079460958");
    assert_eq!(order.items[0].hs_code, "610910");
    assert_eq!(order.route.as_str(), "EU-ECO");
    assert_eq!(order.dimensions.map(|d| d.longest_side_mm()), Some(300));
}

#[test]
fn an_incomplete_draft_names_every_missing_field() {
    let errors = OrderForm::default()
        .draft()
        .and_then(|d| d.complete())
        .expect_err("incomplete");
    for field in [
        "name",
        "line1",
        "city",
        "country",
        "weight_kg",
        "items",
        "route",
    ] {
        assert!(errors.get(field).is_some(), "{field}: {errors:?}");
    }
}

#[test]
fn item_errors_are_named_by_their_row_in_the_saved_draft() {
    let mut form = complete_form();
    form.items.push(item("gift", "1", "2", "6109.10"));
    let errors = form.draft().and_then(|d| d.complete()).expect_err("vague");
    assert_eq!(
        errors.get("item1_description_en"),
        Some("error.items.vague")
    );
}

#[test]
fn the_backup_route_must_differ_from_the_route() {
    let mut form = complete_form();
    form.backup_route = "EU-ECO".into();
    let errors = form.draft().and_then(|d| d.complete()).expect_err("same");
    assert_eq!(errors.get("backup_route"), Some("error.order.backup_same"));
}

#[test]
fn some_dimensions_without_the_others_are_refused() {
    let mut form = complete_form();
    form.height_cm.clear();
    let errors = form
        .draft()
        .and_then(|d| d.complete())
        .expect_err("partial");
    assert_eq!(errors.get("length_cm"), Some("error.order.dimensions"));
}

#[test]
fn a_one_word_description_is_a_warning_not_an_error() {
    let mut form = complete_form();
    form.items[0].description_en = "Clothes".into();
    let order = form.draft().and_then(|d| d.complete()).expect("allowed");
    assert!(
        customs::warnings(&order.items, &order.declared)
            .contains(&Warning::VagueDescription { row: 0 })
    );
}
