//! The export file's download and the import file's text, through gloo-file.

use wasm_bindgen::JsCast;

/// Offers `text` as a download named `name`; `None` when the browser refused.
pub fn download(name: &str, text: &str) -> Option<()> {
    let blob = gloo_file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo_file::ObjectUrl::from(blob);
    let document = gloo_utils::document();
    let a: web_sys::HtmlElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_attribute("href", &url).ok()?;
    a.set_attribute("download", name).ok()?;
    document.body()?.append_child(&a).ok()?;
    a.click();
    a.remove();
    // The click has handed the blob to the download; the URL is revoked when `url` drops, a
    // minute later, which keeps slow browsers safe.
    gloo_timers::callback::Timeout::new(60_000, move || drop(url)).forget();
    Some(())
}

/// The text of the file the learner chose, if it can be read.
pub async fn read(file: web_sys::File) -> Option<String> {
    gloo_file::futures::read_as_text(&gloo_file::File::from(file))
        .await
        .ok()
}
