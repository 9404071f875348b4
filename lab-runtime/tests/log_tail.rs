//! The log console's tail: the newest lines, formatted only for those shown, are exactly the end
//! of the full log (docs/lambda-behaviour.md §3.11: START, END, REPORT, Task timed out).

mod common;

use common::*;

#[test]
fn the_log_tail_is_the_end_of_the_full_log_with_errors_and_timeouts_mixed_in() {
    let mut sim = world();
    create(&mut sim, "ok", profile(200.0, 20.0, 0.3));
    let mut slow = function("slow", profile(50.0, 5_000.0, 0.0));
    slow.timeout_s = 1;
    sim.create_function(slow).unwrap();
    for i in 0..40 {
        sync(&mut sim, "ok", "{}");
        event(&mut sim, if i % 3 == 0 { "slow" } else { "ok" }, "{}");
        secs(&mut sim, 1);
    }
    sync(&mut sim, "missing", "{}");
    settle(&mut sim);
    let all = sim.log_lines();
    assert!(all.len() > 200, "{} lines", all.len());
    assert!(all.iter().any(|l| l.text.contains("Task timed out")));
    for n in [0, 1, 7, 200, all.len(), all.len() + 5] {
        let tail = sim.log_tail(n);
        assert_eq!(tail, all[all.len().saturating_sub(n)..], "n = {n}");
    }
}
