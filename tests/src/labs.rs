//! Steps through a lab as a learner would, shared by the lab browser tests.

use anyhow::Result;

use crate::Page;

/// On the execution-environment lab (already open): invokes twice, a cold start then a warm one,
/// and waits until the "cold then warm" objective is done.
pub async fn invoke_cold_then_warm(page: &Page) -> Result<()> {
    page.click(".lab-invoke-sync").await?;
    page.wait_for_text(".lab-status", "200 OK").await?;
    page.click(".lab-invoke-sync").await?;
    page.wait_for("[data-objective='cold-then-warm'].is-done")
        .await?;
    Ok(())
}

/// On the execution-environment lab (already open): meets all four objectives of
/// `cold-warm-starts` (cold then warm, cold after idle, a burst, provisioned concurrency on the
/// alias `live`) and waits until the lab says so.
pub async fn complete_cold_warm_starts(page: &Page) -> Result<()> {
    page.click(".lab-invoke-sync").await?;
    page.wait_for_text(".lab-status", "200 OK").await?;
    page.click(".lab-invoke-sync").await?;
    page.click(".lab-advance-10m").await?;
    page.click(".lab-advance-1m").await?;
    page.click(".lab-invoke-sync").await?;
    page.click(".lab-burst").await?;
    page.wait_for_text(".lab-status", "simultaneous requests sent")
        .await?;
    provision_alias(page, "live", 2).await?;
    page.click(".lab-advance-1m").await?;
    page.type_into(".lab-qualifier", "live").await?;
    page.click(".lab-invoke-sync").await?;
    page.wait_for_text(".lab-objectives-summary", "All 4 objectives completed")
        .await?;
    Ok(())
}

/// On the execution-environment lab (already open): publishes a version, points the alias `alias`
/// at it and sets provisioned concurrency `amount` on the alias, from the Configuration panel, with
/// the keyboard alone (docs/lambda-behaviour.md §10.4).
pub async fn provision_alias(page: &Page, alias: &str, amount: u32) -> Result<()> {
    page.click(".lab-publish").await?;
    page.wait_for_text(".lab-status", "Version 1 published")
        .await?;
    page.type_into(".lab-alias", alias).await?;
    page.type_into(".lab-alias-version", "1").await?;
    page.click(".lab-save-alias").await?;
    page.wait_for_text(".lab-status", &format!("Alias {alias} points to version 1"))
        .await?;
    page.type_into(".lab-provisioned", &amount.to_string())
        .await?;
    page.type_into(".lab-provisioned-qualifier", alias).await?;
    page.click(".lab-save-provisioned").await?;
    page.wait_for_text(
        ".lab-status",
        &format!("Provisioned concurrency of {alias} set to {amount}"),
    )
    .await?;
    Ok(())
}
