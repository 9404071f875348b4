//! Expanding the course directives of a whole book, collecting every diagnostic on the way.
//!
//! Two passes: the first embeds quizzes and learns what the book holds; the second writes the
//! progress overview, which lists everything the first pass found.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use course_model::lab::parse_lab_file;
use course_model::{
    check_book, file_stem, parse_quiz_file, Diagnostic, LabIndexEntry, Quiz, QuizIndexEntry,
    QuizPayload, Severity,
};

use crate::directive::{self, Kind};
use crate::guard::{mib, Refusal, Roots, MAX_FILE_BYTES};
use crate::paths::normalise;
use crate::{markdown, placeholder};

/// A chapter's page, relative to the site root: `ch02/intro.md` is `ch02/intro.html`.
fn page_of(chapter: &Path) -> String {
    chapter
        .with_extension("html")
        .to_string_lossy()
        .replace('\\', "/")
}

/// The state of one expansion run over a book.
pub struct Course {
    /// Namespaces saved progress in the browser (`[preprocessor.course] book-id`).
    pub book_id: String,
    /// The book's `src` folder; chapter paths are relative to it.
    pub src_dir: PathBuf,
    /// Paths in diagnostics are shown relative to this folder.
    pub display_root: PathBuf,
    /// The folders directives may read from.
    pub roots: Roots,
    /// Everything found wrong so far, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    index: Vec<QuizIndexEntry>,
    /// Every quiz that parsed, with its file and source, for the book-wide checks.
    parsed: Vec<(String, String, Quiz)>,
    embedded: HashMap<PathBuf, String>,
    labs: Vec<LabIndexEntry>,
    /// The chapters' pages in reading order, for the overview.
    reading_order: Vec<String>,
    lab_ids: HashMap<String, String>,
}

impl Course {
    /// A fresh run over the book whose sources are in `src_dir`, embedding files from `roots`.
    pub fn new(book_id: String, src_dir: PathBuf, display_root: PathBuf, roots: Roots) -> Self {
        Course {
            book_id,
            src_dir,
            display_root,
            roots,
            diagnostics: Vec::new(),
            index: Vec::new(),
            parsed: Vec::new(),
            embedded: HashMap::new(),
            labs: Vec::new(),
            reading_order: Vec::new(),
            lab_ids: HashMap::new(),
        }
    }

    /// Runs the checks that need the whole book (ids unique across all quizzes); call once, after
    /// every chapter went through [`Course::expand_quizzes`].
    pub fn finish(&mut self) {
        self.diagnostics.extend(check_book(&self.parsed));
    }

    /// Every quiz that parsed as `(file, source, quiz)`, in the order met: for the item-writing
    /// lint.
    pub fn parsed(&self) -> &[(String, String, Quiz)] {
        &self.parsed
    }

    /// Every question id of every quiz that parsed.
    pub fn question_ids(&self) -> std::collections::HashSet<String> {
        self.parsed
            .iter()
            .flat_map(|(_, _, quiz)| quiz.questions.iter().map(|q| q.id.clone()))
            .collect()
    }

    /// The quizzes that parsed, with the file they came from (as shown in messages).
    pub fn quizzes(&self) -> impl Iterator<Item = (&str, &Quiz)> {
        self.parsed
            .iter()
            .map(|(file, _, quiz)| (file.as_str(), quiz))
    }

    /// Shows `path` as messages do: relative to the folder that holds the book.
    pub fn show(&self, path: &Path) -> String {
        self.display(path)
    }

    /// Whether any error (not warning) was found: then nothing may be published.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// First pass over one chapter: replaces quiz directives, reports malformed ones.
    pub fn expand_quizzes(&mut self, name: &str, chapter: &Path, content: &str) -> String {
        let chapter_file = self.display(&self.src_dir.join(chapter));
        let (found, malformed) = directive::find(content);
        for bad in malformed {
            self.diagnostics
                .push(error(&chapter_file, bad.line, bad.col, bad.message, None));
        }
        let mut out = String::with_capacity(content.len());
        let mut last = 0;
        for d in found {
            let replacement = match &d.kind {
                Kind::Quiz(rel) => {
                    let file = normalise(&self.src_dir.join(chapter).with_file_name("").join(rel));
                    self.load_quiz(name, chapter, &chapter_file, (d.line, d.col), rel, &file)
                }
                Kind::Lab(rel) => {
                    let file = normalise(&self.src_dir.join(chapter).with_file_name("").join(rel));
                    self.load_lab(name, chapter, &chapter_file, (d.line, d.col), rel, &file)
                }
                Kind::Progress => continue,
            };
            out.push_str(&content[last..d.range.start]);
            out.push_str(&replacement);
            last = d.range.end;
        }
        out.push_str(&content[last..]);
        out
    }

