//! `mdbook-course export --format qti`: one IMS QTI 2.1 content package (a zip) per quiz:
//! `imsmanifest.xml` (IMS Content Packaging 1.1), one `assessmentItem` per question under
//! `items/`, and one `assessmentTest` for the quiz, whose pools are sections that draw with
//! `selection` where the quiz draws.
//!
//! Each question type goes to the nearest interaction: single and multiple choice and true/false
//! to `choiceInteraction` (per-option `why` as `modalFeedback` on the chosen option), short answer
//! to `textEntryInteraction` (or `extendedTextInteraction` for multi-line input) with a `mapping`
//! of the accepted answers and a `patternMatch`, numeric to a float `textEntryInteraction` scored
//! with `equal` (`toleranceMode="absolute"`), ordering to `orderInteraction`, matching to
//! `matchInteraction`. Partial credit is kept as our scoring gives it. Markdown is rendered as in
//! the book, then written as XHTML in QTI's namespace ([`xhtml`]): what QTI's XHTML subset lacks
//! is unwrapped and reported.

use std::io::Write;

use anyhow::{Context, Result};
use course_model::{Choice, InputKind, Question, QuestionKind, Quiz};

use super::{numeric_target, option_percent, stem, xml_text as escape, Exported, Losses};
use crate::markdown;

/// QTI 2.1's namespace and schema location.
const QTI_NS: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";
const QTI_XSD: &str = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd";
/// IMS Content Packaging 1.1's namespace and schema location.
const CP_NS: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";
const CP_XSD: &str = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// `<name attrs…>inner</name>` (attribute values escaped; `inner` is XML already), or
/// `<name attrs…/>` when `inner` is empty.
fn el(name: &str, attrs: &[(&str, &str)], inner: &str) -> String {
    let mut out = format!("<{name}");
    for (k, v) in attrs {
        out.push_str(&format!(" {k}=\"{}\"", escape(v)));
    }
    if inner.is_empty() {
        out.push_str("/>");
    } else {
        out.push_str(&format!(">{inner}</{name}>"));
    }
    out
}

/// A whole document: the XML declaration and the root element `root` in namespace `ns`, with
/// `xsi:schemaLocation` naming `xsd`, then `attrs` and `inner`.
fn document(root: &str, (ns, xsd): (&str, &str), attrs: &[(&str, &str)], inner: &str) -> String {
    let location = format!("{ns} {xsd}");
    let mut all = vec![
        ("xmlns", ns),
        ("xmlns:xsi", XSI_NS),
        ("xsi:schemaLocation", location.as_str()),
    ];
    all.extend_from_slice(attrs);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        el(root, &all, inner)
    )
}

/// An identifier QTI and IMS CP accept (an XML NCName): letters, digits, `-`, `_`, `.`, starting
/// with a letter or `_`; anything else becomes `_`.
pub fn ncname(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        s.insert(0, '_');
    }
    s
}

