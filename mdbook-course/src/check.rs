//! `mdbook-course check`: validates every chapter's directives and the files they point at, every
//! relative link, and the coverage table, without building the book. Exits non-zero on errors;
//! warnings are printed separately.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use course_model::{fix_ids, Diagnostic, Severity};

use crate::course::{normalise, Course};
use crate::directive::{self, Kind};
use crate::guard::Roots;
use crate::{coverage, links, report};

/// The command-line help.
pub const USAGE: &str = "usage:
  mdbook-course check [BOOK_DIR] [--format text|json] [--fix-ids]
      validate all course content: quizzes, links, coverage table (default BOOK_DIR: .)
      --fix-ids writes an `id` into every question that has none
  mdbook-course new quiz FILE.toml [--id ID] [--title TITLE]
      write a quiz file to start from
  mdbook-course stats [BOOK_DIR]
      count quizzes and questions by chapter and type
  mdbook-course supports <renderer>      (called by mdBook)
  mdbook-course                          preprocess mdBook's JSON on stdin (called by mdBook)";

/// The book's settings that `check` needs, read from book.toml.
pub struct BookConfig {
    /// The book folder (holding book.toml).
    pub root: PathBuf,
    /// `[book] src`, resolved.
    pub src_dir: PathBuf,
    /// `[preprocessor.course] book-id`, or the slug of the title.
    pub book_id: String,
    /// `[preprocessor.course] coverage`: the coverage page, relative to `src`.
    pub coverage: Option<PathBuf>,
    /// `[preprocessor.course] labs-dir`, relative to the book folder (default `../content/labs`).
    pub labs_dir: PathBuf,
    /// `[preprocessor.course] allowed-dirs`: folders besides the book folder that directives may
    /// embed from, relative to it (`None`: [`crate::guard::DEFAULT_ALLOWED_DIRS`]).
    pub allowed_dirs: Option<Vec<String>>,
}

impl BookConfig {
    /// Reads `BOOK_DIR/book.toml`.
    pub fn load(book_dir: &Path) -> Result<Self> {
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
        let root = std::path::absolute(book_dir)?;
        let src = get(&["book", "src"]).unwrap_or_else(|| "src".to_owned());
        let allowed_dirs = match config.get("preprocessor").and_then(|p| p.get("course")) {
            Some(course) => allowed_dirs(course.get("allowed-dirs"))
                .with_context(|| format!("in {}", book_toml.display()))?,
            None => None,
        };
        Ok(BookConfig {
            src_dir: root.join(src),
            book_id: crate::book_id(
                get(&["preprocessor", "course", "book-id"]),
                get(&["book", "title"]).as_deref(),
            ),
            coverage: get(&["preprocessor", "course", "coverage"]).map(PathBuf::from),
            labs_dir: root.join(
                get(&["preprocessor", "course", "labs-dir"])
                    .unwrap_or_else(|| "../content/labs".to_owned()),
            ),
            allowed_dirs,
            root,
        })
    }

    /// The folders directives may embed from.
    pub fn roots(&self) -> Roots {
        Roots::new(&self.root, self.allowed_dirs.as_deref())
    }

    /// Every Markdown page under `src`, relative to it, sorted.
    pub fn pages(&self) -> Result<Vec<PathBuf>> {
        let mut pages = Vec::new();
        collect_markdown(&self.src_dir, Path::new(""), &mut pages)?;
        pages.sort();
        Ok(pages)
    }
}

/// Runs the check; `Ok(false)` means errors were found (and printed).
pub fn run(args: &[String]) -> Result<bool> {
    let mut book_dir = PathBuf::from(".");
    let mut json = false;
    let mut fix = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--format" => match rest.next().map(String::as_str) {
                Some("json") => json = true,
                Some("text") => json = false,
                _ => bail!("--format takes `text` or `json`\n\n{USAGE}"),
            },
            "--fix-ids" => fix = true,
            dir if !dir.starts_with('-') => book_dir = PathBuf::from(dir),
            other => bail!("unknown option `{other}`\n\n{USAGE}"),
        }
    }
    let config = BookConfig::load(&book_dir)?;
    if fix {
        fix_missing_ids(&config)?;
    }
    let course = check_book(&config)?;
    let (errors, warnings): (Vec<_>, Vec<_>) = course
        .diagnostics
        .iter()
        .partition(|d| d.severity == Severity::Error);
    if json {
        println!("{}", serde_json::to_string_pretty(&course.diagnostics)?);
    } else {
        for line in report::capped(&warnings, Severity::Warning) {
            eprintln!("{line}");
        }
        for line in report::capped(&errors, Severity::Error) {
            eprintln!("{line}");
        }
        eprintln!(
            "mdbook-course check: {} error(s), {} warning(s)",
            errors.len(),
            warnings.len()
        );
    }
    Ok(errors.is_empty())
}