    /// The chapters' source paths in reading order (a chapter before its sections): the
    /// progress overview lists quizzes and labs in this order, whatever order they were met in.
    pub fn set_reading_order(&mut self, chapters: Vec<PathBuf>) {
        self.reading_order = chapters.iter().map(|c| page_of(c)).collect();
    }

    /// Where `page` stands in the reading order (pages not in it last, as met).
    fn position(&self, page: &str) -> usize {
        self.reading_order
            .iter()
            .position(|p| p == page)
            .unwrap_or(usize::MAX)
    }

    /// Second pass over one chapter: writes the progress overview where `{{#progress}}` stands.
    pub fn expand_progress(&self, content: &str) -> String {
        let (found, _) = directive::find(content);
        let mut out = String::with_capacity(content.len());
        let mut last = 0;
        for d in found.iter().filter(|d| d.kind == Kind::Progress) {
            out.push_str(&content[last..d.range.start]);
            let mut quizzes = self.index.clone();
            quizzes.sort_by_key(|e| self.position(&e.page));
            let mut labs = self.labs.clone();
            labs.sort_by_key(|e| self.position(&e.page));
            out.push_str(&placeholder::progress(&self.book_id, &quizzes, &labs));
            last = d.range.end;
        }
        out.push_str(&content[last..]);
        out
    }

    /// Reads the file a directive points at, if [`Roots`] allows it; a refusal is reported at
    /// the directive, invalid UTF-8 at the file's first bad byte.
    fn read(
        &mut self,
        chapter_file: &str,
        (line, col): (usize, usize),
        what: &str,
        rel: &str,
        file: &Path,
    ) -> Option<(String, String)> {
        let shown = self.display(file);
        let directive = format!("{{{{#{what} {rel}}}}}");
        let (message, hint) = match self.roots.read(file) {
            Ok(bytes) => match course_model::utf8::decode(&shown, bytes) {
                Ok(source) => return Some((shown, source)),
                Err(d) => {
                    self.diagnostics.push(d);
                    return None;
                }
            },
            Err(Refusal::Unreadable(e)) => (
                format!("cannot read {what} file `{rel}` ({shown}): {e}"),
                "the path is relative to this chapter's file; check its spelling and the number of `../`".to_owned(),
            ),
            Err(Refusal::Outside) => {
                let folders: Vec<String> = self
                    .roots
                    .folders()
                    .map(|d| format!("`{}/`", self.display(d)))
                    .collect();
                (
                    format!(
                        "`{directive}` points outside the folders a book may embed from ({})",
                        folders.join(", ")
                    ),
                    "move the file into the book's `content/` folder and write its path relative to this chapter; to allow another folder, list it in `allowed-dirs` under `[preprocessor.course]` in book.toml".to_owned(),
                )
            }
            Err(Refusal::NotAFile) => (
                format!("`{directive}` does not point at a regular file"),
                format!("point at a `.toml` {what} file; folders, devices and pipes cannot be embedded"),
            ),
            Err(Refusal::TooLarge(n)) => (
                format!(
                    "{what} file `{rel}` ({shown}) is {}, over the limit of {}",
                    mib(n),
                    mib(MAX_FILE_BYTES)
                ),
                format!("split it into several {what} files, one per section"),
            ),
        };
        self.diagnostics
            .push(error(chapter_file, line, col, message, Some(hint)));
        None
    }

