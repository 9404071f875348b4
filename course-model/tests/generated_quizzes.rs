//! Quiz files generated from the documented grammar with extreme values (huge counts and
//! numbers, odd Unicode, deep nesting, very long strings, cut-off files): reading them never
//! panics, and every diagnostic names a line and column inside the file.
//!
//! The seed is fixed so a failure reproduces; 40 cases take about 4 s in a debug build.
//! `PROPTEST_CASES=5000` runs longer and
//! `PROPTEST_RNG_SEED=<n>` explores other files.

use course_model::{check_book, parse_quiz_file, Diagnostic};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Characters that have broken parsers and readers: bidi controls, zero-width and combining
/// marks, a BOM, wide and astral characters, line breaks and quotes.
const ODD: &[char] = &[
    '\u{202E}',
    '\u{2066}',
    '\u{200B}',
    '\u{200D}',
    '\u{FEFF}',
    '\u{0301}',
    'é',
    'ｑ',
    '🦀',
    '\u{10FFFF}',
    '\r',
    '\n',
    '\t',
    '"',
    '\\',
    '\'',
    '\u{7F}',
    '\u{0}',
    'a',
    ' ',
    '.',
    '=',
    '[',
];

const KEYS: &[&str] = &[
    "id",
    "title",
    "pass_mark",
    "layout",
    "shuffle_options",
    "shuffle_questions",
    "draw",
    "parts",
    "type",
    "prompt",
    "code",
    "code_lang",
    "explanation",
    "hint",
    "objective",
    "part",
    "answer",
    "why_true",
    "why_false",
    "answers",
    "case_sensitive",
    "pattern",
    "input",
    "tolerance",
    "min",
    "max",
    "unit",
    "items",
    "partial_credit",
    "distractors",
    "text",
    "correct",
    "why",
    "left",
    "right",
    "questions",
    "context",
    "multipart",
];

const TYPES: &[&str] = &[
    "single",
    "multiple",
    "true-false",
    "short",
    "numeric",
    "ordering",
    "matching",
    "MultipleChoice",
    "ShortAnswer",
    "Tracing",
    "singel",
];

fn odd_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ODD), 0..40).prop_map(|cs| cs.into_iter().collect())
}

/// A TOML string value, well-formed or not; `long` allows strings of up to 300,000 characters.
fn string_value(long: bool) -> impl Strategy<Value = String> {
    let max_len = if long { 300_000 } else { 2 };
    let escaped = |s: String| s.replace('\\', "\\\\").replace('"', "\\\"");
    prop_oneof![
        4 => "[a-z0-9 -]{0,12}".prop_map(|s| format!("\"{s}\"")),
        3 => odd_text().prop_map(move |s| format!("\"{}\"", escaped(s))),
        1 => odd_text().prop_map(|s| format!("\"{s}\"")),
        1 => odd_text().prop_map(|s| format!("\"\"\"{s}\"\"\"")),
        1 => odd_text().prop_map(|s| format!("'''{s}")),
        1 => odd_text().prop_map(|s| format!("\"\"\"{s}")),
        1 => (1usize..max_len).prop_map(|n| format!("\"{}\"", "x".repeat(n))),
        1 => prop::sample::select(TYPES).prop_map(|t| format!("\"{t}\"")),
        1 => Just("\"\\u202E\\u200B\"".to_owned()),
    ]
}

/// Any TOML value, including numbers at the edges and deep nesting.
fn value(long: bool) -> impl Strategy<Value = String> {
    prop_oneof![
        5 => string_value(long),
        1 => prop::sample::select(&[
            "0", "-1", "101", "9223372036854775807", "-9223372036854775808",
            "99999999999999999999", "1e308", "-1e309", "nan", "-inf", "+inf", "0x7fffffffffffffff",
            "1979-05-27T07:32:00Z", "true", "false", "-0.0", "5e-324",
        ][..]).prop_map(str::to_owned),
        1 => prop::collection::vec(string_value(false), 0..8)
            .prop_map(|v| format!("[{}]", v.join(", "))),
        1 => (0usize..200).prop_map(|d| format!("{}1{}", "[".repeat(d), "]".repeat(d))),
        1 => (0usize..200).prop_map(|d| format!("{}1{}", "{a = ".repeat(d), "}".repeat(d))),
    ]
}

