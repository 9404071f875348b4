//! Building a simulation from a scenario and running its timeline.

use std::sync::Arc;

use crate::actions::Action;
use crate::clock::{Micros, MS, SEC};
use crate::config::{AccountConfig, FunctionConfig, VpcConfig};
use crate::error::ApiError;
use crate::handler::HandlerSpec;
use crate::iam::LAMBDA_TRUST;
use crate::model::{InvocationType, InvokeOutcome, InvokeRequest};
use crate::report::{ActionLog, Report, ResponseSummary};
use crate::scenario::{FunctionSpec, Scenario, ScenarioError, TimelineEntry};
use crate::sim::Simulation;
use crate::sqs::Redrive;
use crate::state::traffic::{Pattern, TrafficSpec};

/// One setup action of a scenario, with the section it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupStep {
    /// The action ([`Simulation::apply`] it).
    pub action: Action,
    /// Byte range of the scenario section it comes from (empty for tables, buckets, databases).
    pub span: std::ops::Range<usize>,
    /// What an error of this step starts with, e.g. `function "orders"`.
    pub label: Option<String>,
}

/// Events processed at most by one scenario run (a guard against endless scenarios).
pub const MAX_SCENARIO_EVENTS: u64 = crate::limits::MAX_RUN_EVENTS;

fn at(text: &str, span: std::ops::Range<usize>, e: impl std::fmt::Display) -> ScenarioError {
    let msg = e.to_string();
    ScenarioError::at(text, locate(text, &span, &msg), msg)
}

/// Points an error at the offending key inside a table when the message names an AWS field.
fn locate(text: &str, span: &std::ops::Range<usize>, msg: &str) -> usize {
    const KEYS: [(&str, &str); 16] = [
        ("unknown action", "do"),
        ("unknown type", "type"),
        ("'memorySize'", "memory_mb"),
        ("'timeout'", "timeout_s"),
        ("'ephemeralStorage.size'", "ephemeral_storage_mb"),
        ("'maximumRetryAttempts'", "maximum_retry_attempts"),
        ("'maximumEventAgeInSeconds'", "maximum_event_age_s"),
        ("ReservedConcurrentExecutions", "reserved_concurrency"),
        ("Provisioned Concurrency", "provisioned_concurrency"),
        ("role defined for the function", "role"),
        ("'batchSize'", "batch_size"),
        ("'parallelizationFactor'", "parallelization_factor"),
        ("'shards'", "shards"),
        (
            "'maximumBatchingWindowInSeconds'",
            "maximum_batching_window_s",
        ),
        ("'maximumBatchingWindowInSeconds'", "batching_window_s"),
        ("starting position", "starting_position"),
    ];
    // the table's own lines: from its header to the next header (spans may cover the header only)
    let rest = text.get(span.start..).unwrap_or("");
    let first_nl = rest.find('\n').map(|n| n + 1).unwrap_or(rest.len());
    let end = rest[first_nl..]
        .find("\n[")
        .map(|n| first_nl + n)
        .unwrap_or(rest.len());
    let body = &rest[..end.max(span.end.saturating_sub(span.start)).min(rest.len())];
    for (needle, key) in KEYS {
        if msg.contains(needle) {
            let mut from = 0;
            while let Some(i) = body[from..].find(key) {
                let pos = from + i;
                let line_start = body[..pos].rfind('\n').map(|n| n + 1).unwrap_or(0);
                if body[line_start..pos].trim().is_empty()
                    && body[pos + key.len()..].trim_start().starts_with('=')
                {
                    return span.start + pos;
                }
                from = pos + key.len();
            }
        }
    }
    span.start
}

impl Scenario {
    /// The account the scenario describes: its settings over the defaults.
    pub fn account_config(&self) -> AccountConfig {
        let a = &self.account;
        let mut acc = AccountConfig::default();
        if let Some(v) = &a.id {
            acc.id = v.clone();
        }
        if let Some(v) = &a.region {
            acc.region = v.clone();
        }
        acc.concurrency_limit = a.concurrency_limit.unwrap_or(acc.concurrency_limit);
        let s = &mut acc.settings;
        // (ranges checked by crate::limits::check_scenario; saturating for callers that skip it)
        s.keep_alive_us = a
            .keep_alive_s
            .map(|v| v.saturating_mul(SEC))
            .unwrap_or(s.keep_alive_us);
        s.recycle_after_us = a
            .recycle_after_s
            .map(|v| v.saturating_mul(SEC))
            .unwrap_or(s.recycle_after_us);
        s.client_retries = a.client_retries.unwrap_or(s.client_retries);
        s.log_window = a.log_window.unwrap_or(s.log_window);
        s.throttle_retry_after_s = a.throttle_retry_after_s.unwrap_or(s.throttle_retry_after_s);
        s.record_window = a.record_window.unwrap_or(s.record_window);
        s.metrics_bucket_us = a
            .metrics_bucket_s
            .map(|v| v.max(1).saturating_mul(SEC))
            .unwrap_or(s.metrics_bucket_us);
        acc
    }

