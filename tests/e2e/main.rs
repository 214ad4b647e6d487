//! Browser tests: the real server, driven through headless Chromium the way
//! a person clicks through it. Skipped (with a note) when Chromium or
//! chromedriver is not installed, unless `E2E_REQUIRED=1`.

#[path = "../common/mod.rs"]
mod common;

mod approvals;
mod axe;
mod board;
mod browser;
mod calculator;
mod error_states;
mod language;
mod links;
mod onboarding;
mod orders;
mod phone_width;
mod reviews;
mod tickets;
mod tour;
mod tracking;
mod warehouse;
