//! CSRF protection of every form: a synchronizer token per session (derived from the
//! session token, or before signing in from the pre-session cookie) in a hidden field,
//! checked on POST together with `Sec-Fetch-Site` and `Origin`.

use super::session::Viewer;
use axum::http::{header, HeaderMap};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};

/// The name of the hidden form field.
pub const FIELD: &str = "csrf";

/// The token the viewer's forms carry. It can only be computed from the `HttpOnly`
/// cookie, which other sites cannot read.
pub fn token(viewer: &Viewer) -> String {
    let secret = viewer.token.as_deref().unwrap_or(&viewer.anon);
    let mut h = Sha256::new();
    h.update(b"peerdesk-csrf\0");
    h.update(secret.as_bytes());
    URL_SAFE_NO_PAD.encode(h.finalize())
}

/// Why a form post was refused.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// `Sec-Fetch-Site` or `Origin` says the form came from another site.
    CrossSite,
    /// The token is missing or wrong (for example, an old page after signing in).
    BadToken,
}

/// Checks a form post: it must come from this site and carry the viewer's token.
pub fn check(base: &str, headers: &HeaderMap, viewer: &Viewer, sent: &str) -> Result<(), Refused> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return Err(Refused::CrossSite);
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        if origin.trim_end_matches('/') != base {
            return Err(Refused::CrossSite);
        }
    }
    // A new pre-session cookie means the browser sent none: no form of ours was loaded.
    if viewer.token.is_none() && viewer.new_anon {
        return Err(Refused::BadToken);
    }
    let expected = token(viewer);
    let equal = expected.len() == sent.len()
        && expected
            .bytes()
            .zip(sent.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if equal {
        Ok(())
    } else {
        Err(Refused::BadToken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(token: Option<&str>, new_anon: bool) -> Viewer {
        Viewer {
            user: None,
            token: token.map(str::to_string),
            anon: "anon-value".into(),
            new_anon,
            language: None,
            unread: 0,
        }
    }

    #[test]
    fn tokens_are_checked() {
        let base = "https://a.example";
        let v = viewer(Some("session"), false);
        let good = token(&v);
        let none = HeaderMap::new();
        assert_eq!(check(base, &none, &v, &good), Ok(()));
        assert_eq!(check(base, &none, &v, "x"), Err(Refused::BadToken));
        assert_ne!(good, token(&viewer(Some("other"), false)));
        assert_ne!(good, token(&viewer(None, false)));
        let fresh = viewer(None, true);
        assert_eq!(
            check(base, &none, &fresh, &token(&fresh)),
            Err(Refused::BadToken)
        );
        let mut cross = HeaderMap::new();
        cross.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert_eq!(check(base, &cross, &v, &good), Err(Refused::CrossSite));
        let mut other = HeaderMap::new();
        other.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert_eq!(check(base, &other, &v, &good), Err(Refused::CrossSite));
        let mut same = HeaderMap::new();
        same.insert(header::ORIGIN, base.parse().unwrap());
        same.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert_eq!(check(base, &same, &v, &good), Ok(()));
    }
}
