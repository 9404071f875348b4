//! A wasm32 module exporting `digest(seed)`: the digest of the standard determinism run, to be
//! compared with the native one (tests/cross_target.rs, run with `-- --ignored`).
#![allow(missing_docs)]

#[no_mangle]
pub extern "C" fn digest(seed: u64) -> u64 {
    lab_runtime::determinism::standard_digest(seed)
}
