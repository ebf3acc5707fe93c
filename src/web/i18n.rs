//! Translations: Fluent catalogues in `locales/<lang>/*.ftl`, compiled into the binary,
//! and the choice of language from `Accept-Language` (English when nothing matches).

use axum::http::{header, HeaderMap};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en-US",
        // No Unicode isolation marks around arguments: they would end up in attributes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages pages are offered in, English first (the fallback).
pub const LANGUAGES: &[(&str, &str)] = &[("en", "en-US"), ("de", "de")];

/// The language of one response.
#[derive(Clone, Debug)]
pub struct Tr {
    lang: LanguageIdentifier,
    code: &'static str,
}

impl Tr {
    /// A language by its primary subtag (`en`, `de`); English when not offered.
    pub fn new(code: &str) -> Tr {
        let (code, tag) = LANGUAGES
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .copied()
            .unwrap_or(LANGUAGES[0]);
        Tr {
            lang: tag.parse().expect("valid language tag"),
            code,
        }
    }

    /// The best offered language for an `Accept-Language` header (quality values
    /// respected, English when none matches).
    pub fn from_headers(headers: &HeaderMap) -> Tr {
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Tr::new(negotiate(accept))
    }

    /// The `lang` attribute of the page.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message `key` (the key itself when a catalogue lacks it).
    pub fn t(&self, key: &str) -> String {
        LOCALES
            .try_lookup(&self.lang, key)
            .unwrap_or_else(|| key.to_string())
    }

    /// The message `key` with arguments.
    pub fn args(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES
            .try_lookup_with_args(&self.lang, key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    /// The message `key` with a number `$n` (for plurals).
    pub fn n(&self, key: &str, n: i64) -> String {
        self.args(key, &[("n", FluentValue::from(n))])
    }

    /// The message `key` with one text argument `$value`.
    pub fn s(&self, key: &str, value: &str) -> String {
        self.args(key, &[("value", FluentValue::from(value.to_string()))])
    }
}

/// The primary subtag of the most preferred offered language in an `Accept-Language`
/// value, or `en`.
pub fn negotiate(accept: &str) -> &'static str {
    let mut best: Option<(f32, usize, &'static str)> = None;
    for (pos, part) in accept.split(',').enumerate().take(20) {
        let mut it = part.split(';');
        let tag = it.next().unwrap_or("").trim();
        let q = it
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let Some((code, _)) = LANGUAGES
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(primary))
        else {
            continue;
        };
        if q <= 0.0 {
            continue;
        }
        // Higher quality wins; among equals, the one listed first.
        if best.is_none_or(|(bq, _, _)| q > bq) {
            best = Some((q, pos, code));
        }
    }
    best.map(|(_, _, c)| c).unwrap_or(LANGUAGES[0].0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut out = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =") {
                    if !key.starts_with([' ', '#', '-']) && !key.is_empty() {
                        out.insert(key.to_string());
                    }
                }
            }
        }
        out
    }

    #[test]
    fn catalogues_are_complete() {
        let (en, de) = (keys("en-US"), keys("de"));
        assert!(en.len() > 50, "the English catalogue was read");
        let missing_de: Vec<_> = en.difference(&de).collect();
        let missing_en: Vec<_> = de.difference(&en).collect();
        assert!(missing_de.is_empty(), "missing in de: {missing_de:?}");
        assert!(missing_en.is_empty(), "missing in en-US: {missing_en:?}");
        let args = [
            ("n", FluentValue::from(2)),
            ("value", FluentValue::from("x")),
            ("min", FluentValue::from(1)),
            ("max", FluentValue::from(3)),
            ("who", FluentValue::from("x")),
            ("title", FluentValue::from("x")),
            ("badge", FluentValue::from("x")),
            ("asked", FluentValue::from(2)),
            ("accepted", FluentValue::from(1)),
            ("days", FluentValue::from(1)),
            ("hours", FluentValue::from(2)),
            ("minutes", FluentValue::from(3)),
        ];
        for key in &en {
            for lang in ["de", "en"] {
                let text = Tr::new(lang).args(key, &args);
                assert!(
                    text != *key && !text.contains('{'),
                    "{key} in {lang}: {text}"
                );
            }
        }
    }

    #[test]
    fn accept_language_is_negotiated() {
        assert_eq!(negotiate(""), "en");
        assert_eq!(negotiate("de-DE,de;q=0.9,en;q=0.8"), "de");
        assert_eq!(negotiate("fr-FR, en;q=0.5, de;q=0.7"), "de");
        assert_eq!(negotiate("fr, ja"), "en");
        assert_eq!(negotiate("de;q=0, en"), "en");
        assert_eq!(Tr::new("de").code(), "de");
        assert_eq!(Tr::new("xx").code(), "en");
    }
}
