//! HTTP signatures (draft-cavage, `rsa-sha256` / `hs2019` with RSA keys) and `Digest`,
//! behind one small module.
//!
//! Incoming requests are parsed and their signing string rebuilt by
//! `http-signature-normalization` (the parser activitypub_federation itself uses) and the
//! RSA PKCS#1 v1.5 SHA-256 signature is checked with aws-lc-rs, which is constant-time and
//! about ten times faster than the pure-Rust `rsa` crate. Parsed public keys are cached.
//! Key pairs are generated with aws-lc-rs too. Outgoing requests are signed by
//! activitypub_federation (`SendActivityTask::sign_and_send`).

use crate::error::AppError;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use http::{HeaderMap, Method, Uri};
use http_signature_normalization::verify::Unverified;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// How old a signature (its `Date` or `created`) may be before it is refused as a replay:
/// twelve hours, Mastodon's `EXPIRATION_WINDOW_LIMIT`.
pub const SIGNATURE_MAX_AGE: Duration = Duration::from_secs(12 * 60 * 60);

/// How far in the future a signature's `Date` or `created` may be (clock skew): one hour,
/// Mastodon's `CLOCK_SKEW_MARGIN`.
pub const SIGNATURE_MAX_SKEW: Duration = Duration::from_secs(60 * 60);

/// A fresh RSA-2048 key pair as `(private PKCS#8 PEM, public SPKI PEM)`.
pub fn generate_keypair() -> Result<(String, String), AppError> {
    let kp = KeyPair::generate(KeySize::Rsa2048)
        .map_err(|_| AppError::Internal("RSA key generation failed".into()))?;
    let private_der = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(&kp)
        .map_err(|_| AppError::Internal("RSA key encoding failed".into()))?;
    let public_der = AsDer::<aws_lc_rs::encoding::PublicKeyX509Der>::as_der(
        aws_lc_rs::signature::KeyPair::public_key(&kp),
    )
    .map_err(|_| AppError::Internal("RSA key encoding failed".into()))?;
    Ok((
        pem("PRIVATE KEY", private_der.as_ref()),
        pem("PUBLIC KEY", public_der.as_ref()),
    ))
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = B64.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Decodes the base64 body of a PEM document (any label).
fn pem_to_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && !l.is_empty())
        .collect();
    B64.decode(body).ok()
}

/// A public key parsed once and reusable for many verifications.
#[derive(Clone)]
pub struct PublicKey(Arc<ParsedPublicKey>);

impl PublicKey {
    /// Parses an SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`) PEM.
    pub fn from_pem(pem: &str) -> Result<PublicKey, AppError> {
        let der = pem_to_der(pem)
            .ok_or_else(|| AppError::Unauthenticated("actor public key is not valid PEM".into()))?;
        let key = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
            .map_err(|e| AppError::Unauthenticated(format!("actor public key rejected: {e}")))?;
        Ok(PublicKey(Arc::new(key)))
    }

    fn verify(&self, message: &[u8], signature_b64: &str) -> bool {
        match B64.decode(signature_b64.trim()) {
            Ok(sig) => self.0.verify_sig(message, &sig).is_ok(),
            Err(_) => false,
        }
    }
}

/// Caches parsed public keys by PEM text, so a key rotation (new PEM) is a cache miss.
static KEY_CACHE: LazyLock<moka::sync::Cache<String, PublicKey>> =
    LazyLock::new(|| moka::sync::Cache::builder().max_capacity(50_000).build());

pub fn cached_public_key(pem: &str) -> Result<PublicKey, AppError> {
    if let Some(k) = KEY_CACHE.get(pem) {
        return Ok(k);
    }
    let key = PublicKey::from_pem(pem)?;
    KEY_CACHE.insert(pem.to_string(), key.clone());
    Ok(key)
}

/// Checks the `Digest: SHA-256=…` header against the body.
pub fn verify_digest(headers: &HeaderMap, body: &[u8]) -> Result<(), AppError> {
    let header = headers
        .get("digest")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AppError::Invalid("missing Digest header".into()))?;
    let expected = B64.encode(Sha256::digest(body));
    let mut saw_sha256 = false;
    for part in header.split(',') {
        if let Some((alg, value)) = part.trim().split_once('=') {
            if alg.eq_ignore_ascii_case("SHA-256") {
                saw_sha256 = true;
                if value.trim() != expected {
                    return Err(AppError::Invalid(
                        "Digest header does not match the body".into(),
                    ));
                }
            }
        }
    }
    if saw_sha256 {
        Ok(())
    } else {
        Err(AppError::Invalid(
            "Digest header has no SHA-256 value".into(),
        ))
    }
}

