//! Whether a submitted order needs a manager's or the owner's approval
//! (issue #5), as a pure decision over the company's policy and the facts
//! of the order. Any matching rule requires approval.

use super::money::Fen;
use super::status::{Role, text_enum};

/// The company's approval policy; all rules off means "never".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub always: bool,
    /// Orders costing more than this need approval.
    pub above: Option<Fen>,
    pub sensitive_goods: bool,
    pub new_destination: bool,
    /// The company's monthly budget; going over it needs the owner.
    pub monthly_budget: Option<Fen>,
}

impl Policy {
    /// The rules in force as `;`-separated codes with amounts
    /// (`always;above=1000.00;budget=5000.00`), for the audit log, which puts
    /// them into words in the reader's language.
    pub fn codes(&self) -> String {
        let mut codes = Vec::new();
        if self.always {
            codes.push("always".to_owned());
        }
        if let Some(above) = self.above {
            codes.push(format!("above={above}"));
        }
        if self.sensitive_goods {
            codes.push("sensitive_goods".to_owned());
        }
        if self.new_destination {
            codes.push("new_destination".to_owned());
        }
        if let Some(budget) = self.monthly_budget {
            codes.push(format!("budget={budget}"));
        }
        codes.join(";")
    }
}

/// What the decision looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub submitter: Role,
    pub total: Fen,
    pub sensitive_goods: bool,
    /// The company never sent an order to this country before.
    pub new_destination: bool,
    /// Spent this month before this order, by the company and by the submitter.
    pub company_spent: Fen,
    pub member_spent: Fen,
    pub member_budget: Option<Fen>,
    /// Managers or owner other than the submitter who could approve.
    pub other_managers: bool,
}

text_enum!(
    /// Why an order waits for approval; shown to the approver.
    Reason {
        Always => "always",
        AboveAmount => "above_amount",
        SensitiveGoods => "sensitive_goods",
        NewDestination => "new_destination",
        CompanyBudget => "company_budget",
        MemberBudget => "member_budget",
    }
);

text_enum!(
    /// Who may approve: any manager or the owner, or only the owner.
    ApproverLevel {
        Manager => "manager",
        Owner => "owner",
    }
);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    NotNeeded,
    Needed {
        by: ApproverLevel,
        reasons: Vec<Reason>,
    },
}

/// The decision for one order. An owner's own order needs no approval;
/// a budget overrun, or a company without another manager, goes to the owner.
pub fn decide(policy: &Policy, facts: &Facts) -> Decision {
    if facts.submitter == Role::Owner {
        return Decision::NotNeeded;
    }
    let mut reasons = Vec::new();
    if policy.always {
        reasons.push(Reason::Always);
    }
    if policy.above.is_some_and(|limit| facts.total > limit) {
        reasons.push(Reason::AboveAmount);
    }
    if policy.sensitive_goods && facts.sensitive_goods {
        reasons.push(Reason::SensitiveGoods);
    }
    if policy.new_destination && facts.new_destination {
        reasons.push(Reason::NewDestination);
    }
    let over = |budget: Option<Fen>, spent: Fen| budget.is_some_and(|b| spent + facts.total > b);
    let company_over = over(policy.monthly_budget, facts.company_spent);
    let member_over = over(facts.member_budget, facts.member_spent);
    if company_over {
        reasons.push(Reason::CompanyBudget);
    }
    if member_over {
        reasons.push(Reason::MemberBudget);
    }
    if reasons.is_empty() {
        return Decision::NotNeeded;
    }
    let by = if company_over || member_over || !facts.other_managers {
        ApproverLevel::Owner
    } else {
        ApproverLevel::Manager
    };
    Decision::Needed { by, reasons }
}

