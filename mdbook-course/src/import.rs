//! `mdbook-course import --from gift|moodle-xml FILE -o quiz.toml`: an existing question bank
//! (GIFT text or Moodle XML) as a quiz file, with a report of every question or setting that
//! could not be mapped. The written file is checked as `check` would before it is kept.

use anyhow::{bail, Context, Result};
use roxmltree::Node;
use toml::{Table, Value};

use crate::cli::{ImportArgs, ImportFrom};

mod gift;

/// Imports the bank; `Ok(false)` when nothing could be imported.
pub fn run(args: &ImportArgs) -> Result<bool> {
    if args.out.exists() {
        bail!("{} exists already; choose another name", args.out.display());
    }
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let shown = args.file.display().to_string();
    let id = args
        .id
        .clone()
        .unwrap_or_else(|| course_model::file_stem(&args.out.to_string_lossy()).to_owned());
    let (toml_text, imported, losses) = match args.from {
        ImportFrom::MoodleXml => from_moodle_xml(&shown, &text, &id)?,
        ImportFrom::Gift => from_gift(&shown, &text, &id)?,
    };
    for loss in &losses {
        eprintln!("not mapped: {loss}");
    }
    if imported == 0 {
        eprintln!("mdbook-course import: no question could be imported from {shown}");
        return Ok(false);
    }
    let out = args.out.display().to_string();
    let parsed = course_model::parse_quiz_file(&out, &id, &toml_text);
    if parsed.quiz.is_none() {
        for d in &parsed.diagnostics {
            eprintln!("{d}");
        }
        bail!("the imported quiz does not pass check (a bug in import: please report it); nothing was written");
    }
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.out, toml_text).with_context(|| format!("writing {out}"))?;
    eprintln!(
        "wrote {out}: {imported} question(s), {} thing(s) not mapped",
        losses.len()
    );
    Ok(true)
}

/// The `<text>` of `node`'s child `tag`.
fn child_text<'a>(node: Node<'a, 'a>, tag: &str) -> Option<&'a str> {
    let child = node.children().find(|c| c.has_tag_name(tag))?;
    own_text(child)
}

/// The `<text>` child of `node`.
fn own_text<'a>(node: Node<'a, 'a>) -> Option<&'a str> {
    node.children().find(|c| c.has_tag_name("text"))?.text()
}

fn str_value(text: &str) -> Value {
    Value::String(text.trim().to_owned())
}

/// Reads a Moodle XML bank: the quiz file's text, how many questions it holds, what was lost.
pub fn from_moodle_xml(file: &str, xml: &str, id: &str) -> Result<(String, usize, Vec<String>)> {
    let doc = roxmltree::Document::parse(xml).with_context(|| format!("{file}: not XML"))?;
    let root = doc.root_element();
    if !root.has_tag_name("quiz") {
        bail!("{file}: a Moodle XML bank has a <quiz> root element");
    }
    let mut losses = Vec::new();
    let mut title = None;
    let mut questions = Vec::new();
    for (n, q) in root
        .children()
        .filter(|c| c.has_tag_name("question"))
        .enumerate()
    {
        let line = doc.text_pos_at(q.range().start).row;
        let kind = q.attribute("type").unwrap_or("");
        if kind == "category" {
            let path = q
                .descendants()
                .find(|c| c.has_tag_name("text"))
                .and_then(|t| t.text())
                .unwrap_or("");
            title.get_or_insert_with(|| path.rsplit('/').next().unwrap_or(path).to_owned());
            continue;
        }
        let name = child_text(q, "name").unwrap_or("").trim().to_owned();
        let qid = slug(&name).unwrap_or_else(|| format!("{id}-{}", n + 1));
        let place = format!("{file}:{line}: question `{name}`");
        if let Some(mut t) = question(q, kind, &qid, &place, &mut losses) {
            markdown_safe_fields(&mut t);
            questions.push(Value::Table(t));
        }
    }
    let count = questions.len();
    Ok((
        quiz_toml(file, id, title.as_deref(), questions)?,
        count,
        losses,
    ))
}