/// HTML (as [`markdown::render`] writes it) → XHTML in QTI's content model.
pub mod xhtml {
    use std::cell::RefCell;

    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };

    /// The XHTML elements QTI 2.1's item bodies hold (its text, list, presentation, table,
    /// image and hypertext modules).
    const ELEMENTS: &[&str] = &[
        "a",
        "abbr",
        "acronym",
        "address",
        "b",
        "big",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "tt",
        "ul",
        "var",
    ];
    /// Elements without content, written as `<br/>`.
    const VOID: &[&str] = &["br", "hr", "img", "col"];

    /// The attributes kept, per element (`*`: any element).
    fn keeps(element: &str, attribute: &str) -> bool {
        matches!(
            (element, attribute),
            (_, "id" | "class")
                | ("a", "href")
                | ("img", "src" | "alt" | "width" | "height")
                | ("td" | "th", "rowspan" | "colspan" | "scope")
                | ("col" | "colgroup", "span")
                | ("blockquote" | "q", "cite")
        )
    }

    /// Attributes dropped without a report: link behaviour, not content.
    fn ignorable(attribute: &str) -> bool {
        matches!(attribute, "rel" | "target")
    }

    struct Sink {
        out: RefCell<String>,
        lost: RefCell<Vec<String>>,
    }

    impl TokenSink for Sink {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut out = self.out.borrow_mut();
            match token {
                Token::TagToken(tag) => {
                    let name: &str = &tag.name;
                    if !ELEMENTS.contains(&name) {
                        if tag.kind == TagKind::StartTag {
                            self.lost.borrow_mut().push(format!(
                                "`<{name}>` is not in QTI's XHTML: its text is kept without it"
                            ));
                        }
                        return TokenSinkResult::Continue;
                    }
                    match tag.kind {
                        TagKind::StartTag => {
                            out.push('<');
                            out.push_str(name);
                            for a in &tag.attrs {
                                let attr: &str = &a.name.local;
                                if keeps(name, attr) {
                                    out.push_str(&format!(
                                        " {attr}=\"{}\"",
                                        super::super::xml_text(&a.value)
                                    ));
                                } else if !ignorable(attr) {
                                    self.lost.borrow_mut().push(format!(
                                        "the `{attr}` attribute of `<{name}>` is not in QTI's XHTML: left out"
                                    ));
                                }
                            }
                            out.push_str(if VOID.contains(&name) { "/>" } else { ">" });
                        }
                        TagKind::EndTag if !VOID.contains(&name) => {
                            out.push_str(&format!("</{name}>"));
                        }
                        TagKind::EndTag => {}
                    }
                }
                Token::CharacterTokens(text) => out.push_str(&super::super::xml_text(&text)),
                Token::NullCharacterToken
                | Token::CommentToken(_)
                | Token::DoctypeToken(_)
                | Token::EOFToken
                | Token::ParseError(_) => {}
            }
            TokenSinkResult::Continue
        }
    }

    /// `html` as XHTML, and what QTI's XHTML could not hold (each once).
    pub fn convert(html: &str) -> (String, Vec<String>) {
        let sink = Sink {
            out: RefCell::new(String::new()),
            lost: RefCell::new(Vec::new()),
        };
        let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
        let queue = BufferQueue::default();
        queue.push_back(html5ever::tendril::StrTendril::from(html));
        let _ = tokenizer.feed(&queue);
        tokenizer.end();
        let mut lost: Vec<String> = Vec::new();
        for l in tokenizer.sink.lost.take() {
            if !lost.contains(&l) {
                lost.push(l);
            }
        }
        (tokenizer.sink.out.take(), lost)
    }
}

/// One item being written: its declarations, body, processing and feedback, and what it lost.
#[derive(Default)]
struct Item {
    declarations: String,
    body: String,
    processing: String,
    feedback: String,
    lost: Vec<String>,
}

impl Item {
    /// Markdown as XHTML, with what QTI's XHTML lacks recorded.
    fn markdown(&mut self, text: &str) -> String {
        self.html(&markdown::render(text))
    }

    /// HTML as XHTML, with what QTI's XHTML lacks recorded.
    fn html(&mut self, html: &str) -> String {
        let (x, lost) = xhtml::convert(html.trim());
        for l in lost {
            if !self.lost.contains(&l) {
                self.lost.push(l);
            }
        }
        x
    }

    /// A `modalFeedback` shown when `outcome` holds `identifier`.
    fn feedback_on(&mut self, outcome: &str, identifier: &str, markdown_text: &str) {
        let content = self.markdown(markdown_text);
        self.feedback.push_str(&el(
            "modalFeedback",
            &[
                ("outcomeIdentifier", outcome),
                ("identifier", identifier),
                ("showHide", "show"),
            ],
            &el("div", &[], &content),
        ));
        self.feedback.push('\n');
    }
}

fn base(base_type: &str, value: &str) -> String {
    el("baseValue", &[("baseType", base_type)], &escape(value))
}

fn var(id: &str) -> String {
    el("variable", &[("identifier", id)], "")
}

fn set(outcome: &str, expression: &str) -> String {
    el("setOutcomeValue", &[("identifier", outcome)], expression)
}

/// `SCORE` = 1 when `condition` holds, else 0.
fn score_if(condition: &str) -> String {
    el(
        "responseCondition",
        &[],
        &(el(
            "responseIf",
            &[],
            &(condition.to_owned() + &set("SCORE", &base("float", "1"))),
        ) + &el("responseElse", &[], &set("SCORE", &base("float", "0")))),
    )
}

/// `SCORE` = 1 when the response is the correct response, else 0.
fn match_correct() -> String {
    score_if(&el(
        "match",
        &[],
        &(var("RESPONSE") + &el("correct", &[("identifier", "RESPONSE")], "")),
    ))
}