/// The `Digest` header value for a body.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", B64.encode(Sha256::digest(body)))
}

/// A parsed, not yet verified, `Signature` header with its signing string rebuilt.
pub struct SignedRequest(Unverified);

impl SignedRequest {
    /// Parses the signature of a request. `host` fills in the `Host` header when a proxy
    /// dropped it. Refuses signatures that do not cover `(request-target)`, `host`, `date`
    /// or `(created)`, and `digest` (for requests with a body, see [`check_covered`]), and
    /// signatures dated outside the window (older than [`SIGNATURE_MAX_AGE`], later than
    /// [`SIGNATURE_MAX_SKEW`] ahead, or past their `expires`).
    pub fn parse(
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        host: &str,
        require_digest: bool,
    ) -> Result<SignedRequest, AppError> {
        static CONFIG: LazyLock<http_signature_normalization::Config> = LazyLock::new(|| {
            http_signature_normalization::Config::new().set_expiration(SIGNATURE_MAX_AGE)
        });
        static CONFIG_DIGEST: LazyLock<http_signature_normalization::Config> =
            LazyLock::new(|| {
                http_signature_normalization::Config::new()
                    .set_expiration(SIGNATURE_MAX_AGE)
                    .require_digest()
            });
        let mut map = BTreeMap::new();
        for (name, value) in headers {
            if let Ok(v) = value.to_str() {
                map.insert(name.as_str().to_string(), v.to_string());
            }
        }
        map.entry("host".to_string())
            .or_insert_with(|| host.to_string());
        let signature = map
            .get("authorization")
            .or_else(|| map.get("signature"))
            .ok_or_else(|| AppError::Unauthenticated("the request is not signed".into()))?;
        check_covered(
            signature,
            &map,
            require_digest,
            std::time::SystemTime::now(),
        )?;
        let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let config = if require_digest {
            &*CONFIG_DIGEST
        } else {
            &*CONFIG
        };
        let unverified = config
            .begin_verify(method.as_str(), path, map)
            .map_err(|e| AppError::Unauthenticated(format!("HTTP signature refused: {e}")))?;
        Ok(SignedRequest(unverified))
    }

    /// The `keyId` the request claims to be signed with.
    pub fn key_id(&self) -> &str {
        self.0.key_id()
    }

    /// Verifies the signature with a PEM public key.
    pub fn verify(&self, public_key_pem: &str) -> Result<bool, AppError> {
        let key = cached_public_key(public_key_pem)?;
        Ok(self
            .0
            .verify(|sig, signing_string| key.verify(signing_string.as_bytes(), sig)))
    }
}

