//! A real Learning Record Store for the xAPI browser tests: Ralph (`ralph runserver -b fs`, the
//! file-system backend) in a temporary folder on a free port, with two users made by
//! `ralph auth -w`: a write-only one for the course, as a public page must have, and a
//! read-all one for the test (the instructor). Scopes are enforced
//! (`RALPH_LRS_RESTRICT_BY_SCOPES`), so the course's credential really cannot read.
//!
//! The book is served from another port than the LRS, so the browser sends CORS preflights;
//! Ralph answers them only for the origins in `RALPH_RUNSERVER_CORS_ALLOW_ORIGINS` (without it
//! a preflight gets 405): the harness allows the book's origin, as a deployer would.
//!
//! Ralph 4.0-5.1's file-system backend stores only the first POST of statements (later ones
//! get HTTP 500); `cargo xtask lrs` adds a fix that appends instead, active where
//! `COURSE_RALPH_FS_APPEND=1` (see xtask/src/ralph_fs_append.py).
//!
//! [`Lms`] plays the LMS of a cmi5 launch: it answers the launch's `fetch` URL with the
//! course's credential as `{"auth-token": ...}`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// The course's write-only user.
pub const WRITER: (&str, &str) = ("course-writer", "write-only-secret");
/// The test's (instructor's) reading user.
pub const READER: (&str, &str) = ("instructor", "read-secret");

/// A running Ralph, stopped (its whole process group) when dropped.
pub struct Lrs {
    dir: PathBuf,
    port: u16,
    origin: String,
    child: Option<Child>,
}

