//! `mdbook-course import --from gift`: the binary reads GIFT into a quiz that passes `check`,
//! reports what it cannot map with the line, stops on bad input with `file:line:col`, and the
//! course's own bank survives export to GIFT and back, every difference explained.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use course_model::{Question, QuestionKind, Quiz};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mdbook-course"))
}

/// Runs `mdbook-course ARGS`: exit code and stderr.
fn run(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let o = bin().args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn import(file: &Path, out: &Path) -> (i32, String) {
    run(&[
        "import".as_ref(),
        "--from".as_ref(),
        "gift".as_ref(),
        file.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ])
}

const BANK: &str = r#"// An old bank, written by hand.
$CATEGORY: $course$/top/Lambda basics

::Sync retries::Lambda retries a failed synchronous invocation. {FALSE#No\: the caller decides.#Right.}

::Log service::Where do logs go? {=CloudWatch =Amazon CloudWatch}

::Memory::[markdown]Which settings scale CPU? {
  =Memory#CPU grows with memory.
  ~Timeout#No.
  ####Lambda allocates CPU in proportion to memory.
}

::Even::Pick the even ones. {~%50%2 ~%50%4 ~%-100%5}

::Timeout::The maximum timeout, in seconds? {#900:0}

::Cold start::Range of a typical cold start in ms? {#100..1000}

::Phases::Match the phases. {=Init -> Code outside the handler =Invoke -> The handler =Shutdown -> Cleanup}

::Essay::Explain cold starts. {}
"#;

#[test]
fn a_gift_bank_imports_into_a_quiz_that_passes_check_with_what_was_lost_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bank.gift");
    std::fs::write(&bank, BANK).unwrap();
    let out = dir.path().join("quizzes/basics.toml");
    let (code, err) = import(&bank, &out);
    assert_eq!(code, 0, "{err}");
    let shown = bank.display().to_string();
    for want in [
        format!("not mapped: {shown}:22: question `Essay`: left out: an essay"),
        format!("not mapped: {shown}:14: question `Even`: the options' weights become our partial credit"),
    ] {
        assert!(err.contains(&want), "no {want:?} in:\n{err}");
    }
    assert!(err.contains("7 question(s)"), "{err}");
    let (code, check) = run(&["check".as_ref(), out.as_os_str()]);
    assert_eq!(code, 0, "the imported file passes check:\n{check}");
    let quiz = course_model::parse_quiz("basics.toml", &std::fs::read_to_string(&out).unwrap())
        .expect("parses");
    assert_eq!(quiz.id, "basics");
    assert_eq!(quiz.title, "Lambda basics");
    let kinds: Vec<(&str, &str)> = quiz
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.kind.name()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("sync-retries", "true-false"),
            ("log-service", "short"),
            ("memory", "single"),
            ("even", "multiple"),
            ("timeout", "numeric"),
            ("cold-start", "numeric"),
            ("phases", "matching"),
        ]
    );
    assert_eq!(
        quiz.questions[2].explanation.as_deref(),
        Some("Lambda allocates CPU in proportion to memory.")
    );
    assert_eq!(
        quiz.questions[5].kind.numeric_range(),
        Some((100.0, 1000.0))
    );
}

#[test]
fn bad_gift_stops_the_import_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bad.gift");
    std::fs::write(&bank, "::ok::Fine. {T}\n\n::broken::Never closed {=a ~b\n").unwrap();
    let out = dir.path().join("bad.toml");
    let (code, err) = import(&bank, &out);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "{}:3:24: the answers opened here with `{{` are never closed with `}}`",
            bank.display()
        )),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");
}

/// Every `.toml` quiz of the course's `content/quizzes`, by id.
fn course_quizzes(repo: &Path) -> BTreeMap<String, Quiz> {
    let mut quizzes = BTreeMap::new();
    let mut dirs = vec![repo.join("content/quizzes")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                let quiz = course_model::parse_quiz(&path.display().to_string(), &text)
                    .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
                quizzes.insert(quiz.id.clone(), quiz);
            }
        }
    }
    quizzes
}

