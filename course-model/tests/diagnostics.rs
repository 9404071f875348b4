//! Every validation error and warning, data-driven: a bad file and the exact diagnostics it gives.

use course_model::parse_quiz_file;

/// Parses `source` as `q.toml` and compares every diagnostic, as printed, with `expected`.
fn check(source: &str, expected: &[&str]) {
    let parsed = parse_quiz_file("q.toml", "q", source);
    let actual: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
    let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        actual,
        expected,
        "\n--- actual ---\n{}\n",
        actual.join("\n")
    );
    let has_error = parsed.diagnostics.iter().any(|d| d.is_error());
    assert_eq!(
        parsed.quiz.is_some(),
        !has_error,
        "a quiz is returned exactly when there is no error"
    );
}

const HEAD: &str = "id = \"quiz\"\ntitle = \"T\"\n";

/// A valid single-choice question with explanation and whys, to which cases append keys.
fn single(extra: &str) -> String {
    format!(
        "{HEAD}\n[[question]]\nid = \"q1\"\ntype = \"single\"\nprompt = \"P\"\nexplanation = \"E\"\n{extra}\n\
         [[question.option]]\ntext = \"a\"\ncorrect = true\nwhy = \"w\"\n\n\
         [[question.option]]\ntext = \"b\"\nwhy = \"w\"\n"
    )
}

/// A question of `kind` with explanation and the given type-specific lines.
fn question(kind: &str, body: &str) -> String {
    format!("{HEAD}\n[[question]]\nid = \"q1\"\ntype = \"{kind}\"\nprompt = \"P\"\nexplanation = \"E\"\n{body}\n")
}

#[test]
fn a_valid_quiz_has_no_diagnostics() {
    check(&single(""), &[]);
}

#[test]
fn toml_syntax_errors_are_all_reported_with_positions() {
    check(
        "id = \"quiz\ntitle = \"T\"\nx = [1,\n",
        &[
            "q.toml:1:11: error: TOML syntax: invalid basic string, expected `\"`\n  help: close the string with `\"`; for text over several lines use `\"\"\"...\"\"\"`",
            "q.toml:3:8: error: TOML syntax: unclosed array, expected `]`\n  help: separate array items with commas and close the array with `]`",
        ],
    );
}

#[test]
fn duplicate_toml_keys_are_a_syntax_error() {
    check(
        "id = \"a\"\nid = \"b\"\n",
        &[
            "q.toml:2:1: error: TOML syntax: duplicate key\n  help: a key may appear only once per table; remove or rename one",
        ],
    );
}

#[test]
fn an_unknown_quiz_key_suggests_the_closest_key() {
    check(
        &format!("pass-mark = 50\n{}", single("")),
        &[
            "q.toml:1:1: error: unknown key `pass-mark` in the quiz\n  help: did you mean `pass_mark`?",
        ],
    );
}

#[test]
fn an_unknown_question_key_suggests_the_closest_key() {
    check(
        &single("promt = \"x\""),
        &[
            "q.toml:9:1: error: unknown key `promt` in a `single` question\n  help: did you mean `prompt`?",
        ],
    );
}

#[test]
fn an_unknown_key_without_a_close_match_lists_the_allowed_keys() {
    check(
        &single("colour = \"red\""),
        &[
            "q.toml:9:1: error: unknown key `colour` in a `single` question\n  help: keys allowed here: `id`, `type`, `prompt`, `code`, `code_lang`, `explanation`, `hint`, `objective`, `pool`, `lint_allow`, `part`, `option`, `shuffle_options`",
        ],
    );
}

#[test]
fn a_key_of_another_question_type_is_named_as_such() {
    check(
        &single("answers = [\"x\"]"),
        &[
            "q.toml:9:1: error: `answers` does not apply to a `single` question\n  help: `answers` belongs to `short` questions; remove it or change `type`",
        ],
    );
}

