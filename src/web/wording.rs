//! Domain answers put into words in the page's language, shared by every
//! page that shows them, so each is worded once.

use super::ctx::PageCtx;
use crate::domain::quote::Unavailable;

impl PageCtx {
    /// Why a route cannot take a parcel, with what the reason names (a
    /// country, a sensitive attribute, a limit in the form's units) in words.
    pub fn unavailable(&self, why: &Unavailable) -> String {
        let detail = match why {
            Unavailable::NotAccepted(attribute) => self.tv("attribute", attribute),
            Unavailable::NoRate { country } => self.country_name(country),
            Unavailable::OverWeight { max_g } => {
                format!("{} kg", crate::domain::measure::kg_text(*max_g))
            }
            other => other.detail(),
        };
        self.t(why.message_key()).replace("{detail}", &detail)
    }
}
