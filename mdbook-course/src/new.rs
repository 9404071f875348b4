//! `mdbook-course new quiz|lab FILE`: a quiz or lab file that validates as written, to start from.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::cli::{NewArgs, NewKind};

/// Writes the starter quiz or lab; refuses to overwrite.
pub fn run(kind: &NewKind) -> Result<bool> {
    let (args, text, what) = match kind {
        NewKind::Quiz(args) => {
            let id = args.id.clone().unwrap_or_else(|| default_id(&args.file));
            let title = args.title.as_deref().unwrap_or("Check your understanding");
            (args, template(&id, title), "quiz")
        }
        NewKind::Lab(args) => {
            let id = lab_default_id(&args.file);
            if let Some(other) = args.id.as_ref().filter(|other| **other != id) {
                bail!(
                    "a lab's id is its file name: name the file `{other}.toml` (or leave out --id for `{id}`)"
                );
            }
            let title = args.title.as_deref().unwrap_or("A first lab");
            (args, lab_template(&id, title), "lab")
        }
    };
    write_new(args, &text)?;
    eprintln!(
        "wrote {}. Embed it in a chapter with {{{{#{what} <path relative to the chapter>}}}}, then run `mdbook-course check`.",
        args.file.display()
    );
    Ok(true)
}

fn write_new(args: &NewArgs, text: &str) -> Result<()> {
    let path = &args.file;
    if path.exists() {
        bail!("{} exists already; choose another name", path.display());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// `text` as a TOML basic string, quotes included (a title may hold `"` or `\`).
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// `content/labs/first-lab.toml` → `first-lab` (the coverage table finds a planned lab as
/// `<labs-dir>/<id>.toml`).
fn lab_default_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lab".to_owned())
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
    let (qid, title) = (quoted(id), quoted(title));
    format!(
        r#"# A quiz: see the instructor guide (book/src/instructors/quizzes.md) for every key and type.
id = {qid}
title = {title}
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

/// The starter lab: one function, two controls, one objective and the solution that meets it.
pub fn lab_template(id: &str, title: &str) -> String {
    let (qid, title) = (quoted(id), quoted(title));
    format!(
        r#"# A lab: see the instructor guide (book/src/instructors/labs.md) for every key, control and check.
format_version = 1
id = {qid}
title = {title}
function = "hello"              # the function the console's panels act on
seed = 1                        # the same actions give the same run
controls = ["invoke", "time"]   # also: config, concurrency, async, policies, vpc, code, burst, ...
brief = """
Invoke the function `hello` twice and compare the two `REPORT` lines in the log: only the cold
start has an `Init Duration`.
"""
hints = [
    "Invoke twice in a row, then read the log.",
]

# The starting world: a scenario (book/src/instructors/scenarios.md).
[scenario]
format_version = 1
name = {qid}

[[scenario.roles]]
name = "hello-role"
trust = "lambda"
managed = ["AWSLambdaBasicExecutionRole"]

[[scenario.functions]]
name = "hello"
role = "hello-role"
script = '''
sleep(100); // initialisation: runs once per environment (cold starts only)
|event, context| {{
    log("hello");
    #{{ statusCode: 200 }}
}}
'''

[[objective]]
id = "cold-then-warm"
text = "Get a cold start followed by a warm start in the same execution environment."
check = "cold_then_warm"
function = "hello"

# A reference solution: `check` replays it and fails if it does not meet every objective.
[[solution]]
do = "invoke"

[[solution]]
do = "invoke"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_quiz_validates_without_warnings() {
        let parsed = course_model::parse_quiz_file("q.toml", "q", &template("ch09-x", "T \"q\""));
        assert!(parsed.quiz.is_some(), "{:?}", parsed.diagnostics);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.quiz.unwrap().title, "T \"q\"");
    }

    #[test]
    fn the_starter_lab_validates_without_warnings() {
        let text = lab_template("first-lab", "A \"quoted\" title");
        let parsed = course_model::lab::parse_lab_file("content/labs/first-lab.toml", &text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let lab = parsed.lab.expect("valid");
        assert_eq!(lab.title, "A \"quoted\" title");
        assert_eq!(lab.id, "first-lab");
    }

    #[test]
    fn the_default_id_is_folder_then_file_name() {
        assert_eq!(
            default_id(Path::new("content/quizzes/ch02/invocation.toml")),
            "ch02-invocation"
        );
        assert_eq!(
            lab_default_id(Path::new("content/labs/first.toml")),
            "first"
        );
    }
}