/// `<responseDeclaration>` of `RESPONSE` with its correct values and an optional mapping.
fn response(cardinality: &str, base_type: &str, correct: &[String], mapping: &str) -> String {
    let values: String = correct
        .iter()
        .map(|v| el("value", &[], &escape(v)))
        .collect();
    el(
        "responseDeclaration",
        &[
            ("identifier", "RESPONSE"),
            ("cardinality", cardinality),
            ("baseType", base_type),
        ],
        &(el("correctResponse", &[], &values) + mapping),
    )
}

/// A `<mapping>` from keys to values, bounded to 0..1 (unmapped keys: 0); `caseSensitive` is
/// written on every entry (identifiers compare with case).
fn mapping(entries: &[(String, f64)], case_sensitive: bool) -> String {
    let case = case_sensitive.to_string();
    let mut inner = String::new();
    for (key, value) in entries {
        let value = value.to_string();
        inner.push_str(&el(
            "mapEntry",
            &[
                ("mapKey", key.as_str()),
                ("mappedValue", value.as_str()),
                ("caseSensitive", case.as_str()),
            ],
            "",
        ));
    }
    el(
        "mapping",
        &[
            ("lowerBound", "0"),
            ("upperBound", "1"),
            ("defaultValue", "0"),
        ],
        &inner,
    )
}

fn outcome(id: &str, cardinality: &str, base_type: &str, default: Option<&str>) -> String {
    el(
        "outcomeDeclaration",
        &[
            ("identifier", id),
            ("cardinality", cardinality),
            ("baseType", base_type),
        ],
        &default
            .map(|d| el("defaultValue", &[], &el("value", &[], d)))
            .unwrap_or_default(),
    )
}

/// One option of a choice interaction.
struct Opt {
    /// Its identifier in the item.
    id: String,
    /// Markdown.
    text: String,
    correct: bool,
    /// Markdown, shown when it is chosen.
    why: Option<String>,
}

/// The per-option feedback of a choice interaction: `FEEDBACK` holds the chosen options, and
/// each option's `why` is a `modalFeedback` on its identifier.
fn option_feedback(item: &mut Item, options: &[Opt], multiple: bool) {
    let has_why = options.iter().any(|o| o.why.is_some());
    if has_why {
        let cardinality = if multiple { "multiple" } else { "single" };
        item.declarations
            .push_str(&outcome("FEEDBACK", cardinality, "identifier", None));
        item.processing.push_str(&set("FEEDBACK", &var("RESPONSE")));
        for o in options {
            if let Some(w) = &o.why {
                item.feedback_on("FEEDBACK", &o.id, w);
            }
        }
    }
}

/// The `<simpleChoice>`s of `options`.
fn simple_choices(item: &mut Item, options: &[Opt]) -> String {
    options
        .iter()
        .map(|o| {
            let x = item.markdown(&o.text);
            el("simpleChoice", &[("identifier", &o.id)], &x) + "\n"
        })
        .collect()
}

/// The options of a choice question, as `choice-1`, `choice-2`…
fn choice_options(options: &[Choice]) -> Vec<Opt> {
    options
        .iter()
        .enumerate()
        .map(|(i, o)| Opt {
            id: format!("choice-{}", i + 1),
            text: o.text.clone(),
            correct: o.correct,
            why: o.why.clone(),
        })
        .collect()
}

/// Patterns of `regex-lite` that XML Schema regular expressions (QTI's `patternMatch`) read
/// differently or not at all.
fn pattern_differences(pattern: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    if pattern.starts_with('^') || pattern.ends_with('$') {
        found.push(
            "`^`/`$` anchors (QTI matches the whole answer already, and reads them as characters)",
        );
    }
    if pattern.contains("(?") {
        found.push("`(?…)` groups and flags");
    }
    if ["\\b", "\\B", "\\A", "\\z"]
        .iter()
        .any(|a| pattern.contains(a))
    {
        found.push("`\\b`-style assertions");
    }
    if ["*?", "+?", "??", "}?"].iter().any(|a| pattern.contains(a)) {
        found.push("lazy repetition");
    }
    found
}

