//! The statements waiting to be sent, as kept in localStorage: bounded, sent in batches, retried
//! with backoff, and never retried forever when the LRS refuses one. Pure: the sender applies an
//! HTTP outcome; this decides what comes next.
//!
//! In localStorage each statement is its own key, under `course:{book}:xapi:` ([`Queue::entries`],
//! [`Queue::from_entries`]): `q:{at}:{id}` waiting (its JSON text; `at`, fixed-width digits made
//! when it was queued, keeps the order), `x:{at}:{id}` refused (`{status} {reason}`, a newline, its
//! JSON text), and `sent`, `dropped`, `failures`, `single`, `error`. Nothing is parsed but numbers:
//! the queue costs the quiz bundle no JSON deserialiser.
//!
//! A statement's key never changes while it waits, so that two tabs writing the queue at once
//! lose nothing: each writes only what it changed (the sender's `save` compares with what it
//! read), a new statement is a new key, and a key is removed only by the tab that sent it.

/// A statement waiting, as the JSON text it is sent as (with its id, to match answers).
#[derive(Debug, Clone, PartialEq)]
pub struct Queued {
    /// Where it stands in the queue: fixed-width digits (milliseconds when queued, then its
    /// place among those queued together), compared as text.
    pub at: String,
    /// The statement id.
    pub id: String,
    /// The statement, serialised once when queued.
    pub json: String,
}

/// At most this many statements wait; more are counted in [`Queue::dropped`] and a notice says so.
pub const CAPACITY: usize = 500;
/// At most this many statements per request.
pub const BATCH: usize = 25;
/// At most this many refused statements are kept to report.
pub const REJECTED_KEPT: usize = 50;
/// The longest wait between retries.
pub const MAX_BACKOFF_MS: f64 = 60_000.0;

/// A statement the LRS refused (4xx), kept aside to report.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// The HTTP status.
    pub status: u16,
    /// What the LRS said (the start of its answer).
    pub reason: String,
    /// The statement (JSON text).
    pub statement: Queued,
}

/// What a send came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// Stored (2xx; or 409 for one statement: the LRS has it already).
    Stored,
    /// Refused (4xx other than 401/403/408/429): the statements are wrong, not the moment.
    Refused(u16, String),
    /// The LRS refused the credential (401, 403): every statement of the batch is set aside at
    /// once (a wrong credential refuses them all), never retried for ever.
    Denied(u16, String),
    /// Not reached, timed out, 408, 429 or 5xx: try again later.
    Failed(String),
}

impl Sent {
    /// What an HTTP status (0 when no answer came) means for a batch of `n` statements.
    pub fn from_status(status: u16, body: &str, n: usize) -> Sent {
        match status {
            200..=299 => Sent::Stored,
            409 if n == 1 => Sent::Stored,
            408 | 429 => Sent::Failed(format!("the record store is busy (HTTP {status})")),
            // The credential, not the statements: retrying cannot help, so they are set aside.
            401 | 403 => Sent::Denied(
                status,
                "the record store refused the course's credential (ask the course's authors to \
                 check book.toml [preprocessor.course.xapi] auth)"
                    .to_owned(),
            ),
            400..=499 => Sent::Refused(status, body.chars().take(300).collect()),
            0 => Sent::Failed("the record store could not be reached".to_owned()),
            _ => Sent::Failed(format!("the record store failed (HTTP {status})")),
        }
    }
}

/// The queue as saved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queue {
    /// Waiting, oldest first.
    pub pending: Vec<Queued>,
    /// Refused by the LRS, newest last.
    pub rejected: Vec<Rejected>,
    /// Statements not kept because the queue was full.
    pub dropped: u32,
    /// Statements stored by the LRS so far.
    pub sent: u32,
    /// Failed sends in a row (the backoff grows with it).
    pub failures: u32,
    /// After a refused batch: this many statements at the front go one by one, to find the bad one.
    pub single: usize,
    /// Why the last send failed, while it keeps failing.
    pub error: Option<String>,
}

impl Queue {
    /// The queue as localStorage entries (keys relative to `course:{book}:xapi:`).
    pub fn entries(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for q in &self.pending {
            out.push((format!("q:{}:{}", q.at, q.id), q.json.clone()));
        }
        for r in &self.rejected {
            let value = format!(
                "{} {}\n{}",
                r.status,
                r.reason.replace('\n', " "),
                r.statement.json
            );
            let q = &r.statement;
            out.push((format!("x:{}:{}", q.at, q.id), value));
        }
        for (k, v) in [
            ("sent", self.sent),
            ("dropped", self.dropped),
            ("failures", self.failures),
        ] {
            out.push((k.to_owned(), v.to_string()));
        }
        out.push(("single".to_owned(), self.single.to_string()));
        if let Some(e) = &self.error {
            out.push(("error".to_owned(), e.clone()));
        }
        out
    }

