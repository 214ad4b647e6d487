//! Operations (issue #14): `/metrics`, the request id, JSON logs and the
//! graceful stop on SIGTERM, the last two on the real binary.

use crate::common::{CliDatabase, METRICS_TOKEN, TestApp};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The scrape as Prometheus sends it.
async fn scrape(app: &TestApp) -> String {
    let response = reqwest::Client::new()
        .get(format!("{}/metrics", app.address))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("scrape");
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"].to_str().expect("type");
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    response.text().await.expect("metrics")
}

/// The value of the series that starts with `series` (name and labels).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

#[tokio::test]
async fn metrics_need_the_token_and_are_a_404_otherwise() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let url = format!("{}/metrics", app.address);
    assert_eq!(client.get(&url).send().await.expect("get").status(), 404);
    for wrong in [
        "wrong",
        "test-metrics-token-012345678",
        "test-metrics-token-01234567890",
    ] {
        let response = client
            .get(&url)
            .bearer_auth(wrong)
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), 404, "{wrong}");
    }
    let basic = client
        .get(&url)
        .header("Authorization", format!("Basic {METRICS_TOKEN}"))
        .send()
        .await
        .expect("get");
    assert_eq!(basic.status(), 404);
    assert!(!scrape(&app).await.is_empty());

    let closed = TestApp::spawn_with(|settings| settings.metrics_token = None).await;
    let response = client
        .get(format!("{}/metrics", closed.address))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 404, "no token set: no metrics");
}

