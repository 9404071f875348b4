//! The browser app: a thin shell over `course-model` (and, in the lab bundle, `lab-runtime`).
//!
//! The page's loader script calls [`mount_all`] once the bundle is loaded; it mounts a Yew app on
//! every placeholder the `mdbook-course` preprocessor wrote. Grading and all decisions are made by
//! `course-model`; this crate renders state and turns clicks into actions. The pure parts
//! ([`state`], [`storage`]'s format, [`transfer`], [`overview`], [`text`]) are tested natively.

mod components;
#[cfg(feature = "lab")]
mod lab;
mod mount;
pub mod overview;
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
