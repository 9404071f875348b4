//! Simulated SQS queues: visibility timeout, receive count and redrive to a dead-letter queue
//! (docs/lambda-behaviour.md §2.3, §2.4), and FIFO queues: messages in message groups, a group's
//! messages received in order and never while another of its messages is in flight (§2.17).
//!
//! [`SqsQueue`] is a model: its messages and counters are private to this file, and the engine
//! (`crate::esm_sqs`, `crate::traffic`, `crate::destination`, the handlers' `sqs_send`) tells it
//! what happens (a send, a receive, a delete, a batch's failures, a dead letter taken in) and
//! reads counts for the view and the report. [`Message`] is a record handed out by copy; only
//! the queue changes its receive count and visibility. [`Redrive`] is configuration.

use std::collections::VecDeque;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::clock::Micros;
use crate::error::ApiError;

/// A message: what was sent (pub: a record the queue hands out, by copy, to the poller that
/// receives it and to the console), and how often the queue has delivered it (the queue's own
/// count, read-only outside this file: only receiving a message changes it, §2.3, §2.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Message id (`messageId`).
    pub id: u64,
    /// Body.
    pub body: Arc<str>,
    /// Message attributes (e.g. `RequestID`, `ErrorCode`, `ErrorMessage` on a Lambda DLQ message).
    pub attributes: Vec<(String, String)>,
    /// When it was sent.
    pub sent_us: Micros,
    /// Times received (`ApproximateReceiveCount`).
    receive_count: u32,
    /// Hidden until this time while being processed.
    visible_at_us: Micros,
    /// Lambda invocations in this message's chain of requests so far: 0 for a message sent from
    /// outside, `n` for one a handler sent during the `n`-th invocation of its chain (the
    /// metadata recursive loop detection tracks, docs/lambda-behaviour.md §2.16).
    #[serde(default, skip_serializing_if = "crate::config::is_zero")]
    pub chain: u32,
}

impl Message {
    /// A message sent at `sent_us`, never received yet, without attributes, outside any chain of
    /// requests.
    #[inline]
    pub fn new(id: u64, body: Arc<str>, sent_us: Micros) -> Self {
        Self {
            id,
            body,
            attributes: Vec::new(),
            sent_us,
            receive_count: 0,
            visible_at_us: sent_us,
            chain: 0,
        }
    }

    /// The same with these message attributes.
    #[inline]
    pub fn with_attributes(mut self, attributes: Vec<(String, String)>) -> Self {
        self.attributes = attributes;
        self
    }

    /// The same, sent by a handler during the `chain`-th invocation of its chain of requests
    /// (docs/lambda-behaviour.md §2.16).
    #[inline]
    pub fn with_chain(mut self, chain: u32) -> Self {
        self.chain = chain;
        self
    }

    /// Times received (`ApproximateReceiveCount`).
    #[inline]
    pub fn receive_count(&self) -> u32 {
        self.receive_count
    }
}

/// A queue's redrive policy (configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redrive {
    /// Dead-letter queue name.
    pub dead_letter_queue: String,
    /// `maxReceiveCount`.
    pub max_receive_count: u32,
}

/// A message a receive took out of its queue because it was already received `maxReceiveCount`
/// times, with its FIFO message group: the caller hands it to the dead-letter queue
/// ([`SqsQueue::redrive_in`], docs/lambda-behaviour.md §2.4).
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetter {
    message: Message,
    group: Option<Arc<str>>,
}

impl DeadLetter {
    /// The message, as it was in its queue.
    #[inline]
    pub fn message(&self) -> &Message {
        &self.message
    }
}