#[test]
fn an_unknown_option_key_is_reported_in_the_option() {
    check(
        &single("").replace("text = \"b\"", "txt = \"b\""),
        &[
            "q.toml:15:1: error: missing required key `text` in an option\n  help: add it: write `text = \"...\"`, with quotes",
            "q.toml:16:1: error: unknown key `txt` in an option\n  help: did you mean `text`?",
        ],
    );
}

#[test]
fn missing_required_keys_are_each_reported_at_their_table() {
    check(
        "[[question]]\ntype = \"true-false\"\nanswer = true\nexplanation = \"E\"\n",
        &[
            "q.toml:1:1: error: missing required key `id` in the quiz\n  help: add it: write `id = \"...\"`, with quotes",
            "q.toml:1:1: error: missing required key `title` in the quiz\n  help: add it: write `title = \"...\"`, with quotes",
            "q.toml:1:1: error: missing required key `id` in a question\n  help: add it: write `id = \"...\"`, with quotes",
            "q.toml:1:1: error: missing required key `prompt` in a question\n  help: add it: write `prompt = \"...\"`, with quotes",
        ],
    );
}

#[test]
fn wrong_types_say_what_was_expected_and_how_to_write_it() {
    check(
        &single("hint = 3").replace("correct = true", "correct = \"yes\""),
        &[
            "q.toml:9:8: error: `hint` must be a string, found a whole number\n  help: write `hint = \"...\"`, with quotes",
            "q.toml:12:11: error: `correct` must be a boolean, found a string\n  help: write `correct = true` or `correct = false`, without quotes",
        ],
    );
}

#[test]
fn an_unknown_question_type_suggests_the_closest_type() {
    check(
        &question("singel", ""),
        &[
            "q.toml:6:8: error: unknown question type `singel`\n  help: did you mean `single`? Allowed: `single`, `multiple`, `true-false`, `short`, `numeric`, `ordering`, `matching`",
        ],
    );
}

#[test]
fn an_unknown_layout_suggests_the_closest_layout() {
    check(
        &format!("layout = \"al\"\n{}", single("")),
        &[
            "q.toml:1:10: error: unknown layout `al`\n  help: did you mean `all`? Allowed: `one-at-a-time`, `all`",
        ],
    );
}

#[test]
fn pass_mark_above_100_is_rejected() {
    check(
        &format!("pass_mark = 120\n{}", single("")),
        &[
            "q.toml:1:13: error: `pass_mark` must be between 0 and 100, found 120\n  help: it is the percentage of the total score needed to pass",
        ],
    );
}

#[test]
fn a_quiz_without_questions_is_an_empty_pool() {
    check(
        HEAD,
        &[
            "q.toml:1:1: error: the quiz has no questions\n  help: add at least one `[[question]]` section",
        ],
    );
}

#[test]
fn draw_larger_than_the_pool_is_rejected() {
    check(
        &format!("draw = 3\n{}", single("")),
        &[
            "q.toml:1:8: error: `draw = 3` but the quiz has only 1 question\n  help: lower `draw` to at most 1, or add questions to the pool",
        ],
    );
}

#[test]
fn draw_zero_is_rejected() {
    check(
        &format!("draw = 0\n{}", single("")),
        &[
            "q.toml:1:8: error: `draw` must be at least 1, found 0\n  help: remove `draw` to ask every question",
        ],
    );
}

#[test]
fn duplicate_question_ids_in_a_file_point_at_the_second_and_name_the_first() {
    check(
        &format!("{}{}", single(""), single("").replace(HEAD, "")),
        &[
            "q.toml:20:6: error: duplicate question id `q1`\n  help: first used at line 5; ids must be unique across the whole book",
        ],
    );
}

#[test]
fn single_without_a_correct_option_is_rejected() {
    check(
        &single("").replace("correct = true\n", ""),
        &[
            "q.toml:4:1: error: no option is marked correct\n  help: mark the right option with `correct = true`",
        ],
    );
}

#[test]
fn single_with_two_correct_options_is_rejected() {
    check(
        &single("").replace("text = \"b\"", "text = \"b\"\ncorrect = true"),
        &[
            "q.toml:15:1: error: a `single` question has 2 correct options\n  help: keep `correct = true` on one option, or use `type = \"multiple\"` for several right answers",
        ],
    );
}