/// The differences of `back` from `original` that a reader would notice, as (field, why).
fn differences(original: &Question, back: &Question) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    if original.kind.name() != back.kind.name() {
        found.push((
            "type",
            format!("{} became {}", original.kind.name(), back.kind.name()),
        ));
    }
    if original.hint.is_some() && back.hint.is_none() {
        found.push(("hint", "GIFT has no hints".to_owned()));
    }
    if original.explanation.is_some() != back.explanation.is_some() {
        found.push(("explanation", "general feedback lost".to_owned()));
    }
    match (&original.kind, &back.kind) {
        (
            QuestionKind::Single { options: a } | QuestionKind::Multiple { options: a, .. },
            QuestionKind::Single { options: b } | QuestionKind::Multiple { options: b, .. },
        ) => {
            let flags = |o: &[course_model::Choice]| -> Vec<(bool, bool)> {
                o.iter().map(|c| (c.correct, c.why.is_some())).collect()
            };
            if flags(a) != flags(b) {
                found.push((
                    "options",
                    "right options or their feedback differ".to_owned(),
                ));
            }
        }
        (
            QuestionKind::TrueFalse {
                answer: a,
                why_true: ta,
                why_false: fa,
            },
            QuestionKind::TrueFalse {
                answer: b,
                why_true: tb,
                why_false: fb,
            },
        ) if a != b || ta.is_some() != tb.is_some() || fa.is_some() != fb.is_some() => {
            found.push(("answer", "the answer or its feedback differs".to_owned()));
        }
        (
            QuestionKind::Short {
                answers: a,
                case_sensitive: ca,
                pattern: pa,
                ..
            },
            QuestionKind::Short {
                answers: b,
                case_sensitive: cb,
                pattern: pb,
                ..
            },
        ) => {
            if a != b {
                found.push(("answers", format!("{a:?} became {b:?}")));
            }
            if ca != cb {
                found.push(("case_sensitive", "GIFT cannot set it".to_owned()));
            }
            if pa != pb {
                found.push(("pattern", "GIFT has no patterns".to_owned()));
            }
        }
        (QuestionKind::Numeric { unit: ua, .. }, QuestionKind::Numeric { unit: ub, .. }) => {
            if original.kind.numeric_range() != back.kind.numeric_range() {
                found.push((
                    "range",
                    format!(
                        "{:?} became {:?}",
                        original.kind.numeric_range(),
                        back.kind.numeric_range()
                    ),
                ));
            }
            if ua != ub {
                found.push(("unit", "GIFT has no units".to_owned()));
            }
        }
        (
            QuestionKind::Matching {
                pairs: a,
                distractors: da,
                ..
            },
            QuestionKind::Matching {
                pairs: b,
                distractors: db,
                ..
            },
        ) => {
            if a.len() != b.len() {
                found.push(("pairs", format!("{} pairs became {}", a.len(), b.len())));
            }
            if da.len() != db.len() {
                found.push(("distractors", "GIFT matching has none".to_owned()));
            }
        }
        _ => {}
    }
    let partial = |k: &QuestionKind| match k {
        QuestionKind::Multiple { partial_credit, .. }
        | QuestionKind::Matching { partial_credit, .. } => Some(*partial_credit),
        _ => None,
    };
    if partial(&original.kind) != partial(&back.kind) {
        found.push((
            "partial_credit",
            "GIFT's multiple answers and matching give partial credit".to_owned(),
        ));
    }
    found
}

