//! The item-writing lint: warnings about questions a test-wise learner can answer without knowing
//! the subject (the right option is the longest, select-all questions always have the same number
//! of right options, the hint gives the answer away, ...), each with the place and a fix.
//!
//! Pure: it reads the quizzes that parsed and their sources (for places and the per-question
//! `lint_allow` key), and returns warnings. `mdbook-course check` prints them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::quiz::{Question, QuestionKind, Quiz};

/// Every warning's name, as written in a question's `lint_allow = ["…"]` to silence it there.
pub const NAMES: [&str; 8] = [
    "longest-correct",
    "same-correct-count",
    "all-or-none-of-the-above",
    "negative-stem",
    "answer-in-hint",
    "duplicate-option",
    "duplicate-question",
    "pool-coverage",
];

/// A quiz needs at least this many single-choice (or select-all) questions before the share
/// rules apply: with two, "most" is one coincidence.
const SHARE_MIN: usize = 3;

/// Two texts are near-duplicates when this share of their words is common to both.
const NEAR: f64 = 0.85;

/// The index [`lint_book`]'s warnings use for the quiz as a whole.
const QUIZ: usize = usize::MAX;

/// One question's place in its file and the warnings it silences.
struct Place {
    offset: usize,
    allow: Vec<String>,
}

