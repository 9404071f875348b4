//! xAPI 1.0.3 statements as the course sends them, with serde (one codec, here, beside the type),
//! and the pure builders for each event: a checked question (`answered`), a finished quiz round
//! (`completed` plus `passed`/`failed`), a lab objective and a whole lab (`completed`).
//!
//! Builders fill what the event knows; [`super::sender`] adds the id, actor, timestamp and
//! registration when it queues the statement, as JSON text: statements are only ever written
//! (serialised once), never read back, which keeps serde's deserialisers for them out of the
//! quiz bundle (the queue holds the text).

use course_model::{Answer, Question, QuestionKind, Quiz};
use serde::Serialize;

/// The ADL verbs used (<http://adlnet.gov/expapi/verbs/>).
pub mod verbs {
    /// A question was answered (checked).
    pub const ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
    /// A quiz round, a lab objective or a lab was completed.
    pub const COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
    /// A quiz round reached the pass mark.
    pub const PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
    /// A quiz round stayed below the pass mark.
    pub const FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
    /// cmi5: the AU was launched (the session starts).
    pub const INITIALIZED: &str = "http://adlnet.gov/expapi/verbs/initialized";
    /// cmi5: the learner left the AU (the session ends).
    pub const TERMINATED: &str = "http://adlnet.gov/expapi/verbs/terminated";
}

/// The cmi5 profile's category activity, in every "cmi5 defined" statement (cmi5 §9.6.2.1).
pub const CMI5_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
/// The cmi5 session id context extension (cmi5 §9.6.3.1).
pub const SESSION_EXTENSION: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";

/// The context extension (under the activity base) carrying a question's content hash, so that
/// the analysis keeps the versions of an edited question apart.
pub const HASH_EXTENSION: &str = "extension/content-hash";
/// The result extension (under the activity base) carrying the quiz attempt (1 + start-overs).
pub const ATTEMPT_EXTENSION: &str = "extension/attempt";

/// One statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// A UUID made in the browser: a resent statement is recognised by the LRS.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// What happened.
    pub verb: Verb,
    /// To what.
    pub object: Activity,
    /// How it went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Outcome>,
    /// Where (parent quiz or lab, registration, extensions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// When (ISO 8601), set when queued.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timestamp: String,
}

/// The agent of a learner not launched from an LMS: a pseudonymous account. (A cmi5 launch's
/// actor is sent as the LMS wrote it.) The sender adds the actor to each statement's text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Actor {
    /// Always "Agent".
    #[serde(rename = "objectType")]
    pub object_type: String,
    /// A display name, when the LMS sent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `mailto:` IRI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mbox: Option<String>,
    /// An account on a system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Account>,
}

/// An account: a name on a home page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    /// The system's IRI.
    #[serde(rename = "homePage")]
    pub home_page: String,
    /// The id there.
    pub name: String,
}

/// A verb.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verb {
    /// Its IRI.
    pub id: String,
}

/// An activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    /// Stable: `{base}/{book}/quiz/{quiz}[/question/{question}]` or `{base}/{book}/lab/{lab}[/objective/{n}]`.
    pub id: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Definition>,
}

/// An activity's definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definition {
    /// Activity type IRI.
    #[serde(rename = "type")]
    pub kind: String,
    /// `{"en": title}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<English>,
    /// `choice`, `true-false`, `fill-in`, `sequencing`, `matching`.
    #[serde(
        rename = "interactionType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub interaction: Option<String>,
}

/// A language map with English only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct English {
    /// The text.
    pub en: String,
}

/// An extensions object with one entry: `{iri: value}` (a map type would cost the bundle a
/// B-tree for one key).
#[derive(Debug, Clone, PartialEq)]
pub struct Extension<V>(pub String, pub V);

impl<V: Serialize> Serialize for Extension<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(&self.0, &self.1)?;
        map.end()
    }
}

/// A result.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcome {
    /// The learner's response in xAPI's format (`1[,]3`, `0[.]2[,]1[.]0`, typed text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// Full marks (a question) or reached the pass mark (a quiz).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// Finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion: Option<bool>,
    /// The score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
    /// ISO 8601 duration (`PT12.4S`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// `{base}/extension/attempt`: the quiz attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extension<u32>>,
}

/// A score: scaled 0..1 (and raw out of max).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Score {
    /// 0 to 1.
    pub scaled: f64,
}

/// A context.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Context {
    /// The cmi5 registration, when launched from an LMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
    /// The quiz a question belongs to, the lab an objective belongs to.
    #[serde(
        rename = "contextActivities",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub activities: Option<ContextActivities>,
    /// `{base}/extension/content-hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extension<String>>,
}

