//! Wall-clock rendering of virtual time: the run starts at 2026-01-01T00:00:00Z.

use crate::clock::Micros;

/// Days since 1970-01-01 of the run's start (2026-01-01).
const EPOCH_DAYS: i64 = 20_454;

/// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `2026-01-01T00:01:02.345Z` for 62.345 s of virtual time.
pub fn iso8601(t: Micros) -> String {
    let ms = t / 1000;
    let secs = ms / 1000;
    let (y, m, d) = civil(EPOCH_DAYS + (secs / 86_400) as i64);
    let s = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_time_renders_from_2026_01_01() {
        assert_eq!(iso8601(0), "2026-01-01T00:00:00.000Z");
        assert_eq!(iso8601(62_345_000), "2026-01-01T00:01:02.345Z");
        assert_eq!(iso8601(31 * 86_400 * 1_000_000), "2026-02-01T00:00:00.000Z");
    }
}
