//! Small text helpers for places where HTML cannot go (`<option>`, `aria-label`). Pure.

/// The text of a sanitised HTML fragment: tags dropped, the common entities decoded, whitespace
/// collapsed.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A number as people write it: `102`, `0.25` (no `.0` on whole numbers). In the browser its own
/// `Number.prototype.toString` writes it, which keeps Rust's float formatting out of the bundle.
pub fn number(x: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Number::from(x)
            .to_string_with_radix(10)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            plain("<p>Use <code>a &lt; b</code> &amp;\n more</p>"),
            "Use a < b & more"
        );
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(number(102.0), "102");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(-1769.5), "-1769.5");
    }
}
