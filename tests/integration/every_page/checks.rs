//! What `every_page` checks on each page, and the walk that keeps every
//! page for the HTML checker and the coverage check against the URL map.

use crate::common::Browser;
use crate::wording::{both_languages, message_keys, visible_text};

/// A `{name}` placeholder as it would show through.
pub(super) fn placeholders(text: &str) -> Vec<String> {
    regex::Regex::new(r"\{[a-z_]+\}")
        .expect("regex")
        .find_iter(text)
        .map(|m| m.as_str().to_owned())
        .collect()
}

/// Chinese characters on an English page, minus what is Chinese on purpose:
/// the switch to Chinese, the product's name, what a test typed, and what
/// is marked as Chinese (`lang="zh-CN"` on an element holding only text:
/// bilingual text, issue #15).
fn chinese_on_english(page: &str, allowed: &[&str]) -> Vec<String> {
    let marked = regex::Regex::new(r#"<([a-z0-9]+)[^>]*\blang="zh-CN"[^>]*>[^<]*</([a-z0-9]+)>"#)
        .expect("regex");
    let page = marked.replace_all(page, |c: &regex::Captures| {
        // Only an element closed by its own end tag is left out.
        if c[1] == c[2] {
            String::new()
        } else {
            c[0].to_owned()
        }
    });
    let mut text = visible_text(&page);
    for fine in ["中文", "样品邮"].iter().chain(allowed) {
        text = text.replace(fine, " ");
    }
    regex::Regex::new(r"[\p{Han}]+")
        .expect("regex")
        .find_iter(&text)
        .map(|m| m.as_str().to_owned())
        .collect()
}

/// Markup a screen reader or the HTML checker trips over (issue #15): a
/// column heading with no name, a form whose `action` is empty, a heading
/// level skipped.
fn markup_problems(page: &str) -> Vec<String> {
    let mut found = Vec::new();
    let empty_heading = regex::Regex::new(r"<th[^>]*>\s*</th>").expect("regex");
    for heading in empty_heading.find_iter(page) {
        found.push(format!("empty table heading {}", heading.as_str()));
    }
    if page.contains("action=\"\"") {
        found.push("a form with action=\"\"".to_owned());
    }
    found.extend(heading_skips(page));
    found
}

/// Routes of the URL map that answer no HTML page (files, JSON, redirects,
/// the API), or whose page is a form the walk's records cannot reach
/// unspent: the rest must be in the walk.
const NOT_PAGES: &[&str] = &[
    "/api/v1/",
    "/static/",
    "/favicon.ico",
    "/healthz",
    "/metrics",
    "/lang/{code}",
    "/uploads/{id}",
    "/reviews/{id}/photos/{n}",
    "/app/hs-codes",
    "/admin/warehouse/scan",
];

/// The GET routes of the URL map (one row each in the authorisation
/// matrix, which fails on a route without one) whose page the walk did not
/// open: a new page fails here until it is walked, and so checked.
pub(super) fn pages_not_walked(walked: &[(String, String)]) -> Vec<String> {
    let paths: Vec<&str> = walked
        .iter()
        .map(|(label, _)| label.split([' ', '?']).next().unwrap_or_default())
        .collect();
    let parameter = regex::Regex::new(r"\{[a-z_]+\}").expect("regex");
    crate::authz::matrix::MATRIX
        .iter()
        .filter(|row| row.method == "GET")
        .map(|row| row.pattern)
        .filter(|pattern| {
            let file = pattern.rsplit('/').next().unwrap_or_default().contains('.');
            !file && !NOT_PAGES.iter().any(|not| pattern.starts_with(not))
        })
        .filter(|pattern| {
            // `{name}` is one path segment; the patterns hold no other
            // regex syntax (those with a `.` are files, left out above).
            let shape = parameter.replace_all(pattern, "[^/]+");
            let shape = format!("^{shape}$");
            let shape = regex::Regex::new(&shape).expect("a route's shape");
            !paths.iter().any(|path| shape.is_match(path))
        })
        .map(|pattern| format!("{pattern}: a page of the URL map the walk does not open"))
        .collect()
}

/// Where a page's headings skip a level (an `<h3>` straight after the
/// `<h1>`, say): a screen reader's outline of the page has a hole there.
pub fn heading_skips(page: &str) -> Vec<String> {
    let heading = regex::Regex::new(r"<h([1-6])[\s>]").expect("regex");
    let mut previous = 0;
    let mut skips = Vec::new();
    for level in heading.captures_iter(page) {
        let level: u32 = level[1].parse().expect("a digit");
        if level > previous + 1 {
            skips.push(format!("heading h{level} after h{previous}"));
        }
        previous = level;
    }
    skips
}

/// What the walk found wrong, and every page it fetched, for one run of
/// the HTML checker at the end (a JVM per page would be far too slow).
#[derive(Default)]
pub(super) struct Walk {
    pub found: Vec<String>,
    pub pages: Vec<(String, String)>,
}

impl Walk {
    /// Checks one page in both languages, and its security headers and
    /// cookie flags (issue #14), noting what is wrong with it.
    pub async fn check(&mut self, browser: &Browser, path: &str, allowed: &[&str]) {
        let (zh, en) = both_languages(browser, path).await;
        let response = browser.get(path).await;
        // A page refused or missing is not the page meant to be checked (some
        // answer 400 or 422 on purpose, with their form and its reason).
        let status = response.status().as_u16();
        if matches!(status, 401 | 403 | 404) || status >= 500 {
            self.found
                .push(format!("{path}: answered {}", response.status()));
        }
        let headers = response.headers().clone();
        let found = &mut self.found;
        found.extend(crate::security::header_problems(path, &headers, false));
        for (lang, page) in [("zh", &zh), ("en", &en)] {
            let text = visible_text(page);
            for p in placeholders(&text) {
                found.push(format!("{path} [{lang}]: placeholder {p}"));
            }
            for key in message_keys(page) {
                found.push(format!("{path} [{lang}]: message key {key}"));
            }
            for markup in markup_problems(page) {
                found.push(format!("{path} [{lang}]: {markup}"));
            }
        }
        for han in chinese_on_english(&en, allowed) {
            found.push(format!("{path} [en]: Chinese {han}"));
        }
        self.pages.push((format!("{path} [zh]"), zh));
        self.pages.push((format!("{path} [en]"), en));
    }
}
