//! The `{{#progress}}` page: every quiz by chapter with its score and status, reset per chapter or
//! for all (after a confirmation), and export to / import from a JSON file.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::overview::{by_chapter, score_text, Entry, Status};
use crate::storage;
use crate::transfer::Export;

/// What the overview needs.
#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    /// The book id.
    pub book: AttrValue,
    /// Every quiz of the book, in book order.
    pub entries: Rc<Vec<Entry>>,
}

/// Every saved quiz state of the book that can be read.
fn saved_quizzes(book: &str, entries: &[Entry]) -> BTreeMap<String, crate::state::QuizState> {
    let Some(storage) = storage::local_storage() else {
        return BTreeMap::new();
    };
    entries
        .iter()
        .filter_map(|e| {
            let raw = storage.get_item(&storage::key(book, &e.quiz)).ok()??;
            Some((e.quiz.clone(), storage::decode(&raw).ok()?))
        })
        .collect()
}

fn download(name: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let a: web_sys::HtmlElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_attribute("href", &url).ok()?;
    a.set_attribute("download", name).ok()?;
    document.body()?.append_child(&a).ok()?;
    a.click();
    a.remove();
    // The click has handed the blob to the download; revoking later keeps slow browsers safe.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = web_sys::window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    Some(())
}

/// What a reset erases.
#[derive(Clone, PartialEq)]
enum Target {
    Chapter(String),
    All,
}

/// The progress overview.
#[function_component]
pub fn ProgressView(props: &ProgressProps) -> Html {
    let book = props.book.clone();
    let entries = props.entries.clone();
    // Bumped after a reset or an import, to read the storage again.
    let generation = use_state(|| 0u32);
    let confirm = use_state(|| None::<Target>);
    let message = use_state(|| None::<(bool, String)>);
    let saved = {
        let (book, entries) = (book.clone(), entries.clone());
        use_memo(*generation, move |_| saved_quizzes(&book, &entries))
    };
    let reset = {
        let (book, entries, generation, confirm, message) = (
            book.clone(),
            entries.clone(),
            generation.clone(),
            confirm.clone(),
            message.clone(),
        );
        Callback::from(move |target: Target| {
            for e in entries.iter() {
                if target == Target::All || target == Target::Chapter(e.chapter.clone()) {
                    storage::remove(&book, &e.quiz);
                }
            }
            confirm.set(None);
            message.set(Some((true, "Progress reset.".to_owned())));
            generation.set(*generation + 1);
        })
    };
    let ask = |target: Target, label: String, class: &'static str| {
        let confirm = confirm.clone();
        let onclick = Callback::from(move |_: MouseEvent| confirm.set(Some(target.clone())));
        html! { <button type="button" class={classes!("course-button", class)} {onclick}>{ label }</button> }
    };
    let chapters = by_chapter(&entries).into_iter().map(|(chapter, list)| {
        let rows = list.iter().map(|e| {
            let s = saved.get(&e.quiz);
            let status = Status::of(s);
            html! {
                <tr data-quiz={e.quiz.clone()}>
                    <td><a href={e.page.clone()}>{ e.title.clone() }</a></td>
                    <td class="course-progress-score">{ score_text(s) }</td>
                    <td class={classes!("course-status", format!("is-{:?}", status).to_lowercase())}>{ status.label() }</td>
                </tr>
            }
        });
        html! {
            <section class="course-progress-chapter">
                <h3>{ chapter.clone() }</h3>
                <table>
                    <thead><tr><th>{ "Quiz" }</th><th>{ "Score" }</th><th>{ "Status" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                { ask(Target::Chapter(chapter.clone()), format!("Reset {chapter}"), "course-reset-chapter") }
            </section>
        }
    });
    let confirmation = (*confirm).clone().map(|target| {
        let what = match &target {
            Target::All => "all your quiz answers in this book".to_owned(),
            Target::Chapter(c) => format!("your quiz answers in “{c}”"),
        };
        let yes = {
            let reset = reset.clone();
            Callback::from(move |_: MouseEvent| reset.emit(target.clone()))
        };
        let no = {
            let confirm = confirm.clone();
            Callback::from(move |_: MouseEvent| confirm.set(None))
        };
        html! {
            <div class="course-confirm" role="alertdialog" aria-label="Confirm reset">
                <p>{ format!("Erase {what}? This cannot be undone.") }</p>
                <button type="button" class="course-button course-confirm-yes" onclick={yes}>{ "Yes, erase" }</button>
                <button type="button" class="course-button course-confirm-no" onclick={no}>{ "Cancel" }</button>
            </div>
        }
    });
    let export = {
        let (book, entries, message) = (book.clone(), entries.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let seed = storage::local_storage()
                .and_then(|s| s.get_item(&storage::seed_key(&book)).ok().flatten())
                .and_then(|s| s.parse().ok());
            let text = Export::new(&book, seed, saved_quizzes(&book, &entries)).to_json();
            let ok = download(&format!("{book}-progress.json"), &text).is_some();
            message.set(Some(if ok {
                (true, "Your progress was saved as a file.".to_owned())
            } else {
                (
                    false,
                    "The export file could not be created in this browser.".to_owned(),
                )
            }));
        })
    };
    let import = {
        let (book, entries, generation, message) = (
            book.clone(),
            entries.clone(),
            generation.clone(),
            message.clone(),
        );
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (book, entries, generation, message) = (
                book.clone(),
                entries.clone(),
                generation.clone(),
                message.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string());
                let result = match text {
                    Some(text) => Export::parse(&book, &text),
                    None => Err("This file could not be read.".to_owned()),
                };
                message.set(Some(match result {
                    Ok(export) => {
                        let n = apply(&book, &entries, &export);
                        (true, format!("Imported your progress in {n} quiz(zes)."))
                    }
                    Err(why) => (false, why),
                }));
                generation.set(*generation + 1);
            });
        })
    };
    let input_id = format!("course-import-{book}");
    html! {
        <div class="course-progress-body" onkeydown={Callback::from(|e: KeyboardEvent| e.stop_propagation())}>
            { for chapters }
            <div class="course-progress-actions">
                { ask(Target::All, "Reset all progress".to_owned(), "course-reset-all") }
                <button type="button" class="course-button course-export" onclick={export}>{ "Export progress" }</button>
                <label class="course-import-label" for={input_id.clone()}>{ "Import progress from a file:" }</label>
                <input type="file" class="course-import" id={input_id} accept=".json,application/json" onchange={import} />
            </div>
            { confirmation.unwrap_or_default() }
            if let Some((ok, text)) = &*message {
                <p class={classes!("course-message", if *ok { "is-correct" } else { "is-wrong" })} role="status">{ text.clone() }</p>
            }
        </div>
    }
}

/// Replaces the book's progress with an import; returns how many quizzes it held.
fn apply(book: &str, entries: &[Entry], export: &Export) -> usize {
    let Some(storage) = storage::local_storage() else {
        return 0;
    };
    for e in entries {
        storage::remove(book, &e.quiz);
    }
    for (quiz, state) in &export.quizzes {
        storage::save(book, quiz, state);
    }
    if let Some(seed) = export.seed {
        let _ = storage.set_item(&storage::seed_key(book), &seed.to_string());
    }
    export.quizzes.len()
}