#[tokio::test]
async fn request_counts_move_by_route_pattern_and_the_gauges_match_the_database() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let draft = crate::orders::post_order(&seller, &[("action", "save")]).await;
    let draft = crate::orders::order_no(&draft);
    let submitted = crate::orders::submitted(&seller, &[("form_token", "second")]).await;
    let login = r#"samplepost_http_requests_total{route="/login",method="GET",status="2xx"}"#;
    let order =
        r#"samplepost_http_requests_total{route="/app/orders/{no}",method="GET",status="2xx"}"#;
    let before = scrape(&app).await;
    let visitor = app.browser();
    for _ in 0..3 {
        assert_eq!(visitor.get("/login").await.status(), 200);
    }
    for no in [&draft, &submitted] {
        assert_eq!(seller.get(&format!("/app/orders/{no}")).await.status(), 200);
    }
    assert_eq!(visitor.get("/no/such/page").await.status(), 404);
    let after = scrape(&app).await;
    let moved =
        |series: &str| value(&after, series).unwrap_or(0.0) - value(&before, series).unwrap_or(0.0);
    assert_eq!(moved(login), 3.0, "{after}");
    assert_eq!(moved(order), 2.0, "one series for every order: {after}");
    assert!(!after.contains(&draft), "never a raw path");
    assert!(!after.contains("/no/such/page"));
    assert!(
        moved(r#"samplepost_http_requests_total{route="unmatched",method="GET",status="4xx"}"#)
            >= 1.0
    );
    let latency = r#"samplepost_http_request_duration_seconds_count{route="/login",method="GET",status="2xx"}"#;
    assert_eq!(moved(latency), 3.0);

    // Orders by state: the same counts as the table, every order in one.
    let by_state: Vec<(String, f64)> = after
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(r#"samplepost_orders{state=""#)?;
            let (state, count) = rest.split_once(r#""} "#)?;
            Some((state.to_owned(), count.trim().parse().ok()?))
        })
        .collect();
    assert!(
        by_state.len() >= 2,
        "a draft and a submitted order: {after}"
    );
    for (state, count) in &by_state {
        assert_eq!(orders_in(&app, state) as f64, *count, "{state}");
    }
    let total: f64 = by_state.iter().map(|(_, count)| count).sum();
    assert_eq!(total, app.count("orders") as f64);
    let connections = value(&after, "samplepost_db_pool_connections").expect("pool");
    let idle = value(&after, "samplepost_db_pool_idle_connections").expect("idle");
    assert!(
        connections >= 1.0 && idle <= connections,
        "{connections} {idle}"
    );
    let mails = app.count("outbox WHERE status = 'pending'") as f64;
    assert_eq!(
        value(&after, r#"samplepost_outbox_backlog{queue="mail"}"#),
        Some(mails)
    );
    assert_eq!(
        value(&after, r#"samplepost_outbox_backlog{queue="webhook"}"#),
        Some(0.0)
    );
}

fn orders_in(app: &TestApp, state: &str) -> i64 {
    app.count(&format!("orders WHERE status = '{state}'"))
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_decent_incoming_one_is_kept() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let id_of = |response: &reqwest::Response| {
        response.headers()["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned()
    };
    let browser = app.browser();
    let first = id_of(&browser.get("/login").await);
    let second = id_of(&browser.get("/nothing").await);
    assert_ne!(first, second);
    for id in [&first, &second] {
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{id}"
        );
    }
    let sent = |value: &str| {
        client
            .get(format!("{}/login", app.address))
            .header("X-Request-Id", value)
            .send()
    };
    assert_eq!(
        id_of(&sent("lb-7f3a.42_x").await.expect("get")),
        "lb-7f3a.42_x"
    );
    let long = "a".repeat(65);
    for bad in [long.as_str(), "two words", "quote\"d"] {
        let answered = id_of(&sent(bad).await.expect("get"));
        assert_ne!(answered, bad);
        assert_eq!(answered.len(), 32);
    }
}

/// The real binary serving on a free port, its stdout read line by line.
struct Running {
    child: Child,
    address: String,
    lines: Receiver<String>,
    _dir: tempfile::TempDir,
    _db: CliDatabase,
}

impl Running {
    fn start(env: &[(&str, &str)]) -> Running {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = CliDatabase::new();
        let mut command = Command::new(env!("CARGO_BIN_EXE_samplepost"));
        db.apply(&mut command);
        command
            .args(["--bind", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command.spawn().expect("start samplepost");
        let stdout = child.stdout.take().expect("stdout");
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut running = Running {
            child,
            address: String::new(),
            lines,
            _dir: dir,
            _db: db,
        };
        let serving = running
            .next_line(|line| line.contains("serving on http://"))
            .expect("the server starts");
        running.address = serving
            .split("http://")
            .nth(1)
            .expect("address")
            .trim()
            .to_owned();
        running
    }

    /// The next line `wanted` picks, waiting at most 30 s.
    fn next_line(&self, wanted: impl Fn(&str) -> bool) -> Option<String> {
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if wanted(&line) => return Some(line),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// The exit status, waiting at most `within`.
    fn exit_within(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let until = Instant::now() + within;
        while Instant::now() < until {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

#[test]
fn json_logs_are_one_object_a_line_with_the_request_id() {
    let server = Running::start(&[
        ("LOG_FORMAT", "json"),
        ("RUST_LOG", "info,samplepost=debug"),
    ]);
    // A refused scrape is logged (at DEBUG) inside the request's span.
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Request-Id: ops-test-1\r\nConnection: close\r\n\r\n")
        .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("x-request-id: ops-test-1")
    );
    let line = server
        .next_line(|line| line.contains("ops-test-1"))
        .expect("a log line of the request");
    let entry: serde_json::Value = serde_json::from_str(&line).expect("one JSON object");
    assert_eq!(entry["level"], "DEBUG", "{line}");
    assert_eq!(entry["span"]["request_id"], "ops-test-1", "{line}");
    assert_eq!(entry["span"]["http.route"], "/metrics", "{line}");
    assert!(entry["timestamp"].is_string() && entry["fields"]["message"].is_string());
}

#[test]
fn an_unknown_log_format_is_refused_at_start() {
    let output = Command::new(env!("CARGO_BIN_EXE_samplepost"))
        .args(["migrate", "--data-dir"])
        .arg(tempfile::tempdir().expect("dir").path())
        .env("LOG_FORMAT", "xml")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("LOG_FORMAT"));
}

/// One answer with a `content-length` read off a kept-alive connection.
fn read_one_answer(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("head");
        seen.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&seen).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("content-length");
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("body");
    head
}

#[test]
fn sigterm_answers_the_request_in_flight_then_exits_zero() {
    let mut server = Running::start(&[("RUST_LOG", "info")]);
    // A form post whose body is still on its way when SIGTERM comes.
    let body = b"email=a%40b.cn&password=x";
    let mut slow = TcpStream::connect(&server.address).expect("connect");
    // One whole request first: the server has taken the connection (not
    // merely the kernel's backlog, which a stopping server drops).
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("health check");
    assert!(read_one_answer(&mut slow).starts_with("http/1.1 200"));
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    slow.write_all(head.as_bytes()).expect("head");
    slow.write_all(&body[..5]).expect("first bytes");
    std::thread::sleep(Duration::from_millis(300));
    let sent_at = Instant::now();
    server.terminate();
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        server.child.try_wait().expect("wait").is_none(),
        "still running while a request is in flight"
    );
    assert!(
        TcpStream::connect(&server.address).is_err(),
        "no new connections after SIGTERM"
    );
    slow.write_all(&body[5..]).expect("rest of the body");
    let mut answer = String::new();
    slow.read_to_string(&mut answer).expect("answer");
    // Without a session the CSRF check refuses it: an answer all the same.
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    let status = server
        .exit_within(Duration::from_secs(20))
        .expect("exits after the request is answered");
    assert_eq!(status.code(), Some(0));
    assert!(sent_at.elapsed() < Duration::from_secs(20));
    assert!(
        server
            .next_line(|line| line.contains("background workers stopped"))
            .is_some(),
        "the workers stopped before the exit"
    );
}