    /// The setup of the world, in the order [`Scenario::build`] applies it: roles, principals, queues, tables,
    /// buckets, databases, functions (each followed by its resource-based policy), SQS mappings,
    /// stream mappings. Mistakes that need no simulation to find (a role without a trust policy, a
    /// `dlq` that is not a queue of the scenario, a function with both `script` and `profile`) are
    /// reported here with their position in `text`, the scenario's source.
    pub fn setup_steps(&self, text: &str) -> Result<Vec<SetupStep>, ScenarioError> {
        crate::limits::check_scenario(self, text)?;
        let mut out = Vec::new();
        let step = |action, span: std::ops::Range<usize>, label: Option<String>| SetupStep {
            action,
            span,
            label,
        };
        for r in &self.roles {
            let spec = r.get_ref();
            let trust = match (&spec.trust, &spec.trust_policy) {
                (_, Some(p)) => p.clone(),
                (Some(t), None) if t == "lambda" => LAMBDA_TRUST.to_string(),
                (Some(t), None) => {
                    LAMBDA_TRUST.replace("lambda.amazonaws.com", &format!("{t}.amazonaws.com"))
                }
                (None, None) => {
                    return Err(at(
                        text,
                        r.span(),
                        "role needs `trust = \"lambda\"` or a `trust_policy`",
                    ))
                }
            };
            out.push(step(
                Action::CreateRole {
                    name: spec.name.clone(),
                    trust_policy: trust,
                    policies: spec.policies.clone(),
                    managed: spec.managed.clone(),
                },
                r.span(),
                Some(format!("role \"{}\"", spec.name)),
            ));
        }
        for p in &self.principals {
            let spec = p.get_ref();
            out.push(step(
                Action::PutPrincipalPolicies {
                    principal: spec.arn.clone(),
                    policies: spec.policies.clone(),
                },
                p.span(),
                Some(format!("principal \"{}\"", spec.arn)),
            ));
        }
        for q in &self.queues {
            let spec = q.get_ref();
            if let Some(d) = &spec.dlq {
                if !self.queues.iter().any(|o| &o.get_ref().name == d) {
                    return Err(at(
                        text,
                        q.span(),
                        format!("dlq \"{d}\" is not a queue of this scenario"),
                    ));
                }
            }
            out.push(step(
                Action::CreateQueue {
                    name: spec.name.clone(),
                    visibility_timeout_s: spec.visibility_timeout_s,
                    redrive: spec.dlq.as_ref().map(|d| Redrive {
                        dead_letter_queue: d.clone(),
                        max_receive_count: spec.max_receive_count.unwrap_or(5),
                    }),
                    fifo: spec.fifo,
                },
                q.span(),
                None,
            ));
        }
        // a subscription or a rule target names a queue or a function of this scenario
        let known = |target: &str| -> Result<(), String> {
            match crate::state::destination::Target::parse(target)? {
                crate::state::destination::Target::Queue(q)
                    if !self.queues.iter().any(|o| o.get_ref().name == q) =>
                {
                    Err(format!("\"{target}\": {q} is not a queue of this scenario"))
                }
                crate::state::destination::Target::Function(f) => {
                    let (name, _) = crate::state::versions::split_function_name(f);
                    if self.functions.iter().any(|o| o.get_ref().name == name) {
                        Ok(())
                    } else {
                        Err(format!(
                            "\"{target}\": {name} is not a function of this scenario"
                        ))
                    }
                }
                _ => Ok(()),
            }
        };
        for t in &self.topics {
            let spec = t.get_ref();
            for s in &spec.subscriptions {
                crate::state::sns_topic::check_subscription(s)
                    .and_then(|_| known(s))
                    .map_err(|m| at(text, t.span(), format!("topic \"{}\": {m}", spec.name)))?;
            }
            out.push(step(
                Action::CreateTopic {
                    name: spec.name.clone(),
                    subscriptions: spec.subscriptions.clone(),
                },
                t.span(),
                Some(format!("topic \"{}\"", spec.name)),
            ));
        }
        for b in &self.event_buses {
            let spec = b.get_ref();
            for r in &spec.rules {
                for target in &r.targets {
                    crate::state::event_bus::check_target(target)
                        .and_then(|_| known(target))
                        .map_err(|m| {
                            at(
                                text,
                                b.span(),
                                format!("event bus \"{}\", rule \"{}\": {m}", spec.name, r.name),
                            )
                        })?;
                }
            }
            out.push(step(
                Action::CreateEventBus {
                    name: spec.name.clone(),
                    rules: spec.rules.clone(),
                },
                b.span(),
                Some(format!("event bus \"{}\"", spec.name)),
            ));
        }
        for t in &self.tables {
            out.push(step(
                Action::CreateTable {
                    name: t.name.clone(),
                    read_per_s: t.read_per_s,
                    write_per_s: t.write_per_s,
                },
                0..0,
                None,
            ));
        }
        for b in &self.buckets {
            out.push(step(Action::CreateBucket { name: b.clone() }, 0..0, None));
        }
        for d in &self.databases {
            out.push(step(
                Action::CreateDatabase {
                    name: d.name.clone(),
                    max_connections: d.max_connections,
                    idle_timeout_s: d.idle_timeout_s,
                },
                0..0,
                None,
            ));
        }
        for f in &self.functions {
            let spec = f.get_ref();
            if spec.script.is_some() && spec.profile.is_some() {
                return Err(at(
                    text,
                    f.span(),
                    "give either `script` or `profile`, not both",
                ));
            }
            if spec.provisioned_concurrency.is_some() {
                let off = locate(text, &f.span(), "Provisioned Concurrency");
                return Err(ScenarioError::at(
                    text,
                    off,
                    "provisioned concurrency is configured on a published version or an alias, never on the function ($LATEST) (docs/lambda-behaviour.md §10.4): move `provisioned_concurrency` into a `[[functions.versions]]` or `[[functions.aliases]]` entry",
                ));
            }
            let label = format!("function \"{}\"", spec.name);
            let configs = std::iter::once(&spec.async_config)
                .chain(spec.versions.iter().map(|v| &v.get_ref().async_config))
                .chain(spec.aliases.iter().map(|a| &a.get_ref().async_config));
            for c in configs.flatten() {
                for (key, d) in [
                    ("on_success", &c.on_success),
                    ("on_failure", &c.on_failure),
                    ("dead_letter_queue", &c.dead_letter_queue),
                ] {
                    if let Some(d) = d {
                        self.destination_exists(d).map_err(|m| {
                            let off = crate::limits::key_offset(
                                text,
                                crate::limits::with_subtables(text, f.span()),
                                key,
                            );
                            ScenarioError::at(text, off, format!("{label}: `{key}` {m}"))
                        })?;
                    }
                }
            }
            let mut config = spec.function_config();
            out.push(step(
                Action::CreateFunction(Box::new(config.clone())),
                f.span(),
                Some(label.clone()),
            ));
            if let Some(p) = &spec.policy {
                out.push(step(
                    Action::PutFunctionPolicy {
                        function: spec.name.clone(),
                        policy: Some(p.clone()),
                    },
                    f.span(),
                    None,
                ));
            }
            for (i, v) in spec.versions.iter().enumerate() {
                let vs = v.get_ref();
                let n = (i + 1).to_string();
                let vlabel = Some(format!("{label}, version {n}"));
                if vs.script.is_some() && vs.profile.is_some() {
                    return Err(at(
                        text,
                        v.span(),
                        "give either `script` or `profile`, not both",
                    ));
                }
                if i > 0
                    && vs.script.is_none()
                    && vs.profile.is_none()
                    && vs.memory_mb.is_none()
                    && vs.timeout_s.is_none()
                {
                    return Err(at(
                        text,
                        v.span(),
                        format!("version {n} changes nothing since version {i}: Lambda does not publish a version when code and configuration are unchanged (docs/lambda-behaviour.md §10.1); give it a `script`, `profile`, `memory_mb` or `timeout_s`"),
                    ));
                }
                let handler = match (&vs.script, &vs.profile) {
                    (Some(s), _) => Some(HandlerSpec::Script(s.clone())),
                    (None, Some(p)) => Some(HandlerSpec::Profile(p.clone())),
                    _ => None,
                };
                if let Some(h) = handler {
                    config.handler = h.clone();
                    out.push(step(
                        Action::UpdateFunctionCode {
                            function: spec.name.clone(),
                            handler: h,
                        },
                        v.span(),
                        vlabel.clone(),
                    ));
                }
                if vs.memory_mb.is_some() || vs.timeout_s.is_some() {
                    config.memory_mb = vs.memory_mb.unwrap_or(config.memory_mb);
                    config.timeout_s = vs.timeout_s.unwrap_or(config.timeout_s);
                    out.push(step(
                        Action::UpdateFunctionConfiguration(Box::new(config.clone())),
                        v.span(),
                        vlabel.clone(),
                    ));
                }
                out.push(step(
                    Action::PublishVersion {
                        function: spec.name.clone(),
                        description: vs.description.clone(),
                    },
                    v.span(),
                    vlabel.clone(),
                ));
                qualified_settings(
                    &mut out,
                    &spec.name,
                    &n,
                    vs.provisioned_concurrency,
                    &vs.async_config,
                    v.span(),
                    &vlabel,
                );
            }
            for a in &spec.aliases {
                let al = a.get_ref();
                let alabel = Some(format!("{label}, alias \"{}\"", al.name));
                out.push(step(
                    Action::CreateAlias {
                        function: spec.name.clone(),
                        name: al.name.clone(),
                        function_version: al.function_version.clone(),
                        routing: (!al.additional_version_weights.is_empty()).then(|| {
                            crate::state::versions::RoutingConfig {
                                additional_version_weights: al.additional_version_weights.clone(),
                            }
                        }),
                    },
                    a.span(),
                    alabel.clone(),
                ));
                qualified_settings(
                    &mut out,
                    &spec.name,
                    &al.name,
                    al.provisioned_concurrency,
                    &al.async_config,
                    a.span(),
                    &alabel,
                );
            }
        }
        // a mapping's `name:qualifier` names a version or alias declared above (§10.8)
        let qualifier_checked = |function: &str, span, what: &str| {
            self.mapping_qualifier_exists(function).map_err(|msg| {
                let table = crate::limits::with_subtables(text, span);
                let off = crate::limits::key_offset(text, table, "function");
                ScenarioError::at(text, off, format!("{what}: `function` {msg}"))
            })
        };
        for m in &self.sqs_mappings {
            qualifier_checked(&m.get_ref().function, m.span(), "SQS mapping")?;
            out.push(step(
                Action::CreateSqsMapping(m.get_ref().clone()),
                m.span(),
                None,
            ));
        }
        for m in &self.stream_mappings {
            qualifier_checked(&m.get_ref().function, m.span(), "stream mapping")?;
            if let Some(d) = &m.get_ref().on_failure {
                self.destination_exists(d).map_err(|msg| {
                    let off = crate::limits::key_offset(
                        text,
                        crate::limits::with_subtables(text, m.span()),
                        "on_failure",
                    );
                    ScenarioError::at(text, off, format!("stream mapping: `on_failure` {msg}"))
                })?;
            }
            out.push(step(
                Action::CreateStreamMapping(m.get_ref().clone()),
                m.span(),
                None,
            ));
        }
        Ok(out)
    }

