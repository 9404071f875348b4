//! A lab-runtime scenario turned into the account and the actions that build its world, so the
//! browser needs no TOML parser: the lab JSON carries plain actions.

use lab_runtime::clock::SEC;
use lab_runtime::config::VpcConfig;
use lab_runtime::iam::LAMBDA_TRUST;
use lab_runtime::scenario::Scenario;
use lab_runtime::sqs::Redrive;
use lab_runtime::{AccountConfig, Action, FunctionConfig, HandlerSpec};

/// The account and the setup actions of a scenario, in the order `Scenario::build` applies them.
pub fn setup_actions(s: &Scenario) -> (AccountConfig, Vec<Action>) {
    let a = &s.account;
    let mut acc = AccountConfig::default();
    if let Some(v) = &a.id {
        acc.id = v.clone();
    }
    if let Some(v) = &a.region {
        acc.region = v.clone();
    }
    acc.concurrency_limit = a.concurrency_limit.unwrap_or(acc.concurrency_limit);
    let st = &mut acc.settings;
    st.keep_alive_us = a.keep_alive_s.map_or(st.keep_alive_us, |v| v * SEC);
    st.recycle_after_us = a.recycle_after_s.map_or(st.recycle_after_us, |v| v * SEC);
    st.client_retries = a.client_retries.unwrap_or(st.client_retries);
    st.log_window = a.log_window.unwrap_or(st.log_window);
    st.record_window = a.record_window.unwrap_or(st.record_window);
    st.metrics_bucket_us = a
        .metrics_bucket_s
        .map_or(st.metrics_bucket_us, |v| v.max(1) * SEC);
    let mut out = Vec::new();
    for r in &s.roles {
        let r = r.get_ref();
        let trust = match (&r.trust, &r.trust_policy) {
            (_, Some(p)) => p.clone(),
            (Some(t), None) if t != "lambda" => {
                LAMBDA_TRUST.replace("lambda.amazonaws.com", &format!("{t}.amazonaws.com"))
            }
            _ => LAMBDA_TRUST.to_owned(),
        };
        out.push(Action::CreateRole {
            name: r.name.clone(),
            trust_policy: trust,
            policies: r.policies.clone(),
            managed: r.managed.clone(),
        });
    }
    for q in &s.queues {
        let q = q.get_ref();
        out.push(Action::CreateQueue {
            name: q.name.clone(),
            visibility_timeout_s: q.visibility_timeout_s,
            redrive: q.dlq.as_ref().map(|d| Redrive {
                dead_letter_queue: d.clone(),
                max_receive_count: q.max_receive_count.unwrap_or(5),
            }),
        });
    }
    for t in &s.tables {
        out.push(Action::CreateTable {
            name: t.name.clone(),
            read_per_s: t.read_per_s,
            write_per_s: t.write_per_s,
        });
    }
    for b in &s.buckets {
        out.push(Action::CreateBucket { name: b.clone() });
    }
    for d in &s.databases {
        out.push(Action::CreateDatabase {
            name: d.name.clone(),
            max_connections: d.max_connections,
        });
    }
    for f in &s.functions {
        let spec = f.get_ref();
        let handler = match (&spec.script, &spec.profile) {
            (Some(src), _) => HandlerSpec::Script(src.clone()),
            (None, Some(p)) => HandlerSpec::Profile(p.clone()),
            (None, None) => HandlerSpec::default(),
        };
        let mut c = FunctionConfig::new(&spec.name, &spec.role, handler);
        c.memory_mb = spec.memory_mb.unwrap_or(c.memory_mb);
        c.timeout_s = spec.timeout_s.unwrap_or(c.timeout_s);
        c.ephemeral_storage_mb = spec.ephemeral_storage_mb.unwrap_or(c.ephemeral_storage_mb);
        c.reserved_concurrency = spec.reserved_concurrency;
        c.provisioned_concurrency = spec.provisioned_concurrency.unwrap_or(0);
        c.architecture = spec.architecture.unwrap_or_default();
        c.async_config = spec.async_config.clone().unwrap_or_default();
        if spec.subnet_ids.is_some() || spec.security_group_ids.is_some() {
            c.vpc = Some(VpcConfig {
                subnet_ids: spec.subnet_ids.clone().unwrap_or_default(),
                security_group_ids: spec.security_group_ids.clone().unwrap_or_default(),
            });
        }
        out.push(Action::CreateFunction(Box::new(c)));
        if let Some(p) = &spec.policy {
            out.push(Action::PutFunctionPolicy {
                function: spec.name.clone(),
                policy: Some(p.clone()),
            });
        }
    }
    for m in &s.sqs_mappings {
        out.push(Action::CreateSqsMapping(m.get_ref().clone()));
    }
    for m in &s.stream_mappings {
        out.push(Action::CreateStreamMapping(m.get_ref().clone()));
    }
    (acc, out)
}
