//! mdBook's five themes, and the WCAG contrast of a part of the page in the current one.

use anyhow::{ensure, Result};

use crate::Page;

/// WCAG AA contrast for text.
pub const TEXT: f64 = 4.5;
/// WCAG contrast for graphics that carry meaning (chart bars, timeline marks).
pub const GRAPHIC: f64 = 3.0;

/// `[foreground, background, contrast ratio]` of the first element matching `arguments[0]`: its
/// text colour (for SVG shapes and text its fill, or its stroke when `arguments[1]` is `stroke`)
/// against the background behind it, translucent layers blended over the first opaque one as
/// the browser paints them (white when none is opaque).
const CONTRAST: &str = "
const el = document.querySelector(arguments[0]);
if (!el) return null;
const style = getComputedStyle(el);
const svg = el instanceof SVGElement;
const rgba = c => { const v = (c.match(/[\\d.]+/g) || []).map(Number); return [v[0] || 0, v[1] || 0, v[2] || 0, v.length > 3 ? v[3] : 1]; };
const over = (top, below) => top.slice(0, 3).map((v, i) => top[3] * v + (1 - top[3]) * below[i]).concat([1]);
// the backgrounds behind the element, nearest first, down to the first opaque one
const layers = [];
for (let n = svg ? el.ownerSVGElement : el; n; n = n.parentElement) {
  const c = rgba(getComputedStyle(n).backgroundColor);
  if (c[3] > 0) layers.push(c);
  if (c[3] >= 1) break;
}
let bg = [255, 255, 255, 1];
for (const layer of layers.reverse()) bg = over(layer, bg);
const fg = over(rgba(svg ? (arguments[1] === 'stroke' ? style.stroke : style.fill) : style.color), bg);
const lum = c => {
  const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
const text = c => 'rgb(' + c.slice(0, 3).map(Math.round).join(', ') + ')';
return [text(fg), text(bg), (hi + 0.05) / (lo + 0.05)];";

/// Switches the book to `theme` (as mdBook's theme menu does) and reloads the page.
pub async fn use_theme(page: &Page, theme: &str) -> Result<()> {
    page.eval(&format!(
        "localStorage.setItem('mdbook-theme', '{theme}'); return null;"
    ))
    .await?;
    page.reload().await?;
    let class = page
        .eval("return document.documentElement.className;")
        .await?;
    ensure!(
        class.as_str().unwrap_or("").contains(theme),
        "the page did not switch to the {theme} theme: {class}"
    );
    Ok(())
}

/// Checks each `(css, paint, needed ratio)` part (paint: `color`, `fill` or `stroke`); the error
/// lists every part with too little contrast, with its colours.
pub async fn assert_contrast(page: &Page, theme: &str, parts: &[(&str, &str, f64)]) -> Result<()> {
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
        if ratio < *needed {
            low.push(format!("`{part}` {fg} on {bg}: {ratio:.2}:1 < {needed}:1"));
        }
    }
    ensure!(
        low.is_empty(),
        "{theme}: too little contrast:\n{}",
        low.join("\n")
    );
    Ok(())
}
