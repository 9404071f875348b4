//! Item analysis from the records, as Moodle's quiz statistics compute it (classical test
//! theory): per question (per version) facility, discrimination, option shares, mean time;
//! per quiz reliability and the score distribution. Pure; every figure is tested on data whose
//! values are known.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::records::{first_tries, item_key, Records};

/// Facility above this: too easy.
pub const TOO_EASY: f64 = 0.9;
/// Facility below this: too hard.
pub const TOO_HARD: f64 = 0.3;

/// One question (one version of it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// The question id.
    pub question: String,
    /// The first 8 hex digits of its content hash (versions apart).
    pub version: String,
    /// `answered` statements (every Check).
    pub attempts: usize,
    /// Learners who answered it.
    pub learners: usize,
    /// Share of learners right on their first try.
    pub facility: f64,
    /// Point-biserial correlation of the first try with the rest of the quiz (None when it
    /// cannot be computed: fewer than 3 learners, or no spread).
    pub discrimination: Option<f64>,
    /// Share of first tries choosing each option (choice and true-false questions).
    pub options: BTreeMap<String, f64>,
    /// Mean seconds of a first try.
    pub mean_seconds: Option<f64>,
    /// `too easy`, `too hard`, `negative discrimination`.
    pub flags: Vec<&'static str>,
}

/// One quiz.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuizStats {
    /// The quiz id.
    pub quiz: String,
    /// Learners who answered any of it.
    pub learners: usize,
    /// Cronbach's alpha over learners who answered every question (equal to KR-20 when every
    /// score is 0 or 1); None with fewer than 2 such learners or 2 questions.
    pub alpha: Option<f64>,
    /// Learners the reliability was computed over (one version of each question counts).
    pub complete: usize,
    /// First finished round per learner: how many scored 0-9 %, 10-19 %, ... 90-100 %.
    pub distribution: [usize; 10],
    /// Mean first-round score, 0 to 1.
    pub mean_score: Option<f64>,
    /// Its questions.
    pub items: Vec<Item>,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Statements read.
    pub statements: usize,
    /// Of those, neither answers nor quiz rounds.
    pub skipped: usize,
    /// Per quiz, in id order.
    pub quizzes: Vec<QuizStats>,
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Population variance.
fn variance(v: &[f64]) -> f64 {
    let m = mean(v).unwrap_or(0.0);
    v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len().max(1) as f64
}

/// Pearson correlation; None without spread in either or with fewer than 3 pairs.
pub fn correlation(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 3 || x.len() != y.len() {
        return None;
    }
    let (mx, my) = (mean(x)?, mean(y)?);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum::<f64>().sqrt();
    let sy: f64 = y.iter().map(|b| (b - my) * (b - my)).sum::<f64>().sqrt();
    (sx > 1e-12 && sy > 1e-12).then(|| cov / (sx * sy))
}

/// Cronbach's alpha of a learners × items score matrix (rows complete).
pub fn alpha(rows: &[Vec<f64>]) -> Option<f64> {
    let k = rows.first()?.len();
    if k < 2 || rows.len() < 2 {
        return None;
    }
    let item_var: f64 = (0..k)
        .map(|i| variance(&rows.iter().map(|r| r[i]).collect::<Vec<_>>()))
        .sum();
    let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let total_var = variance(&totals);
    (total_var > 1e-12).then(|| k as f64 / (k as f64 - 1.0) * (1.0 - item_var / total_var))
}

/// Analyses `records` (from `statements` statements).
pub fn analyse(records: &Records, statements: usize) -> Analysis {
    let first = first_tries(&records.answers);
    let quizzes: BTreeSet<&str> = records
        .answers
        .iter()
        .map(|a| a.quiz.as_str())
        .chain(records.rounds.iter().map(|r| r.quiz.as_str()))
        .collect();
    let quizzes = quizzes
        .into_iter()
        .map(|quiz| quiz_stats(records, &first, quiz))
        .collect();
    Analysis {
        statements,
        skipped: records.skipped,
        quizzes,
    }
}

type Firsts<'a> = BTreeMap<(String, String), &'a super::records::Answer>;

