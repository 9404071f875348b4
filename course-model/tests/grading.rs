//! Grading of every question type: right, wrong, partial, and malformed answers.

use course_model::{grade, parse_quiz, Answer, Grade, Mark, Note, Question};

/// The one question of a quiz whose only question has `kind` and the given type-specific lines.
fn q(kind: &str, body: &str) -> Question {
    let src = format!(
        "id = \"quiz\"\ntitle = \"T\"\n[[question]]\nid = \"q1\"\ntype = \"{kind}\"\nprompt = \"P\"\nexplanation = \"E\"\n{body}\n"
    );
    let quiz = parse_quiz("q.toml", &src).unwrap_or_else(|e| panic!("{e:#?}"));
    quiz.questions.into_iter().next().unwrap()
}

fn options(correct: &[bool]) -> String {
    correct
        .iter()
        .enumerate()
        .map(|(i, c)| format!("[[question.option]]\ntext = \"o{i}\"\ncorrect = {c}\nwhy = \"w\"\n"))
        .collect()
}

fn score(question: &Question, answer: Answer) -> (bool, f64) {
    let g = grade(question, &answer);
    (g.correct, g.score)
}

use Mark::{Missed, Right, Unchosen, Wrong};

#[test]
fn single_right_option_scores_one_and_marks_it_right() {
    let q = q("single", &options(&[false, true, false]));
    assert_eq!(
        grade(&q, &Answer::Single(1)),
        Grade {
            correct: true,
            score: 1.0,
            marks: vec![Unchosen, Right, Unchosen],
            note: None
        }
    );
}

#[test]
fn single_wrong_option_scores_zero_and_shows_the_missed_right_one() {
    let q = q("single", &options(&[false, true, false]));
    let g = grade(&q, &Answer::Single(2));
    assert_eq!((g.correct, g.score), (false, 0.0));
    assert_eq!(g.marks, [Unchosen, Missed, Wrong]);
}

#[test]
fn single_out_of_range_index_scores_zero_without_panicking() {
    let q = q("single", &options(&[true, false]));
    let g = grade(&q, &Answer::Single(7));
    assert_eq!(
        (g.correct, g.score, g.note),
        (false, 0.0, Some(Note::WrongShape))
    );
}

#[test]
fn multiple_all_or_nothing_needs_exactly_the_right_set() {
    let q = q("multiple", &options(&[true, false, true, false]));
    assert_eq!(score(&q, Answer::Multiple(vec![2, 0])), (true, 1.0));
    assert_eq!(score(&q, Answer::Multiple(vec![0])), (false, 0.0));
    assert_eq!(score(&q, Answer::Multiple(vec![0, 1, 2])), (false, 0.0));
    assert_eq!(
        grade(&q, &Answer::Multiple(vec![0, 1])).marks,
        [Right, Wrong, Missed, Unchosen]
    );
}

#[test]
fn multiple_partial_credit_is_right_picks_minus_wrong_picks_over_right_options() {
    let q = q(
        "multiple",
        &format!(
            "partial_credit = true\n{}",
            options(&[true, false, true, false])
        ),
    );
    assert_eq!(score(&q, Answer::Multiple(vec![0])), (false, 0.5));
    assert_eq!(score(&q, Answer::Multiple(vec![0, 2, 1])), (false, 0.5));
    assert_eq!(
        score(&q, Answer::Multiple(vec![0, 1, 2, 3])),
        (false, 0.0),
        "ticking every box earns nothing"
    );
    assert_eq!(
        score(&q, Answer::Multiple(vec![1, 3])),
        (false, 0.0),
        "never negative"
    );
    assert_eq!(score(&q, Answer::Multiple(vec![0, 2])), (true, 1.0));
}

#[test]
fn true_false_compares_the_verdict() {
    let q = q(
        "true-false",
        "answer = false\nwhy_true = \"t\"\nwhy_false = \"f\"",
    );
    assert_eq!(score(&q, Answer::TrueFalse(false)), (true, 1.0));
    assert_eq!(score(&q, Answer::TrueFalse(true)), (false, 0.0));
}

#[test]
fn short_answers_ignore_case_and_whitespace_by_default() {
    let q = q("short", "answers = [\"cold start\", \"cold-start\"]");
    for typed in [
        "cold start",
        "  Cold   START ",
        "cold-start",
        "cold\tstart\n",
    ] {
        assert!(grade(&q, &Answer::Short(typed.into())).correct, "{typed:?}");
    }
    for typed in ["coldstart", "a cold start", "", "   "] {
        assert_eq!(
            score(&q, Answer::Short(typed.into())),
            (false, 0.0),
            "{typed:?}"
        );
    }
}

