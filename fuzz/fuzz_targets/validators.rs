//! The field validators (postcode, phone, USCC, resident ID, tax ids, HS
//! code, amounts) and a whole recipient address, as the order form and
//! `POST /api/v1/addresses/validate` use them: never a panic, and what one
//! accepts is a normal form that is accepted again unchanged.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use samplepost::domain::recipient::RecipientFields;
use samplepost::domain::{country, hs, money, phone, postcode, resident_id, tax_id, uscc};

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    country: String,
    address: [String; 11],
}

fuzz_target!(|input: Input| {
    let text = input.text.as_str();
    if let Some(country) = country::find(&input.country) {
        if let Ok(code) = postcode::check(country, text) {
            assert_eq!(postcode::check(country, &code).ok(), Some(code));
        }
    }
    if let Ok(number) = phone::Phone::parse_for(text, &input.country) {
        let again = phone::Phone::parse_for(number.as_str(), &input.country).expect("E.164 again");
        assert_eq!(again.as_str(), number.as_str());
        let _ = phone::display(number.as_str());
    }
    let _ = phone::Phone::parse_cn(text);
    if let Ok(code) = uscc::Uscc::parse(text) {
        assert!(uscc::Uscc::parse(code.as_str()).is_ok());
    }
    let _ = resident_id::ResidentId::parse(text);
    for rule in [tax_id::TaxIdRule::Cpf, tax_id::TaxIdRule::Pccc] {
        if let Ok(id) = tax_id::parse(rule, text) {
            assert_eq!(tax_id::parse(rule, &id).ok(), Some(id));
        }
    }
    let _ = hs::HsCode::parse(text);
    let _ = money::Fen::parse(text);
    let _ = money::UsdCents::parse(text);
    let _ = money::BasisPoints::parse_percent(text);

    let [
        name,
        company,
        line1,
        line2,
        city,
        state,
        postcode,
        country,
        phone,
        email,
        tax_id,
    ] = input.address;
    let fields = RecipientFields {
        name,
        company,
        line1,
        line2,
        city,
        state,
        postcode,
        country,
        phone,
        email,
        tax_id,
    };
    if let Ok(recipient) = fields.parse() {
        let again = recipient
            .to_fields()
            .parse()
            .expect("a normal form parses again");
        assert_eq!(again, recipient);
    }
});
