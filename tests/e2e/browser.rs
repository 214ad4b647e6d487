//! Headless Chromium under chromedriver for the browser tests: finds the
//! programs (or skips when they are missing), starts one chromedriver per
//! test, opens browser sessions with fresh profiles, and on failure saves a
//! screenshot of every session before the panic goes on.

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use hyper_util::client::legacy::connect::HttpConnector;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a page may take to show what a step waits for.
const PATIENCE: Duration = Duration::from_secs(15);

/// Runs one browser test: skips it when Chromium or chromedriver is missing
/// (fails instead when `E2E_REQUIRED=1`), and saves screenshots to
/// `target/e2e-screenshots/<name>.png` (`<name>-2.png`, … for further
/// sessions) when `body` panics.
pub async fn browser_test(name: &str, body: impl AsyncFnOnce(&Browsers)) {
    let Some(tools) = Tools::find() else { return };
    let browsers = Browsers {
        driver: Driver::start(&tools.chromedriver).await,
        chromium: tools.chromium,
        sessions: Mutex::new(Vec::new()),
    };
    let outcome = AssertUnwindSafe(body(&browsers)).catch_unwind().await;
    let sessions = std::mem::take(&mut *browsers.sessions.lock().expect("sessions lock"));
    if outcome.is_err() {
        save_evidence(name, &sessions).await;
    }
    for session in sessions {
        let _ = tokio::time::timeout(PATIENCE, session.client.close()).await;
    }
    drop(browsers);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// The programs a browser test needs.
struct Tools {
    chromedriver: PathBuf,
    chromium: PathBuf,
}

impl Tools {
    /// `None` (after saying so) when a program is missing and the tests may be skipped.
    fn find() -> Option<Tools> {
        let required = std::env::var("E2E_REQUIRED").is_ok_and(|v| v == "1");
        let missing = match (
            program("CHROMEDRIVER", "chromedriver"),
            program("CHROMIUM", "chromium"),
        ) {
            (Some(chromedriver), Some(chromium)) => {
                return Some(Tools {
                    chromedriver,
                    chromium,
                });
            }
            (None, _) => "chromedriver",
            (_, None) => "chromium",
        };
        assert!(
            !required,
            "E2E_REQUIRED=1 but {missing} was not found (apt-get install -y chromium chromium-driver)"
        );
        // Written to the real stderr, past the test harness's output capture, so it is seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipping browser tests: {missing} not found"
        );
        None
    }
}

/// The program named by `env_var`, else `name` in /usr/bin or on the PATH.
fn program(env_var: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env_var).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::iter::once(PathBuf::from("/usr/bin"))
        .chain(std::env::split_paths(&path))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A chromedriver child process on a free port, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start(program: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port for chromedriver")
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let mut driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited at start: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The browser sessions of one test, all driven by one chromedriver.
pub struct Browsers {
    driver: Driver,
    chromium: PathBuf,
    sessions: Mutex<Vec<Session>>,
}

struct Session {
    client: Client,
    /// The session's own Chromium profile, removed when the test ends.
    _profile: tempfile::TempDir,
}

impl Browsers {
    /// Starts a new headless Chromium with an empty profile (no cookies) for the site at `base`.
    pub async fn open(&self, base: &str) -> Tab {
        let profile = tempfile::tempdir().expect("profile dir");
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--window-size=1280,1600",
        ]
        .map(String::from)
        .into_iter()
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let capabilities = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": self.chromium, "args": args },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("capabilities are an object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.driver.url)
            .await
            .unwrap_or_else(|e| panic!("cannot start Chromium through chromedriver: {e}"));
        self.sessions.lock().expect("sessions lock").push(Session {
            client: client.clone(),
            _profile: profile,
        });
        Tab {
            client,
            base: base.to_owned(),
        }
    }
}

