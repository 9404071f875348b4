//! `Quiz::map_markdown` reaches every Markdown field and nothing else.

use course_model::parse_quiz;

const ALL_TYPES: &str = r#"
id = "quiz-id"
title = "quiz title"

[parts]
logs = "md-part"

[[question]]
id = "single-id"
type = "single"
prompt = "md-prompt"
code = "plain-code"
code_lang = "plain-lang"
explanation = "md-explanation"
hint = "md-hint"
objective = "plain-objective"
part = "logs"
[[question.option]]
text = "md-option-a"
correct = true
why = "md-why-a"
[[question.option]]
text = "md-option-b"
why = "md-why-b"

[[question]]
id = "multiple-id"
type = "multiple"
prompt = "md-prompt"
explanation = "md-explanation"
[[question.option]]
text = "md-option"
correct = true
why = "md-why"
[[question.option]]
text = "md-option-2"
why = "md-why-2"

[[question]]
id = "tf-id"
type = "true-false"
prompt = "md-prompt"
answer = true
why_true = "md-why-true"
why_false = "md-why-false"
explanation = "md-explanation"

[[question]]
id = "short-id"
type = "short"
prompt = "md-prompt"
answers = ["plain-answer"]
pattern = "plain-pattern"
explanation = "md-explanation"

[[question]]
id = "numeric-id"
type = "numeric"
prompt = "md-prompt"
answer = 3
unit = "plain-unit"
explanation = "md-explanation"

[[question]]
id = "ordering-id"
type = "ordering"
prompt = "md-prompt"
items = ["md-item-1", "md-item-2"]
explanation = "md-explanation"

[[question]]
id = "matching-id"
type = "matching"
prompt = "md-prompt"
distractors = ["md-distractor"]
explanation = "md-explanation"
[[question.pair]]
left = "md-left-1"
right = "md-right-1"
[[question.pair]]
left = "md-left-2"
right = "md-right-2"
"#;

/// Every string in the JSON form of a value.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn map_markdown_renders_every_markdown_field_and_leaves_the_rest() {
    let mut quiz = parse_quiz("all.toml", ALL_TYPES).unwrap();
    quiz.map_markdown(|md| format!("<p>{md}</p>"));
    let mut all = Vec::new();
    strings(&serde_json::to_value(&quiz).unwrap(), &mut all);
    let markdown: Vec<&String> = all.iter().filter(|s| s.contains("md-")).collect();
    // single 8 (with the part), multiple 6, true-false 4, short 2, numeric 2, ordering 4, matching 7.
    assert_eq!(markdown.len(), 33, "{markdown:#?}");
    for s in &markdown {
        assert!(
            s.starts_with("<p>md-") && s.ends_with("</p>"),
            "not rendered exactly once: {s}"
        );
    }
    for s in all
        .iter()
        .filter(|s| s.contains("plain-") || s.ends_with("-id"))
    {
        assert!(
            !s.contains("<p>"),
            "not Markdown, must stay as written: {s}"
        );
    }
}

#[test]
fn a_quiz_of_every_type_survives_the_json_trip_to_the_browser() {
    let quiz = parse_quiz("all.toml", ALL_TYPES).unwrap();
    let json = serde_json::to_string(&quiz).unwrap();
    assert_eq!(
        serde_json::from_str::<course_model::Quiz>(&json).unwrap(),
        quiz
    );
    assert!(
        json.contains(r#""kind":{"true-false":{"#),
        "question kinds are tagged by their type name"
    );
}