#[test]
fn an_option_both_correct_and_wrong_is_rejected() {
    check(
        &single("").replace("text = \"b\"", "text = \"a\""),
        &[
            "q.toml:15:1: error: option `a` is both a correct and a wrong option\n  help: the same text is at line 10 with the other `correct` value; remove one",
        ],
    );
}

#[test]
fn a_repeated_wrong_option_is_rejected() {
    check(
        &format!("{}\n[[question.option]]\ntext = \"b\"\nwhy = \"w\"\n", single("")),
        &[
            "q.toml:19:1: error: option `b` appears twice\n  help: first at line 15; remove one of them",
        ],
    );
}

#[test]
fn a_choice_question_needs_two_options() {
    check(
        &question("multiple", "[[question.option]]\ntext = \"a\"\ncorrect = true\nwhy = \"w\"\n"),
        &[
            "q.toml:4:1: error: a `multiple` question needs at least two options, found 1\n  help: add `[[question.option]]` sections, each with `text` (and `correct = true` on the right ones)",
        ],
    );
}

#[test]
fn multiple_without_a_correct_option_is_rejected() {
    check(
        &question("multiple", "partial_credit = true\n[[question.option]]\ntext = \"a\"\nwhy = \"w\"\n[[question.option]]\ntext = \"b\"\nwhy = \"w\"\n"),
        &[
            "q.toml:4:1: error: no option is marked correct\n  help: mark each right option with `correct = true`",
        ],
    );
}

#[test]
fn numeric_min_greater_than_max_is_rejected() {
    check(
        &question("numeric", "min = 10\nmax = 5"),
        &["q.toml:9:7: error: `min` (10) is greater than `max` (5)\n  help: swap the two values"],
    );
}

#[test]
fn numeric_min_without_max_is_rejected() {
    check(
        &question("numeric", "min = 10"),
        &[
            "q.toml:9:7: error: `min` needs `max` too\n  help: give both ends of the accepted range",
        ],
    );
}

#[test]
fn numeric_without_answer_or_range_is_rejected() {
    check(
        &question("numeric", "unit = \"ms\""),
        &[
            "q.toml:4:1: error: a `numeric` question needs `answer`, or `min` and `max`\n  help: write `answer = 42` (optionally with `tolerance = 0.5`), or `min = 40` and `max = 44`",
        ],
    );
}

#[test]
fn numeric_negative_tolerance_and_tolerance_with_range_are_rejected() {
    check(
        &question("numeric", "answer = 5\ntolerance = -1\nmin = 1\nmax = 9"),
        &[
            "q.toml:10:13: error: `tolerance` must not be negative\n  help: write the accepted distance from `answer` as a positive number",
            "q.toml:10:13: error: `tolerance` cannot be combined with `min`/`max`\n  help: use either `answer` with `tolerance`, or a range with `min` and `max`",
        ],
    );
}

#[test]
fn numeric_answer_outside_its_range_is_rejected() {
    check(
        &question("numeric", "answer = 12\nmin = 1\nmax = 9"),
        &[
            "q.toml:9:10: error: `answer` (12) is outside `min`..`max` (1 to 9)\n  help: the answer shown in review must itself be accepted; fix `answer` or the range",
        ],
    );
}

#[test]
fn numeric_values_must_be_finite() {
    check(
        &question("numeric", "answer = nan"),
        &[
            "q.toml:9:10: error: `answer` must be a finite number\n  help: write a number without quotes, e.g. `answer = 2.5`",
        ],
    );
}

#[test]
fn short_needs_answers_or_a_pattern() {
    check(
        &question("short", "case_sensitive = true"),
        &[
            "q.toml:4:1: error: a `short` question needs `answers` or a `pattern`\n  help: add `answers = [\"...\"]` listing every accepted answer",
        ],
    );
}

