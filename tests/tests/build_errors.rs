//! A broken quiz fails the real `mdbook build` with `file:line:col`, and nothing is published.

use std::process::Command;

use xtask::paths;

#[test]
fn a_broken_quiz_fails_mdbook_build_with_its_place_and_publishes_nothing() {
    let mdbook = paths::tools().join("bin").join("mdbook");
    let preprocessor_dir = paths::target().join("debug");
    assert!(
        mdbook.exists() && preprocessor_dir.join("mdbook-course").exists(),
        "run `cargo xtask build` first: it installs mdbook and builds the preprocessor"
    );
    let dir = tempfile_dir();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Broken\"\n[build]\nbuild-dir = \"out\"\n[preprocessor.course]\ncommand = \"mdbook-course\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n\n- [One](one.md)\n").unwrap();
    std::fs::write(dir.join("src/one.md"), "# One\n\n{{#quiz quiz.toml}}\n").unwrap();
    std::fs::write(
        dir.join("src/quiz.toml"),
        "id = \"q\"\ntitle = \"T\"\n\n[[question]]\nid = \"q-1\"\ntype = \"singel\"\nprompt = \"P\"\n",
    )
    .unwrap();
    let path = std::env::join_paths([preprocessor_dir].into_iter().chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let out = Command::new(&mdbook)
        .arg("build")
        .arg(&dir)
        .env("PATH", path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the build must fail:\n{stderr}");
    assert!(
        stderr.contains("src/quiz.toml:6:8: error: unknown question type `singel`"),
        "the error names the file, line and column:\n{stderr}"
    );
    assert!(
        stderr.contains("did you mean `single`"),
        "and suggests the fix:\n{stderr}"
    );
    assert!(
        !dir.join("out/index.html").exists(),
        "nothing half-built is published"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("course-broken-book-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
