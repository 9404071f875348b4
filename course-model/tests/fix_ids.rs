//! `fix_ids` writes the ids the build requires, and nothing else.

use std::collections::HashSet;

use course_model::{fix_ids, parse_quiz_file};

const NATIVE: &str = "id = \"quiz\"\ntitle = \"T\"\n\n\
    [[question]]\ntype = \"true-false\"\nprompt = \"P\"\nanswer = true\nexplanation = \"E\"\n\n\
    [[question]]\nid = \"ch02-2\"\ntype = \"true-false\"\nprompt = \"P\"\nanswer = true\nexplanation = \"E\"\n\n\
    [[question]] # a comment stays\ntype = \"true-false\"\nprompt = \"P\"\nanswer = false\nexplanation = \"E\"\n";

#[test]
fn missing_ids_are_inserted_under_their_headers_skipping_ids_already_used() {
    let taken: HashSet<String> = ["ch02-1".to_owned()].into();
    let fixed = fix_ids(NATIVE, "ch02", &taken).unwrap();
    let expected = NATIVE
        .replacen(
            "[[question]]\ntype",
            "[[question]]\nid = \"ch02-3\"\ntype",
            1,
        )
        .replace(
            "# a comment stays\n",
            "# a comment stays\nid = \"ch02-4\"\n",
        );
    assert_eq!(fixed, expected);
    let parsed = parse_quiz_file("q.toml", "q", &fixed);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
}

#[test]
fn a_file_with_every_id_needs_no_fix() {
    let fixed = fix_ids(NATIVE, "ch02", &HashSet::new()).unwrap();
    assert_eq!(fix_ids(&fixed, "ch02", &HashSet::new()), None);
    assert_eq!(fix_ids("not = [toml", "x", &HashSet::new()), None);
}

#[test]
fn mdbook_quiz_files_get_ids_and_lose_the_missing_id_warning() {
    let source = "[[questions]]\r\ntype = \"ShortAnswer\"\r\nprompt.prompt = \"P\"\r\nanswer.answer = \"a\"\r\ncontext = \"c\"\r\n";
    let fixed = fix_ids(source, "rust-vars", &HashSet::new()).unwrap();
    assert_eq!(
        fixed,
        source.replace(
            "[[questions]]\r\n",
            "[[questions]]\r\nid = \"rust-vars-1\"\r\n"
        )
    );
    assert!(parse_quiz_file("q.toml", "q", &fixed)
        .diagnostics
        .is_empty());
}
