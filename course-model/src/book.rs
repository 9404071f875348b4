//! Checks across all the quizzes of a book: ids must be unique book-wide, because saved progress
//! is keyed by them.

use std::collections::HashMap;

use toml::de::DeTable;

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::parse::{detect_format, Format};
use crate::quiz::Quiz;

/// Reports quiz ids and question ids used more than once across the book, each at its second
/// (and later) occurrence, naming the first. Takes `(file, source, quiz)` for every quiz that
/// parsed, in a stable order (e.g. by path). Duplicates within one file are reported by
/// [`crate::parse_quiz_file`] already and are not repeated here.
pub fn check_book(quizzes: &[(String, String, Quiz)]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut quiz_ids: HashMap<&str, &str> = HashMap::new();
    let mut question_ids: HashMap<&str, (&str, usize, usize)> = HashMap::new();
    for (file, source, quiz) in quizzes {
        let (quiz_at, question_at) = id_offsets(source);
        let lines = LineIndex::new(source);
        if let Some(first) = quiz_ids.get(quiz.id.as_str()) {
            let d = Diagnostic::error_in(
                file,
                &lines,
                quiz_at,
                format!("quiz id `{}` is already used by `{first}`", quiz.id),
            );
            diagnostics.push(d.with_hint(
                "quiz ids must be unique across the book (saved progress is keyed by them); rename one, or for an mdbook-quiz file rename the file",
            ));
        } else {
            quiz_ids.insert(&quiz.id, file);
        }
        for (i, q) in quiz.questions.iter().enumerate() {
            let offset = question_at.get(i).copied().unwrap_or(0);
            match question_ids.get(q.id.as_str()) {
                Some((first_file, _, _)) if *first_file == file.as_str() => {}
                Some((first_file, line, col)) => {
                    let message = format!(
                        "question id `{}` is already used in `{first_file}:{line}:{col}`",
                        q.id
                    );
                    diagnostics.push(
                        Diagnostic::error_in(file, &lines, offset, message).with_hint(
                            "ids must be unique across the whole book; rename one of them",
                        ),
                    );
                }
                None => {
                    let (line, col) = lines.line_col(offset);
                    question_ids.insert(&q.id, (file, line, col));
                }
            }
        }
    }
    diagnostics
}

/// Byte offsets of the quiz id and of each question's id (or its section header when the id was
/// derived), in authoring order.
fn id_offsets(source: &str) -> (usize, Vec<usize>) {
    let Ok(root) = DeTable::parse(source) else {
        return (0, Vec::new());
    };
    let root = root.get_ref();
    fn value<'a, 'i>(
        table: &'a DeTable<'i>,
        key: &str,
    ) -> Option<&'a toml::Spanned<toml::de::DeValue<'i>>> {
        table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }
    let (questions_key, quiz_at) = match detect_format(root) {
        Format::Native => ("question", value(root, "id").map_or(0, |v| v.span().start)),
        Format::MdbookQuiz => ("questions", 0),
    };
    let mut at = Vec::new();
    if let Some(list) = value(root, questions_key) {
        if let Some(items) = list.get_ref().as_array() {
            for item in items.iter() {
                let id = item.get_ref().as_table().and_then(|t| value(t, "id"));
                at.push(id.map_or(item.span().start, |v| v.span().start));
            }
        }
    }
    (quiz_at, at)
}
