//! Grading: one function that both the native tests and the browser app call.

use regex_lite::Regex;
use serde::{Deserialize, Serialize};

use crate::quiz::{Choice, Question, QuestionKind};

/// What a learner answered. Indices are in the question's authoring order, never the shuffled
/// display order, so saved answers survive a different shuffle.
///
/// In JSON, externally tagged (`{"single": 1}`): small to decode in the browser bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// The index of the chosen option.
    Single(usize),
    /// The indices of the chosen options, in any order.
    Multiple(Vec<usize>),
    /// The learner's verdict on the statement.
    TrueFalse(bool),
    /// The text typed, as typed.
    Short(String),
    /// The number typed, as typed (a unit after it is allowed); parsed when grading.
    Numeric(String),
    /// The learner's order: item indices, first to last.
    Ordering(Vec<usize>),
    /// For each pair's left item, in authoring order, the chosen index into
    /// [`QuestionKind::matching_choices`], or `None` if left unmatched.
    Matching(Vec<Option<usize>>),
}

/// How one option, item or pair fared, for per-option feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// Chosen (or placed, or matched) and right.
    Right,
    /// Chosen (or placed, or matched) and wrong.
    Wrong,
    /// Right, but not chosen (or a pair left unmatched).
    Missed,
    /// Neither chosen nor right: nothing to say.
    Unchosen,
}

/// Why a typed answer was not accepted, when more can be said than "wrong".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Note {
    /// The numeric input is not a number.
    NotANumber,
    /// The number is below the accepted range.
    TooLow,
    /// The number is above the accepted range.
    TooHigh,
    /// The answer does not have the shape this question expects (e.g. stale saved data).
    WrongShape,
}

/// The result of grading one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// Full marks.
    pub correct: bool,
    /// Between 0.0 and 1.0.
    pub score: f64,
    /// Per option (single, multiple), per item (ordering: whether it is in its place) or per pair
    /// (matching), in authoring order; empty for the other types.
    pub marks: Vec<Mark>,
    /// Extra feedback for typed answers.
    pub note: Option<Note>,
}

impl Grade {
    fn all_or_nothing(correct: bool) -> Grade {
        Grade {
            correct,
            score: if correct { 1.0 } else { 0.0 },
            marks: Vec::new(),
            note: None,
        }
    }

    fn with_note(correct: bool, note: Option<Note>) -> Grade {
        Grade {
            note,
            ..Grade::all_or_nothing(correct)
        }
    }
}

/// Grades `answer` against `question`. An answer of the wrong shape, or an index out of range,
/// scores zero instead of panicking: saved answers may be older than the question.
pub fn grade(question: &Question, answer: &Answer) -> Grade {
    grade_with(question, answer, &TextRules::NATIVE)
}

/// How short answers are compared: the two text operations that need large tables or an
/// engine. [`grade`] uses Rust's ([`TextRules::NATIVE`]); the quiz bundle passes the browser's
/// own lowercasing and regular expressions to [`grade_with`], which keeps a regex engine and the
/// Unicode case tables out of it.
#[derive(Debug, Clone, Copy)]
pub struct TextRules {
    /// Whether a short answer (already normalised, case kept) matches an author's pattern:
    /// `(pattern, case_sensitive, answer)`.
    pub matches: fn(&str, bool, &str) -> bool,
    /// Unicode lowercasing.
    pub lowercase: fn(&str) -> String,
    /// Plain decimal text (already checked to be digits, sign, point, exponent) as a number.
    pub number: fn(&str) -> Option<f64>,
}

impl TextRules {
    /// Patterns by [`pattern_regex`], lowercasing by [`str::to_lowercase`].
    pub const NATIVE: TextRules = TextRules {
        matches: regex_match,
        lowercase: str::to_lowercase,
        number: |s| s.parse().ok(),
    };
}

/// The longest typed short answer that is graded, in characters: a longer one is wrong without
/// any pattern running on it, natively and in the browser (whose `RegExp` backtracks: `check`
/// refuses patterns that repeat a group holding a repetition, and this bounds what is left).
pub const MAX_ANSWER_CHARS: usize = 200;

/// Matches with [`pattern_regex`]: what [`grade`] uses (regex-lite runs in linear time).
pub fn regex_match(pattern: &str, case_sensitive: bool, answer: &str) -> bool {
    pattern_regex(pattern, case_sensitive).is_ok_and(|re| re.is_match(answer))
}

