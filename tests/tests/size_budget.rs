//! Page-weight budgets, measured on the built site (deterministic, so asserted here).

use xtask::size::{page_weight_gzip, Page};

#[test]
fn a_quiz_page_loads_at_most_120_kb_gzip_of_our_wasm_and_js() {
    let site = e2e::book_build();
    let weight = page_weight_gzip(&site, Page::Quiz).unwrap();
    assert!(
        weight <= Page::Quiz.budget_gzip(),
        "a quiz page loads {weight} bytes gzip, over the {} budget (see `cargo xtask size`)",
        Page::Quiz.budget_gzip()
    );
}

#[test]
fn a_lab_page_loads_at_most_450_kb_gzip_of_our_wasm_and_js() {
    let site = e2e::book_build();
    let weight = page_weight_gzip(&site, Page::Lab).unwrap();
    assert!(
        weight <= Page::Lab.budget_gzip(),
        "a lab page loads {weight} bytes gzip, over the {} budget (see `cargo xtask size`)",
        Page::Lab.budget_gzip()
    );
}