/// Lints every quiz of a book, given as `(file, source, quiz)` in a stable order (the book-wide
/// duplicate check reports the later question and names the earlier one).
pub fn lint_book(quizzes: &[(String, String, Quiz)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = SeenPrompts::default();
    for (file, source, quiz) in quizzes {
        let lines = LineIndex::new(source);
        let (places, draw_at) = places(source, quiz.questions.len());
        // `QUIZ` stands for the quiz itself: its place is the `draw` key, and its allowances are
        // the first question's (the quiz has no `lint_allow` of its own).
        let mut warn = |i: usize, name: &str, message: String, fix: String| {
            let place = &places[if i == QUIZ { 0 } else { i }];
            if place.allow.iter().any(|a| a == name) {
                return;
            }
            let offset = if i == QUIZ { draw_at } else { place.offset };
            out.push(
                Diagnostic::warning_in(file, &lines, offset, format!("{message} [{name}]"))
                    .with_hint(format!(
                        "{fix}; or, if it is deliberate, add `lint_allow = [\"{name}\"]` to the question"
                    )),
            );
        };
        let allowed = |i: usize, name: &str| places[i].allow.iter().any(|a| a == name);

        // The right option is the longest in most single-choice questions.
        let singles: Vec<usize> = indices(quiz, |k| matches!(k, QuestionKind::Single { .. }))
            .into_iter()
            .filter(|&i| !allowed(i, "longest-correct"))
            .collect();
        let longest: Vec<usize> = singles
            .iter()
            .copied()
            .filter(|&i| correct_is_longest(&quiz.questions[i]))
            .collect();
        if singles.len() >= SHARE_MIN && longest.len() * 2 > singles.len() {
            for &i in &longest {
                warn(
                    i,
                    "longest-correct",
                    format!(
                        "the right option is the longest in {} of the {} single-choice questions of quiz `{}`, this one included",
                        longest.len(),
                        singles.len(),
                        quiz.id
                    ),
                    "learners learn to pick the longest option: shorten the right option or lengthen a wrong one so that lengths do not give it away".to_owned(),
                );
            }
        }

        // The same number of right options in most select-all questions.
        let multiples: Vec<usize> = indices(quiz, |k| matches!(k, QuestionKind::Multiple { .. }))
            .into_iter()
            .filter(|&i| !allowed(i, "same-correct-count"))
            .collect();
        let mut by_count: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &i in &multiples {
            by_count
                .entry(correct_count(&quiz.questions[i]))
                .or_default()
                .push(i);
        }
        if let Some((count, same)) = by_count.iter().max_by_key(|(_, v)| v.len()) {
            if multiples.len() >= SHARE_MIN && same.len() * 2 > multiples.len() {
                for &i in same {
                    warn(
                        i,
                        "same-correct-count",
                        format!(
                            "{} of the {} select-all questions of quiz `{}` have exactly {count} right option(s), this one included",
                            same.len(),
                            multiples.len(),
                            quiz.id
                        ),
                        "learners learn how many to tick: vary the number of right options (one, all, none but one...)".to_owned(),
                    );
                }
            }
        }

        for (i, q) in quiz.questions.iter().enumerate() {
            let options = options(q);
            // "All of the above", "none of the above".
            for o in options {
                let t = normal(&o.text);
                if t.contains("all of the above") || t.contains("none of the above") {
                    warn(
                        i,
                        "all-or-none-of-the-above",
                        format!("option \"{}\" refers to the other options", o.text.trim()),
                        "options are shuffled, and a learner who spots two right options knows the answer: write it as its own statement, or make the question select-all".to_owned(),
                    );
                }
            }
            // A negative stem without emphasis.
            if !options.is_empty() {
                if let Some(word) = plain_negative(&q.prompt) {
                    warn(
                        i,
                        "negative-stem",
                        format!("the prompt asks a negative (`{word}`) without emphasis"),
                        format!("learners skim past it: emphasise it (`**{}**`), or ask the positive question", word.to_uppercase()),
                    );
                }
            }
            // The hint or prompt gives the answer.
            if let Some((field, answer)) = answer_given(q) {
                warn(
                    i,
                    "answer-in-hint",
                    format!("the {field} contains the answer \"{answer}\""),
                    format!("reword the {field} so that it points at the idea, not at the answer"),
                );
            }
            // Near-duplicate options.
            for (a, first) in options.iter().enumerate() {
                for second in &options[a + 1..] {
                    if near(&words(&first.text), &words(&second.text)) {
                        warn(
                            i,
                            "duplicate-option",
                            format!(
                                "options \"{}\" and \"{}\" say (nearly) the same thing",
                                first.text.trim(),
                                second.text.trim()
                            ),
                            "make every option a distinct claim".to_owned(),
                        );
                    }
                }
            }
            // Near-duplicate questions across the book.
            let w = words(&q.prompt);
            let was_stopped = seen.stopped;
            let found = seen.find(&w).map(|(o, f, l)| (o.to_owned(), f, l));
            if seen.stopped && !was_stopped {
                warn(
                    i,
                    "duplicate-question",
                    format!("the book-wide check for nearly repeated prompts stopped here, after {MAX_NEAR_COMPARISONS} comparisons; equal prompts are still found"),
                    "split the bank over several books, or check it for near repeats by hand".to_owned(),
                );
            }
            if let Some((other, other_file, line)) = found {
                let message = format!(
                    "this question's prompt (nearly) repeats question `{other}` at {other_file}:{line}"
                );
                let fix =
                    "ask something new, or remove one of them (keep the id of the one learners have answered)";
                warn(i, "duplicate-question", message, fix.to_owned());
            } else {
                let (line, _) = lines.line_col(places[i].offset);
                seen.push(w, q.id.clone(), file, line);
            }
        }

        // A drawing quiz whose draw cannot cover each pool.
        if let Some(take) = quiz.draw.filter(|&d| d < quiz.questions.len()) {
            let pools: BTreeSet<&str> = quiz
                .questions
                .iter()
                .filter_map(|q| q.pool.as_deref())
                .collect();
            if pools.is_empty() {
                warn(
                    QUIZ,
                    "pool-coverage",
                    format!(
                        "quiz `{}` draws {take} of {} questions with no `pool`: some attempts miss whole topics",
                        quiz.id,
                        quiz.questions.len()
                    ),
                    "give each question a `pool` (e.g. its chapter, `pool = \"ch03\"`): the draw then takes from every pool in turn".to_owned(),
                );
            } else if take < pools.len() {
                warn(
                    QUIZ,
                    "pool-coverage",
                    format!(
                        "quiz `{}` draws {take} questions from {} pools: an attempt cannot cover every pool",
                        quiz.id,
                        pools.len()
                    ),
                    format!("draw at least {} questions, or merge pools", pools.len()),
                );
            }
            for (i, q) in quiz.questions.iter().enumerate() {
                if q.pool.is_none() && !pools.is_empty() {
                    warn(
                        i,
                        "pool-coverage",
                        format!(
                            "question `{}` has no `pool` while others of quiz `{}` do",
                            q.id, quiz.id
                        ),
                        "give it the `pool` of its chapter".to_owned(),
                    );
                }
            }
        }
    }
    out
}

fn indices(quiz: &Quiz, pick: impl Fn(&QuestionKind) -> bool) -> Vec<usize> {
    (0..quiz.questions.len())
        .filter(|&i| pick(&quiz.questions[i].kind))
        .collect()
}

fn options(q: &Question) -> &[crate::quiz::Choice] {
    match &q.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => options,
        _ => &[],
    }
}