/// [`grade`], with short answers compared by `rules`.
pub fn grade_with(question: &Question, answer: &Answer, rules: &TextRules) -> Grade {
    match (&question.kind, answer) {
        (QuestionKind::Single { options }, Answer::Single(i)) => choices(options, &[*i], false),
        (
            QuestionKind::Multiple {
                options,
                partial_credit,
            },
            Answer::Multiple(chosen),
        ) => choices(options, chosen, *partial_credit),
        (QuestionKind::TrueFalse { answer, .. }, Answer::TrueFalse(given)) => {
            Grade::all_or_nothing(answer == given)
        }
        (
            QuestionKind::Short {
                answers,
                case_sensitive,
                pattern,
                ..
            },
            Answer::Short(given),
        ) if given.chars().count() > MAX_ANSWER_CHARS => {
            // no author's answer is this long: wrong without running any pattern on it
            Grade::all_or_nothing(false)
        }
        (
            QuestionKind::Short {
                answers,
                case_sensitive,
                pattern,
                ..
            },
            Answer::Short(given),
        ) => {
            let norm = |text: &str| {
                let collapsed = collapse_whitespace(text);
                if *case_sensitive {
                    collapsed
                } else {
                    (rules.lowercase)(&collapsed)
                }
            };
            let typed = norm(given);
            let listed = answers.iter().any(|a| norm(a) == typed);
            let matched = pattern
                .as_deref()
                .is_some_and(|p| (rules.matches)(p, *case_sensitive, &collapse_whitespace(given)));
            Grade::all_or_nothing(!typed.is_empty() && (listed || matched))
        }
        (kind @ QuestionKind::Numeric { unit, .. }, Answer::Numeric(given)) => {
            let Some((lo, hi)) = kind.numeric_range() else {
                return Grade::with_note(false, Some(Note::WrongShape));
            };
            match parse_number_with(given, unit.as_deref(), rules.number) {
                None => Grade::with_note(false, Some(Note::NotANumber)),
                Some(x) => {
                    let slack = 1e-9 * lo.abs().max(hi.abs()).max(1.0);
                    let note = if x < lo - slack {
                        Some(Note::TooLow)
                    } else if x > hi + slack {
                        Some(Note::TooHigh)
                    } else {
                        None
                    };
                    Grade::with_note(note.is_none(), note)
                }
            }
        }
        (
            QuestionKind::Ordering {
                items,
                partial_credit,
            },
            Answer::Ordering(order),
        ) => {
            let mut marks = vec![Mark::Missed; items.len()];
            for (position, &item) in order.iter().enumerate() {
                if let Some(m) = marks.get_mut(item) {
                    *m = if item == position {
                        Mark::Right
                    } else {
                        Mark::Wrong
                    };
                }
            }
            if !is_permutation(order, items.len()) {
                return Grade {
                    marks,
                    ..Grade::with_note(false, Some(Note::WrongShape))
                };
            }
            partial_grade(marks, true, *partial_credit)
        }
        (
            QuestionKind::Matching {
                pairs,
                partial_credit,
                ..
            },
            Answer::Matching(chosen),
        ) => {
            let marks: Vec<Mark> = (0..pairs.len())
                .map(|i| match chosen.get(i).copied().flatten() {
                    None => Mark::Missed,
                    Some(c) if c == i => Mark::Right,
                    Some(_) => Mark::Wrong,
                })
                .collect();
            partial_grade(marks, chosen.len() == pairs.len(), *partial_credit)
        }
        _ => Grade::with_note(false, Some(Note::WrongShape)),
    }
}

fn choices(options: &[Choice], chosen: &[usize], partial_credit: bool) -> Grade {
    if chosen.iter().any(|&i| i >= options.len()) {
        return Grade::with_note(false, Some(Note::WrongShape));
    }
    let marks: Vec<Mark> = options
        .iter()
        .enumerate()
        .map(|(i, o)| match (chosen.contains(&i), o.correct) {
            (true, true) => Mark::Right,
            (true, false) => Mark::Wrong,
            (false, true) => Mark::Missed,
            (false, false) => Mark::Unchosen,
        })
        .collect();
    let correct = marks
        .iter()
        .all(|m| matches!(m, Mark::Right | Mark::Unchosen));
    let score = if correct {
        1.0
    } else if partial_credit {
        // Right picks minus wrong picks, over the number of right options: ticking every box
        // earns nothing.
        let count = |m: Mark| marks.iter().filter(|&&x| x == m).count() as f64;
        let right = count(Mark::Right) + count(Mark::Missed);
        ((count(Mark::Right) - count(Mark::Wrong)) / right.max(1.0)).max(0.0)
    } else {
        0.0
    };
    Grade {
        correct,
        score,
        marks,
        note: None,
    }
}