#[test]
fn short_with_an_invalid_pattern_is_rejected() {
    check(
        &question("short", "pattern = \"(ab\""),
        &[
            "q.toml:9:11: error: `pattern` is not a valid regular expression: found open group without closing ')'\n  help: use regex-lite syntax (like Rust's `regex`), e.g. `pattern = '''\\d+\\s*ms'''`; it must match the whole answer",
        ],
    );
}

#[test]
fn short_with_a_pattern_browsers_cannot_run_is_rejected() {
    let help = "\n  help: the player matches with the browser's RegExp: use `case_sensitive` instead of inline flags and plain `(...)` groups; no anchors are needed (the pattern must match the whole answer)";
    for (pattern, construct) in [
        ("(?i)ms", "an inline flag such as `(?i)`"),
        ("(?P<n>\\\\d+)", "a `(?P<name>...)` group"),
        ("\\\\Ad+", "a `\\A` or `\\z` anchor"),
    ] {
        check(
            &question("short", &format!("pattern = \"{pattern}\"")),
            &[&format!(
                "q.toml:9:11: error: `pattern` uses {construct}, which browsers' regular expressions do not support{help}"
            )],
        );
    }
    // Groups, named groups and escapes both engines share are fine.
    check(
        &question("short", "pattern = \"(?:a|b)(?<n>c)\\\\(x\\\\)\""),
        &[],
    );
}

#[test]
fn short_with_an_unknown_input_suggests_the_closest() {
    check(
        &question("short", "answers = [\"x\"]\ninput = \"lines\""),
        &[
            "q.toml:10:9: error: unknown input `lines`\n  help: did you mean `line`? Allowed: `line`, `text`, `code`",
        ],
    );
}

#[test]
fn short_answers_equal_after_normalisation_are_a_warning() {
    check(
        &question("short", "answers = [\"Cold  start\", \"cold start\"]"),
        &[
            "q.toml:9:27: warning: accepted answer `cold start` repeats `Cold start`
  help: answers are compared ignoring case and extra spaces; remove one",
        ],
    );
}

#[test]
fn ordering_items_duplicated_are_rejected() {
    check(
        &question("ordering", "items = [\"Init\", \"Invoke\", \"Init\"]"),
        &[
            "q.toml:9:28: error: item `Init` appears twice in `items`\n  help: first at line 9; every item must be distinct so the order is unambiguous",
        ],
    );
}

#[test]
fn ordering_needs_two_items() {
    check(
        &question("ordering", "items = [\"Init\"]"),
        &[
            "q.toml:4:1: error: an `ordering` question needs at least two items, found 1\n  help: list the items in the correct order: `items = [\"first\", \"second\", ...]`",
        ],
    );
}

#[test]
fn ordering_items_must_be_strings() {
    check(
        &question("ordering", "items = [\"Init\", 2]"),
        &[
            "q.toml:9:18: error: items of `items` must be strings, found a whole number\n  help: put each item in quotes",
        ],
    );
}

#[test]
fn matching_duplicates_and_a_correct_item_used_as_distractor_are_rejected() {
    check(
        &question("matching", "distractors = [\"Retried\", \"Dropped\", \"Dropped\"]\n[[question.pair]]\nleft = \"Sync\"\nright = \"Retried\"\n[[question.pair]]\nleft = \"Sync\"\nright = \"Retried\"\n"),
        &[
            "q.toml:9:16: error: distractor `Retried` is also the right item of a pair\n  help: the pair is at line 12; remove it from `distractors`: an item cannot both match and match nothing",
            "q.toml:9:38: error: distractor `Dropped` appears twice\n  help: first at line 9; remove one of them",
            "q.toml:14:8: error: left item `Sync` appears twice\n  help: first at line 11; each left item must be distinct",
            "q.toml:15:9: error: right item `Retried` appears twice\n  help: first at line 12; every right item must be distinct so each left item has one partner",
        ],
    );
}

