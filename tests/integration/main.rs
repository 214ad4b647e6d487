//! Integration tests: the real server on a random port, a fresh database per
//! test (SQLite, or PostgreSQL with TEST_DATABASE_URL), HTTP as a browser speaks it.

#[path = "../common/mod.rs"]
mod common;

mod accessibility;
mod accounts;
mod addresses;
mod api;
mod api_docs;
mod api_orders;
mod approval_bypass;
mod approvals;
mod authz;
mod balance;
mod barcode_scan;
mod bench_data;
mod board;
mod catalogue;
mod check_backup;
mod cli;
mod crash;
mod demo;
mod edge;
mod every_page;
mod field_errors;
mod handover;
mod hostile_files;
mod instances;
mod labels;
mod links;
mod mail;
mod operations;
mod order_sheet;
mod orders;
mod paid;
mod password_reset;
mod recipient_confirm;
mod recipient_link;
mod returns;
mod reviews;
mod route_stats;
mod security;
mod sessions;
mod staff;
mod storage_s3;
mod team;
mod tickets;
mod tracking;
mod verification;
mod warehouse;
mod webhooks;
mod wording;
