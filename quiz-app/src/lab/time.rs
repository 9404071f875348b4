//! Time: "Run" advances the virtual clock on its own at a chosen speed (simulated seconds per
//! real second) until "Pause"; the buttons that advance it by hand.

use course_model::lab::Step;

/// How often "Run" advances the clock, in milliseconds.
pub const TICK_MS: f64 = 250.0;

/// The speeds "Run" offers: simulated seconds per real second, and their labels.
pub const SPEEDS: [(u32, &str); 4] = [
    (1, "1× (real time)"),
    (10, "10×"),
    (60, "1 min per second"),
    (600, "10 min per second"),
];

/// The speed chosen at first.
pub const FIRST_SPEED: u32 = 10;

/// The buttons that advance the clock by hand: class, label and step.
pub fn buttons() -> [(&'static str, &'static str, Step); 4] {
    [
        ("lab-advance-1s", "+1 s", Step::Advance { seconds: 1.0 }),
        ("lab-advance-1m", "+1 min", Step::Advance { seconds: 60.0 }),
        (
            "lab-advance-10m",
            "+10 min",
            Step::Advance { seconds: 600.0 },
        ),
        (
            "lab-advance-next",
            "To next event",
            Step::AdvanceToNextEvent,
        ),
    ]
}
