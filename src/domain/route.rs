//! Routes as the quote engine and the rate sheet see them: code, transport
//! type and the sensitive attributes a route accepts.

use super::status::text_enum;
use std::fmt;

text_enum!(
    /// How a route carries parcels.
    Transport {
        AirParcel => "air_parcel",
        SpecialLine => "special_line",
        Express => "express",
    }
);

text_enum!(
    /// A sensitive property of the goods that routes may refuse.
    Attribute {
        Battery => "battery",
        Liquid => "liquid",
        Magnetic => "magnetic",
        Powder => "powder",
    }
);

text_enum!(
    /// Whether sellers can choose the route; a suspended one shows its notice.
    RouteStatus {
        Active => "active",
        Suspended => "suspended",
    }
);

/// A set of sensitive attributes (declared by a parcel, or accepted by a route).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Attributes {
    pub battery: bool,
    pub liquid: bool,
    pub magnetic: bool,
    pub powder: bool,
}

impl Attributes {
    pub fn contains(&self, attribute: Attribute) -> bool {
        match attribute {
            Attribute::Battery => self.battery,
            Attribute::Liquid => self.liquid,
            Attribute::Magnetic => self.magnetic,
            Attribute::Powder => self.powder,
        }
    }

    pub fn insert(&mut self, attribute: Attribute) {
        match attribute {
            Attribute::Battery => self.battery = true,
            Attribute::Liquid => self.liquid = true,
            Attribute::Magnetic => self.magnetic = true,
            Attribute::Powder => self.powder = true,
        }
    }

    /// The attributes in the set, in the fixed order battery, liquid, magnetic, powder.
    pub fn iter(&self) -> impl Iterator<Item = Attribute> + '_ {
        Attribute::ALL.iter().copied().filter(|a| self.contains(*a))
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// Parses the rate-sheet form `battery;liquid` (empty means none).
    /// Returns the first unknown item on error.
    pub fn parse_list(input: &str) -> Result<Attributes, String> {
        let mut set = Attributes::default();
        for item in input.split(';').map(str::trim).filter(|i| !i.is_empty()) {
            let attribute =
                Attribute::parse(&item.to_ascii_lowercase()).map_err(|_| item.to_owned())?;
            set.insert(attribute);
        }
        Ok(set)
    }
}

impl fmt::Display for Attributes {
    /// The rate-sheet form: `battery;liquid`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Attribute::as_str).collect();
        f.write_str(&names.join(";"))
    }
}

/// A route's code: 2–20 characters of A–Z, 0–9, `-` and `_`, upper-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RouteCode(String);

impl RouteCode {
    pub fn parse(input: &str) -> Result<RouteCode, &'static str> {
        let code = input.trim().to_ascii_uppercase();
        let valid = (2..=20).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if valid {
            Ok(RouteCode(code))
        } else {
            Err("error.route.code")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RouteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lists_round_trip_through_the_sheet_form() {
        let set = Attributes::parse_list("liquid; BATTERY").expect("valid");
        assert!(set.battery && set.liquid && !set.magnetic);
        assert_eq!(set.to_string(), "battery;liquid");
        assert_eq!(
            Attributes::parse_list("").expect("empty"),
            Attributes::default()
        );
    }

    #[test]
    fn an_unknown_attribute_is_named_in_the_error() {
        assert_eq!(
            Attributes::parse_list("battery;laser"),
            Err("laser".to_owned())
        );
    }

    #[test]
    fn route_codes_are_upper_case_and_plain() {
        assert_eq!(
            RouteCode::parse(" eu-eco ").map(|c| c.0),
            Ok("EU-ECO".to_owned())
        );
        assert!(RouteCode::parse("EU ECO").is_err());
        assert!(RouteCode::parse("X").is_err());
    }
}
