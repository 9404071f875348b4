//! Author files as text: invalid UTF-8 is refused at the line and column of its first bad byte.

use crate::diagnostic::{line_col, Diagnostic, Severity};

/// Decodes `bytes` read from `file`; on invalid UTF-8, an error at the first bad byte's line and
/// column (columns count the characters before it on its line) that names the byte.
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&bytes[..at]).expect("valid up to `at`");
        let (line, col) = line_col(valid, at);
        let what = match e.utf8_error().error_len() {
            Some(_) => format!(
                "byte 0x{:02X} cannot start or continue a character",
                bytes[at]
            ),
            None => "the file ends inside a character".to_owned(),
        };
        Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line,
            col,
            message: format!("the file is not valid UTF-8: {what}"),
            hint: None,
        }
        .with_hint(
            "save the file as UTF-8 (editors offer it under \"Save with encoding\"); a file \
             written as Latin-1 or Windows-1252 shows this at its first accented letter, one \
             written as UTF-16 at line 1",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_reported_at_its_line_and_character_column() {
        let bytes = b"id = \"q\"\ntitle = \"caf\xC3\xA9 \xFF\"\n".to_vec();
        let d = decode("q.toml", bytes).unwrap_err();
        assert_eq!(
            d.to_string().lines().next().unwrap(),
            "q.toml:2:15: error: the file is not valid UTF-8: byte 0xFF cannot start or continue a character"
        );
    }

    #[test]
    fn a_character_cut_at_the_end_is_reported_there() {
        let d = decode("q.md", b"ab\n\xE2\x82".to_vec()).unwrap_err();
        assert_eq!((d.line, d.col), (2, 1));
        assert!(
            d.message.contains("ends inside a character"),
            "{}",
            d.message
        );
    }

    #[test]
    fn valid_text_is_returned_unchanged() {
        assert_eq!(decode("q.md", "é\n".into()).unwrap(), "é\n");
    }
}
