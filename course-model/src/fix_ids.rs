//! Writing missing question ids into an author's file (`mdbook-course check --fix-ids`).
//!
//! Pure text in, text out: the CLI reads and writes the file. The rest of the file is kept byte
//! for byte; only `id = "…"` lines are inserted under the `[[question]]` (or mdbook-quiz
//! `[[questions]]`) headers that lack one.

use std::collections::HashSet;

use toml::de::DeTable;

use crate::parse::{detect_format, Format};

/// `source` with an `id` added to every question that has none, or `None` when there is nothing
/// to add (or the file does not parse). New ids are `<prefix>-<n>` with the smallest `n` not
/// used in the file, in `taken` (ids elsewhere in the book), or by another new id.
pub fn fix_ids(source: &str, prefix: &str, taken: &HashSet<String>) -> Option<String> {
    let root = DeTable::parse(source).ok()?;
    let root = root.get_ref();
    let key = match detect_format(root) {
        Format::Native => "question",
        Format::MdbookQuiz => "questions",
    };
    let (_, list) = root.iter().find(|(k, _)| k.get_ref() == key)?;
    let mut used: HashSet<String> = taken.clone();
    let mut headers = Vec::new();
    for item in list.get_ref().as_array()?.iter() {
        let Some(table) = item.get_ref().as_table() else {
            continue;
        };
        match table.iter().find(|(k, _)| k.get_ref() == "id") {
            Some((_, id)) => {
                used.extend(id.get_ref().as_str().map(str::to_owned));
            }
            // Only `[[...]]` sections have a header line to write under.
            None if source[item.span()].starts_with("[[") => headers.push(item.span().end),
            None => {}
        }
    }
    if headers.is_empty() {
        return None;
    }
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut out = String::with_capacity(source.len() + headers.len() * 32);
    let mut copied = 0;
    let mut n = 0;
    for header_end in headers {
        let line_end = source[header_end..]
            .find('\n')
            .map_or(source.len(), |i| header_end + i + 1);
        out.push_str(&source[copied..line_end]);
        if !out.ends_with('\n') {
            out.push_str(newline);
        }
        let id = loop {
            n += 1;
            let candidate = format!("{prefix}-{n}");
            if used.insert(candidate.clone()) {
                break candidate;
            }
        };
        out.push_str(&format!("id = \"{id}\"{newline}"));
        copied = line_end;
    }
    out.push_str(&source[copied..]);
    Some(out)
}
