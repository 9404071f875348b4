//! `mdbook-course export --format qti|gift|moodle-xml`: the book's question bank as a QTI 2.1
//! content package, Moodle GIFT text or Moodle XML, one file per quiz, each question mapped to the
//! nearest LMS type with its Markdown rendered to HTML as in the book. What the format cannot hold
//! is reported per question, never dropped silently.
//!
//! The three writers share the quiz loop, the loss report ([`Losses`]), the question text
//! ([`stem`]), choice weights ([`option_percent`]) and numeric targets ([`numeric_target`]);
//! QTI's writer is in [`qti`].

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use course_model::{Question, QuestionKind, Quiz, Severity};

use crate::check::{check_book, BookConfig};
use crate::cli::{ExportArgs, ExportFormat};
use crate::markdown;

pub mod qti;

/// One thing of one question (or quiz) that the target format could not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// The quiz file.
    pub file: String,
    /// The question id, or `None` for the quiz itself.
    pub question: Option<String>,
    /// What was lost or changed, and what to do in the LMS.
    pub what: String,
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.question {
            Some(q) => write!(f, "{}: question `{q}`: {}", self.file, self.what),
            None => write!(f, "{}: {}", self.file, self.what),
        }
    }
}

/// What one quiz's export lost, as the writers collect it.
pub struct Losses<'a> {
    file: &'a str,
    /// The losses so far.
    pub list: Vec<Loss>,
}

impl<'a> Losses<'a> {
    /// An empty report for the quiz file `file`.
    pub fn new(file: &'a str) -> Self {
        Losses {
            file,
            list: Vec::new(),
        }
    }

    /// Records that `question` (or, for `None`, the quiz) lost `what`.
    pub fn lose(&mut self, question: Option<&str>, what: String) {
        self.list.push(Loss {
            file: self.file.to_owned(),
            question: question.map(str::to_owned),
            what,
        });
    }

    /// Records each of `lost` against `question`.
    pub fn extend(&mut self, question: &str, lost: Vec<String>) {
        for what in lost {
            self.lose(Some(question), what);
        }
    }

    /// The quiz settings a question bank cannot hold: `draw` and a `pass_mark` other than the
    /// default. `bank` names what lacks them ("GIFT", "a question bank").
    fn bank_settings(&mut self, quiz: &Quiz, bank: &str) {
        if let Some(n) = quiz.draw {
            self.lose(
                None,
                format!("`draw = {n}`: {bank} has no random draw; in Moodle, add {n} \"Random question\"(s) from this category to the quiz"),
            );
        }
        if quiz.pass_mark != 70 {
            self.lose(
                None,
                format!(
                    "`pass_mark = {}`: {bank} has no pass mark; set the quiz's grade to pass in the LMS",
                    quiz.pass_mark
                ),
            );
        }
    }
}

/// One quiz as a written file: its bytes, how many questions it holds, what was lost.
pub struct Exported {
    /// The file's content.
    pub bytes: Vec<u8>,
    /// Questions written.
    pub written: usize,
    /// What the format could not hold.
    pub losses: Vec<Loss>,
}

/// Exports the book's quizzes; `Ok(false)` when the book has errors (nothing is written).
pub fn run(args: &ExportArgs) -> Result<bool> {
    let config = BookConfig::load(&args.book_dir)?;
    let course = check_book(&config)?;
    let errors: Vec<_> = course
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        for d in &errors {
            eprintln!("{d}");
        }
        eprintln!(
            "mdbook-course export: {} error(s) in the book; fix them first (mdbook-course check)",
            errors.len()
        );
        return Ok(false);
    }
    let quizzes: Vec<(&str, &Quiz)> = course
        .quizzes()
        .filter(|(_, q)| args.quiz.is_empty() || args.quiz.contains(&q.id))
        .collect();
    for wanted in &args.quiz {
        if !quizzes.iter().any(|(_, q)| &q.id == wanted) {
            bail!("the book embeds no quiz with id `{wanted}` (see `mdbook-course stats`)");
        }
    }
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("creating {}", args.out_dir.display()))?;
    let mut losses = Vec::new();
    let (mut total, mut exported) = (0, 0);
    for (file, quiz) in &quizzes {
        let (done, extension) = match args.format {
            ExportFormat::Gift => (gift(file, quiz), "gift"),
            ExportFormat::MoodleXml => (moodle_xml(file, quiz), "xml"),
            ExportFormat::Qti => (qti::package(file, quiz)?, "qti.zip"),
        };
        total += quiz.questions.len();
        exported += done.written;
        losses.extend(done.losses);
        let out: PathBuf = args.out_dir.join(format!("{}.{extension}", quiz.id));
        std::fs::write(&out, done.bytes).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("wrote {} ({} question(s))", out.display(), done.written);
    }
    for loss in &losses {
        eprintln!("not mapped: {loss}");
    }
    eprintln!(
        "mdbook-course export: {} quiz(zes), {exported} of {total} question(s) exported, {} thing(s) not mapped",
        quizzes.len(),
        losses.len()
    );
    Ok(true)
}

