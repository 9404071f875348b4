//! `mdbook-course check`: validates every chapter's directives and the files they point at, without
//! building the book. Exits non-zero on errors; warnings are printed separately.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use course_model::Severity;

use crate::course::Course;

/// The command-line help.
pub const USAGE: &str = "usage:
  mdbook-course check [BOOK_DIR] [--format text|json]   validate all course content (default BOOK_DIR: .)
  mdbook-course supports <renderer>                     (called by mdBook)
  mdbook-course                                         preprocess mdBook's JSON on stdin (called by mdBook)";

/// Runs the check; `Ok(false)` means errors were found (and printed).
pub fn run(args: &[String]) -> Result<bool> {
    let mut book_dir = PathBuf::from(".");
    let mut json = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--format" => match rest.next().map(String::as_str) {
                Some("json") => json = true,
                Some("text") => json = false,
                _ => bail!("--format takes `text` or `json`\n\n{USAGE}"),
            },
            dir if !dir.starts_with('-') => book_dir = PathBuf::from(dir),
            other => bail!("unknown option `{other}`\n\n{USAGE}"),
        }
    }
    let course = check_book(&book_dir)?;
    let (errors, warnings): (Vec<_>, Vec<_>) = course
        .diagnostics
        .iter()
        .partition(|d| d.severity == Severity::Error);
    if json {
        let list = &course.diagnostics;
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        for w in &warnings {
            eprintln!("{w}");
        }
        for e in &errors {
            eprintln!("{e}");
        }
        eprintln!(
            "mdbook-course check: {} error(s), {} warning(s)",
            errors.len(),
            warnings.len()
        );
    }
    Ok(errors.is_empty())
}

/// Expands every Markdown file under the book's `src` as the preprocessor would.
pub fn check_book(book_dir: &Path) -> Result<Course> {
    let book_toml = book_dir.join("book.toml");
    let config: toml::Table = std::fs::read_to_string(&book_toml)
        .with_context(|| format!("reading {}", book_toml.display()))?
        .parse()
        .with_context(|| format!("parsing {}", book_toml.display()))?;
    let get = |path: &[&str]| -> Option<String> {
        let mut v = config.get(path[0])?;
        for key in &path[1..] {
            v = v.get(key)?;
        }
        v.as_str().map(str::to_owned)
    };
    let src = get(&["book", "src"]).unwrap_or_else(|| "src".to_owned());
    let root = std::path::absolute(book_dir)?;
    let mut course = Course::new(
        crate::book_id(
            get(&["preprocessor", "course", "book-id"]),
            get(&["book", "title"]).as_deref(),
        ),
        root.join(&src),
        crate::display_root(&root),
    );
    let mut chapters = Vec::new();
    collect_markdown(&course.src_dir.clone(), Path::new(""), &mut chapters)?;
    chapters.sort();
    for rel in chapters {
        let content = std::fs::read_to_string(course.src_dir.join(&rel))?;
        let name = rel.to_string_lossy().into_owned();
        course.expand_quizzes(&name, &rel, &content);
    }
    course.finish();
    Ok(course)
}

fn collect_markdown(src: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(src.join(rel))? {
        let entry = entry?;
        let child = rel.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            collect_markdown(src, &child, out)?;
        } else if child.extension().is_some_and(|e| e == "md") {
            out.push(child);
        }
    }
    Ok(())
}