    /// The queue from its localStorage entries (in any order); unknown keys are ignored.
    pub fn from_entries(entries: impl IntoIterator<Item = (String, String)>) -> Queue {
        let mut q = Queue::default();
        // Placed in order as read (a binary search and an insert: a sort's code would weigh more).
        fn place<T>(list: &mut Vec<T>, at: impl Fn(&T) -> &str, item: T) {
            let n = list.partition_point(|x| at(x) <= at(&item));
            list.insert(n, item);
        }
        for (key, value) in entries {
            let number = || value.parse().unwrap_or(0);
            match key.split_once(':') {
                Some(("q", rest)) => {
                    if let Some((at, id)) = rest.split_once(':') {
                        let item = Queued {
                            at: at.to_owned(),
                            id: id.to_owned(),
                            json: value.clone(),
                        };
                        place(&mut q.pending, |s| &s.at, item);
                    }
                }
                Some(("x", rest)) => {
                    let (Some((at, id)), Some((why, json))) =
                        (rest.split_once(':'), value.split_once('\n'))
                    else {
                        continue;
                    };
                    let (status, reason) = why.split_once(' ').unwrap_or((why, ""));
                    let item = Rejected {
                        status: status.parse().unwrap_or(0),
                        reason: reason.to_owned(),
                        statement: Queued {
                            at: at.to_owned(),
                            id: id.to_owned(),
                            json: json.to_owned(),
                        },
                    };
                    place(&mut q.rejected, |r| &r.statement.at, item);
                }
                _ => match key.as_str() {
                    "sent" => q.sent = number(),
                    "dropped" => q.dropped = number(),
                    "failures" => q.failures = number(),
                    "single" => q.single = value.parse().unwrap_or(0),
                    "error" => q.error = Some(value.clone()),
                    _ => {}
                },
            }
        }
        q
    }

    /// Adds a statement; `false` (and counted) when the queue is full.
    pub fn push(&mut self, s: Queued) -> bool {
        if self.pending.len() >= CAPACITY {
            self.dropped += 1;
            return false;
        }
        self.pending.push(s);
        true
    }

    /// The next request's statements (oldest first).
    pub fn batch(&self) -> Vec<Queued> {
        let n = if self.single > 0 { 1 } else { BATCH };
        self.pending.iter().take(n).cloned().collect()
    }

    /// How long to wait before the next try, in ms: none after a success, then 1 s, 2 s, 4 s, ...
    /// up to a minute.
    pub fn backoff_ms(&self) -> f64 {
        match self.failures {
            0 => 0.0,
            f => (1000.0 * 2f64.powi(f.min(16) as i32 - 1)).min(MAX_BACKOFF_MS),
        }
    }