/// Saves a screenshot and the page source of every session.
async fn save_evidence(name: &str, sessions: &[Session]) {
    let dir = target_dir().join("e2e-screenshots");
    if let Err(error) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {error}", dir.display());
        return;
    }
    for (index, session) in sessions.iter().enumerate() {
        let stem = match index {
            0 => name.to_owned(),
            n => format!("{name}-{}", n + 1),
        };
        let png = dir.join(format!("{stem}.png"));
        match session.client.screenshot().await {
            Ok(bytes) => match std::fs::write(&png, bytes) {
                Ok(()) => eprintln!("screenshot saved: {}", png.display()),
                Err(error) => eprintln!("cannot write {}: {error}", png.display()),
            },
            Err(error) => eprintln!("no screenshot for {stem}: {error}"),
        }
        if let Ok(source) = session.client.source().await {
            let _ = std::fs::write(dir.join(format!("{stem}.html")), source);
        }
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// One browser window on the site under test. Every step waits explicitly
/// for what it needs and panics with the page's address and text when it
/// does not appear.
pub struct Tab {
    client: Client,
    base: String,
}

impl Tab {
    /// Opens a path of the site, as typing it into the address bar.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Saves what the window shows to `target/e2e-screenshots/<name>.png`,
    /// for a person to look at (the `tour` test, `PHONE_SHOTS=1` on `phone_width`).
    pub async fn screenshot(&self, name: &str) {
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Saves the whole page, not only what the window shows: the window is
    /// made as tall as the page (its width kept, so the layout is the one
    /// checked) for the screenshot, then given its height back.
    pub async fn screenshot_whole_page(&self, name: &str) {
        let (width, height) = match self.client.get_window_rect().await {
            Ok((_, _, width, height)) => (width as u32, height as u32),
            Err(error) => {
                return self
                    .fail(&format!("reading the window's size: {error}"))
                    .await;
            }
        };
        let page = match self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
        {
            Ok(tall) => tall.as_u64().unwrap_or_default() as u32,
            Err(error) => return self.fail(&format!("measuring the page: {error}")).await,
        };
        // Capped: a screenshot of a very long page is too large to look at anyway.
        self.resize(width, page.clamp(height, 6000)).await;
        self.screenshot(name).await;
        self.resize(width, height).await;
    }

    /// Resizes the window (the page's viewport follows), e.g. to a phone's width.
    pub async fn resize(&self, width: u32, height: u32) {
        if let Err(error) = self.client.set_window_size(width, height).await {
            return self
                .fail(&format!("resizing to {width}×{height}: {error}"))
                .await;
        }
    }

    /// What the page is wider than its viewport by, with the elements that
    /// stick out first (their parent fits; as a path from `main` or `header`,
    /// with their right edge), for a readable failure.
    pub async fn overflow(&self) -> Option<String> {
        let script = r#"
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) { return null; }
            const out = e => e.getBoundingClientRect().right > width + 1;
            const name = e => e.tagName.toLowerCase()
                + (e.id ? `#${e.id}` : '')
                + (typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : '');
            const path = e => {
                const names = [];
                for (let n = e; n && n !== document.body; n = n.parentElement) {
                    names.unshift(name(n));
                    if (n.tagName === 'MAIN' || n.tagName === 'HEADER') { break; }
                }
                return names.join(' > ');
            };
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => out(e) && !(e.parentElement && out(e.parentElement)))
                .map(e => `${path(e)} (${Math.round(e.getBoundingClientRect().right)}px)`)
                .slice(0, 5);
            return `${document.documentElement.scrollWidth}px in ${width}px: ${wide.join(', ')}`;
        "#;
        match self.client.execute(script, vec![]).await {
            Ok(serde_json::Value::String(text)) => Some(text),
            Ok(_) => None,
            Err(error) => self.fail(&format!("measuring the page: {error}")).await,
        }
    }

    /// The viewport's width in CSS pixels (`innerWidth`: the scrollbar included).
    pub async fn viewport_width(&self) -> u64 {
        match self
            .client
            .execute("return window.innerWidth;", vec![])
            .await
        {
            Ok(width) => width.as_u64().unwrap_or_default(),
            Err(error) => self.fail(&format!("measuring the viewport: {error}")).await,
        }
    }

    /// Runs `script` asynchronously (it answers through the callback passed
    /// as its last argument) and returns that answer; `what` names it in a failure.
    pub async fn execute_async(&self, script: &str, what: &str) -> serde_json::Value {
        match self.client.execute_async(script, vec![]).await {
            Ok(answer) => answer,
            Err(error) => self.fail(&format!("{what}: {error}")).await,
        }
    }

    /// Reloads the current page.
    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload");
    }

    /// Waits until an element matching `css` is on the page.
    pub async fn wait_for(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(error) => self.fail(&format!("waiting for `{css}`: {error}")).await,
        }
    }

    /// Clicks the element matching `css` once it is there.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let element = self.wait_for(css).await;
            match element.click().await {
                Ok(()) => return,
                // The element was found on the page a form post is leaving
                // (a redraw button): find it again on the page that arrives.
                Err(error)
                    if error.to_string().contains("stale element") && Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(error) => return self.fail(&format!("clicking `{css}`: {error}")).await,
            }
        }
    }

    /// Clicks a button that posts the page's form and waits for the page
    /// that answers, so the next step does not act on the page being left.
    pub async fn click_and_load(&self, css: &str) {
        if let Err(error) = self
            .client
            .execute("window.__leaving = true; return true;", vec![])
            .await
        {
            return self.fail(&format!("marking the page: {error}")).await;
        }
        self.click(css).await;
        self.wait_until(
            "!window.__leaving && document.readyState === 'complete'",
            &format!("the page after `{css}`"),
        )
        .await;
    }

    /// Signs in through the sign-in page with the tests' password, as a
    /// person types it; the caller waits for the page it expects next.
    pub async fn sign_in(&self, email: &str) {
        self.goto("/login").await;
        self.fill("#email", email).await;
        self.fill("#password", crate::common::PASSWORD).await;
        self.click(r#"form[action="/login"] button[type="submit"]"#)
            .await;
    }

    /// Types `text` into the (cleared) input matching `css`.
    pub async fn fill(&self, css: &str, text: &str) {
        let input = self.wait_for(css).await;
        let typed: Result<(), CmdError> = async {
            input.clear().await?;
            input.send_keys(text).await
        }
        .await;
        if let Err(error) = typed {
            return self.fail(&format!("typing into `{css}`: {error}")).await;
        }
    }

    /// Chooses a file in the file input matching `css`, as the file picker would.
    pub async fn choose_file(&self, css: &str, file: &Path) {
        assert!(file.is_absolute(), "a file input needs an absolute path");
        let input = self.wait_for(css).await;
        if let Err(error) = input.send_keys(&file.to_string_lossy()).await {
            return self
                .fail(&format!("choosing {} in `{css}`: {error}", file.display()))
                .await;
        }
    }

    /// Clicks an unselected option of a multi-select, adding it to the selection.
    pub async fn select_option(&self, select_css: &str, value: &str) {
        let css = format!("{select_css} option[value=\"{value}\"]");
        let option = self.wait_for(&css).await;
        if !option.is_selected().await.unwrap_or(false) {
            self.click(&css).await;
        }
        if !option.is_selected().await.unwrap_or(false) {
            return self
                .fail(&format!("option `{css}` did not become selected"))
                .await;
        }
    }

    /// Ticks the checkbox matching `css`.
    pub async fn tick(&self, css: &str) {
        let checkbox = self.wait_for(css).await;
        if !checkbox.is_selected().await.unwrap_or(false) {
            self.click(css).await;
        }
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        let element = self.wait_for(css).await;
        match element.text().await {
            Ok(text) => text,
            Err(error) => self.fail(&format!("reading `{css}`: {error}")).await,
        }
    }

    /// The value of the input matching `css` (what a read-only field shows).
    pub async fn input_value(&self, css: &str) -> String {
        let input = self.wait_for(css).await;
        match input.prop("value").await {
            Ok(value) => value.unwrap_or_default(),
            Err(error) => self.fail(&format!("reading `{css}`: {error}")).await,
        }
    }

    /// The current address's path.
    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current url")
            .path()
            .to_owned()
    }

    /// Waits until the JavaScript expression `condition` is true on the page.
    pub async fn wait_until(&self, condition: &str, what: &str) {
        let script = format!("return Boolean({condition});");
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.client.execute(&script, vec![]).await {
                Ok(serde_json::Value::Bool(true)) => return,
                Ok(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Ok(_) => {
                    self.fail(&format!("waiting until {what}: still false"))
                        .await
                }
                Err(error) => self.fail(&format!("waiting until {what}: {error}")).await,
            }
        }
    }

    /// Panics with what went wrong, where, and what the page says.
    async fn fail<T>(&self, what: &str) -> T {
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_else(|e| format!("(unknown address: {e})"));
        let page = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let page: String = page.chars().take(1500).collect();
        panic!("{what}\n  at {url}\n  page text:\n{page}");
    }
}