    /// Checks that a mapping's `name:qualifier` names a version or alias declared at setup
    /// (docs/lambda-behaviour.md §10.8); an unknown function is left to `CreateEventSourceMapping`.
    fn mapping_qualifier_exists(&self, function: &str) -> Result<(), String> {
        let (name, Some(q)) = crate::state::versions::split_function_name(function) else {
            return Ok(());
        };
        let Some(spec) = self.functions.iter().find(|o| o.get_ref().name == name) else {
            return Ok(());
        };
        let spec = spec.get_ref();
        let n = spec.versions.len();
        match crate::model::FunctionVersion::parse(q) {
            Some(v) if v.is_latest() || (v.0 as usize) <= n => Ok(()),
            Some(v) => Err(format!(
                "\"{function}\": function \"{name}\" has no version {v} ({n} published at setup, one per [[functions.versions]] entry; mappings are created before the timeline)"
            )),
            None if spec.aliases.iter().any(|a| a.get_ref().name == q) => Ok(()),
            None => Err(format!(
                "\"{function}\": function \"{name}\" has no alias \"{q}\" (declare it under [[functions.aliases]] of \"{name}\"; mappings are created before the timeline)"
            )),
        }
    }

    /// Checks that a destination names a queue, topic, event bus or function of this scenario
    /// (docs/lambda-behaviour.md §1.13).
    fn destination_exists(&self, d: &str) -> Result<(), String> {
        use crate::state::destination::Target;
        let (kind, name, found) = match Target::parse(d)? {
            Target::Queue(q) => (
                "queue",
                q,
                self.queues.iter().any(|o| o.get_ref().name == q),
            ),
            Target::Topic(t) => (
                "topic",
                t,
                self.topics.iter().any(|o| o.get_ref().name == t),
            ),
            Target::Bus(b) => (
                "event bus",
                b,
                self.event_buses.iter().any(|o| o.get_ref().name == b),
            ),
            Target::Function(f) => {
                let (name, _) = crate::state::versions::split_function_name(f);
                (
                    "function",
                    name,
                    self.functions.iter().any(|o| o.get_ref().name == name),
                )
            }
        };
        if found {
            Ok(())
        } else {
            Err(format!(
                "\"{d}\": {name} is not a {kind} of this scenario (add it under [[{}]])",
                match kind {
                    "queue" => "queues",
                    "topic" => "topics",
                    "event bus" => "event_buses",
                    _ => "functions",
                }
            ))
        }
    }

