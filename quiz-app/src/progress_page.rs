//! The `{{#progress}}` page: every quiz and lab by chapter with its score and status, reset per
//! chapter or for all (after a confirmation), and export to / import from a JSON file.
//!
//! Like the quiz player it re-renders its elements after each action and listens once, on its
//! root, for events from controls marked with `data-act`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement};

use crate::dom::{self, button, data_num, el, El};
use crate::lab_progress::{self, LabSaved};
use crate::overview::{by_chapter, lab_score_text, score_text, Activity, Entry, Status};
use crate::state::QuizState;
use crate::storage;
use crate::transfer::Export;

/// What a reset erases.
#[derive(Clone, PartialEq)]
enum Target {
    Chapter(usize),
    All,
}

struct Page {
    root: Element,
    book: String,
    entries: Vec<Entry>,
    chapters: Vec<String>,
    confirm: Option<Target>,
    /// A message for the learner, and whether it is good news.
    message: Option<(bool, String)>,
}

/// Mounts the overview in `host` for `entries` (quizzes then labs, each in book order).
pub fn mount(host: &Element, book: String, entries: Vec<Entry>) {
    let root = el("div").class("course-app").0;
    let _ = host.append_child(&root);
    let chapters = by_chapter(&entries).into_iter().map(|(c, _)| c).collect();
    let page = Rc::new(RefCell::new(Page {
        root: root.clone(),
        book,
        entries,
        chapters,
        confirm: None,
        message: None,
    }));
    page.borrow_mut().render();
    for event in ["click", "change", "keydown"] {
        let page = page.clone();
        let f = Closure::<dyn FnMut(Event)>::new(move |e: Event| {
            if e.type_() == "keydown" {
                // mdBook's page shortcuts stay off while the learner works here.
                e.stop_propagation();
                return;
            }
            let Ok(mut p) = page.try_borrow_mut() else {
                return;
            };
            let rc = page.clone();
            p.on_event(&e, rc);
        });
        let _ = root.add_event_listener_with_callback(event, f.as_ref().unchecked_ref());
        f.forget();
    }
}

fn saved_quizzes(book: &str, entries: &[Entry]) -> BTreeMap<String, QuizState> {
    let Some(storage) = storage::local_storage() else {
        return BTreeMap::new();
    };
    entries
        .iter()
        .filter(|e| e.activity == Activity::Quiz)
        .filter_map(|e| {
            let raw = storage.get_item(&storage::key(book, &e.id)).ok()??;
            Some((e.id.clone(), storage::decode(&raw).ok()?))
        })
        .collect()
}

fn saved_labs(book: &str, entries: &[Entry]) -> BTreeMap<String, LabSaved> {
    entries
        .iter()
        .filter(|e| e.activity != Activity::Quiz)
        .filter_map(|e| Some((e.id.clone(), lab_progress::load(book, &e.id)?)))
        .collect()
}

fn download(name: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let a: web_sys::HtmlElement = el("a")
        .attr("href", &url)
        .attr("download", name)
        .0
        .dyn_into()
        .ok()?;
    dom::document()?.body()?.append_child(&a).ok()?;
    a.click();
    a.remove();
    // The click has handed the blob to the download; revoking later keeps slow browsers safe.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    web_sys::window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)
        .ok()?;
    Some(())
}

