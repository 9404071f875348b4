//! Page-weight budgets, measured on the built site (deterministic, so asserted here).

use xtask::size::{page_weight_gzip, Page};

fn assert_within_budget(page: Page) {
    let site = e2e::book_build();
    let weight = page_weight_gzip(&site, page).unwrap();
    assert!(
        weight <= page.budget_gzip(),
        "a {page:?} page loads {weight} bytes gzip, over the {} budget (see `cargo xtask size`)",
        page.budget_gzip()
    );
}

#[test]
fn a_quiz_page_loads_at_most_175_kb_gzip_of_our_wasm_and_js() {
    assert_within_budget(Page::Quiz);
}

#[test]
fn the_progress_page_loads_at_most_175_kb_gzip_of_our_wasm_and_js() {
    assert_within_budget(Page::Progress);
}

#[test]
fn a_lab_page_loads_at_most_450_kb_gzip_of_our_wasm_and_js() {
    assert_within_budget(Page::Lab);
}