fn partial_grade(marks: Vec<Mark>, well_formed: bool, partial_credit: bool) -> Grade {
    let right = marks.iter().filter(|&&m| m == Mark::Right).count();
    let correct = well_formed && right == marks.len();
    let score = if correct {
        1.0
    } else if partial_credit && !marks.is_empty() {
        right as f64 / marks.len() as f64
    } else {
        0.0
    };
    Grade {
        correct,
        score,
        marks,
        note: None,
    }
}

fn is_permutation(order: &[usize], n: usize) -> bool {
    let mut seen = vec![false; n];
    order.len() == n
        && order
            .iter()
            .all(|&i| i < n && !std::mem::replace(&mut seen[i], true))
}

/// Trimmed, inner whitespace collapsed to one space.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A short answer as compared: trimmed, inner whitespace collapsed to one space, and lowercased
/// unless `case_sensitive`.
pub fn normalize_answer(text: &str, case_sensitive: bool) -> String {
    let collapsed = collapse_whitespace(text);
    if case_sensitive {
        collapsed
    } else {
        collapsed.to_lowercase()
    }
}

/// The compiled short-answer pattern: anchored so it must match the whole (normalised) answer,
/// case-insensitive unless `case_sensitive`.
pub fn pattern_regex(pattern: &str, case_sensitive: bool) -> Result<Regex, regex_lite::Error> {
    let flags = if case_sensitive { "" } else { "(?i)" };
    Regex::new(&format!("{flags}^(?:{pattern})$"))
}

/// Reads a typed number: surrounding spaces, `_` and thousands commas (`1,234.5`) are allowed,
/// and so is `unit` before or after it (`120 ms`, `$8.73`, `8.73 $`, any case) and a currency
/// sign (`$`, `€`, `£`) on either side. `None` when it is not a finite number: such an entry is
/// not graded (the player asks for a number and reveals nothing).
pub fn parse_number(text: &str, unit: Option<&str>) -> Option<f64> {
    parse_number_with(text, unit, |s| s.parse::<f64>().ok())
}

/// [`parse_number`] with the final conversion of plain digits given: the browser passes its own
/// `Number()`, which keeps Rust's float parser out of the quiz bundle.
pub fn parse_number_with(
    text: &str,
    unit: Option<&str>,
    to_f64: impl Fn(&str) -> Option<f64>,
) -> Option<f64> {
    let mut s = text.trim();
    if let Some(u) = unit.map(str::trim).filter(|u| !u.is_empty()) {
        s = strip_affix(s, u);
    }
    for sign in ["$", "€", "£"] {
        s = strip_affix(s, sign);
    }
    let s = s.replace('_', "");
    let s = if is_thousands_grouped(&s) {
        s.replace(',', "")
    } else {
        s
    };
    // Only what Rust's float syntax allows: digits, one sign, a point, an exponent (no hex, no
    // `Infinity`, no empty text, whatever the conversion would accept).
    let plain = !s.is_empty()
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    plain
        .then(|| to_f64(&s))
        .flatten()
        .filter(|x| x.is_finite())
}

/// `s` without `affix` at its start or its end (ASCII case ignored), trimmed again.
fn strip_affix<'a>(s: &'a str, affix: &str) -> &'a str {
    let n = affix.len();
    if s.len() > n
        && s.is_char_boundary(s.len() - n)
        && s[s.len() - n..].eq_ignore_ascii_case(affix)
    {
        return s[..s.len() - n].trim_end();
    }
    if s.len() > n && s.is_char_boundary(n) && s[..n].eq_ignore_ascii_case(affix) {
        return s[n..].trim_start();
    }
    s
}

/// `1,234` or `-12,345.6`: groups of three digits after the first comma-separated group.
fn is_thousands_grouped(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let whole = digits.split('.').next().unwrap_or("");
    let groups: Vec<&str> = whole.split(',').collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3)
}