#[test]
fn matching_needs_two_pairs() {
    check(
        &question("matching", "[[question.pair]]\nleft = \"Sync\"\nright = \"None\"\n"),
        &[
            "q.toml:4:1: error: a `matching` question needs at least two pairs, found 1\n  help: add `[[question.pair]]` sections, each with `left` and `right`",
        ],
    );
}

#[test]
fn true_false_needs_a_boolean_answer() {
    check(
        &question("true-false", "answer = \"true\""),
        &[
            "q.toml:9:10: error: `answer` must be a boolean, found a string\n  help: write `answer = true` or `answer = false`, without quotes",
        ],
    );
}

#[test]
fn an_empty_prompt_and_an_id_with_spaces_are_rejected() {
    check(
        &single("").replace("prompt = \"P\"", "prompt = \"  \"").replace("id = \"q1\"", "id = \"q 1\""),
        &[
            "q.toml:5:8: error: question id `q 1` has a space: an id may use only ASCII letters, digits, `-`, `_` and `.`\n  help: ids key saved progress and must read as what they are: write e.g. `ch02-sync-retries`",
            "q.toml:7:10: error: `prompt` is empty\n  help: write the question the learner must answer",
        ],
    );
}

#[test]
fn an_unknown_part_suggests_the_closest_part() {
    check(
        &format!("{}\n[parts]\nlogs = \"Given this log:\"\n", single("part = \"log\"")),
        &[
            "q.toml:9:8: error: unknown part `log`: `[parts]` does not define it\n  help: did you mean `logs`?",
        ],
    );
}

#[test]
fn a_question_without_explanation_and_options_without_why_are_warnings() {
    check(
        &single("").replace("explanation = \"E\"\n", "").replace("why = \"w\"\n", ""),
        &[
            "q.toml:4:1: warning: question `q1` has no `explanation`\n  help: add `explanation = \"...\"`: learners see it after checking, right or wrong",
            "q.toml:9:1: warning: 2 of 2 options have no `why`\n  help: add `why = \"...\"` to each option: learners see why it is right or wrong after checking",
        ],
    );
}

#[test]
fn code_lang_without_code_is_a_warning() {
    check(
        &single("code_lang = \"rust\""),
        &[
            "q.toml:9:13: warning: `code_lang` has no effect without `code`\n  help: add `code = '''...'''`, or remove `code_lang`",
        ],
    );
}

/// An mdbook-quiz MultipleChoice question with answer `A` and distractors `B`, `C`.
fn mc(extra: &str) -> String {
    format!(
        "[[questions]]\nid = \"m1\"\ntype = \"MultipleChoice\"\nprompt.prompt = \"P\"\n\
         prompt.distractors = [\"B\", \"C\"]\nanswer.answer = \"A\"\ncontext = \"c\"\n{extra}\n"
    )
}

/// An mdbook-quiz Tracing question of a three-line program.
fn tracing(answer: &str) -> String {
    format!(
        "[[questions]]\nid = \"t1\"\ntype = \"Tracing\"\nprompt.program = \"\"\"\nfn main() {{\n    let x = 1;\n}}\n\"\"\"\n\
         {answer}\ncontext = \"c\"\n"
    )
}

#[test]
fn mdbook_quiz_unknown_type_suggests_the_closest_type() {
    check(
        &mc("").replace("\"MultipleChoice\"", "\"MultipleChoise\""),
        &[
            "q.toml:3:8: error: unknown question type `MultipleChoise`\n  help: did you mean `MultipleChoice`? Allowed: `MultipleChoice`, `ShortAnswer`, `Tracing`",
        ],
    );
}

#[test]
fn mdbook_quiz_snake_case_key_suggests_the_camel_case_key() {
    check(
        &mc("prompt.answer_index = 1"),
        &[
            "q.toml:8:8: error: unknown key `answer_index` in the `prompt` of a `MultipleChoice` question\n  help: did you mean `answerIndex`?",
        ],
    );
}

#[test]
fn mdbook_quiz_answer_index_out_of_range_is_rejected() {
    check(
        &mc("prompt.answerIndex = 3"),
        &[
            "q.toml:8:22: error: `answerIndex` is 3, but there are only 3 options\n  help: use a position from 0 to 2 (0 is the first option)",
        ],
    );
}

