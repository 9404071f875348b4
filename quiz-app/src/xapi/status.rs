//! What the learner sees of their records: the sync status on the progress page, and a notice
//! when the queue is full.

use yew::prelude::*;

use super::queue::{Queue, CAPACITY};

/// The sync status in words, or `None` when there is nothing to say.
pub fn describe(q: &Queue) -> String {
    let mut parts = Vec::new();
    if q.pending.is_empty() {
        parts.push(format!(
            "All your learning records are sent to the course's record store ({} sent from this browser).",
            q.sent
        ));
    } else {
        let why = q
            .error
            .as_deref()
            .map(|e| format!(": {e}; trying again"))
            .unwrap_or_else(|| ", sending now".to_owned());
        parts.push(format!(
            "{} learning record(s) waiting to be sent{why}. They are kept in this browser until then.",
            q.pending.len()
        ));
    }
    if !q.rejected.is_empty() {
        let last = &q.rejected[q.rejected.len() - 1];
        parts.push(format!(
            "{} record(s) were refused by the record store and kept aside (last: HTTP {} {}).",
            q.rejected.len(),
            last.status,
            last.reason
        ));
    }
    if q.dropped > 0 {
        parts.push(full_notice(q.dropped));
    }
    parts.join(" ")
}

/// The notice when records could not be kept.
pub fn full_notice(dropped: u32) -> String {
    format!(
        "The queue of learning records waiting to be sent is full ({CAPACITY}); {dropped} record(s) \
         could not be kept. Connect to the network so that they can be sent."
    )
}

/// The progress page's sync status (shown only when learner records are on).
#[function_component]
pub fn SyncStatus() -> Html {
    let queue = use_state(|| None::<Queue>);
    {
        let queue = queue.clone();
        use_effect_with((), move |()| {
            super::sender::watch(move |q| queue.set(Some(q.clone())));
        });
    }
    let Some(q) = &*queue else {
        return Html::default();
    };
    let class = if q.pending.is_empty() && q.rejected.is_empty() {
        "course-xapi-status is-synced"
    } else {
        "course-xapi-status is-waiting"
    };
    html! {
        <p class={class} role="status" aria-live="polite">{describe(q)}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xapi::queue::{Queued, Sent};

    #[test]
    fn the_status_says_what_waits_why_and_what_was_refused() {
        let mut q = Queue::default();
        assert!(describe(&q).starts_with("All your learning records are sent"));
        let s = Queued {
            at: "1".into(),
            id: "1".into(),
            json: "{}".into(),
        };
        q.push(s.clone());
        q.apply(
            std::slice::from_ref(&s),
            Sent::Failed("the record store could not be reached".into()),
        );
        let text = describe(&q);
        assert!(text.contains("1 learning record(s) waiting"), "{text}");
        assert!(
            text.contains("could not be reached; trying again"),
            "{text}"
        );
        q.apply(&[s], Sent::Refused(400, "bad".into()));
        q.dropped = 2;
        let text = describe(&q);
        assert!(text.contains("1 record(s) were refused"), "{text}");
        assert!(text.contains("HTTP 400 bad"), "{text}");
        assert!(text.contains("2 record(s) could not be kept"), "{text}");
    }
}
