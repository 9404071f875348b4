//! A lab-runtime scenario turned into the account and the actions that build its world, so the
//! browser needs no TOML parser: the lab JSON carries plain actions.

use lab_runtime::iam::LAMBDA_TRUST;
use lab_runtime::scenario::Scenario;
use lab_runtime::sqs::Redrive;
use lab_runtime::{AccountConfig, Action};

/// The account and the setup actions of a scenario, in the order `Scenario::build` applies them.
pub fn setup_actions(s: &Scenario) -> (AccountConfig, Vec<Action>) {
    let acc = s.account_config();
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
        let c = spec.function_config();
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
