//! Markdown → sanitised HTML, once, at build time, so the browser bundle carries no Markdown parser.

use pulldown_cmark::{html, Options, Parser};

/// Renders `markdown` to HTML with scripts, event handlers and `javascript:` URLs removed. Code
/// blocks keep their `language-*` class so the book's highlighter can colour them.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    let html = ammonia::Builder::default()
        .add_tag_attributes("code", &["class"])
        .clean(&unsafe_html)
        .to_string();
    unwrap_single_paragraph(html)
}

/// A one-paragraph text (an option, a short prompt) renders without its `<p>`, so it sits inline in
/// a label.
fn unwrap_single_paragraph(html: String) -> String {
    let trimmed = html.trim();
    if let Some(inner) = trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        if !inner.contains("<p>") {
            return inner.to_owned();
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_inline_markdown_without_a_paragraph() {
        assert_eq!(
            render("Use `sleep()` **here**"),
            "Use <code>sleep()</code> <strong>here</strong>"
        );
    }

    #[test]
    fn strips_scripts_event_handlers_and_javascript_urls() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn code_blocks_keep_their_language_class() {
        let html = render("```python\nprint(1)\n```");
        assert!(html.contains(r#"<code class="language-python">"#), "{html}");
    }
}
