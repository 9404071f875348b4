//! Large quizzes: `check` stays linear in the file's size and prints a bounded report.
//!
//! To time `check` on a 2 MB quiz by hand:
//! `cargo test -p mdbook-course --test large_quiz -- --ignored --exact write_a_2mb_book`
//! writes the book to `target/big-book` (or `$BIG_BOOK_DIR`); then
//! `time target/debug/mdbook-course check target/big-book/book`.
//! Measured on the 2 MB quiz (15,188 questions): before the line index and hash-set duplicates
//! 65 s debug / 25 s release, after 5.6 s debug / 0.6 s release. The item-writing lint's
//! book-wide duplicate check then compared every prompt with every earlier one (6 min debug);
//! with a hash map for equal prompts and sorted word lists compared only between long prompts:
//! 10.0 s debug / 0.97 s release (7,594 lint warnings, 2026-12-03).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// A valid native quiz of at least `bytes` bytes: true-false questions, every fourth a
/// single-choice question with two options.
fn big_quiz(bytes: usize) -> (String, usize) {
    let mut s = String::from("id = \"big\"\ntitle = \"A big quiz\"\n");
    let mut n = 0;
    while s.len() < bytes {
        n += 1;
        if n % 4 == 0 {
            write!(
                s,
                "\n[[question]]\nid = \"big-{n}\"\ntype = \"single\"\nprompt = \"Pick {n}.\"\nexplanation = \"E{n}.\"\n\
                 [[question.option]]\ntext = \"yes {n}\"\ncorrect = true\n[[question.option]]\ntext = \"no {n}\"\n"
            )
        } else {
            write!(
                s,
                "\n[[question]]\nid = \"big-{n}\"\ntype = \"true-false\"\nprompt = \"Statement {n}.\"\nanswer = true\nexplanation = \"E{n}.\"\n"
            )
        }
        .unwrap();
    }
    (s, n)
}

/// A one-chapter book at `dir` embedding `quiz` as `content/quizzes/big.toml`.
fn write_book(dir: &Path, quiz: &str) {
    std::fs::create_dir_all(dir.join("book/src")).unwrap();
    std::fs::create_dir_all(dir.join("content/quizzes")).unwrap();
    std::fs::write(
        dir.join("book/book.toml"),
        "[book]\ntitle = \"T\"\n[preprocessor.course]\nbook-id = \"t\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("book/src/SUMMARY.md"),
        "# Summary\n\n- [One](one.md)\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("book/src/one.md"),
        "# One\n\n{{#quiz ../../content/quizzes/big.toml}}\n",
    )
    .unwrap();
    std::fs::write(dir.join("content/quizzes/big.toml"), quiz).unwrap();
}

fn check(book: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-course"))
        .arg("check")
        .arg(book)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[ignore = "writes a 2 MB book for timing `check` by hand"]
fn write_a_2mb_book() {
    let dir = std::env::var("BIG_BOOK_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/big-book").to_owned());
    let (quiz, n) = big_quiz(2_000_000);
    write_book(Path::new(&dir), &quiz);
    eprintln!("{dir}/book: {n} questions, {} bytes", quiz.len());
}

/// Lines of `err` that report a diagnostic in the quiz file.
fn quiz_lines(err: &str) -> usize {
    err.lines().filter(|l| l.contains("big.toml:")).count()
}

#[test]
fn a_half_megabyte_quiz_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let (quiz, n) = big_quiz(500_000);
    write_book(dir.path(), &quiz);
    let (ok, err) = check(&dir.path().join("book"));
    assert!(
        ok,
        "{n} questions: {}",
        &err[err.len().saturating_sub(2000)..]
    );
    assert!(err.contains("mdbook-course check: 0 error(s)"), "{err}");
}

#[test]
fn a_question_with_100_000_unknown_keys_prints_50_errors_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (mut quiz, n) = big_quiz(100);
    assert_eq!(n, 1);
    for i in 0..100_000 {
        writeln!(quiz, "unknown{i} = 1").unwrap();
    }
    write_book(dir.path(), &quiz);
    let (ok, err) = check(&dir.path().join("book"));
    assert!(!ok);
    assert_eq!(quiz_lines(&err), 50 + 1, "{err}");
    assert!(
        err.contains("content/quizzes/big.toml: … and 99,950 more errors in this file"),
        "{err}"
    );
    assert!(err.contains("100000 error(s)"), "{err}");
}

#[test]
fn a_question_with_50_000_equal_options_reports_each_repeat_and_prints_50() {
    let dir = tempfile::tempdir().unwrap();
    let mut quiz = String::from(
        "id = \"big\"\ntitle = \"T\"\n[[question]]\nid = \"q\"\ntype = \"multiple\"\nprompt = \"P\"\nexplanation = \"E\"\n",
    );
    for _ in 0..50_000 {
        quiz.push_str("[[question.option]]\ntext = \"same\"\ncorrect = true\nwhy = \"w\"\n");
    }
    write_book(dir.path(), &quiz);
    let (ok, err) = check(&dir.path().join("book"));
    assert!(!ok);
    assert!(
        err.contains("big.toml:12:1: error: option `same` appears twice"),
        "{err}"
    );
    assert!(
        err.contains("big.toml: … and 49,949 more errors in this file"),
        "{err}"
    );
}

#[test]
fn a_bank_of_many_long_prompts_stops_the_near_duplicate_check_and_says_where() {
    // 2,100 prompts of 12 distinct words: about 2.2 million pairs, over the lint's 2,000,000
    // (course-model lint::MAX_NEAR_COMPARISONS), so `check` stays bounded and says so
    let mut s = String::from("id = \"big\"\ntitle = \"A big quiz\"\n");
    for n in 1..=2_100u64 {
        let words: Vec<String> = (0..12u64)
            .map(|k| format!("w{}", (n * 7_919 + k * 104_729) % 50_000))
            .collect();
        write!(
            s,
            "\n[[question]]\nid = \"big-{n}\"\ntype = \"true-false\"\nprompt = \"{}.\"\nanswer = true\nexplanation = \"E{n}.\"\n",
            words.join(" ")
        )
        .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    write_book(dir.path(), &s);
    let (ok, err) = check(&dir.path().join("book"));
    assert!(ok, "{}", &err[err.len().saturating_sub(2000)..]);
    assert!(
        err.contains("the book-wide check for nearly repeated prompts stopped here, after 2000000 comparisons"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
}
