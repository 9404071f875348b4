//! Grading in the browser: `course-model`'s grader, with short answers lowercased and matched
//! against patterns by the browser itself, and numbers read by its `Number()` (a regex engine,
//! Unicode case tables and a float parser would add about 30 KB gzip to the bundle). Natively (tests) `course-model`'s own rules are used.

use course_model::{grade_with, Answer, Grade, Question, TextRules};

/// Grades `answer` to `question`.
pub fn grade(question: &Question, answer: &Answer) -> Grade {
    grade_with(question, answer, &RULES)
}

#[cfg(target_arch = "wasm32")]
const RULES: TextRules = TextRules {
    matches: pattern_matches,
    lowercase: |s| String::from(js_sys::JsString::from(s).to_lower_case()),
    // The browser's `Number()` (strict: "1.2.3" is NaN, unlike parseFloat). Rust's float
    // parser would add about 14 KB to the bundle.
    #[allow(deprecated)]
    number: |s| Some(js_sys::Number::new(&wasm_bindgen::JsValue::from_str(s)).value_of()),
};

#[cfg(not(target_arch = "wasm32"))]
const RULES: TextRules = TextRules::NATIVE;

#[cfg(target_arch = "wasm32")]
fn pattern_matches(pattern: &str, case_sensitive: bool, answer: &str) -> bool {
    use wasm_bindgen::{JsCast, JsValue};
    // `new RegExp(...)` throws on a pattern the browser does not accept: construct it through
    // `Reflect.construct`, which reports the throw as an error instead.
    let Ok(ctor) = js_sys::Reflect::get(&js_sys::global(), &"RegExp".into())
        .and_then(|c| c.dyn_into::<js_sys::Function>())
    else {
        return false;
    };
    let args = js_sys::Array::of2(
        &JsValue::from_str(&format!("^(?:{pattern})$")),
        &JsValue::from_str(if case_sensitive { "" } else { "i" }),
    );
    js_sys::Reflect::construct(&ctor, &args)
        .ok()
        .and_then(|re| re.dyn_into::<js_sys::RegExp>().ok())
        .is_some_and(|re| re.test(answer))
}
