//! The workspace's structure, checked from its sources: no crate has a circle of files that
//! import each other (the project's standard, "no import circles"; [`e2e::imports`] says what
//! counts as an import). Needs no browser and no built book.

use std::path::PathBuf;

/// The workspace's member crates (root `Cargo.toml`, `[workspace] members`), by directory.
fn members() -> Vec<PathBuf> {
    let root = e2e::root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("read Cargo.toml");
    let start = manifest.find("members = [").expect("[workspace] members");
    let list = &manifest[start + "members = [".len()..];
    let list = &list[..list.find(']').expect("end of members")];
    list.split(',')
        .map(|m| m.trim().trim_matches('"'))
        .filter(|m| !m.is_empty())
        .map(|m| root.join(m))
        .collect()
}

#[test]
fn no_crate_has_files_that_import_each_other_round() {
    let crates = members();
    assert!(
        crates.len() >= 8,
        "expected the workspace's crates, found {crates:?}"
    );
    let mut wrong = Vec::new();
    for dir in crates {
        let src = dir.join("src");
        let files = e2e::imports::sources(&src);
        assert!(
            !files.is_empty() || src.join("lib.rs").exists() || src.join("main.rs").exists(),
            "no sources in {}",
            src.display()
        );
        let g = e2e::imports::graph(&src, &files);
        let found = e2e::imports::circles(&g);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        for c in e2e::imports::describe(&g, &found) {
            wrong.push(format!("{name}/src: {c}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "import circles (give the item both files need a home both can name: the lower-level \
         file, or a small module of its own):\n{}",
        wrong.join("\n")
    );
}