    /// The account and the setup actions of the scenario, in the order [`Scenario::build`]
    /// applies them: `Simulation::new(account, seed)` then [`Simulation::apply`] of each action
    /// builds the same world (what a lab console replays). `text` is the scenario's source, for
    /// the positions of errors (see [`Scenario::setup_steps`]).
    pub fn setup_actions(&self, text: &str) -> Result<(AccountConfig, Vec<Action>), ScenarioError> {
        let steps = self.setup_steps(text)?;
        Ok((
            self.account_config(),
            steps.into_iter().map(|s| s.action).collect(),
        ))
    }

    /// Builds the world the scenario describes (before its timeline): the setup steps applied in
    /// order; an error names the section it comes from, with its line and column.
    pub fn build(&self, text: &str, seed: u64) -> Result<Simulation, ScenarioError> {
        let steps = self.setup_steps(text)?;
        let mut sim = Simulation::new(self.account_config(), seed);
        for st in steps {
            sim.apply(st.action).map_err(|e| match &st.label {
                Some(l) => at(text, st.span.clone(), format!("{l}: {e}")),
                None => at(text, st.span.clone(), e),
            })?;
        }
        Ok(sim)
    }

    /// Runs the whole scenario and returns its report. `seed` overrides the file's seed.
    pub fn run(&self, text: &str, seed: Option<u64>) -> Result<Report, ScenarioError> {
        self.run_with_budget(text, seed, crate::limits::MAX_RUN_EVENTS)
    }