    fn load_quiz(
        &mut self,
        chapter_name: &str,
        chapter: &Path,
        chapter_file: &str,
        (line, col): (usize, usize),
        rel: &str,
        file: &Path,
    ) -> String {
        let Some((shown, source)) = self.read(chapter_file, (line, col), "quiz", rel, file) else {
            return String::new();
        };
        if let Some(first) = self.embedded.get(file) {
            self.diagnostics.push(error(
                chapter_file,
                line,
                col,
                format!("`{rel}` is already embedded in {first}"),
                Some("embed each quiz once: saved progress is keyed by its id".to_owned()),
            ));
            return String::new();
        }
        self.embedded
            .insert(file.to_path_buf(), format!("{chapter_file}:{line}:{col}"));
        let parsed = parse_quiz_file(&shown, file_stem(&shown), &source);
        self.diagnostics.extend(parsed.diagnostics);
        let Some(mut quiz) = parsed.quiz else {
            return String::new();
        };
        self.parsed.push((shown, source, quiz.clone()));
        self.index.push(QuizIndexEntry {
            chapter: chapter_name.to_owned(),
            page: page_of(chapter),
            quiz: quiz.id.clone(),
            title: quiz.title.clone(),
            questions: quiz.questions.iter().map(|q| q.id.clone()).collect(),
        });
        quiz.map_markdown(markdown::render);
        let id = quiz.id.clone();
        placeholder::quiz(&self.book_id, &id, &QuizPayload::new(quiz))
    }

    fn load_lab(
        &mut self,
        chapter_name: &str,
        chapter: &Path,
        chapter_file: &str,
        (line, col): (usize, usize),
        rel: &str,
        file: &Path,
    ) -> String {
        let Some((shown, source)) = self.read(chapter_file, (line, col), "lab", rel, file) else {
            return String::new();
        };
        let parsed = parse_lab_file(&shown, &source);
        self.diagnostics.extend(parsed.diagnostics);
        let Some(mut lab) = parsed.lab else {
            return String::new();
        };
        if let Some(first) = self.lab_ids.get(&lab.id) {
            self.diagnostics.push(error(
                chapter_file,
                line,
                col,
                format!("lab id `{}` is already used by {first}", lab.id),
                Some("embed each lab once, and give each lab file its own `id`: saved progress is keyed by it".to_owned()),
            ));
            return String::new();
        }
        self.lab_ids.insert(lab.id.clone(), shown);
        self.labs.push(LabIndexEntry {
            chapter: chapter_name.to_owned(),
            page: page_of(chapter),
            lab: lab.id.clone(),
            title: lab.title.clone(),
            objectives: lab.objectives.len(),
        });
        lab.map_markdown(markdown::render);
        placeholder::lab(&self.book_id, &lab.id, &lab)
    }

    /// The labs found so far, for the progress overview.
    pub fn labs(&self) -> &[LabIndexEntry] {
        &self.labs
    }

    fn display(&self, path: &Path) -> String {
        let path = normalise(path);
        path.strip_prefix(&self.display_root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned()
    }
}

fn error(file: &str, line: usize, col: usize, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: file.to_owned(),
        line,
        col,
        message,
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIZ: &str = "id = \"QID\"\ntitle = \"T\"\n[[question]]\nid = \"QID-1\"\ntype = \"true-false\"\nprompt = \"P\"\nanswer = true\n";

    #[test]
    fn the_overview_lists_a_chapter_before_its_sections_whatever_order_they_were_expanded_in() {
        let dir = std::env::temp_dir().join(format!("course-order-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src/ch02")).unwrap();
        for id in ["parent", "child"] {
            std::fs::write(dir.join(format!("{id}.toml")), QUIZ.replace("QID", id)).unwrap();
        }
        let roots = Roots::new(&dir, None);
        let mut course = Course::new("b".into(), dir.join("src"), dir.clone(), roots);
        course.set_reading_order(vec!["ch02.md".into(), "ch02/section.md".into()]);
        // As mdBook's for_each_mut goes: the section first.
        course.expand_quizzes(
            "2.1. Section",
            Path::new("ch02/section.md"),
            "{{#quiz ../../child.toml}}",
        );
        course.expand_quizzes(
            "2. Chapter",
            Path::new("ch02.md"),
            "{{#quiz ../parent.toml}}",
        );
        assert!(!course.has_errors(), "{:?}", course.diagnostics);
        let html = course.expand_progress("{{#progress}}");
        let parent = html.find("\"quiz\":\"parent\"").expect(&html);
        let child = html.find("\"quiz\":\"child\"").expect(&html);
        assert!(parent < child, "{html}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
