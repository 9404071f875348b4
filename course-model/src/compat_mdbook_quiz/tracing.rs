//! `Tracing` → a `short` question showing the program: its exact output, or "does not compile".

use crate::quiz::{InputKind, Question, QuestionKind};
use crate::reader::{Ctx, Table};

/// The prompt of a converted `Tracing` question (mdbook-quiz shows a fixed instruction too).
pub const TRACING_PROMPT: &str =
    "Does this program compile? If it does, write exactly what it prints. \
If it does not, write `does not compile`.";

/// Answers accepted for a `Tracing` question whose program does not compile.
pub const DOES_NOT_COMPILE: &str = r"no|(no[.,]?\s*)?(it\s+)?(does\s*n[o']?t|will\s+not|won'?t|can\s*n[o']?t)\s+compile\.?|compile(r)?\s+error\.?";

pub(super) fn tracing(
    cx: &mut Ctx<'_>,
    prompt: &Table<'_, '_>,
    answer: &Table<'_, '_>,
    q: &mut Question,
) -> Option<()> {
    let program = prompt.str(cx, "program", true);
    let does_compile = answer.req_bool(cx, "doesCompile");
    let stdout = answer.str(cx, "stdout", false);
    let line_number = answer.int(cx, "lineNumber");
    let program = program?.into_inner();
    let does_compile = does_compile?.into_inner();
    let lines = program.trim().lines().count();
    if let Some(n) = &line_number {
        let k = *n.get_ref();
        if does_compile {
            cx.warning(
                &n.span(),
                "`lineNumber` is ignored because `doesCompile = true`",
                "remove it",
            );
        } else if k < 1 || k as usize > lines {
            cx.error(
                &n.span(),
                format!("`lineNumber` is {k}, but the program has {lines} lines"),
                format!("use a line from 1 to {lines}, counted from the program's first line"),
            );
        }
    }
    q.prompt = TRACING_PROMPT.to_owned();
    q.code = Some(program);
    q.code_lang = Some("rust".to_owned());
    if does_compile {
        let Some(stdout) = stdout else {
            cx.error(
                &answer.span,
                "`stdout` is missing: the program compiles, so learners must say what it prints",
                "add `answer.stdout = \"...\"` with the program's exact output",
            );
            return None;
        };
        q.kind = QuestionKind::Short {
            answers: vec![stdout.into_inner()],
            case_sensitive: true,
            pattern: None,
            input: InputKind::Text,
        };
    } else {
        if let Some(s) = &stdout {
            cx.warning(
                &s.span(),
                "`stdout` is ignored because `doesCompile = false`",
                "remove it",
            );
        }
        if let Some(n) = line_number.filter(|n| *n.get_ref() >= 1) {
            let line = format!(
                "The program does not compile: the error is on line {}.",
                n.get_ref()
            );
            q.explanation = Some(match q.explanation.take() {
                Some(context) => format!("{line}\n\n{context}"),
                None => line,
            });
        }
        q.kind = QuestionKind::Short {
            answers: vec!["does not compile".to_owned()],
            case_sensitive: false,
            pattern: Some(DOES_NOT_COMPILE.to_owned()),
            input: InputKind::Text,
        };
    }
    Some(())
}
