//! Log order (docs/lambda-behaviour.md §3.11): every line an invocation logs comes after its
//! `START` and before its `END` and `REPORT`, also when a second invocation starts in the same
//! environment at the very instant the first one ends.

mod common;

use common::*;
use lab_runtime::HandlerSpec;

/// The request id of a line (`START RequestId: <id> ...`, `<id>\tINFO\t...`, ...).
fn request_of(line: &str) -> Option<String> {
    for p in ["START RequestId: ", "END RequestId: ", "REPORT RequestId: "] {
        if let Some(rest) = line.strip_prefix(p) {
            return rest.split_whitespace().next().map(str::to_string);
        }
    }
    let (id, rest) = line.split_once('\t')?;
    (id.len() == 36 && !rest.is_empty()).then(|| id.to_string())
}

/// Checks that each request's lines are bracketed by its START and its END/REPORT, and that the
/// requests do not interleave (one environment runs one invocation at a time).
fn assert_bracketed(lines: &[String], requests: usize) {
    let mut open: Option<String> = None;
    let mut seen = Vec::new();
    for l in lines {
        let Some(id) = request_of(l) else { continue };
        if l.starts_with("START ") {
            assert!(
                open.is_none(),
                "START of {id} while {open:?} is open:\n{}",
                lines.join("\n")
            );
            open = Some(id.clone());
            seen.push(id);
        } else if l.starts_with("REPORT ") {
            assert_eq!(
                open.as_deref(),
                Some(id.as_str()),
                "REPORT outside its invocation:\n{}",
                lines.join("\n")
            );
            open = None;
        } else {
            assert_eq!(
                open.as_deref(),
                Some(id.as_str()),
                "line outside its START..REPORT: {l}\n{}",
                lines.join("\n")
            );
        }
    }
    assert!(open.is_none());
    assert_eq!(seen.len(), requests, "{}", lines.join("\n"));
}

#[test]
fn a_line_logged_first_thing_in_the_handler_comes_after_start() {
    let mut sim = world();
    create(
        &mut sim,
        "f",
        HandlerSpec::Script(
            "|event, context| { log(\"first thing\"); compute(5); log(\"last thing\"); 1 }".into(),
        ),
    );
    sync(&mut sim, "f", "{}");
    settle(&mut sim);
    let l = lines(&sim);
    let start = l.iter().position(|x| x.starts_with("START ")).unwrap();
    let first = l
        .iter()
        .position(|x| x.ends_with("\tINFO\tfirst thing"))
        .unwrap();
    let last = l
        .iter()
        .position(|x| x.ends_with("\tINFO\tlast thing"))
        .unwrap();
    let end = l.iter().position(|x| x.starts_with("END ")).unwrap();
    assert!(start < first && first < last && last < end, "{l:#?}");
    assert_bracketed(&l, 1);
}

#[test]
fn two_quick_invokes_in_one_environment_do_not_interleave() {
    // the second request arrives at the instant the first one ends, and reuses its environment
    let mut sim = world();
    create(
        &mut sim,
        "f",
        HandlerSpec::Script("|event, context| { log(\"begin \" + event.n); compute(3); log(\"done \" + event.n); event.n }".into()),
    );
    sync(&mut sim, "f", r#"{"n":1}"#);
    let t = sim.advance_to_next_event().unwrap();
    sync(&mut sim, "f", r#"{"n":2}"#);
    settle(&mut sim);
    let recs = &sim.records().items();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].env, recs[1].env, "one environment");
    assert_eq!(recs[1].start_us, t, "the second starts as the first ends");
    let l = lines(&sim);
    assert_bracketed(&l, 2);
    let pos = |s: &str| l.iter().position(|x| x.ends_with(s)).unwrap();
    assert!(pos("done 1") < pos("begin 2"));
}

#[test]
fn an_error_and_a_timeout_stay_inside_their_invocation() {
    let mut sim = world();
    create(
        &mut sim,
        "boom",
        HandlerSpec::Script("|event, context| { log(\"about to fail\"); throw \"bad\"; }".into()),
    );
    create(
        &mut sim,
        "slow",
        HandlerSpec::Script("|event, context| { log(\"waiting\"); sleep(10000); 1 }".into()),
    );
    for f in ["boom", "slow", "boom"] {
        sync(&mut sim, f, "{}");
        sim.advance_to_next_event();
    }
    settle(&mut sim);
    let all = sim.log_lines();
    for f in ["boom", "slow"] {
        let l: Vec<String> = all
            .iter()
            .filter(|x| x.function == f)
            .map(|x| x.text.clone())
            .collect();
        assert_bracketed(&l, if f == "boom" { 2 } else { 1 });
    }
    let slow: Vec<&str> = all
        .iter()
        .filter(|x| x.function == "slow")
        .map(|x| x.text.as_str())
        .collect();
    let timed = slow
        .iter()
        .position(|x| x.contains("Task timed out"))
        .unwrap();
    let end = slow.iter().position(|x| x.starts_with("END ")).unwrap();
    assert!(timed < end, "{slow:#?}");
}
