//! SQS event source mapping: pollers receive batches, invoke the function synchronously, delete on
//! success, leave messages to reappear after the visibility timeout on failure, honour
//! ReportBatchItemFailures, and scale 5 → +300/min → 1,000 (docs/lambda-behaviour.md §2).

use crate::config::{check_range, RecursiveLoop};
use crate::error::ApiError;
use crate::model::{Outcome, RequestId, Trigger};
use crate::sim::{Ev, Simulation};
use crate::state::inflight::{InFlight, Source};
use crate::state::sqs_mapping::{
    SqsMapping, SqsMappingConfig, RECURSION_LIMIT, SQS_MAPPING_ACTIONS,
};

impl Simulation {
    /// Creates an SQS mapping; returns its index.
    pub fn create_sqs_mapping(&mut self, config: SqsMappingConfig) -> Result<u32, ApiError> {
        config.validate()?;
        let (name, qualifier) = crate::state::versions::split_function_name(&config.function);
        let f = self
            .function_index(name)
            .ok_or_else(|| ApiError::not_found(&config.function))?;
        // docs/lambda-behaviour.md §10.8: a qualified function name invokes that version or alias
        let qualifier = self.lookup_qualifier(f, qualifier)?;
        let version = self.functions[f as usize].versions().version_of(qualifier);
        let (visibility_s, fifo) = match self.host.borrow().queues.get(&config.queue) {
            Some(q) => (q.visibility_timeout_us() / crate::clock::SEC, q.fifo()),
            None => {
                return Err(ApiError::invalid(format!(
                    "Queue {} does not exist",
                    config.queue
                )))
            }
        };
        if fifo {
            // docs/lambda-behaviour.md §2.17: batches of at most 10 from a FIFO queue
            check_range("batchSize", config.batch_size as i64, 1, 10)?;
        }
        // docs/lambda-behaviour.md §2.12: the role must read the queue, and a function that may run
        // longer than the queue hides a message would see it received twice
        let arn = format!(
            "arn:aws:sqs:{}:{}:{}",
            self.account.region, self.account.id, config.queue
        );
        let role = &self.functions[f as usize].identity_for(version).role;
        for action in SQS_MAPPING_ACTIONS {
            if role.allows(&format!("sqs:{action}"), &arn) != crate::iam::Decision::Allow {
                return Err(ApiError::invalid(format!(
                    "The function execution role does not have permissions to call {action} on SQS"
                )));
            }
        }
        let timeout_s = self.functions[f as usize].config_for(version).timeout_s as u64;
        if timeout_s > visibility_s {
            return Err(ApiError::invalid(format!(
                "Queue visibility timeout: {visibility_s} seconds is less than Function timeout: {timeout_s} seconds"
            )));
        }
        self.sqs_mappings
            .push(SqsMapping::new(config, f, qualifier, fifo, self.now));
        let m = (self.sqs_mappings.len() - 1) as u32;
        self.wake_sqs_mappings();
        Ok(m)
    }

    /// Schedules a poll for every mapping whose queue has visible (or soon visible) messages.
    /// The pollers long-poll (docs/lambda-behaviour.md §2.13): a message that becomes visible is
    /// received at once, even when the next poll was planned for later (when hidden messages
    /// reappear), except inside a batching window, which ends at its own time.
    pub(crate) fn wake_sqs_mappings(&mut self) {
        for m in 0..self.sqs_mappings.len() {
            let map = &mut self.sqs_mappings[m];
            let host = self.host.borrow();
            let Some(q) = host.queues.get(&map.config().queue) else {
                continue;
            };
            let at = map.wake(self.now, q.has_visible(), || q.next_visible_at());
            drop(host);
            if let Some(at) = at {
                self.queue.push(at, Ev::SqsPoll(m as u32));
            }
        }
    }

