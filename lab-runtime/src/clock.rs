//! The virtual clock: integer microseconds since the start of the run, and the formatting that
//! CloudWatch log lines use (two decimals of milliseconds or seconds).

/// A point in virtual time or a duration, in microseconds.
pub type Micros = u64;

/// One millisecond in microseconds.
pub const MS: Micros = 1_000;
/// One second in microseconds.
pub const SEC: Micros = 1_000_000;
/// One minute in microseconds.
pub const MIN: Micros = 60 * SEC;
/// One hour in microseconds.
pub const HOUR: Micros = 60 * MIN;

/// Milliseconds to microseconds.
pub const fn ms(n: u64) -> Micros {
    n * MS
}

/// Seconds to microseconds.
pub const fn secs(n: u64) -> Micros {
    n * SEC
}

/// `3004.92` for 3,004,920 µs: milliseconds with two decimals, rounded to nearest, as in REPORT lines.
pub fn fmt_ms2(us: Micros) -> String {
    let hundredths = (us + 5) / 10;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// `3.00` for 3 s: seconds with two decimals, as in `Task timed out after 3.00 seconds`.
pub fn fmt_secs2(us: Micros) -> String {
    let hundredths = (us + 5_000) / 10_000;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Duration rounded up to the next whole millisecond: the billing rule
/// (docs/lambda-behaviour.md §5.4).
pub const fn ceil_ms(us: Micros) -> u64 {
    us.div_ceil(MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_durations_have_two_decimals() {
        assert_eq!(fmt_ms2(3_004_920), "3004.92");
        assert_eq!(fmt_ms2(111_234), "111.23");
        assert_eq!(fmt_ms2(5), "0.01");
        assert_eq!(fmt_secs2(3 * SEC), "3.00");
        assert_eq!(fmt_secs2(1_234_000), "1.23");
    }

    #[test]
    fn billing_rounds_up_to_the_millisecond() {
        // docs/lambda-behaviour.md §5.4: rounded up to the nearest 1 ms
        assert_eq!(ceil_ms(3_116_150), 3117);
        assert_eq!(ceil_ms(3_000_000), 3000);
        assert_eq!(ceil_ms(1), 1);
        assert_eq!(ceil_ms(0), 0);
    }
}
