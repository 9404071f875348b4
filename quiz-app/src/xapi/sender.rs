//! The page's one sender: reads the session once, keeps the queue in localStorage
//! (`course:{book}:xapi-queue`), and sends it in batches with `fetch`, backing off while the
//! LRS cannot be reached and trying again when the browser comes back online or the next page
//! loads. Whoever shows the sync status subscribes with [`watch`].
//!
//! Several tabs of the course share the queue. None loses another's statements: each writes only
//! the keys it changed ([`save`] compares with what it read), and sends only while it holds the
//! Web Lock `course:{book}:xapi-send` (`navigator.locks`), re-reading the queue once it has it, so
//! that two tabs do not send the same statements at once. (A tab that still sees a statement
//! another has just sent sends it again: the LRS keeps one, as xAPI has it for a statement id it
//! already stores.)

use std::cell::RefCell;

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

use super::config::{self, Auth, BookConfig, Session};
use super::queue::{Queue, Queued, Sent};
use super::statement::Statement;
use crate::storage;

/// Who shows the sync status.
type Watcher = Box<dyn Fn(&Queue)>;

struct Sender {
    session: Session,
    /// The actor's JSON text, put into every statement.
    actor: String,
    busy: bool,
    timer: Option<Timeout>,
    watchers: Vec<Watcher>,
}

thread_local! {
    static SENDER: RefCell<Option<Sender>> = const { RefCell::new(None) };
    static STARTED: RefCell<bool> = const { RefCell::new(false) };
}

/// The prefix of `book`'s queue keys in localStorage.
pub fn queue_prefix(book: &str) -> String {
    format!("course:{book}:xapi:")
}

