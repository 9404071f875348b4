//! The `{{#progress}}` page: every quiz and lab by chapter with its score and status, reset per
//! chapter or for all (after a confirmation), and export to / import from a JSON file.
//!
//! What the page shows lives in a pure reducer ([`ProgressModel`]); the callbacks do the storage
//! and file work, then dispatch what happened.

mod files;
mod table;

use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use self::table::ChapterTable;
use crate::lab_progress::{self, LabSaved};
use crate::overview::{by_chapter, Activity, Entry};
use crate::state::QuizState;
use crate::storage;
use crate::transfer::Export;
use crate::ui::focus_id;

/// What a reset erases.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The chapter at this position.
    Chapter(usize),
    /// The whole book.
    All,
}

/// What the page shows besides the saved progress.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgressModel {
    /// A reset waiting for confirmation.
    pub confirm: Option<Target>,
    /// A message for the learner, and whether it is good news.
    pub message: Option<(bool, String)>,
    /// Changes whenever saved progress changed: the tables read it again.
    pub revision: u32,
    /// The element to focus after this render, with a count that changes each time.
    pub focus: Option<(u32, &'static str)>,
}

/// What happened on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum ProgressMsg {
    /// A reset button: ask first.
    Ask(Target),
    /// "Cancel".
    Cancel,
    /// Progress was erased, exported or imported: say so (good news or not).
    Done(bool, String),
}

const MESSAGE_ID: &str = "course-progress-message";

impl ProgressModel {
    fn focus_on(&mut self, id: &'static str) {
        let n = self.focus.as_ref().map_or(0, |(n, _)| n.wrapping_add(1));
        self.focus = Some((n, id));
    }
}

impl Reducible for ProgressModel {
    type Action = ProgressMsg;

    fn reduce(self: Rc<Self>, msg: ProgressMsg) -> Rc<Self> {
        let mut m = (*self).clone();
        match msg {
            ProgressMsg::Ask(target) => {
                m.confirm = Some(target);
                m.focus_on("course-confirm-no");
            }
            ProgressMsg::Cancel => {
                m.confirm = None;
                m.focus_on("course-reset-all");
            }
            ProgressMsg::Done(ok, text) => {
                m.confirm = None;
                m.message = Some((ok, text));
                m.revision = m.revision.wrapping_add(1);
                // The message says what happened; the focus goes there, not back to the top.
                m.focus_on(MESSAGE_ID);
            }
        }
        Rc::new(m)
    }
}

/// Saved progress of every quiz listed.
pub fn saved_quizzes(book: &str, entries: &[Entry]) -> BTreeMap<String, QuizState> {
    entries
        .iter()
        .filter(|e| e.activity == Activity::Quiz)
        .filter_map(|e| {
            let raw = storage::get(&storage::key(book, &e.id))?;
            Some((e.id.clone(), storage::decode(&raw).ok()?))
        })
        .collect()
}

/// Saved completion of every lab listed.
pub fn saved_labs(book: &str, entries: &[Entry]) -> BTreeMap<String, LabSaved> {
    entries
        .iter()
        .filter(|e| e.activity != Activity::Quiz)
        .filter_map(|e| Some((e.id.clone(), lab_progress::load(book, &e.id)?)))
        .collect()
}

fn reset(book: &str, entries: &[Entry], chapters: &[String], target: &Target) {
    for e in entries {
        let hit = match target {
            Target::All => true,
            Target::Chapter(c) => chapters.get(*c) == Some(&e.chapter),
        };
        match (hit, e.activity) {
            (false, _) => {}
            (true, Activity::Quiz) => storage::remove(book, &e.id),
            (true, Activity::Lab { .. }) => lab_progress::clear(book, &e.id),
        }
    }
}

fn export(book: &str, entries: &[Entry]) -> (bool, String) {
    let seed = storage::get(&storage::seed_key(book)).and_then(|s| s.parse().ok());
    let text = Export::new(
        book,
        seed,
        saved_quizzes(book, entries),
        saved_labs(book, entries),
    )
    .to_json();
    match files::download(&format!("{book}-progress.json"), &text) {
        Some(()) => (true, "Your progress was saved as a file.".to_owned()),
        None => (
            false,
            "The export file could not be created in this browser.".to_owned(),
        ),
    }
}