#[test]
fn short_case_sensitive_answers_keep_case_but_still_normalise_whitespace() {
    let q = q("short", "answers = [\"Handler\"]\ncase_sensitive = true");
    assert!(grade(&q, &Answer::Short(" Handler ".into())).correct);
    assert!(!grade(&q, &Answer::Short("handler".into())).correct);
}

#[test]
fn short_pattern_must_match_the_whole_answer() {
    let q = q("short", "pattern = '''\\d+\\s*ms'''");
    assert!(grade(&q, &Answer::Short("120 ms".into())).correct);
    assert!(
        grade(&q, &Answer::Short("120MS".into())).correct,
        "case-insensitive by default"
    );
    assert!(
        !grade(&q, &Answer::Short("about 120 ms".into())).correct,
        "anchored at the start"
    );
    assert!(
        !grade(&q, &Answer::Short("120 ms or so".into())).correct,
        "anchored at the end"
    );
}

#[test]
fn short_pattern_and_answers_are_alternatives() {
    let q = q("short", "answers = [\"none\"]\npattern = \"zero|0\"");
    assert!(grade(&q, &Answer::Short("None".into())).correct);
    assert!(grade(&q, &Answer::Short("0".into())).correct);
    assert!(!grade(&q, &Answer::Short("zero or none".into())).correct);
}

#[test]
fn numeric_tolerance_accepts_values_within_it_and_says_too_low_or_too_high() {
    let q = q("numeric", "answer = 100\ntolerance = 5\nunit = \"ms\"");
    for typed in ["100", "95", "105", "104.9 ms", " 101MS ", "1_00"] {
        assert!(
            grade(&q, &Answer::Numeric(typed.into())).correct,
            "{typed:?}"
        );
    }
    assert_eq!(
        grade(&q, &Answer::Numeric("94.9".into())).note,
        Some(Note::TooLow)
    );
    assert_eq!(
        grade(&q, &Answer::Numeric("106".into())).note,
        Some(Note::TooHigh)
    );
    assert_eq!(
        grade(&q, &Answer::Numeric("about 100".into())).note,
        Some(Note::NotANumber)
    );
    assert_eq!(
        grade(&q, &Answer::Numeric("100 s".into())).note,
        Some(Note::NotANumber)
    );
}

#[test]
fn numeric_exact_answers_forgive_float_rounding() {
    let q = q("numeric", "answer = 0.3");
    assert!(grade(&q, &Answer::Numeric(format!("{}", 0.1 + 0.2))).correct);
    assert!(!grade(&q, &Answer::Numeric("0.31".into())).correct);
}

#[test]
fn numeric_range_is_inclusive_and_accepts_thousands_separators() {
    let q = q("numeric", "min = 1000\nmax = 2000");
    assert!(grade(&q, &Answer::Numeric("1,000".into())).correct);
    assert!(grade(&q, &Answer::Numeric("2000".into())).correct);
    assert!(!grade(&q, &Answer::Numeric("2,000.5".into())).correct);
    assert_eq!(
        grade(&q, &Answer::Numeric("1,00".into())).note,
        Some(Note::NotANumber)
    );
}

#[test]
fn ordering_is_right_only_in_the_authored_order() {
    let q = q("ordering", "items = [\"Init\", \"Invoke\", \"Shutdown\"]");
    assert_eq!(score(&q, Answer::Ordering(vec![0, 1, 2])), (true, 1.0));
    let g = grade(&q, &Answer::Ordering(vec![1, 0, 2]));
    assert_eq!((g.correct, g.score), (false, 0.0));
    assert_eq!(
        g.marks,
        [Wrong, Wrong, Right],
        "per item: is it in its place?"
    );
}

#[test]
fn ordering_partial_credit_is_the_share_of_items_in_place() {
    let q = q(
        "ordering",
        "items = [\"a\", \"b\", \"c\", \"d\"]\npartial_credit = true",
    );
    assert_eq!(score(&q, Answer::Ordering(vec![0, 1, 3, 2])), (false, 0.5));
}

#[test]
fn an_ordering_that_is_not_a_permutation_scores_zero() {
    let q = q(
        "ordering",
        "items = [\"a\", \"b\", \"c\"]\npartial_credit = true",
    );
    for order in [vec![0, 0, 0], vec![0, 1], vec![0, 1, 2, 2], vec![0, 1, 5]] {
        let g = grade(&q, &Answer::Ordering(order.clone()));
        assert_eq!(
            (g.correct, g.score, g.note),
            (false, 0.0, Some(Note::WrongShape)),
            "{order:?}"
        );
    }
}