/// One question as a QTI `assessmentItem` document, with what it lost.
pub fn item(q: &Question, quiz_shuffle: bool) -> (String, Vec<String>) {
    let mut item = Item::default();
    let shuffle = q.shuffle_options.unwrap_or(quiz_shuffle).to_string();
    if q.hint.is_some() {
        item.lost.push("`hint`: a QTI 2.1 item shows hints only through an end-attempt button that LMS importers do not take; add the hint in the LMS".to_owned());
    }
    let stem_html = stem(q);
    let stem = item.html(&stem_html);
    item.body.push_str(&el("div", &[], &stem));
    item.body.push('\n');
    match &q.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => {
            let multiple = matches!(q.kind, QuestionKind::Multiple { .. });
            let opts = choice_options(options);
            let correct: Vec<String> = opts
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect();
            let partial = matches!(
                q.kind,
                QuestionKind::Multiple {
                    partial_credit: true,
                    ..
                }
            );
            let map = if partial {
                let right = correct.len();
                let entries: Vec<(String, f64)> = opts
                    .iter()
                    .map(|o| {
                        (
                            o.id.clone(),
                            option_percent(false, o.correct, right) / 100.0,
                        )
                    })
                    .collect();
                mapping(&entries, true)
            } else {
                String::new()
            };
            let cardinality = if multiple { "multiple" } else { "single" };
            item.declarations
                .push_str(&response(cardinality, "identifier", &correct, &map));
            let choices = simple_choices(&mut item, &opts);
            let max = if multiple { "0" } else { "1" };
            item.body.push_str(&el(
                "choiceInteraction",
                &[
                    ("responseIdentifier", "RESPONSE"),
                    ("shuffle", &shuffle),
                    ("maxChoices", max),
                ],
                &format!("\n{choices}"),
            ));
            item.processing.push_str(&if partial {
                set(
                    "SCORE",
                    &el("mapResponse", &[("identifier", "RESPONSE")], ""),
                )
            } else {
                match_correct()
            });
            option_feedback(&mut item, &opts, multiple);
        }
        QuestionKind::TrueFalse {
            answer,
            why_true,
            why_false,
        } => {
            let opts = vec![
                Opt {
                    id: "true".to_owned(),
                    text: "True".to_owned(),
                    correct: *answer,
                    why: why_true.clone(),
                },
                Opt {
                    id: "false".to_owned(),
                    text: "False".to_owned(),
                    correct: !answer,
                    why: why_false.clone(),
                },
            ];
            let correct = if *answer { "true" } else { "false" };
            item.declarations.push_str(&response(
                "single",
                "identifier",
                &[correct.to_owned()],
                "",
            ));
            let choices = simple_choices(&mut item, &opts);
            item.body.push_str(&el(
                "choiceInteraction",
                &[
                    ("responseIdentifier", "RESPONSE"),
                    ("shuffle", "false"),
                    ("maxChoices", "1"),
                ],
                &format!("\n{choices}"),
            ));
            item.processing.push_str(&match_correct());
            option_feedback(&mut item, &opts, false);
        }
        QuestionKind::Short {
            answers,
            case_sensitive,
            pattern,
            input,
        } => {
            let entries: Vec<(String, f64)> = answers.iter().map(|a| (a.clone(), 1.0)).collect();
            let first: Vec<String> = answers.iter().take(1).cloned().collect();
            item.declarations.push_str(&response(
                "single",
                "string",
                &first,
                &mapping(&entries, *case_sensitive),
            ));
            let longest = answers
                .iter()
                .map(|a| a.chars().count())
                .max()
                .unwrap_or(10);
            let expected = (longest + 5).to_string();
            match input {
                InputKind::Line => item.body.push_str(&el(
                    "div",
                    &[],
                    &el(
                        "textEntryInteraction",
                        &[
                            ("responseIdentifier", "RESPONSE"),
                            ("expectedLength", &expected),
                        ],
                        "",
                    ),
                )),
                InputKind::Text | InputKind::Code => {
                    if *input == InputKind::Code {
                        item.lost.push("`input = \"code\"`: QTI's extended text entry has no code editor; the answer is typed in a plain multi-line box".to_owned());
                    }
                    item.lost.push("multi-line answer: QTI compares the typed text with the answers as it is, where our check folds runs of spaces and line breaks into one space; accept the variants in the LMS".to_owned());
                    item.body.push_str(&el(
                        "extendedTextInteraction",
                        &[("responseIdentifier", "RESPONSE"), ("expectedLines", "5")],
                        "",
                    ));
                }
            }
            item.processing.push_str(&set(
                "SCORE",
                &el("mapResponse", &[("identifier", "RESPONSE")], ""),
            ));
            if let Some(p) = pattern {
                item.processing.push_str(&el(
                    "responseCondition",
                    &[],
                    &el(
                        "responseIf",
                        &[],
                        &(el("patternMatch", &[("pattern", p)], &var("RESPONSE"))
                            + &set("SCORE", &base("float", "1"))),
                    ),
                ));
                if !case_sensitive {
                    item.lost.push(format!("`pattern = {p:?}` is matched with case in QTI (its patterns have no flag to ignore case); the listed answers still ignore case"));
                }
                let differences = pattern_differences(p);
                if !differences.is_empty() {
                    item.lost.push(format!(
                        "`pattern = {p:?}` uses {} that XML Schema patterns (QTI's) lack: rewrite it in the LMS",
                        differences.join(", ")
                    ));
                }
            }
        }
        QuestionKind::Numeric { answer, unit, .. } => {
            let (value, tolerance) = numeric_target(&q.kind).unwrap_or((0.0, 0.0));
            let shown = answer.unwrap_or(value).to_string();
            item.declarations
                .push_str(&response("single", "float", &[shown], ""));
            let mut field = el(
                "textEntryInteraction",
                &[("responseIdentifier", "RESPONSE"), ("expectedLength", "12")],
                "",
            );
            if let Some(u) = unit {
                field.push_str(&format!(" {}", escape(u)));
                item.lost.push(format!("`unit = {u:?}`: QTI's number entry takes the number alone; the unit is shown after the field"));
            }
            item.body.push_str(&el("div", &[], &field));
            let tolerance = tolerance.to_string();
            let equal = if tolerance == "0" {
                el(
                    "equal",
                    &[("toleranceMode", "exact")],
                    &(var("RESPONSE") + &base("float", &value.to_string())),
                )
            } else {
                el(
                    "equal",
                    &[("toleranceMode", "absolute"), ("tolerance", &tolerance)],
                    &(var("RESPONSE") + &base("float", &value.to_string())),
                )
            };
            item.processing.push_str(&score_if(&equal));
        }
        QuestionKind::Ordering {
            items,
            partial_credit,
        } => {
            let ids: Vec<String> = (1..=items.len()).map(|i| format!("item-{i}")).collect();
            item.declarations
                .push_str(&response("ordered", "identifier", &ids, ""));
            let mut choices = String::from("\n");
            for (id, text) in ids.iter().zip(items) {
                let x = item.markdown(text);
                choices.push_str(&el("simpleChoice", &[("identifier", id)], &x));
                choices.push('\n');
            }
            item.body.push_str(&el(
                "orderInteraction",
                &[("responseIdentifier", "RESPONSE"), ("shuffle", "true")],
                &choices,
            ));
            if *partial_credit {
                // The share of items in their right place, as our scoring gives it.
                let share = (1.0 / items.len().max(1) as f64).to_string();
                item.processing.push_str(&set("SCORE", &base("float", "0")));
                for (n, id) in ids.iter().enumerate() {
                    let position = (n + 1).to_string();
                    let at = el("index", &[("n", &position)], &var("RESPONSE"));
                    item.processing.push_str(&el(
                        "responseCondition",
                        &[],
                        &el(
                            "responseIf",
                            &[],
                            &(el("match", &[], &(at + &base("identifier", id)))
                                + &set(
                                    "SCORE",
                                    &el("sum", &[], &(var("SCORE") + &base("float", &share))),
                                )),
                        ),
                    ));
                }
            } else {
                item.processing.push_str(&match_correct());
            }
        }
        QuestionKind::Matching {
            pairs,
            distractors,
            partial_credit,
        } => {
            let correct: Vec<String> = (1..=pairs.len())
                .map(|i| format!("left-{i} right-{i}"))
                .collect();
            let map = if *partial_credit {
                let share = 1.0 / pairs.len().max(1) as f64;
                mapping(
                    &correct
                        .iter()
                        .map(|c| (c.clone(), share))
                        .collect::<Vec<_>>(),
                    true,
                )
            } else {
                String::new()
            };
            item.declarations
                .push_str(&response("multiple", "directedPair", &correct, &map));
            let mut left = String::from("\n");
            for (i, p) in pairs.iter().enumerate() {
                let x = item.markdown(&p.left);
                left.push_str(&el(
                    "simpleAssociableChoice",
                    &[
                        ("identifier", &format!("left-{}", i + 1)),
                        ("matchMax", "1"),
                    ],
                    &x,
                ));
                left.push('\n');
            }
            let mut right = String::from("\n");
            let rights = pairs.iter().map(|p| &p.right).chain(distractors);
            for (i, r) in rights.enumerate() {
                let x = item.markdown(r);
                right.push_str(&el(
                    "simpleAssociableChoice",
                    &[
                        ("identifier", &format!("right-{}", i + 1)),
                        ("matchMax", "1"),
                    ],
                    &x,
                ));
                right.push('\n');
            }
            let max = pairs.len().to_string();
            item.body.push_str(&el(
                "matchInteraction",
                &[
                    ("responseIdentifier", "RESPONSE"),
                    ("shuffle", "true"),
                    ("maxAssociations", &max),
                ],
                &format!(
                    "\n{}\n{}\n",
                    el("simpleMatchSet", &[], &left),
                    el("simpleMatchSet", &[], &right)
                ),
            ));
            item.processing.push_str(&if *partial_credit {
                set(
                    "SCORE",
                    &el("mapResponse", &[("identifier", "RESPONSE")], ""),
                )
            } else {
                match_correct()
            });
        }
    }
    if let Some(e) = &q.explanation {
        item.declarations
            .push_str(&outcome("EXPLANATION", "single", "identifier", None));
        item.processing
            .push_str(&set("EXPLANATION", &base("identifier", "shown")));
        item.feedback_on("EXPLANATION", "shown", e);
    }
    let outcomes = outcome("SCORE", "single", "float", Some("0"))
        + "\n"
        + &outcome("MAXSCORE", "single", "float", Some("1"));
    let xml = document(
        "assessmentItem",
        (QTI_NS, QTI_XSD),
        &[
            ("identifier", &ncname(&q.id)),
            ("title", &q.id),
            ("adaptive", "false"),
            ("timeDependent", "false"),
        ],
        &format!(
            "\n{}\n{outcomes}\n{}\n{}\n{}",
            item.declarations,
            el("itemBody", &[], &format!("\n{}\n", item.body)),
            el("responseProcessing", &[], &item.processing),
            item.feedback,
        ),
    );
    (xml, item.lost)
}

