//! What `{{#quiz}}` and `{{#lab}}` may read, through `mdbook-course check` on temporary books laid
//! out like ours: `book/` (book.toml, src/) beside `content/`.

use std::path::Path;
use std::process::Command;

const QUIZ: &str = "id = \"q\"\ntitle = \"T\"\n\n[[question]]\nid = \"q-1\"\ntype = \"true-false\"\nprompt = \"P\"\nanswer = true\nexplanation = \"E\"\n";

/// A book at `dir/book` whose one chapter is `chapter`, with extra `book.toml` lines under
/// `[preprocessor.course]`, and `content/quizzes/q.toml` holding a valid quiz.
fn book(dir: &Path, chapter: &[u8], course: &str) {
    std::fs::create_dir_all(dir.join("book/src")).unwrap();
    std::fs::create_dir_all(dir.join("content/quizzes")).unwrap();
    std::fs::write(
        dir.join("book/book.toml"),
        format!("[book]\ntitle = \"T\"\n[preprocessor.course]\nbook-id = \"t\"\n{course}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("book/src/SUMMARY.md"),
        "# Summary\n\n- [One](one.md)\n",
    )
    .unwrap();
    std::fs::write(dir.join("book/src/one.md"), chapter).unwrap();
    std::fs::write(dir.join("content/quizzes/q.toml"), QUIZ).unwrap();
}

/// Runs `check` on `dir/book`: success and what it printed on stderr.
fn check(dir: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-course"))
        .arg("check")
        .arg(dir.join("book"))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Checks a book whose chapter holds `directive` on line 3 and expects exactly one error, at the
/// directive, whose first line starts with `expected`.
fn refused(directive: &str, expected: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), format!("# One\n\n{directive}\n").as_bytes(), "");
    let (ok, err) = check(dir.path());
    assert!(!ok, "{directive} must be refused:\n{err}");
    let want = format!("book/src/one.md:3:1: error: {expected}");
    assert!(err.contains(&want), "missing {want:?} in:\n{err}");
    assert!(err.contains("1 error(s)"), "{err}");
    err
}

#[test]
fn a_quiz_in_content_is_embedded() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        b"# One\n\n{{#quiz ../../content/quizzes/q.toml}}\n",
        "",
    );
    let (ok, err) = check(dir.path());
    assert!(ok, "{err}");
}

#[test]
fn a_path_that_climbs_out_of_the_repository_is_refused_at_the_directive() {
    let err = refused(
        "{{#quiz ../../../../../../../../etc/passwd}}",
        "`{{#quiz ../../../../../../../../etc/passwd}}` points outside the folders a book may embed from (`book/`, `content/`)",
    );
    assert!(
        err.contains("list it in `allowed-dirs` under `[preprocessor.course]`"),
        "{err}"
    );
    assert!(
        !err.contains("root:"),
        "nothing of the foreign file is shown:\n{err}"
    );
}

#[test]
fn absolute_paths_to_proc_and_devices_are_refused_without_reading_them() {
    refused(
        "{{#quiz /proc/self/environ}}",
        "`{{#quiz /proc/self/environ}}` points outside",
    );
    refused("{{#lab /dev/zero}}", "`{{#lab /dev/zero}}` points outside");
}

#[test]
fn a_missing_file_outside_is_refused_without_saying_whether_it_exists() {
    refused(
        "{{#quiz ../../../no-such-dir/q.toml}}",
        "`{{#quiz ../../../no-such-dir/q.toml}}` points outside",
    );
}

#[cfg(unix)]
#[test]
fn a_link_in_content_to_a_device_or_a_foreign_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        b"# One\n\n{{#quiz ../../content/zero.toml}}\n{{#quiz ../../content/up.toml}}\n",
        "",
    );
    std::fs::write(dir.path().join("foreign.toml"), QUIZ).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("content/zero.toml")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("foreign.toml"),
        dir.path().join("content/up.toml"),
    )
    .unwrap();
    let (ok, err) = check(dir.path());
    assert!(!ok);
    for want in [
        "book/src/one.md:3:1: error: `{{#quiz ../../content/zero.toml}}` points outside",
        "book/src/one.md:4:1: error: `{{#quiz ../../content/up.toml}}` points outside",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}

