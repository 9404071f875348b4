//! "Did you mean …?": the closest known word to a misspelt key or value.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Case, `-` and `_` are ignored first, so `pass-mark` finds `pass_mark` and `does_compile` finds
/// `doesCompile`; otherwise the edit distance must be at most a third of the word (at least 1,
/// and 0 for one-letter words, where any other letter would be a guess).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(word);
    let len = folded.chars().count();
    let limit = if len < 2 { 0 } else { (len / 3).max(1) };
    candidates
        .into_iter()
        .map(|c| {
            let d = if fold(c) == folded {
                0
            } else {
                edit_distance(&folded, &fold(c))
            };
            (d, c)
        })
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

fn fold(word: &str) -> String {
    word.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance in characters: insertions, deletions and substitutions each cost 1.
///
/// O(|a|·|b|) time, O(|b|) memory; keys are short.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("promt", "prompt"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn closest_finds_typos_and_spelling_variants_but_not_unrelated_words() {
        let keys = ["id", "prompt", "explanation", "pass_mark", "doesCompile"];
        assert_eq!(closest("promt", keys), Some("prompt"));
        assert_eq!(closest("explenation", keys), Some("explanation"));
        assert_eq!(closest("pass-mark", keys), Some("pass_mark"));
        assert_eq!(closest("does_compile", keys), Some("doesCompile"));
        assert_eq!(closest("colour", keys), None);
    }
}
