//! Pages under load (issue #12, "Speed at scale"), beside the yardstick.
//!
//! `cargo bench --bench load` (SQLite; with `TEST_DATABASE_URL` set, on a
//! fresh PostgreSQL database). It starts the real server as the integration
//! tests do, fills it with `gen-bench-data` (`BENCH_REVIEWS`, default
//! 10000; `BENCH_ROUTES` 200, `BENCH_COMPANIES` 2000), starts the yardstick
//! page (benches/support/yardstick.rs) and then, for each page:
//! - its median answer time one request at a time (`BENCH_SAMPLES`, 200);
//! - `wrk -t2 -c32 -d10s --latency` (`BENCH_SECONDS`): requests/s, p50, p99,
//!   errors, and the ratio of its requests/s to the yardstick's.
//!
//! Pages not on this build yet (a 404) are listed as missing, not measured.
//! `BENCH_PAGES=rates,board` picks groups (default all).
//!
//! `BENCH_DATABASE_URL` (a SQLite path or a `postgres://` URL) serves a
//! database filled beforehand with `samplepost gen-bench-data` instead of
//! generating one: a million reviews take minutes to write, the runs at
//! that size reuse them. `BENCH_REVIEWS` is then only the label.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/yardstick.rs"]
mod yardstick;

use common::TestApp;
use diesel::prelude::*;
use samplepost::bench_data::{self, Params};
use std::process::Command;
use std::time::{Duration, Instant};

/// The `/rates` result of issue #12: one parcel, priced on the demo routes.
const RATES: &str = "/rates?to=US&weight_kg=0.5&length_cm=20&width_cm=15&height_cm=10";

#[tokio::main]
async fn main() {
    let reviews = env_number("BENCH_REVIEWS", 10_000);
    let seconds = env_number("BENCH_SECONDS", 10);
    let samples = env_number("BENCH_SAMPLES", 200) as usize;
    let groups = std::env::var("BENCH_PAGES").unwrap_or_else(|_| "rates,board".to_owned());
    let reuse = std::env::var("BENCH_DATABASE_URL").ok();
    let backend = match (&reuse, std::env::var("TEST_DATABASE_URL")) {
        (Some(url), _) if url.starts_with("postgres") => "PostgreSQL",
        (Some(_), _) => "SQLite",
        (None, Ok(_)) => "PostgreSQL",
        (None, Err(_)) => "SQLite",
    };
    let app = match &reuse {
        Some(url) => {
            let url = url.clone();
            TestApp::spawn_with(move |settings| settings.database_url = url).await
        }
        None => TestApp::spawn().await,
    };
    let mut pages: Vec<(String, String)> = vec![("yardstick".to_owned(), String::new())];
    if groups.contains("rates") {
        pages.push((
            "/rates (8 demo routes)".to_owned(),
            format!("{}{RATES}", app.address),
        ));
    }
    if groups.contains("board") && reuse.is_some() {
        pages.extend(board_pages(&app));
    } else if groups.contains("board") && reviews > 0 {
        let started = Instant::now();
        let summary = {
            let mut conn = app.conn();
            bench_data::generate(
                &mut conn,
                &Params {
                    routes: env_number("BENCH_ROUTES", 200) as usize,
                    companies: env_number("BENCH_COMPANIES", 2000) as usize,
                    reviews: reviews as usize,
                    seed: 12,
                },
            )
            .expect("bench data")
        };
        println!(
            "{backend}: generated {} reviews, {} orders in {:.1?}",
            summary.reviews,
            summary.orders,
            started.elapsed()
        );
        pages.extend(board_pages(&app));
    }
    let yard = yardstick::start().await;
    pages[0].1 = yard;

    println!("\n{backend}, {reviews} reviews; wrk -t2 -c32 -d{seconds}s on loopback");
    println!(
        "{:<44} {:>9} {:>10} {:>9} {:>9} {:>7} {:>6}",
        "page", "median 1×", "req/s", "p50", "p99", "errors", "ratio"
    );
    let mut yardstick_rate = None;
    for (name, url) in &pages {
        let Some(median) = median_alone(url, samples).await else {
            println!("{name:<44} missing on this build (404)");
            continue;
        };
        let load = wrk(url, seconds);
        let rate = yardstick_rate.get_or_insert(load.requests_per_second);
        println!(
            "{:<44} {:>9.2?} {:>10.0} {:>9} {:>9} {:>7} {:>5.2}×",
            name,
            median,
            load.requests_per_second,
            load.p50,
            load.p99,
            load.errors,
            load.requests_per_second / *rate
        );
    }
}