/// An SQS queue, standard or FIFO, and its messages. Its fields are its own: the engine sends,
/// receives, deletes and reads counts through its methods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqsQueue {
    /// Name.
    name: String,
    /// Visibility timeout (default 30 s).
    visibility_timeout_us: Micros,
    /// Redrive policy.
    redrive: Option<Redrive>,
    /// Visible messages, oldest first.
    visible: VecDeque<Message>,
    /// Received and not yet deleted, by id.
    in_flight: IndexMap<u64, Message>,
    /// Messages ever sent.
    sent: u64,
    /// Messages deleted after processing.
    deleted: u64,
    /// Messages moved to the DLQ by redrive.
    redriven: u64,
    /// Bound on stored messages (beyond it new messages are counted and dropped, to bound memory).
    max_stored: usize,
    /// Messages dropped because of `max_stored`.
    overflowed: u64,
    /// Messages a handler sent at a virtual time the simulation has not reached yet (a handler
    /// runs at once, but its calls happen during its run): they exist from their `sent_us` on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    arriving: Vec<Message>,
    /// A FIFO queue (its name ends in `.fifo`, docs/lambda-behaviour.md §2.17).
    #[serde(default, skip_serializing_if = "crate::config::is_zero")]
    fifo: bool,
    /// FIFO: the `MessageGroupId` of each stored message, sorted by message id (a sorted Vec,
    /// not a map: a map's code costs the lab page).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<(u64, Arc<str>)>,
}

/// The error of a queue name that does not fit its kind, or `None`: a FIFO queue's name ends in
/// `.fifo` (letters, digits, `-` and `_` before it, 1–80 characters), and only a FIFO queue's
/// may (docs/lambda-behaviour.md §2.17).
pub fn queue_name_error(name: &str, fifo: bool) -> Option<String> {
    match (fifo, name.strip_suffix(".fifo")) {
        (true, Some(stem))
            if !stem.is_empty()
                && name.len() <= 80
                && stem
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            None
        }
        (true, _) => Some(format!("queue \"{name}\": the name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length")),
        (false, Some(_)) => Some(format!("queue \"{name}\": only a FIFO queue's name ends in .fifo: add `fifo = true` or rename it")),
        (false, None) => None,
    }
}

impl SqsQueue {
    /// An empty queue: standard or `fifo` (the caller checked its name, [`queue_name_error`]),
    /// hiding a received message for `visibility_timeout_us`, with an optional redrive policy.
    pub fn new(
        name: &str,
        visibility_timeout_us: Micros,
        redrive: Option<Redrive>,
        fifo: bool,
    ) -> Self {
        Self {
            name: name.into(),
            visibility_timeout_us,
            redrive,
            visible: VecDeque::new(),
            in_flight: IndexMap::new(),
            sent: 0,
            deleted: 0,
            redriven: 0,
            max_stored: 1_000_000,
            overflowed: 0,
            arriving: Vec::new(),
            fifo,
            groups: Vec::new(),
        }
    }

    /// Name.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A FIFO queue (docs/lambda-behaviour.md §2.17).
    #[inline]
    pub fn fifo(&self) -> bool {
        self.fifo
    }

    /// Visibility timeout.
    #[inline]
    pub fn visibility_timeout_us(&self) -> Micros {
        self.visibility_timeout_us
    }

    /// Redrive policy.
    #[inline]
    pub fn redrive(&self) -> Option<&Redrive> {
        self.redrive.as_ref()
    }

    /// `ApproximateNumberOfMessagesVisible`.
    #[inline]
    pub fn visible_count(&self) -> usize {
        self.visible.len()
    }

    /// Some message is visible.
    #[inline]
    pub fn has_visible(&self) -> bool {
        !self.visible.is_empty()
    }

    /// `ApproximateNumberOfMessagesNotVisible`: received and not deleted yet.
    #[inline]
    pub fn in_flight_count(&self) -> usize {
        self.in_flight.len()
    }