/// A quiz's pools in authoring order (questions without a pool form one more, `None`), each with
/// its questions' indices.
fn pools(quiz: &Quiz) -> Vec<(Option<&str>, Vec<usize>)> {
    let mut pools: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
    for (i, q) in quiz.questions.iter().enumerate() {
        let name = q.pool.as_deref();
        match pools.iter_mut().find(|(n, _)| *n == name) {
            Some((_, members)) => members.push(i),
            None => pools.push((name, vec![i])),
        }
    }
    pools
}

/// How many questions each pool gives to a draw of `take`, as our stratified draw takes them
/// (one from each pool in turn), and whether that is fixed: `false` when the last round
/// takes from only some of the pools that still have questions, which our draw picks per
/// learner and a QTI `selection` cannot.
pub fn pool_counts(sizes: &[usize], take: usize) -> (Vec<usize>, bool) {
    let mut counts = vec![0; sizes.len()];
    let mut left = take.min(sizes.iter().sum());
    let mut fixed = true;
    while left > 0 {
        let open: Vec<usize> = (0..sizes.len()).filter(|&p| counts[p] < sizes[p]).collect();
        if open.len() > left {
            fixed = false;
        }
        for p in open.into_iter().take(left) {
            counts[p] += 1;
            left -= 1;
        }
    }
    (counts, fixed)
}