#[test]
fn matching_is_right_when_every_left_item_gets_its_partner() {
    let q = q(
        "matching",
        "distractors = [\"Never\"]\n[[question.pair]]\nleft = \"Sync\"\nright = \"Caller retries\"\n\
         [[question.pair]]\nleft = \"Async\"\nright = \"Twice\"\n",
    );
    assert_eq!(
        q.kind.matching_choices(),
        ["Caller retries", "Twice", "Never"]
    );
    assert_eq!(
        score(&q, Answer::Matching(vec![Some(0), Some(1)])),
        (true, 1.0)
    );
    let g = grade(&q, &Answer::Matching(vec![Some(2), None]));
    assert_eq!(
        (g.correct, g.score, g.marks.clone()),
        (false, 0.0, vec![Wrong, Missed])
    );
}

#[test]
fn matching_partial_credit_is_the_share_of_correct_pairs() {
    let q = q(
        "matching",
        "partial_credit = true\n[[question.pair]]\nleft = \"a\"\nright = \"1\"\n[[question.pair]]\nleft = \"b\"\nright = \"2\"\n\
         [[question.pair]]\nleft = \"c\"\nright = \"3\"\n[[question.pair]]\nleft = \"d\"\nright = \"4\"\n",
    );
    assert_eq!(
        score(
            &q,
            Answer::Matching(vec![Some(0), Some(1), Some(3), Some(2)])
        ),
        (false, 0.5)
    );
}

#[test]
fn an_answer_of_another_type_scores_zero() {
    let q = q("true-false", "answer = true");
    let g = grade(&q, &Answer::Single(0));
    assert_eq!(
        (g.correct, g.score, g.note),
        (false, 0.0, Some(Note::WrongShape))
    );
}

#[test]
fn answers_round_trip_through_json_tagged_by_type() {
    let answers = [
        (Answer::Single(1), r#"{"single":1}"#),
        (Answer::TrueFalse(true), r#"{"true-false":true}"#),
        (
            Answer::Matching(vec![Some(1), None]),
            r#"{"matching":[1,null]}"#,
        ),
    ];
    for (answer, json) in answers {
        assert_eq!(serde_json::to_string(&answer).unwrap(), json);
        assert_eq!(serde_json::from_str::<Answer>(json).unwrap(), answer);
    }
}

#[test]
fn numeric_answers_typed_with_their_unit_or_a_currency_sign_on_either_side_are_read_as_numbers() {
    let dollars = q("numeric", "answer = 8.73\ntolerance = 0.01\nunit = \"$\"");
    for typed in ["$8.73", "8.73 $", "8.73$", " $ 8.73 ", "8.73"] {
        assert!(
            grade(&dollars, &Answer::Numeric(typed.into())).correct,
            "{typed:?}"
        );
    }
    let megabytes = q("numeric", "answer = 1769\nunit = \"MB\"");
    for typed in ["1,769 MB", "1769mb", "1,769", "MB 1769"] {
        assert!(
            grade(&megabytes, &Answer::Numeric(typed.into())).correct,
            "{typed:?}"
        );
    }
    let cost = q("numeric", "answer = 8.73\ntolerance = 0.01\nunit = \"USD\"");
    assert!(grade(&cost, &Answer::Numeric("$8.73".into())).correct);
    for not_a_number in ["", "$", "eight", "0x10", "inf", "NaN", "1e999", "8.73 GB-s"] {
        assert_eq!(
            grade(&megabytes, &Answer::Numeric(not_a_number.into())).note,
            Some(Note::NotANumber),
            "{not_a_number:?}"
        );
    }
}

#[test]
fn short_answers_past_the_length_cap_are_wrong_without_matching() {
    // answers past the cap are wrong without any pattern running on them (in the browser too,
    // whose RegExp backtracks)
    let q = q("short", "pattern = \"a+\"");
    let typed = format!("{}b", "a".repeat(course_model::MAX_ANSWER_CHARS - 1));
    assert_eq!(score(&q, Answer::Short(typed)), (false, 0.0));
    assert_eq!(
        score(
            &q,
            Answer::Short("a".repeat(course_model::MAX_ANSWER_CHARS))
        ),
        (true, 1.0)
    );
    // one character past the cap: wrong without being matched
    assert_eq!(
        score(
            &q,
            Answer::Short("a".repeat(course_model::MAX_ANSWER_CHARS + 1))
        ),
        (false, 0.0)
    );
}
