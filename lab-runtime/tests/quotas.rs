//! Quotas of docs/lambda-behaviour.md §5.6 that the model can meet: file descriptors.

mod common;

use common::*;
use lab_runtime::HandlerSpec;

#[test]
fn an_environment_holds_at_most_1024_open_connections() {
    // docs/lambda-behaviour.md §5.6: 1,024 file descriptors; connections never closed leak them
    let mut sim = world();
    sim.create_database("db", 5000);
    let src = "|event, context| { for i in 0..event.n { connect(\"db\"); } 1 }";
    let mut c = function("f", HandlerSpec::Script(src.into()));
    c.timeout_s = 900;
    sim.create_function(c).unwrap();
    sync(&mut sim, "f", r#"{"n": 1000}"#);
    secs(&mut sim, 100);
    assert_eq!(&*sim.responses().items()[0].payload, "1");
    sync(&mut sim, "f", r#"{"n": 30}"#);
    secs(&mut sim, 100);
    let v: serde_json::Value = serde_json::from_str(&sim.responses().items()[1].payload).unwrap();
    assert_eq!(v["errorMessage"], "EMFILE: too many open files, connect");
    assert_eq!(
        sim.view().functions[0].environments[0].open_connections,
        1024
    );
}
