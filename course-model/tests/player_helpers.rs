//! The pure helpers the player relies on: seeded shuffles, pool draws, content hashes, scores.

use std::collections::{BTreeSet, HashMap};

use course_model::{display_order, draw, parse_quiz, shuffled_order, Quiz};

/// A quiz with `n` single-choice questions `q0`…, plus the given quiz keys.
fn quiz(n: usize, keys: &str) -> Quiz {
    let mut src = format!("id = \"pool\"\ntitle = \"Pool\"\n{keys}\n");
    for i in 0..n {
        src += &format!(
            "[[question]]\nid = \"q{i}\"\ntype = \"single\"\nprompt = \"P{i}\"\nexplanation = \"E\"\n\
             [[question.option]]\ntext = \"a\"\ncorrect = true\nwhy = \"w\"\n\
             [[question.option]]\ntext = \"b\"\nwhy = \"w\"\n\
             [[question.option]]\ntext = \"c\"\nwhy = \"w\"\n"
        );
    }
    parse_quiz("pool.toml", &src).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn is_permutation(order: &[usize], n: usize) -> bool {
    let set: BTreeSet<usize> = order.iter().copied().collect();
    order.len() == n && set == (0..n).collect()
}

#[test]
fn shuffled_order_is_a_permutation_and_the_same_for_the_same_seed_and_salt() {
    for n in [0, 1, 2, 5, 17] {
        let a = shuffled_order(7, "salt", n);
        assert!(is_permutation(&a, n), "{a:?}");
        assert_eq!(a, shuffled_order(7, "salt", n));
    }
}

#[test]
fn shuffled_order_is_pinned_so_saved_orders_survive_upgrades_and_platforms() {
    // Golden values: if these change, every learner's option order changes on reload.
    // They were computed by an independent implementation (SplitMix64 seeded with
    // `seed ^ fnv1a(salt)`, Fisher-Yates from the end, multiply-shift bounds).
    assert_eq!(shuffled_order(42, "quiz", 5), [4, 3, 1, 0, 2]);
    assert_eq!(shuffled_order(0, "", 4), [1, 2, 0, 3]);
    assert_eq!(
        shuffled_order(u64::MAX, "ch02-invocation", 6),
        [2, 5, 0, 1, 3, 4]
    );
}

#[test]
fn shuffled_order_depends_on_the_salt() {
    let by_salt: BTreeSet<Vec<usize>> = (0..20)
        .map(|i| shuffled_order(1, &format!("q{i}"), 6))
        .collect();
    assert!(
        by_salt.len() > 10,
        "salts should give different orders: {by_salt:?}"
    );
}

#[test]
fn shuffled_order_is_close_to_uniform() {
    let mut counts: HashMap<Vec<usize>, usize> = HashMap::new();
    for seed in 0..6000 {
        *counts
            .entry(shuffled_order(seed, "uniform", 3))
            .or_default() += 1;
    }
    assert_eq!(counts.len(), 6);
    for (order, count) in counts {
        assert!(
            (850..=1150).contains(&count),
            "{order:?} drawn {count} times of 6000"
        );
    }
}

#[test]
fn without_draw_every_question_is_asked_in_authoring_order() {
    assert_eq!(draw(3, &quiz(4, "")), [0, 1, 2, 3]);
}

#[test]
fn shuffle_questions_without_draw_asks_every_question_in_a_seeded_order() {
    let q = quiz(6, "shuffle_questions = true");
    let orders: BTreeSet<Vec<usize>> = (0..10).map(|seed| draw(seed, &q)).collect();
    assert!(orders.iter().all(|o| is_permutation(o, 6)));
    assert!(orders.len() > 5, "{orders:?}");
    assert_eq!(draw(4, &q), draw(4, &q));
}

#[test]
fn draw_picks_n_distinct_questions_per_seed_in_authoring_order() {
    let q = quiz(6, "draw = 2");
    let mut seen = BTreeSet::new();
    for seed in 0..50 {
        let picked = draw(seed, &q);
        assert_eq!(picked.len(), 2);
        assert!(picked[0] < picked[1] && picked[1] < 6, "{picked:?}");
        assert_eq!(picked, draw(seed, &q), "stable across reloads");
        seen.extend(picked);
    }
    assert_eq!(
        seen.len(),
        6,
        "every question of the pool gets drawn for some learner"
    );
}

#[test]
fn draw_with_shuffle_questions_also_shuffles_the_drawn_set() {
    let q = quiz(6, "draw = 3\nshuffle_questions = true");
    let unsorted = (0..50)
        .map(|seed| draw(seed, &q))
        .filter(|p| !p.windows(2).all(|w| w[0] < w[1]))
        .count();
    assert!(unsorted > 10, "{unsorted}");
}

#[test]
fn options_are_shuffled_per_learner_unless_turned_off() {
    let on = quiz(1, "");
    let orders: BTreeSet<Vec<usize>> = (0..30).map(|seed| display_order(seed, &on, 0)).collect();
    assert!(
        orders.len() > 3 && orders.iter().all(|o| is_permutation(o, 3)),
        "{orders:?}"
    );
    let off = quiz(1, "shuffle_options = false");
    assert!((0..30).all(|seed| display_order(seed, &off, 0) == [0, 1, 2]));
}

#[test]
fn ordering_items_are_never_shown_already_in_order() {
    let src = "id = \"o\"\ntitle = \"T\"\n[[question]]\nid = \"o1\"\ntype = \"ordering\"\nprompt = \"P\"\n\
               explanation = \"E\"\nitems = [\"Init\", \"Invoke\"]\n";
    let q = parse_quiz("o.toml", src).unwrap();
    assert!((0..100).all(|seed| display_order(seed, &q, 0) == [1, 0]));
}

#[test]
fn content_hash_is_pinned_and_changes_only_with_the_question_itself() {
    let a = quiz(2, "");
    // Golden value: if this changes, every learner's saved answers reset. (Changed once, before
    // release, when question kinds became externally tagged in JSON to shrink the browser bundle.)
    assert_eq!(a.questions[0].content_hash(), 125_601_682_636_513_253);
    let mut b = a.clone();
    b.questions[1].prompt.push_str(" (edited)");
    assert_eq!(
        a.questions[0].content_hash(),
        b.questions[0].content_hash(),
        "other questions keep their hash"
    );
    assert_ne!(a.questions[1].content_hash(), b.questions[1].content_hash());
    let mut c = a.clone();
    if let course_model::QuestionKind::Single { options } = &mut c.questions[0].kind {
        options[2].why = Some("changed".into());
    }
    assert_ne!(
        a.questions[0].content_hash(),
        c.questions[0].content_hash(),
        "explanations count too"
    );
}

#[test]
fn quiz_score_sums_question_scores_and_compares_with_the_pass_mark() {
    let q = quiz(1, "pass_mark = 70");
    let s = q.score(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0]);
    assert_eq!(
        (s.points, s.out_of, s.percent, s.passed),
        (7.0, 10, 70.0, true)
    );
    let s = q.score(&[1.0, 1.0, 0.5, 0.0]);
    assert_eq!((s.percent, s.passed), (62.5, false));
    let s = q.score(&[]);
    assert_eq!((s.percent, s.passed), (0.0, false));
    assert_eq!(quiz(1, "").pass_mark, 70, "default pass mark");
}