fn queue_keys(prefix: &str) -> Vec<String> {
    let Some(s) = storage::local_storage() else {
        return Vec::new();
    };
    let n = s.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

fn load(book: &str) -> Queue {
    let prefix = queue_prefix(book);
    Queue::from_entries(queue_keys(&prefix).into_iter().filter_map(|k| {
        let v = storage::get(&k)?;
        Some((k[prefix.len()..].to_owned(), v))
    }))
}

/// Writes what changed from `before` (the queue as read) to `after`: keys written meanwhile by
/// another tab are left alone.
fn save(book: &str, before: &Queue, after: &Queue) {
    let prefix = queue_prefix(book);
    let (old, new) = (before.entries(), after.entries());
    for (k, _) in &old {
        if !new.iter().any(|(n, _)| n == k) {
            storage::remove_key(&format!("{prefix}{k}"));
        }
    }
    for (k, v) in new {
        if !old.iter().any(|(o, ov)| *o == k && *ov == v) {
            storage::set(&format!("{prefix}{k}"), &v);
        }
    }
}

/// The cmi5 launch parameters: from this page's URL, else those the tab was launched with (the
/// query string is kept in sessionStorage, so that another page of the course keeps the launch).
fn launch() -> Vec<(String, String)> {
    const KEY: &str = "course:xapi-launch";
    let store = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let launched = query(&search);
    if !launched.is_empty() {
        if let Some(s) = &store {
            let _ = s.set_item(KEY, &search);
        }
        return launched;
    }
    store
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map(|search| query(&search))
        .unwrap_or_default()
}

/// The launch parameters in a query string.
fn query(search: &str) -> Vec<(String, String)> {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if params.get("endpoint").is_none() {
        return out;
    }
    for key in ["endpoint", "fetch", "actor", "registration", "activityId"] {
        if let Some(v) = params.get(key) {
            out.push((key.to_owned(), v));
        }
    }
    out
}

/// Reads the page's configuration and starts sending what earlier pages left (once per page).
/// Does nothing when the book configures no LRS and the page was not launched by one.
///
/// Once records are on, and before the first send, it calls `then` (the page passes the cmi5
/// session's [`super::cmi5::start`], which records through this sender).
pub fn start(then: fn()) {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    let book = gloo_utils::document()
        .query_selector("script.course-xapi")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .and_then(|t| crate::codec::from_str::<BookConfig>(&t).ok());
    let Some(session) = config::resolve(book.as_ref(), &launch()) else {
        return;
    };
    let actor = session.actor.clone().unwrap_or_else(|| {
        let key = format!("course:{}:learner", session.book);
        let id = storage::get(&key).unwrap_or_else(|| {
            let id = uuid();
            storage::set(&key, &id);
            id
        });
        crate::codec::to_string(&config::anonymous(&session.base, &id))
    });
    SENDER.with(|s| {
        *s.borrow_mut() = Some(Sender {
            session,
            actor,
            busy: false,
            timer: None,
            watchers: Vec::new(),
        })
    });
    if let Some(w) = web_sys::window() {
        gloo_events::EventListener::new(&w, "online", |_| schedule(0.0)).forget();
    }
    // A tab going to the background may be discarded without another event: send what waits.
    let document = gloo_utils::document();
    gloo_events::EventListener::new(&document, "visibilitychange", |_| {
        if gloo_utils::document().hidden() {
            schedule(0.0);
        }
    })
    .forget();
    then();
    schedule(0.0);
}

/// The session (when records are on).
pub fn session() -> Option<Session> {
    SENDER.with(|s| s.borrow().as_ref().map(|s| s.session.clone()))
}

/// Whether learner records are on for this page.
pub fn enabled() -> bool {
    SENDER.with(|s| s.borrow().is_some())
}

/// Calls `f` with the queue now and after every change; nothing when records are off.
pub fn watch(f: impl Fn(&Queue) + 'static) {
    SENDER.with(|s| {
        if let Some(sender) = s.borrow_mut().as_mut() {
            f(&load(&sender.session.book));
            sender.watchers.push(Box::new(f));
        }
    });
}

fn notify(q: &Queue) {
    SENDER.with(|s| {
        if let Some(sender) = s.borrow().as_ref() {
            for w in &sender.watchers {
                w(q);
            }
        }
    });
}

/// Queues the statements `build(activity_base, book)` makes, with id, actor, time and
/// registration. Returns how many statements the full queue could not keep so far (0 when all
/// of these were kept). Builds nothing when records are off.
pub fn record(build: impl FnOnce(&str, &str) -> Vec<Statement>) -> u32 {
    let Some((book, queue)) = SENDER.with(|s| {
        let s = s.borrow();
        let sender = s.as_ref()?;
        let before = load(&sender.session.book);
        let mut q = before.clone();
        let mut kept = true;
        let now = js_sys::Date::now() as u64;
        for (n, mut st) in build(&sender.session.base, &sender.session.book)
            .into_iter()
            .enumerate()
        {
            st.id = uuid();
            st.timestamp = js_sys::Date::new_0().to_iso_string().into();
            if let Some(r) = &sender.session.registration {
                st.context.get_or_insert_with(Default::default).registration = Some(r.clone());
            }
            let json = crate::codec::to_string(&st);
            kept &= q.push(Queued {
                at: format!("{now:013}{n:02}"),
                id: st.id.clone(),
                json: format!("{{\"actor\":{},{}", sender.actor, &json[1..]),
            });
        }
        Some((sender.session.book.clone(), (before, q, kept)))
    }) else {
        return 0;
    };
    let (before, q, kept) = queue;
    save(&book, &before, &q);
    notify(&q);
    schedule(0.0);
    if kept {
        0
    } else {
        q.dropped
    }
}

/// A random UUID (v4).
pub fn uuid() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_default()
}

fn schedule(ms: f64) {
    SENDER.with(|s| {
        if let Some(sender) = s.borrow_mut().as_mut() {
            sender.timer = Some(Timeout::new(ms as u32, flush));
        }
    });
}

fn flush() {
    go(false);
}

/// Sends what waits now, as the page goes (`pagehide`): without waiting for the lock or the
/// backoff, and with `keepalive`, so that the request outlives the page. The statements stay
/// queued until the LRS has answered: if the page went first, the next page sends them again
/// and the LRS keeps one of each.
pub fn send_now() {
    go(true);
}

