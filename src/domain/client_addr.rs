//! Which address a request comes from: the TCP peer, or, when the peer is a trusted
//! reverse proxy, the last address in `X-Forwarded-For` that is not itself a trusted
//! proxy (earlier entries are whatever the client chose to send).

use std::net::IpAddr;

/// An address block: `10.0.0.0/8`, `::1/128`; a bare address is a block of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

/// Parses `ADDR` or `ADDR/PREFIX` (for clap).
pub fn parse_net(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr: IpAddr = addr
        .parse()
        .map_err(|_| format!("'{s}' is not an IP address or CIDR block"))?;
    let addr = addr.to_canonical();
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) => p
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= max)
            .ok_or_else(|| format!("'{s}' has an invalid prefix length"))?,
        None => max,
    };
    Ok(IpNet { addr, prefix })
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let (a, b, width) = match (ip.to_canonical(), self.addr) {
            (IpAddr::V4(x), IpAddr::V4(y)) => {
                (u128::from(u32::from(x)), u128::from(u32::from(y)), 32)
            }
            (IpAddr::V6(x), IpAddr::V6(y)) => (u128::from(x), u128::from(y), 128),
            _ => return false,
        };
        if self.prefix == 0 {
            return true;
        }
        let shift = width - u32::from(self.prefix);
        (a >> shift) == (b >> shift)
    }
}

/// The client's address: `peer` itself unless it is one of `trusted`, then the
/// right-most untrusted address of `forwarded_for` (the `X-Forwarded-For` values, in
/// order). When every forwarded address is trusted, the left-most one.
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = forwarded_for
        .iter()
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse::<IpAddr>().ok())
        .collect();
    hops.iter()
        .rev()
        .copied()
        .find(|ip| !is_trusted(*ip))
        .or_else(|| hops.first().copied())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn blocks_contain_their_addresses() {
        let n = parse_net("10.0.0.0/8").unwrap();
        assert!(n.contains(ip("10.1.2.3")));
        assert!(n.contains(ip("::ffff:10.1.2.3")));
        assert!(!n.contains(ip("11.0.0.1")));
        let one = parse_net("127.0.0.1").unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6 = parse_net("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:1::1")) && !v6.contains(ip("2001:db9::1")));
        assert!(parse_net("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(parse_net("10.0.0.0/33").is_err() && parse_net("nope").is_err());
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let trusted = [parse_net("127.0.0.1").unwrap()];
        let peer = ip("127.0.0.1");
        // The client may prepend anything; the proxy appends the real peer.
        assert_eq!(
            client_ip(peer, &["6.6.6.6, 203.0.113.7"], &trusted),
            ip("203.0.113.7")
        );
        assert_eq!(
            client_ip(ip("198.51.100.1"), &["203.0.113.7"], &trusted),
            ip("198.51.100.1")
        );
        assert_eq!(client_ip(peer, &[], &trusted), peer);
        assert_eq!(client_ip(peer, &["203.0.113.7"], &[]), peer);
    }
}
