//! A JSON body as a whole, before it is read into its request type: exactly one JSON value,
//! and every string in it (object keys included) following the text rule of
//! [`crate::domain::text`], so no field of any request can miss the rule.

use serde_json::Value;

use crate::domain::{text, FieldError};
use crate::error::{ApiError, ErrorCode};

/// 400 `malformed_json` unless the body is one JSON value (whitespace may follow); 422 naming
/// every string that holds a refused character.
pub fn check(body: &[u8]) -> Result<(), ApiError> {
    let malformed = |e: serde_json::Error| {
        ApiError::new(ErrorCode::MalformedJson, format!("malformed JSON: {e}"))
    };
    if !may_hold_control_characters(body) {
        serde_json::from_slice::<serde::de::IgnoredAny>(body).map_err(malformed)?;
        return Ok(());
    }
    let doc: Value = serde_json::from_slice(body).map_err(malformed)?;
    let mut errors = vec![];
    check_strings(&doc, "", &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// Whether a JSON text can hold a control character in a string: raw ones below U+0020 are
/// malformed JSON already, so only escapes, DEL and the C1 range (U+0080–U+009F) can.
fn may_hold_control_characters(body: &[u8]) -> bool {
    body.contains(&0x7f)
        || body
            .windows(2)
            .any(|w| matches!(w, [b'\\', b'u' | b'b' | b'f'] | [0xc2, 0x80..=0x9f]))
}

/// Applies the text rule to every string and object key, naming each by its JSON path
/// (`indicator_values[0].note`).
fn check_strings(v: &serde_json::Value, path: &str, errors: &mut Vec<FieldError>) {
    let here = |p: &str| {
        if p.is_empty() {
            "body".to_string()
        } else {
            p.to_string()
        }
    };
    match v {
        Value::String(s) => errors.extend(text::check(&here(path), s).err()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_strings(item, &format!("{}[{i}]", here(path)), errors);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let p = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if let Err(e) = text::check(&p, key) {
                    errors.push(e);
                    continue;
                }
                check_strings(item, &p, errors);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(body: &str) -> Vec<String> {
        match check(body.as_bytes()) {
            Ok(()) => vec![],
            Err(ApiError::Client { errors, .. }) => errors.into_iter().map(|e| e.field).collect(),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn every_string_at_any_depth_is_checked_and_named() {
        for (body, expected) in [
            (r#"{"name":"ok","notes":["a\tb","c\r\nd"]}"#, vec![]),
            (r#"{"name":"a\u0000"}"#, vec!["name"]),
            (
                r#"{"a":{"b":[{"c":"x"},{"c":"\u001b"}]}}"#,
                vec!["a.b[1].c"],
            ),
            ("{\"k\":\"del\u{7f}\",\"j\":\"c1\u{85}\"}", vec!["j", "k"]),
            (r#"{"bad\u0007key":1}"#, vec!["bad\u{7}key"]),
            (r#""\b""#, vec!["body"]),
            (r#"["\f"]"#, vec!["body[0]"]),
            (r#"{"escaped backslash":"\\u0000 is text"}"#, vec![]),
        ] {
            assert_eq!(fields(body), expected, "{body}");
        }
    }

    #[test]
    fn one_json_value_per_body() {
        for body in ["{} x", "{}{}", "[1] [2]", r#"{"a":"\u0000"} x"#] {
            match check(body.as_bytes()) {
                Err(e) => assert_eq!(e.code(), ErrorCode::MalformedJson, "{body}"),
                Ok(()) => panic!("accepted {body}"),
            }
        }
        assert!(check(b"{} \r\n").is_ok());
    }
}
