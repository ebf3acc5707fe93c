//! The outgoing-URL policy: the one place that decides whether peerdesk may contact a
//! URL. Every outgoing request passes it when it is made: deliveries check their inbox,
//! activitypub_federation's fetches (objects, actors, WebFinger, backfill) check theirs
//! through [`PolicyVerifier`], staff checks call [`NetPolicy::check_url`], every redirect
//! hop is checked by [`NetPolicy::redirect_policy`], and names are resolved by
//! [`PolicyResolver`], which hands the connector only public addresses (the address that
//! is checked is the address connected to).
//!
//! In production only `https` URLs whose host is a public address (or a name resolving to
//! one) are contacted. `--insecure-federation` is the only switch that relaxes this (plain
//! http, loopback and private peers). Tests stand in for DNS with
//! [`Settings::test_hosts`](crate::config::Settings::test_hosts): names mapped to loopback
//! addresses that count as public and may be reached over plain http.

use crate::config::Settings;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use url::{Host, Url};

/// Most redirects followed for one request.
pub const MAX_REDIRECTS: usize = 3;

/// Why a URL is not contacted (shown to admins; never echoes the URL's content).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Scheme,
    NoHost,
    NotPublic,
    NoPublicAddress,
    TooManyRedirects,
}

impl Refused {
    /// The reason as a static string (activitypub_federation's errors want one).
    pub fn as_str(self) -> &'static str {
        match self {
            Refused::Scheme => "refused by the outgoing-URL policy: only https URLs are contacted",
            Refused::NoHost => "refused by the outgoing-URL policy: the URL has no host",
            Refused::NotPublic => {
                "refused by the outgoing-URL policy: the host is not a public address"
            }
            Refused::NoPublicAddress => {
                "refused by the outgoing-URL policy: the name resolves to no public address"
            }
            Refused::TooManyRedirects => "refused by the outgoing-URL policy: too many redirects",
        }
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::error::Error for Refused {}

/// The policy of one instance, built from its settings.
#[derive(Clone, Debug)]
pub struct NetPolicy {
    insecure: bool,
    test_hosts: Arc<HashMap<String, IpAddr>>,
}

/// A host name as compared: lower case, without a trailing dot.
fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl NetPolicy {
    pub fn new(settings: &Settings) -> NetPolicy {
        NetPolicy {
            insecure: settings.insecure_federation,
            test_hosts: Arc::new(
                settings
                    .test_hosts
                    .iter()
                    .map(|(name, ip)| (normalize(name), *ip))
                    .collect(),
            ),
        }
    }

    /// Whether the production rules are relaxed (`--insecure-federation`).
    pub fn insecure(&self) -> bool {
        self.insecure
    }

    /// Whether test names stand in for DNS.
    pub fn has_test_hosts(&self) -> bool {
        !self.test_hosts.is_empty()
    }

    fn test_host(&self, url: &Url) -> Option<IpAddr> {
        match url.host() {
            Some(Host::Domain(d)) => self.test_hosts.get(&normalize(d)).copied(),
            _ => None,
        }
    }

    /// Checks what can be checked without DNS: the scheme, that there is a host, and an
    /// IP-literal host's address. Names are checked when resolved ([`PolicyResolver`]).
    pub fn check_url(&self, url: &Url) -> Result<(), Refused> {
        let test_host = self.test_host(url).is_some();
        match url.scheme() {
            "https" => {}
            "http" if self.insecure || test_host => {}
            _ => return Err(Refused::Scheme),
        }
        let host = url.host().ok_or(Refused::NoHost)?;
        if self.insecure || test_host {
            return Ok(());
        }
        match host {
            Host::Domain(d) => {
                let d = normalize(d);
                if d.is_empty() || d == "localhost" || d.ends_with(".localhost") {
                    return Err(Refused::NotPublic);
                }
            }
            Host::Ipv4(ip) => {
                if !is_public_v4(ip) {
                    return Err(Refused::NotPublic);
                }
            }
            Host::Ipv6(ip) => {
                if !is_public_v6(ip) {
                    return Err(Refused::NotPublic);
                }
            }
        }
        Ok(())
    }

    /// [`NetPolicy::check_url`] on a URL string.
    pub fn check_str(&self, url: &str) -> Result<Url, String> {
        let url = Url::parse(url).map_err(|e| format!("invalid URL: {e}"))?;
        self.check_url(&url).map_err(|r| r.to_string())?;
        Ok(url)
    }

    /// Follows at most [`MAX_REDIRECTS`] redirects, each passing [`NetPolicy::check_url`]
    /// (its resolved addresses are checked by the resolver when it is connected to).
    pub fn redirect_policy(&self) -> reqwest::redirect::Policy {
        let policy = self.clone();
        reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                return attempt.error(Refused::TooManyRedirects);
            }
            match policy.check_url(attempt.url()) {
                Ok(()) => attempt.follow(),
                Err(refused) => {
                    tracing::info!(to = %attempt.url(), "redirect {refused}");
                    attempt.error(refused)
                }
            }
        })
    }

    /// Resolves `name` and keeps only the addresses that may be connected to.
    pub async fn resolve(
        &self,
        name: &str,
    ) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let name = normalize(name);
        if let Some(ip) = self.test_hosts.get(&name) {
            return Ok(vec![SocketAddr::new(*ip, 0)]);
        }
        let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
        if self.insecure {
            return Ok(found);
        }
        let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
        if public.is_empty() {
            tracing::info!(host = %name, "{}", Refused::NoPublicAddress);
            return Err(Box::new(Refused::NoPublicAddress));
        }
        Ok(public)
    }
}

