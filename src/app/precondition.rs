//! `If-Match`: an update names the version it was made against, and is refused if the
//! resource has changed since.

use crate::error::{ApiError, ErrorCode};

/// A version as an entity tag: the number in quotes.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The `If-Match` precondition of an update, as the client sent it.
#[derive(Debug, Clone, Default)]
pub struct IfMatch(Option<String>);

impl IfMatch {
    pub fn new(header: Option<String>) -> Self {
        IfMatch(header)
    }

    /// 428 without the header; 412 unless it names the current version.
    pub fn check(&self, current_version: i32) -> Result<(), ApiError> {
        let Some(value) = &self.0 else {
            return Err(ApiError::new(
                ErrorCode::PreconditionRequired,
                "send the ETag from your last read as If-Match",
            ));
        };
        let current = etag(current_version);
        let matches = value
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t == current);
        if matches {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::PreconditionFailed,
                format!("the resource is now at version {current}; read it again"),
            ))
        }
    }

    /// The answer when the row changed between the check and the write.
    pub fn stale() -> ApiError {
        ApiError::stale()
    }
}
