//! ChromeDriver + headless Chromium, a page handle for tests, and the cleanup and artefacts around
//! each test.

use std::future::Future;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::server::StaticServer;

/// Chromium flags for a closed network and a throwaway profile (see DEVELOPERS.md).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

/// How long to wait for an element or a condition before failing.
const WAIT: Duration = Duration::from_secs(15);

/// A page of the built book in the browser, with helpers phrased as a learner acts.
#[derive(Clone)]
pub struct Page {
    /// The WebDriver client, for anything the helpers do not cover.
    pub client: Client,
    base: String,
}

impl Page {
    /// Opens `path` (relative to the book root, e.g. `welcome.html`).
    pub async fn open(&self, path: &str) -> Result<()> {
        self.client
            .goto(&format!("{}{}", self.base, path))
            .await
            .with_context(|| format!("opening {path}"))
    }

    /// The book's base URL (`http://127.0.0.1:PORT/`).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Reloads the current page.
    pub async fn reload(&self) -> Result<()> {
        Ok(self.client.refresh().await?)
    }

    /// Lays the page out for `media` (`"print"` or `"screen"`), as printing would.
    pub async fn emulate_media(&self, media: &str) -> Result<()> {
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setEmulatedMedia",
                params: json!({ "media": media }),
            })
            .await
            .with_context(|| format!("emulating {media} media"))?;
        Ok(())
    }

    /// Emulates the reader's `prefers-color-scheme` (`"light"` or `"dark"`; `""` for the
    /// system's), as an operating system's dark mode would set it.
    pub async fn emulate_color_scheme(&self, scheme: &str) -> Result<()> {
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setEmulatedMedia",
                params: json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            })
            .await
            .with_context(|| format!("emulating prefers-color-scheme: {scheme}"))?;
        Ok(())
    }

    /// Runs `script` in every document this page opens from now on, before the page's own
    /// scripts (to observe a page from its very start, e.g. when a control first appears).
    pub async fn on_new_document(&self, script: &str) -> Result<()> {
        self.client
            .issue_cmd(Cdp {
                cmd: "Page.addScriptToEvaluateOnNewDocument",
                params: json!({ "source": script }),
            })
            .await
            .context("adding a script to new documents")?;
        Ok(())
    }

    /// Polls the JavaScript expression `expr` until it is true (15 s at most); `what` says in the
    /// error what never happened.
    pub async fn wait_until(&self, what: &str, expr: &str) -> Result<()> {
        for _ in 0..150 {
            if self.eval(&format!("return !!({expr});")).await?.as_bool() == Some(true) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("never true: {what} ({expr})")
    }

    /// Waits for the element matching `css` to exist.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for `{css}`"))
    }

    /// Clicks the element matching `css` (waiting for it first, and scrolling it to the middle
    /// of the window so mdBook's sticky menu bar cannot cover it).
    pub async fn click(&self, css: &str) -> Result<()> {
        let el = self.wait_for(css).await?;
        let arg = serde_json::to_value(&el)?;
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
            .await?;
        el.click()
            .await
            .with_context(|| format!("clicking `{css}`"))
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// The text of every element matching `css`, in document order (none: empty).
    pub async fn texts(&self, css: &str) -> Result<Vec<String>> {
        let script = format!(
            "return [...document.querySelectorAll({})].map(e => e.textContent);",
            serde_json::to_string(css)?
        );
        let v = self.eval(&script).await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits until the text of `css` contains `expected`, and returns it.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> Result<String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(expected) {
                return Ok(text);
            }
            if tokio::time::Instant::now() > deadline {
                bail!("`{css}` never showed {expected:?}; it shows {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether the input matching `css` is checked.
    pub async fn is_checked(&self, css: &str) -> Result<bool> {
        let el = self.wait_for(css).await?;
        Ok(el.prop("checked").await?.as_deref() == Some("true"))
    }

    /// Runs `script` in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Presses keys on the focused element (WebDriver key codes, e.g. `"\u{E004}"` for Tab).
    pub async fn keys(&self, keys: &str) -> Result<()> {
        let active = self.client.active_element().await?;
        Ok(active.send_keys(keys).await?)
    }

    /// Replaces the text of the input matching `css` with `text`.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let el = self.wait_for(css).await?;
        el.clear().await?;
        el.send_keys(text)
            .await
            .with_context(|| format!("typing into `{css}`"))
    }

    /// Chooses the option with `value` in the select matching `css`.
    pub async fn select_value(&self, css: &str, value: &str) -> Result<()> {
        self.wait_for(css)
            .await?
            .select_by_value(value)
            .await
            .with_context(|| format!("choosing {value:?} in `{css}`"))
    }

    /// Whether an element matches `css` right now (no waiting).
    pub async fn exists(&self, css: &str) -> Result<bool> {
        Ok(!self.client.find_all(Locator::Css(css)).await?.is_empty())
    }

    /// The id of the focused element (empty when it has none).
    pub async fn focused_id(&self) -> Result<String> {
        let v = self
            .eval("return document.activeElement && document.activeElement.id || '';")
            .await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// The current URL.
    pub async fn url(&self) -> Result<String> {
        Ok(self.client.current_url().await?.to_string())
    }

    /// The browser console entries logged since the last call.
    pub async fn console(&self) -> Result<Vec<Value>> {
        let value = self.client.issue_cmd(BrowserLog).await?;
        Ok(value.as_array().cloned().unwrap_or_default())
    }
}

/// A Chrome DevTools Protocol command, sent through ChromeDriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"cmd": self.cmd, "params": self.params}).to_string()),
        )
    }
}

