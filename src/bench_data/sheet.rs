//! The benchmark's routes: variations of the demo rate sheet (prices and
//! transit days shifted a little), imported through the same importer admins use.

use crate::db::DbConnection;
use crate::services::catalogue::DEMO_RATES;
use crate::services::rates::{self, Importer};
use rand::Rng;
use rand::rngs::StdRng;

/// A rate sheet of `routes` routes, each copying one demo route's rows.
pub fn sheet(routes: usize, rng: &mut StdRng) -> Result<Vec<u8>, String> {
    let mut reader = csv::Reader::from_reader(DEMO_RATES);
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("demo sheet has no column {name}"))
    };
    let (code, name_zh, name_en) = (
        column("route_code")?,
        column("route_name_zh")?,
        column("route_name_en")?,
    );
    let (min_days, max_days) = (column("transit_min_days")?, column("transit_max_days")?);
    let prices = [
        "first_price",
        "step_price",
        "per_kg_price",
        "registration_fee",
    ]
    .iter()
    .map(|name| column(name))
    .collect::<Result<Vec<_>, _>>()?;
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let mut templates: Vec<String> = records.iter().map(|r| r[code].to_owned()).collect();
    templates.dedup();

    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).map_err(|e| e.to_string())?;
    for n in 0..routes {
        let template = &templates[n % templates.len()];
        let new_code = format!("{}-{:03}", short(template), n + 1);
        let factor: f64 = rng.gen_range(0.8..1.25);
        let slower: i64 = rng.gen_range(-1..=3);
        for record in records.iter().filter(|r| &r[code] == template) {
            let mut fields: Vec<String> = record.iter().map(str::to_owned).collect();
            fields[code] = new_code.clone();
            fields[name_zh] = format!("{} {}号", record[name_zh].to_owned(), n + 1);
            fields[name_en] = format!("{} No. {}", record[name_en].to_owned(), n + 1);
            let min: i64 = record[min_days].parse().unwrap_or(5);
            let max: i64 = record[max_days].parse().unwrap_or(10);
            fields[min_days] = (min + slower).max(1).to_string();
            fields[max_days] = (max + slower).max(min + slower + 1).max(2).to_string();
            for &price in &prices {
                if let Ok(value) = record[price].parse::<f64>() {
                    fields[price] = format!("{:.2}", value * factor);
                }
            }
            out.write_record(&fields).map_err(|e| e.to_string())?;
        }
    }
    out.into_inner().map_err(|e| e.to_string())
}

/// `INTL-EXPRESS` → `INTL-EX`: room for the number within 20 characters.
fn short(code: &str) -> &str {
    &code[..code.len().min(10)]
}

/// Imports the sheet; returns the number of rows.
pub fn import(conn: &mut DbConnection, bytes: &[u8]) -> Result<usize, String> {
    match rates::import(
        conn,
        Importer::System("gen-bench-data"),
        "bench-rates.csv",
        bytes,
    ) {
        Ok(summary) => Ok(summary.rows),
        Err(rates::ImportError::Sheet(errors)) => Err(format!(
            "the generated rate sheet has {} problem(s), first: {:?}",
            errors.len(),
            errors
                .first()
                .map(|e| crate::cli::describe_sheet_error(e, crate::i18n::Lang::En))
        )),
        Err(rates::ImportError::Service(error)) => Err(error.to_string()),
    }
}