/// Parent activities.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ContextActivities {
    /// The parent (quiz or lab).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parent: Vec<Activity>,
    /// Categories (the cmi5 profile, in cmi5 defined statements).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<Activity>,
}

/// Where activity ids start: `{base}/{book}` without a doubled slash.
pub fn root(base: &str, book: &str) -> String {
    format!("{}/{book}", base.trim_end_matches('/'))
}

/// The quiz's activity id.
pub fn quiz_id(root: &str, quiz: &str) -> String {
    format!("{root}/quiz/{quiz}")
}

/// A question's activity id.
pub fn question_id(root: &str, quiz: &str, question: &str) -> String {
    format!("{root}/quiz/{quiz}/question/{question}")
}

/// The lab's activity id.
pub fn lab_id(root: &str, lab: &str) -> String {
    format!("{root}/lab/{lab}")
}

fn definition(kind: &str, name: Option<&str>, interaction: Option<&str>) -> Option<Definition> {
    Some(Definition {
        kind: format!("http://adlnet.gov/expapi/activities/{kind}"),
        name: name.map(|n| English { en: n.to_owned() }),
        interaction: interaction.map(str::to_owned),
    })
}

fn activity(id: String, def: Option<Definition>) -> Activity {
    Activity {
        id,
        definition: def,
    }
}

fn statement(verb: &str, object: Activity, result: Outcome, context: Context) -> Statement {
    Statement {
        id: String::new(),
        verb: Verb {
            id: verb.to_owned(),
        },
        object,
        result: Some(result),
        context: Some(context),
        timestamp: String::new(),
    }
}

/// The xAPI interaction type of a question.
pub fn interaction(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single { .. } | QuestionKind::Multiple { .. } => "choice",
        QuestionKind::TrueFalse { .. } => "true-false",
        // What the learner typed, unit and all: not always a bare number.
        QuestionKind::Short { .. } | QuestionKind::Numeric { .. } => "fill-in",
        QuestionKind::Ordering { .. } => "sequencing",
        QuestionKind::Matching { .. } => "matching",
    }
}

/// The response in xAPI's format; choice, item and pair ids are authoring indices.
pub fn response(answer: &Answer) -> String {
    let list = |v: &[usize]| {
        let mut out = String::new();
        for (n, i) in v.iter().enumerate() {
            if n > 0 {
                out.push_str("[,]");
            }
            out.push_str(&i.to_string());
        }
        out
    };
    match answer {
        Answer::Single(i) => i.to_string(),
        Answer::Multiple(v) => {
            let mut v = v.clone();
            v.sort_unstable();
            list(&v)
        }
        Answer::TrueFalse(b) => b.to_string(),
        Answer::Short(t) | Answer::Numeric(t) => t.clone(),
        Answer::Ordering(v) => list(v),
        Answer::Matching(v) => {
            let mut out = String::new();
            for (l, r) in v.iter().enumerate() {
                if let Some(r) = r {
                    if !out.is_empty() {
                        out.push_str("[,]");
                    }
                    out.push_str(&format!("{l}[.]{r}"));
                }
            }
            out
        }
    }
}

/// `PT1.5S` for 1500 ms.
pub fn duration(ms: f64) -> String {
    let tenths = (ms.max(0.0) / 100.0).round() as u64;
    format!("PT{}.{}S", tenths / 10, tenths % 10)
}

/// One checked question.
pub struct Answered<'a> {
    /// The quiz.
    pub quiz: &'a Quiz,
    /// The question.
    pub question: &'a Question,
    /// Its content hash.
    pub hash: &'a str,
    /// The answer checked.
    pub answer: &'a Answer,
    /// Its score, 0 to 1.
    pub score: f64,
    /// The quiz attempt (1 + start-overs).
    pub attempt: u32,
    /// Time spent on it, in ms.
    pub ms: f64,
}

/// `answered` for a checked question.
pub fn answered(base: &str, book: &str, a: &Answered) -> Statement {
    let root = root(base, book);
    let ext = |k: &str| format!("{}/{k}", base.trim_end_matches('/'));
    let object = activity(
        question_id(&root, &a.quiz.id, &a.question.id),
        definition(
            "cmi.interaction",
            Some(&a.question.id),
            Some(interaction(&a.question.kind)),
        ),
    );
    let result = Outcome {
        response: Some(response(a.answer)),
        success: Some(a.score >= 1.0),
        score: Some(Score { scaled: a.score }),
        duration: Some(duration(a.ms)),
        extensions: Some(Extension(ext(ATTEMPT_EXTENSION), a.attempt)),
        ..Outcome::default()
    };
    let context = Context {
        activities: Some(ContextActivities {
            parent: vec![activity(quiz_id(&root, &a.quiz.id), None)],
            ..ContextActivities::default()
        }),
        extensions: Some(Extension(ext(HASH_EXTENSION), a.hash.to_owned())),
        ..Context::default()
    };
    statement(verbs::ANSWERED, object, result, context)
}