/// ChromeDriver's log endpoint (not part of W3C WebDriver, but served by ChromeDriver).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// Kills ChromeDriver and everything it started (Chromium) when dropped.
struct ProcessGroup(Child);

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        // The group id is ChromeDriver's pid (it was started with `process_group(0)`). Signal the
        // group through libc: an external `kill` may read a negative pid as an option.
        if let Ok(pgid) = libc::pid_t::try_from(self.0.id()) {
            if pgid > 1 {
                // SAFETY: kill(2) with a negative pid signals exactly that process group.
                unsafe {
                    libc::kill(-pgid, libc::SIGKILL);
                }
            }
        }
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn artefacts_dir() -> PathBuf {
    xtask::paths::target().join("e2e-artifacts")
}

async fn connect(driver_port: u16, chromium: &str, profile: &std::path::Path) -> Result<Client> {
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": chromium, "args": args }),
    );
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let url = format!("http://127.0.0.1:{driver_port}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await;
        match attempt {
            Ok(client) => return Ok(client),
            Err(e) if tokio::time::Instant::now() > deadline => {
                bail!("could not start a Chromium session through ChromeDriver: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Runs one browser test: serves the built book, starts ChromeDriver and Chromium, runs `body`,
/// fails on console errors, saves artefacts on failure and always cleans up.
pub fn browser_test<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Page) -> Fut + Send + 'static,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if let Err(e) = runtime.block_on(run(name, body)) {
        panic!("{name}: {e:#}");
    }
}

async fn run<F, Fut>(name: &str, body: F) -> Result<()>
where
    F: FnOnce(Page) -> Fut + Send + 'static,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    let chromium = std::env::var("COURSE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let chromedriver =
        std::env::var("COURSE_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let server = StaticServer::start(crate::book_build())?;
    let profile = std::env::temp_dir().join(format!("course-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let driver_port = free_port()?;
    let driver = {
        use std::os::unix::process::CommandExt;
        Command::new(&chromedriver)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .with_context(|| {
                format!("could not start {chromedriver}: install it with `apt-get install -y chromium chromium-driver`")
            })?
    };
    let driver = ProcessGroup(driver);
    let client = connect(driver_port, &chromium, &profile).await?;
    let page = Page {
        client: client.clone(),
        base: server.url(),
    };

    let outcome = tokio::spawn(body(page.clone()))
        .await
        .map_err(|e| anyhow!("the test panicked: {e}"))
        .and_then(|r| r);
    let console = page.console().await.unwrap_or_default();
    let errors: Vec<&Value> = console
        .iter()
        .filter(|e| e.get("level").and_then(Value::as_str) == Some("SEVERE"))
        .collect();
    let outcome = outcome.and_then(|()| {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(anyhow!(
                "the browser console shows errors: {}",
                serde_json::to_string_pretty(&errors).unwrap_or_default()
            ))
        }
    });
    if outcome.is_err() {
        let dir = artefacts_dir();
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
        let log = serde_json::to_string_pretty(&console).unwrap_or_default();
        let _ = std::fs::write(dir.join(format!("{name}.console.json")), log);
        eprintln!(
            "{name}: screenshot and console log saved in {}",
            dir.display()
        );
    }
    let _ = client.close().await;
    drop(driver);
    drop(server);
    let _ = std::fs::remove_dir_all(&profile);
    outcome
}
