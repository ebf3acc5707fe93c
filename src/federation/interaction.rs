//! "Follow from your server": where a visitor's own server lets them follow one of our
//! actors. Their WebFinger document names an interaction template: a FEP-3b86 intent
//! (`https://w3id.org/fep/3b86/Follow`, `{object}`) or the older remote-follow link
//! (`http://ostatus.org/schema/1.0/subscribe`, `{uri}`) that Mastodon, Misskey, Pleroma
//! and others publish. The WebFinger request passes the outgoing-URL policy like every
//! other request (the shared client, [`super::netpolicy`]).

use crate::state::AppState;
use serde::Deserialize;
use url::Url;

/// The FEP-3b86 Follow intent (its template has `{object}`).
pub const FEP_3B86_FOLLOW: &str = "https://w3id.org/fep/3b86/Follow";
/// The remote-follow ("subscribe") link (its template has `{uri}`).
pub const OSTATUS_SUBSCRIBE: &str = "http://ostatus.org/schema/1.0/subscribe";

/// The largest WebFinger document read.
const MAX_JRD: usize = 64 * 1024;

/// Why no remote URL could be found.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// Not `name@host`.
    BadHandle,
    /// The server answered that it has no such account.
    UnknownAccount,
    /// The account exists but its server publishes no template.
    NoTemplate,
    /// The server could not be reached, refused the request, or answered nonsense (the
    /// outgoing-URL policy refusing the host counts here too).
    Unreachable,
}

/// A visitor's handle split: (`name`, `host`), from `@name@host`, `name@host` or
/// `acct:name@host`.
pub fn parse_handle(raw: &str) -> Option<(String, String)> {
    let h = raw.trim();
    let h = h.strip_prefix("acct:").unwrap_or(h);
    let h = h.strip_prefix('@').unwrap_or(h);
    let (name, host) = h.split_once('@')?;
    let bad = |s: &str| {
        s.is_empty()
            || s.len() > 255
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || "@/?#\\\"<>".contains(c))
    };
    if bad(name) || bad(host) {
        return None;
    }
    // The host must be a host (optionally with a port), nothing more.
    let url = Url::parse(&format!("https://{host}/")).ok()?;
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let normal = format!("{}{port}", url.host_str()?);
    if !normal.eq_ignore_ascii_case(host.trim_end_matches('.')) && normal != host {
        return None;
    }
    if !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    Some((name.to_string(), normal))
}

#[derive(Deserialize)]
struct Jrd {
    #[serde(default)]
    links: Vec<JrdLink>,
}

#[derive(Deserialize)]
struct JrdLink {
    #[serde(default)]
    rel: String,
    #[serde(default)]
    template: Option<String>,
}

/// The remote URL from a WebFinger document's links for `object` (an actor id):
/// the FEP-3b86 Follow intent where offered, else the subscribe template. Only `http`
/// and `https` templates count.
pub fn remote_url(links_json: &[u8], object: &str) -> Option<String> {
    let jrd: Jrd = serde_json::from_slice(links_json).ok()?;
    let encoded: String = url::form_urlencoded::byte_serialize(object.as_bytes()).collect();
    let pick = |rel: &str, placeholder: &str| {
        jrd.links
            .iter()
            .filter(|l| l.rel == rel)
            .filter_map(|l| l.template.as_deref())
            .find(|t| t.contains(placeholder))
            .map(|t| t.replace(placeholder, &encoded))
            .filter(|u| {
                Url::parse(u)
                    .is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some())
            })
    };
    pick(FEP_3B86_FOLLOW, "{object}").or_else(|| pick(OSTATUS_SUBSCRIBE, "{uri}"))
}

