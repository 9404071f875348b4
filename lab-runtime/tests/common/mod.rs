//! Shared builders for the integration tests.
#![allow(dead_code)]

use lab_runtime::clock::SEC;
use lab_runtime::iam::LAMBDA_TRUST;
use lab_runtime::model::{InvocationType, InvokeOutcome, InvokeRequest};
use lab_runtime::{AccountConfig, Dist, FunctionConfig, HandlerSpec, Profile, Simulation};

/// A role allowing logs, SQS (sends, and what an SQS mapping needs), DynamoDB, S3 and reading
/// Kinesis streams.
pub const ALL_ROLE_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes","dynamodb:*","s3:*","kinesis:*"],"Resource":"*"}]}"#;

pub fn world_with(account: AccountConfig, seed: u64) -> Simulation {
    let mut sim = Simulation::new(account, seed);
    sim.create_role(
        "fn-role",
        LAMBDA_TRUST,
        &[ALL_ROLE_POLICY.to_string()],
        &["AWSLambdaBasicExecutionRole".to_string()],
    )
    .unwrap();
    sim
}

pub fn world() -> Simulation {
    world_with(AccountConfig::default(), 42)
}

pub fn profile(init_ms: f64, dur_ms: f64, error_rate: f64) -> HandlerSpec {
    HandlerSpec::Profile(Profile {
        init_ms: Dist::Fixed(init_ms),
        duration_ms: Dist::Fixed(dur_ms),
        error_rate,
        ..Profile::default()
    })
}

pub fn function(name: &str, handler: HandlerSpec) -> FunctionConfig {
    FunctionConfig::new(name, "fn-role", handler)
}

pub fn create(sim: &mut Simulation, name: &str, handler: HandlerSpec) {
    sim.create_function(function(name, handler)).unwrap();
}

pub fn sync(sim: &mut Simulation, name: &str, payload: &str) -> InvokeOutcome {
    sim.invoke(&InvokeRequest::new(
        name,
        InvocationType::RequestResponse,
        payload,
    ))
}

pub fn event(sim: &mut Simulation, name: &str, payload: &str) -> InvokeOutcome {
    sim.invoke(&InvokeRequest::new(name, InvocationType::Event, payload))
}

/// Runs until everything, including idle reclaim, has happened (bounded).
pub fn settle(sim: &mut Simulation) {
    sim.run_until_idle(10_000_000);
}

/// Advances by whole seconds.
pub fn secs(sim: &mut Simulation, s: u64) {
    sim.advance_by(s * SEC);
}

pub fn lines(sim: &Simulation) -> Vec<String> {
    sim.log_lines().into_iter().map(|l| l.text).collect()
}
