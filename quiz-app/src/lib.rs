//! The browser app: a thin shell over `course-model` (and, in the lab bundle, `lab-runtime`),
//! built with Yew, gloo and serde.
//!
//! The page's loader script calls [`mount_all`] once the bundle is loaded; it mounts a Yew app
//! on every placeholder the `mdbook-course` preprocessor wrote: a quiz player ([`quiz`]), the
//! progress overview ([`progress`]) and, in the lab bundle, a lab console. Each keeps its state
//! in a pure reducer (`use_reducer`) and re-renders when it changes. Grading and all decisions
//! are made by `course-model`; this crate renders state and turns clicks into actions. Data is
//! read and written with serde ([`codec`]); web APIs go through gloo. The pure parts ([`state`],
//! the reducers, [`storage`]'s format, [`transfer`], [`overview`], [`text`], [`xapi`]'s statements,
//! queue and configuration) are tested natively.

pub mod codec;
pub mod grading;
#[cfg(feature = "lab")]
mod lab;
pub mod lab_progress;
mod mount;
pub mod overview;
#[cfg(any(feature = "progress", test))]
pub mod progress;
#[cfg(any(feature = "quiz", test))]
pub mod quiz;
mod skip;
pub mod state;
pub mod storage;
pub mod text;
#[cfg(any(feature = "progress", test))]
pub mod transfer;
pub mod ui;
#[cfg(feature = "xapi")]
pub mod xapi;

use wasm_bindgen::prelude::wasm_bindgen;

/// The quiz bundle's allocator: lol_alloc's free list, smaller than the default allocator.
// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread only.
#[cfg(all(target_arch = "wasm32", not(feature = "lab")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// The lab bundle's allocator: talc, smaller than the default dlmalloc and as fast for the
/// simulator's many small allocations.
#[cfg(all(target_arch = "wasm32", feature = "lab"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Mounts the app on every course placeholder in the page not mounted yet.
#[wasm_bindgen]
pub fn mount_all() {
    #[cfg(feature = "xapi")]
    xapi::sender::start(xapi::cmi5::start);
    mount::all();
    #[cfg(feature = "lab")]
    lab::mount_all();
    skip::add_link();
}
