//! Stable content hashes: a saved answer is kept only while its question is unchanged.

use crate::quiz::Question;

/// 64-bit FNV-1a: simple, byte-order free, identical on every platform (the workspace's one copy,
/// in the `deterministic` crate, shared with lab-runtime).
pub use deterministic::fnv1a;

impl Question {
    /// A hash of everything the learner sees or is graded on: FNV-1a over the question's
    /// canonical serialised form (serde's compact JSON, fields in declaration order). The
    /// preprocessor computes it once, at build time, on the question as the player receives it
    /// (after Markdown rendering), and ships it in the placeholder; the player stores it with each
    /// answer, so when a question's content changes only that question's saved answer is reset.
    pub fn content_hash(&self) -> u64 {
        fnv1a(
            serde_json::to_string(self)
                .expect("a question is plain data")
                .as_bytes(),
        )
    }

    /// [`Question::content_hash`] as the page carries it: 16 hex digits (a string, so JSON tools
    /// that read numbers as doubles keep it exact).
    pub fn content_hash_hex(&self) -> String {
        format!("{:016x}", self.content_hash())
    }
}

#[cfg(test)]
mod tests {
    use super::fnv1a;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
