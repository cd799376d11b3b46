//! Field-level validation results shared by every request.

use serde::Serialize;

/// One thing wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON path of the field, e.g. `budget.fiscal`.
    pub field: String,
    /// Stable machine code, e.g. `required`, `invalid`, `too_long`.
    pub code: String,
    /// What is wrong, for a person.
    pub message: String,
    /// For a problem in an uploaded workbook: the sheet the field is on (`附件1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// For a problem in an uploaded workbook: the cell the field is in (`F14`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code: code.to_string(),
            message: message.into(),
            sheet: None,
            cell: None,
        }
    }

    /// The same error, located at a cell of a workbook.
    pub fn at(mut self, sheet: &str, cell: &str) -> Self {
        self.sheet = Some(sheet.to_string());
        self.cell = Some(cell.to_string());
        self
    }
}

/// Collects every violation of a request before answering, so a client can fix all at once.
#[derive(Debug, Default, Clone)]
pub struct Violations(pub Vec<FieldError>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// Records the error of a parse and returns its value, if any.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, "invalid", e.to_string());
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was violated.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self.0)
        }
    }
}

/// Checks a required, trimmed text of bounded length.
pub fn text(v: &mut Violations, field: &str, value: &str, max_chars: usize) -> Option<String> {
    let t = value.trim();
    if t.is_empty() {
        v.add(field, "required", "must not be empty");
        None
    } else if t.chars().count() > max_chars {
        v.add(
            field,
            "too_long",
            format!("must be at most {max_chars} characters"),
        );
        None
    } else if let Err(e) = super::text::check(field, t) {
        v.0.push(e);
        None
    } else {
        Some(t.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        for (input, ok) in [
            ("  办公室 ", Some("办公室")),
            ("", None),
            ("   ", None),
            ("a\u{0}b", None),
            ("a\u{7f}b", None),
            ("a\nb", Some("a\nb")),
            ("abcdef", None),
            ("abcde", Some("abcde")),
        ] {
            let mut v = Violations::new();
            assert_eq!(text(&mut v, "name", input, 5).as_deref(), ok, "{input:?}");
            assert_eq!(v.is_empty(), ok.is_some());
        }
    }
}
