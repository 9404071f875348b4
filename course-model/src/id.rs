//! Quiz and question ids: saved progress is keyed by them and authors compare them by eye, so an
//! id may use only characters that look like themselves. Bidirectional controls (U+202E) and
//! zero-width characters (U+200B) would let two ids that read the same differ, or one id read
//! as another.

use std::ops::Range;

use crate::reader::Ctx;

/// The characters an id may use, as the instructor guide states them.
pub const ID_CHARS: &str = "ASCII letters, digits, `-`, `_` and `.`";

/// The longest id, in characters: ids are shown in messages and stored in the browser.
pub const MAX_ID_LEN: usize = 100;

/// Whether `c` may appear in an id.
pub fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Reports an id that is empty, too long or uses a character outside [`ID_CHARS`]. `what` is
/// "question id" or "quiz id"; `span` is the string value's span in the file, or where to point
/// when the id does not come from a string (a file name). Returns whether the id is valid.
pub(crate) fn check_id(cx: &mut Ctx<'_>, what: &str, id: &str, span: &Range<usize>) -> bool {
    let shown: String = id.escape_default().collect();
    let example = if what == "quiz id" {
        "ch02-invocation"
    } else {
        "ch02-sync-retries"
    };
    if id.is_empty() {
        cx.error(
            span,
            format!("the {what} is empty"),
            format!("write one with {ID_CHARS}, e.g. `{example}`"),
        );
        return false;
    }
    if let Some((i, c)) = id.char_indices().find(|&(_, c)| !is_id_char(c)) {
        let at = char_offset(cx.source, span, id, i).unwrap_or(span.start);
        cx.error(
            &(at..at),
            format!(
                "{what} `{shown}` has {}: an id may use only {ID_CHARS}",
                describe(c)
            ),
            format!(
                "ids key saved progress and must read as what they are: write e.g. `{example}`"
            ),
        );
        return false;
    }
    if id.len() > MAX_ID_LEN {
        cx.error(
            span,
            format!(
                "{what} `{}…` is {} characters long, over the limit of {MAX_ID_LEN}",
                &id[..20],
                id.len()
            ),
            format!("shorten it, e.g. `{example}`"),
        );
        return false;
    }
    true
}

/// "a space", "U+202E (a bidirectional control)": the offending character, named so that the
/// message itself cannot be reordered or hidden by it.
fn describe(c: char) -> String {
    let code = format!("U+{:04X}", c as u32);
    match c {
        ' ' => "a space".to_owned(),
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => {
            format!("{code}, a bidirectional control character")
        }
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
            format!("{code}, an invisible (zero-width) character")
        }
        c if c.is_whitespace() => format!("{code}, a space character"),
        c if c.is_control() => format!("{code}, a control character"),
        c if c.is_ascii() => format!("`{c}`"),
        c if c.is_alphanumeric() => format!("{code} (`{c}`), which is not ASCII"),
        _ => code,
    }
}

/// The offset in the file of the character at byte `i` of `id`, when the value is written
/// without escapes (`"id"` or `'id'`), so the error points at the character itself.
fn char_offset(source: &str, span: &Range<usize>, id: &str, i: usize) -> Option<usize> {
    let written = source.get(span.clone())?;
    let inner = written
        .strip_prefix('"')
        .and_then(|w| w.strip_suffix('"'))
        .or_else(|| {
            written
                .strip_prefix('\'')
                .and_then(|w| w.strip_suffix('\''))
        })?;
    (inner == id).then_some(span.start + 1 + i)
}
