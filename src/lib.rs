//! Samplepost: sample logistics for cross-border sellers, with a public route review board.

pub mod app;
pub mod bench_data;
pub mod charts;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod jobs;
pub mod metrics;
pub mod pdf;
pub mod services;
pub mod storage;
pub mod web;
