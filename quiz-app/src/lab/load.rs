//! Reading the load-test controls into a step.

use course_model::lab::Step;

fn num(s: &str) -> Option<f64> {
    s.trim().parse().ok()
}

/// A load test from the panel's values: rates 0 to 5,000 per second, 1 to 3,600 seconds; an
/// empty start rate means a constant rate.
pub fn load_test(
    function: String,
    payload: String,
    rate: &str,
    duration: &str,
    ramp_from: &str,
) -> Result<(&'static str, Step), String> {
    let from = match ramp_from.trim() {
        "" => Some(None),
        _ => num(ramp_from)
            .filter(|v| *v >= 0.0 && *v <= 5_000.0)
            .map(Some),
    };
    match (num(rate), num(duration), from) {
        (Some(r), Some(d), Some(from)) if r > 0.0 && r <= 5_000.0 && d > 0.0 && d <= 3_600.0 => {
            Ok((
                "load",
                Step::LoadTest {
                    function,
                    rate_per_s: r,
                    duration_s: d,
                    payload,
                    ramp_from_per_s: from,
                },
            ))
        }
        _ => Err("Rates: 0 to 5,000 requests per second (the final rate at least 1); duration: 1 to 3,600 seconds.".to_owned()),
    }
}
