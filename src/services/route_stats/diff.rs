//! What the rebuild found different between the stored aggregates and the
//! ones recomputed from raw rows, as lines a person reads. A row missing on
//! one side counts as all zeros; weights compare within rounding.

use super::aggregates::Aggregates;
use crate::db::route_stats::OrderFacts;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

/// At most this many lines are listed; the rest are counted.
const SHOWN: usize = 100;

pub fn differences(
    stored: &Aggregates,
    stored_facts: &[OrderFacts],
    fresh: &Aggregates,
    fresh_facts: &[OrderFacts],
) -> Vec<String> {
    let mut lines = Vec::new();
    rows("route_stats", &stored.stats, &fresh.stats, &mut lines);
    rows("route_facts", &stored.facts, &fresh.facts, &mut lines);
    let weights = |agg: &Aggregates| -> BTreeMap<String, Value> {
        agg.company_rows()
            .filter(|row| row.reviews != 0)
            .map(|row| {
                (
                    format!(
                        "{}/{}/company {}",
                        row.route_code, row.country, row.company_id
                    ),
                    serde_json::json!({"reviews": row.reviews, "weight": row.weight,
                        "weighted_score": row.weighted_score}),
                )
            })
            .collect()
    };
    values(
        "route_company_weights",
        &weights(stored),
        &weights(fresh),
        &mut lines,
    );
    let bars = |agg: &Aggregates| -> BTreeMap<String, Value> {
        agg.histogram_rows()
            .filter(|bar| bar.count != 0)
            .map(|bar| {
                (
                    format!(
                        "{}/{}/{}/{}={}",
                        bar.route_code, bar.country, bar.kind, bar.month, bar.value
                    ),
                    Value::from(bar.count),
                )
            })
            .collect()
    };
    values("route_histograms", &bars(stored), &bars(fresh), &mut lines);
    let months = |agg: &Aggregates| -> BTreeMap<String, Value> {
        agg.month_rows()
            .filter(|row| row.reviews != 0)
            .map(|row| {
                (
                    format!("{}/{}", row.route_code, row.month),
                    serde_json::json!([row.reviews, row.sum_overall]),
                )
            })
            .collect()
    };
    values("route_months", &months(stored), &months(fresh), &mut lines);
    let by_order = |facts: &[OrderFacts]| -> BTreeMap<String, String> {
        facts
            .iter()
            .map(|f| (format!("order {}", f.order_id), format!("{f:?}")))
            .collect()
    };
    let (stored_orders, fresh_orders) = (by_order(stored_facts), by_order(fresh_facts));
    for key in keys(&stored_orders, &fresh_orders) {
        let (a, b) = (stored_orders.get(&key), fresh_orders.get(&key));
        if a != b {
            lines.push(format!("order_facts {key}: stored {a:?}, recomputed {b:?}"));
        }
    }
    if lines.len() > SHOWN {
        let more = lines.len() - SHOWN;
        lines.truncate(SHOWN);
        lines.push(format!("… and {more} more differences"));
    }
    lines
}

fn keys<K: Ord + Clone, V>(a: &BTreeMap<K, V>, b: &BTreeMap<K, V>) -> BTreeSet<K> {
    a.keys().chain(b.keys()).cloned().collect()
}

/// Compares rows field by field (a missing row reads as zeros).
fn rows<K: Ord + Clone + Debug, R: Serialize + Default>(
    table: &str,
    stored: &BTreeMap<K, R>,
    fresh: &BTreeMap<K, R>,
    lines: &mut Vec<String>,
) {
    let zero = R::default();
    for key in keys(stored, fresh) {
        let a = serde_json::to_value(stored.get(&key).unwrap_or(&zero)).unwrap_or_default();
        let b = serde_json::to_value(fresh.get(&key).unwrap_or(&zero)).unwrap_or_default();
        let (Value::Object(a), Value::Object(b)) = (a, b) else {
            continue;
        };
        for (field, value) in &b {
            if matches!(field.as_str(), "route_code" | "country") {
                continue;
            }
            let before = a.get(field).unwrap_or(&Value::Null);
            if !same(before, value) {
                lines.push(format!(
                    "{table} {key:?} {field}: stored {before}, recomputed {value}"
                ));
            }
        }
    }
}

fn values(
    table: &str,
    stored: &BTreeMap<String, Value>,
    fresh: &BTreeMap<String, Value>,
    lines: &mut Vec<String>,
) {
    for key in keys(stored, fresh) {
        let (a, b) = (
            stored.get(&key).unwrap_or(&Value::Null),
            fresh.get(&key).unwrap_or(&Value::Null),
        );
        if !same(a, b) {
            lines.push(format!("{table} {key}: stored {a}, recomputed {b}"));
        }
    }
}

/// Equal, with floating-point sums equal within rounding.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => a == b,
    }
}