    /// [`Scenario::run`] with a work budget of `max_events` events: past it the run stops with an
    /// error at the timeline entry (or `end_s`) it was working towards.
    pub fn run_with_budget(
        &self,
        text: &str,
        seed: Option<u64>,
        max_events: u64,
    ) -> Result<Report, ScenarioError> {
        let seed = seed.unwrap_or(self.seed);
        let mut sim = self.build(text, seed)?;
        let mut entries: Vec<(Micros, usize)> = self
            .timeline
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let t = e.get_ref();
                // (ranges checked by crate::limits::check_scenario)
                let at = t
                    .at_ms
                    .map(|m| m.saturating_mul(MS))
                    .or(t.at_s.map(|s| (s.max(0.0) * SEC as f64) as u64))
                    .unwrap_or(0);
                (at, i)
            })
            .collect();
        entries.sort();
        let mut log = Vec::new();
        let mut started = Vec::new();
        let mut budget = max_events;
        for (t, i) in entries {
            let e = &self.timeline[i];
            advance_within(&mut sim, Some(t), &mut budget).map_err(|m| at(text, e.span(), m))?;
            let mut outcome = None;
            let result = apply_entry(&mut sim, e.get_ref(), &mut outcome)
                .map_err(|m| at(text, e.span(), m))?;
            let response = match &outcome {
                Some(InvokeOutcome::Started { request_id }) => {
                    started.push((log.len(), *request_id));
                    None
                }
                Some(o) => immediate_response(o, e.get_ref(), sim.now()),
                None => None,
            };
            log.push(ActionLog {
                at_us: sim.now(),
                action: describe(e.get_ref()),
                result,
                response,
            });
        }
        let until = self.end_s.map(|end| (end.max(0.0) * SEC as f64) as u64);
        advance_within(&mut sim, until, &mut budget).map_err(|m| {
            let off = crate::limits::key_offset(text, 0..text.len(), "end_s");
            ScenarioError::at(text, if self.end_s.is_some() { off } else { 0 }, m)
        })?;
        // a synchronous call's response, once it came (docs/lambda-behaviour.md §1.2)
        for (i, id) in started {
            log[i].response = sim
                .responses()
                .items()
                .iter()
                .find(|r| r.request_id == id)
                .map(ResponseSummary::of);
        }
        Ok(sim.report(&self.name, log))
    }
}

