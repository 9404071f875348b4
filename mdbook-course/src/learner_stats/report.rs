//! The analysis as a text table, JSON, or an HTML page with small inline SVG charts.

use std::fmt::Write as _;

use super::analysis::{Analysis, Item, QuizStats, TOO_EASY, TOO_HARD};

fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
}

fn options(i: &Item) -> String {
    i.options
        .iter()
        .map(|(k, v)| format!("{k}:{:.0}%", v * 100.0))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text report.
pub fn text(a: &Analysis) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} statement(s) read, {} neither answers nor quiz results.",
        a.statements, a.skipped
    );
    if a.quizzes.is_empty() {
        out.push_str("No quiz answers found.\n");
    }
    for q in &a.quizzes {
        quiz_text(&mut out, q);
    }
    let _ = writeln!(
        out,
        "\nfacility: share right on the first try (flagged above {TOO_EASY} or below {TOO_HARD}); \
         discrimination: point-biserial of the first try against the rest of the quiz (flagged below 0; \
         '-' with fewer than 3 learners or no spread); options: share of first tries choosing each \
         option (authoring index, from 0)."
    );
    out
}

fn quiz_text(out: &mut String, q: &QuizStats) {
    let _ = writeln!(
        out,
        "\nQuiz {}: {} learner(s); reliability (Cronbach's alpha / KR-20) {} over {} learner(s) who answered every question; mean first-round score {}",
        q.quiz,
        q.learners,
        num(q.alpha, 2),
        q.complete,
        q.mean_score.map_or_else(|| "-".to_owned(), |s| format!("{:.0} %", s * 100.0)),
    );
    let dist: Vec<String> = q
        .distribution
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{}-{}%:{n}", i * 10, if i == 9 { 100 } else { i * 10 + 9 }))
        .collect();
    let _ = writeln!(out, "  first-round scores: {}", dist.join(" "));
    let _ = writeln!(
        out,
        "  {:<24} {:<8} {:>8} {:>8} {:>8} {:>7} {:>7}  {:<24} flags",
        "question", "version", "attempts", "learners", "facility", "discr.", "mean s", "options"
    );
    for i in &q.items {
        let _ = writeln!(
            out,
            "  {:<24} {:<8} {:>8} {:>8} {:>8.2} {:>7} {:>7}  {:<24} {}",
            i.question,
            i.version,
            i.attempts,
            i.learners,
            i.facility,
            num(i.discrimination, 2),
            num(i.mean_seconds, 1),
            options(i),
            i.flags.join(", ")
        );
    }
}

/// The JSON report.
pub fn json(a: &Analysis) -> String {
    serde_json::to_string_pretty(a).expect("plain data serialises")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar 0..1 (a facility or a share), with its value as text for screen readers.
fn bar(v: f64, label: &str) -> String {
    let w = (v.clamp(0.0, 1.0) * 100.0).round();
    format!(
        "<svg width=\"100\" height=\"12\" role=\"img\" aria-label=\"{}\"><rect width=\"100\" height=\"12\" fill=\"#e5e5e5\"/><rect width=\"{w}\" height=\"12\" fill=\"#3b6ea5\"/></svg>",
        esc(label)
    )
}

/// A discrimination bar centred on 0 (-1 left, +1 right), red when negative.
fn discrimination(v: Option<f64>) -> String {
    let Some(d) = v else {
        return "-".to_owned();
    };
    let d = d.clamp(-1.0, 1.0);
    let (x, w) = if d < 0.0 {
        (50.0 + d * 50.0, -d * 50.0)
    } else {
        (50.0, d * 50.0)
    };
    let colour = if d < 0.0 { "#b3261e" } else { "#3b6ea5" };
    format!(
        "{d:.2} <svg width=\"100\" height=\"12\" role=\"img\" aria-label=\"discrimination {d:.2}\"><rect width=\"100\" height=\"12\" fill=\"#e5e5e5\"/><rect x=\"{x:.0}\" width=\"{w:.0}\" height=\"12\" fill=\"{colour}\"/><line x1=\"50\" x2=\"50\" y1=\"0\" y2=\"12\" stroke=\"#000\"/></svg>"
    )
}

/// The score distribution as ten columns.
fn histogram(d: &[usize; 10]) -> String {
    let max = d.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg width=\"220\" height=\"70\" role=\"img\" aria-label=\"first-round scores by tenths: {}\">",
        d.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
    );
    for (i, n) in d.iter().enumerate() {
        let h = (*n as f64 / max * 50.0).round();
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"{h}\" fill=\"#3b6ea5\"/><text x=\"{}\" y=\"68\" font-size=\"8\">{}</text>",
            i * 22,
            55.0 - h,
            i * 22,
            i * 10
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The HTML report: one page, no scripts, no external files.
pub fn html(a: &Analysis) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quiz statistics</title>\
         <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}\
         .flag{color:#b3261e;font-weight:bold}</style></head><body><h1>Quiz statistics</h1>",
    );
    let _ = write!(
        out,
        "<p>{} statement(s) read, {} neither answers nor quiz results.</p>",
        a.statements, a.skipped
    );
    for q in &a.quizzes {
        let _ = write!(
            out,
            "<h2>Quiz {}</h2><p>{} learner(s). Reliability (Cronbach's alpha / KR-20): {} over {} learner(s) who answered every question. Mean first-round score: {}.</p><p>{}</p>",
            esc(&q.quiz),
            q.learners,
            num(q.alpha, 2),
            q.complete,
            q.mean_score.map_or_else(|| "-".to_owned(), |s| format!("{:.0} %", s * 100.0)),
            histogram(&q.distribution)
        );
        out.push_str("<table><tr><th>Question</th><th>Version</th><th>Attempts</th><th>Learners</th><th>Facility</th><th>Discrimination</th><th>Mean time (s)</th><th>Options</th><th>Flags</th></tr>");
        for i in &q.items {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2} {}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"flag\">{}</td></tr>",
                esc(&i.question),
                esc(&i.version),
                i.attempts,
                i.learners,
                i.facility,
                bar(i.facility, &format!("facility {:.2}", i.facility)),
                discrimination(i.discrimination),
                num(i.mean_seconds, 1),
                esc(&options(i)),
                esc(&i.flags.join(", "))
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</body></html>\n");
    out
}
