//! The command line, declared with clap: every subcommand, its options, its help and examples.
//!
//! Exit codes: 0 when all is well, 1 when the content has errors (or a file cannot be read or
//! written), 2 for a usage error (an unknown flag or subcommand, a missing argument).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit status for content errors (and files that cannot be read or written).
pub const EXIT_CONTENT: u8 = 1;

const AFTER_HELP: &str = "\
Examples:
  mdbook-course check book                          check the whole book
  mdbook-course check content/quizzes/ch02/q.toml   check one quiz file on its own
  mdbook-course new quiz content/quizzes/ch02/retries.toml
  mdbook-course schema quiz > schemas/quiz.schema.json
  mdbook-course completions bash > ~/.local/share/bash-completion/completions/mdbook-course

Without a subcommand, mdbook-course is the mdBook preprocessor: mdBook runs it with the book as
JSON on stdin (see book.toml's [preprocessor.course]).

Exit status: 0 ok, 1 content errors (or a file that cannot be read or written), 2 usage error.
Guide: book/src/instructors/cli.md";

/// The mdBook preprocessor for {{#quiz}}, {{#lab}} and {{#progress}}, and the instructor's
/// command line.
#[derive(Debug, Parser)]
#[command(name = "mdbook-course", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do; none: preprocess mdBook's JSON on stdin.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate course content without building: a book folder, or quiz, lab and scenario files
    /// alone.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Write a quiz or lab file that passes `check`, to start from.
    #[command(subcommand, after_help = NEW_HELP)]
    New(NewKind),
    /// Count the book's quizzes, questions by type, and labs.
    #[command(after_help = STATS_HELP)]
    Stats(StatsArgs),
    /// Export the book's question bank for an LMS (QTI 2.1, GIFT or Moodle XML), reporting what
    /// cannot be mapped.
    #[command(after_help = EXPORT_HELP)]
    Export(ExportArgs),
    /// Bring an existing question bank in as a quiz file, reporting what cannot be mapped.
    #[command(after_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Print the JSON Schema of a quiz, lab or scenario file (for editors: see schemas/).
    #[command(after_help = SCHEMA_HELP)]
    Schema {
        /// Which file's schema.
        kind: SchemaKind,
    },
    /// Print a shell completion script to stdout.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete for.
        shell: Shell,
    },
    /// Tell mdBook whether a renderer is supported (called by mdBook; exit 0 for `html`).
    #[command(after_help = "Example:\n  mdbook-course supports html && echo yes")]
    Supports {
        /// The renderer's name, as mdBook passes it.
        renderer: String,
    },
}

const CHECK_HELP: &str = "\
Each PATH is a book folder (holding book.toml: every chapter, directive, quiz, lab, link and the
coverage table are checked) or a quiz or lab .toml file, checked alone with the same diagnostics.