/// Runs events up to `until` (or until nothing is left), spending at most `budget` events in
/// all; past it the run stops with a message saying where it got to, never a hang.
fn advance_within(
    sim: &mut Simulation,
    until: Option<Micros>,
    budget: &mut u64,
) -> Result<(), String> {
    loop {
        let chunk = (*budget).min(100_000);
        let p = sim.run_for(crate::sim::RunBudget {
            max_events: chunk,
            until_us: until,
        });
        *budget -= p.events.min(*budget);
        if p.done {
            return Ok(());
        }
        if *budget == 0 {
            let spent = sim.events_processed();
            return Err(format!(
                "the run stopped at {:.3} s of virtual time after {} events, the work budget of one run: something keeps making work (a handler feeding its own queue, retries without end, traffic too heavy); see book/src/instructors/scenarios.md, \"Limits\"",
                sim.now() as f64 / SEC as f64,
                spent
            ));
        }
    }
}

/// The provisioned concurrency and asynchronous settings of one version or alias at setup.
fn qualified_settings(
    out: &mut Vec<SetupStep>,
    function: &str,
    qualifier: &str,
    provisioned: Option<u32>,
    async_config: &Option<crate::config::AsyncConfig>,
    span: std::ops::Range<usize>,
    label: &Option<String>,
) {
    if let Some(amount) = provisioned {
        out.push(SetupStep {
            action: Action::PutProvisionedConcurrency {
                function: function.to_string(),
                amount,
                qualifier: Some(qualifier.to_string()),
            },
            span: span.clone(),
            label: label.clone(),
        });
    }
    if let Some(c) = async_config {
        out.push(SetupStep {
            action: Action::PutEventInvokeConfig {
                function: function.to_string(),
                config: c.clone(),
                qualifier: Some(qualifier.to_string()),
            },
            span,
            label: label.clone(),
        });
    }
}

impl FunctionSpec {
    /// The function configuration this spec describes (a `script` wins over a `profile`;
    /// [`Scenario::build`] rejects a spec with both).
    pub fn function_config(&self) -> FunctionConfig {
        let handler = match (&self.script, &self.profile) {
            (Some(s), _) => HandlerSpec::Script(s.clone()),
            (None, Some(p)) => HandlerSpec::Profile(p.clone()),
            (None, None) => HandlerSpec::default(),
        };
        let mut c = FunctionConfig::new(&self.name, &self.role, handler);
        c.memory_mb = self.memory_mb.unwrap_or(c.memory_mb);
        c.timeout_s = self.timeout_s.unwrap_or(c.timeout_s);
        c.ephemeral_storage_mb = self.ephemeral_storage_mb.unwrap_or(c.ephemeral_storage_mb);
        c.reserved_concurrency = self.reserved_concurrency;
        c.architecture = self.architecture.unwrap_or_default();
        c.async_config = self.async_config.clone().unwrap_or_default();
        c.extensions = self.extensions.unwrap_or_default();
        c.recursive_loop = self.recursive_loop.unwrap_or_default();
        if self.subnet_ids.is_some() || self.security_group_ids.is_some() {
            c.vpc = Some(VpcConfig {
                subnet_ids: self.subnet_ids.clone().unwrap_or_default(),
                security_group_ids: self.security_group_ids.clone().unwrap_or_default(),
            });
        }
        c
    }
}

fn describe(e: &TimelineEntry) -> String {
    let target = e
        .function
        .as_deref()
        .or(e.queue.as_deref())
        .or(e.stream.as_deref())
        .unwrap_or("");
    match (&e.qualifier, &e.alias) {
        (Some(q), _) => format!("{} {target}:{q}", e.action),
        (None, Some(al)) => format!("{} {target}:{al}", e.action),
        _ => format!("{} {target}", e.action).trim().to_string(),
    }
}

fn need<'a, T>(v: &'a Option<T>, what: &str, action: &str) -> Result<&'a T, String> {
    v.as_ref()
        .ok_or_else(|| format!("timeline action \"{action}\" needs `{what}`"))
}

fn need_s<'a>(v: &'a Option<String>, what: &str, action: &str) -> Result<&'a str, String> {
    need(v, what, action).map(|s| s.as_str())
}