/// Reads a GIFT file: the quiz file's text, how many questions it holds, what was lost.
pub fn from_gift(file: &str, text: &str, id: &str) -> Result<(String, usize, Vec<String>)> {
    let read = gift::read(file, text, id)?;
    let count = read.questions.len();
    let questions = read
        .questions
        .into_iter()
        .map(|mut t| {
            markdown_safe_fields(&mut t);
            Value::Table(t)
        })
        .collect();
    Ok((
        quiz_toml(file, id, read.title.as_deref(), questions)?,
        count,
        read.losses,
    ))
}

/// The quiz file's text: `id`, the title (else the id) and the questions.
fn quiz_toml(file: &str, id: &str, title: Option<&str>, questions: Vec<Value>) -> Result<String> {
    let mut quiz = Table::new();
    quiz.insert("id".into(), str_value(id));
    quiz.insert(
        "title".into(),
        str_value(title.filter(|t| !t.is_empty()).unwrap_or(id)),
    );
    quiz.insert("question".into(), Value::Array(questions));
    Ok(format!(
        "# Imported by mdbook-course from {file}: check it with `mdbook-course check`.\n{}",
        toml::to_string(&quiz).context("writing the quiz as TOML")?
    ))
}

/// HTML (as an LMS stores it) made to read back the same as Markdown: in text that Markdown
/// reads inline, the characters it would take for markup (`*`, `_`, `` ` ``, `~`, `[`, `]`, `\`)
/// are escaped outside tags, so `<code>s3:*</code> on <code>…/*</code>` does not turn into
/// emphasis. From a line that opens an HTML block (`<p>`, `<pre>`, `<ul>`…) on, Markdown passes
/// the text through untouched, and so does this.
fn markdown_safe(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "pre",
        "ul",
        "ol",
        "li",
        "table",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "dl",
        "figure",
        "details",
    ];
    let opens_block = |line: &str| {
        let l = line.trim_start();
        l.strip_prefix('<').is_some_and(|rest| {
            let name: String = rest
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            BLOCKS.contains(&name.to_ascii_lowercase().as_str())
        })
    };
    let mut out = String::with_capacity(html.len());
    let mut raw = false;
    for (n, line) in html.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        raw = raw || opens_block(line);
        if raw {
            out.push_str(line);
            continue;
        }
        let mut in_tag = false;
        for c in line.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                '*' | '_' | '`' | '~' | '[' | ']' | '\\' if !in_tag => out.push('\\'),
                _ => {}
            }
            out.push(c);
        }
    }
    out
}

/// The question's Markdown fields (prompt, feedback, options, pairs, items…) made
/// [`markdown_safe`].
fn markdown_safe_fields(t: &mut Table) {
    fn fix(v: &mut Value) {
        if let Value::String(s) = v {
            *s = markdown_safe(s);
        }
    }
    for key in ["prompt", "explanation", "hint", "why_true", "why_false"] {
        if let Some(v) = t.get_mut(key) {
            fix(v);
        }
    }
    for key in ["items", "distractors"] {
        if let Some(Value::Array(list)) = t.get_mut(key) {
            list.iter_mut().for_each(fix);
        }
    }
    for (key, fields) in [("option", ["text", "why"]), ("pair", ["left", "right"])] {
        if let Some(Value::Array(list)) = t.get_mut(key) {
            for item in list {
                if let Value::Table(o) = item {
                    for f in fields {
                        if let Some(v) = o.get_mut(f) {
                            fix(v);
                        }
                    }
                }
            }
        }
    }
}

/// A prompt whose text ends with a code excerpt as the exporters write it (`<pre><code
/// class="language-x">…</code></pre>`, the code escaped and holding no tags): the prompt before
/// it, the code, and its language. `None` when it does not end so.
fn split_code(prompt: &str) -> Option<(String, String, Option<String>)> {
    let body = prompt.trim_end().strip_suffix("</code></pre>")?;
    let start = body.rfind("<pre><code")?;
    let rest = &body[start + "<pre><code".len()..];
    let close = rest.find('>')?;
    let (attrs, code) = (&rest[..close], &rest[close + 1..]);
    if code.contains('<') {
        return None;
    }
    let lang = match attrs.trim() {
        "" => None,
        a => Some(
            a.strip_prefix("class=\"language-")?
                .strip_suffix('"')?
                .to_owned(),
        ),
    };
    let code = code
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    Some((body[..start].trim_end().to_owned(), code, lang))
}