    pub(crate) fn sqs_poll(&mut self, m: u32) {
        let now = self.now;
        let mi = m as usize;
        if !self.sqs_mappings[mi].poll_due(now) {
            // a FIFO mapping polls when a batch ends (below): a poll planned earlier is stale
            return;
        }
        let cfg = self.sqs_mappings[mi].config().clone();
        let (visible, dlq_name) = {
            let mut host = self.host.borrow_mut();
            let q = host.queues.get_mut(&cfg.queue).expect("queue");
            q.release_expired(now);
            (
                q.visible_count(),
                q.redrive().map(|r| r.dead_letter_queue.clone()),
            )
        };
        self.sqs_mappings[mi].scale_pollers(now, visible > 0);
        loop {
            if !self.sqs_mappings[mi].has_room() {
                break;
            }
            let mut host = self.host.borrow_mut();
            let q = host.queues.get_mut(&cfg.queue).expect("queue");
            if !q.has_visible() {
                break;
            }
            if let Some(until) = self.sqs_mappings[mi].wait_for_batch(now, q.visible_count()) {
                drop(host);
                self.queue.push(until, Ev::SqsPoll(m));
                break;
            }
            let (msgs, dead) = q.receive(now, cfg.batch_size as usize);
            // (a FIFO queue whose every visible message is in a group being processed)
            let blocked = msgs.is_empty() && dead.is_empty();
            if let (Some(d), false) = (&dlq_name, dead.is_empty()) {
                if let Some(dq) = host.queues.get_mut(d) {
                    for letter in dead {
                        dq.redrive_in(letter, now);
                    }
                }
            }
            drop(host);
            self.sqs_mappings[mi].received();
            if blocked {
                break;
            }
            if msgs.is_empty() {
                continue;
            }
            let f = self.sqs_mappings[mi].function();
            // recursive loop detection (docs/lambda-behaviour.md §2.16): the invocation after
            // RECURSION_LIMIT in one chain of requests is dropped; its messages stay in the queue,
            // come back after the visibility timeout and, with a redrive policy, end in the DLQ
            let chain = msgs.iter().map(|x| x.chain).max().unwrap_or(0);
            let fs = &mut self.functions[f as usize];
            if chain >= RECURSION_LIMIT && fs.config().recursive_loop == RecursiveLoop::Terminate {
                fs.recursion_dropped();
                continue;
            }
            let groups = self
                .host
                .borrow()
                .queues
                .get(&cfg.queue)
                .expect("queue")
                .groups_of(&msgs);
            let payload = sqs_event(
                &msgs,
                &groups,
                &self.account.region,
                &self.account.id,
                &cfg.queue,
            );
            let ids: Vec<u64> = msgs.iter().map(|x| x.id).collect();
            let attempt = msgs.iter().map(|x| x.receive_count()).max().unwrap_or(1);
            let request = RequestId(self.next_id());
            let Ok(target) = self.resolve_ref(f, self.sqs_mappings[mi].qualifier()) else {
                // the alias or version was deleted: the messages come back after the
                // visibility timeout (docs/lambda-behaviour.md §10.8)
                self.sqs_mappings[mi].batch_without_target();
                break;
            };
            match self.try_start(
                f,
                target,
                Trigger::Sqs,
                Source::Sqs {
                    mapping: m,
                    ids,
                    chain,
                },
                &payload.into(),
                request,
                attempt,
            ) {
                Ok(()) => self.sqs_mappings[mi].batch_started(),
                Err(_) => {
                    // throttled: the messages stay hidden and come back after the visibility timeout
                    self.sqs_mappings[mi].batch_throttled();
                    break;
                }
            }
        }
        // while a backlog remains, the pollers look again every second (and scale up)
        let backlog = self
            .host
            .borrow()
            .queues
            .get(&cfg.queue)
            .is_some_and(|q| q.has_visible());
        if let Some(at) = self.sqs_mappings[mi].poll_again(now, backlog) {
            self.queue.push(at, Ev::SqsPoll(m));
        }
    }

    #[inline(never)] // off the hot path of sync and async invocations: keeps `complete` small
    pub(crate) fn sqs_complete(&mut self, m: u32, ids: &[u64], inf: &InFlight) {
        let mi = m as usize;
        let map = &mut self.sqs_mappings[mi];
        let cfg = map.config();
        let mut host = self.host.borrow_mut();
        let q = host.queues.get_mut(&cfg.queue).expect("queue");
        let ok = inf.outcome == Outcome::Success;
        if ok {
            let failed: Vec<String> = match (&inf.batch_failures, cfg.report_batch_item_failures) {
                (Some(f), true) => f.to_vec(),
                _ => Vec::new(),
            };
            q.delete_batch(ids, |id| failed.contains(&message_id(id)));
        }
        drop(host);
        // FIFO: the group's next batch may go now (docs/lambda-behaviour.md §2.17)
        if let Some(at) = map.batch_ended(ok, self.now) {
            self.queue.push(at, Ev::SqsPoll(m));
        }
    }
}

/// The `messageId` of a simulated message.
pub fn message_id(id: u64) -> String {
    RequestId(id ^ 0x5A5A_0000_1234_9876).to_string()
}

/// The event of a batch; a FIFO queue's messages carry their `MessageGroupId` and
/// `SequenceNumber` in `attributes` (`groups[i]` for `msgs[i]`, empty for a standard queue).
fn sqs_event(
    msgs: &[crate::sqs::Message],
    groups: &[Option<std::sync::Arc<str>>],
    region: &str,
    account: &str,
    queue: &str,
) -> String {
    let records: Vec<serde_json::Value> = msgs
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut r = serde_json::json!({
                "messageId": message_id(x.id),
                "receiptHandle": format!("rh-{}-{}", x.id, x.receive_count()),
                "body": &*x.body,
                "attributes": {
                    "ApproximateReceiveCount": x.receive_count().to_string(),
                    "SentTimestamp": (x.sent_us / 1000).to_string(),
                },
                "eventSource": "aws:sqs",
                "eventSourceARN": format!("arn:aws:sqs:{region}:{account}:{queue}"),
            });
            if let Some(g) = groups.get(i) {
                r["attributes"]["MessageGroupId"] = g.as_deref().unwrap_or("").into();
                r["attributes"]["SequenceNumber"] = format!("{:020}", x.id).into();
            }
            r
        })
        .collect();
    serde_json::json!({ "Records": records }).to_string()
}
