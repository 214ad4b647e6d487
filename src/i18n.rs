//! The message catalogue: Simplified Chinese (default) and English, from
//! `locales/*.toml`, compiled into the binary. Templates ask `ctx.t("key")`.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The languages of the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh-CN" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The UI language an `Accept-Language` header ranks highest (`zh-*` is
    /// Chinese, `en-*` English), or `None` when it names neither.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for range in header.split(',') {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let lang = match tag.split('-').next() {
                Some("zh") => Lang::ZhCn,
                Some("en") => Lang::En,
                _ => continue,
            };
            // A malformed weight counts as "not acceptable" rather than as the default 1.
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            // The first of equal weights wins: browsers list in order of preference.
            if weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
                best = Some((lang, weight));
            }
        }
        best.map(|(lang, _)| lang)
    }

    /// The other language, offered by the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::ZhCn => Lang::En,
            Lang::En => Lang::ZhCn,
        }
    }
}

type Catalog = HashMap<String, String>;

static ZH_CN: LazyLock<Catalog> = LazyLock::new(|| parse(include_str!("../locales/zh-CN.toml")));
static EN: LazyLock<Catalog> = LazyLock::new(|| parse(include_str!("../locales/en.toml")));

/// Flattens nested tables into dotted keys: `[nav] home = "…"` → `nav.home`.
fn parse(source: &str) -> Catalog {
    // The files are compiled in and a unit test parses both, so this cannot fail at run time.
    let table: toml::Table = source.parse().expect("locale file is valid TOML");
    let mut catalog = Catalog::new();
    flatten("", &table, &mut catalog);
    catalog
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&full, inner, out),
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}

/// Every key of the catalogue (both catalogues have the same keys; a unit test checks).
pub fn keys() -> impl Iterator<Item = &'static str> {
    ZH_CN.keys().map(String::as_str)
}

/// Looks `key` up in `lang`'s catalogue; a missing key shows itself, so a gap
/// is visible on the page (and the unit test below catches it first).
pub fn t(lang: Lang, key: &str) -> &str {
    match lookup(lang, key) {
        Some(text) => text,
        None => {
            tracing::warn!(key, lang = lang.code(), "missing message");
            key
        }
    }
}