#[test]
fn a_folder_is_not_a_regular_file() {
    refused(
        "{{#quiz ../../content/quizzes}}",
        "`{{#quiz ../../content/quizzes}}` does not point at a regular file",
    );
}

#[test]
fn a_quiz_over_4_mib_is_refused_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        b"# One\n\n{{#quiz ../../content/big.toml}}\n",
        "",
    );
    let big = format!("{QUIZ}{}", "# padding\n".repeat(420_000));
    std::fs::write(dir.path().join("content/big.toml"), big).unwrap();
    let (ok, err) = check(dir.path());
    assert!(!ok);
    let want = "book/src/one.md:3:1: error: quiz file `../../content/big.toml` (content/big.toml) is 4.0 MiB, over the limit of 4.0 MiB";
    assert!(err.contains(want), "missing {want:?} in:\n{err}");
    assert!(err.contains("split it into several quiz files"), "{err}");
}

#[test]
fn allowed_dirs_in_book_toml_opens_another_folder_and_closes_content() {
    let dir = tempfile::tempdir().unwrap();
    let chapter =
        b"# One\n\n{{#quiz ../../shared/s.toml}}\n{{#quiz ../../content/quizzes/q.toml}}\n";
    book(dir.path(), chapter, "allowed-dirs = [\"../shared\"]\n");
    std::fs::create_dir_all(dir.path().join("shared")).unwrap();
    std::fs::write(dir.path().join("shared/s.toml"), QUIZ.replace("\"q", "\"s")).unwrap();
    let (ok, err) = check(dir.path());
    assert!(!ok);
    let want = "book/src/one.md:4:1: error: `{{#quiz ../../content/quizzes/q.toml}}` points outside the folders a book may embed from (`book/`, `shared/`)";
    assert!(err.contains(want), "missing {want:?} in:\n{err}");
    assert!(err.contains("1 error(s)"), "shared/s.toml is read:\n{err}");
}

#[test]
fn allowed_dirs_that_is_not_a_list_of_folders_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), b"# One\n", "allowed-dirs = \"../shared\"\n");
    let (ok, err) = check(dir.path());
    assert!(!ok);
    assert!(
        err.contains("`[preprocessor.course] allowed-dirs` must be a list of folders"),
        "{err}"
    );
}

#[test]
fn a_quiz_that_is_not_utf8_is_reported_at_its_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        b"# One\n\n{{#quiz ../../content/quizzes/q.toml}}\n",
        "",
    );
    // `café` in Latin-1: the `é` is the single byte 0xE9, at line 7, column 14.
    let bytes: Vec<u8> = QUIZ
        .replace("\"P\"", "\"caf#\"")
        .bytes()
        .map(|b| if b == b'#' { 0xE9 } else { b })
        .collect();
    std::fs::write(dir.path().join("content/quizzes/q.toml"), bytes).unwrap();
    let (ok, err) = check(dir.path());
    assert!(!ok);
    let want = "content/quizzes/q.toml:7:14: error: the file is not valid UTF-8: byte 0xE9 cannot start or continue a character";
    assert!(err.contains(want), "missing {want:?} in:\n{err}");
}

#[test]
fn a_chapter_that_is_not_utf8_is_reported_with_its_file_and_place() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), b"# One\n\nna\xEFve\n", "");
    let (ok, err) = check(dir.path());
    assert!(!ok);
    let want = "book/src/one.md:3:3: error: the file is not valid UTF-8: byte 0xEF";
    assert!(err.contains(want), "missing {want:?} in:\n{err}");
}

#[cfg(unix)]
#[test]
fn a_chapter_linked_to_a_device_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), b"# One\n", "");
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("book/src/zero.md")).unwrap();
    let (ok, err) = check(dir.path());
    assert!(!ok);
    let want = "book/src/zero.md:1:1: error: chapter not read: it resolves to a file outside the book folder and the allowed folders";
    assert!(err.contains(want), "missing {want:?} in:\n{err}");
}
