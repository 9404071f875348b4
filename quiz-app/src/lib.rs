//! The browser app: a thin shell over `course-model` (and, in the lab bundle, `lab-runtime`).
//!
//! The page's loader script calls [`mount_all`] once the bundle is loaded; it mounts a quiz
//! player or the progress overview on every placeholder the `mdbook-course` preprocessor wrote
//! (and, in the lab bundle, a lab console). Grading and all decisions are made by `course-model`;
//! this crate renders state and turns clicks into actions. The quiz player builds its elements
//! directly ([`dom`]); the lab console (lab bundle) is on Yew, with gloo and serde. The pure
//! parts ([`state`], [`storage`]'s format, [`transfer`], [`overview`], [`text`]) are tested
//! natively.

pub mod dom;
pub mod grading;
#[cfg(feature = "lab")]
mod lab;
pub mod lab_progress;
mod mount;
pub mod overview;
mod player;
mod progress_page;
pub mod state;
pub mod storage;
pub mod text;
pub mod transfer;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the app on every course placeholder in the page not mounted yet.
#[wasm_bindgen]
pub fn mount_all() {
    mount::all();
    #[cfg(feature = "lab")]
    lab::mount_all();
}
