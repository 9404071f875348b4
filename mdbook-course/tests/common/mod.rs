//! What the export and import tests share: a one-chapter book around a quiz, and running
//! `mdbook-course export`.

use std::path::Path;
use std::process::Command;

/// Writes a book in `dir` whose one chapter embeds `quiz` (as `src/quiz.toml`).
pub fn book(dir: &Path, quiz: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"T\"\n[preprocessor.course]\nbook-id = \"t\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n\n- [One](one.md)\n").unwrap();
    std::fs::write(dir.join("src/one.md"), "# One\n\n{{#quiz quiz.toml}}\n").unwrap();
    std::fs::write(dir.join("src/quiz.toml"), quiz).unwrap();
}

/// `mdbook-course export --format FORMAT BOOK -o OUT`: the exit code and stderr.
pub fn export_as(format: &str, book_dir: &Path, out: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_mdbook-course"))
        .args(["export", "--format", format])
        .arg(book_dir)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}
