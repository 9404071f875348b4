//! The standard load tests behind `lab-sim bench` and the criterion benches: a profile-mode load
//! at a steady concurrency of a few hundred, and a typical handler script with one DynamoDB put.

use crate::clock::SEC;
use crate::config::{AccountConfig, FunctionConfig};
use crate::handler::{Dist, HandlerSpec, Profile};
use crate::iam::LAMBDA_TRUST;
use crate::limits::MAX_REQUESTS_PER_TRAFFIC;
use crate::model::InvocationType;
use crate::sim::Simulation;
use crate::state::traffic::{Pattern, TrafficSpec};

/// A typical 10-line handler with one DynamoDB put.
pub const BENCH_SCRIPT: &str = r#"let table = "orders";
let served = 0;
|event, context| {
    served += 1;
    let id = event.id;
    let total = event.qty * event.price;
    if total < 0 { throw #{errorType: "ValidationError", errorMessage: "negative total"}; }
    let item = #{pk: id, total: total, served: served};
    dynamodb_put(table, item);
    #{statusCode: 200, body: id}
}"#;

/// What handler a load test uses.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadKind {
    /// Profile handler with a fixed duration (ms).
    Profile {
        /// Duration of each invocation.
        duration_ms: f64,
    },
    /// The handler script [`BENCH_SCRIPT`].
    Script,
}

/// A standard load test.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadTest {
    /// Name shown by `lab-sim bench`.
    pub name: String,
    /// Invocations to run.
    pub invocations: u64,
    /// Arrival rate (per second).
    pub rate_per_s: f64,
    /// Handler.
    pub kind: LoadKind,
}

/// The standard set: 1M profile invocations, 200k script invocations, 10M profile invocations (or
/// smaller ones with `quick`).
pub fn standard_load_tests(quick: bool) -> Vec<LoadTest> {
    let k = if quick { 100 } else { 1 };
    vec![
        LoadTest {
            name: format!("profile, {}k inv, ~300 concurrent", 1000 / k),
            invocations: 1_000_000 / k,
            rate_per_s: 3000.0,
            kind: LoadKind::Profile { duration_ms: 100.0 },
        },
        LoadTest {
            name: format!("script + dynamodb put, {}k inv", 200 / k),
            invocations: 200_000 / k,
            rate_per_s: 3000.0,
            kind: LoadKind::Script,
        },
        LoadTest {
            name: format!("profile, {}M inv (memory)", 10 / k),
            invocations: 10_000_000 / k,
            rate_per_s: 3000.0,
            kind: LoadKind::Profile { duration_ms: 100.0 },
        },
    ]
}

impl LoadTest {
    /// The world of the test, with its traffic started.
    pub fn build(&self) -> Simulation {
        let mut sim = Simulation::new(AccountConfig::default(), 7);
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"*"}]}"#;
        sim.create_role(
            "load-role",
            LAMBDA_TRUST,
            &[policy.to_string()],
            &["AWSLambdaBasicExecutionRole".to_string()],
        )
        .expect("role");
        sim.create_table("orders", 0, 0);
        let handler = match self.kind {
            LoadKind::Profile { duration_ms } => HandlerSpec::Profile(Profile {
                init_ms: Dist::Uniform([150.0, 400.0]),
                duration_ms: Dist::Uniform([duration_ms * 0.5, duration_ms * 1.5]),
                error_rate: 0.01,
                ..Profile::default()
            }),
            LoadKind::Script => HandlerSpec::Script(BENCH_SCRIPT.to_string()),
        };
        let mut c = FunctionConfig::new("load", "load-role", handler);
        c.memory_mb = 1769;
        c.timeout_s = 10;
        sim.create_function(c).expect("function");
        let payload = match self.kind {
            LoadKind::Script => r#"{"id": "order-1", "qty": 2, "price": 21}"#,
            LoadKind::Profile { .. } => "{}",
        };
        // one generator may ask for at most MAX_REQUESTS_PER_TRAFFIC requests: a larger test
        // runs several side by side, sharing the rate
        let parts = self.invocations.div_ceil(MAX_REQUESTS_PER_TRAFFIC).max(1);
        let per = self.invocations.div_ceil(parts);
        let rate = self.rate_per_s / parts as f64;
        let mut left = self.invocations;
        for _ in 0..parts {
            let n = per.min(left);
            left -= n;
            sim.start_traffic(TrafficSpec {
                function: "load".into(),
                invocation_type: InvocationType::RequestResponse,
                payload: payload.into(),
                principal: None,
                pattern: Pattern::Constant {
                    rate_per_s: rate,
                    duration_s: n as f64 / rate + 1.0,
                },
                max_requests: Some(n),
            })
            .expect("traffic");
        }
        sim
    }

    /// Builds and runs the test to the end (until the last invocation completed). Returns the
    /// simulation and the events processed.
    pub fn run(&self) -> (Simulation, u64) {
        let mut sim = self.build();
        let end = ((self.invocations as f64 / self.rate_per_s + 30.0) * SEC as f64) as u64;
        let p = sim.run_for(crate::sim::RunBudget {
            max_events: u64::MAX,
            until_us: Some(end),
        });
        (sim, p.events)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_standard_load_test_builds_within_the_traffic_limits() {
        // the 10M test asks for more than one generator may (limits::MAX_REQUESTS_PER_TRAFFIC)
        // (`build` panics when a generator is refused)
        for t in super::standard_load_tests(false) {
            drop(t.build());
        }
    }
}
