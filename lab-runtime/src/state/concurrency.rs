//! The front door's admission control, as a model that owns its counters: the account's
//! concurrency (reserved concurrency and the unreserved pool), the request-rate limits and the
//! scaling rate of new environments (docs/lambda-behaviour.md §4.2–§4.6). The engine asks it
//! whether a request may start ([`AccountConcurrency::admit`], [`ScaleCredit::take`]) and tells it
//! when one starts and finishes; which throttle answered becomes the error code the caller sees.

use crate::clock::{Micros, SEC};
use crate::config::check_reserved;
use crate::error::ApiError;

/// Why a request was throttled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// The function's reserved concurrency is all in use (§4.4).
    ReservedConcurrency,
    /// The account's unreserved pool is all in use (§4.2).
    AccountConcurrency,
    /// More requests this second than 10 × the account's concurrency quota (§4.3).
    CallerRate,
    /// More requests this second than 10 × the function's reserved concurrency (§4.3).
    ReservedRate,
    /// A new environment was needed faster than 1,000 per 10 s (§4.6).
    Scaling,
}

impl Throttle {
    /// The error code Lambda returns for it (the `Reason` of a 429 `TooManyRequestsException`).
    pub fn code(self) -> &'static str {
        match self {
            Throttle::ReservedConcurrency => "ReservedFunctionConcurrentInvocationLimitExceeded",
            Throttle::AccountConcurrency => "ConcurrentInvocationLimitExceeded",
            Throttle::CallerRate => "CallerRateLimitExceeded",
            Throttle::ReservedRate => "ReservedFunctionInvocationRateLimitExceeded",
            Throttle::Scaling => "FunctionInvocationRateLimitExceeded",
        }
    }
}

/// Requests counted per second of virtual time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateWindow {
    second: u64,
    count: u64,
}

impl Default for RateWindow {
    fn default() -> Self {
        Self {
            second: u64::MAX,
            count: 0,
        }
    }
}

impl RateWindow {
    /// Counts one request at `now`; false when it is over `per_second` in its second.
    pub fn admit(&mut self, now: Micros, per_second: u64) -> bool {
        let sec = now / SEC;
        if self.second != sec {
            self.second = sec;
            self.count = 0;
        }
        self.count += 1;
        self.count <= per_second
    }
}

/// A function's credit for new environments: 1,000 per 10 s, refilled continuously
/// (docs/lambda-behaviour.md §4.6), so a new environment costs 10 ms of credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleCredit {
    credit_us: Micros,
    last_us: Micros,
}

/// The most credit a function holds: 10 s, that is 1,000 environments at once.
const SCALE_CAP: Micros = 10 * SEC;
/// The credit one new environment costs.
const SCALE_COST: Micros = 10_000;

impl ScaleCredit {
    /// Full credit at `now` (a new function may start 1,000 environments at once).
    pub fn full(now: Micros) -> Self {
        Self {
            credit_us: SCALE_CAP,
            last_us: now,
        }
    }

    /// Takes the credit for one new environment at `now`; false when there is not enough.
    pub fn take(&mut self, now: Micros) -> bool {
        self.credit_us = (self.credit_us + (now - self.last_us)).min(SCALE_CAP);
        self.last_us = now;
        if self.credit_us < SCALE_COST {
            return false;
        }
        self.credit_us -= SCALE_COST;
        true
    }
}

/// The account's concurrency: what functions have reserved, what runs now (all of it, and the
/// part in the unreserved pool), and the account-wide request rate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountConcurrency {
    total_reserved: u32,
    unreserved_busy: u32,
    total_busy: u32,
    rate: RateWindow,
}

impl AccountConcurrency {
    /// Whether a request to a function with `reserved` concurrency (and `function_busy` of it
    /// in use) may start at `now`, under the account's `limit`. The concurrency checks come
    /// first; a request they let through counts against the account's rate, then against the
    /// function's own (`function_rate`, when it has reserved concurrency).
    pub fn admit(
        &mut self,
        now: Micros,
        limit: u32,
        reserved: Option<u32>,
        function_busy: u32,
        function_rate: &mut RateWindow,
    ) -> Result<(), Throttle> {
        match reserved {
            Some(r) if function_busy >= r => return Err(Throttle::ReservedConcurrency),
            None if self.unreserved_busy >= limit.saturating_sub(self.total_reserved) => {
                return Err(Throttle::AccountConcurrency)
            }
            _ => {}
        }
        if !self.rate.admit(now, 10 * limit as u64) {
            return Err(Throttle::CallerRate);
        }
        if let Some(r) = reserved {
            if !function_rate.admit(now, 10 * r as u64) {
                return Err(Throttle::ReservedRate);
            }
        }
        Ok(())
    }

    /// An invocation started (`reserved`: its function has reserved concurrency).
    pub fn started(&mut self, reserved: bool) {
        if !reserved {
            self.unreserved_busy += 1;
        }
        self.total_busy += 1;
    }

