//! The public review board (issue #12): ranking, per-destination figures,
//! route pages with keyset-paged reviews, comparison and caching. Seeded with
//! `common::board` (reviews inserted directly, aggregates rebuilt).

mod kept;
mod pages;
mod ranking;
mod review_list;

use crate::common::Browser;
pub use crate::common::board::{Spec, rebuild, review, reviewers};

/// A GET of `path` sent with `If-None-Match: <tag>`.
pub async fn get_with_tag(browser: &Browser, path: &str, tag: &str) -> reqwest::Response {
    browser
        .client
        .get(browser.url(path))
        .header("If-None-Match", tag)
        .send()
        .await
        .expect("GET")
}

/// The routes of a board page in the order shown.
pub fn board_order(page: &str) -> Vec<String> {
    regex::Regex::new(r#"<article class="card route-card" data-route="([A-Z0-9-]+)""#)
        .expect("regex")
        .captures_iter(page)
        .map(|c| c[1].to_owned())
        .collect()
}

/// The rating text of one route's card on the board.
pub fn rating_of(page: &str, route: &str) -> String {
    let card = format!("data-route=\"{route}\"");
    let start = page
        .find(&card)
        .unwrap_or_else(|| panic!("{route} on the board"));
    let marker = "data-rating>";
    let at = start + page[start..].find(marker).expect("a rating") + marker.len();
    page[at..].split('<').next().unwrap_or("").trim().to_owned()
}

/// The review ids listed on a route page, in order.
pub fn review_ids(page: &str) -> Vec<i64> {
    regex::Regex::new(r#"data-review="(\d+)""#)
        .expect("regex")
        .captures_iter(page)
        .filter_map(|c| c[1].parse().ok())
        .collect()
}

/// The "older reviews" link of a route page, if any.
pub fn next_link(page: &str) -> Option<String> {
    let marker = "rel=\"next\"";
    let at = page.find(marker)?;
    let before = &page[..at];
    let start = before.rfind("href=\"")? + 6;
    let link = before[start..].split('"').next()?;
    Some(link.replace("&amp;", "&").split('#').next()?.to_owned())
}
