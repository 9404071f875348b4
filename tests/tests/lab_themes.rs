//! The lab console reads well in each of mdBook's five themes: its text has at least the WCAG AA
//! contrast with the background behind it (4.5:1), and the timeline's and charts' marks at least
//! the contrast graphics need (3:1).

use e2e::themes::{assert_contrast, use_theme, GRAPHIC, TEXT};
use e2e::{browser_test, Page};

/// What is checked: (part, paint, contrast needed).
const PARTS: [(&str, &str, f64); 16] = [
    (".lab-title", "color", TEXT),
    (".lab-brief", "color", TEXT),
    (".lab-objective-text", "color", TEXT),
    (".lab-objective-progress", "color", TEXT),
    (".lab-status", "color", TEXT),
    (".lab-log-line .lab-log-text", "color", TEXT),
    (".lab-invoke-sync", "color", TEXT),
    (".lab-reset", "color", TEXT),
    (".lab-show-hint", "color", TEXT),
    (".lab-script", "color", TEXT),
    (".lab-line-no", "color", TEXT),
    (".lab-panel legend", "color", TEXT),
    (".lab-env-label", "fill", GRAPHIC),
    (".lab-seg-busy", "fill", GRAPHIC),
    (".lab-cold-mark", "stroke", GRAPHIC),
    (".lab-chart-invocations .lab-bar", "fill", GRAPHIC),
];

fn readable_in(theme: &'static str) {
    browser_test(
        &format!("lab_theme_{theme}"),
        move |page: Page| async move {
            page.open("ch02-execution-environment.html").await?;
            use_theme(&page, theme).await?;
            page.click(".lab-invoke-sync").await?;
            page.wait_for_text(".lab-status", "200 OK").await?;
            page.wait_for(".lab-cold-mark").await?;
            assert_contrast(&page, theme, &PARTS).await
        },
    );
}

#[test]
fn the_lab_console_is_readable_in_the_light_theme() {
    readable_in("light");
}

#[test]
fn the_lab_console_is_readable_in_the_rust_theme() {
    readable_in("rust");
}

#[test]
fn the_lab_console_is_readable_in_the_coal_theme() {
    readable_in("coal");
}

#[test]
fn the_lab_console_is_readable_in_the_navy_theme() {
    readable_in("navy");
}

#[test]
fn the_lab_console_is_readable_in_the_ayu_theme() {
    readable_in("ayu");
}
