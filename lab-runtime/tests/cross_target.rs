//! Same seed + same actions => the same run natively and in wasm32: the digest of a fixed mixed
//! run is computed natively and by the wasm32 build under Node. Ignored in a plain `cargo test`
//! because it builds the wasm module (a few minutes on a cold cache); `cargo xtask test` runs it
//! (`cargo test -p lab-runtime --test cross_target -- --ignored`).

use std::path::PathBuf;
use std::process::Command;

use lab_runtime::determinism::standard_digest;

#[test]
fn same_seed_gives_the_same_digest_on_every_run() {
    assert_eq!(standard_digest(11), standard_digest(11));
    assert_ne!(standard_digest(11), standard_digest(12));
    assert_ne!(standard_digest(11), 0, "the run was built");
}

#[test]
#[ignore = "builds the wasm32 module and needs node; run with -- --ignored"]
fn wasm32_build_gives_the_native_digest() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target_dir = manifest.join("../target/lab-wasm-digest");
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "-p",
            "lab-runtime",
            "--example",
            "wasm_digest",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        .status()
        .expect("cargo runs");
    assert!(status.success());
    let wasm = target_dir.join("wasm32-unknown-unknown/release/examples/wasm_digest.wasm");
    let js = format!(
        "const m = new WebAssembly.Module(require('fs').readFileSync({:?})); \
         const i = new WebAssembly.Instance(m, {{}}); \
         for (const s of [11n, 12n]) console.log(BigInt.asUintN(64, i.exports.digest(s)).toString());",
        wasm.to_str().unwrap()
    );
    let out = Command::new("node")
        .args(["-e", &js])
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<u64> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    assert_eq!(got, vec![standard_digest(11), standard_digest(12)]);
}
