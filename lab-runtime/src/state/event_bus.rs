//! An EventBridge bus: its rules (patterns and targets), which it matches an event against, and
//! the count of what it did (docs/lambda-behaviour.md §1.15). Building the event and delivering it
//! to each target is in `crate::eventbridge`.

use serde::{Deserialize, Serialize};

use crate::state::destination::Target;

/// A rule: an event matches when its `source` is one of `source` and its `detail-type` one of
/// `detail_type` (an empty list matches any), the two fields of an event pattern a destination
/// event is told apart by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Name.
    pub name: String,
    /// Event pattern: `source` values (Lambda's destination events have `lambda`).
    #[serde(default)]
    pub source: Vec<String>,
    /// Event pattern: `detail-type` values, e.g. `Lambda Function Invocation Result - Failure`.
    #[serde(default)]
    pub detail_type: Vec<String>,
    /// Targets: a queue name (or `sqs:NAME`) or `lambda:FUNCTION`.
    pub targets: Vec<String>,
}

impl Rule {
    /// Whether an event with this source and detail-type matches the rule's pattern.
    pub fn matches(&self, source: &str, detail_type: &str) -> bool {
        (self.source.is_empty() || self.source.iter().any(|s| s == source))
            && (self.detail_type.is_empty() || self.detail_type.iter().any(|d| d == detail_type))
    }
}

/// What a bus did, read with [`EventBus::counts`]: only the bus changes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusCounts {
    /// Events put on the bus.
    pub events: u64,
    /// Deliveries to targets that were accepted.
    pub delivered: u64,
    /// Deliveries refused (a missing queue, a function whose resource-based policy does not
    /// allow `events.amazonaws.com`).
    pub failed: u64,
}

/// A bus and what it did. Its counters are a [`BusCounts`], handed out as a copy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventBus {
    /// Name.
    name: String,
    /// Rules.
    rules: Vec<Rule>,
    #[serde(flatten)]
    counts: BusCounts,
}

impl EventBus {
    /// What it has done so far, as a copy: only its own methods change it.
    #[inline]
    pub fn counts(&self) -> BusCounts {
        self.counts
    }

    /// A bus with these rules (their targets checked by [`check_target`]) that has had no event
    /// yet.
    pub fn new(name: &str, rules: &[Rule]) -> Self {
        EventBus {
            name: name.into(),
            rules: rules.to_vec(),
            counts: BusCounts::default(),
        }
    }

    /// Name.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Rules.
    #[inline]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// An event with this `source` and `detail-type` is put on the bus: where it goes, as
    /// (rule name, target) for each target of each rule whose pattern matches, in the order of
    /// the rules and of their targets (docs/lambda-behaviour.md §1.15). Each delivery's result
    /// is told to [`Self::delivery`].
    pub fn put(&mut self, source: &str, detail_type: &str) -> Vec<(String, String)> {
        self.counts.events += 1;
        self.rules
            .iter()
            .filter(|r| r.matches(source, detail_type))
            .flat_map(|r| r.targets.iter().map(move |t| (r.name.clone(), t.clone())))
            .collect()
    }

    /// The event was delivered to a target (`accepted`) or refused.
    #[inline]
    pub fn delivery(&mut self, accepted: bool) {
        if accepted {
            self.counts.delivered += 1;
        } else {
            self.counts.failed += 1;
        }
    }
}

/// Checks a rule target's text: a queue or a function.
pub fn check_target(text: &str) -> Result<(), String> {
    match Target::parse(text)? {
        Target::Queue(_) | Target::Function(_) => Ok(()),
        _ => Err(format!(
            "target \"{text}\": a rule here sends to an SQS queue or a function (`lambda:NAME`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILURE: &str = "Lambda Function Invocation Result - Failure";
    const SUCCESS: &str = "Lambda Function Invocation Result - Success";

    fn rule(name: &str, source: &[&str], detail_type: &[&str], targets: &[&str]) -> Rule {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        Rule {
            name: name.into(),
            source: v(source),
            detail_type: v(detail_type),
            targets: v(targets),
        }
    }

    #[test]
    fn an_event_goes_to_the_targets_of_each_matching_rule_in_order() {
        // docs/lambda-behaviour.md §1.15: rules match on `source` and `detail-type`, an empty
        // list matching anything
        let rules = [
            rule(
                "failures",
                &["lambda"],
                &[FAILURE],
                &["dlq", "lambda:alert"],
            ),
            rule("all", &[], &[], &["archive"]),
            rule("other", &["aws.s3"], &[], &["s3-events"]),
        ];
        let mut b = EventBus::new("orders", &rules);
        let pairs = |l: &[(&str, &str)]| -> Vec<(String, String)> {
            l.iter()
                .map(|(r, t)| (r.to_string(), t.to_string()))
                .collect()
        };
        assert_eq!(
            b.put("lambda", FAILURE),
            pairs(&[
                ("failures", "dlq"),
                ("failures", "lambda:alert"),
                ("all", "archive")
            ])
        );
        assert_eq!(b.put("lambda", SUCCESS), pairs(&[("all", "archive")]));
        assert_eq!(b.counts().events, 2);
        assert_eq!(b.rules().len(), 3);
        assert_eq!(b.name(), "orders");
    }

    #[test]
    fn a_bus_counts_its_events_and_deliveries() {
        // docs/lambda-behaviour.md §1.15: an event no rule matches is still an event on the bus
        let mut b = EventBus::new("b", &[rule("r", &["lambda"], &[SUCCESS], &["q"])]);
        assert!(b.put("lambda", FAILURE).is_empty());
        assert_eq!(b.put("lambda", SUCCESS).len(), 1);
        b.delivery(true);
        b.delivery(false);
        assert_eq!(
            (b.counts().events, b.counts().delivered, b.counts().failed),
            (2, 1, 1)
        );
    }

    #[test]
    fn a_rule_target_is_a_queue_or_a_function() {
        assert!(check_target("q").is_ok());
        assert!(check_target("lambda:f").is_ok());
        assert!(check_target("events:other").is_err());
    }

    #[test]
    fn the_counters_serialize_beside_the_rules() {
        let mut b = EventBus::new("b", &[rule("r", &[], &[], &["q"])]);
        b.put("lambda", SUCCESS);
        b.delivery(true);
        let json = serde_json::to_string(&b).unwrap();
        assert!(
            json.ends_with(r#""events":1,"delivered":1,"failed":0}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<EventBus>(&json).unwrap(), b);
    }
}