/// A key: one of the grammar's, a random or odd one, or a deep dotted path.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => "[a-z_]{1,10}",
        1 => odd_text().prop_map(|s| format!("\"{}\"", s.replace(['\\', '"', '\n', '\r'], ""))),
        1 => (1usize..130).prop_map(|d| vec!["k"; d].join(".")),
    ]
}

/// `key = value` lines; `long` as for [`string_value`].
fn lines(max: usize, long: bool) -> impl Strategy<Value = String> {
    prop::collection::vec((key(), value(long)), 0..max).prop_map(|kv| {
        kv.into_iter()
            .map(|(k, v)| format!("{k} = {v}\n"))
            .collect::<String>()
    })
}

/// A table header of the grammar, an odd one or a deep one.
fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just("[[question]]".to_owned()),
        3 => Just("[[question.option]]".to_owned()),
        1 => Just("[[question.pair]]".to_owned()),
        1 => Just("[[questions]]".to_owned()),
        1 => Just("[parts]".to_owned()),
        1 => Just("[question]".to_owned()),
        1 => (1usize..130).prop_map(|d| format!("[{}]", vec!["t"; d].join("."))),
        1 => (1usize..130).prop_map(|d| format!("[[{}]]", vec!["question"; d].join("."))),
    ]
}

/// A `[header]` and its keys.
fn section() -> impl Strategy<Value = String> {
    (header(), lines(10, false)).prop_map(|(h, body)| format!("\n{h}\n{body}"))
}

/// One key holding an array of up to 50,000 equal strings (options, items, answers).
fn huge_array() -> impl Strategy<Value = String> {
    (key(), string_value(false), 0usize..50_000)
        .prop_map(|(k, s, n)| format!("{k} = [{}]\n", vec![s; n].join(", ")))
}

/// A whole file: top-level keys, sometimes a huge array, sections, sometimes thousands of
/// copies of one section, and sometimes cut at an arbitrary character.
fn quiz_file() -> impl Strategy<Value = String> {
    (
        (lines(6, true), prop::option::weighted(0.1, huge_array())),
        prop::collection::vec(section(), 0..20),
        (section(), prop_oneof![9 => 0usize..3, 1 => 0usize..5000]),
        prop::option::of(0.0f64..1.0),
    )
        .prop_map(|((top, huge), sections, (repeated, copies), cut)| {
            let mut file = top;
            file.push_str(&huge.unwrap_or_default());
            for s in sections {
                file.push_str(&s);
            }
            file.push_str(&repeated.repeat(copies));
            if let Some(fraction) = cut {
                let mut at = (file.len() as f64 * fraction) as usize;
                while !file.is_char_boundary(at) {
                    at -= 1;
                }
                file.truncate(at);
            }
            file
        })
}

/// Panics unless `d` names a character of the file, or the end of one of its lines;
/// `line_chars` holds the length in characters of each line.
fn assert_inside(line_chars: &[usize], d: &Diagnostic) {
    let len = line_chars.get(d.line.wrapping_sub(1));
    let ok = len.is_some_and(|&n| d.col >= 1 && d.col <= n + 1);
    assert!(
        ok,
        "{}:{} is outside the file ({} lines): {}",
        d.line,
        d.col,
        line_chars.len(),
        d.message
    );
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(17);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_quizzes_never_panic_and_every_diagnostic_is_inside_the_file(source in quiz_file()) {
        let parsed = parse_quiz_file("gen.toml", "gen", &source);
        let line_chars: Vec<usize> = source.split('\n').map(|l| l.chars().count()).collect();
        for d in &parsed.diagnostics {
            assert_inside(&line_chars, d);
        }
        if let Some(quiz) = parsed.quiz {
            let twice = [
                ("a.toml".to_owned(), source.clone(), quiz.clone()),
                ("b.toml".to_owned(), source.clone(), quiz),
            ];
            for d in check_book(&twice) {
                assert_inside(&line_chars, &d);
            }
        }
    }
}