    /// Applies the outcome of sending `batch` (which other tabs may have sent meanwhile: only
    /// statements still pending are touched).
    pub fn apply(&mut self, batch: &[Queued], outcome: Sent) {
        let ids: Vec<&str> = batch.iter().map(|s| s.id.as_str()).collect();
        let before = self.pending.len();
        match outcome {
            Sent::Stored => {
                self.pending.retain(|s| !ids.contains(&s.id.as_str()));
                let done = before - self.pending.len();
                self.sent += done as u32;
                self.single = self.single.saturating_sub(done);
                self.failures = 0;
                self.error = None;
            }
            Sent::Refused(status, reason) if batch.len() > 1 => {
                // One bad statement refuses the whole batch: send these one by one.
                let _ = (status, reason);
                self.single = self.single.max(batch.len());
                self.failures = 0;
            }
            Sent::Refused(status, reason) | Sent::Denied(status, reason) => {
                let (refused, keep): (Vec<Queued>, Vec<Queued>) = std::mem::take(&mut self.pending)
                    .into_iter()
                    .partition(|s| ids.contains(&s.id.as_str()));
                self.pending = keep;
                self.single = self.single.saturating_sub(refused.len());
                for statement in refused {
                    self.rejected.push(Rejected {
                        status,
                        reason: reason.clone(),
                        statement,
                    });
                }
                let over = self.rejected.len().saturating_sub(REJECTED_KEPT);
                self.rejected.drain(..over);
                self.failures = 0;
            }
            Sent::Failed(why) => {
                self.failures += 1;
                self.error = Some(why);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn st(id: &str) -> Queued {
        Queued {
            at: format!("{:0>4}", id.parse::<u32>().unwrap_or(9999)),
            id: id.to_owned(),
            json: format!("{{\"id\":\"{id}\"}}"),
        }
    }

    fn queue(n: usize) -> Queue {
        let mut q = Queue::default();
        for i in 0..n {
            assert!(q.push(st(&i.to_string())));
        }
        q
    }

    #[test]
    fn batches_go_oldest_first_and_leave_when_stored() {
        let mut q = queue(BATCH + 3);
        let b = q.batch();
        assert_eq!(b.len(), BATCH);
        assert_eq!(b[0].id, "0");
        q.push(st("late"));
        q.apply(&b, Sent::Stored);
        assert_eq!(q.pending.len(), 4, "three left over and the late one");
        assert_eq!(q.sent, BATCH as u32);
    }

    #[test]
    fn failures_back_off_exponentially_up_to_a_minute_and_keep_everything() {
        let mut q = queue(3);
        let b = q.batch();
        let mut waits = Vec::new();
        for _ in 0..9 {
            q.apply(&b, Sent::from_status(0, "", 3));
            waits.push(q.backoff_ms());
        }
        assert_eq!(
            waits,
            [1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 32000.0, 60000.0, 60000.0, 60000.0]
        );
        assert_eq!(q.pending.len(), 3);
        assert!(q.error.as_deref().unwrap().contains("could not be reached"));
        q.apply(&b, Sent::Stored);
        assert_eq!(
            (q.backoff_ms(), q.pending.len(), q.error.clone()),
            (0.0, 0, None)
        );
    }

    #[test]
    fn a_refused_batch_is_split_and_only_the_bad_statement_is_set_aside() {
        let mut q = queue(3);
        let b = q.batch();
        q.apply(&b, Sent::from_status(400, "bad verb", b.len()));
        assert_eq!(q.pending.len(), 3, "nothing lost yet");
        // One by one now: the first is fine, the second is the bad one.
        let one = q.batch();
        assert_eq!(one.len(), 1);
        q.apply(&one, Sent::Stored);
        let two = q.batch();
        assert_eq!(two[0].id, "1");
        q.apply(&two, Sent::from_status(422, "verb.id is not an IRI", 1));
        assert_eq!(q.rejected.len(), 1);
        assert_eq!(q.rejected[0].status, 422);
        assert_eq!(q.rejected[0].statement.id, "1");
        let three = q.batch();
        assert_eq!(three[0].id, "2");
        q.apply(&three, Sent::Stored);
        assert!(q.pending.is_empty());
        assert_eq!(q.sent, 2);
        assert_eq!(q.single, 0, "back to batches");
    }

    #[test]
    fn a_statement_the_lrs_has_already_counts_as_stored() {
        assert_eq!(Sent::from_status(409, "", 1), Sent::Stored);
        assert!(matches!(
            Sent::from_status(409, "", 2),
            Sent::Refused(409, _)
        ));
        assert!(matches!(Sent::from_status(429, "", 2), Sent::Failed(_)));
        assert!(
            matches!(Sent::from_status(401, "", 1), Sent::Denied(401, _)),
            "a wrong credential is not retried for ever"
        );
        assert!(matches!(Sent::from_status(503, "", 2), Sent::Failed(_)));
    }

    #[test]
    fn a_full_queue_counts_what_it_could_not_keep() {
        let mut q = queue(CAPACITY);
        assert!(!q.push(st("one too many")));
        assert_eq!((q.pending.len(), q.dropped), (CAPACITY, 1));
    }

    #[test]
    fn the_queue_survives_a_round_trip_through_storage() {
        let mut q = queue(2);
        q.apply(&q.batch(), Sent::Failed("offline".into()));
        q.apply(&q.batch()[..1], Sent::Refused(422, "bad\nverb".into()));
        q.dropped = 3;
        let mut entries = q.entries();
        entries.reverse();
        entries.push(("someone-else".into(), "x".into()));
        let back = Queue::from_entries(entries);
        assert_eq!(back.pending, q.pending, "in order");
        assert_eq!(back.rejected[0].reason, "bad verb");
        assert_eq!(back.rejected[0].statement, q.rejected[0].statement);
        assert_eq!(
            (back.sent, back.dropped, back.failures, back.error),
            (q.sent, 3, q.failures, q.error.clone())
        );
    }

    #[test]
    fn a_refused_credential_sets_the_whole_batch_aside_and_says_so() {
        let mut q = queue(3);
        let b = q.batch();
        q.apply(
            &b,
            Sent::from_status(401, "Invalid authentication credentials", 3),
        );
        assert!(q.pending.is_empty(), "not retried");
        assert_eq!(q.rejected.len(), 3);
        assert_eq!(q.rejected[0].status, 401);
        assert!(q.rejected[0].reason.contains("credential"), "{q:?}");
        assert_eq!((q.failures, q.backoff_ms()), (0, 0.0));
    }

    #[test]
    fn statements_two_tabs_queued_at_once_are_all_kept_in_order() {
        // Tab A and tab B each read the queue (empty) and add their own statement: each writes
        // only its new key, so the queue read afterwards holds both, in the order queued.
        let a = Queued {
            at: "000000000001000".into(),
            id: "a".into(),
            json: "{}".into(),
        };
        let b = Queued {
            at: "000000000001000".into(),
            id: "b".into(),
            json: "{}".into(),
        };
        let c = Queued {
            at: "000000000000900".into(),
            id: "c".into(),
            json: "{}".into(),
        };
        let mut entries = Vec::new();
        for s in [&a, &b, &c] {
            let mut q = Queue::default();
            q.push(s.clone());
            entries.extend(q.entries().into_iter().filter(|(k, _)| k.starts_with("q:")));
        }
        let q = Queue::from_entries(entries);
        let ids: Vec<&str> = q.pending.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
    }
}
