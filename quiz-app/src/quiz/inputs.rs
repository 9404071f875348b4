//! How a learner's action on an input becomes a new answer. Pure.

use course_model::{Answer, Question, QuestionKind};

use crate::state::QuestionState;

/// The learner's choices as authoring indices.
pub fn chosen(answer: &Option<Answer>) -> Vec<usize> {
    match answer {
        Some(Answer::Single(i)) => vec![*i],
        Some(Answer::Multiple(v)) => v.clone(),
        Some(Answer::TrueFalse(b)) => vec![usize::from(!*b)],
        _ => Vec::new(),
    }
}

/// The answer after the learner chose option `i` (authoring index; true/false: 0 is True).
pub fn toggled(kind: &QuestionKind, state: &QuestionState, i: usize) -> Answer {
    let chosen = chosen(&state.answer);
    match kind {
        QuestionKind::Multiple { .. } => {
            let mut next: Vec<usize> = chosen.iter().copied().filter(|&c| c != i).collect();
            if !chosen.contains(&i) {
                next.push(i);
            }
            next.sort_unstable();
            Answer::Multiple(next)
        }
        QuestionKind::TrueFalse { .. } => Answer::TrueFalse(i == 0),
        _ => Answer::Single(i),
    }
}

/// The order currently shown: the learner's, or the shuffled start.
pub fn current_order(answer: &Option<Answer>, start: &[usize], n: usize) -> Vec<usize> {
    match answer {
        Some(Answer::Ordering(v)) if v.len() == n => v.clone(),
        _ if start.len() == n => start.to_vec(),
        _ => (0..n).collect(),
    }
}

fn item_count(question: &Question) -> usize {
    match &question.kind {
        QuestionKind::Ordering { items, .. } => items.len(),
        _ => 0,
    }
}

/// The order after moving the item at position `from` to `to` (`start` is the shuffled start),
/// and the button to focus, as an id suffix (`item-3-up`): the same button on the moved item, or
/// its other button once it reached an end.
pub fn moved(
    question: &Question,
    state: &QuestionState,
    start: &[usize],
    from: usize,
    to: usize,
) -> (Answer, Option<String>) {
    let mut order = current_order(&state.answer, start, item_count(question));
    let n = order.len();
    if from >= n || to >= n {
        return (Answer::Ordering(order), None);
    }
    let item = order[from];
    order.swap(from, to);
    let up = to < from;
    let at_end = if up { to == 0 } else { to + 1 == n };
    let dir = if up != at_end { "up" } else { "down" };
    (Answer::Ordering(order), Some(format!("item-{item}-{dir}")))
}

/// The pairing now: for each left item, the chosen right-hand choice.
pub fn matched_now(kind: &QuestionKind, answer: &Option<Answer>) -> Vec<Option<usize>> {
    let n = match kind {
        QuestionKind::Matching { pairs, .. } => pairs.len(),
        _ => 0,
    };
    match answer {
        Some(Answer::Matching(v)) => (0..n).map(|i| v.get(i).copied().flatten()).collect(),
        _ => vec![None; n],
    }
}

/// The pairing after the learner chose `choice` for left item `row`.
pub fn matched(
    question: &Question,
    state: &QuestionState,
    row: usize,
    choice: Option<usize>,
) -> Answer {
    let mut next = matched_now(&question.kind, &state.answer);
    if let Some(slot) = next.get_mut(row) {
        *slot = choice;
    }
    Answer::Matching(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use course_model::parse_quiz;

    #[test]
    fn moving_an_item_to_an_end_moves_the_focus_to_its_other_button() {
        let src = "id = \"o\"\ntitle = \"T\"\n[[question]]\nid = \"o1\"\ntype = \"ordering\"\nprompt = \"P\"\nitems = [\"A\", \"B\", \"C\"]\n";
        let q = &parse_quiz("o.toml", src).unwrap().questions[0];
        let state = QuestionState::default();
        let (answer, focus) = moved(q, &state, &[2, 0, 1], 1, 0);
        assert_eq!(answer, Answer::Ordering(vec![0, 2, 1]));
        assert_eq!(focus.as_deref(), Some("item-0-down"), "reached the top");
        let (_, focus) = moved(q, &state, &[2, 0, 1], 0, 1);
        assert_eq!(focus.as_deref(), Some("item-2-down"));
    }
}
