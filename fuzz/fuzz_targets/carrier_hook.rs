//! The carrier webhook's body (after its signature checked out): the JSON
//! read into events and each event into domain types, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samplepost::domain::warehouse::Waybill;
use samplepost::services::tracking::hook;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = hook::read_body(data) else {
        return;
    };
    for (index, (event, raw)) in body.events.iter().enumerate() {
        let _ = Waybill::parse(event.waybill());
        if let Ok(new) = hook::read_event(index, "FUZZ", event, raw) {
            // What is stored holds nothing PostgreSQL refuses.
            assert!(!new.city.contains('\0') && !new.text.contains('\0'));
        }
    }
});