/// Replaces the book's progress with an imported file's.
fn import(book: &str, entries: &[Entry], text: Option<String>) -> (bool, String) {
    let result = match text {
        Some(text) => Export::parse(book, &text),
        None => Err("This file could not be read.".to_owned()),
    };
    match result {
        Ok(export) => {
            reset(book, entries, &[], &Target::All);
            for (quiz, state) in &export.quizzes {
                storage::save(book, quiz, state);
            }
            for (lab, saved) in &export.labs {
                lab_progress::save(book, lab, saved);
            }
            if let Some(seed) = export.seed {
                storage::set(&storage::seed_key(book), &seed.to_string());
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
    }
}

/// Properties of [`ProgressView`].
#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    /// The book id (namespaces saved progress).
    pub book: AttrValue,
    /// Every quiz and lab of the book, in reading order.
    pub entries: Rc<Vec<Entry>>,
}

/// The progress overview.
#[function_component]
pub fn ProgressView(p: &ProgressProps) -> Html {
    let model = use_reducer(ProgressModel::default);
    use_effect_with(model.focus, |focus| {
        if let Some((_, id)) = focus {
            focus_id(id);
        }
    });
    let book = p.book.clone();
    let entries = p.entries.clone();
    let groups = by_chapter(&entries);
    let chapters: Rc<Vec<String>> = Rc::new(groups.iter().map(|(c, _)| c.clone()).collect());
    let quizzes = Rc::new(saved_quizzes(&book, &entries));
    let labs = Rc::new(saved_labs(&book, &entries));
    let ask = {
        let model = model.clone();
        Callback::from(move |t: Target| model.dispatch(ProgressMsg::Ask(t)))
    };
    let tables = groups.into_iter().enumerate().map(|(n, (chapter, list))| {
        html! {
            <ChapterTable key={n} {n} {chapter} entries={Rc::new(list)} quizzes={quizzes.clone()}
                labs={labs.clone()} revision={model.revision} on_reset={ask.clone()} />
        }
    });
    let ask_all = ask.reform(|_: MouseEvent| Target::All);
    let on_export = {
        let (model, book, entries) = (model.clone(), book.clone(), entries.clone());
        Callback::from(move |_: MouseEvent| {
            let (ok, text) = export(&book, &entries);
            model.dispatch(ProgressMsg::Done(ok, text));
        })
    };
    let on_import = {
        let (model, book, entries) = (model.clone(), book.clone(), entries.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (model, book, entries) = (model.clone(), book.clone(), entries.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = files::read(file).await;
                let (ok, message) = import(&book, &entries, text);
                model.dispatch(ProgressMsg::Done(ok, message));
            });
        })
    };
    let confirmation = model.confirm.as_ref().map(|target| {
        let what = match target {
            Target::All => "all your quiz answers and lab progress in this book".to_owned(),
            Target::Chapter(c) => format!(
                "your quiz answers and lab progress in “{}”",
                chapters.get(*c).map_or("", String::as_str)
            ),
        };
        let yes = {
            let (model, book, entries, chapters) =
                (model.clone(), book.clone(), entries.clone(), chapters.clone());
            let target = target.clone();
            Callback::from(move |_: MouseEvent| {
                reset(&book, &entries, &chapters, &target);
                model.dispatch(ProgressMsg::Done(true, "Progress reset.".to_owned()));
            })
        };
        let no = {
            let model = model.clone();
            Callback::from(move |_: MouseEvent| model.dispatch(ProgressMsg::Cancel))
        };
        html! {
            <div class="course-confirm" role="alertdialog" aria-label="Confirm reset">
                <p>{format!("Erase {what}? This cannot be undone.")}</p>
                <button type="button" class="course-button course-confirm-yes" onclick={yes}>{"Yes, erase"}</button>
                <button type="button" class="course-button course-confirm-no" id="course-confirm-no" onclick={no}>{"Cancel"}</button>
            </div>
        }
    });
    let input_id = format!("course-import-{}", p.book);
    html! {
        <div class="course-app">
            <div class="course-progress-body">
                {sync_status()}
                {for tables}
                <div class="course-progress-actions">
                    <button type="button" class="course-button course-reset-all" id="course-reset-all" onclick={ask_all}>{"Reset all progress"}</button>
                    <button type="button" class="course-button course-export" id="course-export" onclick={on_export}>{"Export progress"}</button>
                    <label class="course-import-label" for={input_id.clone()}>{"Import progress from a file:"}</label>
                    <input type="file" class="course-import" id={input_id} accept=".json,application/json" onchange={on_import} />
                </div>
                {confirmation}
                if let Some((ok, text)) = &model.message {
                    <p class={if *ok { "course-message is-correct" } else { "course-message is-wrong" }}
                        role="status" id={MESSAGE_ID} tabindex="-1">{text}</p>
                }
            </div>
        </div>
    }
}

/// Whether the learner's records are synced with the LRS (nothing in a bundle without records).
fn sync_status() -> Html {
    #[cfg(feature = "xapi")]
    {
        html! { <crate::xapi::status::SyncStatus /> }
    }
    #[cfg(not(feature = "xapi"))]
    {
        Html::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmed_reset_says_so_and_sends_the_focus_to_the_message() {
        let m = Rc::new(ProgressModel::default()).reduce(ProgressMsg::Ask(Target::Chapter(1)));
        assert_eq!(m.confirm, Some(Target::Chapter(1)));
        assert_eq!(m.focus.map(|f| f.1), Some("course-confirm-no"));
        let before = m.revision;
        let m = m.reduce(ProgressMsg::Done(true, "Progress reset.".into()));
        assert_eq!(m.confirm, None);
        assert_ne!(m.revision, before, "the tables read the storage again");
        assert_eq!(m.focus.map(|f| f.1), Some(MESSAGE_ID));
    }
}
