//! Reading xAPI statements into the records the analysis needs: who answered which question
//! (which version of it), when, how, how well; and each finished quiz round's score.

use std::collections::BTreeMap;

use serde_json::Value;

/// One `answered` statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Who (a stable key for the actor).
    pub learner: String,
    /// The quiz id.
    pub quiz: String,
    /// The question id.
    pub question: String,
    /// The question's content hash (empty when the statement had none).
    pub hash: String,
    /// ISO 8601 timestamp (sorts in time order).
    pub timestamp: String,
    /// Full marks.
    pub success: bool,
    /// 0 to 1.
    pub score: f64,
    /// The response as sent.
    pub response: String,
    /// `choice`, `true-false`, ...
    pub interaction: String,
    /// Seconds, when the statement had a duration.
    pub seconds: Option<f64>,
}

/// One finished quiz round (`completed` of a quiz).
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Who.
    pub learner: String,
    /// The quiz id.
    pub quiz: String,
    /// When.
    pub timestamp: String,
    /// 0 to 1.
    pub score: f64,
}

/// The records found in a set of statements, and how many statements were not ours.
#[derive(Debug, Default)]
pub struct Records {
    /// The `answered` statements.
    pub answers: Vec<Answer>,
    /// The quiz rounds.
    pub rounds: Vec<Round>,
    /// Statements that are neither (other verbs, other activities).
    pub skipped: usize,
}

fn learner(actor: &Value) -> String {
    if let Some(acc) = actor.get("account") {
        return format!(
            "{}#{}",
            acc["homePage"].as_str().unwrap_or(""),
            acc["name"].as_str().unwrap_or("")
        );
    }
    for key in ["mbox", "mbox_sha1sum", "openid"] {
        if let Some(v) = actor.get(key).and_then(Value::as_str) {
            return v.to_owned();
        }
    }
    actor.to_string()
}

/// Seconds in an ISO 8601 duration (`PT1H2M3.5S`).
pub fn seconds(duration: &str) -> Option<f64> {
    let rest = duration.strip_prefix("PT")?;
    let mut total = 0.0;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => number.push(c),
            'H' | 'M' | 'S' => {
                let n: f64 = number.parse().ok()?;
                total += n * match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                number.clear();
            }
            _ => return None,
        }
    }
    number.is_empty().then_some(total)
}

/// `(quiz, Some(question))` from an activity id `.../quiz/{quiz}[/question/{question}]`.
fn ids(activity: &str) -> Option<(String, Option<String>)> {
    let (_, after) = activity.rsplit_once("/quiz/")?;
    match after.split_once("/question/") {
        Some((quiz, q)) => Some((quiz.to_owned(), Some(q.to_owned()))),
        None => (!after.contains('/')).then(|| (after.to_owned(), None)),
    }
}

fn extension<'a>(exts: Option<&'a Value>, suffix: &str) -> Option<&'a Value> {
    exts?
        .as_object()?
        .iter()
        .find(|(k, _)| k.ends_with(suffix))
        .map(|(_, v)| v)
}

/// The records in `statements`.
pub fn read(statements: &[Value]) -> Records {
    let mut out = Records::default();
    for s in statements {
        let verb = s["verb"]["id"].as_str().unwrap_or("");
        let object = s["object"]["id"].as_str().unwrap_or("");
        let result = &s["result"];
        let timestamp = s["timestamp"].as_str().unwrap_or("").to_owned();
        let score = result["score"]["scaled"].as_f64();
        match (verb.rsplit('/').next(), ids(object)) {
            (Some("answered"), Some((quiz, Some(question)))) => {
                let success = result["success"].as_bool().unwrap_or(false);
                out.answers.push(Answer {
                    learner: learner(&s["actor"]),
                    quiz,
                    question,
                    hash: extension(s["context"].get("extensions"), "content-hash")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    timestamp,
                    success,
                    score: score.unwrap_or(if success { 1.0 } else { 0.0 }),
                    response: result["response"].as_str().unwrap_or("").to_owned(),
                    interaction: s["object"]["definition"]["interactionType"]
                        .as_str()
                        .unwrap_or("")
                        .to_owned(),
                    seconds: result["duration"].as_str().and_then(seconds),
                });
            }
            (Some("completed"), Some((quiz, None))) if score.is_some() => {
                out.rounds.push(Round {
                    learner: learner(&s["actor"]),
                    quiz,
                    timestamp,
                    score: score.unwrap_or(0.0),
                });
            }
            _ => out.skipped += 1,
        }
    }
    out.answers.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
    out.rounds.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
    out
}

/// Statements from a file: a JSON array, an LRS answer (`{"statements": [...]}`) or NDJSON (one
/// statement per line). `Err` names the line that is not JSON.
pub fn parse(name: &str, text: &str) -> anyhow::Result<Vec<Value>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            return Ok(match v {
                Value::Array(a) => a,
                Value::Object(mut o) if o.contains_key("statements") => {
                    match o.remove("statements") {
                        Some(Value::Array(a)) => a,
                        _ => Vec::new(),
                    }
                }
                other => vec![other],
            });
        }
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| {
            anyhow::anyhow!(
                "{name}:{}:{}: not a JSON statement ({e}); the file must be a JSON array of \
                 statements or one statement per line (NDJSON)",
                n + 1,
                e.column()
            )
        })?;
        out.push(v);
    }
    Ok(out)
}

/// The question key the analysis groups by: `question@hash` (versions apart).
pub fn item_key(a: &Answer) -> String {
    if a.hash.is_empty() {
        a.question.clone()
    } else {
        format!("{}@{}", a.question, &a.hash[..a.hash.len().min(8)])
    }
}

/// Per learner, their first answer to each item (by time).
pub fn first_tries(answers: &[Answer]) -> BTreeMap<(String, String), &Answer> {
    let mut first = BTreeMap::new();
    for a in answers {
        first.entry((item_key(a), a.learner.clone())).or_insert(a);
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_ids_are_read() {
        assert_eq!(seconds("PT12.5S"), Some(12.5));
        assert_eq!(seconds("PT1H2M3S"), Some(3723.0));
        assert_eq!(seconds("P1D"), None);
        assert_eq!(
            ids("https://c/b/quiz/q1/question/a"),
            Some(("q1".into(), Some("a".into())))
        );
        assert_eq!(ids("https://c/b/quiz/q1"), Some(("q1".into(), None)));
        assert_eq!(ids("https://c/b/lab/l"), None);
    }

    #[test]
    fn files_may_be_arrays_lrs_answers_or_ndjson_and_errors_name_the_line() {
        assert_eq!(parse("f", "[{\"a\":1},{\"a\":2}]").unwrap().len(), 2);
        assert_eq!(parse("f", "{\"statements\":[{\"a\":1}]}").unwrap().len(), 1);
        assert_eq!(parse("f", "{\"a\":1}\n\n{\"a\":2}\n").unwrap().len(), 2);
        let e = parse("dump.ndjson", "{\"a\":1}\n{oops\n").unwrap_err();
        assert!(e.to_string().starts_with("dump.ndjson:2:"), "{e}");
    }
}
