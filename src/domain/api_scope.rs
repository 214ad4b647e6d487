//! What an ERP API token may do (issue #13): each endpoint needs one scope.

use super::status::text_enum;

text_enum!(
    /// One permission of an API token.
    ApiScope {
        Quote => "quote",
        OrdersRead => "orders:read",
        OrdersWrite => "orders:write",
        TrackingRead => "tracking:read",
        Webhooks => "webhooks",
    }
);

/// A token's scopes: at least one, each once, in [`ApiScope::ALL`] order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scopes(Vec<ApiScope>);

impl Scopes {
    /// Scopes as chosen on a form or stored (`quote,orders:read`); unknown
    /// names are refused, an empty choice too.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<Scopes> {
        let mut chosen = Vec::new();
        for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
            chosen.push(ApiScope::parse(name).ok()?);
        }
        let scopes: Vec<ApiScope> = ApiScope::ALL
            .iter()
            .copied()
            .filter(|scope| chosen.contains(scope))
            .collect();
        (!scopes.is_empty()).then_some(Scopes(scopes))
    }

    pub fn allows(&self, scope: ApiScope) -> bool {
        self.0.contains(&scope)
    }

    pub fn iter(&self) -> impl Iterator<Item = ApiScope> + '_ {
        self.0.iter().copied()
    }

    /// As stored: `quote,orders:read`.
    pub fn stored(&self) -> String {
        self.0
            .iter()
            .map(|scope| scope.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_kept_once_in_a_fixed_order() {
        let scopes = Scopes::parse(["orders:read", "quote", "quote"]).expect("valid");
        assert_eq!(scopes.stored(), "quote,orders:read");
        assert!(scopes.allows(ApiScope::Quote) && !scopes.allows(ApiScope::Webhooks));
    }

    #[test]
    fn unknown_or_no_scopes_are_refused() {
        assert_eq!(Scopes::parse(["quote", "admin"]), None);
        assert_eq!(Scopes::parse(["", " "]), None);
    }
}