impl Page {
    fn on_event(&mut self, e: &Event, me: Rc<RefCell<Page>>) {
        let Some(actor) = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("[data-act]").ok().flatten())
        else {
            return;
        };
        let act = actor.get_attribute("data-act").unwrap_or_default();
        let is_change = e.type_() == "change";
        match (act.as_str(), is_change) {
            ("ask-chapter", false) => {
                self.confirm = data_num(&actor, "chapter").map(Target::Chapter);
                self.render_then_focus(".course-confirm-no");
            }
            ("ask-all", false) => {
                self.confirm = Some(Target::All);
                self.render_then_focus(".course-confirm-no");
            }
            ("confirm-no", false) => {
                self.confirm = None;
                self.render();
            }
            ("confirm-yes", false) => {
                if let Some(target) = self.confirm.take() {
                    self.reset(&target);
                }
                self.message = Some((true, "Progress reset.".to_owned()));
                self.render();
            }
            ("export", false) => self.export(),
            ("import", true) => {
                let Some(input) = actor.dyn_ref::<HtmlInputElement>() else {
                    return;
                };
                let Some(file) = input.files().and_then(|f| f.get(0)) else {
                    return;
                };
                input.set_value("");
                wasm_bindgen_futures::spawn_local(async move {
                    let text = wasm_bindgen_futures::JsFuture::from(file.text())
                        .await
                        .ok()
                        .and_then(|t| t.as_string());
                    let Ok(mut page) = me.try_borrow_mut() else {
                        return;
                    };
                    page.import(text);
                });
            }
            _ => {}
        }
    }

    fn reset(&self, target: &Target) {
        for e in &self.entries {
            let hit = match target {
                Target::All => true,
                Target::Chapter(c) => self.chapters.get(*c) == Some(&e.chapter),
            };
            if !hit {
                continue;
            }
            match e.activity {
                Activity::Quiz => storage::remove(&self.book, &e.id),
                Activity::Lab { .. } => lab_progress::clear(&self.book, &e.id),
            }
        }
    }

    fn export(&mut self) {
        let seed = storage::local_storage()
            .and_then(|s| s.get_item(&storage::seed_key(&self.book)).ok().flatten())
            .and_then(|s| s.parse().ok());
        let text = Export::new(
            &self.book,
            seed,
            saved_quizzes(&self.book, &self.entries),
            saved_labs(&self.book, &self.entries),
        )
        .to_json();
        let ok = download(&format!("{}-progress.json", self.book), &text).is_some();
        self.message = Some(if ok {
            (true, "Your progress was saved as a file.".to_owned())
        } else {
            (
                false,
                "The export file could not be created in this browser.".to_owned(),
            )
        });
        self.render();
    }

    /// Replaces the book's progress with an imported file's.
    fn import(&mut self, text: Option<String>) {
        let result = match text {
            Some(text) => Export::parse(&self.book, &text),
            None => Err("This file could not be read.".to_owned()),
        };
        self.message = Some(match result {
            Ok(export) => {
                self.reset(&Target::All);
                for (quiz, state) in &export.quizzes {
                    storage::save(&self.book, quiz, state);
                }
                for (lab, saved) in &export.labs {
                    lab_progress::save(&self.book, lab, saved);
                }
                if let (Some(seed), Some(s)) = (export.seed, storage::local_storage()) {
                    let _ = s.set_item(&storage::seed_key(&self.book), &seed.to_string());
                }
                (
                    true,
                    format!(
                        "Imported your progress in {} quiz(zes) and {} lab(s).",
                        export.quizzes.len(),
                        export.labs.len()
                    ),
                )
            }
            Err(why) => (false, why),
        });
        self.render();
    }

    fn render_then_focus(&mut self, selector: &str) {
        self.render();
        if let Ok(Some(e)) = self.root.query_selector(selector) {
            if let Ok(e) = e.dyn_into::<web_sys::HtmlElement>() {
                let _ = e.focus();
            }
        }
    }

    fn render(&mut self) {
        let keep = dom::focused_id_within(&self.root);
        let view = self.view();
        self.root.set_inner_html("");
        let _ = self.root.append_child(&view.0);
        if let Some(id) = keep {
            dom::focus_id(&id);
        }
    }

    fn view(&self) -> El {
        let quizzes = saved_quizzes(&self.book, &self.entries);
        let labs = saved_labs(&self.book, &self.entries);
        let chapters =
            by_chapter(&self.entries)
                .into_iter()
                .enumerate()
                .map(|(n, (chapter, list))| {
                    let rows = list.iter().map(|e| {
                        let (kind, score, status) = match e.activity {
                            Activity::Quiz => {
                                let s = quizzes.get(&e.id);
                                ("quiz", score_text(s), Status::of(s))
                            }
                            Activity::Lab { objectives } => {
                                let s = labs.get(&e.id);
                                ("lab", lab_score_text(s, objectives), Status::of_lab(s))
                            }
                        };
                        let title = if kind == "lab" {
                            format!("Lab: {}", e.title)
                        } else {
                            e.title.clone()
                        };
                        el("tr")
                            .attr(&format!("data-{kind}"), &e.id)
                            .child(el("td").child(el("a").attr("href", &e.page).text(&title)))
                            .child(el("td").class("course-progress-score").text(&score))
                            .child(
                                el("td")
                                    .class(&format!("course-status {}", status.class()))
                                    .text(status.label()),
                            )
                    });
                    el("section")
                        .class("course-progress-chapter")
                        .child(el("h3").text(&chapter))
                        .child(
                            el("table")
                                .child(
                                    el("thead").child(
                                        el("tr")
                                            .child(
                                                el("th").attr("scope", "col").text("Quiz or lab"),
                                            )
                                            .child(el("th").attr("scope", "col").text("Score"))
                                            .child(el("th").attr("scope", "col").text("Status")),
                                    ),
                                )
                                .child(el("tbody").children(rows)),
                        )
                        .child(
                            button(
                                "course-button course-reset-chapter",
                                &format!("Reset {chapter}"),
                            )
                            .id(&format!("course-reset-chapter-{n}"))
                            .attr("data-act", "ask-chapter")
                            .data("chapter", n),
                        )
                });
        let input_id = format!("course-import-{}", self.book);
        let actions = el("div")
            .class("course-progress-actions")
            .child(
                button("course-button course-reset-all", "Reset all progress")
                    .id("course-reset-all")
                    .attr("data-act", "ask-all"),
            )
            .child(
                button("course-button course-export", "Export progress")
                    .id("course-export")
                    .attr("data-act", "export"),
            )
            .child(
                el("label")
                    .class("course-import-label")
                    .attr("for", &input_id)
                    .text("Import progress from a file:"),
            )
            .child(
                el("input")
                    .attr("type", "file")
                    .class("course-import")
                    .id(&input_id)
                    .attr("accept", ".json,application/json")
                    .attr("data-act", "import"),
            );
        let confirmation = self.confirm.as_ref().map(|target| {
            let what = match target {
                Target::All => "all your quiz answers and lab progress in this book".to_owned(),
                Target::Chapter(c) => format!(
                    "your quiz answers and lab progress in “{}”",
                    self.chapters.get(*c).map_or("", String::as_str)
                ),
            };
            el("div")
                .class("course-confirm")
                .attr("role", "alertdialog")
                .attr("aria-label", "Confirm reset")
                .child(el("p").text(&format!("Erase {what}? This cannot be undone.")))
                .child(
                    button("course-button course-confirm-yes", "Yes, erase")
                        .attr("data-act", "confirm-yes"),
                )
                .child(
                    button("course-button course-confirm-no", "Cancel")
                        .attr("data-act", "confirm-no"),
                )
        });
        el("div")
            .class("course-progress-body")
            .children(chapters)
            .child(actions)
            .maybe(confirmation)
            .maybe(self.message.as_ref().map(|(ok, text)| {
                el("p")
                    .class(if *ok {
                        "course-message is-correct"
                    } else {
                        "course-message is-wrong"
                    })
                    .attr("role", "status")
                    .text(text)
            }))
    }
}