fn correct_count(q: &Question) -> usize {
    options(q).iter().filter(|o| o.correct).count()
}

/// Whether the single right option is strictly longer than every other option.
fn correct_is_longest(q: &Question) -> bool {
    let len = |t: &str| t.trim().chars().count();
    let opts = options(q);
    let Some(right) = opts.iter().find(|o| o.correct) else {
        return false;
    };
    opts.len() > 1
        && opts
            .iter()
            .filter(|o| !o.correct)
            .all(|o| len(&o.text) < len(&right.text))
}

/// Lower case, every run of non-alphanumeric characters one space, padded with a space each side
/// (so that `contains(" x ")` matches whole words).
fn normal(text: &str) -> String {
    let mut out = String::from(" ");
    for c in text.chars() {
        if c.is_alphanumeric() || c == '.' && out.chars().last().is_some_and(|p| p.is_ascii_digit())
        {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    let trimmed = out.trim_end_matches(['.', ' ']).to_owned();
    trimmed + " "
}

fn words(text: &str) -> Vec<String> {
    normal(text).split_whitespace().map(str::to_owned).collect()
}

/// The prompts seen so far, for the book-wide duplicate check: two prompts are duplicates when
/// their words are equal, or when both have at least eight distinct words and share [`NEAR`] of
/// them (in a short text one word can change the claim: `s3:GetObject` against `s3:*`).
///
/// Equal prompts are found through a hash map and each prompt's distinct words are sorted once,
/// so a 2 MB quiz of short prompts is checked in linear time; only prompts of eight or more
/// distinct words are compared with each other, after a size filter (issue 17, class 4).
#[derive(Default)]
struct SeenPrompts<'a> {
    /// (question id, file, line), in the order seen.
    who: Vec<(String, &'a str, usize)>,
    /// First seen index of each exact word sequence.
    exact: HashMap<Vec<String>, usize>,
    /// (index, sorted distinct words) of the prompts with at least eight distinct words.
    long: Vec<(usize, Vec<String>)>,
    /// Pairs of long prompts compared so far.
    compared: u64,
    /// Set when [`MAX_NEAR_COMPARISONS`] was reached: from then on only equal prompts are found.
    stopped: bool,
}

/// Pairs of long prompts the near-duplicate check compares in one book at most: a generated
/// bank of thousands of long prompts would otherwise take minutes (issue 17, class 4); the
/// course's 143 questions make at most about 10,000.
const MAX_NEAR_COMPARISONS: u64 = 2_000_000;

impl<'a> SeenPrompts<'a> {
    fn distinct(words: &[String]) -> Vec<String> {
        let mut d = words.to_vec();
        d.sort_unstable();
        d.dedup();
        d
    }

    /// The earliest seen prompt that `words` repeats or nearly repeats.
    fn find(&mut self, words: &[String]) -> Option<(&str, &'a str, usize)> {
        if words.is_empty() {
            return None;
        }
        let mut first = self.exact.get(words).copied();
        let d = Self::distinct(words);
        if d.len() >= 8 && !self.stopped {
            let mut compared = self.compared;
            let near = self.long.iter().find(|(_, other)| {
                let (small, big) = (d.len().min(other.len()), d.len().max(other.len()));
                // Jaccard is at most small / big
                if (small as f64 / big as f64) < NEAR || compared >= MAX_NEAR_COMPARISONS {
                    return false;
                }
                compared += 1;
                let common = common_count(&d, other);
                common as f64 / (d.len() + other.len() - common) as f64 >= NEAR
            });
            self.compared = compared;
            self.stopped = compared >= MAX_NEAR_COMPARISONS;
            if let Some(&(i, _)) = near {
                first = Some(first.map_or(i, |f| f.min(i)));
            }
        }
        first.map(|i| {
            let (id, file, line) = &self.who[i];
            (id.as_str(), *file, *line)
        })
    }

    fn push(&mut self, words: Vec<String>, id: String, file: &'a str, line: usize) {
        let i = self.who.len();
        self.who.push((id, file, line));
        let d = Self::distinct(&words);
        if d.len() >= 8 {
            self.long.push((i, d));
        }
        self.exact.entry(words).or_insert(i);
    }
}

/// Equal, or sharing [`NEAR`] of their distinct words when both have at least eight.
fn near(a: &[String], b: &[String]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (sa, sb) = (SeenPrompts::distinct(a), SeenPrompts::distinct(b));
    if sa.len() < 8 || sb.len() < 8 {
        return false;
    }
    let common = common_count(&sa, &sb);
    common as f64 / (sa.len() + sb.len() - common) as f64 >= NEAR
}

/// How many words two sorted, deduplicated lists share.
fn common_count(a: &[String], b: &[String]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The first negative word (`not`, `except`) of `prompt` outside emphasis and code.
fn plain_negative(prompt: &str) -> Option<String> {
    let mut emphasis = false;
    let mut code = false;
    let mut word = String::new();
    let mut chars = prompt.chars().peekable();
    let check = |word: &str, emphasis: bool, code: bool| -> Option<String> {
        let lower = word.to_lowercase();
        (!emphasis && !code && (lower == "not" || lower == "except")).then_some(lower)
    };
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '\'' {
            word.push(c);
            continue;
        }
        if let Some(w) = check(&word, emphasis, code) {
            return Some(w);
        }
        word.clear();
        match c {
            '`' => code = !code,
            '*' | '_' if !code => {
                if chars.peek() == Some(&c) {
                    chars.next();
                }
                emphasis = !emphasis;
            }
            _ => {}
        }
    }
    check(&word, emphasis, code)
}

/// Where the hint (or the prompt) spells out the answer: `(field, answer)`.
fn answer_given(q: &Question) -> Option<(&'static str, String)> {
    let hint = q.hint.as_deref().map(normal);
    let prompt = normal(&q.prompt);
    let fields = |answer: &str, min_words: usize| -> Option<&'static str> {
        let a = normal(answer);
        if a.trim().is_empty() || a.split_whitespace().count() < min_words {
            return None;
        }
        if hint.as_ref().is_some_and(|h| h.contains(&a)) {
            Some("hint")
        } else if prompt.contains(&a) {
            Some("prompt")
        } else {
            None
        }
    };
    match &q.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => options
            .iter()
            .filter(|o| o.correct)
            .find_map(|o| fields(&o.text, 3).map(|f| (f, o.text.trim().to_owned()))),
        QuestionKind::Short { answers, .. } => answers
            .iter()
            .find_map(|a| fields(a, 1).map(|f| (f, a.clone()))),
        QuestionKind::Numeric {
            answer: Some(a), ..
        } => {
            let shown = format!(" {} ", trim_number(*a));
            hint.as_ref()
                .is_some_and(|h| h.contains(&shown))
                .then(|| ("hint", trim_number(*a)))
        }
        QuestionKind::Matching { pairs, .. } => {
            // Giving one pair away is a hint; giving two is the answer.
            let h = hint.as_ref()?;
            let given: Vec<&str> = pairs
                .iter()
                .filter(|p| h.contains(&normal(&p.left)) && h.contains(&normal(&p.right)))
                .map(|p| p.right.as_str())
                .collect();
            (given.len() >= 2).then(|| ("hint", given.join("\", \"")))
        }
        _ => None,
    }
}

