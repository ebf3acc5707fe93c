//! The help widget's rules: which sites may embed a group's widget. An origin is a
//! scheme (`https`, or `http` for local trials), a host and an optional port, written as
//! browsers send it (`https://docs.acme.example`, `http://127.0.0.1:8000`).

use crate::error::{AppError, AppResult};

/// Origins a group may list at most.
pub const MAX_ORIGINS: usize = 20;

/// One origin, normalised (lowercase, no path, no default port), or `None` when `s` is
/// not an origin.
pub fn origin(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/');
    let url = url::Url::parse(s).ok()?;
    if !matches!(url.scheme(), "https" | "http")
        || url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return None;
    }
    let host = url.host_str()?;
    if host.contains('*') {
        return None;
    }
    Some(match url.port() {
        Some(p) => format!("{}://{host}:{p}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// Checks and normalises a list of origins (duplicates dropped, order kept).
pub fn origins(list: &[String]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for s in list.iter().filter(|s| !s.trim().is_empty()) {
        let o = origin(s).ok_or_else(|| {
            AppError::Invalid(
                "an allowed site is an origin such as https://docs.example.com".into(),
            )
        })?;
        if !out.contains(&o) {
            out.push(o);
        }
    }
    if out.len() > MAX_ORIGINS {
        return Err(AppError::Invalid(format!(
            "at most {MAX_ORIGINS} sites may embed the widget"
        )));
    }
    Ok(out)
}

/// The `frame-ancestors` sources of a widget allowed on `origins` (any site when empty).
pub fn frame_ancestors(origins: &[String]) -> String {
    if origins.is_empty() {
        "*".into()
    } else {
        origins.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_checked() {
        assert_eq!(
            origin("HTTPS://Docs.Example.com/").as_deref(),
            Some("https://docs.example.com")
        );
        assert_eq!(
            origin("http://127.0.0.1:8000").as_deref(),
            Some("http://127.0.0.1:8000")
        );
        assert_eq!(
            origin("https://a.example:443").as_deref(),
            Some("https://a.example")
        );
        for bad in [
            "ftp://a.example",
            "https://a.example/docs",
            "a.example",
            "https://*.a.example",
            "https://a.example?x",
        ] {
            assert_eq!(origin(bad), None, "{bad}");
        }
        let list = vec![
            "https://a.example".into(),
            "https://a.example/".into(),
            " ".into(),
        ];
        assert_eq!(
            origins(&list).unwrap(),
            vec!["https://a.example".to_string()]
        );
        assert!(origins(&["javascript:alert(1)".into()]).is_err());
        assert_eq!(frame_ancestors(&[]), "*");
    }
}
