//! How soon a learner can use the first quiz: the time from navigation start until the first
//! quiz control (an input of the welcome quiz) is in the page, in headless Chromium, median of
//! seven loads of the built book. Run by `cargo xtask bench` (or `cargo run -p e2e --bin
//! first-control [PAGE] [RUNS]`); speed is measured here, never asserted in a test.

use e2e::{browser_test, Page};

/// Records `performance.now()` when the first quiz input appears, from the document's start.
const OBSERVER: &str = r#"
new MutationObserver(function (_, observer) {
  if (document.querySelector('.course-question input, .course-question select, .course-question textarea')) {
    window.__courseFirstControl = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"#;

fn main() {
    let mut args = std::env::args().skip(1);
    let page_path = args.next().unwrap_or_else(|| "welcome.html".to_owned());
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(7);
    browser_test("first_control_bench", move |page: Page| async move {
        page.on_new_document(OBSERVER).await?;
        // One load to fill the cache, as a learner moving through the book has it.
        page.open(&page_path).await?;
        page.wait_for(".course-question input").await?;
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            page.open(&page_path).await?;
            page.wait_for(".course-question input").await?;
            let t = page.eval("return window.__courseFirstControl;").await?;
            let t = t
                .as_f64()
                .ok_or_else(|| anyhow::anyhow!("the observer saw no control: {t}"))?;
            times.push(t);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!(
            "first quiz control on {page_path}: median {median:.0} ms over {runs} loads (min {:.0}, max {:.0})",
            times[0],
            times[times.len() - 1]
        );
        Ok(())
    });
}