fn trim_number(n: f64) -> String {
    let s = format!("{n}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

/// Each question's offset (its id, else its table) and its `lint_allow` names, in authoring
/// order; `n` places in all (questions of other formats get offset 0 and no allowances). Also the
/// offset of the quiz's `draw` key (0 without one).
fn places(source: &str, n: usize) -> (Vec<Place>, usize) {
    let mut out = Vec::new();
    let mut draw_at = 0;
    if let Ok(root) = DeTable::parse(source) {
        let root = root.get_ref();
        if let Some((_, v)) = root.iter().find(|(k, _)| k.get_ref() == "draw") {
            draw_at = v.span().start;
        }
        let list = root
            .iter()
            .find(|(k, _)| k.get_ref() == "question")
            .map(|(_, v)| v);
        if let Some(items) = list.and_then(|l| l.get_ref().as_array()) {
            for item in items.iter() {
                let table: HashMap<&str, _> = item
                    .get_ref()
                    .as_table()
                    .map(|t| t.iter().map(|(k, v)| (k.get_ref().as_ref(), v)).collect())
                    .unwrap_or_default();
                let offset = table
                    .get("id")
                    .map_or(item.span().start, |v| v.span().start);
                let allow = match table.get("lint_allow").map(|v| v.get_ref()) {
                    Some(DeValue::Array(a)) => a
                        .iter()
                        .filter_map(|v| v.get_ref().as_str().map(str::to_owned))
                        .collect(),
                    _ => Vec::new(),
                };
                out.push(Place { offset, allow });
            }
        }
    }
    out.resize_with(n.max(1), || Place {
        offset: 0,
        allow: Vec::new(),
    });
    (out, draw_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_quiz_file;

    fn lint(src: &str) -> Vec<Diagnostic> {
        let quiz = parse_quiz_file("q.toml", "q", src).quiz.expect("parses");
        lint_book(&[("q.toml".to_owned(), src.to_owned(), quiz)])
    }

    fn single(id: &str, right: &str, wrong: &[&str]) -> String {
        let mut s = format!(
            "\n[[question]]\nid = \"{id}\"\ntype = \"single\"\nprompt = \"Question {id} about something\"\nexplanation = \"E\"\n[[question.option]]\ntext = \"{right}\"\ncorrect = true\n"
        );
        for w in wrong {
            s.push_str(&format!("[[question.option]]\ntext = \"{w}\"\n"));
        }
        s
    }

    const HEAD: &str = "id = \"q\"\ntitle = \"T\"\n";

    #[test]
    fn the_right_option_longest_in_most_questions_warns_at_each() {
        let mut src = HEAD.to_owned();
        src += &single("a", "a much longer right answer", &["short", "tiny"]);
        src += &single("b", "another long right answer", &["no", "nope"]);
        src += &single("c", "x", &["a longer wrong option", "y"]);
        let d = lint(&src);
        let longest: Vec<_> = d
            .iter()
            .filter(|d| d.message.contains("[longest-correct]"))
            .collect();
        assert_eq!(longest.len(), 2, "{d:#?}");
        assert!(
            longest[0].message.contains("2 of the 3"),
            "{}",
            longest[0].message
        );
        assert_eq!(longest[0].line, 5, "points at the id of question a");
        assert!(longest[0].hint.as_deref().unwrap().contains("lint_allow"));
    }

    #[test]
    fn balanced_lengths_and_lint_allow_pass() {
        let mut src = HEAD.to_owned();
        src += &single("a", "right one", &["wrong one", "wrong two"]);
        src += &single("b", "a much longer right answer", &["no", "nope"]);
        src += &single("c", "x", &["a longer wrong option", "y"]);
        assert!(lint(&src).is_empty(), "{:#?}", lint(&src));
        let mut src = HEAD.to_owned();
        src += &single("a", "a much longer right answer", &["short", "tiny"]);
        src += &single("b", "another long right answer", &["no", "nope"]).replace(
            "id = \"b\"\n",
            "id = \"b\"\nlint_allow = [\"longest-correct\"]\n",
        );
        src += &single("c", "x", &["a longer wrong option", "y"]);
        // b is silenced and leaves the count: 1 of 2 is not "most" (and 2 are too few).
        assert!(lint(&src).is_empty(), "{:#?}", lint(&src));
    }

    fn multiple(id: &str, right: usize) -> String {
        let mut s = format!(
            "\n[[question]]\nid = \"{id}\"\ntype = \"multiple\"\nprompt = \"Pick {id}\"\nexplanation = \"E\"\n"
        );
        for k in 0..4 {
            s.push_str(&format!(
                "[[question.option]]\ntext = \"option {k} of {id}\"\ncorrect = {}\n",
                k < right
            ));
        }
        s
    }

    #[test]
    fn the_same_count_of_right_options_warns_and_varied_counts_pass() {
        let src = format!(
            "{HEAD}{}{}{}",
            multiple("a", 3),
            multiple("b", 3),
            multiple("c", 1)
        );
        let d = lint(&src);
        assert_eq!(
            d.iter()
                .filter(|d| d.message.contains("[same-correct-count]"))
                .count(),
            2,
            "{d:#?}"
        );
        let src = format!(
            "{HEAD}{}{}{}",
            multiple("a", 3),
            multiple("b", 2),
            multiple("c", 1)
        );
        assert!(lint(&src).is_empty(), "{:#?}", lint(&src));
    }

    #[test]
    fn all_of_the_above_negative_stems_and_duplicates() {
        let mut src = HEAD.to_owned();
        src += &single("a", "All of the above", &["one thing", "another"]);
        src += "\n[[question]]\nid = \"b\"\ntype = \"single\"\nprompt = \"Which is not a trigger?\"\nexplanation = \"E\"\n[[question.option]]\ntext = \"S3 bucket event\"\ncorrect = true\n[[question.option]]\ntext = \"s3 bucket  event.\"\n";
        src += "\n[[question]]\nid = \"c\"\ntype = \"single\"\nprompt = \"Which is **not** a trigger?\"\nexplanation = \"E\"\n[[question.option]]\ntext = \"one\"\ncorrect = true\n[[question.option]]\ntext = \"two\"\n";
        let d = lint(&src);
        let names: Vec<&str> = d
            .iter()
            .map(|d| d.message.rsplit('[').next().unwrap().trim_end_matches(']'))
            .collect();
        assert!(names.contains(&"all-or-none-of-the-above"), "{names:?}");
        assert_eq!(
            names.iter().filter(|n| **n == "negative-stem").count(),
            1,
            "{d:#?}"
        );
        assert!(names.contains(&"duplicate-option"), "{names:?}");
    }

    #[test]
    fn a_hint_that_holds_the_answer_warns() {
        let src = format!(
            "{HEAD}\n[[question]]\nid = \"s\"\ntype = \"short\"\nprompt = \"Which service queues messages?\"\nhint = \"Think of Amazon SQS.\"\nexplanation = \"E\"\nanswers = [\"SQS\"]\n"
        );
        let d = lint(&src);
        assert!(
            d[0].message.contains("hint contains the answer \"SQS\""),
            "{d:#?}"
        );
        let src = src.replace("Think of Amazon SQS.", "A queue service.");
        assert!(lint(&src).is_empty());
    }

    #[test]
    fn questions_repeated_across_quizzes_warn_at_the_second() {
        let a = format!("{HEAD}{}", single("a", "right", &["wrong"]));
        let b = format!(
            "id = \"r\"\ntitle = \"T\"\n{}",
            single("b", "right", &["wrong"])
        )
        .replace("Question b about", "Question a about");
        let qa = parse_quiz_file("a.toml", "a", &a).quiz.unwrap();
        let qb = parse_quiz_file("b.toml", "b", &b).quiz.unwrap();
        let d = lint_book(&[
            ("a.toml".into(), a.clone(), qa),
            ("b.toml".into(), b.clone(), qb),
        ]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].file, "b.toml");
        assert!(
            d[0].message.contains("question `a` at a.toml:5"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn a_draw_without_pools_or_smaller_than_the_pools_warns() {
        let body = format!(
            "{}{}{}",
            single("a", "r1", &["w1"]),
            single("b", "r2", &["w2"]),
            single("c", "r3", &["w3"])
        );
        let src = format!("id = \"q\"\ntitle = \"T\"\ndraw = 2\n{body}");
        let d = lint(&src);
        assert!(d[0].message.contains("with no `pool`"), "{d:#?}");
        assert_eq!(d[0].line, 3, "at the `draw` key");
        let pooled = src
            .replace("id = \"a\"\n", "id = \"a\"\npool = \"x\"\n")
            .replace("id = \"b\"\n", "id = \"b\"\npool = \"y\"\n")
            .replace("id = \"c\"\n", "id = \"c\"\npool = \"z\"\n");
        assert!(lint(&pooled)[0].message.contains("cannot cover every pool"));
        let enough = pooled.replace("draw = 2", "draw = 3");
        assert!(lint(&enough).is_empty());
    }
}