/// `n` questions in pools `p0`, `p1`, … given by `pool_of(i)`.
fn pooled(n: usize, keys: &str, pool_of: impl Fn(usize) -> usize) -> Quiz {
    let mut src = format!("id = \"pooled\"\ntitle = \"Pooled\"\n{keys}\n");
    for i in 0..n {
        src += &format!(
            "[[question]]\nid = \"q{i}\"\ntype = \"true-false\"\nprompt = \"P{i}\"\nexplanation = \"E\"\npool = \"p{}\"\nanswer = true\n",
            pool_of(i)
        );
    }
    parse_quiz("pooled.toml", &src).unwrap_or_else(|e| panic!("{e:#?}"))
}

#[test]
fn a_pooled_draw_covers_every_pool_in_every_attempt() {
    // Six pools of very different sizes (the final assessment's shape): 2, 3, 5, 8, 4, 3.
    let sizes = [2, 3, 5, 8, 4, 3];
    let pool_of = |i: usize| {
        let mut left = i;
        sizes
            .iter()
            .position(|&s| {
                let here = left < s;
                left = left.saturating_sub(s);
                here
            })
            .unwrap()
    };
    let q = pooled(25, "draw = 8\nshuffle_questions = true", pool_of);
    let mut seen = BTreeSet::new();
    for seed in 0..2000 {
        let picked = draw(seed, &q);
        assert_eq!(picked.len(), 8);
        assert_eq!(picked.iter().collect::<BTreeSet<_>>().len(), 8, "distinct");
        let pools: BTreeSet<usize> = picked.iter().map(|&i| pool_of(i)).collect();
        assert_eq!(pools.len(), 6, "seed {seed}: {picked:?} misses a pool");
        assert_eq!(picked, draw(seed, &q), "stable across reloads");
        seen.extend(picked);
    }
    assert_eq!(seen.len(), 25, "every question is drawn for some learner");
}

#[test]
fn a_pooled_draw_larger_than_the_small_pools_takes_the_rest_from_the_larger() {
    // Pools of 1 and 5, draw 4: the small pool's only question, and 3 of the other.
    let q = pooled(6, "draw = 4", |i| usize::from(i > 0));
    for seed in 0..100 {
        let picked = draw(seed, &q);
        assert_eq!(picked.len(), 4);
        assert_eq!(
            picked[0], 0,
            "{picked:?}: authoring order, the lone pool included"
        );
    }
}