/// Looks up `handle`'s server and returns the URL that lets them follow `object` there.
pub async fn follow_url(state: &AppState, handle: &str, object: &str) -> Result<String, Failure> {
    let (name, host) = parse_handle(handle).ok_or(Failure::BadHandle)?;
    let scheme = if state.settings.insecure_federation || state.net.has_test_hosts() {
        "http"
    } else {
        "https"
    };
    let mut url = Url::parse(&format!("{scheme}://{host}/.well-known/webfinger"))
        .map_err(|_| Failure::BadHandle)?;
    url.query_pairs_mut()
        .append_pair("resource", &format!("acct:{name}@{host}"));
    if let Err(refused) = state.net.check_url(&url) {
        tracing::info!(%url, "remote follow look-up {refused}");
        return Err(Failure::Unreachable);
    }
    let resp = state
        .http
        .get(url.clone())
        .header("accept", "application/jrd+json, application/json")
        .send()
        .await
        .map_err(|e| {
            tracing::info!(%url, "remote follow look-up failed: {e}");
            Failure::Unreachable
        })?;
    match resp.status().as_u16() {
        200..=299 => {}
        404 | 410 => return Err(Failure::UnknownAccount),
        s => {
            tracing::info!(%url, status = s, "remote follow look-up refused");
            return Err(Failure::Unreachable);
        }
    }
    if resp.content_length().is_some_and(|n| n as usize > MAX_JRD) {
        return Err(Failure::Unreachable);
    }
    let body = read_limited(resp).await.ok_or(Failure::Unreachable)?;
    if serde_json::from_slice::<Jrd>(&body).is_err() {
        return Err(Failure::Unreachable);
    }
    remote_url(&body, object).ok_or(Failure::NoTemplate)
}

async fn read_limited(mut resp: reqwest::Response) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.ok()? {
        out.extend_from_slice(&chunk);
        if out.len() > MAX_JRD {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_parsed() {
        for (raw, want) in [
            ("@me@mastodon.example", Some(("me", "mastodon.example"))),
            ("me@Mastodon.Example", Some(("me", "mastodon.example"))),
            (" acct:me@a.example ", Some(("me", "a.example"))),
            ("me@localhost:8080", Some(("me", "localhost:8080"))),
            ("me", None),
            ("@me@", None),
            ("@@a.example", None),
            ("me@a.example/path", None),
            ("me@a b", None),
            ("me@user:pw@a.example", None),
            ("me@a.example?x", None),
        ] {
            let got = parse_handle(raw);
            let want = want.map(|(n, h)| (n.to_string(), h.to_string()));
            assert_eq!(got, want, "{raw}");
        }
    }

    #[test]
    fn templates_are_filled() {
        let object = "https://here.example/g/help";
        let jrd = br#"{"subject":"acct:me@m.example","links":[
            {"rel":"self","type":"application/activity+json","href":"https://m.example/users/me"},
            {"rel":"http://ostatus.org/schema/1.0/subscribe","template":"https://m.example/authorize_interaction?uri={uri}"}]}"#;
        assert_eq!(
            remote_url(jrd, object).as_deref(),
            Some(
                "https://m.example/authorize_interaction?uri=https%3A%2F%2Fhere.example%2Fg%2Fhelp"
            )
        );
        let both = br#"{"links":[
            {"rel":"http://ostatus.org/schema/1.0/subscribe","template":"https://m.example/authorize_interaction?uri={uri}"},
            {"rel":"https://w3id.org/fep/3b86/Follow","template":"https://m.example/intent/follow?object={object}"}]}"#;
        assert_eq!(
            remote_url(both, object).as_deref(),
            Some("https://m.example/intent/follow?object=https%3A%2F%2Fhere.example%2Fg%2Fhelp")
        );
        let none = br#"{"links":[{"rel":"self","href":"https://m.example/users/me"}]}"#;
        assert_eq!(remote_url(none, object), None);
        let script = br#"{"links":[{"rel":"http://ostatus.org/schema/1.0/subscribe","template":"javascript:alert({uri})"}]}"#;
        assert_eq!(remote_url(script, object), None);
    }
}
