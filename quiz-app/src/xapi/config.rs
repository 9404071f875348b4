//! Where statements go and who they are about: the book's `[preprocessor.course.xapi]` (written
//! into each page by the preprocessor) and, for a course launched from an LMS, the cmi5 launch
//! parameters in the page URL, which take precedence. Pure: tested natively.

use serde::{Deserialize, Serialize};

use super::statement::{Account, Actor};

/// The book's configuration, as the page carries it (`<script class="course-xapi">`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookConfig {
    /// The book id.
    pub book: String,
    /// The LRS's xAPI endpoint (ends with `/`), absolute or relative to the site (a same-origin
    /// path proxied to the LRS).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// The IRI activity ids start with.
    #[serde(rename = "activity-base")]
    pub activity_base: String,
    /// `Basic ...`: a write-only credential (anyone can read it from the page).
    #[serde(default)]
    pub auth: Option<String>,
}

/// How requests authenticate.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// No `Authorization` header.
    None,
    /// This header value.
    Header(String),
    /// cmi5: POST to this URL once for `{"auth-token": ...}`, then `Basic <token>`.
    Fetch(String),
}

/// Everything the sender needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The book id.
    pub book: String,
    /// The xAPI endpoint, ending with `/`.
    pub endpoint: String,
    /// How to authenticate.
    pub auth: Auth,
    /// The activity IRI base.
    pub base: String,
    /// The learner as the launch names them (xAPI Agent JSON, sent as is); else the
    /// pseudonymous course id is used.
    pub actor: Option<String>,
    /// The cmi5 registration.
    pub registration: Option<String>,
    /// The cmi5 AU's activity id (`activityId`): with a registration, the page sends the cmi5
    /// defined `initialized` and `terminated`.
    pub activity: Option<String>,
}

/// The session for this page: `None` (nothing is sent) unless the book configures an LRS or the
/// URL carries a cmi5 launch (`endpoint`, `fetch`, `actor`, `registration`, `activityId`). `query` is the
/// page URL's decoded parameters.
pub fn resolve(book: Option<&BookConfig>, query: &[(String, String)]) -> Option<Session> {
    let param = |k: &str| {
        query
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let book = book?;
    let launched = param("endpoint");
    let endpoint = launched.clone().or_else(|| book.endpoint.clone())?;
    let endpoint = if endpoint.ends_with('/') {
        endpoint
    } else {
        format!("{endpoint}/")
    };
    let auth = if launched.is_some() {
        param("fetch").map_or(Auth::None, Auth::Fetch)
    } else {
        book.auth.clone().map_or(Auth::None, Auth::Header)
    };
    let actor =
        param("actor").filter(|a| a.trim_start().starts_with('{') && crate::codec::is_json(a));
    Some(Session {
        book: book.book.clone(),
        endpoint,
        auth,
        base: book.activity_base.clone(),
        actor,
        registration: param("registration"),
        activity: launched.and(param("activityId")),
    })
}

/// The pseudonymous learner of a course not launched from an LMS: an account named by a random
/// id kept in this browser, on the course's activity base. It says nothing about who they are.
pub fn anonymous(base: &str, id: &str) -> Actor {
    Actor {
        object_type: "Agent".to_owned(),
        account: Some(Account {
            home_page: base.to_owned(),
            name: id.to_owned(),
        }),
        ..Actor::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(endpoint: Option<&str>) -> BookConfig {
        BookConfig {
            book: "b".into(),
            endpoint: endpoint.map(str::to_owned),
            activity_base: "https://course.example".into(),
            auth: Some("Basic d3JpdGVyOnB3".into()),
        }
    }

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_configuration_is_read_as_mdbook_course_writes_it() {
        let c: BookConfig = crate::codec::from_str(
            r#"{"book":"b","endpoint":"/lrs/xAPI/","activity-base":"https://c.example/","auth":null}"#,
        )
        .unwrap();
        assert_eq!(c.endpoint.as_deref(), Some("/lrs/xAPI/"));
        assert_eq!(
            (c.activity_base.as_str(), c.auth),
            ("https://c.example/", None)
        );
        assert!(crate::codec::from_str::<BookConfig>(r#"{"book":"b"}"#).is_err());
    }

    #[test]
    fn nothing_is_sent_unless_configured() {
        assert_eq!(resolve(None, &q(&[("endpoint", "https://lrs/")])), None);
        assert_eq!(resolve(Some(&book(None)), &[]), None);
    }

    #[test]
    fn the_book_configuration_is_used_when_not_launched() {
        let s = resolve(Some(&book(Some("https://lrs.example/xAPI"))), &[]).unwrap();
        assert_eq!(s.endpoint, "https://lrs.example/xAPI/");
        assert_eq!(s.auth, Auth::Header("Basic d3JpdGVyOnB3".into()));
        assert_eq!((s.actor, s.registration, s.activity), (None, None, None));
    }

    #[test]
    fn an_actor_that_is_not_json_is_not_used() {
        let s = resolve(
            Some(&book(None)),
            &q(&[("endpoint", "https://lms/"), ("actor", "{oops")]),
        )
        .unwrap();
        assert_eq!(s.actor, None);
    }

    #[test]
    fn a_cmi5_launch_takes_precedence() {
        let actor =
            r#"{"objectType":"Agent","account":{"homePage":"https://lms.example","name":"u42"}}"#;
        let s = resolve(
            Some(&book(Some("https://lrs.example/xAPI/"))),
            &q(&[
                ("endpoint", "https://lms.example/lrs/"),
                ("fetch", "https://lms.example/token?k=1"),
                ("actor", actor),
                ("registration", "760e3480-ba55-4991-94b0-01820dbd23a2"),
                ("activityId", "https://lms.example/au/7"),
            ]),
        )
        .unwrap();
        assert_eq!(s.endpoint, "https://lms.example/lrs/");
        assert_eq!(s.auth, Auth::Fetch("https://lms.example/token?k=1".into()));
        assert_eq!(
            s.actor.as_deref(),
            Some(actor),
            "the LMS's learner, not the pseudonym"
        );
        assert_eq!(
            s.registration.as_deref(),
            Some("760e3480-ba55-4991-94b0-01820dbd23a2")
        );
        assert_eq!(s.activity.as_deref(), Some("https://lms.example/au/7"));
    }
}