fn quiz_stats(records: &Records, first: &Firsts, quiz: &str) -> QuizStats {
    // Items in first-seen order; learner → item → first-try score.
    let mut order: Vec<String> = Vec::new();
    let mut scores: BTreeMap<&str, BTreeMap<String, f64>> = BTreeMap::new();
    for a in records.answers.iter().filter(|a| a.quiz == quiz) {
        let key = item_key(a);
        if !order.contains(&key) {
            order.push(key.clone());
        }
        let f = first[&(key, a.learner.clone())];
        // One column per question: a learner answers one version of it.
        scores
            .entry(a.learner.as_str())
            .or_default()
            .entry(a.question.clone())
            .or_insert(f.score);
    }
    let questions: Vec<String> = order
        .iter()
        .map(|k| k.split_once('@').map_or(k.as_str(), |(q, _)| q).to_owned())
        .fold(Vec::new(), |mut v, q| {
            if !v.contains(&q) {
                v.push(q);
            }
            v
        });
    let items = order
        .iter()
        .map(|key| item(records, first, quiz, key, &scores))
        .collect();
    let complete: Vec<Vec<f64>> = scores
        .values()
        .filter(|m| questions.iter().all(|k| m.contains_key(k)))
        .map(|m| questions.iter().map(|k| m[k]).collect())
        .collect();
    let mut seen = BTreeSet::new();
    let round_scores: Vec<f64> = records
        .rounds
        .iter()
        .filter(|r| r.quiz == quiz && seen.insert(r.learner.as_str()))
        .map(|r| r.score)
        .collect();
    let mut distribution = [0; 10];
    for s in &round_scores {
        distribution[((s * 10.0).floor() as usize).min(9)] += 1;
    }
    QuizStats {
        quiz: quiz.to_owned(),
        learners: scores.len(),
        alpha: alpha(&complete),
        complete: complete.len(),
        distribution,
        mean_score: mean(&round_scores),
        items,
    }
}