#[test]
fn mdbook_quiz_answer_index_with_sort_answers_is_rejected() {
    check(
        &mc("prompt.answerIndex = 0\nprompt.sortAnswers = true"),
        &[
            "q.toml:9:22: error: `answerIndex` and `sortAnswers` cannot be used together\n  help: remove one: `answerIndex` fixes where the answer goes, `sortAnswers` sorts all options",
        ],
    );
}

#[test]
fn mdbook_quiz_correct_answer_also_a_distractor_is_rejected() {
    check(
        &mc("").replace("[\"B\", \"C\"]", "[\"B\", \"A\"]"),
        &[
            "q.toml:5:28: error: the correct answer `A` is also listed in `distractors`\n  help: remove it from `distractors`: an option cannot be both right and wrong",
        ],
    );
}

#[test]
fn mdbook_quiz_empty_answer_list_is_rejected() {
    check(
        &mc("").replace("answer.answer = \"A\"", "answer.answer = []"),
        &[
            "q.toml:6:17: error: `answer` lists no correct answer\n  help: list at least one correct answer",
        ],
    );
}

#[test]
fn mdbook_quiz_prompt_written_as_a_string_is_a_type_error() {
    check(
        "[[questions]]\nid = \"m1\"\ntype = \"ShortAnswer\"\nprompt = \"Ok\"\nanswer.answer = \"Yeah\"\ncontext = \"Hmm\"\n",
        &[
            "q.toml:4:10: error: `prompt` must be a table, found a string\n  help: write `prompt.<field> = ...` or a `[prompt]` section",
        ],
    );
}

#[test]
fn mdbook_quiz_key_of_another_type_is_named_as_such() {
    check(
        "[[questions]]\nid = \"m1\"\ntype = \"ShortAnswer\"\nprompt.prompt = \"Ok\"\nanswer.answer = \"Yeah\"\nanswer.doesCompile = true\ncontext = \"Hmm\"\n",
        &[
            "q.toml:6:8: error: `doesCompile` does not apply to the `answer` of a `ShortAnswer` question\n  help: `doesCompile` belongs to `Tracing` questions; remove it or change `type`",
        ],
    );
}

#[test]
fn mdbook_quiz_tracing_that_compiles_needs_stdout() {
    check(
        &tracing("answer.doesCompile = true"),
        &[
            "q.toml:9:1: error: `stdout` is missing: the program compiles, so learners must say what it prints\n  help: add `answer.stdout = \"...\"` with the program's exact output",
        ],
    );
}

#[test]
fn mdbook_quiz_tracing_line_number_past_the_program_is_rejected() {
    check(
        &tracing("answer.doesCompile = false\nanswer.lineNumber = 9"),
        &[
            "q.toml:10:21: error: `lineNumber` is 9, but the program has 3 lines\n  help: use a line from 1 to 3, counted from the program's first line",
        ],
    );
}

#[test]
fn mdbook_quiz_unknown_multipart_is_rejected() {
    check(
        &format!("[multipart]\na = \"ctx\"\n\n{}", mc("multipart = \"b\"")),
        &[
            "q.toml:11:13: error: unknown part `b`: `[multipart]` does not define it\n  help: define it under `[multipart]`: `b = \"...\"`",
        ],
    );
}

#[test]
fn mdbook_quiz_duplicate_ids_are_rejected() {
    check(
        &format!("{}{}", mc(""), mc("")),
        &[
            "q.toml:10:6: error: duplicate question id `m1`\n  help: first used at line 2; ids must be unique across the whole book",
        ],
    );
}

#[test]
fn mdbook_quiz_native_quiz_keys_are_unknown_there() {
    check(
        &format!("pass_mark = 50\n{}", mc("")),
        &[
            "q.toml:1:1: error: `pass_mark` does not apply to an mdbook-quiz file\n  help: this file is read as an mdbook-quiz file (it has `[[questions]]` and no `id` or `title`); for quiz settings, write a native quiz with `id`, `title` and `[[question]]` sections",
        ],
    );
}

