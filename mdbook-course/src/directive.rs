//! Finding `{{#quiz PATH}}`, `{{#lab PATH}}` and `{{#progress}}` in a chapter's Markdown.
//!
//! Directives inside fenced code blocks are left alone, and a backslash before one
//! (`\{{#quiz x}}`) writes it literally, as mdBook does for `{{#include}}`.

use std::ops::Range;

/// The directives this preprocessor expands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A quiz file to embed.
    Quiz(String),
    /// A lab file to embed.
    Lab(String),
    /// The learner's progress overview.
    Progress,
}

/// One directive found in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// What to put there.
    pub kind: Kind,
    /// The bytes of the chapter it replaces.
    pub range: Range<usize>,
    /// 1-based line of the directive in the chapter.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// A `{{#...}}` that is not one of ours or is malformed, to report at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// What is wrong and how to fix it.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// Scans `markdown` for directives, skipping fenced code blocks and escaped ones.
pub fn find(markdown: &str) -> (Vec<Directive>, Vec<Malformed>) {
    let mut found = Vec::new();
    let mut bad = Vec::new();
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    for (index, line) in markdown.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else {
            scan_line(line, offset, index + 1, &mut found, &mut bad);
        }
        offset += line.len();
    }
    (found, bad)
}

fn scan_line(
    line: &str,
    offset: usize,
    line_no: usize,
    found: &mut Vec<Directive>,
    bad: &mut Vec<Malformed>,
) {
    let mut from = 0;
    while let Some(rel) = line[from..].find("{{#") {
        let start = from + rel;
        let col = line[..start].chars().count() + 1;
        let Some(end_rel) = line[start..].find("}}") else {
            break;
        };
        let end = start + end_rel + 2;
        from = end;
        // Escaped (`\{{#quiz x}}`) or inside an inline code span: written literally.
        if line[..start].ends_with('\\') || line[..start].matches('`').count() % 2 == 1 {
            continue;
        }
        let body = line[start + 3..end - 2].trim();
        let (name, arg) = body
            .split_once(char::is_whitespace)
            .map_or((body, ""), |(n, a)| (n, a.trim()));
        let kind = match (name, arg.is_empty()) {
            ("quiz", false) => Kind::Quiz(arg.to_owned()),
            ("lab", false) => Kind::Lab(arg.to_owned()),
            ("progress", true) => Kind::Progress,
            ("quiz" | "lab", true) => {
                bad.push(Malformed {
                    message: format!("`{{{{#{name}}}}}` needs a path to a .toml file, relative to this chapter: `{{{{#{name} ../../content/{}/file.toml}}}}`", if name == "quiz" { "quizzes" } else { "labs" }),
                    line: line_no,
                    col,
                });
                continue;
            }
            ("progress", false) => {
                bad.push(Malformed {
                    message: "`{{#progress}}` takes no argument".to_owned(),
                    line: line_no,
                    col,
                });
                continue;
            }
            // mdBook's own directives (`include`, `playground`, `title`, ...) are not ours.
            _ => continue,
        };
        found.push(Directive {
            kind,
            range: offset + start..offset + end,
            line: line_no,
            col,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_quiz_lab_and_progress_with_their_places() {
        let md = "# T\n\n{{#quiz ../q.toml}}\ntext {{#lab a.toml}} {{#progress}}\n";
        let (found, bad) = find(md);
        assert!(bad.is_empty());
        let kinds: Vec<_> = found.iter().map(|d| (&d.kind, d.line, d.col)).collect();
        assert_eq!(
            kinds,
            vec![
                (&Kind::Quiz("../q.toml".into()), 3, 1),
                (&Kind::Lab("a.toml".into()), 4, 6),
                (&Kind::Progress, 4, 22),
            ]
        );
        assert_eq!(&md[found[0].range.clone()], "{{#quiz ../q.toml}}");
    }

    #[test]
    fn skips_code_fences_escapes_and_mdbooks_own_directives() {
        let md = "```md\n{{#quiz a.toml}}\n```\n\\{{#quiz b.toml}}\n{{#include x.rs}}\nWrite `{{#quiz path}}` here.\n";
        let (found, bad) = find(md);
        assert!(found.is_empty(), "{found:?}");
        assert!(bad.is_empty());
    }

    #[test]
    fn a_quiz_without_a_path_is_reported_at_its_place() {
        let (found, bad) = find("ok\n  {{#quiz}}\n");
        assert!(found.is_empty());
        assert_eq!((bad[0].line, bad[0].col), (2, 3));
        assert!(
            bad[0].message.contains("needs a path"),
            "{}",
            bad[0].message
        );
    }
}
