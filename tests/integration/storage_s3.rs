//! Uploads in an S3-compatible store (issue #14): a real S3 API (moto in
//! server mode) on a random port, files uploaded and read back through the
//! forms, and a store that drops the connection mid-upload: the form says
//! nothing was saved, and no row points at a file that is not there.
//!
//! Skipped with a note when `moto_server` is not on PATH, unless
//! `E2E_REQUIRED=1` (`scripts/test --ci` installs it).

use crate::common::{Browser, TestApp, first_id, png, verification_form};
use crate::orders::{order_no, post_order};
use samplepost::config::{S3Settings, Secret};
use samplepost::storage::content_key;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const BUCKET: &str = "samplepost-test";

/// A moto server of its own on a free port, stopped when dropped.
struct Moto {
    child: Child,
    address: SocketAddr,
}

impl Moto {
    /// Starts moto with an empty `BUCKET`, or `None` (with a note) when it
    /// is not installed and not required.
    async fn start() -> Option<Moto> {
        let installed = Command::new("moto_server")
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !installed {
            let required = std::env::var("E2E_REQUIRED").is_ok_and(|v| v == "1");
            assert!(!required, "E2E_REQUIRED=1 but moto_server is missing");
            eprintln!("SKIPPED: moto_server is not on PATH (pip install 'moto[server]')");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let moto = Moto {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let client = reqwest::Client::new();
        let mut ready = false;
        for _ in 0..300 {
            if client.get(moto.url("/")).send().await.is_ok() {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(ready, "moto_server did not answer within 30 s");
        // moto takes an unsigned CreateBucket.
        let created = client
            .put(moto.url(&format!("/{BUCKET}")))
            .send()
            .await
            .expect("create the bucket");
        assert!(created.status().is_success(), "bucket created");
        Some(moto)
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// The names of the objects in `BUCKET`.
    async fn objects(&self) -> String {
        reqwest::get(self.url(&format!("/{BUCKET}?list-type=2")))
            .await
            .expect("list the bucket")
            .text()
            .await
            .expect("listing")
    }

    /// Settings for an app that keeps its uploads in `BUCKET` at `endpoint`.
    fn settings(endpoint: SocketAddr) -> S3Settings {
        S3Settings {
            bucket: BUCKET.to_owned(),
            endpoint: Some(format!("http://{endpoint}")),
            region: "us-east-1".to_owned(),
            access_key_id: "testing".to_owned(),
            secret_access_key: Secret::new("testing".to_owned()),
            allow_http: true,
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// A TCP proxy in front of moto that, while `cut` is set, reads the first
/// 64 KiB of each request and then drops the connection: the store fails
/// in the middle of an upload.
struct Proxy {
    address: SocketAddr,
    cut: Arc<AtomicBool>,
    /// Bytes of requests read and dropped.
    dropped: Arc<AtomicUsize>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let cut = Arc::new(AtomicBool::new(true));
        let dropped = Arc::new(AtomicUsize::new(0));
        let (cutting, counting) = (cut.clone(), dropped.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, upstream, cutting.clone(), counting.clone()));
            }
        });
        Proxy {
            address,
            cut,
            dropped,
        }
    }

    fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

async fn relay(
    mut client: TcpStream,
    upstream: SocketAddr,
    cut: Arc<AtomicBool>,
    dropped: Arc<AtomicUsize>,
) {
    if cut.load(Ordering::SeqCst) {
        let mut seen = 0;
        let mut buffer = [0u8; 8192];
        while seen < 64 * 1024 {
            match client.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen += n,
            }
        }
        dropped.fetch_add(seen, Ordering::SeqCst);
        // Dropped without an answer.
        return;
    }
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        client.shutdown().await.ok();
        return;
    };
    tokio::io::copy_bidirectional(&mut client, &mut server)
        .await
        .ok();
}

/// A PNG by content, `size` bytes long, different for each `seed`.
fn png_of(size: usize, seed: u8) -> Vec<u8> {
    let mut bytes = png();
    bytes.extend((0..size).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes
}

/// The files in the app's local uploads folder (none when it is unused).
fn local_files(app: &TestApp) -> usize {
    let uploads = app.data_dir.path().join("uploads");
    std::fs::read_dir(uploads).map_or(0, |entries| entries.count())
}

/// Attaches `file` to draft `no` as its UN38.3 document.
async fn attach(seller: &Browser, no: &str, file: &[u8]) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", seller.csrf().await)
        .text("document", "un38_3")
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.to_vec()).file_name("un38.png"),
        );
    seller
        .post_multipart(&format!("/app/orders/{no}/documents"), form)
        .await
}