/// Export the course's bank to GIFT, import every file back, and compare each question with the
/// original: every difference must be one the export reported for that question (or, for
/// ordering questions, their being left out).
#[test]
fn the_course_bank_goes_to_gift_and_back_with_every_difference_reported_by_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = dir.path().join("gift");
    let (code, exported) = run(&[
        "export".as_ref(),
        "--format".as_ref(),
        "gift".as_ref(),
        repo.join("book").as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 0, "{exported}");
    let originals = course_quizzes(&repo);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut report = Vec::new();
    let (mut compared, mut same) = (0, 0);
    for file in files {
        let id = file.file_stem().unwrap().to_string_lossy().into_owned();
        let back_path = dir.path().join(format!("{id}.toml"));
        let (code, err) = import(&file, &back_path);
        assert_eq!(code, 0, "{}: {err}", file.display());
        let back = course_model::parse_quiz(
            &back_path.display().to_string(),
            &std::fs::read_to_string(&back_path).unwrap(),
        )
        .expect("the imported quiz passes check");
        let original = originals.get(&id).unwrap_or_else(|| panic!("no quiz {id}"));
        assert_eq!(
            back.title,
            original.title.replace('/', "-"),
            "the category gives the title"
        );
        for q in &original.questions {
            let reported = |what: &str| {
                exported
                    .lines()
                    .any(|l| l.contains(&format!("question `{}`: ", q.id)) && l.contains(what))
            };
            let Some(b) = back.questions.iter().find(|b| b.id == q.id) else {
                assert!(
                    reported("left out"),
                    "{}: lost without a report:\n{exported}",
                    q.id
                );
                report.push(format!("{}: left out by the export", q.id));
                continue;
            };
            compared += 1;
            let found = differences(q, b);
            if found.is_empty() {
                same += 1;
            }
            for (field, why) in found {
                // The words the export's report uses for each field.
                let words = match field {
                    "hint" => "`hint`",
                    "case_sensitive" => "`case_sensitive`",
                    "pattern" => "`pattern",
                    "unit" => "`unit",
                    "distractors" => "distractor",
                    "partial_credit" => "all-or-nothing",
                    other => panic!("{}: {other} differs ({why}) and nothing explains it", q.id),
                };
                assert!(
                    reported(words),
                    "{}: {field} differs ({why}) but the export did not report it:\n{exported}",
                    q.id
                );
                report.push(format!("{}: {field}: {why}", q.id));
            }
        }
    }
    println!(
        "{compared} questions compared, {same} the same; differences:\n{}",
        report.join("\n")
    );

    // The texts: the imported quizzes, exported to GIFT again, give the same GIFT, question by
    // question (prompts, options, feedback, answers), but for the header naming the source.
    let again = dir.path().join("again");
    std::fs::create_dir_all(again.join("src")).unwrap();
    std::fs::write(again.join("book.toml"), "[book]\ntitle = \"Again\"\n").unwrap();
    let mut summary = String::from("# Summary\n\n");
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let id = path.file_stem().unwrap().to_string_lossy().into_owned();
            std::fs::copy(&path, again.join("src").join(format!("{id}.toml"))).unwrap();
            std::fs::write(
                again.join("src").join(format!("{id}.md")),
                format!("# {id}\n\n{{{{#quiz {id}.toml}}}}\n"),
            )
            .unwrap();
            summary.push_str(&format!("- [{id}]({id}.md)\n"));
            ids.push(id);
        }
    }
    std::fs::write(again.join("src/SUMMARY.md"), summary).unwrap();
    let second = dir.path().join("gift-again");
    let (code, err) = run(&[
        "export".as_ref(),
        "--format".as_ref(),
        "gift".as_ref(),
        again.as_os_str(),
        "-o".as_ref(),
        second.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    let body = |path: PathBuf| {
        let text = std::fs::read_to_string(path).unwrap();
        text.split_once('\n').unwrap().1.to_owned()
    };
    assert_eq!(ids.len(), originals.len());
    for id in ids {
        let (first, second) = (
            body(out.join(format!("{id}.gift"))),
            body(second.join(format!("{id}.gift"))),
        );
        for (a, b) in first.split("\n\n").zip(second.split("\n\n")) {
            assert_eq!(a, b, "{id}: a question's GIFT differs after the round trip");
        }
        assert_eq!(first, second, "{id}");
    }
    assert!(compared > 100, "{compared}");
    assert!(same > compared / 2, "{same} of {compared} the same");
}