/// A question's text as HTML, as the book shows it: the part's context, the prompt, and the code
/// excerpt (escaped, in `<pre><code>`, its `code_lang` as the `language-*` class; the importers
/// split it back out).
pub fn stem(q: &Question) -> String {
    let mut stem = String::new();
    if let Some(part) = &q.part {
        stem.push_str(&markdown::render(&part.context));
        stem.push('\n');
    }
    stem.push_str(&markdown::render(&q.prompt));
    if let Some(code) = &q.code {
        let class = q
            .code_lang
            .as_ref()
            .map(|l| format!(" class=\"language-{}\"", xml_text(l)))
            .unwrap_or_default();
        stem.push_str(&format!(
            "\n<pre><code{class}>{}</code></pre>",
            xml_text(code)
        ));
    }
    stem.trim().to_owned()
}

/// An option's weight in percent, as our scoring gives it: a single choice's right option 100 and
/// the others 0; in a multiple choice each right option 100/n and each wrong one −100/n (n right
/// options), rounded to 5 decimals as Moodle lists its fractions.
pub fn option_percent(single: bool, correct: bool, right: usize) -> f64 {
    let right = right.max(1) as f64;
    let percent = match (single, correct) {
        (true, true) => 100.0,
        (true, false) => 0.0,
        (false, true) => 100.0 / right,
        (false, false) => -100.0 / right,
    };
    (percent * 100_000.0).round() / 100_000.0
}

/// A numeric question's accepted values as `(value, tolerance)`: `answer` ± `tolerance`, or a
/// `min`..`max` range as its midpoint ± half-width.
pub fn numeric_target(kind: &QuestionKind) -> Option<(f64, f64)> {
    match kind {
        QuestionKind::Numeric {
            answer: Some(a),
            min: None,
            max: None,
            tolerance,
            ..
        } => Some((*a, tolerance.unwrap_or(0.0).abs())),
        _ => kind
            .numeric_range()
            .map(|(lo, hi)| ((lo + hi) / 2.0, (hi - lo) / 2.0)),
    }
}

/// What an all-or-nothing matching question loses in Moodle (GIFT or Moodle XML).
const MATCHING_PARTIAL: &str =
    "all-or-nothing scoring: Moodle's matching gives credit per correct pair";

/// What a matching question with fewer than 3 answers needs in Moodle.
const MATCHING_THREE: &str =
    "Moodle's matching needs at least 3 answers: add a pair or a distractor after import";

/// What a multiple-choice question loses in an LMS whose multiple-answer questions always give
/// partial credit.
fn all_or_nothing(lms: &str) -> String {
    format!("all-or-nothing scoring: {lms}'s multiple-answer questions give partial credit (each right option 100/n %, each wrong one −100/n %)")
}