/// Whether an address may be contacted in production: not loopback, private, link-local,
/// multicast, unspecified, broadcast, documentation, shared (CGNAT) or reserved, also when
/// written as IPv4-mapped or IPv4-compatible IPv6.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    !(v4.is_private()
        || v4.is_loopback()
        || v4.is_link_local()
        || v4.is_multicast()
        || v4.is_documentation()
        || v4.is_unspecified()
        || v4.is_broadcast()
        // 0.0.0.0/8 ("this network"; 0.x reaches the host itself on Linux)
        || a == 0
        // 100.64.0.0/10: shared address space (CGNAT)
        || (a == 100 && (b & 0xc0) == 0x40)
        // 192.0.0.0/24: IETF protocol assignments
        || (a == 192 && b == 0 && c == 0)
        // 198.18.0.0/15: benchmarking
        || (a == 198 && (b & 0xfe) == 18)
        // 240.0.0.0/4: reserved
        || a >= 240)
}

fn is_public_v6(v6: Ipv6Addr) -> bool {
    let s = v6.segments();
    // IPv4-mapped (::ffff:0:0/96) and IPv4-compatible (::/96): the IPv4 address decides,
    // and the deprecated compatible form is refused outright.
    if let Some(v4) = v6.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    if s[..6] == [0, 0, 0, 0, 0, 0] {
        return false;
    }
    // NAT64 (64:ff9b::/96) embeds an IPv4 address.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(v6.is_loopback()
        || v6.is_unspecified()
        || v6.is_multicast()
        // fc00::/7 unique local
        || (s[0] & 0xfe00) == 0xfc00
        // fe80::/10 link-local
        || (s[0] & 0xffc0) == 0xfe80
        // fec0::/10 site-local (deprecated)
        || (s[0] & 0xffc0) == 0xfec0
        // 2001:db8::/32 and 3fff::/20 documentation
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || (s[0] == 0x3fff && s[1] <= 0x0fff)
        // 64:ff9b:1::/48 local-use NAT64, 2002::/16 6to4
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)
        || s[0] == 0x2002)
}

/// The DNS resolver of peerdesk's HTTP client: resolves through [`NetPolicy::resolve`],
/// so only addresses that pass the policy are ever connected to.
pub struct PolicyResolver(pub NetPolicy);

