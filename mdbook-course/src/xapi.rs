//! `[preprocessor.course.xapi]`: where the browser app sends learner records. Off unless this
//! table is present; validated here, then written once into every page that holds a quiz, a lab
//! or the progress overview, as `<script type="application/json" class="course-xapi">`.
//!
//! ```toml
//! [preprocessor.course.xapi]
//! endpoint = "https://lrs.example.org/xAPI/"   # or a same-origin path, e.g. "/lrs/xAPI/"
//! activity-base = "https://courses.example.org/"
//! auth = "course-writer:secret"                 # a WRITE-ONLY credential: the page is public
//! ```
//!
//! Without `endpoint`, records are sent only when an LMS launches the course with cmi5
//! parameters (which also carry their own credential).

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use mdbook_preprocessor::book::{Book, BookItem};
use serde::{Deserialize, Serialize};

/// The table as written in book.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The LRS's xAPI endpoint.
    pub endpoint: Option<String>,
    /// The IRI every activity id starts with.
    pub activity_base: String,
    /// `user:password` of a credential that can only write statements.
    pub auth: Option<String>,
}

/// What the page carries (the browser app's `xapi::config::BookConfig`).
#[derive(Debug, Serialize)]
struct PageConfig<'a> {
    book: &'a str,
    endpoint: Option<&'a str>,
    #[serde(rename = "activity-base")]
    activity_base: &'a str,
    auth: Option<String>,
}

const PLACE: &str = "book.toml [preprocessor.course.xapi]";

impl Config {
    /// Checks the values; the error names the key and the fix.
    pub fn validate(&self) -> Result<()> {
        let absolute = |v: &str| v.starts_with("https://") || v.starts_with("http://");
        if !absolute(&self.activity_base) {
            bail!(
                "{PLACE} activity-base = {:?} is not an absolute http(s) IRI: write the address of a \
                 site the course owns, e.g. \"https://courses.example.org/\"; activity ids start with it",
                self.activity_base
            );
        }
        if let Some(e) = &self.endpoint {
            if !absolute(e) && !e.starts_with('/') {
                bail!(
                    "{PLACE} endpoint = {e:?} is neither an http(s) URL nor a path on this site: write e.g. \
                     \"https://lrs.example.org/xAPI/\" or \"/lrs/xAPI/\""
                );
            }
        }
        if let Some(a) = &self.auth {
            if !a.contains(':') {
                bail!(
                    "{PLACE} auth must be \"user:password\" of a write-only credential (found no `:`)"
                );
            }
        }
        Ok(())
    }

    /// The `<script>` element pages carry.
    pub fn script(&self, book_id: &str) -> String {
        let page = PageConfig {
            book: book_id,
            endpoint: self.endpoint.as_deref(),
            activity_base: &self.activity_base,
            auth: self.auth.as_ref().map(|a| {
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(a)
                )
            }),
        };
        let json = serde_json::to_string(&page)
            .expect("plain data serialises")
            .replace('<', "\\u003c");
        format!("\n\n<script type=\"application/json\" class=\"course-xapi\">{json}</script>\n")
    }
}

/// Reads the table (if any) and adds its script to each page with a course placeholder.
pub fn inject(
    config: &mdbook_preprocessor::config::Config,
    book_id: &str,
    book: &mut Book,
) -> Result<()> {
    let table: Option<Config> = config.get("preprocessor.course.xapi").with_context(|| {
        format!("reading {PLACE}: the keys are endpoint, activity-base and auth")
    })?;
    let Some(table) = table else {
        return Ok(());
    };
    table.validate()?;
    let script = table.script(book_id);
    // Every page: a cmi5 session launched by an LMS goes on, and ends, on any page of the
    // course, also one without quizzes or labs (the loader then loads the sender alone).
    book.for_each_mut(|item| {
        if let BookItem::Chapter(ch) = item {
            ch.content.push_str(&script);
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(toml: &str) -> Config {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn the_page_gets_a_basic_header_not_the_password_in_clear() {
        let c = config(
            "endpoint = \"/lrs/xAPI/\"\nactivity-base = \"https://c.example/\"\nauth = \"w:pw\"\n",
        );
        c.validate().unwrap();
        let s = c.script("book");
        assert!(s.contains("\"auth\":\"Basic dzpwdw==\""), "{s}");
        assert!(s.contains("\"book\":\"book\""), "{s}");
        assert!(
            s.contains("\"activity-base\":\"https://c.example/\""),
            "{s}"
        );
    }

    #[test]
    fn bad_values_are_refused_with_the_fix() {
        let e = config("activity-base = \"course\"\n")
            .validate()
            .unwrap_err();
        assert!(e.to_string().contains("activity-base = \"course\""), "{e}");
        let e = config("activity-base = \"https://c/\"\nendpoint = \"lrs\"\n")
            .validate()
            .unwrap_err();
        assert!(e.to_string().contains("/lrs/xAPI/"), "{e}");
        let e = config("activity-base = \"https://c/\"\nauth = \"token\"\n")
            .validate()
            .unwrap_err();
        assert!(e.to_string().contains("user:password"), "{e}");
        assert!(
            toml::from_str::<Config>("activity-base = \"https://c/\"\npassword = \"x\"\n").is_err()
        );
    }

    #[test]
    fn every_page_carries_it_also_one_without_course_elements() {
        let config: mdbook_preprocessor::config::Config =
            "[preprocessor.course.xapi]\nactivity-base = \"https://c.example/\"\n"
                .parse()
                .unwrap();
        let mut book = Book::new();
        for (name, content) in [
            ("Quiz", "<div class=\"course-quiz\">"),
            ("Welcome", "# Welcome"),
        ] {
            book.push_item(mdbook_preprocessor::book::Chapter::new(
                name,
                content.to_owned(),
                format!("{name}.md"),
                Vec::new(),
            ));
        }
        inject(&config, "b", &mut book).unwrap();
        let mut carried = 0;
        book.for_each_mut(|item| {
            if let BookItem::Chapter(ch) = item {
                assert!(
                    ch.content.contains("class=\"course-xapi\""),
                    "{}",
                    ch.content
                );
                carried += 1;
            }
        });
        assert_eq!(carried, 2);
    }
}
