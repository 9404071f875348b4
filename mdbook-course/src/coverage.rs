//! The coverage table (`[preprocessor.course] coverage = "…md"`): every seed topic must have a
//! section that exists, questions that exist, and the lab it names. Planned labs (listed in a
//! second table whose first column is the lab id) are reported as warnings until their file exists.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use course_model::{Diagnostic, Severity};

use crate::links;

/// One row of the coverage table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The seed topic.
    pub topic: String,
    /// The section link's destination, if the cell holds a link.
    pub section: Option<String>,
    /// Question ids (in backticks in the cell).
    pub questions: Vec<String>,
    /// The lab id, or `None` for "—".
    pub lab: Option<String>,
    /// 1-based line of the row.
    pub line: usize,
}

/// The topic rows (from the table headed `topic | section | questions | lab`) and the planned lab
/// ids (first column of any other table whose header starts with `lab id`).
pub fn parse(markdown: &str) -> (Vec<Row>, HashSet<String>) {
    let mut rows = Vec::new();
    let mut planned = HashSet::new();
    let mut table: Option<&str> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim();
        if !trimmed.starts_with('|') {
            table = None;
            continue;
        }
        let cells: Vec<&str> = trimmed
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if table.is_none() {
            table = Some(match cells.as_slice() {
                ["topic", "section", "questions", "lab"] => "topics",
                [first, ..] if first.starts_with("lab id") => "labs",
                _ => "other",
            });
            continue;
        }
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue;
        }
        match table {
            Some("topics") if cells.len() == 4 => rows.push(Row {
                topic: cells[0].to_owned(),
                section: cells[1]
                    .split_once("](")
                    .map(|(_, rest)| rest.trim_end_matches(')').to_owned()),
                questions: backticked(cells[2]),
                lab: backticked(cells[3]).into_iter().next(),
                line: i + 1,
            }),
            Some("labs") => planned.extend(backticked(cells[0])),
            _ => {}
        }
    }
    (rows, planned)
}

fn backticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Checks every row of the coverage page `page` (relative to `src_dir`).
pub fn check(
    src_dir: &Path,
    page: &Path,
    question_ids: &HashSet<String>,
    lab_exists: &dyn Fn(&str) -> bool,
    show: &dyn Fn(&Path) -> String,
) -> Vec<Diagnostic> {
    let file = show(&src_dir.join(page));
    let Ok(text) = std::fs::read_to_string(src_dir.join(page)) else {
        return vec![diag(
            Severity::Error,
            &file,
            1,
            "cannot read the coverage page".into(),
            "check `coverage` in [preprocessor.course] of book.toml",
        )];
    };
    let (rows, planned) = parse(&text);
    let mut out = Vec::new();
    if rows.is_empty() {
        out.push(diag(
            Severity::Error,
            &file,
            1,
            "no coverage table found".into(),
            "add a table headed `| topic | section | questions | lab |`",
        ));
    }
    let mut anchors = HashMap::new();
    for row in &rows {
        let mut error = |message: String, hint: &str| {
            out.push(diag(Severity::Error, &file, row.line, message, hint))
        };
        match &row.section {
            None => error(
                format!("topic \"{}\" has no section link", row.topic),
                "link the section that teaches it: [Title](../chapter.md#heading)",
            ),
            Some(dest) => {
                if let Some(problem) = links::problem(src_dir, page, dest, &mut anchors) {
                    error(
                        format!("topic \"{}\": section link `{dest}`: {problem}", row.topic),
                        "fix the path or the heading anchor",
                    );
                }
            }
        }
        if row.questions.is_empty() {
            error(
                format!("topic \"{}\" has no question", row.topic),
                "list the ids of questions that test it, in backticks",
            );
        }
        for id in row
            .questions
            .iter()
            .filter(|id| !question_ids.contains(*id))
        {
            error(
                format!(
                    "topic \"{}\": question `{id}` does not exist in any quiz of the book",
                    row.topic
                ),
                "check the id in the quiz file",
            );
        }
        if let Some(lab) = &row.lab {
            if !lab_exists(lab) {
                if planned.contains(lab) {
                    out.push(diag(
                        Severity::Warning,
                        &file,
                        row.line,
                        format!(
                            "topic \"{}\": lab `{lab}` is planned but not built yet",
                            row.topic
                        ),
                        "write content/labs/<id>.toml, then drop it from the planned labs",
                    ));
                } else {
                    out.push(diag(
                        Severity::Error,
                        &file,
                        row.line,
                        format!("topic \"{}\": lab `{lab}` does not exist", row.topic),
                        "write content/labs/<id>.toml, or list it under the planned labs",
                    ));
                }
            }
        }
    }
    out
}

fn diag(severity: Severity, file: &str, line: usize, message: String, hint: &str) -> Diagnostic {
    Diagnostic {
        severity,
        file: file.to_owned(),
        line,
        col: 1,
        message,
        hint: Some(hint.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# Coverage\n\n| topic | section | questions | lab |\n|---|---|---|---|\n| Cold starts | [Env](a.md#cold) | `q1`, `q2` | `cold-lab` |\n| Billing | [Cfg](a.md#billing) | | — |\n| Ghost | none | `q9` | `ghost-lab` |\n\n| lab id | section |\n|---|---|\n| `cold-lab` | x |\n";

    #[test]
    fn parses_topic_rows_and_planned_labs() {
        let (rows, planned) = parse(PAGE);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].questions, vec!["q1", "q2"]);
        assert_eq!(rows[0].lab.as_deref(), Some("cold-lab"));
        assert_eq!(rows[1].lab, None);
        assert!(planned.contains("cold-lab"));
    }

    #[test]
    fn a_topic_without_section_question_or_lab_fails_and_a_planned_lab_warns() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cov.md"), PAGE).unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\n## Cold\n").unwrap();
        let ids: HashSet<String> = ["q1".to_owned(), "q2".to_owned()].into();
        let found = check(dir.path(), Path::new("cov.md"), &ids, &|_| false, &|p| {
            p.display().to_string()
        });
        let lines: Vec<String> = found
            .iter()
            .map(|d| format!("{:?} {}", d.severity, d.message))
            .collect();
        let expected = [
            "Warning topic \"Cold starts\": lab `cold-lab` is planned but not built yet",
            "Error topic \"Billing\": section link `a.md#billing`: a.md has no heading or element with id `billing`",
            "Error topic \"Billing\" has no question",
            "Error topic \"Ghost\" has no section link",
            "Error topic \"Ghost\": question `q9` does not exist in any quiz of the book",
            "Error topic \"Ghost\": lab `ghost-lab` does not exist",
        ];
        assert_eq!(lines, expected);
    }
}