fn base64(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// `Basic ...` of a user.
pub fn basic((user, password): (&str, &str)) -> String {
    format!("Basic {}", base64(&format!("{user}:{password}")))
}

fn ralph() -> Result<PathBuf> {
    let path = std::env::var_os("COURSE_RALPH")
        .map(PathBuf::from)
        .unwrap_or_else(xtask::paths::ralph);
    if !path.exists() {
        bail!(
            "{} is missing: the xAPI browser tests need the Ralph LRS; install it with `cargo xtask lrs` (`cargo xtask test` does)",
            path.display()
        );
    }
    Ok(path)
}

/// A free port on 127.0.0.1 (for an LRS whose address a book is built with before it starts).
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Builds the course book into `out` with `mdbook build`, as `cargo xtask build` does, with
/// book.toml's `[preprocessor.course.xapi]` keys overridden by `xapi` (`("endpoint", url)`,
/// `("auth", "user:password")`; mdBook reads `MDBOOK_PREPROCESSOR__COURSE__XAPI__*`): the site
/// a course team publishes with records on. Needs `cargo xtask build` first (the bundles, the
/// preprocessor and mdbook).
pub fn build_book(out: &std::path::Path, xapi: &[(&str, &str)]) -> Result<()> {
    let mdbook = xtask::paths::tools().join("bin").join("mdbook");
    let mut dirs = vec![
        xtask::paths::target().join("debug"),
        xtask::paths::tools().join("bin"),
    ];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut cmd = Command::new(&mdbook);
    cmd.arg("build")
        .arg("-d")
        .arg(out)
        .current_dir(xtask::paths::book())
        .env("PATH", std::env::join_paths(dirs)?);
    for (key, value) in xapi {
        let var = format!(
            "MDBOOK_PREPROCESSOR__COURSE__XAPI__{}",
            key.to_uppercase().replace('-', "_")
        );
        cmd.env(var, value);
    }
    let out = cmd.output().with_context(|| {
        format!(
            "running {}: run `cargo xtask build` first",
            mdbook.display()
        )
    })?;
    if !out.status.success() {
        bail!(
            "mdbook build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

impl Lrs {
    /// Starts Ralph, allowing CORS from `origin` (the book's, `http://127.0.0.1:PORT`).
    pub fn start(origin: &str) -> Result<Lrs> {
        Lrs::start_on(origin, free_port()?)
    }

    /// Starts Ralph on `port` (see [`free_port`]), allowing CORS from `origin`.
    pub fn start_on(origin: &str, port: u16) -> Result<Lrs> {
        let dir = std::env::temp_dir().join(format!(
            "course-lrs-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_nanos()
        ));
        std::fs::create_dir_all(dir.join("data"))?;
        for ((user, password), scope, mbox) in [
            (
                WRITER,
                "statements/write",
                "mailto:course-writer@example.org",
            ),
            (READER, "all", "mailto:instructor@example.org"),
        ] {
            let status = Command::new(ralph()?)
                .args([
                    "auth", "-u", user, "-p", password, "-s", scope, "-M", mbox, "-w",
                ])
                .env("RALPH_APP_DIR", dir.join("app"))
                // Without it `ralph auth` looks for the Elasticsearch backend and fails.
                .env("RALPH_RUNSERVER_BACKEND", "fs")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .context("running `ralph auth`")?;
            if !status.success() {
                bail!("`ralph auth -u {user}` failed");
            }
        }
        let mut lrs = Lrs {
            dir,
            port,
            origin: origin.trim_end_matches('/').to_owned(),
            child: None,
        };
        lrs.resume()?;
        Ok(lrs)
    }

    /// The xAPI endpoint, ending with `/`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/xAPI/", self.port)
    }

    /// Stops the LRS (the port then refuses connections); the stored statements stay.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pgid = child.id() as i32;
            // SAFETY: kill(2) on the process group this harness created for Ralph.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
            let _ = child.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Starts it again on the same port, with the same data.
    pub fn resume(&mut self) -> Result<()> {
        use std::os::unix::process::CommandExt;
        let log = std::fs::File::create(self.dir.join("ralph.log"))?;
        let child = Command::new(ralph()?)
            .args(["runserver", "-b", "fs", "-h", "127.0.0.1", "-p"])
            .arg(self.port.to_string())
            .arg("--fs-default-directory-path")
            .arg(self.dir.join("data"))
            .current_dir(&self.dir)
            .env("RALPH_APP_DIR", self.dir.join("app"))
            .env("RALPH_RUNSERVER_BACKEND", "fs")
            // Ralph's fs backend stores only the first POST without the project's fix
            // (xtask/src/ralph_fs_append.py).
            .env("COURSE_RALPH_FS_APPEND", "1")
            .env("RALPH_LRS_RESTRICT_BY_SCOPES", "true")
            // Ralph requires it with scopes; a reader with the `all` scope still reads everything.
            .env("RALPH_LRS_RESTRICT_BY_AUTHORITY", "true")
            .env("RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT", "1000")
            .env(
                "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS",
                format!("[\"{}\"]", self.origin),
            )
            .stdout(log.try_clone()?)
            .stderr(log)
            .process_group(0)
            .spawn()
            .context("starting `ralph runserver`")?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok((200, _)) = self.get("/__heartbeat__", None) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(self.dir.join("ralph.log")).unwrap_or_default();
                bail!(
                    "Ralph did not answer on port {} within 90 s:\n{log}",
                    self.port
                );
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// A GET to the LRS: (status, body).
    pub fn get(&self, path: &str, auth: Option<&str>) -> Result<(u16, String)> {
        self.request("GET", path, auth, None, &[])
    }

    /// One HTTP/1.1 request with `Connection: close`.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        auth: Option<&str>,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Result<(u16, String)> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nX-Experience-API-Version: 1.0.3\r\n",
            self.port
        );
        if let Some(a) = auth {
            req.push_str(&format!("Authorization: {a}\r\n"));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = body.unwrap_or("");
        if !body.is_empty() {
            req.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes())?;
        let mut text = String::new();
        s.read_to_string(&mut text)?;
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .context("no HTTP status")?;
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        Ok((status, body.to_owned()))
    }

    /// Every statement stored, oldest first, read as the instructor.
    pub fn statements(&self) -> Result<Vec<Value>> {
        let (status, body) = self.get("/xAPI/statements?limit=1000", Some(&basic(READER)))?;
        if status != 200 {
            bail!("reading statements: HTTP {status}: {body}");
        }
        let v: Value = serde_json::from_str(&body).context("the LRS's statements are not JSON")?;
        let mut list = v["statements"].as_array().cloned().unwrap_or_default();
        list.sort_by(|a, b| a["stored"].as_str().cmp(&b["stored"].as_str()));
        Ok(list)
    }
}

impl Drop for Lrs {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The LMS side of a cmi5 launch: answers a POST to `/fetch` with the course's write-only
/// credential as `{"auth-token": ...}` (CORS-readable from any origin).
pub struct Lms {
    port: u16,
}

impl Lms {
    /// Starts answering on a free port (for the life of the test process).
    pub fn start() -> Result<Lms> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = answer(stream);
            }
        });
        Ok(Lms { port })
    }

    /// The launch's `fetch` URL.
    pub fn fetch_url(&self) -> String {
        format!("http://127.0.0.1:{}/fetch", self.port)
    }
}

fn answer(mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let preflight = line.starts_with("OPTIONS");
    let mut h = String::new();
    while reader.read_line(&mut h)? > 2 {
        h.clear();
    }
    let token = base64(&format!("{}:{}", WRITER.0, WRITER.1));
    let body = if preflight {
        String::new()
    } else {
        format!("{{\"auth-token\":\"{token}\"}}")
    };
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}
