//! The lab console reads well in each of mdBook's five themes: its text has at least the WCAG AA
//! contrast with the background behind it (4.5:1), and the timeline's and charts' marks at least
//! the contrast graphics need (3:1); the managed-policy picker of the permissions lab too.

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

/// The managed-policy picker (on the permissions lab): its choice, what the policy grants, the
/// role's policies and the choice of one to detach.
const PICKER: [(&str, &str, f64); 5] = [
    (".lab-managed", "color", TEXT),
    (".lab-managed-summary", "color", TEXT),
    (".lab-managed-now", "color", TEXT),
    (".lab-detach", "color", TEXT),
    (".lab-detach-managed", "color", TEXT),
];

#[test]
fn the_managed_policy_picker_is_readable_in_all_five_themes() {
    browser_test("lab_theme_picker", |page: Page| async move {
        page.open("ch03-permissions.html").await?;
        for theme in ["light", "rust", "coal", "navy", "ayu"] {
            use_theme(&page, theme).await?;
            page.wait_for_text(".lab-managed-now", "AWSLambdaBasicExecutionRole")
                .await?;
            assert_contrast(&page, theme, &PICKER).await?;
        }
        Ok(())
    });
}