    /// An invocation finished.
    pub fn finished(&mut self, reserved: bool) {
        if !reserved {
            self.unreserved_busy -= 1;
        }
        self.total_busy -= 1;
    }

    /// Concurrency in use now: (all functions, the unreserved pool).
    pub fn busy(&self) -> (u32, u32) {
        (self.total_busy, self.unreserved_busy)
    }

    /// `PutFunctionConcurrency` for a function whose reservation goes from `old` to `new` while
    /// `function_busy` of its invocations run: refused when the unreserved pool would fall below
    /// its floor (§4.4); the running invocations move between the pool and the reservation.
    pub fn reserve(
        &mut self,
        limit: u32,
        old: Option<u32>,
        new: Option<u32>,
        function_busy: u32,
    ) -> Result<(), ApiError> {
        let others = self.total_reserved - old.unwrap_or(0);
        if let Some(r) = new {
            check_reserved(limit, others, r)?;
        }
        match (old.is_none(), new.is_none()) {
            (true, false) => self.unreserved_busy -= function_busy,
            (false, true) => self.unreserved_busy += function_busy,
            _ => {}
        }
        self.total_reserved = others + new.unwrap_or(0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unreserved_pool_is_the_limit_less_what_functions_reserved() {
        // docs/lambda-behaviour.md §4.2, §4.4: 1,000 in all, 300 reserved, 700 left to share
        let mut c = AccountConcurrency::default();
        let mut rate = RateWindow::default();
        c.reserve(1000, None, Some(300), 0).unwrap();
        for _ in 0..700 {
            assert_eq!(c.admit(0, 1000, None, 0, &mut rate), Ok(()));
            c.started(false);
        }
        assert_eq!(
            c.admit(0, 1000, None, 0, &mut rate),
            Err(Throttle::AccountConcurrency)
        );
        assert_eq!(c.busy(), (700, 700));
        c.finished(false);
        assert_eq!(c.admit(0, 1000, None, 0, &mut rate), Ok(()));
    }

    #[test]
    fn a_reservation_caps_its_function_and_keeps_100_unreserved() {
        // docs/lambda-behaviour.md §4.4
        let mut c = AccountConcurrency::default();
        let mut rate = RateWindow::default();
        assert_eq!(
            c.admit(0, 1000, Some(2), 2, &mut rate),
            Err(Throttle::ReservedConcurrency)
        );
        assert_eq!(c.admit(0, 1000, Some(2), 1, &mut rate), Ok(()));
        let e = c.reserve(1000, None, Some(901), 0).unwrap_err();
        assert!(e.message.contains("minimum value of [100]"), "{e}");
        c.reserve(1000, None, Some(900), 0).unwrap();
        // 5 running move from the pool to the reservation, and back when it is removed
        let mut c = AccountConcurrency::default();
        for _ in 0..5 {
            c.started(false);
        }
        c.reserve(1000, None, Some(10), 5).unwrap();
        assert_eq!(c.busy(), (5, 0));
        c.reserve(1000, Some(10), None, 5).unwrap();
        assert_eq!(c.busy(), (5, 5));
    }

    #[test]
    fn requests_over_ten_times_the_quota_in_one_second_are_throttled() {
        // docs/lambda-behaviour.md §4.3: the account at 10 × its quota, a reserved function at
        // 10 × its reservation; a new second starts a new count
        let mut c = AccountConcurrency::default();
        let mut rate = RateWindow::default();
        for _ in 0..100 {
            assert_eq!(c.admit(0, 10, None, 0, &mut rate), Ok(()));
        }
        assert_eq!(
            c.admit(SEC - 1, 10, None, 0, &mut rate),
            Err(Throttle::CallerRate)
        );
        assert_eq!(c.admit(SEC, 10, None, 0, &mut rate), Ok(()));
        let mut c = AccountConcurrency::default();
        for _ in 0..20 {
            assert_eq!(c.admit(0, 1000, Some(2), 0, &mut rate), Ok(()));
        }
        assert_eq!(
            c.admit(0, 1000, Some(2), 0, &mut rate),
            Err(Throttle::ReservedRate)
        );
        assert_eq!(
            Throttle::ReservedRate.code(),
            "ReservedFunctionInvocationRateLimitExceeded"
        );
    }

    #[test]
    fn new_environments_come_at_1000_per_10_seconds_refilled_continuously() {
        // docs/lambda-behaviour.md §4.6
        let mut s = ScaleCredit::full(0);
        for _ in 0..1000 {
            assert!(s.take(0));
        }
        assert!(!s.take(0), "the 1,001st at once waits for credit");
        assert!(!s.take(9_999), "10 ms of credit buys one environment");
        assert!(s.take(10_000));
        assert!(s.take(20 * SEC) && s.take(20 * SEC));
    }
}