/// The board's pages at the route with most reviews: the first page, a deep
/// keyset page with a filter, and a comparison with the next two routes.
fn board_pages(app: &TestApp) -> Vec<(String, String)> {
    #[derive(QueryableByName)]
    struct Top {
        #[diesel(sql_type = diesel::sql_types::Text)]
        route_code: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        country: String,
    }
    let mut conn = app.conn();
    let top: Vec<Top> = diesel::sql_query(
        "SELECT route_code, MIN(country) AS country FROM reviews \
         GROUP BY route_code ORDER BY COUNT(*) DESC, route_code LIMIT 3",
    )
    .load(&mut conn)
    .expect("top routes");
    let Some(first) = top.first() else {
        return Vec::new();
    };
    let code = &first.route_code;
    // A deep page: the review 90 % down the filtered list is the keyset cursor.
    #[derive(QueryableByName)]
    struct Cursor {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let deep: Option<Cursor> = diesel::sql_query(format!(
        "SELECT id FROM reviews WHERE route_code = '{code}' AND country = '{}' AND overall = 5 \
         ORDER BY id DESC LIMIT 1 OFFSET (SELECT COUNT(*) * 9 / 10 FROM reviews \
         WHERE route_code = '{code}' AND country = '{}' AND overall = 5)",
        first.country, first.country
    ))
    .get_result(&mut conn)
    .optional()
    .expect("cursor");
    let before = deep.map_or(0, |c| c.id);
    let compare: Vec<&str> = top.iter().map(|t| t.route_code.as_str()).collect();
    vec![
        (
            "/ (board, kept page)".to_owned(),
            format!("{}/", app.address),
        ),
        (
            "/ (board, rendered every time)".to_owned(),
            format!("{}/?page={VARY}", app.address),
        ),
        (
            format!("/routes/{code}"),
            at(app, &format!("/routes/{code}")),
        ),
        (
            format!("/routes/{code} deep, {} 5★", first.country),
            at(
                app,
                &format!(
                    "/routes/{code}?country={}&stars=5&before={before}",
                    first.country
                ),
            ),
        ),
        (
            format!("/compare?routes={}", compare.join(",")),
            at(app, &format!("/compare?routes={}", compare.join(","))),
        ),
    ]
}

/// In a page's URL: a different number on every request (the median's from
/// 1001, wrk's from 2001; the board takes pages up to 100000), so no two
/// requests ask for the same variant. The board's pages past the end show
/// its last page and only its first 256 variants are kept, so every request
/// renders it.
const VARY: &str = "{n}";

/// The median answer time, one request at a time; `None` when the page is missing.
async fn median_alone(url: &str, samples: usize) -> Option<Duration> {
    let client = reqwest::Client::new();
    let numbered = |i: usize| url.replace(VARY, &(1000 + i).to_string());
    let first = client.get(numbered(0)).send().await.expect("request");
    if first.status() == 404 {
        return None;
    }
    assert!(
        first.status().is_success(),
        "{url} answered {}",
        first.status()
    );
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples.max(1) {
        let started = Instant::now();
        let response = client.get(numbered(i + 1)).send().await.expect("request");
        response.bytes().await.expect("body");
        times.push(started.elapsed());
    }
    times.sort_unstable();
    Some(times[times.len() / 2])
}

/// What `wrk` measured of one page.
struct Load {
    requests_per_second: f64,
    p50: String,
    p99: String,
    /// Socket errors plus answers other than 2xx/3xx.
    errors: u64,
}

/// Drives `url` with wrk for `seconds` (32 connections, two threads); a
/// [`VARY`] in it becomes a new number on every request (a wrk script).
fn wrk(url: &str, seconds: u64) -> Load {
    let mut args = vec![
        "-t2".to_owned(),
        "-c32".to_owned(),
        format!("-d{seconds}s"),
        "--latency".to_owned(),
    ];
    let script = std::env::temp_dir().join(format!("load-vary-{}.lua", std::process::id()));
    let url = match url.split_once(VARY) {
        Some((before, after)) => {
            let path_at = before.find("://").map_or(0, |at| at + 3);
            let path_at = before[path_at..]
                .find('/')
                .map_or(before.len(), |p| path_at + p);
            let lua = format!(
                "n = 2000\nrequest = function()\n  n = n + 1\n  \
                 return wrk.format(nil, \"{}\" .. n .. \"{after}\")\nend\n",
                &before[path_at..]
            );
            std::fs::write(&script, lua).expect("wrk script");
            args.extend(["-s".to_owned(), script.to_string_lossy().into_owned()]);
            format!("{}/", &before[..path_at])
        }
        None => url.to_owned(),
    };
    args.push(url);
    let output = Command::new("wrk")
        .args(&args)
        .output()
        .expect("wrk is installed (apt-get install wrk)");
    let _ = std::fs::remove_file(&script);
    let text = String::from_utf8_lossy(&output.stdout);
    parse_wrk(&text)
}

fn parse_wrk(text: &str) -> Load {
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(prefix).map(|rest| rest.trim().to_owned()))
    };
    let requests_per_second = field("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let non_2xx: u64 = field("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // "Socket errors: connect 0, read 0, write 0, timeout 0"
    let socket: u64 = field("Socket errors:")
        .map(|v| {
            v.split(',')
                .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    Load {
        requests_per_second,
        p50: field("50%").unwrap_or_default(),
        p99: field("99%").unwrap_or_default(),
        errors: non_2xx + socket,
    }
}

fn at(app: &TestApp, path: &str) -> String {
    format!("{}{path}", app.address)
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