/// The quiz's `assessmentTest`, with what it lost.
fn test(quiz: &Quiz, item_hrefs: &[(String, String)]) -> (String, Vec<String>) {
    let mut lost = Vec::new();
    let pools = pools(quiz);
    let order = if quiz.shuffle_questions {
        el("ordering", &[("shuffle", "true")], "")
    } else {
        String::new()
    };
    let item_ref = |i: usize| {
        let q = &quiz.questions[i];
        let (id, href) = &item_hrefs[i];
        let category = q.objective.as_deref().map(ncname);
        let mut attrs = vec![("identifier", id.as_str()), ("href", href.as_str())];
        if let Some(c) = &category {
            attrs.push(("category", c.as_str()));
        }
        el("assessmentItemRef", &attrs, "") + "\n"
    };
    let named = pools.iter().any(|(n, _)| n.is_some());
    let mut inner = String::from("\n");
    if !named {
        if let Some(n) = quiz.draw {
            inner.push_str(&el("selection", &[("select", &n.to_string())], ""));
        }
        inner.push_str(&order);
        inner.push('\n');
        for i in 0..quiz.questions.len() {
            inner.push_str(&item_ref(i));
        }
    } else {
        let sizes: Vec<usize> = pools.iter().map(|(_, m)| m.len()).collect();
        let (counts, fixed) = match quiz.draw {
            Some(n) => pool_counts(&sizes, n),
            None => (sizes.clone(), true),
        };
        if !fixed {
            let names: Vec<String> = pools
                .iter()
                .zip(&counts)
                .map(|((n, _), c)| format!("{} {c}", n.unwrap_or("(no pool)")))
                .collect();
            lost.push(format!(
                "`draw = {}` over {} pools: our draw picks per learner which pools give the last questions, a QTI selection draws fixed counts per pool: {}",
                quiz.draw.unwrap_or(0),
                pools.len(),
                names.join(", ")
            ));
        }
        let interleaved = pools
            .iter()
            .any(|(_, m)| m.windows(2).any(|w| w[1] != w[0] + 1));
        if interleaved && !quiz.shuffle_questions {
            lost.push("the pools' questions are interleaved in the file: QTI asks them pool by pool (sections in order)".to_owned());
        }
        inner.push_str(&order);
        inner.push('\n');
        for (k, ((name, members), count)) in pools.iter().zip(&counts).enumerate() {
            let mut section = String::from("\n");
            if quiz.draw.is_some() {
                section.push_str(&el("selection", &[("select", &count.to_string())], ""));
            }
            section.push_str(&order);
            section.push('\n');
            for &i in members {
                section.push_str(&item_ref(i));
            }
            let id = format!("pool-{}", k + 1);
            inner.push_str(&el(
                "assessmentSection",
                &[
                    ("identifier", &id),
                    ("title", name.unwrap_or("Questions without a pool")),
                    ("visible", "false"),
                    ("keepTogether", "false"),
                ],
                &section,
            ));
            inner.push('\n');
        }
    }
    let section = el(
        "assessmentSection",
        &[
            ("identifier", "questions"),
            ("title", &quiz.title),
            ("visible", "true"),
        ],
        &inner,
    );
    let part = el(
        "testPart",
        &[
            ("identifier", "part-1"),
            ("navigationMode", "nonlinear"),
            ("submissionMode", "individual"),
        ],
        &format!("\n{section}\n"),
    );
    let pass = (f64::from(quiz.pass_mark) / 100.0).to_string();
    let sum_of = |v: &str| {
        el(
            "sum",
            &[],
            &el("testVariables", &[("variableIdentifier", v)], ""),
        )
    };
    let processing = el(
        "outcomeProcessing",
        &[],
        &format!(
            "\n{}\n{}\n{}\n",
            set("SCORE", &sum_of("SCORE")),
            set("MAXSCORE", &sum_of("MAXSCORE")),
            set(
                "PASS",
                &el(
                    "gte",
                    &[],
                    &(var("SCORE")
                        + &el("product", &[], &(var("MAXSCORE") + &base("float", &pass))))
                )
            )
        ),
    );
    let outcomes = format!(
        "{}\n{}\n{}",
        outcome("SCORE", "single", "float", Some("0")),
        outcome("MAXSCORE", "single", "float", Some("0")),
        outcome("PASS", "single", "boolean", None)
    );
    let xml = document(
        "assessmentTest",
        (QTI_NS, QTI_XSD),
        &[("identifier", &ncname(&quiz.id)), ("title", &quiz.title)],
        &format!("\n{outcomes}\n{part}\n{processing}\n"),
    );
    (xml, lost)
}

