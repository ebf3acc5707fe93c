//! Bounds and character rules for input: page numbers, control characters in what local
//! clients send, and NUL in what other servers send (PostgreSQL cannot store it).

use crate::error::{AppError, AppResult};
use serde_json::Value;

/// The highest page number any paged list, page or collection serves.
pub const MAX_PAGE: i64 = 10_000;

/// A 1-based page number from a query (`None`: the first page); `400` outside
/// `1..=MAX_PAGE`, so that no offset overflows and every backend answers alike.
pub fn page(page: Option<i64>) -> AppResult<i64> {
    match page {
        None => Ok(1),
        Some(p) if (1..=MAX_PAGE).contains(&p) => Ok(p),
        Some(_) => Err(AppError::Invalid(format!(
            "page is a number from 1 to {MAX_PAGE}"
        ))),
    }
}

/// Control characters other than tab, line feed and carriage return.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\t' | '\r')
}

/// Refuses text with control characters (NUL among them), which no field needs.
pub fn check_text(text: &str) -> AppResult<()> {
    if text.chars().any(is_forbidden_char) {
        return Err(AppError::Invalid(
            "text may not contain control characters (other than tab and line breaks)".into(),
        ));
    }
    Ok(())
}

/// [`check_text`] on every string (and key) of a JSON document.
pub fn check_json(value: &Value) -> AppResult<()> {
    match value {
        Value::String(s) => check_text(s),
        Value::Array(a) => a.iter().try_for_each(check_json),
        Value::Object(m) => m.iter().try_for_each(|(k, v)| {
            check_text(k)?;
            check_json(v)
        }),
        _ => Ok(()),
    }
}

/// Whether a percent-encoded path or query decodes to a control character (other than
/// tab and line breaks), C1 controls (`%C2%80`–`%C2%9F`) included.
pub fn uri_has_control(encoded: &str) -> bool {
    let b = encoded.as_bytes();
    let hex = |i: usize| -> Option<u8> {
        let s = std::str::from_utf8(b.get(i..i + 2)?).ok()?;
        u8::from_str_radix(s, 16).ok()
    };
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let Some(v) = hex(i + 1) {
                if (v < 0x20 && !matches!(v, b'\t' | b'\n' | b'\r')) || v == 0x7f {
                    return true;
                }
                if v == 0xc2
                    && b.get(i + 3) == Some(&b'%')
                    && hex(i + 4).is_some_and(|w| (0x80..0xa0).contains(&w))
                {
                    return true;
                }
                i += 3;
                continue;
            }
        }
        i += 1;
    }
    false
}

/// Removes NUL from every string (and key) of a JSON document received from another
/// server.
pub fn strip_nul(value: &mut Value) {
    match value {
        Value::String(s) if s.contains('\0') => s.retain(|c| c != '\0'),
        Value::Array(a) => a.iter_mut().for_each(strip_nul),
        Value::Object(m) => {
            if m.keys().any(|k| k.contains('\0')) {
                let old = std::mem::take(m);
                for (mut k, v) in old {
                    k.retain(|c| c != '\0');
                    m.insert(k, v);
                }
            }
            m.values_mut().for_each(strip_nul);
        }
        _ => {}
    }
}

/// [`strip_nul`] on `value`, parsed from `raw`, when `raw` may hold a NUL: JSON can only
/// carry one escaped (`\u0000`), so most documents are not walked at all.
pub fn strip_nul_parsed(raw: &[u8], value: &mut Value) {
    if raw.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        strip_nul(value);
    }
}

/// [`strip_nul`] on a typed document (an actor or object fetched from another server).
pub fn strip_nul_typed<T>(doc: T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let Ok(mut v) = serde_json::to_value(&doc) else {
        return doc;
    };
    let before = v.clone();
    strip_nul(&mut v);
    if v == before {
        return doc;
    }
    serde_json::from_value(v).unwrap_or(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_are_bounded() {
        assert_eq!(page(None).unwrap(), 1);
        assert_eq!(page(Some(MAX_PAGE)).unwrap(), MAX_PAGE);
        for p in [0, -1, MAX_PAGE + 1, i64::MAX, i64::MIN] {
            assert!(page(Some(p)).is_err(), "{p}");
        }
    }

    #[test]
    fn control_characters_are_found() {
        assert!(check_text("a\tb\nc\r").is_ok());
        assert!(check_text("a\0b").is_err());
        assert!(check_text("a\u{1b}b").is_err());
        assert!(check_text("a\u{85}b").is_err());
        assert!(check_json(&json!({"a": ["x", {"b": "y\u{0}"}]})).is_err());
        assert!(check_json(&json!({"a\u{0}": 1})).is_err());
        assert!(uri_has_control("/q/1?q=a%00b"));
        assert!(uri_has_control("/x%7F"));
        assert!(uri_has_control("/x%c2%85"));
        assert!(!uri_has_control("/x%C3%A9?q=a%20b%0A"));
        assert!(!uri_has_control("/x%zz%0"));
    }

    #[test]
    fn nul_is_stripped() {
        let raw = br#"{"name":"a\u0000b","x":[{"k\u0000":"\u0000"}]}"#;
        let mut v: Value = serde_json::from_slice(raw).unwrap();
        strip_nul_parsed(raw, &mut v);
        assert_eq!(v, json!({"name": "ab", "x": [{"k": ""}]}));
    }
}
