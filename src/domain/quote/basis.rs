//! What a frozen quote was priced with besides the parcel and the rate row:
//! the admin's pricing rules and the discounts' inputs as they were at the
//! time. The warehouse's re-weigh prices the measured parcel with exactly
//! these (DESIGN.md §4), so a change of rules after the quote never changes
//! what the seller pays for it.

use super::{Options, PricingRules, VolumeTier};
use crate::domain::money::{BasisPoints, Fen, UsdCnyRate};
use serde::{Deserialize, Serialize};

/// Stored as JSON in `order_quotes.basis`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteBasis {
    pub usd_cny_rate: i64,
    pub signature_fee_fen: i64,
    pub insurance_bp: i64,
    pub insurance_min_fen: i64,
    pub expedited_fee_fen: i64,
    pub ddp_bp: i64,
    pub ddp_min_fen: i64,
    pub erp_discount_bp: i64,
    /// `(min_parcels, discount_bp)` per tier.
    pub volume_tiers: Vec<(u32, i64)>,
    pub parcels_this_month: u32,
    pub erp_origin: bool,
}

impl QuoteBasis {
    pub fn new(rules: &PricingRules, options: &Options) -> QuoteBasis {
        QuoteBasis {
            usd_cny_rate: rules.usd_cny.0,
            signature_fee_fen: rules.signature_fee.0,
            insurance_bp: rules.insurance_rate.0,
            insurance_min_fen: rules.insurance_min.0,
            expedited_fee_fen: rules.expedited_fee.0,
            ddp_bp: rules.ddp_rate.0,
            ddp_min_fen: rules.ddp_min.0,
            erp_discount_bp: rules.erp_discount.0,
            volume_tiers: rules
                .volume_tiers
                .iter()
                .map(|tier| (tier.min_parcels, tier.discount.0))
                .collect(),
            parcels_this_month: options.parcels_this_month,
            erp_origin: options.erp_origin,
        }
    }

    /// Reads the stored JSON; `None` for quotes frozen before bases were kept.
    pub fn parse(json: &str) -> Option<QuoteBasis> {
        serde_json::from_str(json).ok()
    }

    pub fn to_json(&self) -> String {
        // A struct of integers and booleans always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn rules(&self) -> PricingRules {
        PricingRules {
            usd_cny: UsdCnyRate(self.usd_cny_rate),
            signature_fee: Fen(self.signature_fee_fen),
            insurance_rate: BasisPoints(self.insurance_bp),
            insurance_min: Fen(self.insurance_min_fen),
            expedited_fee: Fen(self.expedited_fee_fen),
            ddp_rate: BasisPoints(self.ddp_bp),
            ddp_min: Fen(self.ddp_min_fen),
            volume_tiers: self
                .volume_tiers
                .iter()
                .map(|&(min_parcels, bp)| VolumeTier {
                    min_parcels,
                    discount: BasisPoints(bp),
                })
                .collect(),
            erp_discount: BasisPoints(self.erp_discount_bp),
        }
    }

    /// The quote's options with the discount inputs it was priced with.
    pub fn options(&self, services: Options) -> Options {
        Options {
            parcels_this_month: self.parcels_this_month,
            erp_origin: self.erp_origin,
            ..services
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_basis_reads_back_as_the_rules_it_was_made_from() {
        let rules = PricingRules {
            usd_cny: UsdCnyRate(71234),
            signature_fee: Fen(1500),
            insurance_rate: BasisPoints(100),
            insurance_min: Fen(500),
            expedited_fee: Fen(2000),
            ddp_rate: BasisPoints(1200),
            ddp_min: Fen(3000),
            volume_tiers: vec![VolumeTier {
                min_parcels: 100,
                discount: BasisPoints(500),
            }],
            erp_discount: BasisPoints(200),
        };
        let options = Options {
            parcels_this_month: 120,
            erp_origin: true,
            ..Options::default()
        };
        let basis = QuoteBasis::parse(&QuoteBasis::new(&rules, &options).to_json());
        let Some(basis) = basis else {
            panic!("the basis did not read back");
        };
        assert_eq!(basis.rules(), rules);
        assert_eq!(basis.options(Options::default()), options);
        assert_eq!(QuoteBasis::parse(""), None);
    }
}
