//! `mdbook-course import --from gift`: Moodle's GIFT text format read into quiz tables.
//!
//! What is read (Moodle's "GIFT format" page): `//` comment lines; questions separated by blank
//! lines; `$CATEGORY: path` (the last category's name becomes the title); `::title::` (the
//! question's id); the `[html]`, `[markdown]`, `[plain]` and `[moodle]` formats; escapes `\~ \= \#
//! \{ \} \: \\ \n`; and in the answer block `{…}`: multiple choice (`=right ~wrong`, `~%50%`
//! weights), true/false (`T`, `TRUE`, `F`, `FALSE`), short answer (only `=` answers), numeric
//! (`#value:tolerance`, `#min..max`, `#=value:tolerance =%50%…`), matching (`=left -> right`),
//! per-answer feedback `#…` and general feedback `####…`. Essays (`{}`), descriptions (no block)
//! and missing-word questions (text after the block) are reported, with their line.
//!
//! A file that is not GIFT stops the import with `FILE:LINE:COL` and what was expected there.

use anyhow::{bail, Result};
use toml::{Table, Value};

/// One character of the file with its 1-based line and column.
type Ch = (char, usize, usize);

/// The quiz file's tables from a GIFT text: the questions, the title (the last category's name,
/// if any), and what could not be mapped.
pub struct Read {
    /// The `[[question]]` tables.
    pub questions: Vec<Table>,
    /// The last `$CATEGORY`'s last segment.
    pub title: Option<String>,
    /// What was lost, each with `FILE:LINE`.
    pub losses: Vec<String>,
}

