//! The limits a script runs under: operations, sizes of strings, arrays and maps, bytes built,
//! call depth and expression nesting. The engine holds them; the interpreter, the operators and
//! the built-ins check them.

use super::parser::DepthLimits;

/// The limits a script runs under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Operations per run or call (past it:
    /// [`ErrorKind::TooManyOperations`](crate::error::ErrorKind::TooManyOperations)).
    pub max_operations: u64,
    /// Longest string, in bytes.
    pub max_string_size: usize,
    /// Most elements of one array.
    pub max_array_size: usize,
    /// Most properties of one map.
    pub max_map_size: usize,
    /// Deepest nesting of function calls.
    pub max_call_levels: usize,
    /// Deepest nesting of expressions in the source.
    pub depths: DepthLimits,
    /// Bytes of strings one run or call may build in all (concatenation, interpolation, text and
    /// JSON forms, `replace`, `pad`...): bounds the memory a script takes whatever its operation
    /// count, since one operation can copy a string of `max_string_size` bytes.
    pub max_built_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_operations: 2_000_000,
            max_string_size: 1_000_000,
            max_array_size: 100_000,
            max_map_size: 100_000,
            max_call_levels: 64,
            depths: DepthLimits::default(),
            max_built_bytes: 64 * 1024 * 1024,
        }
    }
}
