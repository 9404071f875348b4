//! Case mapping for the language's `to_upper`/`to_lower` (and `make_upper`/`make_lower`).
//!
//! Natively these are Rust's own Unicode mappings. A wasm32 build leaves Rust's case tables out
//! (about 11 KB of the lab page's gzip, measured with `cargo xtask size`) and maps case with
//! functions its host installs: the lab bundle installs the browser's
//! `String.prototype.toUpperCase`/`toLowerCase` (the same Unicode default case mapping), as the
//! quiz player already lowercases answers through the browser. A wasm32 module with no host
//! (the cross-target digest under Node) maps ASCII letters only.

use std::sync::OnceLock;

/// A case mapping: text in, text with its case changed out.
pub type CaseFn = fn(&str) -> String;

static HOST: OnceLock<(CaseFn, CaseFn)> = OnceLock::new();

/// Installs the host's upper- and lower-case mappings; the first call wins. Natively they are
/// used in place of Rust's own mappings too (a test can install its own).
pub fn set_case_mapping(upper: CaseFn, lower: CaseFn) {
    let _ = HOST.set((upper, lower));
}

/// `s` in upper case.
pub fn upper(s: &str) -> String {
    match HOST.get() {
        Some((upper, _)) => upper(s),
        None => default_upper(s),
    }
}

/// `s` in lower case.
pub fn lower(s: &str) -> String {
    match HOST.get() {
        Some((_, lower)) => lower(s),
        None => default_lower(s),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn default_upper(s: &str) -> String {
    s.to_uppercase()
}

#[cfg(not(target_arch = "wasm32"))]
fn default_lower(s: &str) -> String {
    s.to_lowercase()
}

#[cfg(target_arch = "wasm32")]
fn default_upper(s: &str) -> String {
    s.to_ascii_uppercase()
}

#[cfg(target_arch = "wasm32")]
fn default_lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// One character's mapping: the first character of the mapped text (as Rhai's `char`
/// methods do), or the character itself.
pub fn char_with(c: char, map: CaseFn) -> char {
    let mut buf = [0u8; 4];
    map(c.encode_utf8(&mut buf)).chars().next().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_native_mapping_is_unicode() {
        assert_eq!(upper("straße"), "STRASSE");
        assert_eq!(lower("ÀÉÎ"), "àéî");
        assert_eq!(char_with('é', upper), 'É');
        assert_eq!(char_with('ß', upper), 'S');
    }
}