/// A finished round: `completed`, then `passed` or `failed`, each with the score (0 to 1).
pub fn quiz_finished(
    base: &str,
    book: &str,
    quiz: &Quiz,
    scaled: f64,
    passed: bool,
    attempt: u32,
) -> Vec<Statement> {
    let root = root(base, book);
    let ext = format!("{}/{ATTEMPT_EXTENSION}", base.trim_end_matches('/'));
    let object = || {
        activity(
            quiz_id(&root, &quiz.id),
            definition("assessment", Some(&quiz.title), None),
        )
    };
    let result = |success: Option<bool>| Outcome {
        success,
        completion: Some(true),
        score: Some(Score { scaled }),
        extensions: Some(Extension(ext.clone(), attempt)),
        ..Outcome::default()
    };
    let verdict = if passed { verbs::PASSED } else { verbs::FAILED };
    vec![
        statement(verbs::COMPLETED, object(), result(None), Context::default()),
        statement(verdict, object(), result(Some(passed)), Context::default()),
    ]
}

/// A lab objective completed (`index` in authoring order; `name` its text).
pub fn objective_completed(
    base: &str,
    book: &str,
    lab: &str,
    objective: &str,
    name: &str,
) -> Statement {
    let root = root(base, book);
    let object = activity(
        format!("{}/objective/{objective}", lab_id(&root, lab)),
        definition("objective", Some(name), None),
    );
    let context = Context {
        activities: Some(ContextActivities {
            parent: vec![activity(lab_id(&root, lab), None)],
            ..ContextActivities::default()
        }),
        ..Context::default()
    };
    let result = Outcome {
        completion: Some(true),
        ..Outcome::default()
    };
    statement(verbs::COMPLETED, object, result, context)
}

/// The whole lab completed (every objective).
pub fn lab_completed(base: &str, book: &str, lab: &str, title: &str) -> Statement {
    let root = root(base, book);
    let object = activity(
        lab_id(&root, lab),
        definition("simulation", Some(title), None),
    );
    let result = Outcome {
        completion: Some(true),
        success: Some(true),
        ..Outcome::default()
    };
    statement(verbs::COMPLETED, object, result, Context::default())
}