    /// The visible messages, oldest first.
    #[inline]
    pub fn visible_messages(
        &self,
    ) -> impl DoubleEndedIterator<Item = &Message> + ExactSizeIterator + '_ {
        self.visible.iter()
    }

    /// Messages ever sent (including those dropped by the bound on stored messages).
    #[inline]
    pub fn sent(&self) -> u64 {
        self.sent
    }

    /// Messages deleted after processing.
    #[inline]
    pub fn deleted(&self) -> u64 {
        self.deleted
    }

    /// Messages moved to the DLQ by redrive.
    #[inline]
    pub fn redriven(&self) -> u64 {
        self.redriven
    }

    /// Messages dropped because the queue held as many as the simulator stores.
    #[inline]
    pub fn overflowed(&self) -> u64 {
        self.overflowed
    }

    /// Whether a message may be sent with this `MessageGroupId` (`None`: without one): a FIFO
    /// queue needs one (docs/lambda-behaviour.md §2.17, `MissingParameter`).
    pub fn check_group(&self, group: Option<&str>) -> Result<(), ApiError> {
        if self.fifo && group.is_none() {
            return Err(ApiError::new(
                "MissingParameter",
                400,
                "The request must contain the parameter MessageGroupId.",
            ));
        }
        Ok(())
    }

    /// Sends a message to a FIFO queue in message group `group` (a standard queue ignores it).
    pub fn send_in_group(&mut self, msg: Message, group: &str) {
        if self.fifo {
            let at = self.groups.partition_point(|(id, _)| *id < msg.id);
            self.groups.insert(at, (msg.id, group.into()));
        }
        self.send(msg);
    }

    /// Sends a message that Lambda (a destination or a dead-letter queue), a topic or a rule
    /// delivers: it has no message group, so a FIFO queue refuses it (docs/lambda-behaviour.md
    /// §1.13). True when the queue took it.
    #[inline]
    pub fn send_from_service(&mut self, msg: Message) -> bool {
        if self.fifo {
            return false;
        }
        self.send(msg);
        true
    }

    /// Takes a message its queue redrove, as a new message: never received, visible from `now`,
    /// in the same message group (docs/lambda-behaviour.md §2.4, §2.17).
    pub fn redrive_in(&mut self, dead: DeadLetter, now: Micros) {
        let DeadLetter { message, group } = dead;
        self.send_in_group(
            Message {
                receive_count: 0,
                visible_at_us: now,
                ..message
            },
            group.as_deref().unwrap_or(""),
        );
    }

    /// FIFO: removes and returns a message's group (it is deleted, or moved to the DLQ).
    fn take_group(&mut self, id: u64) -> Option<Arc<str>> {
        let at = self.groups.binary_search_by_key(&id, |(i, _)| *i).ok()?;
        Some(self.groups.remove(at).1)
    }

    /// FIFO: the message group of a stored message (a message sent without one, by a handler,
    /// is in the group `""`).
    pub fn group_of(&self, id: u64) -> Option<&Arc<str>> {
        let at = self.groups.binary_search_by_key(&id, |(i, _)| *i).ok()?;
        Some(&self.groups[at].1)
    }

    /// The message groups of received messages, for their records' `MessageGroupId`: one per
    /// message of a FIFO queue, none for a standard queue (docs/lambda-behaviour.md §2.17).
    pub fn groups_of(&self, msgs: &[Message]) -> Vec<Option<Arc<str>>> {
        match self.fifo {
            true => msgs.iter().map(|x| self.group_of(x.id).cloned()).collect(),
            false => Vec::new(),
        }
    }

    /// Sends a message.
    pub fn send(&mut self, msg: Message) {
        self.sent += 1;
        if self.stored() >= self.max_stored {
            self.overflowed += 1;
            return;
        }
        self.visible.push_back(msg);
    }

    /// Messages the queue holds: visible, in flight and arriving.
    #[inline]
    fn stored(&self) -> usize {
        self.visible.len() + self.in_flight.len() + self.arriving.len()
    }

    /// Sends a message from inside a handler's run, which the simulation computes at once, ahead
    /// of its clock: the message exists from its `sent_us` on ([`SqsQueue::release_expired`]), so
    /// no receive sees it before it was sent (docs/lambda-behaviour.md §2.13).
    pub fn send_during_run(&mut self, msg: Message) {
        self.sent += 1;
        if self.stored() >= self.max_stored {
            self.overflowed += 1;
            return;
        }
        self.arriving.push(msg);
    }

    /// Makes the messages sent during a handler's run by `now` visible, in the order sent.
    /// True while some are still to arrive.
    #[inline]
    pub fn deliver_arrived(&mut self, now: Micros) -> bool {
        if !self.arriving.is_empty() {
            self.arriving.sort_by_key(|m| (m.sent_us, m.id));
            let due = self.arriving.partition_point(|m| m.sent_us <= now);
            self.visible.extend(self.arriving.drain(..due));
        }
        !self.arriving.is_empty()
    }

    /// Makes messages whose visibility timeout expired visible again, and messages sent by
    /// `now` visible.
    pub fn release_expired(&mut self, now: Micros) {
        self.deliver_arrived(now);
        if self.in_flight.is_empty() {
            return;
        }
        let mut expired: Vec<u64> = self
            .in_flight
            .iter()
            .filter(|(_, m)| m.visible_at_us <= now)
            .map(|(id, _)| *id)
            .collect();
        // back in the order received (the map's order is not: a removal moves the last one)
        expired.sort_unstable();
        for id in expired {
            if let Some(m) = self.in_flight.swap_remove(&id) {
                if self.fifo {
                    // back in its place: a group's messages stay in the order sent
                    let at = self.visible.partition_point(|v| v.id < m.id);
                    self.visible.insert(at, m);
                } else {
                    self.visible.push_back(m);
                }
            }
        }
    }

    /// The earliest time an in-flight message becomes visible again, or a message being sent
    /// arrives.
    pub fn next_visible_at(&self) -> Option<Micros> {
        let back = self.in_flight.values().map(|m| m.visible_at_us);
        back.chain(self.arriving.iter().map(|m| m.sent_us)).min()
    }

    /// Receives up to `n` messages, hiding them for the visibility timeout
    /// (docs/lambda-behaviour.md §2.3). Messages already received `maxReceiveCount` times leave
    /// the queue in the second list instead: the caller hands them to the DLQ (§2.4).
    pub fn receive(&mut self, now: Micros, n: usize) -> (Vec<Message>, Vec<DeadLetter>) {
        self.release_expired(now);
        if self.fifo {
            return self.receive_fifo(now, n);
        }
        let mut got = Vec::new();
        let mut dead = Vec::new();
        while got.len() < n {
            let Some(m) = self.visible.pop_front() else {
                break;
            };
            self.take(m, now, &mut got, &mut dead);
        }
        (got, dead)
    }

    /// Receives one message: into `dead` when it was already received `maxReceiveCount` times,
    /// else into `got`, hidden for the visibility timeout.
    #[inline]
    fn take(
        &mut self,
        mut m: Message,
        now: Micros,
        got: &mut Vec<Message>,
        dead: &mut Vec<DeadLetter>,
    ) {
        if let Some(r) = &self.redrive {
            if m.receive_count >= r.max_receive_count {
                self.redriven += 1;
                let group = self.take_group(m.id);
                dead.push(DeadLetter { message: m, group });
                return;
            }
        }
        m.receive_count += 1;
        m.visible_at_us = now + self.visibility_timeout_us;
        self.in_flight.insert(m.id, m.clone());
        got.push(m);
    }

    /// FIFO receive: messages in the order sent, skipping every group that has a message in
    /// flight, so that one group's messages are never processed two batches at a time
    /// (docs/lambda-behaviour.md §2.17).
    fn receive_fifo(&mut self, now: Micros, n: usize) -> (Vec<Message>, Vec<DeadLetter>) {
        // (a Vec, not a set: few groups are in flight, and a set's code costs the lab page)
        let busy: Vec<Arc<str>> = self
            .in_flight
            .keys()
            .map(|id| self.group_of(*id).cloned().unwrap_or_else(|| "".into()))
            .collect();
        let (mut got, mut dead) = (Vec::new(), Vec::new());
        let mut kept = VecDeque::with_capacity(self.visible.len());
        while let Some(m) = self.visible.pop_front() {
            let group = self.group_of(m.id).map_or("", |g| g);
            if got.len() >= n || busy.iter().any(|b| **b == *group) {
                kept.push_back(m);
            } else {
                self.take(m, now, &mut got, &mut dead);
            }
        }
        self.visible = kept;
        (got, dead)
    }

    /// Deletes a received message (success).
    pub fn delete(&mut self, id: u64) {
        if self.in_flight.swap_remove(&id).is_some() {
            self.deleted += 1;
            if self.fifo {
                self.take_group(id);
            }
        }
    }

    /// Deletes the received messages `ids` of a batch that succeeded, except those `failed` lists:
    /// those stay hidden and come back when their visibility timeout ends
    /// (docs/lambda-behaviour.md §2.3, §2.5).
    #[inline]
    pub fn delete_batch(&mut self, ids: &[u64], failed: impl Fn(u64) -> bool) {
        for &id in ids {
            if !failed(id) {
                self.delete(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SEC;

    fn msg(id: u64) -> Message {
        Message::new(id, "x".into(), 0)
    }

    fn standard(visibility_s: u64) -> SqsQueue {
        SqsQueue::new("q", visibility_s * SEC, None, false)
    }

    fn with_dlq(max_receive_count: u32, fifo: bool) -> SqsQueue {
        let redrive = Redrive {
            dead_letter_queue: "dlq".into(),
            max_receive_count,
        };
        SqsQueue::new("q", 30 * SEC, Some(redrive), fifo)
    }

    fn ids(msgs: &[Message]) -> Vec<u64> {
        msgs.iter().map(|m| m.id).collect()
    }

    #[test]
    fn received_messages_stay_hidden_for_the_visibility_timeout() {
        // docs/lambda-behaviour.md §2.3: hidden for the visibility timeout, visible again after
        let mut q = standard(30);
        q.send(msg(1));
        let (got, _) = q.receive(0, 10);
        assert_eq!(got.len(), 1);
        assert_eq!(q.receive(29 * SEC, 10).0.len(), 0);
        let again = q.receive(30 * SEC, 10).0;
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].receive_count(), 2);
    }

    #[test]
    fn redrive_moves_a_message_after_max_receive_count() {
        // docs/lambda-behaviour.md §2.4: after maxReceiveCount receives, to the DLQ
        let mut q = with_dlq(2, false);
        q.send(msg(1));
        let mut t = 0;
        for _ in 0..2 {
            assert_eq!(q.receive(t, 1).0.len(), 1);
            t += 31 * SEC;
        }
        let (got, dead) = q.receive(t, 1);
        assert!(got.is_empty());
        assert_eq!(dead.len(), 1);
        assert_eq!(dead[0].message().receive_count(), 2);
    }

    #[test]
    fn a_receive_takes_up_to_n_oldest_first_and_counts_in_flight_s2_1_s2_3() {
        // docs/lambda-behaviour.md §2.1 (a batch is at most BatchSize), §2.3 (hidden while
        // processed: ApproximateNumberOfMessagesNotVisible)
        let mut q = standard(30);
        for id in 1..=5 {
            q.send(msg(id));
        }
        let (got, dead) = q.receive(0, 3);
        assert_eq!((ids(&got), dead.len()), (vec![1, 2, 3], 0));
        assert!(got.iter().all(|m| m.receive_count() == 1));
        assert_eq!(
            (q.visible_count(), q.in_flight_count(), q.sent()),
            (2, 3, 5)
        );
        assert_eq!(
            ids(&q.visible_messages().cloned().collect::<Vec<_>>()),
            [4, 5]
        );
        // a standard queue puts a message that comes back behind those waiting
        assert_eq!(ids(&q.receive(0, 10).0), [4, 5]);
        q.delete_batch(&[4, 5], |_| false);
        assert_eq!(ids(&q.receive(30 * SEC, 10).0), [1, 2, 3]);
        assert_eq!(q.next_visible_at(), Some(60 * SEC));
    }

    #[test]
    fn a_deleted_message_never_comes_back_s2_3() {
        // docs/lambda-behaviour.md §2.3: when the function succeeds, Lambda deletes the batch
        let mut q = standard(30);
        q.send(msg(1));
        q.send(msg(2));
        q.receive(0, 10);
        q.delete(1);
        q.delete(1); // already deleted: not counted twice
        q.delete(9); // never received
        assert_eq!((q.deleted(), q.in_flight_count()), (1, 1));
        assert_eq!(q.next_visible_at(), Some(30 * SEC));
        assert_eq!(ids(&q.receive(30 * SEC, 10).0), [2]);
    }

    #[test]
    fn a_partial_batch_failure_returns_only_the_failed_messages_s2_5() {
        // docs/lambda-behaviour.md §2.5: only the messages listed go back to the queue, after
        // the visibility timeout (§2.3), received once more
        let mut q = standard(30);
        for id in 1..=4 {
            q.send(msg(id));
        }
        let (got, _) = q.receive(0, 10);
        q.delete_batch(&ids(&got), |id| id == 2 || id == 4);
        assert_eq!(
            (q.deleted(), q.in_flight_count(), q.visible_count()),
            (2, 2, 0)
        );
        assert!(q.receive(29 * SEC, 10).0.is_empty());
        let back = q.receive(30 * SEC, 10).0;
        assert_eq!(ids(&back), [2, 4]);
        assert!(back.iter().all(|m| m.receive_count() == 2));
    }

    #[test]
    fn a_redriven_message_starts_afresh_in_the_dlq_s2_4() {
        // docs/lambda-behaviour.md §2.4: the redrive policy moves it to the queue's own DLQ,
        // where it is a message never received, visible at once; the source counts it
        let mut q = with_dlq(1, false);
        let mut dlq = standard(30);
        q.send(msg(7).with_attributes(vec![("k".into(), "v".into())]));
        assert_eq!(q.receive(0, 10).0.len(), 1);
        let (got, dead) = q.receive(30 * SEC, 10);
        assert!(got.is_empty());
        assert_eq!(
            (q.redriven(), q.visible_count(), q.in_flight_count()),
            (1, 0, 0)
        );
        for d in dead {
            dlq.redrive_in(d, 30 * SEC);
        }
        assert_eq!((dlq.sent(), dlq.visible_count()), (1, 1));
        let m = dlq.visible_messages().next().unwrap();
        assert_eq!((m.id, m.receive_count(), m.sent_us), (7, 0, 0));
        assert_eq!(m.attributes, [("k".to_string(), "v".to_string())]);
        assert_eq!(dlq.receive(30 * SEC, 10).0[0].receive_count(), 1);
    }

    #[test]
    fn a_fifo_group_waits_while_one_of_its_messages_is_in_flight_s2_17() {
        // docs/lambda-behaviour.md §2.17: a batch may hold several groups' messages in order;
        // while a group's message is in flight none of its later ones is received; other
        // groups go on
        let mut q = SqsQueue::new("q.fifo", 30 * SEC, None, true);
        q.send_in_group(msg(1), "a");
        q.send_in_group(msg(2), "a");
        q.send_in_group(msg(3), "b");
        q.send_in_group(msg(4), "c");
        assert_eq!(ids(&q.receive(0, 2).0), [1, 2]);
        // a is busy: b and c, in order
        assert_eq!(ids(&q.receive(0, 10).0), [3, 4]);
        q.send_in_group(msg(5), "a");
        q.send_in_group(msg(6), "d");
        assert_eq!(ids(&q.receive(0, 10).0), [6]);
        q.delete_batch(&[1, 2], |_| false);
        assert_eq!(ids(&q.receive(0, 10).0), [5]);
        assert_eq!(q.group_of(5).map(|g| &**g), Some("a"));
        assert_eq!(q.group_of(1), None, "a deleted message leaves its group");
    }

    #[test]
    fn a_failed_fifo_message_is_retried_before_its_group_goes_on_s2_17() {
        // docs/lambda-behaviour.md §2.17: when the function fails, the affected messages come
        // back after the visibility timeout, in their place, before the group's later ones
        let mut q = SqsQueue::new("q.fifo", 30 * SEC, None, true);
        q.send_in_group(msg(1), "a");
        assert_eq!(ids(&q.receive(0, 10).0), [1]);
        q.send_in_group(msg(2), "a");
        q.send_in_group(msg(3), "b");
        assert_eq!(ids(&q.receive(0, 10).0), [3]);
        let back = q.receive(30 * SEC, 1).0;
        assert_eq!((ids(&back), back[0].receive_count()), (vec![1], 2));
        assert_eq!(q.groups_of(&back), [Some(Arc::from("a"))]);
    }

    #[test]
    fn a_fifo_dead_letter_keeps_its_group_s2_4_s2_17() {
        // docs/lambda-behaviour.md §2.17: a FIFO queue's DLQ is a FIFO queue; the message keeps
        // its group there, and leaves the source's groups
        let mut q = with_dlq(1, true);
        let mut dlq = SqsQueue::new("dlq.fifo", 30 * SEC, None, true);
        q.send_in_group(msg(1), "g");
        q.receive(0, 10);
        let (got, dead) = q.receive(30 * SEC, 10);
        assert!(got.is_empty());
        assert_eq!(q.group_of(1), None);
        for d in dead {
            dlq.redrive_in(d, 30 * SEC);
        }
        assert_eq!(dlq.group_of(1).map(|g| &**g), Some("g"));
    }

    #[test]
    fn a_fifo_queue_needs_a_group_and_refuses_lambda_s_messages_s2_17_s1_13() {
        // docs/lambda-behaviour.md §2.17: SendMessage to a FIFO queue names a MessageGroupId;
        // §1.13: a FIFO queue is not a destination or DLQ for Lambda
        let mut fifo = SqsQueue::new("q.fifo", 30 * SEC, None, true);
        let mut std = standard(30);
        assert_eq!(fifo.check_group(None).unwrap_err().code, "MissingParameter");
        assert!(fifo.check_group(Some("g")).is_ok());
        assert!(std.check_group(None).is_ok());
        assert!(!fifo.send_from_service(msg(1)));
        assert!(std.send_from_service(msg(1)));
        assert_eq!((fifo.sent(), std.sent()), (0, 1));
        assert!(std.groups_of(&[msg(1)]).is_empty());
    }

    #[test]
    fn a_message_sent_during_a_run_exists_from_when_it_was_sent_s2_13() {
        // docs/lambda-behaviour.md §2.13: a message a handler sends exists from the virtual
        // time of that call, so no receive sees it earlier
        let mut q = standard(30);
        q.send_during_run(Message::new(2, "b".into(), 5 * SEC).with_chain(3));
        q.send_during_run(Message::new(1, "a".into(), 2 * SEC));
        assert_eq!((q.sent(), q.visible_count()), (2, 0));
        assert_eq!(q.next_visible_at(), Some(2 * SEC));
        assert!(q.receive(SEC, 10).0.is_empty());
        assert!(q.deliver_arrived(2 * SEC), "one still to arrive");
        assert_eq!(q.visible_count(), 1);
        assert!(!q.deliver_arrived(5 * SEC));
        let got = q.receive(5 * SEC, 10).0;
        assert_eq!(ids(&got), [1, 2]);
        assert_eq!(got[1].chain, 3);
    }

    #[test]
    fn messages_past_the_stored_bound_are_counted_and_dropped() {
        // the simulator's bound on stored messages (not AWS's): visible, in flight and
        // arriving count against it; sent counts every send
        let mut q = standard(30);
        q.max_stored = 2;
        q.send(msg(1));
        q.receive(0, 1);
        q.send_during_run(msg(2));
        q.send(msg(3));
        q.send_during_run(msg(4));
        assert_eq!((q.sent(), q.overflowed()), (4, 2));
        assert_eq!(q.stored(), 2);
    }
}
