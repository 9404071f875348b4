//! Simulated SQS queues: visibility timeout, receive count and redrive to a dead-letter queue
//! (docs/lambda-behaviour.md §2.3, §2.4), and FIFO queues: messages in message groups, a group's
//! messages received in order and never while another of its messages is in flight (§2.17).

use std::collections::VecDeque;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::clock::{Micros, SEC};

/// A message in a queue.
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
    pub receive_count: u32,
    /// Hidden until this time while being processed.
    pub visible_at_us: Micros,
    /// Lambda invocations in this message's chain of requests so far: 0 for a message sent from
    /// outside, `n` for one a handler sent during the `n`-th invocation of its chain (the
    /// metadata recursive loop detection tracks, docs/lambda-behaviour.md §2.16).
    #[serde(default, skip_serializing_if = "crate::config::is_zero")]
    pub chain: u32,
}

/// A queue's redrive policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redrive {
    /// Dead-letter queue name.
    pub dead_letter_queue: String,
    /// `maxReceiveCount`.
    pub max_receive_count: u32,
}

/// A standard queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqsQueue {
    /// Name.
    pub name: String,
    /// Visibility timeout (default 30 s).
    pub visibility_timeout_us: Micros,
    /// Redrive policy.
    pub redrive: Option<Redrive>,
    /// Visible messages, oldest first.
    pub visible: VecDeque<Message>,
    /// Received and not yet deleted, by id.
    pub in_flight: IndexMap<u64, Message>,
    /// Messages ever sent.
    pub sent: u64,
    /// Messages deleted after processing.
    pub deleted: u64,
    /// Messages moved to the DLQ by redrive.
    pub redriven: u64,
    /// Bound on stored messages (beyond it new messages are counted and dropped, to bound memory).
    pub max_stored: usize,
    /// Messages dropped because of `max_stored`.
    pub overflowed: u64,
    /// Messages a handler sent at a virtual time the simulation has not reached yet (a handler
    /// runs at once, but its calls happen during its run): they exist from their `sent_us` on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arriving: Vec<Message>,
    /// A FIFO queue (its name ends in `.fifo`, docs/lambda-behaviour.md §2.17).
    #[serde(default, skip_serializing_if = "crate::config::is_zero")]
    pub fifo: bool,
    /// FIFO: the `MessageGroupId` of each stored message, sorted by message id (a sorted Vec,
    /// not a map: a map's code costs the lab page).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<(u64, Arc<str>)>,
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
    /// A queue with a 30 s visibility timeout.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.into(),
            visibility_timeout_us: 30 * SEC,
            redrive: None,
            visible: VecDeque::new(),
            in_flight: IndexMap::new(),
            sent: 0,
            deleted: 0,
            redriven: 0,
            max_stored: 1_000_000,
            overflowed: 0,
            arriving: Vec::new(),
            fifo: false,
            groups: Vec::new(),
        }
    }

    /// Sends a message to a FIFO queue in message group `group` (a standard queue ignores it).
    pub fn send_in_group(&mut self, msg: Message, group: &str) {
        if self.fifo {
            let at = self.groups.partition_point(|(id, _)| *id < msg.id);
            self.groups.insert(at, (msg.id, group.into()));
        }
        self.send(msg);
    }

    /// FIFO: removes and returns a message's group (it is deleted, or moved to the DLQ).
    pub fn take_group(&mut self, id: u64) -> Option<Arc<str>> {
        let at = self.groups.binary_search_by_key(&id, |(i, _)| *i).ok()?;
        Some(self.groups.remove(at).1)
    }

    /// FIFO: the message group of a stored message (a message sent without one, by a handler,
    /// is in the group `""`).
    pub fn group_of(&self, id: u64) -> Option<&Arc<str>> {
        let at = self.groups.binary_search_by_key(&id, |(i, _)| *i).ok()?;
        Some(&self.groups[at].1)
    }

    /// Sends a message.
    pub fn send(&mut self, msg: Message) {
        self.sent += 1;
        if self.visible.len() + self.in_flight.len() + self.arriving.len() >= self.max_stored {
            self.overflowed += 1;
            return;
        }
        self.visible.push_back(msg);
    }

    /// Sends a message from inside a handler's run, which the simulation computes at once, ahead
    /// of its clock: the message exists from its `sent_us` on ([`SqsQueue::release_expired`]), so
    /// no receive sees it before it was sent.
    pub fn send_during_run(&mut self, msg: Message) {
        self.sent += 1;
        if self.visible.len() + self.in_flight.len() + self.arriving.len() >= self.max_stored {
            self.overflowed += 1;
            return;
        }
        self.arriving.push(msg);
    }

    /// Makes the messages sent during a handler's run by `now` visible, in the order sent.
    pub fn deliver_arrived(&mut self, now: Micros) {
        if !self.arriving.is_empty() {
            self.arriving.sort_by_key(|m| (m.sent_us, m.id));
            let due = self.arriving.partition_point(|m| m.sent_us <= now);
            self.visible.extend(self.arriving.drain(..due));
        }
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

    /// Receives up to `n` messages, hiding them for the visibility timeout. Messages already received
    /// `maxReceiveCount` times are returned in the second list instead: the caller moves them to the DLQ.
    pub fn receive(&mut self, now: Micros, n: usize) -> (Vec<Message>, Vec<Message>) {
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
        dead: &mut Vec<Message>,
    ) {
        if let Some(r) = &self.redrive {
            if m.receive_count >= r.max_receive_count {
                self.redriven += 1;
                dead.push(m);
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
    fn receive_fifo(&mut self, now: Micros, n: usize) -> (Vec<Message>, Vec<Message>) {
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

    /// `ApproximateNumberOfMessagesVisible`.
    pub fn visible_count(&self) -> usize {
        self.visible.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: u64) -> Message {
        Message {
            id,
            body: "x".into(),
            attributes: vec![],
            sent_us: 0,
            receive_count: 0,
            visible_at_us: 0,
            chain: 0,
        }
    }

    #[test]
    fn received_messages_stay_hidden_for_the_visibility_timeout() {
        // docs/lambda-behaviour.md §2.3: hidden for the visibility timeout, visible again after
        let mut q = SqsQueue::new("q");
        q.visibility_timeout_us = 30 * SEC;
        q.send(msg(1));
        let (got, _) = q.receive(0, 10);
        assert_eq!(got.len(), 1);
        assert_eq!(q.receive(29 * SEC, 10).0.len(), 0);
        let again = q.receive(30 * SEC, 10).0;
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].receive_count, 2);
    }

    #[test]
    fn redrive_moves_a_message_after_max_receive_count() {
        // docs/lambda-behaviour.md §2.4: after maxReceiveCount receives, to the DLQ
        let mut q = SqsQueue::new("q");
        q.redrive = Some(Redrive {
            dead_letter_queue: "dlq".into(),
            max_receive_count: 2,
        });
        q.send(msg(1));
        let mut t = 0;
        for _ in 0..2 {
            assert_eq!(q.receive(t, 1).0.len(), 1);
            t += 31 * SEC;
        }
        let (got, dead) = q.receive(t, 1);
        assert!(got.is_empty());
        assert_eq!(dead.len(), 1);
        assert_eq!(dead[0].receive_count, 2);
    }
}