#[tokio::test]
async fn a_verification_document_goes_to_the_bucket_and_comes_back_through_the_app() {
    let Some(moto) = Moto::start().await else {
        return;
    };
    let endpoint = moto.address;
    let app = TestApp::spawn_with(|settings| settings.s3 = Some(Moto::settings(endpoint))).await;
    let (owner, _) = app.owner("Acme").await;
    let licence = png_of(200 * 1024, 1);

    let form = verification_form(
        &owner.csrf().await,
        Some((licence.clone(), "licence.png")),
        &[],
    );
    let response = owner.post_multipart("/app/company", form).await;
    assert_eq!(response.status(), 303, "verification accepted");

    let key = content_key(&licence);
    let objects = moto.objects().await;
    assert!(
        objects.contains(&format!("<Key>uploads/{}/{key}</Key>", &key[..2])),
        "the licence is in the bucket: {objects}"
    );
    assert_eq!(local_files(&app), 0, "and not in the data directory");

    let page = owner.get_text("/app/company").await;
    let upload = first_id(&page, "/uploads/");
    let served = owner.get(&format!("/uploads/{upload}")).await;
    assert_eq!(served.status(), 200);
    let bytes = served.bytes().await.expect("the licence");
    assert!(bytes == licence, "the same bytes come back");
}

#[tokio::test]
async fn a_store_failing_mid_upload_saves_nothing_and_the_same_upload_works_once_it_is_back() {
    let Some(moto) = Moto::start().await else {
        return;
    };
    let proxy = Proxy::start(moto.address).await;
    let endpoint = proxy.address;
    let app = TestApp::spawn_with(|settings| settings.s3 = Some(Moto::settings(endpoint))).await;
    let (seller, _) = app.seller("Acme").await;
    let draft = post_order(&seller, &[("battery", "in_equipment"), ("action", "save")]).await;
    let no = order_no(&draft);
    let document = png_of(1024 * 1024, 2);
    let before = ["uploads", "order_documents", "order_events", "audit_log"].map(|t| app.count(t));

    let response = attach(&seller, &no, &document).await;
    assert_eq!(response.status(), 503, "the store dropped the upload");
    assert!(
        proxy.dropped.load(Ordering::SeqCst) >= 64 * 1024,
        "the upload reached the store and was cut in the middle"
    );
    let page = response.text().await.expect("page");
    assert!(
        page.contains("nothing was saved") && page.contains("未保存任何内容"),
        "the page says so in both languages"
    );
    let after = ["uploads", "order_documents", "order_events", "audit_log"].map(|t| app.count(t));
    assert_eq!(before, after, "no row was written");
    assert!(!moto.objects().await.contains("<Key>"), "no object either");

    proxy.restore();
    let response = attach(&seller, &no, &document).await;
    assert_eq!(response.status(), 303, "the same upload works");
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    let upload = first_id(&page, "data-document=\"un38_3\"><a href=\"/uploads/");
    let served = seller.get(&format!("/uploads/{upload}")).await;
    assert_eq!(served.status(), 200);
    assert!(served.bytes().await.expect("document") == document);
    assert_eq!(app.count("order_documents"), before[1] + 1);
    assert_eq!(local_files(&app), 0, "nothing in the data directory");
}

#[test]
fn a_bucket_without_credentials_refuses_to_start_and_says_why() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_samplepost"))
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir.path())
        .env("S3_BUCKET", BUCKET)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .expect("run samplepost");
    assert!(!output.status.success(), "it does not start");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("S3_BUCKET needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        "{said}"
    );
}
