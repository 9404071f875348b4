//! The JSON Schemas in schemas/ are what `mdbook-course schema` prints (so editors see the keys
//! the readers accept), and the course's own content files fit them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generated(kind: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-course"))
        .args(["schema", kind])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_shipped_schemas_are_the_generated_ones() {
    for kind in ["quiz", "lab", "scenario"] {
        let file = repo().join(format!("schemas/{kind}.schema.json"));
        let shipped = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            shipped == generated(kind),
            "{} is out of date: run `cargo run -p mdbook-course -- schema {kind} > schemas/{kind}.schema.json`",
            file.display()
        );
    }
}

/// Every `description` in a schema, with the path to it; and the properties without one.
fn undescribed(value: &Value, path: &str, out: &mut Vec<String>) {
    // An externally tagged variant (`{ fixed = 20.0 }`) is described on the object itself.
    let variant = |props: &serde_json::Map<String, Value>| {
        props.len() == 1 && value.get("description").is_some()
    };
    if let Some(props) = value
        .get("properties")
        .and_then(Value::as_object)
        .filter(|p| !variant(p))
    {
        for (key, prop) in props {
            let described = prop.get("description").is_some()
                || prop.get("$ref").is_some()
                || prop.get("const").is_some();
            if !described {
                out.push(format!("{path}.{key}"));
            }
        }
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                undescribed(v, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                undescribed(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_key_of_every_schema_has_a_description() {
    for kind in ["quiz", "lab", "scenario"] {
        let schema: Value = serde_json::from_str(&generated(kind)).unwrap();
        let mut missing = Vec::new();
        undescribed(&schema, kind, &mut missing);
        assert!(
            missing.is_empty(),
            "{kind}: keys without a description: {missing:#?}"
        );
        assert!(schema["title"].is_string(), "{kind} has no title");
    }
}

#[test]
fn the_taplo_config_maps_content_to_the_shipped_schemas() {
    let config: toml::Table = std::fs::read_to_string(repo().join(".taplo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let rules = config["rule"].as_array().unwrap();
    for (dir, kind) in [
        ("quizzes", "quiz"),
        ("labs", "lab"),
        ("scenarios", "scenario"),
    ] {
        let rule = rules
            .iter()
            .find(|r| r["include"][0].as_str() == Some(&format!("content/{dir}/**/*.toml")))
            .unwrap_or_else(|| panic!("no rule for content/{dir}"));
        let path = rule["schema"]["path"].as_str().unwrap();
        assert_eq!(path, format!("schemas/{kind}.schema.json"));
        assert!(repo().join(path).is_file());
    }
}

/// Taplo, the TOML toolkit behind editors' TOML support (npm `@taplo/cli`, which
/// `cargo xtask test` installs into target/tools/npm and names in `COURSE_TAPLO`).
fn taplo() -> PathBuf {
    std::env::var_os("COURSE_TAPLO")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/tools/npm/node_modules/.bin/taplo"))
}

/// `taplo check` on the given files from the repository root (so `.taplo.toml` applies): success
/// and what it printed.
fn taplo_check(files: &[&Path]) -> (bool, String) {
    let out = Command::new(taplo())
        .arg("check")
        .args(files)
        .current_dir(repo())
        .output()
        .expect("taplo runs: `cargo xtask test` installs it (npm @taplo/cli)");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// What an author's editor shows: the course's own content validates against the shipped schemas,
/// and a mistyped key or a wrong type in a quiz, a lab and a scenario is flagged at its line.
/// Ignored in a plain `cargo test` (it needs Node.js and taplo); `cargo xtask test` runs it
/// (`cargo test -p mdbook-course --test schemas -- --ignored`).
#[test]
#[ignore = "needs taplo (npm @taplo/cli): cargo xtask test installs it and runs this"]
fn editors_validate_the_content_against_the_schemas() {
    let (ok, out) = taplo_check(&[]);
    assert!(ok, "the course's content does not fit schemas/:\n{out}");
    assert!(
        out.contains("found files"),
        "taplo found no content:\n{out}"
    );

    // Broken copies inside content/ (the folders .taplo.toml maps), removed afterwards.
    let cases = [
        (
            "content/quizzes/zz-schema-test.toml",
            "id = \"zz\"\ntitle = \"T\"\n\n[[question]]\nid = \"zz-1\"\ntype = \"true-false\"\npromt = \"P\"\nanswer = true\n",
            ":7:1",
        ),
        (
            "content/labs/zz-schema-test.toml",
            &std::fs::read_to_string(repo().join("content/labs/cold-warm-starts.toml"))
                .unwrap()
                .replace("memory_mb = 512", "memory_mb = \"512\""),
            "\"512\" is not of type \"integer\"",
        ),
        (
            "content/scenarios/zz-schema-test.toml",
            "format_version = 1\nname = \"x\"\nsede = 3\n",
            ":3:1",
        ),
    ];
    for (file, text, want) in cases {
        let path = repo().join(file);
        std::fs::write(&path, text).unwrap();
        let (ok, out) = taplo_check(&[Path::new(file)]);
        std::fs::remove_file(&path).unwrap();
        assert!(!ok, "{file}: taplo accepted it:\n{out}");
        assert!(out.contains(want), "{file}: no {want:?} in:\n{out}");
    }
}
