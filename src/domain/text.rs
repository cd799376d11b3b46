//! The rule every text a client sends follows, on both databases alike: no control characters
//! other than tab, CR and LF. (PostgreSQL cannot store NUL in text and SQLite would store it;
//! other control characters corrupt exports and logs.) The HTTP layer applies it to every
//! string of every JSON body and every query parameter, before any handler runs.

use super::FieldError;

/// Whether a character may appear in text: anything but a control character, except tab, CR
/// and LF.
pub fn allowed(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\r' | '\n')
}

/// Checks one text value; the error names the field and the first character refused.
pub fn check(field: &str, value: &str) -> Result<(), FieldError> {
    match value.chars().find(|c| !allowed(*c)) {
        None => Ok(()),
        Some(c) => Err(FieldError::new(
            field,
            "control_character",
            format!(
                "must not contain control characters other than tab, CR and LF (found U+{:04X})",
                c as u32
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_other_than_tab_cr_lf_are_refused() {
        for (input, ok) in [
            ("组织部", true),
            ("line one\r\nline two\tcolumn", true),
            ("", true),
            ("emoji 🎉 and ＦＵＬＬ width", true),
            ("a\u{0}b", false),
            ("\u{1}", false),
            ("bell\u{7}", false),
            ("esc\u{1b}[31m", false),
            ("del\u{7f}", false),
            ("c1\u{85}", false),
            ("c1\u{9f}", false),
            ("form\u{c}feed", false),
        ] {
            assert_eq!(check("f", input).is_ok(), ok, "{input:?}");
        }
        let e = check("annual_goal", "x\u{0}").unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("annual_goal", "control_character")
        );
        assert!(e.message.contains("U+0000"));
    }
}
