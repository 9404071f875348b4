//! Where statements come from: an exported file, or the LRS's statements resource (paged
//! through its `more` links).

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use serde_json::Value;

/// Reads every statement from the LRS whose xAPI endpoint is `endpoint`, optionally only those
/// stored since `since` (`YYYY-MM-DD` or an ISO 8601 timestamp).
pub fn from_lrs(endpoint: &str, auth: Option<&str>, since: Option<&str>) -> Result<Vec<Value>> {
    let base = if endpoint.ends_with('/') {
        endpoint.to_owned()
    } else {
        format!("{endpoint}/")
    };
    let mut url = format!("{base}statements?limit=100");
    if let Some(s) = since {
        let s = if s.len() == 10 {
            format!("{s}T00:00:00Z")
        } else {
            s.to_owned()
        };
        url.push_str(&format!(
            "&since={}",
            s.replace('+', "%2B").replace(':', "%3A")
        ));
    }
    let origin = origin(&base)?;
    let header = auth.map(|a| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(a)
        )
    });
    let mut out = Vec::new();
    for _page in 0..100_000 {
        let mut req = ureq::get(&url).header("X-Experience-API-Version", "1.0.3");
        if let Some(h) = &header {
            req = req.header("Authorization", h);
        }
        let text = match req.call() {
            Ok(mut r) => r
                .body_mut()
                .with_config()
                .limit(256 * 1024 * 1024)
                .read_to_string()
                .with_context(|| format!("reading the answer of {url}"))?,
            Err(ureq::Error::StatusCode(401 | 403)) => bail!(
                "the LRS at {base} refused the credential (HTTP 401/403): pass `--auth user:password` \
                 (or set COURSE_LRS_AUTH) of a user allowed to read statements"
            ),
            Err(e) => bail!("could not read statements from {url}: {e}"),
        };
        let page: Value = serde_json::from_str(&text)
            .with_context(|| format!("the LRS's answer to {url} is not JSON"))?;
        if let Some(list) = page["statements"].as_array() {
            out.extend(list.iter().cloned());
        }
        match page["more"].as_str().filter(|m| !m.is_empty()) {
            Some(more) if more.starts_with("http") => url = more.to_owned(),
            Some(more) => url = format!("{origin}{more}"),
            None => return Ok(out),
        }
    }
    bail!("the LRS at {base} kept sending `more` links: stopped after 100000 pages")
}

/// `https://host:port` of a URL.
fn origin(url: &str) -> Result<String> {
    let (scheme, rest) = url.split_once("://").with_context(|| {
        format!("--lrs {url:?} is not an http(s) URL: write e.g. http://127.0.0.1:8100/xAPI/")
    })?;
    let host = rest.split('/').next().unwrap_or(rest);
    Ok(format!("{scheme}://{host}"))
}

/// Reads an exported file.
pub fn from_file(path: &std::path::Path) -> Result<Vec<Value>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the statements file {}", path.display()))?;
    super::records::parse(&path.display().to_string(), &text)
}
