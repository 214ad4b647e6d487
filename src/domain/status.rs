//! Roles and lifecycle states. Each is stored as TEXT (with a CHECK constraint
//! in the migrations) and converted here, and only here.

/// Error for a stored value that is not one of the enum's names.
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} value {value:?}")]
pub struct UnknownValue {
    pub(crate) kind: &'static str,
    pub(crate) value: String,
}

/// Defines an enum stored as TEXT, with `ALL`, `as_str`, `parse` and the conversions diesel needs.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the database and used in URLs and message keys.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Result<$name, $crate::domain::status::UnknownValue> {
                match value {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::domain::status::UnknownValue { kind: stringify!($name), value: value.to_owned() }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::status::UnknownValue;
            fn try_from(value: String) -> Result<$name, $crate::domain::status::UnknownValue> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;

text_enum!(
    /// What a user may do (DESIGN.md §1).
    Role {
        Owner => "owner",
        Manager => "manager",
        Seller => "seller",
        Operator => "operator",
        Admin => "admin",
    }
);

impl Role {
    /// Platform staff belong to no company.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Operator | Role::Admin)
    }
}

text_enum!(
    /// Company verification: unverified → submitted → verified | rejected → submitted …
    CompanyStatus {
        Unverified => "unverified",
        Submitted => "submitted",
        Verified => "verified",
        Rejected => "rejected",
    }
);

impl CompanyStatus {
    /// The owner may (re)submit verification data only before review or after a rejection.
    pub fn can_submit(self) -> bool {
        matches!(self, CompanyStatus::Unverified | CompanyStatus::Rejected)
    }
}

text_enum!(
    /// The "sample logistics" module of a company: none → applied → active | declined.
    ModuleStatus {
        None => "none",
        Applied => "applied",
        Active => "active",
        Declined => "declined",
        Suspended => "suspended",
    }
);

impl ModuleStatus {
    pub fn can_apply(self) -> bool {
        matches!(self, ModuleStatus::None | ModuleStatus::Declined)
    }
}

text_enum!(
    /// The state of one module application, as reviewed by staff.
    ApplicationStatus {
        Applied => "applied",
        Active => "active",
        Declined => "declined",
    }
);

text_enum!(
    /// Which document an upload is.
    UploadKind {
        Licence => "licence",
        IdFront => "id_front",
        IdBack => "id_back",
        ItemPhoto => "item_photo",
        OrderDocument => "order_document",
        TopupReceipt => "topup_receipt",
        ParcelPhoto => "parcel_photo",
        TicketAttachment => "ticket_attachment",
        RecipientPhoto => "recipient_photo",
        ReviewPhoto => "review_photo",
    }
);

text_enum!(
    /// How a sign-in attempt ended; throttled attempts do not extend the lock.
    LoginOutcome {
        Success => "success",
        Failure => "failure",
        Throttled => "throttled",
    }
);

text_enum!(
    /// What a company mainly sends, asked in the module application.
    ProductCategory {
        Electronics => "electronics",
        Apparel => "apparel",
        Beauty => "beauty",
        Home => "home",
        Toys => "toys",
        Sports => "sports",
        Jewelry => "jewelry",
        Health => "health",
        Pet => "pet",
        Auto => "auto",
        Other => "other",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()).ok(), Some(*role));
        }
    }

    #[test]
    fn an_unknown_stored_name_is_an_error_not_a_default() {
        assert!(CompanyStatus::parse("approved").is_err());
    }

    #[test]
    fn only_unverified_or_rejected_companies_can_submit() {
        assert!(CompanyStatus::Unverified.can_submit());
        assert!(CompanyStatus::Rejected.can_submit());
        assert!(!CompanyStatus::Submitted.can_submit());
        assert!(!CompanyStatus::Verified.can_submit());
    }
}
