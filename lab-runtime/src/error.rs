//! API errors as Lambda returns them: an error code, an HTTP status and the real message.

use serde::{Deserialize, Serialize};

/// An error returned by a simulated AWS API call (control plane or invoke).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// The exception name, e.g. `TooManyRequestsException`.
    pub code: String,
    /// The HTTP status code.
    pub status: u16,
    /// The message text exactly as AWS writes it.
    pub message: String,
    /// The throttle `Reason` (only for `TooManyRequestsException`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The `Retry-After` header of a throttle, in seconds (docs/lambda-behaviour.md §4.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u32>,
}

impl ApiError {
    /// An error with no throttle reason.
    pub fn new(code: &str, status: u16, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            status,
            message: message.into(),
            reason: None,
            retry_after_s: None,
        }
    }

    /// `ValidationException` in the AWS wording for a numeric range constraint.
    pub fn range(field: &str, value: i64, min: i64, max: i64) -> Self {
        let constraint = if value < min {
            format!("greater than or equal to {min}")
        } else {
            format!("less than or equal to {max}")
        };
        Self::new(
            "ValidationException",
            400,
            format!(
                "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must have value {constraint}"
            ),
        )
    }

    /// `InvalidParameterValueException` with the given message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterValueException", 400, message)
    }

    /// `ResourceNotFoundException` for a missing function.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            "ResourceNotFoundException",
            404,
            format!("Function not found: {what}"),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