fn invocation_type(e: &TimelineEntry) -> Result<InvocationType, String> {
    match e.invocation_type.as_deref() {
        None | Some("sync") => Ok(InvocationType::RequestResponse),
        Some("async") => Ok(InvocationType::Event),
        Some("dry_run") => Ok(InvocationType::DryRun),
        Some(o) => Err(format!(
            "unknown type \"{o}\" (expected sync, async or dry_run)"
        )),
    }
}

fn outcome_text(o: &InvokeOutcome) -> String {
    match o {
        InvokeOutcome::Started { request_id } => format!("started {request_id}"),
        InvokeOutcome::Queued { request_id, status } => format!("{status} queued {request_id}"),
        InvokeOutcome::DryRunOk { status } => format!("{status} dry run ok"),
        InvokeOutcome::Rejected(e) => match (&e.reason, e.retry_after_s) {
            (Some(r), Some(s)) => format!("{} {e} (Reason: {r}, Retry-After: {s})", e.status),
            (Some(r), None) => format!("{} {e} (Reason: {r})", e.status),
            _ => format!("{} {e}", e.status),
        },
    }
}

/// What the caller of an `Event` or `DryRun` call, or of a refused call, received at once.
fn immediate_response(
    o: &InvokeOutcome,
    e: &TimelineEntry,
    now: Micros,
) -> Option<ResponseSummary> {
    let function = e.function.clone().unwrap_or_default();
    let (request_id, status, error) = match o {
        InvokeOutcome::Started { .. } => return None,
        InvokeOutcome::Queued { request_id, status } => {
            (Some(request_id.to_string()), *status, None)
        }
        InvokeOutcome::DryRunOk { status } => (None, *status, None),
        InvokeOutcome::Rejected(err) => (None, err.status, Some(err.to_string())),
    };
    Some(ResponseSummary {
        request_id,
        function,
        time_us: now,
        status,
        function_error: None,
        payload: String::new(),
        payload_bytes: 0,
        error,
        executed_version: None,
    })
}

fn api(r: Result<(), ApiError>) -> Result<String, String> {
    r.map(|_| "ok".into()).map_err(|e| e.to_string())
}