Examples:
  mdbook-course check                                   the book in the current folder
  mdbook-course check book
  mdbook-course check content/quizzes/ch02/*.toml content/labs/cold-warm-starts.toml
  mdbook-course check book --format json > diagnostics.json
  mdbook-course check --watch content/quizzes/ch02/invocation.toml

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.";

/// `check`'s arguments.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Book folders, or quiz, lab and scenario .toml files [default: .]
    pub paths: Vec<PathBuf>,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write an `id` into every question that has none (unique across a book, or within a file),
    /// then check.
    #[arg(long)]
    pub fix_ids: bool,
    /// Check again whenever a file under the paths (and a book's content folders) changes;
    /// stop with Ctrl-C.
    #[arg(long, short)]
    pub watch: bool,
}

impl CheckArgs {
    /// The paths to check: those given, or `.` when none is.
    pub fn paths_or_here(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        }
    }
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `file:line:col: error: …` lines on stderr, for people.
    Text,
    /// A JSON array of diagnostics on stdout, for editors and scripts.
    Json,
}

const NEW_HELP: &str = "\
Examples:
  mdbook-course new quiz content/quizzes/ch02/retries.toml
  mdbook-course new quiz content/quizzes/ch02/retries.toml --id ch02-retries --title \"Retries\"
  mdbook-course new lab content/labs/my-first-lab.toml --title \"My first lab\"";

/// What `new` writes.
#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// A quiz with one single-choice question and every key commented.
    #[command(
        after_help = "Example:\n  mdbook-course new quiz content/quizzes/ch02/retries.toml --title \"Retries\""
    )]
    Quiz(NewArgs),
    /// A lab with one function, one objective and a reference solution.
    #[command(
        after_help = "Example:\n  mdbook-course new lab content/labs/my-first-lab.toml --title \"My first lab\""
    )]
    Lab(NewArgs),
}

/// Arguments of `new quiz` and `new lab`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The file to write (never overwritten).
    pub file: PathBuf,
    /// The id [default: quiz: folder-file (ch02-retries); lab: the file name, which a lab id must equal]
    #[arg(long)]
    pub id: Option<String>,
    /// The title.
    #[arg(long)]
    pub title: Option<String>,
}

const STATS_HELP: &str = "\
Without --lrs or --statements: the book's content (quizzes, questions by type, labs). With one of
them: item analysis of the learners' xAPI records, per question attempts, facility (correct on the
first try), discrimination (point-biserial against the rest of the quiz), option shares and mean
time, with flags; per quiz reliability (Cronbach's alpha / KR-20) and the score distribution.
The LRS credential may also be given in COURSE_LRS_AUTH.

Examples:
  mdbook-course stats book
  mdbook-course stats --lrs http://127.0.0.1:8100/xAPI/ --auth teacher:secret --since 2026-12-01
  mdbook-course stats --statements statements.ndjson --format json
  mdbook-course stats --lrs https://lrs.example.org/xAPI/ --html report.html

Guide: book/src/instructors/records.md";

/// `stats`'s arguments.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The book folder (content statistics).
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Read learner records from this LRS's xAPI endpoint, e.g. http://127.0.0.1:8100/xAPI/.
    #[arg(long, value_name = "URL", conflicts_with = "statements")]
    pub lrs: Option<String>,
    /// The LRS credential, `user:password` (default: $COURSE_LRS_AUTH).
    #[arg(long, value_name = "USER:PASSWORD", requires = "lrs")]
    pub auth: Option<String>,
    /// Only statements stored since then (an ISO 8601 date or timestamp).
    #[arg(long, value_name = "DATE", requires = "lrs")]
    pub since: Option<String>,
    /// Read learner records from an exported file: a JSON array of statements, or NDJSON.
    #[arg(long, value_name = "FILE")]
    pub statements: Option<PathBuf>,
    /// Output of the learner statistics.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also write an HTML report with small charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

impl StatsArgs {
    /// The learner-statistics options, when records were asked for (else: content statistics).
    pub fn learner_options(&self) -> Option<crate::learner_stats::Options> {
        if self.lrs.is_none() && self.statements.is_none() {
            return None;
        }
        Some(crate::learner_stats::Options {
            lrs: self.lrs.clone(),
            auth: self
                .auth
                .clone()
                .or_else(|| std::env::var("COURSE_LRS_AUTH").ok()),
            since: self.since.clone(),
            statements: self.statements.clone(),
            json: self.format == Format::Json,
            html: self.html.clone(),
        })
    }
}

const EXPORT_HELP: &str = "\
Every quiz the book embeds (or those named with --quiz) becomes OUT_DIR/<quiz id>.qti.zip (a QTI 2.1
content package: imsmanifest.xml, the quiz as an assessmentTest, one assessmentItem per question),
.gift or .xml (one category per quiz), Markdown rendered to HTML as in the book. Each question or
quiz feature the format cannot hold is printed as `not mapped: FILE: question `ID`: ...` (GIFT has
no ordering questions: they are left out; QTI and Moodle XML hold them).

Examples:
  mdbook-course export --format qti book -o lms-export
  mdbook-course export --format gift book -o lms-export
  mdbook-course export --format moodle-xml book -o lms-export
  mdbook-course export --format gift book --quiz ch02-invocation --quiz ch03-permissions

Exit status: 0 exported, 1 the book has errors (nothing written), 2 usage error.";

/// `export`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The book folder.
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Where to write the files.
    #[arg(
        short = 'o',
        long = "out-dir",
        value_name = "DIR",
        default_value = "lms-export"
    )]
    pub out_dir: PathBuf,
    /// Export only the quiz with this id (repeat for several).
    #[arg(long, value_name = "ID")]
    pub quiz: Vec<String>,
}

/// LMS formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// An IMS QTI 2.1 content package (zip) per quiz, for Canvas and other QTI importers.
    Qti,
    /// Moodle's GIFT text format (also read by other LMSs' GIFT importers).
    Gift,
    /// Moodle XML: every question type, hints, units, distractors.
    MoodleXml,
}

const IMPORT_HELP: &str = "\
Each question becomes a [[question]] of the nearest type (HTML is kept: Markdown passes it
through); a question type or setting with no counterpart is printed as `not mapped: ...`. The file
is checked before it is written, and an existing file is never overwritten. A GIFT file that does
not parse stops the import with FILE:LINE:COL and what was expected.

Examples:
  mdbook-course import --from gift questions.gift -o content/quizzes/ch07/imported.toml
  mdbook-course import --from moodle-xml questions-bank.xml -o content/quizzes/ch07/imported.toml
  mdbook-course import --from moodle-xml bank.xml -o content/quizzes/ch07/bank.toml --id ch07-bank

Exit status: 0 imported, 1 nothing importable, or the file cannot be read or does not parse, 2
usage error.";

/// `import`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The format of FILE.
    #[arg(long, value_enum)]
    pub from: ImportFrom,
    /// The bank to read.
    pub file: PathBuf,
    /// The quiz file to write (never overwritten).
    #[arg(short = 'o', long = "out", value_name = "QUIZ.toml")]
    pub out: PathBuf,
    /// The quiz id [default: the output file's name]
    #[arg(long)]
    pub id: Option<String>,
}

/// Formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFrom {
    /// Moodle's GIFT text format (Moodle: Question bank → Export → GIFT format).
    Gift,
    /// Moodle XML (Moodle: Question bank → Export → Moodle XML format).
    MoodleXml,
}

const SCHEMA_HELP: &str = "\
The repository ships them in schemas/, and .taplo.toml maps content/** to them, so editors with
Taplo (VS Code: \"Even Better TOML\") complete and validate keys as you type.

Examples:
  mdbook-course schema quiz > schemas/quiz.schema.json
  mdbook-course schema lab
  mdbook-course schema scenario";

/// The files with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A quiz file (content/quizzes/**).
    Quiz,
    /// A lab file (content/labs/*).
    Lab,
    /// A lab-sim scenario file (content/scenarios/*).
    Scenario,
}

/// The schema of `kind`, as pretty JSON with a final newline (as schemas/ holds it).
pub fn schema(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Quiz => course_model::schema::quiz_schema(),
        SchemaKind::Lab => course_model::schema::lab_schema(),
        SchemaKind::Scenario => lab_runtime::scenario::schema(),
    };
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}

const COMPLETIONS_HELP: &str = "\
Examples:
  mdbook-course completions bash > ~/.local/share/bash-completion/completions/mdbook-course
  mdbook-course completions zsh > ~/.zfunc/_mdbook-course
  mdbook-course completions fish > ~/.config/fish/completions/mdbook-course.fish";

/// Shells with completion scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
}

/// Writes the completion script for `shell` to stdout.
pub fn completions(shell: Shell) {
    use clap::CommandFactory;
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(
        generator,
        &mut Cli::command(),
        "mdbook-course",
        &mut std::io::stdout(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
