//! The HTML that stands in for a directive: a well-formed element carrying validated JSON, which the
//! browser app mounts on. Without JavaScript it says what is missing.

use serde::Serialize;

/// A quiz placeholder: `<div class="course-quiz">` with the quiz JSON inside.
pub fn quiz(book_id: &str, quiz_id: &str, data: &impl Serialize) -> String {
    element(
        "course-quiz",
        book_id,
        &format!(" data-quiz=\"{}\"", attr(quiz_id)),
        data,
        "This quiz",
    )
}

/// The progress overview placeholder, with the index of every quiz in the book.
pub fn progress(book_id: &str, data: &impl Serialize) -> String {
    element(
        "course-progress",
        book_id,
        "",
        data,
        "Your progress overview",
    )
}

fn element(class: &str, book_id: &str, extra: &str, data: &impl Serialize, what: &str) -> String {
    let json = serde_json::to_string(data).expect("plain data serialises");
    // `<` only occurs inside JSON strings, where `\u003c` means the same; this keeps `</script>` and
    // `<!--` in an author's text from ending the script element early.
    let json = json.replace('<', "\\u003c");
    format!(
        "\n\n<div class=\"{class}\" data-book=\"{}\"{extra}><script type=\"application/json\">{json}</script>\
         <noscript><p class=\"course-noscript\">{what} needs JavaScript, which is turned off in this browser.</p></noscript></div>\n\n",
        attr(book_id)
    )
}

fn attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_end_tags_in_text_cannot_break_out_of_the_json() {
        let html = quiz("b", "q", &vec!["</script><script>alert(1)"]);
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
        let json_start = html.find("json\">").unwrap() + 6;
        let json_end = html.find("</script>").unwrap();
        let back: Vec<String> = serde_json::from_str(&html[json_start..json_end]).unwrap();
        assert_eq!(back, vec!["</script><script>alert(1)"]);
    }

    #[test]
    fn attributes_are_escaped() {
        assert!(quiz("a\"b", "q", &1).contains("data-book=\"a&quot;b\""));
    }
}