/// Blocks of the file: runs of non-blank, non-comment lines, with each character's place.
fn blocks(text: &str) -> Vec<Vec<Ch>> {
    let mut blocks = Vec::new();
    let mut current: Vec<Ch> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            continue;
        }
        if trimmed.starts_with("$CATEGORY:") && !current.is_empty() {
            blocks.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            let (_, l, c) = *current.last().expect("not empty");
            current.push(('\n', l, c + 1));
        }
        for (col, ch) in line.chars().enumerate() {
            current.push((ch, n + 1, col + 1));
        }
        if trimmed.starts_with("$CATEGORY:") {
            blocks.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// The index of the first unescaped `pat` in `s[from..to]`.
fn find(s: &[Ch], from: usize, to: usize, pat: &str) -> Option<usize> {
    let pat: Vec<char> = pat.chars().collect();
    let mut i = from;
    while i < to {
        if s[i].0 == '\\' {
            i += 2;
            continue;
        }
        if i + pat.len() <= to
            && s[i..i + pat.len()]
                .iter()
                .map(|c| c.0)
                .eq(pat.iter().copied())
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `s[from..to]` unescaped and trimmed.
fn text(s: &[Ch], from: usize, to: usize) -> String {
    let mut out = String::new();
    let mut i = from;
    while i < to {
        let c = s[i].0;
        if c == '\\' && i + 1 < to {
            let next = s[i + 1].0;
            out.push(if next == 'n' { '\n' } else { next });
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out.trim().to_owned()
}

/// `file:line:col` of `s[i]` (or of the block's end).
fn place(file: &str, s: &[Ch], i: usize) -> String {
    let (_, l, c) = s.get(i).or(s.last()).copied().unwrap_or((' ', 1, 1));
    format!("{file}:{l}:{c}")
}

/// Skips whitespace from `i`.
fn skip_ws(s: &[Ch], mut i: usize, to: usize) -> usize {
    while i < to && s[i].0.is_whitespace() {
        i += 1;
    }
    i
}

/// One answer of a `=`/`~` list.
struct Answer {
    right: bool,
    weight: Option<f64>,
    text: String,
    feedback: Option<String>,
    /// Where the answer starts.
    at: usize,
}

/// The answers of `s[from..to]`: each starts with an unescaped `=` or `~`.
fn answers(file: &str, s: &[Ch], from: usize, to: usize) -> Result<Vec<Answer>> {
    let mut starts = Vec::new();
    let mut i = from;
    while i < to {
        match s[i].0 {
            '\\' => i += 2,
            '=' | '~' => {
                // `->` of a matching pair is not an answer start; `=` inside `%…%` is none
                starts.push(i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    let first = skip_ws(s, from, to);
    if first >= to {
        bail!(
            "{}: expected an answer (`=right`, `~wrong`) before the end of the block",
            place(file, s, first)
        );
    }
    if starts.first() != Some(&first) {
        bail!(
            "{}: expected `=` (a right answer) or `~` (a wrong one) to start an answer, found `{}`",
            place(file, s, first),
            s[first].0
        );
    }
    let mut out = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(to);
        let mut j = start + 1;
        let mut weight = None;
        if j < end && s[j].0 == '%' {
            let Some(close) = find(s, j + 1, end, "%") else {
                bail!(
                    "{}: the weight opened with `%` has no closing `%` (write `~%50%answer`)",
                    place(file, s, j)
                );
            };
            let w = text(s, j + 1, close);
            weight = Some(w.parse::<f64>().map_err(|_| {
                anyhow::anyhow!(
                    "{}: `{w}` is not a weight: write a percentage such as `%50%` or `%-25%`",
                    place(file, s, j + 1)
                )
            })?);
            j = close + 1;
        }
        let (body_end, feedback) = match find(s, j, end, "#") {
            Some(h) => (h, Some(text(s, h + 1, end)).filter(|f| !f.is_empty())),
            None => (end, None),
        };
        out.push(Answer {
            right: s[start].0 == '=',
            weight,
            text: text(s, j, body_end),
            feedback,
            at: start,
        });
    }
    Ok(out)
}

fn str_value(text: &str) -> Value {
    Value::String(text.trim().to_owned())
}

/// A number of a numeric answer, or an error at its place.
fn number(file: &str, s: &[Ch], from: usize, to: usize) -> Result<f64> {
    let t = text(s, from, to);
    t.parse::<f64>().map_err(|_| {
        anyhow::anyhow!(
            "{}: `{t}` is not a number (numeric answers: `#value`, `#value:tolerance` or `#min..max`)",
            place(file, s, skip_ws(s, from, to))
        )
    })
}

/// A numeric answer `value`, `value:tolerance` or `min..max` into `t`.
fn numeric_answer(file: &str, s: &[Ch], from: usize, to: usize, t: &mut Table) -> Result<()> {
    if let Some(dots) = find(s, from, to, "..") {
        let lo = number(file, s, from, dots)?;
        let hi = number(file, s, dots + 2, to)?;
        if lo > hi {
            bail!(
                "{}: the range {lo}..{hi} is empty: write the lower bound first",
                place(file, s, skip_ws(s, from, to))
            );
        }
        t.insert("min".into(), Value::Float(lo));
        t.insert("max".into(), Value::Float(hi));
    } else if let Some(colon) = find(s, from, to, ":") {
        t.insert("answer".into(), Value::Float(number(file, s, from, colon)?));
        let tol = number(file, s, colon + 1, to)?.abs();
        if tol > 0.0 {
            t.insert("tolerance".into(), Value::Float(tol));
        }
    } else {
        t.insert("answer".into(), Value::Float(number(file, s, from, to)?));
    }
    Ok(())
}

/// Reads a GIFT text into question tables; `Err` (naming `file:line:col`) when it is not GIFT.
pub fn read(file: &str, source: &str, quiz_id: &str) -> Result<Read> {
    let mut read = Read {
        questions: Vec::new(),
        title: None,
        losses: Vec::new(),
    };
    let mut used_ids: Vec<String> = Vec::new();
    for block in blocks(source) {
        let s = &block[..];
        let to = s.len();
        let line = s[0].1;
        let start = skip_ws(s, 0, to);
        let head: String = s[start..].iter().take(10).map(|c| c.0).collect();
        if head == "$CATEGORY:" {
            let path = text(s, start + 10, to);
            let name = path.rsplit('/').next().unwrap_or(&path).trim().to_owned();
            if !name.is_empty() {
                read.title = Some(name);
            }
            continue;
        }
        let mut i = start;
        let mut title = None;
        if s[i..].iter().take(2).map(|c| c.0).eq("::".chars()) {
            let Some(close) = find(s, i + 2, to, "::") else {
                bail!(
                    "{}: the title opened with `::` is never closed: write `::title::` before the question",
                    place(file, s, i)
                );
            };
            title = Some(text(s, i + 2, close));
            i = close + 2;
        }
        i = skip_ws(s, i, to);
        let mut format = "moodle".to_owned();
        if i < to && s[i].0 == '[' {
            if let Some(close) = find(s, i, to, "]") {
                let f = text(s, i + 1, close);
                if ["html", "moodle", "plain", "markdown"].contains(&f.as_str()) {
                    format = f;
                    i = close + 1;
                }
            }
        }
        let n = read.questions.len() + 1;
        let shown = title.clone().unwrap_or_else(|| format!("#{n}"));
        let at = format!("{file}:{line}: question `{shown}`");
        let Some(open) = find(s, i, to, "{") else {
            read.losses.push(format!(
                "{at}: left out: a description (no answer block `{{…}}`) has no counterpart here; put its text in the chapter"
            ));
            continue;
        };
        if let Some(stray) = find(s, i, open, "}") {
            bail!(
                "{}: `}}` before any `{{`: escape it as `\\}}` in question text",
                place(file, s, stray)
            );
        }
        let Some(close) = find(s, open + 1, to, "}") else {
            bail!(
                "{}: the answers opened here with `{{` are never closed with `}}`",
                place(file, s, open)
            );
        };
        if let Some(nested) = find(s, open + 1, close, "{") {
            bail!(
                "{}: `{{` inside an answer block: escape it as `\\{{`",
                place(file, s, nested)
            );
        }
        let mut prompt = text(s, i, open);
        let after = text(s, close + 1, to);
        if !after.is_empty() {
            read.losses.push(format!("{at}: a missing-word question (text after the answers) becomes a question whose prompt shows the gap as `_____`"));
            prompt = format!("{prompt} _____ {after}");
        }
        if format == "plain" {
            read.losses.push(format!("{at}: `[plain]` text is read as Markdown here (as `[moodle]` and `[html]` text is)"));
        }
        let id = title
            .as_deref()
            .and_then(super::slug)
            .unwrap_or_else(|| format!("{quiz_id}-{n}"));
        let mut id_unique = id.clone();
        let mut k = 2;
        while used_ids.contains(&id_unique) {
            id_unique = format!("{id}-{k}");
            k += 1;
        }
        used_ids.push(id_unique.clone());
        let mut t = Table::new();
        t.insert("id".into(), str_value(&id_unique));
        // Answers and general feedback.
        let (answers_end, general) = match find(s, open + 1, close, "####") {
            Some(g) => (g, Some(text(s, g + 4, close)).filter(|g| !g.is_empty())),
            None => (close, None),
        };
        let body_start = skip_ws(s, open + 1, answers_end);
        let body = text(s, open + 1, answers_end);
        let kind = question_kind(
            file,
            s,
            (body_start, answers_end),
            &body,
            &at,
            &mut t,
            &mut read.losses,
        )?;
        let Some(kind) = kind else { continue };
        t.insert("type".into(), str_value(kind));
        super::insert_prompt(&mut t, &prompt);
        if let Some(g) = general {
            t.insert("explanation".into(), str_value(&g));
        }
        read.questions.push(t);
    }
    Ok(read)
}

/// Fills `t` with the answer block's data; the type's name, or `None` (reported) when it has no
/// counterpart here.
fn question_kind(
    file: &str,
    s: &[Ch],
    (from, to): (usize, usize),
    body: &str,
    at: &str,
    t: &mut Table,
    losses: &mut Vec<String>,
) -> Result<Option<&'static str>> {
    if body.is_empty() {
        losses.push(format!(
            "{at}: left out: an essay (`{{}}`) has no counterpart here (types: single, multiple, true-false, short, numeric, ordering, matching)"
        ));
        return Ok(None);
    }
    if s[from].0 == '#' {
        let inner = from + 1;
        if find(s, inner, to, "=").is_some() {
            let list = answers(file, s, skip_ws(s, inner, to), to)?;
            let Some(first) = list
                .iter()
                .find(|a| a.right && a.weight.is_none_or(|w| w >= 100.0))
            else {
                losses.push(format!("{at}: left out: no fully right numeric answer"));
                return Ok(None);
            };
            let end = find(s, first.at, to, "#").unwrap_or(to);
            let next = list
                .iter()
                .map(|a| a.at)
                .find(|&a| a > first.at)
                .unwrap_or(to)
                .min(end);
            let value_from = if s.get(first.at + 1).is_some_and(|c| c.0 == '%') {
                find(s, first.at + 2, to, "%").map_or(first.at + 1, |p| p + 1)
            } else {
                first.at + 1
            };
            numeric_answer(file, s, value_from, next, t)?;
            if list.len() > 1 {
                losses.push(format!("{at}: {} more numeric answer(s) (partly right or alternatives): one answer or range is kept", list.len() - 1));
            }
            if list.iter().any(|a| a.feedback.is_some()) {
                losses.push(format!("{at}: per-answer feedback of a numeric question: left out (use the general feedback)"));
            }
        } else {
            let end = find(s, inner, to, "#").unwrap_or(to);
            if end < to {
                losses.push(format!(
                    "{at}: the numeric answer's feedback: left out (use the general feedback)"
                ));
            }
            numeric_answer(file, s, inner, end, t)?;
        }
        return Ok(Some("numeric"));
    }
    let tf_end = find(s, from, to, "#").unwrap_or(to);
    let word = text(s, from, tf_end);
    if ["T", "TRUE", "F", "FALSE"].contains(&word.as_str()) {
        let answer = word.starts_with('T');
        t.insert("answer".into(), Value::Boolean(answer));
        if tf_end < to {
            // {TRUE#shown when the learner is wrong#shown when right}
            let second = find(s, tf_end + 1, to, "#");
            let when_wrong = text(s, tf_end + 1, second.unwrap_or(to));
            let when_right = second.map(|h| text(s, h + 1, to)).unwrap_or_default();
            let (why_true, why_false) = if answer {
                (when_right, when_wrong)
            } else {
                (when_wrong, when_right)
            };
            if !why_true.is_empty() {
                t.insert("why_true".into(), str_value(&why_true));
            }
            if !why_false.is_empty() {
                t.insert("why_false".into(), str_value(&why_false));
            }
        }
        return Ok(Some("true-false"));
    }
    let list = answers(file, s, from, to)?;
    let all_right = list.iter().all(|a| a.right);
    let pairs: Vec<Option<(String, String)>> = list
        .iter()
        .map(|a| {
            a.text
                .split_once("->")
                .map(|(l, r)| (l.trim().to_owned(), r.trim().to_owned()))
        })
        .collect();
    if all_right && pairs.iter().all(Option::is_some) {
        let mut table = Vec::new();
        let mut distractors = Vec::new();
        for (left, right) in pairs.into_iter().flatten() {
            if left.is_empty() {
                distractors.push(str_value(&right));
            } else {
                let mut p = Table::new();
                p.insert("left".into(), str_value(&left));
                p.insert("right".into(), str_value(&right));
                table.push(Value::Table(p));
            }
        }
        if list.iter().any(|a| a.feedback.is_some()) {
            losses.push(format!(
                "{at}: feedback on matching pairs: left out (use the general feedback)"
            ));
        }
        // Moodle's matching gives credit per pair.
        t.insert("partial_credit".into(), Value::Boolean(true));
        t.insert("pair".into(), Value::Array(table));
        if !distractors.is_empty() {
            t.insert("distractors".into(), Value::Array(distractors));
        }
        return Ok(Some("matching"));
    }
    if all_right {
        let full: Vec<Value> = list
            .iter()
            .filter(|a| a.weight.is_none_or(|w| w >= 100.0))
            .map(|a| str_value(&a.text))
            .collect();
        if full.len() < list.len() {
            losses.push(format!(
                "{at}: partly right answers are left out: an answer is right or wrong here"
            ));
        }
        if list.iter().any(|a| a.feedback.is_some()) {
            losses.push(format!(
                "{at}: feedback on short answers: left out (use the general feedback)"
            ));
        }
        if list.iter().any(|a| a.text.contains('*')) {
            losses.push(format!(
                "{at}: `*` wildcards are kept as text: write a `pattern` for them"
            ));
        }
        if full.is_empty() {
            losses.push(format!("{at}: left out: no fully right answer"));
            return Ok(None);
        }
        t.insert("answers".into(), Value::Array(full));
        return Ok(Some("short"));
    }
    // Multiple choice: `=` is 100 %, `~` 0 % unless weighted.
    let percent = |a: &Answer| a.weight.unwrap_or(if a.right { 100.0 } else { 0.0 });
    let positive = list.iter().filter(|a| percent(a) > 0.0).count();
    // One `=` answer makes a one-answer question; weights on every answer (`~%50%…`, as Moodle
    // writes multiple-answer questions) a several-answer one.
    let single = list.iter().any(|a| a.right)
        && positive == 1
        && list
            .iter()
            .all(|a| percent(a) <= 0.0 || percent(a) >= 100.0);
    let options: Vec<Value> = list
        .iter()
        .map(|a| {
            let mut o = Table::new();
            o.insert("text".into(), str_value(&a.text));
            o.insert("correct".into(), Value::Boolean(percent(a) > 0.0));
            if let Some(f) = &a.feedback {
                o.insert("why".into(), str_value(f));
            }
            Value::Table(o)
        })
        .collect();
    if positive == 0 {
        losses.push(format!(
            "{at}: left out: no option is right (none has `=` or a positive weight)"
        ));
        return Ok(None);
    }
    if !single {
        let n = positive as f64;
        let ours = |a: &Answer| {
            let w = if percent(a) > 0.0 { 100.0 } else { -100.0 } / n;
            (w * 100_000.0).round() / 100_000.0
        };
        if list.iter().any(|a| {
            (percent(a) - ours(a)).abs() > 0.001 && !(percent(a) == 0.0 && a.weight.is_none())
        }) {
            losses.push(format!("{at}: the options' weights become our partial credit (each right option 100/n %, each wrong one −100/n %)"));
        }
        t.insert("partial_credit".into(), Value::Boolean(true));
    }
    t.insert("option".into(), Value::Array(options));
    Ok(Some(if single { "single" } else { "multiple" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(gift: &str) -> (Table, Vec<String>) {
        let r = read("t.gift", gift, "q").unwrap();
        assert_eq!(r.questions.len(), 1, "{:?}", r.losses);
        (r.questions[0].clone(), r.losses)
    }

    fn err(gift: &str) -> String {
        format!("{:#}", read("t.gift", gift, "q").err().expect("an error"))
    }

    fn s<'a>(t: &'a Table, key: &str) -> &'a str {
        t[key].as_str().unwrap()
    }

    #[test]
    fn single_choice_with_feedback_title_and_general_feedback() {
        let (t, lost) = one(
            "// a comment\n::Sync retries::Lambda retries? {\n=No#The caller decides.\n~Yes#That is async.\n####Synchronous callers retry.}",
        );
        assert!(lost.is_empty(), "{lost:?}");
        assert_eq!(s(&t, "id"), "sync-retries");
        assert_eq!(s(&t, "type"), "single");
        assert_eq!(s(&t, "prompt"), "Lambda retries?");
        assert_eq!(s(&t, "explanation"), "Synchronous callers retry.");
        let o = t["option"].as_array().unwrap();
        assert_eq!(o[0]["text"].as_str(), Some("No"));
        assert_eq!(o[0]["correct"].as_bool(), Some(true));
        assert_eq!(o[0]["why"].as_str(), Some("The caller decides."));
        assert_eq!(o[1]["correct"].as_bool(), Some(false));
    }

    #[test]
    fn weights_make_a_multiple_choice_with_partial_credit() {
        let (t, lost) = one("Even? {~%50%2 ~%50%4 ~%-50%5#Odd.}");
        assert_eq!(s(&t, "type"), "multiple");
        assert_eq!(t["partial_credit"].as_bool(), Some(true));
        let correct: Vec<bool> = t["option"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["correct"].as_bool().unwrap())
            .collect();
        assert_eq!(correct, [true, true, false]);
        assert!(lost.is_empty(), "our own weights: {lost:?}");
        let (_, lost) = one("Even? {~%70%2 ~%30%4 ~5}");
        assert!(
            lost[0].contains("weights become our partial credit"),
            "{lost:?}"
        );
    }

    #[test]
    fn true_false_feedback_is_read_as_wrong_then_right() {
        let (t, _) = one("Lambda retries sync calls. {FALSE#No: the caller decides.#Right.}");
        assert_eq!(s(&t, "type"), "true-false");
        assert_eq!(t["answer"].as_bool(), Some(false));
        assert_eq!(s(&t, "why_true"), "No: the caller decides.");
        assert_eq!(s(&t, "why_false"), "Right.");
        let (t, _) = one("Two is even. {T}");
        assert_eq!(t["answer"].as_bool(), Some(true));
    }

    #[test]
    fn short_answers_and_escapes() {
        let (t, lost) =
            one("Where do logs go\\? 1 \\= 1 \\{x\\} {=CloudWatch =Amazon CloudWatch =%50%Logs}");
        assert_eq!(s(&t, "type"), "short");
        assert_eq!(s(&t, "prompt"), "Where do logs go? 1 = 1 {x}");
        let a: Vec<&str> = t["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(a, ["CloudWatch", "Amazon CloudWatch"]);
        assert!(
            lost[0].contains("t.gift:1: question `#1`: partly right answers"),
            "{lost:?}"
        );
    }

    #[test]
    fn numeric_tolerance_range_and_alternatives() {
        let (t, _) = one("::ms::Ms in a second? {#1000:5}");
        assert_eq!(s(&t, "type"), "numeric");
        assert_eq!(t["answer"].as_float(), Some(1000.0));
        assert_eq!(t["tolerance"].as_float(), Some(5.0));
        let (t, _) = one("Between? {#10..20}");
        assert_eq!(t["min"].as_float(), Some(10.0));
        assert_eq!(t["max"].as_float(), Some(20.0));
        let (t, lost) = one("Memory in GB? {#=1.77:0.01#Good =%50%2:0.5#Close}");
        assert_eq!(t["answer"].as_float(), Some(1.77));
        assert_eq!(t["tolerance"].as_float(), Some(0.01));
        assert!(
            lost.iter().any(|l| l.contains("1 more numeric answer")),
            "{lost:?}"
        );
    }

    #[test]
    fn matching_pairs() {
        let (t, _) = one("Match. {=Init -> Code outside the handler =Invoke -> The handler =Shutdown -> Reclaim}");
        assert_eq!(s(&t, "type"), "matching");
        let p = t["pair"].as_array().unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[1]["left"].as_str(), Some("Invoke"));
        assert_eq!(p[1]["right"].as_str(), Some("The handler"));
    }

    #[test]
    fn categories_give_the_title_and_html_is_kept() {
        let r = read(
            "t.gift",
            "$CATEGORY: $course$/top/Invocation\n\n::a::[html]Pick <strong>one</strong> {=x ~y}\n",
            "q",
        )
        .unwrap();
        assert_eq!(r.title.as_deref(), Some("Invocation"));
        assert_eq!(
            r.questions[0]["prompt"].as_str(),
            Some("Pick <strong>one</strong>")
        );
    }

    #[test]
    fn essays_descriptions_and_missing_words_are_reported_with_their_line() {
        let r = read(
            "t.gift",
            "::e::Explain cold starts. {}\n\n::d::Just text.\n\n::m::Lambda {=retries ~ignores} async failures.\n",
            "q",
        )
        .unwrap();
        assert_eq!(r.questions.len(), 1);
        assert!(
            r.losses[0].starts_with("t.gift:1: question `e`: left out: an essay"),
            "{:?}",
            r.losses
        );
        assert!(
            r.losses[1].starts_with("t.gift:3: question `d`: left out: a description"),
            "{:?}",
            r.losses
        );
        assert!(
            r.losses[2].starts_with("t.gift:5: question `m`: a missing-word question"),
            "{:?}",
            r.losses
        );
        assert_eq!(
            r.questions[0]["prompt"].as_str(),
            Some("Lambda _____ async failures.")
        );
    }

    #[test]
    fn bad_input_names_line_and_column() {
        assert!(
            err("\n::t::Q {=a ~b\n")
                .starts_with("t.gift:2:8: the answers opened here with `{` are never closed"),
            "{}",
            err("\n::t::Q {=a ~b\n")
        );
        assert!(
            err("::t Q {=a}").starts_with("t.gift:1:1: the title opened with `::` is never closed")
        );
        assert!(
            err("Q {=a ~%x%b}").starts_with("t.gift:1:9: `x` is not a weight"),
            "{}",
            err("Q {=a ~%x%b}")
        );
        assert!(
            err("Q {#abc}").starts_with("t.gift:1:5: `abc` is not a number"),
            "{}",
            err("Q {#abc}")
        );
        assert!(
            err("Q {a =b}").starts_with("t.gift:1:4: expected `=`"),
            "{}",
            err("Q {a =b}")
        );
        assert!(
            err("Q } {=a}").starts_with("t.gift:1:3: `}` before any `{`"),
            "{}",
            err("Q } {=a}")
        );
    }

    #[test]
    fn duplicate_titles_get_distinct_ids() {
        let r = read("t.gift", "::a::Q {T}\n\n::a::R {F}\n", "q").unwrap();
        assert_eq!(r.questions[1]["id"].as_str(), Some("a-2"));
    }
}