impl reqwest::dns::Resolve for PolicyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.0.clone();
        let name = name.as_str().to_string();
        Box::pin(async move {
            let addrs = policy.resolve(&name).await?;
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// activitypub_federation's hook: every URL it fetches (objects, actors, WebFinger,
/// collections, and the one redirect it follows itself) passes the policy.
#[derive(Clone)]
pub struct PolicyVerifier(pub NetPolicy);

#[async_trait::async_trait]
impl activitypub_federation::config::UrlVerifier for PolicyVerifier {
    async fn verify(&self, url: &Url) -> Result<(), activitypub_federation::error::Error> {
        self.0.check_url(url).map_err(|r| {
            tracing::info!(%url, "fetch {r}");
            activitypub_federation::error::Error::UrlVerificationError(r.as_str())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(insecure: bool) -> NetPolicy {
        let mut s = Settings::for_domain("a.example", "127.0.0.1:1".parse().unwrap(), "sqlite://x");
        s.insecure_federation = insecure;
        s.test_hosts = vec![("attacker.test".into(), "127.0.0.1".parse().unwrap())];
        NetPolicy::new(&s)
    }

    #[test]
    fn address_classifier() {
        let refused = [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "239.255.255.250",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "192.0.0.8",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "::8.8.8.8",
            "64:ff9b::7f00:1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "3fff::1",
            "2002:7f00:1::1",
        ];
        for a in refused {
            assert!(!is_public(a.parse().unwrap()), "{a} counted as public");
        }
        let public = [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.0.1.1",
            "198.20.0.1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
        ];
        for a in public {
            assert!(is_public(a.parse().unwrap()), "{a} counted as not public");
        }
    }

    #[test]
    fn production_urls() {
        let p = policy(false);
        let check = |u: &str| p.check_url(&Url::parse(u).unwrap());
        assert_eq!(check("https://example.com/x"), Ok(()));
        assert_eq!(check("https://8.8.8.8/x"), Ok(()));
        assert_eq!(check("http://example.com/x"), Err(Refused::Scheme));
        assert_eq!(check("ftp://example.com/x"), Err(Refused::Scheme));
        assert_eq!(check("javascript:alert(1)"), Err(Refused::Scheme));
        assert_eq!(check("https://127.0.0.1:8443/"), Err(Refused::NotPublic));
        assert_eq!(check("https://169.254.169.254/"), Err(Refused::NotPublic));
        assert_eq!(
            check("https://[::ffff:127.0.0.1]/"),
            Err(Refused::NotPublic)
        );
        assert_eq!(check("https://[fe80::1]/"), Err(Refused::NotPublic));
        assert_eq!(check("https://0.0.0.0/"), Err(Refused::NotPublic));
        assert_eq!(check("https://localhost/"), Err(Refused::NotPublic));
        assert_eq!(check("https://a.localhost./"), Err(Refused::NotPublic));
        // A test name counts as public and may use plain http; nothing else does.
        assert_eq!(check("http://attacker.test:9/x"), Ok(()));
        assert_eq!(check("http://other.test:9/x"), Err(Refused::Scheme));
    }

    #[test]
    fn insecure_federation_relaxes_only_scheme_and_address() {
        let p = policy(true);
        let check = |u: &str| p.check_url(&Url::parse(u).unwrap());
        assert_eq!(check("http://127.0.0.1:8080/"), Ok(()));
        assert_eq!(check("http://localhost:8080/"), Ok(()));
        assert_eq!(check("file:///etc/passwd"), Err(Refused::Scheme));
    }

    #[tokio::test]
    async fn resolver_keeps_only_public_addresses() {
        let p = policy(false);
        assert!(p.resolve("localhost").await.is_err());
        let test = p.resolve("Attacker.Test.").await.unwrap();
        assert_eq!(test, vec!["127.0.0.1:0".parse().unwrap()]);
        assert!(policy(true).resolve("localhost").await.is_ok());
    }
}
