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

impl PageCtx {
    /// An audit action (`order.create`) in words, if the catalogue has them
    /// (the page shows the code of one it does not know yet).
    pub fn audit_action(&self, action: &str) -> Option<&'static str> {
        crate::i18n::lookup(self.lang, &format!("audit_action.{action}"))
    }

    /// An audit entry's detail in words where it holds codes (roles, the
    /// approval rules); other details are what a person typed or a number.
    pub fn audit_detail(&self, action: &str, detail: &str) -> String {
        match action {
            "team.invite" => self.tv("role", detail),
            "team.role" => detail
                .split(" → ")
                .map(|role| self.tv("role", role))
                .collect::<Vec<_>>()
                .join(" → "),
            "company.verification.duplicate" => self.tv("field", detail),
            "company.approval_policy" if detail.is_empty() => {
                self.t("approval_rule.none").to_owned()
            }
            "company.approval_policy" => detail
                .split(';')
                .map(|code| match code.split_once('=') {
                    Some((rule, amount)) => format!("{} ¥{amount}", self.tv("approval_rule", rule)),
                    None => self.tv("approval_rule", code),
                })
                .collect::<Vec<_>>()
                .join(" · "),
            _ => detail.to_owned(),
        }
    }
}

impl PageCtx {
    /// "…and N more problems" under a report that lists only the first
    /// `listed` of `total`; nothing when every problem is listed.
    pub fn more_problems(&self, listed: usize, total: &usize) -> Option<String> {
        let more = total.saturating_sub(listed);
        (more > 0).then(|| {
            self.t("hostile.more_problems")
                .replace("{count}", &more.to_string())
        })
    }
}

impl PageCtx {
    /// Of a name kept in both languages (a route's), the page's one.
    pub fn in_lang<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            crate::i18n::Lang::ZhCn => zh,
            crate::i18n::Lang::En => en,
        }
    }
}

impl PageCtx {
    /// "row 3, column waybill: …", a sheet's problem in the page's language.
    pub fn row_problem(&self, problem: &crate::domain::spreadsheet::RowProblem) -> String {
        let mut place = Vec::new();
        if problem.row > 0 {
            place.push(
                self.t("sheet.row")
                    .replace("{row}", &problem.row.to_string()),
            );
        }
        if !problem.column.is_empty() {
            place.push(self.t("sheet.column").replace("{column}", &problem.column));
        }
        match place.is_empty() {
            true => self.t(problem.key).to_owned(),
            false => format!("{}: {}", place.join(", "), self.t(problem.key)),
        }
    }
}