/// Whether `role`, not being the submitter, may decide at `level`.
pub fn may_approve(role: Role, level: ApproverLevel) -> bool {
    match level {
        ApproverLevel::Owner => role == Role::Owner,
        ApproverLevel::Manager => matches!(role, Role::Owner | Role::Manager),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            submitter: Role::Seller,
            total: Fen(5000),
            sensitive_goods: false,
            new_destination: false,
            company_spent: Fen(0),
            member_spent: Fen(0),
            member_budget: None,
            other_managers: true,
        }
    }

    fn needed(policy: &Policy, facts: &Facts) -> (ApproverLevel, Vec<Reason>) {
        match decide(policy, facts) {
            Decision::Needed { by, reasons } => (by, reasons),
            Decision::NotNeeded => panic!("approval expected"),
        }
    }

    #[test]
    fn never_by_default() {
        assert_eq!(decide(&Policy::default(), &facts()), Decision::NotNeeded);
    }

    #[test]
    fn always_goes_to_a_manager() {
        let policy = Policy {
            always: true,
            ..Policy::default()
        };
        assert_eq!(
            needed(&policy, &facts()),
            (ApproverLevel::Manager, vec![Reason::Always])
        );
    }

    #[test]
    fn above_an_amount_counts_only_strictly_above() {
        let policy = Policy {
            above: Some(Fen(5000)),
            ..Policy::default()
        };
        assert_eq!(decide(&policy, &facts()), Decision::NotNeeded);
        let dearer = Facts {
            total: Fen(5001),
            ..facts()
        };
        assert_eq!(needed(&policy, &dearer).1, vec![Reason::AboveAmount]);
    }

    #[test]
    fn sensitive_goods_and_new_destinations_are_rules_of_their_own() {
        let policy = Policy {
            sensitive_goods: true,
            new_destination: true,
            ..Policy::default()
        };
        assert_eq!(decide(&policy, &facts()), Decision::NotNeeded);
        let both = Facts {
            sensitive_goods: true,
            new_destination: true,
            ..facts()
        };
        assert_eq!(
            needed(&policy, &both).1,
            vec![Reason::SensitiveGoods, Reason::NewDestination]
        );
    }

    #[test]
    fn a_budget_overrun_goes_to_the_owner() {
        let policy = Policy {
            always: true,
            monthly_budget: Some(Fen(10_000)),
            ..Policy::default()
        };
        let within = Facts {
            company_spent: Fen(5000),
            ..facts()
        };
        assert_eq!(needed(&policy, &within).0, ApproverLevel::Manager);
        let over = Facts {
            company_spent: Fen(5001),
            ..facts()
        };
        assert_eq!(
            needed(&policy, &over),
            (
                ApproverLevel::Owner,
                vec![Reason::Always, Reason::CompanyBudget]
            )
        );
        let member_over = Facts {
            member_budget: Some(Fen(4999)),
            ..facts()
        };
        assert_eq!(
            needed(&Policy::default(), &member_over),
            (ApproverLevel::Owner, vec![Reason::MemberBudget])
        );
    }

    #[test]
    fn without_another_manager_the_owner_decides() {
        let policy = Policy {
            always: true,
            ..Policy::default()
        };
        let alone = Facts {
            submitter: Role::Manager,
            other_managers: false,
            ..facts()
        };
        assert_eq!(needed(&policy, &alone).0, ApproverLevel::Owner);
    }

    #[test]
    fn an_owners_own_order_needs_no_approval() {
        let policy = Policy {
            always: true,
            monthly_budget: Some(Fen(1)),
            ..Policy::default()
        };
        let owner = Facts {
            submitter: Role::Owner,
            ..facts()
        };
        assert_eq!(decide(&policy, &owner), Decision::NotNeeded);
    }

    #[test]
    fn who_may_approve() {
        assert!(may_approve(Role::Manager, ApproverLevel::Manager));
        assert!(may_approve(Role::Owner, ApproverLevel::Manager));
        assert!(!may_approve(Role::Manager, ApproverLevel::Owner));
        assert!(!may_approve(Role::Seller, ApproverLevel::Manager));
    }
}
