//! Deterministic, seeded shuffles: the same learner seed gives the same order on every reload and
//! on every platform (native tests and wasm32 alike), so nothing here uses `usize` arithmetic for
//! randomness or any platform RNG.

use crate::hash::fnv1a;
use crate::quiz::{QuestionKind, Quiz};

// SplitMix64 (the workspace's one copy, shared with lab-runtime): tiny, fast, and good enough to
// shuffle a handful of options; `below` is Lemire's multiply-shift.
use deterministic::SplitMix64;

/// A permutation of `0..n` determined by `seed` and `salt` (Fisher–Yates, O(n)).
///
/// The salt (a quiz or question id) makes each list shuffle independently, so editing one
/// question does not reshuffle the others.
pub fn shuffled_order(seed: u64, salt: &str, n: usize) -> Vec<usize> {
    let mut rng = SplitMix64::new(seed ^ fnv1a(salt.as_bytes()));
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

/// The questions to ask, as indices into `quiz.questions`, in the order to ask them.
///
/// With `draw = N`, N questions are drawn from the pool per learner; they keep authoring order
/// unless `shuffle_questions` is set. Without `draw`, every question is asked. When questions
/// carry a `pool`, the draw is stratified: it takes one question from each pool in turn (pools
/// in a seeded order, each pool's questions shuffled), so an attempt of at least as many
/// questions as there are pools covers every pool. Questions without a pool form one more pool.
pub fn draw(seed: u64, quiz: &Quiz) -> Vec<usize> {
    let n = quiz.questions.len();
    let take = quiz.draw.map_or(n, |d| d.min(n));
    if take == n && !quiz.shuffle_questions {
        return (0..n).collect();
    }
    let mut picked = if quiz.questions.iter().any(|q| q.pool.is_some()) {
        stratified(seed, quiz, take)
    } else {
        let mut all = shuffled_order(seed, &format!("draw:{}", quiz.id), n);
        all.truncate(take);
        all
    };
    if quiz.shuffle_questions {
        // Reorder the drawn set by its own salt so the pick and the order are independent.
        let order = shuffled_order(seed, &format!("order:{}", quiz.id), take);
        order.into_iter().map(|i| picked[i]).collect()
    } else {
        picked.sort_unstable();
        picked
    }
}

/// `take` question indices, taken round-robin from the quiz's pools (see [`draw`]).
fn stratified(seed: u64, quiz: &Quiz, take: usize) -> Vec<usize> {
    let mut names: Vec<Option<&str>> = Vec::new();
    for q in &quiz.questions {
        if !names.contains(&q.pool.as_deref()) {
            names.push(q.pool.as_deref());
        }
    }
    let pools: Vec<Vec<usize>> = names
        .iter()
        .map(|name| {
            let members: Vec<usize> = (0..quiz.questions.len())
                .filter(|&i| quiz.questions[i].pool.as_deref() == *name)
                .collect();
            let salt = format!("draw:{}:{}", quiz.id, name.unwrap_or(""));
            shuffled_order(seed, &salt, members.len())
                .into_iter()
                .map(|k| members[k])
                .collect()
        })
        .collect();
    let turn = shuffled_order(seed, &format!("pools:{}", quiz.id), pools.len());
    let mut picked = Vec::with_capacity(take);
    let mut round = 0;
    while picked.len() < take {
        for &p in &turn {
            if let Some(&i) = pools[p].get(round) {
                if picked.len() < take {
                    picked.push(i);
                }
            }
        }
        round += 1;
    }
    picked
}

/// The display order of question `index`'s options (single, multiple), items (ordering) or
/// right-hand choices (matching), as authoring indices.
///
/// Choice questions follow the question's `shuffle_options`, else the quiz's. Ordering items and
/// matching choices are always shuffled (that is the exercise), and never shown already solved.
/// True/false, short and numeric questions have nothing to order: the result is empty.
pub fn display_order(seed: u64, quiz: &Quiz, index: usize) -> Vec<usize> {
    let Some(q) = quiz.questions.get(index) else {
        return Vec::new();
    };
    let salt = format!("options:{}:{}", quiz.id, q.id);
    match &q.kind {
        QuestionKind::Single { options } | QuestionKind::Multiple { options, .. } => {
            if q.shuffle_options.unwrap_or(quiz.shuffle_options) {
                shuffled_order(seed, &salt, options.len())
            } else {
                (0..options.len()).collect()
            }
        }
        QuestionKind::Ordering { items, .. } => {
            never_identity(shuffled_order(seed, &salt, items.len()))
        }
        QuestionKind::Matching { .. } => {
            // Only the first `pairs.len()` choices line up with the left items; rotating the
            // whole list is enough to break that alignment.
            never_identity(shuffled_order(seed, &salt, q.kind.matching_choices().len()))
        }
        QuestionKind::TrueFalse { .. }
        | QuestionKind::Short { .. }
        | QuestionKind::Numeric { .. } => Vec::new(),
    }
}

/// Rotates an order that happens to be the identity by one place.
fn never_identity(mut order: Vec<usize>) -> Vec<usize> {
    if order.len() > 1 && order.iter().enumerate().all(|(i, &x)| i == x) {
        order.rotate_left(1);
    }
    order
}