/// The parameters of a `Signature` header (`keyId="…",headers="…",…`), as
/// `http-signature-normalization` reads them.
fn signature_params(header: &str) -> BTreeMap<String, String> {
    header
        .trim_start_matches("Signature")
        .trim()
        .split(',')
        .filter_map(|part| {
            let (k, v) = part.split_once('=')?;
            Some((k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        })
        .collect()
}

/// Checks that a signature covers what makes it unusable elsewhere and later: the method
/// and path (`(request-target)`), the `host`, the time (`date` or `(created)`) and, for
/// a body, its `digest`; and that its time is within the window. Without this a signature
/// over `digest` alone could be replayed to any inbox, with a fresh unsigned `Date`.
/// (Mastodon signs `(request-target) host date digest content-type`, activitypub-federation
/// `(request-target) content-type date digest host`.)
fn check_covered(
    header: &str,
    headers: &BTreeMap<String, String>,
    require_digest: bool,
    now: std::time::SystemTime,
) -> Result<(), AppError> {
    let params = signature_params(header);
    let covered: Vec<String> = match params.get("headers") {
        Some(list) => list
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect(),
        None => vec!["(created)".to_string()],
    };
    let has = |h: &str| covered.iter().any(|c| c == h);
    let mut missing: Vec<&str> = ["(request-target)", "host"]
        .into_iter()
        .filter(|h| !has(h))
        .collect();
    if !has("date") && !has("(created)") {
        missing.push("date");
    }
    if require_digest && !has("digest") {
        missing.push("digest");
    }
    if !missing.is_empty() {
        return Err(AppError::Unauthenticated(format!(
            "the HTTP signature must cover (request-target), host, date (or (created)){}; it does not cover {}",
            if require_digest { " and digest" } else { "" },
            missing.join(", ")
        )));
    }
    let in_window = |at: std::time::SystemTime, what: &str| -> Result<(), AppError> {
        if at > now + SIGNATURE_MAX_SKEW {
            return Err(AppError::Unauthenticated(format!(
                "the HTTP signature's {what} is in the future"
            )));
        }
        if at + SIGNATURE_MAX_AGE < now {
            return Err(AppError::Unauthenticated(format!(
                "the HTTP signature's {what} is too old"
            )));
        }
        Ok(())
    };
    if has("date") {
        let date = headers
            .get("date")
            .and_then(|d| httpdate::parse_http_date(d).ok())
            .ok_or_else(|| {
                AppError::Unauthenticated("the signed Date header is missing or malformed".into())
            })?;
        in_window(date, "Date")?;
    }
    let timestamp = |name: &str| -> Result<Option<std::time::SystemTime>, AppError> {
        params
            .get(name)
            .map(|v| {
                v.parse::<u64>()
                    .map(|s| std::time::UNIX_EPOCH + Duration::from_secs(s))
                    .map_err(|_| {
                        AppError::Unauthenticated(format!(
                            "the HTTP signature's {name} is malformed"
                        ))
                    })
            })
            .transpose()
    };
    if let Some(created) = timestamp("created")? {
        in_window(created, "created time")?;
    } else if has("(created)") {
        return Err(AppError::Unauthenticated(
            "the HTTP signature covers (created) but has no created time".into(),
        ));
    }
    if let Some(expires) = timestamp("expires")? {
        if expires < now {
            return Err(AppError::Unauthenticated(
                "the HTTP signature has expired".into(),
            ));
        }
    } else if has("(expires)") {
        return Err(AppError::Unauthenticated(
            "the HTTP signature covers (expires) but has no expiry time".into(),
        ));
    }
    Ok(())
}

/// Private keys parsed once, by PEM text.
static PRIVATE_KEYS: LazyLock<moka::sync::Cache<String, Arc<KeyPair>>> =
    LazyLock::new(|| moka::sync::Cache::builder().max_capacity(10_000).build());

fn private_key(pem: &str) -> Result<Arc<KeyPair>, AppError> {
    if let Some(k) = PRIVATE_KEYS.get(pem) {
        return Ok(k);
    }
    let der = pem_to_der(pem).ok_or_else(|| AppError::Internal("private key is not PEM".into()))?;
    let key = Arc::new(
        KeyPair::from_pkcs8(&der)
            .map_err(|e| AppError::Internal(format!("private key rejected: {e}")))?,
    );
    PRIVATE_KEYS.insert(pem.to_string(), key.clone());
    Ok(key)
}

/// Signs `message` with RSA PKCS#1 v1.5 SHA-256; returns base64.
pub fn rsa_sign(private_pem: &str, message: &[u8]) -> Result<String, AppError> {
    let key = private_key(private_pem)?;
    let mut sig = vec![0u8; key.public_modulus_len()];
    let rng = aws_lc_rs::rand::SystemRandom::new();
    key.sign(
        &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        &rng,
        message,
        &mut sig,
    )
    .map_err(|_| AppError::Internal("signing failed".into()))?;
    Ok(B64.encode(sig))
}

/// The headers (`Host`, `Date`, `Digest`, `Content-Type`, `Signature`) of a signed POST of
/// `body` to `url`, in the form Mastodon sends (`rsa-sha256`, `Date` instead of
/// `(created)`). `date` overrides the current time (tests of expired signatures).
pub fn signed_post_headers(
    url: &url::Url,
    body: &[u8],
    key_id: &str,
    private_pem: &str,
    date: Option<std::time::SystemTime>,
) -> Result<HeaderMap, AppError> {
    signed_post_headers_with_digest(url, &digest_header(body), key_id, private_pem, date)
}

/// [`signed_post_headers`] with the body's `Digest` computed once by the caller, so that
/// one activity sent to many inboxes is hashed once.
pub fn signed_post_headers_with_digest(
    url: &url::Url,
    digest: &str,
    key_id: &str,
    private_pem: &str,
    date: Option<std::time::SystemTime>,
) -> Result<HeaderMap, AppError> {
    let digest = digest.to_string();
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    let date = httpdate::fmt_http_date(date.unwrap_or_else(std::time::SystemTime::now));
    let mut map = BTreeMap::new();
    map.insert("host".to_string(), host.clone());
    map.insert("date".to_string(), date.clone());
    map.insert("digest".to_string(), digest.clone());
    map.insert(
        "content-type".to_string(),
        super::AP_CONTENT_TYPE.to_string(),
    );
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let signature = http_signature_normalization::Config::new()
        .mastodon_compat()
        .begin_sign("POST", &path, map)
        .map_err(|e| AppError::Internal(format!("cannot sign: {e}")))?
        .sign(key_id.to_string(), |s| rsa_sign(private_pem, s.as_bytes()))?
        .signature_header()
        .replace("algorithm=\"hs2019\"", "algorithm=\"rsa-sha256\"");
    let mut headers = HeaderMap::new();
    let mut put = |k: &'static str, v: String| -> Result<(), AppError> {
        headers.insert(
            k,
            v.parse()
                .map_err(|_| AppError::Internal("invalid header value".into()))?,
        );
        Ok(())
    };
    put("host", host)?;
    put("date", date)?;
    put("digest", digest)?;
    put("content-type", super::AP_CONTENT_TYPE.to_string())?;
    put("signature", signature)?;
    Ok(headers)
}

/// The headers (`Host`, `Date`, `Accept`, `Signature`) of a signed fetch (`GET`) of
/// `url`, as Mastodon signs one (`(request-target) host date`).
pub fn signed_get_headers(
    url: &url::Url,
    key_id: &str,
    private_pem: &str,
) -> Result<HeaderMap, AppError> {
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let mut map = BTreeMap::new();
    map.insert("host".to_string(), host.clone());
    map.insert("date".to_string(), date.clone());
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let signature = http_signature_normalization::Config::new()
        .mastodon_compat()
        .begin_sign("GET", &path, map)
        .map_err(|e| AppError::Internal(format!("cannot sign: {e}")))?
        .sign(key_id.to_string(), |s| rsa_sign(private_pem, s.as_bytes()))?
        .signature_header()
        .replace("algorithm=\"hs2019\"", "algorithm=\"rsa-sha256\"");
    let mut headers = HeaderMap::new();
    for (k, v) in [
        ("host", host),
        ("date", date),
        ("accept", super::AP_CONTENT_TYPE.to_string()),
        ("signature", signature),
    ] {
        let v = v
            .parse()
            .map_err(|_| AppError::Internal("invalid header value".into()))?;
        headers.insert(k, v);
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_round_trip_and_verify() {
        let (private_pem, public_pem) = generate_keypair().unwrap();
        assert!(private_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let der = pem_to_der(&private_pem).unwrap();
        let kp = aws_lc_rs::rsa::KeyPair::from_pkcs8(&der).unwrap();
        let mut sig = vec![0u8; kp.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        kp.sign(
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            &rng,
            b"hello",
            &mut sig,
        )
        .unwrap();
        let key = PublicKey::from_pem(&public_pem).unwrap();
        let b64 = B64.encode(&sig);
        assert!(key.verify(b"hello", &b64));
        assert!(!key.verify(b"hullo", &b64));
        assert!(!key.verify(b"hello", "not base64!"));
    }

    #[test]
    fn digest_checks_body() {
        let mut headers = HeaderMap::new();
        headers.insert("digest", digest_header(b"{}").parse().unwrap());
        assert!(verify_digest(&headers, b"{}").is_ok());
        assert!(verify_digest(&headers, b"{ }").is_err());
        assert!(verify_digest(&HeaderMap::new(), b"{}").is_err());
    }

    fn sig(headers: &str, extra: &str) -> String {
        format!(
            r#"keyId="https://a.example/u/x#main-key",algorithm="rsa-sha256",headers="{headers}"{extra},signature="c2ln""#
        )
    }

    fn dated(at: std::time::SystemTime) -> BTreeMap<String, String> {
        BTreeMap::from([("date".to_string(), httpdate::fmt_http_date(at))])
    }

    #[test]
    fn signatures_must_cover_target_host_date_and_digest() {
        let now = std::time::SystemTime::now();
        let h = dated(now);
        let ok = |list: &str| check_covered(&sig(list, ""), &h, true, now).is_ok();
        // What Mastodon and activitypub-federation sign.
        assert!(ok("(request-target) host date digest content-type"));
        assert!(ok("(request-target) content-type date digest host"));
        assert!(ok("(request-target) host date digest"));
        assert!(!ok("digest"));
        assert!(!ok("host digest"));
        assert!(!ok("host date digest"));
        assert!(!ok("(request-target) date digest"));
        assert!(!ok("(request-target) host digest"));
        assert!(!ok("(request-target) host date"));
        // No `headers` parameter means `(created)` alone.
        assert!(check_covered(r#"keyId="k",signature="s""#, &h, true, now).is_err());
        // A GET needs no digest.
        assert!(check_covered(&sig("(request-target) host date", ""), &h, false, now).is_ok());
        let err = check_covered(&sig("digest", ""), &h, true, now).unwrap_err();
        assert_eq!(err.status(), http::StatusCode::UNAUTHORIZED);
    }

    #[test]
    fn signature_dates_are_bounded_both_ways() {
        let now = std::time::SystemTime::now();
        let list = "(request-target) host date digest";
        let at = |d: std::time::SystemTime| check_covered(&sig(list, ""), &dated(d), true, now);
        assert!(at(now - Duration::from_secs(11 * 3600)).is_ok());
        assert!(at(now + Duration::from_secs(30 * 60)).is_ok());
        assert!(at(now - Duration::from_secs(13 * 3600)).is_err());
        assert!(at(now + Duration::from_secs(2 * 3600)).is_err());
        assert!(at(now + Duration::from_secs(3 * 365 * 24 * 3600)).is_err());
        let bad = BTreeMap::from([("date".to_string(), "yesterday".to_string())]);
        assert!(check_covered(&sig(list, ""), &bad, true, now).is_err());
        assert!(check_covered(&sig(list, ""), &BTreeMap::new(), true, now).is_err());
    }

    #[test]
    fn created_and_expires_are_checked_when_present() {
        let now = std::time::SystemTime::now();
        let secs = now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let list = "(request-target) host (created) (expires) digest";
        let check = |created: u64, expires: u64| {
            let extra = format!(r#",created="{created}",expires="{expires}""#);
            check_covered(&sig(list, &extra), &BTreeMap::new(), true, now)
        };
        assert!(check(secs - 10, secs + 300).is_ok());
        assert!(check(secs - 10, secs - 1).is_err());
        assert!(check(secs + 3 * 3600, secs + 4 * 3600).is_err());
        assert!(check(secs - 13 * 3600, secs + 300).is_err());
        // Covered but absent.
        let extra = format!(r#",created="{}""#, secs);
        assert!(check_covered(&sig(list, &extra), &BTreeMap::new(), true, now).is_err());
        assert!(check_covered(
            &sig("(request-target) host (created) digest", ""),
            &BTreeMap::new(),
            true,
            now
        )
        .is_err());
    }

    #[test]
    fn received_ids_outlive_the_signature_window() {
        let window = (SIGNATURE_MAX_AGE + 2 * SIGNATURE_MAX_SKEW).as_millis() as i64;
        assert!(crate::db::queries::activities::RECEIVED_IDS_KEPT_MS > window);
    }

    #[test]
    fn our_own_signed_posts_parse() {
        let (private_pem, public_pem) = generate_keypair().unwrap();
        let url = url::Url::parse("https://b.example/inbox").unwrap();
        let headers = signed_post_headers(
            &url,
            b"{}",
            "https://a.example/u/x#main-key",
            &private_pem,
            None,
        )
        .unwrap();
        let uri: Uri = "/inbox".parse().unwrap();
        let signed =
            SignedRequest::parse(&Method::POST, &uri, &headers, "b.example", true).unwrap();
        assert!(signed.verify(&public_pem).unwrap());
        let old = std::time::SystemTime::now() - Duration::from_secs(13 * 3600);
        let headers = signed_post_headers(
            &url,
            b"{}",
            "https://a.example/u/x#main-key",
            &private_pem,
            Some(old),
        )
        .unwrap();
        assert!(SignedRequest::parse(&Method::POST, &uri, &headers, "b.example", true).is_err());
    }
}
