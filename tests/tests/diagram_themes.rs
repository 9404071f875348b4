//! The course's diagrams are readable in each of mdBook's five themes: on every page with a
//! diagram, every text of every diagram has at least the WCAG AA contrast (4.5:1), and every line
//! and outline at least the graphics contrast (3:1), with what is painted behind it (the shapes
//! beneath it in the diagram, else the page's background).
//!
//! Inline SVGs are measured in the page. A diagram shown with `<img>` is a separate document that
//! draws its own background and picks its palette with `prefers-color-scheme`, which follows the
//! colour scheme of the `<img>` (mdBook's coal, navy and ayu themes set `color-scheme: dark`): the
//! test reads that scheme on the page, then shows the same file in a frame under that scheme and
//! measures it there, over the page's background.

use anyhow::{ensure, Result};
use e2e::themes::{use_theme, GRAPHIC, TEXT};
use e2e::{browser_test, Page};

/// The pages with diagrams.
const PAGES: [&str; 6] = [
    "ch01-serverless.html",
    "ch02-how-lambda-works.html",
    "ch02-execution-environment.html",
    "ch03-permissions.html",
    "ch05-concurrency-and-testing.html",
    "ch05-configuring.html",
];

/// For every diagram under `arguments[0]` (a CSS selector of SVG roots): each text, line and
/// outline with too little contrast, as `[diagram, element, fg, bg, ratio, needed]`, and the
/// number of diagrams and elements measured. Colours are blended as the browser paints them
/// (fill/stroke opacity, then the filled shapes beneath, nearest first, then the page).
const MEASURE: &str = "
const [rootSel, textMin, lineMin, frame, pageColour] = arguments;
// an <img> diagram is measured in a frame showing the same file (its own document)
const doc = frame ? document.querySelector(frame).contentDocument : document;
const getComputedStyle = el => doc.defaultView.getComputedStyle(el);
const rgba = c => { const v = (String(c).match(/[\\d.]+/g) || []).map(Number); return [v[0] || 0, v[1] || 0, v[2] || 0, v.length > 3 ? v[3] : 1]; };
const over = (top, below) => top.slice(0, 3).map((v, i) => top[3] * v + (1 - top[3]) * below[i]).concat([1]);
const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const ratio = (a, b) => { const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
const hex = c => 'rgb(' + c.slice(0, 3).map(Math.round).join(', ') + ')';
const paint = (el, prop) => {
  const st = getComputedStyle(el);
  const v = st[prop];
  if (!v || v === 'none' || v.startsWith('url')) return null;
  const c = rgba(v);
  c[3] *= parseFloat(st[prop + 'Opacity'] || '1') * parseFloat(st.opacity || '1');
  return c[3] > 0 ? c : null;
};
const pageBg = el => {
  const layers = [];
  for (let n = el; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let bg = pageColour ? rgba(pageColour) : [255, 255, 255, 1];
  for (const l of layers.reverse()) bg = over(l, bg);
  return bg;
};
const SHAPES = 'rect, circle, ellipse, polygon, path';
const skip = el => el.closest('defs, marker, pattern, clipPath, mask, symbol, title, desc');
const out = { low: [], diagrams: 0, measured: 0 };
for (const svg of doc.querySelectorAll(rootSel)) {
  out.diagrams++;
  const name = svg.getAttribute('aria-labelledby') || svg.id || 'svg';
  const beneath = (el) => {
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const layers = [];
    for (const n of doc.elementsFromPoint(x, y)) {
      if (n === el || !svg.contains(n) || n === svg || skip(n) || !n.matches(SHAPES)) continue;
      // only what is painted before the element lies beneath it
      if (!(n.compareDocumentPosition(el) & 4) || n.contains(el)) continue;
      const f = paint(n, 'fill');
      if (!f) continue;
      layers.push(f);
      if (f[3] >= 1) break;
    }
    let bg = layers.length && layers[layers.length - 1][3] >= 1 ? [0, 0, 0, 1] : pageBg(svg.parentElement || svg);
    for (const l of layers.reverse()) bg = over(l, bg);
    return bg;
  };
  const check = (el, prop, need, what) => {
    const c = paint(el, prop);
    if (!c) return;
    if (prop === 'stroke' && parseFloat(getComputedStyle(el).strokeWidth) <= 0) return;
    const bg = beneath(el);
    const fg = over(c, bg);
    const k = ratio(fg, bg);
    out.measured++;
    if (k < need) out.low.push([name, what, hex(fg), hex(bg), Math.round(k * 100) / 100, need]);
  };
  for (const t of svg.querySelectorAll('text')) {
    if (skip(t) || !t.textContent.trim()) continue;
    check(t, 'fill', textMin, 'text \"' + t.textContent.trim().slice(0, 40) + '\"');
  }
  for (const l of svg.querySelectorAll('line, polyline, path, ' + SHAPES)) {
    if (skip(l)) continue;
    check(l, 'stroke', lineMin, l.tagName + ' ' + (l.getAttribute('d') || l.getAttribute('points') || [l.getAttribute('x1') || l.getAttribute('x'), l.getAttribute('y1') || l.getAttribute('y')].join(',')).slice(0, 30));
  }
}
return out;";

/// The page's `<img>` diagrams: `[src, the colour scheme the image is drawn in, the page's
/// background colour behind it]`.
const IMAGES: &str = "
const bg = el => { for (let n = el; n; n = n.parentElement) { const c = getComputedStyle(n).backgroundColor; if (!/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
return [...document.querySelectorAll('main img[src$=\".svg\"]')].map(i => [i.getAttribute('src'), getComputedStyle(i).colorScheme.includes('dark') ? 'dark' : 'light', bg(i)]);";

/// Shows `arguments[0]` in a frame at the top of the page, at the diagram's size.
const FRAME: &str = "
const f = document.createElement('iframe');
f.id = 'diagram-probe';
f.style = 'position:fixed;top:0;left:0;width:760px;height:520px;border:0;z-index:99999;background:transparent';
f.src = arguments[0];
document.body.append(f);
return true;";

/// Measures the diagrams under `roots` in the page, or in the frame `frame` over the page
/// background `page_bg`; adds the parts that fail to `low`.
async fn measure(
    page: &Page,
    roots: &str,
    frame: Option<(&str, &str)>,
    at: &str,
    low: &mut Vec<String>,
) -> Result<u64> {
    let v = page
        .client
        .execute(
            MEASURE,
            vec![
                serde_json::json!(roots),
                serde_json::json!(TEXT),
                serde_json::json!(GRAPHIC),
                serde_json::json!(frame.map(|f| f.0)),
                serde_json::json!(frame.map(|f| f.1)),
            ],
        )
        .await?;
    for l in v["low"].as_array().into_iter().flatten() {
        low.push(format!("{at}: {l}"));
    }
    ensure!(
        v["measured"].as_u64().unwrap_or(0) > 0,
        "{at}: nothing measured in {roots}: {v}"
    );
    Ok(v["diagrams"].as_u64().unwrap_or(0))
}

fn readable_in(theme: &'static str) {
    browser_test(&format!("diagrams_{theme}"), move |page: Page| async move {
        let mut low = Vec::new();
        let mut diagrams = 0;
        let mut images = 0;
        for (i, p) in PAGES.iter().enumerate() {
            page.open(p).await?;
            if i == 0 {
                use_theme(&page, theme).await?;
            }
            // inline diagrams (the lab console's own charts are tested in lab_themes.rs)
            let inline = "main svg[role='img'][aria-labelledby]";
            if page.exists(inline).await? {
                diagrams += measure(&page, inline, None, p, &mut low).await?;
            }
            let imgs: Vec<(String, String, String)> =
                serde_json::from_value(page.eval(IMAGES).await?)?;
            for (src, scheme, bg) in imgs {
                // the image's palette follows the scheme of its <img>: show the file under it
                page.emulate_color_scheme(&scheme).await?;
                page.client
                    .execute(FRAME, vec![serde_json::json!(src)])
                    .await?;
                page.wait_until(
                    "the diagram's frame loaded",
                    "document.querySelector('#diagram-probe').contentDocument?.querySelector('svg text')",
                )
                .await?;
                let at = format!("{p} {src} ({scheme})");
                diagrams +=
                    measure(&page, "svg", Some(("#diagram-probe", &bg)), &at, &mut low).await?;
                page.eval("document.querySelector('#diagram-probe').remove(); return true;")
                    .await?;
                page.emulate_color_scheme("").await?;
                images += 1;
            }
        }
        // every diagram of the book: 4 images and 5 inline figures
        ensure!(
            diagrams >= 9 && images >= 4,
            "{theme}: only {diagrams} diagrams ({images} images) found"
        );
        ensure!(
            low.is_empty(),
            "{theme}: diagram parts with too little contrast:\n{}",
            low.join("\n")
        );
        Ok(())
    });
}

#[test]
fn the_diagrams_are_readable_in_the_light_theme() {
    readable_in("light");
}

#[test]
fn the_diagrams_are_readable_in_the_rust_theme() {
    readable_in("rust");
}

#[test]
fn the_diagrams_are_readable_in_the_coal_theme() {
    readable_in("coal");
}

#[test]
fn the_diagrams_are_readable_in_the_navy_theme() {
    readable_in("navy");
}

#[test]
fn the_diagrams_are_readable_in_the_ayu_theme() {
    readable_in("ayu");
}
