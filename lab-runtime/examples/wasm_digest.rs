//! A wasm32 module of the simulator, run under Node (V8, the engine Chromium uses):
//! - `digest(seed)`: the digest of the standard determinism run, compared with the native one
//!   (tests/cross_target.rs, run with `-- --ignored`);
//! - `load_test(kind, invocations)`: one of the standard load tests (`kind` 0: profile mode,
//!   1: the script handler), for `cargo xtask bench`, which times it. Returns the invocations
//!   completed, so that the caller can check the run really happened.
#![allow(missing_docs)]

use lab_runtime::bench::{LoadKind, LoadTest};

#[no_mangle]
pub extern "C" fn digest(seed: u64) -> u64 {
    lab_runtime::determinism::standard_digest(seed)
}

#[no_mangle]
pub extern "C" fn load_test(kind: u32, invocations: u64) -> u64 {
    let kind = match kind {
        0 => LoadKind::Profile { duration_ms: 100.0 },
        _ => LoadKind::Script,
    };
    let test = LoadTest {
        name: String::new(),
        invocations,
        rate_per_s: 3000.0,
        kind,
    };
    test.run().0.completed_invocations()
}
