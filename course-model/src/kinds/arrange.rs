//! `ordering` and `matching`: items the learner arranges, each of which must be distinct.

use std::collections::HashMap;

use toml::Spanned;

use super::{duplicates, non_empty, partial, quote, same_text};
use crate::quiz::{Pair, QuestionKind};
use crate::reader::{Ctx, Table};

pub(super) fn read_ordering(cx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Option<QuestionKind> {
    let partial_credit = partial(cx, t);
    let items = t.str_array(cx, "items", true)?;
    let count = t
        .entry("items")
        .and_then(|(_, v)| v.get_ref().as_array().map(|a| a.len()))
        .unwrap_or(0);
    if count < 2 {
        cx.error(
            &t.span,
            format!("an `ordering` question needs at least two items, found {count}"),
            "list the items in the correct order: `items = [\"first\", \"second\", ...]`",
        );
    }
    for item in &items {
        non_empty(cx, item, "an item", "remove it, or write the item");
    }
    let keys: Vec<String> = items.iter().map(|i| same_text(i.get_ref())).collect();
    for (later, first) in duplicates(&keys) {
        let line = cx.line_of(&items[first].span());
        cx.error(
            &items[later].span(),
            format!(
                "item `{}` appears twice in `items`",
                quote(items[later].get_ref())
            ),
            format!(
                "first at line {line}; every item must be distinct so the order is unambiguous"
            ),
        );
    }
    Some(QuestionKind::Ordering {
        items: items.into_iter().map(Spanned::into_inner).collect(),
        partial_credit,
    })
}

pub(super) fn read_matching(cx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Option<QuestionKind> {
    let partial_credit = partial(cx, t);
    let mut pairs: Vec<(Spanned<String>, Spanned<String>)> = Vec::new();
    let tables = t.tables(cx, "pair");
    for (map, span) in tables.iter().cloned() {
        let p = Table {
            map,
            span,
            what: "a pair".into(),
        };
        p.check_keys(cx, &["left", "right"], &|_| None);
        let (left, right) = (p.str(cx, "left", true), p.str(cx, "right", true));
        if let (Some(l), Some(r)) = (left, right) {
            non_empty(cx, &l, "`left`", "write the item to match");
            non_empty(cx, &r, "`right`", "write its partner");
            pairs.push((l, r));
        }
    }
    let distractors = t.str_array(cx, "distractors", false).unwrap_or_default();
    if tables.len() < 2 {
        cx.error(
            &t.span,
            format!(
                "a `matching` question needs at least two pairs, found {}",
                tables.len()
            ),
            "add `[[question.pair]]` sections, each with `left` and `right`",
        );
    }
    let lefts: Vec<String> = pairs.iter().map(|(l, _)| same_text(l.get_ref())).collect();
    for (later, first) in duplicates(&lefts) {
        let line = cx.line_of(&pairs[first].0.span());
        cx.error(
            &pairs[later].0.span(),
            format!(
                "left item `{}` appears twice",
                quote(pairs[later].0.get_ref())
            ),
            format!("first at line {line}; each left item must be distinct"),
        );
    }
    let rights: Vec<String> = pairs.iter().map(|(_, r)| same_text(r.get_ref())).collect();
    for (later, first) in duplicates(&rights) {
        let line = cx.line_of(&pairs[first].1.span());
        cx.error(
            &pairs[later].1.span(),
            format!("right item `{}` appears twice", quote(pairs[later].1.get_ref())),
            format!("first at line {line}; every right item must be distinct so each left item has one partner"),
        );
    }
    let extra: Vec<String> = distractors.iter().map(|d| same_text(d.get_ref())).collect();
    for (later, first) in duplicates(&extra) {
        let line = cx.line_of(&distractors[first].span());
        cx.error(
            &distractors[later].span(),
            format!(
                "distractor `{}` appears twice",
                quote(distractors[later].get_ref())
            ),
            format!("first at line {line}; remove one of them"),
        );
    }
    let right_at: HashMap<&str, usize> = rights
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    for (d, key) in distractors.iter().zip(&extra) {
        if let Some(&i) = right_at.get(key.as_str()) {
            let line = cx.line_of(&pairs[i].1.span());
            cx.error(
                &d.span(),
                format!("distractor `{}` is also the right item of a pair", quote(d.get_ref())),
                format!("the pair is at line {line}; remove it from `distractors`: an item cannot both match and match nothing"),
            );
        }
    }
    Some(QuestionKind::Matching {
        pairs: pairs
            .into_iter()
            .map(|(l, r)| Pair {
                left: l.into_inner(),
                right: r.into_inner(),
            })
            .collect(),
        distractors: distractors.into_iter().map(Spanned::into_inner).collect(),
        partial_credit,
    })
}