/// GIFT's special characters, escaped with `\` in any text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // A blank line ends a question: keep line breaks as GIFT's `\n`.
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Markdown rendered as in the book, escaped for GIFT (`\\=`, as Moodle's importer reads it;
/// an HTML character reference such as `&#61;` would bring a raw `#`, which Moodle takes for a
/// feedback separator).
fn html(markdown_text: &str) -> String {
    escape(markdown::render(markdown_text).trim())
}

/// `#feedback` when there is one.
fn feedback(why: Option<&String>) -> String {
    why.map(|w| format!("#{}", html(w))).unwrap_or_default()
}

/// A weight as GIFT writes it (`%33.33333%`): Moodle accepts only its listed fractions, which
/// [`option_percent`]'s rounding gives.
fn weight(percent: f64) -> String {
    format!("%{percent}%")
}

/// The quiz as GIFT text, the number of questions written, and what could not be mapped.
pub fn gift(file: &str, quiz: &Quiz) -> Exported {
    let mut losses = Losses::new(file);
    let mut out = format!(
        "// {} (quiz `{}`), exported by mdbook-course from {file}\n\n$CATEGORY: $course$/top/{}\n\n",
        quiz.title,
        quiz.id,
        escape(&quiz.title).replace('/', "-")
    );
    losses.bank_settings(quiz, "GIFT");
    let mut written = 0;
    for q in &quiz.questions {
        match gift_question(q) {
            Ok((text, lost)) => {
                out.push_str(&text);
                out.push_str("\n\n");
                written += 1;
                losses.extend(&q.id, lost);
            }
            Err(what) => losses.lose(Some(&q.id), format!("left out: {what}")),
        }
    }
    Exported {
        bytes: out.into_bytes(),
        written,
        losses: losses.list,
    }
}

/// One question in GIFT, with the features it lost; `Err` when GIFT has no such question type.
fn gift_question(q: &Question) -> std::result::Result<(String, Vec<String>), String> {
    let mut lost = Vec::new();
    if q.hint.is_some() {
        lost.push(
            "`hint`: GIFT has no hints; add it in the LMS (Moodle: \"Hints\" under multiple tries)"
                .to_owned(),
        );
    }
    let general = q
        .explanation
        .as_ref()
        .map(|e| format!("\n\t####{}", html(e)))
        .unwrap_or_default();
    let answers = match &q.kind {
        QuestionKind::Single { options } => {
            let mut a = String::new();
            for o in options {
                let mark = if o.correct { '=' } else { '~' };
                a.push_str(&format!(
                    "\n\t{mark}{}{}",
                    html(&o.text),
                    feedback(o.why.as_ref())
                ));
            }
            a
        }
        QuestionKind::Multiple {
            options,
            partial_credit,
        } => {
            let right = options.iter().filter(|o| o.correct).count();
            if !partial_credit {
                lost.push(all_or_nothing("GIFT"));
            }
            let mut a = String::new();
            for o in options {
                a.push_str(&format!(
                    "\n\t~{}{}{}",
                    weight(option_percent(false, o.correct, right)),
                    html(&o.text),
                    feedback(o.why.as_ref())
                ));
            }
            a
        }
        QuestionKind::TrueFalse {
            answer,
            why_true,
            why_false,
        } => {
            // GIFT: {TRUE#shown when wrong#shown when right}.
            let (when_wrong, when_right) = if *answer {
                (why_false, why_true)
            } else {
                (why_true, why_false)
            };
            let mut a = if *answer { "TRUE" } else { "FALSE" }.to_owned();
            if when_wrong.is_some() || when_right.is_some() {
                a.push_str(&feedback(when_wrong.as_ref().or(Some(&String::new()))));
                a.push_str(&feedback(when_right.as_ref().or(Some(&String::new()))));
            }
            a
        }
        QuestionKind::Short {
            answers,
            case_sensitive,
            pattern,
            input,
        } => {
            if *case_sensitive {
                lost.push("`case_sensitive`: GIFT cannot set it; answers are compared ignoring case (Moodle: set \"Case sensitivity\" after import)".to_owned());
            }
            if let Some(p) = pattern {
                lost.push(format!(
                    "`pattern = {p:?}`: GIFT has no patterns; only the listed answers are accepted"
                ));
            }
            if *input != course_model::InputKind::Line {
                lost.push("`input`: GIFT's short answer is one line".to_owned());
            }
            answers
                .iter()
                .map(|a| format!("\n\t={}", escape(a)))
                .collect()
        }
        QuestionKind::Numeric { unit, .. } => {
            if let Some(u) = unit {
                lost.push(format!("`unit = {u:?}`: GIFT has no units; the learner types the number alone (Moodle: add the unit under \"Units handling\")"));
            }
            match (&q.kind.numeric_range(), &q.kind) {
                (
                    _,
                    QuestionKind::Numeric {
                        answer: Some(a),
                        min: None,
                        max: None,
                        tolerance,
                        ..
                    },
                ) => format!("#{a}:{}", tolerance.unwrap_or(0.0).abs()),
                (Some((lo, hi)), _) => format!("#{lo}..{hi}"),
                _ => return Err("a numeric question without an answer or range".to_owned()),
            }
        }
        QuestionKind::Ordering { .. } => {
            return Err("GIFT has no ordering question (Moodle XML and QTI do: export to those, or rebuild it as \"Ordering\" in Moodle)".to_owned());
        }
        QuestionKind::Matching {
            pairs,
            distractors,
            partial_credit,
        } => {
            if !partial_credit {
                lost.push(MATCHING_PARTIAL.to_owned());
            }
            if !distractors.is_empty() {
                lost.push(format!(
                    "{} distractor(s): GIFT matching has none; add them in the LMS",
                    distractors.len()
                ));
            }
            if pairs.len() < 3 {
                lost.push(MATCHING_THREE.to_owned());
            }
            pairs
                .iter()
                .map(|p| format!("\n\t={} -> {}", html(&p.left), html(&p.right)))
                .collect()
        }
    };
    let text = format!(
        "// {}\n::{}::[html]{}{{{answers}{general}\n}}",
        q.kind.name(),
        escape(&q.id),
        escape(&stem(q))
    );
    Ok((text, lost))
}

/// `text` in a CDATA section (a `]]>` inside is split across two sections).
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

/// `text` escaped for XML character data and attribute values (Moodle XML, QTI, and the HTML
/// of GIFT); characters XML 1.0 cannot hold (control characters other than tab and line breaks)
/// are left out.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `<tag format="html"><text>…</text></tag>` of rendered Markdown.
fn html_field(tag: &str, markdown_text: &str) -> String {
    format!(
        "<{tag} format=\"html\"><text>{}</text></{tag}>",
        cdata(markdown::render(markdown_text).trim())
    )
}

/// The quiz as a Moodle XML file, the number of questions written, and what could not be mapped.
pub fn moodle_xml(file: &str, quiz: &Quiz) -> Exported {
    let mut losses = Losses::new(file);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- {} (quiz `{}`), exported by mdbook-course from {} -->\n<quiz>\n<question type=\"category\"><category><text>$course$/top/{}</text></category></question>\n",
        xml_text(&quiz.title).replace("--", "- -"),
        quiz.id,
        xml_text(file).replace("--", "- -"),
        xml_text(&quiz.title.replace('/', "-"))
    );
    losses.bank_settings(quiz, "a question bank");
    for q in &quiz.questions {
        let (xml, lost) = moodle_question(q, quiz.shuffle_options);
        out.push_str(&xml);
        losses.extend(&q.id, lost);
    }
    out.push_str("</quiz>\n");
    Exported {
        bytes: out.into_bytes(),
        written: quiz.questions.len(),
        losses: losses.list,
    }
}