fn item(
    records: &Records,
    first: &Firsts,
    quiz: &str,
    key: &str,
    scores: &BTreeMap<&str, BTreeMap<String, f64>>,
) -> Item {
    let all: Vec<_> = records
        .answers
        .iter()
        .filter(|a| a.quiz == quiz && item_key(a) == key)
        .collect();
    let firsts: Vec<_> = first
        .iter()
        .filter(|((k, _), _)| k == key)
        .map(|(_, a)| *a)
        .collect();
    let n = firsts.len();
    let facility = firsts.iter().filter(|a| a.success).count() as f64 / n.max(1) as f64;
    // The item against the mean of the learner's other first tries in this quiz (a mean, not a
    // sum, so that learners drawn different pools compare).
    let (mut x, mut rest) = (Vec::new(), Vec::new());
    for a in &firsts {
        let others: Vec<f64> = scores[a.learner.as_str()]
            .iter()
            .filter(|(k, _)| k.as_str() != a.question)
            .map(|(_, s)| *s)
            .collect();
        if let Some(m) = mean(&others) {
            x.push(if a.success { 1.0 } else { 0.0 });
            rest.push(m);
        }
    }
    let discrimination = correlation(&x, &rest);
    let mut options: BTreeMap<String, f64> = BTreeMap::new();
    for a in firsts
        .iter()
        .filter(|a| a.interaction == "choice" || a.interaction == "true-false")
    {
        for choice in a.response.split("[,]").filter(|c| !c.is_empty()) {
            *options.entry(choice.to_owned()).or_default() += 1.0 / n as f64;
        }
    }
    let times: Vec<f64> = firsts.iter().filter_map(|a| a.seconds).collect();
    let mut flags = Vec::new();
    if facility > TOO_EASY {
        flags.push("too easy");
    }
    if facility < TOO_HARD {
        flags.push("too hard");
    }
    if discrimination.is_some_and(|d| d < 0.0) {
        flags.push("negative discrimination");
    }
    let (question, version) = key.split_once('@').unwrap_or((key, ""));
    Item {
        question: question.to_owned(),
        version: version.to_owned(),
        attempts: all.len(),
        learners: n,
        facility,
        discrimination,
        options,
        mean_seconds: mean(&times),
        flags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learner_stats::records::read;
    use serde_json::{json, Value};

    /// An `answered` statement as the browser app sends it.
    pub fn answered(learner: &str, quiz: &str, q: &str, ok: bool, response: &str, t: u32) -> Value {
        json!({
            "actor": {"objectType": "Agent", "account": {"homePage": "https://c.example/", "name": learner}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"id": format!("https://c.example/b/quiz/{quiz}/question/{q}"),
                       "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction", "interactionType": "choice"}},
            "result": {"success": ok, "score": {"scaled": if ok { 1.0 } else { 0.0 }}, "response": response, "duration": "PT10.0S"},
            "context": {"extensions": {"https://c.example/extension/content-hash": "00112233aabbccdd"}},
            "timestamp": format!("2026-12-01T10:{:02}:00Z", t),
        })
    }

    /// Five learners, three questions, first tries (rows L1..L5, columns A B C):
    /// 111, 110, 100, 000, 101. L4 answers A again, right, later (a second try: not counted).
    /// Expected values computed independently (Python, population variances):
    /// facility A .8, B .4, C .4; point-biserial against the mean of the rest A .5345, B .3273,
    /// C .3273; alpha .5769.
    fn known() -> Vec<Value> {
        let m = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0], [1, 0, 1]];
        let mut out = Vec::new();
        for (l, row) in m.iter().enumerate() {
            for (i, &ok) in row.iter().enumerate() {
                let q = ["A", "B", "C"][i];
                out.push(answered(
                    &format!("L{l}"),
                    "q",
                    q,
                    ok == 1,
                    if ok == 1 { "0" } else { "1[,]2" },
                    (l * 3 + i) as u32,
                ));
            }
        }
        out.push(answered("L3", "q", "A", true, "0", 59));
        out
    }

    #[test]
    fn facility_discrimination_and_alpha_match_the_known_values() {
        let statements = known();
        let a = analyse(&read(&statements), statements.len());
        let q = &a.quizzes[0];
        assert_eq!((q.quiz.as_str(), q.learners, q.complete), ("q", 5, 5));
        let by: BTreeMap<&str, &Item> = q.items.iter().map(|i| (i.question.as_str(), i)).collect();
        assert_eq!(by["A"].attempts, 6, "every check counts as an attempt");
        assert_eq!(by["A"].learners, 5);
        assert!((by["A"].facility - 0.8).abs() < 1e-9, "first tries only");
        assert!((by["B"].facility - 0.4).abs() < 1e-9);
        assert!((by["A"].discrimination.unwrap() - 0.534_522_5).abs() < 1e-6);
        assert!((by["C"].discrimination.unwrap() - 0.327_326_8).abs() < 1e-6);
        assert!((q.alpha.unwrap() - 0.576_923_1).abs() < 1e-6);
        assert!(
            (by["B"].options["1"] - 0.6).abs() < 1e-9,
            "3 of 5 chose option 1"
        );
        assert!((by["B"].options["2"] - 0.6).abs() < 1e-9);
        assert!((by["B"].options["0"] - 0.4).abs() < 1e-9);
        assert_eq!(by["A"].mean_seconds, Some(10.0));
        assert_eq!(by["A"].version, "00112233");
        assert!(by["A"].flags.is_empty(), "{:?}", by["A"].flags);
    }

    #[test]
    fn easy_hard_and_negatively_discriminating_questions_are_flagged() {
        // A and B follow ability; R is answered right by the weakest only; E by everyone; H by
        // no one.
        let rows = [
            ("L0", [1, 1, 0, 1, 0]),
            ("L1", [1, 1, 0, 1, 0]),
            ("L2", [1, 0, 1, 1, 0]),
            ("L3", [0, 0, 1, 1, 0]),
            ("L4", [0, 0, 1, 1, 0]),
        ];
        let mut s = Vec::new();
        for (t, (l, row)) in rows.iter().enumerate() {
            for (i, q) in ["A", "B", "R", "E", "H"].iter().enumerate() {
                s.push(answered(l, "q", q, row[i] == 1, "0", (t * 5 + i) as u32));
            }
        }
        let a = analyse(&read(&s), s.len());
        let by: BTreeMap<&str, &Item> = a.quizzes[0]
            .items
            .iter()
            .map(|i| (i.question.as_str(), i))
            .collect();
        assert!(by["R"].discrimination.unwrap() < 0.0);
        assert_eq!(by["R"].flags, ["negative discrimination"]);
        assert_eq!(by["E"].flags, ["too easy"]);
        assert_eq!(by["E"].discrimination, None, "no spread, no correlation");
        assert_eq!(by["H"].flags, ["too hard"]);
    }

    #[test]
    fn versions_of_a_question_are_kept_apart_and_rounds_make_the_distribution() {
        let mut s = known();
        let mut edited = answered("L9", "q", "A", false, "1", 58);
        edited["context"]["extensions"]["https://c.example/extension/content-hash"] =
            json!("ffff0000ffff0000");
        s.push(edited);
        for (l, score) in [("L0", 1.0), ("L1", 0.67), ("L1", 1.0), ("L2", 0.05)] {
            s.push(json!({
                "actor": {"account": {"homePage": "https://c.example/", "name": l}},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                "object": {"id": "https://c.example/b/quiz/q"},
                "result": {"score": {"scaled": score}, "completion": true},
                "timestamp": format!("2026-12-02T00:00:0{}Z", s.len() % 10),
            }));
        }
        let a = analyse(&read(&s), s.len());
        let q = &a.quizzes[0];
        let versions: Vec<(&str, &str)> = q
            .items
            .iter()
            .map(|i| (i.question.as_str(), i.version.as_str()))
            .collect();
        assert!(
            versions.contains(&("A", "00112233")) && versions.contains(&("A", "ffff0000")),
            "{versions:?}"
        );
        assert_eq!(
            q.distribution,
            [1, 0, 0, 0, 0, 0, 1, 0, 0, 1],
            "first round per learner"
        );
        assert_eq!(
            q.complete, 5,
            "the learner of the new version answered nothing else"
        );
    }
}
