//! What the rebuild found different between the stored aggregates and the
//! ones recomputed from raw rows, as lines a person reads, and which tables
//! differ (the rebuild rewrites only those). A row missing on one side
//! counts as all zeros; weights compare within rounding.

use super::aggregates::Aggregates;
use crate::db::route_stats::OrderFacts;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

/// At most this many lines are listed; the rest are counted.
const SHOWN: usize = 100;

/// What differed: lines for a person, and the tables they are in.
#[derive(Debug, Default)]
pub struct Differences {
    pub lines: Vec<String>,
    pub tables: BTreeSet<&'static str>,
}

impl Differences {
    /// Runs `compare` for `table`, noting the table when it added lines.
    fn table(&mut self, table: &'static str, compare: impl FnOnce(&mut Vec<String>)) {
        let before = self.lines.len();
        compare(&mut self.lines);
        if self.lines.len() > before {
            self.tables.insert(table);
        }
    }
}

/// Both lists of order facts must be sorted by order id (`load_all` reads
/// them so; the rebuild sorts what it measured).
pub fn differences(
    stored: &Aggregates,
    stored_facts: &[OrderFacts],
    fresh: &Aggregates,
    fresh_facts: &[OrderFacts],
) -> Differences {
    let mut found = Differences::default();
    found.table("route_stats", |lines| {
        rows("route_stats", &stored.stats, &fresh.stats, lines)
    });
    found.table("route_facts", |lines| {
        rows("route_facts", &stored.facts, &fresh.facts, lines)
    });
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
    found.table("route_company_weights", |lines| {
        values(
            "route_company_weights",
            &weights(stored),
            &weights(fresh),
            lines,
        )
    });
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
    found.table("route_histograms", |lines| {
        values("route_histograms", &bars(stored), &bars(fresh), lines)
    });
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
    found.table("route_months", |lines| {
        values("route_months", &months(stored), &months(fresh), lines)
    });
    found.table("order_facts", |lines| {
        orders(stored_facts, fresh_facts, lines)
    });
    let lines = &mut found.lines;
    if lines.len() > SHOWN {
        let more = lines.len() - SHOWN;
        lines.truncate(SHOWN);
        lines.push(format!("… and {more} more differences"));
    }
    found
}

/// Compares two lists of order facts sorted by order id in one walk: at a
/// million orders, text is made only of the rows that differ.
fn orders(stored: &[OrderFacts], fresh: &[OrderFacts], lines: &mut Vec<String>) {
    use std::cmp::Ordering;
    let (mut a, mut b) = (stored.iter().peekable(), fresh.iter().peekable());
    loop {
        let (left, right) = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(x), Some(y)) => match x.order_id.cmp(&y.order_id) {
                Ordering::Less => (a.next(), None),
                Ordering::Greater => (None, b.next()),
                Ordering::Equal => (a.next(), b.next()),
            },
            (Some(_), None) => (a.next(), None),
            (None, Some(_)) => (None, b.next()),
        };
        if left != right {
            let id = left.or(right).map_or(0, |f| f.order_id);
            lines.push(format!(
                "order_facts order {id}: stored {left:?}, recomputed {right:?}"
            ));
        }
    }
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
