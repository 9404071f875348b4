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
