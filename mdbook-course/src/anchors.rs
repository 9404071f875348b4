//! Heading anchors as mdBook makes them, to check that links into a page point somewhere.

use std::collections::HashSet;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The ids mdBook gives the headings of `markdown`: an explicit `{#id}`, else the text lowercased,
/// whitespace turned into `-`, other punctuation dropped; repeats get `-1`, `-2`, ...
pub fn heading_ids(markdown: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut counts = std::collections::HashMap::<String, usize>::new();
    let mut current: Option<(String, Option<String>)> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_HEADING_ATTRIBUTES) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                current = Some((String::new(), id.map(|i| i.to_string())));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((text, _)) = &mut current {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((text, explicit)) = current.take() {
                    let base = explicit.unwrap_or_else(|| normalize_id(&text));
                    let n = counts.entry(base.clone()).or_insert(0);
                    let id = if *n == 0 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    };
                    *n += 1;
                    ids.insert(id);
                }
            }
            _ => {}
        }
    }
    ids
}

/// mdBook's rule for turning heading text into an id.
pub fn normalize_id(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_mdbooks_rules_including_repeats_and_explicit_ids() {
        let ids = heading_ids(
            "# Cold starts: why?\n## `/tmp` space\n## Lab\n## Lab\n## Custom {#mine}\n",
        );
        for id in ["cold-starts-why", "tmp-space", "lab", "lab-1", "mine"] {
            assert!(ids.contains(id), "{id} missing from {ids:?}");
        }
    }
}
