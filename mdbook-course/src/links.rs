//! Dead-link checking: every relative link and image in the book's Markdown must point at a file
//! that exists, and every `#anchor` at a heading (or an element `id`) of that page.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use course_model::{Diagnostic, Severity};
use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::anchors::heading_ids;
use crate::paths::normalise;

/// A link found in a page, with its 1-based place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// Links and images in `markdown`: Markdown syntax and `src`/`href` attributes in raw HTML.
pub fn find_links(markdown: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let at = |offset: usize| course_model::diagnostic::line_col(markdown, offset);
    for (event, range) in Parser::new_ext(markdown, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let (line, col) = at(range.start);
                out.push(Link {
                    dest: dest_url.to_string(),
                    line,
                    col,
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for attr in ["src=\"", "href=\""] {
                    let mut from = 0;
                    while let Some(i) = html[from..].find(attr) {
                        let start = from + i + attr.len();
                        let Some(len) = html[start..].find('"') else {
                            break;
                        };
                        let (line, col) = at(range.start + start);
                        out.push(Link {
                            dest: html[start..start + len].to_owned(),
                            line,
                            col,
                        });
                        from = start + len;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Checks the links of every page in `pages` (paths relative to `src_dir`).
pub fn check(src_dir: &Path, pages: &[PathBuf], show: &dyn Fn(&Path) -> String) -> Vec<Diagnostic> {
    let mut anchors: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut diagnostics = Vec::new();
    for page in pages {
        let Ok(text) = std::fs::read_to_string(src_dir.join(page)) else {
            continue;
        };
        for link in find_links(&text) {
            if let Some(problem) = problem(src_dir, page, &link.dest, &mut anchors) {
                diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    file: show(&src_dir.join(page)),
                    line: link.line,
                    col: link.col,
                    message: format!("dead link `{}`: {problem}", link.dest),
                    hint: Some("paths are relative to this page; anchors are heading ids as mdBook makes them (lowercase, spaces as `-`, punctuation dropped)".to_owned()),
                });
            }
        }
    }
    diagnostics
}

pub(crate) fn problem(
    src_dir: &Path,
    page: &Path,
    dest: &str,
    anchors: &mut HashMap<PathBuf, HashSet<String>>,
) -> Option<String> {
    if dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("data:")
        || dest.is_empty()
    {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let target = if path.is_empty() {
        page.to_path_buf()
    } else {
        let mut t = normalise(&page.parent().unwrap_or(Path::new("")).join(path));
        if t.extension().is_some_and(|e| e == "html")
            && src_dir.join(t.with_extension("md")).exists()
        {
            t = t.with_extension("md");
        }
        t
    };
    if !src_dir.join(&target).exists() {
        return Some(format!("{} does not exist", target.display()));
    }
    let anchor = anchor.filter(|a| !a.is_empty())?;
    if target.extension().is_none_or(|e| e != "md") {
        return None;
    }
    let ids = anchors.entry(target.clone()).or_insert_with(|| {
        let text = std::fs::read_to_string(src_dir.join(&target)).unwrap_or_default();
        let mut ids = heading_ids(&text);
        let mut from = 0;
        while let Some(i) = text[from..].find("id=\"") {
            let start = from + i + 4;
            let Some(len) = text[start..].find('"') else {
                break;
            };
            ids.insert(text[start..start + len].to_owned());
            from = start + len;
        }
        ids
    });
    (!ids.contains(anchor)).then(|| {
        format!(
            "{} has no heading or element with id `{anchor}`",
            target.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markdown_links_images_and_html_attributes_with_places() {
        let links = find_links("See [a](x.md#y).\n\n<img src=\"images/d.svg\" alt=\"d\">\n");
        let dests: Vec<_> = links.iter().map(|l| (l.dest.as_str(), l.line)).collect();
        assert_eq!(dests, vec![("x.md#y", 1), ("images/d.svg", 3)]);
    }

    #[test]
    fn reports_missing_files_and_anchors_but_not_web_links() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "# A\n[ok](b.md#cold-starts) [bad](b.md#nope) [gone](c.md) [web](https://x.org/y)\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.md"), "# B\n## Cold starts\n").unwrap();
        let found = check(dir.path(), &[PathBuf::from("a.md")], &|p| {
            p.display().to_string()
        });
        let messages: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("no heading or element with id `nope`"));
        assert!(messages[1].contains("c.md does not exist"));
    }
}