/// Puts `prompt` into `t`, with a trailing code excerpt as `code` (and `code_lang`).
fn insert_prompt(t: &mut Table, prompt: &str) {
    match split_code(prompt) {
        Some((before, code, lang)) if !before.is_empty() => {
            t.insert("prompt".into(), str_value(&before));
            t.insert("code".into(), Value::String(code));
            if let Some(l) = lang {
                t.insert("code_lang".into(), str_value(&l));
            }
        }
        _ => {
            t.insert("prompt".into(), str_value(prompt));
        }
    }
}

/// An id from a question's name (ASCII letters, digits, `-`, `_`, `.`), if it has any.
fn slug(name: &str) -> Option<String> {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_owned();
    (!s.is_empty()).then_some(s)
}

/// One `<question>` as a `[[question]]` table, or `None` (reported) when its type has no match.
fn question(q: Node, kind: &str, id: &str, place: &str, losses: &mut Vec<String>) -> Option<Table> {
    let mut t = Table::new();
    t.insert("id".into(), str_value(id));
    let typ = match kind {
        "multichoice" => {
            if child_text_plain(q, "single").as_deref() == Some("true") {
                "single"
            } else {
                "multiple"
            }
        }
        "truefalse" => "true-false",
        "shortanswer" => "short",
        "numerical" => "numeric",
        "ordering" => "ordering",
        "matching" => "matching",
        other => {
            losses.push(format!(
                "{place}: left out: the `{other}` type has no counterpart here (types: single, multiple, true-false, short, numeric, ordering, matching)"
            ));
            return None;
        }
    };
    t.insert("type".into(), str_value(typ));
    // Moodle's HTML is kept as it is: Markdown passes inline HTML through (sanitised).
    insert_prompt(&mut t, child_text(q, "questiontext").unwrap_or(""));
    if let Some(e) = child_text(q, "generalfeedback").filter(|e| !e.trim().is_empty()) {
        t.insert("explanation".into(), str_value(e));
    }
    let hints: Vec<&str> = q
        .children()
        .filter(|c| c.has_tag_name("hint"))
        .filter_map(own_text)
        .collect();
    if let Some(first) = hints.first() {
        t.insert("hint".into(), str_value(first));
        if hints.len() > 1 {
            losses.push(format!(
                "{place}: {} more hint(s): a question has one hint here; the first is kept",
                hints.len() - 1
            ));
        }
    }
    let answers: Vec<(f64, String, Option<String>)> = q
        .children()
        .filter(|c| c.has_tag_name("answer"))
        .map(|a| {
            let fraction = a
                .attribute("fraction")
                .and_then(|f| f.parse().ok())
                .unwrap_or(0.0);
            let text = own_text(a).unwrap_or("").trim().to_owned();
            let feedback = child_text(a, "feedback")
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned);
            (fraction, text, feedback)
        })
        .collect();
    match typ {
        "single" | "multiple" => {
            let options: Vec<Value> = answers
                .iter()
                .map(|(fraction, text, why)| {
                    let mut o = Table::new();
                    o.insert("text".into(), str_value(text));
                    o.insert("correct".into(), Value::Boolean(*fraction > 0.0));
                    if let Some(w) = why {
                        o.insert("why".into(), str_value(w));
                    }
                    Value::Table(o)
                })
                .collect();
            if typ == "single" && answers.iter().any(|(f, _, _)| *f > 0.0 && *f < 100.0) {
                losses.push(format!("{place}: partly right options (fractions between 0 and 100) count as wrong here"));
            }
            if typ == "multiple" {
                t.insert("partial_credit".into(), Value::Boolean(true));
            }
            t.insert("option".into(), Value::Array(options));
        }
        "true-false" => {
            let Some(right) = answers.iter().find(|(f, _, _)| *f > 0.0) else {
                losses.push(format!(
                    "{place}: left out: no answer has a fraction above 0"
                ));
                return None;
            };
            let answer = right.1.eq_ignore_ascii_case("true");
            t.insert("answer".into(), Value::Boolean(answer));
            for (_, text, why) in &answers {
                if let Some(w) = why {
                    let key = if text.eq_ignore_ascii_case("true") {
                        "why_true"
                    } else {
                        "why_false"
                    };
                    t.insert(key.into(), str_value(w));
                }
            }
        }
        "short" => {
            let accepted: Vec<Value> = answers
                .iter()
                .filter(|(f, _, _)| *f >= 100.0)
                .map(|(_, a, _)| str_value(a))
                .collect();
            if answers.iter().any(|(f, _, _)| *f > 0.0 && *f < 100.0) {
                losses.push(format!(
                    "{place}: partly right answers are left out: an answer is right or wrong here"
                ));
            }
            if answers.iter().any(|(_, a, _)| a.contains('*')) {
                losses.push(format!(
                    "{place}: `*` wildcards are kept as text: write a `pattern` for them"
                ));
            }
            if child_text_plain(q, "usecase").as_deref() == Some("1") {
                t.insert("case_sensitive".into(), Value::Boolean(true));
            }
            t.insert("answers".into(), Value::Array(accepted));
        }
        "numeric" => {
            let Some(value) = answers
                .iter()
                .find(|(f, _, _)| *f >= 100.0)
                .and_then(|(_, v, _)| v.trim().parse::<f64>().ok())
            else {
                losses.push(format!(
                    "{place}: left out: no fully right answer that is a number"
                ));
                return None;
            };
            t.insert("answer".into(), Value::Float(value));
            let tolerance: f64 = q
                .descendants()
                .find(|c| c.has_tag_name("tolerance"))
                .and_then(|c| c.text())
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0.0);
            if tolerance > 0.0 {
                t.insert("tolerance".into(), Value::Float(tolerance));
            }
            let units: Vec<&str> = q
                .descendants()
                .filter(|c| c.has_tag_name("unit_name"))
                .filter_map(|c| c.text())
                .collect();
            if let Some(u) = units.first() {
                t.insert("unit".into(), str_value(u));
            }
            if units.len() > 1 {
                losses.push(format!(
                    "{place}: {} more unit(s): one unit is kept",
                    units.len() - 1
                ));
            }
        }
        "ordering" => {
            let items: Vec<Value> = answers.iter().map(|(_, a, _)| str_value(a)).collect();
            if child_text_plain(q, "gradingtype").as_deref() != Some("ALL_OR_NOTHING") {
                t.insert("partial_credit".into(), Value::Boolean(true));
            }
            t.insert("items".into(), Value::Array(items));
        }
        "matching" => {
            let mut pairs = Vec::new();
            let mut distractors = Vec::new();
            for s in q.children().filter(|c| c.has_tag_name("subquestion")) {
                let left = own_text(s).unwrap_or("").trim();
                let right = child_text(s, "answer").unwrap_or("").trim();
                if left.is_empty() {
                    distractors.push(str_value(right));
                } else {
                    let mut p = Table::new();
                    p.insert("left".into(), str_value(left));
                    p.insert("right".into(), str_value(right));
                    pairs.push(Value::Table(p));
                }
            }
            t.insert("partial_credit".into(), Value::Boolean(true));
            t.insert("pair".into(), Value::Array(pairs));
            if !distractors.is_empty() {
                t.insert("distractors".into(), Value::Array(distractors));
            }
        }
        _ => unreachable!("every type is matched above"),
    }
    Some(t)
}

/// The plain text of `node`'s child `tag` (no `<text>` wrapper: `<single>true</single>`).
fn child_text_plain(node: Node, tag: &str) -> Option<String> {
    node.children()
        .find(|c| c.has_tag_name(tag))?
        .text()
        .map(|t| t.trim().to_owned())
}