#[test]
fn mdbook_quiz_missing_context_is_a_warning() {
    check(
        &mc("").replace("context = \"c\"\n", ""),
        &[
            "q.toml:1:1: warning: question `m1` has no `context`\n  help: add `context = \"...\"`: it is shown after checking, right or wrong",
        ],
    );
}

#[test]
fn a_single_bracket_question_table_asks_for_double_brackets() {
    check(
        "id = \"quiz\"\ntitle = \"T\"\n[question]\nid = \"q1\"\n",
        &["q.toml:3:1: error: `question` must be an array of tables, found a table\n  help: write each entry as a `[[question]]` section"],
    );
}

#[test]
fn diagnostics_serialise_to_json_for_editors() {
    let parsed = parse_quiz_file("q.toml", "q", &single("promt = \"x\""));
    let json = serde_json::to_value(&parsed.diagnostics[0]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "severity": "error", "file": "q.toml", "line": 9, "col": 1,
            "message": "unknown key `promt` in a `single` question", "hint": "did you mean `prompt`?"
        })
    );
}

#[test]
fn duplicate_ids_are_reported_even_when_the_questions_have_other_errors() {
    let broken = question("single", "").replace(HEAD, "");
    check(
        &format!("{}{broken}", question("single", "")),
        &[
            "q.toml:4:1: error: a `single` question needs at least two options, found 0\n  help: add `[[question.option]]` sections, each with `text` (and `correct = true` on the right ones)",
            "q.toml:11:1: error: a `single` question needs at least two options, found 0\n  help: add `[[question.option]]` sections, each with `text` (and `correct = true` on the right ones)",
            "q.toml:12:6: error: duplicate question id `q1`\n  help: first used at line 5; ids must be unique across the whole book",
        ],
    );
}

#[test]
fn mdbook_quiz_empty_questions_is_an_empty_pool() {
    check(
        "questions = []\n",
        &["q.toml:1:1: error: the quiz has no questions\n  help: add at least one `[[questions]]` section"],
    );
}

#[test]
fn short_with_a_pattern_that_can_backtrack_catastrophically_is_rejected() {
    let help = "\n  help: repeat single characters or classes only, e.g. `(ab)+` or `[a-z]+`, not `(a+)+` or `(a|ab)*`; or list the accepted answers in `answers`";
    for (pattern, construct) in [
        ("(a+)+", "a group that holds a repetition"),
        ("(a*)*b", "a group that holds a repetition"),
        ("x(\\\\s*y)*", "a group that holds a repetition"),
        ("((ab)+c){2,}", "a group that holds a repetition"),
        ("(a|ab)*", "a group of alternatives"),
        ("(?:a|a)+$", "a group of alternatives"),
    ] {
        check(
            &question("short", &format!("pattern = \"{pattern}\"")),
            &[&format!(
                "q.toml:9:11: error: `pattern` repeats {construct}: the browser's RegExp backtracks, and a typed answer could freeze the page for minutes{help}"
            )],
        );
    }
    // plain repeated groups, bounded repeats of any group, and repeats inside a class are fine
    for pattern in [
        "(ab)+",
        "212(\\\\.43)?\\\\s*ms",
        "(lambda\\\\.)?TooMany",
        "(a+){3}",
        "[(a+)]+",
        "\\\\(a+\\\\)+",
    ] {
        check(&question("short", &format!("pattern = \"{pattern}\"")), &[]);
    }
}

#[test]
fn short_with_an_accepted_answer_past_the_length_cap_is_rejected() {
    let long = "x".repeat(course_model::MAX_ANSWER_CHARS + 1);
    check(
        &question("short", &format!("answers = [\"{long}\"]")),
        &["q.toml:9:12: error: this accepted answer is 201 characters long: a typed answer longer than 200 is graded wrong\n  help: shorten it; a short answer is a word or a phrase"],
    );
}
