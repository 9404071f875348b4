//! `mdbook-course check`: validates every chapter's directives and the files they point at, every
//! relative link, and the coverage table, without building the book; or quiz, lab and scenario
//! files alone. Exits non-zero on errors; warnings are printed separately.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use course_model::{fix_ids, Diagnostic, Severity};

use lab_runtime::scenario::Scenario;

use crate::cli::{CheckArgs, Format};
use crate::course::Course;
use crate::directive::{self, Kind};
use crate::guard::{mib, Roots, MAX_FILE_BYTES};
use crate::paths::normalise;
use crate::{coverage, links, report};

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

/// Runs the check once (`--watch` is [`crate::watch::run`]); `Ok(false)` means errors were found
/// (and printed).
pub fn run(args: &CheckArgs) -> Result<bool> {
    let diagnostics = check_paths(&args.paths_or_here(), args.fix_ids)?;
    Ok(print(&diagnostics, args.format, false))
}

/// Every diagnostic of every path: book folders in full, files alone.
pub fn check_paths(paths: &[PathBuf], fix: bool) -> Result<Vec<Diagnostic>> {
    let mut all = Vec::new();
    for path in paths {
        if path.is_dir() {
            if !path.join("book.toml").is_file() {
                bail!(
                    "{} is a folder without book.toml: give a book folder (the one holding book.toml) or quiz and lab .toml files",
                    path.display()
                );
            }
            let config = BookConfig::load(path)?;
            if fix {
                fix_missing_ids(&config)?;
            }
            all.extend(check_book(&config)?.diagnostics);
        } else {
            all.extend(check_file(path, fix)?);
        }
    }
    Ok(all)
}

/// Prints `diagnostics` as `format` asks (`compact`: JSON on one line, for `--watch`); `true`
/// when none is an error.
pub fn print(diagnostics: &[Diagnostic], format: Format, compact: bool) -> bool {
    let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
        .iter()
        .partition(|d| d.severity == Severity::Error);
    match format {
        Format::Json => {
            let json = if compact {
                serde_json::to_string(diagnostics)
            } else {
                serde_json::to_string_pretty(diagnostics)
            };
            println!("{}", json.expect("diagnostics serialise"));
        }
        Format::Text => {
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
    }
    errors.is_empty()
}

/// What a `.toml` file given to `check` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A quiz (`[[question]]`, or mdbook-quiz's `[[questions]]`).
    Quiz,
    /// A lab (`[scenario]`, `[[objective]]`).
    Lab,
    /// A lab-sim scenario (`[[functions]]`, `[[timeline]]`).
    Scenario,
}

/// Tells a quiz, a lab and a scenario apart by their keys; a file that does not parse is judged
/// by its folder (`labs/`, `scenarios/`), else taken for a quiz, whose reader reports TOML
/// syntax best.
pub fn file_kind(path: &Path, source: &str) -> FileKind {
    if let Ok(table) = source.parse::<toml::Table>() {
        let has = |k: &str| table.contains_key(k);
        if has("question") || has("questions") {
            return FileKind::Quiz;
        }
        if has("scenario") || has("objective") || has("controls") || has("solution") {
            return FileKind::Lab;
        }
        if [
            "functions",
            "timeline",
            "roles",
            "queues",
            "account",
            "sqs_mappings",
        ]
        .iter()
        .any(|k| has(k))
        {
            return FileKind::Scenario;
        }
        return FileKind::Quiz;
    }
    let in_dir = |name: &str| path.components().any(|c| c.as_os_str() == name);
    if in_dir("labs") {
        FileKind::Lab
    } else if in_dir("scenarios") {
        FileKind::Scenario
    } else {
        FileKind::Quiz
    }
}

/// Checks one quiz, lab or scenario file alone, with the diagnostics `check` gives it in a book
/// (named as the path was given). `fix` writes missing question ids first (quizzes only).
pub fn check_file(path: &Path, fix: bool) -> Result<Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let bytes = match read_limited(path) {
        Ok(bytes) => bytes,
        Err(message) => {
            return Ok(vec![Diagnostic {
                severity: Severity::Error,
                file: shown,
                line: 1,
                col: 1,
                message,
                hint: Some(
                    "give a book folder (holding book.toml) or quiz and lab .toml files".to_owned(),
                ),
            }])
        }
    };
    let mut source = match course_model::utf8::decode(&shown, bytes) {
        Ok(source) => source,
        Err(d) => return Ok(vec![d]),
    };
    Ok(match file_kind(path, &source) {
        FileKind::Quiz => {
            let default_id = course_model::file_stem(&shown).to_owned();
            if fix {
                if let Some(fixed) = fix_ids(&source, &default_id, &HashSet::new()) {
                    std::fs::write(path, &fixed)
                        .with_context(|| format!("writing {}", path.display()))?;
                    eprintln!("{shown}: wrote question id(s)");
                    source = fixed;
                }
            }
            course_model::parse_quiz_file(&shown, &default_id, &source).diagnostics
        }
        FileKind::Lab => course_model::lab::parse_lab_file(&shown, &source).diagnostics,
        FileKind::Scenario => {
            match Scenario::parse(&source).and_then(|s| s.run(&source, None).map(|_| ())) {
                Ok(()) => Vec::new(),
                Err(e) => vec![Diagnostic {
                    severity: Severity::Error,
                    file: shown,
                    line: e.line,
                    col: e.col,
                    message: e.message,
                    hint: Some("see book/src/instructors/scenarios.md for every key".to_owned()),
                }],
            }
        }
    })
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`], as a directive may embed.
fn read_limited(path: &Path) -> std::result::Result<Vec<u8>, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!("{} is not a regular file", path.display()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{} is {}, over the limit of {}",
            path.display(),
            mib(meta.len()),
            mib(MAX_FILE_BYTES)
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
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