/// A "cmi5 defined" statement about the AU the LMS launched (`au`, its `activityId`):
/// `initialized` (no result) or `terminated` (with the session's duration, which cmi5 requires),
/// with the registration, the cmi5 category and the session id (cmi5 §9.3, §9.6).
pub fn cmi5(verb: &str, au: &str, registration: &str, session: &str, ms: Option<f64>) -> Statement {
    Statement {
        result: ms.map(|ms| Outcome {
            duration: Some(duration(ms)),
            ..Outcome::default()
        }),
        context: Some(Context {
            registration: Some(registration.to_owned()),
            activities: Some(ContextActivities {
                category: vec![activity(CMI5_CATEGORY.to_owned(), None)],
                ..ContextActivities::default()
            }),
            extensions: Some(Extension(SESSION_EXTENSION.to_owned(), session.to_owned())),
        }),
        ..statement(
            verb,
            activity(au.to_owned(), None),
            Outcome::default(),
            Context::default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use course_model::{parse_quiz, QuizPayload};

    const QUIZ: &str = "id = \"q\"\ntitle = \"Basics\"\n[[question]]\nid = \"pick\"\ntype = \"multiple\"\nprompt = \"P\"\nexplanation = \"E\"\n[[question.option]]\ntext = \"a\"\ncorrect = true\n[[question.option]]\ntext = \"b\"\n[[question.option]]\ntext = \"c\"\ncorrect = true\n";

    #[test]
    fn an_answered_statement_carries_response_score_attempt_duration_and_hash() {
        let payload = QuizPayload::new(parse_quiz("q.toml", QUIZ).unwrap());
        let s = answered(
            "https://lrs.example/course/",
            "book",
            &Answered {
                quiz: &payload.quiz,
                question: &payload.quiz.questions[0],
                hash: &payload.hashes[0],
                answer: &Answer::Multiple(vec![2, 0]),
                score: 1.0,
                attempt: 2,
                ms: 12_340.0,
            },
        );
        let json: serde_json::Value = serde_json::from_str(&crate::codec::to_string(&s)).unwrap();
        assert_eq!(
            json["object"]["id"],
            "https://lrs.example/course/book/quiz/q/question/pick"
        );
        assert_eq!(json["verb"]["id"], verbs::ANSWERED);
        assert_eq!(json["object"]["definition"]["interactionType"], "choice");
        assert_eq!(json["result"]["response"], "0[,]2");
        assert_eq!(json["result"]["success"], true);
        assert_eq!(json["result"]["score"]["scaled"], 1.0);
        assert_eq!(json["result"]["duration"], "PT12.3S");
        assert_eq!(
            json["result"]["extensions"]["https://lrs.example/course/extension/attempt"],
            2
        );
        assert_eq!(
            json["context"]["extensions"]["https://lrs.example/course/extension/content-hash"],
            payload.hashes[0].as_str()
        );
        assert_eq!(
            json["context"]["contextActivities"]["parent"][0]["id"],
            "https://lrs.example/course/book/quiz/q"
        );
        assert!(json.get("actor").is_none(), "the sender adds the actor");
    }

    #[test]
    fn a_finished_round_is_completed_then_passed_or_failed() {
        let payload = QuizPayload::new(parse_quiz("q.toml", QUIZ).unwrap());
        let s = quiz_finished("https://x.example", "b", &payload.quiz, 0.5, false, 1);
        let verbs: Vec<&str> = s.iter().map(|s| s.verb.id.as_str()).collect();
        assert_eq!(verbs, [verbs::COMPLETED, verbs::FAILED]);
        assert_eq!(s[1].result.as_ref().unwrap().success, Some(false));
        assert_eq!(s[1].object.id, "https://x.example/b/quiz/q");
    }

    #[test]
    fn responses_follow_the_xapi_formats() {
        assert_eq!(response(&Answer::Single(3)), "3");
        assert_eq!(response(&Answer::TrueFalse(false)), "false");
        assert_eq!(response(&Answer::Ordering(vec![2, 0, 1])), "2[,]0[,]1");
        assert_eq!(
            response(&Answer::Matching(vec![Some(1), None, Some(0)])),
            "0[.]1[,]2[.]0"
        );
        assert_eq!(duration(0.0), "PT0.0S");
        assert_eq!(duration(61_049.0), "PT61.0S");
    }

    #[test]
    fn lab_ids_are_stable() {
        let s = objective_completed("https://x.example/", "b", "lab1", "2", "Invoke it");
        assert_eq!(s.object.id, "https://x.example/b/lab/lab1/objective/2");
        assert_eq!(
            lab_completed("https://x.example", "b", "lab1", "T")
                .object
                .id,
            "https://x.example/b/lab/lab1"
        );
    }

    #[test]
    fn cmi5_statements_carry_registration_category_and_session() {
        let s = cmi5(
            verbs::TERMINATED,
            "https://lms.example/au/1",
            "reg-1",
            "sess-1",
            Some(65_000.0),
        );
        let json: serde_json::Value = serde_json::from_str(&crate::codec::to_string(&s)).unwrap();
        assert_eq!(json["object"]["id"], "https://lms.example/au/1");
        assert_eq!(json["context"]["registration"], "reg-1");
        assert_eq!(
            json["context"]["contextActivities"]["category"][0]["id"],
            CMI5_CATEGORY
        );
        assert!(json["context"]["contextActivities"].get("parent").is_none());
        assert_eq!(json["context"]["extensions"][SESSION_EXTENSION], "sess-1");
        assert_eq!(json["result"]["duration"], "PT65.0S");
        let init = cmi5(verbs::INITIALIZED, "au", "r", "s", None);
        assert!(init.result.is_none(), "initialized has no result");
    }

    #[test]
    fn text_is_escaped_as_json_has_it() {
        let s = lab_completed("https://x.example", "b", "l", "Say \"hi\"\\\n\u{1}é");
        let json: serde_json::Value = serde_json::from_str(&crate::codec::to_string(&s)).unwrap();
        assert_eq!(
            json["object"]["definition"]["name"]["en"],
            "Say \"hi\"\\\n\u{1}é"
        );
        assert!(json.get("id").is_none() && json.get("timestamp").is_none());
        assert_eq!(
            json["result"],
            serde_json::json!({"success": true, "completion": true})
        );
        let a = crate::xapi::config::anonymous("https://c.example/", "u1");
        assert_eq!(
            crate::codec::to_string(&a),
            r#"{"objectType":"Agent","account":{"homePage":"https://c.example/","name":"u1"}}"#
        );
    }
}