/// Sends the next batch: in turn with other tabs (under the lock), or `now` as the page goes.
fn go(now: bool) {
    let Some(session) = SENDER.with(|s| {
        let mut s = s.borrow_mut();
        let sender = s.as_mut()?;
        if (sender.busy && !now) || load(&sender.session.book).pending.is_empty() {
            return None;
        }
        sender.busy |= !now;
        Some(sender.session.clone())
    }) else {
        return;
    };
    let lock = format!("course:{}:xapi-send", session.book);
    let work = async move {
        // Read once the lock is held: another tab may have sent some meanwhile.
        let batch = load(&session.book).batch();
        if !batch.is_empty() {
            let outcome = send(&session, &batch, now).await;
            let before = load(&session.book);
            let mut q = before.clone();
            q.apply(&batch, outcome);
            save(&session.book, &before, &q);
            notify(&q);
            if !q.pending.is_empty() && !now {
                schedule(q.backoff_ms());
            }
        }
        if !now {
            SENDER.with(|s| {
                if let Some(sender) = s.borrow_mut().as_mut() {
                    sender.busy = false;
                }
            });
        }
    };
    if now {
        wasm_bindgen_futures::spawn_local(work);
    } else {
        with_lock(&lock, work);
    }
}

/// Runs `work` while this tab holds the Web Lock `name` (`navigator.locks.request`), or at once
/// where the browser has no Web Locks (an old browser, a page not served over https).
fn with_lock(name: &str, work: impl std::future::Future<Output = ()> + 'static) {
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
    let locks = get(&js_sys::global(), "navigator")
        .and_then(|n| get(&n, "locks"))
        .filter(|l| l.is_object());
    let request = locks
        .as_ref()
        .and_then(|l| get(l, "request"))
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        wasm_bindgen_futures::spawn_local(work);
        return;
    };
    // The lock is held until the promise the callback returns settles.
    let held = wasm_bindgen::closure::Closure::once_into_js(move |_lock: JsValue| {
        wasm_bindgen_futures::future_to_promise(async move {
            work.await;
            Ok(JsValue::UNDEFINED)
        })
    });
    let _ = request.call2(&locks, &name.into(), &held);
}

async fn fetch(url: &str, init: &RequestInit) -> Result<(u16, String), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?).await?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// The `Authorization` header: the book's, or (cmi5) the token fetched once per launch and kept
/// for the tab's session (the fetch URL works only once).
async fn authorization(session: &Session) -> Result<Option<String>, Sent> {
    let url = match &session.auth {
        Auth::None => return Ok(None),
        Auth::Header(h) => return Ok(Some(h.clone())),
        Auth::Fetch(url) => url,
    };
    let key = format!("course:{}:xapi-token:{url}", session.book);
    let store = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    if let Some(token) = store.as_ref().and_then(|s| s.get_item(&key).ok().flatten()) {
        return Ok(Some(format!("Basic {token}")));
    }
    let init = RequestInit::new();
    init.set_method("POST");
    let (status, body) = fetch(url, &init)
        .await
        .map_err(|_| Sent::Failed("the LMS's token URL could not be reached".to_owned()))?;
    // One string field: read with the browser's JSON (a serde type would cost bundle size).
    let token = js_sys::JSON::parse(&body)
        .ok()
        .and_then(|v| js_sys::Reflect::get(&v, &"auth-token".into()).ok())
        .and_then(|t| t.as_string())
        .ok_or_else(|| Sent::Failed(format!("the LMS gave no auth token (HTTP {status})")))?;
    if let Some(s) = store {
        let _ = s.set_item(&key, &token);
    }
    Ok(Some(format!("Basic {token}")))
}

async fn send(session: &Session, batch: &[Queued], keepalive: bool) -> Sent {
    let auth = match authorization(session).await {
        Ok(a) => a,
        Err(failed) => return failed,
    };
    let Ok(headers) = web_sys::Headers::new() else {
        return Sent::Failed("no Headers".to_owned());
    };
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("X-Experience-API-Version", "1.0.3");
    if let Some(a) = auth {
        let _ = headers.set("Authorization", &a);
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    let mut body = String::from("[");
    for (n, q) in batch.iter().enumerate() {
        if n > 0 {
            body.push(',');
        }
        body.push_str(&q.json);
    }
    body.push(']');
    init.set_body(&JsValue::from_str(&body));
    if keepalive {
        let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    }
    let url = format!("{}statements", session.endpoint);
    match fetch(&url, &init).await {
        Ok((status, body)) => Sent::from_status(status, &body, batch.len()),
        Err(_) => Sent::from_status(0, "", batch.len()),
    }
}
