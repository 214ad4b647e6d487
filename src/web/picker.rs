//! Country pickers escaped once per language and kept: escaping some 250
//! names on every request was a third of `/rates`' time (README, "Speed at
//! scale"). The chosen country's ` selected` goes in at a kept offset.

use crate::domain::country::{self, Country};
use crate::i18n::Lang;
use askama::Template;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Template)]
#[template(
    source = "{% for (code, label) in options %}<option value=\"{{ code }}\">{{ label }}</option>\n{% endfor %}",
    ext = "html"
)]
struct Options<'a> {
    options: Vec<(&'a str, String)>,
}

/// A picker's `<option>`s and, per country code, where ` selected` goes.
pub struct Picker {
    html: String,
    at: HashMap<String, usize>,
}

impl Picker {
    /// The options of `countries` in that order, each labelled by `label`.
    fn build<'a>(
        countries: impl Iterator<Item = &'a Country>,
        label: impl Fn(&Country) -> String,
    ) -> Picker {
        let countries: Vec<&Country> = countries.collect();
        let options = countries
            .iter()
            .map(|c| (c.code.as_str(), label(c)))
            .collect();
        // Built once for the process from the country list, not per request:
        // a failure leaves the picker empty (the pages still take typed
        // codes) and is logged rather than hidden.
        let html = Options { options }.render().unwrap_or_else(|error| {
            tracing::error!(%error, "a country picker's options did not render");
            String::new()
        });
        let mut at = HashMap::new();
        for c in countries {
            let value = format!("<option value=\"{}\"", c.code);
            if let Some(start) = html.find(&value) {
                at.insert(c.code.clone(), start + value.len());
            }
        }
        Picker { html, at }
    }

    /// The options with `chosen` (a country code as typed) selected.
    pub fn with_selected(&self, chosen: &str) -> String {
        match self.at.get(chosen.trim()) {
            Some(&offset) => {
                let mut out = String::with_capacity(self.html.len() + 10);
                out.push_str(&self.html[..offset]);
                out.push_str(" selected");
                out.push_str(&self.html[offset..]);
                out
            }
            None => self.html.clone(),
        }
    }
}

fn name(c: &Country, lang: Lang) -> &str {
    match lang {
        Lang::ZhCn => &c.name_zh,
        Lang::En => &c.name_en,
    }
}

/// `/rates`: every country as "US · 美国", in the country list's order.
pub fn by_code(lang: Lang) -> &'static Picker {
    fn build(lang: Lang) -> Picker {
        Picker::build(country::all().iter(), |c| {
            format!("{} · {}", c.code, name(c, lang))
        })
    }
    static ZH: LazyLock<Picker> = LazyLock::new(|| build(Lang::ZhCn));
    static EN: LazyLock<Picker> = LazyLock::new(|| build(Lang::En));
    match lang {
        Lang::ZhCn => &ZH,
        Lang::En => &EN,
    }
}

/// The board: the main destinations first, as "美国 · US".
pub fn destinations(lang: Lang) -> &'static Picker {
    fn build(lang: Lang) -> Picker {
        Picker::build(country::destinations().into_iter(), |c| {
            format!("{} · {}", name(c, lang), c.code)
        })
    }
    static ZH: LazyLock<Picker> = LazyLock::new(|| build(Lang::ZhCn));
    static EN: LazyLock<Picker> = LazyLock::new(|| build(Lang::En));
    match lang {
        Lang::ZhCn => &ZH,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_country_is_selected_and_names_are_escaped_once() {
        let picker = destinations(Lang::En);
        let page = picker.with_selected("DE");
        assert!(page.contains("<option value=\"DE\" selected>Germany · DE</option>"));
        assert_eq!(page.matches(" selected").count(), 1);
        assert!(!picker.with_selected("XX").contains(" selected"));
        assert!(
            by_code(Lang::ZhCn)
                .with_selected("US")
                .contains("<option value=\"US\" selected>US · ")
        );
    }
}