/// Looks `key` up without complaint, for texts that may not exist (a code
/// that has words only for some values).
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    let catalog: &'static Catalog = match lang {
        Lang::ZhCn => &ZH_CN,
        Lang::En => &EN,
    };
    catalog.get(key).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(catalog: &Catalog) -> BTreeSet<&str> {
        catalog.keys().map(String::as_str).collect()
    }

    #[test]
    fn the_browsers_highest_ranked_ui_language_is_chosen() {
        let pick = Lang::from_accept_language;
        assert_eq!(pick("de-DE,de;q=0.9,en;q=0.8"), Some(Lang::En));
        assert_eq!(pick("zh-CN,zh;q=0.9,en;q=0.8"), Some(Lang::ZhCn));
        assert_eq!(pick("zh-TW"), Some(Lang::ZhCn));
        assert_eq!(pick("en-US,en;q=0.9,zh-CN;q=0.8"), Some(Lang::En));
        assert_eq!(pick("fr;q=1, zh;q=0.3, en-GB;q=0.7"), Some(Lang::En));
        assert_eq!(pick("de, ZH;q=0.5"), Some(Lang::ZhCn));
    }

    #[test]
    fn a_header_naming_neither_language_chooses_none() {
        let pick = Lang::from_accept_language;
        assert_eq!(pick(""), None);
        assert_eq!(pick("*"), None);
        assert_eq!(pick("de-DE,fr;q=0.5"), None);
        assert_eq!(pick("en;q=0"), None);
        assert_eq!(pick("en;q=nonsense"), None);
        assert_eq!(pick("english,zhuang"), None);
        assert_eq!(pick(";;,,;q="), None);
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let zh = keys(&ZH_CN);
        let en = keys(&EN);
        assert!(!zh.is_empty());
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty(), "missing in en.toml: {only_zh:?}");
        assert!(only_en.is_empty(), "missing in zh-CN.toml: {only_en:?}");
    }

    /// Every `t("…")` literal in the templates and the Rust sources must exist.
    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let mut missing = Vec::new();
        for dir in ["templates", "src"] {
            visit(std::path::Path::new(dir), &mut |text| {
                for key in used_keys(text) {
                    // A table name passed to `ctx.tv(prefix, value)` counts when the table exists.
                    let table = format!("{key}.");
                    let known =
                        ZH_CN.contains_key(key) || ZH_CN.keys().any(|k| k.starts_with(&table));
                    if !known {
                        missing.push(key.to_owned());
                    }
                }
            });
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    /// Keys built from enum values in templates (`ctx.tv("company_status", …)`).
    #[test]
    fn every_status_role_and_category_has_a_label() {
        use crate::domain::customs::Battery;
        use crate::domain::order::Purpose;
        use crate::domain::order_state::OrderStatus;
        use crate::domain::status::*;
        let mut keys: Vec<String> = Vec::new();
        keys.extend(
            CompanyStatus::ALL
                .iter()
                .map(|s| format!("company_status.{s}")),
        );
        keys.extend(
            ModuleStatus::ALL
                .iter()
                .map(|s| format!("module_status.{s}")),
        );
        keys.extend(
            ApplicationStatus::ALL
                .iter()
                .map(|s| format!("application_status.{s}")),
        );
        keys.extend(Role::ALL.iter().map(|s| format!("role.{s}")));
        keys.extend(ProductCategory::ALL.iter().map(|s| format!("category.{s}")));
        keys.extend(OrderStatus::ALL.iter().map(|s| format!("order_status.{s}")));
        keys.extend(Purpose::ALL.iter().map(|s| format!("purpose.{s}")));
        keys.extend(Battery::ALL.iter().map(|s| format!("battery.{s}")));
        keys.extend(
            crate::domain::approval::Reason::ALL
                .iter()
                .map(|s| format!("approval_reason.{s}")),
        );
        keys.extend(
            crate::domain::ledger::EntryKind::ALL
                .iter()
                .map(|s| format!("ledger_kind.{s}")),
        );
        keys.extend(
            crate::domain::ledger::TopupStatus::ALL
                .iter()
                .map(|s| format!("topup_status.{s}")),
        );
        keys.extend(
            [
                "create",
                "edit",
                "address_confirmed",
                "submit",
                "approve",
                "reject",
                "pay",
                "cancel",
                "drop_off",
                "pickup",
                "pickup_cancelled",
            ]
            .iter()
            .map(|s| format!("order_event.{s}")),
        );
        keys.extend(
            crate::domain::tracking::Milestone::ALL
                .iter()
                .map(|s| format!("milestone.{s}")),
        );
        keys.extend(
            crate::domain::tracking::ExceptionReason::ALL
                .iter()
                .map(|s| format!("exception_reason.{s}")),
        );
        keys.extend(
            [
                "customs",
                "out_for_delivery",
                "deliver",
                "exception",
                "resume",
                "return",
                "lose",
            ]
            .iter()
            .map(|s| format!("order_event.{s}")),
        );
        keys.extend(
            crate::domain::warehouse::PickupStatus::ALL
                .iter()
                .map(|s| format!("pickup_status.{s}")),
        );
        for kind in crate::services::notifications::KINDS
            .iter()
            .chain(&["team.invitation"])
        {
            keys.push(format!("notify.{kind}"));
        }
        let missing: Vec<_> = keys
            .iter()
            .filter(|k| !ZH_CN.contains_key(k.as_str()))
            .collect();
        assert!(missing.is_empty(), "missing labels: {missing:?}");
    }

    /// Families of message keys that code passes around as plain literals.
    const KEY_FAMILIES: &[&str] = &[
        "error.",
        "flash.",
        "sheet.",
        "quote.",
        "dashboard.next.",
        "warning.",
        "document.",
    ];

    fn used_keys(text: &str) -> Vec<&str> {
        let mut found = Vec::new();
        for literal in text.split('"').skip(1).step_by(2) {
            let is_key = KEY_FAMILIES.iter().any(|f| literal.starts_with(f))
                && literal
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_')
                && !literal.ends_with('.')
                && !literal.ends_with(".html");
            if is_key {
                found.push(literal);
            }
        }
        for marker in ["t(\"", "key(\""] {
            let mut rest = text;
            while let Some(start) = rest.find(marker) {
                // `ctx.t("…")` but not `.get("…")`.
                let whole_word = !rest[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_');
                rest = &rest[start + marker.len()..];
                if !whole_word {
                    continue;
                }
                if let Some(end) = rest.find('"') {
                    let key = &rest[..end];
                    if key.contains('.') && !key.contains(' ') && !key.contains('{') {
                        found.push(key);
                    }
                    rest = &rest[end..];
                }
            }
        }
        found
    }

    fn visit(dir: &std::path::Path, f: &mut dyn FnMut(&str)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, f);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                f(&text);
            }
        }
    }
}
