//! `mdbook-course new quiz FILE`: a quiz file that validates as written, to start from.

use std::path::Path;

use anyhow::{bail, Context, Result};

/// Writes the starter quiz; refuses to overwrite.
pub fn run(args: &[String]) -> Result<bool> {
    let [kind, file, rest @ ..] = args else {
        bail!("usage: mdbook-course new quiz FILE.toml [--id ID] [--title TITLE]");
    };
    if kind != "quiz" {
        bail!("`new` makes quizzes only for now: mdbook-course new quiz FILE.toml");
    }
    let path = Path::new(file);
    let mut id = default_id(path);
    let mut title = "Check your understanding".to_owned();
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--id" => id = value.clone(),
            "--title" => title = value.clone(),
            other => bail!("unknown option `{other}`"),
        }
    }
    if path.exists() {
        bail!("{} exists already; choose another name", path.display());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, template(&id, &title))
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "wrote {}. Embed it in a chapter with {{{{#quiz <path relative to the chapter>}}}}, then run `mdbook-course check`.",
        path.display()
    );
    Ok(true)
}

/// `content/quizzes/ch02/invocation.toml` → `ch02-invocation`.
fn default_id(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match path.parent().and_then(|p| p.file_name()) {
        Some(dir) => format!("{}-{stem}", dir.to_string_lossy()),
        None => stem,
    }
}

/// The starter file: one question of the most common type, every key commented.
pub fn template(id: &str, title: &str) -> String {
    format!(
        r#"# A quiz: see the instructor guide (book/src/instructors/quizzes.md) for every key and type.
id = "{id}"
title = "{title}"
# pass_mark = 70            # percent needed to pass
# layout = "one-at-a-time"  # or "all"

[[question]]
id = "{id}-1"
type = "single"             # single, multiple, true-false, short, numeric, ordering, matching
prompt = "Replace this with your question (Markdown)."
explanation = "Shown after checking, right or wrong: the idea behind the answer."

[[question.option]]
text = "The right answer"
correct = true
why = "Why it is right."

[[question.option]]
text = "A plausible wrong answer"
why = "Why it is wrong."
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_quiz_validates_without_warnings() {
        let parsed = course_model::parse_quiz_file("q.toml", "q", &template("ch09-x", "T"));
        assert!(parsed.quiz.is_some(), "{:?}", parsed.diagnostics);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    }

    #[test]
    fn the_default_id_is_folder_then_file_name() {
        assert_eq!(
            default_id(Path::new("content/quizzes/ch02/invocation.toml")),
            "ch02-invocation"
        );
    }
}
