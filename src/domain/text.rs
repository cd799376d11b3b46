//! The rule every text a client sends follows, on both databases alike: no control characters
//! other than tab, CR and LF. (PostgreSQL cannot store NUL in text and SQLite would store it;
//! other control characters corrupt exports and logs.) The HTTP layer applies it to every
//! string of every JSON body and every query parameter, before any handler runs.

use super::FieldError;

/// The characters refused, as inclusive ranges: the control characters (Unicode category Cc)
/// but tab (U+0009), LF (U+000A) and CR (U+000D).
pub const REFUSED: [(u32, u32); 4] = [(0x00, 0x08), (0x0b, 0x0c), (0x0e, 0x1f), (0x7f, 0x9f)];

/// Whether a character may appear in text.
pub fn allowed(c: char) -> bool {
    !REFUSED
        .iter()
        .any(|(lo, hi)| (*lo..=*hi).contains(&(c as u32)))
}

/// The rule as a regular expression (ECMA-262, as OpenAPI and JSON Schema read it).
pub fn pattern() -> String {
    let ranges: String = REFUSED
        .iter()
        .map(|(lo, hi)| format!("\\x{lo:02X}-\\x{hi:02X}"))
        .collect();
    format!("^[^{ranges}]*$")
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
    fn the_refused_characters_are_the_control_characters_but_tab_cr_lf() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let control = c.is_control() && !matches!(c, '\t' | '\r' | '\n');
            assert_eq!(allowed(c), !control, "U+{:04X}", c as u32);
        }
        assert_eq!(pattern(), r"^[^\x00-\x08\x0B-\x0C\x0E-\x1F\x7F-\x9F]*$");
    }

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