/// One question in Moodle XML, with the features it lost.
fn moodle_question(q: &Question, quiz_shuffle: bool) -> (String, Vec<String>) {
    let mut lost = Vec::new();
    let shuffle = q.shuffle_options.unwrap_or(quiz_shuffle);
    let (kind, body) = match &q.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => {
            let single = matches!(q.kind, QuestionKind::Single { .. });
            let right = options.iter().filter(|o| o.correct).count();
            if let QuestionKind::Multiple {
                partial_credit: false,
                ..
            } = q.kind
            {
                lost.push(all_or_nothing("Moodle"));
            }
            let mut b = format!(
                "<single>{single}</single><shuffleanswers>{}</shuffleanswers><answernumbering>abc</answernumbering>\n",
                u8::from(shuffle)
            );
            for o in options {
                let fraction = option_percent(single, o.correct, right);
                b.push_str(&format!(
                    "<answer fraction=\"{fraction}\" format=\"html\"><text>{}</text>{}</answer>\n",
                    cdata(markdown::render(&o.text).trim()),
                    o.why
                        .as_ref()
                        .map(|w| html_field("feedback", w))
                        .unwrap_or_default()
                ));
            }
            ("multichoice", b)
        }
        QuestionKind::TrueFalse {
            answer,
            why_true,
            why_false,
        } => {
            let one = |value: bool, why: &Option<String>| {
                format!(
                    "<answer fraction=\"{}\"><text>{value}</text>{}</answer>\n",
                    if value == *answer { 100 } else { 0 },
                    why.as_ref()
                        .map(|w| html_field("feedback", w))
                        .unwrap_or_default()
                )
            };
            ("truefalse", one(true, why_true) + &one(false, why_false))
        }
        QuestionKind::Short {
            answers,
            case_sensitive,
            pattern,
            input,
        } => {
            if let Some(p) = pattern {
                lost.push(format!("`pattern = {p:?}`: Moodle's short answer has no regular expressions; only the listed answers are accepted"));
            }
            if *input != course_model::InputKind::Line {
                lost.push("`input`: Moodle's short answer is one line".to_owned());
            }
            let mut b = format!("<usecase>{}</usecase>\n", u8::from(*case_sensitive));
            for a in answers {
                b.push_str(&format!(
                    "<answer fraction=\"100\"><text>{}</text></answer>\n",
                    xml_text(a)
                ));
            }
            ("shortanswer", b)
        }
        QuestionKind::Numeric { unit, .. } => {
            let (value, tolerance) = numeric_target(&q.kind).unwrap_or((0.0, 0.0));
            let mut b = format!(
                "<answer fraction=\"100\"><text>{value}</text><tolerance>{tolerance}</tolerance></answer>\n"
            );
            if let Some(u) = unit {
                // Units are optional (0: graded on the number alone), shown after the input.
                b.push_str(&format!(
                    "<units><unit><multiplier>1</multiplier><unit_name>{}</unit_name></unit></units>\n<unitgradingtype>0</unitgradingtype><unitpenalty>0</unitpenalty><showunits>3</showunits><unitsleft>0</unitsleft>\n",
                    xml_text(u)
                ));
            }
            ("numerical", b)
        }
        QuestionKind::Ordering {
            items,
            partial_credit,
        } => {
            let grading = if *partial_credit {
                "ABSOLUTE_POSITION"
            } else {
                "ALL_OR_NOTHING"
            };
            let mut b = format!(
                "<layouttype>VERTICAL</layouttype><selecttype>ALL</selecttype><selectcount>0</selectcount><gradingtype>{grading}</gradingtype><showgrading>SHOW</showgrading><numberingstyle>none</numberingstyle>\n"
            );
            for item in items {
                b.push_str(&format!(
                    "<answer fraction=\"1\" format=\"html\"><text>{}</text></answer>\n",
                    cdata(markdown::render(item).trim())
                ));
            }
            ("ordering", b)
        }
        QuestionKind::Matching {
            pairs,
            distractors,
            partial_credit,
        } => {
            if !partial_credit {
                lost.push(MATCHING_PARTIAL.to_owned());
            }
            if pairs.len() + distractors.len() < 3 {
                lost.push(MATCHING_THREE.to_owned());
            }
            let mut b = "<shuffleanswers>true</shuffleanswers>\n".to_owned();
            for p in pairs {
                b.push_str(&format!(
                    "<subquestion format=\"html\"><text>{}</text><answer><text>{}</text></answer></subquestion>\n",
                    cdata(markdown::render(&p.left).trim()),
                    xml_text(&plain(&p.right))
                ));
            }
            // A distractor is a subquestion with no text: an extra answer that matches nothing.
            for d in distractors {
                b.push_str(&format!(
                    "<subquestion format=\"html\"><text></text><answer><text>{}</text></answer></subquestion>\n",
                    xml_text(&plain(d))
                ));
            }
            ("matching", b)
        }
    };
    let hint = q
        .hint
        .as_ref()
        .map(|h| html_field("hint", h) + "\n")
        .unwrap_or_default();
    let general = q
        .explanation
        .as_ref()
        .map(|e| html_field("generalfeedback", e))
        .unwrap_or_default();
    let xml = format!(
        "<question type=\"{kind}\">\n<name><text>{}</text></name>\n<questiontext format=\"html\"><text>{}</text></questiontext>\n{general}\n<defaultgrade>1</defaultgrade>\n{body}{hint}</question>\n",
        xml_text(&q.id),
        cdata(&stem(q))
    );
    (xml, lost)
}

/// Moodle shows matching answers in a drop-down, as plain text: Markdown is reduced to its text.
fn plain(markdown_text: &str) -> String {
    let html = markdown::render(markdown_text);
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
