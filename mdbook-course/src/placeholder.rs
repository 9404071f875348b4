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

/// A lab placeholder: `<div class="course-lab">` with the lab JSON inside.
pub fn lab(book_id: &str, lab_id: &str, data: &impl Serialize) -> String {
    element(
        "course-lab",
        book_id,
        &format!(" data-lab=\"{}\"", attr(lab_id)),
        data,
        "This lab",
    )
}

/// The progress overview placeholder: the index of every quiz in the book (the first script) and
/// of every lab (a second script, `class="course-lab-index"`).
pub fn progress(book_id: &str, quizzes: &impl Serialize, labs: &impl Serialize) -> String {
    let labs = json(labs);
    element(
        "course-progress",
        book_id,
        "",
        quizzes,
        "Your progress overview",
    )
    .replacen(
        "</script>",
        &format!(
            "</script><script type=\"application/json\" class=\"course-lab-index\">{labs}</script>"
        ),
        1,
    )
}

/// JSON safe inside a `<script>` element: `<` only occurs inside JSON strings, where `\u003c` means
/// the same, so `</script>` and `<!--` in an author's text cannot end the element early.
fn json(data: &impl Serialize) -> String {
    serde_json::to_string(data)
        .expect("plain data serialises")
        .replace('<', "\\u003c")
}

fn element(class: &str, book_id: &str, extra: &str, data: &impl Serialize, what: &str) -> String {
    let json = json(data);
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
    fn the_progress_overview_carries_the_quiz_index_then_the_lab_index() {
        let html = progress("b", &vec!["q1"], &vec!["lab</script>"]);
        let first = html.find("<script type=\"application/json\">").unwrap();
        let labs = html.find("class=\"course-lab-index\">").unwrap();
        assert!(first < labs, "{html}");
        assert_eq!(html.matches("</script>").count(), 2, "{html}");
        assert!(html.contains("[\"lab\\u003c/script>\"]"), "{html}");
    }

    #[test]
    fn attributes_are_escaped() {
        assert!(quiz("a\"b", "q", &1).contains("data-book=\"a&quot;b\""));
    }
}
