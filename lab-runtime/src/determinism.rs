//! A fixed mixed run (profile load with Poisson arrivals, async retries to a DLQ, a script handler
//! with DynamoDB, an SQS mapping) whose report digest must be the same on every target: the native
//! tests and the wasm32 build (`examples/wasm_digest.rs`) compare it.

use deterministic::fnv1a;

use crate::config::{AccountConfig, AsyncConfig, FunctionConfig};
use crate::handler::{Dist, HandlerSpec, Profile};
use crate::iam::LAMBDA_TRUST;
use crate::model::{InvocationType, InvokeRequest};
use crate::sim::Simulation;
use crate::state::sqs_mapping::SqsMappingConfig;
use crate::state::traffic::{Pattern, TrafficSpec};

/// Runs the fixed mixed scenario with `seed` and returns the FNV-1a digest of its JSON report.
pub fn standard_digest(seed: u64) -> u64 {
    let mut sim = Simulation::new(AccountConfig::default(), seed);
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:*","sqs:SendMessage","sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"*"}]}"#;
    let ok = sim
        .create_role(
            "r",
            LAMBDA_TRUST,
            &[policy.into()],
            &["AWSLambdaBasicExecutionRole".into()],
        )
        .is_ok();
    sim.create_table("t", 0, 50);
    let _ = sim.create_queue("dlq", 30, None);
    let _ = sim.create_queue("jobs", 10, None);
    let profile = HandlerSpec::Profile(Profile {
        init_ms: Dist::Normal([300.0, 80.0]),
        duration_ms: Dist::Exponential(120.0),
        error_rate: 0.2,
        ..Profile::default()
    });
    let mut p = FunctionConfig::new("p", "r", profile);
    p.async_config = AsyncConfig {
        dead_letter_queue: Some("dlq".into()),
        ..AsyncConfig::default()
    };
    p.reserved_concurrency = Some(20);
    let script = "let n = 0;\n|event, context| { n += 1; compute(5); dynamodb_put(\"t\", #{pk: \"k\" + (n % 7), v: n}); n }";
    let s = FunctionConfig::new("s", "r", HandlerSpec::Script(script.into()));
    let created = ok && sim.create_function(p).is_ok() && sim.create_function(s).is_ok();
    if !created {
        return 0;
    }
    let _ = sim.create_sqs_mapping(SqsMappingConfig {
        queue: "jobs".into(),
        function: "s".into(),
        ..Default::default()
    });
    let _ = sim.send_messages("jobs", "{\"job\":1}", 40);
    for (t, rate) in [
        (InvocationType::Event, 30.0),
        (InvocationType::RequestResponse, 60.0),
    ] {
        let _ = sim.start_traffic(TrafficSpec {
            function: "p".into(),
            invocation_type: t,
            payload: "{\"a\":1}".into(),
            principal: None,
            pattern: Pattern::Poisson {
                rate_per_s: rate,
                duration_s: 20.0,
            },
            max_requests: None,
        });
    }
    for _ in 0..30 {
        sim.invoke(&InvokeRequest::new(
            "s",
            InvocationType::RequestResponse,
            "{}",
        ));
        sim.advance_by(250_000);
    }
    sim.run_until_idle(10_000_000);
    let json = serde_json::to_string(&sim.report("determinism", vec![])).unwrap_or_default();
    fnv1a(json.as_bytes())
}
