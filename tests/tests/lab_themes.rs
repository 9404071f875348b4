//! The lab console reads well in each of mdBook's five themes: its text has at least the WCAG AA
//! contrast with the background behind it (4.5:1), and the timeline's and charts' marks at least
//! the non-text contrast (3:1).

use e2e::{browser_test, Page};

/// `[foreground, background, contrast ratio]` of the first element matching `arguments[0]`:
/// its text colour (its fill for SVG shapes and text, its stroke for outlined marks) and the
/// nearest opaque background behind it.
const CONTRAST: &str = "
const el = document.querySelector(arguments[0]);
if (!el) return null;
const style = getComputedStyle(el);
const svg = el instanceof SVGElement;
let fg = svg ? (arguments[1] === 'stroke' ? style.stroke : style.fill) : style.color;
let bg = 'rgba(0, 0, 0, 0)';
for (let n = svg ? el.ownerSVGElement : el; n && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent'); n = n.parentElement) {
  bg = getComputedStyle(n).backgroundColor;
}
const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
const lum = c => {
  const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
return [fg, bg, (hi + 0.05) / (lo + 0.05)];";

/// Text parts of the console, and the contrast each needs.
const TEXT: [&str; 9] = [
    ".lab-title",
    ".lab-brief",
    ".lab-objective-text",
    ".lab-status",
    ".lab-log-line .lab-log-text",
    ".lab-invoke-sync",
    ".lab-script",
    ".lab-line-no",
    ".lab-panel legend",
];

/// Marks of the timeline and the charts: (selector, which paint).
const MARKS: [(&str, &str); 4] = [
    (".lab-env-label", "fill"),
    (".lab-seg-busy", "fill"),
    (".lab-cold-mark", "stroke"),
    (".lab-chart-invocations .lab-bar", "fill"),
];

fn readable_in(theme: &'static str) {
    browser_test(&format!("lab_theme_{theme}"), move |page: Page| async move {
        page.open("ch02-execution-environment.html").await?;
        page.eval(&format!(
            "localStorage.setItem('mdbook-theme', '{theme}'); return null;"
        ))
        .await?;
        page.reload().await?;
        let class = page
            .eval("return document.documentElement.className;")
            .await?;
        assert!(class.as_str().unwrap_or("").contains(theme), "{class}");
        page.click(".lab-invoke-sync").await?;
        page.wait_for_text(".lab-status", "200 OK").await?;
        page.wait_for(".lab-cold-mark").await?;
        page.wait_for(".lab-chart-invocations .lab-bar").await?;
        let parts = TEXT
            .iter()
            .map(|s| (*s, "color", 4.5))
            .chain(MARKS.iter().map(|(s, paint)| (*s, *paint, 3.0)));
        let mut low = Vec::new();
        for (part, paint, needed) in parts {
            page.wait_for(part).await?;
            let v = page
                .client
                .execute(
                    CONTRAST,
                    vec![serde_json::json!(part), serde_json::json!(paint)],
                )
                .await?;
            let (fg, bg, ratio): (String, String, f64) = serde_json::from_value(v)?;
            if ratio < needed {
                low.push(format!("`{part}` {fg} on {bg}: {ratio:.2}:1 < {needed}:1"));
            }
        }
        assert!(
            low.is_empty(),
            "{theme}: too little contrast:\n{}",
            low.join("\n")
        );
        Ok(())
    });
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
