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

/// How old a signature (its `Date` or `created`) may be before it is refused as a replay.
pub const SIGNATURE_MAX_AGE: Duration = Duration::from_secs(60 * 60);

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
            .ok_or_else(|| AppError::Unauthorized("actor public key is not valid PEM".into()))?;
        let key = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
            .map_err(|e| AppError::Unauthorized(format!("actor public key rejected: {e}")))?;
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
        .ok_or_else(|| AppError::BadRequest("missing Digest header".into()))?;
    let expected = B64.encode(Sha256::digest(body));
    let mut saw_sha256 = false;
    for part in header.split(',') {
        if let Some((alg, value)) = part.trim().split_once('=') {
            if alg.eq_ignore_ascii_case("SHA-256") {
                saw_sha256 = true;
                if value.trim() != expected {
                    return Err(AppError::BadRequest(
                        "Digest header does not match the body".into(),
                    ));
                }
            }
        }
    }
    if saw_sha256 {
        Ok(())
    } else {
        Err(AppError::BadRequest(
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
    /// dropped it. Refuses signatures that are expired or older than [`SIGNATURE_MAX_AGE`],
    /// and signatures that do not cover `digest` (for requests with a body).
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
        let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let config = if require_digest {
            &*CONFIG_DIGEST
        } else {
            &*CONFIG
        };
        let unverified = config
            .begin_verify(method.as_str(), path, map)
            .map_err(|e| AppError::Unauthorized(format!("HTTP signature refused: {e}")))?;
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
}
