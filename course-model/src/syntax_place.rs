//! Where a TOML syntax error really is, when the parser's own span is missing or misleading.
//!
//! - A key or table header nested too deep (`a.b.c. … = 1`) is reported by toml without a
//!   span, which would read `1:1`: we find the key ourselves.
//! - An unclosed multi-line string is reported at the end of the file, where the parser gave
//!   up: we point at the `"""` or `'''` that opened it.

use std::ops::Range;

/// How many dotted segments a key or table header may have before toml refuses it: toml 0.9
/// refuses a key whose table path reaches 80 (the last segment is not part of the path).
pub(crate) const MAX_KEY_SEGMENTS: usize = 80;

/// Start offsets of the keys and table headers of `source` with more than
/// [`MAX_KEY_SEGMENTS`] segments, in file order (at most one per line).
pub(crate) fn deep_keys(source: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if let Some(at) = deep_key_in_line(line) {
            out.push(offset + at);
        }
        offset += line.len();
    }
    out
}

/// The start of the first run of more than [`MAX_KEY_SEGMENTS`] dot-separated key segments
/// (bare, or quoted with `"` or `'`) in one line.
fn deep_key_in_line(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let mut segments = 0;
        // Read segment (`.` segment)*, allowing spaces around the dots.
        while let Some(end) = segment_end(bytes, i) {
            segments += 1;
            let mut j = end;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'.' {
                j += 1;
                while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                    j += 1;
                }
                i = j;
            } else {
                i = end;
                break;
            }
        }
        if segments > MAX_KEY_SEGMENTS {
            return Some(start);
        }
        if i == start {
            i += 1;
        }
    }
    None
}

/// The end of the key segment starting at `i`, if one starts there.
fn segment_end(bytes: &[u8], i: usize) -> Option<usize> {
    let first = *bytes.get(i)?;
    if first == b'"' || first == b'\'' {
        let close = bytes[i + 1..].iter().position(|&b| b == first)?;
        return Some(i + 1 + close + 1);
    }
    let len = bytes[i..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
        .count();
    (len > 0).then_some(i + len)
}

/// For an unclosed multi-line string reported at the end of the file (`span`), the span of the `"""` (or `'''`,
/// per `message`) that opened it: the last such delimiter before the report, since an unclosed
/// string's text cannot hold its own closing delimiter.
pub(crate) fn unclosed_string_opening(
    source: &str,
    span: &Range<usize>,
    message: &str,
) -> Option<Range<usize>> {
    // The search runs only for an error at the very end, so it costs one scan per file.
    if span.start < source.len() {
        return None;
    }
    let delimiter = if message.contains("multi-line basic string") {
        "\"\"\""
    } else if message.contains("multi-line literal string") {
        "'''"
    } else {
        return None;
    };
    let before = source.get(..span.start.min(source.len()))?;
    let mut at = before.rfind(delimiter)?;
    // `""""` opens with its first three quotes.
    while at > 0 && before.as_bytes()[at - 1] == delimiter.as_bytes()[0] {
        at -= 1;
    }
    Some(at..at + 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_keys_over_the_limit_are_found() {
        let ok = vec!["a"; MAX_KEY_SEGMENTS].join(".");
        let deep = vec!["a"; MAX_KEY_SEGMENTS + 1].join(" . ");
        let src = format!("x = 1\n{ok} = 1\n  [{deep}]\nq = \"a.b\"\n");
        assert_eq!(deep_keys(&src), vec![src.find("  [").unwrap() + 3]);
    }

    #[test]
    fn quoted_segments_count() {
        let deep = vec!["\"a.b\""; MAX_KEY_SEGMENTS + 1].join(".");
        assert_eq!(deep_keys(&format!("{deep} = 1")), vec![0]);
    }

    #[test]
    fn the_opening_of_an_unclosed_string_is_the_last_delimiter_before_the_end() {
        let src = "a = \"\"\"x\"\"\"\nb = \"\"\"\"open\nmore\n";
        let opening = unclosed_string_opening(
            src,
            &(src.len()..src.len()),
            "invalid multi-line basic string",
        );
        assert_eq!(opening, Some(16..19));
    }
}