/// The package's `imsmanifest.xml`: the test and each item as resources.
fn manifest(quiz: &Quiz, test_href: &str, items: &[(String, String)]) -> String {
    let test_id = format!("test-{}", ncname(&quiz.id));
    let mut resources = String::from("\n");
    let dependencies: String = items
        .iter()
        .map(|(id, _)| el("dependency", &[("identifierref", &format!("res-{id}"))], ""))
        .collect();
    resources.push_str(&el(
        "resource",
        &[
            ("identifier", &test_id),
            ("type", "imsqti_test_xmlv2p1"),
            ("href", test_href),
        ],
        &(el("file", &[("href", test_href)], "") + &dependencies),
    ));
    resources.push('\n');
    for (id, href) in items {
        resources.push_str(&el(
            "resource",
            &[
                ("identifier", &format!("res-{id}")),
                ("type", "imsqti_item_xmlv2p1"),
                ("href", href),
            ],
            &el("file", &[("href", href)], ""),
        ));
        resources.push('\n');
    }
    let metadata = el(
        "metadata",
        &[],
        &(el("schema", &[], "QTIv2.1 Package") + &el("schemaversion", &[], "1.0.0")),
    );
    document(
        "manifest",
        (CP_NS, CP_XSD),
        &[("identifier", &format!("manifest-{}", ncname(&quiz.id)))],
        &format!(
            "\n{metadata}\n{}\n{}\n",
            el("organizations", &[], ""),
            el("resources", &[], &resources)
        ),
    )
}