/// Applies one timeline entry; an invoke leaves its outcome in `outcome`.
fn apply_entry(
    sim: &mut Simulation,
    e: &TimelineEntry,
    outcome: &mut Option<InvokeOutcome>,
) -> Result<String, String> {
    let a = e.action.as_str();
    // `function` and `qualifier` together name what is invoked: `orders` + `live` = `orders:live`
    let target = || -> Result<String, String> {
        let f = need_s(&e.function, "function", a)?;
        Ok(match &e.qualifier {
            Some(q) => format!("{f}:{q}"),
            None => f.to_string(),
        })
    };
    let traffic = |pattern: Pattern| -> Result<TrafficSpec, String> {
        Ok(TrafficSpec {
            function: target()?,
            invocation_type: invocation_type(e)?,
            payload: e.payload.clone().unwrap_or_else(|| "{}".into()),
            principal: e.principal.clone(),
            pattern,
            max_requests: e.max_requests,
        })
    };
    let dur = || need(&e.duration_s, "duration_s", a).copied();
    match a {
        "invoke" | "invoke_async" | "dry_run" => {
            let t = match a {
                "invoke_async" => InvocationType::Event,
                "dry_run" => InvocationType::DryRun,
                _ => invocation_type(e)?,
            };
            let req = InvokeRequest {
                function: need_s(&e.function, "function", a)?.to_string(),
                invocation_type: t,
                payload: Arc::from(e.payload.as_deref().unwrap_or("{}")),
                principal: e.principal.clone(),
                source_arn: e.source_arn.clone(),
                source_account: e.source_account.clone(),
                qualifier: e.qualifier.clone(),
            };
            let o = sim.invoke(&req);
            let text = outcome_text(&o);
            *outcome = Some(o);
            Ok(text)
        }
        "burst" | "constant" | "ramp" | "poisson" => {
            let pattern = match a {
                "burst" => Pattern::Burst { count: *need(&e.count, "count", a)? },
                "constant" => Pattern::Constant { rate_per_s: *need(&e.rate_per_s, "rate_per_s", a)?, duration_s: dur()? },
                "ramp" => Pattern::Ramp {
                    from_per_s: *need(&e.from_per_s, "from_per_s", a)?,
                    to_per_s: *need(&e.to_per_s, "to_per_s", a)?,
                    duration_s: dur()?,
                },
                _ => Pattern::Poisson { rate_per_s: *need(&e.rate_per_s, "rate_per_s", a)?, duration_s: dur()? },
            };
            let id = sim.start_traffic(traffic(pattern)?).map_err(|e| e.to_string())?;
            Ok(format!("traffic #{id} started"))
        }
        "send_messages" => {
            api(sim.send_messages_in_group(
                need_s(&e.queue, "queue", a)?,
                e.body.as_deref().unwrap_or("{}"),
                e.count.unwrap_or(1),
                e.message_group_id.as_deref(),
            ))
        }
        "put_records" => api(sim.put_records_with_keys(
            need_s(&e.stream, "stream", a)?,
            need::<Vec<String>>(&e.records, "records", a)?,
            e.partition_keys.as_deref().unwrap_or(&[]),
        )),
        "set_memory" | "set_timeout" => {
            let f = need_s(&e.function, "function", a)?;
            let idx = sim.function_index(f).ok_or_else(|| format!("unknown function \"{f}\""))?;
            let mut c = sim.functions[idx as usize].config().clone();
            if a == "set_memory" {
                c.memory_mb = *need(&e.memory_mb, "memory_mb", a)?;
            } else {
                c.timeout_s = *need(&e.timeout_s, "timeout_s", a)?;
            }
            api(sim.update_function_configuration(c))
        }
        "set_reserved" => {
            let r = *need(&e.reserved, "reserved", a)?;
            api(sim.put_function_concurrency(need_s(&e.function, "function", a)?, (r >= 0).then_some(r as u32)))
        }
        "set_provisioned" => api(sim.put_provisioned_concurrency(
            need_s(&e.function, "function", a)?,
            e.qualifier.as_deref(),
            *need(&e.amount, "amount", a)?,
        ))
        .map_err(|m| match (&e.qualifier, e.function.as_deref().is_some_and(|f| f.contains(':'))) {
            (None, false) => format!("{m} (give `qualifier`: a published version number or an alias)"),
            _ => m,
        }),
        "publish_version" => sim
            .publish_version(need_s(&e.function, "function", a)?, e.description.as_deref())
            .map(|v| format!("version {v}"))
            .map_err(|e| e.to_string()),
        "create_alias" | "update_alias" => {
            let f = need_s(&e.function, "function", a)?;
            let name = need_s(&e.alias, "alias", a)?;
            let v = need_s(&e.function_version, "function_version", a)?;
            let routing = e.additional_version_weights.as_ref().map(|w| crate::state::versions::RoutingConfig {
                additional_version_weights: w.clone(),
            });
            api(if a == "create_alias" {
                sim.create_alias(f, name, v, routing.as_ref())
            } else {
                sim.update_alias(f, name, v, routing.as_ref())
            })
        }
        "delete_alias" => api(sim.delete_alias(need_s(&e.function, "function", a)?, need_s(&e.alias, "alias", a)?)),
        "delete_version" => api(sim.delete_version(need_s(&e.function, "function", a)?, e.qualifier.as_deref()))
            .map_err(|m| {
                if m.starts_with("ResourceConflictException") {
                    format!("{m} (point the alias elsewhere with update_alias, or delete_alias, first)")
                } else if m.starts_with("InvalidParameterValueException") {
                    format!("{m} (delete_version takes a published version number: `qualifier = \"2\"` or `function = \"name:2\"`)")
                } else {
                    m
                }
            }),
        "deploy" => {
            let h = match (&e.script, &e.profile) {
                (Some(s), _) => HandlerSpec::Script(s.clone()),
                (None, Some(p)) => HandlerSpec::Profile(p.clone()),
                _ => return Err("timeline action \"deploy\" needs `script` or `profile`".into()),
            };
            api(sim.update_function_code(need_s(&e.function, "function", a)?, h))
        }
        "add_permission" => api(sim.add_permission_qualified(
            need_s(&e.function, "function", a)?,
            e.qualifier.as_deref(),
            e.sid.as_deref().unwrap_or("sid"),
            need_s(&e.principal, "principal", a)?,
            e.source_arn.as_deref(),
            e.source_account.as_deref(),
        )),
        "put_policy" => api(sim.put_function_policy(need_s(&e.function, "function", a)?, e.policy.as_deref())),
        "advance" => Ok("ok".into()),
        other => Err(format!(
            "unknown action \"{other}\" (expected invoke, invoke_async, dry_run, burst, constant, ramp, poisson, send_messages, put_records, set_memory, set_timeout, set_reserved, set_provisioned, deploy, add_permission, put_policy, publish_version, create_alias, update_alias, delete_alias, delete_version, advance)"
        )),
    }
}