/// Expands every page as the preprocessor would, then checks links and coverage.
pub fn check_book(config: &BookConfig) -> Result<Course> {
    let mut course = Course::new(
        config.book_id.clone(),
        config.src_dir.clone(),
        crate::display_root(&config.root),
        config.roots(),
    );
    let mut pages = config.pages()?;
    // Chapters pass the same guard as embedded files (a chapter linked to `/dev/zero` is not
    // read); those refused or not UTF-8 are reported and left out of the link check.
    pages.retain(|rel| {
        let path = config.src_dir.join(rel);
        let shown = course.show(&path);
        let bytes = match course.roots.read(&path) {
            Ok(bytes) => bytes,
            Err(refusal) => {
                course.diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    file: shown,
                    line: 1,
                    col: 1,
                    message: format!("chapter not read: {}", refusal.describe()),
                    hint: Some(
                        "a chapter must be a regular file of at most 4 MiB inside the book folder"
                            .to_owned(),
                    ),
                });
                return false;
            }
        };
        match course_model::utf8::decode(&shown, bytes) {
            Ok(content) => {
                let name = rel.to_string_lossy().into_owned();
                course.expand_quizzes(&name, rel, &content);
                true
            }
            Err(d) => {
                course.diagnostics.push(d);
                false
            }
        }
    });
    course.finish();
    let lint = course_model::lint::lint_book(course.parsed());
    course.diagnostics.extend(lint);
    let show = |p: &Path| course.show(p);
    let mut found = links::check(&config.src_dir, &pages, &show);
    if let Some(page) = &config.coverage {
        let ids = course.question_ids();
        let lab_exists = |id: &str| config.labs_dir.join(format!("{id}.toml")).exists();
        found.extend(coverage::check(
            &config.src_dir,
            page,
            &ids,
            &lab_exists,
            &show,
        ));
    }
    course.diagnostics.extend(found);
    Ok(course)
}

/// The quiz files the pages embed (pages that are not UTF-8 are skipped: `check` reports them).
fn quiz_files(config: &BookConfig) -> Result<Vec<PathBuf>> {
    let roots = config.roots();
    let mut files = Vec::new();
    for page in config.pages()? {
        let path = config.src_dir.join(&page);
        let Some(text) = roots
            .read(&path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
        else {
            continue;
        };
        for d in directive::find(&text).0 {
            if let Kind::Quiz(rel) = d.kind {
                let dir = config.src_dir.join(&page).with_file_name("");
                files.push(normalise(&dir.join(rel)));
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Writes an id into every question that has none, unique across the book. Only files that
/// `check` would read are touched (inside the allowed folders, within the size limit, UTF-8).
fn fix_missing_ids(config: &BookConfig) -> Result<()> {
    let files = quiz_files(config)?;
    let roots = config.roots();
    let sources: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|f| {
            let text = String::from_utf8(roots.read(&f).ok()?).ok()?;
            Some((f, text))
        })
        .collect();
    let mut taken: HashSet<String> = sources
        .iter()
        .flat_map(|(_, s)| s.lines().filter_map(id_value))
        .collect();
    for (file, source) in sources {
        let prefix = source
            .lines()
            .take_while(|l| !l.trim_start().starts_with('['))
            .find_map(id_value)
            .unwrap_or_else(|| course_model::file_stem(&file.to_string_lossy()).to_owned());
        if let Some(fixed) = fix_ids(&source, &prefix, &taken) {
            std::fs::write(&file, &fixed).with_context(|| format!("writing {}", file.display()))?;
            let added: Vec<String> = fixed
                .lines()
                .filter_map(id_value)
                .filter(|id| !taken.contains(id))
                .collect();
            eprintln!("{}: wrote {} question id(s)", file.display(), added.len());
            taken.extend(added);
        }
    }
    Ok(())
}

/// `allowed-dirs = ["../content", ...]`: a list of folder names, or `None` when absent.
fn allowed_dirs(value: Option<&toml::Value>) -> Result<Option<Vec<String>>> {
    let Some(value) = value else {
        return Ok(None);
    };
    let list = value.as_array().and_then(|items| {
        items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
    });
    match list {
        Some(list) => Ok(Some(list)),
        None => bail!(
            "`[preprocessor.course] allowed-dirs` must be a list of folders relative to the book folder, e.g. `allowed-dirs = [\"../content\"]`"
        ),
    }
}

/// The value of an `id = "…"` line.
fn id_value(line: &str) -> Option<String> {
    let rest = line
        .trim()
        .strip_prefix("id")?
        .trim_start()
        .strip_prefix('=')?;
    Some(rest.trim().trim_matches('"').to_owned())
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
