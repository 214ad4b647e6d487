use crate::common::CliDatabase;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Starts `samplepost serve` on a free port in `data_dir`, returns what it
/// printed up to "serving", then stops it.
fn start_once(data_dir: &std::path::Path, db: &CliDatabase) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samplepost"));
    db.apply(&mut command);
    let mut child = command
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start samplepost");
    let stdout = child.stdout.take().expect("stdout");
    let mut printed = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        printed.push_str(&line);
        printed.push('\n');
        if line.contains("serving on http://") {
            break;
        }
    }
    child.kill().ok();
    child.wait().ok();
    printed
}

#[test]
fn the_first_start_creates_the_admin_once_and_keeps_the_session_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = CliDatabase::new();
    let first = start_once(dir.path(), &db);
    assert!(first.contains("admin@samplepost.local"), "{first}");
    assert!(first.contains("one-time password"));
    let key_file = dir.path().join("session.key");
    let key = std::fs::read_to_string(&key_file).expect("session key kept");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let second = start_once(dir.path(), &db);
    assert!(!second.contains("password"), "no new password: {second}");
    assert!(second.contains("serving on http://127.0.0.1:"));
    assert_eq!(std::fs::read_to_string(&key_file).expect("key"), key);
}

#[test]
fn create_admin_prints_a_password_and_refuses_a_duplicate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = CliDatabase::new();
    let run = || {
        samplepost(
            dir.path(),
            &db,
            &["create-admin", "--email", "Boss@Example.CN"],
        )
    };
    let first = run();
    assert!(first.status.success());
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.contains("boss@example.cn") && stdout.contains("one-time password"));
    let second = run();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("exists already"));
}

/// Runs the binary in `dir` against `db` (SQLite, or PostgreSQL in the PostgreSQL pass).
fn samplepost(dir: &std::path::Path, db: &CliDatabase, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samplepost"));
    db.apply(&mut command);
    command
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run samplepost")
}

#[test]
fn quote_prints_every_route_as_json_cheapest_available_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = CliDatabase::new();
    let output = samplepost(
        dir.path(),
        &db,
        &[
            "quote",
            "--to",
            "US",
            "--postcode",
            "10001",
            "--weight-g",
            "480",
            "--dims-mm",
            "300x200x100",
            "--json",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let quotes: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let quotes = quotes.as_array().expect("array");
    assert_eq!(quotes.len(), 8, "every route is listed");
    let first = &quotes[0];
    assert_eq!(first["route"], "POST-SMALL");
    assert_eq!(first["available"], true);
    assert_eq!(first["reason"], serde_json::Value::Null);
    assert_eq!(first["currency"], "CNY");
    assert_eq!(first["chargeable_weight_g"], 480);
    // 75.00/kg × 0.48 kg + 18.00 = 54.00
    assert_eq!(first["total"], "54.00");
    assert_eq!(first["lines"][0]["kind"], "freight");
    assert_eq!(first["transit"]["source"], "nominal");
    let totals: Vec<f64> = quotes
        .iter()
        .filter(|q| q["available"] == true)
        .map(|q| {
            q["total"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .expect("total")
        })
        .collect();
    assert!(
        totals.windows(2).all(|w| w[0] <= w[1]),
        "cheapest first: {totals:?}"
    );
    let last = quotes.last().expect("last");
    assert_eq!(last["available"], false);
    assert!(
        last["reason"]
            .as_str()
            .is_some_and(|r| r.contains("no rate for US"))
    );
}

#[test]
fn quote_refuses_bad_input_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = CliDatabase::new();
    for (args, message) in [
        (
            vec!["quote", "--to", "XX", "--weight-g", "480"],
            "unknown country",
        ),
        (vec!["quote", "--to", "US", "--weight-g", "0"], "weight"),
        (vec!["quote", "--to", "US", "--weight-g", "-3"], "weight"),
        (
            vec![
                "quote",
                "--to",
                "US",
                "--weight-g",
                "480",
                "--dims-mm",
                "30x20",
            ],
            "malformed dimensions",
        ),
    ] {
        let output = samplepost(dir.path(), &db, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(message), "{stderr}");
    }
}

#[test]
fn import_rates_lists_every_problem_and_imports_nothing_from_a_bad_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = CliDatabase::new();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "route_code,route_name_zh,route_name_en,transport,transit_min_days,transit_max_days,volumetric_divisor,accepts,max_weight_g,country,min_weight_g,step_g,first_weight_g,first_price,step_price,per_kg_price,registration_fee,fuel_pct,battery_fee,liquid_fee,magnetic_fee,powder_fee,remote_postcodes,remote_fee\n\
         NEW-LINE,新线,New Line,boat,5,9,8000,,2000,DE,50,10,0,,,85.00,18.00,,,,,,,\n\
         NEW-LINE,新线,New Line,special_line,5,9,8000,,2000,XX,50,10,0,,,85.00,18.00,,,,,,,\n",
    )
    .expect("write");
    let output = samplepost(
        dir.path(),
        &db,
        &["import-rates", bad.to_str().expect("path")],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("row 2, column transport"), "{stderr}");
    assert!(stderr.contains("row 3, column country"), "{stderr}");
    let quote = samplepost(
        dir.path(),
        &db,
        &["quote", "--to", "DE", "--weight-g", "100", "--json"],
    );
    assert!(!String::from_utf8_lossy(&quote.stdout).contains("NEW-LINE"));

    let good = dir.path().join("good.csv");
    std::fs::write(&good, samplepost::services::catalogue::DEMO_RATES).expect("write");
    let output = samplepost(
        dir.path(),
        &db,
        &["import-rates", good.to_str().expect("path")],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("version 2"));
}