/// The files of the quiz's package as (path, content), and what could not be mapped.
pub fn files(file: &str, quiz: &Quiz) -> (Vec<(String, String)>, Vec<super::Loss>) {
    let mut losses = Losses::new(file);
    let mut files = Vec::new();
    let mut hrefs = Vec::new();
    for q in &quiz.questions {
        let id = ncname(&q.id);
        let href = format!("items/{id}.xml");
        let (xml, lost) = item(q, quiz.shuffle_options);
        losses.extend(&q.id, lost);
        files.push((href.clone(), xml));
        hrefs.push((id, href));
    }
    let test_href = format!("{}.xml", ncname(&quiz.id));
    let (test_xml, lost) = test(quiz, &hrefs);
    for what in lost {
        losses.lose(None, what);
    }
    files.insert(0, (test_href.clone(), test_xml));
    files.insert(
        0,
        (
            "imsmanifest.xml".to_owned(),
            manifest(quiz, &test_href, &hrefs),
        ),
    );
    (files, losses.list)
}

/// The quiz as a QTI 2.1 content package (a zip with `imsmanifest.xml` first), the number of
/// items written, and what could not be mapped. The zip's dates are fixed, so the same quiz
/// gives the same bytes.
pub fn package(file: &str, quiz: &Quiz) -> Result<Exported> {
    let (files, losses) = files(file, quiz);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (path, content) in &files {
        zip.start_file(path.as_str(), options)
            .with_context(|| format!("adding {path} to the package"))?;
        zip.write_all(content.as_bytes())?;
    }
    let bytes = zip.finish().context("writing the package")?.into_inner();
    Ok(Exported {
        bytes,
        written: quiz.questions.len(),
        losses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_counts_follow_our_round_robin_draw() {
        // 6 from pools of 4, 3 and 2: two rounds, two each, fixed.
        assert_eq!(pool_counts(&[4, 3, 2], 6), (vec![2, 2, 2], true));
        // 4: the second round takes one from only one of three pools, chosen per learner.
        assert_eq!(pool_counts(&[4, 3, 2], 4), (vec![2, 1, 1], false));
        // A small pool runs out; the rest come from the other, with no choice left.
        assert_eq!(pool_counts(&[1, 5], 4), (vec![1, 3], true));
        // More than there are: everything.
        assert_eq!(pool_counts(&[1, 2], 9), (vec![1, 2], true));
    }

    #[test]
    fn xhtml_closes_void_elements_decodes_entities_and_reports_what_qti_lacks() {
        let (x, lost) = xhtml::convert(
            "a<br>b&nbsp;&amp;<img src=\"x.png\" alt=\"X\" title=\"t\"> <del>gone</del> <a href=\"u\" rel=\"noopener\">l</a>",
        );
        assert_eq!(
            x,
            "a<br/>b\u{a0}&amp;<img src=\"x.png\" alt=\"X\"/> gone <a href=\"u\">l</a>"
        );
        assert_eq!(
            lost,
            [
                "the `title` attribute of `<img>` is not in QTI's XHTML: left out",
                "`<del>` is not in QTI's XHTML: its text is kept without it"
            ]
        );
        assert!(roxmltree::Document::parse(&format!("<div>{x}</div>")).is_ok());
    }

    #[test]
    fn identifiers_are_ncnames() {
        assert_eq!(ncname("ch02-sync.retries_1"), "ch02-sync.retries_1");
        assert_eq!(ncname("2nd question"), "_2nd_question");
    }
}
